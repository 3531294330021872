"""Event logs for the benchmark, written by the test-only EVTX writer:
  typical-20MB.evtx, typical-100MB.evtx: a System log as a host writes it,
      a boot with its hypervisor launch every 500 records among service
      control messages (the records hvprobe skips);
  launches-100MB.evtx: every record a boot or a launch event (the worst
      case: every record is read, the newest 8,192 kept).
Usage: python3 bench/make_logs.py DIR"""
import datetime
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "e2e"))
sys.path.insert(0, os.path.join(here, "..", "tests", "evtx"))
os.environ.setdefault("HVPROBE_FIXTURES", os.path.join(here, "..", "tests", "fixtures"))
import evtxwriter  # noqa: E402
import logs  # noqa: E402

BASE = logs.at("2015-01-01T00:00:00")


def typical(i):
    t = BASE + datetime.timedelta(minutes=i)
    if i % 500 == 0:
        return logs.boot(t)
    if i % 500 == 1:
        return logs.launched(t)
    return evtxwriter.Event("Service Control Manager", 7036, t, qualifiers=16384,
                            event_source_name="Service Control Manager",
                            provider_guid="{555908d1-a6d7-4695-8e1e-26931d2012f4}",
                            computer=logs.COMPUTER,
                            data=[("param1", "Windows Update"), ("param2", "running")])


def launches(i):
    t = BASE + datetime.timedelta(hours=i)
    return logs.boot(t) if i % 2 == 0 else logs.launched(t)


out = sys.argv[1]
for name, size, make in (("typical-20MB.evtx", 20, typical), ("typical-100MB.evtx", 100, typical),
                         ("launches-100MB.evtx", 100, launches)):
    evtxwriter.write_big_evtx(os.path.join(out, name), size * 2 ** 20, make)
