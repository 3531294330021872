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

/*
 * A value the user names (--msr-file, --msr) wins over every reading ev
 * already holds of that MSR, on any CPU (a dump's MSR section reads each
 * CPU): msr_text_set_aside moves ev's readings out before the user's are
 * parsed, msr_text_restore puts back those of MSRs the user did not name
 * and frees the rest. False when they no longer fit.
 */
struct msr_aside {
	struct msr_reading *msrs;
	size_t n;
};
void msr_text_set_aside(struct evidence *ev, struct msr_aside *a);
bool msr_text_restore(struct evidence *ev, struct msr_aside *a);

#endif
