/* SPDX-License-Identifier: MIT */
/*
 * The C library's memory (libc.c) from the UEFI pool: boot services'
 * AllocatePool and FreePool (UEFI specification 2.10, 7.2 Memory
 * Allocation Services), as loader data so it is freed with the image.
 * Kept apart from libc.c so that file runs on Linux in the unit test,
 * which supplies its own uefi_alloc and uefi_free.
 */
#include <efi.h>
#include <efilib.h>

#include "uefi_libc.h"

void *uefi_alloc(size_t n)
{
	void *p = NULL;
	return BS->AllocatePool(EfiLoaderData, n, &p) == EFI_SUCCESS ? p : NULL;
}

void uefi_free(void *p)
{
	BS->FreePool(p);
}
