/* SPDX-License-Identifier: MIT */
/*
 * CPUID on every processor. The MP Services protocol (PI specification,
 * volume 2) runs the reader on each application processor in turn; the
 * processor we run on reads its own. Each reads its MSRs alongside
 * (msr_uefi.c), since an MSR is read on the processor that holds it.
 */
#include <efi.h>
#include <efilib.h>
#include <stdlib.h>
#include <string.h>

#include "../cpuid_read.h"
#include "collect_uefi.h"

static EFI_GUID mp_services_guid = { 0x3fdda605, 0xa76e, 0x4f46,
				     { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } };

typedef VOID(EFIAPI *ap_procedure)(VOID *arg);
struct mp_services {
	EFI_STATUS(EFIAPI *get_number_of_processors)(struct mp_services *, UINTN *, UINTN *);
	EFI_STATUS(EFIAPI *get_processor_info)(struct mp_services *, UINTN, VOID *);
	EFI_STATUS(EFIAPI *startup_all_aps)(struct mp_services *, ap_procedure, BOOLEAN, EFI_EVENT, UINTN,
					    VOID *, UINTN **);
	EFI_STATUS(EFIAPI *startup_this_ap)(struct mp_services *, ap_procedure, UINTN, EFI_EVENT, UINTN,
					    VOID *, BOOLEAN *);
	EFI_STATUS(EFIAPI *switch_bsp)(struct mp_services *, UINTN, BOOLEAN);
	EFI_STATUS(EFIAPI *enable_disable_ap)(struct mp_services *, UINTN, BOOLEAN, UINT32 *);
	EFI_STATUS(EFIAPI *who_am_i)(struct mp_services *, UINTN *);
};

#define MAX_CPUS 256
#define AP_TIMEOUT_US 1000000

/* One processor's CPUID and MSRs, read where it runs. */
struct cpu_read {
	struct cpuid_leaf leaves[CPUID_READ_MAX];
	size_t nleaves;
	bool ok;
	struct msr_uefi_set msrs;
};

static void exec_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(subleaf));
}

/* Runs on each processor: no boot services, only the caller's buffer. */
static VOID EFIAPI read_this_cpu(VOID *arg)
{
	struct cpu_read *c = arg;
	c->ok = cpuid_read_all(exec_cpuid, c->leaves, &c->nleaves);
	if (c->ok)
		uefi_read_msrs(c->leaves, c->nleaves, &c->msrs);
}

static bool record(struct evidence *ev, unsigned id, const struct cpu_read *c)
{
	struct cpu_record *cpu = evidence_add_cpu(ev, id);
	bool ok = cpu != NULL;
	for (size_t i = 0; ok && c->ok && i < c->nleaves; i++)
		ok = cpu_record_put(cpu, &c->leaves[i]);
	for (size_t i = 0; ok && c->ok && i < c->msrs.n; i++) {
		struct msr_reading r = { (int)id, c->msrs.index[i], MSR_OK, c->msrs.value[i] };
		ok = evidence_add_msr(ev, &r);
	}
	return ok;
}

bool uefi_collect_cpus(struct evidence *ev)
{
	struct mp_services *mp = NULL;
	UINTN total = 1, enabled = 1, self = 0;
	if (BS->LocateProtocol(&mp_services_guid, NULL, (VOID **)&mp) != EFI_SUCCESS ||
	    mp->get_number_of_processors(mp, &total, &enabled) != EFI_SUCCESS ||
	    mp->who_am_i(mp, &self) != EFI_SUCCESS)
		mp = NULL, total = 1, self = 0;
	struct cpu_read *c = malloc(sizeof(*c));
	bool ok = c != NULL;
	ev->msr_origin = MSR_ORIGIN_LIVE;
	for (UINTN i = 0; ok && i < total && i < MAX_CPUS; i++) {
		memset(c, 0, sizeof(*c));
		if (i == self)
			read_this_cpu(c);
		else if (mp->startup_this_ap(mp, read_this_cpu, i, NULL, AP_TIMEOUT_US, c, NULL) != EFI_SUCCESS)
			c->ok = false; /* a disabled processor: recorded without data */
		ok = record(ev, (unsigned)i, c);
	}
	free(c);
	return ok;
}
