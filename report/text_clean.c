/* SPDX-License-Identifier: MIT */
#include "text_clean.h"

#include <stdbool.h>
#include <stdint.h>

/* The length of the UTF-8 sequence at s and its code point; 0 when the
 * bytes are not well-formed UTF-8 (overlong, surrogate, cut short). */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
	int n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
	if (n == 0 || s[0] > 0xF4)
		return 0;
	uint32_t c = s[0] & (0x3F >> (n - 1));
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	static const uint32_t least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

static bool is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E ||
	       c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void text_put_clean(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t c = *p;
		int n = c < 0x80 ? 1 : utf8_decode(p, &c);
		if (n == 0) { /* not UTF-8: one byte at a time */
			sb_putc(out, '?');
			p++;
			continue;
		}
		if (is_control(c))
			sb_putc(out, '?');
		else
			sb_putn(out, (const char *)p, (size_t)n);
		p += n;
	}
}
