/* SPDX-License-Identifier: MIT */
/*
 * hvprobe.efi: the verdict from the firmware environment, before any OS.
 * The program only: the collectors of platform/uefi/ fill the evidence
 * (CPUID and the launch MSRs on every processor, boot mode and Secure Boot
 * from the firmware's variables, the Windows BCD store of the boot volume),
 * the checks judge it for the target "any", the text report goes to the
 * console and a bundle (the format of hvprobe collect, docs/bundle.md) with
 * the JSON report to \hvprobe-bundle-NNN on the volume it was started from.
 * It writes nothing else and changes no variable and no MSR.
 */
#include <efi.h>
#include <efilib.h>
#include <stdio.h>
#include <stdlib.h>

#include "../platform/uefi/collect_uefi.h"
#include "../probe/verdict.h"
#include "../report/report.h"

/* The console takes UCS-2 and wants CR LF. */
static void print(const char *s)
{
	CHAR16 buf[256];
	size_t n = 0;
	for (; *s; s++) {
		if (*s == '\n')
			buf[n++] = L'\r';
		buf[n++] = (unsigned char)*s < 0x80 ? (CHAR16)*s : L'?';
		if (n >= 250 || !s[1]) {
			buf[n] = 0;
			ST->ConOut->OutputString(ST->ConOut, buf);
			n = 0;
		}
	}
}

/* The last line, which tests/vm/run_vms.py reads from the serial console. */
static const char *done_line(bool ok, const struct probe_run *run)
{
	if (!ok)
		return "@@HVPROBE-EFI-DONE error\n";
	return run->verdict == VERDICT_PASS ? "@@HVPROBE-EFI-DONE pass\n"
	       : run->verdict == VERDICT_FAIL ? "@@HVPROBE-EFI-DONE fail\n" : "@@HVPROBE-EFI-DONE unknown\n";
}

static void report_bundle(EFI_FILE_HANDLE root, const struct evidence *ev, const struct strbuf *json)
{
	char name[64] = "";
	if (uefi_write_bundle(root, ev, json, name, sizeof(name))) {
		print("bundle:  ");
		print(name);
		print(" (read it anywhere with hvprobe --from)\n");
	} else {
		print("hvprobe: could not write the bundle to the boot volume\n");
	}
}

/* crt0 calls this with the System V convention, after relocating. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system)
{
	InitializeLib(image, system);
	BS->SetWatchdogTimer(0, 0, 0, NULL);
	struct evidence ev;
	evidence_init(&ev);
	ev.source = SOURCE_LIVE;
	snprintf(ev.os, sizeof(ev.os), "UEFI firmware (hvprobe.efi)");
	uefi_collect_boot(&ev);
	EFI_FILE_HANDLE root = uefi_open_volume(image);
	if (root)
		uefi_collect_bcd(root, &ev);
	struct strbuf text, json;
	sb_init(&text);
	sb_init(&json);
	struct facts f;
	struct probe_run *run = malloc(sizeof(*run));
	bool ok = uefi_collect_cpus(&ev) && run && facts_init(&f, &ev, NULL);
	if (ok) {
		struct report_options opt = { false, false, 0, 0 };
		probe_run(&f, target_find("any"), NULL, run);
		report_text(run, &f, &opt, &text);
		report_json(run, &f, &opt, &json);
		facts_free(&f);
		print(sb_str(&text));
	} else {
		print("hvprobe: out of memory while reading the processors\n");
	}
	if (ok && root)
		report_bundle(root, &ev, &json);
	print(done_line(ok, run));
	/* \hvprobe-poweroff on the volume (the tests put it there): power off. */
	bool poweroff = root && uefi_file_exists(root, "\\hvprobe-poweroff");
	if (root)
		root->Close(root);
	free(run);
	sb_free(&text);
	sb_free(&json);
	evidence_free(&ev);
	if (poweroff)
		RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	print("Press any key to return to the firmware.\n");
	UINTN index;
	BS->WaitForEvent(1, &ST->ConIn->WaitForKey, &index);
	return EFI_SUCCESS;
}
