/* SPDX-License-Identifier: MIT */
#include "fileio.h"
#include "read_growing.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int file_open_input(const char *path, enum file_origin origin, struct hv_error *err)
{
	int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	if (origin == FILE_FOUND)
		flags |= O_NOFOLLOW;
	int fd = open(path, flags);
	if (fd < 0) {
		(void)hv_fail(err, HV_ENOINPUT, "%s: %s", path,
			      errno == ELOOP && origin == FILE_FOUND
				      ? "a symbolic link, not followed inside a bundle or a volume"
				      : strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		(void)hv_fail(err, HV_ENOINPUT, "%s: not a regular file", path);
		return -1;
	}
	/* a regular file never blocks; reads are plain from here */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

bool file_read_all(const char *path, enum file_origin origin, size_t limit, char **data,
		   size_t *len, struct hv_error *err)
{
	int fd = file_open_input(path, origin, err);
	if (fd < 0)
		return false;
	bool ok = file_read_fd(fd, path, limit, data, len, err);
	close(fd);
	return ok;
}

static long read_fd_chunk(void *source, char *buf, size_t size, const char *path,
			  struct hv_error *err)
{
	int fd = *(const int *)source;
	for (;;) {
		ssize_t r = read(fd, buf, size);
		if (r >= 0)
			return (long)r;
		if (errno != EINTR) {
			int e = errno;
			return hv_fail(err, HV_EIO, "%s: read failed: %s", path, strerror(e)) ? 0 : -1;
		}
	}
}

bool file_read_fd(int fd, const char *path, size_t limit, char **data, size_t *len,
		  struct hv_error *err)
{
	return read_growing(&fd, read_fd_chunk, path, limit, data, len, err);
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
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return hv_fail(err, HV_ECANTCREAT, "%s: %s", path, strerror(errno));
	return write_sync_close(fd, path, data, len, err);
}

void hold_signals(bool hold, sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (hold)
		sigprocmask(SIG_BLOCK, &set, old);
	else
		sigprocmask(SIG_SETMASK, old, NULL);
}

/* A character device or a FIFO, named or behind links (/dev/stdout,
 * /dev/null, a pipe): written in place, never replaced. A FIFO without a
 * reader is refused rather than waited on. */
static bool write_in_place(const char *path, const char *data, size_t len, struct hv_error *err)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return hv_fail(err, HV_ECANTCREAT, "%s: %s", path,
			       errno == ENXIO ? "a FIFO with no reader" : strerror(errno));
	/* back to blocking writes: a slow reader is fine, a missing one was not */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	bool ok = fd_write_all(fd, data, len);
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	return ok || hv_fail(err, HV_EIO, "%s: write failed: %s", path, strerror(e));
}

/* A new file or a regular one: a temporary file in the same directory with
 * the old file's mode and owner (0600 for a new one: reports hold the
 * hostname, the machine id and the installed updates), fsync, rename. */
static bool replace_file(const char *path, const struct stat *old, const char *data, size_t len,
			 struct hv_error *err)
{
	char tmp[PATH_MAX];
	sigset_t signals;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return hv_fail(err, HV_ECANTCREAT, "%s: path too long", path);
	hold_signals(true, &signals);
	int fd = mkstemp(tmp);
	bool ok = fd >= 0 || hv_fail(err, HV_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
	if (ok && old) {
		/* as another user this fails, and the new file is that user's */
		int owner_kept = fchown(fd, old->st_uid, old->st_gid);
		(void)owner_kept;
		if (fchmod(fd, old->st_mode & 07777) != 0)
			ok = hv_fail(err, HV_EIO, "%s: %s", path, strerror(errno));
	}
	if (fd >= 0) {
		if (ok)
			ok = write_sync_close(fd, path, data, len, err);
		else
			close(fd);
		if (ok && rename(tmp, path) != 0)
			ok = hv_fail(err, HV_EIO, "%s: %s", path, strerror(errno));
		if (!ok)
			unlink(tmp);
	}
	hold_signals(false, &signals);
	return ok;
}

bool file_write_atomic(const char *path, const char *data, size_t len, struct hv_error *err)
{
	struct stat st, target;
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT)
			return hv_fail(err, HV_ECANTCREAT, "%s: cannot create: %s", path, strerror(errno));
		return replace_file(path, NULL, data, len, err);
	}
	if (S_ISREG(st.st_mode))
		return replace_file(path, &st, data, len, err);
	if (S_ISDIR(st.st_mode))
		return hv_fail(err, HV_ECANTCREAT, "%s: is a directory; name a file", path);
	bool special = S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode);
	if (S_ISLNK(st.st_mode) && stat(path, &target) == 0)
		special = S_ISCHR(target.st_mode) || S_ISFIFO(target.st_mode);
	if (special)
		return write_in_place(path, data, len, err);
	if (S_ISLNK(st.st_mode))
		return hv_fail(err, HV_ECANTCREAT, "%s: is a symbolic link; hvprobe replaces only a "
				       "regular file: name the file itself", path);
	return hv_fail(err, HV_ECANTCREAT, "%s: not a regular file; hvprobe replaces only a regular "
				   "file", path);
}
