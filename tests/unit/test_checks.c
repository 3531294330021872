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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

/* An AMD processor under the Microsoft hypervisor: SVM hidden, as Hyper-V
 * hides it. root: CreatePartitions; hw_eax: 40000006H EAX, or none. */
static struct cpu_record *amd_under_hyperv(struct evidence *ev, bool root, const uint32_t *hw_eax)
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

/* A log line as the kernel printed it, through the real scanner. */
static void kernel_says(struct evidence *ev, const char *line)
{
	kmsg_scan_line(line, strlen(line), &ev->linux_);
	ev->linux_.kmsg_read = TRI_YES;
}

/* ---- each check, status by status: one table per check ----
 *
 * A row names a host, builds its evidence from nothing (a setup may start
 * from another row's setup and change one thing, so that the rows read as
 * the steps they are) and says what the check must answer: the status
 * always, the other fields where given. */

/* What one evidence item of the result must hold. */
enum item_holds { ITEM_NONE, ITEM_TRUE, ITEM_TEXT, ITEM_SOURCE };

struct item_want {
	const char *key;
	enum item_holds holds;
	const char *part; /* ITEM_TEXT, ITEM_SOURCE: a part of the text or source */
};

struct check_case {
	const char *what;
	void (*setup)(struct evidence *ev);
	enum check_status want;
	const char *summary_is;   /* the whole summary */
	const char *summary[2];   /* parts of the summary */
	const char *remedy[3];    /* parts of the remedy */
	const char *remedy_lacks; /* a part the remedy must not hold */
	struct item_want item;
};

static void assert_item(const struct check_result *r, const struct item_want *w)
{
	if (w->holds == ITEM_NONE)
		return;
	const struct evidence_item *it = find_item(r, w->key);
	assert_non_null(it);
	switch (w->holds) {
	case ITEM_TRUE:
		assert_true(it->boolean);
		break;
	case ITEM_TEXT:
		ASSERT_CONTAINS(it->text, w->part);
		break;
	case ITEM_SOURCE:
		ASSERT_CONTAINS(it->source, w->part);
		break;
	case ITEM_NONE:
		break;
	}
}

static void run_cases(const char *check_name, int check, const struct check_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct check_case *c = &cases[i];
		struct evidence ev;
		struct check_result r;
		evidence_init(&ev);
		c->setup(&ev);
		run_check(&ev, check, &r);
		print_message("%s, %s: %s %s | %s\n", check_name, c->what,
			      check_status_label(r.status), r.summary, r.remedy);
		assert_int_equal(r.status, c->want);
		if (c->summary_is)
			assert_string_equal(r.summary, c->summary_is);
		for (size_t k = 0; k < ARRAY_SIZE(c->summary) && c->summary[k]; k++)
			ASSERT_CONTAINS(r.summary, c->summary[k]);
		for (size_t k = 0; k < ARRAY_SIZE(c->remedy) && c->remedy[k]; k++)
			ASSERT_CONTAINS(r.remedy, c->remedy[k]);
		if (c->remedy_lacks)
			assert_null(strstr(r.remedy, c->remedy_lacks));
		assert_item(&r, &c->item);
		evidence_free(&ev);
	}
}

/* ---- hosts shared by several tables ---- */

#define ROOT_PARTITION_DUMP "cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt"

static const uint32_t slat_in_use = CPUID_HV_HW_FEATURES_EAX_SLAT_IN_USE, no_slat = 0;

static void intel_vmx(struct evidence *ev)
{
	add_intel_cpu(ev, 0, CPUID_1_ECX_VMX);
}

static void intel_without_vmx(struct evidence *ev)
{
	add_intel_cpu(ev, 0, 0);
}

static void amd_svm_npt(struct evidence *ev)
{
	add_amd_cpu(ev, 0, true, true);
}

static void kvm_guest_without_vmx(struct evidence *ev)
{
	set_signature(add_intel_cpu(ev, 0, CPUID_1_ECX_HYPERVISOR), "KVMKVMKVM\0\0\0");
}

static void intel_hyperv_root(struct evidence *ev)
{
	make_hyperv_root(add_intel_cpu(ev, 0, CPUID_1_ECX_HYPERVISOR));
}

/* the real root partition of a Windows host running Hyper-V */
static void hyperv_root_dump(struct evidence *ev)
{
	load_fixture(ROOT_PARTITION_DUMP, ev);
}

static void amd_hyperv_root_without_hw_leaf(struct evidence *ev)
{
	amd_under_hyperv(ev, true, NULL);
}

static void amd_hyperv_guest_without_hw_leaf(struct evidence *ev)
{
	amd_under_hyperv(ev, false, NULL);
}

static void qemu_tcg_guest(struct evidence *ev)
{
	struct cpu_record *c = add_amd_cpu(ev, 0, false, false);
	put_leaf(c, 1, 0, 0xa20f12, 0, 0x7ef8320b | CPUID_1_ECX_HYPERVISOR, 0x178bfbff);
	set_signature(c, "TCGTCGTCGTCG");
}

static void parallels_guest(struct evidence *ev)
{
	set_signature(add_intel_cpu(ev, 0, CPUID_1_ECX_HYPERVISOR), "prl hyperv  ");
}

/* A Pentium III has no leaf 80000001H: no NX, no long mode, for certain. */
static void pentium_iii(struct evidence *ev)
{
	load_fixture("cpuid/intel_ia-32_p6_intel-pentium-iii-katmai.txt", ev);
}

/* ---- cpu.arch ---- */
static void intel_without_long_mode(struct evidence *ev)
{
	struct cpu_record *c = add_intel_cpu(ev, 0, CPUID_1_ECX_VMX);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_NX);
}

static void intel_without_leaf_80000001(struct evidence *ev)
{
	struct cpu_record *c = evidence_add_cpu(ev, 0);
	put_leaf(c, 0, 0, 1, VENDOR_INTEL);
	put_leaf(c, 1, 0, 0, 0, 0, 0);
	put_leaf(c, 0x80000000u, 0, 0x80000008u, 0, 0, 0); /* 0x80000001 not recorded */
}

static const struct check_case arch_cases[] = {
	{ "64-bit Intel", intel_vmx, .want = STATUS_PASS },
	{ "no long mode", intel_without_long_mode, .want = STATUS_FAIL, .remedy = { "64-bit" } },
	{ "leaf 80000001H not recorded", intel_without_leaf_80000001, .want = STATUS_UNKNOWN },
	{ "Pentium III, no extended leaves", pentium_iii, .want = STATUS_FAIL,
	  .item = { "extended_leaves", ITEM_SOURCE, "Intel SDM vol. 2A" } },
};

/* ---- cpu.virt_ext ---- */
static void intel_leaf_0_only(struct evidence *ev)
{
	struct cpu_record *c = evidence_add_cpu(ev, 0);
	put_leaf(c, 0, 0, 0xd, VENDOR_INTEL);
}

static const struct check_case virt_ext_cases[] = {
	{ "VT-x", intel_vmx, .want = STATUS_PASS },
	{ "Intel without VT-x", intel_without_vmx, .want = STATUS_FAIL, .remedy = { "processor itself lacks" } },
	{ "KVM guest without nested VT-x", kvm_guest_without_vmx, .want = STATUS_FAIL,
	  .remedy = { "nested virtualization" } },
	/* hidden, not absent, as on the real root partition below */
	{ "Hyper-V root partition", intel_hyperv_root, .want = STATUS_UNKNOWN,
	  .summary = { "Microsoft hypervisor" } },
	{ "AMD-V", amd_svm_npt, .want = STATUS_PASS, .item = { "svm", ITEM_TRUE } },
	{ "leaf 1 not recorded", intel_leaf_0_only, .want = STATUS_UNKNOWN },
	{ "the real Hyper-V root partition", hyperv_root_dump, .want = STATUS_UNKNOWN,
	  .summary = { "hidden by the Microsoft hypervisor", "cannot be seen" },
	  .remedy = { "-t hyperv", "hypervisorlaunchtype off" } },
	{ "AMD Hyper-V root partition", amd_hyperv_root_without_hw_leaf, .want = STATUS_UNKNOWN,
	  .summary = { "AMD-V" } },
};

/* ---- cpu.nx ---- */
static void intel_without_nx(struct evidence *ev)
{
	struct cpu_record *c = add_intel_cpu(ev, 0, 0);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_LM);
}

static const struct check_case nx_cases[] = {
	{ "Intel with XD", intel_without_vmx, .want = STATUS_PASS },
	{ "Intel without XD", intel_without_nx, .want = STATUS_FAIL,
	  .remedy = { "Execute Disable", "power the machine off and on" } },
	{ "Pentium III, no extended leaves", pentium_iii, .want = STATUS_FAIL, .summary = { "predates NX" } },
};

/* ---- cpu.slat ---- */
static void amd_svm_without_npt(struct evidence *ev)
{
	add_amd_cpu(ev, 0, true, false);
}

static void vmx_msrs_with_ept(struct evidence *ev)
{
	intel_vmx(ev);
	add_msr(ev, MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS, PROCBASED_CTLS_ACTIVATE_SECONDARY);
	add_msr(ev, MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2, PROCBASED_CTLS2_EPT);
}

static void vmx_msrs_without_ept(struct evidence *ev)
{
	vmx_msrs_with_ept(ev);
	add_msr(ev, MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2, PROCBASED_CTLS2_UNRESTRICTED_GUEST);
}

static void kernel_vmx_flags_with_ept(struct evidence *ev)
{
	intel_vmx(ev);
	ev->linux_.cpuinfo_cpus = 1;
	ev->linux_.flag_cpus[KFLAG_VMX] = 1;
	ev->linux_.flag_cpus[KFLAG_EPT] = 1;
	ev->linux_.vmx_flags_line = true;
}

static void amd_hyperv_root_slat_in_use(struct evidence *ev)
{
	amd_under_hyperv(ev, true, &slat_in_use);
}

static void amd_hyperv_root_without_slat(struct evidence *ev)
{
	amd_under_hyperv(ev, true, &no_slat);
}

static void amd_hyperv_guest_slat_in_use(struct evidence *ev)
{
	amd_under_hyperv(ev, false, &slat_in_use);
}

static const struct check_case slat_cases[] = {
	{ "AMD with NPT", amd_svm_npt, .want = STATUS_PASS },
	{ "AMD without NPT", amd_svm_without_npt, .want = STATUS_FAIL, .remedy = { "2012 R2" } },
	/* Intel: EPT only from the VMX capability MSRs or the kernel */
	{ "VT-x, no MSR read", intel_vmx, .want = STATUS_UNKNOWN, .remedy = { "modprobe msr" } },
	{ "VT-x, EPT in the capability MSRs", vmx_msrs_with_ept, .want = STATUS_PASS,
	  .item = { "slat", ITEM_SOURCE, "0x48B" } },
	{ "VT-x, no EPT in the capability MSRs", vmx_msrs_without_ept, .want = STATUS_FAIL },
	{ "VT-x, ept in the kernel's vmx flags", kernel_vmx_flags_with_ept, .want = STATUS_PASS,
	  .item = { "slat", ITEM_SOURCE, "vmx flags" } },
	/* the real root partition: EPT hidden, SLAT in use by the hypervisor */
	{ "the real Hyper-V root partition", hyperv_root_dump, .want = STATUS_PASS,
	  .item = { "slat", ITEM_SOURCE, "40000006H:EAX[3]" } },
	/* AMD: NPT hidden with SVM was read as "missing" */
	{ "AMD Hyper-V root, SLAT in use", amd_hyperv_root_slat_in_use, .want = STATUS_PASS },
	{ "AMD Hyper-V root without SLAT", amd_hyperv_root_without_slat, .want = STATUS_UNKNOWN,
	  .summary = { "runs without SLAT" }, .remedy = { "hypervisordisableslat" } },
	{ "AMD Hyper-V root, 40000006H not recorded", amd_hyperv_root_without_hw_leaf,
	  .want = STATUS_UNKNOWN },
	/* a guest of Hyper-V: the hypervisor's SLAT is not the guest's */
	{ "AMD Hyper-V guest", amd_hyperv_guest_slat_in_use, .want = STATUS_FAIL },
};

/* ---- cpu.consistency ---- */
static void two_alike_one_without_data(struct evidence *ev)
{
	add_intel_cpu(ev, 0, CPUID_1_ECX_VMX);
	add_intel_cpu(ev, 1, CPUID_1_ECX_VMX);
	evidence_add_cpu(ev, 2); /* no data */
}

static void vmx_absent_on_cpu_3(struct evidence *ev)
{
	two_alike_one_without_data(ev);
	add_intel_cpu(ev, 3, 0);
}

static void kernel_vmx_on_3_of_4(struct evidence *ev)
{
	intel_vmx(ev);
	ev->linux_.cpuinfo_cpus = 4;
	ev->linux_.flag_cpus[KFLAG_VMX] = 3;
}

static const struct check_case consistency_cases[] = {
	{ "alike, one CPU without data", two_alike_one_without_data, .want = STATUS_PASS,
	  .summary = { "no data" } },
	{ "VMX absent on one CPU", vmx_absent_on_cpu_3, .want = STATUS_FAIL,
	  .summary = { "VMX is present on CPU 0 but absent on CPU 3" } },
	{ "the kernel's flags differ", kernel_vmx_on_3_of_4, .want = STATUS_FAIL,
	  .summary = { "vmx on 3 of 4" } },
};

/* ---- hv.running and hv.nested ---- */
static void intel_hypervisor_bit_only(struct evidence *ev)
{
	add_intel_cpu(ev, 0, CPUID_1_ECX_HYPERVISOR); /* bit set, no signature recorded */
}

static void kvm_guest_with_vmx(struct evidence *ev)
{
	set_signature(add_intel_cpu(ev, 0, CPUID_1_ECX_HYPERVISOR | CPUID_1_ECX_VMX), "KVMKVMKVM\0\0\0");
}

static void intel_hyperv_guest(struct evidence *ev)
{
	struct cpu_record *c = add_intel_cpu(ev, 0, CPUID_1_ECX_HYPERVISOR);
	make_hyperv_root(c);
	put_leaf(c, 0x40000003u, 0, 0x3fff, 0x2bb9fe, 0, 0); /* a guest */
}

static const struct check_case hv_running_cases[] = {
	{ "bare metal", intel_vmx, .want = STATUS_PASS },
	{ "QEMU TCG", qemu_tcg_guest, .want = STATUS_WARN, .summary = { "QEMU TCG" } },
	{ "Hyper-V root partition", intel_hyperv_root, .want = STATUS_PASS, .summary = { "root partition" } },
	{ "hypervisor bit without a signature", intel_hypervisor_bit_only, .want = STATUS_UNKNOWN },
	{ "Parallels guest", parallels_guest, .want = STATUS_WARN,
	  .summary_is = "this OS is a guest of Parallels" },
};

static const struct check_case hv_nested_cases[] = {
	{ "bare metal", intel_vmx, .want = STATUS_SKIP },
	{ "QEMU TCG without SVM", qemu_tcg_guest, .want = STATUS_FAIL, .remedy = { "-cpu EPYC" } },
	{ "KVM guest with VT-x", kvm_guest_with_vmx, .want = STATUS_PASS },
	{ "Hyper-V root partition", intel_hyperv_root, .want = STATUS_SKIP },
	{ "Parallels guest", parallels_guest, .want = STATUS_FAIL, .remedy = { "in Parallels" } },
	{ "AMD guest of Hyper-V", amd_hyperv_guest_without_hw_leaf, .want = STATUS_FAIL,
	  .remedy = { "ExposeVirtualizationExtensions",
		      "Windows Server 2022 or Windows 11 (build 22000)",
		      "configuration version 9.3" } },
	/* VT-x needs none of that */
	{ "Intel guest of Hyper-V", intel_hyperv_guest, .want = STATUS_FAIL,
	  .remedy = { "ExposeVirtualizationExtensions" }, .remedy_lacks = "Windows Server 2022" },
};

/* ---- fw.virt_enabled ---- */

/* IA32_FEATURE_CONTROL read on two CPUs, step by step */
static void vtx_two_cpus(struct evidence *ev)
{
	add_intel_cpu(ev, 0, CPUID_1_ECX_VMX);
	add_intel_cpu(ev, 1, CPUID_1_ECX_VMX);
}

static void vtx_locked_off(struct evidence *ev)
{
	vtx_two_cpus(ev);
	add_msr(ev, 0, MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCKED);
	add_msr(ev, 1, MSR_IA32_FEATURE_CONTROL, FEATURE_CONTROL_LOCKED);
}

static void vtx_on_cpu_0_only(struct evidence *ev)
{
	vtx_locked_off(ev);
	add_msr(ev, 0, MSR_IA32_FEATURE_CONTROL, 0x5);
}

static void vtx_on_both(struct evidence *ev)
{
	vtx_on_cpu_0_only(ev);
	add_msr(ev, 1, MSR_IA32_FEATURE_CONTROL, 0x5);
}

static void vtx_unlocked(struct evidence *ev)
{
	vtx_on_both(ev);
	add_msr(ev, 0, MSR_IA32_FEATURE_CONTROL, 0);
	add_msr(ev, 1, MSR_IA32_FEATURE_CONTROL, 0);
}

/* kernel evidence: 5.6+ removes vmx from cpuinfo when firmware locked it off */
static void kernel_6_1_without_vmx(struct evidence *ev)
{
	intel_vmx(ev);
	strcpy(ev->linux_.kernel_release, "6.1.0-18-amd64");
	ev->linux_.cpuinfo_cpus = 1;
}

static void kernel_6_1_with_vmx(struct evidence *ev)
{
	kernel_6_1_without_vmx(ev);
	ev->linux_.flag_cpus[KFLAG_VMX] = 1;
}

static void kernel_4_19_with_vmx(struct evidence *ev)
{
	kernel_6_1_with_vmx(ev);
	strcpy(ev->linux_.kernel_release, "4.19.0");
}

static void kernel_4_19_logs_disabled_by_bios(struct evidence *ev)
{
	kernel_4_19_with_vmx(ev);
	strcpy(ev->linux_.kmsg[KMSG_VMX_DISABLED_BY_BIOS], "x86/cpu: VMX (outside TXT) disabled by BIOS");
}

static void kernel_logs_vmx_not_fully_enabled(struct evidence *ev)
{
	intel_vmx(ev);
	kernel_says(ev, "kvm_intel: VMX not fully enabled on CPU 2.  Check kernel logs and/or BIOS");
}

static void amdv_locked_off(struct evidence *ev)
{
	amd_svm_npt(ev);
	add_msr(ev, MSR_ALL_CPUS, MSR_VM_CR, VM_CR_SVMDIS | VM_CR_LOCK);
}

static void amdv_on(struct evidence *ev)
{
	amdv_locked_off(ev);
	add_msr(ev, MSR_ALL_CPUS, MSR_VM_CR, 0);
}

static void kvm_amd_logs_disabled_by_bios(struct evidence *ev)
{
	amd_svm_npt(ev);
	strcpy(ev->linux_.kmsg[KMSG_SVM_DISABLED_BY_BIOS], "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR");
}

static void kvm_amd_created_a_vm(struct evidence *ev)
{
	kvm_amd_logs_disabled_by_bios(ev);
	ev->linux_.kmsg[KMSG_SVM_DISABLED_BY_BIOS][0] = '\0';
	ev->kvm.vm_created = TRI_YES;
}

static const struct check_case fw_virt_cases[] = {
	{ "VT-x, no MSR read", vtx_two_cpus, .want = STATUS_UNKNOWN,
	  .summary = { "module msr not loaded" }, .remedy = { "--msr" } },
	{ "VT-x locked off", vtx_locked_off, .want = STATUS_FAIL,
	  .remedy = { "Intel Virtualization Technology", "power the machine off and on" } },
	/* CPU 1 still differs */
	{ "VT-x on for CPU 0 only", vtx_on_cpu_0_only, .want = STATUS_FAIL, .summary = { "different states" } },
	{ "VT-x locked on", vtx_on_both, .want = STATUS_PASS },
	{ "IA32_FEATURE_CONTROL unlocked", vtx_unlocked, .want = STATUS_PASS, .summary = { "unlocked" } },
	{ "Linux 6.1 cleared vmx", kernel_6_1_without_vmx, .want = STATUS_FAIL },
	{ "Linux 6.1 kept vmx", kernel_6_1_with_vmx, .want = STATUS_PASS },
	/* old kernels never clear vmx */
	{ "Linux 4.19 kept vmx", kernel_4_19_with_vmx, .want = STATUS_UNKNOWN },
	{ "Linux 4.19 logged \"disabled by BIOS\"", kernel_4_19_logs_disabled_by_bios, .want = STATUS_FAIL,
	  .item = { "kernel_log", ITEM_TEXT, "disabled by BIOS" } },
	{ "VMX not fully enabled", kernel_logs_vmx_not_fully_enabled, .want = STATUS_FAIL,
	  .summary = { "not fully enabled" }, .remedy = { "lines before this one" } },
	{ "no VT-x", intel_without_vmx, .want = STATUS_SKIP },
	{ "AMD-V, no MSR read", amd_svm_npt, .want = STATUS_UNKNOWN },
	{ "AMD-V locked off (recorded VM_CR)", amdv_locked_off, .want = STATUS_FAIL,
	  .remedy = { "SVM Mode" }, .item = { "vm_cr", ITEM_SOURCE, "recorded" } },
	{ "AMD-V on (recorded VM_CR)", amdv_on, .want = STATUS_PASS },
	{ "kvm_amd logged \"disabled (by BIOS)\"", kvm_amd_logs_disabled_by_bios, .want = STATUS_FAIL },
	{ "kvm_amd created a VM", kvm_amd_created_a_vm, .want = STATUS_PASS },
};

/* ---- fw.nx_enabled ---- */

/* family 6 model 9EH always has XD: without it in CPUID, firmware turned it off */
static void xd_missing_from_cpuid(struct evidence *ev)
{
	struct cpu_record *c = add_intel_cpu(ev, 0, CPUID_1_ECX_VMX);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_LM);
}

static void xd_disable_recorded_set(struct evidence *ev)
{
	xd_missing_from_cpuid(ev);
	add_msr(ev, MSR_ALL_CPUS, MSR_IA32_MISC_ENABLE, MISC_ENABLE_XD_DISABLE | 0x1);
}

static void xd_disable_recorded_clear(struct evidence *ev)
{
	xd_disable_recorded_set(ev);
	add_msr(ev, MSR_ALL_CPUS, MSR_IA32_MISC_ENABLE, 0x1);
}

static void amd_without_nx(struct evidence *ev)
{
	struct cpu_record *c = add_amd_cpu(ev, 0, true, true);
	put_leaf(c, 0x80000001u, 0, 0, 0, CPUID_80000001_ECX_SVM, CPUID_80000001_EDX_LM);
}

/* Linux clears IA32_MISC_ENABLE[34] as it boots: under Linux, NX and that
 * bit show Linux's choice, not the firmware's. */
static void intel_under_linux(struct evidence *ev)
{
	intel_vmx(ev);
	ev->linux_.present = true;
	strcpy(ev->linux_.kernel_release, "6.1.0-18-amd64");
}

static void intel_under_linux_xd_disable_clear(struct evidence *ev)
{
	intel_under_linux(ev);
	add_msr(ev, 0, MSR_IA32_MISC_ENABLE, 0x1); /* read live: already cleared */
}

static void intel_under_linux_xd_disable_set(struct evidence *ev)
{
	intel_under_linux_xd_disable_clear(ev);
	add_msr(ev, 0, MSR_IA32_MISC_ENABLE, MISC_ENABLE_XD_DISABLE | 0x1);
}

/* AMD: no such MSR, and Linux's clearing is Intel's */
static void amd_under_linux(struct evidence *ev)
{
	amd_svm_npt(ev);
	ev->linux_.present = true;
}

/* built without XD */
static void pentium_m_dothan(struct evidence *ev)
{
	load_fixture("cpuid/intel_ia-32_p6_dothan-pentium-m.txt", ev); /* 06D6 */
}

static void pentium_4_northwood(struct evidence *ev)
{
	load_fixture("cpuid/intel_ia-32_netburst_intel-pentium-4-cpu-1.60ghz.txt", ev); /* 0F24 */
}

/* a Core Duo (family 6, model 0EH) always has XD: without it in CPUID,
 * the firmware turned it off */
static void core_duo(struct evidence *ev)
{
	load_fixture("cpuid/intel_ia-32_p6_intel-core-duo-cpu-t2600.txt", ev);
}

static void core_duo_without_xd(struct evidence *ev)
{
	core_duo(ev);
	put_leaf(&ev->cpus[0], 0x80000001u, 0, 0, 0, 0, 0);
}

/* in a virtual machine the hypervisor below may hide it */
static void guest_without_xd(struct evidence *ev)
{
	struct cpu_record *c = add_intel_cpu(ev, 0, CPUID_1_ECX_HYPERVISOR);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_LM);
}

static const struct check_case fw_nx_cases[] = {
	{ "Intel with XD", intel_vmx, .want = STATUS_PASS },
	{ "XD missing from CPUID", xd_missing_from_cpuid, .want = STATUS_FAIL },
	{ "XD Disable recorded set", xd_disable_recorded_set, .want = STATUS_FAIL,
	  .remedy = { "Execute Disable Bit" } },
	{ "XD Disable recorded clear", xd_disable_recorded_clear, .want = STATUS_PASS },
	{ "AMD without NX", amd_without_nx, .want = STATUS_FAIL },
	{ "under Linux, no MSR read", intel_under_linux, .want = STATUS_UNKNOWN,
	  .summary = { "Linux turned XD back on" }, .remedy = { "Execute Disable Bit" },
	  .item = { "linux_clears_xd_disable", ITEM_SOURCE, "verify_cpu.S" } },
	{ "under Linux, XD Disable read clear", intel_under_linux_xd_disable_clear, .want = STATUS_UNKNOWN },
	{ "under Linux, XD Disable read set", intel_under_linux_xd_disable_set, .want = STATUS_FAIL },
	{ "AMD under Linux", amd_under_linux, .want = STATUS_PASS },
	{ "Pentium M (Dothan)", pentium_m_dothan, .want = STATUS_UNKNOWN, .summary = { "built without it" } },
	{ "Pentium 4 (Northwood)", pentium_4_northwood, .want = STATUS_UNKNOWN,
	  .summary = { "built without it" } },
	/* as recorded: NX present */
	{ "Core Duo", core_duo, .want = STATUS_PASS },
	{ "Core Duo without XD", core_duo_without_xd, .want = STATUS_FAIL,
	  .summary = { "disabled by firmware", "model 0EH" }, .remedy = { "Execute Disable Bit" } },
	{ "virtual machine without XD", guest_without_xd, .want = STATUS_UNKNOWN,
	  .summary = { "virtual machine" } },
	{ "Pentium III, no extended leaves", pentium_iii, .want = STATUS_SKIP },
};

/* ---- fw.boot ---- */
static void boot_probed(struct evidence *ev)
{
	intel_without_vmx(ev);
	ev->boot.probed = true;
}

static void boot_uefi_secure(struct evidence *ev)
{
	boot_probed(ev);
	ev->boot.uefi = TRI_YES;
	ev->boot.secure_boot = TRI_YES;
}

static void boot_legacy(struct evidence *ev)
{
	boot_uefi_secure(ev);
	ev->boot.uefi = TRI_NO;
}

/* Offline: the SYSTEM hive's PEFirmwareType says how Windows booted. */
static void boot_windows_uefi(struct evidence *ev)
{
	intel_without_vmx(ev);
	ev->winboot.uefi = TRI_YES;
	strcpy(ev->winboot.uefi_source, "SYSTEM Control\\PEFirmwareType");
}

static const struct check_case fw_boot_cases[] = {
	{ "not probed", intel_without_vmx, .want = STATUS_SKIP,
	  .summary_is = "no boot mode evidence in this system" },
	{ "a Windows volume's SYSTEM hive", boot_windows_uefi, .want = STATUS_PASS,
	  .summary_is = "Windows boots by UEFI (SYSTEM Control\\PEFirmwareType); Secure Boot not "
			"recorded" },
	{ "probed, nothing read", boot_probed, .want = STATUS_UNKNOWN },
	{ "UEFI, Secure Boot on", boot_uefi_secure, .want = STATUS_PASS,
	  .summary_is = "booted by UEFI, Secure Boot on" },
	/* PASS with the facts, UEFI or legacy BIOS (docs/checks.md, fw.boot) */
	{ "legacy BIOS", boot_legacy, .want = STATUS_PASS, .summary_is = "booted by legacy BIOS" },
};

/* ---- os.kvm ---- */

/* /dev/kvm, step by step */
static void kvm_no_device(struct evidence *ev)
{
	intel_vmx(ev);
	ev->kvm.probed = true;
	ev->kvm.device = TRI_NO;
}

static void kvm_not_permitted(struct evidence *ev)
{
	kvm_no_device(ev);
	ev->kvm.device = TRI_YES;
	strcpy(ev->kvm.open_error, "EACCES");
}

static void kvm_api_11(struct evidence *ev)
{
	kvm_not_permitted(ev);
	ev->kvm.open_error[0] = '\0';
	ev->kvm.api_version = 11;
}

static void kvm_create_vm_busy(struct evidence *ev)
{
	kvm_api_11(ev);
	ev->kvm.api_version = 12;
	ev->kvm.vm_created = TRI_NO;
	strcpy(ev->kvm.create_error, "EBUSY");
}

static void kvm_created_a_vm(struct evidence *ev)
{
	kvm_create_vm_busy(ev);
	ev->kvm.vm_created = TRI_YES;
}

static void kvm_amd_no_device(struct evidence *ev)
{
	amd_svm_npt(ev);
	ev->kvm.probed = true;
	ev->kvm.device = TRI_NO;
}

static const struct check_case os_kvm_cases[] = {
	{ "not probed", intel_vmx, .want = STATUS_SKIP },
	{ "no /dev/kvm", kvm_no_device, .want = STATUS_FAIL, .remedy = { "modprobe kvm_intel" } },
	{ "/dev/kvm not permitted", kvm_not_permitted, .want = STATUS_UNKNOWN, .remedy = { "kvm group" } },
	{ "API version 11", kvm_api_11, .want = STATUS_FAIL },
	{ "KVM_CREATE_VM busy", kvm_create_vm_busy, .want = STATUS_FAIL, .remedy = { "VirtualBox" } },
	{ "created a VM", kvm_created_a_vm, .want = STATUS_PASS },
	/* FAIL: no /dev/kvm (docs/checks.md, os.kvm) */
	{ "AMD, no /dev/kvm", kvm_amd_no_device, .want = STATUS_FAIL, .remedy = { "modprobe kvm_amd" } },
};

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

/* ---- a Hyper-V root partition told from one nested in a Hyper-V VM: the
 * same dump before and after the nested hint is set ---- */

/* Set bits in EAX of one leaf on every CPU of a loaded dump. */
static void or_eax_on_every_cpu(struct evidence *ev, uint32_t leaf, uint32_t bits)
{
	for (size_t i = 0; i < ev->ncpus; i++) {
		const struct cpuid_leaf *l = cpu_record_find(&ev->cpus[i], leaf, 0);
		if (l)
			put_leaf(&ev->cpus[i], leaf, 0, l->eax | bits, l->ebx, l->ecx, l->edx);
	}
}

static void nested_hint_on_hyperv_root(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	load_fixture(ROOT_PARTITION_DUMP, &ev);
	run_check(&ev, CHECK_HV_RUNNING, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_false(find_item(&r, "nested")->boolean);
	ASSERT_CONTAINS(r.summary, "does not report running nested");
	run_check(&ev, CHECK_HV_NESTED, &r);
	assert_int_equal(r.status, STATUS_SKIP);

	or_eax_on_every_cpu(&ev, 0x40000004u, CPUID_HV_ENLIGHTENMENTS_EAX_NESTED);
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

/* Every check's table of cases, run by one loop that names the failing case. */
#define CHECK_TABLE(check, cases) { #check, (check), (cases), ARRAY_SIZE(cases) }
static const struct {
	const char *name;
	int check;
	const struct check_case *cases;
	size_t n;
} check_tables[] = {
	CHECK_TABLE(CHECK_CPU_ARCH, arch_cases),
	CHECK_TABLE(CHECK_CPU_VIRT_EXT, virt_ext_cases),
	CHECK_TABLE(CHECK_CPU_NX, nx_cases),
	CHECK_TABLE(CHECK_CPU_SLAT, slat_cases),
	CHECK_TABLE(CHECK_CPU_CONSISTENCY, consistency_cases),
	CHECK_TABLE(CHECK_HV_RUNNING, hv_running_cases),
	CHECK_TABLE(CHECK_HV_NESTED, hv_nested_cases),
	CHECK_TABLE(CHECK_FW_VIRT_ENABLED, fw_virt_cases),
	CHECK_TABLE(CHECK_FW_NX_ENABLED, fw_nx_cases),
	CHECK_TABLE(CHECK_FW_BOOT, fw_boot_cases),
	CHECK_TABLE(CHECK_OS_KVM, os_kvm_cases),
};

static void every_check_through_its_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(check_tables); i++)
		run_cases(check_tables[i].name, check_tables[i].check, check_tables[i].cases,
			  check_tables[i].n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_check_through_its_table),
		cmocka_unit_test(missing_evidence_names_the_source),
		cmocka_unit_test(fw_kernel_log_of_each_release),
		cmocka_unit_test(kvm_builtin_never_loaded_as_module),
		cmocka_unit_test(kvm_device_registered_or_module_missing),
		cmocka_unit_test(kvm_enable_virt_at_load),
		cmocka_unit_test(nested_hint_on_hyperv_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
