/* SPDX-License-Identifier: MIT */
/* A BCD store file, opened with hivex and walked by formats/bcd_walk.c. */
#include "bcd_hive.h"

#include <stdlib.h>

#include "../../formats/bcd_walk.h"
#include "hive.h"

bool bcd_hive_load(const char *file, enum file_origin origin, struct bcd_store *s,
		   struct hv_error *err)
{
	struct regtree t;
	char *raw;
	size_t len;
	bcd_store_clear(s);
	if (!hive_open(&t, file, origin, err, &raw, &len))
		return false;
	bool ok = bcd_walk(&t, s);
	hive_close(&t);
	if (!ok) {
		free(raw);
		bcd_store_clear(s);
		return false;
	}
	s->raw = (unsigned char *)raw;
	s->raw_len = len;
	s->read = true;
	return true;
}
