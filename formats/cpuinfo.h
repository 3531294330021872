/* SPDX-License-Identifier: MIT */
/* /proc/cpuinfo: how many processors list each flag that matters here. */
#ifndef HVPROBE_CPUINFO_H
#define HVPROBE_CPUINFO_H

#include "../probe/evidence.h"

/* Fill lx->cpuinfo_cpus, flag_cpus and vmx_flags_line from the text. */
void cpuinfo_parse(const char *text, size_t len, struct linux_view *lx);

#endif
