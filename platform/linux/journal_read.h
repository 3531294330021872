/* SPDX-License-Identifier: MIT */
/*
 * Past boots from the systemd journal (docs/linux-history.md, "Past boots
 * from the journal"): per boot its time, kernel, DMI line, microcode, the
 * kernel's KVM lines and hvprobe's own verdict line.
 */
#ifndef HVPROBE_JOURNAL_READ_H
#define HVPROBE_JOURNAL_READ_H

#include "../../probe/evidence.h"

/* Kernel messages read per boot, from its start: the banner, DMI and
 * microcode lines come in the first few hundred, KVM's when its module
 * loads (udev, within the first minute); a boot that logs more before
 * then is cut here. */
#define JOURNAL_KERNEL_LINES_PER_BOOT 4096
/* ... and no later than this after the boot's first kernel message
 * (monotonic clock, which no clock change moves). */
#define JOURNAL_BOOT_WINDOW_USEC (600ull * 1000000ull)
/* ... and no further than this past the line that shows KVM set up: what
 * KVM says next (a CPU that would not enable virtualization, at load since
 * 6.12) follows it closely, and a host where KVM comes up reads a few
 * hundred lines per boot instead of thousands. */
#define JOURNAL_LINES_AFTER_KVM_UP 256
/* Boots read, the newest: enough to reach back past a run of bad boots to
 * the last good one, and a bound on a startup script's wait
 * (docs/benchmark.md). Older boots are counted in dropped. */
#define JOURNAL_BOOTS_READ 32

/* Fill v from this system's journal (root NULL or ""), or from the
 * journal of a Linux root mounted at root (root/var/log/journal and
 * root/run/log/journal): with the root's machine_id (32 hex digits) only
 * that machine's directory, else (NULL or "") every machine-id directory.
 * Live, only this machine's, as sd_journal_open() reads. Never fails:
 * what could not be read is said in v->unreadable or v->damaged. The
 * boots end ordered by journal_settle(). */
void journal_collect(struct journal_view *v, const char *root, const char *machine_id);

#endif
