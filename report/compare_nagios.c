/* SPDX-License-Identifier: MIT */
/*
 * A comparison as a Nagios plugin's output (docs/formats.md): the status
 * line "HVPROBE STATE - summary | perfdata", then a line per regression and
 * per suspect with the command that removes it. '|' starts performance
 * data there, so it never appears in a text. The summary line is also the
 * syslog message of hvprobe compare.
 */
#include "compare_render.h"
#include "report.h"

int compare_nagios_state(const struct comparison *c)
{
	switch (c->outcome) {
	case COMPARE_REGRESSION: return 2;
	case COMPARE_UNDECIDED: return 3;
	default: return 0;
	}
}

static void put_plain(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		sb_putc(out, *s == '|' ? '/' : ((unsigned char)*s < 0x20 || *s == 0x7F) ? ' ' : *s);
}

static void put_ids(struct strbuf *out, const struct check_change *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(out, "%s%s", i ? ", " : "", list[i].id);
}

void compare_summary(const struct comparison *c, struct strbuf *line)
{
	if (c->outcome == COMPARE_REGRESSION) {
		sb_printf(line, "%zu regression%s since the baseline: ", c->nregressions,
			  c->nregressions == 1 ? "" : "s");
		put_ids(line, c->regressions, c->nregressions);
		for (size_t i = 0; i < c->nsuspects; i++)
			sb_printf(line, "%s%s", i ? ", " : "; suspects: ", c->suspects[i]->after->name);
	} else if (c->outcome == COMPARE_UNDECIDED) {
		sb_puts(line, "no regression seen, but not decided: ");
		put_ids(line, c->undecided, c->nundecided);
	} else {
		sb_printf(line, "no regression since the baseline (%zu change%s)", c->nitems + c->nfacts,
			  c->nitems + c->nfacts == 1 ? "" : "s");
	}
}

void compare_nagios(const struct comparison *c, struct strbuf *out)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
	struct strbuf line;
	sb_init(&line);
	compare_summary(c, &line);
	sb_printf(out, "HVPROBE %s - ", names[compare_nagios_state(c)]);
	put_plain(out, sb_str(&line));
	sb_free(&line);
	sb_printf(out, " | regressions=%zu;;;0 improvements=%zu;;;0 changes=%zu;;;0 suspects=%zu;;;0\n",
		  c->nregressions, c->nimprovements, c->nitems + c->nfacts, c->nsuspects);
	for (size_t i = 0; i < c->nregressions; i++) {
		sb_printf(out, "%s %s -> %s: ", c->regressions[i].id,
			  check_status_label(c->regressions[i].before),
			  check_status_label(c->regressions[i].after));
		put_plain(out, c->regressions[i].summary);
		sb_putc(out, '\n');
	}
	for (size_t i = 0; i < c->nsuspects; i++) {
		struct strbuf cmd;
		sb_init(&cmd);
		suspect_remove_command(c->suspects[i]->after, c->suspects[i]->before, &cmd);
		sb_printf(out, "suspect %s: remove with ", c->suspects[i]->after->name);
		put_plain(out, sb_str(&cmd));
		sb_putc(out, '\n');
		sb_free(&cmd);
	}
}
