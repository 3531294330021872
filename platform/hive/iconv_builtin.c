/* SPDX-License-Identifier: MIT */
/*
 * iconv for the static binary only. hivex converts key and value names
 * between LATIN1, UTF-16LE and UTF-8 with iconv, and a static glibc loads
 * even those conversions from gconv modules at run time: on rescue media or
 * in an initramfs there are none, and hivex then fails on every name. These
 * three functions replace glibc's in hvprobe-static, for exactly the three
 * encodings hivex names; anything else is refused with EINVAL.
 *
 * A call converts all of its input or nothing: on E2BIG no byte is
 * consumed, so a caller that retries with a larger buffer (as hivex does)
 * sees the same input again.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

enum encoding { ENC_UTF8, ENC_LATIN1, ENC_UTF16LE, ENC_COUNT };

static int encoding_of(const char *name)
{
	static const struct {
		const char *name;
		enum encoding enc;
	} names[] = {
		{ "UTF-8", ENC_UTF8 },       { "UTF8", ENC_UTF8 },
		{ "LATIN1", ENC_LATIN1 },    { "ISO-8859-1", ENC_LATIN1 },
		{ "ISO_8859-1", ENC_LATIN1 }, { "UTF-16LE", ENC_UTF16LE },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i].name) == 0)
			return (int)names[i].enc;
	return -1;
}

iconv_t iconv_open(const char *tocode, const char *fromcode)
{
	int to = encoding_of(tocode), from = encoding_of(fromcode);
	if (to < 0 || from < 0) {
		errno = EINVAL;
		return (iconv_t)-1;
	}
	/* The handle is the pair itself; nothing is allocated. */
	return (iconv_t)(uintptr_t)(1 + from * ENC_COUNT + to);
}

int iconv_close(iconv_t cd)
{
	(void)cd;
	return 0;
}

/* Decode one code point; 0 bytes used means invalid or incomplete. */
static size_t decode(enum encoding enc, const unsigned char *in, size_t n, uint32_t *c)
{
	switch (enc) {
	case ENC_LATIN1:
		*c = in[0];
		return 1;
	case ENC_UTF16LE: {
		if (n < 2)
			return 0;
		uint32_t u = in[0] | (uint32_t)in[1] << 8;
		if (u < 0xD800 || u > 0xDFFF) {
			*c = u;
			return 2;
		}
		if (u > 0xDBFF || n < 4)
			return 0;
		uint32_t lo = in[2] | (uint32_t)in[3] << 8;
		if (lo < 0xDC00 || lo > 0xDFFF)
			return 0;
		*c = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		return 4;
	}
	default: {
		static const unsigned char len_of[16] = { 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 3, 4 };
		size_t len = len_of[in[0] >> 4];
		if (len == 0 || n < len)
			return 0;
		uint32_t v = len == 1 ? in[0] : in[0] & (0xFF >> (len + 1));
		for (size_t i = 1; i < len; i++) {
			if ((in[i] & 0xC0) != 0x80)
				return 0;
			v = v << 6 | (in[i] & 0x3F);
		}
		static const uint32_t min_of[5] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (v < min_of[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return 0; /* overlong, out of range, or a surrogate */
		*c = v;
		return len;
	}
	}
}

/* Encode one code point; 0 means it has no form in enc. */
static size_t encode(enum encoding enc, uint32_t c, unsigned char out[4])
{
	switch (enc) {
	case ENC_LATIN1:
		if (c > 0xFF)
			return 0;
		out[0] = (unsigned char)c;
		return 1;
	case ENC_UTF16LE:
		if (c < 0x10000) {
			out[0] = (unsigned char)c;
			out[1] = (unsigned char)(c >> 8);
			return 2;
		}
		c -= 0x10000;
		out[0] = (unsigned char)(0xD800 + (c >> 10));
		out[1] = (unsigned char)((0xD800 + (c >> 10)) >> 8);
		out[2] = (unsigned char)(0xDC00 + (c & 0x3FF));
		out[3] = (unsigned char)((0xDC00 + (c & 0x3FF)) >> 8);
		return 4;
	default:
		if (c < 0x80) {
			out[0] = (unsigned char)c;
			return 1;
		}
		if (c < 0x800) {
			out[0] = (unsigned char)(0xC0 | c >> 6);
			out[1] = (unsigned char)(0x80 | (c & 0x3F));
			return 2;
		}
		if (c < 0x10000) {
			out[0] = (unsigned char)(0xE0 | c >> 12);
			out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
			out[2] = (unsigned char)(0x80 | (c & 0x3F));
			return 3;
		}
		out[0] = (unsigned char)(0xF0 | c >> 18);
		out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
		out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		out[3] = (unsigned char)(0x80 | (c & 0x3F));
		return 4;
	}
}

/* Bytes the whole input needs in the output, or (size_t)-1 when some of
 * it cannot be converted. */
static size_t measure(enum encoding from, enum encoding to, const unsigned char *in, size_t n)
{
	size_t need = 0;
	while (n > 0) {
		uint32_t c = 0; /* set by decode whenever it returns non-zero */
		unsigned char tmp[4];
		size_t used = decode(from, in, n, &c), made = used ? encode(to, c, tmp) : 0;
		if (!made)
			return (size_t)-1;
		need += made;
		in += used;
		n -= used;
	}
	return need;
}

size_t iconv(iconv_t cd, char **inbuf, size_t *inbytesleft, char **outbuf, size_t *outbytesleft)
{
	uintptr_t pair = (uintptr_t)cd - 1;
	if (pair >= ENC_COUNT * ENC_COUNT) {
		errno = EBADF;
		return (size_t)-1;
	}
	if (!inbuf || !*inbuf)
		return 0; /* reset: these encodings have no shift state */
	enum encoding from = (enum encoding)(pair / ENC_COUNT), to = (enum encoding)(pair % ENC_COUNT);
	const unsigned char *in = (const unsigned char *)*inbuf;
	size_t need = measure(from, to, in, *inbytesleft);
	if (need == (size_t)-1) {
		errno = EILSEQ;
		return (size_t)-1;
	}
	if (need > *outbytesleft) {
		errno = E2BIG;
		return (size_t)-1;
	}
	unsigned char *out = (unsigned char *)*outbuf;
	size_t n = *inbytesleft;
	while (n > 0) {
		uint32_t c = 0;
		size_t used = decode(from, in, n, &c);
		out += encode(to, c, out);
		in += used;
		n -= used;
	}
	*outbytesleft -= need;
	*outbuf = (char *)out;
	*inbuf = (char *)in;
	*inbytesleft = 0;
	return 0;
}
