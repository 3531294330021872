/* SPDX-License-Identifier: MIT */
/* libcpuid knows core codenames; hvprobe decodes everything else itself. */
#include "cpu_identify.h"

#include <libcpuid.h>
#include <stdio.h>
#include <string.h>

/* Rebuild libcpuid's raw arrays from the recorded leaves. */
static void to_raw(const struct cpu_record *cpu, struct cpu_raw_data_t *raw)
{
	memset(raw, 0, sizeof(*raw));
	for (size_t i = 0; i < cpu->nleaves; i++) {
		const struct cpuid_leaf *l = &cpu->leaves[i];
		uint32_t regs[NUM_REGS] = { l->eax, l->ebx, l->ecx, l->edx };
		uint32_t (*slot)[NUM_REGS] = NULL;
		if (l->leaf < MAX_CPUID_LEVEL && l->subleaf == 0)
			slot = &raw->basic_cpuid[l->leaf];
		else if (l->leaf >= 0x80000000u && l->leaf - 0x80000000u < MAX_EXT_CPUID_LEVEL &&
			 l->subleaf == 0)
			slot = &raw->ext_cpuid[l->leaf - 0x80000000u];
		else if (l->leaf == 4 && l->subleaf < MAX_INTELFN4_LEVEL)
			slot = &raw->intel_fn4[l->subleaf];
		else if (l->leaf == 0xB && l->subleaf < MAX_INTELFN11_LEVEL)
			slot = &raw->intel_fn11[l->subleaf];
		if (slot)
			memcpy(*slot, regs, sizeof(regs));
	}
}

void cpu_identify_codename(struct evidence *ev)
{
	ev->codename[0] = '\0';
	for (size_t i = 0; i < ev->ncpus; i++) {
		if (ev->cpus[i].nleaves == 0)
			continue;
		struct cpu_raw_data_t raw;
		struct cpu_id_t id;
		to_raw(&ev->cpus[i], &raw);
		if (cpu_identify(&raw, &id) == 0 && strcmp(id.cpu_codename, "Unknown") != 0)
			snprintf(ev->codename, sizeof(ev->codename), "%s", id.cpu_codename);
		return;
	}
}
