/* SPDX-License-Identifier: MIT */
/*
 * Checks of what the firmware decided: whether it left VT-x/AMD-V and NX
 * usable. MSRs are the direct evidence; the Linux kernel's view (it clears
 * `vmx` from /proc/cpuinfo and logs when firmware disabled VT-x) comes next.
 */
#include "checks.h"

#include <stdio.h>
#include <string.h>

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

/* The first kernel log line among facts (the wordings of every release:
 * docs/checks.md, fw.virt_enabled); "" when none. */
static const char *kernel_log_line(const struct linux_view *lx, const enum kmsg_fact *facts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lx->kmsg[facts[i]][0])
			return lx->kmsg[facts[i]];
	return "";
}

/* x86/cpu's and kvm_intel's own lines, then KVM's older vendor-neutral
 * "kvm: disabled by bios" (up to 5.15), which on an Intel CPU means VT-x. */
static const enum kmsg_fact vtx_lines[] = { KMSG_VMX_DISABLED_BY_BIOS, KMSG_KVM_DISABLED_BY_BIOS };
static const enum kmsg_fact amdv_lines[] = { KMSG_SVM_DISABLED_BY_BIOS, KMSG_KVM_DISABLED_BY_BIOS };

/* Linux 5.6+ clears `vmx` from /proc/cpuinfo when firmware locked VT-x off. */
static bool vtx_from_kernel(const struct facts *f, struct check_result *r)
{
	const struct evidence *ev = f->ev;
	const struct linux_view *lx = &ev->linux_;
	const char *line = kernel_log_line(lx, vtx_lines, sizeof(vtx_lines) / sizeof(vtx_lines[0]));
	if (line[0]) {
		result_text(r, "kernel_log", line, "kernel log");
		result_set(r, STATUS_FAIL, "VT-x disabled by firmware (kernel log)");
		result_remedy(r, "%s", FIX_VTX_FIRMWARE);
		return true;
	}
	/* The kernel cleared VMX without saying firmware did: the setting, or
	 * its own setup failed (an earlier line says which). */
	line = lx->kmsg[KMSG_VMX_NOT_FULLY_ENABLED];
	if (line[0]) {
		result_text(r, "kernel_log", line, "kernel log");
		result_set(r, STATUS_FAIL, "VT-x not fully enabled: the kernel turned VMX off (kernel log)");
		result_remedy(r, "%s; if it is enabled, the kernel log lines before this one say why",
			      FIX_VTX_FIRMWARE);
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
	const char *line = kernel_log_line(lx, amdv_lines, sizeof(amdv_lines) / sizeof(amdv_lines[0]));
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
	/* Since Linux 6.7 (commit 7deda2ce5b33) the kernel also clears `svm`
	 * when VM_CR.SVMDIS is set; older kernels always list it. */
	if (facts_kernel_flag_all(f, KFLAG_SVM) != TRI_UNKNOWN && lx->flag_cpus[KFLAG_SVM] == 0 &&
	    kernel_at_least(lx->kernel_release, 6, 7)) {
		result_text(r, "kernel", lx->kernel_release, "uname -r");
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

/*
 * Processors that always implement NX/XD: on bare metal, NX missing from
 * CPUID there means the firmware turned it off (IA32_MISC_ENABLE[34] clears
 * the CPUID bit: Intel SDM vol. 4, table 2-2). Not Pentium M "Dothan"
 * (family 6, model 0DH) or Pentium 4 (family 0FH): both shipped steppings
 * without XD (docs/checks.md, fw.nx_enabled).
 */
static const struct {
	const char *vendor;
	unsigned family_lo, family_hi, model_lo;
	const char *why;
} nx_always[] = {
	{ "GenuineIntel", 6, 6, 0x0E,
	  "every Intel processor from the Core Solo/Duo (family 6, model 0EH) on has XD" },
	{ "GenuineIntel", 0x10, 0xFF, 0, "every Intel processor of family 10H or later has XD" },
	{ "AuthenticAMD", 0x0F, 0xFF, 0, "every x86-64 AMD processor (family 0FH on) has NX" },
	{ "HygonGenuine", 0x18, 0xFF, 0, "every Hygon processor has NX" },
};

static const char *nx_always_present(const struct cpu_decoded *d)
{
	for (size_t i = 0; i < sizeof(nx_always) / sizeof(nx_always[0]); i++)
		if (strcmp(nx_always[i].vendor, d->vendor) == 0 &&
		    d->cpu_family >= nx_always[i].family_lo && d->cpu_family <= nx_always[i].family_hi &&
		    d->cpu_model >= nx_always[i].model_lo)
			return nx_always[i].why;
	return NULL;
}

/*
 * Linux clears IA32_MISC_ENABLE[34] (XD disable) as it boots on Intel
 * processors of family 6 from model 0DH on and of later families
 * (arch/x86/kernel/verify_cpu.S), so under Linux neither that bit nor NX
 * in CPUID shows what the firmware set, which is what Windows gets.
 */
static bool linux_reenabled_xd(const struct facts *f)
{
	const struct cpu_decoded *d = f->rep;
	return f->ev->linux_.present && cpu_has_xd_disable_msr(d) &&
	       (d->cpu_family > 6 || (d->cpu_family == 6 && d->cpu_model >= 0x0D));
}

static void nx_hidden_by_linux(const struct facts *f, struct check_result *r)
{
	const char *release = f->ev->linux_.kernel_release;
	result_text(r, "kernel", release[0] ? release : NULL, "uname -r");
	result_bool(r, "linux_clears_xd_disable", true,
		    "Linux arch/x86/kernel/verify_cpu.S (Intel family 6 model 0DH on)");
	result_set(r, STATUS_UNKNOWN, "NX is on because Linux turned XD back on as it booted: the "
				      "firmware's setting, which Windows gets, cannot be seen from Linux");
	result_remedy(r, "make sure the firmware setup has \"Execute Disable Bit\" (XD) enabled, or run "
			 "hvprobe on Windows or as hvprobe.efi, which see the firmware's setting; KVM on "
			 "this Linux is unaffected (Linux enables XD itself)");
}

/* IA32_MISC_ENABLE[34], where the firmware's XD setting lives on Intel.
 * Returns true when it settled the check. */
static bool nx_from_msr(const struct facts *f, struct check_result *r, bool reenabled)
{
	struct msr_view me;
	facts_msr(f, MSR_IA32_MISC_ENABLE, &me);
	msr_evidence(r, "ia32_misc_enable", MSR_IA32_MISC_ENABLE, &me);
	if (!me.have)
		return false;
	if (!me.agree) {
		msr_disagree(r, MSR_IA32_MISC_ENABLE, &me, FIX_NX_FIRMWARE);
		return true;
	}
	bool xd_off = me.value & MISC_ENABLE_XD_DISABLE;
	result_bool(r, "xd_disable", xd_off, "IA32_MISC_ENABLE[34]");
	if (xd_off) {
		result_set(r, STATUS_FAIL, "XD (NX) disabled by firmware (IA32_MISC_ENABLE[34] = 1)");
		result_remedy(r, "%s", FIX_NX_FIRMWARE);
		return true;
	}
	if (reenabled)
		return false; /* clear because Linux cleared it */
	result_set(r, STATUS_PASS, "firmware leaves XD (NX) enabled");
	return true;
}

/* NX missing from CPUID and no MSR to tell why. */
static void nx_missing(const struct facts *f, struct check_result *r)
{
	const struct cpu_decoded *d = f->rep;
	const struct linux_view *lx = &f->ev->linux_;
	const char *why = d->hv_bit == TRI_NO ? nx_always_present(d) : NULL;
	if (lx->kmsg[KMSG_NX_MISSING][0])
		result_text(r, "kernel_log", lx->kmsg[KMSG_NX_MISSING], "kernel log");
	if (why) {
		result_set(r, STATUS_FAIL, "XD (NX) disabled by firmware: %s", why);
		result_remedy(r, "%s", FIX_NX_FIRMWARE);
		return;
	}
	if (d->hv_bit == TRI_YES)
		result_set(r, STATUS_UNKNOWN, "NX is missing in this virtual machine: the hypervisor below "
					      "hides it, or the host's firmware disabled it");
	else
		result_set(r, STATUS_UNKNOWN, "NX is missing: this processor may have been built without "
					      "it, or firmware disabled it, and IA32_MISC_ENABLE was not read");
	result_remedy(r, "%s (0x1a0) to tell which; meanwhile check the firmware's \"Execute "
			 "Disable Bit\" setting", HOWTO_MSR);
}

void check_fw_nx_enabled(const struct facts *f, struct check_result *r)
{
	const struct cpu_decoded *d = f->rep;
	if (d->no_ext_leaves) {
		result_text(r, "extended_leaves", "none", d->ext_leaves_source);
		result_set(r, STATUS_SKIP, "the processor predates NX, nothing for firmware to enable "
					   "(see cpu.nx)");
		return;
	}
	bool reenabled = linux_reenabled_xd(f);
	if (cpu_has_xd_disable_msr(d) && nx_from_msr(f, r, reenabled))
		return;
	result_tri(r, "nx", d->nx, "CPUID 80000001H:EDX[20]");
	const struct linux_view *lx = &f->ev->linux_;
	if (reenabled && (d->nx == TRI_YES || lx->kmsg[KMSG_NX_ACTIVE][0])) {
		nx_hidden_by_linux(f, r);
		return;
	}
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
	if (d->nx == TRI_NO) {
		nx_missing(f, r);
		return;
	}
	result_set(r, STATUS_UNKNOWN, "leaf 80000001H was not recorded");
}

void check_fw_boot(const struct facts *f, struct check_result *r)
{
	const struct boot_view *b = &f->ev->boot;
	const struct windows_boot *wb = &f->ev->winboot;
	if (!b->probed) {
		/* Offline, the Windows volume records how Windows booted
		 * (EVIDENCE_BOOT_MODE runs this check only with one or the other). */
		result_tri(r, "uefi", wb->uefi, wb->uefi_source);
		result_set(r, STATUS_PASS, "Windows boots by %s (%s); Secure Boot not recorded",
			   wb->uefi == TRI_YES ? "UEFI" : "legacy BIOS", wb->uefi_source);
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
