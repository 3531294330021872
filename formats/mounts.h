/* SPDX-License-Identifier: MIT */
/* /proc/mounts, read for the partitions a Windows BCD store can live on. */
#ifndef HVPROBE_MOUNTS_H
#define HVPROBE_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

/* One mount: the mount point (octal escapes such as \040 decoded) and the
 * filesystem type. */
struct mount_entry {
	char dir[4096];
	char type[32];
};

/* Call fn for each well-formed line of /proc/mounts text, in order; stop
 * when it returns false. Malformed lines are skipped. */
void mounts_parse(const char *text, size_t len,
		  bool (*fn)(const struct mount_entry *m, void *ctx), void *ctx);

/* Can this filesystem hold a system partition: FAT for the EFI system
 * partition, NTFS for a BIOS system's Boot folder. */
bool mount_may_hold_bcd(const char *type);

#endif
