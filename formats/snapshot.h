/* SPDX-License-Identifier: MIT */
/*
 * A snapshot read back: the JSON report (schema hvprobe/1) of one run,
 * reduced to what a comparison needs: the checks, every fact flattened to
 * "group.key" = "value" text, and the installed updates and packages.
 */
#ifndef HVPROBE_SNAPSHOT_H
#define HVPROBE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "../probe/check.h"
#include "../probe/known_issues.h"

/* The schema of the JSON report (report/report_json.c writes it, docs/json.md):
 * the one this reader accepts. */
#define SNAPSHOT_SCHEMA "hvprobe/1"

struct snap_check {
	char id[48];
	enum check_status status;
	char level[12];
	char summary[200];
};

struct snap_fact {
	char key[96];    /* "bcd.hypervisorlaunchtype", "cpu.microcode" */
	char value[320]; /* as JSON writes it, strings unquoted; "null" */
};

struct snap_item {
	char kind[16];   /* "windows-update", "package" */
	char name[96];
	char version[200];
	char state[24];
	char installed_at[24]; /* ISO 8601, "" when unknown */
};

struct snapshot {
	char tool_version[32];
	char target[24];
	char verdict[12];
	char hostname[256];
	char os[128];
	char machine_id[80];
	char taken_at[24];  /* "" when the document is a plain report */
	bool have_installed; /* facts.installed was an object, not null */
	/* Where the known-issues list's conditions put the host (known_issue_match):
	 * facts.windows.build and facts.launch.intent.uefi. Absent, null or, in
	 * snapshots older than these facts, missing: not known. */
	bool have_build;
	struct windows_build build; /* CurrentBuild.UBR, when have_build */
	int uefi;                   /* 1 UEFI, 0 legacy BIOS, -1 not known */
	size_t nchecks, nfacts, nitems;
	struct snap_check *checks;
	struct snap_fact *facts;
	struct snap_item *items;
};

/* Parse a JSON report or snapshot. Unknown keys are ignored; a missing
 * required key or a wrong type is an error naming the key. */
bool snapshot_parse(const char *json, size_t len, struct snapshot *s, char *err, size_t errsize);
void snapshot_free(struct snapshot *s);

const struct snap_check *snapshot_check(const struct snapshot *s, const char *id);
const struct snap_fact *snapshot_fact(const struct snapshot *s, const char *key);

/* check_status from its JSON name; false for an unknown name. */
bool check_status_parse(const char *name, enum check_status *out);

#endif
