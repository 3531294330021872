/* SPDX-License-Identifier: MIT */
/*
 * A registry hive file opened with libhivex, for the readers of Windows
 * data (the BCD store, the SOFTWARE hive). Every call trusts nothing the
 * hive holds and fails with a message that names the file.
 */
#ifndef HVPROBE_HIVE_H
#define HVPROBE_HIVE_H

#include <hivex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../hv_error.h"

struct hive_file {
	hive_h *h;
	const char *file;
	struct hv_error *err;
};

/* Read the whole file (kept in *raw for the caller, who frees it; raw may
 * be NULL), check the regf signature and size, and open it with hivex. */
bool hive_open(struct hive_file *hf, const char *file, struct hv_error *err, char **raw,
	       size_t *raw_len);
void hive_close(struct hive_file *hf);

/* "file: corrupt registry hive: what[: errno text]"; returns false. */
bool hive_corrupt(struct hive_file *hf, const char *what);

/* The child key called name (any case), or 0 with true when there is none;
 * false when the hive is broken. */
bool hive_child(struct hive_file *hf, hive_node_h parent, const char *name, hive_node_h *out);

/* Follow a path of keys separated by '\\'; 0 when a key is missing. */
bool hive_path(struct hive_file *hf, hive_node_h from, const char *path, hive_node_h *out);

/* A value's registry type and bytes (*data NULL when the key has no such
 * value; the caller frees it). */
bool hive_value(struct hive_file *hf, hive_node_h node, const char *name, hive_type *type,
		char **data, size_t *len);

/* A REG_DWORD value, or false in *have when absent or of another type. */
bool hive_dword(struct hive_file *hf, hive_node_h node, const char *name, uint32_t *v,
		bool *have);

/* A REG_SZ value as UTF-8 ("" when absent or of another type). */
bool hive_string(struct hive_file *hf, hive_node_h node, const char *name, char *out,
		 size_t size);

/* The subkeys of node, 0-terminated; the caller frees. NULL: broken. */
hive_node_h *hive_children(struct hive_file *hf, hive_node_h node);

/* A key's name (the caller frees); NULL when the hive is broken. */
char *hive_name(struct hive_file *hf, hive_node_h node);

#endif
