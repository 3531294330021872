/* SPDX-License-Identifier: MIT */
/*
 * A bundle is a directory holding everything one run read (docs/bundle.md):
 *   host.txt     identity, kernel, KVM and boot facts (key=value)
 *   cpuid.txt    every CPUID leaf of every CPU, in `cpuid -r` form
 *   msr.txt      MSR values, or why none were read
 *   cpuinfo.txt  /proc/cpuinfo as read (Linux hosts)
 *   kmsg.txt     the kernel log lines that decided anything
 *   installed.txt installed updates and packages (when a list was read)
 *   bcd          the Windows BCD store read, byte for byte (when one was)
 * `hvprobe --from DIR` loads it into the same evidence model as a live run.
 */
#ifndef HVPROBE_BUNDLE_H
#define HVPROBE_BUNDLE_H

#include "../probe/evidence.h"
#include "../formats/hv_error.h"

/* Write to DIR atomically: into a fresh sibling directory, then renamed.
 * An existing DIR is never touched. */
bool bundle_write(const char *dir, const struct evidence *ev, struct hv_error *err);

bool bundle_read(const char *dir, struct evidence *ev, struct hv_error *err);

#endif
