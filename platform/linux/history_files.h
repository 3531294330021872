/* SPDX-License-Identifier: MIT */
/* A Linux root's package logs and next boot (docs/linux-history.md):
 * this system (root NULL or "") or a mounted one. The collectors judge
 * nothing and never fail: what they could not read, they record. */
#ifndef HVPROBE_HISTORY_FILES_H
#define HVPROBE_HISTORY_FILES_H

#include "../../probe/evidence.h"

/* ROOT/var/log/dpkg.log(.1) and ROOT/var/log/apt/history.log(.1), their
 * local times read in ROOT's zone (ROOT/etc/localtime; live, the
 * process's). Fills v->source and v->read, then settles v. */
void package_log_collect(struct package_log_view *v, const char *root);

/* The kernel ROOT's boot loader starts next (GRUB, else systemd-boot,
 * which goes first live when it started this boot, else Debian's /vmlinuz
 * link), the KVM modules of that kernel
 * and of running_release (NULL: none), the modprobe.d lines naming them
 * and, live, /proc/cmdline. Sets v->probed. */
void next_boot_collect(struct next_boot_view *v, const char *root, const char *running_release);

#endif
