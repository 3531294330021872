/* SPDX-License-Identifier: MIT */
#include "events_load.h"

/* The System channel holds boots, launch outcomes and Windows Update's
 * installations; Setup the servicing packages; the Hyper-V Worker's admin
 * channel the VMs refused for want of a hypervisor (docs/launch-events.md). */
const char *const windows_volume_logs[] = {
	"Windows/System32/winevt/Logs/System.evtx",
	"Windows/System32/winevt/Logs/Setup.evtx",
	"Windows/System32/winevt/Logs/Microsoft-Windows-Hyper-V-Worker-Admin.evtx",
	NULL,
};
