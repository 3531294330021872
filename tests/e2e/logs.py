"""Windows event logs for the tests, written by the test-only EVTX writer
(tests/evtx/evtxwriter.py, proven against evtxexport and python-evtx) in
the layout Windows uses for these events (docs/launch-events.md).

LAUNCHED is the System log of a healthy Hyper-V host: a boot at which the
hypervisor started. Tests of a host whose verdict should pass give it,
since a Hyper-V verdict needs to know that the launch happened.
"""
import atexit
import datetime
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "evtx"))
from evtxwriter import Event, HexInt32, UInt16, write_evtx  # noqa: E402,F401

UTC = datetime.timezone.utc
KERNEL_GENERAL = ("Microsoft-Windows-Kernel-General", "{A68CA8B7-004F-D7B6-A698-07E2DE0F1F5D}")
HYPERVISOR = ("Microsoft-Windows-Hyper-V-Hypervisor", "{52FC89F8-995E-434C-A91E-199986449890}")
UPDATE_CLIENT = ("Microsoft-Windows-WindowsUpdateClient", "{945A8954-C147-4ACD-923F-40C45405A658}")
WORKER = ("Microsoft-Windows-Hyper-V-Worker", "{51DDFA29-D5C8-4803-BE4B-2ECB715570FE}")
SERVICING = ("Microsoft-Windows-Servicing", "{BD12F3B8-FC40-4A61-A307-B7A013A069C1}")
COMPUTER = "HV01"

TITLES = {
    "KB5009624": "2022-01 Security Monthly Quality Rollup for Windows Server 2012 R2 for "
                 "x64-based Systems (KB5009624)",
    "KB5008868": "2022-01 Security and Quality Rollup for .NET Framework 3.5, 4.5.2, 4.6, "
                 "4.6.1, 4.6.2, 4.7, 4.7.1, 4.7.2, 4.8 for Windows Server 2012 R2 for x64 "
                 "(KB5008868)",
    "KB5008883": "2022-01 Security and Quality Rollup for .NET Framework 4.8 for Windows "
                 "Server 2012 R2 for x64 (KB5008883)",
}


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=UTC)


def boot(t):
    """Kernel-General 12 as Windows Server 2012 R2 writes it."""
    name, guid = KERNEL_GENERAL
    return Event(name, 12, t, provider_guid=guid, computer=COMPUTER, data=[
        ("MajorVersion", 6), ("MinorVersion", 3), ("BuildVersion", 9600), ("QfeVersion", 17031),
        ("ServiceVersion", UInt16(0)), ("BootMode", 0), ("StartTime", t)])


def launched(t):
    name, guid = HYPERVISOR
    return Event(name, 1, t, provider_guid=guid, computer=COMPUTER)


def failed(t, event_id=80, status=HexInt32(0xC00000BB), name="NtStatus"):
    provider, guid = HYPERVISOR
    data = [(name, status)] if status is not None else []
    return Event(provider, event_id, t, level=2, provider_guid=guid, computer=COMPUTER, data=data)


def installed(t, kb, event_id=19):
    name, guid = UPDATE_CLIENT
    data = [("updateTitle", TITLES.get(kb, "Update for Windows (%s)" % kb)),
            ("updateRevisionNumber", 1)]
    if event_id == 20:
        data.insert(0, ("errorCode", "0x80070005"))
    return Event(name, event_id, t, provider_guid=guid, computer=COMPUTER, version=1, task=1,
                 keywords=0x8000000000000018, data=data)


def servicing(t, kb, event_id, state="Installed"):
    """Microsoft-Windows-Servicing in Setup as Server 2012 R2 writes it
    (states as text; tests/fixtures/evtx/ws2012r2-stolenszechuan-Setup.evtx):
    1 initiating changes, 2 changed to the state, 4 a reboot is necessary
    before the change. Windows keeps these fields in UserData; this writer
    puts them in EventData, and the reader finds them by name in either
    (the real logs of the fixtures are read too)."""
    name, guid = SERVICING
    data = [("PackageIdentifier", kb)]
    if event_id == 1:
        data += [("InitialPackageState", "Absent"), ("IntendedPackageState", state)]
    else:
        data += [("IntendedPackageState", state), ("ErrorCode", "0x0")]
    data.append(("Client", "WindowsUpdateAgent"))
    return Event(name, event_id, t, provider_guid=guid, computer=COMPUTER, channel="Setup",
                 task=1, keywords=0x8000000000000000, data=data)


def vm_refused(t):
    name, guid = WORKER
    return Event(name, 3112, t, level=2, provider_guid=guid, computer=COMPUTER,
                 channel="Microsoft-Windows-Hyper-V-Worker-Admin",
                 data=[("VmName", "dc01"), ("VmId", "8C2B2E8A-1B37-4D0B-9A8E-0E6B6E3A1F11")])


def write(path, events):
    write_evtx(path, events)
    return path


def boots_with(t0, outcomes):
    """A boot every day from t0, each with an outcome: 'launched', a status
    for a failure, or None for no launch event."""
    events = []
    for i, outcome in enumerate(outcomes):
        t = t0 + datetime.timedelta(days=i)
        events.append(boot(t))
        if outcome == "launched":
            events.append(launched(t + datetime.timedelta(seconds=2)))
        elif outcome is not None:
            events.append(failed(t + datetime.timedelta(seconds=2), status=outcome))
    return events


_dir = tempfile.mkdtemp(prefix="hvprobe-logs-")
atexit.register(shutil.rmtree, _dir, True)
LAUNCHED = ["--evtx", write(os.path.join(_dir, "System.evtx"),
                            boots_with(at("2022-01-05T07:00:00"), ["launched"]))]
