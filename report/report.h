/* SPDX-License-Identifier: MIT */
/* Renderers of one run: text for people, JSON for scripts (docs/json.md). */
#ifndef HVPROBE_REPORT_H
#define HVPROBE_REPORT_H

#include <stdint.h>

#include "../probe/strbuf.h"
#include "../probe/verdict.h"

#define REPORT_SCHEMA "hvprobe/1"

struct report_options {
	bool verbose; /* evidence under every check, not only the failing ones */
	bool colour;  /* ANSI colours (the CLI decides: a terminal, no NO_COLOR) */
	int64_t taken_at; /* JSON: a snapshot's time, seconds since 1970 UTC; 0: a plain report */
};

void report_text(const struct probe_run *run, const struct facts *f,
		 const struct report_options *opt, struct strbuf *out);
void report_json(const struct probe_run *run, const struct facts *f,
		 const struct report_options *opt, struct strbuf *out);

/* "2026-11-27T16:00:00Z" for seconds since 1970 UTC. */
void format_utc(int64_t t, char out[24]);

/* The value of an evidence item as text ("yes", "0x5", "null"). */
void evidence_value_text(const struct evidence_item *it, struct strbuf *out);

#endif
