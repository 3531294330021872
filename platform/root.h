/* SPDX-License-Identifier: MIT */
/* A Linux system offline: its root file system mounted at a directory
 * (rescue media, or a disk attached to another machine), given with
 * --root DIR. */
#ifndef HVPROBE_ROOT_H
#define HVPROBE_ROOT_H

#include "../probe/evidence.h"
#include "../formats/hv_error.h"

/* Its journal, dpkg and apt logs, boot loader, kernel modules, installed
 * packages and machine id. root is made absolute first (ev->root holds
 * that) and paths inside it are resolved as chroot would
 * (platform/linux/root_path.h). Fails only when root is not a readable
 * directory; a piece it lacks is recorded as not read. */
bool root_collect(const char *root, struct evidence *ev, struct hv_error *err);

/* --kernel RELEASE: judge that installed kernel (of this host, or of the
 * root read, ev->root) as the next boot's instead of the boot loader's
 * choice, which is kept in next_boot.loader_next. Fails when no Linux
 * system was read (nothing to find lib/modules in). */
bool next_boot_name_kernel(const char *release, struct evidence *ev, struct hv_error *err);

#endif
