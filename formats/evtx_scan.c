/* SPDX-License-Identifier: MIT */
#include "evtx_scan.h"

#include <string.h>

#define CHUNK_HEADER_SIZE 512u  /* the header, string and template tables */
#define CHUNK_FREE_OFFSET 48u   /* where the chunk's free space starts */
#define RECORD_HEADER 24u       /* signature, size, record id, written time */
#define RECORD_MIN (RECORD_HEADER + 4u)
#define TEMPLATE_CACHE 128      /* template definitions remembered per chunk */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

void evtx_scan_init(struct evtx_scan *s, const char *const *names)
{
	memset(s, 0, sizeof(*s));
	for (; *names && s->nneedles < EVTX_SCAN_NEEDLES; names++) {
		size_t n = strlen(*names);
		if (2 * n > sizeof(s->needle[0]))
			continue;
		for (size_t i = 0; i < n; i++) {
			s->needle[s->nneedles][2 * i] = (unsigned char)(*names)[i];
			s->needle[s->nneedles][2 * i + 1] = 0;
		}
		s->needle_len[s->nneedles++] = 2 * n;
	}
}

bool evtx_scan_is_header(const unsigned char *p, size_t len)
{
	return len >= 8 && memcmp(p, "ElfFile", 8) == 0;
}

static bool holds_needle(const struct evtx_scan *s, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < s->nneedles; i++) {
		size_t n = s->needle_len[i];
		if (len < n)
			continue;
		const unsigned char *q = p, *last = p + len - n;
		while (q <= last && (q = memchr(q, s->needle[i][0], (size_t)(last - q) + 1)) != NULL) {
			if (memcmp(q, s->needle[i], n) == 0)
				return true;
			q++;
		}
	}
	return false;
}

struct template_cache {
	size_t n;
	uint32_t offset[TEMPLATE_CACHE];
	bool wanted[TEMPLATE_CACHE];
};

/* A template definition: next offset (4), GUID (16), data size (4), data. */
static bool template_wanted(const struct evtx_scan *s, struct template_cache *c,
			    const unsigned char *chunk, size_t len, uint32_t offset)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->offset[i] == offset)
			return c->wanted[i];
	bool wanted = false;
	if (offset >= CHUNK_HEADER_SIZE && offset <= len && len - offset >= 24) {
		uint32_t size = le32(chunk + offset + 20);
		if (size > len - offset - 24)
			size = (uint32_t)(len - offset - 24);
		wanted = holds_needle(s, chunk + offset + 24, size);
	}
	if (c->n < TEMPLATE_CACHE) {
		c->offset[c->n] = offset;
		c->wanted[c->n++] = wanted;
	}
	return wanted;
}

/* Binary XML of a record: fragment header (0x0F 1 1 0), then a template
 * instance (0x0C, 1 byte, template id (4), definition offset (4)). */
static bool record_wanted(const struct evtx_scan *s, struct template_cache *c,
			  const unsigned char *chunk, size_t len, const unsigned char *rec,
			  uint32_t size)
{
	const unsigned char *xml = rec + RECORD_HEADER;
	size_t xlen = size - RECORD_MIN;
	if (xlen >= 14 && xml[0] == 0x0F && xml[4] == 0x0C &&
	    template_wanted(s, c, chunk, len, le32(xml + 10)))
		return true;
	return holds_needle(s, xml, xlen);
}

bool evtx_scan_chunk(struct evtx_scan *s, const unsigned char *chunk, size_t len,
		     evtx_scan_hit hit, void *ctx)
{
	if (len < CHUNK_HEADER_SIZE || memcmp(chunk, "ElfChnk", 8) != 0) {
		s->chunks_skipped++;
		return true;
	}
	struct template_cache cache = { 0 };
	size_t end = le32(chunk + CHUNK_FREE_OFFSET);
	if (end < CHUNK_HEADER_SIZE || end > len)
		end = len;
	unsigned index = 0;
	for (size_t off = CHUNK_HEADER_SIZE; end - off >= RECORD_MIN; index++) {
		const unsigned char *rec = chunk + off;
		uint32_t size = le32(rec + 4);
		if (memcmp(rec, "\x2a\x2a\0\0", 4) != 0 || size < RECORD_MIN || size > end - off)
			break;
		s->records++;
		if (record_wanted(s, &cache, chunk, len, rec, size) &&
		    !hit(ctx, index, le64(rec + 8), le64(rec + 16)))
			return false;
		off += size;
	}
	return true;
}

void evtx_chunk_mend(unsigned char *buf, size_t len)
{
	if (len < EVTX_CHUNK_SIZE)
		memset(buf + len, 0, EVTX_CHUNK_SIZE - len);
	if (len < CHUNK_HEADER_SIZE || memcmp(buf, "ElfChnk", 8) != 0)
		return;
	size_t end = le32(buf + CHUNK_FREE_OFFSET);
	if (end < CHUNK_HEADER_SIZE || end > len)
		end = len;
	for (size_t off = CHUNK_HEADER_SIZE; end - off >= RECORD_MIN;) {
		unsigned char *rec = buf + off;
		uint32_t size = le32(rec + 4);
		if (memcmp(rec, "\x2a\x2a\0\0", 4) != 0 || size < RECORD_MIN || size > end - off)
			break;
		memcpy(rec + size - 4, rec + 4, 4);
		off += size;
	}
}

/* CRC-32 (ISO 3309, reflected, 0xEDB88320), as the format's checksums. */
static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* File header: first chunk (8 at 8), last chunk (8 at 16), number of
 * chunks (2 at 42), checksum of bytes 0-119 (4 at 124). */
void evtx_one_chunk_file(const unsigned char *header, const unsigned char *chunk, size_t len,
			 unsigned char *out)
{
	memcpy(out, header, EVTX_FILE_HEADER_SIZE);
	put_le(out + 8, 0, 8);
	put_le(out + 16, 0, 8);
	put_le(out + 42, 1, 2);
	put_le(out + 124, crc32(out, 120), 4);
	memcpy(out + EVTX_FILE_HEADER_SIZE, chunk, len);
}
