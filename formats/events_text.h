/* SPDX-License-Identifier: MIT */
/* events.txt in a bundle: the event log records that were kept (not whole
 * logs), so --from judges the timeline as the run on the host did
 * (docs/bundle.md). */
#ifndef HVPROBE_EVENTS_TEXT_H
#define HVPROBE_EVENTS_TEXT_H

#include <stddef.h>

#include "../probe/evidence.h"
#include "../probe/strbuf.h"

void events_text_write(const struct evidence *ev, struct strbuf *out);
bool events_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
		       size_t errsize);

#endif
