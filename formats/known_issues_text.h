/* SPDX-License-Identifier: MIT */
/* The known-issues text format (docs/known-issues.md). */
#ifndef HVPROBE_KNOWN_ISSUES_TEXT_H
#define HVPROBE_KNOWN_ISSUES_TEXT_H

#include <stddef.h>

#include "../probe/known_issues.h"

/* Parse and add every entry; false with "line N: ..." in err. */
bool known_issues_parse(const char *text, size_t len, struct known_issue_list *l, char *err,
			size_t errsize);

/* The list shipped with hvprobe (data/known-issues.txt, built in). */
extern const char known_issues_builtin[];

#endif
