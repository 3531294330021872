/* SPDX-License-Identifier: MIT */
#include "utf16.h"

#include <stdint.h>
#include <string.h>

static size_t put_utf8(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

void utf16le_to_utf8(const unsigned char *in, size_t n, char *out, size_t size)
{
	size_t o = 0;
	if (size == 0)
		return;
	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t c = in[i] | (uint32_t)in[i + 1] << 8;
		if (c == 0)
			break;
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
			uint32_t lo = in[i + 2] | (uint32_t)in[i + 3] << 8;
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		if (c >= 0xD800 && c <= 0xDFFF)
			c = 0xFFFD; /* a surrogate without its other half */
		char buf[4];
		size_t len = put_utf8(buf, c);
		if (o + len >= size)
			break;
		memcpy(out + o, buf, len);
		o += len;
	}
	out[o] = '\0';
}
