/* SPDX-License-Identifier: MIT */
/*
 * A CPUID dump is a run of sections: one CPU's leaves (under a header that
 * names the CPU, or none), an AIDA64/EVEREST report's MSR section, the
 * report's other sections (versions, CPU and motherboard info, APIC pages:
 * skipped whole), x86info's report text around its register lines. Each
 * kind of section has its table of line kinds. Only in a CPUID section is a
 * line of no known kind refused, so a report's prose is skipped where the
 * report says it is, and garbage is never taken for a dump.
 * docs/formats.md ("CPUID dumps") has every form with its source.
 */
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

/* The MSRs hvprobe judges: the ones the live collectors read
 * (platform/linux/msr_live.c). A report's hundreds of others (counters,
 * power limits, P-states) are not kept. */
static const uint32_t launch_msrs[] = {
	MSR_IA32_FEATURE_CONTROL,
	MSR_IA32_MISC_ENABLE,
	MSR_IA32_VMX_PROCBASED_CTLS,
	MSR_IA32_VMX_PROCBASED_CTLS2,
	MSR_VM_CR,
};

/* A Windows processor group's affinity mask is a KAFFINITY: one bit per
 * logical processor, 64 on x64 (GROUP_AFFINITY, winnt.h). */
#define GROUP_AFFINITY_BITS 64

/* libcpuid's test files end their dump with this line; libcpuid's expected
 * results follow (libcpuid.c, cpuid_deserialize_raw_data_internal). */
#define LIBCPUID_RESULTS_LINE \
	"--------------------------------------------------------------------------------"

enum section {
	SEC_CPUID,  /* CPUID leaves of p->cpu, or of a CPU still to come */
	SEC_MSR,    /* AIDA64/EVEREST "MSR Registers" */
	SEC_REPORT, /* x86info: report text around its "eax in:" lines */
	SEC_SKIP,   /* a report section hvprobe does not read */
	SEC_END,    /* libcpuid's expected results: nothing more to read */
	SEC_COUNT
};

struct dump_parser {
	struct evidence *ev;
	struct cpu_record *cpu;
	enum dump_format format;
	enum section section;
	bool cpu_named;       /* p->cpu came from a header, not from leaf 0 alone */
	bool cpu_has_leaf0;
	int msr_cpu;          /* the CPU the MSR section names, or MSR_ALL_CPUS */
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

static bool start_cpu(struct dump_parser *p, uint64_t id, bool named)
{
	p->cpu = evidence_add_cpu(p->ev, (unsigned)id);
	if (!p->cpu)
		return fail(p, "more than %d logical CPUs", EVIDENCE_MAX_CPUS);
	p->cpu_named = named;
	p->cpu_has_leaf0 = false;
	return true;
}

static bool put_leaf(struct dump_parser *p, uint32_t leaf, uint32_t subleaf, const uint64_t regs[4])
{
	/* Without CPU headers (some InstLatx64 files), each CPU starts over
	 * at leaf 0. */
	if (leaf == 0 && subleaf == 0 && p->cpu && !p->cpu_named && p->cpu_has_leaf0 &&
	    !start_cpu(p, (uint64_t)p->cpu->id + 1, false))
		return false;
	if (!p->cpu && !start_cpu(p, 0, false))
		return false;
	struct cpuid_leaf l = { leaf, subleaf, (uint32_t)regs[0], (uint32_t)regs[1],
				(uint32_t)regs[2], (uint32_t)regs[3] };
	/* Appended, sorted once at the end: a lookup per line made a dump of
	 * thousands of leaves per CPU quadratic (issue 13). */
	if (!cpu_record_append(p->cpu, &l))
		return fail(p, "more than %d leaves for one CPU", EVIDENCE_MAX_LEAVES_PER_CPU);
	if (leaf == 0 && subleaf == 0)
		p->cpu_has_leaf0 = true;
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

static bool skip_line(struct dump_parser *p, struct line l)
{
	(void)p;
	(void)l;
	return true;
}

static bool not_a_dump_line(struct dump_parser *p, struct line l)
{
	(void)l;
	/* never quoted: an input named by mistake may hold secrets */
	return fail(p, "not a line of any CPUID dump format hvprobe reads");
}

/* ---- CPU headers ---- */

/* "... Logical CPU #12 ..." in a header line: libcpuid's
 * "_________________ Logical CPU #12 _________________". */
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

/* CPU#000 AffMask: 0x0000000000000001 */
static bool header_affmask(struct dump_parser *p, struct line l)
{
	uint64_t id;
	line_skip(&l, "CPU#");
	if (!line_dec(&l, EVIDENCE_MAX_CPUS, &id))
		return fail(p, "malformed CPU header");
	return start_cpu(p, id, true);
}

/* Group: 0x00 Affinity mask: 0x0000000000000800 (the mask has the one bit
 * of the CPU; the id is group * 64 + bit, a label unique to that CPU). */
static bool header_group(struct dump_parser *p, struct line l)
{
	uint64_t group, mask;
	unsigned bit = 0;
	line_skip(&l, "Group:");
	line_skip_blanks(&l);
	if (!line_hex(&l, 16, &group))
		return fail(p, "malformed CPU header (group)");
	line_skip_blanks(&l);
	if (!line_skip(&l, "Affinity mask:"))
		return fail(p, "malformed CPU header (affinity mask)");
	line_skip_blanks(&l);
	if (!line_hex(&l, GROUP_AFFINITY_BITS, &mask) || line_trim(l).n)
		return fail(p, "malformed CPU header (affinity mask)");
	if (mask == 0 || (mask & (mask - 1)))
		return fail(p, "malformed CPU header (affinity of other than one CPU)");
	while (!(mask >> bit & 1))
		bit++;
	if (group * GROUP_AFFINITY_BITS + bit >= EVIDENCE_MAX_CPUS)
		return fail(p, "more than %d logical CPUs", EVIDENCE_MAX_CPUS);
	return start_cpu(p, group * GROUP_AFFINITY_BITS + bit, true);
}

/* CPUID Registers (CPU #1):   or   CPUID Registers (CPU #2 Virtual): */
static bool header_cpuid_registers(struct dump_parser *p, struct line l)
{
	uint64_t id;
	line_skip(&l, "CPUID Registers (CPU #");
	if (!line_dec(&l, EVIDENCE_MAX_CPUS, &id))
		return fail(p, "malformed CPU header");
	line_skip(&l, " Virtual");
	if (!line_skip(&l, ")"))
		return fail(p, "malformed CPU header");
	line_skip(&l, ":");
	if (line_trim(l).n)
		return fail(p, "malformed CPU header (text after the colon)");
	return start_cpu(p, id, true);
}

/* cpuid -r: "CPU 3:", or with -1 "CPU:"; x86info: "CPU #4:", counted
 * from 1 (x86info.c prints i + 1). */
static bool header_cpu(struct dump_parser *p, struct line l)
{
	uint64_t id = 0;
	line_skip(&l, "CPU");
	line_skip_blanks(&l);
	if (line_skip(&l, "#")) {
		if (!line_dec(&l, EVIDENCE_MAX_CPUS, &id) || id == 0)
			return fail(p, "malformed CPU header");
		id--;
	} else if (!line_starts(l, ":") && !line_dec(&l, EVIDENCE_MAX_CPUS, &id)) {
		return fail(p, "malformed CPU header");
	}
	if (!line_skip(&l, ":") || line_trim(l).n)
		return fail(p, "malformed CPU header (text after the colon)");
	return start_cpu(p, id, true);
}

/* ---- libcpuid ---- */

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

/* version=0.6.5: cpuid_tool --save's first line */
static bool libcpuid_version(struct dump_parser *p, struct line l)
{
	if (p->ev->ncpus)
		return not_a_dump_line(p, l);
	return true;
}

static bool libcpuid_results(struct dump_parser *p, struct line l)
{
	if (l.n != sizeof(LIBCPUID_RESULTS_LINE) - 1)
		return not_a_dump_line(p, l);
	p->section = SEC_END;
	return true;
}

/* A CPUID section line of no other kind. */
static bool cpuid_other(struct dump_parser *p, struct line l)
{
	uint64_t id;
	if (header_cpu_number(l, &id))
		return start_cpu(p, id, true);
	if (memchr(l.s, '[', l.n) && memchr(l.s, '=', l.n))
		return parse_libcpuid(p, l);
	return not_a_dump_line(p, l);
}

/* ---- AIDA64 and EVEREST reports: "------[ Name ]------" sections ---- */

static const struct {
	const char *name; /* up to the CPU number, when numbered */
	enum section section;
	bool numbered;
} report_sections[] = {
	{ "Logical CPU #", SEC_CPUID, true },                   /* EVEREST, AIDA64 5 */
	{ "CPUID Registers / Logical CPU #", SEC_CPUID, true }, /* AIDA64 6 */
	{ "MSR Registers / Logical CPU #", SEC_MSR, true },     /* AIDA64 6 */
	{ "MSR Registers", SEC_MSR, false },                    /* EVEREST, AIDA64 5 */
};

static void enter_msrs(struct dump_parser *p, int cpu)
{
	p->section = SEC_MSR;
	p->msr_cpu = cpu;
}

static bool enter_numbered(struct dump_parser *p, enum section s, struct line rest)
{
	uint64_t id;
	if (!line_dec(&rest, EVIDENCE_MAX_CPUS, &id) || rest.n) {
		/* AIDA64 6.10 follows a CPU's MSR header with more, numbered by
		 * nothing ("Logical CPU # Clock (Normal),3594 MHz"); that CPU's
		 * MSRs follow the last of them. */
		if (s == SEC_MSR) {
			if (p->section != SEC_MSR)
				p->section = SEC_SKIP;
			return true;
		}
		return fail(p, "malformed CPU header");
	}
	if (s == SEC_MSR) {
		enter_msrs(p, (int)id);
		return true;
	}
	p->section = SEC_CPUID;
	return start_cpu(p, id, true);
}

/* ------[ CPUID Registers / Logical CPU #0 ]------ */
static bool report_header(struct dump_parser *p, struct line l)
{
	static const char open[] = "------[", close[] = "]------";
	size_t nclose = sizeof(close) - 1;
	line_skip(&l, open);
	if (l.n < nclose || memcmp(l.s + l.n - nclose, close, nclose) != 0)
		return fail(p, "malformed section header");
	l.n -= nclose;
	struct line name = line_trim(l);
	for (size_t i = 0; i < sizeof(report_sections) / sizeof(report_sections[0]); i++) {
		struct line rest = name;
		if (!line_skip(&rest, report_sections[i].name))
			continue;
		if (report_sections[i].numbered)
			return enter_numbered(p, report_sections[i].section, rest);
		if (rest.n)
			continue;
		enter_msrs(p, MSR_ALL_CPUS);
		return true;
	}
	p->section = SEC_SKIP;
	return true;
}

/* L1    Data Cache:    32 KB,  8-way Associative, 64-byte Line (AIDA64's
 * summary under a CPU's leaves) */
static bool aida_cache_line(struct dump_parser *p, struct line l)
{
	static const char key[] = " Cache:";
	if (l.n >= 2 && l.s[1] >= '0' && l.s[1] <= '9')
		for (size_t i = 2; i + sizeof(key) - 1 <= l.n; i++)
			if (memcmp(l.s + i, key, sizeof(key) - 1) == 0)
				return true;
	return cpuid_other(p, l);
}

/* CPUID 00000001: 00610F01-00040800-3E98320B-178BFBFF [SL 01] [note]; also
 * "CPUID 00000001 00610F01-..." and "CPUID 00000001 :00610F01-...". */
static bool parse_aida(struct dump_parser *p, struct line l)
{
	uint64_t leaf, regs[4], sub = 0;
	line_skip(&l, "CPUID");
	line_skip_blanks(&l);
	if (!line_hex(&l, 32, &leaf))
		return fail(p, "malformed CPUID line (leaf)");
	line_skip_blanks(&l);
	line_skip(&l, ":");
	line_skip_blanks(&l);
	for (int r = 0; r < 4; r++) {
		if (r > 0 && !line_skip(&l, "-"))
			return fail(p, "truncated CPUID line (register %d of 4)", r + 1);
		if (!line_hex(&l, 32, &regs[r]))
			return fail(p, "truncated CPUID line (register %d of 4)", r + 1);
	}
	if (l.n && l.s[0] != ' ' && l.s[0] != '\t')
		return fail(p, "trailing text after the registers");
	line_skip_blanks(&l);
	/* Older reports print a leaf's subleaves without [SL nn]: they all
	 * land on subleaf 0, the last one read counting, as any repeat. */
	if (line_skip(&l, "[SL ") && !line_hex(&l, 32, &sub))
		return fail(p, "malformed subleaf");
	if (!set_format(p, DUMP_AIDA64))
		return false;
	return put_leaf(p, (uint32_t)leaf, (uint32_t)sub, regs);
}

/* MSR 0000048B: 0000-28EF-0000-0000 [note], or MSR 00000035: < FAILED > */
static bool parse_msr(struct dump_parser *p, struct line l)
{
	struct msr_reading r = { .cpu = p->msr_cpu, .status = MSR_OK };
	uint64_t index, part;
	line_skip(&l, "MSR");
	line_skip_blanks(&l);
	if (!line_hex(&l, 32, &index) || !line_skip(&l, ":"))
		return fail(p, "malformed MSR line (index)");
	line_skip_blanks(&l);
	r.index = (uint32_t)index;
	if (line_skip(&l, "< FAILED >")) {
		r.status = MSR_IO_ERROR; /* the report does not say why */
	} else {
		for (int i = 0; i < 4; i++) {
			if ((i > 0 && !line_skip(&l, "-")) || !line_hex(&l, 16, &part))
				return fail(p, "truncated MSR line (group %d of 4)", i + 1);
			r.value = r.value << 16 | part;
		}
	}
	if (l.n && l.s[0] != ' ' && l.s[0] != '\t')
		return fail(p, "trailing text after the MSR value");
	for (size_t i = 0; i < sizeof(launch_msrs) / sizeof(launch_msrs[0]); i++) {
		if (launch_msrs[i] != r.index)
			continue;
		if (!evidence_add_msr(p->ev, &r))
			return fail(p, "too many MSR values");
		p->ev->msr_origin = MSR_ORIGIN_RECORDED;
	}
	return true;
}

/* ---- cpuid -r, x86info ---- */

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

/* eax in: 0x00000001, eax = 000806d1 ebx = 00100800 ecx = 7ffafbff edx = bfebfbff
 * (x86info queries with ECX 0: subleaf 0) */
static bool parse_x86info(struct dump_parser *p, struct line l)
{
	static const char *const names[4] = { "eax", "ebx", "ecx", "edx" };
	uint64_t leaf, regs[4];
	line_skip(&l, "eax in:");
	line_skip_blanks(&l);
	if (!line_hex(&l, 32, &leaf) || !line_skip(&l, ","))
		return fail(p, "malformed x86info line (leaf)");
	for (int r = 0; r < 4; r++) {
		line_skip_blanks(&l);
		if (!line_skip(&l, names[r]))
			return fail(p, "truncated x86info line (register %d of 4)", r + 1);
		line_skip_blanks(&l);
		if (!line_skip(&l, "="))
			return fail(p, "truncated x86info line (register %d of 4)", r + 1);
		line_skip_blanks(&l);
		if (!line_hex(&l, 32, &regs[r]))
			return fail(p, "truncated x86info line (register %d of 4)", r + 1);
	}
	if (line_trim(l).n)
		return fail(p, "trailing text after the registers");
	if (!set_format(p, DUMP_X86INFO))
		return false;
	return put_leaf(p, (uint32_t)leaf, 0, regs);
}

/* "x86info v1.31pre  Dave Jones 2001-2011": a report, its text skipped */
static bool x86info_banner(struct dump_parser *p, struct line l)
{
	(void)l;
	p->section = SEC_REPORT;
	return true;
}

static bool refuse_arm(struct dump_parser *p, struct line l)
{
	(void)l;
	return fail(p, "not an x86 CPU (ARM system registers)");
}

/* ---- which lines each section holds ---- */

struct line_kind {
	const char *prefix;
	bool (*parse)(struct dump_parser *p, struct line l);
};

/* In order: a longer prefix before a shorter one it starts with. */
static const struct line_kind cpuid_lines[] = {
	{ "------[", report_header },
	{ LIBCPUID_RESULTS_LINE, libcpuid_results },
	{ "CPUID Registers (CPU #", header_cpuid_registers },
	{ "CPUID ", parse_aida },
	{ "CPU#", header_affmask },
	{ "CPU", header_cpu },
	{ "Group:", header_group },
	{ "allcpu:", skip_line }, /* AIDA64: the CPU's package, core and thread */
	{ "L", aida_cache_line },
	{ "0x", parse_cpuid_r },
	{ "eax in:", parse_x86info },
	{ "x86info v", x86info_banner },
	{ "version=", libcpuid_version },
	{ "arm_", refuse_arm },
};

static const struct line_kind msr_lines[] = {
	{ "------[", report_header },
	{ "MSR ", parse_msr },
};

static const struct line_kind report_lines[] = {
	{ "eax in:", parse_x86info },
	{ "CPU #", header_cpu },
};

static const struct line_kind skipped_lines[] = {
	{ "------[", report_header },
};

static const struct {
	const struct line_kind *kinds;
	size_t nkinds;
	bool (*other)(struct dump_parser *p, struct line l);
} sections[SEC_COUNT] = {
	[SEC_CPUID] = { cpuid_lines, sizeof(cpuid_lines) / sizeof(cpuid_lines[0]), cpuid_other },
	[SEC_MSR] = { msr_lines, sizeof(msr_lines) / sizeof(msr_lines[0]), skip_line },
	[SEC_REPORT] = { report_lines, sizeof(report_lines) / sizeof(report_lines[0]), skip_line },
	[SEC_SKIP] = { skipped_lines, sizeof(skipped_lines) / sizeof(skipped_lines[0]), skip_line },
	[SEC_END] = { NULL, 0, skip_line },
};

static bool parse_line(struct dump_parser *p, struct line raw)
{
	struct line l = line_trim(raw);
	if (l.n == 0)
		return true;
	for (size_t i = 0; i < sections[p->section].nkinds; i++) {
		const struct line_kind *k = &sections[p->section].kinds[i];
		if (line_starts(l, k->prefix))
			return k->parse(p, l);
	}
	return sections[p->section].other(p, l);
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
	struct dump_parser p = { .ev = ev, .section = SEC_CPUID, .msr_cpu = MSR_ALL_CPUS,
				 .err = err, .errsize = errsize };
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
	case DUMP_X86INFO: return "x86info";
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
