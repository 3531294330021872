/* SPDX-License-Identifier: MIT */
#include "known_issues_text.h"

#include <stdio.h>
#include <string.h>

#include "textscan.h"
#include "../probe/strbuf.h"

#define SEPARATOR " | "

/* Split l at " | " into at most max fields, blanks trimmed; the count. */
static int split(struct line l, struct line *fields, int max)
{
	int n = 0;
	for (;;) {
		size_t i = 0;
		while (i + 3 <= l.n && memcmp(l.s + i, SEPARATOR, 3) != 0)
			i++;
		if (i + 3 > l.n)
			i = l.n;
		if (n < max)
			fields[n] = line_trim((struct line){ l.s, i });
		n++;
		if (i == l.n)
			return n;
		l.s += i + 3;
		l.n -= i + 3;
	}
}

static bool copy_field(struct line f, char *out, size_t size)
{
	if (f.n == 0 || f.n >= size || memchr(f.s, '|', f.n) || memchr(f.s, '\0', f.n))
		return false;
	memcpy(out, f.s, f.n);
	out[f.n] = '\0';
	return true;
}

static bool word_copy(struct line w, char *out, size_t size)
{
	if (w.n == 0 || w.n >= size || memchr(w.s, '\0', w.n))
		return false;
	memcpy(out, w.s, w.n);
	out[w.n] = '\0';
	return true;
}

/* builds=9600 or builds=9200-9600 */
static bool parse_builds(const char *v, struct known_issue *k)
{
	char lo[16], *dash = strchr(v, '-');
	size_t n = dash ? (size_t)(dash - v) : strlen(v);
	if (n >= sizeof(lo) || strlen(v) > 2 * sizeof(lo))
		return false;
	str_copy_n(lo, sizeof(lo), v, n);
	struct windows_build a, b;
	if (!windows_build_parse(lo, &a) || a.ubr || strchr(lo, '.'))
		return false;
	b = a;
	if (dash && (!windows_build_parse(dash + 1, &b) || strchr(dash + 1, '.') || b.build < a.build))
		return false;
	k->build_min = a.build;
	k->build_max = b.build;
	return k->build_min > 0;
}

/* fixed-by=KB5010794,KB5010419 */
static bool parse_fixed_by(const char *v, struct known_issue *k)
{
	while (*v) {
		size_t n = strcspn(v, ",");
		if (n == 0 || n >= sizeof(k->fixed_by[0]) || k->nfixed_by == KNOWN_ISSUE_FIXES_MAX)
			return false;
		memcpy(k->fixed_by[k->nfixed_by], v, n);
		k->fixed_by[k->nfixed_by++][n] = '\0';
		v += n;
		if (*v == ',' && *++v == '\0')
			return false;
	}
	return k->nfixed_by > 0;
}

static bool parse_condition(const char *key, const char *v, struct known_issue *k)
{
	/* each condition once: a second one would silently win */
	if ((strcmp(key, "builds") == 0 && k->build_min) ||
	    (strcmp(key, "firmware") == 0 && k->firmware != KNOWN_FIRMWARE_ANY) ||
	    (strcmp(key, "fixed-by") == 0 && k->nfixed_by) ||
	    (strcmp(key, "fixed-in") == 0 && k->fixed_in.build))
		return false;
	if (strcmp(key, "builds") == 0)
		return parse_builds(v, k);
	if (strcmp(key, "firmware") == 0) {
		if (strcmp(v, "uefi") == 0)
			k->firmware = KNOWN_FIRMWARE_UEFI;
		else if (strcmp(v, "bios") == 0)
			k->firmware = KNOWN_FIRMWARE_BIOS;
		else
			return false;
		return true;
	}
	if (strcmp(key, "fixed-by") == 0)
		return parse_fixed_by(v, k);
	if (strcmp(key, "fixed-in") == 0) /* BUILD.UBR: a bare build would include every revision */
		return strchr(v, '.') && windows_build_parse(v, &k->fixed_in) && k->fixed_in.build > 0;
	return false;
}

/* The optional sixth field: blank-separated key=value conditions. */
static bool parse_conditions(struct line f, struct known_issue *k, unsigned lineno, char *err,
			     size_t errsize)
{
	for (;;) {
		char word[200];
		struct line w;
		if (!line_word(&f, &w))
			return true;
		char *eq = word_copy(w, word, sizeof(word)) ? strchr(word, '=') : NULL;
		if (eq)
			*eq = '\0';
		if (!eq || !parse_condition(word, eq + 1, k)) {
			snprintf(err, errsize, "line %u: condition \"%.*s\" is not one of builds=N[-M], "
				 "firmware=uefi|bios, fixed-by=KB[,KB...], fixed-in=BUILD.UBR",
				 lineno, (int)(w.n < 60 ? w.n : 60), w.s);
			return false;
		}
	}
}

bool known_issues_parse(const char *text, size_t len, struct known_issue_list *l, char *err,
			size_t errsize)
{
	static const char *const names[] = { "id", "platforms", "symptom", "source", "fix" };
	struct line_reader lr;
	struct line line;
	/* Notepad starts UTF-8 files with a byte order mark: not part of the first id */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &line)) {
		line = line_trim(line);
		if (line.n == 0 || line.s[0] == '#')
			continue;
		struct known_issue k;
		memset(&k, 0, sizeof(k));
		struct line f[6];
		char *fields[] = { k.id, k.platforms, k.symptom, k.source, k.fix };
		size_t sizes[] = { sizeof(k.id), sizeof(k.platforms), sizeof(k.symptom),
				   sizeof(k.source), sizeof(k.fix) };
		int n = split(line, f, 6);
		if (n != 5 && n != 6) {
			snprintf(err, errsize, "line %u: %d field%s, expected 5 or 6: id | platforms | "
				 "symptom | source | fix [| conditions]", lr.lineno, n, n == 1 ? "" : "s");
			return false;
		}
		for (int i = 0; i < 5; i++) {
			if (!copy_field(f[i], fields[i], sizes[i])) {
				snprintf(err, errsize, "line %u: field %d (%s) is empty, too long or holds a "
					 "'|'", lr.lineno, i + 1, names[i]);
				return false;
			}
		}
		for (const char *p = k.id; *p; p++) {
			if (*p == ' ' || *p == '\t') {
				snprintf(err, errsize, "line %u: the id has a blank in it", lr.lineno);
				return false;
			}
			if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7E) {
				snprintf(err, errsize, "line %u: the id holds a character that is not "
					 "printable ASCII", lr.lineno);
				return false;
			}
		}
		if (n == 6 && !parse_conditions(f[5], &k, lr.lineno, err, errsize))
			return false;
		if (!known_issues_add(l, &k)) {
			snprintf(err, errsize, "line %u: more than %d entries", lr.lineno, KNOWN_ISSUES_MAX);
			return false;
		}
	}
	return true;
}
