/* SPDX-License-Identifier: MIT */
/*
 *   source=<where the list was read>
 *   <kind> TAB <name> TAB <version> TAB <state> TAB <installed_at>
 * kind is windows-update or package; installed_at is seconds since 1970
 * UTC, 0 when unknown. Tabs and control bytes inside fields become spaces.
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

void installed_text_write(const struct evidence *ev, struct strbuf *out)
{
	const struct installed_view *v = &ev->installed;
	sb_puts(out, "source=");
	put_field(out, v->source);
	sb_putc(out, '\n');
	for (size_t i = 0; i < v->n; i++) {
		const struct installed_item *it = &v->items[i];
		sb_printf(out, "%s\t", installed_kind_name(it->kind));
		put_field(out, it->name);
		sb_putc(out, '\t');
		put_field(out, it->version);
		sb_putc(out, '\t');
		put_field(out, it->state);
		sb_printf(out, "\t%lld\n", (long long)it->installed_at);
	}
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
		struct installed_item it = { 0 };
		char kind[24];
		uint64_t at;
		if (!next_field(&l, kind, sizeof(kind)) || !next_field(&l, it.name, sizeof(it.name)) ||
		    !next_field(&l, it.version, sizeof(it.version)) ||
		    !next_field(&l, it.state, sizeof(it.state)) || !line_dec(&l, INT64_MAX, &at) || l.n) {
			snprintf(err, errsize, "line %u: expected kind, name, version, state and time "
				 "separated by tabs", lr.lineno);
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
