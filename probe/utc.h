/* SPDX-License-Identifier: MIT */
/* Times as reports print them. */
#ifndef HVPROBE_UTC_H
#define HVPROBE_UTC_H

#include <stdbool.h>
#include <stdint.h>

/* "2026-11-27T16:00:00Z" for seconds since 1970 UTC. */
void format_utc(int64_t t, char out[24]);

/* Seconds since 1970 UTC from a Windows FILETIME (100 ns since 1601). */
int64_t utc_from_filetime(uint64_t ft);

/* Seconds since 1970 UTC from ISO 8601 "2022-01-12T03:20:00[.fraction]Z"
 * (as event logs write TimeCreated); false when it is not that form. */
bool utc_parse(const char *s, int64_t *t);

#endif
