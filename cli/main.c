/* SPDX-License-Identifier: MIT */
/*
 * hvprobe: can the hypervisor launch on this host, and if not, why?
 * Data flows one way: collect evidence (platform/), decode and judge it
 * (probe/), render the run (report/).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../platform/bundle.h"
#include "../platform/fileio.h"
#include "../formats/known_issues_text.h"
#include "../probe/verdict.h"
#include "../report/report.h"
#include "output.h"
#include "run.h"

static int exit_code_of(enum hv_status s)
{
	switch (s) {
	case HV_ENOINPUT: return EXIT_NOINPUT;
	case HV_EDATA: return EXIT_DATAERR;
	case HV_ECANTCREAT: return EXIT_CANTCREAT;
	case HV_EIO: return EXIT_IOERR;
	default: return EXIT_OSERR;
	}
}

int report_error(const struct options *o, const struct hv_error *err)
{
	fprintf(stderr, "hvprobe: %s\n", err->msg);
	if (o->format != FORMAT_NAGIOS)
		return exit_code_of(err->status);
	/* A plugin that cannot run says UNKNOWN on stdout, where Nagios reads. */
	printf("HVPROBE UNKNOWN - hvprobe could not run: ");
	for (const char *p = err->msg; *p; p++)
		putchar(*p == '|' ? '/' : *p);
	putchar('\n');
	return NAGIOS_UNKNOWN;
}

static int out_of_memory(const struct options *o)
{
	return report_error(o, &(struct hv_error){ HV_ENOMEM, "out of memory" });
}

static const struct target_def *choose_target(const struct options *o, const struct evidence *ev,
					      const char *target)
{
	if (o->target)
		return target_find(o->target);
	if (target && target_find(target))
		return target_find(target);
	/* A Windows boot configuration or volume means the question is
	 * Hyper-V's; else KVM is what a Linux host (or a Linux root given
	 * with --root) runs; offline, ask only
	 * whether any hardware-assisted hypervisor could. */
	if (ev->bcd.origin != BCD_ORIGIN_NONE || ev->windows.read)
		return target_find("hyperv");
	return target_find(ev->kvm.probed || ev->root[0] ? "kvm" : "any");
}

static bool use_colour(const struct options *o)
{
	const char *no_color = getenv("NO_COLOR");
	return !o->no_colour && !o->output && (!no_color || !no_color[0]) && isatty(STDOUT_FILENO);
}

bool render_run(const struct options *o, const struct evidence *ev,
		const struct known_issue_list *known, const char *target, enum format format,
		int64_t taken_at, struct strbuf *out, int *code)
{
	struct facts f;
	struct probe_inputs in = { o->bcd_entry, known };
	if (!facts_init(&f, ev, &in))
		return false;
	struct probe_run *run = malloc(sizeof(*run));
	if (!run) {
		facts_free(&f);
		return false;
	}
	probe_run(&f, choose_target(o, ev, target), o->checks_given ? o->checks : NULL, run);
	*code = format == FORMAT_NAGIOS ? nagios_state(run) : verdict_exit_code(run->verdict);
	struct report_options ropt = { o->verbose, use_colour(o), taken_at, (int64_t)time(NULL) };
	switch (format) {
	case FORMAT_JSON: report_json(run, &f, &ropt, out); break;
	case FORMAT_NAGIOS: report_nagios(run, out); break;
	case FORMAT_PROMETHEUS: report_prometheus(run, &ropt, out); break;
	case FORMAT_JUNIT: report_junit(run, &ropt, out); break;
	default: report_text(run, &f, &ropt, out); break;
	}
	if (o->syslog && !taken_at) {
		struct strbuf line;
		sb_init(&line);
		sb_printf(&line, "%s: ", verdict_name(run->verdict));
		run_summary(run, &line);
		if (!line.failed)
			syslog_line((enum nagios_exit)nagios_state(run), sb_str(&line));
		sb_free(&line);
	}
	free(run);
	facts_free(&f);
	return !out->failed;
}

/* The shipped list, then the user's file (whose entries win). */
static bool load_known_issues(const struct options *o, struct known_issue_list *known,
			      struct hv_error *err)
{
	char why[300];
	if (!known_issues_parse(known_issues_builtin, strlen(known_issues_builtin), known, why,
				sizeof(why)))
		return hv_fail(err, HV_EDATA, "built-in known issues: %s", why);
	if (!o->known_issues)
		return true;
	char *text;
	size_t len;
	if (!file_read_all(o->known_issues, FILE_NAMED, FILEIO_MAX_INPUT, &text, &len, err))
		return false;
	bool ok = known_issues_parse(text, len, known, why, sizeof(why));
	free(text);
	return ok || hv_fail(err, HV_EDATA, "%s: %s", o->known_issues, why);
}

/* check and snapshot: judge the evidence and print or write the result. */
static int judge(const struct options *o, const struct evidence *ev,
		 const struct known_issue_list *known)
{
	struct strbuf out;
	struct hv_error err = { 0 };
	bool snapshot = o->command == CMD_SNAPSHOT;
	int code;
	sb_init(&out);
	if (!render_run(o, ev, known, NULL, snapshot ? FORMAT_JSON : o->format,
			snapshot ? (int64_t)time(NULL) : 0, &out, &code))
		code = out_of_memory(o);
	else if (snapshot && o->quiet && !o->output)
		code = EXIT_PASS; /* nothing asked for */
	else if ((!o->quiet || snapshot) && !output_write(o->output, sb_str(&out), out.len, &err))
		code = report_error(o, &err);
	else if (snapshot)
		code = EXIT_PASS; /* the snapshot is written; its verdict is inside */
	sb_free(&out);
	return code;
}

/* What went to stdout through stdio (help, version, the bundle line)
 * really left: a full disk is an I/O error (74), not a success. */
static int stdout_flushed(const struct options *o)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return EXIT_PASS;
	struct hv_error err = { HV_EIO, "" };
	snprintf(err.msg, sizeof(err.msg), "standard output: %s", strerror(errno));
	return report_error(o, &err);
}

static int collect(const struct options *o, const struct evidence *ev)
{
	struct hv_error err = { 0 };
	if (!bundle_write(o->output, ev, &err))
		return report_error(o, &err);
	if (!o->quiet)
		printf("hvprobe: wrote bundle %s\n", o->output);
	return stdout_flushed(o);
}

int main(int argc, char **argv)
{
	struct options o;
	if (!options_parse(argc, argv, &o))
		return EXIT_USAGE;
	if (o.help || o.version) {
		if (o.help)
			options_usage(stdout);
		else
			printf("hvprobe %s\n", HVPROBE_VERSION);
		return stdout_flushed(&o);
	}
	struct known_issue_list known = { 0 };
	struct hv_error err = { 0 };
	if (!load_known_issues(&o, &known, &err)) {
		known_issues_free(&known);
		return report_error(&o, &err);
	}
	int code;
	if (o.command == CMD_COMPARE) {
		code = compare_command(&o, &known);
	} else {
		struct evidence ev;
		evidence_init(&ev);
		if (!gather(&o, &ev, &err))
			code = report_error(&o, &err);
		else if (o.command == CMD_COLLECT)
			code = collect(&o, &ev);
		else
			code = judge(&o, &ev, &known);
		evidence_free(&ev);
	}
	known_issues_free(&known);
	return code;
}
