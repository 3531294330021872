/* SPDX-License-Identifier: MIT */
/*
 * The live CPUID collector over a CPU that answers like a QEMU/KVM guest
 * with Hyper-V enlightenments: Microsoft Hv at 0x40000000 and KVM moved to
 * 0x40000100 (QEMU target/i386/kvm/kvm.c kvm_arch_init_vcpu: with Hyper-V
 * on, kvm_base = KVM_CPUID_SIGNATURE_NEXT). This file's cpu_exec_cpuid_ext
 * stands in for libcpuid's, so no real CPUID runs; threads and pinning are
 * real. Nothing here measures time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/linux/linux_live.h"
#include "probe/cpuid_decode.h"

#define HV_BASES 256u

static atomic_uint base_reads; /* CPUID at a hypervisor base, any CPU */

struct fake_leaf {
	uint32_t leaf, eax, ebx, ecx, edx;
};

static const struct fake_leaf guest[] = {
	{ 0x00000000u, 0x00000001u, 0x68747541u, 0x444d4163u, 0x69746e65u }, /* AuthenticAMD */
	{ 0x00000001u, 0x00800f12u, 0, CPUID_1_ECX_HYPERVISOR, 0x178bfbffu },
	{ 0x80000000u, 0x80000001u, 0, 0, 0 },
	{ 0x80000001u, 0, 0, 0x00000004u, 0 },
	/* "Microsoft Hv", highest leaf HV_CPUID_IMPLEMENT_LIMITS */
	{ 0x40000000u, 0x40000005u, 0x7263694du, 0x666f736fu, 0x76482074u },
	{ 0x40000001u, 0x31237648u, 0, 0, 0 }, /* "Hv#1" */
	{ 0x40000005u, 0x00000040u, 0x00000040u, 0, 0 },
	/* "KVMKVMKVM", highest leaf KVM_CPUID_FEATURES | kvm_base */
	{ 0x40000100u, 0x40000101u, 0x4b4d564bu, 0x564b4d56u, 0x0000004du },
	{ 0x40000101u, 0x01007afbu, 0, 0, 0 },
};

void cpu_exec_cpuid_ext(uint32_t *regs)
{
	uint32_t leaf = regs[0];
	if (leaf >= CPUID_LEAF_HV_BASE && leaf <= CPUID_LEAF_HV_LAST + 0xFFu && (leaf & 0xFFu) == 0)
		atomic_fetch_add(&base_reads, 1u);
	memset(regs, 0, 4 * sizeof(*regs));
	for (size_t i = 0; i < sizeof(guest) / sizeof(guest[0]); i++)
		if (guest[i].leaf == leaf) {
			regs[0] = guest[i].eax;
			regs[1] = guest[i].ebx;
			regs[2] = guest[i].ecx;
			regs[3] = guest[i].edx;
		}
}

static void assert_leaf(const struct cpu_record *cpu, uint32_t leaf, uint32_t eax, uint32_t ebx)
{
	const struct cpuid_leaf *l = cpu_record_find(cpu, leaf, 0);
	assert_non_null(l);
	assert_int_equal(l->eax, eax);
	assert_int_equal(l->ebx, ebx);
}

/* Both ranges are kept on every CPU, and the 256 bases are scanned once
 * for the machine, not once per CPU. */
static void test_hyperv_and_kvm_ranges_on_every_cpu(void **state)
{
	(void)state;
	struct evidence ev;
	struct hv_error err = { 0 };
	evidence_init(&ev);
	atomic_store(&base_reads, 0u);
	assert_true(cpuid_collect_live(&ev, &err));
	assert_true(ev.ncpus >= 1);
	for (size_t i = 0; i < ev.ncpus; i++) {
		const struct cpu_record *cpu = &ev.cpus[i];
		assert_int_equal(cpu->id, i);
		assert_leaf(cpu, 0x40000000u, 0x40000005u, 0x7263694du);
		assert_leaf(cpu, 0x40000001u, 0x31237648u, 0);
		assert_leaf(cpu, 0x40000005u, 0x00000040u, 0x00000040u);
		assert_leaf(cpu, 0x40000100u, 0x40000101u, 0x4b4d564bu);
		assert_leaf(cpu, 0x40000101u, 0x01007afbu, 0);
		assert_null(cpu_record_find(cpu, 0x40000200u, 0));
		assert_leaf(cpu, 0x80000001u, 0, 0);
	}
	/* the scan, then each CPU's two ranges: 256 + 2 per CPU; before,
	 * every CPU scanned all 256 bases */
	assert_true(atomic_load(&base_reads) <= HV_BASES + 2u * ev.ncpus);
	evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hyperv_and_kvm_ranges_on_every_cpu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
