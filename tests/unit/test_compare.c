/* SPDX-License-Identifier: MIT */
/* Reading JSON back (jsmn and our decoding), snapshots, and the
 * comparison rules, on documents written here. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json_reader.h"
#include "judge/compare.h"
#include "report/compare_render.h"
#include "report/report.h"

#define ASSERT_CONTAINS(hay, needle)                                               \
	do {                                                                       \
		if (!strstr((hay), (needle)))                                      \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle)); \
	} while (0)

/* ---- json_reader ---- */

static void strings_are_decoded(void **state)
{
	(void)state;
	const char text[] = "{\"e\": -1.5e+3, \"a\": \"q\\\"b\\\\s\\/n\\n\\t\", \"u\": \"\\u00e9\\u00a0\\ud83d\\ude00\","
			    " \"half\": \"x\\ud800y\", \"raw\": \"Д\", \"n\": 12, \"z\": null, \"t\": true}";
	struct json_doc doc;
	char err[128], out[64];
	assert_true(json_parse(text, strlen(text), &doc, err, sizeof(err)));
	assert_true(json_string(&doc, json_get(&doc, 0, "a"), out, sizeof(out)));
	assert_string_equal(out, "q\"b\\s/n\n\t");
	assert_true(json_string(&doc, json_get(&doc, 0, "u"), out, sizeof(out)));
	assert_string_equal(out, "\xc3\xa9\xc2\xa0\xf0\x9f\x98\x80");
	assert_true(json_string(&doc, json_get(&doc, 0, "half"), out, sizeof(out)));
	assert_string_equal(out, "x\xef\xbf\xbdy");
	assert_true(json_string(&doc, json_get(&doc, 0, "raw"), out, sizeof(out)));
	assert_string_equal(out, "Д");
	assert_false(json_string(&doc, json_get(&doc, 0, "n"), out, sizeof(out))); /* a number */
	assert_true(json_primitive(&doc, json_get(&doc, 0, "n"), out, sizeof(out)));
	assert_string_equal(out, "12");
	assert_true(json_is_null(&doc, json_get(&doc, 0, "z")));
	assert_int_equal(json_get(&doc, 0, "missing"), -1);
	/* cut to fit: never half a character */
	assert_true(json_string(&doc, json_get(&doc, 0, "u"), out, 4));
	assert_string_equal(out, "\xc3\xa9");
	json_free(&doc);
}

static void bad_json_is_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *why;
	} cases[] = {
		{ "", "empty" },
		{ "{\"a\": ", "truncated" },
		{ "{\"a\": tru}", "not JSON (bad value" },
		{ "{\"a\": 01}", "not JSON" },
		{ "{\"a\": 1.}", "not JSON" },
		{ "{\"a\": -}", "not JSON" },
		{ "[1]", "not one JSON object" },
		{ "{} {}", "not one JSON object" },
		{ "{} x", "not" },
		{ "{\"a\": \"\\x\"}", "" }, /* parses; the escape fails on reading */
	};
	for (size_t i = 0; i + 1 < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_doc doc;
		char err[128];
		if (json_parse(cases[i].text, strlen(cases[i].text), &doc, err, sizeof(err)))
			fail_msg("accepted \"%s\"", cases[i].text);
		ASSERT_CONTAINS(err, cases[i].why);
	}
	struct json_doc doc;
	char err[128], out[16];
	const char *bad_escape = "{\"a\": \"\\x\"}";
	if (json_parse(bad_escape, strlen(bad_escape), &doc, err, sizeof(err))) {
		assert_false(json_string(&doc, json_get(&doc, 0, "a"), out, sizeof(out)));
		json_free(&doc);
	}
}

/* A document of `depth` nested arrays in "a", or NULL. */
static char *nested(size_t depth, const char *open, const char *close)
{
	size_t no = strlen(open), nc = strlen(close);
	char *doc = malloc(16 + depth * (no + nc));
	assert_non_null(doc);
	char *p = doc + sprintf(doc, "{\"a\": ");
	for (size_t i = 0; i < depth; i++, p += no)
		memcpy(p, open, no);
	for (size_t i = 0; i < depth; i++, p += nc)
		memcpy(p, close, nc);
	strcpy(p, "}");
	return doc;
}

static bool parses(const char *text, size_t len, char *err, size_t errsize)
{
	struct json_doc doc;
	bool ok = json_parse(text, len, &doc, err, errsize);
	if (ok)
		json_free(&doc);
	return ok;
}

/* Issue 13: 300,000 levels took jsmn 20 s before they were refused. */
static void deep_nesting_is_refused_first(void **state)
{
	(void)state;
	char err[128];
	char *doc = nested(JSON_MAX_DEPTH - 1, "[", "]"); /* with the outer object: the limit */
	if (!parses(doc, strlen(doc), err, sizeof(err)))
		fail_msg("%s", err);
	free(doc);
	doc = nested(JSON_MAX_DEPTH, "[", "]");
	assert_false(parses(doc, strlen(doc), err, sizeof(err)));
	ASSERT_CONTAINS(err, "nested deeper than 64 arrays and objects at byte 69");
	free(doc);
	doc = nested(300000, "[", "]");
	assert_false(parses(doc, strlen(doc), err, sizeof(err)));
	ASSERT_CONTAINS(err, "nested deeper than 64");
	free(doc);
	doc = nested(200000, "{\"k\": ", "}");
	assert_false(parses(doc, strlen(doc), err, sizeof(err)));
	ASSERT_CONTAINS(err, "nested deeper than 64");
	free(doc);
	/* Brackets in strings are text, escaped quotes included. */
	doc = nested(1, "[\"\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"",
		     "]");
	if (!parses(doc, strlen(doc), err, sizeof(err)))
		fail_msg("%s", err);
	free(doc);
	/* jsmn reads a quote inside a primitive as part of it, so no string
	 * starts there to hide the brackets after it: they are seen, and a
	 * value after a value is no JSON. */
	doc = nested(100, "[1\" ", "]");
	assert_false(parses(doc, strlen(doc), err, sizeof(err)));
	assert_string_equal(err, "not JSON (invalid character at byte 10)");
	free(doc);
	/* jsmn takes these; with parent links it would take more. */
	static const char *const loose[] = { "{\"a\": [1 2]}", "{\"a\" 1}", "{\"a\": 1 \"b\": 2}",
					     "{\"a\": [,]}", "{\"a\": [1,]}", "{\"a\": [] []}", "{1: 2}",
					     "{\"a\": {}:}", ",{}", "]{}" };
	for (size_t i = 0; i < sizeof(loose) / sizeof(loose[0]); i++) {
		if (parses(loose[i], strlen(loose[i]), err, sizeof(err)))
			fail_msg("accepted %s", loose[i]);
		ASSERT_CONTAINS(err, "not JSON (invalid character at byte ");
	}
}

static void nul_is_refused(void **state)
{
	(void)state;
	static const char raw[] = "{\"a\": \"x\0y\"}", after[] = "{\"a\": 1}\0";
	char err[128];
	assert_false(parses(raw, sizeof(raw) - 1, err, sizeof(err)));
	assert_string_equal(err, "a NUL byte at byte 8");
	assert_false(parses(after, sizeof(after) - 1, err, sizeof(err)));
	assert_string_equal(err, "a NUL byte at byte 8");
	const char *escaped = "{\"a\": \"secret\\u0000more\"}";
	assert_false(parses(escaped, strlen(escaped), err, sizeof(err)));
	assert_string_equal(err, "a NUL character (\\u0000) in a string at byte 13");
	const char *key = "{\"k\\u0000\": 1}";
	assert_false(parses(key, strlen(key), err, sizeof(err)));
	/* An escaped backslash before u0000 is the text \u0000. */
	const char *text = "{\"a\": \"\\\\u0000\"}";
	struct json_doc doc;
	char out[16];
	assert_true(json_parse(text, strlen(text), &doc, err, sizeof(err)));
	assert_true(json_string(&doc, json_get(&doc, 0, "a"), out, sizeof(out)));
	assert_string_equal(out, "\\u0000");
	json_free(&doc);
}

static void repeated_keys_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool ok;
	} cases[] = {
		{ "{\"secret\": 1, \"secret\": 2}", false },
		{ "{\"secret\": 1, \"b\": {}, \"\\u0073ecret\": 2}", false }, /* the same key, escaped */
		{ "{\"a\": {\"secret\": 1, \"x\": [1, {\"secret\": 2, \"secret\": 3}]}}", false },
		{ "{\"secret\": {\"secret\": 1}, \"b\": {\"secret\": 2}, \"c\": [\"secret\", \"secret\"]}", true },
		{ "{\"secret\": 1, \"Secret\": 2, \"secret \": 3, \"secre\": 4}", true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[128] = "";
		if (parses(cases[i].text, strlen(cases[i].text), err, sizeof(err)) != cases[i].ok)
			fail_msg("case %zu: %s", i, cases[i].ok ? err : "accepted");
		if (!cases[i].ok) {
			ASSERT_CONTAINS(err, "a key repeated in one object at byte ");
			assert_null(strstr(err, "secret")); /* never quotes the input */
		}
	}
}

/* 200,000 keys in one object: sorted, not compared pairwise. */
static void wide_objects(void **state)
{
	(void)state;
	size_t n = 200000;
	char *doc = malloc(n * 24 + 32), *p = doc, err[128];
	assert_non_null(doc);
	*p++ = '{';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s\"k%zu\": %zu", i ? ", " : "", i, i);
	strcpy(p, "}");
	if (!parses(doc, strlen(doc), err, sizeof(err)))
		fail_msg("%s", err);
	sprintf(p, ", \"k%zu\": 0}", n / 2); /* over the brace: one key again, at the end */
	assert_false(parses(doc, strlen(doc), err, sizeof(err)));
	ASSERT_CONTAINS(err, "a key repeated in one object");
	free(doc);
}

/* ---- snapshots ---- */

static const char baseline_json[] =
	"{\"schema\": \"hvprobe/1\", \"snapshot\": {\"taken_at\": \"2026-11-27T10:00:00Z\"},"
	" \"tool\": {\"name\": \"hvprobe\", \"version\": \"0.1.0\"},"
	" \"host\": {\"hostname\": \"hv01\", \"os\": \"Linux 6.1\", \"machine_id\": \"abc\"},"
	" \"target\": \"hyperv\", \"verdict\": \"pass\", \"future\": [1, {\"x\": 2}],"
	" \"checks\": ["
	"  {\"id\": \"bcd.hypervisorlaunchtype\", \"status\": \"pass\", \"level\": \"required\", \"summary\": \"Auto\"},"
	"  {\"id\": \"fw.virt_enabled\", \"status\": \"unknown\", \"level\": \"required\", \"summary\": \"no MSR\"},"
	"  {\"id\": \"cpu.slat\", \"status\": \"fail\", \"level\": \"required\", \"summary\": \"none\"},"
	"  {\"id\": \"hv.running\", \"status\": \"warn\", \"level\": \"advisory\", \"summary\": \"x\"}],"
	" \"facts\": {\"cpu\": {\"vendor\": \"GenuineIntel\", \"microcode\": \"0xf0\", \"vmx\": true},"
	"  \"bcd\": {\"hypervisorlaunchtype\": \"Auto\", \"inherited_from\": [\"{a}\", \"{b}\"], \"path\": \"/x\"},"
	"  \"installed\": {\"source\": \"SOFTWARE\", \"items\": ["
	"   {\"kind\": \"windows-update\", \"name\": \"KB1\", \"version\": \"p1\", \"state\": \"installed\","
	"    \"installed_at\": \"2022-01-01T00:00:00Z\"}]}}}";

static void parse(const char *json, struct snapshot *s)
{
	char err[200];
	if (!snapshot_parse(json, strlen(json), s, err, sizeof(err)))
		fail_msg("%s", err);
}

static void snapshot_reads_what_it_needs(void **state)
{
	(void)state;
	struct snapshot s;
	parse(baseline_json, &s);
	assert_string_equal(s.target, "hyperv");
	assert_string_equal(s.taken_at, "2026-11-27T10:00:00Z");
	assert_string_equal(s.machine_id, "abc");
	assert_int_equal(s.nchecks, 4);
	assert_int_equal(s.checks[1].status, STATUS_UNKNOWN);
	assert_string_equal(snapshot_fact(&s, "cpu.microcode")->value, "0xf0");
	assert_string_equal(snapshot_fact(&s, "cpu.vmx")->value, "true");
	assert_string_equal(snapshot_fact(&s, "bcd.inherited_from")->value, "{a}, {b}");
	assert_string_equal(snapshot_fact(&s, "os")->value, "Linux 6.1");
	assert_int_equal(s.nitems, 1);
	assert_string_equal(s.items[0].installed_at, "2022-01-01T00:00:00Z");
	snapshot_free(&s);
}

static void snapshot_errors_name_the_key(void **state)
{
	(void)state;
	static const struct {
		const char *from, *to, *why;
	} cases[] = {
		{ "\"schema\": \"hvprobe/1\"", "\"schema\": \"hvprobe/9\"", "another schema than the \"hvprobe/1\"" },
		{ "\"target\": \"hyperv\"", "\"target\": 7", "key \"target\": expected a string" },
		{ "\"checks\": [", "\"checkz\": [", "key \"checks\": missing" },
		{ "\"status\": \"pass\"", "\"status\": \"fine\"", "key \"checks[].status\"" },
		{ "\"host\": {", "\"host\": [], \"h\": {", "key \"host\": expected an object" },
		{ "\"name\": \"KB1\"", "\"nam\": \"KB1\"", "key \"facts.installed.items[].name\": missing" },
		{ "\"machine_id\": \"abc\"", "\"machine_id\": 5", "key \"host.machine_id\"" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char json[4096], err[200];
		const char *at = strstr(baseline_json, cases[i].from);
		assert_non_null(at);
		snprintf(json, sizeof(json), "%.*s%s%s", (int)(at - baseline_json), baseline_json,
			 cases[i].to, at + strlen(cases[i].from));
		struct snapshot s;
		if (snapshot_parse(json, strlen(json), &s, err, sizeof(err)))
			fail_msg("case %zu accepted", i);
		ASSERT_CONTAINS(err, cases[i].why);
	}
}

/* ---- comparing ---- */

/* The baseline with some text replaced: the "after" side. */
static void parse_changed(struct snapshot *s, const char *from, const char *to)
{
	static char json[4096];
	const char *at = strstr(baseline_json, from);
	assert_non_null(at);
	snprintf(json, sizeof(json), "%.*s%s%s", (int)(at - baseline_json), baseline_json, to,
		 at + strlen(from));
	parse(json, s);
}

static void no_change_no_regression(void **state)
{
	(void)state;
	struct snapshot a, b;
	struct comparison c;
	parse(baseline_json, &a);
	parse(baseline_json, &b);
	assert_true(compare_snapshots(&a, &b, NULL, &c));
	assert_int_equal(c.nregressions + c.nimprovements + c.nfacts + c.nitems + c.nsuspects, 0);
	assert_int_equal(c.nfailing, 1);   /* cpu.slat: failing both times, required */
	assert_int_equal(c.nundecided, 1); /* fw.virt_enabled: unknown both times, required */
	assert_int_equal(c.outcome, COMPARE_UNDECIDED);
	assert_int_equal(compare_exit_code(c.outcome), 2);
	comparison_free(&c);
	snapshot_free(&a);
	snapshot_free(&b);
}

static void regression_with_suspects_newest_first(void **state)
{
	(void)state;
	struct snapshot a, b;
	struct comparison c;
	struct known_issue_list known = { 0 };
	struct known_issue k = { .id = "KB3", .platforms = "windows", .symptom = "breaks it", .source = "lab", .fix = "remove it" };
	assert_true(known_issues_add(&known, &k));
	parse(baseline_json, &a);
	/* After: launch type Off, microcode 0xf4, KB1 gone, KB2 and KB3 added
	 * (KB3 newer), KB4 only staged. */
	static const char launch_auto[] = "\"status\": \"pass\", \"level\": \"required\", \"summary\": \"Auto\"";
	char json[4096];
	const char *at = strstr(baseline_json, launch_auto);
	const char *kb = strstr(baseline_json, "{\"kind\": \"windows-update\", \"name\": \"KB1\"");
	const char *kb_end = strstr(kb, "}") + 1;
	const char *mc = strstr(baseline_json, "\"0xf0\"");
	snprintf(json, sizeof(json),
		 "%.*s\"status\": \"fail\", \"level\": \"required\", \"summary\": \"Off\"%.*s\"0xf4\"%.*s"
		 "{\"kind\": \"windows-update\", \"name\": \"KB2\", \"state\": \"installed\", \"installed_at\": \"2022-01-02T00:00:00Z\"},"
		 "{\"kind\": \"windows-update\", \"name\": \"KB4\", \"state\": \"staged\", \"installed_at\": \"2022-01-04T00:00:00Z\"},"
		 "{\"kind\": \"windows-update\", \"name\": \"KB3\", \"state\": \"installed\", \"installed_at\": \"2022-01-03T00:00:00Z\"}%s",
		 (int)(at - baseline_json), baseline_json,
		 (int)(mc - (at + strlen(launch_auto))), at + strlen(launch_auto),
		 (int)(kb - (mc + 6)), mc + 6, kb_end);
	parse(json, &b);
	assert_true(compare_snapshots(&a, &b, &known, &c));
	assert_int_equal(c.outcome, COMPARE_REGRESSION);
	assert_int_equal(c.nregressions, 1);
	assert_string_equal(c.regressions[0].id, "bcd.hypervisorlaunchtype");
	assert_int_equal(c.nitems, 4); /* KB2, KB4, KB3 added; KB1 removed */
	assert_int_equal(c.nsuspects, 2); /* KB4 is only staged */
	assert_string_equal(c.suspects[0]->after->name, "KB3");
	assert_non_null(c.suspects[0]->known);
	assert_string_equal(c.suspects[1]->after->name, "KB2");
	assert_null(c.suspects[1]->known);
	bool microcode = false;
	for (size_t i = 0; i < c.nfacts; i++)
		if (strcmp(c.facts[i].key, "cpu.microcode") == 0) {
			microcode = true;
			assert_int_equal(c.facts[i].group, GROUP_MICROCODE_KERNEL);
			assert_string_equal(c.facts[i].after, "0xf4");
		}
	assert_true(microcode);

	struct strbuf out;
	sb_init(&out);
	compare_text(&c, "before.json", &out);
	ASSERT_CONTAINS(sb_str(&out), "Suspects, newest first (2):");
	ASSERT_CONTAINS(sb_str(&out), "wusa /uninstall /kb:3 /norestart");
	ASSERT_CONTAINS(sb_str(&out), "result:  REGRESSION: 1 check got worse");
	out.len = 0;
	compare_json(&c, "before.json", &out);
	ASSERT_CONTAINS(sb_str(&out), "\"result\": \"regression\"");
	sb_free(&out);
	comparison_free(&c);
	snapshot_free(&a);
	snapshot_free(&b);
	known_issues_free(&known);
}

/* A snapshot whose facts begin with `facts` and hold KB5009624 installed,
 * or nothing installed. */
static void parse_host(struct snapshot *s, const char *facts, bool installed)
{
	char json[1024];
	snprintf(json, sizeof(json),
		 "{\"schema\": \"hvprobe/1\", \"host\": {}, \"target\": \"hyperv\","
		 " \"verdict\": \"fail\", \"checks\": [], \"facts\": {%s \"installed\": {\"items\": [%s]}}}",
		 facts, installed ? "{\"kind\": \"windows-update\", \"name\": \"KB5009624\","
				    " \"state\": \"installed\"}" : "");
	parse(json, s);
}

/* KB5009624 stops Hyper-V only on Server 2012 R2 (build 9600) booted by
 * UEFI (data/known-issues.txt): compare marks it known bad where those
 * conditions hold or are not known, as updates.known_bad and the
 * timeline do, and not on a host they rule out. */
static void known_bad_only_where_its_conditions_hold(void **state)
{
	(void)state;
	static const struct {
		const char *facts;
		bool marked;
	} cases[] = {
		{ "\"windows\": {\"build\": \"9600.20207\"}, \"launch\": {\"intent\": {\"uefi\": true}},", true },
		{ "\"windows\": {\"build\": \"9600.20207\"}, \"launch\": {\"intent\": {\"uefi\": false}},", false },
		{ "\"windows\": {\"build\": \"17763.2452\"}, \"launch\": {\"intent\": {\"uefi\": true}},", false },
		{ "\"windows\": {\"build\": \"9600.20207\"}, \"launch\": {\"intent\": {\"uefi\": null}},", true },
		/* a condition known to fail rules it out though the build is not known */
		{ "\"windows\": null, \"launch\": {\"intent\": {\"uefi\": false}},", false },
		{ "\"windows\": null, \"launch\": {\"intent\": {\"uefi\": true}},", true },
		{ "", true }, /* a snapshot older than these facts */
	};
	struct known_issue_list known = { 0 };
	struct known_issue k = { .id = "KB5009624", .platforms = "windows-server-2012r2",
				 .build_min = 9600, .build_max = 9600, .firmware = KNOWN_FIRMWARE_UEFI };
	assert_true(known_issues_add(&known, &k));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct snapshot a, b;
		struct comparison c;
		parse_host(&a, cases[i].facts, false);
		parse_host(&b, cases[i].facts, true);
		assert_true(compare_snapshots(&a, &b, &known, &c));
		assert_int_equal(c.nitems, 1);
		if ((c.items[0].known != NULL) != cases[i].marked)
			fail_msg("case %zu: %s", i, cases[i].marked ? "not marked" : "marked");
		comparison_free(&c);
		snapshot_free(&a);
		snapshot_free(&b);
	}
	known_issues_free(&known);
}

static void snapshot_reads_the_conditions(void **state)
{
	(void)state;
	struct snapshot s;
	parse_host(&s, "\"windows\": {\"build\": \"9600.20207\"}, \"launch\": {\"intent\": {\"uefi\": false}},", false);
	assert_true(s.have_build);
	assert_int_equal(s.build.build, 9600);
	assert_int_equal(s.build.ubr, 20207);
	assert_int_equal(s.uefi, 0);
	snapshot_free(&s);
	parse(baseline_json, &s); /* neither fact: not known */
	assert_false(s.have_build);
	assert_int_equal(s.uefi, -1);
	snapshot_free(&s);
}

static void improvement_and_ignored_facts(void **state)
{
	(void)state;
	struct snapshot a, b;
	struct comparison c;
	parse(baseline_json, &a);
	parse_changed(&b, "\"status\": \"fail\", \"level\": \"required\", \"summary\": \"none\"",
		      "\"status\": \"pass\", \"level\": \"required\", \"summary\": \"EPT\"");
	assert_true(compare_snapshots(&a, &b, NULL, &c));
	assert_int_equal(c.nimprovements, 1);
	assert_string_equal(c.improvements[0].id, "cpu.slat");
	comparison_free(&c);
	snapshot_free(&b);
	/* where the store was read from is no change of the host */
	parse_changed(&b, "\"path\": \"/x\"", "\"path\": \"/y\"");
	assert_true(compare_snapshots(&a, &b, NULL, &c));
	assert_int_equal(c.nfacts, 0);
	comparison_free(&c);
	snapshot_free(&a);
	snapshot_free(&b);
}

static void utc_times(void **state)
{
	(void)state;
	char s[24];
	format_utc(0, s);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
	format_utc(1641932997, s);
	assert_string_equal(s, "2022-01-11T20:29:57Z");
	format_utc(951782400, s); /* a leap day */
	assert_string_equal(s, "2000-02-29T00:00:00Z");
	format_utc(4102444799, s);
	assert_string_equal(s, "2099-12-31T23:59:59Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings_are_decoded),
		cmocka_unit_test(bad_json_is_refused),
		cmocka_unit_test(deep_nesting_is_refused_first),
		cmocka_unit_test(nul_is_refused),
		cmocka_unit_test(repeated_keys_are_refused),
		cmocka_unit_test(wide_objects),
		cmocka_unit_test(snapshot_reads_what_it_needs),
		cmocka_unit_test(snapshot_errors_name_the_key),
		cmocka_unit_test(no_change_no_regression),
		cmocka_unit_test(regression_with_suspects_newest_first),
		cmocka_unit_test(known_bad_only_where_its_conditions_hold),
		cmocka_unit_test(snapshot_reads_the_conditions),
		cmocka_unit_test(improvement_and_ignored_facts),
		cmocka_unit_test(utc_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
