/* SPDX-License-Identifier: MIT */
/*
 * Prometheus text exposition format 0.0.4, for node_exporter's textfile
 * collector: HELP and TYPE before each family, label values escaped
 * (backslash, double quote, line feed), one sample per line.
 */
#include "report.h"

void prometheus_label_value(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			sb_printf(out, "\\%c", *s);
		else if (*s == '\n')
			sb_puts(out, "\\n");
		else
			sb_putc(out, *s);
	}
}

void prometheus_family(struct strbuf *out, const char *name, const char *help)
{
	sb_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

void prometheus_info(struct strbuf *out, const char *target, int64_t now)
{
	prometheus_family(out, "hvprobe_info", "hvprobe's version and the target judged.");
	sb_printf(out, "hvprobe_info{version=\"%s\",target=\"", HVPROBE_VERSION);
	prometheus_label_value(out, target);
	sb_puts(out, "\"} 1\n");
	prometheus_family(out, "hvprobe_last_run_timestamp_seconds",
			  "When hvprobe last ran, in seconds since 1970 UTC.");
	sb_printf(out, "hvprobe_last_run_timestamp_seconds %lld\n", (long long)now);
}

void report_prometheus(const struct probe_run *run, const struct report_options *opt,
		       struct strbuf *out)
{
	prometheus_family(out, "hvprobe_check_status",
			  "Each check's status: 1 for the status it has, 0 for the others.");
	for (int i = 0; i < CHECK_COUNT; i++) {
		if (!run->selected[i])
			continue;
		for (int s = 0; s <= STATUS_SKIP; s++)
			sb_printf(out, "hvprobe_check_status{check=\"%s\",status=\"%s\"} %d\n",
				  run->result[i].id, check_status_name((enum check_status)s),
				  run->result[i].status == (enum check_status)s);
	}
	prometheus_family(out, "hvprobe_verdict",
			  "The verdict for the target: 0 pass, 1 fail, 2 unknown (the exit code).");
	sb_puts(out, "hvprobe_verdict{target=\"");
	prometheus_label_value(out, run->target->name);
	sb_printf(out, "\"} %d\n", verdict_exit_code(run->verdict));
	/* Apart from this boot's: after an update, before the restart, this
	 * boot can pass while the next one will not launch. */
	prometheus_family(out, "hvprobe_next_boot_verdict",
			  "The verdict for the next boot: 0 the hypervisor will launch, 1 it will not, "
			  "2 unknown (boot configuration, next kernel, updates waiting for the restart, "
			  "processor and firmware).");
	sb_puts(out, "hvprobe_next_boot_verdict{target=\"");
	prometheus_label_value(out, run->target->name);
	sb_printf(out, "\"} %d\n", verdict_exit_code(run->next_boot));
	prometheus_info(out, run->target->name, opt->now);
}
