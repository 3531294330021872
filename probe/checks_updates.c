/* SPDX-License-Identifier: MIT */
/* Installed updates that are known to stop a hypervisor from launching
 * (probe/known_issues.h). A signal, not a verdict: advisory everywhere. */
#include "checks.h"

#include <stdio.h>
#include <string.h>

void check_updates_known_bad(const struct facts *f, struct check_result *r)
{
	const struct installed_view *v = &f->ev->installed;
	if (!v->read) {
		result_set(r, STATUS_SKIP, "no list of installed updates in %s", check_source_words(f));
		result_remedy(r, "give the Windows volume with --windows DIR (its SOFTWARE hive lists "
				 "the updates)");
		r->no_evidence = true;
		return;
	}
	char names[200] = "", fixes[600] = "";
	size_t found = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct installed_item *it = &v->items[i];
		const struct known_issue *k = known_issue_find(f->known, it->name);
		if (!k || !installed_is_active(it->state))
			continue;
		found++;
		char source[96];
		snprintf(source, sizeof(source), "known bad on %s", k->platforms);
		result_text(r, it->name, it->state, source);
		size_t n = strlen(names), m = strlen(fixes);
		snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "", it->name);
		snprintf(fixes + m, sizeof(fixes) - m, "%s%s: %s", m ? "; " : "", it->name, k->fix);
	}
	if (found) {
		result_set(r, STATUS_WARN, "%s %s, known to stop the hypervisor from launching", names,
			   found == 1 ? "is installed" : "are installed");
		result_remedy(r, "%s", fixes);
		return;
	}
	result_int(r, "installed", (long long)v->n, v->source);
	result_int(r, "known_bad", (long long)f->known->n, "known-issues list");
	result_set(r, STATUS_PASS, "none of %zu installed update%s is on the list of %zu known bad ones",
		   v->n, v->n == 1 ? "" : "s", f->known->n);
}
