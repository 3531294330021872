/* SPDX-License-Identifier: MIT */
/* CPUID decoding: the bits that decide launch, and the range rules that
 * keep junk out. */
#include "helpers.h"

#include <string.h>

#include "probe/cpuid_decode.h"

static void decode_first(const struct evidence *ev, struct cpu_decoded *d)
{
	cpu_decode(&ev->cpus[0], d);
}

static void intel_vmx_bit_is_decoded(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, CPUID_1_ECX_VMX);
	decode_first(&ev, &d);
	assert_string_equal(d.vendor, "GenuineIntel");
	assert_int_equal(d.family, VIRT_FAMILY_VMX);
	assert_int_equal(d.vmx, TRI_YES);
	assert_int_equal(d.svm, TRI_NO);
	assert_int_equal(d.nx, TRI_YES);
	assert_int_equal(d.long_mode, TRI_YES);
	assert_int_equal(d.hv_bit, TRI_NO);
	evidence_free(&ev);
}

static void svm_bit_is_ignored_on_intel(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	struct cpu_record *c = add_intel_cpu(&ev, 0, 0);
	put_leaf(c, 0x80000001u, 0, 0, 0, CPUID_80000001_ECX_SVM, CPUID_80000001_EDX_LM);
	decode_first(&ev, &d);
	assert_int_equal(d.svm, TRI_NO);
	assert_int_equal(d.vmx, TRI_NO);
	assert_int_equal(d.nx, TRI_NO);
	evidence_free(&ev);
}

static void amd_svm_and_npt(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, true);
	add_amd_cpu(&ev, 1, true, false);
	add_amd_cpu(&ev, 2, false, true);
	cpu_decode(&ev.cpus[0], &d);
	assert_int_equal(d.svm, TRI_YES);
	assert_int_equal(d.npt, TRI_YES);
	cpu_decode(&ev.cpus[1], &d);
	assert_int_equal(d.npt, TRI_NO);
	cpu_decode(&ev.cpus[2], &d);
	assert_int_equal(d.svm, TRI_NO);
	assert_int_equal(d.npt, TRI_NO); /* no SVM: the NPT leaf is not valid */
	evidence_free(&ev);
}

static void leaves_above_the_maximum_are_not_read(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	struct cpu_record *c = evidence_add_cpu(&ev, 0);
	put_leaf(c, 0, 0, 0x1, VENDOR_INTEL);
	put_leaf(c, 1, 0, 0x6ec, 0, CPUID_1_ECX_VMX, 0);
	/* the extended range stops at 0x80000000: 0x80000001 here is junk */
	put_leaf(c, 0x80000000u, 0, 0x80000000u, 0, 0, 0);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0, CPUID_80000001_EDX_NX | CPUID_80000001_EDX_LM);
	decode_first(&ev, &d);
	assert_int_equal(d.nx, TRI_NO);
	assert_int_equal(d.long_mode, TRI_NO);
	assert_null(cpuid_leaf_in_range(c, 0x80000001u, 0));
	evidence_free(&ev);
}

static void missing_leaf_is_unknown_not_absent(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	struct cpu_record *c = evidence_add_cpu(&ev, 0);
	put_leaf(c, 0, 0, 0xd, VENDOR_INTEL); /* leaf 1 should exist but was not recorded */
	decode_first(&ev, &d);
	assert_true(d.has_data);
	assert_int_equal(d.vmx, TRI_UNKNOWN);
	assert_int_equal(d.nx, TRI_UNKNOWN);
	assert_int_equal(d.hv_bit, TRI_UNKNOWN);
	evidence_free(&ev);
}

static void put_signature(struct cpu_record *c, uint32_t base, const char *sig, uint32_t max)
{
	uint32_t r[3];
	memcpy(r, sig, 12);
	put_leaf(c, base, 0, max, r[0], r[1], r[2]);
}

static void kvm_behind_hyperv_enlightenments_is_kvm(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	struct cpu_record *c = add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR);
	put_signature(c, 0x40000000u, "Microsoft Hv", 0x4000000Au);
	put_leaf(c, 0x40000001u, 0, CPUID_HV_INTERFACE_HV1, 0, 0, 0);
	put_signature(c, 0x40000100u, "KVMKVMKVM\0\0\0", 0x40000101u);
	decode_first(&ev, &d);
	assert_int_equal(d.hv_vendor_known, TRI_YES);
	assert_string_equal(d.hv_vendor, "KVMKVMKVM");
	assert_int_equal(d.hv_base, 0x40000100u);
	assert_int_equal(d.hv_root_partition, TRI_NO);
	evidence_free(&ev);
}

static void hyperv_guest_is_not_root(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	struct cpu_record *c = add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR);
	put_signature(c, 0x40000000u, "Microsoft Hv", 0x40000006u);
	put_leaf(c, 0x40000001u, 0, CPUID_HV_INTERFACE_HV1, 0, 0, 0);
	put_leaf(c, 0x40000003u, 0, 0x3fff, 0x2bb9fe, 0, 0); /* CreatePartitions clear */
	decode_first(&ev, &d);
	assert_int_equal(d.hv_microsoft, TRI_YES);
	assert_int_equal(d.hv_root_partition, TRI_NO);
	evidence_free(&ev);
}

static void hyperv_root_partition_fixture(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	load_fixture("cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt", &ev);
	decode_first(&ev, &d);
	assert_int_equal(d.vmx, TRI_NO); /* hidden by the hypervisor */
	assert_int_equal(d.hv_bit, TRI_YES);
	assert_string_equal(d.hv_vendor, "Microsoft Hv");
	assert_int_equal(d.hv_microsoft, TRI_YES);
	assert_int_equal(d.hv_root_partition, TRI_YES);
	assert_string_equal(d.brand, "Intel(R) Core(TM) i5-10600K CPU @ 4.10GHz");
	/* 40000006H EAX = 000200AFH: SLAT in use; 40000004H EAX = 00060E14H: not nested */
	assert_int_equal(d.hv_slat_in_use, TRI_YES);
	assert_int_equal(d.hv_nested, TRI_NO);
	evidence_free(&ev);
}

/* The same host with the "nested" hint the Microsoft hypervisor sets when
 * it runs inside a Hyper-V partition (40000004H:EAX[12]). */
static void hyperv_nested_hint_is_decoded(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	load_fixture("cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt", &ev);
	const struct cpuid_leaf *l = cpu_record_find(&ev.cpus[0], 0x40000004u, 0);
	assert_non_null(l);
	put_leaf(&ev.cpus[0], 0x40000004u, 0, l->eax | CPUID_HV_ENLIGHTENMENTS_EAX_NESTED, l->ebx,
		 l->ecx, l->edx);
	decode_first(&ev, &d);
	assert_int_equal(d.hv_nested, TRI_YES);
	/* leaves above the hypervisor's maximum are not read */
	put_leaf(&ev.cpus[0], 0x40000000u, 0, 0x40000005u, 0x7263694D, 0x666F736F, 0x76482074);
	decode_first(&ev, &d);
	assert_int_equal(d.hv_root_partition, TRI_YES);
	assert_int_equal(d.hv_slat_in_use, TRI_UNKNOWN);
	evidence_free(&ev);
}

/* A Pentium III answers no leaf 8000xxxxH, so its dump records none: it
 * has no NX, no long mode and no SVM (Intel SDM vol. 2A, CPUID). */
static void pentium_iii_has_no_extended_leaves(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	load_fixture("cpuid/intel_ia-32_p6_intel-pentium-iii-katmai.txt", &ev);
	decode_first(&ev, &d);
	assert_int_equal(d.cpu_family, 6);
	assert_int_equal(d.cpu_model, 7);
	assert_true(d.no_ext_leaves);
	assert_int_equal(d.nx, TRI_NO);
	assert_int_equal(d.long_mode, TRI_NO);
	assert_int_equal(d.svm, TRI_NO);
	/* the same CPU read by a tool that does record 80000000H: the SDM's
	 * answer is the highest basic leaf, junk in the extended range */
	put_leaf(&ev.cpus[0], 0x80000000u, 0, 0, 0, 0x8EF18AEE, 0x0000D043);
	decode_first(&ev, &d);
	assert_true(d.no_ext_leaves);
	assert_int_equal(d.nx, TRI_NO);
	evidence_free(&ev);
}

/* Drop every leaf from 80000000H up, as a tool that did not record them. */
static void forget_extended_leaves(struct cpu_record *c)
{
	while (c->nleaves && c->leaves[c->nleaves - 1].leaf >= 0x80000000u)
		c->nleaves--;
}

/* These CPUs do have extended leaves: a dump without them was taken by a
 * tool that did not record them, and the bits stay unknown. */
static void old_cpus_without_recorded_extended_leaves(void **state)
{
	(void)state;
	static const char *const dumps[] = {
		"cpuid/amd_k7_amd-athlon-xp-2200+.txt",
		"cpuid/via_samuel_via-samuel.txt",
		"cpuid/intel_x86-64_netburst_intel-celeron-326.txt",
		"cpuid/intel_ia-32_p6_dothan-pentium-m.txt",
	};
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		struct evidence ev;
		struct cpu_decoded d;
		evidence_init(&ev);
		load_fixture(dumps[i], &ev);
		decode_first(&ev, &d);
		assert_false(d.no_ext_leaves); /* as recorded: the leaves are there */
		assert_int_not_equal(d.nx, TRI_UNKNOWN);
		forget_extended_leaves(&ev.cpus[0]);
		decode_first(&ev, &d);
		assert_false(d.no_ext_leaves);
		assert_int_equal(d.nx, TRI_UNKNOWN);
		assert_int_equal(d.long_mode, TRI_UNKNOWN);
		evidence_free(&ev);
	}
}

static void set_hv_signature(struct cpu_record *c, const char *sig)
{
	uint32_t r[3];
	memcpy(r, sig, 12);
	put_leaf(c, 0x40000000u, 0, 0x40000001u, r[0], r[1], r[2]);
}

/* Parallels' signature as pafish and libcpuid spell it, and the others
 * systemd's table knows. */
static void hypervisor_signatures_are_named(void **state)
{
	(void)state;
	static const struct {
		const char sig[13];
		const char *name;
	} cases[] = {
		{ "prl hyperv  ", "Parallels" },
		{ "prl hyperv\0\0", "Parallels" },
		{ " lrpepyh  vr", "Parallels" },
		{ "bhyve bhyve ", "bhyve" },
		{ "SRESRESRESRE", "Lockheed Martin SRE" },
		{ "Apple VZ\0\0\0\0", "Apple Virtualization framework" },
		{ "QNXQVMBSQG\0\0", "QNX hypervisor" },
		{ "ACRNACRNACRN", "ACRN" },
		{ "Linux KVM Hv", "KVM (with Hyper-V enlightenments)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evidence ev;
		struct cpu_decoded d;
		evidence_init(&ev);
		set_hv_signature(add_intel_cpu(&ev, 0, CPUID_1_ECX_HYPERVISOR), cases[i].sig);
		decode_first(&ev, &d);
		assert_int_equal(d.hv_vendor_known, TRI_YES);
		const struct hypervisor_info *h = hypervisor_lookup(d.hv_vendor);
		if (!h)
			fail_msg("signature \"%s\" not recognised", d.hv_vendor);
		assert_string_equal(h->name, cases[i].name);
		evidence_free(&ev);
	}
}

static void libcpuid_dump_leaves_hypervisor_unknown(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	load_fixture("cpuid/intel_qemu_qemu-virtual-cpu-version.txt", &ev);
	decode_first(&ev, &d);
	assert_int_equal(d.hv_bit, TRI_YES);
	assert_int_equal(d.hv_vendor_known, TRI_UNKNOWN);
	evidence_free(&ev);
}

static void via_samuel_junk_ecx_is_not_a_hypervisor(void **state)
{
	(void)state;
	struct evidence ev;
	struct cpu_decoded d;
	evidence_init(&ev);
	load_fixture("cpuid/via_samuel_via-samuel.txt", &ev);
	decode_first(&ev, &d);
	assert_string_equal(d.vendor, "CentaurHauls");
	assert_int_equal(d.hv_bit, TRI_NO);
	assert_int_equal(d.vmx, TRI_NO);
	assert_int_equal(d.svm, TRI_NO); /* junk in 0x80000001 ECX is not SVM on VIA */
	evidence_free(&ev);
}

static void hypervisor_table_lookup(void **state)
{
	(void)state;
	assert_non_null(hypervisor_lookup("TCGTCGTCGTCG"));
	assert_non_null(strstr(hypervisor_lookup("KVMKVMKVM")->nested_fix, "nested=1"));
	assert_null(hypervisor_lookup("NoSuchHv"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intel_vmx_bit_is_decoded),
		cmocka_unit_test(svm_bit_is_ignored_on_intel),
		cmocka_unit_test(amd_svm_and_npt),
		cmocka_unit_test(leaves_above_the_maximum_are_not_read),
		cmocka_unit_test(missing_leaf_is_unknown_not_absent),
		cmocka_unit_test(kvm_behind_hyperv_enlightenments_is_kvm),
		cmocka_unit_test(hyperv_guest_is_not_root),
		cmocka_unit_test(hyperv_root_partition_fixture),
		cmocka_unit_test(libcpuid_dump_leaves_hypervisor_unknown),
		cmocka_unit_test(via_samuel_junk_ecx_is_not_a_hypervisor),
		cmocka_unit_test(hypervisor_table_lookup),
		cmocka_unit_test(hyperv_nested_hint_is_decoded),
		cmocka_unit_test(pentium_iii_has_no_extended_leaves),
		cmocka_unit_test(old_cpus_without_recorded_extended_leaves),
		cmocka_unit_test(hypervisor_signatures_are_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
