/* SPDX-License-Identifier: MIT */
/* A comparison as a JUnit XML test suite (docs/formats.md): a failing case
 * per regression, with the suspects and their remedies, an error per check
 * left undecided, and one case for the comparison as a whole. */
#include "compare_render.h"
#include "report.h"

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
