/* SPDX-License-Identifier: MIT */
/* The verdict in one line, shared by the text report, the Nagios status
 * line and the syslog message, so they never say different things. */
#include "report.h"

void run_summary(const struct probe_run *run, struct strbuf *out)
{
	sb_printf(out, "%s ", run->target->title);
	switch (run->verdict) {
	case VERDICT_PASS:
		sb_puts(out, run->proof[0] ? "runs here: " : "can launch here");
		if (run->proof[0])
			sb_puts(out, run->proof);
		return;
	case VERDICT_FAIL: sb_puts(out, "cannot launch here; failed:"); break;
	default: sb_puts(out, "may or may not launch; not known:"); break;
	}
	enum check_status want = run->verdict == VERDICT_FAIL ? STATUS_FAIL : STATUS_UNKNOWN;
	for (int i = 0; i < CHECK_COUNT; i++)
		if (run->selected[i] && run->level[i] == LEVEL_REQUIRED && run->result[i].status == want)
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
