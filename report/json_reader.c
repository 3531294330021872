/* SPDX-License-Identifier: MIT */
#include "json_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>

/* jsmn's limit on nesting is memory; ours is a sane document size. */
#define JSON_MAX_TOKENS 1000000

static bool digits(const char **p, const char *end)
{
	const char *start = *p;
	while (*p < end && **p >= '0' && **p <= '9')
		(*p)++;
	return *p > start;
}

/* jsmn checks only a primitive's first byte: "tru" or "1x" would pass. */
static bool valid_primitive(const char *s, size_t n)
{
	static const char *const words[] = { "true", "false", "null" };
	for (size_t i = 0; i < 3; i++)
		if (n == strlen(words[i]) && memcmp(s, words[i], n) == 0)
			return true;
	const char *p = s, *end = s + n;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (!digits(&p, end))
		return false;
	if (p < end && *p == '.' && (++p, !digits(&p, end)))
		return false;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!digits(&p, end))
			return false;
	}
	return p == end;
}

static bool jsmn_failed(int code, const jsmn_parser *p, char *err, size_t errsize)
{
	if (code == JSMN_ERROR_PART)
		snprintf(err, errsize, "not complete JSON (truncated?)");
	else
		snprintf(err, errsize, "not JSON (invalid character at byte %u)", p->pos);
	return false;
}

bool json_parse(const char *text, size_t len, struct json_doc *doc, char *err, size_t errsize)
{
	jsmn_parser p;
	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	jsmn_init(&p);
	int n = jsmn_parse(&p, text, len, NULL, 0);
	if (n < 0)
		return jsmn_failed(n, &p, err, errsize);
	if (n == 0 || n > JSON_MAX_TOKENS) {
		snprintf(err, errsize, n ? "too large" : "empty");
		return false;
	}
	jsmntok_t *t = calloc((size_t)n, sizeof(*t));
	doc->tokens = calloc((size_t)n, sizeof(*doc->tokens));
	if (!t || !doc->tokens) {
		free(t);
		json_free(doc);
		snprintf(err, errsize, "out of memory");
		return false;
	}
	jsmn_init(&p);
	n = jsmn_parse(&p, text, len, t, (unsigned)n);
	if (n < 0) { /* only this pass sees an object left open */
		free(t);
		json_free(doc);
		return jsmn_failed(n, &p, err, errsize);
	}
	for (int i = 0; i < n; i++) {
		enum json_type type = t[i].type == JSMN_OBJECT ? JSON_OBJECT
				      : t[i].type == JSMN_ARRAY ? JSON_ARRAY
				      : t[i].type == JSMN_STRING ? JSON_STRING : JSON_PRIMITIVE;
		doc->tokens[i] = (struct json_token){ type, t[i].start, t[i].end, t[i].size };
		if (type == JSON_PRIMITIVE &&
		    !valid_primitive(text + t[i].start, (size_t)(t[i].end - t[i].start))) {
			snprintf(err, errsize, "not JSON (bad value at byte %d)", t[i].start);
			free(t);
			json_free(doc);
			return false;
		}
	}
	free(t);
	doc->ntokens = n;
	if (n <= 0 || doc->tokens[0].type != JSON_OBJECT || json_next(doc, 0) != n) {
		json_free(doc);
		snprintf(err, errsize, "not one JSON object");
		return false;
	}
	/* Only whitespace may follow the object. */
	for (size_t i = (size_t)doc->tokens[0].end; i < len; i++) {
		if (!strchr(" \t\r\n", text[i])) {
			json_free(doc);
			snprintf(err, errsize, "text after the JSON object at byte %zu", i);
			return false;
		}
	}
	return true;
}

void json_free(struct json_doc *doc)
{
	free(doc->tokens);
	doc->tokens = NULL;
	doc->ntokens = 0;
}

int json_next(const struct json_doc *doc, int i)
{
	int pending = 1;
	while (pending > 0 && i < doc->ntokens) {
		pending += doc->tokens[i].size - 1;
		i++;
	}
	return i;
}

static bool token_is(const struct json_doc *doc, int i, const char *s)
{
	const struct json_token *t = &doc->tokens[i];
	size_t n = (size_t)(t->end - t->start);
	return t->type == JSON_STRING && strlen(s) == n && memcmp(doc->text + t->start, s, n) == 0;
}

int json_get(const struct json_doc *doc, int obj, const char *key)
{
	if (obj < 0 || obj >= doc->ntokens || doc->tokens[obj].type != JSON_OBJECT)
		return -1;
	int i = obj + 1;
	for (int k = 0; k < doc->tokens[obj].size && i < doc->ntokens; k++) {
		if (token_is(doc, i, key))
			return i + 1 < doc->ntokens ? i + 1 : -1;
		i = json_next(doc, i + 1); /* past the key's value */
	}
	return -1;
}

static int hex4(const char *s)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static size_t utf8_of(unsigned long c, char *b)
{
	if (c < 0x80) {
		b[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		b[0] = (char)(0xC0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		b[0] = (char)(0xE0 | c >> 12);
		b[1] = (char)(0x80 | (c >> 6 & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | c >> 18);
	b[1] = (char)(0x80 | (c >> 12 & 0x3F));
	b[2] = (char)(0x80 | (c >> 6 & 0x3F));
	b[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* One escape after the backslash at s[0]; the bytes in b, *used the input. */
static size_t unescape(const char *s, const char *end, char *b, size_t *used)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p = s + 1 < end ? strchr(from, s[1]) : NULL;
	if (p && s[1]) {
		*used = 2;
		b[0] = to[p - from];
		return 1;
	}
	if (s + 6 > end || s[1] != 'u')
		return 0;
	int u = hex4(s + 2);
	if (u < 0)
		return 0;
	unsigned long c = (unsigned long)u;
	*used = 6;
	if (u >= 0xD800 && u <= 0xDBFF && s + 12 <= end && s[6] == '\\' && s[7] == 'u') {
		int lo = hex4(s + 8);
		if (lo >= 0xDC00 && lo <= 0xDFFF) {
			c = 0x10000 + ((unsigned long)(u - 0xD800) << 10) + (unsigned long)(lo - 0xDC00);
			*used = 12;
		}
	}
	if (c >= 0xD800 && c <= 0xDFFF)
		c = 0xFFFD; /* half a pair */
	return utf8_of(c, b);
}

bool json_string(const struct json_doc *doc, int i, char *out, size_t size)
{
	if (i < 0 || i >= doc->ntokens || doc->tokens[i].type != JSON_STRING || size == 0)
		return false;
	const char *s = doc->text + doc->tokens[i].start, *end = doc->text + doc->tokens[i].end;
	size_t o = 0;
	bool fits = true;
	while (s < end) {
		char b[4];
		size_t n = 1, used = 1;
		if (*s == '\\') {
			n = unescape(s, end, b, &used);
			if (n == 0)
				return false;
		} else {
			b[0] = *s;
		}
		if (fits && o + n < size) {
			memcpy(out + o, b, n);
			o += n;
		} else {
			fits = false;
		}
		s += used;
	}
	if (!fits) { /* a cut string may end inside a character: drop that part */
		size_t start = o;
		while (start > 0 && ((unsigned char)out[start - 1] & 0xC0) == 0x80 && o - start < 3)
			start--;
		if (start > 0 && ((unsigned char)out[start - 1] & 0xC0) == 0xC0) {
			unsigned char lead = (unsigned char)out[start - 1];
			size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
			if (o - start + 1 < want)
				o = start - 1;
		}
	}
	out[o] = '\0';
	return true;
}

bool json_primitive(const struct json_doc *doc, int i, char *out, size_t size)
{
	if (i < 0 || i >= doc->ntokens || doc->tokens[i].type != JSON_PRIMITIVE)
		return false;
	int n = doc->tokens[i].end - doc->tokens[i].start;
	snprintf(out, size, "%.*s", n, doc->text + doc->tokens[i].start);
	return true;
}

bool json_is_null(const struct json_doc *doc, int i)
{
	return i >= 0 && i < doc->ntokens && doc->tokens[i].type == JSON_PRIMITIVE &&
	       doc->tokens[i].end - doc->tokens[i].start == 4 &&
	       memcmp(doc->text + doc->tokens[i].start, "null", 4) == 0;
}
