/* SPDX-License-Identifier: MIT */
/* Updates known to stop a hypervisor from launching: reference data, not
 * evidence of this host (data/known-issues.txt, docs/known-issues.md). An
 * entry may say where it applies (Windows builds, firmware type) and what
 * supersedes it (fix updates, or a build.UBR that includes the fix). */
#ifndef HVPROBE_KNOWN_ISSUES_H
#define HVPROBE_KNOWN_ISSUES_H

#include <stdbool.h>
#include <stddef.h>

#define KNOWN_ISSUES_MAX 4096
#define KNOWN_ISSUE_FIXES_MAX 8

enum known_firmware { KNOWN_FIRMWARE_ANY, KNOWN_FIRMWARE_UEFI, KNOWN_FIRMWARE_BIOS };

/* A Windows build and its update revision: CurrentBuild.UBR, "9600.20207". */
struct windows_build {
	unsigned build, ubr;
};

struct known_issue {
	char id[48];         /* "KB5009624", or a package name */
	char platforms[96];  /* "windows-server-2012r2" */
	char symptom[300];
	char source[200];
	char fix[300];
	/* Conditions; zero values mean "any". */
	unsigned build_min, build_max;  /* CurrentBuild range it hits */
	enum known_firmware firmware;
	size_t nfixed_by;
	char fixed_by[KNOWN_ISSUE_FIXES_MAX][16]; /* updates that fix it ("KB5010794") */
	struct windows_build fixed_in;  /* this build.UBR or later includes the fix */
};

struct known_issue_list {
	size_t n, cap;
	struct known_issue *items;
};

/* Add an entry; a later entry with the same id replaces the earlier one, so
 * a user's file can correct the shipped list. False past the limit or on
 * allocation failure. */
bool known_issues_add(struct known_issue_list *l, const struct known_issue *k);
void known_issues_free(struct known_issue_list *l);

/* The entry for an update id (any case), or NULL. */
const struct known_issue *known_issue_find(const struct known_issue_list *l, const char *id);

/* "9600.20207" or "9600" (ubr 0); false when it is not that form. */
bool windows_build_parse(const char *text, struct windows_build *out);
/* a before b: -1, equal: 0, after: 1. */
int windows_build_compare(struct windows_build a, struct windows_build b);
const char *known_firmware_name(enum known_firmware f); /* "any", "uefi", "bios" */

/* Where an entry's conditions put a host: its Windows build (have_build
 * false: not known) and firmware (uefi: 1 UEFI, 0 legacy BIOS, -1 not
 * known). The one judgement of the conditions: updates.known_bad words
 * it, the launch timeline marks its suspects by it. */
enum known_issue_match {
	KNOWN_MATCHES,        /* every condition holds, or there is none */
	KNOWN_OTHER_BUILD,    /* the host's build is outside the range */
	KNOWN_OTHER_FIRMWARE, /* the host boots the other way */
	KNOWN_BUILD_UNKNOWN,  /* a build range is set and the host's is not known */
	KNOWN_FIRMWARE_UNKNOWN, /* a firmware is set and the host's is not known */
};
enum known_issue_match known_issue_match(const struct known_issue *k, bool have_build,
					 struct windows_build build, int uefi);
/* The entry for id, unless its conditions rule the host out (another
 * build or firmware; not known keeps it): how the launch timeline and
 * compare mark a suspect known bad. NULL when none applies. */
const struct known_issue *known_issue_applicable(const struct known_issue_list *l, const char *id,
						 bool have_build, struct windows_build build, int uefi);

#endif
