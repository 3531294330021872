/* SPDX-License-Identifier: MIT */
/*
 * Target profiles: which checks a hypervisor needs (docs/checks.md and README, targets). A
 * required check decides the verdict; an advisory one can only warn; an
 * off one is not relevant to the target and is skipped.
 */
#ifndef HVPROBE_TARGET_H
#define HVPROBE_TARGET_H

#include "checks.h"

enum check_level { LEVEL_OFF, LEVEL_ADVISORY, LEVEL_REQUIRED };

struct target_def {
	const char *name;
	const char *title; /* what must launch, for the report */
	enum check_level level[CHECK_COUNT];
	/* Live proof that settles the target (see verdict.c). */
	bool proven_by_hyperv_root;
	bool proven_by_kvm;
};

extern const struct target_def target_table[];
extern const size_t target_count;

const struct target_def *target_find(const char *name);
const char *check_level_name(enum check_level l); /* "required" ... */

#endif
