/* SPDX-License-Identifier: MIT */
/* The Windows BCD store on the boot volume, copied whole (it is small):
 * the firmware has no hive reader, so hvprobe --from reads the copy. */
#include <efi.h>
#include <stdio.h>
#include <stdlib.h>

#include "collect_uefi.h"

#define BCD_MAX_BYTES (1u << 20)

void uefi_collect_bcd(EFI_FILE_HANDLE root, struct evidence *ev)
{
	static const char path[] = "\\EFI\\Microsoft\\Boot\\BCD";
	EFI_FILE_HANDLE f;
	CHAR16 *w = uefi_wide_path(path);
	EFI_STATUS st = w ? root->Open(root, &f, w, EFI_FILE_MODE_READ, 0) : EFI_OUT_OF_RESOURCES;
	free(w);
	snprintf(ev->bcd.search, sizeof(ev->bcd.search), "the boot volume: %s", st == EFI_SUCCESS
		 ? "found \\EFI\\Microsoft\\Boot\\BCD, copied into the bundle for hvprobe --from"
		 : "no \\EFI\\Microsoft\\Boot\\BCD");
	if (st != EFI_SUCCESS)
		return;
	size_t cap = BCD_MAX_BYTES;
	unsigned char *buf = malloc(cap);
	UINTN size = cap;
	if (buf && f->Read(f, &size, buf) == EFI_SUCCESS && size < cap) {
		ev->bcd.raw = buf;
		ev->bcd.raw_len = size;
		snprintf(ev->bcd.path, sizeof(ev->bcd.path), "%s", path);
	} else {
		free(buf);
	}
	f->Close(f);
}
