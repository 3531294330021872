/* SPDX-License-Identifier: MIT */
/* Windows event logs given on the command line: the logs of a mounted
 * Windows volume (--windows DIR) and exported ones (--evtx FILE). Linux
 * reads them with libevtx (platform/evtx); Windows with its own event log
 * API (platform/windows). Either way the records end in ev->events,
 * settled. */
#ifndef HVPROBE_EVENTS_LOAD_H
#define HVPROBE_EVENTS_LOAD_H

#include "../probe/evidence.h"
#include "../formats/hv_error.h"

/* The logs of a mounted Windows volume that hold launch evidence, relative
 * to its root, any case (NULL-terminated). A missing one is no error. */
extern const char *const windows_volume_logs[];

/* volume may be NULL; files[0..n). Nothing given: nothing read, true. */
bool load_event_logs(const char *volume, const char *const *files, size_t n, struct evidence *ev,
		     struct hv_error *err);

#endif
