#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Stage a Linux root whose systemd journal holds chosen past boots.

    make_journal.py SCENARIO ROOT      write ROOT/var/log/journal/MACHINE/system.journal
    make_journal.py --export SCENARIO  print the journal export text instead

The journal file is written by Debian's own systemd-journal-remote from
journal export text (https://systemd.io/JOURNAL_EXPORT_FORMATS/) on its
stdin, so hvprobe's reader meets a real journal file, not a mock. Exit 77
when systemd-journal-remote is not installed (Debian package
systemd-journal-remote; scripts/install-deps.sh test installs it).

The kernel messages are the kernel's own wordings, each with its source:
  "Linux version ..."       init/version.c linux_banner (Debian's build
                            host and compiler as Debian 12 kernels print them)
  "DMI: ..."                drivers/firmware/dmi_scan.c dmi_present()
                            ("DMI: %s", dmi_format_ids(): vendor product/board,
                            BIOS version date)
  "microcode: ..."          arch/x86/kernel/cpu/microcode/amd.c up to 6.6
                            ("microcode updated early to new patch_level=0x%08x",
                            "CPU%d: patch_level=0x%08x"), intel.c 6.3-6.6
                            ("updated early: 0x%x -> 0x%x, date = ..."), core.c
                            6.7+ ("Current revision: 0x%08x", "Updated early
                            from: 0x%08x")
  "kvm: Nested Virtualization enabled", "SVM: kvm: Nested Paging enabled"
                            arch/x86/kvm/svm/svm.c svm_hardware_setup() before
                            6.3 (printk without prefix; pr_fmt "SVM: ")
  "kvm_amd: Nested ..."     the same from 6.3 (pr_fmt KBUILD_MODNAME)
  "kvm: support for 'kvm_amd' disabled by bios"
                            arch/x86/kvm/x86.c kvm_arch_init() 5.16-6.2
  "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 0"
                            arch/x86/kvm/svm/svm.c kvm_is_svm_supported() 6.3-6.6
  "NX (Execute Disable) protection: active"
                            arch/x86/mm/setup_nx.c
  "reboot: Restarting system"
                            kernel/reboot.c kernel_restart() (pr_fmt "reboot: "):
                            each boot ends with it an hour after it began
hvprobe's own line is what cli/syslog_out.c sends: the verdict summary of
report/summary.c after the verdict's name (cli/main.c): "pass: KVM runs here:
...", "fail: KVM cannot launch here; failed: ...".
"""
import os
import shutil
import subprocess
import sys

MACHINE_ID = "5c1e0e8a3b1f4c7e9d2a6b0f1e2d3c4b"
HOSTNAME = "kvmhost"
REMOTE = "/lib/systemd/systemd-journal-remote"

BANNER = ("Linux version {rel} (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) "
          "12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian {ver}")
DMI_OLD = "ASUS System Product Name/PRIME B450M-A, BIOS 2006 11/13/2019"
DMI_NEW = "ASUS System Product Name/PRIME B450M-A, BIOS 3604 05/08/2023"


def boot_61(rel, ver, dmi, kvm_lines, extra=()):
    """A Debian 12 (6.1) boot on an AMD host: kernel lines in boot order."""
    return ([BANNER.format(rel=rel, ver=ver),
             "Command line: BOOT_IMAGE=/boot/vmlinuz-%s root=/dev/sda1 ro quiet" % rel,
             "DMI: " + dmi,
             "NX (Execute Disable) protection: active",
             "microcode: microcode updated early to new patch_level=0x08701021",
             "microcode: CPU0: patch_level=0x08701021",
             "microcode: CPU1: patch_level=0x08701021",
             "microcode: Microcode Update Driver: v2.2."]
            + list(kvm_lines) + list(extra))


KVM_UP_61 = ["kvm: Nested Virtualization enabled", "SVM: kvm: Nested Paging enabled",
             "SVM: Virtual VMLOAD VMSAVE supported"]

# Each boot: (boot id, first realtime in seconds since 1970 UTC, kernel
# lines, hvprobe verdict lines).
T0 = 1704067200  # 2024-01-01 00:00:00 UTC
SCENARIOS = {
    "three": [
        ("a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", T0,
         boot_61("6.1.0-17-amd64", "6.1.69-1 (2023-12-30)", DMI_OLD, KVM_UP_61),
         ["pass: KVM runs here: KVM created a VM on this host"]),
        ("b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2", T0 + 86400,
         boot_61("6.1.0-18-amd64", "6.1.76-1 (2024-02-01)", DMI_OLD, []),
         ["unknown: KVM may or may not launch; not known: kvm.history",
          "fail: KVM cannot launch here; failed: os.kvm"]),
        ("c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3", T0 + 2 * 86400,
         boot_61("6.1.0-18-amd64", "6.1.76-1 (2024-02-01)", DMI_NEW,
                 ["kvm: support for 'kvm_amd' disabled by bios"]),
         []),
        ("d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4", T0 + 3 * 86400,
         [BANNER.format(rel="6.5.0-0.deb12.4-amd64", ver="6.5.10-1~bpo12+1 (2023-11-23)"),
          "DMI: " + DMI_NEW,
          "microcode: CPU0: patch_level=0x0870102b",
          "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 0"],
         []),
    ],
    "one": [
        ("e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5", T0,
         [BANNER.format(rel="6.12.9-amd64", ver="6.12.9-1 (2025-01-10)"),
          "DMI: Dell Inc. PowerEdge R7525/0PYVT1, BIOS 2.14.1 12/17/2023",
          "microcode: Current revision: 0x0a0011d5",
          "microcode: Updated early from: 0x0a0011d1",
          "kvm_amd: TSC scaling supported",
          "kvm_amd: Nested Virtualization enabled",
          "kvm_amd: Nested Paging enabled"],
         []),
    ],
    # The second boot's clock was set back (a flat CMOS battery, an RTC reset
    # by a BIOS update): it starts before the first in wall-clock time. Both
    # must be kept, the second last (the journal's sequence numbers).
    "backwards": [
        ("f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6", T0 + 86400,
         boot_61("6.1.0-17-amd64", "6.1.69-1 (2023-12-30)", DMI_OLD, KVM_UP_61), []),
        ("0707070707070707070707070707070a", T0 - 10 * 86400,
         boot_61("6.1.0-18-amd64", "6.1.76-1 (2024-02-01)", DMI_OLD, []), []),
    ],
}


def large(boots, lines):
    """Many boots of many kernel lines, for measuring the reader's cost."""
    out = []
    for i in range(boots):
        filler = ["usb 1-%d: new high-speed USB device number %d using xhci_hcd" % (k % 8, k)
                  for k in range(lines)]
        out.append(("%032x" % (0x1000 + i), T0 + i * 3600,
                    boot_61("6.1.0-18-amd64", "6.1.76-1 (2024-02-01)", DMI_OLD, KVM_UP_61, filler),
                    ["pass: KVM runs here: KVM created a VM on this host"]))
    return out


def field(name, value):
    return ("%s=%s\n" % (name, value)).encode()


def export(boots):
    out = bytearray()
    for boot_id, first, kernel, verdicts in boots:
        usec = first * 1000000
        mono = 1000000
        entries = [("kernel", 6, m) for m in kernel] + [("hvprobe", 6, v) for v in verdicts]
        for ident, prio, msg in entries:
            if ident == "hvprobe" and usec < (first + 60) * 1000000:
                # its unit runs once the system is up
                usec, mono = (first + 60) * 1000000, mono + 59000000
            out += field("__REALTIME_TIMESTAMP", usec)
            out += field("__MONOTONIC_TIMESTAMP", mono)
            out += field("_BOOT_ID", boot_id)
            out += field("_MACHINE_ID", MACHINE_ID)
            out += field("_HOSTNAME", HOSTNAME)
            out += field("PRIORITY", prio)
            out += field("SYSLOG_IDENTIFIER", ident)
            if ident == "kernel":
                out += field("_TRANSPORT", "kernel")
                out += field("SYSLOG_FACILITY", 0)
            else:
                out += field("_TRANSPORT", "syslog")
                out += field("SYSLOG_FACILITY", 3)
                out += field("_PID", 812)
            out += field("MESSAGE", msg)
            out += b"\n"
            usec += 1000
            mono += 1000
        # the boot ends an hour after it began, as a real one would
        usec, mono = max(usec, (first + 3600) * 1000000), mono + 3600000000
        out += field("__REALTIME_TIMESTAMP", usec)
        out += field("__MONOTONIC_TIMESTAMP", mono)
        out += field("_BOOT_ID", boot_id)
        out += field("_MACHINE_ID", MACHINE_ID)
        out += field("_HOSTNAME", HOSTNAME)
        out += field("PRIORITY", 5)
        out += field("SYSLOG_IDENTIFIER", "kernel")
        out += field("_TRANSPORT", "kernel")
        out += field("SYSLOG_FACILITY", 0)
        out += field("MESSAGE", "reboot: Restarting system")
        out += b"\n"
    return bytes(out)


def main(argv):
    if len(argv) == 3 and argv[1] == "--export":
        sys.stdout.buffer.write(export(scenario(argv[2])))
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 64
    if not os.access(REMOTE, os.X_OK):
        print("make_journal: %s not installed (systemd-journal-remote)" % REMOTE, file=sys.stderr)
        return 77
    directory = os.path.join(argv[2], "var", "log", "journal", MACHINE_ID)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    path = os.path.join(directory, "system.journal")
    subprocess.run([REMOTE, "--output=" + path, "--split-mode=none", "--compress=no", "-"],
                   input=export(scenario(argv[1])), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(path)
    return 0


def scenario(name):
    if name.startswith("large:"):  # large:BOOTS:LINES
        _, boots, lines = name.split(":")
        return large(int(boots), int(lines))
    return SCENARIOS[name]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
