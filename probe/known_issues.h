/* SPDX-License-Identifier: MIT */
/* Updates known to stop a hypervisor from launching: reference data, not
 * evidence of this host (data/known-issues.txt, docs/known-issues.md). */
#ifndef HVPROBE_KNOWN_ISSUES_H
#define HVPROBE_KNOWN_ISSUES_H

#include <stdbool.h>
#include <stddef.h>

#define KNOWN_ISSUES_MAX 4096

struct known_issue {
	char id[48];         /* "KB5009624", or a package name */
	char platforms[96];  /* "windows-server-2012r2" */
	char symptom[300];
	char source[200];
	char fix[300];
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

#endif
