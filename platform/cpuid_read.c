/* SPDX-License-Identifier: MIT */
#include "cpuid_read.h"

#include "../probe/cpuid_decode.h"

/* Runs where no allocation is allowed (a UEFI application processor): it
 * fills a caller's array only. */
static bool add(cpuid_fn cpuid, uint32_t leaf, struct cpuid_leaf *out, size_t *n)
{
	uint32_t r[4];
	if (*n == CPUID_READ_MAX)
		return false;
	cpuid(leaf, 0, r);
	out[(*n)++] = (struct cpuid_leaf){ leaf, 0, r[0], r[1], r[2], r[3] };
	return true;
}

bool cpuid_read_all(cpuid_fn cpuid, struct cpuid_leaf *out, size_t *n)
{
	uint32_t r[4];
	bool ok = true;
	*n = 0;
	cpuid(0, 0, r);
	for (uint32_t i = 0, max = r[0]; ok && i <= max && i < 0x100; i++)
		ok = add(cpuid, i, out, n);
	cpuid(CPUID_LEAF_EXT_MAX, 0, r);
	if (r[0] >= CPUID_LEAF_EXT_MAX && r[0] < CPUID_LEAF_EXT_MAX + 0x100)
		for (uint32_t i = CPUID_LEAF_EXT_MAX, max = r[0]; ok && i <= max; i++)
			ok = add(cpuid, i, out, n);
	cpuid(CPUID_LEAF_FEATURES, 0, r);
	if (!(r[2] & CPUID_1_ECX_HYPERVISOR))
		return ok;
	for (uint32_t base = CPUID_LEAF_HV_BASE; ok && base <= CPUID_LEAF_HV_LAST; base += CPUID_HV_STEP) {
		cpuid(base, 0, r);
		if (r[0] < base || r[0] > base + 0xFFu)
			continue;
		for (uint32_t leaf = base, max = r[0]; ok && leaf <= max && leaf <= base + 0x10u; leaf++)
			ok = add(cpuid, leaf, out, n);
	}
	return ok;
}
