#!/usr/bin/env python3
"""Emulated Debian 12 hosts: a real root, booted by QEMU, reached by SSH.

build_image() makes one guest disk: a bookworm root by debootstrap from the
Debian mirror this machine's apt is configured with (systemd as PID 1,
openssh-server, python3, linux-image-amd64), with the hvprobe .deb of
this tree installed by dpkg and its dependencies taken by debootstrap,
root's authorized key, DHCP by systemd-networkd, and a persistent
journal; written with `mke2fs -t ext4 -d ROOT` (no loop mount). Both
stages are cached under CACHE: the debootstrapped root keyed by the
mirror, the suite and the package list; the disk keyed by that, the .deb's
contents and this file's own text, so a second run reuses it.

boot() starts one host on a qcow2 overlay of that disk, with QEMU's own
-kernel/-initrd taken from the root's /boot and root=/dev/vda, QEMU TCG
with -cpu EPYC (kvm_amd loads), user networking that forwards only
127.0.0.1:PORT to the guest's port 22, and its serial console in a log
file. A reboot inside the guest restarts the same kernel (no -no-reboot).
ssh(), wait_for_ssh(), boot_id() and shutdown() drive it.

Needs root (debootstrap, chroot, device nodes in the root), debootstrap,
qemu-system-x86_64, qemu-img, mke2fs and ssh; what is missing is named by
missing_tools().
"""
import glob
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import time

SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
# What every guest has, beyond the minbase variant (apt, dpkg, the
# Essential set); hvprobe's own dependencies are added from its .deb.
PACKAGES = ["systemd", "systemd-sysv", "dbus", "udev", "kmod", "openssh-server", "python3",
            "linux-image-amd64"]
DISK_SIZE = "3G"  # the root is about 700 MB; room for the test's patches
BOOT_TIMEOUT = 300  # seconds to SSH; a TCG boot to sshd takes about 40 s
QEMU = "qemu-system-x86_64"
BASE_APPEND = "root=/dev/vda rw console=ttyS0 panic=-1"


class GuestError(Exception):
    pass


def run(cmd, **kw):
    """cmd, its output kept; raises GuestError with that output on failure."""
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise GuestError(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stdout[-3000:]}{p.stderr[-3000:]}")
    return p


def missing_tools():
    """What this machine lacks to build and boot guests, as text ("" none)."""
    missing = [t for t in ("debootstrap", QEMU, "qemu-img", "mke2fs", "ssh", "ssh-keygen",
                           "dpkg-deb", "chroot") if not shutil.which(t)]
    if missing:
        return "missing " + ", ".join(missing) + " (sh scripts/install-deps.sh test)"
    if os.geteuid() != 0:
        return "debootstrap and chroot need root"
    return ""


def mirror():
    """The Debian archive this machine's apt uses for SUITE (deb822
    sources or one-line sources.list), else deb.debian.org."""
    files = sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))
    for path in files:
        with open(path) as f:
            for stanza in f.read().split("\n\n"):
                fields = dict(re.findall(r"^([A-Za-z-]+):\s*(.*)$", stanza, re.M))
                if (fields.get("Types", "deb").split().count("deb") and
                        SUITE in fields.get("Suites", "").split() and
                        "main" in fields.get("Components", "").split() and fields.get("URIs")):
                    return fields["URIs"].split()[0].rstrip("/")
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    m = re.match(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+" + SUITE + r"\s+.*\bmain\b", line)
                    if m:
                        return m.group(1).rstrip("/")
    return DEFAULT_MIRROR


def deb_depends(deb):
    """The package names of a .deb's Depends (the first of each choice)."""
    depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout
    return sorted({d.split("|")[0].split("(")[0].strip() for d in depends.split(",") if d.strip()})


def _digest(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p if isinstance(p, bytes) else str(p).encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def deb_digest(deb):
    """What a .deb installs, not when it was built: its control fields and
    the digest of every file (control.tar's control, md5sums, conffiles)."""
    parts = []
    for member in ("control", "md5sums", "conffiles"):
        p = subprocess.run(["dpkg-deb", "--info", deb, member], capture_output=True)
        parts.append(p.stdout if p.returncode == 0 else b"")
    return _digest(*parts)


def _base_root(cache, packages, log):
    """The debootstrapped root, CACHE/base-KEY/root (made once)."""
    source = mirror()
    key = _digest(SUITE, source, "minbase", *packages)
    top = os.path.join(cache, f"base-{key}")
    root = os.path.join(top, "root")
    if os.path.exists(os.path.join(top, "done")):
        return root
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    log(f"debootstrap {SUITE} from {source} ({len(packages)} packages beyond minbase)")
    started = time.monotonic()
    run(["debootstrap", "--variant=minbase", "--include=" + ",".join(packages), SUITE, root, source])
    # The downloaded packages are not part of the host.
    for deb in glob.glob(os.path.join(root, "var/cache/apt/archives/*.deb")):
        os.unlink(deb)
    with open(os.path.join(top, "done"), "w") as f:
        f.write(f"{time.monotonic() - started:.0f} s\n")
    return root


def _write(root, path, text, mode=0o644):
    full = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
    os.chmod(full, mode)


def _configure(root, deb, pubkey):
    """hvprobe's package and what makes the root a host we can log in to."""
    shutil.copy(deb, os.path.join(root, "tmp", "hvprobe.deb"))
    run(["chroot", root, "dpkg", "-i", "/tmp/hvprobe.deb"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    os.unlink(os.path.join(root, "tmp", "hvprobe.deb"))
    _write(root, "/root/.ssh/authorized_keys", pubkey, 0o600)
    os.chmod(os.path.join(root, "root/.ssh"), 0o700)
    _write(root, "/etc/fstab", "/dev/vda / ext4 defaults 0 1\n")
    # QEMU's user network hands out an address by DHCP.
    _write(root, "/etc/systemd/network/50-qemu.network",
           "[Match]\nName=en* eth*\n\n[Network]\nDHCP=ipv4\n")
    run(["chroot", root, "systemctl", "enable", "systemd-networkd.service"])
    # A persistent journal (Storage=auto keeps it where this directory
    # exists), as kvm.history reads past boots from it.
    os.makedirs(os.path.join(root, "var/log/journal"), exist_ok=True)
    # Each host makes its own machine id at its first boot (an empty file:
    # systemd's first boot), so the two overlays are two hosts.
    _write(root, "/etc/machine-id", "")
    for stale in ("var/lib/dbus/machine-id",):
        if os.path.lexists(os.path.join(root, stale)):
            os.unlink(os.path.join(root, stale))
    # No apt or dpkg job of its own while the test patches the host.
    for unit in ("apt-daily.timer", "apt-daily-upgrade.timer", "dpkg-db-backup.timer", "e2scrub_all.timer",
                 "fstrim.timer", "man-db.timer"):
        link = os.path.join(root, "etc/systemd/system", unit)
        if not os.path.lexists(link):
            os.symlink("/dev/null", link)
    _write(root, "/etc/hostname", "hvguest\n")


class Image:
    """A built guest disk: base (raw ext4), kernel and initrd (from its
    /boot), release, key (SSH private key for root), build_seconds."""
    def __init__(self, top):
        with open(os.path.join(top, "image.json")) as f:
            meta = json.load(f)
        self.top = top
        self.base = os.path.join(top, "disk.raw")
        self.kernel = os.path.join(top, "vmlinuz")
        self.initrd = os.path.join(top, "initrd.img")
        self.key = os.path.join(top, "id_ed25519")
        self.release = meta["release"]
        self.build_seconds = meta["build_seconds"]
        self.hvprobe_version = meta["hvprobe_version"]


def build_image(cache, deb, log=print):
    """The guest disk with deb installed, CACHE/image-KEY (made once per
    distinct input: the base root's packages, the .deb, this file)."""
    os.makedirs(cache, exist_ok=True)
    packages = sorted(set(PACKAGES) | set(deb_depends(deb)))
    with open(os.path.abspath(__file__), "rb") as f:
        me = f.read()
    key = _digest(SUITE, mirror(), *packages, deb_digest(deb), me)
    top = os.path.join(cache, f"image-{key}")
    if os.path.exists(os.path.join(top, "image.json")):
        return Image(top)
    started = time.monotonic()
    base = _base_root(cache, packages, log)
    base_seconds = time.monotonic() - started
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    stage = os.path.join(top, "root")
    log("copying the root, installing hvprobe, writing the disk")
    run(["cp", "-a", base, stage])
    keyfile = os.path.join(top, "id_ed25519")
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hvprobe-test", "-f", keyfile])
    with open(keyfile + ".pub") as f:
        _configure(stage, deb, f.read())
    kernels = sorted(glob.glob(os.path.join(stage, "boot", "vmlinuz-*")))
    if len(kernels) != 1:
        raise GuestError(f"expected one kernel in the root's /boot, found {kernels}")
    release = os.path.basename(kernels[0])[len("vmlinuz-"):]
    shutil.copy(kernels[0], os.path.join(top, "vmlinuz"))
    shutil.copy(os.path.join(stage, "boot", f"initrd.img-{release}"), os.path.join(top, "initrd.img"))
    version = run(["chroot", stage, "hvprobe", "--version"]).stdout.strip()
    disk = os.path.join(top, "disk.raw")
    run(["mke2fs", "-q", "-F", "-t", "ext4", "-L", "hvguest", "-d", stage, disk, DISK_SIZE])
    shutil.rmtree(stage)
    with open(os.path.join(top, "image.json"), "w") as f:
        json.dump({"release": release, "hvprobe_version": version, "packages": packages,
                   "build_seconds": round(time.monotonic() - started),
                   "debootstrap_seconds": round(base_seconds)}, f, indent=1)
    # Older images (another .deb) and roots (another package list) of this
    # cache are of no further use: keep the newest of each.
    for old in glob.glob(os.path.join(cache, "image-*")) + glob.glob(os.path.join(cache, "base-*")):
        if old not in (top, os.path.dirname(base)):
            shutil.rmtree(old, ignore_errors=True)
    return Image(top)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Guest:
    """One running host: name, port (127.0.0.1), console (its log file),
    proc (QEMU), overlay."""
    def __init__(self, name, image, workdir, port, overlay, console, proc, append):
        self.name, self.image, self.workdir = name, image, workdir
        self.port, self.overlay, self.console, self.proc, self.append = port, overlay, console, proc, append

    def console_tail(self, lines=80):
        try:
            with open(self.console, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no console log)"


def overlay(image, workdir, name):
    """A fresh qcow2 overlay of the image's disk for host NAME."""
    path = os.path.join(workdir, f"{name}.qcow2")
    if os.path.exists(path):
        os.unlink(path)
    run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", image.base, path])
    return path


def boot(image, workdir, name, append="", cpu="EPYC", disk=None, port=None):
    """Start host NAME (on DISK, else a new overlay) and return its Guest;
    append adds to the kernel command line. wait_for_ssh() waits for it."""
    os.makedirs(workdir, exist_ok=True)
    disk = disk or overlay(image, workdir, name)
    port = port or free_port()
    console = os.path.join(workdir, f"{name}.console.log")
    full_append = f"{BASE_APPEND} systemd.hostname={name} {append}".strip()
    cmd = [QEMU, "-accel", "tcg", "-cpu", cpu, "-m", "1024", "-nographic", "-monitor", "none",
           "-serial", f"file:{console}", "-kernel", image.kernel, "-initrd", image.initrd,
           "-append", full_append, "-drive", f"file={disk},format=qcow2,if=virtio",
           "-netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{port}-:22",
           "-device", "virtio-net-pci,netdev=net0"]
    with open(os.path.join(workdir, f"{name}.qemu.log"), "ab") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
    return Guest(name, image, workdir, port, disk, console, proc, full_append)


def ssh_command(guest):
    """ssh's options for the guest, as a list (the command goes after)."""
    return ["ssh", "-i", guest.image.key, "-p", str(guest.port), "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR", "root@127.0.0.1"]


def ssh(guest, command, check=True, input=None, timeout=300):
    """Run COMMAND (a shell line) as root on the guest; CompletedProcess
    with text output."""
    p = subprocess.run(ssh_command(guest) + [command], capture_output=True, text=input is None or
                       isinstance(input, str), input=input, timeout=timeout)
    if check and p.returncode != 0:
        raise GuestError(f"{guest.name}: {command}: exit {p.returncode}\n{p.stdout}{p.stderr}")
    return p


def copy_to(guest, local, remote):
    with open(local, "rb") as f:
        p = subprocess.run(ssh_command(guest) + [f"cat > {remote}"], stdin=f, capture_output=True,
                           timeout=120)
    if p.returncode != 0:
        raise GuestError(f"{guest.name}: copy to {remote}: {p.stderr.decode(errors='replace')}")


def wait_for_ssh(guest, timeout=BOOT_TIMEOUT):
    """Until root logs in over SSH; seconds waited. GuestError (with the
    console's end) if QEMU exits or time runs out."""
    started = time.monotonic()
    while True:
        if guest.proc.poll() is not None:
            raise GuestError(f"{guest.name}: QEMU exited ({guest.proc.returncode})\n{guest.console_tail()}")
        try:
            p = subprocess.run(ssh_command(guest) + ["true"], capture_output=True, timeout=30)
            if p.returncode == 0:
                return time.monotonic() - started
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() - started > timeout:
            raise GuestError(f"{guest.name}: no SSH after {timeout} s\n{guest.console_tail()}")
        time.sleep(2)


def boot_id(guest):
    return ssh(guest, "cat /proc/sys/kernel/random/boot_id").stdout.strip()


def shutdown(guest, timeout=120):
    """Power the guest off (QEMU then exits); killed if it does not."""
    if guest.proc.poll() is None:
        try:
            ssh(guest, "systemctl poweroff", check=False, timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:
            guest.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            guest.proc.kill()
            guest.proc.wait()
