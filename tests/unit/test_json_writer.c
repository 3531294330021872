/* SPDX-License-Identifier: MIT */
/* The JSON writer: exact output and the escaping of hostile strings. */
#include "helpers.h"

#include <string.h>

#include "report/json_writer.h"
#include "report/text_clean.h"

static void escaped(const char *in, size_t n, const char *want)
{
	struct strbuf sb;
	sb_init(&sb);
	json_escape(&sb, in, n);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

static void escapes_quotes_controls_and_bad_utf8(void **state)
{
	(void)state;
	escaped("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
	escaped("\n\t\r\x01\x1b\x7f", 6, "\"\\n\\t\\r\\u0001\\u001b\\u007f\"");
	escaped("\xc2\xa0", 2, "\"\xc2\xa0\"");              /* U+00A0 kept */
	escaped("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");      /* U+20AC kept */
	escaped("\xff", 1, "\"\\ufffd\"");                    /* not UTF-8 */
	escaped("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");         /* overlong */
	escaped("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate */
	escaped("\xe2\x82", 2, "\"\\ufffd\\ufffd\"");         /* truncated */
	escaped("a\0b", 3, "\"a\\u0000b\"");
}

static void cleaned(const char *in, const char *want)
{
	struct strbuf sb;
	sb_init(&sb);
	text_put_clean(&sb, in);
	assert_string_equal(sb_str(&sb), want);
	sb_free(&sb);
}

/* What reaches a terminal: nothing that moves the cursor, recolours,
 * retitles or reorders; everything else as it is. */
static void terminal_text_is_cleaned(void **state)
{
	(void)state;
	cleaned("Windows 10", "Windows 10");
	cleaned("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	cleaned("a\x1b[31mred\x1b[0m", "a?[31mred?[0m");           /* ESC (C0) */
	cleaned("\x1b]0;owned\x07title", "?]0;owned?title");         /* OSC title change */
	cleaned("x\x7fy\ttab\nnl", "x?y?tab?nl");                     /* DEL, tab, newline */
	cleaned("\xc2\x9b" "31m C1 CSI", "?31m C1 CSI");                /* U+009B */
	cleaned("\xc2\x85next line", "?next line");                    /* U+0085 */
	cleaned("evil\xe2\x80\xaetxt.exe", "evil?txt.exe");            /* U+202E RLO */
	cleaned("\xe2\x81\xa6iso\xe2\x81\xa9", "?iso?");             /* U+2066, U+2069 */
	cleaned("\xd8\x9c\xe2\x80\x8f", "??");                        /* U+061C, U+200F */
	cleaned("\xff\xc0\xaf bad", "??? bad");                        /* not UTF-8, overlong */
	cleaned("\xed\xa0\x80", "???");                                /* a surrogate */
	cleaned("cut \xe2\x82", "cut ??");                              /* cut short */
}

static void writes_nested_document(void **state)
{
	(void)state;
	struct strbuf sb;
	struct json_writer w;
	sb_init(&sb);
	jw_init(&w, &sb);
	jw_object_begin(&w, NULL);
	jw_string(&w, "s", "x");
	jw_bool(&w, "b", true);
	jw_int(&w, "i", -3);
	jw_null(&w, "n");
	jw_array_begin(&w, "a");
	jw_string(&w, NULL, NULL);
	jw_object_begin(&w, NULL);
	jw_object_end(&w);
	jw_array_end(&w);
	jw_array_begin(&w, "e");
	jw_array_end(&w);
	jw_object_end(&w);
	assert_string_equal(sb_str(&sb), "{\n"
					 "  \"s\": \"x\",\n"
					 "  \"b\": true,\n"
					 "  \"i\": -3,\n"
					 "  \"n\": null,\n"
					 "  \"a\": [\n"
					 "    null,\n"
					 "    {}\n"
					 "  ],\n"
					 "  \"e\": []\n"
					 "}\n");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_quotes_controls_and_bad_utf8),
		cmocka_unit_test(terminal_text_is_cleaned),
		cmocka_unit_test(writes_nested_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
