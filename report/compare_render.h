/* SPDX-License-Identifier: MIT */
/* Renderers of a comparison (judge/compare.h): text, JSON and the
 * monitoring and CI formats. They write into a strbuf and do no I/O. */
#ifndef HVPROBE_COMPARE_RENDER_H
#define HVPROBE_COMPARE_RENDER_H

#include <stdint.h>

#include "../judge/compare.h"
#include "../probe/strbuf.h"

/* Text for people, JSON (schema hvprobe-compare/1, docs/json.md). */
#define COMPARE_SCHEMA "hvprobe-compare/1"
void compare_text(const struct comparison *c, const char *baseline_name, struct strbuf *out);
void compare_json(const struct comparison *c, const char *baseline_name, struct strbuf *out);
/* Monitoring and CI formats (docs/formats.md), one file each. */
/* compare_nagios.c: the Nagios state (0 OK, 2 CRITICAL a regression,
 * 3 UNKNOWN undecided), the one-line summary it shares with syslog,
 * "1 regression since the baseline: bcd.hypervisorlaunchtype; suspects:
 * KB5009624", and the plugin output. */
int compare_nagios_state(const struct comparison *c);
void compare_summary(const struct comparison *c, struct strbuf *line);
void compare_nagios(const struct comparison *c, struct strbuf *out);
/* compare_prometheus.c */
void compare_prometheus(const struct comparison *c, int64_t now, struct strbuf *out);
/* compare_junit.c */
void compare_junit(const struct comparison *c, int64_t now, struct strbuf *out);

#endif
