/* SPDX-License-Identifier: MIT */
/* One loop that reads a whole input of unknown size into a growing buffer,
 * bounded by a limit: the POSIX and Windows file readers (fileio.c,
 * windows/fileio_win.c) differ only in how they read one chunk. */
#ifndef HVPROBE_READ_GROWING_H
#define HVPROBE_READ_GROWING_H

#include <stdbool.h>
#include <stddef.h>

#include "../formats/hv_error.h"

/* Read up to size bytes into buf: the count, 0 at the end, or -1 with err
 * set (naming path). */
typedef long (*read_chunk_fn)(void *source, char *buf, size_t size, const char *path,
			      struct hv_error *err);

/* Read source to its end into a NUL-terminated buffer the caller frees.
 * Past limit bytes: HV_EDATA "PATH: larger than LIMIT bytes". */
bool read_growing(void *source, read_chunk_fn read_chunk, const char *path, size_t limit,
		  char **data, size_t *len, struct hv_error *err);

#endif
