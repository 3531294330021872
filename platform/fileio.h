/* SPDX-License-Identifier: MIT */
#ifndef HVPROBE_FILEIO_H
#define HVPROBE_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "../formats/hv_error.h"

#ifndef _WIN32
#include <signal.h>

/* SIGINT, SIGTERM and SIGHUP wait while a temporary file or directory
 * exists (hold true; old receives the mask to give back with hold false):
 * a run stopped there would leave it behind. A pending signal is then
 * delivered, with its usual effect, once the temporary is renamed or
 * removed. */
void hold_signals(bool hold, sigset_t *old);
#endif

/* Largest input file hvprobe reads: bigger is not a dump, it is an attack. */
#define FILEIO_MAX_INPUT (64u * 1024u * 1024u)

/* How an input came to be read, which decides whether a symbolic link is
 * followed: a file the user named is read where the name leads; a file
 * found inside a bundle or a directory hvprobe walks (--esp, --windows)
 * must be that file itself, never a link out of it. */
enum file_origin { FILE_NAMED, FILE_FOUND };

/* Open an input by the one input policy: without waiting (a FIFO is never
 * waited on), without following a link when found, and only a regular
 * file (HV_ENOINPUT "not a regular file" otherwise). -1 with err set. */
int file_open_input(const char *path, enum file_origin origin, struct hv_error *err);

/* Read a whole input (or a /proc file, whose size is unknown) by that
 * policy into a NUL-terminated buffer the caller frees. Errors name the
 * path and never quote the content. */
bool file_read_all(const char *path, enum file_origin origin, size_t limit, char **data,
		   size_t *len, struct hv_error *err);

#ifndef _WIN32
/* The same from an open file, which stays open. */
bool file_read_fd(int fd, const char *path, size_t limit, char **data, size_t *len,
		  struct hv_error *err);
#endif

/* Write all of data to fd, retrying short writes and EINTR. */
bool fd_write_all(int fd, const char *data, size_t len);

/* Write data to path with fsync, creating it anew (O_EXCL). */
bool file_write_new(const char *path, const char *data, size_t len, struct hv_error *err);

/* Write a report where path says, by one policy (docs/exit-codes.md):
 *   missing or a regular file: replaced atomically (a temporary file in
 *     the same directory, fsync, rename), keeping the old file's mode and
 *     owner (0600 when new); a failed or interrupted run (SIGINT, SIGTERM,
 *     SIGHUP included) leaves the old file (or none) and no temporary one;
 *   a character device or a FIFO, itself or behind links (/dev/stdout):
 *     written in place, never replaced; a FIFO with no reader is refused;
 *   a directory, a link to anything else, a block device, a socket:
 *     refused (HV_ECANTCREAT). */
bool file_write_atomic(const char *path, const char *data, size_t len, struct hv_error *err);

#endif
