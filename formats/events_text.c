/* SPDX-License-Identifier: MIT */
/*
 *   log=<name>              one line per log, in order: records name them by index
 *   records_read=<n>
 *   dropped=<n>
 *   <time> TAB <log> TAB <record id> TAB <provider> TAB <channel> TAB <event id>
 *       TAB <qualifiers> [TAB <name> TAB <value>]...
 * time is seconds since 1970 UTC (negative allowed); qualifiers -1 when
 * none. Tabs and control bytes inside fields become spaces.
 */
#include "events_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textscan.h"
#include "../probe/strbuf.h"

static void put_field(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		sb_putc(out, (unsigned char)*s < 0x20 ? ' ' : *s);
}

void events_text_write(const struct evidence *ev, struct strbuf *out)
{
	const struct events_view *v = &ev->events;
	for (size_t i = 0; i < v->nlogs; i++) {
		sb_puts(out, "log=");
		put_field(out, v->logs[i]);
		sb_putc(out, '\n');
	}
	sb_printf(out, "records_read=%lu\ndropped=%lu\nunreadable=%lu\nunreadable_newest=%lld\n",
		  v->records_read, v->dropped, v->unreadable, (long long)v->unreadable_newest);
	for (size_t i = 0; i < v->n; i++) {
		const struct event_record *e = &v->items[i];
		sb_printf(out, "%lld\t%u\t%llu\t", (long long)e->time, e->log,
			  (unsigned long long)e->record_id);
		put_field(out, e->provider);
		sb_putc(out, '\t');
		put_field(out, e->channel);
		sb_printf(out, "\t%u\t%d", e->event_id, (int)e->qualifiers);
		const char *name, *value;
		for (unsigned k = 0; (value = event_value_at(e, k, &name)) != NULL; k++) {
			sb_putc(out, '\t');
			put_field(out, name);
			sb_putc(out, '\t');
			put_field(out, value);
		}
		sb_putc(out, '\n');
	}
}

static bool number(const char *s, long long min, long long max, long long *v)
{
	char *end;
	if (!*s)
		return false;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (*end || errno == ERANGE || n < min || n > max)
		return false;
	*v = n;
	return true;
}

struct fields {
	char time[24], log[8], record[24], provider[72], channel[72], id[12], qual[12];
	unsigned n;
	char names[EVENT_DATA_MAX][64];
	char values[EVENT_DATA_MAX][EVENT_VALUE_MAX];
};

static bool split(struct line *l, struct fields *f)
{
	char *head[] = { f->time, f->log, f->record, f->provider, f->channel, f->id, f->qual };
	size_t size[] = { sizeof(f->time), sizeof(f->log), sizeof(f->record), sizeof(f->provider),
			  sizeof(f->channel), sizeof(f->id), sizeof(f->qual) };
	bool more = true;
	for (size_t i = 0; i < 7; i++)
		if (!more || !line_field(l, head[i], size[i], &more))
			return false;
	for (f->n = 0; more; f->n++)
		if (f->n == EVENT_DATA_MAX ||
		    !line_field(l, f->names[f->n], sizeof(f->names[0]), &more) || !more ||
		    !line_field(l, f->values[f->n], sizeof(f->values[0]), &more))
			return false;
	return true;
}

static bool parse_record(struct line *l, struct events_view *v, struct fields *f, char *err,
			 size_t errsize, unsigned lineno)
{
	long long t, log, rec, id, q;
	if (!split(l, f) || !number(f->time, INT64_MIN / 2, INT64_MAX / 2, &t) ||
	    !number(f->log, 0, (long long)v->nlogs - 1, &log) || !number(f->record, 0, INT64_MAX, &rec) ||
	    !number(f->id, 0, UINT32_MAX, &id) || !number(f->qual, -1, INT32_MAX, &q) || !f->provider[0]) {
		snprintf(err, errsize, "line %u: expected time, log, record id, provider, channel, "
			 "event id, qualifiers and name/value pairs separated by tabs", lineno);
		return false;
	}
	struct event_record head = { .time = t, .log = (unsigned)log, .record_id = (uint64_t)rec,
				     .event_id = (uint32_t)id, .qualifiers = (int32_t)q };
	snprintf(head.provider, sizeof(head.provider), "%s", f->provider);
	snprintf(head.channel, sizeof(head.channel), "%s", f->channel);
	const char *names[EVENT_DATA_MAX], *values[EVENT_DATA_MAX];
	for (unsigned i = 0; i < f->n; i++)
		names[i] = f->names[i], values[i] = f->values[i];
	if (!events_add(v, &head, names, values, f->n)) {
		snprintf(err, errsize, "out of memory");
		return false;
	}
	return true;
}

bool events_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
		       size_t errsize)
{
	struct events_view *v = &ev->events;
	struct line_reader lr;
	struct line l;
	uint64_t n;
	struct fields *f = malloc(sizeof(*f));
	if (!f) {
		snprintf(err, errsize, "out of memory");
		return false;
	}
	bool ok = true;
	err[0] = '\0';
	line_reader_init(&lr, text, len);
	while (ok && line_next(&lr, &l)) {
		if (l.n == 0 || l.s[0] == '#')
			continue;
		if (line_skip(&l, "log=")) {
			char name[sizeof(v->logs[0])];
			str_copy_n(name, sizeof(name), l.s, l.n);
			if (events_log(v, name) < 0) {
				snprintf(err, errsize, "line %u: more than %d logs", lr.lineno, EVENT_LOGS_MAX);
				ok = false;
			}
		} else if (line_skip(&l, "records_read=")) {
			ok = line_dec(&l, UINT32_MAX, &n) && !l.n;
			v->records_read = (unsigned long)n;
		} else if (line_skip(&l, "dropped=")) {
			ok = line_dec(&l, UINT32_MAX, &n) && !l.n;
			v->dropped = (unsigned long)n;
		} else if (line_skip(&l, "unreadable=")) {
			ok = line_dec(&l, UINT32_MAX, &n) && !l.n;
			v->unreadable = (unsigned long)n;
		} else if (line_skip(&l, "unreadable_newest=")) {
			char num[24];
			long long t = 0;
			str_copy_n(num, sizeof(num), l.s, l.n);
			ok = l.n < sizeof(num) && number(num, INT64_MIN / 2, INT64_MAX / 2, &t);
			v->unreadable_newest = t;
		} else {
			ok = parse_record(&l, v, f, err, errsize, lr.lineno);
			continue;
		}
		if (!ok && !err[0])
			snprintf(err, errsize, "line %u: not a number", lr.lineno);
	}
	free(f);
	if (!ok)
		return false;
	events_settle(v);
	v->read = true;
	return true;
}
