/* SPDX-License-Identifier: MIT */
/*
 * Checks of what the firmware decided: whether it left VT-x/AMD-V and NX
 * usable. MSRs are the direct evidence; the Linux kernel's view (it clears
 * `vmx` from /proc/cpuinfo and logs when firmware disabled VT-x) comes next.
 */
#include "checks.h"

#include <stdio.h>

static void msr_evidence(struct check_result *r, const char *key, uint32_t index,
			 const struct msr_view *v)
{
	char src[64];
	if (v->recorded)
		snprintf(src, sizeof(src), "MSR 0x%X (recorded value)", index);
	else
		snprintf(src, sizeof(src), "MSR 0x%X on CPU %d", index, v->cpu);
	if (v->have)
		result_hex(r, key, v->value, src);
	else
		result_text(r, key, msr_status_name(v->status), src);
}

static void msr_disagree(struct check_result *r, uint32_t index, const struct msr_view *v,
			 const char *fix)
{
	char what[120];
	snprintf(what, sizeof(what), "CPU %d: 0x%llx, CPU %d: 0x%llx", v->cpu,
		 (unsigned long long)v->value, v->other_cpu, (unsigned long long)v->other_value);
	result_text(r, "mismatch", what, "MSR per logical CPU");
	result_set(r, STATUS_FAIL, "firmware left CPUs in different states (MSR 0x%X)", index);
	result_remedy(r, "update the firmware; then %s", fix);
}

static const char *msr_unavailable(const struct msr_view *v)
{
	switch (v->status) {
	case MSR_DENIED: return "MSRs not readable (not permitted: needs root)";
	case MSR_NO_DEVICE: return "MSRs not readable (no /dev/cpu/N/msr: module msr not loaded)";
	case MSR_NOT_RECORDED: return "no recorded MSR value";
	default: return "MSR could not be read";
	}
}

/* Linux 5.6+ clears `vmx` from /proc/cpuinfo when firmware locked VT-x off. */
static bool vtx_from_kernel(const struct facts *f, struct check_result *r)
{
	const struct evidence *ev = f->ev;
	const struct linux_view *lx = &ev->linux_;
	const char *line = lx->kmsg[KMSG_VMX_DISABLED_BY_BIOS];
	if (line[0]) {
		result_text(r, "kernel_log", line, "kernel log");
		result_set(r, STATUS_FAIL, "VT-x disabled by firmware (kernel log)");
		result_remedy(r, "%s", FIX_VTX_FIRMWARE);
		return true;
	}
	if (facts_kvm_proven(f)) {
		result_bool(r, "kvm_vm_created", true, "/dev/kvm KVM_CREATE_VM");
		result_set(r, STATUS_PASS, "VT-x enabled: KVM created a VM");
		return true;
	}
	tri_t listed = facts_kernel_flag_all(f, KFLAG_VMX);
	if (listed == TRI_UNKNOWN || !kernel_at_least(lx->kernel_release, 5, 6))
		return false;
	result_text(r, "kernel", lx->kernel_release, "uname -r");
	result_tri(r, "cpuinfo_vmx", listed, "/proc/cpuinfo flags");
	if (listed == TRI_YES && f->rep->vmx == TRI_YES) {
		result_set(r, STATUS_PASS, "VT-x enabled: the kernel lists vmx (it removes it when "
					   "firmware disabled VT-x)");
		return true;
	}
	if (lx->flag_cpus[KFLAG_VMX] == 0 && f->rep->vmx == TRI_YES) {
		result_set(r, STATUS_FAIL, "VT-x disabled by firmware: CPUID has VMX, the kernel "
					   "removed it from /proc/cpuinfo");
		result_remedy(r, "%s", FIX_VTX_FIRMWARE);
		return true;
	}
	return false;
}

/* What the running Windows reports (IsProcessorFeaturePresent), meaningful
 * only while no hypervisor runs below it: a running one hides the state. */
static bool from_windows(const struct facts *f, struct check_result *r, const char *fix)
{
	const struct windows_view *w = &f->ev->windows;
	if (!w->live || w->pf_virt_firmware_enabled == TRI_UNKNOWN || f->rep->hv_bit == TRI_YES)
		return false;
	result_tri(r, "pf_virt_firmware_enabled", w->pf_virt_firmware_enabled,
		   "IsProcessorFeaturePresent(PF_VIRT_FIRMWARE_ENABLED)");
	if (w->pf_virt_firmware_enabled == TRI_YES) {
		result_set(r, STATUS_PASS, "Windows reports virtualization enabled in firmware");
	} else {
		result_set(r, STATUS_FAIL, "Windows reports virtualization disabled in firmware");
		result_remedy(r, "%s", fix);
	}
	return true;
}

static void check_vtx(const struct facts *f, struct check_result *r)
{
	struct msr_view fc;
	facts_msr(f, MSR_IA32_FEATURE_CONTROL, &fc);
	msr_evidence(r, "ia32_feature_control", MSR_IA32_FEATURE_CONTROL, &fc);
	if (fc.have) {
		if (!fc.agree) {
			msr_disagree(r, MSR_IA32_FEATURE_CONTROL, &fc, FIX_VTX_FIRMWARE);
			return;
		}
		bool locked = fc.value & FEATURE_CONTROL_LOCKED;
		bool outside = fc.value & FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
		result_bool(r, "locked", locked, "IA32_FEATURE_CONTROL[0]");
		result_bool(r, "vmx_outside_smx", outside, "IA32_FEATURE_CONTROL[2]");
		if (locked && !outside) {
			result_set(r, STATUS_FAIL, "VT-x disabled by firmware (IA32_FEATURE_CONTROL "
						   "locked with VMX off)");
			result_remedy(r, "%s", FIX_VTX_FIRMWARE);
		} else if (locked) {
			result_set(r, STATUS_PASS, "VT-x enabled and locked by firmware");
		} else {
			result_set(r, STATUS_PASS, "IA32_FEATURE_CONTROL unlocked: the OS enables VT-x "
						   "itself (Linux 5.6+ does so at boot)");
		}
		return;
	}
	if (vtx_from_kernel(f, r) || from_windows(f, r, FIX_VTX_FIRMWARE))
		return;
	result_set(r, STATUS_UNKNOWN, "%s and no kernel evidence", msr_unavailable(&fc));
	result_remedy(r, "%s (0x3a)", HOWTO_MSR);
}

static void check_amdv(const struct facts *f, struct check_result *r)
{
	struct msr_view vmcr;
	facts_msr(f, MSR_VM_CR, &vmcr);
	msr_evidence(r, "vm_cr", MSR_VM_CR, &vmcr);
	if (vmcr.have) {
		if (!vmcr.agree) {
			msr_disagree(r, MSR_VM_CR, &vmcr, FIX_AMDV_FIRMWARE);
			return;
		}
		bool disabled = vmcr.value & VM_CR_SVMDIS;
		result_bool(r, "svmdis", disabled, "VM_CR[4]");
		result_bool(r, "locked", vmcr.value & VM_CR_LOCK, "VM_CR[3]");
		if (disabled) {
			result_set(r, STATUS_FAIL, "AMD-V disabled by firmware (VM_CR.SVMDIS = 1)");
			result_remedy(r, "%s", FIX_AMDV_FIRMWARE);
		} else {
			result_set(r, STATUS_PASS, "AMD-V enabled (VM_CR.SVMDIS = 0)");
		}
		return;
	}
	const struct linux_view *lx = &f->ev->linux_;
	const char *line = lx->kmsg[KMSG_SVM_DISABLED_BY_BIOS][0] ? lx->kmsg[KMSG_SVM_DISABLED_BY_BIOS]
								  : lx->kmsg[KMSG_KVM_DISABLED_BY_BIOS];
	if (line[0]) {
		result_text(r, "kernel_log", line, "kernel log");
		result_set(r, STATUS_FAIL, "AMD-V disabled by firmware (kernel log)");
		result_remedy(r, "%s", FIX_AMDV_FIRMWARE);
		return;
	}
	if (facts_kvm_proven(f)) {
		result_bool(r, "kvm_vm_created", true, "/dev/kvm KVM_CREATE_VM");
		result_set(r, STATUS_PASS, "AMD-V enabled: KVM created a VM");
		return;
	}
	/* Since Linux 6.x the kernel also clears `svm` when VM_CR.SVMDIS is set. */
	if (facts_kernel_flag_all(f, KFLAG_SVM) != TRI_UNKNOWN && lx->flag_cpus[KFLAG_SVM] == 0) {
		result_bool(r, "cpuinfo_svm", false, "/proc/cpuinfo flags");
		result_set(r, STATUS_FAIL, "AMD-V disabled by firmware: CPUID has SVM, the kernel "
					   "removed it from /proc/cpuinfo");
		result_remedy(r, "%s", FIX_AMDV_FIRMWARE);
		return;
	}
	if (from_windows(f, r, FIX_AMDV_FIRMWARE))
		return;
	result_set(r, STATUS_UNKNOWN, "%s and no kernel evidence", msr_unavailable(&vmcr));
	result_remedy(r, "%s (0xc0010114), or load kvm_amd and rerun: it logs when firmware "
			 "disabled SVM", HOWTO_MSR);
}

void check_fw_virt_enabled(const struct facts *f, struct check_result *r)
{
	if (check_no_cpu_data(f, r))
		return;
	const struct cpu_decoded *d = f->rep;
	tri_t have = d->family == VIRT_FAMILY_SVM ? d->svm : d->vmx;
	if (d->family == VIRT_FAMILY_NONE || have == TRI_NO) {
		if (facts_hyperv_root(f))
			result_set(r, STATUS_SKIP, "the Microsoft hypervisor owns VT-x/AMD-V here");
		else
			result_set(r, STATUS_SKIP, "no VT-x/AMD-V in CPUID, nothing for firmware to enable "
						   "(see cpu.virt_ext)");
		return;
	}
	if (d->family == VIRT_FAMILY_SVM)
		check_amdv(f, r);
	else
		check_vtx(f, r);
}

void check_fw_nx_enabled(const struct facts *f, struct check_result *r)
{
	if (check_no_cpu_data(f, r))
		return;
	const struct cpu_decoded *d = f->rep;
	if (cpu_has_xd_disable_msr(d)) {
		struct msr_view me;
		facts_msr(f, MSR_IA32_MISC_ENABLE, &me);
		msr_evidence(r, "ia32_misc_enable", MSR_IA32_MISC_ENABLE, &me);
		if (me.have && !me.agree) {
			msr_disagree(r, MSR_IA32_MISC_ENABLE, &me, FIX_NX_FIRMWARE);
			return;
		}
		if (me.have) {
			bool xd_off = me.value & MISC_ENABLE_XD_DISABLE;
			result_bool(r, "xd_disable", xd_off, "IA32_MISC_ENABLE[34]");
			if (xd_off) {
				result_set(r, STATUS_FAIL, "XD (NX) disabled by firmware (IA32_MISC_ENABLE[34] = 1)");
				result_remedy(r, "%s", FIX_NX_FIRMWARE);
			} else {
				result_set(r, STATUS_PASS, "firmware leaves XD (NX) enabled");
			}
			return;
		}
	}
	result_tri(r, "nx", d->nx, "CPUID 80000001H:EDX[20]");
	const struct linux_view *lx = &f->ev->linux_;
	if (d->nx == TRI_YES) {
		result_set(r, STATUS_PASS, "NX visible in CPUID, so firmware has not disabled it");
		return;
	}
	if (lx->kmsg[KMSG_NX_ACTIVE][0]) {
		result_text(r, "kernel_log", lx->kmsg[KMSG_NX_ACTIVE], "kernel log");
		result_set(r, STATUS_PASS, "the kernel reports NX protection active");
		return;
	}
	if (f->ev->windows.live && f->ev->windows.pf_nx_enabled == TRI_YES) {
		result_bool(r, "pf_nx_enabled", true, "IsProcessorFeaturePresent(PF_NX_ENABLED)");
		result_set(r, STATUS_PASS, "Windows reports NX (DEP) enabled");
		return;
	}
	if (d->nx == TRI_NO && d->family == VIRT_FAMILY_SVM && d->long_mode == TRI_YES) {
		/* Every x86-64 AMD processor has NX: only the firmware hides it. */
		result_set(r, STATUS_FAIL, "NX hidden by firmware (every x86-64 AMD processor has it)");
		result_remedy(r, "%s", FIX_NX_FIRMWARE);
		return;
	}
	if (d->nx == TRI_NO) {
		if (lx->kmsg[KMSG_NX_MISSING][0])
			result_text(r, "kernel_log", lx->kmsg[KMSG_NX_MISSING], "kernel log");
		result_set(r, STATUS_UNKNOWN, "NX is missing: the processor lacks it or firmware disabled "
					      "it, and IA32_MISC_ENABLE was not read");
		result_remedy(r, "%s (0x1a0) to tell which; meanwhile check the firmware's \"Execute "
				 "Disable Bit\" setting", HOWTO_MSR);
		return;
	}
	result_set(r, STATUS_UNKNOWN, "leaf 80000001H was not recorded");
}

void check_fw_boot(const struct facts *f, struct check_result *r)
{
	const struct boot_view *b = &f->ev->boot;
	if (!b->probed) {
		result_set(r, STATUS_SKIP, "no boot information in %s", check_source_words(f));
		return;
	}
	result_tri(r, "uefi", b->uefi, "/sys/firmware/efi");
	result_tri(r, "secure_boot", b->secure_boot, "EFI variable SecureBoot");
	if (b->uefi == TRI_UNKNOWN) {
		result_set(r, STATUS_UNKNOWN, "boot mode not readable");
		return;
	}
	if (b->uefi == TRI_NO) {
		result_set(r, STATUS_PASS, "booted by legacy BIOS");
		return;
	}
	result_set(r, STATUS_PASS, "booted by UEFI, Secure Boot %s",
		   b->secure_boot == TRI_YES ? "on" : b->secure_boot == TRI_NO ? "off" : "state unknown");
}
