/* SPDX-License-Identifier: MIT */
/* Which kernel a Linux system boots next, from its boot loader's files,
 * and where that kernel's KVM modules are (docs/linux-history.md, "The
 * next boot"). Bytes in, evidence out: the collector reads the files. */
#ifndef HVPROBE_BOOTLOADER_H
#define HVPROBE_BOOTLOADER_H

#include "../probe/evidence.h"

/* GRUB 2 as grub-mkconfig writes it: the menu entry that boots next from
 * grub.cfg and the environment block (grubenv; NULL or empty when there
 * is none). Fills nb->loader, entry, cmdline, next.release and read, or
 * nb->problem with why it cannot tell. False when it cannot tell. */
bool grub_next_entry(const char *cfg, size_t cfg_len, const char *env, size_t env_len,
		     struct next_boot_view *nb);

/* The release of a kernel image: "/boot/vmlinuz-6.1.0-18-amd64" gives
 * "6.1.0-18-amd64". False when the name is not vmlinuz-RELEASE. */
bool kernel_release_of_image(const char *path, char *out, size_t size);

/* lib/modules/RELEASE/modules.builtin: marks kvm, kvm-intel and kvm-amd
 * MODULE_BUILTIN when the kernel has them built in. */
void modules_builtin_scan(const char *text, size_t len, struct kernel_modules *m);

/* Append to out ("FILE: LINE", newline separated) each line of a
 * modprobe.d file that names kvm, kvm_intel or kvm_amd (either spelling);
 * a line that does not fit whole is left out. */
void modprobe_kvm_lines(const char *file, const char *text, size_t len, char *out, size_t size);

#endif
