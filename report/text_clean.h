/* SPDX-License-Identifier: MIT */
/*
 * Text from the evidence on its way to a person's terminal or log: a BCD
 * description, a key name, a CPU brand, an update title. Anything that
 * could move the cursor, recolour the screen, retitle the window or
 * reorder what is shown becomes '?': C0 controls and DEL, the C1 controls
 * U+0080-U+009F (a CSI is ESC [ or U+009B), the bidirectional controls
 * (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069), and bytes that are not
 * UTF-8. Other characters pass as they are. Every renderer that writes
 * text for people uses this one function.
 */
#ifndef HVPROBE_TEXT_CLEAN_H
#define HVPROBE_TEXT_CLEAN_H

#include "../probe/strbuf.h"

void text_put_clean(struct strbuf *out, const char *s);

#endif
