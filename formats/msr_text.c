/* SPDX-License-Identifier: MIT */
#include "msr_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textscan.h"

static bool status_from_name(struct line l, enum msr_status *out)
{
	static const enum msr_status all[] = { MSR_NO_DEVICE, MSR_DENIED, MSR_UNSUPPORTED,
					       MSR_IO_ERROR, MSR_NOT_RECORDED };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *name = msr_status_name(all[i]);
		if (l.n == strlen(name) && memcmp(l.s, name, l.n) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

/* Parse one trimmed, non-empty line. */
static bool parse_msr_line(struct line l, bool recorded, struct evidence *ev, char *err,
			   size_t errsize)
{
	if (line_skip(&l, "access=")) {
		if (!status_from_name(line_trim(l), &ev->msr_access)) {
			snprintf(err, errsize, "unknown access state");
			return false;
		}
		return true;
	}
	struct msr_reading r = { .cpu = MSR_ALL_CPUS, .status = MSR_OK };
	uint64_t v;
	if (line_skip(&l, "cpu")) {
		if (!line_dec(&l, EVIDENCE_MAX_CPUS, &v) || (l.n && l.s[0] != ' ' && l.s[0] != '\t')) {
			snprintf(err, errsize, "expected cpuN before the MSR");
			return false;
		}
		r.cpu = (int)v;
		line_skip_blanks(&l);
	}
	if (!line_hex(&l, 32, &v) || !line_skip(&l, "=")) {
		snprintf(err, errsize, "expected INDEX=VALUE, such as 0x3a=0x5");
		return false;
	}
	r.index = (uint32_t)v;
	struct line value = line_trim(l);
	if (status_from_name(value, &r.status)) {
		r.value = 0;
	} else if (!line_hex(&value, 64, &r.value) || value.n != 0) {
		snprintf(err, errsize, "MSR 0x%x: value is not a 64-bit hex number", r.index);
		return false;
	}
	if (!evidence_add_msr(ev, &r)) {
		snprintf(err, errsize, "too many MSR values");
		return false;
	}
	ev->msr_origin = recorded ? MSR_ORIGIN_RECORDED : MSR_ORIGIN_LIVE;
	return true;
}

bool msr_text_parse_arg(const char *arg, struct evidence *ev, char *err, size_t errsize)
{
	struct line l = line_trim((struct line){ arg, strlen(arg) });
	if (l.n == 0 || line_starts(l, "access=") || line_starts(l, "cpu")) {
		snprintf(err, errsize, "--msr %s: expected INDEX=VALUE, such as 0x3a=0x5", arg);
		return false;
	}
	char why[120];
	if (!parse_msr_line(l, true, ev, why, sizeof(why))) {
		snprintf(err, errsize, "--msr %s: %s", arg, why);
		return false;
	}
	return true;
}

bool msr_text_parse(const char *text, size_t len, bool recorded, struct evidence *ev,
		    char *err, size_t errsize)
{
	struct line_reader lr;
	struct line l;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		l = line_trim(l);
		if (l.n == 0 || l.s[0] == '#')
			continue;
		char why[120];
		if (memchr(l.s, '\0', l.n) || !parse_msr_line(l, recorded, ev, why, sizeof(why))) {
			snprintf(err, errsize, "line %u: %s", lr.lineno,
				 memchr(l.s, '\0', l.n) ? "binary data" : why);
			return false;
		}
	}
	return true;
}

void msr_text_write(const struct evidence *ev, struct strbuf *out)
{
	sb_printf(out, "# MSR values (hvprobe bundle); see docs/bundle.md\n");
	if (ev->msr_origin == MSR_ORIGIN_NONE)
		sb_printf(out, "access=%s\n", msr_status_name(ev->msr_access));
	for (size_t i = 0; i < ev->nmsrs; i++) {
		const struct msr_reading *r = &ev->msrs[i];
		if (r->cpu != MSR_ALL_CPUS)
			sb_printf(out, "cpu%d ", r->cpu);
		if (r->status == MSR_OK)
			sb_printf(out, "0x%x=0x%llx\n", r->index, (unsigned long long)r->value);
		else
			sb_printf(out, "0x%x=%s\n", r->index, msr_status_name(r->status));
	}
}

void msr_text_set_aside(struct evidence *ev, struct msr_aside *a)
{
	a->msrs = ev->msrs;
	a->n = ev->nmsrs;
	ev->msrs = NULL;
	ev->nmsrs = 0;
	ev->msrs_cap = 0;
}

/* Whether one of the first n readings (the user's) is of MSR index. */
static bool named(const struct evidence *ev, size_t n, uint32_t index)
{
	for (size_t i = 0; i < n; i++)
		if (ev->msrs[i].index == index)
			return true;
	return false;
}

bool msr_text_restore(struct evidence *ev, struct msr_aside *a)
{
	size_t nuser = ev->nmsrs;
	bool ok = true;
	for (size_t i = 0; i < a->n && ok; i++)
		if (!named(ev, nuser, a->msrs[i].index))
			ok = evidence_add_msr(ev, &a->msrs[i]);
	free(a->msrs);
	a->msrs = NULL;
	a->n = 0;
	return ok;
}
