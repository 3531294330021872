/* SPDX-License-Identifier: MIT */
/* This host, live: every evidence source the platform offers. Linux
 * (platform/linux/) and Windows (platform/windows/) each implement it. */
#ifndef HVPROBE_LIVE_H
#define HVPROBE_LIVE_H

#include "../probe/evidence.h"
#include "../formats/hv_error.h"

/* read_msrs: false when recorded values replace a live read; search_bcd:
 * false when --bcd or --esp names the store. Fails only when CPUID itself
 * cannot be read. */
bool live_collect(struct evidence *ev, bool read_msrs, bool search_bcd, struct hv_error *err);

/* This machine's processor alone (CPUID, and MSRs when read_msrs), for a
 * system given offline that runs on it (--root). */
bool live_collect_hardware(struct evidence *ev, bool read_msrs, struct hv_error *err);

#endif
