/* SPDX-License-Identifier: MIT */
#include "bcd.h"
#include "sort.h"

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
	[BCD_SET_WINPE] = { BcdOSLoaderBoolean_WinPEMode, "winpe" },
	[BCD_SET_HV_DEBUG_TYPE] = { BcdOSLoaderInteger_HypervisorDebuggerType, "hypervisordebugtype" },
	[BCD_SET_HV_DEBUG_PORT] = { BcdOSLoaderInteger_HypervisorDebuggerPortNumber, "hypervisordebugport" },
	[BCD_SET_HV_BAUDRATE] = { BcdOSLoaderInteger_HypervisorDebuggerBaudrate, "hypervisorbaudrate" },
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
	return ascii_equal_nocase(s, "default") || ascii_equal_nocase(s, "{default}") || ascii_equal_nocase(s, "{current}") ||
	       ascii_equal_nocase(s, "all");
}

/* The GUID a request names, or "" for the default. */
static bool request_id(const char *request, char out[BCD_ID_MAX])
{
	out[0] = '\0';
	if (!request || is_default_alias(request))
		return true;
	for (size_t i = 0; i < NWELL_KNOWN; i++) {
		if (ascii_equal_nocase(request, well_known[i].name)) {
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
		if (ascii_equal_nocase(id, well_known[i].id))
			return well_known[i].name;
	return NULL;
}

bool bcd_entry_is_winpe(const struct bcd_entry *e)
{
	const struct bcd_setting *s = &e->setting[BCD_SET_WINPE];
	return s->state == BCD_VALUE_SET && s->number != 0;
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

/* ---- the store, indexed ---- */

/*
 * Resolving every loader of a big store looked up each inherited id with
 * a linear, case-folding search of all objects, per loader (issue 13: a
 * thousand loaders took minutes). bcd_resolve now indexes the store once:
 * the ids sorted (ASCII lower case) for lookups that bisect, each inherit
 * list turned into object numbers (missing and repeated ids dropped, as
 * the walk would skip them) and the elements the resolution reads found
 * once per object.
 */
#define NO_OBJECT SIZE_MAX
#define WANT_DESCRIPTION BCD_SET_COUNT /* after the settings */
#define WANT_PATH (BCD_SET_COUNT + 1)
#define WANT_SYSTEM_ROOT (BCD_SET_COUNT + 2)
#define NWANTED (BCD_SET_COUNT + 3)

struct keyed {
	char key[BCD_ID_MAX]; /* the id in ASCII lower case */
	size_t at;            /* its place in the store */
};

struct index {
	const struct bcd_store *store;
	struct keyed *byid;  /* by key, then store order */
	size_t *first;       /* object i inherits list[first[i]] .. list[first[i + 1] - 1] */
	size_t *list, nlist, listcap;
	const struct bcd_element **wanted; /* NWANTED per object: its own element or NULL */
};

static uint32_t wanted_type(size_t k)
{
	static const uint32_t strings[] = { BcdLibraryString_Description,
					    BcdLibraryString_ApplicationPath,
					    BcdOSLoaderString_SystemRoot };
	return k < BCD_SET_COUNT ? bcd_setting_table[k].element : strings[k - BCD_SET_COUNT];
}

/* The id as an index key; false when too long to be any object's id. */
static bool fold(const char *id, char key[BCD_ID_MAX])
{
	size_t i = 0;
	for (; id[i]; i++) {
		if (i == BCD_ID_MAX - 1)
			return false;
		key[i] = id[i] >= 'A' && id[i] <= 'Z' ? (char)(id[i] + 32) : id[i];
	}
	key[i] = '\0';
	return true;
}

static bool keyed_before(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	return c ? c < 0 : a->at < b->at;
}

/* The first object in store order with this id in any ASCII case (the
 * boot manager's GUIDs are case-insensitive), or NO_OBJECT. */
static size_t find_at(const struct index *x, const char *id)
{
	char key[BCD_ID_MAX];
	size_t lo = 0, hi = x->store->nobjects;
	if (!fold(id, key))
		return NO_OBJECT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->byid[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->store->nobjects && strcmp(x->byid[lo].key, key) == 0 ? x->byid[lo].at
									     : NO_OBJECT;
}

static const struct bcd_object *find_object(const struct index *x, const char *id)
{
	size_t at = find_at(x, id);
	return at == NO_OBJECT ? NULL : &x->store->objects[at];
}

static bool index_ids(struct index *x)
{
	size_t n = x->store->nobjects;
	struct keyed *tmp = malloc(n * sizeof(*tmp));
	x->byid = malloc(n * sizeof(*x->byid));
	if (!tmp || !x->byid) {
		free(tmp);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		fold(x->store->objects[i].id, x->byid[i].key); /* an id fits: BCD_ID_MAX - 1 */
		x->byid[i].at = i;
	}
	stable_sort(x->byid, tmp, n, sizeof(*tmp), keyed_before);
	free(tmp);
	return true;
}

/* Each object's first element of each type resolve_entry reads. */
static void index_elements(struct index *x)
{
	for (size_t i = 0; i < x->store->nobjects; i++) {
		const struct bcd_object *o = &x->store->objects[i];
		const struct bcd_element **mine = &x->wanted[i * NWANTED];
		for (size_t e = o->nelements; e-- > 0;) /* backwards: the first one stays */
			for (size_t k = 0; k < NWANTED; k++)
				if (o->elements[e].type == wanted_type(k))
					mine[k] = &o->elements[e];
	}
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
 * REG_BINARY (docs/checks.md, "The Windows boot configuration"). */
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

/* An object list element: REG_MULTI_SZ of GUID strings. Calls fn for
 * each; stops early when fn returns false. */
static bool for_each_listed(const struct bcd_element *e, bool (*fn)(const char *id, void *ctx),
			    void *ctx)
{
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

static bool for_each_inherited(const struct bcd_object *o, bool (*fn)(const char *id, void *ctx),
			       void *ctx)
{
	return for_each_listed(own_element(o, BcdLibraryObjectList_InheritedObjects), fn, ctx);
}

/* Collects one object's inherit list into the index. */
struct collect {
	struct index *x;
	size_t owner;
	size_t *seen; /* per object: 1 + the last owner whose list holds it */
	bool ok;
};

static bool collect_one(const char *id, void *ctx)
{
	struct collect *c = ctx;
	struct index *x = c->x;
	size_t at = find_at(x, id);
	/* The boot manager skips a missing object, and the walk an object
	 * it has visited: dropping both here changes no result. */
	if (at == NO_OBJECT || c->seen[at] == c->owner + 1)
		return true;
	c->seen[at] = c->owner + 1;
	if (x->nlist == x->listcap) {
		size_t ncap = x->listcap ? x->listcap * 2 : 64;
		size_t *p = realloc(x->list, ncap * sizeof(*p));
		if (!p)
			return c->ok = false;
		x->list = p;
		x->listcap = ncap;
	}
	x->list[x->nlist++] = at;
	return true;
}

static bool index_lists(struct index *x)
{
	size_t n = x->store->nobjects;
	struct collect c = { x, 0, calloc(n, sizeof(size_t)), true };
	if (!c.seen)
		return false;
	for (c.owner = 0; c.owner < n && c.ok; c.owner++) {
		x->first[c.owner] = x->nlist;
		for_each_inherited(&x->store->objects[c.owner], collect_one, &c);
	}
	x->first[n] = x->nlist;
	free(c.seen);
	return c.ok;
}

static void index_free(struct index *x)
{
	free(x->byid);
	free(x->first);
	free(x->list);
	free(x->wanted);
}

static bool index_build(const struct bcd_store *s, struct index *x)
{
	memset(x, 0, sizeof(*x));
	x->store = s;
	if (s->nobjects == 0)
		return true;
	x->first = malloc((s->nobjects + 1) * sizeof(*x->first));
	x->wanted = calloc(s->nobjects * NWANTED, sizeof(*x->wanted));
	if (x->first && x->wanted && index_ids(x) && index_lists(x)) {
		index_elements(x);
		return true;
	}
	index_free(x);
	return false;
}

/* Depth-first walk of the inherit lists with the path kept on a stack, so
 * a cycle (an object on its own path) is told apart from a diamond (two
 * paths to one object, which is fine and visited once). Both stacks are
 * bounded, so their linear searches are too. */
struct walk {
	const struct index *x;
	struct bcd_entry *entry;
	size_t order[BCD_MAX_INHERITED + 1];
	size_t norder;
	size_t path[BCD_MAX_DEPTH];
	size_t depth;
};

static const char *id_of(const struct walk *w, size_t at)
{
	return w->x->store->objects[at].id;
}

/* "inheritance cycle: {a} -> {b} -> {a}", cut to fit. */
static void describe_cycle(const struct walk *w, size_t from, size_t again)
{
	char *p = w->entry->problem;
	size_t left = sizeof(w->entry->problem);
	int n = snprintf(p, left, "inheritance cycle:");
	for (size_t j = from; j <= w->depth && n >= 0 && (size_t)n < left; j++) {
		p += n;
		left -= (size_t)n;
		n = snprintf(p, left, j < w->depth ? " %s ->" : " %s",
			     id_of(w, j < w->depth ? w->path[j] : again));
	}
}

static bool walk_object(struct walk *w, size_t at)
{
	for (size_t i = 0; i < w->depth; i++) {
		if (w->path[i] == at) {
			describe_cycle(w, i, at);
			return false;
		}
	}
	for (size_t i = 0; i < w->norder; i++)
		if (w->order[i] == at)
			return true; /* reached again by another path */
	if (w->depth == BCD_MAX_DEPTH || w->norder == BCD_MAX_INHERITED + 1) {
		snprintf(w->entry->problem, sizeof(w->entry->problem),
			 "inheritance of %s goes deeper or wider than %d objects", w->entry->id,
			 BCD_MAX_INHERITED);
		return false;
	}
	w->order[w->norder++] = at;
	w->path[w->depth++] = at;
	bool ok = true;
	for (size_t i = w->x->first[at]; ok && i < w->x->first[at + 1]; i++)
		ok = walk_object(w, w->x->list[i]);
	w->depth--;
	return ok;
}

/* The first object in lookup order that sets wanted element k, and the
 * element; NULL when none does. */
static const struct bcd_element *lookup(const struct walk *w, size_t k,
					const struct bcd_object **holder)
{
	for (size_t i = 0; i < w->norder; i++) {
		const struct bcd_element *e = w->x->wanted[w->order[i] * NWANTED + k];
		if (e) {
			*holder = &w->x->store->objects[w->order[i]];
			return e;
		}
	}
	return NULL;
}

static void resolve_setting(const struct walk *w, size_t k, struct bcd_setting *out)
{
	const struct bcd_object *holder;
	const struct bcd_element *e = lookup(w, k, &holder);
	memset(out, 0, sizeof(*out));
	if (e)
		element_number(e, holder, out);
}

static void resolve_string(const struct walk *w, size_t k, char *out, size_t size)
{
	const struct bcd_object *holder;
	element_string(lookup(w, k, &holder), out, size);
}

static void resolve_entry(const struct index *x, const struct bcd_object *o,
			  struct bcd_entry *entry)
{
	memset(entry, 0, sizeof(*entry));
	if (!canonical_guid(o->id, entry->id))
		snprintf(entry->id, sizeof(entry->id), "%s", o->id);
	struct walk w = { .x = x, .entry = entry };
	if (!walk_object(&w, (size_t)(o - x->store->objects)))
		return;
	for (size_t i = 1; i < w.norder; i++) {
		if (!canonical_guid(id_of(&w, w.order[i]), entry->inherited[entry->ninherited]))
			snprintf(entry->inherited[entry->ninherited], BCD_ID_MAX, "%s",
				 id_of(&w, w.order[i]));
		entry->ninherited++;
	}
	resolve_string(&w, WANT_DESCRIPTION, entry->description, sizeof(entry->description));
	resolve_string(&w, WANT_PATH, entry->loader_path, sizeof(entry->loader_path));
	resolve_string(&w, WANT_SYSTEM_ROOT, entry->system_root, sizeof(entry->system_root));
	for (size_t k = 0; k < BCD_SET_COUNT; k++)
		resolve_setting(&w, k, &entry->setting[k]);
	if (!o->has_type)
		snprintf(entry->problem, sizeof(entry->problem),
			 "object %s has no Description\\Type, so it is no boot entry", entry->id);
	else if (o->type != BCD_OBJECT_OSLOADER)
		snprintf(entry->problem, sizeof(entry->problem),
			 "object %s is %s (type 0x%08x), not a Windows OS loader entry", entry->id,
			 bcd_object_type_name(o->type), o->type);
	else if (bcd_entry_is_winpe(entry))
		snprintf(entry->problem, sizeof(entry->problem),
			 "entry %s starts Windows PE (winpe, element 26000022), not an installed Windows",
			 entry->id);
}

/* {bootmgr}'s default: a REG_SZ GUID in element 0x23000003 there. */
static const struct bcd_object *default_object(const struct index *x, char *problem,
					       size_t size)
{
	const struct bcd_object *bootmgr = find_object(x, BCD_BOOTMGR_ID);
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
	const struct bcd_object *o = find_object(x, canon);
	if (!o)
		snprintf(problem, size, "{bootmgr}'s default entry %s is not in the store", canon);
	return o;
}

static bool is_loader(const struct bcd_object *o)
{
	return o->has_type && o->type == BCD_OBJECT_OSLOADER;
}

static bool list_loaders(const struct index *x, struct bcd_view *v)
{
	const struct bcd_store *s = x->store;
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
			resolve_entry(x, &s->objects[i], &v->loaders[v->nloaders++]);
	return true;
}

/* ---- the next boot ---- */

/*
 * {bootmgr}'s one-time boot sequence (element 0x24000002) runs before the
 * default, in list order, once (docs/checks.md, "The Windows boot
 * configuration"). The Windows the next boot starts is the first entry in
 * it that loads an installed Windows; what runs before it is told, not
 * judged: a memory tester, Windows PE (the recovery environment), or an
 * OS loader entry that runs another program (Microsoft's way to clear
 * Credential Guard's UEFI lock runs SecConfig.efi through one). The boot
 * manager skips an entry it cannot open; so does this walk.
 */

/* Does the entry start Windows' own loader? One without a path gets it. */
static bool loads_windows(const struct bcd_entry *e)
{
	const char *name = e->loader_path;
	for (const char *p = name; *p; p++) /* the file name: no strrchr in the UEFI shim */
		if (*p == '\\')
			name = p + 1;
	return !name[0] || ascii_equal_nocase(name, "winload.efi") ||
	       ascii_equal_nocase(name, "winload.exe");
}

struct next_boot {
	const struct index *x;
	struct bcd_sequence *seq;
	const struct bcd_object *chosen;
	struct bcd_entry scratch;
};

static void note_passed(struct bcd_sequence *q, const char *id, const char *why)
{
	const char *name = bcd_well_known_name(id);
	size_t n = strlen(q->passed);
	snprintf(q->passed + n, sizeof(q->passed) - n, "%s%s (%s)", n ? ", " : "", name ? name : id, why);
}

/* Why the sequence's entry o starts no installed Windows, in why; false
 * when it starts one. */
static bool passed_over(struct next_boot *n, const struct bcd_object *o, char *why, size_t size)
{
	const char *plain;
	if (!o) {
		plain = "not in the store";
	} else if (!is_loader(o)) {
		plain = o->has_type ? bcd_object_type_name(o->type) : "no boot entry";
	} else {
		resolve_entry(n->x, o, &n->scratch);
		if (bcd_entry_is_winpe(&n->scratch)) {
			plain = "Windows PE";
		} else if (loads_windows(&n->scratch)) {
			return false;
		} else {
			snprintf(why, size, "runs %s", n->scratch.loader_path);
			return true;
		}
	}
	snprintf(why, size, "%s", plain);
	return true;
}

static bool sequence_one(const char *id, void *ctx)
{
	struct next_boot *n = ctx;
	struct bcd_sequence *q = n->seq;
	char canon[BCD_ID_MAX], why[300] = "not a GUID";
	bool guid = canonical_guid(id, canon);
	if (q->count < BCD_MAX_SEQUENCE)
		snprintf(q->ids[q->count], BCD_ID_MAX, "%s", guid ? canon : id);
	q->count++;
	if (n->chosen)
		return true;
	const struct bcd_object *o = guid ? find_object(n->x, canon) : NULL;
	if (guid && !passed_over(n, o, why, sizeof(why)))
		n->chosen = o;
	else
		note_passed(q, guid ? canon : id, why);
	return true;
}

/* The entry the one-time boot sequence starts Windows from, in *next;
 * NULL when none is set or none of its entries is an installed Windows.
 * False, with v->problem, when the element is no list of entries. */
static bool sequence_next(const struct index *x, struct bcd_view *v, const struct bcd_object **next)
{
	*next = NULL;
	const struct bcd_object *bootmgr = find_object(x, BCD_BOOTMGR_ID);
	const struct bcd_element *e = bootmgr ? own_element(bootmgr, BcdBootMgrObjectList_BootSequence)
					      : NULL;
	if (!e)
		return true;
	if (!e->has_value || e->reg_type != REG_TYPE_MULTI_SZ) {
		snprintf(v->problem, sizeof(v->problem), "{bootmgr} element 24000002 (bootsequence) is "
			 "%s, not a list of entries: which entry boots next is not known",
			 reg_type_name(e));
		return false;
	}
	struct next_boot n = { .x = x, .seq = &v->sequence };
	for_each_listed(e, sequence_one, &n);
	*next = n.chosen;
	return true;
}

/* The entry id names ("": the default, or with next_boot the entry the
 * next boot starts) and, for "all", every loader. */
static bool resolve_request(const struct index *x, const char *id, bool next_boot,
			    struct bcd_view *v)
{
	char problem[sizeof(v->problem)];
	const struct bcd_object *def = default_object(x, problem, sizeof(problem));
	if (def && !canonical_guid(def->id, v->default_id))
		v->default_id[0] = '\0';
	const struct bcd_object *o = def, *next = NULL;
	if (id[0]) {
		o = find_object(x, id);
		if (!o)
			snprintf(v->problem, sizeof(v->problem), "the store holds no entry %s", id);
	} else if (next_boot && !sequence_next(x, v, &next)) {
		o = NULL;
	} else if (next) {
		o = next;
		v->by_sequence = o != def;
	} else if (!def) {
		snprintf(v->problem, sizeof(v->problem), "%s", problem);
	}
	if (v->list_all && !list_loaders(x, v))
		return false;
	if (!o) {
		v->state = BCD_STATE_UNRESOLVED;
		return true;
	}
	v->is_default = o == def;
	resolve_entry(x, o, &v->entry);
	v->state = BCD_STATE_RESOLVED;
	return true;
}

bool bcd_resolve(const struct bcd_store *s, const char *request, struct bcd_view *v)
{
	memset(v, 0, sizeof(*v));
	if (!s->read)
		return true;
	char id[BCD_ID_MAX];
	v->list_all = request && ascii_equal_nocase(request, "all");
	bool next_boot = !request || v->list_all;
	if (!request_id(request, id)) { /* the CLI checks; a library caller may not */
		v->state = BCD_STATE_UNRESOLVED;
		snprintf(v->problem, sizeof(v->problem), "\"%s\" names no BCD entry", request);
		return true;
	}
	struct index x;
	if (!index_build(s, &x))
		return false;
	bool ok = resolve_request(&x, id, next_boot, v);
	index_free(&x);
	return ok;
}

void bcd_view_free(struct bcd_view *v)
{
	free(v->loaders);
	v->loaders = NULL;
	v->nloaders = 0;
}
