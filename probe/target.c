/* SPDX-License-Identifier: MIT */
#include "target.h"

#include <string.h>

/* Each check's level per target is in its row of check_table. */
const struct target_def target_table[TARGET_COUNT] = {
	[TARGET_HYPERV] = { TARGET_HYPERV, "hyperv",
			    "Hyper-V (Windows Server 2016 and later, client Hyper-V)", true, false },
	[TARGET_HYPERV_2012R2] = { TARGET_HYPERV_2012R2, "hyperv-2012r2",
				   "Hyper-V (Windows Server 2012 R2)", true, false },
	[TARGET_KVM] = { TARGET_KVM, "kvm", "KVM", false, true },
	[TARGET_XEN] = { TARGET_XEN, "xen", "Xen HVM", false, false },
	[TARGET_ANY] = { TARGET_ANY, "any", "a hardware-assisted hypervisor", true, true },
};
const size_t target_count = TARGET_COUNT;

const struct target_def *target_find(const char *name)
{
	for (size_t i = 0; i < target_count; i++)
		if (strcmp(target_table[i].name, name) == 0)
			return &target_table[i];
	return NULL;
}

enum check_level target_level(const struct target_def *t, int check)
{
	return check_table[check].level[t->index];
}

const char *check_level_name(enum check_level l)
{
	switch (l) {
	case LEVEL_REQUIRED: return "required";
	case LEVEL_ADVISORY: return "advisory";
	case LEVEL_OFF: return "off";
	default: return "unset";
	}
}
