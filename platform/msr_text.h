/* SPDX-License-Identifier: MIT */
/*
 * MSR values as text, one per line, for `--msr`, `--msr-file` and the
 * bundle's msr.txt (docs/bundle.md):
 *   0x3a=0x5              a recorded value that stands for every CPU
 *   cpu2 0x3a=0x5         the value read on logical CPU 2
 *   cpu2 0x3a=denied      why it could not be read (msr_status_name)
 *   access=no-device      why no MSR was read at all
 * Blank lines and lines starting with # are ignored.
 */
#ifndef HVPROBE_MSR_TEXT_H
#define HVPROBE_MSR_TEXT_H

#include "../probe/evidence.h"
#include "../probe/strbuf.h"

/* One `--msr` argument ("0x3a=0x5"); marks ev's MSRs as recorded. */
bool msr_text_parse_arg(const char *arg, struct evidence *ev, char *err, size_t errsize);

/* A whole file; errors say "line N: ...". `recorded` marks the values as
 * given by the user rather than read live. */
bool msr_text_parse(const char *text, size_t len, bool recorded, struct evidence *ev,
		    char *err, size_t errsize);

void msr_text_write(const struct evidence *ev, struct strbuf *out);

#endif
