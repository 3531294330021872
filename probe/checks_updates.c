/* SPDX-License-Identifier: MIT */
/*
 * Installed updates that are known to stop the hypervisor from launching
 * (probe/known_issues.h, docs/known-issues.md), in the one list of every
 * record Windows keeps of them (probe/updates.h). Each listed update is
 * judged against this host by update_judge, as the launch timeline judges
 * it: its Windows build, its firmware type, the updates that supersede it,
 * whether it is in effect or waits for the next restart, and whether the
 * hypervisor runs with it all the same.
 */
#include "checks.h"
#include "updates.h"

#include <stdio.h>
#include <string.h>

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
	if (w->restart_unsure)
		return ev->windows.live ? "this boot's start time could not be read: run hvprobe again"
					: "give the System log as well (--evtx System.evtx, or the volume's "
					  "winevt/Logs: it records when this boot began), or run hvprobe on the "
					  "host; until then, install the fix before you restart";
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

static enum check_status verdict_status(enum bad_update_verdict v)
{
	switch (v) {
	case BAD_APPLIES: return STATUS_FAIL;
	case BAD_UNDECIDED: return STATUS_UNKNOWN;
	case BAD_FIX_PENDING: return STATUS_WARN;
	default: return STATUS_PASS;
	}
}

static void evidence_line(const struct judged_update *j, struct check_result *r)
{
	char text[128], source[200], from[120];
	snprintf(text, sizeof(text), "%s, %s: %s", j->item->state, bad_update_words(j->verdict), j->why);
	update_sources_words(j->item->sources, from, sizeof(from));
	snprintf(source, sizeof(source), "known bad on %s%s%s", j->known->platforms, from[0] ? "; " : "",
		 from);
	result_text(r, j->item->name, text, source);
}

/* The restart markers, where read: with an update that waits, they say
 * why; alone they say the next boot brings changes. */
static void restart_evidence(const struct restart_view *rv, struct check_result *r)
{
	if (rv->cbs_reboot_pending != TRI_UNKNOWN)
		result_tri(r, "cbs_reboot_pending", rv->cbs_reboot_pending, "SOFTWARE CBS\\RebootPending");
	if (rv->wu_reboot_required != TRI_UNKNOWN)
		result_tri(r, "wu_reboot_required", rv->wu_reboot_required,
			   "SOFTWARE WindowsUpdate\\Auto Update\\RebootRequired");
	if (rv->file_renames == TRI_YES)
		result_int(r, "pending_file_renames", rv->file_rename_count,
			   "SYSTEM Session Manager\\PendingFileRenameOperations");
}

/* 7 updates (4 from the event logs alone) */
static void list_words(const struct update_list *l, char *buf, size_t size)
{
	size_t n = l->v.n;
	if (l->from_events)
		snprintf(buf, size, "%zu update%s (%u of them known from the event logs only)", n,
			 n == 1 ? "" : "s", l->from_events);
	else
		snprintf(buf, size, "%zu installed update%s", n, n == 1 ? "" : "s");
}

void check_updates_known_bad(const struct facts *f, struct check_result *r)
{
	const struct update_list *list = &f->updates;
	const struct installed_view *v = &list->v;
	const struct update_host *h = &f->launch.updates_host;
	struct judged_update worst = { 0 };
	size_t found = 0;
	for (size_t i = 0; i < v->n; i++) {
		struct judged_update j = { .item = &v->items[i] };
		j.known = known_issue_find(f->known, j.item->name);
		bool leaving = strcmp(j.item->state, "uninstall-pending") == 0;
		if (!j.known || (!installed_is_active(j.item->state) && !leaving))
			continue;
		update_judge(h, &j);
		evidence_line(&j, r);
		if (!found++ || j.verdict > worst.verdict)
			worst = j;
	}
	restart_evidence(&f->ev->restart, r);
	if (!found) {
		char words[120];
		list_words(list, words, sizeof(words));
		result_int(r, "installed", (long long)v->n, v->source);
		result_int(r, "known_bad", (long long)f->known->n, "known-issues list");
		if (!list->complete) {
			/* a log names what it kept; the list of what is installed was not read */
			result_set(r, STATUS_UNKNOWN, "none of %s is on the list of %zu known bad ones, but "
				   "the installed list itself was not read", words, f->known->n);
			result_remedy(r, "give the Windows volume with --windows DIR (its SOFTWARE hive "
					 "lists the updates), or run hvprobe on the host");
			return;
		}
		result_set(r, STATUS_PASS, "none of %s is on the list of %zu known bad ones", words,
			   f->known->n);
		return;
	}
	if (h->have_build)
		result_text(r, "windows_build", f->ev->windows.build, h->build_source);
	if (h->uefi != TRI_UNKNOWN)
		result_tri(r, "uefi", h->uefi, h->uefi_source);
	summarize(&worst, found, r);
	if (verdict_status(worst.verdict) != STATUS_PASS)
		remedy(f, &worst, r);
	/* waiting for the restart fails the next boot, not this one; in effect
	 * with its fix waiting, this boot and not the next */
	if (worst.verdict == BAD_APPLIES && worst.pending)
		r->scope = SCOPE_NEXT_BOOT;
	else if (worst.verdict == BAD_FIX_PENDING)
		r->scope = SCOPE_THIS_BOOT;
}
