/* SPDX-License-Identifier: MIT */
/* Debian's package database (/var/lib/dpkg/status), read for the packages
 * whose updates change what a hypervisor host boots and runs. */
#ifndef HVPROBE_DPKG_H
#define HVPROBE_DPKG_H

#include "../probe/evidence.h"

/* The kernel, the CPU microcode, the hypervisors and their firmware, the
 * devices' firmware and fwupd (which updates the BIOS at the next boot). */
bool dpkg_package_matters(const char *name);

/* Add every installed package that matters to v (version, state
 * "installed"; no install time: the status file has none). False only
 * when v is full or memory runs out. */
bool dpkg_status_parse(const char *text, size_t len, struct installed_view *v);

#endif
