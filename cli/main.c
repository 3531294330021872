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
#include <unistd.h>

#include "../platform/bcd_find.h"
#include "../platform/hive/bcd_hive.h"
#include "../platform/hive/software_hive.h"
#include "../platform/bundle.h"
#include "../platform/cpu_identify.h"
#include "../platform/cpuid_dump.h"
#include "../platform/parse_file.h"
#include "../platform/linux/live.h"
#include "../platform/msr_text.h"
#include "../probe/verdict.h"
#include "../report/report.h"
#include "options.h"
#include "output.h"

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

static int report_error(const struct hv_error *err)
{
	fprintf(stderr, "hvprobe: %s\n", err->msg);
	return exit_code_of(err->status);
}

static int out_of_memory(void)
{
	return report_error(&(struct hv_error){ HV_ENOMEM, "out of memory" });
}

static bool parse_dump(const char *text, size_t len, struct evidence *ev, char *err, size_t size)
{
	return cpuid_dump_parse(text, len, ev, NULL, err, size);
}

static bool parse_recorded_msrs(const char *text, size_t len, struct evidence *ev, char *err,
				size_t size)
{
	return msr_text_parse(text, len, true, ev, err, size);
}

static bool load_recorded_msrs(const struct options *o, struct evidence *ev, struct hv_error *err)
{
	char why[300];
	if (o->msr_file && !parse_file(o->msr_file, parse_recorded_msrs, ev, err))
		return false;
	for (int i = 0; i < o->nmsr; i++)
		if (!msr_text_parse_arg(o->msr[i], ev, why, sizeof(why)))
			return hv_fail(err, HV_EDATA, "%s", why);
	return true;
}

/* --bcd FILE, or the store under --esp DIR. */
static bool load_given_bcd(const struct options *o, struct evidence *ev, struct hv_error *err)
{
	char path[sizeof(ev->bcd.path)];
	int why;
	if (o->bcd) {
		snprintf(path, sizeof(path), "%s", o->bcd);
	} else if (!bcd_find_in_partition(o->esp, path, sizeof(path), &why)) {
		if (why == ENOENT)
			return hv_fail(err, HV_ENOINPUT, "%s: no %s or %s here (is it the system "
					       "partition, mounted?)", o->esp, bcd_store_places[0],
				       bcd_store_places[1]);
		return hv_fail(err, HV_ENOINPUT, "%s: %s", o->esp, strerror(why));
	}
	struct bcd_store *s = &ev->bcd;
	if (!bcd_hive_load(path, s, err))
		return false;
	s->origin = BCD_ORIGIN_GIVEN;
	s->unreadable[0] = '\0';
	s->search[0] = '\0';
	snprintf(s->path, sizeof(s->path), "%s", path);
	return true;
}

static bool gather(const struct options *o, struct evidence *ev, struct hv_error *err)
{
	bool recorded = o->msr_file || o->nmsr > 0;
	if (o->from) {
		if (!bundle_read(o->from, ev, err))
			return false;
	} else if (o->cpuid_dump) {
		if (!parse_file(o->cpuid_dump, parse_dump, ev, err))
			return false;
		ev->source = SOURCE_DUMP;
		snprintf(ev->source_path, sizeof(ev->source_path), "%s", o->cpuid_dump);
	} else {
		if (!cpuid_collect_live(ev, err))
			return false;
		ev->source = SOURCE_LIVE;
		if (!recorded) /* recorded values replace a live read */
			msr_collect_live(ev);
		kernel_collect_live(ev);
		kvm_collect_live(ev);
		packages_collect_live(ev);
		if (!o->bcd && !o->esp)
			bcd_collect_live(ev);
	}
	cpu_identify_codename(ev); /* one lookup, whatever the source */
	if ((o->bcd || o->esp) && !load_given_bcd(o, ev, err))
		return false;
	if (o->windows && !windows_volume_load(o->windows, ev, err))
		return false;
	return load_recorded_msrs(o, ev, err);
}

static const struct target_def *choose_target(const struct options *o, const struct evidence *ev)
{
	if (o->target)
		return target_find(o->target);
	/* A Windows boot configuration or volume means the question is
	 * Hyper-V's; else
	 * KVM is what a Linux host runs; offline, ask only whether any
	 * hardware-assisted hypervisor could. */
	if (ev->bcd.origin != BCD_ORIGIN_NONE || ev->windows.read)
		return target_find("hyperv");
	return target_find(ev->kvm.probed ? "kvm" : "any");
}

static bool use_colour(const struct options *o)
{
	const char *no_color = getenv("NO_COLOR");
	return !o->no_colour && !o->output && (!no_color || !no_color[0]) && isatty(STDOUT_FILENO);
}

static int judge(const struct options *o, const struct evidence *ev)
{
	struct facts f;
	struct hv_error err = { 0 };
	if (!facts_init(&f, ev, o->bcd_entry))
		return out_of_memory();
	struct probe_run *run = malloc(sizeof(*run));
	if (!run) {
		facts_free(&f);
		return out_of_memory();
	}
	probe_run(&f, choose_target(o, ev), o->checks_given ? o->checks : NULL, run);
	int code = verdict_exit_code(run->verdict);
	if (!o->quiet) {
		struct strbuf out;
		struct report_options ropt = { o->verbose, use_colour(o) };
		sb_init(&out);
		if (o->format == FORMAT_JSON)
			report_json(run, &f, &out);
		else
			report_text(run, &f, &ropt, &out);
		if (out.failed)
			code = out_of_memory();
		else if (!output_write(o->output, sb_str(&out), out.len, &err))
			code = report_error(&err);
		sb_free(&out);
	}
	free(run);
	facts_free(&f);
	return code;
}

int main(int argc, char **argv)
{
	struct options o;
	if (!options_parse(argc, argv, &o))
		return EXIT_USAGE;
	if (o.help) {
		options_usage(stdout);
		return EXIT_PASS;
	}
	if (o.version) {
		printf("hvprobe %s\n", HVPROBE_VERSION);
		return EXIT_PASS;
	}
	struct evidence ev;
	struct hv_error err = { 0 };
	evidence_init(&ev);
	int code;
	if (!gather(&o, &ev, &err)) {
		code = report_error(&err);
	} else if (o.command == CMD_COLLECT) {
		code = bundle_write(o.output, &ev, &err) ? EXIT_PASS : report_error(&err);
		if (code == EXIT_PASS && !o.quiet)
			printf("hvprobe: wrote bundle %s\n", o.output);
	} else {
		code = judge(&o, &ev);
	}
	evidence_free(&ev);
	return code;
}
