/* SPDX-License-Identifier: MIT */
#ifndef HVPROBE_OUTPUT_H
#define HVPROBE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "../formats/hv_error.h"

/* Write a finished report to stdout, or to `path` atomically: a temporary
 * file in the same directory, fsync, rename. An interrupted run leaves the
 * old file (or none), never half a report. */
bool output_write(const char *path, const char *data, size_t len, struct hv_error *err);

#endif
