/* SPDX-License-Identifier: MIT */
/*
 * Decode the few CPUID bits that decide hypervisor launch (docs/checks.md, cpu.*),
 * with the range rules that keep junk out: never read a leaf above the
 * maximum its range reports, and only trust SVM on AMD and Hygon.
 */
#ifndef HVPROBE_CPUID_DECODE_H
#define HVPROBE_CPUID_DECODE_H

#include "evidence.h"

/* Leaves and bits, named after the Intel SDM vol. 2A and the AMD APM vol. 3. */
#define CPUID_LEAF_VENDOR 0x00000000u
#define CPUID_LEAF_FEATURES 0x00000001u
#define CPUID_1_ECX_VMX (1u << 5)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_LEAF_HV_BASE 0x40000000u
#define CPUID_LEAF_HV_LAST 0x4000FF00u
#define CPUID_HV_STEP 0x100u
#define CPUID_HV_INTERFACE_HV1 0x31237648u /* "Hv#1" */
#define CPUID_HV_FEATURES_EBX_CREATE_PARTITIONS (1u << 0)
/* The Microsoft hypervisor's leaves, as offsets from its base (TLFS,
 * "Feature Discovery"; Linux include/hyperv/hvgdk_mini.h). */
#define CPUID_HV_OFF_FEATURES 3u        /* HYPERV_CPUID_FEATURES */
#define CPUID_HV_OFF_ENLIGHTENMENTS 4u  /* HYPERV_CPUID_ENLIGHTMENT_INFO */
#define CPUID_HV_OFF_HW_FEATURES 6u     /* implementation hardware features */
#define CPUID_HV_ENLIGHTENMENTS_EAX_NESTED (1u << 12)  /* HV_X64_HYPERV_NESTED */
#define CPUID_HV_HW_FEATURES_EAX_SLAT_IN_USE (1u << 3) /* SecondLevelAddressTranslationInUse */
#define CPUID_LEAF_EXT_MAX 0x80000000u
#define CPUID_LEAF_EXT_FEATURES 0x80000001u
#define CPUID_80000001_ECX_SVM (1u << 2)
#define CPUID_80000001_EDX_NX (1u << 20)
#define CPUID_80000001_EDX_LM (1u << 29)
#define CPUID_LEAF_EXT_BRAND 0x80000002u
#define CPUID_LEAF_SVM_FEATURES 0x8000000Au
#define CPUID_8000000A_EDX_NP (1u << 0)

/* How this vendor exposes hardware virtualization. */
enum virt_family {
	VIRT_FAMILY_NONE,  /* not an x86 vendor we know: neither bit is trusted */
	VIRT_FAMILY_VMX,   /* Intel, VIA/Centaur, Zhaoxin: VT-x */
	VIRT_FAMILY_SVM,   /* AMD, Hygon: AMD-V */
};

struct cpu_decoded {
	bool has_data;            /* the CPU has leaf 0 recorded */
	char vendor[13];          /* leaf 0 EBX EDX ECX, NUL-terminated */
	enum virt_family family;
	uint32_t max_basic, max_ext;
	uint32_t signature;       /* leaf 1 EAX: family/model/stepping */
	unsigned cpu_family, cpu_model; /* from the signature as Linux reads it; 0 without leaf 1 */
	/* The CPU has no leaf 80000001H at all, so no NX, no long mode and no
	 * SVM; ext_leaves_source says how that is known. */
	bool no_ext_leaves;
	const char *ext_leaves_source;
	char brand[49];           /* 0x80000002..4, trimmed; "" if absent */
	tri_t vmx, svm, nx, long_mode, npt;
	tri_t hv_bit;             /* leaf 1 ECX[31] */
	tri_t hv_vendor_known;    /* the 0x4000xxxx signature was read */
	char hv_vendor[13];       /* signature bytes, trailing NULs/spaces trimmed */
	uint32_t hv_base;         /* the leaf the signature was found at */
	tri_t hv_microsoft;       /* interface "Hv#1" at base + 1 */
	tri_t hv_root_partition;  /* CreatePartitions at base + 3 EBX */
	/* The Microsoft hypervisor's own reports; unknown elsewhere. */
	tri_t hv_nested;          /* base + 4 EAX[12]: it runs nested in a Hyper-V partition */
	tri_t hv_slat_in_use;     /* base + 6 EAX[3]: it uses SLAT (EPT/NPT) */
};

/* IA32_MISC_ENABLE and its XD-disable bit (34) exist on Intel processors
 * only; elsewhere the firmware's NX setting leaves no MSR trace. */
bool cpu_has_xd_disable_msr(const struct cpu_decoded *d);

/* The leaf if the source recorded it and the CPU's own range allows it. */
const struct cpuid_leaf *cpuid_leaf_in_range(const struct cpu_record *cpu,
					     uint32_t leaf, uint32_t subleaf);

/* A hypervisor signature that was not recorded (libcpuid's dump format has
 * no room for leaves 0x4000xxxx) decodes as unknown, never as absent. */
void cpu_decode(const struct cpu_record *cpu, struct cpu_decoded *out);

/* The known hypervisors, by the signature at 0x4000xx00 (each row's source
 * in cpuid_decode.c and docs/checks.md, hv.running). */
struct hypervisor_info {
	const char *signature; /* trimmed, as in cpu_decoded.hv_vendor */
	const char *name;      /* what people call it */
	const char *nested_fix; /* how to expose VMX/SVM to this guest */
	const char *nested_svm; /* what else AMD-V needs there; NULL: nothing */
};
const struct hypervisor_info *hypervisor_lookup(const char *signature);

#endif
