"""End-to-end tests of a Linux host's history (docs/linux-history.md):
`hvprobe --root DIR` on a staged root whose journal is a real journal
file written by systemd-journal-remote (tests/journal/make_journal.py),
with dpkg's log, GRUB's configuration and a module tree, judged by
kvm.history and kvm.next_boot; the same in a bundle; bad roots.

The staged host (scenario "three" of make_journal.py) is an AMD machine:
KVM came up at its first boot (kernel 6.1.0-17); a kernel upgrade came
next, kvm_amd never announced itself again and hvprobe's unit logged a
FAIL (6.1.0-18); a firmware
update later disabled SVM. GRUB boots 6.1.0-18 next, whose module tree
lacks kvm-amd.ko. The processor comes from a real Zen 3 CPUID dump with
VM_CR recorded as 0 (SVM enabled), so only the history decides.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HVPROBE = os.environ["HVPROBE"]
FIXTURES = os.environ["HVPROBE_FIXTURES"]
HERE = os.path.dirname(os.path.abspath(__file__))
STAGER = os.path.join(HERE, "..", "journal", "make_journal.py")
DUMP = os.path.join(FIXTURES, "cpuid", "amd_zen3_amd-ryzen-7-5800x3d-8-core-processor.txt")
CPU = ["--cpuid-dump", DUMP, "--msr", "0xc0010114=0x0"]

# dpkg.log lines as dpkg writes them (docs/linux-history.md, "Package
# logs"); the root has no etc/localtime, so they are read as UTC.
DPKG_LOG = """\
2024-01-01 10:00:00 startup archives unpack
2024-01-01 10:00:01 install linux-image-6.1.0-18-amd64:amd64 <none> 6.1.76-1
2024-01-01 10:00:01 status half-installed linux-image-6.1.0-18-amd64:amd64 6.1.76-1
2024-01-01 10:00:09 upgrade linux-image-amd64:amd64 6.1.69-1 6.1.76-1
2024-01-01 10:00:10 upgrade bash:amd64 5.2.15-2+b2 5.2.15-2+b7
2024-01-01 10:00:12 configure linux-image-6.1.0-18-amd64:amd64 6.1.76-1 <none>
"""

# The shape of Debian's grub-mkconfig output (10_linux), cut to one entry.
GRUB_CFG = """\
if [ -s $prefix/grubenv ]; then
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="0"
fi
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-simple-0b1c' {
	load_video
	insmod gzio
	echo	'Loading Linux 6.1.0-18-amd64 ...'
	linux	/boot/vmlinuz-6.1.0-18-amd64 root=UUID=0b1c ro quiet
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-6.1.0-18-amd64
}
"""


def write(path, text=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def stage_root(root, with_kvm_amd=False):
    p = subprocess.run([sys.executable, STAGER, "three", root], capture_output=True, text=True)
    if p.returncode == 77:
        raise unittest.SkipTest("systemd-journal-remote is not installed")
    if p.returncode != 0:
        raise AssertionError("make_journal.py: " + p.stderr)
    write(os.path.join(root, "etc", "hostname"), "kvmhost\n")
    write(os.path.join(root, "etc", "os-release"),
          'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n')
    write(os.path.join(root, "var", "log", "dpkg.log"), DPKG_LOG)
    write(os.path.join(root, "boot", "grub", "grub.cfg"), GRUB_CFG)
    kvm = os.path.join(root, "lib", "modules", "6.1.0-18-amd64", "kernel", "arch", "x86", "kvm")
    write(os.path.join(kvm, "kvm.ko"))
    write(os.path.join(root, "lib", "modules", "6.1.0-18-amd64", "modules.builtin"), "kernel/fs/ext4/ext4.ko\n")
    if with_kvm_amd:
        write(os.path.join(kvm, "kvm-amd.ko"))


def garble_objects(path):
    """512 bytes of 0xa5 halfway through a journal file's objects (past its
    hash tables, whose empty buckets iteration never reads; header offsets
    of systemd's journal-def.h: data and field hash tables at 104 and 120,
    each with its size after it, the tail object at 136)."""
    with open(path, "r+b") as f:
        head = f.read(144)
        u64 = lambda at: int.from_bytes(head[at:at + 8], "little")
        start = max(u64(104) + u64(112), u64(120) + u64(128))
        f.seek((start + u64(136)) // 2)
        f.write(b"\xa5" * 512)


def run(*args):
    return subprocess.run([HVPROBE, *args], capture_output=True, text=True, timeout=120)


def check(report, cid):
    return next(c for c in report["checks"] if c["id"] == cid)


class RootHistory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hvprobe-root-")
        cls.root = os.path.join(cls.tmp, "root")
        stage_root(cls.root)
        p = run("--root", cls.root, *CPU, "-f", "json")
        cls.json_run = p
        cls.report = json.loads(p.stdout)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_target_and_exit(self):
        self.assertEqual(self.report["target"], "kvm")  # a Linux root asks about KVM
        self.assertEqual(self.json_run.returncode, 1)
        self.assertEqual(self.report["verdict"], "fail")

    def test_each_boot_judged(self):
        h = self.report["facts"]["kvm_history"]
        self.assertTrue(h["journal"]["read"])
        kernels = [b["kernel"] for b in h["boots"]]
        self.assertEqual(kernels, ["6.1.0-17-amd64", "6.1.0-18-amd64", "6.1.0-18-amd64",
                                   "6.5.0-0.deb12.4-amd64"])
        self.assertEqual([b["kvm"] for b in h["boots"]], ["launched", "failed", "failed", "failed"])
        # kvm_amd silent after the upgrade; hvprobe's unit said why at that boot
        self.assertEqual(h["boots"][1]["line"], "fail: KVM cannot launch here; failed: os.kvm")
        self.assertFalse(h["boots"][1]["inferred"])
        self.assertEqual(h["boots"][2]["line"], "kvm: support for 'kvm_amd' disabled by bios")
        self.assertEqual(h["boots"][0]["hvprobe_verdict"],
                         "pass: KVM runs here: KVM created a VM on this host")
        self.assertIn("BIOS 2006", h["boots"][1]["dmi"])
        self.assertIn("BIOS 3604", h["boots"][2]["dmi"])

    def test_suspects_are_what_changed_in_the_window(self):
        h = self.report["facts"]["kvm_history"]
        self.assertEqual(h["last_up"], "2024-01-01T00:00:00Z")
        self.assertEqual(h["first_failed"], "2024-01-02T00:00:00Z")
        got = {(s["kind"], s["name"], s["from"], s["to"]) for s in h["suspects"]}
        self.assertIn(("kernel", "kernel", "6.1.0-17-amd64", "6.1.0-18-amd64"), got)
        self.assertIn(("package", "linux-image-amd64", "6.1.69-1", "6.1.76-1"), got)
        self.assertIn(("package", "linux-image-6.1.0-18-amd64", None, "6.1.76-1"), got)
        names = {s["name"] for s in h["suspects"]}
        self.assertNotIn("bash", names)  # not a package that changes KVM
        self.assertNotIn("BIOS", names)  # changed later, after KVM was already gone

    def test_history_check_names_boot_reason_and_fix(self):
        c = check(self.report, "kvm.history")
        self.assertEqual(c["status"], "fail")
        self.assertIn("6.5.0-0.deb12.4-amd64", c["summary"])
        self.assertIn("AMD-V", c["summary"])
        self.assertIn("SVM Mode", c["remedy"])
        self.assertIn("apt install linux-image-amd64=6.1.69-1", c["remedy"])

    def test_next_boot_lacks_kvm_amd(self):
        c = check(self.report, "kvm.next_boot")
        self.assertEqual(c["status"], "fail")
        self.assertIn("6.1.0-18-amd64", c["summary"])
        self.assertIn("no kvm_amd module", c["summary"])
        self.assertTrue(c["remedy"].startswith("reinstall the kernel's package before you restart"))
        nb = self.report["facts"]["next_boot"]
        self.assertEqual(nb["loader"], "grub")
        self.assertEqual(nb["kernel"]["kvm_amd"], "missing")
        self.assertEqual(nb["kernel"]["kvm"], "file")

    def test_os_kvm_is_not_judged_from_the_rescue_system(self):
        """Live processor, mounted root: /dev/kvm of the system running
        hvprobe says nothing of the root's, so it is not probed at all."""
        p = run("--root", self.root, "-f", "json")
        self.assertIn(p.returncode, (1, 2), p.stderr)
        r = json.loads(p.stdout)
        self.assertEqual(r["source"]["kind"], "live")
        c = check(r, "os.kvm")
        self.assertEqual(c["status"], "unknown")
        self.assertEqual(c["summary"], "no /dev/kvm evidence in this system")
        self.assertFalse(r["facts"]["kvm_history"]["journal"]["current_boot"])

    def test_text_timeline(self):
        p = run("--root", self.root, *CPU)
        self.assertEqual(p.returncode, 1)
        first = p.stdout.splitlines()[0]  # the root judged, by its own name
        self.assertIn(", Linux root " + os.path.realpath(self.root), first)
        self.assertIn("(kvmhost, Debian GNU/Linux 12 (bookworm))", first)
        self.assertIn("KVM timeline, from the journal (4 boots", p.stdout)
        self.assertIn("boot     KVM up, kernel 6.1.0-17-amd64", p.stdout)
        self.assertIn("boot     KVM FAILED, kernel 6.1.0-18-amd64: hvprobe's check at that boot found "
                      "KVM could not run", p.stdout)
        self.assertIn("changed BIOS 2006 11/13/2019 -> 3604 05/08/2023", p.stdout)
        self.assertIn("suspects, changed between the last boot KVM came up", p.stdout)
        self.assertIn("upgrade linux-image-amd64 6.1.69-1 -> 6.1.76-1", p.stdout)

    def test_bundle_judges_the_same(self):
        bundle = os.path.join(self.tmp, "bundle")
        p = run("collect", "-o", bundle, "--root", self.root, *CPU)
        self.assertEqual(p.returncode, 0, p.stderr)
        again = json.loads(run("--from", bundle, "-f", "json").stdout)
        self.assertEqual(again["facts"]["kvm_history"]["boots"], self.report["facts"]["kvm_history"]["boots"])
        self.assertEqual(again["facts"]["kvm_history"]["suspects"],
                         self.report["facts"]["kvm_history"]["suspects"])
        for cid in ("kvm.history", "kvm.next_boot"):
            self.assertEqual(check(again, cid), check(self.report, cid))


class RootRepaired(unittest.TestCase):
    def test_next_boot_passes_with_its_module(self):
        with tempfile.TemporaryDirectory() as tmp:
            stage_root(tmp, with_kvm_amd=True)
            r = json.loads(run("--root", tmp, *CPU, "-f", "json").stdout)
            c = check(r, "kvm.next_boot")
            self.assertEqual(c["status"], "pass", c["summary"])


class NamedKernel(unittest.TestCase):
    """--kernel RELEASE, as the hook in /etc/kernel/postinst.d gives it:
    the kernel just installed is judged, whatever GRUB names (update-grub
    may not have run yet), and the loader's own choice is still shown."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hvprobe-named-")
        stage_root(cls.tmp, with_kvm_amd=True)  # GRUB's 6.1.0-18 has kvm-amd.ko
        modules = os.path.join(cls.tmp, "lib", "modules", "6.1.0-99-amd64")
        write(os.path.join(modules, "kernel", "arch", "x86", "kvm", "kvm.ko"))  # no kvm-amd.ko
        write(os.path.join(modules, "modules.builtin"), "kernel/fs/ext4/ext4.ko\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def judge(self, *extra):
        p = run("--root", self.tmp, *CPU, "-c", "kvm.next_boot", "-f", "json", *extra)
        return p, json.loads(p.stdout)

    def test_the_named_kernel_is_judged_not_grubs(self):
        p, r = self.judge("--kernel", "6.1.0-99-amd64")
        self.assertEqual(p.returncode, 1, p.stderr)
        c = check(r, "kvm.next_boot")
        self.assertEqual(c["status"], "fail")
        self.assertIn("kernel 6.1.0-99-amd64 (named with --kernel; the boot loader starts "
                      "6.1.0-18-amd64 next)", c["summary"])
        self.assertIn("no kvm_amd module", c["summary"])
        nb = r["facts"]["next_boot"]
        self.assertEqual(nb["named"], "6.1.0-99-amd64")
        self.assertEqual(nb["loader_kernel"], "6.1.0-18-amd64")
        self.assertEqual(nb["kernel"]["release"], "6.1.0-99-amd64")
        self.assertEqual(nb["kernel"]["kvm_amd"], "missing")
        # without --kernel the boot loader's kernel passes: the option decided
        p, r = self.judge()
        self.assertEqual(check(r, "kvm.next_boot")["status"], "pass")

    def test_the_loaders_own_kernel_named(self):
        p, r = self.judge("--kernel", "6.1.0-18-amd64")
        c = check(r, "kvm.next_boot")
        self.assertEqual(c["status"], "pass", c["summary"])
        self.assertIn("kernel 6.1.0-18-amd64 (named with --kernel)", c["summary"])
        self.assertIsNone(r["facts"]["next_boot"]["loader_kernel"])

    def test_a_kernel_not_installed(self):
        p, r = self.judge("--kernel", "6.1.0-77-amd64")
        c = check(r, "kvm.next_boot")
        self.assertEqual(c["status"], "fail")
        self.assertIn("lib/modules/6.1.0-77-amd64 does not exist", c["summary"])

    def test_bundle_keeps_the_named_kernel(self):
        bundle = os.path.join(self.tmp + "-bundle")
        try:
            p = run("collect", "-o", bundle, "--root", self.tmp, *CPU, "--kernel", "6.1.0-99-amd64")
            self.assertEqual(p.returncode, 0, p.stderr)
            again = json.loads(run("--from", bundle, "-c", "kvm.next_boot", "-f", "json").stdout)
            self.assertEqual(again["facts"]["next_boot"]["named"], "6.1.0-99-amd64")
            self.assertEqual(again["facts"]["next_boot"]["loader_kernel"], "6.1.0-18-amd64")
            c = check(again, "kvm.next_boot")
            self.assertEqual(c["status"], "fail")
            self.assertIn("kernel 6.1.0-99-amd64 (named with --kernel; the boot loader starts "
                          "6.1.0-18-amd64 next), and it has no kvm_amd module", c["summary"])
        finally:
            shutil.rmtree(bundle, ignore_errors=True)

    def test_next_boot_series_apart_from_this_boots(self):
        """The staged host's last boot failed (kvm.history), its next kernel
        has its modules: hvprobe_verdict says fail, the next-boot series
        unknown (what stopped that boot may stop the next); the kernel just
        installed without kvm-amd.ko makes it fail."""
        def series(*extra):
            p = run("--root", self.tmp, *CPU, "-f", "prometheus", *extra)
            if shutil.which("promtool"):
                check = subprocess.run(["promtool", "check", "metrics"], input=p.stdout,
                                       capture_output=True, text=True)
                self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            return dict(line.rsplit(" ", 1) for line in p.stdout.splitlines()
                        if line.startswith(("hvprobe_verdict", "hvprobe_next_boot_verdict")))
        s = series()
        self.assertEqual(s['hvprobe_verdict{target="kvm"}'], "1")
        self.assertEqual(s['hvprobe_next_boot_verdict{target="kvm"}'], "2")
        s = series("--kernel", "6.1.0-99-amd64")
        self.assertEqual(s['hvprobe_next_boot_verdict{target="kvm"}'], "1")
        r = json.loads(run("--root", self.tmp, *CPU, "-f", "json").stdout)
        self.assertEqual((r["verdict"], r["next_boot_verdict"]), ("fail", "unknown"))
        text = run("--root", self.tmp, *CPU).stdout
        self.assertIn("next boot: UNKNOWN KVM may or may not launch after the next restart: it did "
                      "not launch at this boot (failed: kvm.history)", text)
        # only the next boot's checks: the gate's own answer
        s = series("-c", "kvm.next_boot")
        self.assertEqual(s['hvprobe_next_boot_verdict{target="kvm"}'], "0")

    def test_the_hook_asks_for_the_next_boot_alone(self):
        p = run("--root", self.tmp, *CPU, "-c", "kvm.next_boot", "--kernel", "6.1.0-99-amd64")
        self.assertEqual(p.returncode, 1)
        self.assertIn("verdict: FAIL    KVM will not launch after the next restart; failed: "
                      "kvm.next_boot", p.stdout)
        self.assertNotIn("next boot:", p.stdout)  # the verdict already is the next boot's

    def test_bad_values_are_usage_errors(self):
        for bad in ("", "../../etc", ".", "6.1 0", "a/b", "x" * 80):
            p = run("--root", self.tmp, "--kernel", bad)
            self.assertEqual(p.returncode, 64, bad)
            self.assertEqual(len(p.stderr.splitlines()), 1)
            self.assertIn("--kernel", p.stderr)
            self.assertEqual(p.stdout, "")
        p = run("--cpuid-dump", DUMP, "--kernel", "6.1.0-99-amd64")
        self.assertEqual(p.returncode, 64)
        self.assertIn("--kernel names a kernel installed on this host or in --root", p.stderr)


class ManyBoots(unittest.TestCase):
    def test_only_the_newest_boots_are_read(self):
        """A journal of 40 boots: the newest 32 are read, the rest counted
        (platform/linux/journal_read.h, JOURNAL_BOOTS_READ)."""
        sys.path.insert(0, os.path.dirname(STAGER))
        import make_journal
        if not os.path.exists(make_journal.REMOTE):
            self.skipTest("systemd-journal-remote is not installed")
        boots = [("%032x" % (0x100 + i), make_journal.T0 + i * 86400,
                  [make_journal.BANNER.format(rel="6.1.0-%d-amd64" % i, ver="6.1.1-1"),
                   "DMI: " + make_journal.DMI_OLD], []) for i in range(40)]
        with tempfile.TemporaryDirectory() as root:
            jdir = os.path.join(root, "var", "log", "journal", make_journal.MACHINE_ID)
            os.makedirs(jdir)
            subprocess.run([make_journal.REMOTE, "-o", os.path.join(jdir, "system.journal"), "-"],
                           input=make_journal.export(boots), check=True, capture_output=True)
            r = json.loads(run("--root", root, *CPU, "-f", "json").stdout)
            h = r["facts"]["kvm_history"]
            self.assertEqual(len(h["boots"]), 32)
            self.assertEqual(h["journal"]["boots_dropped"], 8)
            self.assertEqual(h["boots"][0]["kernel"], "6.1.0-8-amd64")
            self.assertEqual(h["boots"][-1]["kernel"], "6.1.0-39-amd64")


class RootFixes(unittest.TestCase):
    """What a root holds is read as the root's own programs would read it."""

    def stage(self, tmp, scenario):
        root = os.path.join(tmp, "root")
        p = subprocess.run([sys.executable, STAGER, scenario, root], capture_output=True, text=True)
        if p.returncode == 77:
            self.skipTest("systemd-journal-remote is not installed")
        self.assertEqual(p.returncode, 0, p.stderr)
        return root

    def test_clock_set_back_keeps_the_journal_order(self):
        """The newest boot's RTC was reset ten days back: it stays last
        (the journal's sequence numbers), here and in a bundle."""
        with tempfile.TemporaryDirectory() as tmp:
            root = self.stage(tmp, "backwards")
            r = json.loads(run("--root", root, *CPU, "-t", "kvm", "-f", "json").stdout)
            kernels = [b["kernel"] for b in r["facts"]["kvm_history"]["boots"]]
            self.assertEqual(kernels, ["6.1.0-17-amd64", "6.1.0-18-amd64"])
            bundle = os.path.join(tmp, "bundle")
            p = run("collect", "-o", bundle, "--root", root, *CPU)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(os.path.join(bundle, "journal.txt")) as f:
                self.assertIn("\tseqnum=", f.read())
            again = json.loads(run("--from", bundle, "-f", "json").stdout)
            self.assertEqual([b["kernel"] for b in again["facts"]["kvm_history"]["boots"]], kernels)

    def test_relative_root_keeps_its_time_zone(self):
        """--root given relative: dpkg's local times still read in the
        root's zone (glibc looks a relative TZ=":PATH" up under
        /usr/share/zoneinfo)."""
        with tempfile.TemporaryDirectory() as tmp:
            root = self.stage(tmp, "three")
            zone = os.path.join(root, "usr", "share", "zoneinfo", "Europe")
            os.makedirs(zone)
            shutil.copy("/usr/share/zoneinfo/Europe/Berlin", zone)
            os.makedirs(os.path.join(root, "etc"), exist_ok=True)
            os.symlink("/usr/share/zoneinfo/Europe/Berlin", os.path.join(root, "etc", "localtime"))
            write(os.path.join(root, "var", "log", "dpkg.log"),
                  "2024-01-01 10:00:09 upgrade linux-image-amd64:amd64 6.1.69-1 6.1.76-1\n")
            p = subprocess.run([HVPROBE, "--root", "root", *CPU, "-f", "json"], cwd=tmp,
                               capture_output=True, text=True, timeout=120)
            h = json.loads(p.stdout)["facts"]["kvm_history"]
            change = next(c for c in h["changes"] if c["name"] == "linux-image-amd64")
            self.assertEqual(change["time"], "2024-01-01T09:00:09Z")  # 10:00 CET
            self.assertNotIn("UTC", h["package_log"]["source"] or "")


class BadRoots(unittest.TestCase):
    def one_line(self, p, code, part):
        self.assertEqual(p.returncode, code, p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn(part, p.stderr)

    def test_missing(self):
        self.one_line(run("--root", "/nonexistent/root", *CPU), 66, "/nonexistent/root")

    def test_a_file(self):
        with tempfile.NamedTemporaryFile() as f:
            self.one_line(run("--root", f.name, *CPU), 66, "not a directory")

    def test_not_a_linux_root(self):
        with tempfile.TemporaryDirectory() as d:
            self.one_line(run("--root", d, *CPU), 65, "not a Linux root")

    def test_with_from(self):
        self.one_line(run("--root", "/", "--from", "/tmp"), 64, "--root and --from")

    def test_root_without_journal_or_logs(self):
        """A bare root: every history check says what it lacks, no crash."""
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "etc"))
            p = run("--root", d, *CPU, "-f", "json")
            self.assertEqual(p.returncode, 2, p.stderr)
            r = json.loads(p.stdout)
            self.assertIn("no journal", r["facts"]["kvm_history"]["journal"]["unreadable"])
            self.assertEqual(check(r, "kvm.history")["status"], "unknown")
            self.assertEqual(check(r, "kvm.next_boot")["status"], "unknown")

    def test_machine_id(self):
        """The root's machine id: etc/machine-id, else D-Bus's copy, as live."""
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "var", "lib", "dbus", "machine-id"), "0123456789abcdef0123456789abcdef\n")
            os.makedirs(os.path.join(d, "etc"))
            p = run("--root", d, *CPU, "-f", "json")
            self.assertEqual(json.loads(p.stdout)["host"]["machine_id"], "0123456789abcdef0123456789abcdef")
            write(os.path.join(d, "etc", "machine-id"), "fedcba9876543210fedcba9876543210\n")
            p = run("--root", d, *CPU, "-f", "json")
            self.assertEqual(json.loads(p.stdout)["host"]["machine_id"], "fedcba9876543210fedcba9876543210")

    def test_corrupt_journal(self):
        """A journal garbled in the middle of its entries: a verdict, the damage
        said in facts and in kvm.history, never a crash."""
        with tempfile.TemporaryDirectory() as d:
            stage_root(d)
            jdir = os.path.join(d, "var", "log", "journal")
            for dirpath, _, files in os.walk(jdir):
                for name in files:
                    garble_objects(os.path.join(dirpath, name))
            p = run("--root", d, *CPU, "-f", "json")
            self.assertIn(p.returncode, (1, 2), p.stderr)
            r = json.loads(p.stdout)
            self.assertTrue(r["facts"]["kvm_history"]["journal"]["damaged"])
            self.assertIn("damaged", json.dumps(check(r, "kvm.history")))


if __name__ == "__main__":
    unittest.main()
