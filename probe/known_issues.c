/* SPDX-License-Identifier: MIT */
#include "known_issues.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool same_id(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return *a == *b;
}

const struct known_issue *known_issue_find(const struct known_issue_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (same_id(l->items[i].id, id))
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

void known_issues_free(struct known_issue_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
