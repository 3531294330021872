/* SPDX-License-Identifier: MIT */
#include "facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The checks judge the entry the next boot starts (the one-time boot
 * sequence before the default); whether the hypervisor launched is a
 * question about the last boot: the entry Windows booted from (live), else
 * the default. An entry the user named is judged for both.
 */
static bool launch_build_for_last_boot(struct facts *f, const char *request)
{
	const struct evidence *ev = f->ev;
	tri_t running = facts_hyperv_running(f);
	if (request || (!f->bcd.by_sequence && !ev->winboot.booted_entry[0]))
		return launch_build(ev, &f->bcd, running, f->known, &f->updates, &f->launch);
	/* The booted entry's GUID names an entry of the store Windows booted
	 * with: the one found live, not a store given by hand. */
	const char *last = ev->winboot.booted_entry[0] && ev->bcd.origin == BCD_ORIGIN_FOUND
				   ? ev->winboot.booted_entry
				   : "default";
	struct bcd_view booted;
	if (!bcd_resolve(&ev->bcd, last, &booted))
		return false;
	bool ok = launch_build(ev, &booted, running, f->known, &f->updates, &f->launch);
	bcd_view_free(&booted);
	return ok;
}

bool facts_init(struct facts *f, const struct evidence *ev, const struct probe_inputs *in)
{
	static const struct known_issue_list no_known_issues;
	memset(f, 0, sizeof(*f));
	f->ev = ev;
	f->known = in && in->known ? in->known : &no_known_issues;
	if (!bcd_resolve(&ev->bcd, in ? in->bcd_entry : NULL, &f->bcd))
		return false;
	f->cpu = ev->ncpus ? calloc(ev->ncpus, sizeof(*f->cpu)) : NULL;
	if (ev->ncpus && !f->cpu) {
		bcd_view_free(&f->bcd);
		return false;
	}
	for (size_t i = 0; i < ev->ncpus; i++) {
		cpu_decode(&ev->cpus[i], &f->cpu[i]);
		if (!f->cpu[i].has_data)
			continue;
		if (!f->rep) {
			f->rep = &f->cpu[i];
			f->rep_id = ev->cpus[i].id;
		}
		f->ncpus_with_data++;
	}
	if (!updates_merge(ev, &f->updates)) {
		facts_free(f);
		return false;
	}
	if (!launch_build_for_last_boot(f, in ? in->bcd_entry : NULL) ||
	    !launch_build_kvm(ev, facts_kvm_now(f), &f->kvm_history)) {
		facts_free(f);
		return false;
	}
	return true;
}

void facts_free(struct facts *f)
{
	free(f->cpu);
	bcd_view_free(&f->bcd);
	launch_free(&f->launch);
	launch_free(&f->kvm_history);
	updates_free(&f->updates);
	memset(f, 0, sizeof(*f));
}

static void msr_consider(struct msr_view *v, const struct msr_reading *r, int cpu)
{
	if (!r)
		return;
	if (r->status != MSR_OK) {
		if (!v->have)
			v->status = r->status;
		return;
	}
	if (!v->have) {
		v->have = true;
		v->value = r->value;
		v->cpu = r->cpu == MSR_ALL_CPUS ? MSR_ALL_CPUS : cpu;
		v->recorded = r->cpu == MSR_ALL_CPUS;
		return;
	}
	if (v->agree && r->value != v->value) {
		v->agree = false;
		v->other_cpu = cpu;
		v->other_value = r->value;
	}
}

void facts_msr(const struct facts *f, uint32_t index, struct msr_view *v)
{
	const struct evidence *ev = f->ev;
	memset(v, 0, sizeof(*v));
	v->agree = true;
	v->status = ev->msr_origin == MSR_ORIGIN_NONE ? ev->msr_access : MSR_NOT_RECORDED;
	if (ev->ncpus == 0) {
		msr_consider(v, evidence_msr(ev, MSR_ALL_CPUS, index), MSR_ALL_CPUS);
		return;
	}
	for (size_t i = 0; i < ev->ncpus; i++) {
		int id = (int)ev->cpus[i].id;
		msr_consider(v, evidence_msr(ev, id, index), id);
	}
}

static void finding_set(struct finding *out, tri_t value, const char *source)
{
	out->value = value;
	snprintf(out->source, sizeof(out->source), "%s", source);
}

static void slat_from_vmx_msrs(const struct facts *f, struct finding *out)
{
	struct msr_view ctls, ctls2;
	facts_msr(f, MSR_IA32_VMX_PROCBASED_CTLS, &ctls);
	if (!ctls.have)
		return;
	if (!(ctls.value & PROCBASED_CTLS_ACTIVATE_SECONDARY)) {
		finding_set(out, TRI_NO, "MSR 0x482 bit 63 (no secondary controls)");
		return;
	}
	facts_msr(f, MSR_IA32_VMX_PROCBASED_CTLS2, &ctls2);
	if (!ctls2.have)
		return;
	finding_set(out, (ctls2.value & PROCBASED_CTLS2_EPT) ? TRI_YES : TRI_NO,
		    "MSR 0x48B bit 33 (EPT allowed-1)");
}

/*
 * The Microsoft hypervisor hides VT-x/AMD-V (and with them EPT/NPT) from
 * its root partition, but reports the hardware features it uses itself:
 * CPUID 40000006H:EAX[3], SLAT in use (TLFS, "Feature Discovery"). Clear
 * proves nothing: the hypervisor may run without SLAT (hypervisordisableslat).
 */
static void slat_from_hyperv_root(const struct facts *f, struct finding *out)
{
	if (f->rep->hv_slat_in_use != TRI_YES)
		return;
	out->value = TRI_YES;
	snprintf(out->source, sizeof(out->source),
		 "CPUID %08XH:EAX[3] (SLAT in use by the Microsoft hypervisor)",
		 f->rep->hv_base + CPUID_HV_OFF_HW_FEATURES);
}

void facts_slat(const struct facts *f, struct finding *out)
{
	finding_set(out, TRI_UNKNOWN, "");
	const struct cpu_decoded *d = f->rep;
	if (!d)
		return;
	if (facts_hyperv_root(f)) {
		slat_from_hyperv_root(f, out);
		return;
	}
	if (d->family == VIRT_FAMILY_SVM) {
		finding_set(out, d->npt, "CPUID 8000000AH:EDX[0] (NPT)");
		return;
	}
	if (d->family != VIRT_FAMILY_VMX)
		return;
	if (d->vmx == TRI_NO && d->hv_bit != TRI_YES) {
		/* Without VT-x there is no EPT, and bare metal hides nothing. */
		finding_set(out, TRI_NO, "CPUID 01H:ECX[5] (no VMX, so no EPT)");
		return;
	}
	slat_from_vmx_msrs(f, out);
	if (out->value != TRI_UNKNOWN)
		return;
	const struct windows_view *w = &f->ev->windows;
	if (w->live && w->pf_slat != TRI_UNKNOWN && d->hv_bit != TRI_YES) {
		finding_set(out, w->pf_slat, "IsProcessorFeaturePresent(PF_SECOND_LEVEL_ADDRESS_TRANSLATION)");
		return;
	}
	const struct linux_view *lx = &f->ev->linux_;
	if (lx->cpuinfo_cpus == 0 || lx->flag_cpus[KFLAG_VMX] == 0)
		return; /* the kernel prints VMX features only while VMX is usable */
	finding_set(out, lx->flag_cpus[KFLAG_EPT] == lx->cpuinfo_cpus ? TRI_YES : TRI_NO,
		    lx->vmx_flags_line ? "/proc/cpuinfo vmx flags (ept)" : "/proc/cpuinfo flags (ept)");
}

bool facts_hyperv_root(const struct facts *f)
{
	return f->rep && f->rep->hv_microsoft == TRI_YES && f->rep->hv_root_partition == TRI_YES;
}

tri_t facts_hyperv_running(const struct facts *f)
{
	if (!f->rep)
		return TRI_UNKNOWN;
	if (facts_hyperv_root(f))
		return TRI_YES;
	if (f->rep->hv_bit == TRI_NO || f->rep->hv_microsoft == TRI_NO ||
	    f->rep->hv_root_partition == TRI_NO)
		return TRI_NO;
	return TRI_UNKNOWN;
}

bool facts_kvm_proven(const struct facts *f)
{
	return f->ev->kvm.vm_created == TRI_YES;
}

tri_t facts_kvm_now(const struct facts *f)
{
	const struct kvm_view *k = &f->ev->kvm;
	if (!k->probed)
		return TRI_UNKNOWN;
	if (k->vm_created == TRI_YES)
		return TRI_YES;
	return k->device == TRI_NO || k->vm_created == TRI_NO ? TRI_NO : TRI_UNKNOWN;
}

tri_t facts_kernel_flag_all(const struct facts *f, enum kernel_flag flag)
{
	const struct linux_view *lx = &f->ev->linux_;
	if (lx->cpuinfo_cpus == 0)
		return TRI_UNKNOWN;
	return lx->flag_cpus[flag] == lx->cpuinfo_cpus ? TRI_YES : TRI_NO;
}
