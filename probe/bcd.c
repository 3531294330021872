/* SPDX-License-Identifier: MIT */
#include "bcd.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf16.h"

const struct bcd_setting_def bcd_setting_table[BCD_SET_COUNT] = {
	[BCD_SET_LAUNCH_TYPE] = { BcdOSLoaderInteger_HypervisorLaunchType, "hypervisorlaunchtype" },
	[BCD_SET_NX] = { BcdOSLoaderInteger_NxPolicy, "nx" },
	[BCD_SET_HV_DEBUG] = { BcdOSLoaderBoolean_HypervisorDebuggerEnabled, "hypervisordebug" },
	[BCD_SET_HV_SLAT_DISABLED] = { BcdOSLoaderBoolean_HypervisorSlatDisabled, "hypervisordisableslat" },
	[BCD_SET_HV_NUM_PROC] = { BcdOSLoaderInteger_HypervisorNumProc, "hypervisornumproc" },
	[BCD_SET_HV_IOMMU_POLICY] = { BcdOSLoaderInteger_HypervisorIommuPolicy, "hypervisoriommupolicy" },
};

/* bcdedit's names for objects every store shares. {current} and
 * {default} are aliases the boot manager resolves; a store file holds
 * neither, so both mean "{bootmgr}'s default" here. */
static const struct {
	const char *name;
	const char *id;
} well_known[] = {
	{ "{bootmgr}", BCD_BOOTMGR_ID },
	{ "{fwbootmgr}", "{a5a30fa2-3d06-4e9f-b5f4-a01df9d1fcba}" },
	{ "{memdiag}", "{b2721d73-1db4-4c62-bf78-c548a880142d}" },
	{ "{ntldr}", "{466f5a88-0af2-4f76-9038-095b170dc21c}" },
	{ "{globalsettings}", "{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}" },
	{ "{bootloadersettings}", "{6efb52bf-1766-41db-a6b3-0ee5eff72bd7}" },
	{ "{resumeloadersettings}", "{1afa9c49-16ab-4a5c-901b-212802da9460}" },
	{ "{hypervisorsettings}", "{7ff607e0-4395-11db-b0de-0800200c9a66}" },
	{ "{dbgsettings}", "{4636856e-540f-4170-a130-a84776f4c654}" },
	{ "{emssettings}", "{0ce4991b-e6b3-4b16-b23c-5e0d9250e5d9}" },
	{ "{badmemory}", "{5189b25c-5558-4bf2-bca4-289b11bd29e2}" },
	{ "{ramdiskoptions}", "{ae5534e0-a924-466c-b836-758539a3ee3a}" },
};
#define NWELL_KNOWN (sizeof(well_known) / sizeof(well_known[0]))

/* Case-insensitive ASCII comparison: GUIDs and bcdedit names only, and
 * strcasecmp is POSIX, not C11. */
static bool same_text(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

/* "{8-4-4-4-12}" in hex, braces optional; written lower case with braces. */
static bool canonical_guid(const char *s, char out[BCD_ID_MAX])
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t n = strlen(s);
	bool braces = n == 38 && s[0] == '{' && s[37] == '}';
	if (!braces && n != 36)
		return false;
	s += braces;
	out[0] = '{';
	for (size_t i = 0; i < 36; i++) {
		bool ok = shape[i] == '-' ? s[i] == '-' : isxdigit((unsigned char)s[i]) != 0;
		if (!ok)
			return false;
		out[i + 1] = (char)tolower((unsigned char)s[i]);
	}
	out[37] = '}';
	out[38] = '\0';
	return true;
}

static bool is_default_alias(const char *s)
{
	return same_text(s, "default") || same_text(s, "{default}") || same_text(s, "{current}") ||
	       same_text(s, "all");
}

/* The GUID a request names, or "" for the default. */
static bool request_id(const char *request, char out[BCD_ID_MAX])
{
	out[0] = '\0';
	if (!request || is_default_alias(request))
		return true;
	for (size_t i = 0; i < NWELL_KNOWN; i++) {
		if (same_text(request, well_known[i].name)) {
			snprintf(out, BCD_ID_MAX, "%s", well_known[i].id);
			return true;
		}
	}
	return canonical_guid(request, out);
}

bool bcd_request_valid(const char *request)
{
	char id[BCD_ID_MAX];
	return request_id(request, id);
}

const char *bcd_well_known_name(const char *id)
{
	for (size_t i = 0; i < NWELL_KNOWN; i++)
		if (same_text(id, well_known[i].id))
			return well_known[i].name;
	return NULL;
}

const char *bcd_launch_type_name(uint64_t v)
{
	switch (v) {
	case HYPERVISOR_LAUNCH_OFF: return "Off";
	case HYPERVISOR_LAUNCH_AUTO: return "Auto";
	default: return NULL;
	}
}

const char *bcd_nx_name(uint64_t v)
{
	static const char *const names[] = { "OptIn", "OptOut", "AlwaysOff", "AlwaysOn" };
	return v < 4 ? names[v] : NULL;
}

const char *bcd_iommu_policy_name(uint64_t v)
{
	static const char *const names[] = { "Default", "Enable", "Disable" };
	return v < 3 ? names[v] : NULL;
}

const char *bcd_object_type_name(uint32_t type)
{
	switch (type) {
	case BCD_OBJECT_BOOTMGR: return "the Windows boot manager";
	case 0x10100001u: return "the firmware boot manager";
	case BCD_OBJECT_OSLOADER: return "a Windows OS loader";
	case 0x10200004u: return "a resume (hibernation) loader";
	case 0x10200005u: return "a memory tester";
	case 0x10300006u: return "a legacy (NTLDR) loader";
	default: break;
	}
	if ((type >> 28) == 2)
		return "an inheritable settings object";
	if ((type >> 28) == 3)
		return "a device object";
	return "an application object";
}

/* ---- the store ---- */

static const struct bcd_object *find_object(const struct bcd_store *s, const char *id)
{
	for (size_t i = 0; i < s->nobjects; i++)
		if (same_text(s->objects[i].id, id))
			return &s->objects[i];
	return NULL;
}

static const struct bcd_element *own_element(const struct bcd_object *o, uint32_t type)
{
	for (size_t i = 0; i < o->nelements; i++)
		if (o->elements[i].type == type)
			return &o->elements[i];
	return NULL;
}

static const char *reg_type_name(const struct bcd_element *e)
{
	if (!e->has_value)
		return "no Element value";
	switch (e->reg_type) {
	case REG_TYPE_SZ: return "REG_SZ";
	case REG_TYPE_BINARY: return "REG_BINARY";
	case REG_TYPE_DWORD: return "REG_DWORD";
	case REG_TYPE_MULTI_SZ: return "REG_MULTI_SZ";
	default: return "another registry type";
	}
}

/* A string element (REG_SZ, UTF-16LE) as UTF-8; "" when it is not one. */
static void element_string(const struct bcd_element *e, char *out, size_t size)
{
	out[0] = '\0';
	if (e && e->has_value && e->reg_type == REG_TYPE_SZ)
		utf16le_to_utf8(e->data, e->len, out, size);
}

/* Integers are 8 bytes little-endian, booleans one byte or more, both
 * REG_BINARY (domain.md section 5). */
static bool element_number(const struct bcd_element *e, const struct bcd_object *o,
			   struct bcd_setting *out)
{
	bool boolean = BCD_FORMAT(e->type) == BCD_FORMAT_BOOLEAN;
	bool size_ok = boolean ? e->len >= 1 && e->len <= 8 : e->len == 8;
	snprintf(out->from, sizeof(out->from), "%s", o->id);
	if (!e->has_value || e->reg_type != REG_TYPE_BINARY || !size_ok) {
		out->state = BCD_VALUE_INVALID;
		snprintf(out->problem, sizeof(out->problem),
			 "element %08x of %s is %s of %zu bytes; expected %s", e->type, o->id,
			 reg_type_name(e), e->len,
			 boolean ? "a REG_BINARY boolean" : "an 8-byte REG_BINARY integer");
		return false;
	}
	uint64_t v = 0;
	for (size_t i = e->len; i-- > 0;)
		v = v << 8 | e->data[i];
	out->state = BCD_VALUE_SET;
	out->number = boolean ? v != 0 : v;
	return true;
}

/* The inherit list of an object: REG_MULTI_SZ of GUID strings. Calls fn
 * for each; stops early when fn returns false. */
static bool for_each_inherited(const struct bcd_object *o, bool (*fn)(const char *id, void *ctx),
			       void *ctx)
{
	const struct bcd_element *e = own_element(o, BcdLibraryObjectList_InheritedObjects);
	if (!e || !e->has_value || e->reg_type != REG_TYPE_MULTI_SZ)
		return true;
	char id[BCD_ID_MAX * 2];
	size_t start = 0;
	for (size_t i = 0; i + 1 < e->len; i += 2) {
		if (e->data[i] != 0 || e->data[i + 1] != 0)
			continue;
		if (i > start) {
			utf16le_to_utf8(e->data + start, i - start, id, sizeof(id));
			if (!fn(id, ctx))
				return false;
		}
		start = i + 2;
	}
	return true;
}

/* Depth-first walk of the inherit lists with the path kept on a stack, so
 * a cycle (an object on its own path) is told apart from a diamond (two
 * paths to one object, which is fine and visited once). */
struct walk {
	const struct bcd_store *store;
	struct bcd_entry *entry;
	const struct bcd_object *order[BCD_MAX_INHERITED + 1];
	size_t norder;
	const struct bcd_object *path[BCD_MAX_DEPTH];
	size_t depth;
};

static bool visit(const char *id, void *ctx);

/* "inheritance cycle: {a} -> {b} -> {a}", cut to fit. */
static void describe_cycle(const struct walk *w, size_t from, const struct bcd_object *again)
{
	char *p = w->entry->problem;
	size_t left = sizeof(w->entry->problem);
	int n = snprintf(p, left, "inheritance cycle:");
	for (size_t j = from; j <= w->depth && n >= 0 && (size_t)n < left; j++) {
		p += n;
		left -= (size_t)n;
		n = snprintf(p, left, j < w->depth ? " %s ->" : " %s",
			     j < w->depth ? w->path[j]->id : again->id);
	}
}

static bool walk_object(struct walk *w, const struct bcd_object *o)
{
	for (size_t i = 0; i < w->depth; i++) {
		if (w->path[i] == o) {
			describe_cycle(w, i, o);
			return false;
		}
	}
	for (size_t i = 0; i < w->norder; i++)
		if (w->order[i] == o)
			return true; /* reached again by another path */
	if (w->depth == BCD_MAX_DEPTH || w->norder == BCD_MAX_INHERITED + 1) {
		snprintf(w->entry->problem, sizeof(w->entry->problem),
			 "inheritance of %s goes deeper or wider than %d objects", w->entry->id,
			 BCD_MAX_INHERITED);
		return false;
	}
	w->order[w->norder++] = o;
	w->path[w->depth++] = o;
	bool ok = for_each_inherited(o, visit, w);
	w->depth--;
	return ok;
}

static bool visit(const char *id, void *ctx)
{
	struct walk *w = ctx;
	const struct bcd_object *o = find_object(w->store, id);
	return o ? walk_object(w, o) : true; /* the boot manager skips a missing object */
}

/* The first object in lookup order that sets the element, and the
 * element; NULL when none does. */
static const struct bcd_element *lookup(const struct walk *w, uint32_t type,
					const struct bcd_object **holder)
{
	for (size_t i = 0; i < w->norder; i++) {
		const struct bcd_element *e = own_element(w->order[i], type);
		if (e) {
			*holder = w->order[i];
			return e;
		}
	}
	return NULL;
}

static void resolve_setting(const struct walk *w, uint32_t type, struct bcd_setting *out)
{
	const struct bcd_object *holder;
	const struct bcd_element *e = lookup(w, type, &holder);
	memset(out, 0, sizeof(*out));
	if (e)
		element_number(e, holder, out);
}

static void resolve_string(const struct walk *w, uint32_t type, char *out, size_t size)
{
	const struct bcd_object *holder;
	element_string(lookup(w, type, &holder), out, size);
}

static void resolve_entry(const struct bcd_store *s, const struct bcd_object *o,
			  struct bcd_entry *entry)
{
	memset(entry, 0, sizeof(*entry));
	if (!canonical_guid(o->id, entry->id))
		snprintf(entry->id, sizeof(entry->id), "%s", o->id);
	struct walk w = { .store = s, .entry = entry };
	if (!walk_object(&w, o))
		return;
	for (size_t i = 1; i < w.norder; i++) {
		if (!canonical_guid(w.order[i]->id, entry->inherited[entry->ninherited]))
			snprintf(entry->inherited[entry->ninherited], BCD_ID_MAX, "%s", w.order[i]->id);
		entry->ninherited++;
	}
	resolve_string(&w, BcdLibraryString_Description, entry->description, sizeof(entry->description));
	resolve_string(&w, BcdLibraryString_ApplicationPath, entry->loader_path, sizeof(entry->loader_path));
	resolve_string(&w, BcdOSLoaderString_SystemRoot, entry->system_root, sizeof(entry->system_root));
	for (int i = 0; i < BCD_SET_COUNT; i++)
		resolve_setting(&w, bcd_setting_table[i].element, &entry->setting[i]);
	if (!o->has_type)
		snprintf(entry->problem, sizeof(entry->problem),
			 "object %s has no Description\\Type, so it is no boot entry", entry->id);
	else if (o->type != BCD_OBJECT_OSLOADER)
		snprintf(entry->problem, sizeof(entry->problem),
			 "object %s is %s (type 0x%08x), not a Windows OS loader entry", entry->id,
			 bcd_object_type_name(o->type), o->type);
}

/* {bootmgr}'s default: a REG_SZ GUID in element 0x23000003 there. */
static const struct bcd_object *default_object(const struct bcd_store *s, char *problem,
					       size_t size)
{
	const struct bcd_object *bootmgr = find_object(s, BCD_BOOTMGR_ID);
	if (!bootmgr) {
		snprintf(problem, size, "the store has no {bootmgr} object %s", BCD_BOOTMGR_ID);
		return NULL;
	}
	const struct bcd_element *e = own_element(bootmgr, BcdBootMgrObject_DefaultObject);
	if (!e) {
		snprintf(problem, size, "{bootmgr} names no default entry (no element 23000003)");
		return NULL;
	}
	char id[BCD_ID_MAX * 2], canon[BCD_ID_MAX];
	element_string(e, id, sizeof(id));
	if (!e->has_value || e->reg_type != REG_TYPE_SZ || !canonical_guid(id, canon)) {
		snprintf(problem, size, "{bootmgr} element 23000003 (default) is %s, not a GUID string",
			 reg_type_name(e));
		return NULL;
	}
	const struct bcd_object *o = find_object(s, canon);
	if (!o)
		snprintf(problem, size, "{bootmgr}'s default entry %s is not in the store", canon);
	return o;
}

static bool is_loader(const struct bcd_object *o)
{
	return o->has_type && o->type == BCD_OBJECT_OSLOADER;
}

static bool list_loaders(const struct bcd_store *s, struct bcd_view *v)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nobjects; i++)
		n += is_loader(&s->objects[i]);
	if (n == 0)
		return true;
	v->loaders = calloc(n, sizeof(*v->loaders));
	if (!v->loaders)
		return false;
	for (size_t i = 0; i < s->nobjects; i++)
		if (is_loader(&s->objects[i]))
			resolve_entry(s, &s->objects[i], &v->loaders[v->nloaders++]);
	return true;
}

bool bcd_resolve(const struct bcd_store *s, const char *request, struct bcd_view *v)
{
	memset(v, 0, sizeof(*v));
	if (!s->read)
		return true;
	char id[BCD_ID_MAX];
	v->list_all = request && same_text(request, "all");
	if (!request_id(request, id)) { /* the CLI checks; a library caller may not */
		v->state = BCD_STATE_UNRESOLVED;
		snprintf(v->problem, sizeof(v->problem), "\"%s\" names no BCD entry", request);
		return true;
	}
	char problem[sizeof(v->problem)];
	const struct bcd_object *def = default_object(s, problem, sizeof(problem));
	if (def && !canonical_guid(def->id, v->default_id))
		v->default_id[0] = '\0';
	const struct bcd_object *o = def;
	if (id[0]) {
		o = find_object(s, id);
		if (!o)
			snprintf(v->problem, sizeof(v->problem), "the store holds no entry %s", id);
	} else if (!def) {
		snprintf(v->problem, sizeof(v->problem), "%s", problem);
	}
	if (v->list_all && !list_loaders(s, v))
		return false;
	if (!o) {
		v->state = BCD_STATE_UNRESOLVED;
		return true;
	}
	v->is_default = o == def;
	resolve_entry(s, o, &v->entry);
	v->state = BCD_STATE_RESOLVED;
	return true;
}

void bcd_view_free(struct bcd_view *v)
{
	free(v->loaders);
	v->loaders = NULL;
	v->nloaders = 0;
}
