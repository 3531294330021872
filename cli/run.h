/* SPDX-License-Identifier: MIT */
/* What the commands share: gathering evidence and judging it. */
#ifndef HVPROBE_RUN_H
#define HVPROBE_RUN_H

#include <stdint.h>

#include "../platform/hv_error.h"
#include "../probe/evidence.h"
#include "../probe/known_issues.h"
#include "../probe/strbuf.h"
#include "options.h"

/* Fill ev from the sources the options name (cli/gather.c). */
bool gather(const struct options *o, struct evidence *ev, struct hv_error *err);

/* Judge ev for target (NULL: the default for the evidence) and render the
 * run: JSON when json, else text; taken_at > 0 makes the JSON a snapshot.
 * *verdict_code is the verdict's exit code. False when memory runs out. */
bool render_run(const struct options *o, const struct evidence *ev,
		const struct known_issue_list *known, const char *target, bool json,
		int64_t taken_at, struct strbuf *out, int *verdict_code);

/* One line on stderr; the exit code for the error's class. */
int report_error(const struct hv_error *err);

/* hvprobe compare (cli/compare_cmd.c). */
int compare_command(const struct options *o, const struct known_issue_list *known);

#endif
