/* SPDX-License-Identifier: MIT */
/* An offline SOFTWARE hive, opened with hivex and walked by
 * formats/software_walk.c. */
#include "software_hive.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../nocase_path.h"
#include "../../formats/software_walk.h"
#include "../../formats/system_walk.h"
#include "hive.h"

bool software_hive_load(const char *file, enum file_origin origin, struct evidence *ev,
			struct hv_error *err)
{
	struct regtree t;
	if (!hive_open(&t, file, origin, err, NULL, NULL))
		return false;
	bool ok = software_walk(&t, t.ops->root(&t), true, ev);
	hive_close(&t);
	if (ok)
		snprintf(ev->installed.source, sizeof(ev->installed.source), "SOFTWARE hive %s", file);
	return ok;
}

bool system_hive_load(const char *file, enum file_origin origin, struct evidence *ev,
		      struct hv_error *err)
{
	struct regtree t;
	if (!hive_open(&t, file, origin, err, NULL, NULL))
		return false;
	bool ok = system_walk(&t, t.ops->root(&t), &ev->winboot, &ev->restart);
	hive_close(&t);
	if (ok)
		snprintf(ev->winboot.system_source, sizeof(ev->winboot.system_source), "SYSTEM hive %s",
			 file);
	return ok;
}

bool windows_volume_load(const char *root, struct evidence *ev, struct hv_error *err)
{
	char path[4096];
	int why;
	if (!nocase_path_find(root, SOFTWARE_HIVE_PLACE, path, sizeof(path), &why)) {
		if (why == ENOENT)
			return hv_fail(err, HV_ENOINPUT, "%s: no %s here (is it the Windows volume, "
					       "mounted?)", root, SOFTWARE_HIVE_PLACE);
		return hv_fail(err, HV_ENOINPUT, "%s: %s", root, strerror(why));
	}
	if (!software_hive_load(path, FILE_FOUND, ev, err))
		return false;
	if (!nocase_path_find(root, SYSTEM_HIVE_PLACE, path, sizeof(path), &why))
		return true; /* an older copy of a volume may hold SOFTWARE alone */
	return system_hive_load(path, FILE_FOUND, ev, err);
}
