/* SPDX-License-Identifier: MIT */
/* Run whatever a fuzzer managed to parse through every target and both
 * renderers, so a hostile value is followed all the way to the output. */
#ifndef HVPROBE_FUZZ_COMMON_H
#define HVPROBE_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "formats/cpuid_dump.h"
#include "probe/verdict.h"
#include "report/report.h"

/* A valid Intel CPU, so whatever else a target parses reaches the checks. */
static inline void add_base_cpu(struct evidence *ev)
{
	static const char base_cpu[] =
		"CPU 0:\n"
		"   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
		"   0x00000001 0x00: eax=0x000306c3 ebx=0x01100800 ecx=0x7fdafbbf edx=0xbfebfbff\n"
		"   0x80000000 0x00: eax=0x80000008 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
		"   0x80000001 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000021 edx=0x2c100800\n";
	char err[256];
	if (!cpuid_dump_parse(base_cpu, strlen(base_cpu), ev, NULL, err, sizeof(err)))
		abort();
}

/* bcd_entry: as --bcd-entry gives it; NULL for the default. */
static void judge_everything(const struct evidence *ev, const char *bcd_entry)
{
	struct facts f;
	struct probe_run *run = malloc(sizeof(*run));
	struct probe_inputs in = { bcd_entry, NULL };
	if (!run || !facts_init(&f, ev, &in)) {
		free(run);
		return;
	}
	for (size_t t = 0; t < target_count; t++) {
		struct strbuf out;
		struct report_options opt = { true, true, 1, 1 };
		probe_run(&f, &target_table[t], NULL, run);
		sb_init(&out);
		report_json(run, &f, &opt, &out);
		report_text(run, &f, &opt, &out);
		report_nagios(run, &out);
		report_prometheus(run, &opt, &out);
		report_junit(run, &opt, &out);
		sb_free(&out);
	}
	facts_free(&f);
	free(run);
}

#endif
