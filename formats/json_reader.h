/* SPDX-License-Identifier: MIT */
/*
 * Reading JSON back (a snapshot): jsmn tokenizes, this walks the tokens
 * with strict types and decodes strings (escapes, \u surrogate pairs) to
 * UTF-8. Every failure says which key and why.
 */
#ifndef HVPROBE_JSON_READER_H
#define HVPROBE_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_PRIMITIVE };

struct json_token {
	enum json_type type;
	int start, end, size; /* byte range in the text; children (keys for objects) */
};

struct json_doc {
	const char *text;
	int ntokens;
	struct json_token *tokens;
};

/* Arrays and objects nest at most this deep (the outermost object is
 * level 1). Deeper documents are refused in a pass before tokenizing, so
 * hostile nesting costs linear time (issue 13). */
#define JSON_MAX_DEPTH 64

/* Tokenize text (one object, nothing after it); false with the reason,
 * which names a byte offset and never quotes the text. Refused besides
 * bad JSON: nesting deeper than JSON_MAX_DEPTH, a NUL byte anywhere or a
 * \u0000 escape (readers disagree on where such a string ends), and a key
 * repeated in one object (readers disagree on which value counts). */
bool json_parse(const char *text, size_t len, struct json_doc *doc, char *err, size_t errsize);
void json_free(struct json_doc *doc);

/* The token after the whole value at i (its subtree skipped). */
int json_next(const struct json_doc *doc, int i);

/* The value of key in the object at i, or -1. */
int json_get(const struct json_doc *doc, int obj, const char *key);

/* The n-th element of the array at i: iterate with json_next from i + 1. */

/* The string at i decoded into out (cut to fit on a character boundary);
 * false when the token is not a string or holds a bad escape. */
bool json_string(const struct json_doc *doc, int i, char *out, size_t size);

/* true, false, null, or a number, as its text; false for other tokens. */
bool json_primitive(const struct json_doc *doc, int i, char *out, size_t size);

bool json_is_null(const struct json_doc *doc, int i);

#endif
