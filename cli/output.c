/* SPDX-License-Identifier: MIT */
#include "output.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool write_fd(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		data += w;
		len -= (size_t)w;
	}
	return true;
}

/* mkstemp creates 0600; a report is as readable as any file the user writes. */
static bool fchmod_ok(const char *path)
{
	mode_t mask = umask(0);
	umask(mask);
	return chmod(path, 0666 & ~mask) == 0;
}

bool output_write(const char *path, const char *data, size_t len, struct hv_error *err)
{
	if (!path) {
		if (!write_fd(STDOUT_FILENO, data, len))
			return hv_fail(err, HV_EIO, "standard output: %s", strerror(errno));
		return true;
	}
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return hv_fail(err, HV_ECANTCREAT, "%s: path too long", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return hv_fail(err, HV_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
	bool ok = write_fd(fd, data, len) && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok && fchmod_ok(tmp) && rename(tmp, path) == 0)
		return true;
	if (ok)
		e = errno;
	unlink(tmp);
	return hv_fail(err, HV_EIO, "%s: %s", path, strerror(e));
}
