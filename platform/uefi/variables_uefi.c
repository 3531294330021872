/* SPDX-License-Identifier: MIT */
/* Boot mode and Secure Boot from the firmware's global variables (UEFI
 * specification 2.10, 3.3 Globally Defined Variables). Read only. */
#include <efi.h>
#include <efilib.h>

#include "collect_uefi.h"

/* A one-byte global variable that is 1 when set. */
static tri_t global_flag(CHAR16 *name)
{
	UINT8 v = 0;
	UINTN size = sizeof(v);
	if (RT->GetVariable(name, &EfiGlobalVariable, NULL, &size, &v) != EFI_SUCCESS || size != 1)
		return TRI_UNKNOWN;
	return v == 1 ? TRI_YES : TRI_NO;
}

void uefi_collect_boot(struct evidence *ev)
{
	ev->boot.probed = true;
	ev->boot.uefi = TRI_YES; /* this program runs only under UEFI */
	ev->boot.secure_boot = global_flag(L"SecureBoot");
}
