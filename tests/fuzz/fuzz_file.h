/* SPDX-License-Identifier: MIT */
/* For the targets whose readers open files by name (hivex, libevtx). */
#ifndef HVPROBE_FUZZ_FILE_H
#define HVPROBE_FUZZ_FILE_H

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "platform/fileio.h"

/* The input in a new temporary file; path is a mkstemp template, filled in. */
static inline void write_input_file(char *path, const uint8_t *data, size_t size)
{
	int fd = mkstemp(path);
	if (fd < 0 || !fd_write_all(fd, (const char *)data, size))
		abort();
	close(fd);
}

#endif
