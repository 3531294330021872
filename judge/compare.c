/* SPDX-License-Identifier: MIT */
#include "compare.h"

#include <stdlib.h>
#include <string.h>

/* Which group a fact belongs to, by its key: the first prefix that matches. */
static const struct {
	const char *prefix;
	enum change_group group;
} fact_groups[] = {
	{ "bcd.", GROUP_BCD },
	{ "msr.", GROUP_FIRMWARE },
	{ "boot.", GROUP_FIRMWARE },
	{ "cpu.microcode", GROUP_MICROCODE_KERNEL },
	{ "kernel.release", GROUP_MICROCODE_KERNEL },
	{ "os", GROUP_MICROCODE_KERNEL },
	{ "windows.", GROUP_MICROCODE_KERNEL },
	{ "cpu.", GROUP_PROCESSOR },
};

/* Facts that differ between any two runs and say nothing about a patch. */
static const char *const ignored_facts[] = {
	"bcd.path", "bcd.origin", "bcd.search", "installed.source", "launch.logs",
	/* which records the list of updates was merged from, not what changed */
	"installed.complete", "installed.unnamed_rollups",
	"launch.records_read", "launch.records_kept", "launch.records_dropped",
	/* arrays of objects: a snapshot keeps none of them as a fact */
	"launch.boots", "launch.installs", "launch.suspects",
};

static enum change_group group_of(const char *key)
{
	for (size_t i = 0; i < sizeof(fact_groups) / sizeof(fact_groups[0]); i++)
		if (strncmp(key, fact_groups[i].prefix, strlen(fact_groups[i].prefix)) == 0)
			return fact_groups[i].group;
	return GROUP_OTHER;
}

static bool ignored(const char *key)
{
	for (size_t i = 0; i < sizeof(ignored_facts) / sizeof(ignored_facts[0]); i++)
		if (strcmp(key, ignored_facts[i]) == 0)
			return true;
	return false;
}

const char *change_group_name(enum change_group g)
{
	static const char *const names[GROUP_COUNT] = {
		[GROUP_BCD] = "bcd", [GROUP_FIRMWARE] = "firmware",
		[GROUP_MICROCODE_KERNEL] = "microcode_kernel", [GROUP_PROCESSOR] = "processor",
		[GROUP_OTHER] = "other",
	};
	return (unsigned)g < GROUP_COUNT ? names[g] : "other";
}

const char *compare_outcome_name(enum compare_outcome o)
{
	switch (o) {
	case COMPARE_REGRESSION: return "regression";
	case COMPARE_UNDECIDED: return "undecided";
	default: return "no-regression";
	}
}

int compare_exit_code(enum compare_outcome o)
{
	switch (o) {
	case COMPARE_REGRESSION: return 1;
	case COMPARE_UNDECIDED: return 2;
	default: return 0;
	}
}

static bool good(enum check_status s)
{
	return s == STATUS_PASS || s == STATUS_WARN;
}

static bool bad(enum check_status s)
{
	return s == STATUS_FAIL || s == STATUS_UNKNOWN;
}

/* Sort each check of either snapshot into one list. */
static void compare_checks(struct comparison *c)
{
	const struct snapshot *b = c->baseline, *a = c->current;
	for (size_t i = 0; i < a->nchecks + b->nchecks; i++) {
		bool from_current = i < a->nchecks;
		const struct snap_check *x = from_current ? &a->checks[i] : &b->checks[i - a->nchecks];
		const struct snap_check *before = snapshot_check(b, x->id);
		const struct snap_check *after = snapshot_check(a, x->id);
		if (!from_current && after)
			continue; /* seen from the current side */
		struct check_change ch = { x->id, before ? before->status : STATUS_SKIP,
					   after ? after->status : STATUS_SKIP, !before, !after,
					   x->summary };
		bool required = strcmp(after ? after->level : before->level, "required") == 0;
		if (before && after && good(before->status) && bad(after->status))
			c->regressions[c->nregressions++] = ch;
		else if (before && after && bad(before->status) && good(after->status))
			c->improvements[c->nimprovements++] = ch;
		else if (before && after && before->status == STATUS_FAIL && after->status == STATUS_FAIL)
			c->failing[c->nfailing++] = ch;
		else if (required && (!before || !after || before->status == STATUS_UNKNOWN ||
				      after->status == STATUS_UNKNOWN))
			c->undecided[c->nundecided++] = ch;
	}
}

/* The hypervisor ran below the OS at the baseline and does not now: the
 * outage itself, a regression whatever the checks say. */
static void compare_running(struct comparison *c)
{
	const struct snap_fact *before = snapshot_fact(c->baseline, LAUNCH_RUNNING_FACT);
	const struct snap_fact *after = snapshot_fact(c->current, LAUNCH_RUNNING_FACT);
	if (!before || strcmp(before->value, "true") != 0 || (after && strcmp(after->value, "true") == 0))
		return;
	c->regressions[c->nregressions++] = (struct check_change){
		LAUNCH_RUNNING_FACT, STATUS_PASS, after && strcmp(after->value, "false") == 0
							    ? STATUS_FAIL : STATUS_UNKNOWN,
		false, false,
		"the hypervisor ran below this OS at the baseline and does not run now",
	};
}

static void compare_facts(struct comparison *c)
{
	const struct snapshot *b = c->baseline, *a = c->current;
	for (size_t i = 0; i < a->nfacts + b->nfacts; i++) {
		bool from_current = i < a->nfacts;
		const struct snap_fact *x = from_current ? &a->facts[i] : &b->facts[i - a->nfacts];
		const struct snap_fact *before = snapshot_fact(b, x->key);
		const struct snap_fact *after = snapshot_fact(a, x->key);
		if ((!from_current && after) || ignored(x->key))
			continue;
		const char *bv = before ? before->value : "null", *av = after ? after->value : "null";
		if (strcmp(bv, av) != 0)
			c->facts[c->nfacts++] = (struct fact_change){ group_of(x->key), x->key, bv, av };
	}
}

static const struct snap_item *find_item(const struct snapshot *s, const struct snap_item *like)
{
	for (size_t i = 0; i < s->nitems; i++)
		if (strcmp(s->items[i].kind, like->kind) == 0 && strcmp(s->items[i].name, like->name) == 0)
			return &s->items[i];
	return NULL;
}

/* The list's entry for an update unless its conditions rule the current
 * host out (another build or firmware): the judgement updates.known_bad
 * and the launch timeline make. A build or firmware not known keeps the
 * mark, as the timeline does. */
static const struct known_issue *known_bad(const struct known_issue_list *known,
					   const struct snapshot *now, const char *name)
{
	return known_issue_applicable(known, name, now->have_build, now->build, now->uefi);
}

static void compare_items(struct comparison *c, const struct known_issue_list *known)
{
	const struct snapshot *b = c->baseline, *a = c->current;
	for (size_t i = 0; i < a->nitems + b->nitems; i++) {
		bool from_current = i < a->nitems;
		const struct snap_item *x = from_current ? &a->items[i] : &b->items[i - a->nitems];
		const struct snap_item *before = find_item(b, x), *after = find_item(a, x);
		if (!from_current && after)
			continue;
		if (before && after && strcmp(before->version, after->version) == 0 &&
		    strcmp(before->state, after->state) == 0)
			continue;
		c->items[c->nitems++] = (struct item_change){ before, after, known_bad(known, a, x->name) };
	}
}

/* Newest first; an unknown time last. ISO 8601 strings sort as times. */
static int by_time_desc(const void *pa, const void *pb)
{
	const struct item_change *x = *(struct item_change *const *)pa;
	const struct item_change *y = *(struct item_change *const *)pb;
	return strcmp(y->after->installed_at, x->after->installed_at);
}

static void find_suspects(struct comparison *c)
{
	if (c->nregressions == 0)
		return;
	for (size_t i = 0; i < c->nitems; i++) {
		struct item_change *ch = &c->items[i];
		bool came = ch->after && installed_is_active(ch->after->state) &&
			    (!ch->before || !installed_is_active(ch->before->state) ||
			     strcmp(ch->before->version, ch->after->version) != 0);
		if (came)
			c->suspects[c->nsuspects++] = ch;
	}
	qsort(c->suspects, c->nsuspects, sizeof(*c->suspects), by_time_desc);
}

bool compare_snapshots(const struct snapshot *baseline, const struct snapshot *current,
		       const struct known_issue_list *known, struct comparison *c)
{
	memset(c, 0, sizeof(*c));
	c->baseline = baseline;
	c->current = current;
	size_t nchecks = baseline->nchecks + current->nchecks;
	size_t nfacts = baseline->nfacts + current->nfacts;
	size_t nitems = baseline->nitems + current->nitems;
	c->regressions = calloc(nchecks + 2, sizeof(*c->regressions));
	c->improvements = calloc(nchecks + 1, sizeof(*c->improvements));
	c->failing = calloc(nchecks + 1, sizeof(*c->failing));
	c->undecided = calloc(nchecks + 1, sizeof(*c->undecided));
	c->facts = calloc(nfacts + 1, sizeof(*c->facts));
	c->items = calloc(nitems + 1, sizeof(*c->items));
	c->suspects = calloc(nitems + 1, sizeof(*c->suspects));
	if (!c->regressions || !c->improvements || !c->failing || !c->undecided || !c->facts ||
	    !c->items || !c->suspects) {
		comparison_free(c);
		return false;
	}
	compare_checks(c);
	compare_running(c);
	compare_facts(c);
	compare_items(c, known);
	find_suspects(c);
	c->outcome = c->nregressions ? COMPARE_REGRESSION
		     : c->nundecided ? COMPARE_UNDECIDED : COMPARE_NO_REGRESSION;
	return true;
}

void comparison_free(struct comparison *c)
{
	free(c->regressions);
	free(c->improvements);
	free(c->failing);
	free(c->undecided);
	free(c->facts);
	free(c->items);
	free(c->suspects);
	memset(c, 0, sizeof(*c));
}

void suspect_remove_command(const struct snap_item *it, const struct snap_item *before,
			    struct strbuf *out)
{
	if (strcmp(it->kind, "windows-update") == 0) {
		const char *digits = strncmp(it->name, "KB", 2) == 0 ? it->name + 2 : it->name;
		sb_printf(out, "wusa /uninstall /kb:%s /norestart, then restart", digits);
	} else if (before && before->version[0]) {
		sb_printf(out, "apt install %s=%s (the version before)", it->name, before->version);
	} else {
		sb_printf(out, "apt remove %s", it->name);
	}
}

void suspect_hold_command(const struct snap_item *it, struct strbuf *out)
{
	if (strcmp(it->kind, "windows-update") == 0)
		sb_printf(out, "pause automatic updates (Settings, Windows Update) or decline %s in "
			       "WSUS until a fixed update is out", it->name);
	else
		sb_printf(out, "apt-mark hold %s (apt-mark unhold %s when fixed)", it->name, it->name);
}
