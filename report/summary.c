/* SPDX-License-Identifier: MIT */
/* The verdict in one line, shared by the text report, the Nagios status
 * line and the syslog message, so they never say different things. */
#include "report.h"

/* How the required checks of this boot came out. THIS_NONE: no check of
 * this boot alone ran (-c kvm.next_boot, as the kernel hook asks; the
 * processor's checks say nothing of a launch); THIS_PASSES: one did and
 * passed, and nothing of this boot or both failed or is unknown (only an
 * update or a kernel waiting for the restart fails); else THIS_NOT. */
enum this_boot { THIS_NONE, THIS_PASSES, THIS_NOT };

static enum this_boot this_boot_state(const struct probe_run *run)
{
	bool ran = false;
	for (int i = 0; i < CHECK_COUNT; i++) {
		enum check_status st = run->result[i].status;
		enum boot_scope scope = result_scope(run, i);
		if (!run->selected[i] || run->level[i] != LEVEL_REQUIRED || scope == SCOPE_NEXT_BOOT)
			continue;
		if (st == STATUS_FAIL || st == STATUS_UNKNOWN)
			return THIS_NOT;
		ran |= scope == SCOPE_THIS_BOOT;
	}
	return ran ? THIS_PASSES : THIS_NONE;
}

void run_summary(const struct probe_run *run, struct strbuf *out)
{
	enum this_boot now = this_boot_state(run);
	bool next_selected = false;
	for (int i = 0; i < CHECK_COUNT; i++)
		next_selected |= run->selected[i] && run->level[i] == LEVEL_REQUIRED &&
				 result_scope(run, i) == SCOPE_NEXT_BOOT;
	if (now == THIS_NONE && next_selected) {
		next_boot_summary(run, out);
		return;
	}
	sb_printf(out, "%s ", run->target->title);
	enum check_status want = run->verdict == VERDICT_FAIL ? STATUS_FAIL : STATUS_UNKNOWN;
	bool later = now == THIS_PASSES && next_selected;
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

/* The checks with this status that `counts` selects, " a b c"; false when none. */
static bool put_ids(const struct probe_run *run, enum check_status want, bool next_boot,
		    struct strbuf *out)
{
	bool any = false;
	for (int i = 0; i < CHECK_COUNT; i++) {
		bool counted = next_boot ? check_counts_for_next_boot(run, i)
					 : run->selected[i] && run->level[i] == LEVEL_REQUIRED &&
						   result_scope(run, i) == SCOPE_THIS_BOOT;
		if (counted && run->result[i].status == want) {
			sb_printf(out, " %s", run->result[i].id);
			any = true;
		}
	}
	return any;
}

void next_boot_summary(const struct probe_run *run, struct strbuf *out)
{
	sb_printf(out, "%s ", run->target->title);
	switch (run->next_boot) {
	case VERDICT_PASS: sb_puts(out, "will launch after the next restart"); return;
	case VERDICT_FAIL:
		sb_puts(out, "will not launch after the next restart; failed:");
		put_ids(run, STATUS_FAIL, true, out);
		return;
	default: break;
	}
	/* unknown: a check of it could not say, or this boot's launch failed,
	 * or nothing of the next boot was judged (next_boot_verdict) */
	struct strbuf ids;
	sb_init(&ids);
	if (put_ids(run, STATUS_UNKNOWN, true, &ids))
		sb_printf(out, "may or may not launch after the next restart; not known:%s", sb_str(&ids));
	else if (put_ids(run, STATUS_FAIL, false, &ids))
		sb_printf(out, "may or may not launch after the next restart: it did not launch at this "
			      "boot (failed:%s)", sb_str(&ids));
	else
		sb_puts(out, "may or may not launch after the next restart: no check of the next boot ran");
	sb_free(&ids);
}

void run_counts(const struct probe_run *run, size_t counts[STATUS_SKIP + 1])
{
	for (int s = 0; s <= STATUS_SKIP; s++)
		counts[s] = 0;
	for (int i = 0; i < CHECK_COUNT; i++)
		if (run->selected[i] && (unsigned)run->result[i].status <= STATUS_SKIP)
			counts[run->result[i].status]++;
}
