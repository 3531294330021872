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

#include <errno.h>
#include <hivex.h>
#include <stdlib.h>
#include <string.h>

#include "../fileio.h"

/* Every hive begins with this (the base block of the regf format). */
#define HIVE_SIGNATURE "regf"
#define HIVE_BASE_BLOCK 4096

struct walk {
	hive_h *h;
	const char *file;
	struct bcd_store *s;
	struct hv_error *err;
};

static bool corrupt(struct walk *w, const char *what)
{
	return hv_fail(w->err, HV_EDATA, "%s: corrupt registry hive: %s%s%s", w->file, what,
		       errno ? ": " : "", errno ? strerror(errno) : "");
}

static bool out_of_memory(struct walk *w)
{
	return hv_fail(w->err, HV_ENOMEM, "%s: out of memory", w->file);
}

/* A child key, or 0 when there is none (errno 0) or the hive is broken. */
static hive_node_h child(struct walk *w, hive_node_h parent, const char *name, bool *ok)
{
	errno = 0;
	hive_node_h n = hivex_node_get_child(w->h, parent, name);
	*ok = n != 0 || errno == 0;
	return n;
}

/* One named value's type and bytes; *data is NULL (and true returned)
 * when the key has no such value. */
static bool value_of(struct walk *w, hive_node_h node, const char *name, hive_type *type,
		     char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	errno = 0;
	hive_value_h v = hivex_node_get_value(w->h, node, name);
	if (v == 0)
		return errno == 0 || corrupt(w, "a value cannot be read");
	*data = hivex_value_value(w->h, v, type, len);
	if (!*data)
		return corrupt(w, "a value's data cannot be read");
	return true;
}

static bool read_type(struct walk *w, hive_node_h object, struct bcd_object *o)
{
	bool ok;
	hive_node_h desc = child(w, object, "Description", &ok);
	if (!ok)
		return corrupt(w, "an object's Description key");
	if (!desc)
		return true;
	hive_type t;
	char *data;
	size_t len;
	if (!value_of(w, desc, "Type", &t, &data, &len))
		return false;
	if (data && t == hive_t_REG_DWORD && len == 4) {
		const unsigned char *b = (const unsigned char *)data;
		o->has_type = true;
		o->type = b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
	}
	free(data);
	return true;
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

static bool read_element(struct walk *w, hive_node_h node, struct bcd_object *o)
{
	char *name = hivex_node_name(w->h, node);
	if (!name)
		return corrupt(w, "an element key's name");
	uint32_t type;
	bool named = element_type(name, &type);
	free(name);
	if (!named)
		return true; /* not an element: the boot manager ignores it too */
	hive_type t = 0;
	char *data;
	size_t len;
	if (!value_of(w, node, "Element", &t, &data, &len))
		return false;
	if (len > BCD_MAX_VALUE) {
		free(data);
		return hv_fail(w->err, HV_EDATA, "%s: element %08x of %s holds %zu bytes, more than a "
				       "BCD element can", w->file, type, o->id, len);
	}
	if (o->nelements == BCD_MAX_ELEMENTS) {
		free(data);
		return hv_fail(w->err, HV_EDATA, "%s: object %s has more than %d elements", w->file,
			       o->id, BCD_MAX_ELEMENTS);
	}
	bool ok = bcd_object_add_element(o, type, data != NULL, (uint32_t)t, data, len);
	free(data);
	return ok || out_of_memory(w);
}

static bool read_elements(struct walk *w, hive_node_h object, struct bcd_object *o)
{
	bool ok;
	hive_node_h elements = child(w, object, "Elements", &ok);
	if (!ok)
		return corrupt(w, "an object's Elements key");
	if (!elements)
		return true;
	hive_node_h *nodes = hivex_node_children(w->h, elements);
	if (!nodes)
		return corrupt(w, "an Elements key's children");
	for (size_t i = 0; ok && nodes[i]; i++)
		ok = read_element(w, nodes[i], o);
	free(nodes);
	return ok;
}

static bool read_object(struct walk *w, hive_node_h node)
{
	char *name = hivex_node_name(w->h, node);
	if (!name)
		return corrupt(w, "an object key's name");
	if (w->s->nobjects == BCD_MAX_OBJECTS) {
		free(name);
		return hv_fail(w->err, HV_EDATA, "%s: more than %d objects", w->file, BCD_MAX_OBJECTS);
	}
	struct bcd_object *o = bcd_add_object(w->s, name);
	free(name);
	if (!o)
		return out_of_memory(w);
	return read_type(w, node, o) && read_elements(w, node, o);
}

static bool read_objects(struct walk *w)
{
	bool ok;
	errno = 0;
	hive_node_h root = hivex_root(w->h);
	if (!root)
		return corrupt(w, "no root key");
	hive_node_h objects = child(w, root, "Objects", &ok);
	if (!ok)
		return corrupt(w, "the Objects key");
	if (!objects)
		return hv_fail(w->err, HV_EDATA, "%s: a registry hive, but not a BCD store (no "
				       "Objects key)", w->file);
	hive_node_h *nodes = hivex_node_children(w->h, objects);
	if (!nodes)
		return corrupt(w, "the Objects key's children");
	for (size_t i = 0; ok && nodes[i]; i++)
		ok = read_object(w, nodes[i]);
	free(nodes);
	return ok;
}

/* The file is read whole first: its bytes are what a bundle keeps, and the
 * signature and size give a plainer error than hivex's errno. hivex then
 * opens it again by name, the only way its API takes a hive. */
bool bcd_hive_load(const char *file, struct bcd_store *s, struct hv_error *err)
{
	char *raw;
	size_t len;
	bcd_store_clear(s);
	if (!file_read_all(file, FILEIO_MAX_INPUT, &raw, &len, err))
		return false;
	if (len < 4 || memcmp(raw, HIVE_SIGNATURE, 4) != 0) {
		free(raw);
		return hv_fail(err, HV_EDATA, "%s: not a registry hive (no \"regf\" signature)", file);
	}
	if (len < HIVE_BASE_BLOCK) {
		free(raw);
		return hv_fail(err, HV_EDATA, "%s: truncated registry hive (%zu bytes)", file, len);
	}
	errno = 0;
	hive_h *h = hivex_open(file, 0);
	if (!h) {
		int e = errno;
		free(raw);
		return hv_fail(err, HV_EDATA, "%s: corrupt registry hive%s%s", file, e ? ": " : "",
			       e ? strerror(e) : "");
	}
	struct walk w = { h, file, s, err };
	bool ok = read_objects(&w);
	hivex_close(h);
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
