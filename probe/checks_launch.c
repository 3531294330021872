/* SPDX-License-Identifier: MIT */
/*
 * hv.launch: did the hypervisor that this boot asked for launch? Not a
 * prerequisite but the outcome: every prerequisite can hold while the
 * launch still fails (hvprobe's founding incident, docs/launch-events.md).
 * A running Hyper-V root decides at once; otherwise the hypervisor's own
 * event at the last boot, and on a live Windows the boot entry that asked
 * for it while none runs.
 */
#include "checks.h"
#include "utc.h"

#include <stdio.h>
#include <string.h>

#define HOWTO_EVENTS \
	"give the Windows volume with --windows DIR (its System event log records each launch), " \
	"exported logs with --evtx FILE (wevtutil epl System System.evtx), or run hvprobe on the " \
	"Windows host"

static void boot_evidence(struct check_result *r, const struct launch_view *v,
			  const struct launch_boot *b, const char *key)
{
	char when[24], text[96];
	format_utc(b->time, when);
	snprintf(text, sizeof(text), "%s at the boot of %s", boot_outcome_name(b->outcome), when);
	result_text(r, key, text, v->nboots ? "event log" : "");
}

/* "KB1, KB2 (known bad), KB3" in the suspects' order. */
static void suspect_names(const struct launch_view *v, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < v->nsuspects; i++) {
		const struct launch_install *s = &v->suspects[i];
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%s%s%s", n ? ", " : "", s->kb[0] ? s->kb : s->title,
			 s->known ? " (known bad)" : "");
	}
}

/* What to do about the suspects: remove them, newest first. */
static void suspect_remedy(const struct launch_view *v, char *out, size_t size)
{
	out[0] = '\0';
	if (!v->nsuspects)
		return;
	snprintf(out, size, "Uninstall what was installed %s, newest first, as Administrator: ",
		 v->last_launched >= 0 ? "since the last boot that launched" : "before the failure");
	for (size_t i = 0; i < v->nsuspects; i++) {
		const struct launch_install *s = &v->suspects[i];
		size_t n = strlen(out);
		if (s->kb[0])
			snprintf(out + n, size - n, "%swusa /uninstall /kb:%s /norestart%s", i ? "; " : "",
				 s->kb + 2, s->known ? " (known bad: see updates.known_bad)" : "");
		else
			snprintf(out + n, size - n, "%s\"%s\" (no KB number: remove it in Programs and "
				 "Features)", i ? "; " : "", s->title);
	}
	size_t n = strlen(out);
	snprintf(out + n, size - n, "; then restart, and hold them back (pause updates, or decline "
		 "them in WSUS) until a fix is released");
}

static void fail_from_boot(const struct facts *f, struct check_result *r,
			   const struct launch_boot *b)
{
	const struct launch_view *v = &f->launch;
	const struct ntstatus_def *st = b->has_status ? ntstatus_find(b->status) : NULL;
	char when[24], status[64] = "", suspects[300];
	format_utc(b->time, when);
	if (b->has_status)
		snprintf(status, sizeof(status), " (0x%08X%s%s)", b->status, st ? " " : "",
			 st ? st->name : "");
	result_set(r, STATUS_FAIL, "the hypervisor did not launch at the last boot (%s): %s%s", when,
		   b->why->reason, status);
	char source[96];
	snprintf(source, sizeof(source), "%s in %s, record %llu", b->decided_by->provider,
		 b->decided_by->channel[0] ? b->decided_by->channel : "?",
		 (unsigned long long)b->decided_by->record_id);
	result_int(r, "event_id", b->decided_by->event_id, source);
	if (b->has_status)
		result_hex(r, "status", b->status, st ? st->name : "NTSTATUS");
	if (b->vms_refused)
		result_int(r, "vms_refused", b->vms_refused, "Hyper-V-Worker 3112 at that boot");
	suspect_names(v, suspects, sizeof(suspects));
	if (suspects[0])
		result_text(r, "suspects", suspects, "installed between the last launch and this boot");
	char fix[700];
	suspect_remedy(v, fix, sizeof(fix));
	/* the event's own fix; the status's only when no suspect says more */
	const char *own = b->why->fix;
	if (!own && st && !fix[0])
		own = st->fix;
	if (!own && !fix[0])
		own = "read the event's text in Event Viewer (System log) on the host, and compare "
		      "with the last boot that launched";
	char meaning[200] = "";
	if (st)
		snprintf(meaning, sizeof(meaning), "0x%08X means %s. ", b->status, st->meaning);
	result_remedy(r, "%s%s%s%s", meaning, fix, fix[0] && own ? ". Also: " : "", own ? own : "");
}

void check_hv_launch(const struct facts *f, struct check_result *r)
{
	const struct launch_view *v = &f->launch;
	const struct launch_boot *last = v->nboots ? &v->boots[v->nboots - 1] : NULL;
	bool live_windows = f->ev->windows.live;
	result_tri(r, "asked", v->asked, v->asked_why);
	result_tri(r, "running", v->running, "CPUID hypervisor leaves");
	if (f->ev->winboot.system_read)
		result_tri(r, "hyperv_role", f->ev->winboot.hyperv_role, f->ev->winboot.system_source);
	if (last)
		boot_evidence(r, v, last, "last_boot");

	if (v->running == TRI_YES) {
		result_set(r, STATUS_PASS, "the hypervisor runs: this OS is the root partition of "
			   "Microsoft Hyper-V");
		return;
	}
	if (last && last->outcome == OUTCOME_FAILED) {
		fail_from_boot(f, r, last);
		return;
	}
	if (live_windows && v->running == TRI_NO && v->asked == TRI_YES) {
		char fix[600];
		suspect_remedy(v, fix, sizeof(fix));
		result_set(r, STATUS_FAIL, "this boot asked for the hypervisor (%s) and none runs",
			   v->asked_why);
		result_remedy(r, "%s%sread the System log's Microsoft-Windows-Hyper-V-Hypervisor events "
			      "of this boot for the reason (Event Viewer, or hvprobe as Administrator)",
			      fix, fix[0] ? ". Also " : "");
		return;
	}
	if (last && last->outcome == OUTCOME_LAUNCHED) {
		char when[24];
		format_utc(last->time, when);
		result_set(r, STATUS_PASS, "the hypervisor launched at the last recorded boot (%s)", when);
		return;
	}
	if (v->asked == TRI_NO || (last && last->outcome == OUTCOME_NOT_ASKED)) {
		result_set(r, STATUS_SKIP, "nothing asked for the hypervisor: %s",
			   v->asked == TRI_NO ? v->asked_why
					      : "launch was disabled by hypervisorlaunchtype at the last boot");
		return;
	}
	if (v->events_read) {
		result_set(r, STATUS_UNKNOWN, "%s, and the event log records no launch event at the last "
			   "boot", v->asked == TRI_YES ? "the boot entry asks for the hypervisor"
						      : "not known whether the boot asked for the hypervisor");
		result_remedy(r, "give the System log of the boot in question (--evtx System.evtx), or run "
			      "hvprobe on the host after a restart");
		return;
	}
	if (live_windows) {
		result_set(r, STATUS_UNKNOWN, "the System event log could not be read");
		result_remedy(r, "run hvprobe as Administrator, or give a log exported there with "
			      "--evtx FILE (wevtutil epl System System.evtx)");
		return;
	}
	result_set(r, STATUS_SKIP, "no record of whether the hypervisor launched in %s",
		   check_source_words(f));
	result_remedy(r, "%s", HOWTO_EVENTS);
	r->no_evidence = true;
}
