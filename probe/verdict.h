/* SPDX-License-Identifier: MIT */
/*
 * One run: every selected check over the facts, levelled by the target,
 * then the verdict. Live proof beats prerequisites: when the hypervisor
 * demonstrably runs (Hyper-V root partition; KVM created a VM) the target
 * passes, and a prerequisite that disagrees becomes a WARN that says why.
 */
#ifndef HVPROBE_VERDICT_H
#define HVPROBE_VERDICT_H

#include "target.h"

enum verdict { VERDICT_PASS, VERDICT_FAIL, VERDICT_UNKNOWN };

struct probe_run {
	const struct target_def *target;
	bool selected[CHECK_COUNT];
	enum check_level level[CHECK_COUNT];
	struct check_result result[CHECK_COUNT];
	enum verdict verdict;
	/* The same over the required checks that speak for the next boot
	 * (check_def.scope): what a restart now would give. */
	enum verdict next_boot;
	char proof[160]; /* "" or the live proof that settled the target */
};

/* Run check `index` on f, unless f holds none of the evidence it needs:
 * then r is SKIP with no_evidence, the summary names what is missing and
 * the remedy how to get it (docs/checks.md). Before the target's level. */
void check_run(const struct facts *f, int index, struct check_result *r);

/* selected: CHECK_COUNT flags, or NULL for every check. */
void probe_run(const struct facts *f, const struct target_def *target,
	       const bool *selected, struct probe_run *run);

const char *verdict_name(enum verdict v); /* "pass" "fail" "unknown" */
/* Which boot check `index`'s result speaks for: its own word, else its row's. */
enum boot_scope result_scope(const struct probe_run *run, int index);
/* Does check `index`, as run, count toward the next boot's verdict? */
bool check_counts_for_next_boot(const struct probe_run *run, int index);
/* The process exit code of a verdict: 0 pass, 1 fail, 2 unknown. */
int verdict_exit_code(enum verdict v);

#endif
