/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the parsers behind --from, --msr-file and
 * --known-issues. The first byte picks the parser; the rest is its text. A valid Intel
 * CPU is always present so the parsed values reach the checks. What the
 * Linux history parsers accept must also survive being written back.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "formats/bundle_text.h"
#include "formats/installed_text.h"
#include "formats/history_text.h"
#include "formats/known_issues_text.h"
#include "formats/cpuinfo.h"
#include "formats/kmsg.h"
#include "formats/msr_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The writer's text of what parse accepted is accepted again. */
static bool rewritten(bool (*parse)(const char *, size_t, struct evidence *, char *, size_t),
		      void (*write)(const struct evidence *, struct strbuf *),
		      const char *text, size_t len, struct evidence *ev)
{
	char err[256];
	if (!parse(text, len, ev, err, sizeof(err)))
		return false;
	struct evidence again;
	struct strbuf sb;
	evidence_init(&again);
	sb_init(&sb);
	write(ev, &sb);
	if (!sb.failed && !parse(sb_str(&sb), sb.len, &again, err, sizeof(err)))
		abort();
	sb_free(&sb);
	evidence_free(&again);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence ev;
	char err[256];
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	evidence_init(&ev);
	add_base_cpu(&ev);
	bool ok = true;
	struct known_issue_list known = { 0 };
	switch (data[0] % 10) {
	case 0: ok = bundle_host_parse(text, len, &ev, err, sizeof(err)); break;
	case 1: ok = msr_text_parse(text, len, data[0] & 0x80, &ev, err, sizeof(err)); break;
	case 2: cpuinfo_parse(text, len, &ev.linux_); break;
	case 3: kmsg_scan(text, len, &ev.linux_); break;
	case 4: {
		char arg[128];
		size_t n = len < sizeof(arg) - 1 ? len : sizeof(arg) - 1;
		memcpy(arg, text, n);
		arg[n] = '\0';
		ok = msr_text_parse_arg(arg, &ev, err, sizeof(err));
		break;
	}
	case 5: ok = installed_text_parse(text, len, &ev, err, sizeof(err)); break;
	case 6: ok = known_issues_parse(text, len, &known, err, sizeof(err)); break;
	case 7: ok = rewritten(journal_text_parse, journal_text_write, text, len, &ev); break;
	case 8: ok = rewritten(package_log_text_parse, package_log_text_write, text, len, &ev); break;
	case 9: ok = rewritten(next_boot_text_parse, next_boot_text_write, text, len, &ev); break;
	}
	if (ok)
		judge_everything(&ev, NULL);
	known_issues_free(&known);
	evidence_free(&ev);
	return 0;
}
