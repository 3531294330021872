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
/* Whether modules.builtin lists the module file `file` ("kvm-intel.ko"):
 * it names each built-in module by its path, with dashes. */
bool modules_builtin_lists(const char *text, size_t len, const char *file);

/* Append to out ("FILE: LINE", newline separated) each line of a
 * modprobe.d file that names kvm, kvm_intel or kvm_amd (either spelling);
 * a line that does not fit whole is left out. */
void modprobe_kvm_lines(const char *file, const char *text, size_t len, char *out, size_t size);

/* systemd-boot's EFI variables (vendor GUID SDBOOT_VENDOR_GUID), UTF-8;
 * NULL when not set. saved is only consulted for a default "@saved". */
struct sdboot_vars {
	const char *oneshot; /* LoaderEntryOneShot: this one boot */
	const char *deflt;   /* LoaderEntryDefault: bootctl set-default */
	const char *saved;   /* LoaderEntryLastBooted */
};

/* The vendor GUID of systemd-boot's variables (systemd 252
 * src/fundamental/efivars-fundamental.h LOADER_GUID; Linux
 * include/linux/efi.h LINUX_EFI_LOADER_ENTRY_GUID). */
#define SDBOOT_VENDOR_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"

/* One file systemd-boot lists: a Type #1 entry (loader/entries/NAME.conf,
 * text its bytes) or a Type #2 image (EFI/Linux/NAME.efi, text NULL). */
struct sdboot_file {
	const char *name;  /* the file name, as in its directory */
	const char *text;
	size_t len;
	const void *where; /* its partition, handed back to image_exists */
};

/* Whether path ("/MACHINE-ID/RELEASE/linux") exists on the partition
 * `where`: systemd-boot drops an entry whose image it cannot open. */
typedef bool (*sdboot_image_exists)(void *ctx, const void *where, const char *path);

/*
 * The entry systemd-boot (as of systemd 252) starts next, from loader.conf
 * (NULL or empty: none), the entries and the variables (vars NULL: none
 * read); exists NULL takes every image as present. Fills nb->loader,
 * entry, cmdline, next.release and read, nb->source with what decided
 * ("LoaderEntryOneShot", "LoaderEntryDefault", "LoaderEntryLastBooted",
 * "loader.conf default" or "first entry"), or nb->problem with why it
 * cannot tell. False when it cannot tell.
 */
bool sdboot_next_entry(const char *conf, size_t conf_len, const struct sdboot_file *files,
		       size_t nfiles, const struct sdboot_vars *vars, sdboot_image_exists exists,
		       void *ctx, struct next_boot_view *nb);

/* An efivarfs file (Linux Documentation/filesystems/efivarfs.rst: a
 * 4-byte attribute word, then the value) holding a UTF-16LE string, as
 * UTF-8. False when it is shorter than the attributes. */
bool efivar_string(const unsigned char *data, size_t len, char *out, size_t size);

#endif
