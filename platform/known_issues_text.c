/* SPDX-License-Identifier: MIT */
#include "known_issues_text.h"

#include <stdio.h>
#include <string.h>

#include "textscan.h"

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

bool known_issues_parse(const char *text, size_t len, struct known_issue_list *l, char *err,
			size_t errsize)
{
	static const char *const names[] = { "id", "platforms", "symptom", "source", "fix" };
	struct line_reader lr;
	struct line line;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &line)) {
		line = line_trim(line);
		if (line.n == 0 || line.s[0] == '#')
			continue;
		struct known_issue k;
		struct line f[5];
		char *fields[] = { k.id, k.platforms, k.symptom, k.source, k.fix };
		size_t sizes[] = { sizeof(k.id), sizeof(k.platforms), sizeof(k.symptom),
				   sizeof(k.source), sizeof(k.fix) };
		int n = split(line, f, 5);
		if (n != 5) {
			snprintf(err, errsize, "line %u: %d field%s, expected 5: id | platforms | symptom | "
				 "source | fix", lr.lineno, n, n == 1 ? "" : "s");
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
		}
		if (!known_issues_add(l, &k)) {
			snprintf(err, errsize, "line %u: more than %d entries", lr.lineno, KNOWN_ISSUES_MAX);
			return false;
		}
	}
	return true;
}
