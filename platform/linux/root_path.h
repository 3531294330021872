/* SPDX-License-Identifier: MIT */
/* A path inside a Linux root mounted at a directory (--root DIR), found
 * the way the kernel finds it for a process chroot()ed there. */
#ifndef HVPROBE_ROOT_PATH_H
#define HVPROBE_ROOT_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Symbolic links followed in one lookup before giving up with ELOOP: the
 * kernel's own bound (Linux include/linux/namei.h, MAXSYMLINKS 40). */
#define ROOT_PATH_LINKS_MAX 40

/*
 * Write to out the host path of `path` (absolute, as the root's programs
 * name it: "/var/log/dpkg.log") inside the root at `root`, resolving it
 * one component at a time as path_resolution(7) does after chroot(2):
 * an absolute link target starts again from the root, ".." never climbs
 * above it, and the last component is followed when follow_last (lstat
 * rather than stat when not). A component that does not exist ends the
 * lookup: the rest is appended as it is, so that opening out fails as it
 * would in the root. The result names no link but, without follow_last,
 * its last component. Live (root NULL or "") out is path itself. False
 * with errno ELOOP or ENAMETOOLONG.
 */
bool root_path(const char *root, const char *path, bool follow_last, char *out, size_t size);

#endif
