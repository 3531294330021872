/* SPDX-License-Identifier: MIT */
/*
 * CPUID on every logical processor of a Windows host, through the
 * compiler's intrinsic on a thread pinned to each processor in turn;
 * processor groups carry hosts beyond 64 CPUs.
 */
#include <windows.h>
#include <intrin.h>

#include "../../probe/cpuid_decode.h"
#include "../cpuid_read.h"
#include "../live.h"
#include "windows_live.h"

static void intrinsic(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	int r[4];
	__cpuidex(r, (int)leaf, (int)subleaf);
	for (int i = 0; i < 4; i++)
		regs[i] = (uint32_t)r[i];
}

static bool read_leaves(struct cpu_record *cpu)
{
	struct cpuid_leaf leaves[CPUID_READ_MAX];
	size_t n;
	bool ok = cpuid_read_all(intrinsic, leaves, &n);
	for (size_t i = 0; i < n; i++)
		ok &= cpu_record_put(cpu, &leaves[i]);
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
