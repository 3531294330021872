/* SPDX-License-Identifier: MIT */
/*
 * Live evidence on a Linux host. Each collector reads one source and
 * records what it could not read (and why) instead of guessing.
 */
#ifndef HVPROBE_LINUX_LIVE_H
#define HVPROBE_LINUX_LIVE_H

#include "../../probe/evidence.h"
#include "../../formats/hv_error.h"

/* CPUID on every logical CPU (libcpuid), plus the hypervisor leaves. */
bool cpuid_collect_live(struct evidence *ev, struct hv_error *err);

/* The launch MSRs on every CPU through /dev/cpu/N/msr; never fails, it
 * records why values are missing. */
void msr_collect_live(struct evidence *ev);

/* uname, hostname, machine id, /proc/cpuinfo, the kernel log, boot mode. */
void kernel_collect_live(struct evidence *ev);

/* systemd's /etc/machine-id, or D-Bus's copy on older systems (one line
 * of 32 hex digits that stays with the installation), into ev->machine_id:
 * this system's (root NULL), or that of a root mounted at root. */
void machine_id_collect(struct evidence *ev, const char *root);

/* /dev/kvm: exists, API version, can it create a VM; modules, nested. */
void kvm_collect_live(struct evidence *ev);

/* Installed packages that matter, from the dpkg database when there is
 * one: this system's (root NULL), or that of a root mounted at root. */
void packages_collect(struct evidence *ev, const char *root);

/* A Windows BCD store on a mounted FAT or NTFS partition; records where it
 * looked and what it found, and reads the first store found. */
void bcd_collect_live(struct evidence *ev);
/* The same, over a mounts table in /proc/mounts form. */
void bcd_search_mounts(struct evidence *ev, const char *mounts_file);

#endif
