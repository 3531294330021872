/* SPDX-License-Identifier: MIT */
/* The JSON writer: exact output and the escaping of hostile strings. */
#include "helpers.h"

#include <string.h>

#include "report/json_writer.h"

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
		cmocka_unit_test(writes_nested_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
