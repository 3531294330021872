/* SPDX-License-Identifier: MIT */
#ifndef HVPROBE_FILEIO_H
#define HVPROBE_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "hv_error.h"

/* Largest input file hvprobe reads: bigger is not a dump, it is an attack. */
#define FILEIO_MAX_INPUT (64u * 1024u * 1024u)

/* Read a whole regular file (or a /proc file, whose size is unknown) into a
 * NUL-terminated buffer the caller frees. Errors name the path. */
bool file_read_all(const char *path, size_t limit, char **data, size_t *len,
		   struct hv_error *err);

/* Write all of data to fd, retrying short writes and EINTR. */
bool fd_write_all(int fd, const char *data, size_t len);

/* Write data to path with fsync, creating it anew (O_EXCL). */
bool file_write_new(const char *path, const char *data, size_t len, struct hv_error *err);

/* Replace path atomically: a temporary file in the same directory, fsync,
 * rename. A failed or interrupted run leaves the old file (or none), never
 * half of one. */
bool file_write_atomic(const char *path, const char *data, size_t len, struct hv_error *err);

#endif
