/* SPDX-License-Identifier: MIT */
/* Storage for the evidence model: growth, lookup and names. */
#include "evidence.h"
#include "sort.h"

#include <stdlib.h>
#include <string.h>

void evidence_init(struct evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->msr_access = MSR_NO_DEVICE;
	ev->linux_.kmsg_read = TRI_UNKNOWN;
	ev->kvm.device = TRI_UNKNOWN;
	ev->kvm.api_version = -1;
	ev->kvm.vm_created = TRI_UNKNOWN;
	ev->kvm.nested = TRI_UNKNOWN;
	ev->kvm.misc_device = TRI_UNKNOWN;
	ev->kvm.virt_at_load = TRI_UNKNOWN;
	ev->boot.uefi = TRI_UNKNOWN;
	ev->restart.cbs_reboot_pending = TRI_UNKNOWN;
	ev->restart.wu_reboot_required = TRI_UNKNOWN;
	ev->restart.file_renames = TRI_UNKNOWN;
	ev->boot.secure_boot = TRI_UNKNOWN;
	ev->windows.pf_virt_firmware_enabled = TRI_UNKNOWN;
	ev->windows.pf_nx_enabled = TRI_UNKNOWN;
	ev->windows.pf_slat = TRI_UNKNOWN;
	ev->winboot.hyperv_role = TRI_UNKNOWN;
	ev->winboot.uefi = TRI_UNKNOWN;
	ev->next_boot.next.tree = TRI_UNKNOWN;
	ev->next_boot.running.tree = TRI_UNKNOWN;
}

void evidence_free(struct evidence *ev)
{
	for (size_t i = 0; i < ev->ncpus; i++)
		free(ev->cpus[i].leaves);
	free(ev->cpus);
	free(ev->msrs);
	free(ev->cpuinfo_text);
	bcd_store_clear(&ev->bcd);
	free(ev->installed.items);
	events_clear(&ev->events);
	journal_clear(&ev->journal);
	package_log_clear(&ev->package_log);
	evidence_init(ev);
}

bool array_grow(void **array, size_t *cap, size_t count, size_t size, size_t limit)
{
	if (count < *cap)
		return true;
	if (count >= limit)
		return false;
	size_t ncap = *cap ? *cap * 2 : 8;
	if (ncap > limit)
		ncap = limit;
	void *p = realloc(*array, ncap * size);
	if (!p)
		return false;
	*array = p;
	*cap = ncap;
	return true;
}

struct cpu_record *evidence_add_cpu(struct evidence *ev, unsigned id)
{
	if (!array_grow((void **)&ev->cpus, &ev->cpus_cap, ev->ncpus, sizeof(*ev->cpus),
		  EVIDENCE_MAX_CPUS))
		return NULL;
	struct cpu_record *cpu = &ev->cpus[ev->ncpus++];
	memset(cpu, 0, sizeof(*cpu));
	cpu->id = id;
	cpu->sorted = true; /* no leaves yet */
	return cpu;
}

/* ---- leaves: sorted by (leaf, subleaf), so lookups bisect (issue 13) ---- */

/* Appends hold up to twice the distinct leaves allowed before a settle
 * drops the repeats: every settle then follows at least
 * EVIDENCE_MAX_LEAVES_PER_CPU appends, so appending stays n log n. */
#define APPEND_ROOM (2 * EVIDENCE_MAX_LEAVES_PER_CPU)

/* Room for one more leaf. */
static bool grow_leaves(struct cpu_record *cpu, size_t limit)
{
	return array_grow((void **)&cpu->leaves, &cpu->cap, cpu->nleaves, sizeof(*cpu->leaves), limit);
}

static int leaf_cmp(const struct cpuid_leaf *l, uint32_t leaf, uint32_t subleaf)
{
	if (l->leaf != leaf)
		return l->leaf < leaf ? -1 : 1;
	return l->subleaf < subleaf ? -1 : l->subleaf > subleaf;
}

/* Where (leaf, subleaf) is, or where it goes; true when it is there. */
static bool locate(const struct cpu_record *cpu, uint32_t leaf, uint32_t subleaf, size_t *at)
{
	size_t lo = 0, hi = cpu->nleaves;
	if (!cpu->sorted) {
		for (*at = 0; *at < hi; (*at)++)
			if (leaf_cmp(&cpu->leaves[*at], leaf, subleaf) == 0)
				return true;
		return false;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (leaf_cmp(&cpu->leaves[mid], leaf, subleaf) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < cpu->nleaves && leaf_cmp(&cpu->leaves[lo], leaf, subleaf) == 0;
}

const struct cpuid_leaf *cpu_record_find(const struct cpu_record *cpu,
					 uint32_t leaf, uint32_t subleaf)
{
	size_t at;
	return locate(cpu, leaf, subleaf, &at) ? &cpu->leaves[at] : NULL;
}

bool cpu_record_put(struct cpu_record *cpu, const struct cpuid_leaf *leaf)
{
	size_t at;
	if (locate(cpu, leaf->leaf, leaf->subleaf, &at)) {
		cpu->leaves[at] = *leaf;
		return true;
	}
	if (!grow_leaves(cpu, EVIDENCE_MAX_LEAVES_PER_CPU))
		return false;
	memmove(&cpu->leaves[at + 1], &cpu->leaves[at], (cpu->nleaves - at) * sizeof(*cpu->leaves));
	cpu->leaves[at] = *leaf;
	cpu->nleaves++;
	return true;
}

bool cpu_record_append(struct cpu_record *cpu, const struct cpuid_leaf *leaf)
{
	if (cpu->nleaves == APPEND_ROOM && !cpu_record_settle(cpu))
		return false;
	if (!grow_leaves(cpu, APPEND_ROOM))
		return false;
	if (cpu->nleaves && leaf_cmp(&cpu->leaves[cpu->nleaves - 1], leaf->leaf, leaf->subleaf) >= 0)
		cpu->sorted = false;
	cpu->leaves[cpu->nleaves++] = *leaf;
	return true;
}

/* Stable: repeats keep their order, so the last one read can win. */
static bool leaf_before(const void *pa, const void *pb)
{
	const struct cpuid_leaf *a = pa, *b = pb;
	return leaf_cmp(a, b->leaf, b->subleaf) < 0;
}

/* Sorted: a later copy of a leaf replaces the earlier one, as in put. */
static void drop_repeats(struct cpu_record *cpu)
{
	size_t out = 0;
	for (size_t i = 0; i < cpu->nleaves; i++) {
		if (out && leaf_cmp(&cpu->leaves[out - 1], cpu->leaves[i].leaf,
				    cpu->leaves[i].subleaf) == 0)
			out--;
		cpu->leaves[out++] = cpu->leaves[i];
	}
	cpu->nleaves = out;
}

bool cpu_record_settle(struct cpu_record *cpu)
{
	if (!cpu->sorted) {
		struct cpuid_leaf *tmp = malloc(cpu->nleaves * sizeof(*tmp));
		if (!tmp)
			return false;
		stable_sort(cpu->leaves, tmp, cpu->nleaves, sizeof(*tmp), leaf_before);
		free(tmp);
		drop_repeats(cpu);
		cpu->sorted = true;
	}
	return cpu->nleaves <= EVIDENCE_MAX_LEAVES_PER_CPU;
}

bool evidence_add_msr(struct evidence *ev, const struct msr_reading *r)
{
	for (size_t i = 0; i < ev->nmsrs; i++) {
		if (ev->msrs[i].cpu == r->cpu && ev->msrs[i].index == r->index) {
			ev->msrs[i] = *r;
			return true;
		}
	}
	if (!array_grow((void **)&ev->msrs, &ev->msrs_cap, ev->nmsrs, sizeof(*ev->msrs),
		  EVIDENCE_MAX_MSRS))
		return false;
	ev->msrs[ev->nmsrs++] = *r;
	return true;
}

const struct msr_reading *evidence_msr(const struct evidence *ev, int cpu,
				       uint32_t index)
{
	const struct msr_reading *all = NULL;
	for (size_t i = 0; i < ev->nmsrs; i++) {
		const struct msr_reading *r = &ev->msrs[i];
		if (r->index != index)
			continue;
		if (r->cpu == cpu)
			return r;
		if (r->cpu == MSR_ALL_CPUS)
			all = r;
	}
	return all;
}

struct bcd_object *bcd_add_object(struct bcd_store *s, const char *id)
{
	if (!array_grow((void **)&s->objects, &s->cap, s->nobjects, sizeof(*s->objects),
		  BCD_MAX_OBJECTS))
		return NULL;
	struct bcd_object *o = &s->objects[s->nobjects++];
	memset(o, 0, sizeof(*o));
	size_t n = strlen(id);
	if (n >= sizeof(o->id))
		n = sizeof(o->id) - 1;
	memcpy(o->id, id, n);
	return o;
}

bool bcd_object_add_element(struct bcd_object *o, uint32_t type, bool has_value,
			    uint32_t reg_type, const void *data, size_t len)
{
	if (len > BCD_MAX_VALUE)
		return false;
	if (!array_grow((void **)&o->elements, &o->cap, o->nelements, sizeof(*o->elements),
		  BCD_MAX_ELEMENTS))
		return false;
	unsigned char *copy = NULL;
	if (len) {
		copy = malloc(len);
		if (!copy)
			return false;
		memcpy(copy, data, len);
	}
	o->elements[o->nelements++] = (struct bcd_element){ type, has_value, reg_type, len, copy };
	return true;
}

void bcd_store_clear(struct bcd_store *s)
{
	for (size_t i = 0; i < s->nobjects; i++) {
		for (size_t j = 0; j < s->objects[i].nelements; j++)
			free(s->objects[i].elements[j].data);
		free(s->objects[i].elements);
	}
	free(s->objects);
	free(s->raw);
	s->objects = NULL;
	s->nobjects = s->cap = 0;
	s->raw = NULL;
	s->raw_len = 0;
	s->read = false;
}

bool installed_in_effect(const char *state)
{
	return strcmp(state, "installed") == 0 || strcmp(state, "permanent") == 0;
}

bool installed_is_active(const char *state)
{
	return installed_in_effect(state) || strcmp(state, "install-pending") == 0 ||
	       strcmp(state, "partially-installed") == 0;
}

bool installed_add(struct installed_view *v, const struct installed_item *item)
{
	for (size_t i = 0; i < v->n; i++) {
		struct installed_item *old = &v->items[i];
		if (old->kind != item->kind || strcmp(old->name, item->name) != 0)
			continue;
		if (!installed_in_effect(old->state)) {
			memcpy(old->state, item->state, sizeof(old->state));
			memcpy(old->version, item->version, sizeof(old->version));
		}
		if (item->installed_at > old->installed_at)
			old->installed_at = item->installed_at;
		old->sources |= item->sources;
		return true;
	}
	if (!array_grow((void **)&v->items, &v->cap, v->n, sizeof(*v->items), INSTALLED_MAX))
		return false;
	v->items[v->n++] = *item;
	return true;
}

static const char *const update_source_names[UPDATE_SOURCE_BITS] = {
	"cbs", "windows-update-event", "servicing-event", "dpkg",
};

const char *update_source_name(unsigned bit)
{
	for (unsigned i = 0; i < UPDATE_SOURCE_BITS; i++)
		if (bit == 1u << i)
			return update_source_names[i];
	return NULL;
}

unsigned update_source_find(const char *name, size_t n)
{
	for (unsigned i = 0; i < UPDATE_SOURCE_BITS; i++)
		if (strlen(update_source_names[i]) == n && strncmp(update_source_names[i], name, n) == 0)
			return 1u << i;
	return 0;
}

const char *installed_kind_name(enum installed_kind k)
{
	return k == INSTALLED_WINDOWS_UPDATE ? "windows-update" : "package";
}

const char *tri_name(tri_t t)
{
	switch (t) {
	case TRI_YES: return "yes";
	case TRI_NO: return "no";
	default: return "unknown";
	}
}

const char *msr_status_name(enum msr_status s)
{
	static const char *const names[] = {
		[MSR_OK] = "ok",
		[MSR_NO_DEVICE] = "no-device",
		[MSR_DENIED] = "denied",
		[MSR_UNSUPPORTED] = "unsupported",
		[MSR_IO_ERROR] = "io-error",
		[MSR_NOT_RECORDED] = "not-recorded",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "io-error";
}

const char *kernel_flag_name(enum kernel_flag f)
{
	static const char *const names[KFLAG_COUNT] = {
		[KFLAG_VMX] = "vmx",
		[KFLAG_SVM] = "svm",
		[KFLAG_NX] = "nx",
		[KFLAG_LM] = "lm",
		[KFLAG_HYPERVISOR] = "hypervisor",
		[KFLAG_EPT] = "ept",
		[KFLAG_VPID] = "vpid",
		[KFLAG_UNRESTRICTED_GUEST] = "unrestricted_guest",
		[KFLAG_NPT] = "npt",
	};
	return (unsigned)f < KFLAG_COUNT ? names[f] : "";
}

const char *source_kind_name(enum source_kind k)
{
	switch (k) {
	case SOURCE_DUMP: return "dump";
	case SOURCE_BUNDLE: return "bundle";
	default: return "live";
	}
}

/* ---- event log records ---- */

void events_clear(struct events_view *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->items[i].data);
	free(v->items);
	memset(v, 0, sizeof(*v));
}

int events_log(struct events_view *v, const char *name)
{
	for (size_t i = 0; i < v->nlogs; i++)
		if (strcmp(v->logs[i], name) == 0)
			return (int)i;
	if (v->nlogs == EVENT_LOGS_MAX)
		return -1;
	size_t n = strlen(name);
	if (n >= sizeof(v->logs[0]))
		n = sizeof(v->logs[0]) - 1;
	memcpy(v->logs[v->nlogs], name, n);
	v->logs[v->nlogs][n] = '\0';
	return (int)v->nlogs++;
}

static int by_time_newest_first(const void *a, const void *b)
{
	const struct event_record *x = a, *y = b;
	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	if (x->log != y->log)
		return x->log < y->log ? -1 : 1;
	return x->record_id > y->record_id ? -1 : x->record_id < y->record_id;
}

static int by_log_order(const void *a, const void *b)
{
	const struct event_record *x = a, *y = b;
	if (x->log != y->log)
		return x->log < y->log ? -1 : 1;
	if (x->record_id != y->record_id)
		return x->record_id < y->record_id ? -1 : 1;
	return 0;
}

/* Keep the newest EVENTS_MAX by time: a log is a ring, so read order says
 * nothing about age. */
static void events_trim(struct events_view *v)
{
	if (v->n <= EVENTS_MAX)
		return;
	qsort(v->items, v->n, sizeof(*v->items), by_time_newest_first);
	for (size_t i = EVENTS_MAX; i < v->n; i++)
		free(v->items[i].data);
	v->dropped += v->n - EVENTS_MAX;
	v->n = EVENTS_MAX;
}

/* Number the logs by the time of their newest record, oldest first: given
 * in any order (System.evtx and an archive of it), the newest boots come
 * last. */
static void order_logs(struct events_view *v)
{
	int64_t newest[EVENT_LOGS_MAX] = { 0 };
	unsigned order[EVENT_LOGS_MAX], rank[EVENT_LOGS_MAX];
	bool seen[EVENT_LOGS_MAX] = { false };
	for (size_t i = 0; i < v->n; i++) {
		unsigned l = v->items[i].log;
		if (!seen[l] || v->items[i].time > newest[l])
			newest[l] = v->items[i].time;
		seen[l] = true;
	}
	for (unsigned i = 0; i < v->nlogs; i++) {
		if (!seen[i])
			newest[i] = INT64_MIN; /* a log with nothing kept: first */
		order[i] = i;
	}
	for (unsigned i = 1; i < v->nlogs; i++) /* at most EVENT_LOGS_MAX: insertion sort */
		for (unsigned j = i; j > 0 && newest[order[j - 1]] > newest[order[j]]; j--) {
			unsigned t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	char names[EVENT_LOGS_MAX][sizeof(v->logs[0])];
	memcpy(names, v->logs, sizeof(names));
	for (unsigned i = 0; i < v->nlogs; i++) {
		rank[order[i]] = i;
		memcpy(v->logs[i], names[order[i]], sizeof(v->logs[0]));
	}
	for (size_t i = 0; i < v->n; i++)
		v->items[i].log = rank[v->items[i].log];
}

void events_settle(struct events_view *v)
{
	events_trim(v);
	order_logs(v);
	if (v->n)
		qsort(v->items, v->n, sizeof(*v->items), by_log_order);
}

bool events_add(struct events_view *v, const struct event_record *head, const char *const *names,
		const char *const *values, unsigned n)
{
	if (n > EVENT_DATA_MAX)
		n = EVENT_DATA_MAX;
	size_t len = 0;
	for (unsigned i = 0; i < n; i++)
		len += strlen(names && names[i] ? names[i] : "") + strlen(values[i]) + 2;
	char *data = len ? malloc(len) : NULL;
	if (len && !data)
		return false;
	size_t at = 0;
	for (unsigned i = 0; i < n; i++) {
		const char *parts[2] = { names && names[i] ? names[i] : "", values[i] };
		for (int k = 0; k < 2; k++) {
			size_t m = strlen(parts[k]) + 1;
			memcpy(data + at, parts[k], m);
			at += m;
		}
	}
	/* Twice the limit before trimming: one sort per EVENTS_MAX records. */
	if (v->n == 2 * EVENTS_MAX)
		events_trim(v);
	if (!array_grow((void **)&v->items, &v->cap, v->n, sizeof(*v->items), 2 * EVENTS_MAX)) {
		free(data);
		return false;
	}
	struct event_record *e = &v->items[v->n++];
	*e = *head;
	e->data = data;
	e->data_len = len;
	e->ndata = n;
	return true;
}

const char *event_value_at(const struct event_record *e, unsigned i, const char **name)
{
	if (i >= e->ndata)
		return NULL;
	const char *p = e->data;
	for (unsigned k = 0; k < i; k++) {
		p += strlen(p) + 1;
		p += strlen(p) + 1;
	}
	if (name)
		*name = p;
	return p + strlen(p) + 1;
}

bool ascii_equal_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

bool ascii_contains_nocase(const char *s, const char *part)
{
	size_t n = strlen(part);
	for (; *s; s++) {
		size_t i = 0;
		while (i < n && s[i] && (s[i] | 0x20) == (part[i] | 0x20) &&
		       ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == part[i]))
			i++;
		if (i == n)
			return true;
	}
	return n == 0;
}

const char *event_value(const struct event_record *e, const char *name)
{
	const char *n, *v;
	for (unsigned i = 0; (v = event_value_at(e, i, &n)) != NULL; i++)
		if (ascii_equal_nocase(n, name))
			return v;
	return NULL;
}

/* ---- the journal's boots and the package logs ---- */

struct journal_boot *journal_add_boot(struct journal_view *v, const char *boot_id)
{
	if (v->n == JOURNAL_BOOTS_MAX) { /* keep the newest: drop the oldest */
		memmove(v->boots, v->boots + 1, (v->n - 1) * sizeof(*v->boots));
		v->n--;
		v->dropped++;
	}
	if (!array_grow((void **)&v->boots, &v->cap, v->n, sizeof(*v->boots), JOURNAL_BOOTS_MAX))
		return NULL;
	struct journal_boot *b = &v->boots[v->n++];
	memset(b, 0, sizeof(*b));
	size_t n = strlen(boot_id);
	if (n >= sizeof(b->boot_id))
		n = sizeof(b->boot_id) - 1;
	memcpy(b->boot_id, boot_id, n);
	return b;
}

static bool boot_by_first(const void *a, const void *b)
{
	return ((const struct journal_boot *)a)->first < ((const struct journal_boot *)b)->first;
}

static bool boot_by_seqnum(const void *a, const void *b)
{
	return ((const struct journal_boot *)a)->seqnum < ((const struct journal_boot *)b)->seqnum;
}

/* The journal's own order when every boot has its number: a boot whose
 * clock was set back keeps its place. Else the realtime of each first
 * message (a bundle from before seqnum, or boots of different series). */
void journal_settle(struct journal_view *v)
{
	bool numbered = true;
	if (v->n < 2)
		return;
	for (size_t i = 0; i < v->n; i++)
		numbered &= v->boots[i].seqnum != 0;
	void *tmp = malloc(v->n * sizeof(*v->boots));
	if (tmp) /* without memory the boots stay in the order read */
		stable_sort(v->boots, tmp, v->n, sizeof(*v->boots),
			    numbered ? boot_by_seqnum : boot_by_first);
	free(tmp);
}

void journal_clear(struct journal_view *v)
{
	free(v->boots);
	memset(v, 0, sizeof(*v));
}

bool package_log_add(struct package_log_view *v, const struct package_change *c)
{
	if (!array_grow((void **)&v->items, &v->cap, v->n, sizeof(*v->items), PACKAGE_CHANGES_MAX))
		return false;
	v->items[v->n++] = *c;
	return true;
}

static bool change_before(const void *a, const void *b)
{
	return ((const struct package_change *)a)->time < ((const struct package_change *)b)->time;
}

static bool same_change(const struct package_change *a, const struct package_change *b)
{
	int64_t d = a->time - b->time;
	return (d < 0 ? -d : d) <= 60 && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->action, b->action) == 0 && strcmp(a->to, b->to) == 0 &&
	       strcmp(a->from, b->from) == 0;
}

void package_log_settle(struct package_log_view *v)
{
	if (v->n < 2)
		return;
	void *tmp = malloc(v->n * sizeof(*v->items));
	if (tmp)
		stable_sort(v->items, tmp, v->n, sizeof(*v->items), change_before);
	free(tmp);
	/* dpkg's log and apt's history record one change twice: keep one */
	size_t kept = 0;
	for (size_t i = 0; i < v->n; i++) {
		bool twin = false;
		for (size_t k = kept; k-- > 0 && v->items[i].time - v->items[k].time <= 60;)
			if (same_change(&v->items[k], &v->items[i])) {
				twin = true;
				break;
			}
		if (!twin)
			v->items[kept++] = v->items[i];
	}
	v->n = kept;
}

void package_log_clear(struct package_log_view *v)
{
	free(v->items);
	memset(v, 0, sizeof(*v));
}

static const struct {
	const char *file;
	size_t offset;
} kvm_modules[KVM_MODULE_FILES] = {
	{ "kvm.ko", offsetof(struct kernel_modules, kvm) },
	{ "kvm-intel.ko", offsetof(struct kernel_modules, kvm_intel) },
	{ "kvm-amd.ko", offsetof(struct kernel_modules, kvm_amd) },
};

enum module_presence kernel_modules_vendor(const struct kernel_modules *m, bool amd)
{
	return amd ? m->kvm_amd : m->kvm_intel;
}

const char *kvm_module_file(size_t i)
{
	return kvm_modules[i].file;
}

enum module_presence *kvm_module_slot(struct kernel_modules *m, size_t i)
{
	return (enum module_presence *)((char *)m + kvm_modules[i].offset);
}

const char *module_presence_name(enum module_presence p)
{
	switch (p) {
	case MODULE_FILE: return "file";
	case MODULE_BUILTIN: return "builtin";
	case MODULE_MISSING: return "missing";
	default: return "unknown";
	}
}
