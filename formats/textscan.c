/* SPDX-License-Identifier: MIT */
#include "textscan.h"

#include <string.h>

void line_reader_init(struct line_reader *lr, const char *text, size_t len)
{
	lr->text = text;
	lr->len = len;
	lr->pos = 0;
	lr->lineno = 0;
}

bool line_next(struct line_reader *lr, struct line *out)
{
	if (lr->pos >= lr->len)
		return false;
	const char *start = lr->text + lr->pos;
	const char *nl = memchr(start, '\n', lr->len - lr->pos);
	size_t n = nl ? (size_t)(nl - start) : lr->len - lr->pos;
	lr->pos += n + (nl ? 1 : 0);
	lr->lineno++;
	if (n > 0 && start[n - 1] == '\r')
		n--;
	out->s = start;
	out->n = n;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void line_skip_blanks(struct line *l)
{
	while (l->n > 0 && is_blank(*l->s)) {
		l->s++;
		l->n--;
	}
}

struct line line_trim(struct line l)
{
	line_skip_blanks(&l);
	while (l.n > 0 && is_blank(l.s[l.n - 1]))
		l.n--;
	return l;
}

bool line_equals(struct line l, const char *s)
{
	return l.n == strlen(s) && memcmp(l.s, s, l.n) == 0;
}

bool line_word(struct line *l, struct line *w)
{
	line_skip_blanks(l);
	w->s = l->s;
	w->n = 0;
	while (w->n < l->n && !is_blank(l->s[w->n]))
		w->n++;
	l->s += w->n;
	l->n -= w->n;
	return w->n > 0;
}

bool line_starts(struct line l, const char *prefix)
{
	size_t n = strlen(prefix);
	return l.n >= n && memcmp(l.s, prefix, n) == 0;
}

bool line_skip(struct line *l, const char *prefix)
{
	if (!line_starts(*l, prefix))
		return false;
	size_t n = strlen(prefix);
	l->s += n;
	l->n -= n;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool line_hex(struct line *l, unsigned bits, uint64_t *out)
{
	if (l->n >= 2 && l->s[0] == '0' && (l->s[1] == 'x' || l->s[1] == 'X'))
		line_skip(l, l->s[1] == 'x' ? "0x" : "0X");
	uint64_t v = 0;
	size_t digits = 0;
	while (l->n > 0 && hex_digit(*l->s) >= 0) {
		if (v >> (bits - 4))
			return false; /* one more digit would not fit in `bits` */
		v = (v << 4) | (uint64_t)hex_digit(*l->s);
		l->s++;
		l->n--;
		digits++;
	}
	if (digits == 0)
		return false;
	*out = v;
	return true;
}

bool line_dec(struct line *l, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t digits = 0;
	while (l->n > 0 && *l->s >= '0' && *l->s <= '9') {
		unsigned d = (unsigned)(*l->s - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
		l->s++;
		l->n--;
		digits++;
	}
	if (digits == 0)
		return false;
	*out = v;
	return true;
}

bool line_field(struct line *l, char *out, size_t size, bool *more)
{
	const char *tab = memchr(l->s, '\t', l->n);
	size_t n = tab ? (size_t)(tab - l->s) : l->n;
	if (n >= size || memchr(l->s, '\0', n))
		return false;
	memcpy(out, l->s, n);
	out[n] = '\0';
	l->s += n + (tab != NULL);
	l->n -= n + (tab != NULL);
	*more = tab != NULL;
	return true;
}
