/* SPDX-License-Identifier: MIT */
/*
 * A Linux system's history in a bundle (docs/bundle.md), so --from judges
 * it as the run on the host did:
 *   journal.txt      the boots the systemd journal keeps (struct journal_view)
 *   package-log.txt  the package changes dpkg and apt logged (package_log_view)
 *   next-boot.txt    the kernel the boot loader starts next (next_boot_view)
 * Headers are key=value lines, records tab-separated fields; unknown keys
 * and kernel-log fact names are ignored so newer bundles still load.
 */
#ifndef HVPROBE_HISTORY_TEXT_H
#define HVPROBE_HISTORY_TEXT_H

#include <stddef.h>

#include "../probe/evidence.h"
#include "../probe/strbuf.h"

/* The name a kernel-log fact has in journal.txt ("vmx_disabled_by_bios"). */
const char *kmsg_fact_key(enum kmsg_fact fact);

void journal_text_write(const struct evidence *ev, struct strbuf *out);
bool journal_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
			size_t errsize);

void package_log_text_write(const struct evidence *ev, struct strbuf *out);
bool package_log_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
			    size_t errsize);

void next_boot_text_write(const struct evidence *ev, struct strbuf *out);
bool next_boot_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
			  size_t errsize);

#endif
