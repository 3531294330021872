/* SPDX-License-Identifier: MIT */
/*
 * journal.txt
 *   read=yes|no  source=  unreadable=  current_boot=  entries=N  dropped=N
 *   damaged=yes|no
 *   <boot id> TAB <first> TAB <last> TAB <kernel> TAB <microcode> TAB <dmi>
 *       TAB <kvm_up> TAB <verdict> [TAB seqnum=<n>] [TAB <fact>=<line>]...
 *   (seqnum is named, like the facts, so that an hvprobe from before it
 *   still loads the file; a boot without it has seqnum 0)
 * package-log.txt
 *   source=  skipped=N
 *   <time> TAB <action> TAB <name> TAB <from> TAB <to>
 * next-boot.txt
 *   key=value lines only (next_boot_keys below); each line of modprobe is
 *   a modprobe= line of its own, in order.
 *
 * A line with a tab is a record, any other a key=value header: the writer
 * turns tabs and control bytes inside a value into spaces, so a header
 * never holds one. Times are seconds since 1970 UTC. A value too long for
 * its field, a bad number, or a record with too few or too many fields is
 * an error naming the line; unknown keys and fact names are skipped, so a
 * newer hvprobe's bundle still loads.
 */
#include "history_text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "textscan.h"

#define COUNT_MAX ((unsigned long)-1)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum value_type {
	V_TEXT,   /* one line */
	V_LINES,  /* newline-separated lines: a key=value line each */
	V_BOOL,   /* yes, no */
	V_TRI,    /* yes, no, unknown */
	V_COUNT,  /* unsigned long */
	V_TIME,   /* int64_t */
	V_U64,    /* uint64_t */
	V_MODULE, /* enum module_presence, as module_presence_name() spells it */
};

/* A header key or a record's column, and where its value lives in the view
 * (or the record). */
struct field {
	const char *name;
	enum value_type type;
	size_t offset, size;
};

#define FIELD(type_, name_, t, member) \
	{ name_, t, offsetof(type_, member), sizeof(((type_ *)0)->member) }

#define J(name, t, m) FIELD(struct journal_view, name, t, m)
static const struct field journal_keys[] = {
	J("read", V_BOOL, read),
	J("source", V_TEXT, source),
	J("unreadable", V_TEXT, unreadable),
	J("current_boot", V_TEXT, current_boot),
	J("entries", V_COUNT, entries),
	J("dropped", V_COUNT, dropped),
	J("damaged", V_BOOL, damaged),
};

#define B(name, t, m) FIELD(struct journal_boot, name, t, m)
static const struct field boot_columns[] = {
	B("boot id", V_TEXT, boot_id),
	B("first", V_TIME, first),
	B("last", V_TIME, last),
	B("kernel", V_TEXT, kernel),
	B("microcode", V_TEXT, microcode),
	B("dmi", V_TEXT, dmi),
	B("kvm_up", V_TEXT, kvm_up),
	B("verdict", V_TEXT, verdict),
};

/* The named cells of a boot after its columns, besides the facts. */
static const struct field boot_named[] = {
	B("seqnum", V_U64, seqnum),
};

#define P(name, t, m) FIELD(struct package_log_view, name, t, m)
static const struct field package_log_keys[] = {
	P("source", V_TEXT, source),
	P("skipped", V_COUNT, skipped),
};

#define C(name, t, m) FIELD(struct package_change, name, t, m)
static const struct field change_columns[] = {
	C("time", V_TIME, time),
	C("action", V_TEXT, action),
	C("name", V_TEXT, name),
	C("from", V_TEXT, from),
	C("to", V_TEXT, to),
};

#define N(name, t, m) FIELD(struct next_boot_view, name, t, m)
static const struct field next_boot_keys[] = {
	N("probed", V_BOOL, probed),
	N("read", V_BOOL, read),
	N("loader", V_TEXT, loader),
	N("source", V_TEXT, source),
	N("entry", V_TEXT, entry),
	N("cmdline", V_TEXT, cmdline),
	N("problem", V_TEXT, problem),
	N("named", V_TEXT, named),
	N("loader_next", V_TEXT, loader_next),
	N("next.release", V_TEXT, next.release),
	N("next.tree", V_TRI, next.tree),
	N("next.kvm", V_MODULE, next.kvm),
	N("next.kvm_intel", V_MODULE, next.kvm_intel),
	N("next.kvm_amd", V_MODULE, next.kvm_amd),
	N("running.release", V_TEXT, running.release),
	N("running.tree", V_TRI, running.tree),
	N("running.kvm", V_MODULE, running.kvm),
	N("running.kvm_intel", V_MODULE, running.kvm_intel),
	N("running.kvm_amd", V_MODULE, running.kvm_amd),
	N("running_cmdline", V_TEXT, running_cmdline),
	N("modprobe", V_LINES, modprobe),
};

#undef J
#undef B
#undef P
#undef C
#undef N

/* parse_key() marks each key seen in one 64-bit mask. */
_Static_assert(ARRAY_SIZE(journal_keys) <= 64 && ARRAY_SIZE(package_log_keys) <= 64 &&
	       ARRAY_SIZE(next_boot_keys) <= 64, "too many keys for the seen mask");

/* The kernel-log facts by a name that does not change when enum kmsg_fact
 * is reordered: the enumerator's, in lower case. */
static const char *const fact_keys[] = {
	[KMSG_VMX_DISABLED_BY_BIOS] = "vmx_disabled_by_bios",
	[KMSG_SVM_DISABLED_BY_BIOS] = "svm_disabled_by_bios",
	[KMSG_KVM_DISABLED_BY_BIOS] = "kvm_disabled_by_bios",
	[KMSG_NX_ACTIVE] = "nx_active",
	[KMSG_NX_MISSING] = "nx_missing",
	[KMSG_VMX_NOT_FULLY_ENABLED] = "vmx_not_fully_enabled",
	[KMSG_KVM_NO_HW_SUPPORT] = "kvm_no_hw_support",
	[KMSG_KVM_ENABLE_FAILED] = "kvm_enable_failed",
};
_Static_assert(ARRAY_SIZE(fact_keys) == KMSG_FACT_COUNT, "a kernel-log fact without a name");

const char *kmsg_fact_key(enum kmsg_fact fact)
{
	return (unsigned)fact < KMSG_FACT_COUNT && fact_keys[fact] ? fact_keys[fact] : "unknown";
}

/* ---- writing ---- */

/* At most size bytes of s (a struct's buffer), control bytes as spaces. */
static void put_text(struct strbuf *out, const char *s, size_t size)
{
	for (size_t i = 0; i < size && s[i]; i++)
		sb_putc(out, (unsigned char)s[i] < 0x20 ? ' ' : s[i]);
}

static void put_value(struct strbuf *out, const struct field *f, const void *base)
{
	const char *p = (const char *)base + f->offset;
	switch (f->type) {
	case V_TEXT:
	case V_LINES: put_text(out, p, f->size); break;
	case V_BOOL: sb_puts(out, *(const bool *)(const void *)p ? "yes" : "no"); break;
	case V_TRI: sb_puts(out, tri_name(*(const tri_t *)(const void *)p)); break;
	case V_COUNT: sb_printf(out, "%lu", *(const unsigned long *)(const void *)p); break;
	case V_TIME: sb_printf(out, "%lld", (long long)*(const int64_t *)(const void *)p); break;
	case V_U64:
		sb_printf(out, "%llu", (unsigned long long)*(const uint64_t *)(const void *)p);
		break;
	case V_MODULE:
		sb_puts(out, module_presence_name(*(const enum module_presence *)(const void *)p));
		break;
	}
}

/* One name=line per line of a V_LINES value; none when it is empty. */
static void put_lines(struct strbuf *out, const char *name, const char *s, size_t size)
{
	size_t n = 0;
	while (n < size && s[n])
		n++;
	for (size_t start = 0; n && start <= n;) {
		const char *nl = memchr(s + start, '\n', n - start);
		size_t end = nl ? (size_t)(nl - s) : n;
		sb_printf(out, "%s=", name);
		put_text(out, s + start, end - start);
		sb_putc(out, '\n');
		start = end + 1;
	}
}

static void put_keys(struct strbuf *out, const struct field *keys, size_t n, const void *base)
{
	for (size_t i = 0; i < n; i++) {
		if (keys[i].type == V_LINES) {
			put_lines(out, keys[i].name, (const char *)base + keys[i].offset, keys[i].size);
			continue;
		}
		sb_printf(out, "%s=", keys[i].name);
		put_value(out, &keys[i], base);
		sb_putc(out, '\n');
	}
}

static void put_columns(struct strbuf *out, const struct field *cols, size_t n, const void *base)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(out, '\t');
		put_value(out, &cols[i], base);
	}
}

void journal_text_write(const struct evidence *ev, struct strbuf *out)
{
	const struct journal_view *v = &ev->journal;
	put_keys(out, journal_keys, ARRAY_SIZE(journal_keys), v);
	for (size_t i = 0; i < v->n; i++) {
		const struct journal_boot *b = &v->boots[i];
		put_columns(out, boot_columns, ARRAY_SIZE(boot_columns), b);
		for (size_t k = 0; k < ARRAY_SIZE(boot_named); k++) {
			sb_printf(out, "\t%s=", boot_named[k].name);
			put_value(out, &boot_named[k], b);
		}
		for (int k = 0; k < KMSG_FACT_COUNT; k++) {
			if (!b->kmsg[k][0])
				continue;
			sb_printf(out, "\t%s=", fact_keys[k]);
			put_text(out, b->kmsg[k], sizeof(b->kmsg[k]));
		}
		sb_putc(out, '\n');
	}
}

void package_log_text_write(const struct evidence *ev, struct strbuf *out)
{
	const struct package_log_view *v = &ev->package_log;
	put_keys(out, package_log_keys, ARRAY_SIZE(package_log_keys), v);
	for (size_t i = 0; i < v->n; i++) {
		put_columns(out, change_columns, ARRAY_SIZE(change_columns), &v->items[i]);
		sb_putc(out, '\n');
	}
}

void next_boot_text_write(const struct evidence *ev, struct strbuf *out)
{
	put_keys(out, next_boot_keys, ARRAY_SIZE(next_boot_keys), &ev->next_boot);
}

/* ---- reading ---- */

/* A signed decimal that fits int64_t. */
static bool parse_time(struct line v, int64_t *out)
{
	uint64_t n;
	bool neg = line_skip(&v, "-");
	if (!line_dec(&v, neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, &n) || v.n)
		return false;
	/* -(n - 1) - 1: INT64_MIN has no positive twin to negate */
	*out = !neg ? (int64_t)n : n ? -(int64_t)(n - 1) - 1 : 0;
	return true;
}

static bool parse_module(struct line v, enum module_presence *out)
{
	static const enum module_presence all[] = { MODULE_UNKNOWN, MODULE_FILE, MODULE_BUILTIN,
						    MODULE_MISSING };
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (line_equals(v, module_presence_name(all[i]))) {
			*out = all[i];
			return true;
		}
	return false;
}

/* Text into a buffer of size bytes: it must fit with its NUL and hold none.
 * `again` appends it as one more line (V_LINES). */
static bool parse_text(struct line v, char *p, size_t size, bool again)
{
	size_t at = again ? strlen(p) + 1 : 0;
	if (at + v.n >= size || memchr(v.s, '\0', v.n))
		return false;
	if (again)
		p[at - 1] = '\n';
	memcpy(p + at, v.s, v.n);
	p[at + v.n] = '\0';
	return true;
}

static bool parse_value(const struct field *f, struct line v, void *base, bool again)
{
	char *p = (char *)base + f->offset;
	uint64_t n;
	switch (f->type) {
	case V_TEXT: return parse_text(v, p, f->size, false);
	case V_LINES: return parse_text(v, p, f->size, again);
	case V_BOOL:
		if (!line_equals(v, "yes") && !line_equals(v, "no"))
			return false;
		*(bool *)(void *)p = line_equals(v, "yes");
		return true;
	case V_TRI: {
		tri_t t = line_equals(v, "yes") ? TRI_YES : line_equals(v, "no") ? TRI_NO : TRI_UNKNOWN;
		if (t == TRI_UNKNOWN && !line_equals(v, "unknown"))
			return false;
		*(tri_t *)(void *)p = t;
		return true;
	}
	case V_COUNT:
		if (!line_dec(&v, COUNT_MAX, &n) || v.n)
			return false;
		*(unsigned long *)(void *)p = (unsigned long)n;
		return true;
	case V_TIME: return parse_time(v, (int64_t *)(void *)p);
	case V_U64:
		if (!line_dec(&v, UINT64_MAX, &n) || v.n)
			return false;
		*(uint64_t *)(void *)p = n;
		return true;
	case V_MODULE: return parse_module(v, (enum module_presence *)(void *)p);
	}
	return false;
}

struct parse_state {
	char *err;
	size_t errsize;
	unsigned lineno;
	uint64_t seen; /* the header keys met so far, by index */
};

static bool fail(struct parse_state *st, const char *what, const char *name)
{
	snprintf(st->err, st->errsize, "line %u: %s%s", st->lineno, what, name);
	return false;
}

/* A key=value line; a key this hvprobe does not know is skipped. */
static bool parse_key(const struct field *keys, size_t n, struct line l, void *base,
		      struct parse_state *st)
{
	const char *eq = memchr(l.s, '=', l.n);
	if (!eq)
		return fail(st, "expected key=value or a record of fields separated by tabs", "");
	struct line key = { l.s, (size_t)(eq - l.s) };
	struct line value = { eq + 1, l.n - key.n - 1 };
	for (size_t i = 0; i < n; i++) {
		if (!line_equals(key, keys[i].name))
			continue;
		if (!parse_value(&keys[i], value, base, st->seen >> i & 1))
			return fail(st, "bad value for ", keys[i].name);
		st->seen |= (uint64_t)1 << i;
		break;
	}
	return true;
}

/* The next tab-separated cell of l; false when the last one was taken. */
static bool next_cell(struct line *l, bool *more, struct line *cell)
{
	if (!*more)
		return false;
	const char *tab = memchr(l->s, '\t', l->n);
	cell->s = l->s;
	cell->n = tab ? (size_t)(tab - l->s) : l->n;
	l->s += cell->n + (tab != NULL);
	l->n -= cell->n + (tab != NULL);
	*more = tab != NULL;
	return true;
}

static bool parse_columns(const struct field *cols, size_t n, struct line *l, bool *more,
			  void *base, struct parse_state *st, const char *expected)
{
	struct line cell;
	for (size_t i = 0; i < n; i++) {
		if (!next_cell(l, more, &cell))
			return fail(st, "too few fields: expected ", expected);
		if (!parse_value(&cols[i], cell, base, false))
			return fail(st, "bad value for ", cols[i].name);
	}
	return true;
}

/* A seqnum=<n> or <fact>=<line> cell of a boot; a name this hvprobe does
 * not know is skipped. */
static bool parse_fact(struct line cell, struct journal_boot *b, struct parse_state *st)
{
	const char *eq = memchr(cell.s, '=', cell.n);
	if (!eq)
		return fail(st, "expected fact=line after the verdict", "");
	struct line name = { cell.s, (size_t)(eq - cell.s) };
	struct line value = { eq + 1, cell.n - name.n - 1 };
	for (size_t k = 0; k < ARRAY_SIZE(boot_named); k++)
		if (line_equals(name, boot_named[k].name))
			return parse_value(&boot_named[k], value, b, false) ||
			       fail(st, "bad value for ", boot_named[k].name);
	for (int k = 0; k < KMSG_FACT_COUNT; k++)
		if (line_equals(name, fact_keys[k]))
			return parse_text(value, b->kmsg[k], sizeof(b->kmsg[k]), false) ||
			       fail(st, "bad value for ", fact_keys[k]);
	return true;
}

#define BOOT_EXPECTED "boot id, first, last, kernel, microcode, dmi, kvm_up and verdict " \
		      "separated by tabs, then seqnum=n and fact=line fields"

static bool parse_boot(struct line l, struct journal_view *v, struct journal_boot *b,
		       struct parse_state *st)
{
	struct line cell;
	bool more = true;
	memset(b, 0, sizeof(*b));
	if (!parse_columns(boot_columns, ARRAY_SIZE(boot_columns), &l, &more, b, st, BOOT_EXPECTED))
		return false;
	if (!b->boot_id[0])
		return fail(st, "bad value for ", "boot id");
	while (next_cell(&l, &more, &cell))
		if (!parse_fact(cell, b, st))
			return false;
	struct journal_boot *slot = journal_add_boot(v, b->boot_id);
	if (!slot)
		return fail(st, "out of memory", "");
	*slot = *b;
	return true;
}

#define CHANGE_EXPECTED "time, action, name, from and to separated by tabs"

static bool parse_change(struct line l, struct package_log_view *v, struct parse_state *st)
{
	struct package_change c = { 0 };
	bool more = true;
	if (!parse_columns(change_columns, ARRAY_SIZE(change_columns), &l, &more, &c, st,
			   CHANGE_EXPECTED))
		return false;
	if (more)
		return fail(st, "too many fields: expected ", CHANGE_EXPECTED);
	if (!c.action[0] || !c.name[0])
		return fail(st, "bad value for ", c.action[0] ? "name" : "action");
	if (!package_log_add(v, &c)) {
		snprintf(st->err, st->errsize, "line %u: more than %d changes (or out of memory)",
			 st->lineno, PACKAGE_CHANGES_MAX);
		return false;
	}
	return true;
}

/* What one of the three files is: its header keys, where they go, and
 * what a record line is (NULL: none allowed). */
struct history_file {
	const struct field *keys;
	size_t nkeys;
	void *view;
	bool (*record)(struct line l, void *ctx, struct parse_state *st);
	void *ctx;
};

static bool parse_lines(const char *text, size_t len, const struct history_file *f,
			struct parse_state *st)
{
	struct line_reader lr;
	struct line l;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		st->lineno = lr.lineno;
		if (l.n == 0 || l.s[0] == '#')
			continue;
		bool record = f->record && memchr(l.s, '\t', l.n);
		if (!(record ? f->record(l, f->ctx, st) : parse_key(f->keys, f->nkeys, l, f->view, st)))
			return false;
	}
	return true;
}

struct boot_ctx {
	struct journal_view *v;
	struct journal_boot scratch; /* a boot as parsed, before it joins the view */
};

static bool boot_record(struct line l, void *ctx, struct parse_state *st)
{
	struct boot_ctx *c = ctx;
	return parse_boot(l, c->v, &c->scratch, st);
}

static bool change_record(struct line l, void *ctx, struct parse_state *st)
{
	return parse_change(l, ctx, st);
}

bool journal_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
			size_t errsize)
{
	struct parse_state st = { err, errsize, 0, 0 };
	struct boot_ctx ctx = { .v = &ev->journal };
	const struct history_file f = { journal_keys, ARRAY_SIZE(journal_keys), &ev->journal,
					boot_record, &ctx };
	ev->journal.read = true; /* the file is there: read=no says otherwise */
	if (!parse_lines(text, len, &f, &st))
		return false;
	journal_settle(&ev->journal);
	return true;
}

bool package_log_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
			    size_t errsize)
{
	struct parse_state st = { err, errsize, 0, 0 };
	const struct history_file f = { package_log_keys, ARRAY_SIZE(package_log_keys),
					&ev->package_log, change_record, &ev->package_log };
	if (!parse_lines(text, len, &f, &st))
		return false;
	package_log_settle(&ev->package_log); /* a file edited by hand may be out of order */
	ev->package_log.read = true;
	return true;
}

bool next_boot_text_parse(const char *text, size_t len, struct evidence *ev, char *err,
			  size_t errsize)
{
	struct parse_state st = { err, errsize, 0, 0 };
	const struct history_file f = { next_boot_keys, ARRAY_SIZE(next_boot_keys), &ev->next_boot,
					NULL, NULL };
	ev->next_boot.probed = true; /* the file is there: probed=no says otherwise */
	return parse_lines(text, len, &f, &st);
}
