/* SPDX-License-Identifier: MIT */
/*
 * The BCD layout (docs/checks.md, "The Windows boot configuration"):
 *   Objects\{GUID}\Description       value Type (REG_DWORD): object type
 *   Objects\{GUID}\Elements\XXXXXXXX value Element: the element, typed by
 *                                    the key name in hex
 * The tree's backend (hivex, or the Windows registry) returns what is
 * there; this walk trusts none of it to be present or well formed.
 */
#include "bcd_walk.h"

#include <stdlib.h>
#include <string.h>

static bool out_of_memory(struct regtree *t)
{
	return hv_fail(t->err, HV_ENOMEM, "%s: out of memory", t->name);
}

static bool read_type(struct regtree *t, regnode object, struct bcd_object *o)
{
	regnode desc;
	if (!t->ops->child(t, object, "Description", &desc))
		return false;
	bool ok = !desc || regtree_dword(t, desc, "Type", &o->type, &o->has_type);
	if (desc)
		t->ops->release(t, desc);
	return ok;
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

static bool read_element(struct regtree *t, regnode node, struct bcd_object *o)
{
	char *name = t->ops->name(t, node);
	if (!name)
		return false;
	uint32_t type;
	bool named = element_type(name, &type);
	free(name);
	if (!named)
		return true; /* not an element: the boot manager ignores it too */
	uint32_t type_of_value = 0;
	char *data;
	size_t len;
	if (!t->ops->value(t, node, "Element", &type_of_value, &data, &len))
		return false;
	if (len > BCD_MAX_VALUE) {
		free(data);
		return hv_fail(t->err, HV_EDATA, "%s: element %08x of %s holds %zu bytes, more than a "
				       "BCD element can", t->name, type, o->id, len);
	}
	if (o->nelements == BCD_MAX_ELEMENTS) {
		free(data);
		return hv_fail(t->err, HV_EDATA, "%s: object %s has more than %d elements", t->name,
			       o->id, BCD_MAX_ELEMENTS);
	}
	bool ok = bcd_object_add_element(o, type, data != NULL, type_of_value, data, len);
	free(data);
	return ok || out_of_memory(t);
}

static bool read_elements(struct regtree *t, regnode object, struct bcd_object *o)
{
	regnode elements;
	if (!t->ops->child(t, object, "Elements", &elements))
		return false;
	if (!elements)
		return true;
	regnode *nodes = t->ops->children(t, elements);
	bool ok = nodes != NULL;
	for (size_t i = 0; ok && nodes[i]; i++)
		ok = read_element(t, nodes[i], o);
	regtree_release_all(t, nodes);
	t->ops->release(t, elements);
	return ok;
}

static bool read_object(struct regtree *t, regnode node, struct bcd_store *s)
{
	char *name = t->ops->name(t, node);
	if (!name)
		return false;
	if (s->nobjects == BCD_MAX_OBJECTS) {
		free(name);
		return hv_fail(t->err, HV_EDATA, "%s: more than %d objects", t->name, BCD_MAX_OBJECTS);
	}
	struct bcd_object *o = bcd_add_object(s, name);
	free(name);
	if (!o)
		return out_of_memory(t);
	return read_type(t, node, o) && read_elements(t, node, o);
}

bool bcd_walk(struct regtree *t, struct bcd_store *s)
{
	regnode objects;
	if (!t->ops->child(t, t->ops->root(t), "Objects", &objects))
		return false;
	if (!objects)
		return hv_fail(t->err, HV_EDATA, "%s: a registry hive, but not a BCD store (no "
					  "Objects key)", t->name);
	regnode *nodes = t->ops->children(t, objects);
	bool ok = nodes != NULL;
	for (size_t i = 0; ok && nodes[i]; i++)
		ok = read_object(t, nodes[i], s);
	regtree_release_all(t, nodes);
	t->ops->release(t, objects);
	return ok;
}

