/* SPDX-License-Identifier: MIT */
#include "hive.h"

#include <stdlib.h>
#include <string.h>

/* Every hive begins with this (the base block of the regf format). */
#define HIVE_SIGNATURE "regf"

bool hive_check_base_block(const char *file, const char *head, size_t n, uint64_t size,
			   struct hv_error *err)
{
	if (n < 4 || memcmp(head, HIVE_SIGNATURE, 4) != 0)
		return hv_fail(err, HV_EDATA, "%s: not a registry hive (no \"regf\" signature)", file);
	if (size < HIVE_BASE_BLOCK)
		return hv_fail(err, HV_EDATA, "%s: truncated registry hive (%llu bytes)", file,
			       (unsigned long long)size);
	if (size > HIVE_MAX_BYTES)
		return hv_fail(err, HV_EDATA, "%s: larger than a registry hive can be (%llu bytes)",
			       file, (unsigned long long)size);
	return true;
}

void hive_hand_back(char *data, size_t len, char **raw, size_t *raw_len)
{
	if (raw) {
		*raw = data;
		*raw_len = len;
	} else {
		free(data);
	}
}
