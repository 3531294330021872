/* SPDX-License-Identifier: MIT */
/*
 * hvprobe.efi: the verdict from the firmware environment, before any OS.
 * CPUID on every processor (the MP Services protocol runs the reader on
 * each application processor), the launch MSRs read directly (this runs in
 * ring 0; only MSRs the CPU announces are read, so none can fault), boot
 * mode and Secure Boot from the firmware's variables. The text report goes
 * to the console; a bundle (the format of hvprobe collect, docs/bundle.md)
 * with the JSON report and a copy of the Windows BCD store, when the volume
 * holds one, goes to \hvprobe-bundle-NNN on the volume it was started from.
 * It writes nothing else and changes no variable and no MSR.
 */
#include <efi.h>
#include <efilib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../formats/bundle_text.h"
#include "../formats/cpuid_dump.h"
#include "../formats/msr_text.h"
#include "../platform/cpuid_read.h"
#include "../probe/cpuid_decode.h"
#include "../probe/verdict.h"
#include "../report/report.h"

/* ---- MP Services (PI specification, volume 2) ---- */

static EFI_GUID mp_services_guid = { 0x3fdda605, 0xa76e, 0x4f46,
				     { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } };

typedef VOID(EFIAPI *ap_procedure)(VOID *arg);
struct mp_services {
	EFI_STATUS(EFIAPI *get_number_of_processors)(struct mp_services *, UINTN *, UINTN *);
	EFI_STATUS(EFIAPI *get_processor_info)(struct mp_services *, UINTN, VOID *);
	EFI_STATUS(EFIAPI *startup_all_aps)(struct mp_services *, ap_procedure, BOOLEAN, EFI_EVENT, UINTN,
					    VOID *, UINTN **);
	EFI_STATUS(EFIAPI *startup_this_ap)(struct mp_services *, ap_procedure, UINTN, EFI_EVENT, UINTN,
					    VOID *, BOOLEAN *);
	EFI_STATUS(EFIAPI *switch_bsp)(struct mp_services *, UINTN, BOOLEAN);
	EFI_STATUS(EFIAPI *enable_disable_ap)(struct mp_services *, UINTN, BOOLEAN, UINT32 *);
	EFI_STATUS(EFIAPI *who_am_i)(struct mp_services *, UINTN *);
};

/* ---- one processor's CPUID and MSRs, read where it runs ---- */

#define MAX_CPUS 256
#define MSR_COUNT 5

struct cpu_read {
	struct cpuid_leaf leaves[CPUID_READ_MAX];
	size_t nleaves;
	bool ok;
	uint32_t msr_index[MSR_COUNT];
	uint64_t msr_value[MSR_COUNT];
	size_t nmsrs;
};

static void exec_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(subleaf));
}

static uint64_t rdmsr(uint32_t index)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(index));
	return (uint64_t)hi << 32 | lo;
}

static void read_msr(struct cpu_read *c, uint32_t index)
{
	c->msr_index[c->nmsrs] = index;
	c->msr_value[c->nmsrs++] = rdmsr(index);
}

/* Only MSRs the processor announces in CPUID: an absent one would fault.
 * IA32_FEATURE_CONTROL and the VMX capability MSRs exist with VMX,
 * IA32_MISC_ENABLE on Intel family 6 and later, VM_CR with SVM. */
static void read_msrs(struct cpu_read *c)
{
	struct cpu_record rec = { .nleaves = c->nleaves, .cap = c->nleaves, .leaves = c->leaves };
	struct cpu_decoded d;
	cpu_decode(&rec, &d);
	if (d.family == VIRT_FAMILY_VMX && d.vmx == TRI_YES) {
		read_msr(c, MSR_IA32_FEATURE_CONTROL);
		read_msr(c, MSR_IA32_VMX_PROCBASED_CTLS);
		if (c->msr_value[c->nmsrs - 1] >> 63) /* secondary controls exist */
			read_msr(c, MSR_IA32_VMX_PROCBASED_CTLS2);
	}
	if (cpu_has_xd_disable_msr(&d))
		read_msr(c, MSR_IA32_MISC_ENABLE);
	if (d.family == VIRT_FAMILY_SVM && d.svm == TRI_YES)
		read_msr(c, MSR_VM_CR);
}

/* Runs on each processor: no boot services, only the caller's buffer. */
static VOID EFIAPI read_this_cpu(VOID *arg)
{
	struct cpu_read *c = arg;
	c->ok = cpuid_read_all(exec_cpuid, c->leaves, &c->nleaves);
	if (c->ok)
		read_msrs(c);
}

static bool record(struct evidence *ev, unsigned id, const struct cpu_read *c)
{
	struct cpu_record *cpu = evidence_add_cpu(ev, id);
	bool ok = cpu != NULL;
	for (size_t i = 0; ok && c->ok && i < c->nleaves; i++)
		ok = cpu_record_put(cpu, &c->leaves[i]);
	for (size_t i = 0; ok && c->ok && i < c->nmsrs; i++) {
		struct msr_reading r = { (int)id, c->msr_index[i], MSR_OK, c->msr_value[i] };
		ok = evidence_add_msr(ev, &r);
	}
	return ok;
}

static bool collect_cpus(struct evidence *ev)
{
	struct mp_services *mp = NULL;
	UINTN total = 1, enabled = 1, self = 0;
	if (BS->LocateProtocol(&mp_services_guid, NULL, (VOID **)&mp) != EFI_SUCCESS ||
	    mp->get_number_of_processors(mp, &total, &enabled) != EFI_SUCCESS ||
	    mp->who_am_i(mp, &self) != EFI_SUCCESS)
		mp = NULL, total = 1, self = 0;
	struct cpu_read *c = malloc(sizeof(*c));
	bool ok = c != NULL;
	ev->msr_origin = MSR_ORIGIN_LIVE;
	for (UINTN i = 0; ok && i < total && i < MAX_CPUS; i++) {
		memset(c, 0, sizeof(*c));
		if (i == self)
			read_this_cpu(c);
		else if (mp->startup_this_ap(mp, read_this_cpu, i, NULL, 1000000, c, NULL) != EFI_SUCCESS)
			c->ok = false; /* a disabled processor: recorded without data */
		ok = record(ev, (unsigned)i, c);
	}
	free(c);
	return ok;
}

/* ---- firmware variables ---- */

static tri_t global_flag(CHAR16 *name)
{
	UINT8 v = 0;
	UINTN size = sizeof(v);
	if (RT->GetVariable(name, &EfiGlobalVariable, NULL, &size, &v) != EFI_SUCCESS || size != 1)
		return TRI_UNKNOWN;
	return v == 1 ? TRI_YES : TRI_NO;
}

/* ---- the volume we were started from ---- */

static EFI_FILE_HANDLE open_volume(EFI_HANDLE image)
{
	EFI_LOADED_IMAGE *loaded = NULL;
	if (BS->HandleProtocol(image, &LoadedImageProtocol, (VOID **)&loaded) != EFI_SUCCESS)
		return NULL;
	return LibOpenRoot(loaded->DeviceHandle);
}

static CHAR16 *wide(const char *s)
{
	size_t n = strlen(s);
	CHAR16 *w = malloc((n + 1) * sizeof(*w));
	for (size_t i = 0; w && i <= n; i++)
		w[i] = (unsigned char)s[i] < 0x80 ? (CHAR16)s[i] : L'?';
	return w;
}

static bool write_file(EFI_FILE_HANDLE dir, const char *name, const void *data, size_t len)
{
	EFI_FILE_HANDLE f;
	CHAR16 *w = wide(name);
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

static bool exists(EFI_FILE_HANDLE root, const char *path)
{
	EFI_FILE_HANDLE f;
	CHAR16 *w = wide(path);
	bool found = w && root->Open(root, &f, w, EFI_FILE_MODE_READ, 0) == EFI_SUCCESS;
	free(w);
	if (found)
		f->Close(f);
	return found;
}

/* The Windows store on this volume, if any, whole (it is small). */
static void read_bcd(EFI_FILE_HANDLE root, struct evidence *ev)
{
	static const char path[] = "\\EFI\\Microsoft\\Boot\\BCD";
	EFI_FILE_HANDLE f;
	CHAR16 *w = wide(path);
	EFI_STATUS st = w ? root->Open(root, &f, w, EFI_FILE_MODE_READ, 0) : EFI_OUT_OF_RESOURCES;
	free(w);
	snprintf(ev->bcd.search, sizeof(ev->bcd.search), "the boot volume: %s", st == EFI_SUCCESS
		 ? "found \\EFI\\Microsoft\\Boot\\BCD, copied into the bundle for hvprobe --from"
		 : "no \\EFI\\Microsoft\\Boot\\BCD");
	if (st != EFI_SUCCESS)
		return;
	size_t cap = 1u << 20;
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

/* A new folder \hvprobe-bundle-NNN: never an existing one. */
static bool write_bundle(EFI_FILE_HANDLE root, const struct evidence *ev, const struct strbuf *json,
			 char *name, size_t size)
{
	EFI_FILE_HANDLE dir = NULL;
	for (int i = 1; i < 1000 && !dir; i++) {
		snprintf(name, size, "\\hvprobe-bundle-%03d", i);
		if (exists(root, name))
			continue;
		CHAR16 *w = wide(name);
		if (!w || root->Open(root, &dir, w, EFI_FILE_MODE_CREATE | EFI_FILE_MODE_READ |
						     EFI_FILE_MODE_WRITE, EFI_FILE_DIRECTORY) != EFI_SUCCESS)
			dir = NULL;
		free(w);
		if (!dir)
			return false;
	}
	if (!dir)
		return false;
	static void (*const writers[])(const struct evidence *, struct strbuf *) = {
		bundle_host_write, cpuid_dump_write, msr_text_write };
	static const char *const names[] = { "host.txt", "cpuid.txt", "msr.txt" };
	bool ok = true;
	for (size_t i = 0; ok && i < 3; i++) {
		struct strbuf sb;
		sb_init(&sb);
		writers[i](ev, &sb);
		ok = !sb.failed && write_file(dir, names[i], sb_str(&sb), sb.len);
		sb_free(&sb);
	}
	ok = ok && write_file(dir, "report.json", sb_str(json), json->len);
	if (ok && ev->bcd.raw)
		ok = write_file(dir, "bcd", ev->bcd.raw, ev->bcd.raw_len);
	dir->Close(dir);
	return ok;
}

/* ---- the console ---- */

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

/* crt0 calls this with the System V convention, after relocating. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *system)
{
	InitializeLib(image, system);
	BS->SetWatchdogTimer(0, 0, 0, NULL);
	struct evidence ev;
	evidence_init(&ev);
	ev.source = SOURCE_LIVE;
	snprintf(ev.os, sizeof(ev.os), "UEFI firmware (hvprobe.efi)");
	ev.boot.probed = true;
	ev.boot.uefi = TRI_YES;
	ev.boot.secure_boot = global_flag(L"SecureBoot");
	EFI_FILE_HANDLE root = open_volume(image);
	if (root)
		read_bcd(root, &ev);
	struct strbuf text, json;
	sb_init(&text);
	sb_init(&json);
	struct facts f;
	struct probe_run *run = malloc(sizeof(*run));
	bool ok = collect_cpus(&ev) && run && facts_init(&f, &ev, NULL);
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
	char name[64] = "";
	if (ok && root) {
		if (write_bundle(root, &ev, &json, name, sizeof(name))) {
			print("bundle:  ");
			print(name);
			print(" (read it anywhere with hvprobe --from)\n");
		} else {
			print("hvprobe: could not write the bundle to the boot volume\n");
		}
	}
	print(ok ? (run->verdict == VERDICT_PASS ? "@@HVPROBE-EFI-DONE pass\n"
		    : run->verdict == VERDICT_FAIL ? "@@HVPROBE-EFI-DONE fail\n" : "@@HVPROBE-EFI-DONE unknown\n")
		 : "@@HVPROBE-EFI-DONE error\n");
	/* \hvprobe-poweroff on the volume (the tests put it there): power off. */
	bool poweroff = root && exists(root, "\\hvprobe-poweroff");
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
