/* SPDX-License-Identifier: MIT */
/*
 * The event log records that decide the launch timeline, and the status
 * codes they carry: one table each. Every row's source is in
 * docs/launch-events.md; an id is matched with its provider and channel,
 * since the same number means something else in another channel.
 */
#include "launch.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

#define HV "Microsoft-Windows-Hyper-V-Hypervisor"
#define KERNEL_GENERAL "Microsoft-Windows-Kernel-General"
#define WU_CLIENT "Microsoft-Windows-WindowsUpdateClient"
#define WORKER "Microsoft-Windows-Hyper-V-Worker"
#define SERVICING "Microsoft-Windows-Servicing"

#define FIX_HV_REINSTALL \
	"repair the hypervisor's files: run sfc /scannow and DISM /Online /Cleanup-Image " \
	"/RestoreHealth, or remove and add the Hyper-V role again, then restart"
#define FIX_FIRMWARE_UPDATE \
	"update the system firmware (BIOS/UEFI) to the vendor's latest release, then power the " \
	"machine off and on"

#define FAIL_ROW(id, why, fix) { HV, "System", id, EVENT_HV_FAILED, why, fix, false }
/* Failures whose text names a status (docs/launch-events.md section 5). */
#define STATUS_ROW(id, why, fix) { HV, "System", id, EVENT_HV_FAILED, why, fix, true }

static const struct event_kind_def event_table[] = {
	{ KERNEL_GENERAL, "System", 12, EVENT_BOOT, NULL, NULL, false },
	{ HV, "System", 1, EVENT_HV_LAUNCHED, NULL, NULL, false },
	{ HV, "System", 5, EVENT_HV_NOT_ASKED,
	  "launch is disabled by the boot entry's hypervisorlaunchtype setting",
	  "as Administrator run bcdedit /set {current} hypervisorlaunchtype auto, then restart", false },
	STATUS_ROW(20, "sleep and hibernation could not be disabled for the launch", NULL),
	STATUS_ROW(26, "the hypervisor boot loader failed internally", NULL),
	FAIL_ROW(27, "the hypervisor boot loader ran out of resources", NULL),
	FAIL_ROW(28, "the processor's vendor is not supported", NULL),
	FAIL_ROW(29, "the processor lacks features the hypervisor needs", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(31, "the firmware's ACPI support is insufficient", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(32, "no supported virtualization platform was found", FIX_FIRMWARE_UPDATE),
	STATUS_ROW(33, "the hypervisor image could not be accessed", FIX_HV_REINSTALL),
	STATUS_ROW(34, "the hypervisor image could not be loaded", FIX_HV_REINSTALL),
	STATUS_ROW(35, "the hypervisor image could not be read", FIX_HV_REINSTALL),
	FAIL_ROW(36, "the hypervisor image failed code integrity", FIX_HV_REINSTALL),
	FAIL_ROW(37, "the hypervisor image lacks image descriptors", FIX_HV_REINSTALL),
	STATUS_ROW(38, "a processor could not launch the hypervisor", NULL),
	FAIL_ROW(40, "the hypervisor image's revision does not match", FIX_HV_REINSTALL),
	FAIL_ROW(41, "VT-x (VMX) is not present or not enabled in the firmware", FIX_VTX_FIRMWARE),
	FAIL_ROW(42, "AMD-V (SVM) is not present or not enabled in the firmware", FIX_AMDV_FIRMWARE),
	FAIL_ROW(43, "the processor has no EL2 (virtualization) support", NULL),
	FAIL_ROW(44, "NX (Execute Disable) is not present or not enabled in the firmware",
		 FIX_NX_FIRMWARE),
	FAIL_ROW(45, "the processors are not compatible with each other", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(46, "the processor lacks features the hypervisor needs", FIX_FIRMWARE_UPDATE),
	STATUS_ROW(47, "the processor lacks features the hypervisor needs", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(48, "the processor lacks features the hypervisor needs", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(54, "the hypervisor image does not match this platform", FIX_HV_REINSTALL),
	FAIL_ROW(55, "a firmware table the hypervisor needs is missing", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(56, "a firmware table the hypervisor needs is invalid", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(57, "the processor's SVM features are not compatible", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(58, "the processor's VMX features are not compatible", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(59, "the processor lacks SLAT (EPT or NPT), which this Windows requires",
		 "run this Windows on a processor with SLAT (Intel EPT, AMD NPT), or use Windows "
		 "Server 2012 R2, whose Hyper-V does not require it"),
	FAIL_ROW(60, "Intel TXT (SMX) is enabled in the firmware",
		 "disable Intel TXT (Trusted Execution Technology) in the firmware setup, then power "
		 "the machine off and on"),
	FAIL_ROW(61, "CPUID leaves the hypervisor needs are missing", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(62, "the processor's physical address width is too small", NULL),
	FAIL_ROW(63, "the hypervisor failed to initialize", NULL),
	FAIL_ROW(64, "the firmware reports too many runtime memory ranges", FIX_FIRMWARE_UPDATE),
	STATUS_ROW(80, "the operating system's boot loader failed", NULL),
	FAIL_ROW(81, "the boot loader is missing a resource", FIX_HV_REINSTALL),
	FAIL_ROW(82, "the boot loader failed on persistent memory", NULL),
	FAIL_ROW(83, "the boot loader ran out of memory", NULL),
	FAIL_ROW(84, "the boot loader ran out of resources", NULL),
	FAIL_ROW(85, "the boot loader found conflicting memory maps", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(86, "the microcode update library does not match", FIX_HV_REINSTALL),
	STATUS_ROW(96, "a processor failed to start under the hypervisor", FIX_FIRMWARE_UPDATE),
	FAIL_ROW(97, "the processors report different CPUID features", FIX_FIRMWARE_UPDATE),
	/* VMMS writes the same refusal, but no source gives its id: not read. */
	{ WORKER, "Microsoft-Windows-Hyper-V-Worker-Admin", 3112, EVENT_VM_REFUSED, NULL, NULL, false },
	{ WU_CLIENT, "System", 19, EVENT_UPDATE_INSTALLED, NULL, NULL, false },
	{ WU_CLIENT, "System", 20, EVENT_UPDATE_FAILED, NULL, NULL, false },
	/* A package's state changed: installed or failed by its data. */
	{ SERVICING, "Setup", 2, EVENT_PACKAGE_CHANGED, NULL, NULL, false },
	/* Begun, or waiting for the restart: an update that completes at the
	 * next boot logs its 19 or 2 after that boot (section 4). */
	{ WU_CLIENT, "System", 43, EVENT_UPDATE_STARTED, NULL, NULL, false },
	{ SERVICING, "Setup", 1, EVENT_UPDATE_STARTED, NULL, NULL, false },
	{ SERVICING, "Setup", 4, EVENT_UPDATE_STARTED, NULL, NULL, false },
};

const char *const launch_providers[] = { HV, KERNEL_GENERAL, WU_CLIENT, WORKER, SERVICING, NULL };

bool launch_event_kept(const struct event_record *head)
{
	return event_classify(head) != NULL;
}

/* Antivirus definitions arrive as updates several times a day: they cannot
 * stop a hypervisor, and wusa cannot remove them. */
static const char *const not_suspects[] = {
	"Security Intelligence Update", "Definition Update",
};

bool launch_not_a_suspect(const char *title)
{
	for (size_t i = 0; i < sizeof(not_suspects) / sizeof(not_suspects[0]); i++)
		if (strstr(title, not_suspects[i]))
			return true;
	return false;
}

const struct event_kind_def *event_classify(const struct event_record *e)
{
	for (size_t i = 0; i < sizeof(event_table) / sizeof(event_table[0]); i++) {
		const struct event_kind_def *d = &event_table[i];
		if (d->id == e->event_id && strcmp(d->provider, e->provider) == 0 &&
		    (!d->channel || strcmp(d->channel, e->channel) == 0))
			return d;
	}
	return NULL;
}

static const struct ntstatus_def ntstatus_table[] = {
	{ 0xC00000BBu, "STATUS_NOT_SUPPORTED",
	  "a boot component refused the launch as not supported: after a change to the boot "
	  "files (an update) or to the firmware",
	  "remove the updates installed since the last boot where the hypervisor launched "
	  "(the suspects), or install their fix, then restart; check the firmware settings too" },
	{ 0xC0000001u, "STATUS_UNSUCCESSFUL", "an unspecified failure",
	  "restart once; if it repeats, compare with the last boot that launched (the suspects)" },
	{ 0xC000000Du, "STATUS_INVALID_PARAMETER",
	  "the loader was given a setting it cannot use, often a boot entry setting",
	  "check the hypervisor settings of the boot entry (bcdedit /enum {current})" },
	{ 0xC0000017u, "STATUS_NO_MEMORY", "not enough memory for the launch",
	  "remove memory limits from the boot entry (bcdedit /deletevalue {current} truncatememory) "
	  "and check the firmware's memory map" },
	{ 0xC0000022u, "STATUS_ACCESS_DENIED", "the loader was denied access to a file it needs",
	  "check the Windows system files (sfc /scannow) and the boot volume's permissions" },
	{ 0xC0000034u, "STATUS_OBJECT_NAME_NOT_FOUND", "a file the launch needs was not found",
	  FIX_HV_REINSTALL },
	{ 0xC000009Au, "STATUS_INSUFFICIENT_RESOURCES", "the loader ran out of resources",
	  "restart; if it repeats, update the firmware and remove the suspects" },
	{ 0xC0000225u, "STATUS_NOT_FOUND", "an object the loader looked for was not found",
	  "check the boot entry and the hypervisor's files (bcdedit /enum {current}; sfc /scannow)" },
	{ 0xC0000354u, "STATUS_DEBUGGER_INACTIVE", "the debug port is being removed",
	  "check the hypervisor debugging settings (bcdedit /hypervisorsettings, "
	  "bcdedit /set {current} hypervisordebug off)" },
	{ 0xC00002B6u, "STATUS_DEVICE_REMOVED", "a device the loader used was removed",
	  "check the hardware and the firmware's device settings" },
	{ 0xC0000428u, "STATUS_INVALID_IMAGE_HASH", "a boot file failed its signature check",
	  FIX_HV_REINSTALL },
};

const struct ntstatus_def *ntstatus_find(uint32_t code)
{
	for (size_t i = 0; i < sizeof(ntstatus_table) / sizeof(ntstatus_table[0]); i++)
		if (ntstatus_table[i].code == code)
			return &ntstatus_table[i];
	return NULL;
}

static bool is_alnum(char c)
{
	return isdigit((unsigned char)c) || (toupper((unsigned char)c) >= 'A' && toupper((unsigned char)c) <= 'Z');
}

bool kb_in_text(const char *s, char *out, size_t size)
{
	for (const char *p = s; *p; p++) {
		if (toupper((unsigned char)p[0]) != 'K' || toupper((unsigned char)p[1]) != 'B')
			continue;
		if (p > s && is_alnum(p[-1]))
			continue;
		size_t n = 0;
		while (isdigit((unsigned char)p[2 + n]))
			n++;
		if (n >= 6 && n < 12) {
			snprintf(out, size, "KB%.*s", (int)n, p + 2);
			return true;
		}
	}
	return false;
}

/* NTSTATUS severity is bits 30-31: 3 error, 2 warning. Informational and
 * success values are not failure codes. */
static bool severe(uint32_t v)
{
	return (v >> 30) >= 2;
}

/* Digits of base 10 or 16, at least one, into *v; false past 2^32. Written
 * here rather than with strtoull: the core also builds for UEFI, whose
 * small C library has no 64-bit conversions. */
static bool digits(const char *s, unsigned base, uint64_t *v, const char **end)
{
	uint64_t n = 0;
	const char *p = s;
	for (;; p++) {
		int c = toupper((unsigned char)*p);
		unsigned d = isdigit(c) ? (unsigned)(c - '0')
			   : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10) : 99;
		if (d >= base)
			break;
		n = n * base + d;
		if (n > (uint64_t)UINT32_MAX + 1)
			return false;
	}
	*v = n;
	*end = p;
	return p != s;
}

bool ntstatus_in_text(const char *s, uint32_t *code)
{
	while (*s == ' ' || *s == '\t')
		s++;
	bool negative = *s == '-';
	s += negative;
	bool hex = !negative && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	uint64_t n;
	const char *end;
	if (!digits(s + (hex ? 2 : 0), hex ? 16 : 10, &n, &end))
		return false;
	while (*end == ' ' || *end == '\t')
		end++;
	/* a signed 32-bit rendering: -1073741637 is 0xC00000BB */
	if (*end || n > (negative ? (uint64_t)INT32_MAX + 1 : (uint64_t)UINT32_MAX))
		return false;
	uint32_t v = negative ? (uint32_t)(0u - (uint32_t)n) : (uint32_t)n;
	if (!severe(v))
		return false;
	*code = v;
	return true;
}
