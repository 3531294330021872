/* SPDX-License-Identifier: MIT */
/* installed.txt in a bundle: the installed updates and packages read on
 * the host, one per line (docs/bundle.md). */
#ifndef HVPROBE_INSTALLED_TEXT_H
#define HVPROBE_INSTALLED_TEXT_H

#include <stddef.h>

#include "../probe/evidence.h"
#include "../probe/strbuf.h"

void installed_text_write(const struct evidence *ev, struct strbuf *out);
bool installed_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
			  size_t errsize);

#endif
