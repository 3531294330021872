/* SPDX-License-Identifier: MIT */
/* Read the leaves hvprobe needs from the processor the caller runs on,
 * given a way to execute CPUID (an intrinsic, or inline assembly). Shared
 * by the Windows and UEFI collectors; the Linux build uses libcpuid. */
#ifndef HVPROBE_CPUID_READ_H
#define HVPROBE_CPUID_READ_H

#include "../probe/evidence.h"

typedef void (*cpuid_fn)(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);

/* Basic and extended leaves up to their maxima (subleaf 0), and the
 * hypervisor ranges when CPUID.1:ECX[31] says one is there. At most
 * CPUID_READ_MAX leaves; false only when cpu_record_put fails. */
#define CPUID_READ_MAX 600
bool cpuid_read_all(cpuid_fn cpuid, struct cpuid_leaf *out, size_t *n);

#endif
