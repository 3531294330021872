/* SPDX-License-Identifier: MIT */
/*
 * One list of updates from every Windows record of them, and one
 * judgement of a listed update against the host (updates.h).
 */
#include "updates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "launch.h"

/* ---- the merged list ---- */

/* What the event logs say of one KB, newest record last. */
struct logged_update {
	char kb[16];
	char title[200];
	char servicing_state[24]; /* "" when Servicing never named it */
	int64_t servicing_time;
	char client_state[24];    /* the Windows Update client's word; "" none */
	int64_t client_time;
	unsigned sources;
};

/*
 * Servicing's IntendedPackageState: text on Server 2012 R2 ("Installed"),
 * a number with a Textized twin on Windows 10 and later (5112 Installed,
 * 5080 Superseded, 5000 Absent as the real logs show; docs/windows.md).
 */
const char *servicing_state(const struct event_record *e)
{
	static const struct {
		const char *logged, *state;
	} states[] = {
		{ "Installed", "installed" }, { "5112", "installed" }, { "Superseded", "superseded" },
		{ "5080", "superseded" },     { "Absent", "absent" },   { "5000", "absent" },
		{ "Staged", "staged" },       { "Permanent", "permanent" },
	};
	const char *v = event_value(e, "IntendedPackageStateTextized");
	if (!v)
		v = event_value(e, "IntendedPackageState");
	for (size_t i = 0; v && i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(v, states[i].logged) == 0)
			return states[i].state;
	return NULL;
}

bool servicing_failed(const struct event_record *e)
{
	const char *code = event_value(e, "ErrorCode");
	return code && strtoul(code, NULL, 0) != 0;
}

/* The state one record gives its update, and which of the two logs said
 * it; NULL when the record changes nothing (begun, a failed change). */
static const char *record_state(const struct event_record *e, const struct event_kind_def *d,
				bool *servicing)
{
	*servicing = strcmp(e->provider, "Microsoft-Windows-Servicing") == 0;
	if (*servicing) {
		const char *to = servicing_state(e);
		if (!to || servicing_failed(e))
			return NULL;
		if (e->event_id == 2)
			return to;
		/* 4: "A reboot is necessary before package %1 can be changed to
		 * the %2 state": into effect, or out of it; another state
		 * (superseded, staged) takes nothing into effect */
		if (e->event_id == 4 && (strcmp(to, "installed") == 0 || strcmp(to, "permanent") == 0))
			return "install-pending";
		if (e->event_id == 4 && strcmp(to, "absent") == 0)
			return "uninstall-pending";
		return NULL;
	}
	if (d->kind == EVENT_UPDATE_INSTALLED)
		return "installed";
	if (d->kind == EVENT_UPDATE_FAILED)
		return "failed";
	return NULL;
}

static const char *record_title(const struct event_record *e, bool servicing)
{
	const char *t = event_value(e, servicing ? "PackageIdentifier" : "updateTitle");
	return t ? t : event_value_at(e, 0, NULL);
}

static int by_record_time(const void *a, const void *b)
{
	const struct event_record *x = *(const struct event_record *const *)a;
	const struct event_record *y = *(const struct event_record *const *)b;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->log != y->log)
		return x->log < y->log ? -1 : 1;
	return x->record_id < y->record_id ? -1 : x->record_id > y->record_id;
}

static struct logged_update *logged_find(struct logged_update *a, size_t n, const char *kb)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(a[i].kb, kb) == 0)
			return &a[i];
	return NULL;
}

/* Fold one record into its KB's entry. */
static bool fold_record(const struct event_record *e, struct logged_update **a, size_t *n, size_t *cap)
{
	const struct event_kind_def *d = event_classify(e);
	bool servicing;
	char kb[16];
	const char *state = d ? record_state(e, d, &servicing) : NULL;
	const char *title = state ? record_title(e, servicing) : NULL;
	if (!title || !kb_in_text(title, kb, sizeof(kb)) || launch_not_a_suspect(title))
		return true;
	struct logged_update *u = logged_find(*a, *n, kb);
	if (!u) {
		if (!array_grow((void **)a, cap, *n, sizeof(**a), EVENTS_MAX))
			return false;
		u = &(*a)[(*n)++];
		memset(u, 0, sizeof(*u));
		snprintf(u->kb, sizeof(u->kb), "%s", kb);
	}
	/* the client's title says what the update is; Servicing's only the KB */
	if (!servicing || !u->title[0])
		snprintf(u->title, sizeof(u->title), "%s", title);
	if (servicing) {
		snprintf(u->servicing_state, sizeof(u->servicing_state), "%s", state);
		u->servicing_time = e->time;
		u->sources |= UPDATE_FROM_SERVICING;
	} else if (!(strcmp(state, "failed") == 0 && strcmp(u->client_state, "installed") == 0)) {
		/* a failed attempt after an installation leaves it installed */
		snprintf(u->client_state, sizeof(u->client_state), "%s", state);
		u->client_time = e->time;
	}
	if (!servicing)
		u->sources |= UPDATE_FROM_WU_EVENT;
	return true;
}

/*
 * The newest record's word, with one exception: the client's "installed"
 * after Servicing's "a reboot is necessary" does not complete the change.
 * The servicing stack logs its 2 at the boot that completes it (1, 4, the
 * restart, 2, then the client's 19 in tests/fixtures/evtx/win11-rathbunvm-
 * Setup.evtx and -System.evtx), so without that 2 the change still waits.
 * At equal times Servicing's word stands.
 */
static const char *logged_state(const struct logged_update *u, int64_t *when)
{
	bool have_servicing = u->servicing_state[0] != '\0', have_client = u->client_state[0] != '\0';
	bool client_newer = have_client && (!have_servicing || u->client_time > u->servicing_time);
	if (client_newer && have_servicing && strcmp(u->servicing_state, "install-pending") == 0 &&
	    strcmp(u->client_state, "installed") == 0)
		client_newer = false;
	*when = client_newer ? u->client_time : u->servicing_time;
	return client_newer ? u->client_state : u->servicing_state;
}

static bool logged_updates(const struct events_view *ev, struct logged_update **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	if (!ev->n)
		return true;
	const struct event_record **order = malloc(ev->n * sizeof(*order));
	if (!order)
		return false;
	for (size_t i = 0; i < ev->n; i++)
		order[i] = &ev->items[i];
	qsort(order, ev->n, sizeof(*order), by_record_time);
	size_t cap = 0;
	bool ok = true;
	for (size_t i = 0; ok && i < ev->n; i++)
		ok = fold_record(order[i], out, nout, &cap);
	free(order);
	if (!ok) {
		free(*out);
		*out = NULL;
		*nout = 0;
	}
	return ok;
}

/* One KB as the logs leave it, into the list: beside SOFTWARE's record of
 * it (whose state stands), or as an item of its own. Where SOFTWARE was
 * read and holds no package of it, it is gone (removed since the log
 * recorded it), unless SOFTWARE holds a rollup in effect or waiting that
 * names no KB: then the logs are the only record of which update that
 * rollup is. Past INSTALLED_MAX items the rest are counted, not kept: the
 * list stays within what a snapshot holds. */
static bool merge_logged(const struct logged_update *u, const struct evidence *ev,
			 struct update_list *out)
{
	struct installed_view *v = &out->v;
	for (size_t i = 0; i < v->n; i++) {
		struct installed_item *it = &v->items[i];
		if (it->kind == INSTALLED_WINDOWS_UPDATE && ascii_equal_nocase(it->name, u->kb)) {
			it->sources |= u->sources;
			return true;
		}
	}
	if (updates_software_read(ev) && !ev->installed.unnamed_rollups)
		return true;
	if (v->n >= INSTALLED_MAX) {
		out->dropped++;
		return true;
	}
	struct installed_item it = { .kind = INSTALLED_WINDOWS_UPDATE, .sources = u->sources };
	snprintf(it.name, sizeof(it.name), "%s", u->kb);
	snprintf(it.version, sizeof(it.version), "%s", u->title);
	snprintf(it.state, sizeof(it.state), "%s", logged_state(u, &it.installed_at));
	if (!array_grow((void **)&v->items, &v->cap, v->n, sizeof(*v->items), INSTALLED_MAX))
		return false;
	v->items[v->n++] = it;
	out->from_events++;
	return true;
}

bool updates_software_read(const struct evidence *ev)
{
	return ev->windows.read && ev->installed.read;
}

bool updates_merge(const struct evidence *ev, struct update_list *out)
{
	memset(out, 0, sizeof(*out));
	const struct installed_view *in = &ev->installed;
	struct installed_view *v = &out->v;
	v->read = in->read;
	snprintf(v->source, sizeof(v->source), "%s", in->source);
	if (in->n) {
		v->items = malloc(in->n * sizeof(*v->items));
		if (!v->items)
			return false;
		memcpy(v->items, in->items, in->n * sizeof(*v->items));
		v->n = v->cap = in->n;
	}
	struct logged_update *logged;
	size_t nlogged;
	if (!logged_updates(&ev->events, &logged, &nlogged)) {
		updates_free(out);
		return false;
	}
	bool ok = true;
	for (size_t i = 0; ok && i < nlogged; i++)
		ok = merge_logged(&logged[i], ev, out);
	free(logged);
	if (!ok) {
		updates_free(out);
		return false;
	}
	if (nlogged && !v->read) {
		v->read = true;
		snprintf(v->source, sizeof(v->source), "the event logs (no SOFTWARE hive read)");
	}
	/* Windows updates known from logs alone are no complete list, whatever
	 * else was read (dpkg's list on a Linux machine given a host's logs) */
	out->complete = in->read && (out->from_events == 0 || updates_software_read(ev));
	return true;
}

void updates_free(struct update_list *l)
{
	free(l->v.items);
	memset(l, 0, sizeof(*l));
}

bool restart_pending_words(const struct restart_view *r, char *buf, size_t size)
{
	buf[0] = '\0';
	if (r->cbs_reboot_pending == TRI_YES)
		snprintf(buf, size, "CBS RebootPending");
	if (r->wu_reboot_required == TRI_YES) {
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, "%sWindows Update RebootRequired", n ? ", " : "");
	}
	return buf[0] != '\0';
}

void update_sources_words(unsigned sources, char *buf, size_t size)
{
	static const char *const words[UPDATE_SOURCE_BITS] = {
		"SOFTWARE CBS", "System log (Windows Update)", "Setup log (Servicing)", "dpkg",
	};
	buf[0] = '\0';
	for (unsigned i = 0; i < UPDATE_SOURCE_BITS; i++) {
		if (!(sources & (1u << i)))
			continue;
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", n ? ", " : "", words[i]);
	}
}

/* ---- the judgement of one listed update ---- */

void update_host_read(const struct evidence *ev, const struct update_list *updates, bool hyperv_runs,
		      int64_t boot_start, struct update_host *h)
{
	memset(h, 0, sizeof(*h));
	h->have_build = ev->windows.read && windows_build_parse(ev->windows.build, &h->build);
	h->build_source = ev->windows.live ? "the running Windows" : "SOFTWARE CurrentBuild.UBR";
	/* Windows' own record only: a rescue system on the same machine may
	 * boot the other way (a CSM-booted stick on a UEFI Windows host). */
	h->uefi = ev->winboot.uefi;
	h->uefi_source = ev->winboot.uefi_source;
	h->hyperv_runs = hyperv_runs;
	h->boot_start = ev->windows.boot_time ? ev->windows.boot_time : boot_start;
	h->restart_pending = restart_pending_words(&ev->restart, h->restart_why, sizeof(h->restart_why));
	h->updates = &updates->v;
}

static const struct installed_item *installed_find(const struct installed_view *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (ascii_equal_nocase(v->items[i].name, name) && installed_is_active(v->items[i].state))
			return &v->items[i];
	return NULL;
}

/* "build 9600" or "builds 9200 to 9600" */
static void builds_words(const struct known_issue *k, char *buf, size_t size)
{
	if (k->build_max != k->build_min)
		snprintf(buf, size, "builds %u to %u", k->build_min, k->build_max);
	else
		snprintf(buf, size, "build %u", k->build_min);
}

/* The entry's conditions against this host (known_issue_match), in words:
 * false when they settle the verdict (not here, or undecided). */
static bool conditions_hold(const struct known_issue *k, const struct update_host *h,
			    struct judged_update *j)
{
	char builds[40];
	const char *wanted = k->firmware == KNOWN_FIRMWARE_UEFI ? "UEFI" : "legacy BIOS";
	builds_words(k, builds, sizeof(builds));
	switch (known_issue_match(k, h->have_build, h->build, h->uefi)) {
	case KNOWN_BUILD_UNKNOWN:
		j->verdict = BAD_UNDECIDED;
		snprintf(j->why, sizeof(j->why), "it hits Windows %s only, and this host's build is not "
			 "known", builds);
		return false;
	case KNOWN_OTHER_BUILD:
		j->verdict = BAD_NOT_HERE;
		snprintf(j->why, sizeof(j->why), "it hits Windows %s only; this is build %u", builds,
			 h->build.build);
		return false;
	case KNOWN_FIRMWARE_UNKNOWN:
		j->verdict = BAD_UNDECIDED;
		snprintf(j->why, sizeof(j->why), "it hits hosts that boot by %s only, and how this host "
			 "boots is not known", wanted);
		return false;
	case KNOWN_OTHER_FIRMWARE:
		j->verdict = BAD_NOT_HERE;
		snprintf(j->why, sizeof(j->why), "it hits hosts that boot by %s only; this one boots by %s "
			 "(%s)", wanted, h->uefi == TRI_YES ? "UEFI" : "legacy BIOS", h->uefi_source);
		return false;
	default:
		return true;
	}
}

/* A fix update on the entry's list, or a build.UBR that includes the fix.
 * A fix that waits for the restart settles an update that waits too; for
 * one in effect now it means the next boot is fine, this one is not. */
static bool superseded(const struct known_issue *k, const struct update_host *h, struct judged_update *j)
{
	if (k->fixed_in.build && h->have_build && windows_build_compare(h->build, k->fixed_in) >= 0) {
		j->verdict = BAD_SUPERSEDED;
		snprintf(j->why, sizeof(j->why), "build %u.%u includes its fix (%u.%u or later)",
			 h->build.build, h->build.ubr, k->fixed_in.build, k->fixed_in.ubr);
		return true;
	}
	const struct installed_item *pending_fix = NULL;
	for (size_t i = 0; i < k->nfixed_by; i++) {
		const struct installed_item *fix = installed_find(h->updates, k->fixed_by[i]);
		if (fix && installed_in_effect(fix->state)) {
			j->verdict = BAD_SUPERSEDED;
			snprintf(j->why, sizeof(j->why), "its fix %s is installed", fix->name);
			return true;
		}
		if (fix && !pending_fix)
			pending_fix = fix;
	}
	if (!pending_fix)
		return false;
	j->verdict = j->pending ? BAD_SUPERSEDED : BAD_FIX_PENDING;
	snprintf(j->why, sizeof(j->why), "its fix %s waits for the restart%s", pending_fix->name,
		 j->pending ? " too" : "");
	return true;
}

/*
 * Waits for the restart: its state says so (install-pending), or Windows
 * says a restart is pending and the update came after this boot began:
 * then the hypervisor running now predates it. *unsure: a restart is
 * pending and when it came against this boot is not known.
 */
static bool waits_for_restart(const struct update_host *h, const struct installed_item *it, bool *by_marker,
			      bool *unsure)
{
	*by_marker = *unsure = false;
	if (!installed_in_effect(it->state))
		return true;
	if (!h->restart_pending)
		return false;
	if (h->boot_start == 0 || it->installed_at == 0) {
		*unsure = true;
		return false;
	}
	*by_marker = it->installed_at >= h->boot_start;
	return *by_marker;
}

void update_judge(const struct update_host *h, struct judged_update *j)
{
	const struct known_issue *k = j->known;
	bool by_marker, unsure;
	if (strcmp(j->item->state, "uninstall-pending") == 0) {
		j->verdict = BAD_LEAVING;
		snprintf(j->why, sizeof(j->why), "it is removed at the next restart");
		return;
	}
	if (!installed_is_active(j->item->state)) {
		j->verdict = BAD_REMOVED;
		snprintf(j->why, sizeof(j->why), "it is %s now", j->item->state[0] ? j->item->state : "gone");
		return;
	}
	j->pending = waits_for_restart(h, j->item, &by_marker, &unsure);
	j->verdict = BAD_APPLIES;
	if (!conditions_hold(k, h, j) || superseded(k, h, j))
		return;
	if (!j->pending && h->hyperv_runs && unsure) {
		/* it may be what the restart brings in, or what runs fine now */
		j->verdict = BAD_UNDECIDED;
		j->restart_unsure = true;
		snprintf(j->why, sizeof(j->why), "the hypervisor runs, but a restart is pending (%s) and "
			 "whether it came before this boot is not known", h->restart_why);
		return;
	}
	if (!j->pending && h->hyperv_runs) {
		j->verdict = BAD_PROVEN_FINE;
		snprintf(j->why, sizeof(j->why), "it is in effect and the hypervisor runs all the same");
		return;
	}
	if (by_marker)
		snprintf(j->why, sizeof(j->why), "a restart is pending (%s) and it was installed after this "
			 "boot began", h->restart_why);
	else
		snprintf(j->why, sizeof(j->why), "%s", j->pending ? "it takes effect at the next restart"
								 : "it is in effect");
}

const char *bad_update_words(enum bad_update_verdict v)
{
	switch (v) {
	case BAD_REMOVED: return "removed since";
	case BAD_LEAVING: return "leaving";
	case BAD_NOT_HERE: return "does not apply";
	case BAD_SUPERSEDED: return "superseded";
	case BAD_PROVEN_FINE: return "hypervisor runs";
	case BAD_FIX_PENDING: return "fix pending";
	case BAD_UNDECIDED: return "cannot tell";
	default: return "applies";
	}
}
