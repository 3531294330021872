/* SPDX-License-Identifier: MIT */
#ifndef HVPROBE_CPU_IDENTIFY_H
#define HVPROBE_CPU_IDENTIFY_H

#include "../probe/evidence.h"

/* Fill ev->codename with libcpuid's name for the first CPU's core (such
 * as "Skylake" or "Vermeer"); leaves it empty when libcpuid has none. */
void cpu_identify_codename(struct evidence *ev);

#endif
