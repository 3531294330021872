/* SPDX-License-Identifier: MIT */
/*
 * Saved CPUID dumps as people have them (docs/formats.md, "CPUID dumps"):
 * libcpuid's format (basic_cpuid[N]=..., as cpuid_tool --save writes it and
 * as its test corpus holds it), AIDA64 and EVEREST reports (CPUID
 * 00000001: EAX-EBX-ECX-EDX lines under per-CPU headers, the rest of the
 * report skipped, its MSR section read), the raw output of `cpuid -r` and
 * the register lines of `x86info -r`. One parser for all, so a dump is read
 * the same whichever tool wrote it.
 */
#ifndef HVPROBE_CPUID_DUMP_H
#define HVPROBE_CPUID_DUMP_H

#include "../probe/evidence.h"

enum dump_format { DUMP_UNKNOWN, DUMP_LIBCPUID, DUMP_AIDA64, DUMP_CPUID_R, DUMP_X86INFO };

/*
 * Parse `len` bytes of dump text into ev->cpus, and an AIDA64 report's MSR
 * section into ev->msrs (recorded; only the MSRs hvprobe judges). Returns
 * false with a one-line reason in err ("line 12: malformed CPUID line") on
 * bad input; ev may then hold a partial result that the caller must free.
 */
bool cpuid_dump_parse(const char *text, size_t len, struct evidence *ev,
		      enum dump_format *format, char *err, size_t errsize);

const char *dump_format_name(enum dump_format f);

/* Write every leaf of every CPU in the `cpuid -r` format; the bundle uses it. */
struct strbuf;
void cpuid_dump_write(const struct evidence *ev, struct strbuf *out);

#endif
