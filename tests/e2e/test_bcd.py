"""End-to-end tests of the BCD reader on real Windows boot stores.

Every store in tests/fixtures/bcd is read with its expected default entry
and settings; modified copies (hives.copy) cover each setting the
checks judge, and damaged copies (cut and flipped bytes) cover bad input.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import hives
import logs
from hives import (BOOTLOADERSETTINGS, BOOTMGR, BOOTSEQUENCE, DEFAULT, DESCRIPTION,
                      GLOBALSETTINGS, HVDEBUG, HVIOMMU, HVNUMPROC, HVSLATOFF,
                      HYPERVISORSETTINGS, INHERIT, LAUNCHTYPE, NX, element, os_loader)
from test_cli import CPUID, assert_one_line_error, run, run_json, statuses

# A VT-x host with EPT and firmware enabled (recorded MSRs): only the BCD
# decides its Hyper-V verdict.
# A healthy host's CPU and firmware (a recorded dump and MSRs) ...
GOOD_FIRMWARE = ["--cpuid-dump", os.path.join(CPUID, "intel_x86-64_haswell_intel-core-i3-4130-cpu.txt"),
                 "--msr", "0x3a=0x5", "--msr", "0x1a0=0x850089",
                 "--msr", "0x482=0xfff9fffe0401e172", "--msr", "0x48b=0x7cff00000000"]
# ... and its System log, in which the hypervisor launched at the last boot
# (a Hyper-V verdict needs to know it did).
GOOD_CPU = [*GOOD_FIRMWARE, *logs.LAUNCHED]
# ... with a boot entry to judge, also its Windows volume's list of
# installed updates, none known to stop the hypervisor (--bcd follows).
HEALTHY = [*GOOD_CPU, *hives.UP_TO_DATE]

CHAIN = [BOOTLOADERSETTINGS, GLOBALSETTINGS, "{4636856e-540f-4170-a130-a84776f4c654}",
         "{0ce4991b-e6b3-4b16-b23c-5e0d9250e5d9}", "{5189b25c-5558-4bf2-bca4-289b11bd29e2}",
         HYPERVISORSETTINGS]

# fixture: default entry, description, loader path, OS loader entries,
# whether the default starts Windows PE (winpe set)
EXPECTED = {
    "BAndysc_ASUS-TP300LD-ESP__EFI_Microsoft_Boot_BCD":
        ("{e018a2d0-b134-11ea-95b2-81f0ac71b75b}", "Windows 10", "\\WINDOWS\\system32\\winload.efi", 2,
         False),
    "BlueDruddigon_EFI_backup__EFI_Microsoft_Boot_BCD":
        ("{f283cf63-df7d-11ea-99e2-8cba92f25951}", "Windows 10", "\\Windows\\system32\\winload.efi", 4,
         False),
    # a recovery store: its default is the recovery environment
    "F4nnnnn_EFI-OC-ASUSX512JA-SEQUOIA__EFI_Microsoft_Recovery_BCD":
        ("{d21fda71-b6f7-11f0-a20d-ade39e452242}", "Windows Recovery Environment",
         "\\windows\\system32\\winload.efi", 1, True),
    "Fisummer_winefi__EFI_Microsoft_Boot_BCD":
        ("{347518e1-f3cc-11ea-911e-c7eaa7d84b6c}", "Windows 10", "\\Windows\\system32\\winload.efi", 2,
         False),
    # a BIOS-style store whose loader path was rewritten (bitpixie); its
    # "Windows 10" has winpe set
    "h1ppy_0pts-bitpixie__Boot_BCD":
        ("{e9f88ef3-fa6f-11eb-a962-ef6fc553cae8}", "Windows 10", "\\", 1, True),
}
RECOVERY = "F4nnnnn_EFI-OC-ASUSX512JA-SEQUOIA__EFI_Microsoft_Recovery_BCD"
STORE = "BAndysc_ASUS-TP300LD-ESP__EFI_Microsoft_Boot_BCD"
ENTRY = EXPECTED[STORE][0]
BCD_CHECKS = "bcd.entry,bcd.hypervisorlaunchtype,bcd.nx,bcd.hypervisordebug,bcd.hypervisorsettings"


def check(doc, cid):
    return next(c for c in doc["checks"] if c["id"] == cid)


class Fixtures(unittest.TestCase):
    def test_every_store_is_covered(self):
        self.assertEqual(set(os.listdir(hives.BCD)), set(EXPECTED))

    def test_default_entry_and_settings_per_store(self):
        for name, (entry, desc, loader, nloaders, winpe) in EXPECTED.items():
            with self.subTest(store=name):
                path = os.path.join(hives.BCD, name)
                p, doc = run_json(*HEALTHY, "--bcd", path, "--bcd-entry", "all")
                bcd = doc["facts"]["bcd"]
                self.assertEqual(doc["target"], "hyperv")  # a store makes it a Hyper-V question
                self.assertEqual((bcd["default_entry"], bcd["entry"]), (entry, entry))
                self.assertEqual(bcd["bootsequence"], [])
                self.assertEqual(bcd["winpe"], True if winpe else None)
                if winpe:
                    self.assertEqual(bcd["error"], f"entry {entry} starts Windows PE (winpe, element "
                                                   "26000022), not an installed Windows")
                    st = statuses(doc)
                    self.assertEqual((st["bcd.entry"], st["bcd.hypervisorlaunchtype"]), ("unknown", "skip"))
                    self.assertEqual((p.returncode, doc["verdict"]), (2, "unknown"))
                    continue
                self.assertEqual((bcd["path"], bcd["origin"], bcd["error"]), (path, "given", None))
                self.assertEqual((bcd["description"], bcd["loader_path"]), (desc, loader))
                # none of these installs has Hyper-V: never configured
                self.assertIsNone(bcd["hypervisorlaunchtype"])
                self.assertEqual(bcd["nx"], "OptIn")
                self.assertIsNone(bcd["hypervisordebug"])
                self.assertEqual(bcd["inherited_from"], CHAIN)
                self.assertEqual(len(bcd["entries"]), nloaders)
                st = statuses(doc)
                self.assertEqual((st["bcd.entry"], st["bcd.hypervisorlaunchtype"], st["bcd.nx"]),
                                 ("pass", "fail", "pass"))
                self.assertEqual((p.returncode, doc["verdict"]), (1, "fail"))
                fix = check(doc, "bcd.hypervisorlaunchtype")["remedy"]
                self.assertIn(f"bcdedit /set {entry} hypervisorlaunchtype auto", fix)

    def test_text_names_the_entry_judged(self):
        path = os.path.join(hives.BCD, STORE)
        p = run(*HEALTHY, "--bcd", path)
        self.assertIn(f'bcd:     "Windows 10" {ENTRY} (default) in {path}', p.stdout)
        self.assertIn(f'  bcd.entry                PASS    "Windows 10" {ENTRY} (default)', p.stdout)
        self.assertIn("  bcd.hypervisorlaunchtype FAIL    not set (not Off) in \"Windows 10\": the Hyper-V "
                      "role sets Auto; VBS (HVCI, Credential Guard) can still start the hypervisor", p.stdout)
        self.assertTrue(p.stdout.splitlines()[-1].startswith("verdict: FAIL"))
        self.assertIn("bcd.hypervisorlaunchtype", p.stdout.splitlines()[-1])

    def test_all_lists_every_loader_entry(self):
        path = os.path.join(hives.BCD, "BlueDruddigon_EFI_backup__EFI_Microsoft_Boot_BCD")
        p = run(*HEALTHY, "--bcd", path, "--bcd-entry", "all")
        self.assertIn("OS loader entries (4) in", p.stdout)
        self.assertIn('* {f283cf63-df7d-11ea-99e2-8cba92f25951} "Windows 10" (default): '
                      "hypervisorlaunchtype not set, nx OptIn", p.stdout)
        self.assertEqual(p.stdout.count('"Windows Recovery Environment"'), 3)

    def test_a_recovery_store_says_nothing_about_hyperv(self):
        # EFI/Microsoft/Recovery/BCD boots Windows PE from a RAM disk: not
        # the installed Windows, so no BCD check may pass or fail on it
        path = os.path.join(hives.BCD, RECOVERY)
        p, doc = run_json(*HEALTHY, "--bcd", path, "-t", "hyperv")
        self.assertEqual((p.returncode, doc["verdict"]), (2, "unknown"))
        for cid in BCD_CHECKS.split(","):
            self.assertNotIn(check(doc, cid)["status"], ("pass", "fail"), cid)
        c = check(doc, "bcd.entry")
        self.assertEqual(c["summary"], '"Windows Recovery Environment" {d21fda71-b6f7-11f0-a20d-ade39e452242} '
                                       "(default) starts Windows PE (the recovery environment or setup), not "
                                       "the installed Windows: it says nothing about Hyper-V")
        self.assertEqual(c["evidence"]["winpe"], {"value": True, "source": "BCD element 26000022"})
        self.assertIn("EFI/Microsoft/Boot/BCD on the EFI system partition", c["remedy"])
        self.assertIn("--esp DIR", c["remedy"])
        text = run(*HEALTHY, "--bcd", path).stdout
        self.assertNotIn("not set (not Off)", text)  # what it said before: FAIL "not set"

    def test_other_targets_show_the_bcd_but_are_not_judged_by_it(self):
        p, doc = run_json(*HEALTHY, "--bcd", os.path.join(hives.BCD, STORE), "-t", "xen")
        self.assertEqual((p.returncode, doc["verdict"]), (0, "pass"))
        for cid in BCD_CHECKS.split(","):
            self.assertEqual(check(doc, cid)["level"], "advisory")
        c = check(doc, "bcd.hypervisorlaunchtype")
        self.assertEqual(c["status"], "warn")
        self.assertIn("advisory for target xen", c["note"])

    def test_no_store_is_a_skip_with_the_reason_unless_hyperv(self):
        p, doc = run_json(*GOOD_CPU)
        c = check(doc, "bcd.entry")
        self.assertEqual((c["status"], c["summary"]), ("skip", "no BCD store in this CPUID dump"))
        self.assertEqual(check(doc, "bcd.nx")["summary"], "no BCD store in this CPUID dump")
        self.assertEqual(p.returncode, 0)
        p, doc = run_json(*GOOD_CPU, "-t", "hyperv")
        c = check(doc, "bcd.entry")
        self.assertEqual((c["status"], c["summary"]), ("unknown", "no BCD store in this CPUID dump"))
        self.assertIn("--bcd FILE", c["remedy"])
        self.assertEqual((p.returncode, doc["verdict"]), (2, "unknown"))


class Settings(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def judge(self, *blocks, args=()):
        path = hives.copy(self.tmp, STORE, *blocks)
        return run_json(*HEALTHY, "--bcd", path, *args)

    def test_auto_passes_the_whole_verdict(self):
        p, doc = self.judge(element(ENTRY, LAUNCHTYPE, hives.integer(1)))
        self.assertEqual((p.returncode, doc["verdict"]), (0, "pass"))
        self.assertEqual(doc["facts"]["bcd"]["hypervisorlaunchtype"], "Auto")
        c = check(doc, "bcd.hypervisorlaunchtype")
        self.assertEqual(c["status"], "pass")
        self.assertEqual(c["evidence"]["set_in"]["source"], "the entry itself")

    def test_off_fails_with_the_command_that_fixes_it(self):
        p, doc = self.judge(element(ENTRY, LAUNCHTYPE, hives.integer(0)))
        self.assertEqual((p.returncode, doc["verdict"]), (1, "fail"))
        self.assertEqual(doc["facts"]["bcd"]["hypervisorlaunchtype"], "Off")
        c = check(doc, "bcd.hypervisorlaunchtype")
        self.assertEqual(c["summary"], 'Off in "Windows 10"')
        self.assertEqual(c["remedy"], f"as Administrator run: bcdedit /set {ENTRY} "
                                      "hypervisorlaunchtype auto, then restart")

    def test_removed_setting_fails(self):
        # set, then removed again (what an update or a boot repair can do)
        path = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(1)))
        self.assertEqual(run(*HEALTHY, "--bcd", path, "-q").returncode, 0)
        path = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, None), name="BCD2")
        p, doc = run_json(*HEALTHY, "--bcd", path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("not set", check(doc, "bcd.hypervisorlaunchtype")["summary"])

    def test_unknown_value_warns_with_the_number(self):
        p, doc = self.judge(element(ENTRY, LAUNCHTYPE, hives.integer(5)))
        self.assertEqual(doc["facts"]["bcd"]["hypervisorlaunchtype"], 5)
        self.assertEqual(check(doc, "bcd.hypervisorlaunchtype")["status"], "warn")
        self.assertIn("value 5", check(doc, "bcd.hypervisorlaunchtype")["summary"])
        self.assertEqual(p.returncode, 0)

    def test_inherited_from_hypervisorsettings(self):
        p, doc = self.judge(element(HYPERVISORSETTINGS, LAUNCHTYPE, hives.integer(1)))
        self.assertEqual(p.returncode, 0)
        c = check(doc, "bcd.hypervisorlaunchtype")
        self.assertEqual(c["evidence"]["set_in"],
                         {"value": f"{HYPERVISORSETTINGS} {{hypervisorsettings}}", "source": "inherited"})
        # the entry's own Off wins over the inherited Auto
        p, doc = self.judge(element(HYPERVISORSETTINGS, LAUNCHTYPE, hives.integer(1)),
                            element(ENTRY, LAUNCHTYPE, hives.integer(0)))
        self.assertEqual(p.returncode, 1)
        self.assertEqual(doc["facts"]["bcd"]["hypervisorlaunchtype"], "Off")

    def test_nx_always_off_fails(self):
        p, doc = self.judge(element(ENTRY, LAUNCHTYPE, hives.integer(1)),
                            element(ENTRY, NX, hives.integer(2)))
        self.assertEqual(p.returncode, 1)
        self.assertEqual(doc["facts"]["bcd"]["nx"], "AlwaysOff")
        self.assertEqual(check(doc, "bcd.nx")["status"], "fail")
        self.assertIn(f"bcdedit /set {ENTRY} nx OptIn", check(doc, "bcd.nx")["remedy"])
        for value, name in ((1, "OptOut"), (3, "AlwaysOn")):
            p, doc = self.judge(element(ENTRY, LAUNCHTYPE, hives.integer(1)),
                                element(ENTRY, NX, hives.integer(value)))
            self.assertEqual((p.returncode, doc["facts"]["bcd"]["nx"]), (0, name))

    def test_hypervisor_debug_and_options_warn(self):
        p, doc = self.judge(element(ENTRY, LAUNCHTYPE, hives.integer(1)),
                            element(ENTRY, HVDEBUG, hives.boolean(True)),
                            element(ENTRY, HVSLATOFF, hives.boolean(True)),
                            element(ENTRY, HVNUMPROC, hives.integer(4)),
                            element(ENTRY, HVIOMMU, hives.integer(1)))
        self.assertEqual((p.returncode, doc["verdict"]), (0, "pass"))  # advisory
        st = statuses(doc)
        self.assertEqual((st["bcd.hypervisordebug"], st["bcd.hypervisorsettings"]), ("warn", "warn"))
        self.assertEqual(check(doc, "bcd.hypervisorsettings")["summary"],
                         "SLAT disabled for the hypervisor; hypervisornumproc 4; IOMMU policy Enable")
        bcd = doc["facts"]["bcd"]
        self.assertEqual((bcd["hypervisordebug"], bcd["hypervisordisableslat"], bcd["hypervisornumproc"],
                          bcd["hypervisoriommupolicy"]), (True, True, 4, "Enable"))

    def test_hypervisor_debugger_says_what_it_does(self):
        p, doc = self.judge(element(ENTRY, LAUNCHTYPE, hives.integer(1)),
                            element(ENTRY, HVDEBUG, hives.boolean(True)))
        c = check(doc, "bcd.hypervisordebug")
        self.assertEqual(c["summary"], "on: the hypervisor debugger is enabled, talking to a debugger host over "
                                       "the serial, 1394 or network link that hypervisordebugtype names")
        self.assertIn("bcdedit /hypervisorsettings", c["remedy"])

    def test_non_ascii_description_is_valid_utf8(self):
        p, doc = self.judge(element(ENTRY, DESCRIPTION, hives.string("Windows\u00a0Server \u00e9t\u00e9")))
        self.assertEqual(doc["facts"]["bcd"]["description"], "Windows\u00a0Server \u00e9t\u00e9")
        raw = run(*HEALTHY, "--bcd", os.path.join(self.tmp, "BCD"), "-f", "json")
        self.assertIn("Windows\u00a0Server", raw.stdout)
        memdiag = run_json(*HEALTHY, "--bcd", os.path.join(hives.BCD, "h1ppy_0pts-bitpixie__Boot_BCD"),
                           "--bcd-entry", "{memdiag}")[1]
        self.assertEqual(memdiag["facts"]["bcd"]["description"], "Диагностика памяти")

    def test_cycle_is_unknown_and_named(self):
        p, doc = self.judge(element(HYPERVISORSETTINGS, INHERIT, hives.object_list(BOOTLOADERSETTINGS)))
        self.assertEqual((p.returncode, doc["verdict"]), (2, "unknown"))
        c = check(doc, "bcd.entry")
        self.assertEqual(c["status"], "unknown")
        self.assertEqual(c["summary"], f"inheritance cycle: {BOOTLOADERSETTINGS} -> {HYPERVISORSETTINGS}"
                                       f" -> {BOOTLOADERSETTINGS}")
        self.assertEqual(check(doc, "bcd.hypervisorlaunchtype")["status"], "skip")
        self.assertEqual(doc["facts"]["bcd"]["error"], c["summary"])

    def test_dangling_default_is_unknown(self):
        nowhere = "{00000000-1111-2222-3333-444444444444}"
        p, doc = self.judge(element(BOOTMGR, DEFAULT, hives.string(nowhere)))
        self.assertEqual(p.returncode, 2)
        self.assertEqual(check(doc, "bcd.entry")["summary"],
                         f"{{bootmgr}}'s default entry {nowhere} is not in the store")
        self.assertIsNone(doc["facts"]["bcd"]["entry"])

    def test_wrong_type_is_unknown_not_guessed(self):
        p, doc = self.judge(element(ENTRY, LAUNCHTYPE, hives.string("Auto")))
        self.assertEqual(p.returncode, 2)
        c = check(doc, "bcd.hypervisorlaunchtype")
        self.assertEqual(c["status"], "unknown")
        self.assertIn("is REG_SZ of 10 bytes; expected an 8-byte REG_BINARY integer", c["summary"])
        p, doc = self.judge(element(ENTRY, LAUNCHTYPE, "hex(3):01,00,00"))
        self.assertIn("REG_BINARY of 3 bytes", check(doc, "bcd.hypervisorlaunchtype")["summary"])

    def test_choosing_an_entry(self):
        # the store's recovery entry, named in upper case: Windows PE,
        # whatever its launch type says
        recovery = "{e018a2d1-b134-11ea-95b2-81f0ac71b75b}"
        p, doc = self.judge(element(recovery, LAUNCHTYPE, hives.integer(1)),
                            args=("--bcd-entry", recovery.upper()))
        self.assertEqual(p.returncode, 2)
        self.assertEqual((doc["facts"]["bcd"]["entry"], doc["facts"]["bcd"]["default_entry"]),
                         (recovery, ENTRY))
        self.assertEqual(doc["facts"]["bcd"]["description"], "Windows Recovery Environment")
        self.assertIn("--bcd-entry ID", check(doc, "bcd.entry")["remedy"])
        other = "{0d0e0a0d-0000-4000-8000-00000000abcd}"
        p, doc = self.judge(*os_loader(other, "Windows 10 copy", launchtype=1),
                            args=("--bcd-entry", other.upper()))
        self.assertEqual(doc["facts"]["bcd"]["entry"], other)
        self.assertEqual(check(doc, "bcd.hypervisorlaunchtype")["status"], "pass")
        p, doc = self.judge(args=("--bcd-entry", "{bootmgr}"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("is the Windows boot manager (type 0x10100002), not a Windows OS loader entry",
                      check(doc, "bcd.entry")["summary"])
        p, doc = self.judge(args=("--bcd-entry", "{current}"))
        self.assertEqual(doc["facts"]["bcd"]["entry"], ENTRY)


class NextBoot(unittest.TestCase):
    """{bootmgr}'s one-time bootsequence (0x24000002) decides the next boot
    over the default: bcdedit /bootsequence, and Microsoft's Credential
    Guard opt-out (SecConfig.efi run once through an OS loader entry)."""
    ONCE = "{0d0e0a0d-0000-4000-8000-00000000abcd}"
    MEMDIAG = "{b2721d73-1db4-4c62-bf78-c548a880142d}"

    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def judge(self, default, once, *sequence, args=()):
        path = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(default)),
                          *os_loader(self.ONCE, "Windows 10 once", launchtype=once),
                          element(BOOTMGR, BOOTSEQUENCE, hives.object_list(*sequence)))
        return path, run_json(*HEALTHY, "--bcd", path, *args)

    def test_bootsequence_off_fails_though_the_default_is_auto(self):
        path, (p, doc) = self.judge(1, 0, self.MEMDIAG, self.ONCE)
        self.assertEqual((p.returncode, doc["verdict"]), (1, "fail"))
        bcd = doc["facts"]["bcd"]
        self.assertEqual((bcd["entry"], bcd["default_entry"], bcd["hypervisorlaunchtype"]),
                         (self.ONCE, ENTRY, "Off"))
        self.assertEqual(bcd["bootsequence"], [self.MEMDIAG, self.ONCE])
        c = check(doc, "bcd.hypervisorlaunchtype")
        self.assertEqual(c["summary"], 'Off in "Windows 10 once" (next boot: one-time bootsequence overrides '
                                       "the default)")
        self.assertIn(f"bcdedit /bootsequence {self.ONCE} /remove", c["remedy"])
        e = check(doc, "bcd.entry")
        self.assertEqual(e["status"], "warn")  # the memory tester runs first, once
        self.assertEqual(e["summary"], "next boot: once {memdiag} (a memory tester), not the installed "
                                       f'Windows (no hypervisor then); then "Windows 10 once" {self.ONCE} '
                                       "(bootsequence)")
        self.assertEqual(e["evidence"]["runs_first"]["value"], "{memdiag} (a memory tester)")
        text = run(*HEALTHY, "--bcd", path).stdout
        self.assertIn(f'bcd:     "Windows 10 once" {self.ONCE} (next boot: one-time bootsequence) in {path}',
                      text)
        # the default is still there to judge by name
        p, doc = run_json(*HEALTHY, "--bcd", path, "--bcd-entry", "default")
        self.assertEqual((doc["facts"]["bcd"]["entry"], check(doc, "bcd.hypervisorlaunchtype")["status"]),
                         (ENTRY, "pass"))

    def test_bootsequence_auto_passes_though_the_default_is_off(self):
        path, (p, doc) = self.judge(0, 1, self.ONCE)
        self.assertEqual(doc["facts"]["bcd"]["entry"], self.ONCE)
        c = check(doc, "bcd.hypervisorlaunchtype")
        self.assertEqual(c["status"], "pass")
        self.assertEqual(c["summary"], "Auto, for the next boot only: the one-time bootsequence overrides the "
                                       f"default {ENTRY} (--bcd-entry default judges it)")
        self.assertNotEqual(doc["verdict"], "fail")

    def test_a_program_run_once_first_is_not_the_next_windows(self):
        # Microsoft's Credential Guard opt-out: SecConfig.efi runs once
        # through an OS loader entry, then the default boots
        tool = "{0cb3b571-2f2e-4343-a879-d86a476d7215}"
        path = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(1)),
                          *os_loader(tool, "DebugTool", path="\\EFI\\Microsoft\\Boot\\SecConfig.efi"),
                          element(BOOTMGR, BOOTSEQUENCE, hives.object_list(tool)))
        p, doc = run_json(*HEALTHY, "--bcd", path)
        self.assertEqual(doc["facts"]["bcd"]["entry"], ENTRY)
        self.assertEqual(check(doc, "bcd.hypervisorlaunchtype")["status"], "pass")
        self.assertEqual(check(doc, "bcd.entry")["evidence"]["runs_first"]["value"],
                         f"{tool} (runs \\EFI\\Microsoft\\Boot\\SecConfig.efi)")


class BadStores(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        with open(os.path.join(hives.BCD, STORE), "rb") as f:
            self.data = f.read()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, data, name="BCD"):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def assert_refused(self, path, code, message):
        out = os.path.join(self.tmp, "report.json")
        p = run(*HEALTHY, "--bcd", path, "-f", "json", "-o", out)
        assert_one_line_error(self, p, code, path, message)
        self.assertFalse(os.path.exists(out))  # no partial report

    def test_missing_unreadable_and_not_files(self):
        self.assert_refused(os.path.join(self.tmp, "nope"), 66, "No such file or directory")
        self.assert_refused(self.tmp, 66, "not a regular file")

    def test_not_a_hive(self):
        self.assert_refused(self.write(b""), 65, "not a registry hive")
        self.assert_refused(self.write(b"Windows Registry Editor Version 5.00\n"), 65, "not a registry hive")
        self.assert_refused(self.write(b"\x7fELF" + bytes(5000)), 65, "not a registry hive")

    def test_truncated(self):
        for size in (4, 100, 4095):
            self.assert_refused(self.write(self.data[:size]), 65, "truncated registry hive")
        for size in (4096, 4096 + 17, 8192):
            self.assert_refused(self.write(self.data[:size]), 65, "corrupt registry hive")

    def test_a_hive_that_is_not_a_bcd_store(self):
        path = hives.copy(self.tmp, STORE, "[-\\Objects]\n")
        self.assert_refused(path, 65, "a registry hive, but not a BCD store (no Objects key)")

    def test_flipped_bytes_never_crash(self):
        # Flip bytes across the whole file: each copy is refused in one
        # line, or read and judged; never a crash, never a partial report.
        for offset in list(range(0, 4096, 211)) + list(range(4096, len(self.data), 1499)):
            with self.subTest(offset=offset):
                data = bytearray(self.data)
                data[offset] ^= 0xFF
                path = self.write(bytes(data))
                p = run(*HEALTHY, "--bcd", path, "-f", "json")
                self.assertIn(p.returncode, (0, 1, 2, 65), p.stderr)
                if p.returncode == 65:
                    self.assertEqual((p.stdout, len(p.stderr.strip().splitlines())), ("", 1))
                else:
                    json.loads(p.stdout)

    def test_bad_options(self):
        path = os.path.join(hives.BCD, STORE)
        for args in (["--bcd-entry", "{nosuch}"], ["--bcd-entry", "1234"],
                     ["--bcd", path, "--esp", self.tmp], ["--bcd"]):
            p = run(*args)
            self.assertEqual(p.returncode, 64, args)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1)


class Partitions(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_esp_names_match_in_any_case(self):
        for place in ("EFI/Microsoft/Boot", "efi/MICROSOFT/BOOT", "Boot"):
            with self.subTest(place=place):
                root = tempfile.mkdtemp(dir=self.tmp)
                os.makedirs(os.path.join(root, place))
                name = "bcd" if place.islower() else "BCD"
                shutil.copyfile(os.path.join(hives.BCD, STORE), os.path.join(root, place, name))
                p, doc = run_json(*HEALTHY, "--esp", root)
                self.assertEqual(doc["facts"]["bcd"]["path"], os.path.join(root, place, name))
                self.assertEqual(doc["facts"]["bcd"]["entry"], ENTRY)

    def test_esp_without_a_store(self):
        p = run(*HEALTHY, "--esp", self.tmp)
        self.assertEqual(p.returncode, 66)
        self.assertIn(f"{self.tmp}: no EFI/Microsoft/Boot/BCD or Boot/BCD here", p.stderr)
        p = run(*HEALTHY, "--esp", os.path.join(self.tmp, "nope"))
        self.assertEqual(p.returncode, 66)

    def test_bundle_carries_the_store(self):
        src = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(0)))
        bundle = os.path.join(self.tmp, "bundle")
        p = run("collect", "-o", bundle, "--bcd", src)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(src, "rb") as a, open(os.path.join(bundle, "bcd"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        live = run_json("--bcd", src)[1]
        saved = run_json("--from", bundle)[1]
        self.assertEqual(saved["target"], "hyperv")
        self.assertEqual(saved["facts"]["bcd"]["origin"], "bundle")
        self.assertEqual(saved["facts"]["bcd"]["path"], src)  # the original's name
        for doc in (live, saved):
            doc["facts"]["bcd"].pop("origin")
            doc.pop("source")
            check(doc, "bcd.entry")["evidence"]["store"].pop("source")  # --bcd / bundle
        self.assertEqual(live["facts"]["bcd"], saved["facts"]["bcd"])
        self.assertEqual(live["checks"], saved["checks"])

    @unittest.skipUnless(os.environ.get("HVPROBE_STATIC") and os.geteuid() == 0 and
                         subprocess.run(["chroot", "/", "true"], capture_output=True).returncode == 0,
                         "needs hvprobe-static and root allowed to chroot")
    def test_static_binary_reads_stores_in_an_empty_root(self):
        # Rescue media and initramfs images have no gconv modules; hivex's
        # name conversions must work without them.
        root = os.path.join(self.tmp, "root")
        os.mkdir(root)
        shutil.copy(os.environ["HVPROBE_STATIC"], os.path.join(root, "hvprobe"))
        shutil.copyfile(os.path.join(hives.BCD, "h1ppy_0pts-bitpixie__Boot_BCD"), os.path.join(root, "BCD"))
        shutil.copyfile(GOOD_CPU[1], os.path.join(root, "cpuid.txt"))
        args = ["--bcd-entry", "all", "-f", "json"]
        p = subprocess.run(["chroot", root, "/hvprobe", "--cpuid-dump", "/cpuid.txt", "--bcd", "/BCD", *args],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2, p.stderr)  # its default starts Windows PE
        inside = json.loads(p.stdout)["facts"]["bcd"]
        outside = run_json("--cpuid-dump", GOOD_CPU[1], "--bcd", os.path.join(root, "BCD"), *args[:2])[1]
        outside = outside["facts"]["bcd"]
        inside.pop("path"), outside.pop("path")
        self.assertEqual(inside, outside)
        self.assertEqual(inside["entry"], "{e9f88ef3-fa6f-11eb-a962-ef6fc553cae8}")

    def test_live_search_is_reported(self):
        # This host may or may not have a Windows partition mounted: the
        # report says what was searched either way, and the default target
        # follows what was found.
        p, doc = run_json()
        bcd = doc["facts"]["bcd"]
        with open("/proc/mounts") as f:
            candidates = [line.split()[1] for line in f
                          if line.split()[2] in ("vfat", "msdos", "ntfs", "ntfs3", "fuseblk")]
        if not candidates:
            self.assertEqual(bcd["search"], "no FAT or NTFS partition is mounted")
            self.assertIsNone(bcd["origin"])
        else:
            self.assertTrue(bcd["search"].startswith("searched "), bcd["search"])
            for mount in candidates:
                self.assertIn(mount, bcd["search"])
        self.assertEqual(doc["target"], "hyperv" if bcd["origin"] else "kvm")


if __name__ == "__main__":
    unittest.main()
