"""End-to-end tests of the one list of updates installed or waiting for the
restart (probe/updates.c, docs/windows.md "Where Windows records updates"):
Component Based Servicing's packages in every naming form (a monthly
rollup's KB only in its InstallLocation), the Windows Update client's
events in System, the servicing events in Setup, and the restart markers.
updates.known_bad and the launch timeline judge each update alike.

The staged host is the founding incident's: Windows Server 2012 R2 (build
9600) booting by UEFI, where KB5009624 stops the hypervisor and KB5010794
fixes it (data/known-issues.txt). Hives are real ones made by
hivexregedit; logs are written by the test-only EVTX writer and, where the
fixtures have them, real logs of Windows 11 and Server 2012 R2.
"""
import datetime
import json
import os
import shutil
import tempfile
import unittest

import hives
import logs
from hives import LAUNCHTYPE, element
from test_bcd import ENTRY, GOOD_FIRMWARE, STORE
from test_cli import FIXTURES, run

EVTX = os.path.join(FIXTURES, "evtx")
# The monthly rollup as Windows Update leaves it on disk: the KB is only in
# the file it was installed from (docs/windows.md).
ROLLUP = "Package_for_RollupFix~31bf3856ad364e35~amd64~~9600.20207.1.4"
ROLLUP_CAB = ("C:\\Windows\\SoftwareDistribution\\Download\\45c607e11a3b77e9e67a19227e0ffa65\\"
              "Windows8.1-KB5009624-x64.cab")
NIGHT = logs.at("2022-01-12T02:00:00")
MINUTE = datetime.timedelta(minutes=1)


def filetime(t):
    return int((t - logs.at("1601-01-01T00:00:00")).total_seconds()) * 10_000_000


def check(doc, cid):
    return next(c for c in doc["checks"] if c["id"] == cid)


def item(doc, name):
    return next(i for i in doc["facts"]["installed"]["items"] if i["name"] == name)


class Staged(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.n = 0

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def volume(self, extra=(), updates=(), system=None, system_log=None, setup_log=None):
        """A Server 2012 R2 volume booting by UEFI with these SOFTWARE
        blocks, SYSTEM arguments and logs (event lists)."""
        self.n += 1
        where = os.path.join(self.tmp, f"v{self.n}")
        os.makedirs(where)
        written = {}
        if system_log is not None:
            written["System.evtx"] = lambda p: logs.write(p, system_log)
        if setup_log is not None:
            written["Setup.evtx"] = lambda p: logs.write(p, setup_log)
        return hives.windows_volume(where, updates, system_hive=system or True, logs=written or None,
                                    extra=extra)

    def judge(self, vol, *more):
        store = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(1)),
                           name=f"BCD{self.n}")
        p = run(*GOOD_FIRMWARE, "--bcd", store, "--windows", vol, "-t", "hyperv-2012r2", "-f", "json",
                *more)
        self.assertIn(p.returncode, (0, 1, 2), p.stderr)
        return p, json.loads(p.stdout)


class CbsNamingForms(Staged):
    def test_a_rollup_named_only_by_its_cab_waits_for_the_restart(self):
        """Package_for_RollupFix carries no KB; its InstallLocation does.
        Install pending (0x60): the gate FAILs before anyone restarts."""
        vol = self.volume(extra=[hives.cbs_package(ROLLUP, 0x60, filetime(NIGHT),
                                                   InstallLocation=ROLLUP_CAB)])
        p, doc = self.judge(vol)
        c = check(doc, "updates.known_bad")
        self.assertEqual(c["status"], "fail", c["summary"])
        self.assertIn("KB5009624 waits for the restart", c["summary"])
        self.assertIn("after the next restart it will not start", c["summary"])
        self.assertTrue(c["remedy"].startswith("before you restart, KB5009624"), c["remedy"])
        self.assertIn("KB5010794", c["remedy"])
        it = item(doc, "KB5009624")
        self.assertEqual((it["state"], it["sources"], it["version"]), ("install-pending", ["cbs"], ROLLUP))
        self.assertEqual(doc["next_boot_verdict"], "fail")
        self.assertEqual(doc["facts"]["installed"]["unnamed_rollups"], 0)

    def test_numbered_package_and_install_name(self):
        """Package_123_for_KB... (a sub-package) and a rollup whose KB is in
        InstallName alone are both the update of their KB."""
        vol = self.volume(extra=[
            hives.cbs_package("Package_123_for_KB5009624~31bf3856ad364e35~amd64~~6.3.1.4", 0x70,
                              filetime(NIGHT)),
            hives.cbs_package("Package_for_RollupFix~31bf3856ad364e35~amd64~~9600.20246.1.2", 0x70,
                              filetime(NIGHT), InstallName="Windows8.1-KB5010794-x64.mum")])
        _, doc = self.judge(vol)
        self.assertEqual(item(doc, "KB5009624")["state"], "installed")
        self.assertEqual(item(doc, "KB5010794")["state"], "installed")
        c = check(doc, "updates.known_bad")
        self.assertEqual(c["status"], "pass", c["summary"])  # its fix is installed
        self.assertIn("superseded: its fix KB5010794 is installed", c["evidence"]["KB5009624"]["value"])

    def test_a_rollup_that_names_no_kb_is_counted(self):
        vol = self.volume(extra=[hives.cbs_package(ROLLUP, 0x70, filetime(NIGHT),
                                                   InstallLocation="D:\\updates\\rollup.cab")])
        _, doc = self.judge(vol)
        self.assertEqual(doc["facts"]["installed"]["unnamed_rollups"], 1)
        self.assertEqual(check(doc, "updates.known_bad")["status"], "pass")


class EventLogs(Staged):
    def test_servicing_says_the_reboot_is_needed(self):
        """SOFTWARE holds a rollup it cannot name; Setup's servicing events
        name KB5009624 and say a reboot is necessary (4) with no change
        after it (2): it waits for the restart."""
        vol = self.volume(
            extra=[hives.cbs_package(ROLLUP, 0x60, filetime(NIGHT), InstallLocation="rollup.cab")],
            setup_log=[logs.servicing(NIGHT, "KB5009624", 1), logs.servicing(NIGHT + MINUTE, "KB5009624", 4)])
        _, doc = self.judge(vol)
        it = item(doc, "KB5009624")
        self.assertEqual((it["state"], it["sources"]), ("install-pending", ["servicing-event"]))
        c = check(doc, "updates.known_bad")
        self.assertEqual(c["status"], "fail")
        self.assertIn("after the next restart it will not start", c["summary"])
        self.assertIn("Setup log (Servicing)", c["evidence"]["KB5009624"]["source"])

    def test_the_client_and_servicing_name_one_update(self):
        """Windows Update's 19 in System and Servicing's 2 in Setup: one
        item with both sources, beside SOFTWARE's."""
        vol = self.volume(updates=[("KB5009624", 0x70, filetime(NIGHT))],
                          system_log=[logs.boot(NIGHT - 60 * MINUTE), logs.installed(NIGHT, "KB5009624")],
                          setup_log=[logs.servicing(NIGHT, "KB5009624", 2)])
        _, doc = self.judge(vol)
        kbs = [i for i in doc["facts"]["installed"]["items"] if i["name"] == "KB5009624"]
        self.assertEqual(len(kbs), 1)
        self.assertEqual(kbs[0]["sources"], ["cbs", "windows-update-event", "servicing-event"])

    def test_removed_since_the_log_recorded_it(self):
        """SOFTWARE, read and naming every package, no longer holds it: the
        log's installation is history, not an update in effect."""
        vol = self.volume(system_log=[logs.installed(NIGHT, "KB5009624")])
        _, doc = self.judge(vol)
        self.assertEqual([i["name"] for i in doc["facts"]["installed"]["items"]], [])
        self.assertEqual(check(doc, "updates.known_bad")["status"], "pass")

    def test_logs_alone_fail_but_never_pass(self):
        log = logs.write(os.path.join(self.tmp, "Setup.evtx"),
                         [logs.servicing(NIGHT, "KB5009624", 1), logs.servicing(NIGHT + MINUTE, "KB5009624", 4)])
        p = run(*GOOD_FIRMWARE, "--evtx", log, "-t", "hyperv-2012r2", "-f", "json")
        doc = json.loads(p.stdout)
        c = check(doc, "updates.known_bad")
        # the build and firmware are not known from a log: undecided, naming it
        self.assertEqual(c["status"], "unknown")
        self.assertIn("KB5009624", c["summary"])
        clean = logs.write(os.path.join(self.tmp, "System.evtx"), [logs.installed(NIGHT, "KB5008868")])
        doc = json.loads(run(*GOOD_FIRMWARE, "--evtx", clean, "-t", "hyperv-2012r2", "-f", "json").stdout)
        c = check(doc, "updates.known_bad")
        self.assertEqual(c["status"], "unknown")
        self.assertIn("the installed list itself was not read", c["summary"])
        self.assertFalse(doc["facts"]["installed"]["complete"])


class RemovedSince(Staged):
    def test_the_timeline_does_not_call_a_removed_update_applying(self):
        """SOFTWARE no longer holds KB5009624; the System log recorded its
        installation before a failed boot: the check passes and the
        timeline says it was removed since, not that it applies."""
        t0 = logs.at("2022-01-09T07:00:00")
        events = logs.boots_with(t0, ["launched"] * 3) + [logs.installed(NIGHT, "KB5009624")]
        boot = NIGHT + datetime.timedelta(hours=3)
        events += [logs.boot(boot), logs.failed(boot + datetime.timedelta(seconds=2))]
        _, doc = self.judge(self.volume(system_log=events))
        self.assertEqual(check(doc, "updates.known_bad")["status"], "pass")
        launch = doc["facts"]["launch"]
        marks = {i["known_bad_judgement"] for i in launch["installs"] + launch["suspects"]}
        self.assertEqual(marks, {"removed since"})


class Compare(Staged):
    def test_the_gate_sees_the_rollup_waiting_and_the_restart_marker(self):
        """Before patching: nothing. After (before the restart): the rollup
        waiting under its RollupFix name and CBS RebootPending. compare is
        the gate: a regression naming KB5009624, the marker as a change, and
        none of the list's own bookkeeping as one."""
        store = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(1)), name="BCDc")
        before = os.path.join(self.tmp, "before.json")
        p = run("snapshot", "-o", before, *GOOD_FIRMWARE, "--bcd", store, "--windows", self.volume(),
                "-t", "hyperv-2012r2")
        self.assertIn(p.returncode, (0, 1, 2), p.stderr)
        after = self.volume(extra=[hives.CBS_REBOOT_PENDING,
                                   hives.cbs_package(ROLLUP, 0x60, filetime(NIGHT), InstallLocation=ROLLUP_CAB)])
        p = run("compare", before, *GOOD_FIRMWARE, "--bcd", store, "--windows", after, "-t", "hyperv-2012r2",
                "-f", "json")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        doc = json.loads(p.stdout)
        self.assertEqual([r["id"] for r in doc["regressions"]], ["updates.known_bad"])
        self.assertIn("after the next restart it will not start", doc["regressions"][0]["summary"])
        keys = {ch["key"] for group in doc["changes"].values() if isinstance(group, list)
                for ch in group if isinstance(ch, dict) and "key" in ch}
        self.assertIn("installed.restart_pending.cbs_reboot_pending", keys)
        self.assertFalse({"installed.complete", "installed.unnamed_rollups"} & keys)
        added = [u["after"]["name"] for u in doc["changes"]["updates"] if u["change"] == "added"]
        self.assertEqual(added, ["KB5009624"])


class RealLogs(unittest.TestCase):
    """The fixtures' own records (UserData, states as numbers on Windows 11)."""

    def judge(self, *names):
        args = [a for n in names for a in ("--evtx", os.path.join(EVTX, n))]
        p = run(*GOOD_FIRMWARE, *args, "-t", "hyperv", "-f", "json")
        return json.loads(p.stdout)["facts"]["installed"]["items"]

    def test_windows_11_rollup_installed_and_one_waiting(self):
        items = {i["name"]: i for i in self.judge("win11-rathbunvm-Setup.evtx", "win11-rathbunvm-System.evtx")}
        # 1, 4, the restart, then 2 and the client's 19: installed
        self.assertEqual(items["KB5009566"]["state"], "installed")
        self.assertEqual(items["KB5009566"]["sources"], ["windows-update-event", "servicing-event"])
        self.assertIn("Cumulative Update for Windows 11", items["KB5009566"]["version"])
        # 1 and 4 with no 2 when the log was taken: waiting for the restart
        self.assertEqual(items["KB5010386"]["state"], "install-pending")
        self.assertEqual(items["KB5010386"]["sources"], ["servicing-event"])
        # antivirus definitions are no update of the list
        self.assertNotIn("KB2267602", items)

    def test_server_2012_r2_states_as_text(self):
        items = {i["name"]: i for i in self.judge("ws2012r2-stolenszechuan-Setup.evtx",
                                                  "ws2012r2-stolenszechuan-System.evtx")}
        self.assertEqual(items["KB2999226"]["state"], "installed")
        self.assertEqual(items["KB2999226"]["sources"], ["windows-update-event", "servicing-event"])


class RestartMarkers(Staged):
    def night(self, extra=(), **system):
        """KB5009624 installed (0x70) at night, after the last boot."""
        return self.volume(extra=extra, updates=[("KB5009624", 0x70, filetime(NIGHT))],
                           system=system or None,
                           system_log=[logs.boot(NIGHT - 60 * MINUTE), logs.launched(NIGHT - 59 * MINUTE)])

    def test_installed_after_this_boot_with_a_restart_pending(self):
        for marker, words in ((hives.CBS_REBOOT_PENDING, "CBS RebootPending"),
                              (hives.WU_REBOOT_REQUIRED, "Windows Update RebootRequired")):
            with self.subTest(marker=words):
                _, doc = self.judge(self.night(extra=[marker]))
                c = check(doc, "updates.known_bad")
                self.assertEqual(c["status"], "fail")
                self.assertIn("KB5009624 waits for the restart", c["summary"])
                self.assertIn(f"a restart is pending ({words}) and it was installed after this boot "
                              "began", c["evidence"]["KB5009624"]["value"])
                self.assertTrue(c["remedy"].startswith("before you restart"))
                self.assertEqual(doc["next_boot_verdict"], "fail")

    def test_no_marker_means_in_effect(self):
        _, doc = self.judge(self.night())
        c = check(doc, "updates.known_bad")
        self.assertEqual(c["status"], "fail")
        self.assertIn("KB5009624 is installed and is known to stop the hypervisor", c["summary"])
        # a key missing from a hive file taken offline proves nothing
        self.assertNotIn("cbs_reboot_pending", c["evidence"])
        restart = doc["facts"]["installed"]["restart_pending"]
        self.assertEqual((restart["cbs_reboot_pending"], restart["wu_reboot_required"]), (None, None))

    def test_installed_before_this_boot_is_in_effect_despite_a_marker(self):
        """The marker is about some other change: the update was there
        when this boot began, so it is in effect, not waiting."""
        vol = self.volume(extra=[hives.CBS_REBOOT_PENDING], updates=[("KB5009624", 0x70, filetime(NIGHT))],
                          system_log=[logs.boot(NIGHT + 60 * MINUTE), logs.launched(NIGHT + 61 * MINUTE)])
        _, doc = self.judge(vol)
        c = check(doc, "updates.known_bad")
        self.assertIn("KB5009624 is installed and is known", c["summary"])
        self.assertEqual(c["evidence"]["KB5009624"]["value"], "installed, applies: it is in effect")
        self.assertEqual(c["evidence"]["cbs_reboot_pending"]["value"], True)

    def test_the_verdict_says_this_boot_launches_and_the_next_will_not(self):
        """The hypervisor launched at this boot and KB5009624 came after it
        with a restart pending: only the next boot fails."""
        vol = self.night(extra=[hives.CBS_REBOOT_PENDING])
        store = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(1)), name="BCDv")
        p = run(*GOOD_FIRMWARE, "--bcd", store, "--windows", vol, "-t", "hyperv-2012r2")
        self.assertEqual(p.returncode, 1)
        self.assertIn("verdict: FAIL    Hyper-V (Windows Server 2012 R2) can launch at this boot, but will "
                      "not after the next restart; failed: updates.known_bad", p.stdout)

    def test_a_running_hypervisor_and_a_marker_with_no_time(self):
        """A Hyper-V root partition (real CPUID dump) proves the update in
        effect fine, unless it may be what the pending restart brings in:
        with no install time and no System log, that is not known."""
        root_partition = ["--cpuid-dump", os.path.join(FIXTURES, "cpuid",
                                                       "intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt")]
        vol = self.volume(extra=[hives.CBS_REBOOT_PENDING,
                                 hives.cbs_package("Package_for_KB5009624~31bf3856ad364e35~amd64~~6.3.1.4", 0x70)])
        store = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(1)), name="BCDr")
        doc = json.loads(run(*root_partition, "--bcd", store, "--windows", vol, "-t", "hyperv-2012r2",
                             "-f", "json").stdout)
        c = check(doc, "updates.known_bad")
        self.assertEqual(c["status"], "unknown", c["summary"])
        self.assertIn("whether it came before this boot is not known", c["summary"])
        self.assertIn("give the System log as well", c["remedy"])
        # without the marker the running hypervisor settles it
        vol = self.volume(extra=[hives.cbs_package("Package_for_KB5009624~31bf3856ad364e35~amd64~~6.3.1.4", 0x70)])
        doc = json.loads(run(*root_partition, "--bcd", store, "--windows", vol, "-t", "hyperv-2012r2",
                             "-f", "json").stdout)
        self.assertEqual(check(doc, "updates.known_bad")["status"], "pass")

    def test_file_renames_alone_name_no_update(self):
        """Installers and antivirus leave PendingFileRenameOperations too:
        counted and shown, never a reason on its own."""
        renames = ["\\??\\C:\\Windows\\Temp\\a.dll", "", "\\??\\C:\\x.new", "\\??\\C:\\x.dll"]
        _, doc = self.judge(self.night(renames=renames))
        c = check(doc, "updates.known_bad")
        self.assertEqual(c["evidence"]["pending_file_renames"]["value"], 2)
        self.assertEqual(doc["facts"]["installed"]["restart_pending"]["pending_file_renames"], 2)
        self.assertIn("is installed and is known", c["summary"])


class SameJudgement(Staged):
    """updates.known_bad and the launch timeline name the same updates with
    the same judgement, from the same list."""

    def incident(self, extra=(), updates=()):
        t0 = logs.at("2022-01-09T07:00:00")
        events = logs.boots_with(t0, ["launched"] * 3)
        for i, kb in enumerate(["KB5008868", "KB5008883", "KB5009624"]):
            events.append(logs.installed(NIGHT + i * MINUTE, kb))
        boot = NIGHT + datetime.timedelta(hours=3)
        events += [logs.boot(boot), logs.failed(boot + datetime.timedelta(seconds=2))]
        return self.volume(extra=extra, updates=updates, system_log=events)

    def judgements(self, doc):
        c = check(doc, "updates.known_bad")
        in_check = {k: v["value"].split(":")[0].split(", ")[1] for k, v in c["evidence"].items()
                    if k.startswith("KB")}
        launch = doc["facts"]["launch"]
        in_timeline = {i["kb"]: i["known_bad_judgement"] for i in launch["installs"] + launch["suspects"]
                       if i["known_bad_judgement"]}
        return c, in_check, in_timeline

    def test_a_rollup_known_only_by_its_cab(self):
        """The founding night with the rollup as Windows stores it: the check
        FAILs on the same KB the timeline marks, both saying it applies."""
        vol = self.incident(extra=[hives.cbs_package(ROLLUP, 0x70, filetime(NIGHT + 2 * MINUTE),
                                                     InstallLocation=ROLLUP_CAB)])
        _, doc = self.judge(vol)
        c, in_check, in_timeline = self.judgements(doc)
        self.assertEqual(c["status"], "fail")
        self.assertEqual(in_check, {"KB5009624": "applies"})
        self.assertEqual(in_timeline, {"KB5009624": "applies"})

    def test_superseded_by_its_fix(self):
        vol = self.incident(updates=[("KB5009624", 0x70, filetime(NIGHT + 2 * MINUTE)),
                                     ("KB5010794", 0x70, filetime(NIGHT + 10 * MINUTE))])
        p, doc = self.judge(vol, "-f", "json")
        c, in_check, in_timeline = self.judgements(doc)
        self.assertEqual(c["status"], "pass")
        self.assertEqual(in_check, {"KB5009624": "superseded"})
        self.assertEqual(in_timeline, {"KB5009624": "superseded"})
        store = hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(1)), name="BCDt")
        text = run(*GOOD_FIRMWARE, "--bcd", store, "--windows", vol, "-t", "hyperv-2012r2").stdout
        self.assertIn("(KB5009624) (known bad: superseded)", text)


if __name__ == "__main__":
    unittest.main()
