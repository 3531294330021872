/* SPDX-License-Identifier: MIT */
/*
 * JUnit XML as Jenkins, GitLab and Azure DevOps read it: a testsuite per
 * run, a testcase per check (classname: the target). FAIL is a <failure>,
 * UNKNOWN an <error> (the check could not run to a result), SKIP <skipped>;
 * the evidence and the fix are the element's text.
 */
#include "report.h"

#include <string.h>

/* Escape for XML text and attributes. Bytes that are not valid UTF-8, and
 * control characters XML 1.0 forbids, become U+FFFD. */
void xml_escape(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
			   : (c & 0xF8) == 0xF0 ? 4 : 0;
		bool valid = n > 0 && (n == 1 || c >= 0xC2) && !(n == 4 && c > 0xF4);
		for (size_t i = 1; valid && i < n; i++)
			valid = (p[i] & 0xC0) == 0x80;
		if (valid && n == 3) /* no overlongs, no surrogates */
			valid = !(c == 0xE0 && p[1] < 0xA0) && !(c == 0xED && p[1] >= 0xA0);
		if (valid && n == 4)
			valid = !(c == 0xF0 && p[1] < 0x90) && !(c == 0xF4 && p[1] >= 0x90);
		if (!valid || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
			sb_puts(out, "\xEF\xBF\xBD");
			p += valid ? n : 1;
			continue;
		}
		switch (c) {
		case '&': sb_puts(out, "&amp;"); break;
		case '<': sb_puts(out, "&lt;"); break;
		case '>': sb_puts(out, "&gt;"); break;
		case '"': sb_puts(out, "&quot;"); break;
		case '\'': sb_puts(out, "&apos;"); break;
		default: sb_putn(out, (const char *)p, n); break;
		}
		p += n;
	}
}

static void put_details(struct strbuf *out, const struct check_result *r)
{
	for (size_t i = 0; i < r->nitems; i++) {
		struct strbuf v;
		sb_init(&v);
		evidence_value_text(&r->items[i], &v);
		sb_printf(&v, "%s%s%s", r->items[i].source[0] ? " (" : "", r->items[i].source,
			  r->items[i].source[0] ? ")" : "");
		sb_puts(out, "evidence: ");
		xml_escape(out, r->items[i].key);
		sb_puts(out, " = ");
		xml_escape(out, sb_str(&v));
		sb_putc(out, '\n');
		sb_free(&v);
	}
	if (r->note[0]) {
		sb_puts(out, "note: ");
		xml_escape(out, r->note);
		sb_putc(out, '\n');
	}
	if (r->remedy[0]) {
		sb_puts(out, "fix: ");
		xml_escape(out, r->remedy);
		sb_putc(out, '\n');
	}
}

void junit_begin(struct strbuf *out, const char *suite, size_t tests, size_t failures,
		 size_t errors, size_t skipped, int64_t now)
{
	char when[24];
	format_utc(now, when);
	when[19] = '\0'; /* JUnit timestamps carry no zone */
	sb_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sb_printf(out, "<testsuites name=\"hvprobe\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		       "skipped=\"%zu\">\n", tests, failures, errors, skipped);
	sb_puts(out, "  <testsuite name=\"");
	xml_escape(out, suite);
	sb_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
		       "timestamp=\"%s\" time=\"0\">\n", tests, failures, errors, skipped, when);
}

void junit_end(struct strbuf *out)
{
	sb_puts(out, "  </testsuite>\n</testsuites>\n");
}

void report_junit(const struct probe_run *run, const struct report_options *opt,
		  struct strbuf *out)
{
	size_t counts[STATUS_SKIP + 1];
	struct strbuf suite;
	run_counts(run, counts);
	size_t tests = 0;
	for (int s = 0; s <= STATUS_SKIP; s++)
		tests += counts[s];
	sb_init(&suite);
	sb_printf(&suite, "hvprobe %s", run->target->name);
	junit_begin(out, sb_str(&suite), tests, counts[STATUS_FAIL], counts[STATUS_UNKNOWN],
		    counts[STATUS_SKIP], opt->now);
	sb_free(&suite);
	for (int i = 0; i < CHECK_COUNT; i++) {
		const struct check_result *r = &run->result[i];
		if (!run->selected[i])
			continue;
		sb_puts(out, "    <testcase classname=\"");
		xml_escape(out, run->target->name);
		sb_printf(out, "\" name=\"%s\" time=\"0\">\n", r->id);
		static const char *const element[] = { [STATUS_FAIL] = "failure",
						       [STATUS_UNKNOWN] = "error",
						       [STATUS_SKIP] = "skipped" };
		if (r->status == STATUS_FAIL || r->status == STATUS_UNKNOWN || r->status == STATUS_SKIP) {
			sb_printf(out, "      <%s message=\"", element[r->status]);
			xml_escape(out, r->summary);
			sb_printf(out, "\" type=\"%s\">", check_status_label(r->status));
			put_details(out, r);
			sb_printf(out, "</%s>\n", element[r->status]);
		} else {
			sb_puts(out, "      <system-out>");
			sb_printf(out, "%s: ", check_status_label(r->status));
			xml_escape(out, r->summary);
			sb_putc(out, '\n');
			put_details(out, r);
			sb_puts(out, "</system-out>\n");
		}
		sb_puts(out, "    </testcase>\n");
	}
	junit_end(out);
}
