/* SPDX-License-Identifier: MIT */
/*
 * hvprobe compare BASELINE [CURRENT]: the current side is a second
 * snapshot, or this host judged now and rendered as a snapshot, then read
 * back through the same parser, so both sides are compared in one form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../platform/fileio.h"
#include "../judge/compare.h"
#include "../report/compare_render.h"
#include "output.h"
#include "run.h"

static bool read_snapshot(const char *path, struct snapshot *s, struct hv_error *err)
{
	char *text, why[300];
	size_t len;
	if (!file_read_all(path, FILE_NAMED, FILEIO_MAX_INPUT, &text, &len, err))
		return false;
	bool ok = snapshot_parse(text, len, s, why, sizeof(why));
	free(text);
	return ok || hv_fail(err, HV_EDATA, "%s: %s", path, why);
}

/* This host now, judged for the baseline's target unless -t says else. */
static bool probe_now(const struct options *o, const struct known_issue_list *known,
		      const struct snapshot *baseline, struct snapshot *s, struct hv_error *err)
{
	struct evidence ev;
	struct strbuf json;
	char why[300];
	int verdict;
	evidence_init(&ev);
	sb_init(&json);
	bool ok = gather(o, &ev, err);
	if (ok && !render_run(o, &ev, known, baseline->target, FORMAT_JSON, (int64_t)time(NULL), &json,
			      &verdict))
		ok = hv_fail(err, HV_ENOMEM, "out of memory");
	if (ok && !snapshot_parse(sb_str(&json), json.len, s, why, sizeof(why)))
		ok = hv_fail(err, HV_EOS, "reading back this run's own snapshot: %s", why);
	sb_free(&json);
	evidence_free(&ev);
	return ok;
}

/* A baseline of another installation says nothing about this one. */
static bool same_host(const struct options *o, const struct snapshot *b, const struct snapshot *a,
		      struct hv_error *err)
{
	if (o->force)
		return true;
	if (b->machine_id[0] && a->machine_id[0] && strcmp(b->machine_id, a->machine_id) != 0)
		return hv_fail(err, HV_EDATA, "%s: taken on another host (machine id %s, here %s); "
				       "give --force to compare anyway", o->baseline, b->machine_id,
			       a->machine_id);
	if ((!b->machine_id[0] || !a->machine_id[0]) && b->hostname[0] && a->hostname[0] &&
	    strcmp(b->hostname, a->hostname) != 0)
		return hv_fail(err, HV_EDATA, "%s: taken on host %s, not %s; give --force to compare "
				       "anyway", o->baseline, b->hostname, a->hostname);
	return true;
}

/* Print or write the comparison in the asked format; log it with --syslog. */
static int render_comparison(const struct options *o, const struct comparison *c)
{
	struct strbuf out;
	struct hv_error err = { 0 };
	int64_t now = (int64_t)time(NULL);
	int code = o->format == FORMAT_NAGIOS ? compare_nagios_state(c) : compare_exit_code(c->outcome);
	sb_init(&out);
	switch (o->format) {
	case FORMAT_JSON: compare_json(c, o->baseline, &out); break;
	case FORMAT_NAGIOS: compare_nagios(c, &out); break;
	case FORMAT_PROMETHEUS: compare_prometheus(c, now, &out); break;
	case FORMAT_JUNIT: compare_junit(c, now, &out); break;
	default: compare_text(c, o->baseline, &out); break;
	}
	if (o->syslog) {
		struct strbuf line;
		sb_init(&line);
		compare_summary(c, &line);
		if (!line.failed)
			syslog_compare_line((enum nagios_exit)compare_nagios_state(c), sb_str(&line));
		sb_free(&line);
	}
	if (out.failed)
		code = report_error(o, &(struct hv_error){ HV_ENOMEM, "out of memory" });
	else if (!o->quiet && !output_write(o->output, sb_str(&out), out.len, &err))
		code = report_error(o, &err);
	sb_free(&out);
	return code;
}

int compare_command(const struct options *o, const struct known_issue_list *known)
{
	struct snapshot baseline, current;
	struct comparison c;
	struct hv_error err = { 0 };
	memset(&current, 0, sizeof(current));
	if (!read_snapshot(o->baseline, &baseline, &err))
		return report_error(o, &err);
	bool ok = o->current ? read_snapshot(o->current, &current, &err)
			     : probe_now(o, known, &baseline, &current, &err);
	ok = ok && same_host(o, &baseline, &current, &err);
	if (ok && !compare_snapshots(&baseline, &current, known, &c))
		ok = hv_fail(&err, HV_ENOMEM, "out of memory");
	int code = ok ? 0 : report_error(o, &err);
	if (ok) {
		code = render_comparison(o, &c);
		comparison_free(&c);
	}
	snapshot_free(&baseline);
	snapshot_free(&current);
	return code;
}
