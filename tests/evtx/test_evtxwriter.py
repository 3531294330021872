"""Proof that evtxwriter's logs read back, field for field, in two independent
EVTX readers: libevtx's evtxexport (Debian libevtx-utils, C) and python-evtx
(Debian python3-evtx).  Run from tests/evtx:  python3 -m unittest -v test_evtxwriter
A reader that is not installed skips its tests; nothing else skips."""

import base64
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import evtxwriter as W  # noqa: E402
from evtxwriter import Event, HexInt32, HexInt64, SystemTime, UInt16, UInt64  # noqa: E402

try:
    import Evtx.Evtx as PyEvtx
except ImportError:
    # Debian installs python3-evtx for the system interpreter; a pyenv or venv
    # python3 does not see /usr/lib/python3/dist-packages on its own.
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import Evtx.Evtx as PyEvtx
    except ImportError:
        PyEvtx = None

UTC = datetime.timezone.utc
NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
KERNEL_GENERAL = "{A68CA8B7-004F-D7B6-A698-07E2DE0F1F5D}"   # as in the fixture logs
UPDATE_CLIENT = "{945A8954-C147-4ACD-923F-40C45405A658}"    # as in the fixture logs
HYPERVISOR = "{52FC89F8-995E-434C-A91E-199986449890}"  # per docs/launch-events.md
KB_TITLE = ("2022-01 Security Monthly Quality Rollup for Windows Server 2012 R2 "
            "for x64-based Systems (KB5009624)")


def sample_events(status, boots=120):
    """Boots of a Windows Server 2012 R2 host, laid out as the fixture logs
    show them, with a hypervisor launch (1) or a failed one (80) each boot,
    one update installation, and enough events for several chunks."""
    ev = []
    start = datetime.datetime(2021, 12, 1, 6, 0, 0, 123456, tzinfo=UTC)
    for b in range(boots):
        t = start + datetime.timedelta(hours=6 * b, microseconds=7 * b)
        ev.append(Event("Microsoft-Windows-Kernel-General", 12, t, provider_guid=KERNEL_GENERAL,
                        computer="WIN-E0PO207ERMD", data=[
                            ("MajorVersion", 6), ("MinorVersion", 3), ("BuildVersion", 9600),
                            ("QfeVersion", 17031), ("ServiceVersion", UInt16(0)), ("BootMode", 0),
                            ("StartTime", t - datetime.timedelta(microseconds=376_123))]))
        t += datetime.timedelta(seconds=1)
        if b % 3:
            ev.append(Event("Microsoft-Windows-Hyper-V-Hypervisor", 1, t, provider_guid=HYPERVISOR,
                            computer="WIN-E0PO207ERMD"))
        else:
            ev.append(Event("Microsoft-Windows-Hyper-V-Hypervisor", 80, t, level=2,
                            provider_guid=HYPERVISOR, computer="WIN-E0PO207ERMD",
                            data=[("NtStatus", status)]))
        ev.append(Event("Service Control Manager", 7036, t + datetime.timedelta(seconds=9),
                        qualifiers=16384, event_source_name="Service Control Manager",
                        provider_guid="{555908d1-a6d7-4695-8e1e-26931d2012f4}",
                        computer="WIN-E0PO207ERMD", process_id=508, thread_id=2700,
                        keywords=0x8080000000000000, data=[
                            ("param1", "Hyper-V Virtual Machine Management"),
                            ("param2", "running"), (None, "<&> unnamed")]))
        if b == 40:
            ev.append(Event("Microsoft-Windows-WindowsUpdateClient", 19, t + datetime.timedelta(minutes=3),
                            provider_guid=UPDATE_CLIENT, computer="WIN-E0PO207ERMD", version=1,
                            task=1, opcode=13, keywords=0x8000000000000018, process_id=728,
                            thread_id=2292, data=[
                                ("updateTitle", KB_TITLE),
                                ("updateGuid", uuid.UUID("{C4A4D3C9-4B0B-4D5C-9F3E-1A2B3C4D5E6F}")),
                                ("updateRevisionNumber", 1),
                                ("serviceGuid", uuid.UUID("{9482F4B4-E343-43B6-B170-9A65BC822C77}"))]))
    return ev


def number(events):
    """The record ids the writer gives (previous + 1, from 1)."""
    out, nxt = [], 1
    for e in events:
        rid = nxt if e.record_id is None else e.record_id
        out.append((rid, e))
        nxt = rid + 1
    return out


# --- how each reader renders a value ----------------------------------------------

def _frac7(dt):
    return "%07d" % (W.filetime(dt) % 10_000_000)


def libevtx_text(v):
    """evtxexport's rendering (XML and text output alike) of a Data value."""
    if isinstance(v, HexInt32):
        return "0x%08x" % v              # lower-case hex, 8 digits
    if isinstance(v, HexInt64):
        return "0x%016x" % v
    if isinstance(v, datetime.datetime):  # FILETIME: 100 ns digits, then "00Z"
        return v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + _frac7(v) + "00Z"
    if isinstance(v, SystemTime):         # SYSTEMTIME: milliseconds
        return v.value.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (v.value.microsecond // 1000)
    if isinstance(v, uuid.UUID):
        return "{%s}" % str(v).upper()
    if isinstance(v, bytes):
        return v.hex().upper()
    return "" if v is None else str(v)


def pyevtx_text(v):
    """python-evtx's rendering of a Data value (times: see pyevtx_time)."""
    if isinstance(v, (HexInt32, HexInt64)):
        return libevtx_text(v)
    if isinstance(v, uuid.UUID):
        return "{%s}" % v                # lower case
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if isinstance(v, SystemTime):        # python-evtx puts the milliseconds in
        t = v.value.replace(microsecond=v.value.microsecond // 1000, tzinfo=None)
        return t.isoformat(" ")          # the microseconds field
    return "" if v is None else str(v)


def pyevtx_time(text):
    """python-evtx prints a FILETIME as "YYYY-MM-DD HH:MM:SS[.ffffff]"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def close_in_time(a, b):
    # python-evtx turns the 64-bit FILETIME into a float (53-bit mantissa)
    # before making a datetime: up to 2 microseconds off, seen over 1990-2050.
    return abs(a - b) <= datetime.timedelta(microseconds=2)


def evtxexport(path, *args, check=True):
    return subprocess.run(["evtxexport", *args, path], capture_output=True, text=True,
                          check=check)


def evtxinfo(path):
    return subprocess.run(["evtxinfo", path], capture_output=True, text=True, check=True).stdout


def libevtx_events(path):
    out = evtxexport(path, "-f", "xml").stdout
    return [ET.fromstring(x) for x in re.findall(r"<Event\b.*?</Event>", out, re.S)]


def libevtx_text_records(path):
    """evtxexport's default output: blocks of "Key<tabs>: value" lines."""
    recs = []
    for block in evtxexport(path).stdout.split("\n\n"):
        fields = {}
        for line in block.splitlines():
            m = re.match(r"(.*?)\t+: ?(.*)$", line)
            if m:
                fields[m.group(1)] = m.group(2)
        if "Event number" in fields:
            recs.append(fields)
    return recs


def needs(tool):
    if not shutil.which(tool):
        raise unittest.SkipTest("%s not installed (Debian libevtx-utils)" % tool)


def needs_a_reader():
    if not shutil.which("evtxexport") and PyEvtx is None:
        raise unittest.SkipTest("neither evtxexport nor python-evtx is installed")


def needs_pyevtx():
    if PyEvtx is None:
        raise unittest.SkipTest("python-evtx not installed (Debian python3-evtx)")


class Logs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="evtxwriter-")
        cls.logs = {}
        for name, status in (("hex", HexInt32(0xC00000BB)), ("string", "0xC00000BB")):
            path = os.path.join(cls.tmp, "System-%s.evtx" % name)
            events = sample_events(status)
            W.write_evtx(path, events)
            cls.logs[name] = (path, number(events))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def each_log(self, check):
        for name, (path, events) in self.logs.items():
            with self.subTest(log=name):
                check(path, events)

    # --- libevtx ------------------------------------------------------------------
    def test_libevtx_xml(self):
        needs("evtxexport")
        self.each_log(self.check_libevtx_xml)

    def check_libevtx_xml(self, path, events):
        got = libevtx_events(path)
        self.assertEqual(len(got), len(events))
        for x, (rid, e) in zip(got, events):
            s = x.find(NS + "System")
            p = s.find(NS + "Provider")
            self.assertEqual(p.get("Name"), e.provider)
            self.assertEqual(p.get("Guid"), e.provider_guid and e.provider_guid.upper())
            self.assertEqual(p.get("EventSourceName"), e.event_source_name)
            eid = s.find(NS + "EventID")
            self.assertEqual(eid.text, str(e.event_id))
            self.assertEqual(eid.get("Qualifiers"),   # absent attribute when NULL
                             None if e.qualifiers is None else str(e.qualifiers))
            self.assertEqual(s.find(NS + "TimeCreated").get("SystemTime"), libevtx_text(e.time))
            self.assertEqual(s.find(NS + "EventRecordID").text, str(rid))
            self.assertEqual(s.find(NS + "Channel").text, e.channel)
            self.assertEqual(s.find(NS + "Computer").text, e.computer)
            self.assertEqual(s.find(NS + "Level").text, str(e.level))
            self.assertEqual(s.find(NS + "Keywords").text, "0x%016x" % e.keywords)
            self.assertEqual(s.find(NS + "Security").get("UserID"), e.user_sid)
            datas = x.find(NS + "EventData").findall(NS + "Data")
            self.assertEqual([(d.get("Name"), d.text or "") for d in datas],
                             [(n, libevtx_text(v)) for n, v in e.data])

    def test_libevtx_text(self):
        needs("evtxexport")
        self.each_log(self.check_libevtx_text)

    def check_libevtx_text(self, path, events):
        got = libevtx_text_records(path)
        self.assertEqual(len(got), len(events))
        for r, (rid, e) in zip(got, events):
            self.assertEqual(r["Event number"], str(rid))
            # the record header's written time, which defaults to TimeCreated
            self.assertEqual(r["Written time"], e.time.strftime("%b %d, %Y %H:%M:%S.")
                             + _frac7(e.time) + "00 UTC")
            self.assertEqual(r["Source name"], e.event_source_name or e.provider)
            self.assertEqual(r["Computer name"], e.computer)
            # no Qualifiers here: just the 16-bit id
            self.assertEqual(r["Event identifier"], "0x%08x (%d)" % (e.event_id, e.event_id))
            self.assertTrue(r["Event level"].endswith("(%d)" % e.level), r["Event level"])
            strings = [r["String: %d" % (i + 1)] for i in range(int(r["Number of strings"]))]
            self.assertEqual(strings, [libevtx_text(v) for _, v in e.data])

    def test_libevtx_sees_a_sound_file(self):
        needs("evtxinfo")
        self.each_log(self.check_libevtx_sees_a_sound_file)

    def check_libevtx_sees_a_sound_file(self, path, events):
        info = evtxinfo(path)
        self.assertIn("Number of records\t\t: %d\n" % len(events), info)
        self.assertNotIn("corrupted", info)
        self.assertIn("Number of recovered records\t: 0\n", info)

    # --- python-evtx --------------------------------------------------------------
    def test_python_evtx(self):
        needs_pyevtx()
        self.each_log(self.check_python_evtx)

    def check_python_evtx(self, path, events):
        with PyEvtx.Evtx(path) as log:
            fh = log.get_file_header()
            self.assertTrue(fh.verify())      # magic, version 3.1, header CRC
            chunks = list(log.chunks())
            self.assertGreater(len(chunks), 1)
            self.assertEqual(fh.chunk_count(), len(chunks))
            self.assertEqual(fh.next_record_number(), events[-1][0] + 1)
            for c in chunks:
                self.assertTrue(c.verify())   # header and event records CRCs
            records = list(log.records())
            self.assertEqual(len(records), len(events))
            for r, (rid, e) in zip(records, events):
                self.assertTrue(r.verify())
                self.assertEqual(r.record_num(), rid)
                self.assertTrue(close_in_time(r.timestamp().replace(tzinfo=UTC), e.time),
                                (rid, r.timestamp(), e.time))
                # python-evtx renders FILETIMEs through a float; the stored
                # value itself is exact:
                subs = r.root().substitutions()
                self.assertEqual(subs[6].unpack_qword(0), W.filetime(e.time))
                x = ET.fromstring(r.xml())
                s = x.find(NS + "System")
                p = s.find(NS + "Provider")
                self.assertEqual(p.get("Name"), e.provider)
                # a NULL optional substitution still prints its attribute, empty
                self.assertEqual(p.get("Guid"), (e.provider_guid or "").lower())
                self.assertEqual(p.get("EventSourceName"), e.event_source_name)
                eid = s.find(NS + "EventID")
                self.assertEqual(eid.text, str(e.event_id))
                self.assertEqual(eid.get("Qualifiers"),
                                 "" if e.qualifiers is None else str(e.qualifiers))
                self.assertTrue(close_in_time(
                    pyevtx_time(s.find(NS + "TimeCreated").get("SystemTime")), e.time))
                self.assertEqual(s.find(NS + "EventRecordID").text, str(rid))
                self.assertEqual(s.find(NS + "Channel").text, e.channel)
                self.assertEqual(s.find(NS + "Computer").text, e.computer)
                self.assertEqual(s.find(NS + "Level").text, str(e.level))
                datas = x.find(NS + "EventData").findall(NS + "Data")
                self.assertEqual([d.get("Name") for d in datas], [n for n, _ in e.data])
                for d, (n, v) in zip(datas, e.data):
                    if isinstance(v, datetime.datetime):
                        self.assertTrue(close_in_time(pyevtx_time(d.text), v), (n, d.text))
                    else:
                        self.assertEqual(d.text or "", pyevtx_text(v), n)

    # --- the point of two logs: the status's layout differs ----------------------
    def test_status_layouts(self):
        needs_a_reader()
        for reader, avail, read in (
                ("evtxexport", shutil.which("evtxexport"), libevtx_events),
                ("python-evtx", PyEvtx, self.pyevtx_events)):
            if not avail:
                continue
            with self.subTest(reader=reader):
                for name, want in (("hex", "0xc00000bb"), ("string", "0xC00000BB")):
                    statuses = {d.text for x in read(self.logs[name][0])
                                for d in x.iter(NS + "Data") if d.get("Name") == "NtStatus"}
                    self.assertEqual(statuses, {want})
                kb = [x for x in read(self.logs["hex"][0])
                      if x.find(NS + "System/" + NS + "EventID").text == "19"]
                self.assertEqual(len(kb), 1)
                self.assertEqual(kb[0].find(NS + "EventData/" + NS + "Data").text, KB_TITLE)

    @staticmethod
    def pyevtx_events(path):
        with PyEvtx.Evtx(path) as log:
            return [ET.fromstring(r.xml()) for r in log.records()]


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "evtx")


def windows_events():
    """(fixture log, record id, that same event for the writer); raw FILETIMEs
    since Windows' times have 100 ns digits."""
    def kernel_general_12(rid, created, computer, task, keywords, version, start):
        return Event("Microsoft-Windows-Kernel-General", 12, W.FileTime(created), record_id=rid,
                     provider_guid=KERNEL_GENERAL, computer=computer, task=task, keywords=keywords,
                     data=[("MajorVersion", version[0]), ("MinorVersion", version[1]),
                           ("BuildVersion", version[2]), ("QfeVersion", version[3]),
                           ("ServiceVersion", UInt16(0)), ("BootMode", 0),
                           ("StartTime", W.FileTime(start))])

    def update_client_19(rid, created, computer, pid, tid, title, update, revision, service):
        return Event("Microsoft-Windows-WindowsUpdateClient", 19, W.FileTime(created),
                     record_id=rid, provider_guid=UPDATE_CLIENT, computer=computer, version=1,
                     task=1, opcode=13, keywords=0x8000000000000018, process_id=pid, thread_id=tid,
                     data=[("updateTitle", title), ("updateGuid", uuid.UUID(update)),
                           ("updateRevisionNumber", revision), ("serviceGuid", uuid.UUID(service))])

    w11, ws12 = "win11-rathbunvm-System.evtx", "ws2012r2-stolenszechuan-System.evtx"
    return [
        (w11, 1, kernel_general_12(1, 132885713885559856, "WIN-9L34AK87ND7", 1, 0x8000000000000080,
                                   (10, 0, 22000, 194), 132885713885000000)),
        (w11, 1075, update_client_19(
            1075, 132888280198497917, "GoldPaperW11", 1264, 6788,
            "Update for Microsoft Defender Antivirus antimalware platform - KB4052623 "
            "(Version 4.18.2201.10)", "29e3c507-29c0-4564-b962-01cb7a8bbf5b", 200,
            "9482f4b4-e343-43b6-b170-9a65bc822c77")),
        (ws12, 8, kernel_general_12(8, 132448314898610578, "WIN-HRJHA99CCDO", 0, 0x8000000000000000,
                                    (6, 3, 9600, 17031), 132448314894851344)),
        (ws12, 378, update_client_19(
            378, 132448357171515100, "WIN-E0PO207ERMD", 728, 2292, "Update for Windows (KB2999226)",
            "433942af-c579-4917-921b-c580f5ac230b", 501, "6446c76e-123d-4b81-98f1-7a29da3e3636")),
    ]


class FaithfulToWindows(unittest.TestCase):
    """Events of the real fixture logs, rewritten by the writer, read back
    character for character as each reader reads the Windows original."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="evtxwriter-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def written(self, ev):
        path = os.path.join(self.tmp, "%d.evtx" % ev.record_id)
        W.write_evtx(path, [ev])
        return path

    def test_libevtx(self):
        needs("evtxexport")
        exported = {}
        for fixture, rid, ev in windows_events():
            with self.subTest(fixture=fixture, record=rid):
                if fixture not in exported:
                    out = evtxexport(os.path.join(FIXTURES, fixture), "-f", "xml").stdout
                    exported[fixture] = re.findall(r"<Event\b.*?</Event>", out, re.S)
                want = [x for x in exported[fixture] if "<EventRecordID>%d<" % rid in x]
                out = evtxexport(self.written(ev), "-f", "xml").stdout
                got = re.findall(r"<Event\b.*?</Event>", out, re.S)
                self.assertEqual(len(want), 1)
                self.assertEqual(got, want)

    def test_python_evtx(self):
        needs_pyevtx()
        for fixture, rid, ev in windows_events():
            with self.subTest(fixture=fixture, record=rid):
                with PyEvtx.Evtx(os.path.join(FIXTURES, fixture)) as log:
                    want = log.get_record(rid).xml()
                with PyEvtx.Evtx(self.written(ev)) as log:
                    got = [r.xml() for r in log.records()]
                self.assertEqual(got, [want])


class ValueTypes(unittest.TestCase):
    """Every value type the writer offers, as each reader renders it."""
    t = datetime.datetime(2022, 1, 12, 8, 30, 15, 123456, tzinfo=UTC)
    data = [("s", "é ü 日本 \"q\" 'a' <&>"), ("empty", ""), ("none", None), ("u32", 4294967295),
            ("u16", UInt16(65535)), ("u8", W.UInt8(200)), ("u64", UInt64(2 ** 40)),
            ("h32", HexInt32(0xC00000BB)), ("h64", HexInt64(0xDEADBEEF)),
            ("ft", datetime.datetime(2020, 9, 17, 15, 51, 29, 485134, tzinfo=UTC)),
            ("st", SystemTime(datetime.datetime(2022, 1, 12, 8, 30, 15, 123000))),
            ("guid", uuid.UUID("29E3C507-29C0-4564-B962-01CB7A8BBF5B")), ("bin", b"\xab\x01"),
            (None, "no name")]

    def setUp(self):
        fd, self.path = tempfile.mkstemp(suffix=".evtx")
        os.close(fd)
        self.addCleanup(os.unlink, self.path)
        W.write_evtx(self.path, [Event("Test", 1, self.t, data=self.data)])

    def test_libevtx(self):
        needs("evtxexport")
        datas = libevtx_events(self.path)[0].iter(NS + "Data")
        self.assertEqual([(d.get("Name"), d.text or "") for d in datas],
                         [(n, libevtx_text(v)) for n, v in self.data])

    def test_python_evtx(self):
        needs_pyevtx()
        with PyEvtx.Evtx(self.path) as log:
            datas = list(ET.fromstring(next(log.records()).xml()).iter(NS + "Data"))
        self.assertEqual([d.get("Name") for d in datas], [n for n, _ in self.data])
        for d, (n, v) in zip(datas, self.data):
            if isinstance(v, datetime.datetime):
                self.assertTrue(close_in_time(pyevtx_time(d.text), v))
            else:
                self.assertEqual(d.text or "", pyevtx_text(v), n)


class EdgeFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="evtxwriter-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def test_empty_and_dirty(self):
        W.write_evtx(self.path("empty.evtx"), [])
        W.write_evtx(self.path("dirty.evtx"), sample_events(HexInt32(0), 2), dirty=True)
        if shutil.which("evtxinfo"):
            info = evtxinfo(self.path("empty.evtx"))
            self.assertIn("Number of records\t\t: 0\n", info)
            self.assertNotIn("corrupted", info)
            self.assertIn("Is dirty", evtxinfo(self.path("dirty.evtx")))
        if PyEvtx:
            with PyEvtx.Evtx(self.path("empty.evtx")) as log:
                self.assertEqual(list(log.records()), [])
            with PyEvtx.Evtx(self.path("dirty.evtx")) as log:
                self.assertTrue(log.get_file_header().is_dirty())

    def test_chunk_fill_spreads_records(self):
        events = sample_events(HexInt32(0xC00000BB), 10)
        W.write_evtx(self.path("small.evtx"), events, chunk_fill=2048)
        size = os.path.getsize(self.path("small.evtx"))
        self.assertGreater((size - 4096) // 65536, 5)
        if shutil.which("evtxexport"):
            ids = [int(x.find(NS + "System/" + NS + "EventRecordID").text)
                   for x in libevtx_events(self.path("small.evtx"))]
            self.assertEqual(ids, list(range(1, len(events) + 1)))

    def test_big_log(self):
        """A ~100 MB System.evtx, sound to both readers (its time is printed, not asserted)."""
        events = sample_events(HexInt32(0xC00000BB), 30)
        start = time.monotonic()
        n = W.write_big_evtx(self.path("big.evtx"), 100 * 2 ** 20, lambda i: events[i % len(events)])
        took = time.monotonic() - start
        size = os.path.getsize(self.path("big.evtx"))
        print("\n  write_big_evtx: %d events, %d bytes, %.1f s" % (n, size, took), file=sys.stderr)
        self.assertGreaterEqual(size, 100 * 2 ** 20)
        self.assertLess(size, 100 * 2 ** 20 + 65536 + 4096)
        if shutil.which("evtxinfo"):
            info = evtxinfo(self.path("big.evtx"))
            self.assertIn("Number of records\t\t: %d\n" % n, info)
            self.assertNotIn("corrupted", info)
        if PyEvtx:
            with PyEvtx.Evtx(self.path("big.evtx")) as log:
                chunks = list(log.chunks())
                self.assertEqual(len(chunks), (size - 4096) // 65536)
                self.assertTrue(all(c.verify() for c in chunks))
                last = list(chunks[-1].records())[-1]
                self.assertEqual(last.record_num(), n)
                self.assertIn("<Channel>System</Channel>", last.xml())


class BrokenFiles(unittest.TestCase):
    """The helpers for bad-input tests, and what each reader makes of them."""

    def setUp(self):
        needs_a_reader()
        self.tmp = tempfile.mkdtemp(prefix="evtxwriter-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.events = sample_events(HexInt32(0xC00000BB), 10)
        self.path = os.path.join(self.tmp, "System.evtx")
        W.write_evtx(self.path, self.events, chunk_fill=4096)    # several chunks

    def pyevtx(self):
        with PyEvtx.Evtx(self.path) as log:
            return [c.verify() for c in log.chunks()], [r.record_num() for r in log.records()]

    def test_truncated(self):
        W.truncate_evtx(self.path)
        size = os.path.getsize(self.path)
        self.assertNotEqual((size - 4096) % 65536, 0)
        if shutil.which("evtxinfo"):
            self.assertIn("Is corrupted", evtxinfo(self.path))
            # the short last chunk is dropped: its records do not come out
            n = len(libevtx_text_records(self.path))
            self.assertLess(n, len(self.events))
        if PyEvtx:
            verified, ids = self.pyevtx()
            self.assertEqual(len(verified), (size - 4096) // 65536)   # whole chunks only
            self.assertEqual(ids, list(range(1, len(ids) + 1)))

    def test_bad_chunk_checksums(self):
        for which in ("header", "records"):
            with self.subTest(which=which):
                W.write_evtx(self.path, self.events, chunk_fill=4096)
                W.corrupt_chunk_checksum(self.path, 1, which)
                if shutil.which("evtxinfo"):
                    self.assertIn("Is corrupted", evtxinfo(self.path))
                    # libevtx still reads every record
                    self.assertEqual(len(libevtx_text_records(self.path)), len(self.events))
                if PyEvtx:
                    verified, ids = self.pyevtx()
                    self.assertEqual(verified[:2], [True, False])
                    self.assertEqual(len(ids), len(self.events))

    def test_garbled_record(self):
        W.garble_record(self.path, 5)
        if shutil.which("evtxexport"):
            self.assertNotIn("corrupted", evtxinfo(self.path))   # checksums were fixed
            r = evtxexport(self.path, check=False)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("unable to read binary XML document", r.stdout + r.stderr)
        if PyEvtx:
            with PyEvtx.Evtx(self.path) as log:
                bad = []
                for rec in log.records():
                    try:
                        rec.xml()
                    except Exception:
                        bad.append(rec.record_num())
            self.assertEqual(bad, [5])


if __name__ == "__main__":
    unittest.main()
