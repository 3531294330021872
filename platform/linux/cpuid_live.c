/* SPDX-License-Identifier: MIT */
/*
 * CPUID on every logical CPU. libcpuid reads the basic and extended leaves
 * on each CPU; its arrays have no room for the hypervisor leaves
 * (0x4000xxxx), so those are read here, pinned to each CPU in turn.
 */
#include "linux_live.h"

#include <errno.h>
#include <libcpuid.h>
#include <sched.h>
#include <string.h>

#include "../../probe/cpuid_decode.h"

static bool put(struct cpu_record *cpu, uint32_t leaf, uint32_t subleaf, const uint32_t *regs)
{
	struct cpuid_leaf l = { leaf, subleaf, regs[EAX], regs[EBX], regs[ECX], regs[EDX] };
	return cpu_record_put(cpu, &l);
}

/* Copy the leaves libcpuid read, up to each range's maximum: beyond it the
 * arrays hold whatever the CPU returned for an invalid leaf. */
static bool copy_raw(const struct cpu_raw_data_t *raw, struct cpu_record *cpu)
{
	uint32_t max_basic = raw->basic_cpuid[0][EAX];
	uint32_t max_ext = raw->ext_cpuid[0][EAX];
	bool ok = true;
	for (uint32_t i = 0; i < MAX_CPUID_LEVEL && i <= max_basic; i++)
		ok &= put(cpu, i, 0, raw->basic_cpuid[i]);
	if (max_ext >= CPUID_LEAF_EXT_MAX && max_ext < CPUID_LEAF_EXT_MAX + 0x10000u)
		for (uint32_t i = 0; i < MAX_EXT_CPUID_LEVEL && CPUID_LEAF_EXT_MAX + i <= max_ext; i++)
			ok &= put(cpu, CPUID_LEAF_EXT_MAX + i, 0, raw->ext_cpuid[i]);
	return ok;
}

static void exec_cpuid(uint32_t leaf, uint32_t *regs)
{
	memset(regs, 0, 4 * sizeof(*regs));
	regs[EAX] = leaf;
	cpu_exec_cpuid_ext(regs);
}

/* Read the signature leaf of each hypervisor range and what it announces. */
static bool read_hypervisor_leaves(struct cpu_record *cpu)
{
	uint32_t regs[4];
	exec_cpuid(CPUID_LEAF_FEATURES, regs);
	if (!(regs[ECX] & CPUID_1_ECX_HYPERVISOR))
		return true; /* bare metal: 0x4000xxxx returns junk there */
	for (uint32_t base = CPUID_LEAF_HV_BASE; base <= CPUID_LEAF_HV_LAST; base += CPUID_HV_STEP) {
		exec_cpuid(base, regs);
		uint32_t max = regs[EAX];
		if (max < base || max > base + 0xFFu)
			continue; /* no hypervisor range here */
		if (!put(cpu, base, 0, regs))
			return false;
		for (uint32_t leaf = base + 1; leaf <= max && leaf <= base + 0x10u; leaf++) {
			exec_cpuid(leaf, regs);
			if (!put(cpu, leaf, 0, regs))
				return false;
		}
	}
	return true;
}

static bool pin_to(unsigned cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0;
}

bool cpuid_collect_live(struct evidence *ev, struct hv_error *err)
{
	if (!cpuid_present())
		return hv_fail(err, HV_EOS, "this processor has no CPUID instruction");
	struct cpu_raw_data_array_t raw;
	memset(&raw, 0, sizeof(raw));
	if (cpuid_get_all_raw_data(&raw) < 0 || raw.num_raw == 0)
		return hv_fail(err, HV_EOS, "libcpuid could not read CPUID: %s", cpuid_error());

	cpu_set_t saved;
	bool restore = sched_getaffinity(0, sizeof(saved), &saved) == 0;
	bool ok = true;
	for (unsigned i = 0; ok && i < (unsigned)raw.num_raw; i++) {
		struct cpu_record *cpu = evidence_add_cpu(ev, i);
		ok = cpu && copy_raw(&raw.raw[i], cpu);
		/* A CPU outside our cpuset cannot be pinned: its hypervisor leaves
		 * are then missing, which reads as "no data", not as absent. */
		if (ok && pin_to(i))
			ok = read_hypervisor_leaves(cpu);
	}
	if (restore)
		sched_setaffinity(0, sizeof(saved), &saved);
	cpuid_free_raw_data_array(&raw);
	if (!ok)
		return hv_fail(err, HV_ENOMEM, "out of memory while recording CPUID");
	return true;
}
