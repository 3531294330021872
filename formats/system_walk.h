/* SPDX-License-Identifier: MIT */
/* Walk a Windows SYSTEM tree (regtree.h) for the boot facts of
 * launch intent: the Hyper-V services that mark the role installed, and
 * the firmware type Windows booted with (docs/launch-events.md). */
#ifndef HVPROBE_SYSTEM_WALK_H
#define HVPROBE_SYSTEM_WALK_H

#include "../probe/evidence.h"
#include "regtree.h"

/* Fill wb (not system_source: the caller's). An offline hive names its
 * control set in Select\Current; the live registry has CurrentControlSet.
 * False with t->err set when the tree is broken or has neither. */
bool system_walk(struct regtree *t, regnode root, struct windows_boot *wb, struct restart_view *restart);

#endif
