// SPDX-License-Identifier: MIT
/*
 * dpkg's log and apt's history (docs/linux-history.md, "Package logs").
 * dpkg(1) writes one line per action ("2024-01-15 10:22:31 upgrade
 * linux-image-amd64:amd64 6.1.76-1 6.1.90-1"); apt writes one entry per
 * run, its packages comma-separated on one line per action. Both in the
 * local time of the system, without a zone.
 */
#include <stdio.h>
#include <string.h>

#include "../probe/utc.h"
#include "dpkg.h"
#include "pkglog.h"
#include "textscan.h"
#include "../probe/strbuf.h"

/* dpkg(1) "FILES": the actions of its log. Only the first four change
 * what is installed; the others are steps of those, or bookkeeping. */
static const struct {
	const char *word;
	bool change;
} dpkg_actions[] = {
	{ "install", true },	  { "upgrade", true },	  { "remove", true },
	{ "purge", true },	  { "status", false },	  { "startup", false },
	{ "configure", false },	  { "trigproc", false },  { "conffile", false },
	{ "disappear", false },
};

/* apt's history: the line of each action and the word evidence.h uses. */
static const struct {
	const char *key;
	const char *action;
} apt_actions[] = {
	{ "Install:", "install" },	{ "Upgrade:", "upgrade" },   { "Downgrade:", "downgrade" },
	{ "Remove:", "remove" },	{ "Purge:", "purge" },	     { "Reinstall:", "reinstall" },
};

/* The next blank-separated word of l; false at the end. */
static void copy_word(struct line w, char *out, size_t size)
{
	str_copy_n(out, size, w.s, w.n);
}

/* A package name without its ":ARCH" (Debian names hold no colon). */
static void copy_name(struct line w, char *out, size_t size)
{
	const char *colon = memchr(w.s, ':', w.n);
	if (colon)
		w.n = (size_t)(colon - w.s);
	copy_word(w, out, size);
}

/* dpkg writes "<none>" where a version is absent. */
static void copy_version(struct line w, char *out, size_t size)
{
	if (line_equals(w, "<none>"))
		out[0] = '\0';
	else
		copy_word(w, out, size);
}

/* n digits at s; -1 when they are not all digits. */
static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD" and "HH:MM:SS", as both logs write them. */
static bool read_time(struct line date, struct line clock, local_time_fn to_utc, void *ctx,
		      int64_t *t)
{
	if (date.n != 10 || date.s[4] != '-' || date.s[7] != '-' || clock.n != 8 ||
	    clock.s[2] != ':' || clock.s[5] != ':')
		return false;
	int f[6] = { digits(date.s, 4), digits(date.s + 5, 2), digits(date.s + 8, 2),
		     digits(clock.s, 2), digits(clock.s + 3, 2), digits(clock.s + 6, 2) };
	for (int i = 0; i < 6; i++)
		if (f[i] < 0)
			return false;
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60)
		return false;
	if (!t) /* the form alone: a line that will not be kept needs no time */
		return true;
	if (to_utc)
		return to_utc(ctx, f[0], f[1], f[2], f[3], f[4], f[5], t);
	char iso[24];
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", f[0], f[1], f[2], f[3], f[4],
		 f[5]);
	return utc_parse(iso, t);
}

static int dpkg_action(struct line w)
{
	for (size_t i = 0; i < sizeof(dpkg_actions) / sizeof(dpkg_actions[0]); i++)
		if (line_equals(w, dpkg_actions[i].word))
			return (int)i;
	return -1;
}

/* One line of dpkg's log: -1 not understood, 0 passed over, 1 a change
 * that matters. The local time is converted last, and only for those: a
 * year of dpkg's log holds thousands of lines, and each conversion may ask
 * the C library to look at the zone file again. */
static int dpkg_line(struct line l, local_time_fn to_utc, void *ctx, struct package_change *c)
{
	struct line date, clock, act, pkg, from, to;
	if (!line_word(&l, &date) || !line_word(&l, &clock) || !line_word(&l, &act))
		return -1;
	int a = dpkg_action(act);
	if (a < 0 || !read_time(date, clock, NULL, NULL, NULL))
		return -1;
	if (!dpkg_actions[a].change)
		return 0;
	if (!line_word(&l, &pkg) || !line_word(&l, &from) || !line_word(&l, &to))
		return -1;
	copy_name(pkg, c->name, sizeof(c->name));
	if (!dpkg_package_matters(c->name))
		return 0;
	if (!read_time(date, clock, to_utc, ctx, &c->time))
		return -1;
	copy_word(act, c->action, sizeof(c->action));
	copy_version(from, c->from, sizeof(c->from));
	copy_version(to, c->to, sizeof(c->to));
	return 1;
}

bool dpkg_log_parse(const char *text, size_t len, local_time_fn to_utc, void *ctx,
		    struct package_log_view *v)
{
	struct line_reader lr;
	struct line l;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		struct package_change c = { 0 };
		if (line_trim(l).n == 0)
			continue;
		int r = dpkg_line(l, to_utc, ctx, &c);
		if (r < 0)
			v->skipped++;
		else if (r > 0 && !package_log_add(v, &c))
			return false;
	}
	return true;
}

/* One "PKG[:ARCH] (A[, B])" of an apt list, consumed from l; false when
 * it is not that form. */
static bool apt_item(struct line *l, struct line *pkg, struct line *a, struct line *b)
{
	while (l->n && (l->s[0] == ' ' || l->s[0] == ','))
		l->s++, l->n--;
	if (!line_word(l, pkg) || !line_skip(l, " (")) /* line_word leaves the blank */
		return false;
	const char *close = memchr(l->s, ')', l->n);
	if (!close)
		return false;
	struct line in = { l->s, (size_t)(close - l->s) };
	l->n -= (size_t)(close + 1 - l->s);
	l->s = close + 1;
	const char *comma = memchr(in.s, ',', in.n);
	a->s = in.s;
	a->n = comma ? (size_t)(comma - in.s) : in.n;
	b->n = 0;
	b->s = in.s + in.n;
	if (comma) {
		b->s = comma + 1;
		b->n = in.n - (size_t)(b->s - in.s);
		*b = line_trim(*b);
	}
	*a = line_trim(*a);
	return a->n > 0;
}

/* Versions by action: "(NEW)" or "(NEW, automatic)" for an install,
 * "(OLD, NEW)" for an up- or downgrade, "(OLD)" for a removal. */
static void apt_versions(const char *action, struct line a, struct line b,
			 struct package_change *c)
{
	if (strcmp(action, "upgrade") == 0 || strcmp(action, "downgrade") == 0) {
		copy_word(a, c->from, sizeof(c->from));
		copy_word(b, c->to, sizeof(c->to));
	} else if (strcmp(action, "remove") == 0 || strcmp(action, "purge") == 0) {
		copy_word(a, c->from, sizeof(c->from));
	} else {
		copy_word(a, c->to, sizeof(c->to));
	}
}

/* An action line of an entry begun at `start` (known when start_ok). */
static bool apt_list(struct line l, const char *action, bool start_ok, int64_t start,
		     struct package_log_view *v)
{
	struct line pkg, a, b;
	if (!start_ok) {
		v->skipped++;
		return true;
	}
	while (line_trim(l).n) {
		struct package_change c = { .time = start };
		if (!apt_item(&l, &pkg, &a, &b)) {
			v->skipped++;
			return true;
		}
		copy_name(pkg, c.name, sizeof(c.name));
		if (!dpkg_package_matters(c.name))
			continue;
		str_copy_n(c.action, sizeof(c.action), action, strlen(action));
		apt_versions(action, a, b, &c);
		if (!package_log_add(v, &c))
			return false;
	}
	return true;
}

static const char *apt_action(struct line *l)
{
	for (size_t i = 0; i < sizeof(apt_actions) / sizeof(apt_actions[0]); i++)
		if (line_skip(l, apt_actions[i].key))
			return apt_actions[i].action;
	return NULL;
}

bool apt_history_parse(const char *text, size_t len, local_time_fn to_utc, void *ctx,
		       struct package_log_view *v)
{
	struct line_reader lr;
	struct line l, date, clock;
	bool start_ok = false;
	int64_t start = 0;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		const char *action;
		if (line_trim(l).n == 0) {
			start_ok = false; /* an entry ends */
		} else if (line_skip(&l, "Start-Date:")) {
			start_ok = line_word(&l, &date) && line_word(&l, &clock) &&
				   read_time(date, clock, to_utc, ctx, &start);
			if (!start_ok)
				v->skipped++;
		} else if ((action = apt_action(&l)) != NULL) {
			if (!apt_list(l, action, start_ok, start, v))
				return false;
		} else if (!memchr(l.s, ':', l.n)) {
			v->skipped++; /* Commandline:, End-Date:, Error: ... are not changes */
		}
	}
	return true;
}
