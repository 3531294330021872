/* SPDX-License-Identifier: MIT */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/cpuid_dump.h"
#include "probe/cpuid_decode.h"

void put_leaf(struct cpu_record *cpu, uint32_t leaf, uint32_t sub, uint32_t eax, uint32_t ebx,
	      uint32_t ecx, uint32_t edx)
{
	struct cpuid_leaf l = { leaf, sub, eax, ebx, ecx, edx };
	assert_true(cpu_record_put(cpu, &l));
}

struct cpu_record *add_intel_cpu(struct evidence *ev, unsigned id, uint32_t leaf1_ecx)
{
	struct cpu_record *c = evidence_add_cpu(ev, id);
	assert_non_null(c);
	put_leaf(c, 0, 0, 0x16, VENDOR_INTEL);
	put_leaf(c, 1, 0, 0x906ea, 0, leaf1_ecx, 0xbfebfbff);
	put_leaf(c, 0x80000000u, 0, 0x80000008u, 0, 0, 0);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0x121, CPUID_80000001_EDX_NX | CPUID_80000001_EDX_LM);
	return c;
}

struct cpu_record *add_amd_cpu(struct evidence *ev, unsigned id, bool svm, bool npt)
{
	struct cpu_record *c = evidence_add_cpu(ev, id);
	assert_non_null(c);
	put_leaf(c, 0, 0, 0x10, VENDOR_AMD);
	put_leaf(c, 1, 0, 0xa20f12, 0, 0x7ef8320b, 0x178bfbff);
	put_leaf(c, 0x80000000u, 0, 0x80000020u, 0, 0, 0);
	put_leaf(c, 0x80000001u, 0, 0, 0, svm ? CPUID_80000001_ECX_SVM : 0,
		 CPUID_80000001_EDX_NX | CPUID_80000001_EDX_LM);
	put_leaf(c, 0x8000000Au, 0, 1, 0x8000, 0, npt ? CPUID_8000000A_EDX_NP : 0);
	return c;
}

void run_check(const struct evidence *ev, int index, struct check_result *r)
{
	struct facts f;
	memset(r, 0, sizeof(*r));
	assert_true(facts_init(&f, ev, NULL));
	r->id = check_table[index].id;
	check_table[index].run(&f, r);
	facts_free(&f);
}

void load_fixture(const char *relpath, struct evidence *ev)
{
	char path[1024], err[256];
	snprintf(path, sizeof(path), "%s/%s", HVPROBE_FIXTURES, relpath);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open fixture %s", path);
	size_t cap = 4u << 20;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t n = fread(buf, 1, cap, fp);
	fclose(fp);
	bool ok = cpuid_dump_parse(buf, n, ev, NULL, err, sizeof(err));
	free(buf);
	if (!ok)
		fail_msg("%s: %s", relpath, err);
}

const struct evidence_item *find_item(const struct check_result *r, const char *key)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (strcmp(r->items[i].key, key) == 0)
			return &r->items[i];
	return NULL;
}
