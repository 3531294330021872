/* SPDX-License-Identifier: MIT */
/*
 * A check is a pure function from the evidence (decoded into facts) to a
 * result: a status, a one-line summary, the evidence it relied on and,
 * for anything short of PASS, the remedy in plain words.
 */
#ifndef HVPROBE_CHECK_H
#define HVPROBE_CHECK_H

#include "facts.h"
#include "strbuf.h"

enum check_status {
	STATUS_PASS,
	STATUS_WARN,
	STATUS_FAIL,
	STATUS_UNKNOWN,
	STATUS_SKIP,
};

enum value_type { VALUE_NULL, VALUE_BOOL, VALUE_INT, VALUE_STRING };

#define EVIDENCE_ITEMS_MAX 10

struct evidence_item {
	char key[32];
	enum value_type type;
	bool boolean;
	long long integer;
	char text[128];
	char source[200]; /* where the value came from */
};

/*
 * Which boot a check speaks for (check_def.scope). The next boot's verdict
 * (the gate before a restart) counts the checks of both and of the next:
 * the processor and firmware carry over, the boot configuration and the
 * updates waiting for the restart decide it; /dev/kvm now, past boots and
 * this boot's launch events do not. SCOPE_UNSET is never a row's: in a
 * result it means "as the row says".
 */
enum boot_scope { SCOPE_UNSET, SCOPE_BOTH, SCOPE_THIS_BOOT, SCOPE_NEXT_BOOT };

struct check_result {
	const char *id;
	enum check_status status;
	char summary[200];
	size_t nitems;
	struct evidence_item items[EVIDENCE_ITEMS_MAX];
	char remedy[1000]; /* "" for none */
	char note[240];   /* why the verdict layer changed the status; "" if not */
	/* SKIP because the evidence is not in this source at all: fine where
	 * the check is advisory, UNKNOWN where the target requires it. */
	bool no_evidence;
	/* Narrower than the row's scope for this result: an update that only
	 * waits for the restart fails the next boot, not this one. */
	enum boot_scope scope;
};

typedef void (*check_fn)(const struct facts *f, struct check_result *r);

/* Result builders: they truncate rather than overflow. */
void result_set(struct check_result *r, enum check_status s, const char *fmt, ...)
	__attribute__((format(HV_PRINTF_FORMAT, 3, 4)));
void result_remedy(struct check_result *r, const char *fmt, ...)
	__attribute__((format(HV_PRINTF_FORMAT, 2, 3)));
void result_bool(struct check_result *r, const char *key, bool v, const char *source);
void result_tri(struct check_result *r, const char *key, tri_t v, const char *source);
void result_int(struct check_result *r, const char *key, long long v, const char *source);
void result_text(struct check_result *r, const char *key, const char *v, const char *source);
void result_hex(struct check_result *r, const char *key, uint64_t v, const char *source);

const char *check_status_name(enum check_status s);      /* "pass" ... */
const char *check_status_label(enum check_status s);     /* "PASS" ... */

#endif
