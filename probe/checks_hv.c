/* SPDX-License-Identifier: MIT */
/* Checks of the hypervisor, if any, that already runs below this OS. */
#include "checks.h"

#include <stdio.h>

static const char *hypervisor_name(const struct cpu_decoded *d)
{
	const struct hypervisor_info *h = hypervisor_lookup(d->hv_vendor);
	return h ? h->name : d->hv_vendor;
}

static void hypervisor_evidence(const struct cpu_decoded *d, struct check_result *r)
{
	char src[48];
	result_tri(r, "hypervisor_bit", d->hv_bit, "CPUID 01H:ECX[31]");
	snprintf(src, sizeof(src), "CPUID %08XH:EBX,ECX,EDX", d->hv_base ? d->hv_base : 0x40000000u);
	result_text(r, "vendor_id", d->hv_vendor_known == TRI_YES ? d->hv_vendor : NULL, src);
	if (d->hv_microsoft != TRI_YES)
		return;
	snprintf(src, sizeof(src), "CPUID %08XH:EBX[0] (CreatePartitions)",
		 d->hv_base + CPUID_HV_OFF_FEATURES);
	result_tri(r, "root_partition", d->hv_root_partition, src);
	snprintf(src, sizeof(src), "CPUID %08XH:EAX[12] (HV_X64_HYPERV_NESTED)",
		 d->hv_base + CPUID_HV_OFF_ENLIGHTENMENTS);
	result_tri(r, "nested", d->hv_nested, src);
}

/* A root partition whose Microsoft hypervisor itself runs in a Hyper-V
 * virtual machine: it says so in CPUID 40000004H:EAX[12] (TLFS; Linux
 * sets hv_nested from it in ms_hyperv_init_platform()). */
static bool nested_root(const struct facts *f)
{
	return facts_hyperv_root(f) && f->rep->hv_nested == TRI_YES;
}

void check_hv_running(const struct facts *f, struct check_result *r)
{
	const struct cpu_decoded *d = f->rep;
	hypervisor_evidence(d, r);
	if (d->hv_bit == TRI_NO) {
		result_set(r, STATUS_PASS, "no hypervisor below this OS (bare metal)");
		return;
	}
	if (d->hv_bit == TRI_UNKNOWN) {
		result_set(r, STATUS_UNKNOWN, "leaf 01H was not recorded");
		return;
	}
	if (nested_root(f)) {
		result_set(r, STATUS_WARN, "Microsoft Hyper-V is running and this OS is its root partition, "
					   "but the hypervisor itself runs nested in a Hyper-V virtual machine");
		result_remedy(r, "this host is a virtual machine: VT-x/AMD-V and SLAT come from the outer "
				 "Hyper-V host (Set-VMProcessor -ExposeVirtualizationExtensions), fine for "
				 "labs; to judge the physical machine, run hvprobe on the outer host");
		return;
	}
	if (facts_hyperv_root(f)) {
		result_set(r, STATUS_PASS, "Microsoft Hyper-V is running; this OS is its root partition%s",
			   f->rep->hv_nested == TRI_NO ? " and the hypervisor does not report running nested"
						       : "");
		return;
	}
	if (d->hv_vendor_known != TRI_YES) {
		result_set(r, STATUS_UNKNOWN, "a hypervisor is present, but its signature was not recorded");
		result_remedy(r, "the dump holds no leaf 4000xxxxH (libcpuid's format has no room for "
				 "them): take it with cpuid -r or hvprobe collect");
		return;
	}
	result_set(r, STATUS_WARN, "this OS is a guest of %s", hypervisor_name(d));
	result_remedy(r, "a hypervisor launches inside a virtual machine only with nested "
			 "virtualization (see hv.nested)");
}

void check_hv_nested(const struct facts *f, struct check_result *r)
{
	const struct cpu_decoded *d = f->rep;
	hypervisor_evidence(d, r);
	if (d->hv_bit == TRI_NO) {
		result_set(r, STATUS_SKIP, "not a virtual machine");
		return;
	}
	if (nested_root(f)) {
		result_set(r, STATUS_PASS, "nested virtualization works: the Microsoft hypervisor runs "
					   "inside a Hyper-V virtual machine and this OS is its root partition");
		return;
	}
	if (facts_hyperv_root(f)) {
		result_set(r, STATUS_SKIP, "root partition of Hyper-V, not a guest");
		return;
	}
	tri_t exposed = d->family == VIRT_FAMILY_SVM ? d->svm : d->vmx;
	result_tri(r, d->family == VIRT_FAMILY_SVM ? "svm" : "vmx", exposed,
		   d->family == VIRT_FAMILY_SVM ? "CPUID 80000001H:ECX[2]" : "CPUID 01H:ECX[5]");
	const char *outer = d->hv_vendor_known == TRI_YES ? hypervisor_name(d) : "the outer hypervisor";
	if (exposed == TRI_YES) {
		result_set(r, STATUS_PASS, "%s exposes %s to this guest (nested virtualization)", outer,
			   d->family == VIRT_FAMILY_SVM ? "AMD-V" : "VT-x");
		return;
	}
	if (exposed == TRI_UNKNOWN) {
		result_set(r, STATUS_UNKNOWN, "the VMX/SVM bit was not recorded");
		return;
	}
	result_set(r, STATUS_FAIL, "%s does not expose VT-x/AMD-V to this guest", outer);
	const struct hypervisor_info *h =
		d->hv_vendor_known == TRI_YES ? hypervisor_lookup(d->hv_vendor) : NULL;
	if (h && d->family == VIRT_FAMILY_SVM && h->nested_svm)
		result_remedy(r, "%s; %s", h->nested_fix, h->nested_svm);
	else if (h)
		result_remedy(r, "%s", h->nested_fix);
	else
		result_remedy(r, "enable nested virtualization for this VM on the outer host, or run "
				 "the hypervisor on bare metal");
}
