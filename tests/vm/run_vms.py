#!/usr/bin/env python3
"""hvprobe on emulated machines: real Debian kernels, real firmware, real KVM.

Builds one initramfs (busybox-static, the static hvprobe, kernel modules of
Debian's linux-image-amd64, tests/vm/init.sh), boots each machine of the
MACHINES table with qemu-system-x86_64 -accel tcg, reads hvprobe's JSON
from the serial console and checks it against what the machine really is.
Prints one line per machine; on a mismatch, the guest's console output.

With --efi HVPROBE_EFI it also boots hvprobe.efi itself, from a FAT disk
as EFI/BOOT/BOOTX64.EFI under OVMF (EFI_MACHINES): the verdict comes from
the serial console, and the bundle it writes to the disk must give the
same checks with hvprobe --from (the static binary) as its own report.

usage: run_vms.py HVPROBE_STATIC FIXTURES [--efi HVPROBE_EFI] [NAME ...]
"""
import concurrent.futures
import glob
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

OVMF = "/usr/share/OVMF"
SKIP = 77  # ctest's SKIP_RETURN_CODE: this machine cannot run guests
BOOT_TIMEOUT = 240  # seconds; a boot takes about 6 s (-smp 4 about twice that)
STORE = "BAndysc_ASUS-TP300LD-ESP__EFI_Microsoft_Boot_BCD"
STORE_ENTRY = "{e018a2d0-b134-11ea-95b2-81f0ac71b75b}"

# Module groups the guest loads by name (hv.mods=...), each with its
# dependencies from modules.dep.
MODULE_GROUPS = {
    "kvm-amd": ["kvm-amd"],
    "msr": ["msr"],
    "efivarfs": ["efivarfs"],
    "esp": ["virtio_pci", "virtio_blk", "vfat", "nls_cp437", "nls_ascii"],
}

EPYC = ["-cpu", "EPYC"]

# One machine a line: name, QEMU arguments, modules, what the guest sets up
# (None; "esp": a FAT ESP disk holding a BCD store; "systemd-boot": its
# entries and EFI variables, see tests/vm/init.sh), hvprobe runs (a target,
# or "default"), and per run what must hold. An expectation key
# is "verdict", "exit", "status:CHECK", "summary:CHECK" (a part of it),
# "remedy:CHECK" (a part of it), "evidence:CHECK:KEY" (present),
# "fact:a.b.c" (a value in facts) or "facttext:a.b.c" (a part of one).
MACHINES = [
    ("epyc-kvm", EPYC, ["msr", "kvm-amd"], None, {
        "default": {"status:cpu.virt_ext": "pass", "status:cpu.slat": "pass", "status:os.kvm": "pass",
                    "fact:kvm.vm_created": True, "verdict": "pass", "exit": 0,
                    "status:fw.virt_enabled": "pass", "evidence:fw.virt_enabled:vm_cr": True,
                    # no boot loader in the guest: the running kernel's modules stand in
                    "status:kvm.next_boot": "warn", "summary:kvm.next_boot": "has KVM's modules",
                    "status:kvm.history": "pass"},
    }),
    ("epyc-no-kvm", EPYC, [], None, {
        "default": {"status:cpu.virt_ext": "pass", "status:cpu.slat": "pass", "status:cpu.nx": "pass",
                    "status:os.kvm": "fail", "remedy:os.kvm": "modprobe kvm_amd", "exit": 1, "verdict": "fail",
                    "status:fw.virt_enabled": "unknown", "remedy:fw.virt_enabled": "modprobe msr"},
    }),
    # NX is required by Hyper-V only: elsewhere its FAIL is shown as WARN.
    ("qemu64-no-nx-no-svm", ["-cpu", "qemu64,-nx,-svm"], [], None, {
        run: {"status:cpu.virt_ext": "fail", "status:cpu.nx": "fail" if run.startswith("hyperv") else "warn",
              "fact:cpu.nx": False, "verdict": "fail", "exit": 1}
        for run in ("default", "hyperv", "hyperv-2012r2", "kvm", "xen", "any")
    }),
    ("skylake-tcg", ["-cpu", "Skylake-Client"], [], None, {
        "default": {"status:cpu.virt_ext": "fail", "fact:cpu.vmx": False, "verdict": "fail",
                    "fact:cpu.hypervisor.vendor_id": "TCGTCGTCGTCG", "summary:hv.running": "QEMU",
                    "status:hv.nested": "fail", "summary:hv.nested": "does not expose"},
    }),
    ("epyc-msr-only", EPYC, ["msr"], None, {
        "default": {"status:fw.virt_enabled": "pass", "evidence:fw.virt_enabled:vm_cr": True,
                    "fact:msr.origin": "live", "fact:msr.vm_cr": "0x0", "status:os.kvm": "fail",
                    "verdict": "fail"},
    }),
    ("epyc-smp4-kvm", EPYC + ["-smp", "4"], ["kvm-amd"], None, {
        "default": {"status:cpu.consistency": "pass", "fact:cpu.logical_cpus": 4,
                    "summary:cpu.consistency": "4 logical CPUs agree", "verdict": "pass", "exit": 0},
    }),
    ("seabios", EPYC, [], None, {
        "default": {"fact:boot.uefi": False, "fact:boot.secure_boot": False, "summary:fw.boot": "BIOS",
                    "verdict": "fail"},
    }),
    ("ovmf", EPYC + ["-bios", f"{OVMF}/OVMF_CODE.fd"], [], None, {
        "default": {"fact:boot.uefi": True, "fact:boot.secure_boot": False, "summary:fw.boot": "UEFI",
                    "verdict": "fail"},
    }),
    # Secure Boot enforced: q35 with SMM, the secure-boot OVMF build, and
    # variables with Microsoft's keys enrolled ({vars}: a copy per boot).
    ("ovmf-secure-boot", EPYC + [
        "-machine", "q35,smm=on", "-global", "driver=cfi.pflash01,property=secure,value=on",
        "-drive", f"if=pflash,format=raw,unit=0,file={OVMF}/OVMF_CODE_4M.secboot.fd,readonly=on",
        "-drive", "if=pflash,format=raw,unit=1,file={vars}"], [], None, {
        "default": {"fact:boot.uefi": True, "fact:boot.secure_boot": True,
                    "summary:fw.boot": "Secure Boot on", "verdict": "fail"},
    }),
    # systemd-boot's next entry from its EFI variables, read live through
    # efivarfs: the one-shot entry (the running kernel, its modules there)
    # overrides loader.conf's default (a kernel without modules).
    ("ovmf-systemd-boot", EPYC + ["-bios", f"{OVMF}/OVMF_CODE.fd"], ["kvm-amd"], "systemd-boot", {
        "default": {"status:kvm.next_boot": "pass", "summary:kvm.next_boot": "with its KVM modules",
                    "fact:next_boot.loader": "systemd-boot",
                    # GRUB's files name the other kernel; systemd-boot started this boot
                    "facttext:next_boot.source": "chosen by LoaderEntryOneShot; systemd-boot chosen "
                                                 "over boot/grub/grub.cfg: it started this boot (LoaderInfo)",
                    "fact:next_boot.kernel.kvm_amd": "file", "status:os.kvm": "pass",
                    "verdict": "pass", "exit": 0},
    }),
    ("esp-with-bcd", EPYC, [], "esp", {
        "default": {"fact:bcd.origin": "found", "fact:bcd.entry": STORE_ENTRY, "fact:bcd.path":
                    "/boot/efi/EFI/Microsoft/Boot/BCD", "status:bcd.entry": "pass",
                    "status:bcd.hypervisorlaunchtype": "fail", "verdict": "fail"},
    }),
]


# hvprobe.efi straight from the firmware: name, QEMU arguments, what must
# hold in the report it writes into its bundle (same keys as above).
EFI_MACHINES = [
    ("efi-epyc", EPYC + ["-smp", "2"], {
        "verdict": "pass", "status:cpu.virt_ext": "pass", "status:cpu.slat": "pass",
        "status:fw.virt_enabled": "pass", "evidence:fw.virt_enabled:vm_cr": True,
        "fact:cpu.logical_cpus": 2, "fact:boot.uefi": True, "fact:msr.origin": "live"}),
    ("efi-qemu64-no-nx-no-svm", ["-cpu", "qemu64,-nx,-svm"], {
        "verdict": "fail", "status:cpu.virt_ext": "fail", "fact:cpu.nx": False, "fact:cpu.svm": False}),
    ("efi-skylake", ["-cpu", "Skylake-Client"], {
        "verdict": "fail", "status:cpu.virt_ext": "fail", "fact:cpu.vmx": False,
        "fact:cpu.hypervisor.vendor_id": "TCGTCGTCGTCG", "fact:msr.ia32_misc_enable": "<any>"}),
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def kernel():
    """The newest Debian kernel and its module directory."""
    images = sorted(glob.glob("/boot/vmlinuz-*"))
    if not images:
        sys.exit("run_vms: no /boot/vmlinuz-*: install linux-image-amd64 (scripts/install-deps.sh)")
    image = images[-1]
    if not os.access(image, os.R_OK):
        print(f"run_vms: SKIP: {image} is readable by root only; run the suite as root")
        sys.exit(SKIP)
    version = os.path.basename(image)[len("vmlinuz-"):]
    return image, version, f"/lib/modules/{version}"


def module_files(moddir, names):
    """The .ko files of names with their dependencies, dependencies first."""
    deps = {}
    with open(os.path.join(moddir, "modules.dep")) as f:
        for line in f:
            path, _, rest = line.partition(":")
            deps[os.path.basename(path).rsplit(".ko", 1)[0].replace("-", "_")] = (path, rest.split())
    order = []

    def add(path):
        for dep in reversed(deps[os.path.basename(path).rsplit(".ko", 1)[0].replace("-", "_")][1]):
            add(dep)
        if path not in order:
            order.append(path)

    for name in names:
        key = name.replace("-", "_")
        if key not in deps:
            sys.exit(f"run_vms: module {name} is not in {moddir}/modules.dep")
        add(deps[key][0])
    return order


def build_initramfs(workdir, hvprobe, moddir, fixtures):
    root = os.path.join(workdir, "root")
    for d in ("bin", "dev", "proc", "sys", "etc/mods", "mnt", "tmp"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shutil.copy("/bin/busybox", os.path.join(root, "bin", "busybox"))
    shutil.copy(hvprobe, os.path.join(root, "bin", "hvprobe"))
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "init.sh"),
                os.path.join(root, "init"))
    os.chmod(os.path.join(root, "init"), 0o755)
    # Under lib/modules/RELEASE, as an installed kernel keeps them: hvprobe
    # reads the running kernel's module tree (os.kvm, kvm.next_boot).
    release = os.path.basename(os.path.normpath(moddir))
    modroot = os.path.join(root, "lib", "modules", release)
    os.makedirs(modroot, exist_ok=True)
    shutil.copy(os.path.join(moddir, "modules.builtin"), modroot)
    for group, names in MODULE_GROUPS.items():
        lines = []
        for path in module_files(moddir, names):
            dest = os.path.join(modroot, path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            src = os.path.join(moddir, path)
            if path.endswith(".xz") or path.endswith(".gz"):
                sys.exit(f"run_vms: compressed module {path}: not supported")
            shutil.copy(src, dest)
            lines.append(f"/lib/modules/{release}/{path}\n")
        with open(os.path.join(root, "etc", "mods", group), "w") as f:
            f.writelines(lines)
    files = run(["find", ".", "-print0"], cwd=root).stdout
    archive = run(["cpio", "--null", "-o", "-H", "newc", "--quiet"], cwd=root, input=files).stdout
    path = os.path.join(workdir, "initrd.gz")
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(archive)
    return path


def build_esp(workdir, fixtures):
    """A FAT filesystem (no partition table) holding a real Windows BCD."""
    img = os.path.join(workdir, "esp.img")
    run(["truncate", "-s", "16M", img])
    run(["mkfs.vfat", "-n", "ESP", img])
    for d in ("::/EFI", "::/EFI/Microsoft", "::/EFI/Microsoft/Boot"):
        run(["mmd", "-i", img, d])
    run(["mcopy", "-i", img, os.path.join(fixtures, "bcd", STORE), "::/EFI/Microsoft/Boot/BCD"])
    return img


def guest_once(cmd, with_stderr):
    """The console of one QEMU run, and whether it ran out of time."""
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=BOOT_TIMEOUT, stdin=subprocess.DEVNULL)
        out = p.stdout + (p.stderr if with_stderr else b"")
        return out.decode("utf-8", "replace"), False
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return out + f"\n[timed out after {BOOT_TIMEOUT} s]", True


def guest(cmd, with_stderr, prepare=None):
    """What a machine printed (a Console), booted once more if it hung.

    A 4-vCPU TCG guest on a loaded 2-core host hung once in CI, and not
    once in 60 boots here under load. A boot that runs out of time is
    repeated once, unless the guest's report (tests/vm/init.sh) shows
    hvprobe stuck in its own code; the first boot's end is kept in .hung
    and printed with the machine's line. A second boot without an answer
    fails the machine, and a wrong answer is never retried."""
    if prepare:
        prepare()
    text, hung = guest_once(cmd, with_stderr)
    if not hung:
        return Console(text, None)
    if hvprobe_own_hang(text):
        return Console(text + "\n[hvprobe was stuck in its own code: not booted again]", None)
    if prepare:
        prepare()
    again, _ = guest_once(cmd, with_stderr)
    return Console(again, text)


def hvprobe_own_hang(console):
    """Whether the guest's hang report shows hvprobe stuck in its own code:
    each thread waits on a futex (a lock, a condition, a join) or runs in
    user space (/proc/PID/task/TID/syscall: 202 is futex on x86-64, Linux
    arch/x86/entry/syscalls/syscall_64.tbl; "running"). A thread waiting
    in any other system call, or inside the kernel outside one (-1),
    waits on the kernel of an emulated machine, which may be booted
    again."""
    report = console.partition("@@HVPROBE-HUNG ")[2].partition("@@HVPROBE-HUNG-END")[0]
    calls = re.findall(r"^\s*syscall (\S+)", report, re.M)
    return bool(calls) and all(c in ("202", "running") for c in calls)


class Console(str):
    """A guest's console text; .hung is the first boot's console when that
    boot hung and the machine was booted again, else None."""
    def __new__(cls, text, hung):
        obj = super().__new__(cls, text)
        obj.hung = hung
        return obj


def boot(work, image, initrd, esp, machine):
    name, qemu_args, mods, setup, runs = machine
    variables = os.path.join(work, f"{name}.OVMF_VARS.fd")
    qemu_args = [a.replace("{vars}", variables) for a in qemu_args]
    append = (f"console=ttyS0 quiet loglevel=0 panic=-1 hv.runs={','.join(runs)} "
              f"hv.mods={','.join(mods) or 'none'} hv.setup={setup or 'none'}")
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-nographic", "-no-reboot",
           "-kernel", image, "-initrd", initrd, "-append", append, *qemu_args]
    if setup == "esp":
        cmd += ["-drive", f"file={esp},format=raw,if=virtio,snapshot=on"]
    # UEFI variables are written at boot: each boot starts from the
    # pristine store (a hung one may have left it half written).
    return guest(cmd, with_stderr=True,
                 prepare=lambda: shutil.copy(f"{OVMF}/OVMF_VARS_4M.ms.fd", variables))


def efi_disk(work, name, efi, fixtures):
    """A FAT disk that boots hvprobe.efi by itself, with a Windows BCD on
    it and the marker that makes hvprobe.efi power off when done."""
    img = os.path.join(work, f"{name}.img")
    run(["truncate", "-s", "32M", img])
    run(["mkfs.vfat", "-n", "HVPROBE", img])
    for d in ("::/EFI", "::/EFI/BOOT", "::/EFI/Microsoft", "::/EFI/Microsoft/Boot"):
        run(["mmd", "-i", img, d])
    run(["mcopy", "-i", img, efi, "::/EFI/BOOT/BOOTX64.EFI"])
    run(["mcopy", "-i", img, os.path.join(fixtures, "bcd", STORE), "::/EFI/Microsoft/Boot/BCD"])
    marker = os.path.join(work, f"{name}.poweroff")
    with open(marker, "w") as f:
        f.write("power off when done\n")
    run(["mcopy", "-i", img, marker, "::/hvprobe-poweroff"])
    return img


def boot_efi(work, efi, fixtures, machine):
    name, qemu_args, _ = machine
    img = os.path.join(work, f"{name}.img")
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "512", "-nographic", "-no-reboot",
           "-bios", f"{OVMF}/OVMF_CODE.fd", "-drive", f"file={img},format=raw", *qemu_args]
    # A fresh disk for each boot: a hung one may have begun its bundle.
    return img, guest(cmd, with_stderr=False, prepare=lambda: efi_disk(work, name, efi, fixtures))


def check_efi(work, hvprobe, machine, img, console):
    """What does not hold: the console's verdict, the bundle's report, and
    hvprobe --from on the bundle against that report."""
    name, _, expected = machine
    m = re.search(r"@@HVPROBE-EFI-DONE (\w+)", console)
    if not m:
        return ["no verdict on the console"], None
    problems = []
    if m.group(1) != expected["verdict"]:
        problems.append(f"console verdict {m.group(1)}, expected {expected['verdict']}")
    bundle = os.path.join(work, f"{name}.bundle")
    try:
        run(["mcopy", "-s", "-i", img, "::/hvprobe-bundle-001", bundle])
        with open(os.path.join(bundle, "report.json")) as f:
            doc = json.load(f)
    except (subprocess.CalledProcessError, OSError, ValueError) as e:
        return problems + [f"no bundle: {e}"], m.group(1)
    problems += check_run(0, doc, {k: v for k, v in expected.items() if v != "<any>"})
    problems += [f"{k}: absent" for k, v in expected.items()
                 if v == "<any>" and lookup(doc.get("facts", {}), k[5:]) in ("<absent>", None)]
    later = subprocess.run([hvprobe, "--from", bundle, "--target", "any", "--format", "json"],
                           capture_output=True, text=True)
    try:
        again = json.loads(later.stdout)
    except ValueError:
        return problems + [f"hvprobe --from failed: {later.stderr.strip()}"], m.group(1)
    mine = {c["id"]: c["status"] for c in doc["checks"]}
    theirs = {c["id"]: c["status"] for c in again["checks"]}
    for cid, status in mine.items():
        if cid.startswith("bcd.") or cid == "os.kvm":
            continue  # the firmware reads no hive and has no /dev/kvm; --from does and has neither
        if theirs.get(cid) != status:
            problems.append(f"--from: {cid} {theirs.get(cid)}, the firmware said {status}")
    if again["facts"]["bcd"]["entry"] != STORE_ENTRY:
        problems.append(f"--from: the BCD copy gave entry {again['facts']['bcd']['entry']}")
    return problems, m.group(1)


def results(console):
    """{run: (exit code, document)} from the markers on the console."""
    out, lines, current = {}, [], None
    for line in console.replace("\r", "").split("\n"):
        if "@@HVPROBE-" in line:  # firmware may leave escape codes before a marker
            line = line[line.index("@@HVPROBE-"):]
        if line.startswith("@@HVPROBE-BEGIN "):
            current, lines = line.split()[1], []
        elif line.startswith("@@HVPROBE-END ") and current:
            _, name, code = line.split()
            try:
                out[name] = (int(code), json.loads("\n".join(lines)))
            except ValueError as e:
                out[name] = (int(code), {"unparsable": str(e)})
            current = None
        elif current:
            lines.append(line)
    return out


def lookup(doc, path):
    node = doc
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return "<absent>"
        node = node[part]
    return node


def check_run(code, doc, expected):
    """The expectations that do not hold, as text."""
    checks = {c["id"]: c for c in doc.get("checks", [])}
    wrong = []
    for key, want in expected.items():
        kind, _, what = key.partition(":")
        if kind == "verdict":
            got = doc.get("verdict")
        elif kind == "exit":
            got = code
        elif kind in ("fact", "facttext"):
            got = lookup(doc.get("facts", {}), what)
        elif kind in ("status", "summary", "remedy"):
            got = checks.get(what, {}).get(kind)
        elif kind == "evidence":
            cid, _, item = what.partition(":")
            got = item in checks.get(cid, {}).get("evidence", {})
        else:
            raise ValueError(key)
        partial = kind in ("summary", "remedy", "facttext")
        ok = (isinstance(got, str) and want in got) if partial else got == want
        if not ok:
            wrong.append(f"{key}: expected {want!r}, got {got!r}")
    return wrong


def report(name, expected, got, problems, console):
    status = "ok  " if not problems else "FAIL"
    print(f"{status} {name:<22} expected {expected:<40} got {got}", flush=True)
    if console.hung is not None:
        print(f"     the first boot hung (no answer in {BOOT_TIMEOUT} s) and was booted again; its end:")
        hung = console.hung.splitlines()
        start = next((i for i, l in enumerate(hung) if "@@HVPROBE-HUNG" in l), max(len(hung) - 60, 0))
        print("\n".join("     | " + l for l in hung[start:start + 400]))
    for p in problems:
        print(f"     {p}")
    if problems:
        print("     --- guest console ---")
        print("\n".join("     " + l for l in console.splitlines()[-400:]))
    return bool(problems)


def main():
    args = sys.argv[1:]
    efi = None
    if "--efi" in args:
        i = args.index("--efi")
        efi = args[i + 1]
        del args[i:i + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    hvprobe, fixtures, only = args[0], args[1], set(args[2:])
    if not shutil.which("qemu-system-x86_64"):
        print("run_vms: SKIP: no qemu-system-x86_64 (scripts/install-deps.sh installs it)")
        sys.exit(SKIP)
    image, version, moddir = kernel()
    machines = [m for m in MACHINES if not only or m[0] in only]
    efi_machines = [m for m in EFI_MACHINES if efi and (not only or m[0] in only)]
    with tempfile.TemporaryDirectory(prefix="hvprobe-vm-") as work:
        initrd = build_initramfs(work, hvprobe, moddir, fixtures)
        esp = build_esp(work, fixtures)
        print(f"kernel {version}, {len(machines)} machines, {len(efi_machines)} hvprobe.efi boots, QEMU TCG")
        failed = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            consoles = pool.map(lambda m: boot(work, image, initrd, esp, m), machines)
            efi_runs = pool.map(lambda m: boot_efi(work, efi, fixtures, m), efi_machines)
            for machine, console in zip(machines, consoles):
                got = results(console)
                problems = []
                for run_name, expected in machine[4].items():
                    if run_name not in got:
                        problems.append(f"{run_name}: no hvprobe output")
                        continue
                    code, doc = got[run_name]
                    problems += [f"{run_name}: {w}" for w in check_run(code, doc, expected)]
                verdicts = ", ".join(f"{r}={got[r][1].get('verdict')}" for r in machine[4] if r in got)
                wanted = ", ".join(f"{r}={e.get('verdict', '-')}" for r, e in machine[4].items())
                failed += report(machine[0], wanted, verdicts, problems, console)
            for machine, (img, console) in zip(efi_machines, efi_runs):
                problems, verdict = check_efi(work, hvprobe, machine, img, console)
                failed += report(machine[0], machine[2]["verdict"], verdict, problems, console)
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
