/* SPDX-License-Identifier: MIT */
/* Each check, through every status it can return. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

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
	assert_int_equal(r.status, STATUS_FAIL);
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
	assert_int_equal(r.status, STATUS_UNKNOWN);
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
		snprintf(want, sizeof(want), "no boot information in %s", cases[i].words);
		assert_string_equal(r.summary, want);
		evidence_free(&ev);
	}
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
