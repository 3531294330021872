/* SPDX-License-Identifier: MIT */
/* platform/fileio.h on Windows: the same promises (regular files only,
 * sizes bounded, atomic replacement) through the Windows API. */
#include <windows.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>

#include "../fileio.h"
#include "windows_live.h"

static bool win_error(struct hv_error *err, enum hv_status status, const char *path)
{
	DWORD e = GetLastError();
	const char *what = e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? "No such file or directory"
			   : e == ERROR_ACCESS_DENIED ? "Permission denied" : NULL;
	if (what)
		return hv_fail(err, status, "%s: %s", path, what);
	return hv_fail(err, status, "%s: Windows error %lu", path, (unsigned long)e);
}

bool file_read_all(const char *path, enum file_origin origin, size_t limit, char **data,
		   size_t *len, struct hv_error *err)
{
	(void)origin; /* the files hvprobe.exe finds are NTFS files, not links it walks */
	*data = NULL;
	*len = 0;
	wchar_t *w = utf8_to_wide(path);
	HANDLE h = w ? CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
				   OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)
		     : INVALID_HANDLE_VALUE;
	DWORD attributes = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
	free(w);
	if (h == INVALID_HANDLE_VALUE) {
		if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY))
			return hv_fail(err, HV_ENOINPUT, "%s: not a regular file", path);
		return win_error(err, HV_ENOINPUT, path);
	}
	if (GetFileType(h) != FILE_TYPE_DISK) {
		CloseHandle(h);
		return hv_fail(err, HV_ENOINPUT, "%s: not a regular file", path);
	}
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap + 1);
	bool ok = buf != NULL;
	while (ok) {
		if (n == cap) {
			if (cap >= limit) {
				free(buf);
				CloseHandle(h);
				return hv_fail(err, HV_EDATA, "%s: larger than %zu bytes", path, limit);
			}
			cap = cap * 2 > limit ? limit : cap * 2;
			char *p = realloc(buf, cap + 1);
			if (!p)
				break;
			buf = p;
		}
		DWORD got = 0;
		if (!ReadFile(h, buf + n, (DWORD)(cap - n), &got, NULL)) {
			free(buf);
			CloseHandle(h);
			return win_error(err, HV_EIO, path);
		}
		if (got == 0)
			break;
		n += got;
	}
	CloseHandle(h);
	if (!buf || n == cap) {
		free(buf);
		return hv_fail(err, HV_ENOMEM, "%s: out of memory", path);
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return true;
}

bool fd_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		int w = _write(fd, data, len > 1u << 30 ? 1u << 30 : (unsigned)len);
		if (w <= 0)
			return false;
		data += w;
		len -= (size_t)w;
	}
	return true;
}

static bool write_to(const char *path, DWORD disposition, const char *data, size_t len,
		     struct hv_error *err)
{
	wchar_t *w = utf8_to_wide(path);
	HANDLE h = w ? CreateFileW(w, GENERIC_WRITE, 0, NULL, disposition, FILE_ATTRIBUTE_NORMAL, NULL)
		     : INVALID_HANDLE_VALUE;
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return win_error(err, HV_ECANTCREAT, path);
	bool ok = true;
	while (ok && len > 0) {
		DWORD done = 0;
		ok = WriteFile(h, data, len > 1u << 30 ? 1u << 30 : (DWORD)len, &done, NULL) && done > 0;
		data += done;
		len -= done;
	}
	ok = ok && FlushFileBuffers(h);
	CloseHandle(h);
	return ok || win_error(err, HV_EIO, path);
}

bool file_write_new(const char *path, const char *data, size_t len, struct hv_error *err)
{
	return write_to(path, CREATE_NEW, data, len, err);
}

/* A temporary file beside the target, flushed, then moved over it in one
 * step: the old file or the new one, never half of one. */
bool file_write_atomic(const char *path, const char *data, size_t len, struct hv_error *err)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-%lu", path, (unsigned long)GetCurrentProcessId()) >=
	    (int)sizeof(tmp))
		return hv_fail(err, HV_ECANTCREAT, "%s: path too long", path);
	if (!write_to(tmp, CREATE_ALWAYS, data, len, err))
		return false;
	wchar_t *from = utf8_to_wide(tmp), *to = utf8_to_wide(path);
	bool ok = from && to && MoveFileExW(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH);
	if (!ok) {
		win_error(err, HV_EIO, path);
		if (from)
			DeleteFileW(from);
	}
	free(from);
	free(to);
	return ok;
}
