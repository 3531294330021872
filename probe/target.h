/* SPDX-License-Identifier: MIT */
/*
 * Target profiles: which checks a hypervisor needs (docs/checks.md and README, targets). A
 * required check decides the verdict; an advisory one can only warn; an
 * off one is not relevant to the target and is skipped.
 */
#ifndef HVPROBE_TARGET_H
#define HVPROBE_TARGET_H

#include "checks.h"

/* The level of each check per target is in its row of check_table. */
struct target_def {
	enum target_index index;
	const char *name;
	const char *title; /* what must launch, for the report */
	/* Live proof that settles the target (see verdict.c). */
	bool proven_by_hyperv_root;
	bool proven_by_kvm;
};

extern const struct target_def target_table[TARGET_COUNT];
extern const size_t target_count;

/* The level of check `check` for target t. */
enum check_level target_level(const struct target_def *t, int check);

const struct target_def *target_find(const char *name);
const char *check_level_name(enum check_level l); /* "required" ... */

#endif
