/* SPDX-License-Identifier: MIT */
/* Where a Windows BCD store lives on a mounted system partition. */
#ifndef HVPROBE_BCD_FIND_H
#define HVPROBE_BCD_FIND_H

#include <stdbool.h>
#include <stddef.h>

/* The store's place under a partition's root: UEFI systems first, then
 * BIOS systems (docs/checks.md, "The Windows boot configuration"). */
extern const char *const bcd_store_places[];

/* Look under root for a regular file at one of bcd_store_places, matching
 * each name case-insensitively as FAT and Windows do. On success the path
 * is in out; otherwise *why is the errno that stopped the search (ENOENT
 * when there is simply none; EACCES when root could not be read). */
bool bcd_find_in_partition(const char *root, char *out, size_t size, int *why);

#endif
