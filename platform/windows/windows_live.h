/* SPDX-License-Identifier: MIT */
/* The Windows collectors: each reads one source through the Windows API. */
#ifndef HVPROBE_WINDOWS_LIVE_H
#define HVPROBE_WINDOWS_LIVE_H

#include <windows.h>

#include "../../probe/evidence.h"
#include "../../formats/hv_error.h"
#include "../../formats/regtree.h"

bool windows_cpuid_collect(struct evidence *ev, struct hv_error *err);

/* A registry key as a regtree: a live key (HKLM\BCD00000000) or a hive
 * file loaded with RegLoadAppKey. The tree releases root on close when
 * own_root is set. */
bool regtree_win_open(struct regtree *t, HKEY root, bool own_root, const char *name,
		      struct hv_error *err);
void regtree_win_close(struct regtree *t);

/* The event log channels that hold launch evidence, into ev->events;
 * a channel that cannot be read adds nothing (events.read stays false). */
void windows_events_live(struct evidence *ev);

/* UTF-8 to UTF-16 for the W functions; NULL on failure, caller frees. */
wchar_t *utf8_to_wide(const char *s);

#endif
