/* SPDX-License-Identifier: MIT */
/* Windows stores text as UTF-16LE (registry REG_SZ values, BCD strings);
 * reports are UTF-8. */
#ifndef HVPROBE_UTF16_H
#define HVPROBE_UTF16_H

#include <stddef.h>

/* UTF-16LE to UTF-8, up to a NUL or n bytes; unpaired surrogates become
 * U+FFFD; the output is cut on a character boundary. */
void utf16le_to_utf8(const unsigned char *in, size_t n, char *out, size_t size);

#endif
