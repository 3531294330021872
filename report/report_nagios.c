/* SPDX-License-Identifier: MIT */
/*
 * Nagios plugin output (Nagios Plugin Development Guidelines): one status
 * line "HVPROBE STATE - text | perfdata", then the long text. '|' starts
 * performance data there, so it never appears in a text.
 */
#include "report.h"
#include "text_clean.h"

#include <string.h>

static const char *const state_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Clean text (text_clean.h), with '|' as '/'. */
static void put_plain(struct strbuf *out, const char *s)
{
	size_t from = out->len;
	text_put_clean(out, s);
	for (size_t i = from; i < out->len; i++)
		if (out->data[i] == '|')
			out->data[i] = '/';
}

int nagios_state(const struct probe_run *run)
{
	size_t counts[STATUS_SKIP + 1];
	switch (run->verdict) {
	case VERDICT_FAIL: return 2;
	case VERDICT_UNKNOWN: return 3;
	default:
		run_counts(run, counts);
		return counts[STATUS_WARN] ? 1 : 0;
	}
}

void report_nagios(const struct probe_run *run, struct strbuf *out)
{
	struct strbuf summary;
	size_t counts[STATUS_SKIP + 1];
	sb_init(&summary);
	run_summary(run, &summary);
	run_counts(run, counts);
	sb_printf(out, "HVPROBE %s - ", state_names[nagios_state(run)]);
	put_plain(out, sb_str(&summary));
	sb_free(&summary);
	sb_puts(out, " |");
	for (int s = 0; s <= STATUS_SKIP; s++)
		sb_printf(out, " %s=%zu;;;0", check_status_name((enum check_status)s), counts[s]);
	sb_putc(out, '\n');
	/* The long text: what is not PASS first, each with its fix. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < CHECK_COUNT; i++) {
			const struct check_result *r = &run->result[i];
			bool ok = r->status == STATUS_PASS || r->status == STATUS_SKIP;
			if (!run->selected[i] || ok != (pass == 1))
				continue;
			sb_printf(out, "%s %s: ", r->id, check_status_label(r->status));
			put_plain(out, r->summary);
			sb_putc(out, '\n');
			if (!ok && r->remedy[0]) {
				sb_puts(out, "  fix: ");
				put_plain(out, r->remedy);
				sb_putc(out, '\n');
			}
		}
	}
}
