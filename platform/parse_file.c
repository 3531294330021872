/* SPDX-License-Identifier: MIT */
#include "parse_file.h"

#include <stdlib.h>

#include "fileio.h"

bool parse_file(const char *path, enum file_origin origin, evidence_parser parse,
		struct evidence *ev, struct hv_error *err)
{
	char *text;
	size_t len;
	char why[300];
	if (!file_read_all(path, origin, FILEIO_MAX_INPUT, &text, &len, err))
		return false;
	bool ok = parse(text, len, ev, why, sizeof(why));
	free(text);
	if (!ok)
		return hv_fail(err, HV_EDATA, "%s: %s", path, why);
	return true;
}
