#!/usr/bin/env python3
"""The live run in an emulated guest with many CPUs: boots the kernel of
tests/vm/run_vms.py with -smp N and an init that times five blocks of RUNS
runs of each static binary given (this build and, say, an older one) in
turn (the guest's busybox has only a centisecond clock), and prints the
median and range of the five per-run means. Usage:
  python3 bench/live_vm.py [-smp 16] [-runs 20] HVPROBE-STATIC [OTHER-STATIC ...]
Without /dev/kvm QEMU emulates the CPUs (TCG): CPUID does not trap there,
so the figures show the threads and migrations, not a hypervisor's traps."""
import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vm"))
import run_vms  # noqa: E402

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo 0 >/proc/sys/kernel/printk
echo "@@CPUS $(grep -c ^processor /proc/cpuinfo)"
cs() { tr -d . </proc/uptime | cut -d' ' -f1; }  # centiseconds; busybox date has no %N
for b in /bin/hv*; do
  $b -q >/dev/null 2>&1  # warm-up
  for block in 1 2 3 4 5; do
    s=$(cs); i=0
    while [ $i -lt RUNS ]; do $b -q >/dev/null 2>&1; i=$((i + 1)); done
    e=$(cs)
    echo "@@T $b $(( (e - s) * 10000 / RUNS ))"
  done
done
poweroff -f
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-smp", type=int, default=16)
    ap.add_argument("-runs", type=int, default=20)
    ap.add_argument("binaries", nargs="+")
    a = ap.parse_args()
    image, _, _ = run_vms.kernel()
    with tempfile.TemporaryDirectory() as work:
        root = os.path.join(work, "root")
        for d in ("bin", "dev", "proc", "sys"):
            os.makedirs(os.path.join(root, d))
        shutil.copy("/bin/busybox", os.path.join(root, "bin", "busybox"))
        for i, b in enumerate(a.binaries):
            shutil.copy(b, os.path.join(root, "bin", f"hv{i}"))
        with open(os.path.join(root, "init"), "w") as f:
            f.write(INIT.replace("RUNS", str(a.runs)))
        os.chmod(os.path.join(root, "init"), 0o755)
        files = run_vms.run(["find", ".", "-print0"], cwd=root).stdout
        archive = run_vms.run(["cpio", "--null", "-o", "-H", "newc", "--quiet"], cwd=root, input=files).stdout
        initrd = os.path.join(work, "initrd.gz")
        with gzip.open(initrd, "wb", compresslevel=1) as f:
            f.write(archive)
        cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-nographic", "-no-reboot",
               "-cpu", "EPYC", "-smp", str(a.smp), "-kernel", image, "-initrd", initrd,
               "-append", "console=ttyS0 quiet loglevel=0 panic=-1"]
        out = subprocess.run(cmd, capture_output=True, timeout=900, stdin=subprocess.DEVNULL).stdout.decode()
    if os.environ.get("LIVE_VM_DEBUG"):
        print(out[-3000:])
    cpus = re.search(r"@@CPUS (\d+)", out)
    print(f"guest CPUs: {cpus.group(1) if cpus else '?'}")
    for i, b in enumerate(a.binaries):
        t = [int(m) / 1000 for m in re.findall(rf"@@T /bin/hv{i} (\d+)", out)]
        if t:
            print(f"| {b} | {statistics.median(t):.1f} ms | {min(t):.1f} .. {max(t):.1f} ms | {len(t)} blocks of {a.runs} runs |")
        else:
            print(f"| {b} | no result |")


if __name__ == "__main__":
    main()
