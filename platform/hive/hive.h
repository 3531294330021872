/* SPDX-License-Identifier: MIT */
/* A registry hive file as a regtree (formats/regtree.h): read with libhivex
 * (hive.c), or on Windows loaded with RegLoadAppKey (windows/hive_win.c). */
#ifndef HVPROBE_HIVE_H
#define HVPROBE_HIVE_H

#include "../fileio.h"
#include "../../formats/regtree.h"

/* The base block every hive starts with; hives are refused past 4 GiB,
 * what the format's 32-bit offsets can address (long-serviced SOFTWARE
 * hives pass 64 MiB: docs/exit-codes.md). A store copied into a bundle
 * (raw) is read whole, up to HIVE_RAW_MAX: BCD stores are tens of KiB. */
#define HIVE_BASE_BLOCK 4096u
#define HIVE_MAX_BYTES (4ull * 1024 * 1024 * 1024)
#define HIVE_RAW_MAX (64u * 1024u * 1024u)

/* Open a hive file by the input policy (platform/fileio.h), check its base
 * block (signature, size) and open it with the backend. With raw, the
 * whole file is also read into *raw for the caller, who frees it. Errors
 * name the file: missing or not a regular file (HV_ENOINPUT), not a hive,
 * too large or corrupt (HV_EDATA). */
bool hive_open(struct regtree *t, const char *file, enum file_origin origin, struct hv_error *err,
	       char **raw, size_t *raw_len);
void hive_close(struct regtree *t);

/* Shared by both backends (hive_file.c): a file refused unless it starts
 * like a hive (the signature and size give a plainer error than the
 * backends do), and read bytes handed to the caller or freed. */
bool hive_check_base_block(const char *file, const char *head, size_t n, uint64_t size,
			   struct hv_error *err);
void hive_hand_back(char *data, size_t len, char **raw, size_t *raw_len);

#endif
