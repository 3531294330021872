/* SPDX-License-Identifier: MIT */
/*
 * Hive files on Windows (--bcd FILE, --windows DIR): loaded with
 * RegLoadAppKey and read through the same walks as the live registry.
 * Kept thin on purpose: wine's RegLoadAppKey returns a handle that cannot
 * be used, so this path is not exercised by the tests (docs/windows.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bcd_walk.h"
#include "../fileio.h"
#include "../hive/bcd_hive.h"
#include "../hive/software_hive.h"
#include "../nocase_path.h"
#include "../software_walk.h"
#include "windows_live.h"

/* The file as bytes (for bundles and the signature check), then as a key. */
static bool load_app_key(const char *file, HKEY *key, char **raw, size_t *len,
			 struct hv_error *err)
{
	if (!file_read_all(file, FILEIO_MAX_INPUT, raw, len, err))
		return false;
	if (*len < 4096 || memcmp(*raw, "regf", 4) != 0) {
		free(*raw);
		return hv_fail(err, HV_EDATA, "%s: not a registry hive (no \"regf\" signature, or "
					      "truncated)", file);
	}
	wchar_t *w = utf8_to_wide(file);
	LONG rc = w ? RegLoadAppKeyW(w, key, KEY_READ, REG_PROCESS_APPKEY, 0) : ERROR_OUTOFMEMORY;
	free(w);
	if (rc != ERROR_SUCCESS) {
		free(*raw);
		return hv_fail(err, HV_EDATA, "%s: corrupt registry hive (RegLoadAppKey: Windows error "
					      "%ld)", file, (long)rc);
	}
	return true;
}

bool bcd_hive_load(const char *file, struct bcd_store *s, struct hv_error *err)
{
	HKEY key;
	char *raw;
	size_t len;
	struct regtree t;
	bcd_store_clear(s);
	if (!load_app_key(file, &key, &raw, &len, err))
		return false;
	if (!regtree_win_open(&t, key, true, file, err)) {
		free(raw);
		return false;
	}
	bool ok = bcd_walk(&t, s);
	regtree_win_close(&t);
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

bool software_hive_load(const char *file, struct evidence *ev, struct hv_error *err)
{
	HKEY key;
	char *raw;
	size_t len;
	struct regtree t;
	if (!load_app_key(file, &key, &raw, &len, err))
		return false;
	free(raw);
	if (!regtree_win_open(&t, key, true, file, err))
		return false;
	bool ok = software_walk(&t, t.ops->root(&t), true, ev);
	regtree_win_close(&t);
	if (ok)
		snprintf(ev->installed.source, sizeof(ev->installed.source), "SOFTWARE hive %s", file);
	return ok;
}

bool windows_volume_load(const char *root, struct evidence *ev, struct hv_error *err)
{
	char path[4096];
	int why;
	if (!nocase_path_find(root, SOFTWARE_HIVE_PLACE, path, sizeof(path), &why)) {
		if (why == ENOENT)
			return hv_fail(err, HV_ENOINPUT, "%s: no %s here (is it the Windows volume?)", root,
				       SOFTWARE_HIVE_PLACE);
		return hv_fail(err, HV_ENOINPUT, "%s: %s", root, strerror(why));
	}
	return software_hive_load(path, ev, err);
}
