/* SPDX-License-Identifier: MIT */
/* Small, strict helpers for the line-oriented text formats hvprobe reads. */
#ifndef HVPROBE_TEXTSCAN_H
#define HVPROBE_TEXTSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Walks a buffer line by line; lines end at \n, a trailing \r is dropped,
 * and the buffer need not be NUL-terminated. */
struct line_reader {
	const char *text;
	size_t len, pos;
	unsigned lineno;
};

struct line {
	const char *s;
	size_t n;
};

void line_reader_init(struct line_reader *lr, const char *text, size_t len);
bool line_next(struct line_reader *lr, struct line *out);

/* Trim blanks (space, tab) at both ends. */
struct line line_trim(struct line l);
bool line_starts(struct line l, const char *prefix);
/* Whether l is exactly s. */
bool line_equals(struct line l, const char *s);
/* The next blank-separated word of l into *w (l moves past it); false,
 * with an empty *w, when only blanks are left. */
bool line_word(struct line *l, struct line *w);
/* Skip `prefix` if present; returns whether it was. */
bool line_skip(struct line *l, const char *prefix);
void line_skip_blanks(struct line *l);

/* Parse exactly-hex digits (optionally after 0x) up to a non-hex byte;
 * fails on no digits or overflow of `bits`. */
bool line_hex(struct line *l, unsigned bits, uint64_t *out);
bool line_dec(struct line *l, uint64_t max, uint64_t *out);

/* The next tab-separated field of l into out (the tab is consumed); *more
 * tells whether a tab followed. False when it does not fit or holds NUL. */
bool line_field(struct line *l, char *out, size_t size, bool *more);


#endif
