#!/usr/bin/env python3
"""kvm.history on a real journal: one emulated machine, two real boots.

Boots one guest twice on one persistent ext4 disk that holds
/var/log/journal. In each boot systemd-journald itself (the host's binary
and its libraries, copied into the initramfs) writes the kernel's messages
and hvprobe's --syslog line to that disk, so the journal is the one a
systemd host keeps, not one made up by a test. Boot 1 is an EPYC with
kvm-amd loaded and BIOS version 1.0 (QEMU's SMBIOS type 0, which the kernel
prints on its "DMI:" line); boot 2 is the same disk on an EPYC without SVM
(kvm_amd refuses to load) and BIOS 2.0. The journal is then read back
without root (debugfs rdump) and judged by the host's hvprobe with
--root: two boots, the first launched and the second failed, the firmware
change named as the suspect, kvm.history FAIL with a firmware remedy, exit
code 1, and the text report's timeline showing both boots. On a failure,
both guests' consoles are printed.

usage: two_boots.py HVPROBE_STATIC HVPROBE
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_vms  # noqa: E402  (the kernel, its modules and how to boot it)

SKIP = run_vms.SKIP
JOURNALD = "/lib/systemd/systemd-journald"
MACHINE_ID = "3d1219c7c4c5404aaa1f6d2a48adfd00"
DISK_SIZE = "256M"  # journald keeps its files under 10% of the file system

# Module groups the guest loads by name, each with its dependencies from
# modules.dep; "disk" is loaded first by init_two_boots.sh. ext4 asks the
# crypto API for crc32c (metadata checksums) and cannot modprobe it here.
MODULE_GROUPS = {
    "disk": ["virtio_pci", "virtio_blk", "crc32c_generic", "ext4"],
    "kvm-amd": ["kvm-amd"],
}


def smbios(version, date):
    return ["-smbios", f"type=0,vendor=hvprobe,version={version},date={date}"]


# The two boots of the one machine: name, QEMU arguments, module groups.
BOOTS = [
    ("boot1-kvm-bios-1.0", ["-cpu", "EPYC"] + smbios("1.0", "01/01/2025"), ["kvm-amd"]),
    ("boot2-no-svm-bios-2.0", ["-cpu", "EPYC,-svm"] + smbios("2.0", "02/02/2025"), ["kvm-amd"]),
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def shared_libraries(binary):
    """The files ldd resolves for binary, the dynamic loader included."""
    out = run(["ldd", binary], text=True).stdout
    files = []
    for line in out.splitlines():
        parts = line.split()
        if "=>" in parts and len(parts) > parts.index("=>") + 1 and parts[parts.index("=>") + 1].startswith("/"):
            files.append(parts[parts.index("=>") + 1])
        elif parts and parts[0].startswith("/"):
            files.append(parts[0])  # the dynamic loader
    return files


def copy_as(root, path):
    """path (as named, symlinks followed) to the same name under root."""
    dest = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copy(path, dest)


def build_initramfs(work, hvprobe_static, moddir):
    root = os.path.join(work, "root")
    for d in ("bin", "dev", "proc", "sys", "run", "etc/mods", "mnt", "tmp", "var/log/journal"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shutil.copy("/bin/busybox", os.path.join(root, "bin", "busybox"))
    shutil.copy(hvprobe_static, os.path.join(root, "bin", "hvprobe"))
    init = os.path.join(root, "init")
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "init_two_boots.sh"), init)
    os.chmod(init, 0o755)
    for path in [JOURNALD] + shared_libraries(JOURNALD):
        copy_as(root, path)
    for group, names in MODULE_GROUPS.items():
        lines = []
        for path in run_vms.module_files(moddir, names):
            copy_as(root, os.path.join(moddir, path))
            lines.append(os.path.join(moddir, path) + "\n")
        with open(os.path.join(root, "etc", "mods", group), "w") as f:
            f.writelines(lines)
    files = run(["find", ".", "-print0"], cwd=root).stdout
    archive = run(["cpio", "--null", "-o", "-H", "newc", "--quiet"], cwd=root, input=files).stdout
    # Uncompressed: the kernel's inflate of 12 MB of gzip costs about 3 s
    # per boot under TCG, copying the larger archive in much less.
    path = os.path.join(work, "initrd.cpio")
    with open(path, "wb") as f:
        f.write(archive)
    return path


def build_disk(work):
    """The guest's persistent disk: its machine id and an empty journal
    directory, which makes journald's Storage=auto persistent."""
    stage = os.path.join(work, "disk")
    os.makedirs(os.path.join(stage, "etc"))
    os.makedirs(os.path.join(stage, "var", "log", "journal", MACHINE_ID))
    with open(os.path.join(stage, "etc", "machine-id"), "w") as f:
        f.write(MACHINE_ID + "\n")
    img = os.path.join(work, "disk.img")
    run(["truncate", "-s", DISK_SIZE, img])
    run(["mkfs.ext4", "-q", "-F", "-L", "guestroot", "-d", stage, img])
    return img


def boot(image, initrd, disk, machine):
    name, qemu_args, mods = machine
    append = f"console=ttyS0 quiet loglevel=0 panic=-1 hv.mods={','.join(mods) or 'none'}"
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-nographic", "-no-reboot",
           "-kernel", image, "-initrd", initrd, "-append", append,
           "-drive", f"file={disk},format=raw,if=virtio", *qemu_args]
    start = time.monotonic()
    # Booted once, never again after a hang (run_vms.guest does that): a
    # second boot would add a boot of its own to the disk's journal.
    console, _ = run_vms.guest_once(cmd, with_stderr=True)
    return console, time.monotonic() - start


def extract_journal(work, disk):
    """The disk's /var/log/journal as OUT/var/log/journal, read without
    mounting (debugfs needs no root)."""
    out = os.path.join(work, "out")
    os.makedirs(os.path.join(out, "var", "log"))
    run(["debugfs", "-R", f"rdump /var/log/journal {os.path.join(out, 'var', 'log')}", disk])
    return out


def hvprobe(binary, root, fmt):
    p = subprocess.run([binary, "--root", root, "--target", "kvm", "--format", fmt],
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check_boots(history, release, boot_ids):
    """The two boots as the journal holds them: each under the boot id the
    guest's kernel gave it, with its kernel, its DMI line, its outcome and
    hvprobe's own --syslog line (written through /dev/log)."""
    wrong = []
    boots = history.get("boots", [])
    if len(boots) != 2:
        return [f"{len(boots)} boots in facts.kvm_history.boots, expected 2: {boots}"]
    first, second = boots
    if first.get("kvm") != "launched":
        wrong.append(f"boot 1: kvm {first.get('kvm')!r}, expected 'launched' ({first})")
    if second.get("kvm") != "failed" or not second.get("reason"):
        wrong.append(f"boot 2: kvm {second.get('kvm')!r}, reason {second.get('reason')!r}, "
                     f"expected 'failed' with a reason")
    for n, (b, version, verdict) in enumerate(((first, "1.0", ""), (second, "2.0", "fail:")), 1):
        if b.get("kernel") != release:
            wrong.append(f"boot {n}: kernel {b.get('kernel')!r}, expected {release!r}")
        if f"BIOS {version} " not in (b.get("dmi") or ""):
            wrong.append(f"boot {n}: dmi {b.get('dmi')!r}, expected BIOS {version}")
        said = b.get("hvprobe_verdict") or ""
        if not said or not said.startswith(verdict):
            wrong.append(f"boot {n}: hvprobe_verdict {said!r}, expected {verdict or 'one'}")
        if n <= len(boot_ids) and b.get("boot_id") != boot_ids[n - 1]:
            wrong.append(f"boot {n}: boot_id {b.get('boot_id')!r}, the guest said {boot_ids[n - 1]!r}")
    return wrong


def check_suspects(history):
    bios = [s for s in history.get("suspects", []) if s.get("kind") == "bios"]
    if not bios:
        return [f"no bios suspect in {history.get('suspects')}"]
    s = bios[0]
    if "1.0" not in (s.get("from") or "") or "2.0" not in (s.get("to") or ""):
        return [f"bios suspect from {s.get('from')!r} to {s.get('to')!r}, expected 1.0 to 2.0"]
    return []


def check_verdict(code, doc):
    wrong = []
    checks = {c["id"]: c for c in doc.get("checks", [])}
    hist = checks.get("kvm.history", {})
    if hist.get("status") != "fail":
        wrong.append(f"kvm.history status {hist.get('status')!r}, expected 'fail' ({hist.get('summary')})")
    # the suspect's own fix, not only the refusal's ("enable ... in the firmware setup")
    if "the firmware changed (1.0 01/01/2025 to 2.0" not in (hist.get("remedy") or ""):
        wrong.append(f"kvm.history remedy does not name the firmware change: {hist.get('remedy')!r}")
    if code != 1:
        wrong.append(f"exit code {code}, expected 1")
    return wrong


def check_text(text, release):
    """The text report's KVM timeline: both boots, each with its kernel and
    outcome, and the firmware change between them."""
    wanted = ["KVM timeline, from the journal (2 boots", f"KVM up, kernel {release}",
              f"KVM FAILED, kernel {release}", "changed BIOS 1.0 01/01/2025 -> 2.0 02/02/2025"]
    return [f"the text report lacks {w!r}" for w in wanted if w not in text]


def report(name, problems, detail=""):
    print(f"{'ok  ' if not problems else 'FAIL'} {name}{': ' + detail if detail and not problems else ''}",
          flush=True)
    for p in problems:
        print(f"     {p}")
    return bool(problems)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    hvprobe_static, hvprobe_host = sys.argv[1], os.path.abspath(sys.argv[2])
    for tool in ("qemu-system-x86_64", "mkfs.ext4", "debugfs", "ldd"):
        if not shutil.which(tool):
            print(f"two_boots: SKIP: no {tool} (scripts/install-deps.sh installs it)")
            sys.exit(SKIP)
    if not os.access(JOURNALD, os.X_OK):
        print(f"two_boots: SKIP: no {JOURNALD} (package systemd)")
        sys.exit(SKIP)
    image, release, moddir = run_vms.kernel()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hvprobe-two-boots-") as work:
        initrd = build_initramfs(work, hvprobe_static, moddir)
        disk = build_disk(work)
        consoles, boot_ids, failed = [], [], 0
        for machine in BOOTS:
            console, took = boot(image, initrd, disk, machine)
            consoles.append((machine[0], console))
            done = re.search(r"@@TWOBOOTS \S+ DONE ok", console)
            m = re.search(r"@@TWOBOOTS \S+ journald \d+ up, boot_id ([0-9a-f-]+)", console)
            boot_ids.append(m.group(1).replace("-", "") if m else "?")
            failed += report(f"{machine[0]}: journald wrote, powered off cleanly",
                             [] if done else ["the guest did not finish (console below)"],
                             f"{took:.1f} s")
        try:
            out = extract_journal(work, disk)
        except subprocess.CalledProcessError as e:
            out = os.path.join(work, "out")
            failed += report("debugfs rdump of the journal", [e.stderr.decode("utf-8", "replace").strip()])
        code, stdout, stderr = hvprobe(hvprobe_host, out, "json")
        try:
            doc = json.loads(stdout)
        except ValueError:
            doc = {}
            failed += report("hvprobe --root -f json", [f"no JSON (exit {code}): {stderr.strip()}"])
        history = doc.get("facts", {}).get("kvm_history", {}) or {}
        boots = history.get("boots", [])
        failed += report("two boots: launched, then failed; kernel and BIOS per boot",
                         check_boots(history, release, boot_ids),
                         "; ".join(f"{b.get('kvm')} ({b.get('dmi')})" for b in boots))
        failed += report("suspect: the BIOS change 1.0 -> 2.0", check_suspects(history))
        failed += report("kvm.history fail, remedy names the firmware, exit 1", check_verdict(code, doc))
        tcode, text, terr = hvprobe(hvprobe_host, out, "text")
        failed += report("text report: timeline of both boots", check_text(text, release))
        if failed:
            for name, console in consoles:
                print(f"     --- guest console: {name} ---")
                print("\n".join("     " + l for l in console.splitlines()[-200:]))
            print("     --- hvprobe --root -f text ---")
            print("\n".join("     " + l for l in text.splitlines()))
            print("     (TWO_BOOTS_KEEP=DIR keeps the journal read back, for journalctl -D)")
        if os.environ.get("TWO_BOOTS_KEEP"):
            shutil.copytree(out, os.environ["TWO_BOOTS_KEEP"], dirs_exist_ok=True)
        print(f"two_boots: kernel {release}, {time.monotonic() - started:.1f} s in all")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
