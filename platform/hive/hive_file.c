/* SPDX-License-Identifier: MIT */
#include "hive.h"

#include <stdlib.h>
#include <string.h>

#include "../fileio.h"

/* Every hive begins with this (the base block of the regf format). */
#define HIVE_SIGNATURE "regf"
#define HIVE_BASE_BLOCK 4096

bool hive_read_file(const char *file, char **data, size_t *len, struct hv_error *err)
{
	if (!file_read_all(file, FILEIO_MAX_INPUT, data, len, err))
		return false;
	if (*len < 4 || memcmp(*data, HIVE_SIGNATURE, 4) != 0) {
		free(*data);
		return hv_fail(err, HV_EDATA, "%s: not a registry hive (no \"regf\" signature)", file);
	}
	if (*len < HIVE_BASE_BLOCK) {
		free(*data);
		return hv_fail(err, HV_EDATA, "%s: truncated registry hive (%zu bytes)", file, *len);
	}
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
