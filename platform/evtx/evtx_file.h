/* SPDX-License-Identifier: MIT */
/*
 * Windows event logs offline: an .evtx file (exported with wevtutil epl,
 * or a volume's Windows/System32/winevt/Logs) read with libevtx into the
 * evidence model. Only records of the providers in probe/launch.h are
 * kept; the framing pass in evtx_scan.c finds them, so libevtx parses a
 * few hundred records instead of every one.
 */
#ifndef HVPROBE_EVTX_FILE_H
#define HVPROBE_EVTX_FILE_H

#include "../../probe/evidence.h"
#include "../fileio.h"
#include "../../formats/hv_error.h"

/* Read one log into ev->events (call events_settle() after the last).
 * A file that is not an EVTX log, or is broken, is HV_EDATA naming it. */
bool evtx_file_load(const char *path, enum file_origin origin, struct evidence *ev,
		    struct hv_error *err);

/* Read the logs of windows_volume_logs (platform/events_load.h) of root that exist; false on a broken one. *found counts them. */
bool evtx_volume_load(const char *root, struct evidence *ev, unsigned *found,
		      struct hv_error *err);

#endif
