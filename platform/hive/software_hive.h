/* SPDX-License-Identifier: MIT */
/* An offline Windows installation, read from its SOFTWARE hive: identity
 * (product, build, MachineGuid) and installed update packages
 * (docs/windows.md). Gathered, not judged. */
#ifndef HVPROBE_SOFTWARE_HIVE_H
#define HVPROBE_SOFTWARE_HIVE_H

#include "../../probe/evidence.h"
#include "../fileio.h"
#include "../../formats/hv_error.h"

/* Where the hive lives under a mounted Windows volume. */
#define SOFTWARE_HIVE_PLACE "Windows/System32/config/SOFTWARE"
#define SYSTEM_HIVE_PLACE "Windows/System32/config/SYSTEM"

/* Fill ev->windows, ev->machine_id and ev->installed from the hive file.
 * Errors name the file: not a hive or corrupt (HV_EDATA), a hive that is
 * not a SOFTWARE hive (HV_EDATA), missing (HV_ENOINPUT). */
bool software_hive_load(const char *file, enum file_origin origin, struct evidence *ev,
			struct hv_error *err);

/* ev->winboot from a SYSTEM hive file (formats/system_walk.c). */
bool system_hive_load(const char *file, enum file_origin origin, struct evidence *ev,
		      struct hv_error *err);

/* The SOFTWARE hive under a mounted Windows volume (any case), and the
 * SYSTEM hive beside it where there is one. */
bool windows_volume_load(const char *root, struct evidence *ev, struct hv_error *err);

#endif
