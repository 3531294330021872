/* SPDX-License-Identifier: MIT */
/*
 *   source=<where the list was read>
 *   unnamed_rollups=<CBS RollupFix packages that name no KB>
 *   restart.<marker>=yes|no, restart.file_renames=<pairs>, restart.*_source=
 *   <kind> TAB <name> TAB <version> TAB <state> TAB <installed_at> [TAB <sources>]
 * kind is windows-update or package; installed_at is seconds since 1970
 * UTC, 0 when unknown; sources a comma list of update_source_name()s
 * (absent in bundles that predate it). Tabs and control bytes inside
 * fields become spaces. The restart lines are written only when read.
 */
#include "installed_text.h"

#include <stdio.h>
#include <string.h>

#include "textscan.h"
#include "../probe/strbuf.h"

static void put_field(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		sb_putc(out, (unsigned char)*s < 0x20 ? ' ' : *s);
}

static void put_marker(struct strbuf *out, const char *key, tri_t v)
{
	if (v != TRI_UNKNOWN)
		sb_printf(out, "restart.%s=%s\n", key, v == TRI_YES ? "yes" : "no");
}

static void put_restart(const struct restart_view *r, struct strbuf *out)
{
	put_marker(out, "cbs_reboot_pending", r->cbs_reboot_pending);
	put_marker(out, "wu_reboot_required", r->wu_reboot_required);
	if (r->file_renames != TRI_UNKNOWN)
		sb_printf(out, "restart.file_renames=%u\n", r->file_rename_count);
	static const char *const keys[] = { "restart.software_source=", "restart.system_source=" };
	const char *values[] = { r->software_source, r->system_source };
	for (size_t i = 0; i < 2; i++) {
		if (!values[i][0])
			continue;
		sb_puts(out, keys[i]);
		put_field(out, values[i]);
		sb_putc(out, '\n');
	}
}

static void put_sources(struct strbuf *out, unsigned sources)
{
	const char *sep = "\t";
	for (unsigned i = 0; i < UPDATE_SOURCE_BITS; i++) {
		if (!(sources & (1u << i)))
			continue;
		sb_printf(out, "%s%s", sep, update_source_name(1u << i));
		sep = ",";
	}
}

void installed_text_write(const struct evidence *ev, struct strbuf *out)
{
	const struct installed_view *v = &ev->installed;
	sb_puts(out, "source=");
	put_field(out, v->source);
	sb_putc(out, '\n');
	if (v->unnamed_rollups)
		sb_printf(out, "unnamed_rollups=%u\n", v->unnamed_rollups);
	put_restart(&ev->restart, out);
	for (size_t i = 0; i < v->n; i++) {
		const struct installed_item *it = &v->items[i];
		sb_printf(out, "%s\t", installed_kind_name(it->kind));
		put_field(out, it->name);
		sb_putc(out, '\t');
		put_field(out, it->version);
		sb_putc(out, '\t');
		put_field(out, it->state);
		sb_printf(out, "\t%lld", (long long)it->installed_at);
		put_sources(out, it->sources);
		sb_putc(out, '\n');
	}
}

static bool parse_marker(struct line *l, const char *key, tri_t *out)
{
	if (!line_skip(l, key))
		return false;
	if (l->n == 3 && memcmp(l->s, "yes", 3) == 0)
		*out = TRI_YES;
	else if (l->n == 2 && memcmp(l->s, "no", 2) == 0)
		*out = TRI_NO;
	else
		*out = TRI_UNKNOWN;
	return true;
}

/* A restart.* line; false when the line is none. */
static bool parse_restart(struct line *l, struct restart_view *r)
{
	uint64_t n;
	if (parse_marker(l, "restart.cbs_reboot_pending=", &r->cbs_reboot_pending) ||
	    parse_marker(l, "restart.wu_reboot_required=", &r->wu_reboot_required))
		return true;
	if (line_skip(l, "restart.file_renames=")) {
		bool ok = line_dec(l, UINT32_MAX, &n) && !l->n;
		r->file_renames = ok ? (n ? TRI_YES : TRI_NO) : TRI_UNKNOWN;
		r->file_rename_count = ok ? (unsigned)n : 0;
		return true;
	}
	if (line_skip(l, "restart.software_source=")) {
		str_copy_n(r->software_source, sizeof(r->software_source), l->s, l->n);
		return true;
	}
	if (line_skip(l, "restart.system_source=")) {
		str_copy_n(r->system_source, sizeof(r->system_source), l->s, l->n);
		return true;
	}
	return false;
}

/* "cbs,servicing-event": every name known, or false. */
static bool parse_sources(struct line *l, unsigned *out)
{
	*out = 0;
	while (l->n) {
		size_t n = 0;
		while (n < l->n && l->s[n] != ',')
			n++;
		unsigned bit = update_source_find(l->s, n);
		if (!bit)
			return false;
		*out |= bit;
		l->s += n;
		l->n -= n;
		if (l->n) { /* the comma */
			l->s++;
			l->n--;
		}
	}
	return true;
}

/* A field that a tab follows: every field but the last. */
static bool next_field(struct line *l, char *out, size_t size)
{
	bool more;
	return line_field(l, out, size, &more) && more;
}

bool installed_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
			  size_t errsize)
{
	struct installed_view *v = &ev->installed;
	struct line_reader lr;
	struct line l;
	line_reader_init(&lr, text, len);
	v->n = 0;
	while (line_next(&lr, &l)) {
		if (l.n == 0 || l.s[0] == '#')
			continue;
		if (line_skip(&l, "source=")) {
			str_copy_n(v->source, sizeof(v->source), l.s, l.n);
			continue;
		}
		if (parse_restart(&l, &ev->restart))
			continue;
		if (line_skip(&l, "unnamed_rollups=")) {
			uint64_t n;
			if (!line_dec(&l, UINT32_MAX, &n) || l.n) {
				snprintf(err, errsize, "line %u: unnamed_rollups= needs a count", lr.lineno);
				return false;
			}
			v->unnamed_rollups = (unsigned)n;
			continue;
		}
		struct installed_item it = { 0 };
		char kind[24];
		uint64_t at;
		if (!next_field(&l, kind, sizeof(kind)) || !next_field(&l, it.name, sizeof(it.name)) ||
		    !next_field(&l, it.version, sizeof(it.version)) ||
		    !next_field(&l, it.state, sizeof(it.state)) || !line_dec(&l, INT64_MAX, &at) ||
		    (l.n && !line_skip(&l, "\t"))) {
			snprintf(err, errsize, "line %u: expected kind, name, version, state and time "
				 "separated by tabs", lr.lineno);
			return false;
		}
		if (!parse_sources(&l, &it.sources)) {
			snprintf(err, errsize, "line %u: unknown source (expected cbs, "
				 "windows-update-event, servicing-event or dpkg, comma separated)", lr.lineno);
			return false;
		}
		if (strcmp(kind, "windows-update") == 0) {
			it.kind = INSTALLED_WINDOWS_UPDATE;
		} else if (strcmp(kind, "package") == 0) {
			it.kind = INSTALLED_PACKAGE;
		} else {
			snprintf(err, errsize, "line %u: unknown kind (expected windows-update or package)",
				 lr.lineno);
			return false;
		}
		it.installed_at = (int64_t)at;
		if (!installed_add(v, &it)) {
			snprintf(err, errsize, "line %u: more than %d items", lr.lineno, INSTALLED_MAX);
			return false;
		}
	}
	v->read = true;
	return true;
}
