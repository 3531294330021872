/* SPDX-License-Identifier: MIT */
/*
 * The hive layout (domain.md section 5):
 *   Objects\{GUID}\Description       value Type (REG_DWORD): object type
 *   Objects\{GUID}\Elements\XXXXXXXX value Element: the element, typed by
 *                                    the key name in hex
 * hivex parses the hive and refuses a broken one; this walk trusts none of
 * what it returns to be present or well formed.
 */
#include "bcd_hive.h"

#include <stdlib.h>
#include <string.h>

#include "hive.h"

static bool out_of_memory(struct hive_file *hf)
{
	return hv_fail(hf->err, HV_ENOMEM, "%s: out of memory", hf->file);
}

static bool read_type(struct hive_file *hf, hive_node_h object, struct bcd_object *o)
{
	hive_node_h desc;
	if (!hive_child(hf, object, "Description", &desc))
		return false;
	return !desc || hive_dword(hf, desc, "Type", &o->type, &o->has_type);
}

/* Element key names are the element type in 8 hex digits. */
static bool element_type(const char *name, uint32_t *type)
{
	if (strlen(name) != 8)
		return false;
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = name[i];
		int d = c >= '0' && c <= '9' ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*type = v;
	return true;
}

static bool read_element(struct hive_file *hf, hive_node_h node, struct bcd_object *o)
{
	char *name = hive_name(hf, node);
	if (!name)
		return false;
	uint32_t type;
	bool named = element_type(name, &type);
	free(name);
	if (!named)
		return true; /* not an element: the boot manager ignores it too */
	hive_type t = 0;
	char *data;
	size_t len;
	if (!hive_value(hf, node, "Element", &t, &data, &len))
		return false;
	if (len > BCD_MAX_VALUE) {
		free(data);
		return hv_fail(hf->err, HV_EDATA, "%s: element %08x of %s holds %zu bytes, more than a "
				       "BCD element can", hf->file, type, o->id, len);
	}
	if (o->nelements == BCD_MAX_ELEMENTS) {
		free(data);
		return hv_fail(hf->err, HV_EDATA, "%s: object %s has more than %d elements", hf->file,
			       o->id, BCD_MAX_ELEMENTS);
	}
	bool ok = bcd_object_add_element(o, type, data != NULL, (uint32_t)t, data, len);
	free(data);
	return ok || out_of_memory(hf);
}

static bool read_elements(struct hive_file *hf, hive_node_h object, struct bcd_object *o)
{
	hive_node_h elements;
	if (!hive_child(hf, object, "Elements", &elements))
		return false;
	if (!elements)
		return true;
	hive_node_h *nodes = hive_children(hf, elements);
	if (!nodes)
		return false;
	bool ok = true;
	for (size_t i = 0; ok && nodes[i]; i++)
		ok = read_element(hf, nodes[i], o);
	free(nodes);
	return ok;
}

static bool read_object(struct hive_file *hf, hive_node_h node, struct bcd_store *s)
{
	char *name = hive_name(hf, node);
	if (!name)
		return false;
	if (s->nobjects == BCD_MAX_OBJECTS) {
		free(name);
		return hv_fail(hf->err, HV_EDATA, "%s: more than %d objects", hf->file, BCD_MAX_OBJECTS);
	}
	struct bcd_object *o = bcd_add_object(s, name);
	free(name);
	if (!o)
		return out_of_memory(hf);
	return read_type(hf, node, o) && read_elements(hf, node, o);
}

static bool read_objects(struct hive_file *hf, struct bcd_store *s)
{
	hive_node_h objects;
	if (!hive_child(hf, hivex_root(hf->h), "Objects", &objects))
		return false;
	if (!objects)
		return hv_fail(hf->err, HV_EDATA, "%s: a registry hive, but not a BCD store (no "
					  "Objects key)", hf->file);
	hive_node_h *nodes = hive_children(hf, objects);
	if (!nodes)
		return false;
	bool ok = true;
	for (size_t i = 0; ok && nodes[i]; i++)
		ok = read_object(hf, nodes[i], s);
	free(nodes);
	return ok;
}

bool bcd_hive_load(const char *file, struct bcd_store *s, struct hv_error *err)
{
	struct hive_file hf;
	char *raw;
	size_t len;
	bcd_store_clear(s);
	if (!hive_open(&hf, file, err, &raw, &len))
		return false;
	bool ok = read_objects(&hf, s);
	hive_close(&hf);
	if (!ok) {
		free(raw);
		bcd_store_clear(s);
		return false;
	}
	s->raw = (unsigned char *)raw;
	s->raw_len = len;
	s->read = true;
	return true;
}
