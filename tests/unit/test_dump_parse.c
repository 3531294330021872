/* SPDX-License-Identifier: MIT */
/* The dump parser over real dumps of every format, and over bad input. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/cpuid_dump.h"
#include "formats/msr_text.h"
#include "probe/strbuf.h"

static bool parse(const char *text, struct evidence *ev, enum dump_format *fmt, char *err)
{
	return cpuid_dump_parse(text, strlen(text), ev, fmt, err, 200);
}

static void expect_error(const char *text, const char *needle)
{
	struct evidence ev;
	char err[200] = "";
	evidence_init(&ev);
	assert_false(parse(text, &ev, NULL, err));
	if (!strstr(err, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", err, needle);
	evidence_free(&ev);
}

static void aida_multi_cpu_with_empty_cpus(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture("cpuid/amd_zen3_amd-ryzen-7-5800x3d-8-core-processor.txt", &ev);
	assert_int_equal(ev.ncpus, 48);
	size_t with = 0;
	for (size_t i = 0; i < ev.ncpus; i++)
		with += ev.cpus[i].nleaves > 0;
	assert_int_equal(with, 16);
	evidence_free(&ev);
}

static void aida_affmask_headers_and_subleaves(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture("cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt", &ev);
	assert_int_equal(ev.ncpus, 12);
	assert_int_equal(ev.cpus[11].id, 11);
	const struct cpuid_leaf *l = cpu_record_find(&ev.cpus[0], 0xD, 3);
	assert_non_null(l);
	assert_int_equal(l->eax, 0x40);
	assert_non_null(cpu_record_find(&ev.cpus[0], 0x40000003u, 0));
	evidence_free(&ev);
}

static void aida_without_colon(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture("cpuid/amd_k8_amd-turion-dual-core-rm-70.txt", &ev);
	assert_int_equal(ev.ncpus, 2);
	assert_non_null(cpu_record_find(&ev.cpus[1], 0x80000001u, 0));
	evidence_free(&ev);
}

static void libcpuid_format_arrays_map_to_leaves(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture("cpuid/hygon_dhyana_hygon-c86-7185-32-core-processor.txt", &ev);
	assert_int_equal(ev.ncpus, 1);
	assert_null(cpu_record_find(&ev.cpus[0], 0x40000000u, 0)); /* no room for them */
	const struct cpuid_leaf *l = cpu_record_find(&ev.cpus[0], 0x80000001u, 0);
	assert_non_null(l);
	assert_non_null(cpu_record_find(&ev.cpus[0], 4, 1)); /* intel_fn4[1] is leaf 4 subleaf 1 */
	evidence_free(&ev);
}

static const char cpuid_r_text[] =
	"CPU 0:\n"
	"   0x00000000 0x00: eax=0x0000000d ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
	"   0x00000001 0x00: eax=0x00b00f21 ebx=0x4efe0800 ecx=0xfed83203 edx=0x178bfbff\n"
	"   0x0000000d 0x05: eax=0x00000040 ebx=0x00000340 ecx=0x00000000 edx=0x00000000\n"
	"   0x40000000 0x00: eax=0x40000000 ebx=0x76796862 ecx=0x68622065 edx=0x20657679\n"
	"CPU 1:\n"
	"   0x00000000 0x00: eax=0x0000000d ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n";

static void cpuid_r_format(void **state)
{
	(void)state;
	struct evidence ev;
	enum dump_format fmt;
	char err[200];
	evidence_init(&ev);
	assert_true(parse(cpuid_r_text, &ev, &fmt, err));
	assert_int_equal(fmt, DUMP_CPUID_R);
	assert_int_equal(ev.ncpus, 2);
	assert_int_equal(ev.cpus[0].nleaves, 4);
	assert_int_equal(cpu_record_find(&ev.cpus[0], 0xd, 5)->ebx, 0x340);
	evidence_free(&ev);
}

static void cpuid_r_single_cpu_header(void **state)
{
	(void)state;
	struct evidence ev;
	char err[200];
	evidence_init(&ev);
	assert_true(parse("CPU:\n   0x00000000 0x00: eax=0x1 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n",
			  &ev, NULL, err));
	assert_int_equal(ev.ncpus, 1);
	evidence_free(&ev);
}

static void write_then_parse_round_trips(void **state)
{
	(void)state;
	struct evidence a, b;
	struct strbuf sb;
	char err[200];
	evidence_init(&a);
	evidence_init(&b);
	sb_init(&sb);
	load_fixture("cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt", &a);
	cpuid_dump_write(&a, &sb);
	assert_true(cpuid_dump_parse(sb.data, sb.len, &b, NULL, err, sizeof(err)));
	assert_int_equal(a.ncpus, b.ncpus);
	for (size_t i = 0; i < a.ncpus; i++) {
		assert_int_equal(a.cpus[i].nleaves, b.cpus[i].nleaves);
		assert_memory_equal(a.cpus[i].leaves, b.cpus[i].leaves,
				    a.cpus[i].nleaves * sizeof(struct cpuid_leaf));
	}
	sb_free(&sb);
	evidence_free(&a);
	evidence_free(&b);
}

static void bad_inputs_are_named(void **state)
{
	(void)state;
	expect_error("", "no CPUID leaves");
	expect_error("\n\n  \n", "no CPUID leaves");
	expect_error("hello world\n", "line 1: not a line of any CPUID dump format");
	expect_error("CPUID 00000000: 0000000D-68747541-444D\n", "line 1: truncated");
	expect_error("CPUID 00000000: 0000000D-68747541-444D4163-69746E65\nbasic_cpuid[1]=1 2 3 4\n",
		     "line 2: mixes");
	expect_error("basic_cpuid[0]=0000000d 6f677948 656e6975\n", "truncated libcpuid line");
	expect_error("CPU 0:\n   0x00000001 0x00: eax=0x1 ebx=0x2 ecx=0x3 edx=0x4\n", "no leaf 0");
	expect_error("CPUID 1FFFFFFFF: 1-2-3-4\n", "malformed");
	expect_error("------[ Logical CPU #0 ]------\n", "no CPUID leaves");
	expect_error("_____ Logical CPU #0 ____\narm_midr=00000000410fd030\n", "not an x86 CPU");
	expect_error("\x1b[2J\x01\x02 junk\n", "line 1: not a line of any CPUID dump format hvprobe reads");
	expect_error("CPU 0: junk\n", "line 1: malformed CPU header (text after the colon)");
	expect_error("CPU: 7\n", "line 1: malformed CPU header (text after the colon)");
	static const char with_nul[] = "CPUID 00000000: 0-0-0-0\0\n";
	struct evidence ev;
	char err[200];
	evidence_init(&ev);
	assert_false(cpuid_dump_parse(with_nul, sizeof(with_nul) - 1, &ev, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "binary data"));
	evidence_free(&ev);
}

/* A dump of ncpus CPUs, each with leaf 0 and n - 1 more leaves in
 * descending order (the worst order for an array sorted by insertion),
 * then `repeats` copies of one of them, the last one read winning. */
static char *big_dump(size_t ncpus, size_t n, size_t repeats)
{
	char *text = malloc(ncpus * (n + repeats + 2) * 48 + 1), *p = text;
	assert_non_null(text);
	for (size_t c = 0; c < ncpus; c++) {
		p += sprintf(p, "CPU#%03zu AffMask: 0x1\nCPUID 00000000: 0000000D-756E6547-6C65746E-49656E69\n", c);
		for (size_t i = n - 1; i > 0; i--)
			p += sprintf(p, "CPUID %08zX: %08zX-0-0-0 [SL %02zX]\n", 0x80000000u + i / 8, i, i % 8);
		for (size_t r = 1; r <= repeats; r++)
			p += sprintf(p, "CPUID 80000001: %08zX-0-0-0 [SL 02]\n", 100000 + r);
	}
	*p = '\0';
	return text;
}

static bool ascending(const struct cpu_record *c)
{
	for (size_t i = 1; i < c->nleaves; i++) {
		const struct cpuid_leaf *a = &c->leaves[i - 1], *b = &c->leaves[i];
		if (a->leaf > b->leaf || (a->leaf == b->leaf && a->subleaf >= b->subleaf))
			return false;
	}
	return true;
}

/* Issue 13: each line looked its leaf up linearly, so 4,096 leaves per CPU
 * cost 8 million comparisons a CPU. Now appended and sorted once. */
static void thousands_of_leaves_per_cpu(void **state)
{
	(void)state;
	struct evidence ev;
	char err[200] = "";
	char *text = big_dump(4, EVIDENCE_MAX_LEAVES_PER_CPU, 20000);
	evidence_init(&ev);
	if (!parse(text, &ev, NULL, err))
		fail_msg("%s", err);
	assert_int_equal(ev.ncpus, 4);
	for (size_t c = 0; c < ev.ncpus; c++) {
		const struct cpu_record *cpu = &ev.cpus[c];
		assert_int_equal(cpu->nleaves, EVIDENCE_MAX_LEAVES_PER_CPU);
		assert_true(ascending(cpu)); /* what lets lookups bisect */
		for (size_t i = 1; i < EVIDENCE_MAX_LEAVES_PER_CPU; i++) {
			const struct cpuid_leaf *l = cpu_record_find(cpu, 0x80000000u + (uint32_t)(i / 8), (uint32_t)(i % 8));
			assert_non_null(l);
			assert_int_equal(l->eax, i == 8 + 2 ? 100000 + 20000 : i); /* 80000001/2: the last copy */
		}
		assert_null(cpu_record_find(cpu, 0x80000000u + EVIDENCE_MAX_LEAVES_PER_CPU, 0));
		assert_null(cpu_record_find(cpu, 1, 0));
	}
	evidence_free(&ev);
	free(text);

	text = big_dump(1, EVIDENCE_MAX_LEAVES_PER_CPU + 1, 0);
	evidence_init(&ev);
	assert_false(parse(text, &ev, NULL, err));
	assert_string_equal(err, "CPU 0 has more than 4096 leaves");
	evidence_free(&ev);
	free(text);
}

/* Live reads put leaves one by one, in any order; a record filled by hand
 * (the UEFI build's) is not sorted and is searched linearly. */
static void put_keeps_leaves_findable(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	struct cpu_record *cpu = evidence_add_cpu(&ev, 0);
	assert_non_null(cpu);
	static const uint32_t order[] = { 0x80000001u, 1, 0x40000000u, 0, 0x80000000u, 7, 1 };
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		struct cpuid_leaf l = { order[i], 0, (uint32_t)i, 0, 0, 0 };
		assert_true(cpu_record_put(cpu, &l));
	}
	assert_int_equal(cpu->nleaves, 6);
	assert_true(ascending(cpu));
	assert_int_equal(cpu_record_find(cpu, 1, 0)->eax, 6); /* replaced */
	assert_int_equal(cpu_record_find(cpu, 0x40000000u, 0)->eax, 2);
	assert_null(cpu_record_find(cpu, 2, 0));

	struct cpuid_leaf by_hand[3] = { { 0, 0, 1, 0, 0, 0 }, { 0x80000000u, 0, 2, 0, 0, 0 },
					 { 0x40000000u, 0, 3, 0, 0, 0 } };
	struct cpu_record rec = { .nleaves = 3, .cap = 3, .leaves = by_hand };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(cpu_record_find(&rec, by_hand[i].leaf, 0)->eax, by_hand[i].eax);
	assert_null(cpu_record_find(&rec, 1, 0));
	evidence_free(&ev);
}

static void dumps_of_other_vendors_and_eras_parse(void **state)
{
	(void)state;
	static const char *const files[] = {
		"cpuid/amd_k7_amd-athlon-xp-2200+.txt",
		"cpuid/via_isaiah_via-nano-processor.txt",
		"cpuid/zhaoxin_lujiazui_zhaoxin-kaixian-kx-6000g.txt",
		"cpuid/intel_x86-64_redwood-cove_intel-core-ultra-7-155h.txt",
		"cpuid/intel_ia-32_p6_intel-core-duo-cpu-t2600.txt",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct evidence ev;
		evidence_init(&ev);
		load_fixture(files[i], &ev);
		assert_true(ev.ncpus >= 1);
		evidence_free(&ev);
	}
}

static void the_arm_fixture_is_refused(void **state)
{
	(void)state;
	char path[1024], err[200];
	snprintf(path, sizeof(path), "%s/cpuid/arm_armv8a_cortex-a53.txt", HVPROBE_FIXTURES);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	struct evidence ev;
	evidence_init(&ev);
	assert_false(cpuid_dump_parse(buf, n, &ev, NULL, err, sizeof(err)));
	assert_string_equal(err, "line 2: not an x86 CPU (ARM system registers)");
	evidence_free(&ev);
}

/* ---- reports as their tools write them (docs/formats.md, "CPUID dumps") ---- */

#define REPORTS "cpuid/instlatx64_"
/* VM_CR with SVMDIS (bit 4) and LOCK (bit 3) set (probe/facts.h), in the
 * form of the reports' other MSR lines */
#define VM_CR_SVMDIS_LINE "MSR C0010114: 0000-0000-0000-0018"

/* A fixture's text, NUL-terminated; the caller frees it. */
static char *fixture_text(const char *relpath)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", HVPROBE_FIXTURES, relpath);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open fixture %s", path);
	size_t cap = 1u << 20;
	char *buf = malloc(cap + 1);
	assert_non_null(buf);
	size_t n = fread(buf, 1, cap, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

/* text with one line put after the first line that starts with `after`;
 * *lineno is the new line's number. The caller frees the copy. */
static char *text_with_line(const char *text, const char *after, const char *line, unsigned *lineno)
{
	const char *at = text;
	unsigned n = 1;
	while (strncmp(at, after, strlen(after)) != 0) {
		at = strchr(at, '\n');
		assert_non_null(at);
		at++;
		n++;
	}
	at = strchr(at, '\n') + 1;
	size_t head = (size_t)(at - text);
	char *out = malloc(strlen(text) + strlen(line) + 2);
	assert_non_null(out);
	memcpy(out, text, head);
	sprintf(out + head, "%s\n%s", line, at);
	if (lineno)
		*lineno = n + 1;
	return out;
}

/* A copy of a real dump with one line more, for the cases it lacks. */
static char *fixture_with_line(const char *relpath, const char *after, const char *line,
			       unsigned *lineno)
{
	char *text = fixture_text(relpath);
	char *out = text_with_line(text, after, line, lineno);
	free(text);
	return out;
}

static void parse_ok(const char *text, struct evidence *ev, enum dump_format *fmt)
{
	char err[200] = "";
	if (!parse(text, ev, fmt, err))
		fail_msg("%s", err);
}

static void expect_error_at(const char *text, unsigned lineno, const char *what)
{
	char needle[200];
	snprintf(needle, sizeof(needle), "line %u: %s", lineno, what);
	expect_error(text, needle);
}

static enum check_status status_of(const struct evidence *ev, int check)
{
	struct check_result r;
	run_check(ev, check, &r);
	return r.status;
}

/* AIDA64 5.20: version, CPU info, four Logical CPU sections, All CPUs, the
 * MSR section, clock lines and an APIC page. The MSR section alone decides
 * EPT and NX; its other MSRs are not kept. */
static void aida64_report_reads_cpus_and_msrs(void **state)
{
	(void)state;
	struct evidence ev;
	enum dump_format fmt;
	char *text = fixture_text(REPORTS "GenuineIntel00406C3_Braswell_CPUID.dump");
	evidence_init(&ev);
	parse_ok(text, &ev, &fmt);
	assert_int_equal(fmt, DUMP_AIDA64);
	assert_int_equal(ev.ncpus, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(ev.cpus[i].id, i);
		assert_int_equal(ev.cpus[i].nleaves, 24);
	}
	assert_int_equal(cpu_record_find(&ev.cpus[3], 0xB, 1)->edx, 6);
	assert_int_equal(cpu_record_find(&ev.cpus[0], 4, 2)->eax, 0x1C00C143);
	assert_int_equal(ev.msr_origin, MSR_ORIGIN_RECORDED);
	assert_int_equal(ev.nmsrs, 3); /* 0x1A0, 0x482, 0x48B: the ones hvprobe judges */
	const struct msr_reading *r = evidence_msr(&ev, MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2);
	assert_non_null(r);
	assert_int_equal(r->value, 0x000028EF00000000ull);
	r = evidence_msr(&ev, 2, MSR_IA32_VMX_PROCBASED_CTLS);
	assert_int_equal(r->value, 0xFFF9FFFE0401E172ull);
	assert_int_equal(evidence_msr(&ev, 0, MSR_IA32_MISC_ENABLE)->value, 0x850089);
	assert_null(evidence_msr(&ev, 0, 0x1B));
	assert_int_equal(status_of(&ev, CHECK_CPU_SLAT), STATUS_PASS);
	assert_int_equal(status_of(&ev, CHECK_FW_NX_ENABLED), STATUS_PASS);
	assert_int_equal(status_of(&ev, CHECK_FW_VIRT_ENABLED), STATUS_UNKNOWN); /* no 0x3A */
	evidence_free(&ev);
	free(text);
}

/* EVEREST 4.60: the same sections; leaf 4's subleaves on unnumbered lines
 * land on subleaf 0, the last one read counting. */
static void everest_report_reads_cpus_and_msrs(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture(REPORTS "GenuineIntel00006F6_Merom_CPUID.dump", &ev);
	assert_int_equal(ev.ncpus, 2);
	assert_int_equal(cpu_record_find(&ev.cpus[1], 4, 0)->eax, 0x04004143);
	assert_null(cpu_record_find(&ev.cpus[1], 4, 1));
	assert_int_equal(evidence_msr(&ev, 1, MSR_IA32_MISC_ENABLE)->value, 0x0000004364972489ull);
	evidence_free(&ev);
}

/* AIDA64 6: "CPUID Registers / Logical CPU #n", an MSR section per CPU
 * opening with clock lines. */
static void aida64_6_reads_msr_sections_per_cpu(void **state)
{
	(void)state;
	struct evidence ev;
	char *text = fixture_with_line(REPORTS "AuthenticAMD0820F01_K17_Dali_CPUID.dump",
				       "CPU Multiplier: 16.0x", VM_CR_SVMDIS_LINE, NULL);
	evidence_init(&ev);
	load_fixture(REPORTS "AuthenticAMD0820F01_K17_Dali_CPUID.dump", &ev);
	assert_int_equal(ev.ncpus, 2);
	assert_int_equal(ev.cpus[1].id, 1);
	assert_non_null(cpu_record_find(&ev.cpus[1], 0x8000001D, 3));
	assert_int_equal(ev.nmsrs, 0); /* none of the MSRs hvprobe judges */
	assert_int_equal(ev.msr_origin, MSR_ORIGIN_NONE);
	evidence_free(&ev);

	evidence_init(&ev);
	parse_ok(text, &ev, NULL); /* CPU 1's section now holds VM_CR, SVMDIS set */
	assert_int_equal(ev.nmsrs, 1);
	assert_int_equal(evidence_msr(&ev, 1, MSR_VM_CR)->value, 0x18);
	assert_null(evidence_msr(&ev, 0, MSR_VM_CR));
	assert_int_equal(status_of(&ev, CHECK_FW_VIRT_ENABLED), STATUS_FAIL);
	evidence_free(&ev);
	free(text);
}

/* The MSR section decides fw.virt_enabled from IA32_FEATURE_CONTROL (0x3A);
 * --msr (msr_text_parse_arg between set_aside and restore, as gather does)
 * wins over the dump's value, and the dump's other MSRs stay. */
static void dump_msr_decides_firmware_and_msr_option_wins(void **state)
{
	(void)state;
	static const struct {
		const char *line, *option;
		enum check_status from_dump, overridden;
	} cases[] = {
		/* locked with VMX outside SMX on, then "locked, VMX off" given */
		{ "MSR 0000003A: 0000-0000-0000-0005", "0x3a=0x1", STATUS_PASS, STATUS_FAIL },
		{ "MSR 0000003A: 0000-0000-0000-0001", "0x3a=0x5", STATUS_FAIL, STATUS_PASS },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evidence ev;
		struct msr_aside aside;
		char err[200];
		char *text = fixture_with_line(REPORTS "GenuineIntel00406C3_Braswell_CPUID.dump",
					       "MSR 0000002A:", cases[i].line, NULL);
		evidence_init(&ev);
		parse_ok(text, &ev, NULL);
		assert_int_equal(status_of(&ev, CHECK_FW_VIRT_ENABLED), cases[i].from_dump);

		msr_text_set_aside(&ev, &aside);
		assert_true(msr_text_parse_arg(cases[i].option, &ev, err, sizeof(err)));
		assert_true(msr_text_restore(&ev, &aside));
		assert_int_equal(status_of(&ev, CHECK_FW_VIRT_ENABLED), cases[i].overridden);
		assert_int_equal(ev.nmsrs, 4);
		/* the dump's 0x482 and 0x48B stay */
		assert_int_equal(status_of(&ev, CHECK_CPU_SLAT), STATUS_PASS);
		evidence_free(&ev);
		free(text);
	}
}

/* A value the user gives stands for every CPU: it replaces a dump's
 * per-CPU readings of that MSR, which would otherwise win (evidence_msr). */
static void msr_option_wins_over_per_cpu_dump_readings(void **state)
{
	(void)state;
	struct evidence ev;
	struct msr_aside aside;
	char err[200];
	char *one = fixture_with_line(REPORTS "AuthenticAMD0820F01_K17_Dali_CPUID.dump",
				      "CPU Multiplier: 14.7x", VM_CR_SVMDIS_LINE, NULL);
	char *both = text_with_line(one, "CPU Multiplier: 16.0x", VM_CR_SVMDIS_LINE, NULL);
	evidence_init(&ev);
	parse_ok(both, &ev, NULL);
	assert_int_equal(status_of(&ev, CHECK_FW_VIRT_ENABLED), STATUS_FAIL);
	msr_text_set_aside(&ev, &aside);
	assert_true(msr_text_parse_arg("0xc0010114=0", &ev, err, sizeof(err)));
	assert_true(msr_text_restore(&ev, &aside));
	assert_int_equal(ev.nmsrs, 1);
	assert_int_equal(evidence_msr(&ev, 1, MSR_VM_CR)->cpu, MSR_ALL_CPUS);
	assert_int_equal(status_of(&ev, CHECK_FW_VIRT_ENABLED), STATUS_PASS);
	evidence_free(&ev);
	free(one);
	free(both);
}

/* AIDA64 6.10 follows a CPU's MSR header with headers numbered by nothing
 * (lines as in InstLatx64 AuthenticAMD0870F10_K17_Matisse_CPUID.txt); the
 * CPU's MSRs follow the last of them. */
static const char matisse_msr_headers[] =
	"------[ CPUID Registers / Logical CPU #19 ]------\n"
	"CPUID 00000000: 00000010-68747541-444D4163-69746E65 [AuthenticAMD]\n"
	"------[ MSR Registers / Logical CPU #19 ]------\n"
	"\n"
	"\n"
	"------[ MSR Registers / Logical CPU # Clock (Normal),3594 MHz ]------\n"
	"\n"
	"\n"
	"------[ MSR Registers / Logical CPU # Multiplier,36.0x ]------\n"
	"\n"
	"CPB PStates: 0\n"
	"MSR 0000001B: 0000-0000-FEE0-0900\n"
	"MSR C0010070: < FAILED >\n"
	"MSR C0010114: 0000-0000-0000-0008\n"
	"\n"
	"PerformanceFrequency = 10000000\n";

static void aida64_6_10_unnumbered_msr_headers(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	parse_ok(matisse_msr_headers, &ev, NULL);
	assert_int_equal(ev.ncpus, 1);
	assert_int_equal(ev.cpus[0].id, 19);
	assert_int_equal(ev.nmsrs, 1);
	assert_int_equal(evidence_msr(&ev, 19, MSR_VM_CR)->cpu, 19);
	assert_int_equal(evidence_msr(&ev, 19, MSR_VM_CR)->value, 8);
	evidence_free(&ev);
}

/* Older per-CPU headers: "CPUID Registers (CPU #1):", counted as written;
 * "CPUID 00000000 :..." puts the colon elsewhere. */
static void cpuid_registers_headers_and_colon_forms(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture(REPORTS "GenuineIntel00006F2_Conroe_CPUID.dump", &ev);
	assert_int_equal(ev.ncpus, 2);
	assert_int_equal(ev.cpus[0].id, 1);
	assert_int_equal(ev.cpus[1].id, 2);
	assert_int_equal(cpu_record_find(&ev.cpus[1], 1, 0)->ebx, 0x01020800);
	evidence_free(&ev);

	evidence_init(&ev);
	load_fixture(REPORTS "AuthenticAMD0500F20_K14_Bobcat_CPUID.dump", &ev);
	assert_int_equal(ev.ncpus, 2);
	assert_int_equal(ev.cpus[1].nleaves, 34);
	assert_int_equal(cpu_record_find(&ev.cpus[1], 0x8000000A, 0)->edx, 0x60F);
	evidence_free(&ev);
}

/* "Group: 0x00 Affinity mask: 0x...0800" names CPU 11 by its bit. */
static void group_affinity_headers(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture(REPORTS "AuthenticAMD0A70F80_K19_Phoenix2_01_CPUID.dump", &ev);
	assert_int_equal(ev.ncpus, 12);
	for (unsigned i = 0; i < 12; i++) {
		assert_int_equal(ev.cpus[i].id, i);
		assert_int_equal(cpu_record_find(&ev.cpus[i], 0x80000026, 3)->edx, i);
	}
	evidence_free(&ev);
	expect_error_at("Group: 0x00 Affinity mask: 0x0000000000000003\n", 1,
			"malformed CPU header (affinity of other than one CPU)");
	expect_error_at("Group: 0x01 Affinity\n", 1, "malformed CPU header (affinity mask)");
}

/* No CPU headers at all: each CPU starts over at leaf 0. */
static void headerless_dump_splits_cpus_at_leaf_0(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture(REPORTS "GenuineIntel0090675_AlderLake_01_CPUID.dump", &ev);
	assert_int_equal(ev.ncpus, 12);
	for (unsigned i = 0; i < 12; i++) {
		assert_int_equal(ev.cpus[i].id, i);
		assert_int_equal(cpu_record_find(&ev.cpus[i], 1, 0)->ebx >> 24, i);
	}
	assert_int_equal(ev.cpus[7].nleaves, 42); /* 57 lines: subleaves unnumbered */
	evidence_free(&ev);
}

/* libcpuid: a test file with its expected results after the dashes, and
 * cpuid_tool --save's "version=" line (libcpuid.c,
 * cpuid_serialize_raw_data_internal). */
static void libcpuid_version_line_and_expected_results(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture("cpuid/libcpuid_amd_k6_amd-k6.test", &ev);
	assert_int_equal(ev.ncpus, 1);
	assert_int_equal(ev.cpus[0].nleaves, 9);
	evidence_free(&ev);

	evidence_init(&ev);
	parse_ok("version=0.6.5\n"
		 "\n"
		 "_________________ Logical CPU #0 _________________\n"
		 "basic_cpuid[0]=0000000d 68747541 444d4163 69746e65\n"
		 "\n"
		 "_________________ Logical CPU #1 _________________\n"
		 "basic_cpuid[0]=0000000d 68747541 444d4163 69746e65\n",
		 &ev, NULL);
	assert_int_equal(ev.ncpus, 2);
	evidence_free(&ev);
	expect_error_at("basic_cpuid[0]=0000000d 68747541 444d4163 69746e65\nversion=0.6.5\n", 2,
			"not a line of any CPUID dump format");
}

/* x86info -r: its banner and report text around the register lines
 * (x86info.c prints "CPU #%u:" counting from 1; dumpregs.c the lines). */
static const char x86info_text[] =
	"x86info v1.31pre  Dave Jones 2001-2011\n"
	"Feedback to <davej@redhat.com>.\n"
	"\n"
	"Found 2 CPUs.\n"
	"CPU #1:\n"
	"Extended Family: 0 Extended Model: 8 Family: 6 Model: 141 Stepping: 1\n"
	"CPU Model (x86info's best guess): Unknown model. \n"
	"eax in: 0x00000000, eax = 0000001b ebx = 756e6547 ecx = 6c65746e edx = 49656e69\n"
	"eax in: 0x00000001, eax = 000806d1 ebx = 00100800 ecx = 7ffafbff edx = bfebfbff\n"
	"\n"
	"eax in: 0x80000000, eax = 80000008 ebx = 00000000 ecx = 00000000 edx = 00000000\n"
	"eax in: 0x80000001, eax = 00000000 ebx = 00000000 ecx = 00000121 edx = 2c100800\n"
	"Feature flags:\n"
	"--------------------------------------------------------------------------\n"
	"CPU #2:\n"
	"eax in: 0x00000000, eax = 0000001b ebx = 756e6547 ecx = 6c65746e edx = 49656e69\n"
	"eax in: 0x00000001, eax = 000806d1 ebx = 01100800 ecx = 7ffafbff edx = bfebfbff\n";

static void x86info_register_lines(void **state)
{
	(void)state;
	struct evidence ev;
	enum dump_format fmt;
	evidence_init(&ev);
	parse_ok(x86info_text, &ev, &fmt);
	assert_int_equal(fmt, DUMP_X86INFO);
	assert_int_equal(ev.ncpus, 2);
	assert_int_equal(ev.cpus[1].id, 1);
	assert_int_equal(cpu_record_find(&ev.cpus[1], 1, 0)->ebx, 0x01100800);
	assert_int_equal(cpu_record_find(&ev.cpus[0], 0x80000001, 0)->edx, 0x2c100800);
	evidence_free(&ev);
	expect_error_at("x86info v1.31pre\neax in: 0x00000001, eax = 000806d1 ebx = 00100800\n", 2,
			"truncated x86info line (register 3 of 4)");
	expect_error_at("eax in: 0x00000000, eax = 1 ebx = 2 ecx = 3 edx = 4\nCPU #0:\n", 2,
			"malformed CPU header");
}

/* Report prose is skipped only where the report says so; inside a CPU's
 * section every line must be one hvprobe reads, and errors name the line. */
static void malformed_lines_in_report_sections(void **state)
{
	(void)state;
	static const struct {
		const char *after, *line, *error;
	} cases[] = {
		{ "CPUID 00000006: 00000007", "CPUID 00000007: 00000000-00002282-00000000",
		  "truncated CPUID line (register 4 of 4)" },
		{ "allcpu: Package 0 / Core 2", "CPU Clock (Normal): 1465 MHz",
		  "malformed CPU header" },
		{ "allcpu: Package 0 / Core 1", "Processor running at 1465 MHz",
		  "not a line of any CPUID dump format hvprobe reads" },
		{ "MSR 00000017:", "MSR 0000003A: 0000-0000-XYZ0-0005",
		  "truncated MSR line (group 3 of 4)" },
		{ "MSR 00000017:", "MSR 0000003A: 0000-0000-0000-0005garbage",
		  "trailing text after the MSR value" },
		{ "MSR 00000017:", "MSR 3A 0000-0000-0000-0005", "malformed MSR line (index)" },
		{ "CPUID 80000008:", "------[ Logical CPU #x ]------", "malformed CPU header" },
		{ "CPUID 80000008:", "------[ Unclosed", "malformed section header" },
		{ "CPUID 80000008:", "CPUID 80000009: 0-0-0-0junk",
		  "trailing text after the registers" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned lineno;
		char *text = fixture_with_line(REPORTS "GenuineIntel00406C3_Braswell_CPUID.dump",
					       cases[i].after, cases[i].line, &lineno);
		expect_error_at(text, lineno, cases[i].error);
		free(text);
	}

	/* Lines of no known kind in the sections hvprobe skips are skipped. */
	struct evidence ev;
	char *text = fixture_with_line(REPORTS "GenuineIntel00406C3_Braswell_CPUID.dump",
				       "CPU Alias", "CPUID 0000XXXX: anything at all", NULL);
	evidence_init(&ev);
	parse_ok(text, &ev, NULL);
	evidence_free(&ev);
	free(text);

	/* A report with no CPU section is not a dump. */
	expect_error("------[ Versions ]------\n\nProgram Version : AIDA64 v5.20.3455 Beta\n"
		     "------[ MSR Registers ]------\nMSR 0000003A: 0000-0000-0000-0005\n",
		     "no CPUID leaves found");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aida_multi_cpu_with_empty_cpus),
		cmocka_unit_test(aida_affmask_headers_and_subleaves),
		cmocka_unit_test(aida_without_colon),
		cmocka_unit_test(libcpuid_format_arrays_map_to_leaves),
		cmocka_unit_test(cpuid_r_format),
		cmocka_unit_test(cpuid_r_single_cpu_header),
		cmocka_unit_test(write_then_parse_round_trips),
		cmocka_unit_test(bad_inputs_are_named),
		cmocka_unit_test(thousands_of_leaves_per_cpu),
		cmocka_unit_test(put_keeps_leaves_findable),
		cmocka_unit_test(dumps_of_other_vendors_and_eras_parse),
		cmocka_unit_test(the_arm_fixture_is_refused),
		cmocka_unit_test(aida64_report_reads_cpus_and_msrs),
		cmocka_unit_test(everest_report_reads_cpus_and_msrs),
		cmocka_unit_test(aida64_6_reads_msr_sections_per_cpu),
		cmocka_unit_test(dump_msr_decides_firmware_and_msr_option_wins),
		cmocka_unit_test(msr_option_wins_over_per_cpu_dump_readings),
		cmocka_unit_test(aida64_6_10_unnumbered_msr_headers),
		cmocka_unit_test(cpuid_registers_headers_and_colon_forms),
		cmocka_unit_test(group_affinity_headers),
		cmocka_unit_test(headerless_dump_splits_cpus_at_leaf_0),
		cmocka_unit_test(libcpuid_version_line_and_expected_results),
		cmocka_unit_test(x86info_register_lines),
		cmocka_unit_test(malformed_lines_in_report_sections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
