/* SPDX-License-Identifier: MIT */
/* Each check, through every status it can return. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "formats/kmsg.h"
#include "probe/cpuid_decode.h"

#define ASSERT_CONTAINS(hay, needle)                                               \
	do {                                                                       \
		if (!strstr((hay), (needle)))                                      \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle)); \
	} while (0)

static void add_msr(struct evidence *ev, int cpu, uint32_t index, uint64_t value)
{
	struct msr_reading r = { cpu, index, MSR_OK, value };
	assert_true(evidence_add_msr(ev, &r));
	ev->msr_origin = cpu == MSR_ALL_CPUS ? MSR_ORIGIN_RECORDED : MSR_ORIGIN_LIVE;
}

static void set_signature(struct cpu_record *c, const char *sig)
{
	uint32_t r[3];
	memcpy(r, sig, 12);
	put_leaf(c, 0x40000000u, 0, 0x40000001u, r[0], r[1], r[2]);
	put_leaf(c, 0x40000001u, 0, 0, 0, 0, 0);
}

static void make_hyperv_root(struct cpu_record *c)
{
	uint32_t r[3];
	memcpy(r, "Microsoft Hv", 12);
	put_leaf(c, 0x40000000u, 0, 0x4000000Bu, r[0], r[1], r[2]);
	put_leaf(c, 0x40000001u, 0, CPUID_HV_INTERFACE_HV1, 0, 0, 0);
	put_leaf(c, 0x40000003u, 0, 0x3fff, 0x2bb9ff, 0, 0);
}

/* ---- cpu.arch ---- */
static void arch_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	struct cpu_record *c = add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	run_check(&ev, CHECK_CPU_ARCH, &r);
	assert_int_equal(r.status, STATUS_PASS);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_NX);
	run_check(&ev, CHECK_CPU_ARCH, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "64-bit");
	evidence_free(&ev);

	evidence_init(&ev);
	c = evidence_add_cpu(&ev, 0);
	put_leaf(c, 0, 0, 1, VENDOR_INTEL);
	put_leaf(c, 1, 0, 0, 0, 0, 0);
	put_leaf(c, 0x80000000u, 0, 0x80000008u, 0, 0, 0); /* 0x80000001 not recorded */
	run_check(&ev, CHECK_CPU_ARCH, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	evidence_free(&ev);
}

/* ---- cpu.virt_ext ---- */
static void virt_ext_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;

	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	run_check(&ev, CHECK_CPU_VIRT_EXT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);

	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0);
	run_check(&ev, CHECK_CPU_VIRT_EXT, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "processor itself lacks");
	evidence_free(&ev);

	evidence_init(&ev);
	set_signature(add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR), "KVMKVMKVM\0\0\0");
	run_check(&ev, CHECK_CPU_VIRT_EXT, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "nested virtualization");
	evidence_free(&ev);

	evidence_init(&ev);
	make_hyperv_root(add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR));
	run_check(&ev, CHECK_CPU_VIRT_EXT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN); /* hidden, not absent (h3_virt_ext_hidden_by_root) */
	ASSERT_CONTAINS(r.summary, "Microsoft hypervisor");
	evidence_free(&ev);

	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, true);
	run_check(&ev, CHECK_CPU_VIRT_EXT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_true(find_item(&r, "svm")->boolean);
	evidence_free(&ev);

	evidence_init(&ev);
	struct cpu_record *c = evidence_add_cpu(&ev, 0);
	put_leaf(c, 0, 0, 0xd, VENDOR_INTEL);
	run_check(&ev, CHECK_CPU_VIRT_EXT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	evidence_free(&ev);
}

/* ---- cpu.nx ---- */
static void nx_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	struct cpu_record *c = add_intel_cpu(&ev, 0, 0);
	run_check(&ev, CHECK_CPU_NX, &r);
	assert_int_equal(r.status, STATUS_PASS);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_LM);
	run_check(&ev, CHECK_CPU_NX, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "Execute Disable");
	ASSERT_CONTAINS(r.remedy, "power the machine off and on");
	evidence_free(&ev);
}

/* ---- cpu.slat ---- */
static void slat_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;

	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, true);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);

	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, false);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "2012 R2");
	evidence_free(&ev);

	/* Intel: EPT only from the VMX capability MSRs or the kernel */
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.remedy, "modprobe msr");
	add_msr(&ev, MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS, PROCBASED_CTLS_ACTIVATE_SECONDARY);
	add_msr(&ev, MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2, PROCBASED_CTLS2_EPT);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(find_item(&r, "slat")->source, "0x48B");
	add_msr(&ev, MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2, PROCBASED_CTLS2_UNRESTRICTED_GUEST);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	evidence_free(&ev);

	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	ev.linux_.cpuinfo_cpus = 1;
	ev.linux_.flag_cpus[KFLAG_VMX] = 1;
	ev.linux_.flag_cpus[KFLAG_EPT] = 1;
	ev.linux_.vmx_flags_line = true;
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(find_item(&r, "slat")->source, "vmx flags");
	evidence_free(&ev);
}

/* ---- cpu.consistency ---- */
static void consistency_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	add_intel_cpu(&ev, 1, CPUID_1_ECX_VMX);
	evidence_add_cpu(&ev, 2); /* no data */
	run_check(&ev, CHECK_CPU_CONSISTENCY, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(r.summary, "no data");
	add_intel_cpu(&ev, 3, 0);
	run_check(&ev, CHECK_CPU_CONSISTENCY, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "VMX is present on CPU 0 but absent on CPU 3");
	evidence_free(&ev);

	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	ev.linux_.cpuinfo_cpus = 4;
	ev.linux_.flag_cpus[KFLAG_VMX] = 3;
	run_check(&ev, CHECK_CPU_CONSISTENCY, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "vmx on 3 of 4");
	evidence_free(&ev);
}

/* ---- hv.running and hv.nested ---- */
static void hypervisor_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	struct cpu_record *c;

	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	run_check(&ev, CHECK_HV_RUNNING, &r);
	assert_int_equal(r.status, STATUS_PASS);
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_SKIP);
	evidence_free(&ev);

	evidence_init(&ev);
	c = add_amd_cpu(&ev, 0, false, false);
	put_leaf(c, 1, 0, 0xa20f12, 0, 0x7ef8320b | CPUID_1_ECX_HYPERVISOR, 0x178bfbff);
	set_signature(c, "TCGTCGTCGTCG");
	run_check(&ev, CHECK_HV_RUNNING, &r);
	assert_int_equal(r.status, STATUS_WARN);
	ASSERT_CONTAINS(r.summary, "QEMU TCG");
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "-cpu EPYC");
	evidence_free(&ev);

	evidence_init(&ev);
	set_signature(add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR | CPUID_1_ECX_VMX), "KVMKVMKVM\0\0\0");
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);

	evidence_init(&ev);
	make_hyperv_root(add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR));
	run_check(&ev, CHECK_HV_RUNNING, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(r.summary, "root partition");
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_SKIP);
	evidence_free(&ev);

	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR); /* bit set, no signature recorded */
	run_check(&ev, CHECK_HV_RUNNING, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	evidence_free(&ev);
}

/* ---- fw.virt_enabled ---- */
static void vtx_firmware_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;

	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	add_intel_cpu(&ev, 1, CPUID_1_ECX_VMX);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "module msr not loaded");
	ASSERT_CONTAINS(r.remedy, "--msr");

	add_msr(&ev, 0, MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCKED);
	add_msr(&ev, 1, MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCKED);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "Intel Virtualization Technology");
	ASSERT_CONTAINS(r.remedy, "power the machine off and on");

	add_msr(&ev, 0, MSR_IA32_FEATURE_CONTROL, 0x5);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL); /* CPU 1 still differs */
	ASSERT_CONTAINS(r.summary, "different states");

	add_msr(&ev, 1, MSR_IA32_FEATURE_CONTROL, 0x5);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	add_msr(&ev, 0, MSR_IA32_FEATURE_CONTROL, 0);
	add_msr(&ev, 1, MSR_IA32_FEATURE_CONTROL, 0);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(r.summary, "unlocked");
	evidence_free(&ev);

	/* kernel evidence: 5.6+ removes vmx from cpuinfo when firmware locked it off */
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	strcpy(ev.linux_.kernel_release, "6.1.0-18-amd64");
	ev.linux_.cpuinfo_cpus = 1;
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ev.linux_.flag_cpus[KFLAG_VMX] = 1;
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	strcpy(ev.linux_.kernel_release, "4.19.0");
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN); /* old kernels never clear vmx */
	strcpy(ev.linux_.kmsg[KMSG_VMX_DISABLED_BY_BIOS], "x86/cpu: VMX (outside TXT) disabled by BIOS");
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(find_item(&r, "kernel_log")->text, "disabled by BIOS");
	evidence_free(&ev);

	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_SKIP);
	evidence_free(&ev);
}

static void amdv_firmware_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, true);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	add_msr(&ev, MSR_ALL_CPUS, MSR_VM_CR, VM_CR_SVMDIS | VM_CR_LOCK);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "SVM Mode");
	ASSERT_CONTAINS(find_item(&r, "vm_cr")->source, "recorded");
	add_msr(&ev, MSR_ALL_CPUS, MSR_VM_CR, 0);
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);

	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, true);
	strcpy(ev.linux_.kmsg[KMSG_SVM_DISABLED_BY_BIOS], "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR");
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ev.linux_.kmsg[KMSG_SVM_DISABLED_BY_BIOS][0] = '\0';
	ev.kvm.vm_created = TRI_YES;
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);
}

/* ---- fw.nx_enabled ---- */
static void nx_firmware_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	struct cpu_record *c = add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_LM);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL); /* family 6 model 9EH always has XD (h3_nx_*) */
	add_msr(&ev, MSR_ALL_CPUS, MSR_IA32_MISC_ENABLE, MISC_ENABLE_XD_DISABLE | 0x1);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "Execute Disable Bit");
	add_msr(&ev, MSR_ALL_CPUS, MSR_IA32_MISC_ENABLE, 0x1);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);

	evidence_init(&ev);
	c = add_amd_cpu(&ev, 0, true, true);
	put_leaf(c, 0x80000001u, 0, 0, 0, CPUID_80000001_ECX_SVM, CPUID_80000001_EDX_LM);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	evidence_free(&ev);
}

/* ---- fw.boot ---- */
static void boot_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0);
	run_check(&ev, CHECK_FW_BOOT, &r);
	assert_int_equal(r.status, STATUS_SKIP);
	ev.boot.probed = true;
	run_check(&ev, CHECK_FW_BOOT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ev.boot.uefi = TRI_YES;
	ev.boot.secure_boot = TRI_YES;
	run_check(&ev, CHECK_FW_BOOT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_string_equal(r.summary, "booted by UEFI, Secure Boot on");
	ev.boot.uefi = TRI_NO;
	run_check(&ev, CHECK_FW_BOOT, &r);
	assert_string_equal(r.summary, "booted by legacy BIOS");
	evidence_free(&ev);
}

/* ---- os.kvm ---- */
static void kvm_statuses(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_SKIP);
	ev.kvm.probed = true;
	ev.kvm.device = TRI_NO;
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "modprobe kvm_intel");
	ev.kvm.device = TRI_YES;
	strcpy(ev.kvm.open_error, "EACCES");
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.remedy, "kvm group");
	ev.kvm.open_error[0] = '\0';
	ev.kvm.api_version = 11;
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ev.kvm.api_version = 12;
	ev.kvm.vm_created = TRI_NO;
	strcpy(ev.kvm.create_error, "EBUSY");
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "VirtualBox");
	ev.kvm.vm_created = TRI_YES;
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);

	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, true);
	ev.kvm.probed = true;
	ev.kvm.device = TRI_NO;
	run_check(&ev, CHECK_OS_KVM, &r);
	ASSERT_CONTAINS(r.remedy, "modprobe kvm_amd");
	evidence_free(&ev);
}

/* A source without some evidence says which source: a live Windows or UEFI
 * run has no /dev/kvm either, and is no CPUID dump. */
static void missing_evidence_names_the_source(void **state)
{
	(void)state;
	static const struct {
		enum source_kind source;
		const char *words;
	} cases[] = { { SOURCE_DUMP, "this CPUID dump" }, { SOURCE_BUNDLE, "this bundle" },
		      { SOURCE_LIVE, "this system" } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evidence ev;
		struct check_result r;
		char want[96];
		evidence_init(&ev);
		add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
		ev.source = cases[i].source;
		run_check(&ev, CHECK_OS_KVM, &r);
		snprintf(want, sizeof(want), "no /dev/kvm evidence in %s", cases[i].words);
		assert_string_equal(r.summary, want);
		run_check(&ev, CHECK_FW_BOOT, &r);
		snprintf(want, sizeof(want), "no boot mode evidence in %s", cases[i].words);
		assert_string_equal(r.summary, want);
		evidence_free(&ev);
	}
}

/* ---- the Linux kernel's evidence on every release (docs/checks.md,
 * fw.virt_enabled and os.kvm): kernel log wordings, built-in KVM,
 * kvm.enable_virt_at_load ---- */

/* A log line as the kernel printed it, through the real scanner. */
static void kernel_says(struct evidence *ev, const char *line)
{
	kmsg_scan_line(line, strlen(line), &ev->linux_);
	ev->linux_.kmsg_read = TRI_YES;
}

/* Debian 12 (6.1) on AMD, and Intel before 5.6: KVM's own refusal is the
 * firmware evidence when no MSR was read. */
static void fw_kernel_log_of_each_release(void **state)
{
	(void)state;
	static const struct {
		const char *release, *line;
		bool amd;
	} cases[] = {
		{ "4.19.0-25-amd64", "kvm: disabled by bios", false },
		{ "4.19.0-25-amd64", "kvm: disabled by bios", true },
		{ "6.1.0-18-amd64", "kvm: support for 'kvm_amd' disabled by bios", true },
		{ "6.1.0-18-amd64", "kvm: support for 'kvm_intel' disabled by bios", false },
		{ "5.10.0-28-amd64", "kvm: VMX is disabled on CPU 0", false },
		{ "6.8.0-45-generic", "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0", false },
		{ "6.5.0-44-generic", "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 0", true },
		{ "6.8.0-45-generic", "SVM disabled (by BIOS) in MSR_VM_CR", true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evidence ev;
		struct check_result r;
		evidence_init(&ev);
		if (cases[i].amd)
			add_amd_cpu(&ev, 0, true, true);
		else
			add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
		strcpy(ev.linux_.kernel_release, cases[i].release);
		kernel_says(&ev, cases[i].line);
		run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
		if (r.status != STATUS_FAIL)
			fail_msg("Linux %s \"%s\": %s", cases[i].release, cases[i].line, r.summary);
		assert_string_equal(find_item(&r, "kernel_log")->text, cases[i].line);
		ASSERT_CONTAINS(r.remedy, cases[i].amd ? "SVM Mode" : "Intel Virtualization Technology");
		evidence_free(&ev);
	}
}

static void fw_vmx_not_fully_enabled(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	kernel_says(&ev, "kvm_intel: VMX not fully enabled on CPU 2.  Check kernel logs and/or BIOS");
	run_check(&ev, CHECK_FW_VIRT_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "not fully enabled");
	ASSERT_CONTAINS(r.remedy, "lines before this one");
	evidence_free(&ev);
}

/* The live collector's view of a Firecracker-style guest: kvm and kvm_pvm
 * built in, no misc device, a virtual CPU without VT-x/AMD-V. */
static void guest_with_builtin_kvm(struct evidence *ev, bool vmx)
{
	struct cpu_record *c = add_intel_cpu(ev, 0, (vmx ? CPUID_1_ECX_VMX : 0) | CPUID_1_ECX_HYPERVISOR);
	set_signature(c, "bhyve bhyve ");
	ev->kvm.probed = true;
	ev->kvm.device = TRI_NO;
	strcpy(ev->kvm.modules, "kvm kvm_pvm");
	ev->kvm.sysfs_read = true;
	strcpy(ev->kvm.builtin, "kvm kvm_pvm");
	ev->kvm.misc_device = TRI_NO;
	ev->kvm.virt_at_load = TRI_YES;
	ev->linux_.kmsg_read = TRI_YES;
}

static void kvm_builtin_never_loaded_as_module(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	guest_with_builtin_kvm(&ev, false);
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "built into the kernel (kvm kvm_pvm)");
	/* software KVM needs no VT-x/AMD-V: their absence is not the reason */
	ASSERT_CONTAINS(r.summary, "kvm_pvm (software KVM, which needs no VT-x/AMD-V) registered no "
				   "device, and the kernel log does not say why");
	ASSERT_CONTAINS(r.remedy, "kvm and pvm messages");
	ASSERT_CONTAINS(r.remedy, "hv.nested");
	assert_null(strstr(r.remedy, "udevadm"));
	assert_null(strstr(r.remedy, "modprobe"));
	assert_string_equal(find_item(&r, "builtin")->text, "kvm kvm_pvm");
	assert_false(find_item(&r, "misc_device")->boolean);
	assert_non_null(find_item(&r, "enable_virt_at_load"));
	evidence_free(&ev);

	/* the kernel log's reason comes first */
	evidence_init(&ev);
	guest_with_builtin_kvm(&ev, true);
	strcpy(ev.kvm.builtin, "kvm kvm_intel");
	strcpy(ev.kvm.modules, "kvm kvm_intel");
	kernel_says(&ev, "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0");
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "firmware disabled VT-x");
	ASSERT_CONTAINS(r.remedy, "Intel Virtualization Technology");
	ASSERT_CONTAINS(find_item(&r, "kernel_log")->text, "VMX not enabled (by BIOS)");
	evidence_free(&ev);

	/* built in, VT-x there, the log silent: no modprobe for a built-in module */
	evidence_init(&ev);
	guest_with_builtin_kvm(&ev, true);
	strcpy(ev.kvm.builtin, "kvm kvm_intel");
	strcpy(ev.kvm.modules, "kvm kvm_intel");
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "kvm_intel is built in");
	assert_null(strstr(r.remedy, "modprobe"));
	evidence_free(&ev);
}

static void kvm_device_registered_or_module_missing(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	ev.kvm.probed = true;
	ev.kvm.device = TRI_NO;
	strcpy(ev.kvm.modules, "kvm kvm_intel");
	ev.kvm.sysfs_read = true;
	ev.kvm.misc_device = TRI_YES; /* registered: only the node is missing */
	ev.kvm.virt_at_load = TRI_UNKNOWN;
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "udevadm trigger");
	ASSERT_CONTAINS(r.remedy, "mknod /dev/kvm c 10 232");

	/* kvm.ko loaded, kvm_intel refused and unloaded: the log says why */
	ev.kvm.misc_device = TRI_NO;
	strcpy(ev.kvm.modules, "kvm");
	run_check(&ev, CHECK_OS_KVM, &r);
	ASSERT_CONTAINS(r.remedy, "modprobe kvm_intel");
	kernel_says(&ev, "kvm: enabling virtualization on CPU0 failed");
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "could not turn VT-x/AMD-V on");
	ASSERT_CONTAINS(r.remedy, "VirtualBox");
	ASSERT_CONTAINS(r.remedy, "modprobe -r kvm_intel");
	evidence_free(&ev);

	/* a bundle from before sysfs was recorded keeps the old advice */
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	ev.kvm.probed = true;
	ev.kvm.device = TRI_NO;
	strcpy(ev.kvm.modules, "kvm kvm_intel");
	run_check(&ev, CHECK_OS_KVM, &r);
	ASSERT_CONTAINS(r.remedy, "udevadm trigger");
	assert_null(find_item(&r, "misc_device"));
	evidence_free(&ev);
}

static void kvm_enable_virt_at_load(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	ev.kvm.probed = true;
	ev.kvm.device = TRI_YES;
	ev.kvm.api_version = 12;
	ev.kvm.vm_created = TRI_YES;
	ev.kvm.sysfs_read = true;
	ev.kvm.misc_device = TRI_YES;
	ev.kvm.virt_at_load = TRI_YES;
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(r.summary, "VirtualBox or VMware cannot start");
	ASSERT_CONTAINS(r.remedy, "kvm.enable_virt_at_load=0");
	ASSERT_CONTAINS(r.remedy, "/etc/modprobe.d/");
	assert_true(find_item(&r, "enable_virt_at_load")->boolean);
	ev.kvm.virt_at_load = TRI_NO;
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_string_equal(r.summary, "/dev/kvm API 12, created a VM");

	/* EBUSY: another hypervisor holds VT-x */
	ev.kvm.vm_created = TRI_NO;
	strcpy(ev.kvm.create_error, "EBUSY");
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "take turns");
	ev.kvm.virt_at_load = TRI_UNKNOWN;
	run_check(&ev, CHECK_OS_KVM, &r);
	ASSERT_CONTAINS(r.remedy, "kvm.enable_virt_at_load=0 on the kernel command line");
	evidence_free(&ev);
}

/* ---- h3: Hyper-V root partitions, signatures, NX, CPUs without extended leaves ---- */

#define H3_ROOT_DUMP "cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt"

/* Set bits in EAX of one leaf on every CPU of a loaded dump. */
static void h3_or_eax(struct evidence *ev, uint32_t leaf, uint32_t bits)
{
	for (size_t i = 0; i < ev->ncpus; i++) {
		const struct cpuid_leaf *l = cpu_record_find(&ev->cpus[i], leaf, 0);
		if (l)
			put_leaf(&ev->cpus[i], leaf, 0, l->eax | bits, l->ebx, l->ecx, l->edx);
	}
}

/* An AMD processor under the Microsoft hypervisor: SVM hidden, as Hyper-V
 * hides it. root: CreatePartitions; hw_eax: 40000006H EAX, or none. */
static struct cpu_record *h3_amd_under_hyperv(struct evidence *ev, bool root,
					      const uint32_t *hw_eax)
{
	struct cpu_record *c = add_amd_cpu(ev, 0, false, false);
	uint32_t r[3];
	memcpy(r, "Microsoft Hv", 12);
	put_leaf(c, 1, 0, 0xa20f12, 0, 0x7ef8320b | CPUID_1_ECX_HYPERVISOR, 0x178bfbff);
	put_leaf(c, 0x40000000u, 0, 0x4000000Bu, r[0], r[1], r[2]);
	put_leaf(c, 0x40000001u, 0, CPUID_HV_INTERFACE_HV1, 0, 0, 0);
	put_leaf(c, 0x40000003u, 0, 0x3fff, root ? 0x2bb9ff : 0x2bb9fe, 0, 0);
	if (hw_eax)
		put_leaf(c, 0x40000006u, 0, *hw_eax, 0, 0, 0);
	return c;
}

static void h3_slat_on_hyperv_root(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	static const uint32_t slat_in_use = CPUID_HV_HW_FEATURES_EAX_SLAT_IN_USE, no_slat = 0;

	/* the real root partition: EPT hidden, SLAT in use by the hypervisor */
	evidence_init(&ev);
	load_fixture(H3_ROOT_DUMP, &ev);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(find_item(&r, "slat")->source, "40000006H:EAX[3]");
	evidence_free(&ev);

	/* AMD: NPT hidden with SVM was read as "missing" */
	evidence_init(&ev);
	h3_amd_under_hyperv(&ev, true, &slat_in_use);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);

	evidence_init(&ev);
	h3_amd_under_hyperv(&ev, true, &no_slat);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "runs without SLAT");
	ASSERT_CONTAINS(r.remedy, "hypervisordisableslat");
	evidence_free(&ev);

	evidence_init(&ev);
	h3_amd_under_hyperv(&ev, true, NULL);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	evidence_free(&ev);

	/* a guest of Hyper-V: the hypervisor's SLAT is not the guest's */
	evidence_init(&ev);
	h3_amd_under_hyperv(&ev, false, &slat_in_use);
	run_check(&ev, CHECK_CPU_SLAT, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	evidence_free(&ev);
}

static void h3_virt_ext_hidden_by_root(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	load_fixture(H3_ROOT_DUMP, &ev);
	run_check(&ev, CHECK_CPU_VIRT_EXT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "hidden by the Microsoft hypervisor");
	ASSERT_CONTAINS(r.summary, "cannot be seen");
	ASSERT_CONTAINS(r.remedy, "-t hyperv");
	ASSERT_CONTAINS(r.remedy, "hypervisorlaunchtype off");
	evidence_free(&ev);

	evidence_init(&ev);
	h3_amd_under_hyperv(&ev, true, NULL);
	run_check(&ev, CHECK_CPU_VIRT_EXT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "AMD-V");
	evidence_free(&ev);
}

static void h3_nested_hyperv_root(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	load_fixture(H3_ROOT_DUMP, &ev);
	run_check(&ev, CHECK_HV_RUNNING, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_false(find_item(&r, "nested")->boolean);
	ASSERT_CONTAINS(r.summary, "does not report running nested");
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_SKIP);

	h3_or_eax(&ev, 0x40000004u, CPUID_HV_ENLIGHTENMENTS_EAX_NESTED);
	run_check(&ev, CHECK_HV_RUNNING, &r);
	assert_int_equal(r.status, STATUS_WARN);
	assert_true(find_item(&r, "nested")->boolean);
	ASSERT_CONTAINS(find_item(&r, "nested")->source, "40000004H:EAX[12]");
	ASSERT_CONTAINS(r.summary, "nested in a Hyper-V virtual machine");
	ASSERT_CONTAINS(r.remedy, "outer host");
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(r.summary, "nested virtualization works");
	evidence_free(&ev);
}

static void h3_nested_on_amd_names_windows_versions(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	h3_amd_under_hyperv(&ev, false, NULL);
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "ExposeVirtualizationExtensions");
	ASSERT_CONTAINS(r.remedy, "Windows Server 2022 or Windows 11 (build 22000)");
	ASSERT_CONTAINS(r.remedy, "configuration version 9.3");
	evidence_free(&ev);

	/* VT-x needs none of that */
	evidence_init(&ev);
	struct cpu_record *c = add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR);
	make_hyperv_root(c);
	put_leaf(c, 0x40000003u, 0, 0x3fff, 0x2bb9fe, 0, 0); /* a guest */
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "ExposeVirtualizationExtensions");
	assert_null(strstr(r.remedy, "Windows Server 2022"));
	evidence_free(&ev);
}

static void h3_parallels_guest_is_named(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	set_signature(add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR), "prl hyperv  ");
	run_check(&ev, CHECK_HV_RUNNING, &r);
	assert_int_equal(r.status, STATUS_WARN);
	assert_string_equal(r.summary, "this OS is a guest of Parallels");
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.remedy, "in Parallels");
	evidence_free(&ev);
}

/* Linux clears IA32_MISC_ENABLE[34] as it boots: under Linux, NX and that
 * bit show Linux's choice, not the firmware's. */
static void h3_nx_under_linux_hides_the_firmware_setting(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	ev.linux_.present = true;
	strcpy(ev.linux_.kernel_release, "6.1.0-18-amd64");
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "Linux turned XD back on");
	ASSERT_CONTAINS(r.remedy, "Execute Disable Bit");
	ASSERT_CONTAINS(find_item(&r, "linux_clears_xd_disable")->source, "verify_cpu.S");
	add_msr(&ev, 0, MSR_IA32_MISC_ENABLE, 0x1); /* read live: already cleared */
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	add_msr(&ev, 0, MSR_IA32_MISC_ENABLE, MISC_ENABLE_XD_DISABLE | 0x1);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	evidence_free(&ev);

	/* AMD: no such MSR, and Linux's clearing is Intel's */
	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, true);
	ev.linux_.present = true;
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);
}

static void h3_nx_missing_by_processor(void **state)
{
	(void)state;
	static const char *const built_without_xd[] = {
		"cpuid/intel_ia-32_p6_dothan-pentium-m.txt",              /* 06D6 */
		"cpuid/intel_ia-32_netburst_intel-pentium-4-cpu-1.60ghz.txt", /* 0F24 */
	};
	struct evidence ev;
	struct check_result r;
	for (size_t i = 0; i < sizeof(built_without_xd) / sizeof(built_without_xd[0]); i++) {
		evidence_init(&ev);
		load_fixture(built_without_xd[i], &ev);
		run_check(&ev, CHECK_FW_NX_ENABLED, &r);
		assert_int_equal(r.status, STATUS_UNKNOWN);
		ASSERT_CONTAINS(r.summary, "built without it");
		evidence_free(&ev);
	}

	/* a Core Duo (family 6, model 0EH) always has XD: without it in CPUID,
	 * the firmware turned it off */
	evidence_init(&ev);
	load_fixture("cpuid/intel_ia-32_p6_intel-core-duo-cpu-t2600.txt", &ev);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_PASS); /* as recorded: NX present */
	put_leaf(&ev.cpus[0], 0x80000001u, 0, 0, 0, 0, 0);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "disabled by firmware");
	ASSERT_CONTAINS(r.summary, "model 0EH");
	ASSERT_CONTAINS(r.remedy, "Execute Disable Bit");
	evidence_free(&ev);

	/* in a virtual machine the hypervisor below may hide it */
	evidence_init(&ev);
	struct cpu_record *c = add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_LM);
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "virtual machine");
	evidence_free(&ev);
}

/* A Pentium III has no leaf 80000001H: no NX, no long mode, for certain. */
static void h3_cpu_without_extended_leaves(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	load_fixture("cpuid/intel_ia-32_p6_intel-pentium-iii-katmai.txt", &ev);
	run_check(&ev, CHECK_CPU_ARCH, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(find_item(&r, "extended_leaves")->source, "Intel SDM vol. 2A");
	run_check(&ev, CHECK_CPU_NX, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "predates NX");
	run_check(&ev, CHECK_FW_NX_ENABLED, &r);
	assert_int_equal(r.status, STATUS_SKIP);
	evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arch_statuses),
		cmocka_unit_test(virt_ext_statuses),
		cmocka_unit_test(nx_statuses),
		cmocka_unit_test(slat_statuses),
		cmocka_unit_test(consistency_statuses),
		cmocka_unit_test(hypervisor_statuses),
		cmocka_unit_test(vtx_firmware_statuses),
		cmocka_unit_test(amdv_firmware_statuses),
		cmocka_unit_test(nx_firmware_statuses),
		cmocka_unit_test(boot_statuses),
		cmocka_unit_test(kvm_statuses),
		cmocka_unit_test(missing_evidence_names_the_source),
		cmocka_unit_test(fw_kernel_log_of_each_release),
		cmocka_unit_test(fw_vmx_not_fully_enabled),
		cmocka_unit_test(kvm_builtin_never_loaded_as_module),
		cmocka_unit_test(kvm_device_registered_or_module_missing),
		cmocka_unit_test(kvm_enable_virt_at_load),
		cmocka_unit_test(h3_slat_on_hyperv_root),
		cmocka_unit_test(h3_virt_ext_hidden_by_root),
		cmocka_unit_test(h3_nested_hyperv_root),
		cmocka_unit_test(h3_nested_on_amd_names_windows_versions),
		cmocka_unit_test(h3_parallels_guest_is_named),
		cmocka_unit_test(h3_nx_under_linux_hides_the_firmware_setting),
		cmocka_unit_test(h3_nx_missing_by_processor),
		cmocka_unit_test(h3_cpu_without_extended_leaves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
