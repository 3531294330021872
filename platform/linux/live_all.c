/* SPDX-License-Identifier: MIT */
/* A live Linux host: each collector of platform/linux/linux_live.h in turn. */
#include "../live.h"

#include "linux_live.h"

bool live_collect(struct evidence *ev, bool read_msrs, bool search_bcd, struct hv_error *err)
{
	if (!cpuid_collect_live(ev, err))
		return false;
	if (read_msrs)
		msr_collect_live(ev);
	kernel_collect_live(ev);
	kvm_collect_live(ev);
	packages_collect_live(ev);
	if (search_bcd)
		bcd_collect_live(ev);
	return true;
}
