/* SPDX-License-Identifier: MIT */
/* Renderers of one run: text for people, JSON for scripts (docs/json.md). */
#ifndef HVPROBE_REPORT_H
#define HVPROBE_REPORT_H

#include <stdint.h>

#include "../probe/strbuf.h"
#include "../probe/utc.h"
#include "../probe/verdict.h"

struct report_options {
	bool verbose; /* evidence under every check, not only the failing ones */
	bool colour;  /* ANSI colours (the CLI decides: a terminal, no NO_COLOR) */
	int64_t taken_at; /* JSON: a snapshot's time, seconds since 1970 UTC; 0: a plain report */
	int64_t now;      /* Prometheus and JUnit: when the run was made */
};

void report_text(const struct probe_run *run, const struct facts *f,
		 const struct report_options *opt, struct strbuf *out);
void report_json(const struct probe_run *run, const struct facts *f,
		 const struct report_options *opt, struct strbuf *out);

/* "<target title> can launch here" / "... cannot launch here; failed: a b"
 * / "... may or may not launch; not known: c". */
void run_summary(const struct probe_run *run, struct strbuf *out);
/* "KVM will not launch after the next restart; failed: kvm.next_boot" */
void next_boot_summary(const struct probe_run *run, struct strbuf *out);
/* How many selected checks have each status. */
void run_counts(const struct probe_run *run, size_t counts[STATUS_SKIP + 1]);

/* Machine formats for monitoring and CI (docs/formats.md). Nagios states
 * are 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
int nagios_state(const struct probe_run *run);
void report_nagios(const struct probe_run *run, struct strbuf *out);
void report_prometheus(const struct probe_run *run, const struct report_options *opt,
		       struct strbuf *out);
void report_junit(const struct probe_run *run, const struct report_options *opt,
		  struct strbuf *out);

/* Pieces the check and compare renderers of a format share. */
void prometheus_family(struct strbuf *out, const char *name, const char *help);
void prometheus_label_value(struct strbuf *out, const char *s); /* escaped, no quotes */
void prometheus_info(struct strbuf *out, const char *target, int64_t now);
void xml_escape(struct strbuf *out, const char *s);
void junit_begin(struct strbuf *out, const char *suite, size_t tests, size_t failures,
		 size_t errors, size_t skipped, int64_t now);
void junit_end(struct strbuf *out);


/* The value of an evidence item as text ("yes", "0x5", "null"). */
void evidence_value_text(const struct evidence_item *it, struct strbuf *out);

#endif
