/* SPDX-License-Identifier: MIT */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void result_set(struct check_result *r, enum check_status s, const char *fmt, ...)
{
	va_list ap;
	r->status = s;
	va_start(ap, fmt);
	vsnprintf(r->summary, sizeof(r->summary), fmt, ap);
	va_end(ap);
}

void result_remedy(struct check_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->remedy, sizeof(r->remedy), fmt, ap);
	va_end(ap);
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
	if (it && v)
		snprintf(it->text, sizeof(it->text), "%s", v);
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
