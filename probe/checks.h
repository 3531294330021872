/* SPDX-License-Identifier: MIT */
/* The checks, in the order they run and are reported. */
#ifndef HVPROBE_CHECKS_H
#define HVPROBE_CHECKS_H

#include "check.h"

enum check_index {
	CHECK_CPU_ARCH,
	CHECK_CPU_VIRT_EXT,
	CHECK_CPU_NX,
	CHECK_CPU_SLAT,
	CHECK_CPU_CONSISTENCY,
	CHECK_HV_RUNNING,
	CHECK_HV_NESTED,
	CHECK_FW_VIRT_ENABLED,
	CHECK_FW_NX_ENABLED,
	CHECK_FW_BOOT,
	CHECK_OS_KVM,
	CHECK_BCD_ENTRY,
	CHECK_BCD_LAUNCH_TYPE,
	CHECK_BCD_NX,
	CHECK_BCD_HV_DEBUG,
	CHECK_BCD_HV_SETTINGS,
	CHECK_UPDATES_KNOWN_BAD,
	CHECK_HV_LAUNCH,
	CHECK_KVM_HISTORY,
	CHECK_KVM_NEXT_BOOT,
	CHECK_COUNT
};

/* The targets a run judges against (probe/target.c), in table order. */
enum target_index {
	TARGET_HYPERV,
	TARGET_HYPERV_2012R2,
	TARGET_KVM,
	TARGET_XEN,
	TARGET_ANY,
	TARGET_COUNT
};

/* What a check means to a target: a required check decides the verdict,
 * an advisory one can only warn, an off one is skipped. LEVEL_UNSET is
 * never valid: a row that forgets a target is caught by the tests rather
 * than read as "off". */
enum check_level { LEVEL_UNSET, LEVEL_OFF, LEVEL_ADVISORY, LEVEL_REQUIRED };

/*
 * The evidence a check cannot judge without. The verdict layer looks
 * before it runs the check: when this source holds none of it, the check
 * does not run and its result is "no evidence" (SKIP where the target can
 * do without it, UNKNOWN where the target requires it). So no check can
 * pass on evidence that was never read.
 */
enum evidence_kind {
	EVIDENCE_CPUID,     /* CPUID of at least one logical CPU */
	EVIDENCE_KVM,       /* a probe of /dev/kvm */
	EVIDENCE_BOOT_MODE, /* how the firmware booted (/sys/firmware/efi) */
	EVIDENCE_BCD,       /* a BCD store, read, unreadable, or searched for */
	EVIDENCE_INSTALLED, /* the list of installed updates or packages */
	EVIDENCE_LAUNCH,    /* whether the hypervisor launched: event logs, the live
			     * host, a root partition, or a boot that does not ask */
	EVIDENCE_JOURNAL,   /* a Linux host's past boots (the journal), or /dev/kvm now */
	EVIDENCE_NEXT_BOOT, /* a Linux boot loader's configuration, looked for */
	EVIDENCE_KIND_COUNT
};


/* One row of the registry: everything about a check in one place. */
struct check_def {
	const char *id;
	const char *title;  /* what the text report shows beside the id */
	check_fn run;
	enum evidence_kind needs;
	/* A prerequisite of launch: a running hypervisor proves it held,
	 * whatever the evidence says (see verdict.c). */
	bool prerequisite;
	enum check_level level[TARGET_COUNT];
	enum boot_scope scope;
};

extern const struct check_def check_table[CHECK_COUNT];

/* Does this run hold the evidence of that kind? If not, *what and *howto
 * say what is missing and how to get it. */
bool check_has_evidence(const struct facts *f, enum evidence_kind k, const char **what,
			const char **howto);

/* Index of a check id, or -1. */
int check_find(const char *id);

void check_cpu_arch(const struct facts *f, struct check_result *r);
void check_cpu_virt_ext(const struct facts *f, struct check_result *r);
void check_cpu_nx(const struct facts *f, struct check_result *r);
void check_cpu_slat(const struct facts *f, struct check_result *r);
void check_cpu_consistency(const struct facts *f, struct check_result *r);
void check_hv_running(const struct facts *f, struct check_result *r);
void check_hv_nested(const struct facts *f, struct check_result *r);
void check_fw_virt_enabled(const struct facts *f, struct check_result *r);
void check_fw_nx_enabled(const struct facts *f, struct check_result *r);
void check_fw_boot(const struct facts *f, struct check_result *r);
void check_os_kvm(const struct facts *f, struct check_result *r);
void check_bcd_entry(const struct facts *f, struct check_result *r);
void check_bcd_hypervisorlaunchtype(const struct facts *f, struct check_result *r);
void check_bcd_nx(const struct facts *f, struct check_result *r);
void check_bcd_hypervisordebug(const struct facts *f, struct check_result *r);
void check_bcd_hypervisorsettings(const struct facts *f, struct check_result *r);
void check_updates_known_bad(const struct facts *f, struct check_result *r);
void check_hv_launch(const struct facts *f, struct check_result *r);
void check_kvm_history(const struct facts *f, struct check_result *r);
void check_kvm_next_boot(const struct facts *f, struct check_result *r);

/* Plain-words fixes shared by several checks. */
#define FIX_POWER_CYCLE \
	"save, then power the machine off and on again (a reset does not re-apply the setting on many boards)"
#define FIX_VTX_FIRMWARE \
	"enter the firmware setup (BIOS/UEFI) and enable \"Intel Virtualization Technology\" " \
	"(also called VT-x, Vanderpool or VMX), " FIX_POWER_CYCLE
#define FIX_AMDV_FIRMWARE \
	"enter the firmware setup (BIOS/UEFI) and enable \"SVM Mode\" (also called AMD-V, " \
	"Virtualization or Secure Virtual Machine), " FIX_POWER_CYCLE
#define FIX_NX_FIRMWARE \
	"enter the firmware setup (BIOS/UEFI) and enable \"Execute Disable Bit\" (also called XD, " \
	"NX Mode or No-Execute Memory Protection), " FIX_POWER_CYCLE
#define HOWTO_MSR \
	"run hvprobe as root with the msr module loaded (modprobe msr), or give recorded values " \
	"with --msr INDEX=VALUE"

/* The evidence's source in words, for "no X in <it>": "this CPUID dump",
 * "this bundle", "this system" (a live run on Linux, Windows or UEFI),
 * each with " and Windows volume" when --windows gave one. */
const char *check_source_words(const struct facts *f);

/* True when the kernel release is at least major.minor ("5.10.0-28-amd64"). */
bool kernel_at_least(const char *release, unsigned major, unsigned minor);

#endif
