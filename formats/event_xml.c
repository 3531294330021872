/* SPDX-License-Identifier: MIT */
#include "event_xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../probe/utc.h"

/* The subset of XML that event records use: elements, attributes in
 * either quote, the five predefined entities and numeric references. */
struct tag {
	char name[64];
	const char *attrs, *attrs_end;
	bool closing, empty;
};

struct cursor {
	const char *p, *end;
};

static void put_utf8(char *out, size_t size, size_t *n, unsigned long c)
{
	char b[4];
	size_t k;
	if (c < 0x80) {
		b[0] = (char)c, k = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xC0 | c >> 6), b[1] = (char)(0x80 | (c & 0x3F)), k = 2;
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | c >> 12), b[1] = (char)(0x80 | (c >> 6 & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F)), k = 3;
	} else {
		b[0] = (char)(0xF0 | c >> 18), b[1] = (char)(0x80 | (c >> 12 & 0x3F));
		b[2] = (char)(0x80 | (c >> 6 & 0x3F)), b[3] = (char)(0x80 | (c & 0x3F)), k = 4;
	}
	if (*n + k < size) {
		memcpy(out + *n, b, k);
		*n += k;
	}
}

/* Text with entities decoded into out (cut at size - 1, between
 * characters); control characters other than tab and newline become
 * spaces. */
static void decode(const char *s, const char *end, char *out, size_t size)
{
	size_t n = 0;
	while (s < end && n + 1 < size) {
		if (*s != '&') {
			unsigned char c = (unsigned char)*s++;
			if (c < 0x20 && c != '\t' && c != '\n')
				c = ' ';
			if (c >= 0x80) { /* copy a whole UTF-8 sequence or none of it */
				size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
				if (n + k >= size || (size_t)(end - s) < k - 1)
					break;
				out[n++] = (char)c;
				memcpy(out + n, s, k - 1);
				n += k - 1;
				s += k - 1;
				continue;
			}
			out[n++] = (char)c;
			continue;
		}
		const char *semi = memchr(s, ';', (size_t)(end - s));
		size_t len = semi ? (size_t)(semi - s) : 0;
		static const struct { const char *name; char c; } named[] = {
			{ "&amp", '&' }, { "&lt", '<' }, { "&gt", '>' }, { "&quot", '"' }, { "&apos", '\'' },
		};
		unsigned long c = 0;
		bool known = false;
		for (size_t i = 0; semi && i < sizeof(named) / sizeof(named[0]); i++)
			if (strlen(named[i].name) == len && memcmp(s, named[i].name, len) == 0)
				c = (unsigned char)named[i].c, known = true;
		if (semi && !known && len > 2 && s[1] == '#') {
			char *e;
			char num[16];
			if (len - 2 < sizeof(num)) {
				memcpy(num, s + 2, len - 2);
				num[len - 2] = '\0';
				c = num[0] == 'x' ? strtoul(num + 1, &e, 16) : strtoul(num, &e, 10);
				known = *e == '\0' && e != num && c > 0 && c <= 0x10FFFF;
			}
		}
		if (!known) {
			out[n++] = *s++;
			continue;
		}
		put_utf8(out, size, &n, c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
		s = semi + 1;
	}
	out[n] = '\0';
}

/* The next tag; text before it is skipped. False at the end or on a tag
 * that does not close. Comments, declarations and processing
 * instructions are passed over. */
static bool next_tag(struct cursor *c, struct tag *t, const char **text_start)
{
	for (;;) {
		const char *lt = memchr(c->p, '<', (size_t)(c->end - c->p));
		if (!lt)
			return false;
		const char *gt = memchr(lt, '>', (size_t)(c->end - lt));
		if (!gt)
			return false;
		c->p = gt + 1;
		if (lt[1] == '?' || lt[1] == '!')
			continue;
		const char *s = lt + 1;
		t->closing = *s == '/';
		s += t->closing;
		t->empty = gt[-1] == '/' && gt - 1 >= s;
		const char *e = s;
		while (e < gt && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n' && *e != '/')
			e++;
		size_t n = (size_t)(e - s);
		if (n == 0 || n >= sizeof(t->name))
			return false;
		memcpy(t->name, s, n);
		t->name[n] = '\0';
		t->attrs = e;
		t->attrs_end = t->empty ? gt - 1 : gt;
		*text_start = gt + 1;
		return true;
	}
}

/* An attribute's value, decoded; false when absent. */
static bool attr(const struct tag *t, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	for (const char *p = t->attrs; p + n + 2 < t->attrs_end; p++) {
		if (memcmp(p, name, n) != 0 || (p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n'))
			continue;
		const char *q = p + n;
		while (q < t->attrs_end && (*q == ' ' || *q == '='))
			q++;
		if (q >= t->attrs_end || (*q != '"' && *q != '\''))
			continue;
		const char *close = memchr(q + 1, *q, (size_t)(t->attrs_end - q - 1));
		if (!close)
			return false;
		decode(q + 1, close, out, size);
		return true;
	}
	return false;
}

struct parsed {
	struct event_record head;
	bool have_provider, have_id, have_time;
	unsigned n;
	char names[EVENT_DATA_MAX][64];
	char values[EVENT_DATA_MAX][EVENT_VALUE_MAX];
};

static bool number(const char *s, uint64_t *v)
{
	char *end;
	if (!*s || s[0] == '-')
		return false;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (*end || errno == ERANGE || n > INT64_MAX) /* JSON and bundles carry it signed */
		return false;
	*v = n;
	return true;
}

/* An element of System: what it holds. */
static void system_element(struct parsed *r, const struct tag *t, const char *text,
			   const char *text_end)
{
	char buf[96];
	uint64_t v = 0;
	if (strcmp(t->name, "Provider") == 0 && attr(t, "Name", buf, sizeof(buf))) {
		snprintf(r->head.provider, sizeof(r->head.provider), "%s", buf);
		r->have_provider = true;
	} else if (strcmp(t->name, "TimeCreated") == 0 && attr(t, "SystemTime", buf, sizeof(buf))) {
		r->have_time = utc_parse(buf, &r->head.time);
	} else if (strcmp(t->name, "EventID") == 0 && !t->empty) {
		decode(text, text_end, buf, sizeof(buf));
		r->have_id = number(buf, &v) && v <= UINT32_MAX;
		r->head.event_id = (uint32_t)v;
		if (attr(t, "Qualifiers", buf, sizeof(buf)) && number(buf, &v) && v <= INT32_MAX)
			r->head.qualifiers = (int32_t)v;
	} else if (strcmp(t->name, "EventRecordID") == 0 && !t->empty) {
		decode(text, text_end, buf, sizeof(buf));
		if (number(buf, &v))
			r->head.record_id = v;
	} else if (strcmp(t->name, "Channel") == 0 && !t->empty) {
		decode(text, text_end, r->head.channel, sizeof(r->head.channel));
	}
}

static void data_element(struct parsed *r, const struct tag *t, const char *text,
			 const char *text_end)
{
	if (r->n == EVENT_DATA_MAX)
		return;
	if (!(strcmp(t->name, "Data") == 0 && attr(t, "Name", r->names[r->n], sizeof(r->names[0]))))
		snprintf(r->names[r->n], sizeof(r->names[0]), "%s",
			 strcmp(t->name, "Data") == 0 ? "" : t->name);
	if (t->empty)
		r->values[r->n][0] = '\0';
	else
		decode(text, text_end, r->values[r->n], sizeof(r->values[0]));
	r->n++;
}

static bool walk(const char *xml, size_t len, struct parsed *r)
{
	struct cursor c = { xml, xml + len };
	struct tag t, next;
	const char *text, *next_text;
	enum { OUTSIDE, SYSTEM, DATA } where = OUTSIDE;
	bool have = next_tag(&c, &t, &text);
	while (have) {
		const char *before = c.p;
		bool more = next_tag(&c, &next, &next_text);
		/* the text of an element runs to the next tag */
		const char *text_end = more ? memchr(before, '<', (size_t)(c.end - before)) : c.end;
		if (!text_end)
			text_end = c.end;
		if (!t.closing) {
			if (strcmp(t.name, "System") == 0)
				where = SYSTEM;
			else if (strcmp(t.name, "EventData") == 0 || strcmp(t.name, "UserData") == 0)
				where = DATA;
			else if (where == SYSTEM)
				system_element(r, &t, text, text_end);
			else if (where == DATA && (t.empty || (more && next.closing)))
				data_element(r, &t, text, text_end); /* a leaf */
		} else if (strcmp(t.name, "System") == 0 || strcmp(t.name, "EventData") == 0 ||
			   strcmp(t.name, "UserData") == 0) {
			where = OUTSIDE;
		}
		t = next;
		text = next_text;
		have = more;
	}
	return r->have_provider && r->have_id && r->have_time;
}

bool event_xml_add(const char *xml, size_t len, unsigned log, event_filter keep,
		   struct events_view *v, bool *kept, char *err, size_t errsize)
{
	if (kept)
		*kept = false;
	struct parsed *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errsize, "out of memory");
		return false;
	}
	r->head.qualifiers = -1;
	r->head.log = log;
	bool ok = walk(xml, len, r);
	if (!ok) {
		snprintf(err, errsize, "an event record without a provider, an event id or a time");
	} else if (!keep || keep(&r->head)) {
		const char *names[EVENT_DATA_MAX], *values[EVENT_DATA_MAX];
		for (unsigned i = 0; i < r->n; i++)
			names[i] = r->names[i], values[i] = r->values[i];
		ok = events_add(v, &r->head, names, values, r->n);
		if (!ok)
			snprintf(err, errsize, "out of memory");
		else if (kept)
			*kept = true;
	}
	free(r);
	return ok;
}
