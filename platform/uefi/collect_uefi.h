/* SPDX-License-Identifier: MIT */
/* The firmware's collectors, for hvprobe.efi (efi/main.c): they read the
 * processors, the firmware's variables and the volume the program started
 * from into struct evidence, and write the bundle back to that volume.
 * They judge nothing. Built with gnu-efi's headers (scripts/build-uefi.sh). */
#ifndef HVPROBE_COLLECT_UEFI_H
#define HVPROBE_COLLECT_UEFI_H

#include <efi.h>

#include "../../probe/evidence.h"
#include "../../probe/strbuf.h"

/* cpuid_uefi.c: CPUID on every processor, through the MP Services
 * protocol, with each one's MSRs; false only when out of memory. */
bool uefi_collect_cpus(struct evidence *ev);

/* msr_uefi.c: the launch MSRs the processor running it announces in its
 * CPUID leaves, read with RDMSR. Runs on application processors too, so it
 * calls no boot service. */
#define MSR_UEFI_MAX 5
struct msr_uefi_set {
	uint32_t index[MSR_UEFI_MAX];
	uint64_t value[MSR_UEFI_MAX];
	size_t n;
};
void uefi_read_msrs(struct cpuid_leaf *leaves, size_t nleaves, struct msr_uefi_set *out);

/* variables_uefi.c: boot mode (UEFI, by definition) and Secure Boot. */
void uefi_collect_boot(struct evidence *ev);

/* volume_uefi.c: the volume the image was loaded from (NULL when the
 * firmware cannot say), and its files by ASCII path. */
EFI_FILE_HANDLE uefi_open_volume(EFI_HANDLE image);
CHAR16 *uefi_wide_path(const char *s);
bool uefi_file_exists(EFI_FILE_HANDLE root, const char *path);
bool uefi_write_file(EFI_FILE_HANDLE dir, const char *name, const void *data, size_t len);

/* bcd_uefi.c: the Windows BCD store on that volume, whole, into ev->bcd. */
void uefi_collect_bcd(EFI_FILE_HANDLE root, struct evidence *ev);

/* bundle_write_uefi.c: the bundle (docs/bundle.md) with the JSON report, in
 * a new folder \hvprobe-bundle-NNN; its name goes to name. */
bool uefi_write_bundle(EFI_FILE_HANDLE root, const struct evidence *ev, const struct strbuf *json,
		       char *name, size_t size);

#endif
