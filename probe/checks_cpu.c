/* SPDX-License-Identifier: MIT */
/* Checks of what the processor offers, as CPUID reports it. */
#include "checks.h"

#include <stdio.h>
#include <string.h>

static const char *cpu_name(const struct cpu_decoded *d)
{
	return d->brand[0] ? d->brand : d->vendor;
}

/* Leaf 80000001H, where NX, long mode and SVM live, does not exist. */
static void no_ext_leaves_evidence(const struct cpu_decoded *d, struct check_result *r)
{
	if (d->no_ext_leaves)
		result_text(r, "extended_leaves", "none", d->ext_leaves_source);
}

void check_cpu_arch(const struct facts *f, struct check_result *r)
{
	const struct cpu_decoded *d = f->rep;
	result_text(r, "vendor", d->vendor, "CPUID 00H:EBX,EDX,ECX");
	result_text(r, "brand", d->brand[0] ? d->brand : NULL, "CPUID 80000002H-80000004H");
	result_tri(r, "long_mode", d->long_mode, "CPUID 80000001H:EDX[29]");
	no_ext_leaves_evidence(d, r);
	switch (d->long_mode) {
	case TRI_YES:
		result_set(r, STATUS_PASS, "x86-64 (long mode) processor: %s", cpu_name(d));
		break;
	case TRI_NO:
		result_set(r, STATUS_FAIL, "32-bit-only processor (no long mode): %s", cpu_name(d));
		result_remedy(r, "Hyper-V, KVM and Xen need a 64-bit (x86-64) processor; this one "
				 "cannot run them: move the workload to a 64-bit host");
		break;
	default:
		result_set(r, STATUS_UNKNOWN, "leaf 80000001H was not recorded");
		result_remedy(r, "take a complete CPUID dump (cpuid -r) that includes the extended leaves");
	}
}

void check_cpu_virt_ext(const struct facts *f, struct check_result *r)
{
	const struct cpu_decoded *d = f->rep;
	tri_t have;
	const char *name;
	if (d->family == VIRT_FAMILY_SVM) {
		have = d->svm;
		name = "AMD-V (SVM)";
		result_tri(r, "svm", d->svm, "CPUID 80000001H:ECX[2]");
		no_ext_leaves_evidence(d, r);
	} else {
		have = d->vmx;
		name = "VT-x (VMX)";
		result_tri(r, "vmx", d->vmx, "CPUID 01H:ECX[5]");
	}
	result_tri(r, "hypervisor_bit", d->hv_bit, "CPUID 01H:ECX[31]");

	if (d->family == VIRT_FAMILY_NONE) {
		result_text(r, "vendor", d->vendor, "CPUID 00H");
		result_set(r, STATUS_FAIL, "vendor \"%s\" offers neither VT-x nor AMD-V", d->vendor);
		result_remedy(r, "hardware virtualization needs an Intel, AMD, Hygon, VIA or Zhaoxin "
				 "processor with VT-x or AMD-V");
		return;
	}
	if (have == TRI_YES) {
		result_set(r, STATUS_PASS, "%s present", name);
		return;
	}
	if (have == TRI_UNKNOWN) {
		result_set(r, STATUS_UNKNOWN, "the leaf that holds the %s bit was not recorded", name);
		result_remedy(r, "take a complete CPUID dump (cpuid -r)");
		return;
	}
	if (facts_hyperv_root(f)) {
		/* Not absent: CPUID here is the hypervisor's view, not the processor's. */
		result_set(r, STATUS_UNKNOWN, "%s hidden by the Microsoft hypervisor running below this "
					      "OS: the processor's own state cannot be seen from here", name);
		result_remedy(r, "Hyper-V itself uses %s here, so judge this host with -t hyperv; to "
				 "know whether KVM or Xen would get it, turn the hypervisor off "
				 "(bcdedit /set {current} hypervisorlaunchtype off), restart and run hvprobe "
				 "again, or read the firmware setting from hvprobe.efi or a Linux live system",
			      name);
	} else if (d->hv_bit == TRI_YES) {
		result_set(r, STATUS_FAIL, "%s not exposed to this virtual machine", name);
		result_remedy(r, "enable nested virtualization for this VM on the outer host (see hv.nested)");
	} else {
		result_set(r, STATUS_FAIL, "this processor has no %s", name);
		result_remedy(r, "the processor itself lacks hardware virtualization (a firmware setting "
				 "does not hide this CPUID bit): run the hypervisor on a processor with %s",
			      name);
	}
}

void check_cpu_nx(const struct facts *f, struct check_result *r)
{
	const struct cpu_decoded *d = f->rep;
	result_tri(r, "nx", d->nx, "CPUID 80000001H:EDX[20]");
	no_ext_leaves_evidence(d, r);
	switch (d->nx) {
	case TRI_YES:
		result_set(r, STATUS_PASS, "NX/XD (hardware DEP) present");
		break;
	case TRI_NO:
		if (d->no_ext_leaves) {
			result_set(r, STATUS_FAIL, "no NX/XD: the processor has no extended CPUID leaves "
						   "and predates NX");
			result_remedy(r, "no firmware setting adds NX to this processor: Hyper-V needs "
					 "a processor with NX (hardware DEP)");
			break;
		}
		result_set(r, STATUS_FAIL, "NX/XD (hardware DEP) missing from CPUID");
		result_remedy(r, "%s; if the setting does not exist, the processor lacks NX and "
				 "cannot run Hyper-V", FIX_NX_FIRMWARE);
		break;
	default:
		result_set(r, STATUS_UNKNOWN, "leaf 80000001H was not recorded");
		result_remedy(r, "take a complete CPUID dump (cpuid -r)");
	}
}

/* The root partition sees neither EPT nor NPT; only the hypervisor's own
 * report of SLAT in use (CPUID 40000006H:EAX[3]), set or clear, or none. */
static void slat_hidden_by_hyperv(const struct cpu_decoded *d, const char *name,
				  struct check_result *r)
{
	char src[48];
	snprintf(src, sizeof(src), "CPUID %08XH:EAX[3]", d->hv_base + CPUID_HV_OFF_HW_FEATURES);
	result_tri(r, "hv_slat_in_use", d->hv_slat_in_use, src);
	if (d->hv_slat_in_use == TRI_NO)
		result_set(r, STATUS_UNKNOWN, "the Microsoft hypervisor runs without SLAT: this processor "
					      "lacks %s, or the hypervisor was told not to use it", name);
	else
		result_set(r, STATUS_UNKNOWN, "%s cannot be read while the Microsoft hypervisor runs, "
					      "and leaf %08XH was not recorded", name,
			   d->hv_base + CPUID_HV_OFF_HW_FEATURES);
	result_remedy(r, "see bcd.hypervisorsettings: hypervisordisableslat on turns SLAT off; to read "
			 "SLAT from the processor itself, boot without the hypervisor (bcdedit /set "
			 "{current} hypervisorlaunchtype off) and run hvprobe again");
}

void check_cpu_slat(const struct facts *f, struct check_result *r)
{
	const struct cpu_decoded *d = f->rep;
	struct finding slat;
	facts_slat(f, &slat);
	bool amd = d->family == VIRT_FAMILY_SVM;
	const char *name = amd ? "nested paging (AMD NPT/RVI)" : "extended page tables (Intel EPT)";
	result_tri(r, "slat", slat.value, slat.source);

	if (slat.value == TRI_YES) {
		result_set(r, STATUS_PASS, "SLAT present: %s", name);
		return;
	}
	if (slat.value == TRI_NO) {
		result_set(r, STATUS_FAIL, "no SLAT: %s missing", name);
		result_remedy(r, "Hyper-V on Windows Server 2016 and later and client Hyper-V need SLAT; "
				 "Windows Server 2012 R2 runs without it (target hyperv-2012r2); KVM "
				 "runs without it, slowly (shadow paging)");
		return;
	}
	if (d->family == VIRT_FAMILY_NONE) {
		result_set(r, STATUS_FAIL, "no SLAT: vendor offers no hardware virtualization");
		return;
	}
	if (facts_hyperv_root(f)) {
		slat_hidden_by_hyperv(d, name, r);
		return;
	}
	result_set(r, STATUS_UNKNOWN, "EPT is not in CPUID and no VMX capability MSR was read");
	result_remedy(r, "%s (0x482 and 0x48b), or run on Linux where /proc/cpuinfo lists "
			 "`vmx flags`", HOWTO_MSR);
}

/* Decoded properties every logical CPU must share. */
struct cpu_property {
	const char *name;
	size_t offset; /* of a tri_t in struct cpu_decoded */
};

#define PROPERTY(field, label) { label, offsetof(struct cpu_decoded, field) }
static const struct cpu_property cpu_properties[] = {
	PROPERTY(vmx, "VMX"),
	PROPERTY(svm, "SVM"),
	PROPERTY(nx, "NX"),
	PROPERTY(long_mode, "long mode"),
	PROPERTY(npt, "NPT"),
	PROPERTY(hv_bit, "hypervisor bit"),
};

static tri_t property_of(const struct cpu_decoded *d, const struct cpu_property *p)
{
	tri_t v;
	memcpy(&v, (const char *)d + p->offset, sizeof(v));
	return v;
}

/* The first CPU that differs from the representative; returns false if none. */
static bool find_cpuid_mismatch(const struct facts *f, char *what, size_t size)
{
	const struct cpu_decoded *rep = f->rep;
	for (size_t i = 0; i < f->ev->ncpus; i++) {
		const struct cpu_decoded *d = &f->cpu[i];
		unsigned id = f->ev->cpus[i].id;
		if (!d->has_data || d == rep)
			continue;
		if (strcmp(d->vendor, rep->vendor) != 0) {
			snprintf(what, size, "CPU %u reports vendor \"%s\", CPU %u \"%s\"", id,
				 d->vendor, f->rep_id, rep->vendor);
			return true;
		}
		for (size_t p = 0; p < sizeof(cpu_properties) / sizeof(cpu_properties[0]); p++) {
			tri_t a = property_of(rep, &cpu_properties[p]);
			tri_t b = property_of(d, &cpu_properties[p]);
			if (a == TRI_UNKNOWN || b == TRI_UNKNOWN || a == b)
				continue;
			snprintf(what, size, "%s is %s on CPU %u but %s on CPU %u",
				 cpu_properties[p].name, a == TRI_YES ? "present" : "absent",
				 f->rep_id, b == TRI_YES ? "present" : "absent", id);
			return true;
		}
	}
	return false;
}

static bool find_kernel_mismatch(const struct facts *f, char *what, size_t size)
{
	static const enum kernel_flag flags[] = { KFLAG_VMX, KFLAG_SVM, KFLAG_NX, KFLAG_LM };
	const struct linux_view *lx = &f->ev->linux_;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		unsigned n = lx->flag_cpus[flags[i]];
		if (n > 0 && n < lx->cpuinfo_cpus) {
			snprintf(what, size, "/proc/cpuinfo lists %s on %u of %u CPUs",
				 kernel_flag_name(flags[i]), n, lx->cpuinfo_cpus);
			return true;
		}
	}
	return false;
}

void check_cpu_consistency(const struct facts *f, struct check_result *r)
{
	size_t total = f->ev->ncpus;
	size_t nodata = total - f->ncpus_with_data;
	result_int(r, "logical_cpus", (long long)total, "CPUID source");
	result_int(r, "cpus_with_data", (long long)f->ncpus_with_data, "CPUID source");
	if (f->ev->linux_.cpuinfo_cpus)
		result_int(r, "cpuinfo_cpus", f->ev->linux_.cpuinfo_cpus, "/proc/cpuinfo");

	char what[160];
	if (find_cpuid_mismatch(f, what, sizeof(what)) || find_kernel_mismatch(f, what, sizeof(what))) {
		result_text(r, "mismatch", what, "CPUID per logical CPU");
		result_set(r, STATUS_FAIL, "logical CPUs disagree: %s", what);
		result_remedy(r, "hypervisors refuse to start when CPUs differ: update the firmware "
				 "(and microcode), set the virtualization options the same for all "
				 "cores, then power the machine off and on");
		return;
	}
	if (nodata)
		result_set(r, STATUS_PASS, "%zu logical CPUs with data agree (%zu recorded no leaves: no data)",
			   f->ncpus_with_data, nodata);
	else if (total == 1)
		result_set(r, STATUS_PASS, "1 logical CPU recorded: nothing to compare");
	else
		result_set(r, STATUS_PASS, "%zu logical CPUs agree", total);
}
