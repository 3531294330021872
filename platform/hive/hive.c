/* SPDX-License-Identifier: MIT */
#include "hive.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../probe/utf16.h"
#include "../fileio.h"

/* Every hive begins with this (the base block of the regf format). */
#define HIVE_SIGNATURE "regf"
#define HIVE_BASE_BLOCK 4096

/* The file is read whole first: the signature and size give a plainer
 * error than hivex's errno, and a caller may keep the bytes (a bundle).
 * hivex then opens it again by name, the only way its API takes a hive. */
bool hive_open(struct hive_file *hf, const char *file, struct hv_error *err, char **raw,
	       size_t *raw_len)
{
	char *data;
	size_t len;
	hf->h = NULL;
	hf->file = file;
	hf->err = err;
	if (!file_read_all(file, FILEIO_MAX_INPUT, &data, &len, err))
		return false;
	if (len < 4 || memcmp(data, HIVE_SIGNATURE, 4) != 0) {
		free(data);
		return hv_fail(err, HV_EDATA, "%s: not a registry hive (no \"regf\" signature)", file);
	}
	if (len < HIVE_BASE_BLOCK) {
		free(data);
		return hv_fail(err, HV_EDATA, "%s: truncated registry hive (%zu bytes)", file, len);
	}
	errno = 0;
	hf->h = hivex_open(file, 0);
	if (!hf->h) {
		int e = errno;
		free(data);
		return hv_fail(err, HV_EDATA, "%s: corrupt registry hive%s%s", file, e ? ": " : "",
			       e ? strerror(e) : "");
	}
	if (raw) {
		*raw = data;
		*raw_len = len;
	} else {
		free(data);
	}
	return true;
}

void hive_close(struct hive_file *hf)
{
	if (hf->h)
		hivex_close(hf->h);
	hf->h = NULL;
}

bool hive_corrupt(struct hive_file *hf, const char *what)
{
	int e = errno;
	return hv_fail(hf->err, HV_EDATA, "%s: corrupt registry hive: %s%s%s", hf->file, what,
		       e ? ": " : "", e ? strerror(e) : "");
}

bool hive_child(struct hive_file *hf, hive_node_h parent, const char *name, hive_node_h *out)
{
	errno = 0;
	*out = hivex_node_get_child(hf->h, parent, name);
	return *out != 0 || errno == 0 || hive_corrupt(hf, name);
}

bool hive_path(struct hive_file *hf, hive_node_h from, const char *path, hive_node_h *out)
{
	char part[256];
	*out = from;
	while (*path && *out) {
		size_t n = strcspn(path, "\\");
		if (n >= sizeof(part))
			return hv_fail(hf->err, HV_EDATA, "%s: key name too long", hf->file);
		memcpy(part, path, n);
		part[n] = '\0';
		if (!hive_child(hf, *out, part, out))
			return false;
		path += n + (path[n] == '\\');
	}
	return true;
}

bool hive_value(struct hive_file *hf, hive_node_h node, const char *name, hive_type *type,
		char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	errno = 0;
	hive_value_h v = hivex_node_get_value(hf->h, node, name);
	if (v == 0)
		return errno == 0 || hive_corrupt(hf, "a value cannot be read");
	*data = hivex_value_value(hf->h, v, type, len);
	return *data != NULL || hive_corrupt(hf, "a value's data cannot be read");
}

bool hive_dword(struct hive_file *hf, hive_node_h node, const char *name, uint32_t *v,
		bool *have)
{
	hive_type t;
	char *data;
	size_t len;
	*have = false;
	if (!hive_value(hf, node, name, &t, &data, &len))
		return false;
	if (data && t == hive_t_REG_DWORD && len == 4) {
		const unsigned char *b = (const unsigned char *)data;
		*v = b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
		*have = true;
	}
	free(data);
	return true;
}

bool hive_string(struct hive_file *hf, hive_node_h node, const char *name, char *out,
		 size_t size)
{
	hive_type t;
	char *data;
	size_t len;
	out[0] = '\0';
	if (!hive_value(hf, node, name, &t, &data, &len))
		return false;
	if (data && (t == hive_t_REG_SZ || t == hive_t_REG_EXPAND_SZ))
		utf16le_to_utf8((const unsigned char *)data, len, out, size);
	free(data);
	return true;
}

hive_node_h *hive_children(struct hive_file *hf, hive_node_h node)
{
	errno = 0;
	hive_node_h *c = hivex_node_children(hf->h, node);
	if (!c)
		hive_corrupt(hf, "a key's subkeys");
	return c;
}

char *hive_name(struct hive_file *hf, hive_node_h node)
{
	errno = 0;
	char *name = hivex_node_name(hf->h, node);
	if (!name)
		hive_corrupt(hf, "a key's name");
	return name;
}
