/* SPDX-License-Identifier: MIT */
/* A registry hive file as a regtree (platform/regtree.h): read with libhivex
 * (hive.c), or on Windows loaded with RegLoadAppKey (windows/hive_win.c). */
#ifndef HVPROBE_HIVE_H
#define HVPROBE_HIVE_H

#include "../regtree.h"

/* Read the whole file (kept in *raw for the caller, who frees it; raw may
 * be NULL), check the regf signature and size, and open it with hivex.
 * Errors name the file: missing (HV_ENOINPUT), not a hive or corrupt
 * (HV_EDATA). */
bool hive_open(struct regtree *t, const char *file, struct hv_error *err, char **raw,
	       size_t *raw_len);
void hive_close(struct regtree *t);

/* Shared by both backends (hive_file.c): the whole file, refused unless it
 * starts like a hive (the signature and size give a plainer error than the
 * backends do), and the bytes handed to the caller or freed. */
bool hive_read_file(const char *file, char **data, size_t *len, struct hv_error *err);
void hive_hand_back(char *data, size_t len, char **raw, size_t *raw_len);

#endif
