/* SPDX-License-Identifier: MIT */
/* The comparison for people: what got worse first, then what changed,
 * then the suspects with how to remove and hold each. */
#include <stdio.h>
#include <string.h>

#include "compare_render.h"
#include "text_clean.h"

static const char *const group_titles[GROUP_COUNT] = {
	[GROUP_BCD] = "BCD settings",
	[GROUP_FIRMWARE] = "firmware state",
	[GROUP_MICROCODE_KERNEL] = "microcode, kernel and Windows build",
	[GROUP_PROCESSOR] = "processor",
	[GROUP_OTHER] = "other facts",
};

static const char *label(const struct check_change *ch, bool after)
{
	if (after ? ch->missing_after : ch->missing_before)
		return "absent";
	return check_status_label(after ? ch->after : ch->before);
}

static void put_checks(struct strbuf *out, const char *title, const struct check_change *list,
		       size_t n)
{
	sb_printf(out, "%s (%zu)%s\n", title, n, n ? ":" : "");
	for (size_t i = 0; i < n; i++) {
		sb_printf(out, "  %-24s %-7s -> %-7s ", list[i].id, label(&list[i], false),
			  label(&list[i], true));
		text_put_clean(out, list[i].summary);
		sb_putc(out, '\n');
	}
}

static void put_item(struct strbuf *out, const struct snap_item *it)
{
	text_put_clean(out, it->name);
	if (it->kind[0] && strcmp(it->kind, "package") == 0 && it->version[0]) {
		sb_putc(out, ' ');
		text_put_clean(out, it->version);
	}
	sb_printf(out, " (%s", it->state[0] ? it->state : "state unknown");
	if (it->installed_at[0])
		sb_printf(out, ", %s", it->installed_at);
	sb_putc(out, ')');
}

static void put_items(const struct comparison *c, struct strbuf *out)
{
	static const char *const kinds[] = { "added", "removed", "changed" };
	for (int k = 0; k < 3; k++) {
		bool first = true;
		for (size_t i = 0; i < c->nitems; i++) {
			const struct item_change *ch = &c->items[i];
			int kind = !ch->before ? 0 : !ch->after ? 1 : 2;
			if (kind != k)
				continue;
			if (first)
				sb_printf(out, "  updates %s:\n", kinds[k]);
			first = false;
			sb_puts(out, "    ");
			if (ch->before && ch->after) {
				put_item(out, ch->before);
				sb_puts(out, " -> ");
			}
			put_item(out, ch->after ? ch->after : ch->before);
			sb_putc(out, '\n');
		}
	}
}

static void put_changes(const struct comparison *c, struct strbuf *out)
{
	sb_printf(out, "\nChanges since the baseline (%zu):\n", c->nitems + c->nfacts);
	put_items(c, out);
	for (int g = 0; g < GROUP_COUNT; g++) {
		bool first = true;
		for (size_t i = 0; i < c->nfacts; i++) {
			const struct fact_change *f = &c->facts[i];
			if ((int)f->group != g)
				continue;
			if (first)
				sb_printf(out, "  %s:\n", group_titles[g]);
			first = false;
			sb_printf(out, "    %s: ", f->key);
			text_put_clean(out, f->before);
			sb_puts(out, " -> ");
			text_put_clean(out, f->after);
			sb_putc(out, '\n');
		}
	}
}

static void put_suspects(const struct comparison *c, struct strbuf *out)
{
	if (c->nregressions == 0)
		return;
	if (c->nsuspects == 0) {
		sb_puts(out, "\nNo update was added since the baseline: look at the changes above "
			     "(firmware, BCD, microcode) for the cause.\n");
		return;
	}
	sb_printf(out, "\nSuspects, newest first (%zu):\n", c->nsuspects);
	for (size_t i = 0; i < c->nsuspects; i++) {
		const struct item_change *ch = c->suspects[i];
		sb_puts(out, "  ");
		put_item(out, ch->after);
		sb_putc(out, '\n');
		if (ch->known) {
			sb_puts(out, "      known bad: ");
			text_put_clean(out, ch->known->symptom);
			sb_putc(out, '\n');
		}
		sb_puts(out, "      remove:    ");
		suspect_remove_command(ch->after, ch->before, out);
		sb_puts(out, "\n      hold:      ");
		suspect_hold_command(ch->after, out);
		sb_putc(out, '\n');
	}
}

static void put_side(struct strbuf *out, const char *what, const struct snapshot *s, const char *name)
{
	sb_printf(out, "%-9s ", what);
	text_put_clean(out, name);
	const char *who = s->hostname[0] ? s->hostname : s->machine_id[0] ? s->machine_id : "host unknown";
	if (s->hostname[0] || s->machine_id[0] || s->taken_at[0]) {
		sb_puts(out, " (");
		text_put_clean(out, who);
		if (s->taken_at[0])
			sb_printf(out, ", %s", s->taken_at);
		sb_putc(out, ')');
	}
	sb_printf(out, ": target %s, verdict %s\n", s->target, s->verdict);
}

void compare_text(const struct comparison *c, const char *baseline_name, struct strbuf *out)
{
	sb_printf(out, "hvprobe %s: compare\n", HVPROBE_VERSION);
	put_side(out, "baseline:", c->baseline, baseline_name);
	put_side(out, "current:", c->current, "now");
	sb_putc(out, '\n');
	put_checks(out, "Regressions", c->regressions, c->nregressions);
	put_checks(out, "Improvements", c->improvements, c->nimprovements);
	put_checks(out, "Still failing", c->failing, c->nfailing);
	if (c->nundecided)
		put_checks(out, "Not decided (unknown or on one side only)", c->undecided, c->nundecided);
	put_changes(c, out);
	put_suspects(c, out);
	switch (c->outcome) {
	case COMPARE_REGRESSION:
		sb_printf(out, "\nresult:  REGRESSION: %zu check%s got worse since the baseline\n",
			  c->nregressions, c->nregressions == 1 ? "" : "s");
		break;
	case COMPARE_UNDECIDED:
		sb_puts(out, "\nresult:  UNDECIDED: nothing got worse that could be seen, but a required "
			     "check is unknown (see above)\n");
		break;
	default:
		sb_puts(out, "\nresult:  NO REGRESSION\n");
		break;
	}
}
