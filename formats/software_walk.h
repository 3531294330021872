/* SPDX-License-Identifier: MIT */
/* Walk a Windows SOFTWARE tree (regtree.h): identity (product,
 * build, MachineGuid) and installed update packages (docs/windows.md).
 * Gathered, not judged. */
#ifndef HVPROBE_SOFTWARE_WALK_H
#define HVPROBE_SOFTWARE_WALK_H

#include "../probe/evidence.h"
#include "regtree.h"

/* Fill ev->windows, ev->machine_id and ev->installed (read, items; the
 * source is the caller's) from the tree at root. need_packages: a tree
 * without the servicing packages key is not a SOFTWARE hive (an offline
 * file); on a live host it only means no list. False with t->err set. */
bool software_walk(struct regtree *t, regnode root, bool need_packages, struct evidence *ev);

#endif
