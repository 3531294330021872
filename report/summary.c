/* SPDX-License-Identifier: MIT */
/* The verdict in one line, shared by the text report, the Nagios status
 * line and the syslog message, so they never say different things. */
#include "report.h"

/* How the required checks of this boot (all but the next boot's) came
 * out: none ran (-c kvm.next_boot, as the kernel hook asks), all passed
 * (only an update or a kernel waiting for the restart fails), or not. */
enum this_boot { THIS_NONE, THIS_PASSES, THIS_NOT };

static enum this_boot this_boot_state(const struct probe_run *run)
{
	enum this_boot state = THIS_NONE;
	for (int i = 0; i < CHECK_COUNT; i++) {
		enum check_status st = run->result[i].status;
		if (!run->selected[i] || run->level[i] != LEVEL_REQUIRED ||
		    check_table[i].scope == SCOPE_NEXT_BOOT)
			continue;
		if (st == STATUS_FAIL || st == STATUS_UNKNOWN)
			return THIS_NOT;
		state = THIS_PASSES;
	}
	return state;
}

void run_summary(const struct probe_run *run, struct strbuf *out)
{
	enum this_boot now = run->verdict == VERDICT_PASS ? THIS_PASSES : this_boot_state(run);
	if (now == THIS_NONE) {
		next_boot_summary(run, out);
		return;
	}
	sb_printf(out, "%s ", run->target->title);
	enum check_status want = run->verdict == VERDICT_FAIL ? STATUS_FAIL : STATUS_UNKNOWN;
	bool later = now == THIS_PASSES;
	switch (run->verdict) {
	case VERDICT_PASS:
		sb_puts(out, run->proof[0] ? "runs here: " : "can launch here");
		if (run->proof[0])
			sb_puts(out, run->proof);
		return;
	case VERDICT_FAIL:
		sb_puts(out, later ? "can launch at this boot, but will not after the next restart; failed:"
				   : "cannot launch here; failed:");
		break;
	default:
		sb_puts(out, later ? "can launch at this boot; after the next restart it may or may not; "
				     "not known:"
				   : "may or may not launch; not known:");
		break;
	}
	for (int i = 0; i < CHECK_COUNT; i++)
		if (run->selected[i] && run->level[i] == LEVEL_REQUIRED && run->result[i].status == want)
			sb_printf(out, " %s", run->result[i].id);
}

void next_boot_summary(const struct probe_run *run, struct strbuf *out)
{
	sb_printf(out, "%s ", run->target->title);
	switch (run->next_boot) {
	case VERDICT_PASS: sb_puts(out, "will launch after the next restart"); return;
	case VERDICT_FAIL: sb_puts(out, "will not launch after the next restart; failed:"); break;
	default: sb_puts(out, "may or may not launch after the next restart; not known:"); break;
	}
	enum check_status want = run->next_boot == VERDICT_FAIL ? STATUS_FAIL : STATUS_UNKNOWN;
	for (int i = 0; i < CHECK_COUNT; i++)
		if (check_counts_for_next_boot(run, i) && run->result[i].status == want)
			sb_printf(out, " %s", run->result[i].id);
}

void run_counts(const struct probe_run *run, size_t counts[STATUS_SKIP + 1])
{
	for (int s = 0; s <= STATUS_SKIP; s++)
		counts[s] = 0;
	for (int i = 0; i < CHECK_COUNT; i++)
		if (run->selected[i] && (unsigned)run->result[i].status <= STATUS_SKIP)
			counts[run->result[i].status]++;
}
