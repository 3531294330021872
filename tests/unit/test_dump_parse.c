/* SPDX-License-Identifier: MIT */
/* The dump parser over real dumps of every format, and over bad input. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/cpuid_dump.h"
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
