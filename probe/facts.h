/* SPDX-License-Identifier: MIT */
/*
 * Facts: the evidence decoded once, so every check and renderer reads the
 * same interpretation. Decoding is mechanical (bits to booleans); judging
 * what the booleans mean for a hypervisor is the checks' job.
 */
#ifndef HVPROBE_FACTS_H
#define HVPROBE_FACTS_H

#include "bcd.h"
#include "cpuid_decode.h"
#include "evidence.h"
#include "known_issues.h"
#include "launch.h"

/* Bits of the MSRs in evidence.h (Intel SDM vol. 4, AMD APM vol. 2). */
#define FEATURE_CONTROL_LOCKED (1ull << 0)
#define FEATURE_CONTROL_VMXON_INSIDE_SMX (1ull << 1)
#define FEATURE_CONTROL_VMXON_OUTSIDE_SMX (1ull << 2)
#define MISC_ENABLE_XD_DISABLE (1ull << 34)
#define VM_CR_LOCK (1ull << 3)
#define VM_CR_SVMDIS (1ull << 4)
/* VMX capability MSRs report allowed-1 settings in the high dword. */
#define PROCBASED_CTLS_ACTIVATE_SECONDARY (1ull << (32 + 31))
#define PROCBASED_CTLS2_EPT (1ull << (32 + 1))
#define PROCBASED_CTLS2_UNRESTRICTED_GUEST (1ull << (32 + 7))

/* One MSR across all CPUs. */
struct msr_view {
	bool have;            /* at least one CPU has a value */
	uint64_t value;       /* the first CPU's value */
	int cpu;              /* that CPU (MSR_ALL_CPUS for a recorded value) */
	bool recorded;        /* the value was given by the user, not read */
	bool agree;           /* every CPU with a value has the same one */
	int other_cpu;        /* when !agree: a CPU whose value differs */
	uint64_t other_value;
	enum msr_status status; /* when !have: why */
};

/* Where a decision came from, for the evidence lines. */
struct finding {
	tri_t value;
	char source[96];
};

struct facts {
	const struct evidence *ev;
	struct cpu_decoded *cpu; /* one per ev->cpus[i] */
	size_t ncpus_with_data;
	const struct cpu_decoded *rep; /* the first CPU with data; NULL if none */
	unsigned rep_id;
	struct bcd_view bcd; /* the boot entry judged; state NONE without a store */
	const struct known_issue_list *known; /* never NULL */
	struct update_list updates; /* every record of installed and pending updates, merged */
	struct launch_view launch; /* intent, outcome and the event timeline */
	struct launch_view kvm_history; /* KVM at each boot of a Linux host's journal */
};

/* What a run judges against besides the evidence. */
struct probe_inputs {
	const char *bcd_entry;                /* --bcd-entry; NULL: the default */
	const struct known_issue_list *known; /* known bad updates; NULL: none */
};

/* in may be NULL (defaults). Returns false on allocation failure. */
bool facts_init(struct facts *f, const struct evidence *ev, const struct probe_inputs *in);
void facts_free(struct facts *f);

void facts_msr(const struct facts *f, uint32_t index, struct msr_view *out);

/* Second-level address translation: NPT from CPUID on AMD-V CPUs, EPT from
 * the VMX capability MSRs or the kernel's `vmx flags` on VT-x CPUs. */
void facts_slat(const struct facts *f, struct finding *out);

/* Is the hypervisor running below us Hyper-V, and are we its root? */
bool facts_hyperv_root(const struct facts *f);

/* Does the Microsoft hypervisor run below this OS as its root, by CPUID:
 * yes, no (bare metal, or another hypervisor), unknown without CPU data. */
tri_t facts_hyperv_running(const struct facts *f);

/* KVM proved itself by creating a VM. */
bool facts_kvm_proven(const struct facts *f);
/* Can KVM create a VM on this boot: yes, no (no device, or it refused),
 * unknown (not probed, or not allowed to try). */
tri_t facts_kvm_now(const struct facts *f);

/* How many CPUs in /proc/cpuinfo list the flag; "all" needs cpuinfo. */
tri_t facts_kernel_flag_all(const struct facts *f, enum kernel_flag flag);

#endif
