"""The Windows build (hvprobe.exe, HVPROBE_EXE) under wine.

1. The portable core: every CPUID fixture gives the same verdict, checks
   and facts from the Linux and the Windows builds (libcpuid's codename,
   which only the Linux build has, aside).
2. The live path: a BCD00000000 tree made from a real store and staged
   servicing packages are imported into wine's registry (wine reg import);
   hvprobe.exe reads them as it reads a Windows host, and a snapshot then
   a compare names the seed's three updates as suspects.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import hives
from hives import SEED_UPDATES
from test_bcd import ENTRY, STORE
from test_cli import CPUID, FIXTURES, run

EXE = os.environ.get("HVPROBE_EXE")
WINE = shutil.which("wine")
PREFIX = None


def setUpModule():
    global PREFIX
    if not (EXE and WINE):
        raise unittest.SkipTest("needs HVPROBE_EXE (scripts/build-windows.sh) and wine")
    PREFIX = tempfile.mkdtemp(prefix="hvprobe-wine-")
    # wineboot starts wine's own services, which live on and would hold any
    # pipe they inherit open: they get none. A persistent wineserver keeps
    # them (and fast starts) until tearDownModule.
    quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["wineserver", "-p"], env=wine_env(), timeout=60, **quiet)
    subprocess.run(["wine", "wineboot", "--init"], env=wine_env(), timeout=300, **quiet)


def tearDownModule():
    if PREFIX:
        subprocess.run(["wineserver", "-k"], env=wine_env(), capture_output=True)
        shutil.rmtree(PREFIX, ignore_errors=True)


def wine_env():
    # No Mono or Gecko prompts, no debug chatter, our own prefix.
    return dict(os.environ, WINEPREFIX=PREFIX, WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")


def wine(*args):
    return subprocess.run(["wine", *args], capture_output=True, text=True, errors="replace",
                          env=wine_env(), timeout=300)


def winpath(path):
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def exe(*args):
    return wine(EXE, *args)


def comparable(doc):
    """A report without what differs by build or by path."""
    doc = dict(doc)
    doc.pop("source", None)
    doc["facts"] = dict(doc["facts"], cpu=dict(doc["facts"]["cpu"], codename=None))
    return doc


def report_of(p):
    """The JSON report a run printed, or None."""
    try:
        return json.loads(p.stdout)
    except ValueError:
        return None


def outcome(p):
    """A run's verdict and the checks that were not PASS, for a failure's message."""
    doc = report_of(p)
    if not doc:
        return f"exit {p.returncode}, no report ({len(p.stdout)} bytes out)"
    return f"exit {p.returncode}, {doc['verdict']}: " + ", ".join(
        f"{c['id']} {c['status']}" for c in doc["checks"] if c["status"] not in ("pass", "skip"))


class PortableCore(unittest.TestCase):
    def test_every_dump_judged_the_same(self):
        for name in sorted(os.listdir(CPUID)):
            path = os.path.join(CPUID, name)
            with self.subTest(dump=name):
                linux = run("--cpuid-dump", path, "-f", "json")
                windows = exe("--cpuid-dump", winpath(path), "-f", "json")
                if windows.returncode != linux.returncode and not report_of(windows):
                    # wine itself failed to run it (no report at all, seen once
                    # under a loaded CI machine): once more, said in the log
                    print(f"\n{name}: wine gave exit {windows.returncode} and no report; again",
                          file=sys.stderr)
                    windows = exe("--cpuid-dump", winpath(path), "-f", "json")
                self.assertEqual(windows.returncode, linux.returncode,
                                 f"{windows.stderr}\nWindows: {outcome(windows)}\nLinux: {outcome(linux)}")
                if linux.returncode >= 64:  # the ARM dump: refused alike
                    self.assertEqual(windows.stdout, "")
                    self.assertIn("not an x86 CPU", windows.stderr)
                    continue
                self.assertEqual(comparable(json.loads(windows.stdout)), comparable(json.loads(linux.stdout)))

    def test_formats_and_errors(self):
        dump = winpath(os.path.join(CPUID, "intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt"))
        p = exe("--cpuid-dump", dump, "-t", "hyperv", "-f", "nagios")
        self.assertRegex(p.stdout.splitlines()[0], r"^HVPROBE (OK|WARNING|CRITICAL|UNKNOWN) - ")
        p = exe("--cpuid-dump", "Z:\\nonexistent\\dump.txt")
        self.assertEqual(p.returncode, 66)
        self.assertIn("Z:\\nonexistent\\dump.txt: No such file or directory", p.stderr)
        p = exe("--format", "yaml")
        self.assertEqual(p.returncode, 64)


class EventLogs(unittest.TestCase):
    """Wine has no event log behind wevtapi (EvtQuery fails): what can be
    run is the refusal of a file and the live run without a log."""

    def test_an_exported_log_is_refused_in_one_line(self):
        dump = winpath(os.path.join(CPUID, "intel_x86-64_haswell_intel-core-i3-4130-cpu.txt"))
        log = winpath(os.path.join(FIXTURES, "evtx", "win11-rathbunvm-System.evtx"))
        p = exe("--cpuid-dump", dump, "--evtx", log)
        self.assertEqual(p.returncode, 65, p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)
        self.assertIn(log + ": not a readable event log", p.stderr)

    def test_live_run_without_a_readable_log(self):
        p = exe("-f", "json", "-t", "hyperv")
        self.assertLess(p.returncode, 64, p.stderr)
        doc = json.loads(p.stdout)
        self.assertFalse(doc["facts"]["launch"]["events_read"])
        check = next(c for c in doc["checks"] if c["id"] == "hv.launch")
        self.assertEqual(check["status"], "unknown")
        self.assertIn("Administrator", check["remedy"])


class LiveRegistry(unittest.TestCase):
    """HKLM\\BCD00000000 and the servicing packages, staged in wine."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        wine("reg", "delete", "HKEY_LOCAL_MACHINE\\BCD00000000", "/f")
        wine("reg", "delete", "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\"
                              "Component Based Servicing", "/f")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def import_reg(self, text):
        # A version 5 .reg file is UTF-16: written as UTF-8, wine would read
        # hex(1) string data as ANSI and widen it a second time.
        path = os.path.join(self.tmp, "import.reg")
        with open(path, "w", encoding="utf-16") as f:
            f.write("Windows Registry Editor Version 5.00\r\n\r\n" + text.replace("\n", "\r\n"))
        p = wine("reg", "import", winpath(path))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def stage_bcd(self, launchtype):
        """The fixture store, re-rooted at HKLM\\BCD00000000."""
        blocks = [] if launchtype is None else [hives.element(ENTRY, hives.LAUNCHTYPE, hives.integer(launchtype))]
        store = hives.copy(self.tmp, STORE, *blocks)
        text = subprocess.run(["hivexregedit", "--export", store, "\\"], capture_output=True, text=True,
                              check=True).stdout
        text = text.split("\n", 1)[1]  # drop the header line
        text = re.sub(r"^\[\\\]$", "[HKEY_LOCAL_MACHINE\\\\BCD00000000]", text, flags=re.M)
        text = re.sub(r"^\[\\", "[HKEY_LOCAL_MACHINE\\\\BCD00000000\\\\", text, flags=re.M)
        self.import_reg(text)

    def stage_updates(self, updates, reboot_pending=False):
        cbs = "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing"
        blocks = [f"[{cbs}]\n", f"[{cbs}\\Packages]\n"]
        if reboot_pending:
            blocks.append(f"[{cbs}\\RebootPending]\n")
        for kb, state, filetime in updates:
            blocks.append(f"[{cbs}\\Packages\\Package_for_{kb}~31bf3856ad364e35~amd64~~6.3.1.4]\n"
                          f"\"CurrentState\"={hives.dword(state)}\n"
                          f"\"InstallTimeHigh\"={hives.dword(filetime >> 32)}\n"
                          f"\"InstallTimeLow\"={hives.dword(filetime & 0xFFFFFFFF)}\n")
        self.import_reg("\n".join(blocks))

    def report(self, *args):
        p = exe("-f", "json", "-t", "hyperv", *args)
        self.assertLess(p.returncode, 64, p.stderr)
        return p.returncode, json.loads(p.stdout)

    def test_launch_type_auto_off_absent(self):
        self.stage_updates([])
        for launchtype, want, status in ((1, "Auto", "pass"), (0, "Off", "fail"), (None, None, "fail")):
            with self.subTest(launchtype=launchtype):
                wine("reg", "delete", "HKEY_LOCAL_MACHINE\\BCD00000000", "/f")
                self.stage_bcd(launchtype)
                code, doc = self.report()
                bcd = doc["facts"]["bcd"]
                self.assertEqual((bcd["origin"], bcd["path"]), ("found", "HKLM\\BCD00000000"))
                self.assertEqual((bcd["entry"], bcd["description"]), (ENTRY, "Windows 10"))
                self.assertEqual(bcd["hypervisorlaunchtype"], want)
                checks = {c["id"]: c for c in doc["checks"]}
                self.assertEqual(checks["bcd.entry"]["status"], "pass")
                self.assertEqual(checks["bcd.hypervisorlaunchtype"]["status"], status)
                win = doc["facts"]["windows"]
                self.assertTrue(win["product"] and win["live"])
                self.assertEqual(win["vmms"], "absent")  # wine has no Hyper-V
                self.assertIn(win["pf_nx_enabled"], (True, False))

    def test_updates_and_the_seed_compare(self):
        self.stage_bcd(1)
        self.stage_updates([])
        before = os.path.join(self.tmp, "before.json")
        p = exe("snapshot", "-o", winpath(before), "-t", "hyperv")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(before) as f:
            snap = json.load(f)
        self.assertEqual(snap["facts"]["installed"]["items"], [])
        self.assertEqual(snap["facts"]["installed"]["source"], "registry HKLM\\SOFTWARE")
        self.assertTrue(snap["host"]["machine_id"].startswith("windows:"))
        # The patch night: three updates, and the entry turned Off.
        wine("reg", "delete", "HKEY_LOCAL_MACHINE\\BCD00000000", "/f")
        self.stage_bcd(0)
        self.stage_updates(SEED_UPDATES)
        code, doc = self.report()
        # wine's Windows is not build 9600, where KB5009624 stops the hypervisor
        known = next(c for c in doc["checks"] if c["id"] == "updates.known_bad")
        self.assertEqual(known["status"], "pass")
        self.assertIn("KB5009624: it hits Windows build 9600 only; this is build", known["summary"])
        self.assertEqual(known["evidence"]["windows_build"]["source"], "the running Windows")
        p = exe("compare", winpath(before), "-f", "json")
        self.assertEqual(p.returncode, 1, p.stderr)
        cmp = json.loads(p.stdout)
        self.assertEqual([r["id"] for r in cmp["regressions"]], ["bcd.hypervisorlaunchtype"])
        self.assertEqual([s["update"]["name"] for s in cmp["suspects"]], ["KB5009624", "KB5008883", "KB5008868"])
        self.assertEqual(cmp["suspects"][0]["remove"], "wusa /uninstall /kb:5009624 /norestart, then restart")
        text = exe("compare", winpath(before)).stdout
        self.assertIn("Suspects, newest first (3):", text)

    def test_a_restart_pending_live(self):
        """Live, the restart marker is read from the running registry (a key
        missing is "no", unlike in a hive taken offline), and this boot's
        start from the tick count: an update installed since it waits for
        the restart, one installed years before is in effect. The entry has
        no conditions, so wine's own build does not rule it out."""
        known = os.path.join(self.tmp, "known.txt")
        with open(known, "w") as f:
            f.write("KB5999999 | windows | test entry | this test | remove it\n")
        now = datetime.datetime.now(datetime.timezone.utc)
        filetime = lambda t: int((t - datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc))
                                 .total_seconds()) * 10_000_000
        self.stage_bcd(1)
        cases = ((now, True, "fail", "waits for the restart", True),
                 (now.replace(year=2020), True, "fail", "is installed and is known", True),
                 (now, False, "fail", "is installed and is known", False))
        for when, pending, status, words, marker in cases:
            with self.subTest(installed=when.year, reboot_pending=pending):
                wine("reg", "delete", "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\"
                                      "Component Based Servicing", "/f")
                self.stage_updates([("KB5999999", 0x70, filetime(when))], reboot_pending=pending)
                _, doc = self.report("--known-issues", winpath(known), "-c", "updates.known_bad")
                c = doc["checks"][0]
                self.assertEqual(c["status"], status, c["summary"])
                self.assertIn(words, c["summary"])
                self.assertEqual(c["evidence"]["cbs_reboot_pending"]["value"], marker)
                self.assertEqual(doc["facts"]["installed"]["restart_pending"]["cbs_reboot_pending"], marker)


if __name__ == "__main__":
    unittest.main()
