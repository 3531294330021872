/* SPDX-License-Identifier: MIT */
#include "cpuid_dump.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../probe/strbuf.h"
#include "textscan.h"

/* libcpuid's array names and the leaf (and whether the index is the
 * subleaf) each one stands for. */
static const struct {
	const char *name;
	uint32_t leaf;
	bool index_is_subleaf;
} libcpuid_arrays[] = {
	{ "basic_cpuid", 0x00000000u, false },
	{ "ext_cpuid", 0x80000000u, false },
	{ "intel_fn4", 0x00000004u, true },
	{ "intel_fn11", 0x0000000Bu, true },
	{ "intel_fn12h", 0x00000012u, true },
	{ "intel_fn14h", 0x00000014u, true },
	{ "amd_fn8000001dh", 0x8000001Du, true },
};

struct dump_parser {
	struct evidence *ev;
	struct cpu_record *cpu;
	enum dump_format format;
	unsigned lineno;
	char *err;
	size_t errsize;
};

static bool fail(struct dump_parser *p, const char *fmt, ...) __attribute__((format(HV_PRINTF_FORMAT, 2, 3)));
static bool fail(struct dump_parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errsize, "line %u: ", p->lineno);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errsize)
		vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static bool set_format(struct dump_parser *p, enum dump_format f)
{
	if (p->format != DUMP_UNKNOWN && p->format != f)
		return fail(p, "mixes %s and %s lines", dump_format_name(p->format), dump_format_name(f));
	p->format = f;
	return true;
}

static bool start_cpu(struct dump_parser *p, uint64_t id)
{
	p->cpu = evidence_add_cpu(p->ev, (unsigned)id);
	if (!p->cpu)
		return fail(p, "more than %d logical CPUs", EVIDENCE_MAX_CPUS);
	return true;
}

static bool put_leaf(struct dump_parser *p, uint32_t leaf, uint32_t subleaf, const uint64_t regs[4])
{
	if (!p->cpu && !start_cpu(p, 0))
		return false;
	struct cpuid_leaf l = { leaf, subleaf, (uint32_t)regs[0], (uint32_t)regs[1],
				(uint32_t)regs[2], (uint32_t)regs[3] };
	/* Appended, sorted once at the end: a lookup per line made a dump of
	 * thousands of leaves per CPU quadratic (issue 13). */
	if (!cpu_record_append(p->cpu, &l))
		return fail(p, "more than %d leaves for one CPU", EVIDENCE_MAX_LEAVES_PER_CPU);
	return true;
}

/* Sort each CPU's leaves, the last of repeated ones kept. */
static bool settle(struct dump_parser *p)
{
	for (size_t i = 0; i < p->ev->ncpus; i++) {
		struct cpu_record *c = &p->ev->cpus[i];
		if (!cpu_record_settle(c)) {
			snprintf(p->err, p->errsize, "CPU %u has more than %d leaves", c->id,
				 EVIDENCE_MAX_LEAVES_PER_CPU);
			return false;
		}
	}
	return true;
}

/* "... Logical CPU #12 ..." in a header line. */
static bool header_cpu_number(struct line l, uint64_t *id)
{
	const char *key = "Logical CPU #";
	size_t klen = strlen(key);
	for (size_t i = 0; i + klen <= l.n; i++) {
		if (memcmp(l.s + i, key, klen) == 0) {
			struct line rest = { l.s + i + klen, l.n - i - klen };
			return line_dec(&rest, EVIDENCE_MAX_CPUS, id);
		}
	}
	return false;
}

/* basic_cpuid[3]=00000000 00000000 00000000 00000000 */
static bool parse_libcpuid(struct dump_parser *p, struct line l)
{
	for (size_t a = 0; a < sizeof(libcpuid_arrays) / sizeof(libcpuid_arrays[0]); a++) {
		struct line rest = l;
		if (!line_skip(&rest, libcpuid_arrays[a].name) || !line_skip(&rest, "["))
			continue;
		uint64_t index, regs[4];
		if (!line_dec(&rest, 0xFFFF, &index) || !line_skip(&rest, "]="))
			return fail(p, "malformed libcpuid line");
		for (int r = 0; r < 4; r++) {
			line_skip_blanks(&rest);
			if (!line_hex(&rest, 32, &regs[r]))
				return fail(p, "truncated libcpuid line (register %d of 4)", r + 1);
		}
		if (line_trim(rest).n)
			return fail(p, "trailing text after the registers");
		if (!set_format(p, DUMP_LIBCPUID))
			return false;
		uint32_t leaf = libcpuid_arrays[a].leaf;
		uint32_t sub = 0;
		if (libcpuid_arrays[a].index_is_subleaf)
			sub = (uint32_t)index;
		else
			leaf += (uint32_t)index;
		return put_leaf(p, leaf, sub, regs);
	}
	return fail(p, "unknown libcpuid array");
}

/* CPUID 00000001: 00610F01-00040800-3E98320B-178BFBFF [SL 01] [note] */
static bool parse_aida(struct dump_parser *p, struct line l)
{
	uint64_t leaf, regs[4], sub = 0;
	line_skip(&l, "CPUID");
	line_skip_blanks(&l);
	if (!line_hex(&l, 32, &leaf))
		return fail(p, "malformed CPUID line (leaf)");
	line_skip(&l, ":");
	line_skip_blanks(&l);
	for (int r = 0; r < 4; r++) {
		if (r > 0 && !line_skip(&l, "-"))
			return fail(p, "truncated CPUID line (register %d of 4)", r + 1);
		if (!line_hex(&l, 32, &regs[r]))
			return fail(p, "truncated CPUID line (register %d of 4)", r + 1);
	}
	line_skip_blanks(&l);
	if (line_skip(&l, "[SL ") && !line_hex(&l, 32, &sub))
		return fail(p, "malformed subleaf");
	if (!set_format(p, DUMP_AIDA64))
		return false;
	return put_leaf(p, (uint32_t)leaf, (uint32_t)sub, regs);
}

/*    0x00000001 0x00: eax=0x00b00f21 ebx=0x4efe0800 ecx=0xfed83203 edx=0x178bfbff */
static bool parse_cpuid_r(struct dump_parser *p, struct line l)
{
	static const char *const names[4] = { "eax=", "ebx=", "ecx=", "edx=" };
	uint64_t leaf, sub, regs[4];
	if (!line_hex(&l, 32, &leaf))
		return fail(p, "malformed cpuid -r line (leaf)");
	line_skip_blanks(&l);
	if (!line_hex(&l, 32, &sub) || !line_skip(&l, ":"))
		return fail(p, "malformed cpuid -r line (subleaf)");
	for (int r = 0; r < 4; r++) {
		line_skip_blanks(&l);
		if (!line_skip(&l, names[r]) || !line_hex(&l, 32, &regs[r]))
			return fail(p, "truncated cpuid -r line (register %d of 4)", r + 1);
	}
	if (line_trim(l).n)
		return fail(p, "trailing text after the registers");
	if (!set_format(p, DUMP_CPUID_R))
		return false;
	return put_leaf(p, (uint32_t)leaf, (uint32_t)sub, regs);
}

static bool parse_line(struct dump_parser *p, struct line raw)
{
	struct line l = line_trim(raw);
	uint64_t id;
	if (l.n == 0)
		return true;
	if (line_starts(l, "arm_"))
		return fail(p, "not an x86 CPU (ARM system registers)");
	if (line_starts(l, "CPUID "))
		return parse_aida(p, l);
	if (line_starts(l, "0x"))
		return parse_cpuid_r(p, l);
	if (header_cpu_number(l, &id))
		return start_cpu(p, id);
	if (line_skip(&l, "CPU#")) { /* CPU#000 AffMask: 0x0000000000000001 */
		if (!line_dec(&l, EVIDENCE_MAX_CPUS, &id))
			return fail(p, "malformed CPU header");
		return start_cpu(p, id);
	}
	if (line_skip(&l, "CPU")) { /* cpuid -r: "CPU 3:" or, with -1, "CPU:" */
		line_skip_blanks(&l);
		id = 0;
		if (!line_starts(l, ":") && !line_dec(&l, EVIDENCE_MAX_CPUS, &id))
			return fail(p, "malformed CPU header");
		if (!line_skip(&l, ":") || line_trim(l).n)
			return fail(p, "malformed CPU header (text after the colon)");
		return start_cpu(p, id);
	}
	if (memchr(l.s, '[', l.n) && memchr(l.s, '=', l.n))
		return parse_libcpuid(p, l);
	/* never quoted: an input named by mistake may hold secrets */
	return fail(p, "not a line of any CPUID dump format hvprobe reads");
}

/* After parsing: every CPU with leaves must have leaf 0, and one must exist. */
static bool validate(struct dump_parser *p)
{
	size_t with_data = 0;
	for (size_t i = 0; i < p->ev->ncpus; i++) {
		const struct cpu_record *c = &p->ev->cpus[i];
		if (c->nleaves == 0)
			continue;
		if (!cpu_record_find(c, 0, 0)) {
			snprintf(p->err, p->errsize, "CPU %u has leaves but no leaf 0 (vendor)", c->id);
			return false;
		}
		with_data++;
	}
	if (with_data == 0) {
		snprintf(p->err, p->errsize, "no CPUID leaves found: not a CPUID dump, or an empty one");
		return false;
	}
	return true;
}

bool cpuid_dump_parse(const char *text, size_t len, struct evidence *ev,
		      enum dump_format *format, char *err, size_t errsize)
{
	struct dump_parser p = { .ev = ev, .err = err, .errsize = errsize };
	struct line_reader lr;
	struct line l;
	if (memchr(text, '\0', len)) {
		snprintf(err, errsize, "binary data (NUL bytes): not a text CPUID dump");
		return false;
	}
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		p.lineno = lr.lineno;
		if (!parse_line(&p, l))
			return false;
	}
	if (!settle(&p) || !validate(&p))
		return false;
	if (format)
		*format = p.format;
	return true;
}

const char *dump_format_name(enum dump_format f)
{
	switch (f) {
	case DUMP_LIBCPUID: return "libcpuid";
	case DUMP_AIDA64: return "aida64";
	case DUMP_CPUID_R: return "cpuid-r";
	default: return "unknown";
	}
}

void cpuid_dump_write(const struct evidence *ev, struct strbuf *out)
{
	for (size_t i = 0; i < ev->ncpus; i++) {
		const struct cpu_record *c = &ev->cpus[i];
		sb_printf(out, "CPU %u:\n", c->id);
		for (size_t j = 0; j < c->nleaves; j++) {
			const struct cpuid_leaf *l = &c->leaves[j];
			sb_printf(out, "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n",
				  l->leaf, l->subleaf, l->eax, l->ebx, l->ecx, l->edx);
		}
	}
}
