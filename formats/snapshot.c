/* SPDX-License-Identifier: MIT */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_reader.h"

/* Bound the work a hostile document can ask for. */
#define SNAPSHOT_MAX_CHECKS 256
#define SNAPSHOT_MAX_FACTS 4096
#define SNAPSHOT_MAX_ITEMS 8192
#define SNAPSHOT_MAX_DEPTH 8

struct reader {
	const struct json_doc *doc;
	struct snapshot *s;
	char *err;
	size_t errsize;
};

static bool fail(struct reader *r, const char *key, const char *why)
{
	snprintf(r->err, r->errsize, "key \"%s\": %s", key, why);
	return false;
}

/* A required string member. */
static bool need_string(struct reader *r, int obj, const char *key, const char *path, char *out,
			size_t size)
{
	int v = json_get(r->doc, obj, key);
	if (v < 0)
		return fail(r, path, "missing");
	if (!json_string(r->doc, v, out, size))
		return fail(r, path, "expected a string");
	return true;
}

/* An optional string member: "" when absent or null. */
static bool want_string(struct reader *r, int obj, const char *key, const char *path, char *out,
			size_t size)
{
	int v = json_get(r->doc, obj, key);
	out[0] = '\0';
	if (v < 0 || json_is_null(r->doc, v))
		return true;
	if (!json_string(r->doc, v, out, size))
		return fail(r, path, "expected a string or null");
	return true;
}

static bool need_object(struct reader *r, int obj, const char *key, int *out)
{
	*out = json_get(r->doc, obj, key);
	if (*out < 0)
		return fail(r, key, "missing");
	if (r->doc->tokens[*out].type != JSON_OBJECT)
		return fail(r, key, "expected an object");
	return true;
}

bool check_status_parse(const char *name, enum check_status *out)
{
	for (int s = STATUS_PASS; s <= STATUS_SKIP; s++) {
		if (strcmp(name, check_status_name((enum check_status)s)) == 0) {
			*out = (enum check_status)s;
			return true;
		}
	}
	return false;
}

static bool read_checks(struct reader *r)
{
	int arr = json_get(r->doc, 0, "checks");
	if (arr < 0)
		return fail(r, "checks", "missing");
	if (r->doc->tokens[arr].type != JSON_ARRAY)
		return fail(r, "checks", "expected an array");
	int n = r->doc->tokens[arr].size;
	if (n > SNAPSHOT_MAX_CHECKS)
		return fail(r, "checks", "too many");
	r->s->checks = calloc((size_t)n + 1, sizeof(*r->s->checks));
	if (!r->s->checks)
		return fail(r, "checks", "out of memory");
	for (int k = 0, i = arr + 1; k < n; k++, i = json_next(r->doc, i)) {
		struct snap_check *c = &r->s->checks[r->s->nchecks++];
		char status[16];
		if (r->doc->tokens[i].type != JSON_OBJECT)
			return fail(r, "checks[]", "expected an object");
		if (!need_string(r, i, "id", "checks[].id", c->id, sizeof(c->id)) ||
		    !need_string(r, i, "status", "checks[].status", status, sizeof(status)) ||
		    !want_string(r, i, "level", "checks[].level", c->level, sizeof(c->level)) ||
		    !want_string(r, i, "summary", "checks[].summary", c->summary, sizeof(c->summary)))
			return false;
		if (!check_status_parse(status, &c->status))
			return fail(r, "checks[].status", "not pass, warn, fail, unknown or skip");
	}
	return true;
}

static bool add_fact(struct reader *r, const char *key, const char *value)
{
	if (r->s->nfacts == SNAPSHOT_MAX_FACTS)
		return fail(r, "facts", "too many");
	struct snap_fact *f = &r->s->facts[r->s->nfacts++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	snprintf(f->value, sizeof(f->value), "%s", value);
	return true;
}

/* A scalar as text: strings decoded, the rest as written. */
static bool scalar_text(const struct json_doc *doc, int i, char *out, size_t size)
{
	return json_string(doc, i, out, size) || json_primitive(doc, i, out, size);
}

static bool read_items(struct reader *r, int obj)
{
	int arr = json_get(r->doc, obj, "items");
	if (arr < 0 || r->doc->tokens[arr].type != JSON_ARRAY)
		return fail(r, "facts.installed.items", "expected an array");
	int n = r->doc->tokens[arr].size;
	if (n > SNAPSHOT_MAX_ITEMS)
		return fail(r, "facts.installed.items", "too many");
	r->s->items = calloc((size_t)n + 1, sizeof(*r->s->items));
	if (!r->s->items)
		return fail(r, "facts.installed.items", "out of memory");
	for (int k = 0, i = arr + 1; k < n; k++, i = json_next(r->doc, i)) {
		struct snap_item *it = &r->s->items[r->s->nitems++];
		if (r->doc->tokens[i].type != JSON_OBJECT)
			return fail(r, "facts.installed.items[]", "expected an object");
		if (!need_string(r, i, "kind", "facts.installed.items[].kind", it->kind, sizeof(it->kind)) ||
		    !need_string(r, i, "name", "facts.installed.items[].name", it->name, sizeof(it->name)) ||
		    !want_string(r, i, "version", "facts.installed.items[].version", it->version,
				 sizeof(it->version)) ||
		    !want_string(r, i, "state", "facts.installed.items[].state", it->state,
				 sizeof(it->state)) ||
		    !want_string(r, i, "installed_at", "facts.installed.items[].installed_at",
				 it->installed_at, sizeof(it->installed_at)))
			return false;
	}
	r->s->have_installed = true;
	return true;
}

/* Flatten an object into "prefix.key" facts: scalars as text, arrays of
 * scalars joined with ", ", arrays of objects left out (installed items
 * are read on their own). */
static bool flatten(struct reader *r, int obj, const char *prefix, int depth)
{
	const struct json_doc *doc = r->doc;
	if (depth > SNAPSHOT_MAX_DEPTH)
		return fail(r, "facts", "nested too deep"); /* the path is the input's: not quoted */
	int i = obj + 1;
	for (int k = 0; k < doc->tokens[obj].size; k++) {
		char key[96], path[96], value[320];
		if (!json_string(doc, i, key, sizeof(key)))
			return fail(r, "facts", "a key is not a string");
		snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", key);
		int v = i + 1;
		const struct json_token *t = &doc->tokens[v];
		bool ok = true;
		if (t->type == JSON_OBJECT && strcmp(path, "installed") == 0)
			ok = read_items(r, v) && flatten(r, v, path, depth + 1);
		else if (t->type == JSON_OBJECT)
			ok = flatten(r, v, path, depth + 1);
		else if (t->type == JSON_ARRAY) {
			value[0] = '\0';
			bool scalars = true;
			for (int e = 0, j = v + 1; e < t->size; e++, j = json_next(doc, j)) {
				char one[160];
				size_t n = strlen(value);
				if (!scalar_text(doc, j, one, sizeof(one))) {
					scalars = false;
					break;
				}
				snprintf(value + n, sizeof(value) - n, "%s%s", n ? ", " : "", one);
			}
			if (scalars)
				ok = add_fact(r, path, value);
		} else {
			scalar_text(doc, v, value, sizeof(value));
			ok = add_fact(r, path, value);
		}
		if (!ok)
			return false;
		i = json_next(doc, v);
	}
	return true;
}

/* The host's side of a known issue's conditions, from the facts as
 * flattened: the Windows build ("9600.20207") and the firmware Windows
 * booted with (true, false or null). Anything else is not known. */
static void read_conditions(struct snapshot *s)
{
	const struct snap_fact *build = snapshot_fact(s, "windows.build");
	const struct snap_fact *uefi = snapshot_fact(s, "launch.intent.uefi");
	s->have_build = build && windows_build_parse(build->value, &s->build);
	s->uefi = !uefi ? -1 : strcmp(uefi->value, "true") == 0 ? 1
		  : strcmp(uefi->value, "false") == 0 ? 0 : -1;
}

static bool read_document(struct reader *r)
{
	struct snapshot *s = r->s;
	char schema[32];
	int host, facts, tool = json_get(r->doc, 0, "tool"), snap = json_get(r->doc, 0, "snapshot");
	if (!need_string(r, 0, "schema", "schema", schema, sizeof(schema)))
		return false;
	if (strcmp(schema, SNAPSHOT_SCHEMA) != 0) {
		snprintf(r->err, r->errsize, "another schema than the \"%s\" this hvprobe reads",
			 SNAPSHOT_SCHEMA);
		return false;
	}
	if (!need_string(r, 0, "target", "target", s->target, sizeof(s->target)) ||
	    !need_string(r, 0, "verdict", "verdict", s->verdict, sizeof(s->verdict)) ||
	    !need_object(r, 0, "host", &host) || !need_object(r, 0, "facts", &facts) ||
	    !want_string(r, host, "hostname", "host.hostname", s->hostname, sizeof(s->hostname)) ||
	    !want_string(r, host, "os", "host.os", s->os, sizeof(s->os)) ||
	    !want_string(r, host, "machine_id", "host.machine_id", s->machine_id,
			 sizeof(s->machine_id)) ||
	    !want_string(r, tool, "version", "tool.version", s->tool_version, sizeof(s->tool_version)) ||
	    !want_string(r, snap, "taken_at", "snapshot.taken_at", s->taken_at, sizeof(s->taken_at)) ||
	    !read_checks(r))
		return false;
	s->facts = calloc(SNAPSHOT_MAX_FACTS, sizeof(*s->facts));
	if (!s->facts)
		return fail(r, "facts", "out of memory");
	/* The OS release is what a kernel or Windows update changes. */
	if (!add_fact(r, "os", s->os[0] ? s->os : "null") || !flatten(r, facts, "", 0))
		return false;
	read_conditions(s);
	return true;
}

bool snapshot_parse(const char *json, size_t len, struct snapshot *s, char *err, size_t errsize)
{
	struct json_doc doc;
	memset(s, 0, sizeof(*s));
	if (!json_parse(json, len, &doc, err, errsize))
		return false;
	struct reader r = { &doc, s, err, errsize };
	bool ok = read_document(&r);
	json_free(&doc);
	if (!ok)
		snapshot_free(s);
	return ok;
}

void snapshot_free(struct snapshot *s)
{
	free(s->checks);
	free(s->facts);
	free(s->items);
	memset(s, 0, sizeof(*s));
}

const struct snap_check *snapshot_check(const struct snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->nchecks; i++)
		if (strcmp(s->checks[i].id, id) == 0)
			return &s->checks[i];
	return NULL;
}

const struct snap_fact *snapshot_fact(const struct snapshot *s, const char *key)
{
	for (size_t i = 0; i < s->nfacts; i++)
		if (strcmp(s->facts[i].key, key) == 0)
			return &s->facts[i];
	return NULL;
}
