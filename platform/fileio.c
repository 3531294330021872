/* SPDX-License-Identifier: MIT */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool file_read_all(const char *path, size_t limit, char **data, size_t *len,
		   struct hv_error *err)
{
	*data = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hv_fail(err, HV_ENOINPUT, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return hv_fail(err, HV_ENOINPUT, "%s: not a regular file", path);
	}
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return hv_fail(err, HV_ENOMEM, "%s: out of memory", path);
	}
	for (;;) {
		if (n == cap) {
			if (cap >= limit) {
				free(buf);
				close(fd);
				return hv_fail(err, HV_EDATA, "%s: larger than %zu bytes", path, limit);
			}
			cap = cap * 2 > limit ? limit : cap * 2;
			char *p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				close(fd);
				return hv_fail(err, HV_ENOMEM, "%s: out of memory", path);
			}
			buf = p;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return hv_fail(err, HV_EIO, "%s: read failed: %s", path, strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return true;
}

bool fd_write_all(int fd, const char *data, size_t len)
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

/* Write, fsync and close fd; any failure is reported against path. */
static bool write_sync_close(int fd, const char *path, const char *data, size_t len,
			     struct hv_error *err)
{
	bool ok = fd_write_all(fd, data, len) && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (!ok)
		return hv_fail(err, HV_EIO, "%s: write failed: %s", path, strerror(e));
	return true;
}

bool file_write_new(const char *path, const char *data, size_t len, struct hv_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return hv_fail(err, HV_ECANTCREAT, "%s: %s", path, strerror(errno));
	return write_sync_close(fd, path, data, len, err);
}

bool file_write_atomic(const char *path, const char *data, size_t len, struct hv_error *err)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return hv_fail(err, HV_ECANTCREAT, "%s: path too long", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return hv_fail(err, HV_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
	/* mkstemp creates 0600; the result is as readable as any file the user writes. */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		close(fd);
		unlink(tmp);
		return hv_fail(err, HV_EIO, "%s: %s", path, strerror(errno));
	}
	if (!write_sync_close(fd, path, data, len, err)) {
		unlink(tmp);
		return false;
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return hv_fail(err, HV_EIO, "%s: %s", path, strerror(e));
	}
	return true;
}
