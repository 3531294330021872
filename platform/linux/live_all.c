/* SPDX-License-Identifier: MIT */
/* A live Linux host: each collector of platform/linux/linux_live.h in turn. */
#include "../live.h"

#include "history_files.h"
#include "journal_read.h"
#include "linux_live.h"

bool live_collect_hardware(struct evidence *ev, bool read_msrs, struct hv_error *err)
{
	if (!cpuid_collect_live(ev, err))
		return false;
	if (read_msrs)
		msr_collect_live(ev);
	return true;
}

bool live_collect(struct evidence *ev, bool read_msrs, bool search_bcd, struct hv_error *err)
{
	if (!live_collect_hardware(ev, read_msrs, err))
		return false;
	kernel_collect_live(ev);
	kvm_collect_live(ev);
	packages_collect(ev, NULL);
	journal_collect(&ev->journal, NULL, NULL);
	package_log_collect(&ev->package_log, NULL);
	next_boot_collect(&ev->next_boot, NULL, ev->linux_.kernel_release);
	if (search_bcd)
		bcd_collect_live(ev);
	return true;
}
