/* SPDX-License-Identifier: MIT */
#include "json_reader.h"
#include "../probe/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSMN_STATIC
#define JSMN_STRICT
/* With parent links a closing bracket walks up to its opener instead of
 * back over every token before it. */
#define JSMN_PARENT_LINKS
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

/* ---- the pass before jsmn's: NUL bytes, nesting, grammar ---- */

static bool refuse_at(char *err, size_t errsize, const char *what, size_t at)
{
	snprintf(err, errsize, "%s at byte %zu", what, at);
	return false;
}

/* From the opening quote at *i to the closing one (or the end); false at
 * a NUL character, raw or escaped. */
static bool skip_string(const char *text, size_t len, size_t *i, char *err, size_t errsize)
{
	for (size_t j = *i + 1; j < len; j++) {
		if (text[j] == '\0')
			return refuse_at(err, errsize, "a NUL byte", j);
		if (text[j] == '\\') {
			if (j + 5 < len && memcmp(text + j + 1, "u0000", 5) == 0)
				return refuse_at(err, errsize, "a NUL character (\\u0000) in a string",
						 j);
			j++; /* the escaped character is text, even a quote */
		} else if (text[j] == '"') {
			*i = j;
			return true;
		}
	}
	*i = len;
	return true;
}

/* jsmn ends a primitive only at whitespace, ',', ']' or '}' (a quote or a
 * bracket inside one is part of it); valid_primitive judges it later. */
static size_t skip_primitive(const char *text, size_t len, size_t i)
{
	while (i + 1 < len && text[i + 1] != '\0' && !strchr(" \t\r\n,]}", text[i + 1]))
		i++;
	return i;
}

/* What may come next inside a container. */
enum expect { EXPECT_VALUE, EXPECT_KEY, EXPECT_COLON, EXPECT_NEXT };

struct scan {
	char open[JSON_MAX_DEPTH]; /* '[' or '{' of each open container */
	int depth;
	enum expect expect;
	bool empty; /* the container was just opened: its closer may come */
};

static void scan_open(struct scan *sc, char c)
{
	sc->open[sc->depth++] = c;
	sc->expect = c == '[' ? EXPECT_VALUE : EXPECT_KEY;
	sc->empty = true;
}

static bool scan_close(struct scan *sc, char c)
{
	bool matches = sc->open[sc->depth - 1] == (c == ']' ? '[' : '{');
	if (!matches || !(sc->empty || sc->expect == EXPECT_NEXT))
		return false;
	sc->depth--;
	sc->expect = EXPECT_NEXT;
	sc->empty = false;
	return true;
}

/* One token inside a container, at text[*i]; false when JSON allows none
 * there. Strings and primitives are skipped whole. */
static bool scan_token(struct scan *sc, const char *text, size_t len, size_t *i)
{
	char c = text[*i];
	bool value = sc->expect == EXPECT_VALUE;
	if (c == ']' || c == '}')
		return scan_close(sc, c);
	sc->empty = false;
	if (c == ',' || c == ':') {
		bool ok = sc->expect == (c == ',' ? EXPECT_NEXT : EXPECT_COLON);
		bool array = sc->open[sc->depth - 1] == '[';
		sc->expect = c == ':' || array ? EXPECT_VALUE : EXPECT_KEY;
		return ok;
	}
	if (c == '[' || c == '{') {
		if (value)
			scan_open(sc, c);
		return value;
	}
	if (c == '"') {
		bool ok = value || sc->expect == EXPECT_KEY;
		sc->expect = value ? EXPECT_NEXT : EXPECT_COLON;
		return ok; /* the caller skips the string */
	}
	if (!value || !strchr("-0123456789tfn", c))
		return false;
	*i = skip_primitive(text, len, *i);
	sc->expect = EXPECT_NEXT;
	return true;
}

/*
 * Linear, before jsmn builds tokens. Past JSON_MAX_DEPTH levels jsmn's
 * token pass took quadratic time (issue 13: a 2 MB document of brackets,
 * minutes). And jsmn's own checks are loose (it takes [1 2] and {"a" 1}),
 * looser still with parent links, so the structure inside every container
 * is checked here: jsmn then only tokenizes well-formed containers. The
 * values at the top level (none, several, a lone primitive) are left to
 * jsmn and one_object, which name the problem.
 */
static bool prescan(const char *text, size_t len, char *err, size_t errsize)
{
	struct scan sc = { .depth = 0 };
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\0')
			return refuse_at(err, errsize, "a NUL byte", i);
		if ((c == '[' || c == '{') && sc.depth == JSON_MAX_DEPTH) {
			snprintf(err, errsize, "nested deeper than %d arrays and objects at byte %zu",
				 JSON_MAX_DEPTH, i);
			return false;
		}
		if (strchr(" \t\r\n", c))
			continue;
		bool top = sc.depth == 0;
		if (top ? strchr(",:]}", c) != NULL : !scan_token(&sc, text, len, &i)) {
			snprintf(err, errsize, "not JSON (invalid character at byte %zu)", i);
			return false;
		}
		if (top && (c == '[' || c == '{'))
			scan_open(&sc, c);
		else if (top && c != '"')
			i = skip_primitive(text, len, i);
		if (c == '"' && !skip_string(text, len, &i, err, errsize))
			return false;
	}
	return true;
}

/* ---- repeated keys ---- */

/* A key of an object, decoded into a shared buffer. */
struct key_ref {
	int object, token;
	size_t off, n;
};

static int key_cmp(const struct key_ref *a, const struct key_ref *b, const char *keys)
{
	if (a->object != b->object)
		return a->object < b->object ? -1 : 1;
	size_t n = a->n < b->n ? a->n : b->n;
	int c = memcmp(keys + a->off, keys + b->off, n);
	if (c || a->n == b->n)
		return c;
	return a->n < b->n ? -1 : 1;
}

/* A stable merge sort: n log n whatever the C library's qsort does. */
static void sort_keys(struct key_ref *a, struct key_ref *tmp, size_t n, const char *keys)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, k = 0;
	sort_keys(a, tmp, h, keys);
	sort_keys(a + h, tmp, n - h, keys);
	while (i < h && j < n)
		tmp[k++] = key_cmp(&a[j], &a[i], keys) < 0 ? a[j++] : a[i++];
	while (i < h)
		tmp[k++] = a[i++];
	memcpy(a, tmp, k * sizeof(*a)); /* a[j..n) is in place */
}

/* The children of an object are its keys: a value's parent is its key. */
static bool is_key(const jsmntok_t *t, int i)
{
	return t[i].parent >= 0 && t[t[i].parent].type == JSMN_OBJECT;
}

/* Decoded (so "a" and "\u0061" are one key) into keys, which has room:
 * decoding never makes a string longer. */
static size_t collect_keys(const struct json_doc *doc, const jsmntok_t *t, struct key_ref *refs,
			   char *keys)
{
	size_t nkeys = 0, off = 0;
	for (int i = 0; i < doc->ntokens; i++) {
		if (!is_key(t, i))
			continue;
		size_t room = (size_t)(t[i].end - t[i].start) + 1;
		if (!json_string(doc, i, keys + off, room))
			keys[off] = '\0'; /* a bad escape: refused when read */
		size_t n = strlen(keys + off);
		refs[nkeys++] = (struct key_ref){ t[i].parent, i, off, n };
		off += n + 1;
	}
	return nkeys;
}

/* Most readers keep the last of repeated keys and json_get the first:
 * refuse the ambiguity. Sorted, so a wide object costs n log n. */
static bool unique_keys(const struct json_doc *doc, const jsmntok_t *t, char *err, size_t errsize)
{
	size_t nkeys = 0, bytes = 0;
	for (int i = 0; i < doc->ntokens; i++) {
		if (is_key(t, i)) {
			nkeys++;
			bytes += (size_t)(t[i].end - t[i].start) + 1;
		}
	}
	if (nkeys < 2)
		return true;
	struct key_ref *refs = malloc(nkeys * sizeof(*refs)), *tmp = malloc(nkeys * sizeof(*tmp));
	char *keys = malloc(bytes);
	bool ok = refs && tmp && keys;
	if (!ok)
		snprintf(err, errsize, "out of memory");
	if (ok) {
		collect_keys(doc, t, refs, keys);
		sort_keys(refs, tmp, nkeys, keys);
		for (size_t k = 1; ok && k < nkeys; k++)
			if (key_cmp(&refs[k - 1], &refs[k], keys) == 0)
				ok = refuse_at(err, errsize, "a key repeated in one object",
					       (size_t)doc->tokens[refs[k].token].start);
	}
	free(refs);
	free(tmp);
	free(keys);
	return ok;
}

/* ---- tokens ---- */

static bool copy_tokens(struct json_doc *doc, const jsmntok_t *t, int n, char *err, size_t errsize)
{
	for (int i = 0; i < n; i++) {
		enum json_type type = t[i].type == JSMN_OBJECT ? JSON_OBJECT
				      : t[i].type == JSMN_ARRAY ? JSON_ARRAY
				      : t[i].type == JSMN_STRING ? JSON_STRING : JSON_PRIMITIVE;
		doc->tokens[i] = (struct json_token){ type, t[i].start, t[i].end, t[i].size };
		if (type == JSON_PRIMITIVE &&
		    !valid_primitive(doc->text + t[i].start, (size_t)(t[i].end - t[i].start))) {
			snprintf(err, errsize, "not JSON (bad value at byte %d)", t[i].start);
			return false;
		}
	}
	doc->ntokens = n;
	return true;
}

/* Exactly one object, and only whitespace after it. */
static bool one_object(const struct json_doc *doc, size_t len, char *err, size_t errsize)
{
	if (doc->ntokens <= 0 || doc->tokens[0].type != JSON_OBJECT ||
	    json_next(doc, 0) != doc->ntokens) {
		snprintf(err, errsize, "not one JSON object");
		return false;
	}
	for (size_t i = (size_t)doc->tokens[0].end; i < len; i++)
		if (!strchr(" \t\r\n", doc->text[i]))
			return refuse_at(err, errsize, "text after the JSON object", i);
	return true;
}

bool json_parse(const char *text, size_t len, struct json_doc *doc, char *err, size_t errsize)
{
	jsmn_parser p;
	memset(doc, 0, sizeof(*doc));
	doc->text = text;
	if (!prescan(text, len, err, errsize))
		return false;
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
	bool ok = n >= 0 ? copy_tokens(doc, t, n, err, errsize) && unique_keys(doc, t, err, errsize)
			 : jsmn_failed(n, &p, err, errsize); /* only this pass sees an object left open */
	free(t);
	if (ok)
		ok = one_object(doc, len, err, errsize);
	if (!ok)
		json_free(doc);
	return ok;
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
	str_copy_n(out, size, doc->text + doc->tokens[i].start,
		   (size_t)(doc->tokens[i].end - doc->tokens[i].start));
	return true;
}

bool json_is_null(const struct json_doc *doc, int i)
{
	return i >= 0 && i < doc->ntokens && doc->tokens[i].type == JSON_PRIMITIVE &&
	       doc->tokens[i].end - doc->tokens[i].start == 4 &&
	       memcmp(doc->text + doc->tokens[i].start, "null", 4) == 0;
}
