/* SPDX-License-Identifier: MIT */
#include "known_issues.h"

#include "evidence.h"

#include <stdlib.h>
#include <string.h>

const struct known_issue *known_issue_find(const struct known_issue_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (ascii_equal_nocase(l->items[i].id, id))
			return &l->items[i];
	return NULL;
}

bool known_issues_add(struct known_issue_list *l, const struct known_issue *k)
{
	struct known_issue *old = (struct known_issue *)known_issue_find(l, k->id);
	if (old) {
		*old = *k;
		return true;
	}
	if (l->n == KNOWN_ISSUES_MAX)
		return false;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct known_issue *p = realloc(l->items, cap * sizeof(*p));
		if (!p)
			return false;
		l->items = p;
		l->cap = cap;
	}
	l->items[l->n++] = *k;
	return true;
}

static bool parse_number(const char **p, unsigned *out)
{
	unsigned long v = 0;
	const char *s = *p;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s++ - '0');
		if (v > 0xFFFFFFFFul)
			return false;
	}
	*out = (unsigned)v;
	*p = s;
	return true;
}

bool windows_build_parse(const char *text, struct windows_build *out)
{
	const char *p = text;
	*out = (struct windows_build){ 0, 0 };
	if (!parse_number(&p, &out->build))
		return false;
	if (*p == '.') {
		p++;
		if (!parse_number(&p, &out->ubr))
			return false;
	}
	return *p == '\0';
}

int windows_build_compare(struct windows_build a, struct windows_build b)
{
	if (a.build != b.build)
		return a.build < b.build ? -1 : 1;
	if (a.ubr != b.ubr)
		return a.ubr < b.ubr ? -1 : 1;
	return 0;
}

const char *known_firmware_name(enum known_firmware f)
{
	switch (f) {
	case KNOWN_FIRMWARE_UEFI: return "uefi";
	case KNOWN_FIRMWARE_BIOS: return "bios";
	default: return "any";
	}
}

enum known_issue_match known_issue_match(const struct known_issue *k, bool have_build,
					 struct windows_build build, int uefi)
{
	bool build_set = k->build_min != 0, firmware_set = k->firmware != KNOWN_FIRMWARE_ANY;
	/* a condition known to fail rules the host out, whatever is unknown */
	if (build_set && have_build && (build.build < k->build_min || build.build > k->build_max))
		return KNOWN_OTHER_BUILD;
	if (firmware_set && uefi >= 0 && (uefi == 1) != (k->firmware == KNOWN_FIRMWARE_UEFI))
		return KNOWN_OTHER_FIRMWARE;
	if (build_set && !have_build)
		return KNOWN_BUILD_UNKNOWN;
	if (firmware_set && uefi < 0)
		return KNOWN_FIRMWARE_UNKNOWN;
	return KNOWN_MATCHES;
}

void known_issues_free(struct known_issue_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

const struct known_issue *known_issue_applicable(const struct known_issue_list *l, const char *id,
						 bool have_build, struct windows_build build, int uefi)
{
	const struct known_issue *k = l && id[0] ? known_issue_find(l, id) : NULL;
	if (!k)
		return NULL;
	enum known_issue_match m = known_issue_match(k, have_build, build, uefi);
	return m == KNOWN_OTHER_BUILD || m == KNOWN_OTHER_FIRMWARE ? NULL : k;
}
