/* SPDX-License-Identifier: MIT */
/* The bundle (docs/bundle.md, the format of hvprobe collect) written to the
 * boot volume: host.txt, cpuid.txt, msr.txt, the JSON report and the BCD
 * copy, in a new folder \hvprobe-bundle-NNN, never an existing one. */
#include <efi.h>
#include <efilib.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../formats/bundle_text.h"
#include "../../formats/cpuid_dump.h"
#include "../../formats/msr_text.h"
#include "collect_uefi.h"

#define BUNDLE_MAX_NUMBER 1000

/* The first \hvprobe-bundle-NNN not yet on the volume, created; NULL when
 * there is none left or the firmware refuses. */
static EFI_FILE_HANDLE create_dir(EFI_FILE_HANDLE root, char *name, size_t size)
{
	EFI_FILE_HANDLE dir = NULL;
	for (int i = 1; i < BUNDLE_MAX_NUMBER && !dir; i++) {
		snprintf(name, size, "\\hvprobe-bundle-%03d", i);
		if (uefi_file_exists(root, name))
			continue;
		CHAR16 *w = uefi_wide_path(name);
		if (!w || root->Open(root, &dir, w, EFI_FILE_MODE_CREATE | EFI_FILE_MODE_READ |
						     EFI_FILE_MODE_WRITE, EFI_FILE_DIRECTORY) != EFI_SUCCESS)
			dir = NULL;
		free(w);
		if (!dir)
			return NULL;
	}
	return dir;
}

bool uefi_write_bundle(EFI_FILE_HANDLE root, const struct evidence *ev, const struct strbuf *json,
		       char *name, size_t size)
{
	static void (*const writers[])(const struct evidence *, struct strbuf *) = {
		bundle_host_write, cpuid_dump_write, msr_text_write };
	static const char *const names[] = { "host.txt", "cpuid.txt", "msr.txt" };
	EFI_FILE_HANDLE dir = create_dir(root, name, size);
	if (!dir)
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < sizeof(names) / sizeof(names[0]); i++) {
		struct strbuf sb;
		sb_init(&sb);
		writers[i](ev, &sb);
		ok = !sb.failed && uefi_write_file(dir, names[i], sb_str(&sb), sb.len);
		sb_free(&sb);
	}
	ok = ok && uefi_write_file(dir, "report.json", sb_str(json), json->len);
	if (ok && ev->bcd.raw)
		ok = uefi_write_file(dir, "bcd", ev->bcd.raw, ev->bcd.raw_len);
	dir->Close(dir);
	return ok;
}
