/* SPDX-License-Identifier: MIT */
/* The comparison in the monitoring and CI formats (docs/formats.md): the
 * same regressions and suspects as the text, in Nagios, Prometheus and
 * JUnit form. */
#include <string.h>

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

void compare_prometheus(const struct comparison *c, int64_t now, struct strbuf *out)
{
	prometheus_family(out, "hvprobe_compare_result",
			  "Since the baseline: 0 no regression, 1 regression, 2 undecided (the exit code).");
	sb_printf(out, "hvprobe_compare_result %d\n", compare_exit_code(c->outcome));
	prometheus_family(out, "hvprobe_compare_regressions", "Checks that got worse since the baseline.");
	sb_printf(out, "hvprobe_compare_regressions %zu\n", c->nregressions);
	prometheus_family(out, "hvprobe_compare_changes", "Updates and facts that changed since the baseline.");
	sb_printf(out, "hvprobe_compare_changes %zu\n", c->nitems + c->nfacts);
	prometheus_family(out, "hvprobe_compare_suspects", "Updates added since the baseline, when something regressed.");
	sb_printf(out, "hvprobe_compare_suspects %zu\n", c->nsuspects);
	prometheus_family(out, "hvprobe_check_status",
			  "Each check's status now: 1 for the status it has, 0 for the others.");
	for (size_t i = 0; i < c->current->nchecks; i++) {
		const struct snap_check *k = &c->current->checks[i];
		for (int s = 0; s <= STATUS_SKIP; s++) {
			sb_puts(out, "hvprobe_check_status{check=\"");
			prometheus_label_value(out, k->id); /* ids come from a file */
			sb_printf(out, "\",status=\"%s\"} %d\n", check_status_name((enum check_status)s),
				  k->status == (enum check_status)s);
		}
	}
	prometheus_info(out, c->current->target, now);
}

static void junit_case(struct strbuf *out, const char *classname, const char *name,
		       const char *element, const char *message, const char *body)
{
	sb_puts(out, "    <testcase classname=\"");
	xml_escape(out, classname);
	sb_puts(out, "\" name=\"");
	xml_escape(out, name);
	sb_puts(out, "\" time=\"0\"");
	if (!element) {
		sb_puts(out, "/>\n");
		return;
	}
	sb_printf(out, ">\n      <%s message=\"", element);
	xml_escape(out, message);
	sb_puts(out, "\">");
	xml_escape(out, body);
	sb_printf(out, "</%s>\n    </testcase>\n", element);
}

void compare_junit(const struct comparison *c, int64_t now, struct strbuf *out)
{
	struct strbuf msg, body;
	sb_init(&msg);
	sb_init(&body);
	size_t tests = c->nregressions + c->nundecided + 1;
	junit_begin(out, "hvprobe compare", tests, c->nregressions, c->nundecided, 0, now);
	for (size_t i = 0; i < c->nregressions; i++) {
		const struct check_change *r = &c->regressions[i];
		msg.len = body.len = 0;
		sb_printf(&msg, "%s -> %s: %s", check_status_label(r->before), check_status_label(r->after),
			  r->summary);
		for (size_t k = 0; k < c->nsuspects; k++) {
			sb_printf(&body, "suspect %s: ", c->suspects[k]->after->name);
			suspect_remove_command(c->suspects[k]->after, c->suspects[k]->before, &body);
			sb_putc(&body, '\n');
		}
		junit_case(out, c->current->target, r->id, "failure", sb_str(&msg), sb_str(&body));
	}
	for (size_t i = 0; i < c->nundecided; i++) {
		const struct check_change *u = &c->undecided[i];
		junit_case(out, c->current->target, u->id, "error", u->summary, "");
	}
	msg.len = 0;
	sb_printf(&msg, "%zu regression%s", c->nregressions, c->nregressions == 1 ? "" : "s");
	junit_case(out, "hvprobe.compare", "no regression since the baseline",
		   c->nregressions ? "failure" : NULL, sb_str(&msg), "");
	junit_end(out);
	sb_free(&msg);
	sb_free(&body);
}
