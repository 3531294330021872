/* SPDX-License-Identifier: MIT */
/*
 * CPUID on every logical processor of a Windows host, through the
 * compiler's intrinsic on a thread pinned to each processor in turn;
 * processor groups carry hosts beyond 64 CPUs.
 */
#include <windows.h>
#include <intrin.h>

#include "../../probe/cpuid_decode.h"
#include "../live.h"
#include "windows_live.h"

static bool put(struct cpu_record *cpu, uint32_t leaf, uint32_t sub)
{
	int r[4];
	__cpuidex(r, (int)leaf, (int)sub);
	struct cpuid_leaf l = { leaf, sub, (uint32_t)r[0], (uint32_t)r[1], (uint32_t)r[2], (uint32_t)r[3] };
	return cpu_record_put(cpu, &l);
}

static uint32_t max_of(uint32_t leaf)
{
	int r[4];
	__cpuidex(r, (int)leaf, 0);
	return (uint32_t)r[0];
}

/* The leaves of the processor this thread runs on: basic and extended
 * ranges up to their maxima (subleaf 0; the checks read no others), and
 * the hypervisor ranges when the hypervisor bit says they are there. */
static bool read_leaves(struct cpu_record *cpu)
{
	bool ok = true;
	uint32_t max = max_of(0);
	for (uint32_t i = 0; ok && i <= max && i < 0x100; i++)
		ok = put(cpu, i, 0);
	uint32_t ext = max_of(CPUID_LEAF_EXT_MAX);
	if (ext >= CPUID_LEAF_EXT_MAX && ext < CPUID_LEAF_EXT_MAX + 0x100)
		for (uint32_t i = CPUID_LEAF_EXT_MAX; ok && i <= ext; i++)
			ok = put(cpu, i, 0);
	int r[4];
	__cpuidex(r, CPUID_LEAF_FEATURES, 0);
	if (!((uint32_t)r[2] & CPUID_1_ECX_HYPERVISOR))
		return ok;
	for (uint32_t base = CPUID_LEAF_HV_BASE; ok && base <= CPUID_LEAF_HV_LAST; base += CPUID_HV_STEP) {
		uint32_t hv_max = max_of(base);
		if (hv_max < base || hv_max > base + 0xFFu)
			continue;
		for (uint32_t leaf = base; ok && leaf <= hv_max && leaf <= base + 0x10u; leaf++)
			ok = put(cpu, leaf, 0);
	}
	return ok;
}

bool windows_cpuid_collect(struct evidence *ev, struct hv_error *err)
{
	HANDLE thread = GetCurrentThread();
	GROUP_AFFINITY saved;
	bool restore = GetThreadGroupAffinity(thread, &saved);
	WORD groups = GetActiveProcessorGroupCount();
	unsigned id = 0;
	bool ok = true;
	for (WORD g = 0; ok && g < groups; g++) {
		DWORD n = GetActiveProcessorCount(g);
		for (DWORD i = 0; ok && i < n && i < 64; i++, id++) {
			GROUP_AFFINITY a = { .Mask = (KAFFINITY)1 << i, .Group = g };
			struct cpu_record *cpu = evidence_add_cpu(ev, id);
			ok = cpu != NULL;
			/* A processor we cannot run on is recorded without data. */
			if (ok && SetThreadGroupAffinity(thread, &a, NULL)) {
				SwitchToThread();
				ok = read_leaves(cpu);
			}
		}
	}
	if (restore)
		SetThreadGroupAffinity(thread, &saved, NULL);
	if (!ok)
		return hv_fail(err, HV_ENOMEM, "out of memory while recording CPUID");
	if (ev->ncpus == 0)
		return hv_fail(err, HV_EOS, "Windows reports no active processor");
	return true;
}
