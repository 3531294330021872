/* SPDX-License-Identifier: MIT */
#include "target.h"

#include <string.h>

#define R LEVEL_REQUIRED
#define A LEVEL_ADVISORY
#define O LEVEL_OFF

/* Columns in check_index order:
 *            arch virt nx slat cons hvrun nested fwvirt fwnx boot kvm
 *            bcd: entry launch nx debug settings; updates.known_bad; hv.launch
 * The BCD is Hyper-V's boot configuration: other targets only show it. */
const struct target_def target_table[] = {
	{ "hyperv", "Hyper-V (Windows Server 2016 and later, client Hyper-V)",
	  { R, R, R, R, R, A, R, R, R, A, O, R, R, R, A, A, A, R }, true, false },
	{ "hyperv-2012r2", "Hyper-V (Windows Server 2012 R2)",
	  { R, R, R, A, R, A, R, R, R, A, O, R, R, R, A, A, A, R }, true, false },
	{ "kvm", "KVM",
	  { R, R, A, A, R, A, R, R, A, A, R, A, A, A, A, A, A, O }, false, true },
	{ "xen", "Xen HVM",
	  { R, R, A, A, R, A, R, R, A, A, O, A, A, A, A, A, A, O }, false, false },
	{ "any", "a hardware-assisted hypervisor",
	  { A, R, A, A, R, A, R, R, A, A, A, A, A, A, A, A, A, A }, true, true },
};
const size_t target_count = sizeof(target_table) / sizeof(target_table[0]);

#undef R
#undef A
#undef O

const struct target_def *target_find(const char *name)
{
	for (size_t i = 0; i < target_count; i++)
		if (strcmp(target_table[i].name, name) == 0)
			return &target_table[i];
	return NULL;
}

const char *check_level_name(enum check_level l)
{
	switch (l) {
	case LEVEL_REQUIRED: return "required";
	case LEVEL_ADVISORY: return "advisory";
	default: return "off";
	}
}
