/* SPDX-License-Identifier: MIT */
/*
 * Before and after: two snapshots of one host compared. A regression is a
 * check that was PASS or WARN and is now FAIL or UNKNOWN; the changed
 * facts are grouped by what changes them (updates, the BCD, firmware,
 * microcode and kernel), and when something regressed, the updates added
 * since the baseline are the suspects, newest first. Pure: no I/O.
 */
#ifndef HVPROBE_COMPARE_H
#define HVPROBE_COMPARE_H

#include <stdint.h>

#include "../probe/known_issues.h"
#include "../probe/strbuf.h"
#include "../formats/snapshot.h"

/* The fact that says whether the hypervisor runs (docs/json.md); its loss
 * is a regression named by this key. */
#define LAUNCH_RUNNING_FACT "launch.running"

enum change_group {
	GROUP_BCD,
	GROUP_FIRMWARE,
	GROUP_MICROCODE_KERNEL,
	GROUP_PROCESSOR,
	GROUP_OTHER,
	GROUP_COUNT
};

enum compare_outcome {
	COMPARE_NO_REGRESSION, /* exit 0 */
	COMPARE_REGRESSION,    /* exit 1 */
	COMPARE_UNDECIDED,     /* exit 2: a required check unknown, or present on one side */
};

struct check_change {
	const char *id;
	enum check_status before, after; /* STATUS_SKIP with missing: not in that snapshot */
	bool missing_before, missing_after;
	const char *summary; /* the current summary, or the baseline's when gone */
};

struct fact_change {
	enum change_group group;
	const char *key;
	const char *before, *after; /* "null" when absent on that side */
};

struct item_change {
	const struct snap_item *before, *after; /* added: before NULL; removed: after NULL */
	const struct known_issue *known;       /* when the update is a known bad one whose
						* conditions the current host does not rule out */
};

struct comparison {
	const struct snapshot *baseline, *current;
	enum compare_outcome outcome;
	size_t nregressions, nimprovements, nfailing, nundecided, nfacts, nitems, nsuspects;
	struct check_change *regressions, *improvements, *failing, *undecided;
	struct fact_change *facts;
	struct item_change *items;     /* added, removed, or changed version or state */
	struct item_change **suspects; /* into items: added or changed and active, newest first */
};

bool compare_snapshots(const struct snapshot *baseline, const struct snapshot *current,
		       const struct known_issue_list *known, struct comparison *c);
void comparison_free(struct comparison *c);

const char *change_group_name(enum change_group g); /* "bcd", "firmware", ... */
const char *compare_outcome_name(enum compare_outcome o);
int compare_exit_code(enum compare_outcome o);

/* How to take one suspect off the host, and how to keep it off. */
void suspect_remove_command(const struct snap_item *it, const struct snap_item *before,
			    struct strbuf *out);
void suspect_hold_command(const struct snap_item *it, struct strbuf *out);

#endif
