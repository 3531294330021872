/* SPDX-License-Identifier: MIT */
/* Shared test helpers: build evidence from leaves, run a check by id. */
#ifndef HVPROBE_TEST_HELPERS_H
#define HVPROBE_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "probe/checks.h"
#include "probe/verdict.h"

/* Vendor strings as leaf-0 registers in put_leaf order (EBX, ECX, EDX):
 * the string itself reads EBX, EDX, ECX. */
#define VENDOR_INTEL 0x756e6547u, 0x6c65746eu, 0x49656e69u
#define VENDOR_AMD 0x68747541u, 0x444d4163u, 0x69746e65u

void put_leaf(struct cpu_record *cpu, uint32_t leaf, uint32_t sub, uint32_t eax, uint32_t ebx,
	      uint32_t ecx, uint32_t edx);

/* A plausible bare-metal CPU: vendor, leaf 1 ECX, 0x80000001 ECX/EDX, and
 * for AMD the SVM leaf with NPT. */
struct cpu_record *add_intel_cpu(struct evidence *ev, unsigned id, uint32_t leaf1_ecx);
struct cpu_record *add_amd_cpu(struct evidence *ev, unsigned id, bool svm, bool npt);

/* Run one check over ev; r is filled. */
void run_check(const struct evidence *ev, int index, struct check_result *r);

/* Read a fixture file (relative to shared/fixtures) into ev; fails the test on error. */
void load_fixture(const char *relpath, struct evidence *ev);

/* The evidence item with this key, or NULL. */
const struct evidence_item *find_item(const struct check_result *r, const char *key);

#endif
