/* SPDX-License-Identifier: MIT */
/*
 * The launch MSRs, read directly: hvprobe.efi runs in ring 0. Only MSRs
 * the processor announces in CPUID are read, so none can fault, and none
 * is written.
 */
#include "../../probe/cpuid_decode.h"
#include "collect_uefi.h"

static uint64_t rdmsr(uint32_t index)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(index));
	return (uint64_t)hi << 32 | lo;
}

static void read_msr(struct msr_uefi_set *s, uint32_t index)
{
	s->index[s->n] = index;
	s->value[s->n++] = rdmsr(index);
}

/* IA32_FEATURE_CONTROL and the VMX capability MSRs exist with VMX,
 * IA32_MISC_ENABLE on Intel family 6 and later, VM_CR with SVM. */
void uefi_read_msrs(struct cpuid_leaf *leaves, size_t nleaves, struct msr_uefi_set *out)
{
	struct cpu_record rec = { .nleaves = nleaves, .cap = nleaves, .leaves = leaves };
	struct cpu_decoded d;
	cpu_decode(&rec, &d);
	out->n = 0;
	if (d.family == VIRT_FAMILY_VMX && d.vmx == TRI_YES) {
		read_msr(out, MSR_IA32_FEATURE_CONTROL);
		read_msr(out, MSR_IA32_VMX_PROCBASED_CTLS);
		if (out->value[out->n - 1] >> 63) /* secondary controls exist */
			read_msr(out, MSR_IA32_VMX_PROCBASED_CTLS2);
	}
	if (cpu_has_xd_disable_msr(&d))
		read_msr(out, MSR_IA32_MISC_ENABLE);
	if (d.family == VIRT_FAMILY_SVM && d.svm == TRI_YES)
		read_msr(out, MSR_VM_CR);
}
