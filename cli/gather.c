/* SPDX-License-Identifier: MIT */
/* The evidence a command line asks for: live, a dump, a bundle, and what
 * --msr, --bcd, --esp, --windows and --root add. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../platform/bcd_find.h"
#include "../platform/bundle.h"
#include "../platform/cpu_identify.h"
#include "../formats/cpuid_dump.h"
#include "../platform/events_load.h"
#include "../platform/hive/bcd_hive.h"
#include "../platform/hive/software_hive.h"
#include "../platform/live.h"
#include "../platform/root.h"
#include "../formats/msr_text.h"
#include "../platform/parse_file.h"
#include "run.h"

static bool parse_dump(const char *text, size_t len, struct evidence *ev, char *err, size_t size)
{
	return cpuid_dump_parse(text, len, ev, NULL, err, size);
}

static bool parse_recorded_msrs(const char *text, size_t len, struct evidence *ev, char *err,
				size_t size)
{
	return msr_text_parse(text, len, true, ev, err, size);
}

static bool parse_given_msrs(const struct options *o, struct evidence *ev, struct hv_error *err)
{
	char why[300];
	if (o->msr_file && !parse_file(o->msr_file, FILE_NAMED, parse_recorded_msrs, ev, err))
		return false;
	for (int i = 0; i < o->nmsr; i++)
		if (!msr_text_parse_arg(o->msr[i], ev, why, sizeof(why)))
			return hv_fail(err, HV_EDATA, "%s", why);
	return true;
}

/* --msr-file and --msr: what the user names wins over what a dump or a
 * bundle recorded of the same MSR, on whichever CPUs it recorded it. */
static bool load_recorded_msrs(const struct options *o, struct evidence *ev, struct hv_error *err)
{
	struct msr_aside earlier;
	if (!o->msr_file && o->nmsr == 0)
		return true;
	msr_text_set_aside(ev, &earlier);
	bool ok = parse_given_msrs(o, ev, err);
	if (!msr_text_restore(ev, &earlier) && ok)
		return hv_fail(err, HV_EDATA, "too many MSR values");
	return ok;
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
	if (!bcd_hive_load(path, o->bcd ? FILE_NAMED : FILE_FOUND, s, err))
		return false;
	s->origin = BCD_ORIGIN_GIVEN;
	s->unreadable[0] = '\0';
	s->search[0] = '\0';
	snprintf(s->path, sizeof(s->path), "%s", path);
	return true;
}

bool gather(const struct options *o, struct evidence *ev, struct hv_error *err)
{
	bool recorded = o->msr_file || o->nmsr > 0;
	if (o->from) {
		if (!bundle_read(o->from, ev, err))
			return false;
	} else if (o->cpuid_dump) {
		if (!parse_file(o->cpuid_dump, FILE_NAMED, parse_dump, ev, err))
			return false;
		ev->source = SOURCE_DUMP;
		snprintf(ev->source_path, sizeof(ev->source_path), "%s", o->cpuid_dump);
	} else if (o->root) {
		/* the processor is this machine's; the system is the root's */
		if (!live_collect_hardware(ev, !recorded, err))
			return false;
		ev->source = SOURCE_LIVE;
	} else {
		/* recorded MSR values replace a live read; a named store a search */
		if (!live_collect(ev, !recorded, !o->bcd && !o->esp, err))
			return false;
		ev->source = SOURCE_LIVE;
	}
	if (o->root && !root_collect(o->root, ev, err))
		return false;
	if (o->kernel && !next_boot_name_kernel(o->kernel, ev, err))
		return false;
	cpu_identify_codename(ev); /* one lookup, whatever the source */
	if ((o->bcd || o->esp) && !load_given_bcd(o, ev, err))
		return false;
	if (o->windows && !windows_volume_load(o->windows, ev, err))
		return false;
	if (!load_event_logs(o->windows, o->evtx, (size_t)o->nevtx, ev, err))
		return false;
	return load_recorded_msrs(o, ev, err);
}

