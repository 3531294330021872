/* SPDX-License-Identifier: MIT */
/* What the commands share: gathering evidence and judging it. */
#ifndef HVPROBE_RUN_H
#define HVPROBE_RUN_H

#include <stdint.h>

#include "../formats/hv_error.h"
#include "../probe/evidence.h"
#include "../probe/known_issues.h"
#include "../probe/strbuf.h"
#include "options.h"

/* Fill ev from the sources the options name (cli/gather.c). */
bool gather(const struct options *o, struct evidence *ev, struct hv_error *err);

/* Judge ev for target (NULL: the default for the evidence) and render the
 * run in format; taken_at > 0 makes JSON a snapshot. *code is the exit
 * code the format calls for (the verdict's; Nagios states for nagios).
 * With --syslog the verdict is logged too. False when memory runs out. */
bool render_run(const struct options *o, const struct evidence *ev,
		const struct known_issue_list *known, const char *target, enum format format,
		int64_t taken_at, struct strbuf *out, int *code);

/* One line on stderr (and, for --format nagios, an UNKNOWN status line on
 * stdout); the exit code for the error's class. */
int report_error(const struct options *o, const struct hv_error *err);

/* --syslog (cli/syslog_out.c; cli/syslog_win.c on Windows): priority from
 * the Nagios-style state; on Windows also the event ID, one per verdict of
 * a check (syslog_line) or a comparison (syslog_compare_line), the table in
 * docs/windows.md. */
void syslog_line(enum nagios_exit state, const char *text);
void syslog_compare_line(enum nagios_exit state, const char *text);

/* hvprobe compare (cli/compare_cmd.c). */
int compare_command(const struct options *o, const struct known_issue_list *known);

#endif
