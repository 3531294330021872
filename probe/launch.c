/* SPDX-License-Identifier: MIT */
/* The launch timeline (probe/launch.h): boots with their outcome, the
 * installations, and the suspects between the last launch and the first
 * failure after it. */
#include "launch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *boot_outcome_name(enum boot_outcome o)
{
	switch (o) {
	case OUTCOME_LAUNCHED: return "launched";
	case OUTCOME_FAILED: return "failed";
	case OUTCOME_NOT_ASKED: return "not-asked";
	default: return "unknown";
	}
}

const char *install_kind_name(enum install_kind k)
{
	switch (k) {
	case INSTALL_PACKAGE: return "package";
	case INSTALL_KERNEL: return "kernel";
	case INSTALL_BIOS: return "bios";
	case INSTALL_MICROCODE: return "microcode";
	default: return "windows-update";
	}
}

/* ---- intent ---- */

static void judge_intent(const struct bcd_view *bcd, struct launch_view *v)
{
	v->asked = TRI_UNKNOWN;
	if (!bcd || bcd->state != BCD_STATE_RESOLVED || bcd->entry.problem[0]) {
		snprintf(v->asked_why, sizeof(v->asked_why), "no boot entry was read");
		return;
	}
	snprintf(v->asked_entry, sizeof(v->asked_entry), "%s", bcd->entry.id);
	const struct bcd_setting *s = &bcd->entry.setting[BCD_SET_LAUNCH_TYPE];
	if (s->state == BCD_VALUE_ABSENT) {
		v->asked = TRI_NO;
		snprintf(v->asked_why, sizeof(v->asked_why), "hypervisorlaunchtype is not set in %s",
			 bcd->entry.id);
	} else if (s->state == BCD_VALUE_SET && s->number == HYPERVISOR_LAUNCH_AUTO) {
		v->asked = TRI_YES;
		snprintf(v->asked_why, sizeof(v->asked_why), "hypervisorlaunchtype Auto in %s",
			 bcd->entry.id);
	} else if (s->state == BCD_VALUE_SET && s->number == HYPERVISOR_LAUNCH_OFF) {
		v->asked = TRI_NO;
		snprintf(v->asked_why, sizeof(v->asked_why), "hypervisorlaunchtype Off in %s",
			 bcd->entry.id);
	} else {
		snprintf(v->asked_why, sizeof(v->asked_why), "hypervisorlaunchtype has a value "
			 "hvprobe does not know in %s", bcd->entry.id);
	}
}

/* ---- boots ---- */

static struct launch_boot *add_boot(struct launch_view *v, size_t *cap, int64_t time,
				    const struct event_record *start)
{
	if (!array_grow((void **)&v->boots, cap, v->nboots, sizeof(*v->boots), EVENTS_MAX + 1))
		return NULL;
	struct launch_boot *b = &v->boots[v->nboots++];
	memset(b, 0, sizeof(*b));
	b->time = time;
	b->start = start;
	return b;
}

static int64_t distance(int64_t a, int64_t b)
{
	return a > b ? a - b : b - a;
}

/* The boot a record belongs to. A launch is logged at boot, but not
 * always after the kernel's boot record (the log writes what was buffered
 * at boot in its own order: docs/launch-events.md), so in the boots' own
 * log it belongs to the neighbour in record order nearer in time; a
 * record of another log goes to the last boot before it. NULL: before the
 * first boot the logs still hold. */
static struct launch_boot *boot_of(struct launch_view *v, const struct event_record *e)
{
	struct launch_boot *prev = NULL, *next = NULL, *by_time = NULL;
	for (size_t i = 0; i < v->nboots; i++) {
		struct launch_boot *b = &v->boots[i];
		if (!b->start)
			continue;
		if (b->start->log != e->log) {
			if (b->time <= e->time)
				by_time = b;
		} else if (b->start->record_id < e->record_id) {
			prev = b;
		} else if (!next) {
			next = b;
		}
	}
	if (prev && next)
		return distance(next->time, e->time) < distance(e->time, prev->time) ? next : prev;
	if (prev || next)
		return prev ? prev : next;
	return by_time;
}

/* The failure's status, for events whose text carries one: the insertion
 * strings named for a status first (the names of the Server 2022 manifest,
 * docs/launch-events.md section 5), then any that holds an NTSTATUS-like
 * error value, whatever its name or type, since the layout on older builds
 * is not known. Events without a status (a CPUID leaf, a feature mask)
 * are never scanned. */
static void failure_status(const struct event_record *e, const struct event_kind_def *d,
			   struct launch_boot *b)
{
	static const char *const names[] = { "NtStatus", "Status", "ErrorCode", "BalStatus", "Error" };
	const char *value;
	if (!d->carries_status)
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((value = event_value(e, names[i])) != NULL && ntstatus_in_text(value, &b->status)) {
			b->has_status = true;
			return;
		}
	for (unsigned i = 0; (value = event_value_at(e, i, NULL)) != NULL; i++)
		if (ntstatus_in_text(value, &b->status)) {
			b->has_status = true;
			return;
		}
}

static void attach(struct launch_boot *b, const struct event_record *e,
		   const struct event_kind_def *d)
{
	if (d->kind == EVENT_VM_REFUSED) {
		b->vms_refused++;
		return;
	}
	enum boot_outcome o = d->kind == EVENT_HV_LAUNCHED ? OUTCOME_LAUNCHED
			    : d->kind == EVENT_HV_FAILED  ? OUTCOME_FAILED
							  : OUTCOME_NOT_ASKED;
	/* A failure outranks a success at the same boot; the first failure
	 * is the cause, the later ones its consequences. */
	if (b->outcome == OUTCOME_FAILED || (b->outcome == OUTCOME_LAUNCHED && o != OUTCOME_FAILED))
		return;
	b->outcome = o;
	b->decided_by = e;
	b->why = d;
	b->has_status = false;
	if (o == OUTCOME_FAILED)
		failure_status(e, d, b);
}

static bool build_boots(const struct events_view *ev, struct launch_view *v)
{
	size_t cap = 0;
	for (size_t i = 0; i < ev->n; i++) {
		const struct event_record *e = &ev->items[i];
		const struct event_kind_def *d = event_classify(e);
		if (!d || d->kind != EVENT_BOOT)
			continue;
		struct launch_boot *b = add_boot(v, &cap, e->time, e);
		if (!b)
			return false;
		b->clock_back = v->nboots > 1 && b[-1].start && b[-1].start->log == e->log &&
				e->time < b[-1].time;
	}
	for (size_t i = 0; i < ev->n; i++) {
		const struct event_record *e = &ev->items[i];
		const struct event_kind_def *d = event_classify(e);
		if (!d || d->kind < EVENT_HV_LAUNCHED || d->kind > EVENT_VM_REFUSED)
			continue;
		struct launch_boot *b = boot_of(v, e);
		if (!b && d->kind == EVENT_VM_REFUSED)
			continue; /* a refusal before the oldest boot the log holds: no boot to tell */
		if (!b && v->nboots && !v->boots[0].start) {
			b = &v->boots[0];
		} else if (!b) { /* launch events whose boot the log no longer holds: one boot, first */
			b = add_boot(v, &cap, e->time, NULL);
			if (!b)
				return false;
			/* keep the order: an unanchored boot comes first */
			struct launch_boot tmp = *b;
			memmove(v->boots + 1, v->boots, (v->nboots - 1) * sizeof(*b));
			v->boots[0] = tmp;
			b = &v->boots[0];
		}
		attach(b, e, d);
	}
	return true;
}

/* ---- installations and suspects ---- */

static bool push_install(struct launch_install **a, size_t *n, size_t *cap,
			 const struct launch_install *it)
{
	if (!array_grow((void **)a, cap, *n, sizeof(**a), EVENTS_MAX + INSTALLED_MAX))
		return false;
	(*a)[(*n)++] = *it;
	return true;
}

static int by_time(const void *a, const void *b)
{
	const struct launch_install *x = a, *y = b;
	return x->time < y->time ? -1 : x->time > y->time;
}

/* One installation from an event: its title, KB and result; false when
 * the record is not an installation. */
static bool install_from(const struct event_record *e, const struct event_kind_def *d,
			 struct launch_install *it)
{
	memset(it, 0, sizeof(*it));
	it->time = e->time;
	it->record = e;
	const char *title;
	if (d->kind == EVENT_PACKAGE_CHANGED) {
		const char *state = servicing_state(e);
		if (!state || strcmp(state, "installed") != 0)
			return false;
		title = event_value(e, "PackageIdentifier");
		it->failed = servicing_failed(e);
	} else if (d->kind == EVENT_UPDATE_INSTALLED || d->kind == EVENT_UPDATE_FAILED) {
		title = event_value(e, "updateTitle");
		if (!title)
			title = event_value_at(e, d->kind == EVENT_UPDATE_FAILED ? 1 : 0, NULL);
		it->failed = d->kind == EVENT_UPDATE_FAILED;
	} else {
		return false;
	}
	snprintf(it->title, sizeof(it->title), "%s", title ? title : "");
	kb_in_text(it->title, it->kb, sizeof(it->kb));
	return true;
}

/* An update on the known-bad list, judged as updates.known_bad judges it
 * (update_judge); unmarked where its conditions rule this host out. One
 * the list does not hold although SOFTWARE was read is "removed since";
 * with no SOFTWARE read, it is judged as installed at the record's time. */
static void mark_known(const struct update_host *host, const struct evidence *ev,
		       const struct known_issue_list *known, struct launch_install *it)
{
	const struct known_issue *k = it->kb[0] ? known_issue_find(known, it->kb) : NULL;
	it->known = NULL;
	if (!k)
		return;
	const struct installed_item *listed = NULL;
	for (size_t i = 0; i < host->updates->n && !listed; i++)
		if (ascii_equal_nocase(host->updates->items[i].name, it->kb))
			listed = &host->updates->items[i];
	if (!listed && updates_software_read(ev)) {
		it->known = k;
		it->judged = BAD_REMOVED;
		return;
	}
	struct installed_item as_logged = { .kind = INSTALLED_WINDOWS_UPDATE, .installed_at = it->time };
	snprintf(as_logged.name, sizeof(as_logged.name), "%s", it->kb);
	snprintf(as_logged.state, sizeof(as_logged.state), "installed");
	struct judged_update j = { .item = listed ? listed : &as_logged, .known = k };
	update_judge(host, &j);
	if (j.verdict == BAD_NOT_HERE)
		return;
	it->known = k;
	it->judged = j.verdict;
}

static bool build_installs(const struct evidence *evidence, const struct known_issue_list *known,
			   const struct update_host *host, struct launch_view *v)
{
	const struct events_view *ev = &evidence->events;
	size_t cap = 0;
	for (size_t i = 0; i < ev->n; i++) {
		const struct event_record *e = &ev->items[i];
		const struct event_kind_def *d = event_classify(e);
		struct launch_install it;
		if (!d || !install_from(e, d, &it))
			continue;
		mark_known(host, evidence, known, &it);
		if (!push_install(&v->installs, &v->ninstalls, &cap, &it))
			return false;
	}
	if (v->ninstalls)
		qsort(v->installs, v->ninstalls, sizeof(*v->installs), by_time);
	return true;
}

static bool before_boot(const struct launch_boot *b, const struct event_record *e, int64_t time);

/* Which boot each installation happened during: the last boot it follows. */
static void place_installs(struct launch_view *v)
{
	for (size_t i = 0; i < v->ninstalls; i++) {
		struct launch_install *it = &v->installs[i];
		it->after_boot = -1;
		for (size_t b = v->nboots; b-- > 0;)
			if (!before_boot(&v->boots[b], it->record, it->time)) {
				it->after_boot = (int)b;
				break;
			}
	}
}

/* Is a record (or, for the SOFTWARE hive, a time alone) before the boot's
 * start? In the boot's own log by record order, since clocks go back;
 * between logs, and for the hive, by time. */
static bool before_boot(const struct launch_boot *b, const struct event_record *e, int64_t time)
{
	if (e && b->start && e->log == b->start->log)
		return e->record_id < b->start->record_id;
	return time <= b->time;
}

/* The window: after the last boot that launched (or from the start of the
 * log) and before the first failure after it. */
static bool in_window(const struct launch_view *v, const struct event_record *e, int64_t time)
{
	const struct launch_boot *good = v->last_launched >= 0 ? &v->boots[v->last_launched] : NULL;
	return before_boot(&v->boots[v->first_failed], e, time) &&
	       (!good || !before_boot(good, e, time));
}

/* During the failing boot, before the next one: where Windows logs an
 * update that it began before the restart and completed at boot. */
static bool in_failing_session(const struct launch_view *v, const struct launch_install *it)
{
	const struct launch_boot *bad = &v->boots[v->first_failed];
	const struct launch_boot *next = (size_t)v->first_failed + 1 < v->nboots
						 ? &v->boots[v->first_failed + 1] : NULL;
	return !before_boot(bad, it->record, it->time) &&
	       (!next || before_boot(next, it->record, it->time));
}

/* Begun in the window (Windows Update 43, Servicing 1 or 4): an update
 * completed at the failing boot was already on its way before it. */
static bool begun_in_window(const struct launch_view *v, const struct events_view *ev,
			    const char *kb)
{
	for (size_t i = 0; i < ev->n; i++) {
		const struct event_record *e = &ev->items[i];
		const struct event_kind_def *d = event_classify(e);
		char other[16];
		const char *title = event_value(e, "updateTitle");
		if (!title)
			title = event_value(e, "PackageIdentifier");
		if (d && d->kind == EVENT_UPDATE_STARTED && title && kb_in_text(title, other, sizeof(other)) &&
		    strcmp(other, kb) == 0 && in_window(v, e, e->time))
			return true;
	}
	return false;
}

static int newest_first(const void *a, const void *b)
{
	return -by_time(a, b);
}

/* One suspect per update (by KB) or per package, BIOS or microcode (by
 * name): the newest change of a package is the one to undo. */
static bool same_suspect(const struct launch_install *a, const struct launch_install *b)
{
	if (a->kind != b->kind)
		return false;
	return a->kind == INSTALL_UPDATE ? strcmp(a->kb, b->kb) == 0 : strcmp(a->name, b->name) == 0;
}

static bool add_suspect(struct launch_view *v, size_t *cap, const struct launch_install *it)
{
	for (size_t i = 0; i < v->nsuspects; i++) {
		struct launch_install *s = &v->suspects[i];
		if (same_suspect(s, it)) {
			if (s->kind != INSTALL_UPDATE) {
				if (it->time >= s->time) { /* the later change, from the earliest version */
					char from[sizeof(s->from)];
					memcpy(from, s->from, sizeof(from));
					*s = *it;
					memcpy(s->from, from, sizeof(from));
				}
				return true;
			}
			if (!s->record && it->record) /* the event names it better than the hive */
				*s = *it;
			return true;
		}
	}
	return push_install(&v->suspects, &v->nsuspects, cap, it);
}

/* A suspect: a removable update (a KB number, not antivirus definitions)
 * installed in the window, or begun there and completed at the failing
 * boot. */
static bool suspect(const struct launch_view *v, const struct events_view *ev,
		    struct launch_install *it)
{
	if (it->failed)
		return false;
	if (it->kind == INSTALL_UPDATE && (!it->kb[0] || launch_not_a_suspect(it->title)))
		return false;
	if (in_window(v, it->record, it->time))
		return true;
	it->at_boot = it->kind == INSTALL_UPDATE && in_failing_session(v, it) &&
		      begun_in_window(v, ev, it->kb);
	return it->at_boot;
}

/* The suspects among the timeline's installs and, for Windows, among the
 * one list of updates (host; NULL for KVM: a Windows hive given to a Linux
 * run holds no suspect of KVM's). */
static bool build_suspects(const struct evidence *ev, const struct known_issue_list *known,
			   const struct update_host *host, struct launch_view *v)
{
	const struct installed_view *hive = host ? host->updates : NULL;
	if (v->first_failed < 0)
		return true;
	size_t cap = 0;
	for (size_t i = 0; i < v->ninstalls; i++) {
		struct launch_install it = v->installs[i];
		if (suspect(v, &ev->events, &it) && !add_suspect(v, &cap, &it))
			return false;
	}
	for (size_t i = 0; hive && i < hive->n; i++) {
		const struct installed_item *item = &hive->items[i];
		if (item->kind != INSTALLED_WINDOWS_UPDATE || item->installed_at <= 0 ||
		    !installed_is_active(item->state))
			continue;
		struct launch_install it = { .time = item->installed_at };
		snprintf(it.kb, sizeof(it.kb), "%s", item->name);
		snprintf(it.title, sizeof(it.title), "%s", item->version);
		mark_known(host, ev, known, &it);
		if (suspect(v, &ev->events, &it) && !add_suspect(v, &cap, &it))
			return false;
	}
	if (v->nsuspects)
		qsort(v->suspects, v->nsuspects, sizeof(*v->suspects), newest_first);
	return true;
}

static void find_window(struct launch_view *v)
{
	v->last_launched = v->first_failed = -1;
	for (size_t i = 0; i < v->nboots; i++)
		if (v->boots[i].outcome == OUTCOME_LAUNCHED)
			v->last_launched = (int)i;
	for (size_t i = (size_t)(v->last_launched + 1); i < v->nboots; i++)
		if (v->boots[i].outcome == OUTCOME_FAILED) {
			v->first_failed = (int)i;
			break;
		}
	if (v->last_launched >= 0 && v->first_failed >= 0)
		for (int i = v->last_launched + 1; i <= v->first_failed; i++)
			v->window_by_time_unsure |= v->boots[i].clock_back;
}

/* When the newest boot the view holds began; 0 when it holds none. */
static int64_t launch_newest_boot(const struct launch_view *v)
{
	int64_t newest = 0;
	for (size_t i = 0; i < v->nboots; i++)
		if (v->boots[i].time > newest)
			newest = v->boots[i].time;
	return newest;
}

bool launch_build(const struct evidence *ev, const struct bcd_view *bcd, tri_t running,
		  const struct known_issue_list *known, const struct update_list *updates,
		  struct launch_view *out)
{
	memset(out, 0, sizeof(*out));
	out->running = running;
	out->events_read = ev->events.read;
	judge_intent(bcd, out);
	struct update_host *host = &out->updates_host;
	bool ok = build_boots(&ev->events, out);
	if (ok) {
		update_host_read(ev, updates, running == TRI_YES, launch_newest_boot(out), host);
		ok = build_installs(ev, known, host, out);
	}
	if (ok) {
		place_installs(out);
		find_window(out);
		ok = build_suspects(ev, known, host, out);
	}
	if (!ok)
		launch_free(out);
	return ok;
}


void launch_free(struct launch_view *v)
{
	free(v->boots);
	free(v->installs);
	free(v->suspects);
	memset(v, 0, sizeof(*v));
	v->last_launched = v->first_failed = -1;
}

/* ---- KVM on a Linux host: the journal's boots and the package logs ---- */

/* Each boot of the journal, with whether KVM came up; the current boot,
 * when its log does not say, from /dev/kvm now. */
static bool kvm_boots(const struct evidence *ev, tri_t kvm_now, struct launch_view *v)
{
	static const struct kvm_boot_reason up_now = {
		.outcome = OUTCOME_LAUNCHED, .reason = "KVM created a VM on this boot (/dev/kvm, now)"
	};
	static const struct kvm_boot_reason down_now = {
		.outcome = OUTCOME_FAILED, .reason = "KVM cannot create a VM on this boot (/dev/kvm, now)",
		.fix = "see os.kvm for why"
	};
	const struct journal_view *j = &ev->journal;
	size_t cap = 0;
	bool earlier_up = false;
	for (size_t i = 0; i < j->n; i++) {
		const struct journal_boot *jb = &j->boots[i];
		struct launch_boot *b = add_boot(v, &cap, jb->first, NULL);
		if (!b)
			return false;
		b->journal = jb;
		b->kvm = kvm_boot_judge(jb, earlier_up, &b->kvm_line);
		bool current = j->current_boot[0] && strcmp(jb->boot_id, j->current_boot) == 0;
		if (current && (!b->kvm || b->kvm->inferred) && kvm_now != TRI_UNKNOWN)
			b->kvm = kvm_now == TRI_YES ? &up_now : &down_now;
		b->outcome = b->kvm ? b->kvm->outcome : OUTCOME_UNKNOWN;
		earlier_up |= jb->kvm_up[0] != '\0';
		/* boots are in the journal's own order (journal_settle: its
		 * sequence numbers when every boot has one, else the first
		 * message's time): a boot that starts before the previous one
		 * ended had its clock set back */
		b->clock_back = i > 0 && jb->first < j->boots[i - 1].last;
	}
	return true;
}

static void install_text(struct launch_install *it, const char *action)
{
	if (it->from[0] && it->to[0])
		snprintf(it->title, sizeof(it->title), "%s %s %s -> %s", action, it->name, it->from, it->to);
	else
		snprintf(it->title, sizeof(it->title), "%s %s %s", action, it->name,
			 it->to[0] ? it->to : it->from);
}

static bool kvm_package_installs(const struct evidence *ev, struct launch_view *v, size_t *cap)
{
	const struct package_log_view *p = &ev->package_log;
	for (size_t i = 0; i < p->n; i++) {
		const struct package_change *c = &p->items[i];
		struct launch_install it = { .kind = INSTALL_PACKAGE, .time = c->time, .change = c };
		snprintf(it.name, sizeof(it.name), "%s", c->name);
		snprintf(it.from, sizeof(it.from), "%s", c->from);
		snprintf(it.to, sizeof(it.to), "%s", c->to);
		install_text(&it, c->action);
		if (!push_install(&v->installs, &v->ninstalls, cap, &it))
			return false;
	}
	return true;
}

/* The BIOS version and date of a DMI line ("..., BIOS 1.16.2 04/01/2014"),
 * or the whole line. */
static const char *bios_of(const char *dmi)
{
	const char *b = strstr(dmi, "BIOS ");
	return b ? b + 5 : dmi;
}

/* A change between two boots that their logs show: the kernel, the
 * firmware, the microcode. Dated at the later boot. */
static bool boot_change(struct launch_view *v, size_t *cap, enum install_kind kind,
			const char *name, const char *from, const char *to, int64_t when)
{
	if (!from[0] || !to[0] || strcmp(from, to) == 0)
		return true;
	struct launch_install it = { .kind = kind, .time = when };
	snprintf(it.name, sizeof(it.name), "%s", name);
	snprintf(it.from, sizeof(it.from), "%s", from);
	snprintf(it.to, sizeof(it.to), "%s", to);
	install_text(&it, "changed");
	return push_install(&v->installs, &v->ninstalls, cap, &it);
}

static bool kvm_boot_changes(struct launch_view *v, size_t *cap)
{
	const struct journal_boot *prev = NULL;
	for (size_t i = 0; i < v->nboots; i++) {
		const struct journal_boot *b = v->boots[i].journal;
		/* dated just before the boot, so the window between two boots holds it */
		int64_t when = v->boots[i].time - 1;
		if (prev && (!boot_change(v, cap, INSTALL_KERNEL, "kernel", prev->kernel, b->kernel, when) ||
			     !boot_change(v, cap, INSTALL_BIOS, "BIOS", bios_of(prev->dmi), bios_of(b->dmi), when) ||
			     !boot_change(v, cap, INSTALL_MICROCODE, "microcode", prev->microcode,
					  b->microcode, when)))
			return false;
		prev = b;
	}
	return true;
}

bool launch_build_kvm(const struct evidence *ev, tri_t kvm_now, struct launch_view *out)
{
	memset(out, 0, sizeof(*out));
	out->kvm = true;
	out->events_read = ev->journal.read;
	out->asked = TRI_UNKNOWN;
	out->running = kvm_now;
	size_t cap = 0;
	bool ok = kvm_boots(ev, kvm_now, out) && kvm_package_installs(ev, out, &cap) &&
		  kvm_boot_changes(out, &cap);
	if (ok) {
		if (out->ninstalls)
			qsort(out->installs, out->ninstalls, sizeof(*out->installs), by_time);
		place_installs(out);
		find_window(out);
		ok = build_suspects(ev, NULL, NULL, out);
	}
	if (!ok)
		launch_free(out);
	return ok;
}
