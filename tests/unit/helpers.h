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

/* A Linux boot loader read: GRUB boots kernel release next, with every
 * KVM module as a file. */
void next_boot_ready(struct evidence *ev, const char *release);

/* Run one check over ev; r is filled. */
void run_check(const struct evidence *ev, int index, struct check_result *r);

/* Read a fixture file (relative to tests/fixtures) into ev; fails the test on error. */
void load_fixture(const char *relpath, struct evidence *ev);

/* The evidence item with this key, or NULL. */
const struct evidence_item *find_item(const struct check_result *r, const char *key);

/* BCD stores built in memory: objects (marked read), elements in the
 * registry form a real store holds them (docs/checks.md, "The Windows boot configuration"). */
#define BCD_TEST_LOADER "{e018a2d0-b134-11ea-95b2-81f0ac71b75b}"
#define BCD_TEST_BOOTLOADERSETTINGS "{6efb52bf-1766-41db-a6b3-0ee5eff72bd7}"
#define BCD_TEST_GLOBALSETTINGS "{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}"
#define BCD_TEST_HYPERVISORSETTINGS "{7ff607e0-4395-11db-b0de-0800200c9a66}"
struct bcd_object *bcd_test_object(struct bcd_store *s, const char *id, uint32_t type);
struct bcd_object *bcd_test_find(struct bcd_store *s, const char *id);
void bcd_test_raw(struct bcd_object *o, uint32_t type, uint32_t reg_type, const void *data, size_t len);
void bcd_test_integer(struct bcd_object *o, uint32_t type, uint64_t v);
void bcd_test_boolean(struct bcd_object *o, uint32_t type, bool v);
/* UTF-16LE with its NUL, as REG_SZ holds it; BMP characters only. */
size_t bcd_test_utf16(const char *utf8, unsigned char *out);
void bcd_test_string(struct bcd_object *o, uint32_t type, const char *utf8);
/* An inherit list of one or two objects (b may be NULL). */
void bcd_test_inherit(struct bcd_object *o, const char *a, const char *b);
/* The shape every real store has: {bootmgr} -> "Windows 10" loader (nx
 * OptIn) -> {bootloadersettings} -> {globalsettings}, {hypervisorsettings};
 * no hypervisorlaunchtype anywhere. */
void bcd_test_store(struct bcd_store *s);

/* Event log records as a System log holds them (docs/launch-events.md):
 * provider, event id, time (seconds since 1970), then n name/value pairs.
 * Records get increasing record ids in the log "System.evtx". */
#define EV_BOOT "Microsoft-Windows-Kernel-General", 12u
#define EV_HV "Microsoft-Windows-Hyper-V-Hypervisor"
#define EV_WU "Microsoft-Windows-WindowsUpdateClient"
void add_event(struct evidence *ev, const char *provider, uint32_t id, int64_t time, unsigned n,
	       ...);
/* One boot at `time` whose hypervisor launched (Hyper-V-Hypervisor 1). */
void add_launched_boot(struct evidence *ev, int64_t time);

#endif
