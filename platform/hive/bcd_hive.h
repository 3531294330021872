/* SPDX-License-Identifier: MIT */
/* Read a BCD store file (a registry hive) with libhivex into the store
 * model of probe/evidence.h. It copies what is stored and judges nothing. */
#ifndef HVPROBE_BCD_HIVE_H
#define HVPROBE_BCD_HIVE_H

#include "../../probe/evidence.h"
#include "../fileio.h"
#include "../../formats/hv_error.h"

/* Fill s->objects and s->raw from the file and set s->read; s->path and
 * s->origin are the caller's. Errors name the file: missing or unreadable
 * is HV_ENOINPUT; not a hive, corrupt, or not a BCD store is HV_EDATA. */
bool bcd_hive_load(const char *file, enum file_origin origin, struct bcd_store *s,
		   struct hv_error *err);

#endif
