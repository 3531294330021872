/* SPDX-License-Identifier: MIT */
/* Walk a BCD store in any registry tree (regtree.h) into the store
 * model of probe/evidence.h: a hive file or the live HKLM\BCD00000000. */
#ifndef HVPROBE_BCD_WALK_H
#define HVPROBE_BCD_WALK_H

#include "../probe/evidence.h"
#include "regtree.h"

/* Fill s->objects from the tree's root (which must hold Objects); s->read
 * is the caller's. False with t->err set. */
bool bcd_walk(struct regtree *t, struct bcd_store *s);

#endif
