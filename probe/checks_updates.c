/* SPDX-License-Identifier: MIT */
/*
 * Installed updates that are known to stop the hypervisor from launching
 * (probe/known_issues.h, docs/known-issues.md). Each entry on the list is
 * judged against this host: its Windows build, its firmware type, the
 * updates that supersede it, whether it is in effect or waits for the next
 * restart, and whether the hypervisor runs with it all the same.
 */
#include "checks.h"

#include <stdio.h>
#include <string.h>

/* What one listed update means for this host, mildest first: the check
 * reports the worst. */
enum bad_update_verdict {
	BAD_LEAVING,      /* removed at the next restart */
	BAD_NOT_HERE,     /* conditions do not match this host */
	BAD_SUPERSEDED,   /* a fix is in effect */
	BAD_PROVEN_FINE,  /* in effect, and the hypervisor runs */
	BAD_FIX_PENDING,  /* a fix waits for the restart: the next boot is fine */
	BAD_UNDECIDED,    /* a condition cannot be matched: build or firmware unknown */
	BAD_APPLIES,      /* in effect now, or at the next boot */
};

struct host_facts {
	bool have_build;
	struct windows_build build;
	char build_source[64];
	tri_t uefi;
	const char *uefi_source;
	bool hyperv_runs; /* the Microsoft hypervisor runs below this OS now */
};

struct judged_update {
	const struct installed_item *item;
	const struct known_issue *known;
	enum bad_update_verdict verdict;
	bool pending;      /* waits for the next restart */
	char why[200];     /* the reason, for the evidence line and summary */
};

static void host_facts_read(const struct facts *f, struct host_facts *h)
{
	const struct evidence *ev = f->ev;
	memset(h, 0, sizeof(*h));
	h->have_build = ev->windows.read && windows_build_parse(ev->windows.build, &h->build);
	snprintf(h->build_source, sizeof(h->build_source), "%s",
		 ev->windows.live ? "the running Windows" : "SOFTWARE CurrentBuild.UBR");
	/* Windows' own record only: a rescue system on the same machine may
	 * boot the other way (a CSM-booted stick on a UEFI Windows host). */
	h->uefi = ev->winboot.uefi;
	h->uefi_source = ev->winboot.uefi_source;
	h->hyperv_runs = facts_hyperv_running(f) == TRI_YES;
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
static bool conditions_hold(const struct known_issue *k, const struct host_facts *h,
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
static bool superseded(const struct facts *f, const struct known_issue *k, const struct host_facts *h,
		       struct judged_update *j)
{
	if (k->fixed_in.build && h->have_build && windows_build_compare(h->build, k->fixed_in) >= 0) {
		j->verdict = BAD_SUPERSEDED;
		snprintf(j->why, sizeof(j->why), "build %u.%u includes its fix (%u.%u or later)",
			 h->build.build, h->build.ubr, k->fixed_in.build, k->fixed_in.ubr);
		return true;
	}
	const struct installed_item *pending_fix = NULL;
	for (size_t i = 0; i < k->nfixed_by; i++) {
		const struct installed_item *fix = installed_find(&f->ev->installed, k->fixed_by[i]);
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

static void judge_update(const struct facts *f, const struct host_facts *h, struct judged_update *j)
{
	const struct known_issue *k = j->known;
	if (strcmp(j->item->state, "uninstall-pending") == 0) {
		j->verdict = BAD_LEAVING;
		snprintf(j->why, sizeof(j->why), "it is removed at the next restart");
		return;
	}
	j->pending = !installed_in_effect(j->item->state);
	j->verdict = BAD_APPLIES;
	if (!conditions_hold(k, h, j) || superseded(f, k, h, j))
		return;
	if (!j->pending && h->hyperv_runs) {
		j->verdict = BAD_PROVEN_FINE;
		snprintf(j->why, sizeof(j->why), "it is in effect and the hypervisor runs all the same");
		return;
	}
	snprintf(j->why, sizeof(j->why), "%s", j->pending ? "it takes effect at the next restart"
							 : "it is in effect");
}

static const char *verdict_words(enum bad_update_verdict v)
{
	switch (v) {
	case BAD_LEAVING: return "leaving";
	case BAD_NOT_HERE: return "does not apply";
	case BAD_SUPERSEDED: return "superseded";
	case BAD_PROVEN_FINE: return "hypervisor runs";
	case BAD_FIX_PENDING: return "fix pending";
	case BAD_UNDECIDED: return "cannot tell";
	default: return "applies";
	}
}

static enum check_status verdict_status(enum bad_update_verdict v)
{
	switch (v) {
	case BAD_APPLIES: return STATUS_FAIL;
	case BAD_UNDECIDED: return STATUS_UNKNOWN;
	case BAD_FIX_PENDING: return STATUS_WARN;
	default: return STATUS_PASS;
	}
}

static void summarize(const struct judged_update *w, size_t found, struct check_result *r)
{
	const char *id = w->item->name;
	switch (w->verdict) {
	case BAD_APPLIES:
		if (w->pending)
			result_set(r, STATUS_FAIL, "%s waits for the restart and is known to stop the "
				   "hypervisor: after the next restart it will not start", id);
		else
			result_set(r, STATUS_FAIL, "%s is installed and is known to stop the hypervisor "
				   "from starting on this host", id);
		return;
	case BAD_UNDECIDED:
		result_set(r, STATUS_UNKNOWN, "%s is installed and known to stop the hypervisor where "
			   "it applies: %s", id, w->why);
		return;
	case BAD_FIX_PENDING:
		result_set(r, STATUS_WARN, "%s stops the hypervisor here and %s: it starts again "
			   "after the restart", id, w->why);
		return;
	case BAD_LEAVING:
		if (found == 1) {
			result_set(r, STATUS_PASS, "%s is on the known-bad list and is removed at the "
				   "next restart", id);
			return;
		}
		/* fall through */
	default:
		result_set(r, STATUS_PASS, "%zu update%s on the known-bad list, none hits this host "
			   "(%s: %s)", found, found == 1 ? "" : "s", id, w->why);
	}
}

/* What to give so that the condition can be matched: the missing piece
 * of what was given, not the whole volume again. */
static const char *undecided_howto(const struct facts *f, const struct judged_update *w)
{
	const struct evidence *ev = f->ev;
	if (w->known->build_min && !(ev->windows.read && ev->windows.build[0]))
		return ev->windows.read ? "the SOFTWARE hive names no CurrentBuild: give the volume's "
					  "own Windows/System32/config/SOFTWARE, or run hvprobe on the host"
					: "give the Windows volume with --windows DIR (its SOFTWARE hive holds the "
					  "build), or run hvprobe on the host";
	if (ev->winboot.system_read)
		return "the SYSTEM hive has no Control\\PEFirmwareType: run hvprobe on the host, or "
		       "check in the firmware setup whether Windows boots by UEFI";
	return ev->windows.read ? "give the volume's Windows/System32/config/SYSTEM as well (it records "
				  "the firmware type), or run hvprobe on the host"
				: "give the Windows volume with --windows DIR (SYSTEM records the firmware "
				  "type), or run hvprobe on the host";
}

static void remedy(const struct facts *f, const struct judged_update *w, struct check_result *r)
{
	const struct known_issue *k = w->known;
	if (w->verdict == BAD_UNDECIDED) {
		result_remedy(r, "%s: %s; %s", w->item->name, undecided_howto(f, w), k->fix);
		return;
	}
	if (w->verdict == BAD_FIX_PENDING) {
		result_remedy(r, "restart to finish installing the fix");
		return;
	}
	result_remedy(r, "%s%s: %s", w->pending ? "before you restart, " : "", w->item->name, k->fix);
}

static void evidence_line(const struct judged_update *j, struct check_result *r)
{
	char text[128], source[96];
	snprintf(text, sizeof(text), "%s, %s: %s", j->item->state, verdict_words(j->verdict), j->why);
	snprintf(source, sizeof(source), "known bad on %s", j->known->platforms);
	result_text(r, j->item->name, text, source);
}

void check_updates_known_bad(const struct facts *f, struct check_result *r)
{
	const struct installed_view *v = &f->ev->installed;
	struct host_facts h;
	host_facts_read(f, &h);
	struct judged_update worst = { 0 };
	size_t found = 0;
	for (size_t i = 0; i < v->n; i++) {
		struct judged_update j = { .item = &v->items[i] };
		j.known = known_issue_find(f->known, j.item->name);
		bool leaving = strcmp(j.item->state, "uninstall-pending") == 0;
		if (!j.known || (!installed_is_active(j.item->state) && !leaving))
			continue;
		judge_update(f, &h, &j);
		evidence_line(&j, r);
		if (!found++ || j.verdict > worst.verdict)
			worst = j;
	}
	if (!found) {
		result_int(r, "installed", (long long)v->n, v->source);
		result_int(r, "known_bad", (long long)f->known->n, "known-issues list");
		result_set(r, STATUS_PASS, "none of %zu installed update%s is on the list of %zu known "
			   "bad ones", v->n, v->n == 1 ? "" : "s", f->known->n);
		return;
	}
	if (h.have_build)
		result_text(r, "windows_build", f->ev->windows.build, h.build_source);
	if (h.uefi != TRI_UNKNOWN)
		result_tri(r, "uefi", h.uefi, h.uefi_source);
	summarize(&worst, found, r);
	if (verdict_status(worst.verdict) != STATUS_PASS)
		remedy(f, &worst, r);
}
