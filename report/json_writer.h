/* SPDX-License-Identifier: MIT */
/*
 * A small JSON writer into a strbuf. Strings are always emitted as valid
 * UTF-8: control bytes are escaped and invalid byte sequences (a BCD
 * description or CPU brand can hold anything) become U+FFFD.
 */
#ifndef HVPROBE_JSON_WRITER_H
#define HVPROBE_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "../probe/strbuf.h"

#define JSON_MAX_DEPTH 16

struct json_writer {
	struct strbuf *out;
	int depth;
	bool first[JSON_MAX_DEPTH + 1];
};

void jw_init(struct json_writer *w, struct strbuf *out);
/* key is NULL inside arrays and for the top-level value. */
void jw_object_begin(struct json_writer *w, const char *key);
void jw_object_end(struct json_writer *w);
void jw_array_begin(struct json_writer *w, const char *key);
void jw_array_end(struct json_writer *w);
void jw_string(struct json_writer *w, const char *key, const char *value); /* NULL: null */
void jw_string_n(struct json_writer *w, const char *key, const char *value, size_t n);
void jw_bool(struct json_writer *w, const char *key, bool value);
void jw_int(struct json_writer *w, const char *key, long long value);
void jw_null(struct json_writer *w, const char *key);

/* Append s as a JSON string literal (with quotes). */
void json_escape(struct strbuf *out, const char *s, size_t n);

#endif
