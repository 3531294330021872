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

static void boot_evidence(struct check_result *r, const struct launch_boot *b)
{
	char when[24], text[96];
	format_utc(b->time, when);
	if (b->outcome == OUTCOME_UNKNOWN)
		snprintf(text, sizeof(text), "no launch event at the boot of %s", when);
	else
		snprintf(text, sizeof(text), "%s at the boot of %s", boot_outcome_name(b->outcome), when);
	result_text(r, "last_boot", text, "event log");
}

/* Up to `room` bytes of a list built item by item: whole items only, then
 * "and N more" pointing at facts.launch.suspects, never an item cut. */
static void put_capped(struct strbuf *out, size_t room, size_t i, size_t total, const char *item,
		       const char *sep)
{
	if (out->failed || out->len > room)
		return;
	if (out->len + strlen(item) + 40 > room) {
		sb_printf(out, "%sand %zu more (facts.launch.suspects)", i ? sep : "", total - i);
		out->len = room + 1; /* full */
		return;
	}
	sb_puts(out, item);
}

/* "KB1 (known bad), KB2, KB3" in the suspects' order, within room bytes. */
static void suspect_names(const struct launch_view *v, char *out, size_t size)
{
	struct strbuf sb;
	char item[64];
	sb_init(&sb);
	for (size_t i = 0; i < v->nsuspects; i++) {
		snprintf(item, sizeof(item), "%s%s%s", i ? ", " : "", v->suspects[i].kb,
			 v->suspects[i].known ? " (known bad)" : "");
		put_capped(&sb, size - 1, i, v->nsuspects, item, ", ");
	}
	snprintf(out, size, "%s", sb_str(&sb));
	sb_free(&sb);
}

/* What to do about the suspects: remove them, newest first. */
static void suspect_remedy(const struct launch_view *v, struct strbuf *out, size_t room)
{
	if (!v->nsuspects)
		return;
	size_t start = out->len;
	sb_printf(out, "Uninstall what was installed %s, newest first, as Administrator: ",
		  v->last_launched >= 0 ? "since the last boot that launched" : "before the failure");
	char item[96];
	struct strbuf list;
	sb_init(&list);
	for (size_t i = 0; i < v->nsuspects; i++) {
		const struct launch_install *s = &v->suspects[i];
		snprintf(item, sizeof(item), "%swusa /uninstall /kb:%s /norestart%s", i ? "; " : "",
			 s->kb + 2, s->known ? " (known bad: see updates.known_bad)" : "");
		put_capped(&list, room - 140 - (out->len - start), i, v->nsuspects, item, "; ");
	}
	sb_puts(out, sb_str(&list));
	sb_free(&list);
	sb_puts(out, "; then restart, and hold them back (pause updates, or decline them in WSUS) "
		     "until a fix is released");
}

static void fail_from_boot(const struct facts *f, struct check_result *r,
			   const struct launch_boot *b)
{
	const struct launch_view *v = &f->launch;
	const struct ntstatus_def *st = b->has_status ? ntstatus_find(b->status) : NULL;
	char when[24], status[64] = "", suspects[sizeof(r->items[0].text)];
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
	/* the status's meaning, the suspects, then the event's own fix (the
	 * status's only when no suspect says more) */
	struct strbuf fix;
	sb_init(&fix);
	if (st)
		sb_printf(&fix, "0x%08X means %s. ", b->status, st->meaning);
	suspect_remedy(v, &fix, sizeof(r->remedy) - 300);
	const char *own = b->why->fix;
	if (!own && st && !v->nsuspects)
		own = st->fix;
	if (!own && !v->nsuspects)
		own = "read the event's text in Event Viewer (System log) on the host, and compare "
		      "with the last boot that launched";
	if (own)
		sb_printf(&fix, "%s%s", v->nsuspects ? ". Also: " : "", own);
	result_remedy(r, "%s", sb_str(&fix));
	sb_free(&fix);
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
		boot_evidence(r, last);

	if (v->running == TRI_YES) {
		result_set(r, STATUS_PASS, "the hypervisor runs: this OS is the root partition of "
			   "Microsoft Hyper-V");
		return;
	}
	const struct events_view *ev = &f->ev->events;
	if (ev->unreadable && (!last || ev->unreadable_newest > last->time)) {
		char when[24];
		format_utc(ev->unreadable_newest, when);
		result_int(r, "records_unreadable", (long long)ev->unreadable, "event log");
		result_set(r, STATUS_UNKNOWN, "the event log is damaged: %lu record%s of the launch "
			   "providers could not be read, the newest written at %s, after the last boot read",
			   ev->unreadable, ev->unreadable == 1 ? "" : "s", when);
		result_remedy(r, "export the log again on the host (wevtutil epl System System.evtx) and "
			      "give it with --evtx, or run hvprobe on the host");
		return;
	}
	if (last && last->outcome == OUTCOME_FAILED) {
		fail_from_boot(f, r, last);
		return;
	}
	if (live_windows && v->running == TRI_NO && v->asked == TRI_YES) {
		result_set(r, STATUS_FAIL, "this boot asked for the hypervisor (%s) and none runs",
			   v->asked_why);
		result_remedy(r, "read the System log's Microsoft-Windows-Hyper-V-Hypervisor events of "
			      "this boot for the reason (Event Viewer, or hvprobe as Administrator)");
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
		size_t decided = 0;
		for (size_t i = 0; i < v->nboots; i++)
			decided += v->boots[i].outcome != OUTCOME_UNKNOWN;
		if (v->nboots && !decided)
			result_set(r, STATUS_UNKNOWN, "none of the %zu boot%s in the log recorded a hypervisor "
				   "launch event: the hypervisor did not start while this log was kept",
				   v->nboots, v->nboots == 1 ? "" : "s");
		else
			result_set(r, STATUS_UNKNOWN, "the log records no hypervisor launch event at %s",
				   last ? "the last boot" : "any boot (it holds no boot start)");
		if (v->asked == TRI_UNKNOWN)
			result_remedy(r, "give the boot configuration (--esp DIR or --bcd FILE) to know whether "
				      "the boot asks for the hypervisor; if Hyper-V should run here, install the "
				      "role (it sets hypervisorlaunchtype Auto) and restart");
		else
			result_remedy(r, "the boot entry asks for it: restart, then run hvprobe on the host, or "
				      "give the System log of that boot (--evtx System.evtx)");
		return;
	}
	if (live_windows) {
		result_set(r, STATUS_UNKNOWN, "the System event log could not be read");
		result_remedy(r, "run hvprobe as Administrator, or give a log exported there with "
			      "--evtx FILE (wevtutil epl System System.evtx)");
		return;
	}
	/* Not reached through the registry: without a log, the live host, a
	 * root partition or a boot that does not ask, this check does not run
	 * (EVIDENCE_LAUNCH). */
	result_set(r, STATUS_UNKNOWN, "no record of whether the hypervisor launched");
}
