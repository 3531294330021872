/* SPDX-License-Identifier: MIT */
#include "known_issues_text.h"

#include <stdio.h>
#include <string.h>

#include "textscan.h"

#define SEPARATOR " | "

/* The next field up to " | " (or the end, for the last), blanks trimmed;
 * false when it is empty or does not fit. */
static bool next_field(struct line *l, bool last, char *out, size_t size)
{
	size_t n = l->n;
	const char *sep = NULL;
	if (!last) {
		for (size_t i = 0; i + 3 <= l->n; i++) {
			if (memcmp(l->s + i, SEPARATOR, 3) == 0) {
				sep = l->s + i;
				break;
			}
		}
		if (!sep)
			return false;
		n = (size_t)(sep - l->s);
	}
	struct line f = line_trim((struct line){ l->s, n });
	if (f.n == 0 || f.n >= size || memchr(f.s, '|', f.n) || memchr(f.s, '\0', f.n))
		return false;
	memcpy(out, f.s, f.n);
	out[f.n] = '\0';
	if (sep) {
		l->n -= (size_t)(sep + 3 - l->s);
		l->s = sep + 3;
	}
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
		char *fields[] = { k.id, k.platforms, k.symptom, k.source, k.fix };
		size_t sizes[] = { sizeof(k.id), sizeof(k.platforms), sizeof(k.symptom),
				   sizeof(k.source), sizeof(k.fix) };
		for (int i = 0; i < 5; i++) {
			if (!next_field(&line, i == 4, fields[i], sizes[i])) {
				snprintf(err, errsize, "line %u: field %d (%s) is missing, empty or too long; "
					 "expected id | platforms | symptom | source | fix", lr.lineno, i + 1,
					 names[i]);
				return false;
			}
		}
		for (const char *p = k.id; *p; p++) {
			if (*p == ' ' || *p == '\t') {
				snprintf(err, errsize, "line %u: the id \"%s\" has a blank in it", lr.lineno, k.id);
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
