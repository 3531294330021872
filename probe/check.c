/* SPDX-License-Identifier: MIT */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A buffer cut by snprintf may end inside a UTF-8 character (a BCD
 * description, a brand string): drop the incomplete tail, not the text. */
static void cut_utf8_tail(char *s, size_t size)
{
	size_t n = strlen(s);
	if (n + 1 < size || n == 0)
		return; /* not cut */
	size_t start = n;
	while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80 && n - start < 3)
		start--;
	if (start == 0 || ((unsigned char)s[start - 1] & 0xC0) != 0xC0)
		return; /* ends in ASCII or a complete run of continuation bytes */
	unsigned char lead = (unsigned char)s[start - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - start + 1 < want)
		s[start - 1] = '\0';
}

void result_set(struct check_result *r, enum check_status s, const char *fmt, ...)
{
	va_list ap;
	r->status = s;
	va_start(ap, fmt);
	vsnprintf(r->summary, sizeof(r->summary), fmt, ap);
	va_end(ap);
	cut_utf8_tail(r->summary, sizeof(r->summary));
}

void result_remedy(struct check_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->remedy, sizeof(r->remedy), fmt, ap);
	va_end(ap);
	cut_utf8_tail(r->remedy, sizeof(r->remedy));
}

static struct evidence_item *add_item(struct check_result *r, const char *key,
				      enum value_type type, const char *source)
{
	if (r->nitems >= EVIDENCE_ITEMS_MAX)
		return NULL;
	struct evidence_item *it = &r->items[r->nitems++];
	memset(it, 0, sizeof(*it));
	snprintf(it->key, sizeof(it->key), "%s", key);
	snprintf(it->source, sizeof(it->source), "%s", source ? source : "");
	it->type = type;
	return it;
}

void result_bool(struct check_result *r, const char *key, bool v, const char *source)
{
	struct evidence_item *it = add_item(r, key, VALUE_BOOL, source);
	if (it)
		it->boolean = v;
}

void result_tri(struct check_result *r, const char *key, tri_t v, const char *source)
{
	if (v == TRI_UNKNOWN)
		add_item(r, key, VALUE_NULL, source);
	else
		result_bool(r, key, v == TRI_YES, source);
}

void result_int(struct check_result *r, const char *key, long long v, const char *source)
{
	struct evidence_item *it = add_item(r, key, VALUE_INT, source);
	if (it)
		it->integer = v;
}

void result_text(struct check_result *r, const char *key, const char *v, const char *source)
{
	struct evidence_item *it = add_item(r, key, v ? VALUE_STRING : VALUE_NULL, source);
	if (it && v) {
		snprintf(it->text, sizeof(it->text), "%s", v);
		cut_utf8_tail(it->text, sizeof(it->text));
	}
}

void result_hex(struct check_result *r, const char *key, uint64_t v, const char *source)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	result_text(r, key, buf, source);
}

const char *check_status_name(enum check_status s)
{
	static const char *const names[] = { "pass", "warn", "fail", "unknown", "skip" };
	return (unsigned)s < 5 ? names[s] : "unknown";
}

const char *check_status_label(enum check_status s)
{
	static const char *const names[] = { "PASS", "WARN", "FAIL", "UNKNOWN", "SKIP" };
	return (unsigned)s < 5 ? names[s] : "UNKNOWN";
}
