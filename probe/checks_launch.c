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
	"Windows host as Administrator"

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

/* What to do about the suspects: a known fix first, then removal. */
static void suspect_remedy(const struct launch_view *v, char *out, size_t size)
{
	out[0] = '\0';
	if (!v->nsuspects)
		return;
	char names[300], when[24];
	suspect_names(v, names, sizeof(names));
	if (v->last_launched >= 0)
		format_utc(v->boots[v->last_launched].time, when);
	snprintf(out, size, "installed %s: %s. ",
		 v->last_launched >= 0 ? "since the last boot that launched" : "before the failure",
		 names);
	for (size_t i = 0; i < v->nsuspects; i++) {
		const struct launch_install *s = &v->suspects[i];
		size_t n = strlen(out);
		if (s->known)
			snprintf(out + n, size - n, "%s: %s. ", s->kb, s->known->fix);
		else if (s->kb[0])
			snprintf(out + n, size - n, "%s: wusa /uninstall /kb:%s /norestart. ", s->kb,
				 s->kb + 2);
	}
	size_t n = strlen(out);
	snprintf(out + n, size - n, "Restart after removing them, and hold them back until a fix is "
		 "released");
}

static void fail_from_boot(const struct facts *f, struct check_result *r,
			   const struct launch_boot *b)
{
	const struct launch_view *v = &f->launch;
	const struct ntstatus_def *st = b->has_status ? ntstatus_find(b->status) : NULL;
	char when[24], status[96] = "", suspects[300];
	format_utc(b->time, when);
	if (b->has_status)
		snprintf(status, sizeof(status), " (0x%08X%s%s%s)", b->status, st ? " " : "",
			 st ? st->name : "", st ? ": " : "");
	if (st)
		snprintf(status + strlen(status) - 1, sizeof(status) - strlen(status) + 1, "%s)",
			 st->meaning);
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
		result_int(r, "vms_refused", b->vms_refused, "Hyper-V-Worker/VMMS at that boot");
	suspect_names(v, suspects, sizeof(suspects));
	if (suspects[0])
		result_text(r, "suspects", suspects, "installed between the last launch and this boot");
	char fix[600];
	suspect_remedy(v, fix, sizeof(fix));
	const char *own = b->why->fix ? b->why->fix : st ? st->fix : NULL;
	if (fix[0] && own)
		result_remedy(r, "%s. %s", fix, own);
	else if (fix[0])
		result_remedy(r, "%s", fix);
	else
		result_remedy(r, "%s", own ? own : "read the event's text in Event Viewer (System log) on "
						   "the host, and compare with the last boot that launched");
}

void check_hv_launch(const struct facts *f, struct check_result *r)
{
	const struct launch_view *v = &f->launch;
	const struct launch_boot *last = v->nboots ? &v->boots[v->nboots - 1] : NULL;
	bool live_windows = f->ev->windows.live;
	result_tri(r, "asked", v->asked, v->asked_why);
	result_tri(r, "running", v->running, "CPUID hypervisor leaves");
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
	result_set(r, live_windows ? STATUS_UNKNOWN : STATUS_SKIP,
		   "no record of whether the hypervisor launched in %s", check_source_words(f));
	result_remedy(r, "%s", HOWTO_EVENTS);
	r->no_evidence = !live_windows;
}
