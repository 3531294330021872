/* SPDX-License-Identifier: MIT */
/* Kernel log lines that record a firmware decision or why KVM refused to
 * start (docs/checks.md, fw.virt_enabled and os.kvm). */
#ifndef HVPROBE_KMSG_H
#define HVPROBE_KMSG_H

#include "../probe/evidence.h"

/* Scan one log message (a /dev/kmsg record, a dmesg line or a bare
 * message) and keep it in lx->kmsg if it is the first of its kind. */
void kmsg_scan_line(const char *line, size_t len, struct linux_view *lx);

/* Scan many lines. */
void kmsg_scan(const char *text, size_t len, struct linux_view *lx);

/* One kernel message of a past boot (a journal entry's MESSAGE): fills the
 * boot's kernel release, DMI line, microcode revision (the last reported),
 * the facts above (first of each) and the line that shows KVM's AMD module
 * set up (docs/linux-history.md). */
void kmsg_boot_line(const char *msg, size_t len, struct journal_boot *b);

#endif
