/* SPDX-License-Identifier: MIT */
/*
 * A registry tree, read through one of two backends: a hive file with
 * libhivex (platform/hive/hive.c) or the live Windows registry
 * (platform/windows/regtree_win.c). The walkers of Windows data, the BCD
 * store (bcd_walk.c) and the installed updates (software_walk.c), see only
 * this, so one walk serves offline files and live hosts alike.
 */
#ifndef HVPROBE_REGTREE_H
#define HVPROBE_REGTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv_error.h"

typedef uint64_t regnode; /* a key; 0 is none */

/* Registry value types (winnt.h REG_*). */
#define REGTREE_SZ 1u
#define REGTREE_EXPAND_SZ 2u
#define REGTREE_BINARY 3u
#define REGTREE_DWORD 4u
#define REGTREE_MULTI_SZ 7u

struct regtree;

struct regtree_ops {
	regnode (*root)(struct regtree *t);
	/* The child key called name (any case): *out 0 and true when there is
	 * none, false (with t->err set) when the tree is broken. */
	bool (*child)(struct regtree *t, regnode parent, const char *name, regnode *out);
	/* The subkeys, 0-terminated; NULL (t->err set) when broken. */
	regnode *(*children)(struct regtree *t, regnode n);
	char *(*name)(struct regtree *t, regnode n); /* UTF-8, the caller frees */
	/* A value's type and bytes; *data NULL and true when there is none. */
	bool (*value)(struct regtree *t, regnode n, const char *name, uint32_t *type, char **data,
		      size_t *len);
	void (*release)(struct regtree *t, regnode n); /* a node from child or children */
};

struct regtree {
	const struct regtree_ops *ops;
	void *impl;
	const char *name;     /* for messages: the file, or HKLM\BCD00000000 */
	struct hv_error *err;
};

/* Follow "A\B\C" from `from`; *out 0 when a key is missing. */
bool regtree_path(struct regtree *t, regnode from, const char *path, regnode *out);
/* A REG_DWORD value; *have false when absent or of another type. */
bool regtree_dword(struct regtree *t, regnode n, const char *name, uint32_t *v, bool *have);
/* A REG_SZ value as UTF-8; "" when absent or of another type. */
bool regtree_string(struct regtree *t, regnode n, const char *name, char *out, size_t size);
/* Release every node of a children() array, and the array. */
void regtree_release_all(struct regtree *t, regnode *nodes);
/* "name: what": a structural problem (HV_EDATA); returns false. */
bool regtree_broken(struct regtree *t, const char *what);

#endif
