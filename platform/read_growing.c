/* SPDX-License-Identifier: MIT */
#include "read_growing.h"

#include <stdlib.h>

/* Start small (most inputs are a few kilobytes) and double up to limit. */
#define READ_FIRST_CHUNK (64u * 1024u)

bool read_growing(void *source, read_chunk_fn read_chunk, const char *path, size_t limit,
		  char **data, size_t *len, struct hv_error *err)
{
	*data = NULL;
	*len = 0;
	size_t cap = READ_FIRST_CHUNK < limit ? READ_FIRST_CHUNK : limit, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return hv_fail(err, HV_ENOMEM, "%s: out of memory", path);
	for (;;) {
		if (n == cap) {
			if (cap >= limit) {
				/* one byte more tells a file of exactly limit bytes from a larger one */
				char probe;
				long extra = read_chunk(source, &probe, 1, path, err);
				if (extra == 0)
					break;
				free(buf);
				if (extra < 0)
					return false;
				return hv_fail(err, HV_EDATA, "%s: larger than %zu bytes", path, limit);
			}
			cap = cap > limit / 2 ? limit : cap * 2;
			char *p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return hv_fail(err, HV_ENOMEM, "%s: out of memory", path);
			}
			buf = p;
		}
		long got = read_chunk(source, buf + n, cap - n, path, err);
		if (got < 0) {
			free(buf);
			return false;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return true;
}
