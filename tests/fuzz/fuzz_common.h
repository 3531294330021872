/* SPDX-License-Identifier: MIT */
/* Run whatever a fuzzer managed to parse through every target and both
 * renderers, so a hostile value is followed all the way to the output. */
#ifndef HVPROBE_FUZZ_COMMON_H
#define HVPROBE_FUZZ_COMMON_H

#include <stdlib.h>

#include "probe/verdict.h"
#include "report/report.h"

/* bcd_entry: as --bcd-entry gives it; NULL for the default. */
static void judge_everything(const struct evidence *ev, const char *bcd_entry)
{
	struct facts f;
	struct probe_run *run = malloc(sizeof(*run));
	if (!run || !facts_init(&f, ev, bcd_entry)) {
		free(run);
		return;
	}
	for (size_t t = 0; t < target_count; t++) {
		struct strbuf out;
		struct report_options opt = { true, true };
		probe_run(&f, &target_table[t], NULL, run);
		sb_init(&out);
		report_json(run, &f, &out);
		report_text(run, &f, &opt, &out);
		sb_free(&out);
	}
	facts_free(&f);
	free(run);
}

#endif
