/* SPDX-License-Identifier: MIT */
/* platform/fileio.h on Windows: the same promises (regular files only,
 * sizes bounded, atomic replacement) through the Windows API. */
#include <windows.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>

#include "../fileio.h"
#include "../read_growing.h"
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

static long read_handle_chunk(void *source, char *buf, size_t size, const char *path,
			      struct hv_error *err)
{
	DWORD got = 0;
	DWORD want = size > 1u << 30 ? 1u << 30 : (DWORD)size;
	if (!ReadFile((HANDLE)source, buf, want, &got, NULL))
		return win_error(err, HV_EIO, path) ? 0 : -1;
	return (long)got;
}

bool file_read_all(const char *path, enum file_origin origin, size_t limit, char **data,
		   size_t *len, struct hv_error *err)
{
	(void)origin; /* the files hvprobe.exe finds are NTFS files, not links it walks */
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
	bool ok = read_growing(h, read_handle_chunk, path, limit, data, len, err);
	CloseHandle(h);
	return ok;
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
