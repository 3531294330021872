/* SPDX-License-Identifier: MIT */
/* A comparison in the Prometheus text exposition format (docs/formats.md):
 * the outcome and its counts, each check's status now, and hvprobe_info. */
#include "compare_render.h"
#include "report.h"

void compare_prometheus(const struct comparison *c, int64_t now, struct strbuf *out)
{
	prometheus_family(out, "hvprobe_compare_result",
			  "Since the baseline: 0 no regression, 1 regression, 2 undecided (the exit code).");
	sb_printf(out, "hvprobe_compare_result %d\n", compare_exit_code(c->outcome));
	prometheus_family(out, "hvprobe_compare_regressions", "Checks that got worse since the baseline.");
	sb_printf(out, "hvprobe_compare_regressions %zu\n", c->nregressions);
	prometheus_family(out, "hvprobe_compare_changes", "Updates and facts that changed since the baseline.");
	sb_printf(out, "hvprobe_compare_changes %zu\n", c->nitems + c->nfacts);
	prometheus_family(out, "hvprobe_compare_suspects", "Updates added since the baseline, when something regressed.");
	sb_printf(out, "hvprobe_compare_suspects %zu\n", c->nsuspects);
	prometheus_family(out, "hvprobe_check_status",
			  "Each check's status now: 1 for the status it has, 0 for the others.");
	for (size_t i = 0; i < c->current->nchecks; i++) {
		const struct snap_check *k = &c->current->checks[i];
		for (int s = 0; s <= STATUS_SKIP; s++) {
			sb_puts(out, "hvprobe_check_status{check=\"");
			prometheus_label_value(out, k->id); /* ids come from a file */
			sb_printf(out, "\",status=\"%s\"} %d\n", check_status_name((enum check_status)s),
				  k->status == (enum check_status)s);
		}
	}
	prometheus_info(out, c->current->target, now);
}
