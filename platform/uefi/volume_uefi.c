/* SPDX-License-Identifier: MIT */
/* The volume hvprobe.efi was started from (the loaded image protocol names
 * its device) and its files by ASCII path, through the simple file system
 * protocol. */
#include <efi.h>
#include <efilib.h>
#include <stdlib.h>
#include <string.h>

#include "collect_uefi.h"

EFI_FILE_HANDLE uefi_open_volume(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	if (BS->HandleProtocol(image, &LoadedImageProtocol, (VOID **)&loaded) != EFI_SUCCESS)
		return NULL;
	return LibOpenRoot(loaded->DeviceHandle);
}

/* The firmware's file names are UCS-2; ours are ASCII ('?' otherwise). */
CHAR16 *uefi_wide_path(const char *s)
{
	size_t n = strlen(s);
	CHAR16 *w = malloc((n + 1) * sizeof(*w));
	for (size_t i = 0; w && i <= n; i++)
		w[i] = (unsigned char)s[i] < 0x80 ? (CHAR16)s[i] : L'?';
	return w;
}

bool uefi_write_file(EFI_FILE_HANDLE dir, const char *name, const void *data, size_t len)
{
	EFI_FILE_HANDLE f;
	CHAR16 *w = uefi_wide_path(name);
	bool ok = w && dir->Open(dir, &f, w, EFI_FILE_MODE_CREATE | EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE,
				 0) == EFI_SUCCESS;
	free(w);
	if (!ok)
		return false;
	UINTN size = len;
	ok = f->Write(f, &size, (VOID *)data) == EFI_SUCCESS && size == len;
	ok = f->Flush(f) == EFI_SUCCESS && ok;
	f->Close(f);
	return ok;
}

bool uefi_file_exists(EFI_FILE_HANDLE root, const char *path)
{
	EFI_FILE_HANDLE f;
	CHAR16 *w = uefi_wide_path(path);
	bool found = w && root->Open(root, &f, w, EFI_FILE_MODE_READ, 0) == EFI_SUCCESS;
	free(w);
	if (found)
		f->Close(f);
	return found;
}
