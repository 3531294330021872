/* SPDX-License-Identifier: MIT */
/*
 * A live Windows host (docs/windows.md): CPUID on every processor, what
 * Windows reports of the firmware (IsProcessorFeaturePresent), the boot
 * mode, the Hyper-V services, the installation and its updates from the
 * registry (HKLM\SOFTWARE, through the same walk as an offline hive), and
 * the system BCD store (HKLM\BCD00000000, through the same walk as a file).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../probe/evidence.h"
#include "../../formats/bcd_walk.h"
#include "../live.h"
#include "../../formats/software_walk.h"
#include "../../formats/system_walk.h"
#include "windows_live.h"

/* winnt.h names, spelled out for older headers. */
#define PF_NX_ENABLED_ 12
#define PF_SECOND_LEVEL_ADDRESS_TRANSLATION_ 20
#define PF_VIRT_FIRMWARE_ENABLED_ 21

#define BCD_KEY "BCD00000000"
#define SECURE_BOOT_KEY "SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State"

static tri_t feature(DWORD pf)
{
	return IsProcessorFeaturePresent(pf) ? TRI_YES : TRI_NO;
}

static void read_service(SC_HANDLE scm, const char *name, char *out, size_t size)
{
	SC_HANDLE s = scm ? OpenServiceA(scm, name, SERVICE_QUERY_STATUS) : NULL;
	SERVICE_STATUS st;
	if (!scm)
		snprintf(out, size, "%s", "");
	else if (!s)
		snprintf(out, size, "%s", GetLastError() == ERROR_SERVICE_DOES_NOT_EXIST ? "absent" : "");
	else if (QueryServiceStatus(s, &st))
		snprintf(out, size, "%s", st.dwCurrentState == SERVICE_RUNNING ? "running" : "stopped");
	if (s)
		CloseServiceHandle(s);
}

/* GetFirmwareType (Windows 8) looked up at run time: without it (older
 * Windows, wine) the boot mode stays unknown rather than failing to load. */
static void read_boot(struct boot_view *b)
{
	typedef BOOL(WINAPI * get_firmware_type_fn)(FIRMWARE_TYPE *);
	HMODULE kernel32 = GetModuleHandleA("kernel32.dll");
	FARPROC proc = kernel32 ? GetProcAddress(kernel32, "GetFirmwareType") : NULL;
	get_firmware_type_fn get_firmware_type;
	FIRMWARE_TYPE type;
	b->probed = true;
	memcpy(&get_firmware_type, &proc, sizeof(proc));
	if (get_firmware_type && get_firmware_type(&type))
		b->uefi = type == FirmwareTypeUefi ? TRI_YES : TRI_NO;
	if (b->uefi == TRI_NO) {
		b->secure_boot = TRI_NO;
		return;
	}
	DWORD on = 0, size = sizeof(on);
	if (RegGetValueA(HKEY_LOCAL_MACHINE, SECURE_BOOT_KEY, "UEFISecureBootEnabled", RRF_RT_REG_DWORD,
			 NULL, &on, &size) == ERROR_SUCCESS)
		b->secure_boot = on ? TRI_YES : TRI_NO;
}

static void read_installation(struct evidence *ev)
{
	struct regtree t;
	struct hv_error err = { 0 };
	if (!regtree_win_open(&t, HKEY_LOCAL_MACHINE, false, "HKLM", &err))
		return;
	regnode software;
	if (t.ops->child(&t, t.ops->root(&t), "SOFTWARE", &software) && software) {
		if (software_walk(&t, software, false, ev) && ev->installed.read)
			snprintf(ev->installed.source, sizeof(ev->installed.source), "registry HKLM\\SOFTWARE");
		if (ev->restart.software_source[0])
			snprintf(ev->restart.software_source, sizeof(ev->restart.software_source),
				 "registry HKLM\\SOFTWARE");
		t.ops->release(&t, software);
	}
	regtree_win_close(&t);
	if (ev->windows.read)
		snprintf(ev->os, sizeof(ev->os), "Windows %s", ev->windows.build);
}

/* HKLM\SYSTEM through the same walk as an offline SYSTEM hive. */
static void read_system(struct evidence *ev)
{
	struct regtree t;
	struct hv_error err = { 0 };
	if (!regtree_win_open(&t, HKEY_LOCAL_MACHINE, false, "HKLM", &err))
		return;
	regnode system;
	if (t.ops->child(&t, t.ops->root(&t), "SYSTEM", &system) && system) {
		if (system_walk(&t, system, &ev->winboot, &ev->restart))
			snprintf(ev->winboot.system_source, sizeof(ev->winboot.system_source),
				 "registry HKLM\\SYSTEM");
		if (ev->restart.system_source[0])
			snprintf(ev->restart.system_source, sizeof(ev->restart.system_source),
				 "registry HKLM\\SYSTEM");
		t.ops->release(&t, system);
	}
	regtree_win_close(&t);
}

/* The boot entry this OS started from, as bcdedit resolves {current}:
 * NtQuerySystemInformation(SystemBootEnvironmentInformation), whose
 * result begins with the entry's GUID and the firmware type
 * (docs/launch-events.md). Looked up at run time: wine lacks it. */
#define SYSTEM_BOOT_ENVIRONMENT_INFORMATION 90
struct boot_environment {
	GUID boot_identifier;
	ULONG firmware_type; /* 1 BIOS, 2 UEFI */
	ULONG pad;
	ULONGLONG boot_flags;
};

static void read_booted_entry(struct windows_boot *wb)
{
	typedef LONG(WINAPI * query_fn)(ULONG, PVOID, ULONG, PULONG);
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");
	FARPROC proc = ntdll ? GetProcAddress(ntdll, "NtQuerySystemInformation") : NULL;
	query_fn query;
	struct boot_environment be;
	ULONG len = 0;
	memcpy(&query, &proc, sizeof(proc));
	memset(&be, 0, sizeof(be));
	if (!query || query(SYSTEM_BOOT_ENVIRONMENT_INFORMATION, &be, sizeof(be), &len) != 0)
		return;
	const GUID *g = &be.boot_identifier;
	snprintf(wb->booted_entry, sizeof(wb->booted_entry),
		 "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", (unsigned long)g->Data1,
		 g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4],
		 g->Data4[5], g->Data4[6], g->Data4[7]);
	if (be.firmware_type == 1 || be.firmware_type == 2) {
		wb->uefi = be.firmware_type == 2 ? TRI_YES : TRI_NO;
		snprintf(wb->uefi_source, sizeof(wb->uefi_source), "SystemBootEnvironmentInformation");
	}
}

/* The system store is a loaded hive under HKLM; only administrators read it. */
static void read_bcd(struct evidence *ev)
{
	struct bcd_store *s = &ev->bcd;
	HKEY key;
	LONG rc = RegOpenKeyExA(HKEY_LOCAL_MACHINE, BCD_KEY, 0, KEY_READ, &key);
	if (rc == ERROR_FILE_NOT_FOUND) {
		snprintf(s->search, sizeof(s->search), "HKLM\\" BCD_KEY " does not exist (the system "
			 "store is not loaded)");
		return;
	}
	s->origin = BCD_ORIGIN_FOUND;
	snprintf(s->path, sizeof(s->path), "HKLM\\" BCD_KEY);
	snprintf(s->search, sizeof(s->search), "the system store HKLM\\" BCD_KEY);
	if (rc != ERROR_SUCCESS) {
		snprintf(s->unreadable, sizeof(s->unreadable), "HKLM\\" BCD_KEY ": %s",
			 rc == ERROR_ACCESS_DENIED ? "access denied (run as administrator)"
						  : "cannot be opened");
		return;
	}
	struct regtree t;
	struct hv_error err = { 0 };
	if (!regtree_win_open(&t, key, true, "HKLM\\" BCD_KEY, &err)) {
		snprintf(s->unreadable, sizeof(s->unreadable), "%s", err.msg);
		return;
	}
	if (bcd_walk(&t, s))
		s->read = true;
	else
		snprintf(s->unreadable, sizeof(s->unreadable), "%s", err.msg);
	regtree_win_close(&t);
}

bool live_collect(struct evidence *ev, bool read_msrs, bool search_bcd, struct hv_error *err)
{
	(void)read_msrs; /* user mode on Windows reads no MSR: the PF flags stand in */
	if (!windows_cpuid_collect(ev, err))
		return false;
	ev->msr_access = MSR_DENIED;
	DWORD size = sizeof(ev->hostname);
	if (!GetComputerNameExA(ComputerNameDnsHostname, ev->hostname, &size))
		ev->hostname[0] = '\0';
	struct windows_view *w = &ev->windows;
	w->live = true;
	w->pf_virt_firmware_enabled = feature(PF_VIRT_FIRMWARE_ENABLED_);
	w->pf_nx_enabled = feature(PF_NX_ENABLED_);
	w->pf_slat = feature(PF_SECOND_LEVEL_ADDRESS_TRANSLATION_);
	/* When this boot began: whether an update came before it or waits
	 * for the next restart (updates.known_bad). */
	w->boot_time = (int64_t)time(NULL) - (int64_t)(GetTickCount64() / 1000);
	SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
	read_service(scm, "vmms", w->vmms, sizeof(w->vmms));
	read_service(scm, "hvhost", w->hvhost, sizeof(w->hvhost));
	if (scm)
		CloseServiceHandle(scm);
	read_boot(&ev->boot);
	read_installation(ev);
	read_system(ev);
	read_booted_entry(&ev->winboot);
	windows_events_live(ev);
	if (search_bcd)
		read_bcd(ev);
	return true;
}
