/* SPDX-License-Identifier: MIT */
/*
 * platform/hive/hive.h on Windows: a hive file loaded with RegLoadAppKey
 * and read as a regtree, so bcd_hive.c and software_hive.c serve --bcd and
 * --windows unchanged. Kept thin on purpose: wine's RegLoadAppKey returns a
 * handle that cannot be used, so the tests cannot exercise this path
 * (docs/windows.md).
 */
#include <stdlib.h>
#include <string.h>

#include "../hive/hive.h"
#include "windows_live.h"

bool hive_open(struct regtree *t, const char *file, enum file_origin origin, struct hv_error *err,
	       char **raw, size_t *raw_len)
{
	char *data;
	size_t len;
	HKEY key;
	t->impl = NULL;
	/* read whole: there is no file descriptor to hand RegLoadAppKey */
	if (!file_read_all(file, origin, HIVE_RAW_MAX, &data, &len, err))
		return false;
	if (!hive_check_base_block(file, data, len, len, err)) {
		free(data);
		return false;
	}
	wchar_t *w = utf8_to_wide(file);
	LONG rc = w ? RegLoadAppKeyW(w, &key, KEY_READ, REG_PROCESS_APPKEY, 0) : ERROR_OUTOFMEMORY;
	free(w);
	if (rc != ERROR_SUCCESS) {
		free(data);
		return hv_fail(err, HV_EDATA, "%s: corrupt registry hive (RegLoadAppKey: Windows error "
					      "%ld)", file, (long)rc);
	}
	if (!regtree_win_open(t, key, true, file, err)) {
		free(data);
		return false;
	}
	hive_hand_back(data, len, raw, raw_len);
	return true;
}

void hive_close(struct regtree *t)
{
	if (t->impl)
		regtree_win_close(t);
}
