/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../platform/fileio.h"

bool output_write(const char *path, const char *data, size_t len, struct hv_error *err)
{
	if (path)
		return file_write_atomic(path, data, len, err);
	if (!fd_write_all(STDOUT_FILENO, data, len))
		return hv_fail(err, HV_EIO, "standard output: %s", strerror(errno));
	return true;
}
