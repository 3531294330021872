/* SPDX-License-Identifier: MIT */
/* Paths on Windows filesystems (FAT, NTFS) mounted on Linux: each name is
 * matched in any case, as Windows matches it. */
#ifndef HVPROBE_NOCASE_PATH_H
#define HVPROBE_NOCASE_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Find root/rel ("EFI/Microsoft/Boot/BCD") as a regular file, each
 * component of rel matched case-insensitively. On success the real path is
 * in out; otherwise *why is the errno that stopped the search (ENOENT when
 * there is simply none, EACCES when a directory could not be read). */
bool nocase_path_find(const char *root, const char *rel, char *out, size_t size, int *why);

#endif
