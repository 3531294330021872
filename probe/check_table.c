/* SPDX-License-Identifier: MIT */
/* The table of checks: one row each, in report order. */
#include "checks.h"

#include <stdlib.h>
#include <string.h>

#define R LEVEL_REQUIRED
#define A LEVEL_ADVISORY
#define O LEVEL_OFF
#define BOTH SCOPE_BOTH
#define THIS SCOPE_THIS_BOOT
#define NEXT SCOPE_NEXT_BOOT
/* Levels in the order hyperv, hyperv-2012r2, kvm, xen, any. The BCD is
 * Hyper-V's boot configuration: other targets only show it. */
#define LEVELS(hyperv, hyperv_2012r2, kvm, xen, any)                                            \
	{ [TARGET_HYPERV] = hyperv, [TARGET_HYPERV_2012R2] = hyperv_2012r2, [TARGET_KVM] = kvm, \
	  [TARGET_XEN] = xen, [TARGET_ANY] = any }

const struct check_def check_table[CHECK_COUNT] = {
	[CHECK_CPU_ARCH] = { "cpu.arch", "64-bit x86 processor", check_cpu_arch,
			     EVIDENCE_CPUID, true, LEVELS(R, R, R, R, A), BOTH },
	[CHECK_CPU_VIRT_EXT] = { "cpu.virt_ext", "VT-x or AMD-V in CPUID", check_cpu_virt_ext,
				 EVIDENCE_CPUID, true, LEVELS(R, R, R, R, R), BOTH },
	[CHECK_CPU_NX] = { "cpu.nx", "NX/XD (hardware DEP)", check_cpu_nx,
			   EVIDENCE_CPUID, true, LEVELS(R, R, A, A, A), BOTH },
	/* Server 2012 R2 runs without SLAT; 2016 and later require it. */
	[CHECK_CPU_SLAT] = { "cpu.slat", "SLAT (EPT or NPT)", check_cpu_slat,
			     EVIDENCE_CPUID, true, LEVELS(R, A, A, A, A), BOTH },
	[CHECK_CPU_CONSISTENCY] = { "cpu.consistency", "all logical CPUs agree", check_cpu_consistency,
				    EVIDENCE_CPUID, true, LEVELS(R, R, R, R, R), BOTH },
	[CHECK_HV_RUNNING] = { "hv.running", "hypervisor below this OS", check_hv_running,
			       EVIDENCE_CPUID, false, LEVELS(A, A, A, A, A), THIS },
	[CHECK_HV_NESTED] = { "hv.nested", "nested virtualization", check_hv_nested,
			      EVIDENCE_CPUID, true, LEVELS(R, R, R, R, R), BOTH },
	[CHECK_FW_VIRT_ENABLED] = { "fw.virt_enabled", "VT-x/AMD-V enabled in firmware",
				    check_fw_virt_enabled, EVIDENCE_CPUID, true, LEVELS(R, R, R, R, R), BOTH },
	[CHECK_FW_NX_ENABLED] = { "fw.nx_enabled", "NX/XD enabled in firmware", check_fw_nx_enabled,
				  EVIDENCE_CPUID, true, LEVELS(R, R, A, A, A), BOTH },
	[CHECK_FW_BOOT] = { "fw.boot", "boot mode and Secure Boot", check_fw_boot,
			    EVIDENCE_BOOT_MODE, false, LEVELS(A, A, A, A, A), BOTH },
	[CHECK_OS_KVM] = { "os.kvm", "/dev/kvm usable", check_os_kvm,
			   EVIDENCE_KVM, false, LEVELS(O, O, R, O, A), THIS },
	/* Boot configuration decides the next boot, not this one: a running
	 * hypervisor proves none of it. */
	[CHECK_BCD_ENTRY] = { "bcd.entry", "Windows boot entry read", check_bcd_entry,
			      EVIDENCE_BCD, false, LEVELS(R, R, A, A, A), NEXT },
	[CHECK_BCD_LAUNCH_TYPE] = { "bcd.hypervisorlaunchtype", "boot entry launches the hypervisor",
				    check_bcd_hypervisorlaunchtype, EVIDENCE_BCD, false,
				    LEVELS(R, R, A, A, A), NEXT },
	[CHECK_BCD_NX] = { "bcd.nx", "boot entry keeps DEP on", check_bcd_nx,
			   EVIDENCE_BCD, false, LEVELS(R, R, A, A, A), NEXT },
	[CHECK_BCD_HV_DEBUG] = { "bcd.hypervisordebug", "hypervisor debugging off",
				 check_bcd_hypervisordebug, EVIDENCE_BCD, false, LEVELS(A, A, A, A, A), NEXT },
	[CHECK_BCD_HV_SETTINGS] = { "bcd.hypervisorsettings", "other hypervisor boot settings",
				    check_bcd_hypervisorsettings, EVIDENCE_BCD, false,
				    LEVELS(A, A, A, A, A), NEXT },
	/* An update that stops the hypervisor fails Hyper-V (docs/known-issues.md). */
	[CHECK_UPDATES_KNOWN_BAD] = { "updates.known_bad", "no update known to break launch",
				      check_updates_known_bad, EVIDENCE_INSTALLED, false,
				      LEVELS(R, R, A, A, A), BOTH },
	/* The outcome, not a prerequisite: a running hypervisor proves it. */
	[CHECK_HV_LAUNCH] = { "hv.launch", "the hypervisor launched at boot", check_hv_launch,
			      EVIDENCE_LAUNCH, false, LEVELS(R, R, O, O, A), THIS },
	/* KVM's outcome at past boots and its prospects at the next one
	 * (docs/linux-history.md); only KVM needs them. */
	[CHECK_KVM_HISTORY] = { "kvm.history", "KVM came up at the last boot", check_kvm_history,
				EVIDENCE_JOURNAL, false, LEVELS(O, O, R, O, A), THIS },
	[CHECK_KVM_NEXT_BOOT] = { "kvm.next_boot", "KVM will come up at the next boot",
				  check_kvm_next_boot, EVIDENCE_NEXT_BOOT, false, LEVELS(O, O, R, O, A), NEXT },
};

#undef LEVELS
#undef BOTH
#undef THIS
#undef NEXT
#undef R
#undef A
#undef O

/* Each kind's test, what it is called when missing, and how to get it. */
static bool have_cpuid(const struct facts *f)
{
	return f->rep != NULL;
}

static bool have_kvm(const struct facts *f)
{
	return f->ev->kvm.probed;
}

/* This system's firmware, or how the Windows given records it booted. */
static bool have_boot_mode(const struct facts *f)
{
	return f->ev->boot.probed || f->ev->winboot.uefi != TRI_UNKNOWN;
}

/* Read, found unreadable, or looked for: bcd.entry says which. */
static bool have_bcd(const struct facts *f)
{
	const struct bcd_store *s = &f->ev->bcd;
	return f->bcd.state != BCD_STATE_NONE || s->unreadable[0] || s->search[0] ||
	       f->ev->source == SOURCE_LIVE;
}

/* SOFTWARE's or dpkg's list, or updates the event logs name (probe/updates.h) */
static bool have_installed(const struct facts *f)
{
	return f->updates.v.read;
}

/* The journal, or this boot's /dev/kvm (the last boot when no journal). */
static bool have_journal(const struct facts *f)
{
	return f->ev->journal.read || f->ev->kvm.probed;
}

static bool have_next_boot(const struct facts *f)
{
	return f->ev->next_boot.probed;
}

/* A log, the live Windows host, a hypervisor seen running, or a boot that
 * does not ask for one: each settles or bounds hv.launch. */
static bool have_launch(const struct facts *f)
{
	const struct launch_view *v = &f->launch;
	return v->events_read || f->ev->windows.live || v->running == TRI_YES || v->asked == TRI_NO;
}

static const struct {
	bool (*have)(const struct facts *f);
	const char *what;
	const char *howto;
	/* when a Windows volume was given (not a live Windows): the volume
	 * lacks this, so "give the volume" would not help; NULL: as above */
	const char *howto_volume_given;
} evidence_kinds[] = {
	[EVIDENCE_CPUID] = { have_cpuid, "CPUID data",
			     "take a complete CPUID dump (cpuid -r) or run hvprobe on the host", NULL },
	[EVIDENCE_KVM] = { have_kvm, "/dev/kvm evidence",
			   "run hvprobe on the Linux host (or a bundle saved there with hvprobe snapshot "
			   "--bundle DIR): only the host can show whether KVM works", NULL },
	[EVIDENCE_BOOT_MODE] = { have_boot_mode, "boot mode evidence",
				 "run hvprobe on the host, save a bundle there (hvprobe snapshot --bundle "
				 "DIR), or give the Windows volume with --windows DIR (its SYSTEM hive "
				 "records the firmware type)",
				 "run hvprobe on the host, or save a bundle there (hvprobe snapshot --bundle "
				 "DIR): no firmware type was read from the volume (its config/SYSTEM, "
				 "Control\\PEFirmwareType)" },
	[EVIDENCE_BCD] = { have_bcd, "BCD store",
			   "Hyper-V launches from the Windows boot entry: mount the EFI system partition "
			   "(or, on BIOS systems, the Windows system partition) and give --esp DIR, or "
			   "give the store file with --bcd FILE", NULL },
	[EVIDENCE_INSTALLED] = { have_installed, "list of installed updates",
				 "give the Windows volume with --windows DIR (its SOFTWARE hive lists the "
				 "updates), or run hvprobe on the host", NULL },
	[EVIDENCE_LAUNCH] = { have_launch, "record of whether the hypervisor launched",
			      "give the Windows volume with --windows DIR (its System event log records "
			      "each launch), exported logs with --evtx FILE (wevtutil epl System "
			      "System.evtx), or run hvprobe on the Windows host",
			      "the Windows volume given holds no System event log "
			      "(Windows/System32/winevt/Logs/System.evtx): give a log exported on the host "
			      "with --evtx FILE (wevtutil epl System System.evtx), or run hvprobe on the "
			      "Windows host" },
	[EVIDENCE_JOURNAL] = { have_journal, "record of past boots",
			       "run hvprobe on the Linux host as root (or in group systemd-journal), "
			       "or give its mounted root with --root DIR (its var/log/journal)", NULL },
	[EVIDENCE_NEXT_BOOT] = { have_next_boot, "boot loader configuration",
				 "run hvprobe on the Linux host, or give its mounted root with --root DIR "
				 "(its boot/grub/grub.cfg and lib/modules)", NULL },
};
_Static_assert(sizeof(evidence_kinds) / sizeof(evidence_kinds[0]) == EVIDENCE_KIND_COUNT,
	       "one row per evidence kind");

bool check_has_evidence(const struct facts *f, enum evidence_kind k, const char **what,
			const char **howto)
{
	*what = evidence_kinds[k].what;
	bool volume = f->ev->windows.read && !f->ev->windows.live;
	*howto = volume && evidence_kinds[k].howto_volume_given ? evidence_kinds[k].howto_volume_given
								 : evidence_kinds[k].howto;
	return evidence_kinds[k].have(f);
}

int check_find(const char *id)
{
	for (int i = 0; i < CHECK_COUNT; i++)
		if (strcmp(check_table[i].id, id) == 0)
			return i;
	return -1;
}

const char *check_source_words(const struct facts *f)
{
	bool volume = f->ev->windows.read && !f->ev->windows.live;
	switch (f->ev->source) {
	case SOURCE_DUMP: return volume ? "this CPUID dump and Windows volume" : "this CPUID dump";
	case SOURCE_BUNDLE: return volume ? "this bundle and Windows volume" : "this bundle";
	default: return volume ? "this system and Windows volume" : "this system";
	}
}

/* Parse the leading "major.minor" of a kernel release. */
bool kernel_at_least(const char *release, unsigned major, unsigned minor)
{
	char *end;
	unsigned long maj = strtoul(release, &end, 10);
	if (end == release || *end != '.')
		return false;
	const char *p = end + 1;
	unsigned long min = strtoul(p, &end, 10);
	if (end == p)
		return false;
	return maj > major || (maj == major && min >= minor);
}
