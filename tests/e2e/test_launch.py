"""End-to-end tests of hv.launch and the launch timeline (facts.launch).

- Real logs (tests/fixtures/evtx): every boot and installation hvprobe
  reports agrees with what evtxexport (libevtx-utils) and python-evtx
  (python3-evtx) show for the same records, and none is missed.
- The founding incident staged on a Windows volume: BCD Auto, the Hyper-V
  services, three updates installed in one night, then a boot where the
  loader failed with 0xC00000BB. FAIL, the status explained, the timeline,
  the three suspects with KB5009624 first; the same volume with the updates
  removed and a launch after passes.
- Bad input: missing, FIFO, directory, text, truncated, corrupt and garbled
  logs; a log without boots; clocks going back; a 100 MB log.
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
import xml.etree.ElementTree as ET

import hives
import logs
from hives import LAUNCHTYPE, element
from test_bcd import ENTRY, GOOD_FIRMWARE, STORE
from test_cli import FIXTURES, assert_one_line_error, run, run_json, statuses

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "evtx"))
import evtxwriter  # noqa: E402

try:
    import Evtx.Evtx as PyEvtx
except ImportError:  # Debian's python3-evtx, seen from a pyenv or venv python3
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import Evtx.Evtx as PyEvtx
    except ImportError:
        PyEvtx = None

EVTX = os.path.join(FIXTURES, "evtx")
NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
# The CPU and firmware of the healthy host, without its System log.
CPU = GOOD_FIRMWARE
SMALL_LOG = 2 * 2 ** 20  # python-evtx reads these whole; larger ones record by record


def seconds(text):
    """ISO time from either reader, cut to whole seconds, as hvprobe keeps it."""
    text = text.replace(" ", "T").rstrip("Z")
    return datetime.datetime.fromisoformat(text[:19]).strftime("%Y-%m-%dT%H:%M:%SZ")


def relevant(root):
    """(kind, record id, fields) when a record is a boot or an installation
    in hvprobe's terms (docs/launch-events.md), else None."""
    system = root.find(NS + "System")
    provider = system.find(NS + "Provider").get("Name")
    event_id = int(system.find(NS + "EventID").text)
    channel = system.find(NS + "Channel").text
    record = int(system.find(NS + "EventRecordID").text)
    when = seconds(system.find(NS + "TimeCreated").get("SystemTime"))
    data = {}
    for d in root.iter():
        if d.tag == NS + "Data" and d.get("Name"):
            data[d.get("Name")] = d.text or ""
    user = root.find(NS + "UserData")
    if user is not None:
        for leaf in user.iter():
            if len(leaf) == 0:
                data[leaf.tag.split("}")[-1]] = leaf.text or ""
    if (provider, event_id, channel) == ("Microsoft-Windows-Kernel-General", 12, "System"):
        return ("boot", record, {"time": when})
    if provider == "Microsoft-Windows-WindowsUpdateClient" and event_id in (19, 20) and channel == "System":
        return ("install", record, {"time": when, "title": data.get("updateTitle", ""),
                                    "result": "installed" if event_id == 19 else "failed"})
    if (provider, event_id, channel) == ("Microsoft-Windows-Servicing", 2, "Setup"):
        state = data.get("IntendedPackageStateTextized", data.get("IntendedPackageState"))
        if state in ("Installed", "5112"):
            failed = int(data.get("ErrorCode") or "0", 0) != 0
            return ("install", record, {"time": when, "title": data.get("PackageIdentifier", ""),
                                        "result": "failed" if failed else "installed"})
    return None


def libevtx_relevant(path):
    out = subprocess.run(["evtxexport", "-f", "xml", path], capture_output=True, text=True).stdout
    found = {}
    for x in re.findall(r"<Event\b.*?</Event>", out, re.S):
        r = relevant(ET.fromstring(x))
        if r:
            found[(r[0], r[1])] = r[2]
    return found


def pyevtx_records(path, numbers=None):
    """python-evtx's XML of every record, or of the records numbered."""
    with PyEvtx.Evtx(path) as log:
        if numbers is None:
            for rec in log.records():
                yield rec.xml()
        else:
            for n in numbers:
                yield log.get_record(n).xml()


def hvprobe_relevant(doc):
    launch = doc["facts"]["launch"]
    found = {}
    for b in launch["boots"]:
        if b["record_id"] is not None:
            found[("boot", b["record_id"])] = {"time": b["time"]}
    for i in launch["installs"]:
        found[("install", i["record_id"])] = {"time": i["time"], "title": i["title"],
                                              "result": i["result"]}
    return found


class RealLogs(unittest.TestCase):
    """hvprobe against two independent readers on logs of real machines."""

    @classmethod
    def setUpClass(cls):
        if not shutil.which("evtxexport"):
            raise unittest.SkipTest("evtxexport not installed (Debian libevtx-utils)")

    def test_every_boot_and_installation_agrees_with_both_readers(self):
        names = sorted(f for f in os.listdir(EVTX) if f.endswith(".evtx"))
        self.assertEqual(len(names), 9)
        for name in names:
            path = os.path.join(EVTX, name)
            with self.subTest(log=name):
                p, doc = run_json(*CPU, "--evtx", path, "-t", "hyperv")
                self.assertIn(p.returncode, (1, 2), p.stderr)
                ours = hvprobe_relevant(doc)
                theirs = libevtx_relevant(path)
                self.assertEqual(ours, theirs)
                if PyEvtx is None:
                    continue
                small = os.path.getsize(path) <= SMALL_LOG
                numbers = None if small else sorted(r for _, r in theirs)
                seen = {}
                for x in pyevtx_records(path, numbers):
                    r = relevant(ET.fromstring(x))
                    if r:
                        seen[(r[0], r[1])] = r[2]
                self.assertEqual(seen, theirs)

    def test_boots_found_in_each_real_log(self):
        # Kernel-General 12 once per boot (docs/launch-events.md section 3)
        expected = {"ws2012r2-stolenszechuan-System.evtx": 11, "win11-rathbunvm-System.evtx": 5,
                    "python-evtx-tests-system.evtx": 5, "omerbenamram-evtx-samples-system.evtx": 3,
                    "ws2022-aptsimulatorvm-System.evtx": 3}
        for name, boots in expected.items():
            with self.subTest(log=name):
                _, doc = run_json(*CPU, "--evtx", os.path.join(EVTX, name))
                launch = doc["facts"]["launch"]
                self.assertEqual(len(launch["boots"]), boots)
                # no hypervisor event in any public log: every boot unknown
                self.assertEqual({b["hypervisor"] for b in launch["boots"]}, {"unknown"})
                self.assertEqual(launch["events_read"], True)

    def test_windows_11_updates_from_system_and_setup(self):
        sys_log = os.path.join(EVTX, "win11-rathbunvm-System.evtx")
        setup = os.path.join(EVTX, "win11-rathbunvm-Setup.evtx")
        _, doc = run_json(*CPU, "--evtx", sys_log, "--evtx", setup)
        titles = [i["title"] for i in doc["facts"]["launch"]["installs"]]
        self.assertIn("2022-01 Cumulative Update for Windows 11 for x64-based Systems (KB5009566)",
                      titles)
        kbs = {i["kb"] for i in doc["facts"]["launch"]["installs"]}
        self.assertIn("KB5009566", kbs)  # from the Setup log's servicing events too
        self.assertEqual(len(doc["facts"]["launch"]["logs"]), 2)


class FoundingIncident(unittest.TestCase):
    """Windows Server 2012 R2, UEFI, Auto; three updates one night; then
    0xC00000BB at the next boot."""

    NIGHT = logs.at("2022-01-12T02:00:00")

    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def store(self):
        return hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(1)))

    def volume(self, name, updates, events):
        os.makedirs(os.path.join(self.tmp, name))
        return hives.windows_volume(os.path.join(self.tmp, name), updates, system_hive=True,
                                    logs={"System.evtx": lambda p: logs.write(p, events)})

    def history(self, after):
        """Launched at three boots, the updates, then `after` (event lists)."""
        t0 = logs.at("2022-01-09T07:00:00")
        events = logs.boots_with(t0, ["launched"] * 3)
        minute = datetime.timedelta(minutes=1)
        for i, kb in enumerate(["KB5008868", "KB5008883", "KB5009624"]):
            events.append(logs.installed(self.NIGHT + i * minute, kb))
        return events + after

    def filetime(self, t):
        return int((t - logs.at("1601-01-01T00:00:00")).total_seconds()) * 10_000_000

    def updates(self):
        minute = datetime.timedelta(minutes=1)
        return [(kb, 0x70, self.filetime(self.NIGHT + i * minute))
                for i, kb in enumerate(["KB5008868", "KB5008883", "KB5009624"])]

    def test_fails_names_the_status_and_the_three_suspects(self):
        boot = self.NIGHT + datetime.timedelta(hours=3)
        events = self.history([logs.boot(boot), logs.failed(boot + datetime.timedelta(seconds=2)),
                               logs.vm_refused(boot + datetime.timedelta(minutes=5))])
        vol = self.volume("after", self.updates(), events)
        args = [*CPU, "--bcd", self.store(), "--windows", vol, "-t", "hyperv-2012r2"]
        p = run(*args)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"hv\.launch +FAIL +the hypervisor did not launch at the last "
                                   r"boot \(2022-01-12T05:00:00Z\): the operating system's boot "
                                   r"loader failed \(0xC00000BB STATUS_NOT_SUPPORTED\)\n")
        self.assertIn("fix:      0xC00000BB means a boot component refused the launch", p.stdout)
        self.assertIn("hypervisor launch timeline (4 boots, 3 installations recorded):", p.stdout)
        self.assertIn("  2022-01-12T02:02:00Z  install  KB5009624  2022-01 Security Monthly "
                      "Quality Rollup", p.stdout)
        self.assertIn("boot     hypervisor FAILED: the operating system's boot loader failed "
                      "(0xC00000BB STATUS_NOT_SUPPORTED)", p.stdout)
        suspects = p.stdout[p.stdout.index("suspects, installed between the last launch "
                                           "(2022-01-11T07:00:00Z) and the first failure"):]
        order = [suspects.index(kb) for kb in ("KB5009624", "KB5008883", "KB5008868")]
        self.assertEqual(order, sorted(order))
        self.assertIn("KB5009624  2022-01 Security Monthly Quality Rollup for Windows Server 2012 R2 "
                      "for x64-based Systems (KB5009624) (known bad: applies)", suspects)
        self.assertTrue(p.stdout.splitlines()[-1].startswith("verdict: FAIL"))

        p, doc = run_json(*args)
        launch = doc["facts"]["launch"]
        self.assertEqual(launch["intent"]["asked"], True)
        self.assertEqual(launch["intent"]["hyperv_role"], True)
        self.assertEqual(launch["intent"]["hyperv_services"], "hvboot vmms vid")
        self.assertEqual(launch["intent"]["uefi"], True)
        self.assertEqual(launch["running"], False)
        self.assertEqual([b["hypervisor"] for b in launch["boots"]],
                         ["launched", "launched", "launched", "failed"])
        failed = launch["boots"][-1]
        self.assertEqual((failed["status"], failed["status_name"]), ("0xC00000BB", "STATUS_NOT_SUPPORTED"))
        self.assertEqual(failed["event"]["id"], 80)
        self.assertEqual(failed["event"]["data"], [{"name": "NtStatus", "value": "0xc00000bb"}])
        self.assertEqual((launch["last_launched"], launch["first_failed"]),
                         ("2022-01-11T07:00:00Z", "2022-01-12T05:00:00Z"))
        self.assertEqual([s["kb"] for s in launch["suspects"]], ["KB5009624", "KB5008883", "KB5008868"])
        self.assertTrue(launch["suspects"][0]["known_bad"])  # KB5009624 (data/known-issues.txt)
        self.assertEqual([(i["kb"], i["result"]) for i in launch["installs"]],
                         [("KB5008868", "installed"), ("KB5008883", "installed"),
                          ("KB5009624", "installed")])
        check = next(c for c in doc["checks"] if c["id"] == "hv.launch")
        self.assertEqual((check["status"], check["level"]), ("fail", "required"))
        self.assertEqual(check["evidence"]["status"]["value"], "0xc00000bb")
        self.assertIn("wusa /uninstall /kb:5008883 /norestart", check["remedy"])

    def test_status_as_a_string_or_a_number_reads_the_same(self):
        boot = self.NIGHT + datetime.timedelta(hours=3)
        for status in ("0xC00000BB", "3221225659", evtxwriter.UInt32(0xC00000BB)):
            with self.subTest(status=status):
                log = logs.write(os.path.join(self.tmp, "System.evtx"), self.history(
                    [logs.boot(boot), logs.failed(boot, status=status, name="Status")]))
                _, doc = run_json(*CPU, "--evtx", log, "-t", "hyperv-2012r2")
                self.assertEqual(doc["facts"]["launch"]["boots"][-1]["status"], "0xC00000BB")

    def test_updates_removed_and_launched_again_passes(self):
        boot = self.NIGHT + datetime.timedelta(hours=3)
        later = boot + datetime.timedelta(hours=5)
        events = self.history([logs.boot(boot), logs.failed(boot), logs.boot(later),
                               logs.launched(later + datetime.timedelta(seconds=2))])
        vol = self.volume("fixed", [], events)
        p, doc = run_json(*CPU, "--bcd", self.store(), "--windows", vol, "-t", "hyperv-2012r2")
        self.assertEqual((p.returncode, doc["verdict"]), (0, "pass"), p.stdout)
        self.assertEqual(statuses(doc)["hv.launch"], "pass")
        self.assertEqual(doc["facts"]["launch"]["first_failed"], None)
        self.assertEqual(doc["facts"]["launch"]["suspects"], [])

    def test_bundle_carries_the_events_and_judges_alike(self):
        boot = self.NIGHT + datetime.timedelta(hours=3)
        events = self.history([logs.boot(boot), logs.failed(boot)])
        vol = self.volume("host", self.updates(), events)
        log = os.path.join(vol, "Windows", "System32", "winevt", "Logs", "System.evtx")
        bundle = os.path.join(self.tmp, "bundle")
        args = [*CPU, "--bcd", self.store(), "--windows", vol]
        p = run("collect", "-o", bundle, *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(bundle, "events.txt")) as f:
            pieces = f.read()
        self.assertLess(len(pieces), os.path.getsize(log))  # the records used, not the log
        _, direct = run_json(*args, "-t", "hyperv-2012r2")
        _, again = run_json("--from", bundle, "-t", "hyperv-2012r2")
        for key in ("intent", "running", "boots", "installs", "suspects", "first_failed",
                    "last_launched"):
            self.assertEqual(again["facts"]["launch"][key], direct["facts"]["launch"][key], key)
        self.assertEqual(again["facts"]["launch"]["intent"]["hyperv_services"], "hvboot vmms vid")
        self.assertEqual(statuses(again)["hv.launch"], "fail")

    def test_compare_names_the_lost_hypervisor(self):
        root = os.path.join(FIXTURES, "cpuid", "intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt")
        store = self.store()
        before = os.path.join(self.tmp, "before.json")
        self.assertEqual(run("snapshot", "-o", before, "--cpuid-dump", root, "--bcd", store).returncode, 0)
        boot = self.NIGHT + datetime.timedelta(hours=3)
        log = logs.write(os.path.join(self.tmp, "System.evtx"),
                         self.history([logs.boot(boot), logs.failed(boot)]))
        p, doc = run_json("compare", before, *CPU, "--bcd", store, "--evtx", log, "--force")
        self.assertEqual(p.returncode, 1, p.stdout)
        ids = [r["id"] for r in doc["regressions"]]
        self.assertIn("launch.running", ids)
        p = run("compare", before, *CPU, "--bcd", store, "--evtx", log, "--force")
        self.assertIn("the hypervisor ran below this OS at the baseline and does not run now", p.stdout)


class BadLogs(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        t0 = logs.at("2022-01-09T07:00:00")
        self.events = logs.boots_with(t0, ["launched"] * 40 + [evtxwriter.HexInt32(0xC00000BB)])
        self.log = logs.write(os.path.join(self.tmp, "System.evtx"), self.events)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_missing_directory_text_and_fifo(self):
        missing = os.path.join(self.tmp, "nope.evtx")
        assert_one_line_error(self, run(*CPU, "--evtx", missing), 66, missing)
        assert_one_line_error(self, run(*CPU, "--evtx", self.tmp), 66, self.tmp, "not a regular file")
        text = os.path.join(self.tmp, "text.evtx")
        with open(text, "w") as f:
            f.write("<Events>not a log</Events>\n")
        assert_one_line_error(self, run(*CPU, "--evtx", text), 65, text, "not a Windows event log")
        fifo = os.path.join(self.tmp, "fifo.evtx")
        os.mkfifo(fifo)
        p = subprocess.run([os.environ["HVPROBE"], *CPU, "--evtx", fifo], capture_output=True,
                           text=True, timeout=20)
        assert_one_line_error(self, p, 66, fifo, "not a regular file")

    def test_truncated_corrupt_and_garbled_logs_never_crash(self):
        cases = {}
        for name, damage in (("truncated", lambda p: evtxwriter.truncate_evtx(p)),
                             ("half", lambda p: evtxwriter.truncate_evtx(p, 4096 + 65536 + 100)),
                             ("header-only", lambda p: evtxwriter.truncate_evtx(p, 4096)),
                             ("checksum", lambda p: evtxwriter.corrupt_chunk_checksum(p, 0)),
                             ("garbled", lambda p: evtxwriter.garble_record(p, 2))):
            path = os.path.join(self.tmp, name + ".evtx")
            shutil.copyfile(self.log, path)
            damage(path)
            p = run(*CPU, "--evtx", path, "-t", "hyperv-2012r2", "-f", "json")
            cases[name] = p
            if p.returncode == 65:  # refused: one line naming the file
                assert_one_line_error(self, p, 65, path)
                continue
            self.assertIn(p.returncode, (0, 1, 2), (name, p.stderr))
            json.loads(p.stdout)
        # a damaged chunk's checksum does not stop the reading of its records
        doc = json.loads(cases["checksum"].stdout)
        self.assertEqual(doc["facts"]["launch"]["boots"][-1]["hypervisor"], "failed")

    def test_a_log_without_boots_is_unknown(self):
        path = logs.write(os.path.join(self.tmp, "quiet.evtx"),
                          [logs.installed(logs.at("2022-01-12T02:00:00"), "KB5009624")])
        p, doc = run_json(*CPU, "--bcd", hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE,
                                                                              hives.integer(1))),
                          "--evtx", path, "-t", "hyperv")
        self.assertEqual(p.returncode, 2)
        check = next(c for c in doc["checks"] if c["id"] == "hv.launch")
        self.assertEqual(check["status"], "unknown")
        self.assertIn("records no hypervisor launch event", check["summary"])
        self.assertEqual(doc["facts"]["launch"]["boots"], [])
        self.assertEqual(len(doc["facts"]["launch"]["installs"]), 1)

    def test_clock_going_back(self):
        t = logs.at("2022-01-10T07:00:00")
        events = [logs.boot(t), logs.launched(t),
                  logs.installed(t + datetime.timedelta(hours=1), "KB5009624"),
                  logs.boot(t - datetime.timedelta(days=300)),  # the clock lost a year's battery
                  logs.failed(t - datetime.timedelta(days=300))]
        path = logs.write(os.path.join(self.tmp, "back.evtx"), events)
        p, doc = run_json(*CPU, "--evtx", path, "-t", "hyperv-2012r2")
        launch = doc["facts"]["launch"]
        self.assertEqual([b["clock_back"] for b in launch["boots"]], [False, True])
        self.assertEqual([b["hypervisor"] for b in launch["boots"]], ["launched", "failed"])
        self.assertEqual([s["kb"] for s in launch["suspects"]], ["KB5009624"])
        self.assertTrue(launch["window_by_time_unsure"])
        self.assertIn("[clock went back]", run(*CPU, "--evtx", path).stdout)

    def test_a_100_mb_log(self):
        """Read in bounded memory (the newest EVENTS_MAX records are kept;
        the benchmark measures the memory); the last boot decides."""
        big = os.path.join(self.tmp, "big.evtx")
        base = logs.at("2015-01-01T00:00:00")

        def event(i):
            t = base + datetime.timedelta(hours=i)
            return logs.boot(t) if i % 2 == 0 else logs.launched(t)
        n = evtxwriter.write_big_evtx(big, 100 * 2 ** 20, event)
        self.assertGreater(os.path.getsize(big), 100 * 2 ** 20)
        p, doc = run_json(*CPU, "--evtx", big, "-t", "hyperv-2012r2")
        launch = doc["facts"]["launch"]
        self.assertEqual(launch["records_read"], n)
        self.assertEqual(launch["records_kept"] + launch["records_dropped"], n)
        self.assertEqual(launch["boots"][-1]["hypervisor"], "launched")
        self.assertEqual(statuses(doc)["hv.launch"], "pass")


class Judgement(unittest.TestCase):
    """Cases where a careless reading would give a wrong verdict: damaged
    logs, updates completed at the failing boot, several logs, crowds of
    records that do not matter, CPUID leaves that look like statuses, long
    lists of suspects."""

    T0 = logs.at("2022-01-09T07:00:00")

    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def judge(self, events, *more, name="System.evtx"):
        path = logs.write(os.path.join(self.tmp, name), events)
        p, doc = run_json(*CPU, "--evtx", path, *more, "-t", "hyperv-2012r2")
        self.assertLess(p.returncode, 64, p.stderr)
        return doc, next(c for c in doc["checks"] if c["id"] == "hv.launch"), path

    def launched_then_failed(self, filler=()):
        bad = self.T0 + datetime.timedelta(days=2)
        return (logs.boots_with(self.T0, ["launched", "launched"]) + list(filler) +
                [logs.boot(bad), logs.failed(bad + datetime.timedelta(seconds=2)),
                 logs.installed(bad + datetime.timedelta(minutes=5), "KB5010794", event_id=43)])

    def test_a_truncated_log_still_shows_its_newest_failure(self):
        path = logs.write(os.path.join(self.tmp, "System.evtx"), self.launched_then_failed())
        evtxwriter.truncate_evtx(path)  # halfway through the last record (a 43 after the failure)
        _, doc = run_json(*CPU, "--evtx", path, "-t", "hyperv-2012r2")
        self.assertEqual(statuses(doc)["hv.launch"], "fail")

    def test_a_bad_size_copy_does_not_hide_the_records_after_it(self):
        path = logs.write(os.path.join(self.tmp, "System.evtx"), self.launched_then_failed())
        with open(path, "r+b") as f:
            data = bytearray(f.read())
            _, pos, size = list(evtxwriter.records(data))[1]  # the first launch event
            data[pos + size - 4:pos + size] = b"\0\0\0\0"  # its trailing size copy
            evtxwriter.fix_checksums(data)
            f.seek(0)
            f.write(data)
        _, doc = run_json(*CPU, "--evtx", path, "-t", "hyperv-2012r2")
        self.assertEqual([b["hypervisor"] for b in doc["facts"]["launch"]["boots"]],
                         ["launched", "launched", "failed"])

    def test_an_unreadable_record_after_the_last_boot_is_not_taken_as_health(self):
        events = logs.boots_with(self.T0, ["launched", "launched"])
        path = logs.write(os.path.join(self.tmp, "System.evtx"), events + [
            logs.boot(self.T0 + datetime.timedelta(days=2)),
            logs.failed(self.T0 + datetime.timedelta(days=2, seconds=2))])
        evtxwriter.garble_record(path, 6)  # the failure event's binary XML
        _, doc = run_json(*CPU, "--evtx", path, "-t", "hyperv-2012r2")
        check = next(c for c in doc["checks"] if c["id"] == "hv.launch")
        self.assertEqual(check["status"], "unknown")
        self.assertIn("damaged", check["summary"])
        self.assertEqual(doc["facts"]["launch"]["records_unreadable"], 1)

    def test_an_update_completed_at_the_failing_boot_is_a_suspect(self):
        bad = self.T0 + datetime.timedelta(days=2)
        events = logs.boots_with(self.T0, ["launched", "launched"]) + [
            logs.installed(bad - datetime.timedelta(hours=2), "KB5009624", event_id=43),
            logs.boot(bad), logs.failed(bad + datetime.timedelta(seconds=2)),
            logs.installed(bad + datetime.timedelta(minutes=2), "KB5009624")]  # 19 after the restart
        doc, check, _ = self.judge(events)
        suspects = doc["facts"]["launch"]["suspects"]
        self.assertEqual([(s["kb"], s["at_boot"]) for s in suspects], [("KB5009624", True)])
        self.assertIn("wusa /uninstall /kb:5009624", check["remedy"])

    def test_an_update_after_the_failure_not_begun_before_is_no_suspect(self):
        bad = self.T0 + datetime.timedelta(days=2)
        events = logs.boots_with(self.T0, ["launched", "launched"]) + [
            logs.boot(bad), logs.failed(bad + datetime.timedelta(seconds=2)),
            logs.installed(bad + datetime.timedelta(hours=3), "KB5010794")]
        doc, _, _ = self.judge(events)
        self.assertEqual(doc["facts"]["launch"]["suspects"], [])

    def test_logs_in_any_order_give_one_answer(self):
        archive = logs.write(os.path.join(self.tmp, "Archive-System.evtx"),
                             logs.boots_with(logs.at("2022-01-01T07:00:00"),
                                             ["launched", evtxwriter.HexInt32(0xC00000BB)]))
        current = logs.write(os.path.join(self.tmp, "System.evtx"),
                             logs.boots_with(logs.at("2022-02-01T07:00:00"), ["launched"]))
        answers = set()
        for order in ((archive, current), (current, archive)):
            _, doc = run_json(*CPU, "--evtx", order[0], "--evtx", order[1], "-t", "hyperv-2012r2")
            answers.add((statuses(doc)["hv.launch"], doc["facts"]["launch"]["boots"][-1]["time"]))
        self.assertEqual(answers, {("pass", "2022-02-01T07:00:00Z")})

    def test_records_that_do_not_matter_do_not_crowd_out_those_that_do(self):
        name, guid = logs.KERNEL_GENERAL
        noise = [evtxwriter.Event(name, 16, self.T0 + datetime.timedelta(days=1, seconds=i),
                                  provider_guid=guid, computer=logs.COMPUTER,
                                  data=[("HiveName", "\\??\\C:\\Users\\x\\ntuser.dat")])
                 for i in range(9000)]
        doc, check, _ = self.judge(self.launched_then_failed(noise))
        launch = doc["facts"]["launch"]
        self.assertEqual(launch["last_launched"], "2022-01-10T07:00:00Z")
        self.assertLess(launch["records_kept"], 20)  # the 9,000 are read, not kept
        self.assertEqual(check["status"], "fail")

    def test_a_cpuid_leaf_is_not_a_status(self):
        bad = self.T0 + datetime.timedelta(days=1)
        events = logs.boots_with(self.T0, ["launched"]) + [
            logs.boot(bad), logs.failed(bad, event_id=48, status="0x80000001", name="Leaf")]
        doc, check, _ = self.judge(events)
        self.assertEqual(doc["facts"]["launch"]["boots"][-1]["status"], None)
        self.assertNotIn("0x80000001", check["summary"])

    def test_many_suspects_are_listed_whole_or_counted(self):
        bad = self.T0 + datetime.timedelta(days=1)
        installs = [logs.installed(self.T0 + datetime.timedelta(hours=1, minutes=i), "KB50010%02d" % i)
                    for i in range(30)]
        events = logs.boots_with(self.T0, ["launched"]) + installs + [logs.boot(bad), logs.failed(bad)]
        doc, check, _ = self.judge(events)
        self.assertEqual(len(doc["facts"]["launch"]["suspects"]), 30)
        listed = check["evidence"]["suspects"]["value"]
        self.assertRegex(listed, r"and \d+ more \(facts\.launch\.suspects\)$")
        for kb in re.findall(r"KB\d+", listed):
            self.assertIn(kb, [s["kb"] for s in doc["facts"]["launch"]["suspects"]])
        self.assertTrue(check["remedy"].endswith("until a fix is released"), check["remedy"][-80:])
        self.assertRegex(check["remedy"], r"wusa /uninstall /kb:\d+ /norestart; and \d+ more")

    def test_a_refused_vm_before_the_oldest_boot_is_no_boot(self):
        events = [logs.vm_refused(self.T0 - datetime.timedelta(hours=1))] + \
            logs.boots_with(self.T0, ["launched"])
        doc, check, _ = self.judge(events)
        self.assertEqual(len(doc["facts"]["launch"]["boots"]), 1)
        self.assertEqual(check["status"], "pass")
