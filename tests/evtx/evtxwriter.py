"""A small, test-only writer of Windows XML Event Log (EVTX) files.

No Linux tool writes EVTX, so the tests stage their event logs with this.
Format: libyal's "Windows XML Event Log (EVTX)" notes (libevtx, documentation/)
and the binary XML they describe (libfwevt).  The layout of a record copies what
Windows Server 2012 R2 and Windows 11 write into System.evtx (tests/fixtures/evtx/;
test_evtxwriter.FaithfulToWindows proves both readers see no difference): one template
for the <System> part whose 18 substitution values carry the header fields, and
<EventData> as a Binary XML value holding a second template instance with one
<Data Name="..."> element per value.  See README.md beside this file.

    from evtxwriter import Event, HexInt32, write_evtx
    write_evtx("System.evtx", [Event("Microsoft-Windows-Hyper-V-Hypervisor", 80,
               when, data=[("NtStatus", HexInt32(0xC00000BB))])])
"""

import dataclasses
import datetime
import hashlib
import struct
import uuid
import zlib

CHUNK = 0x10000          # chunks are always 64 KiB; both readers assume it
HEADER_BLOCK = 0x1000    # the file header block before the first chunk
EVENT_NS = "http://schemas.microsoft.com/win/2004/08/events/event"
_EPOCH = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)


# --- substitution values ------------------------------------------------------
# A Data value's Python type picks its binary XML value type: str -> String
# (0x01), int -> UInt32 (0x08), datetime -> FILETIME (0x11), uuid.UUID -> GUID
# (0x0f), bytes -> Binary (0x0e); the wrappers pick the others.  A None Data
# value is written as an empty string.

class _Int(int):
    TYPE, FMT = 0x08, "<I"


class UInt8(_Int):
    TYPE, FMT = 0x04, "<B"


class UInt16(_Int):
    TYPE, FMT = 0x06, "<H"


class UInt32(_Int):
    TYPE, FMT = 0x08, "<I"


class UInt64(_Int):
    TYPE, FMT = 0x0A, "<Q"


class HexInt32(_Int):
    """Rendered by readers as 0x%08x (e.g. an NTSTATUS)."""
    TYPE, FMT = 0x14, "<I"


class HexInt64(_Int):
    TYPE, FMT = 0x15, "<Q"


class FileTime(_Int):
    """A raw FILETIME (100 ns units since 1601), for times a datetime cannot
    hold: Windows' own times have 100 ns digits.  Also valid as Event.time."""
    TYPE, FMT = 0x11, "<Q"


@dataclasses.dataclass(frozen=True)
class SystemTime:
    """A datetime stored as a SYSTEMTIME (0x12) instead of a FILETIME."""
    value: datetime.datetime


class Sid(str):
    """An NT SID string such as "S-1-5-18", stored as a SID (0x13)."""


def filetime(dt):
    """100 ns intervals since 1601-01-01 UTC; naive datetimes are taken as UTC."""
    if isinstance(dt, int):
        return dt
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    d = dt - _EPOCH
    return (d.days * 86400 + d.seconds) * 10_000_000 + d.microseconds * 10


def _sid_bytes(text):
    parts = text.split("-")
    if parts[0] != "S" or len(parts) < 3:
        raise ValueError("not a SID: %r" % text)
    subs = [int(p) for p in parts[3:]]
    return (struct.pack("<BB", int(parts[1]), len(subs)) + int(parts[2]).to_bytes(6, "big")
            + struct.pack("<%dI" % len(subs), *subs))


def encode_value(v):
    """(value type, bytes) of one substitution value."""
    if v is None:
        return 0x00, b""
    if isinstance(v, _Int):
        return v.TYPE, struct.pack(v.FMT, v)
    if isinstance(v, bool):
        raise TypeError("bool is ambiguous here; use UInt32(0/1) or a str")
    if isinstance(v, int):
        return 0x08, struct.pack("<I", v)
    if isinstance(v, Sid):
        return 0x13, _sid_bytes(v)
    if isinstance(v, str):
        return 0x01, v.encode("utf-16-le")        # no terminating NUL needed
    if isinstance(v, datetime.datetime):
        return 0x11, struct.pack("<Q", filetime(v))
    if isinstance(v, SystemTime):
        t = v.value.astimezone(datetime.timezone.utc) if v.value.tzinfo else v.value
        return 0x12, struct.pack("<8H", t.year, t.month, (t.weekday() + 1) % 7, t.day,
                                 t.hour, t.minute, t.second, t.microsecond // 1000)
    if isinstance(v, uuid.UUID):
        return 0x0F, v.bytes_le
    if isinstance(v, (bytes, bytearray)):
        return 0x0E, bytes(v)
    raise TypeError("no EVTX value type for %r" % (v,))


# --- events -------------------------------------------------------------------

@dataclasses.dataclass
class Event:
    provider: str
    event_id: int
    time: datetime.datetime                     # TimeCreated, UTC (aware) or a FileTime
    channel: str = "System"
    data: list = dataclasses.field(default_factory=list)   # [(name|None, value)]
    provider_guid: str = None                   # "{...}"; None: no Guid attribute
    level: int = 4
    computer: str = "HOST"
    qualifiers: int = None                      # EventID Qualifiers (classic sources)
    record_id: int = None                       # None: previous + 1 (first is 1)
    event_source_name: str = None
    version: int = 0
    task: int = 0
    opcode: int = 0
    keywords: int = 0x8000000000000000
    process_id: int = 4
    thread_id: int = 8
    user_sid: str = "S-1-5-18"                  # None: <Security/>
    written: datetime.datetime = None           # record header time; None: time


def _name_hash(s):
    # The 16-bit name hash Windows stores (checked against the fixture logs):
    # h = h * 65599 + character, keeping the low bits.
    h = 0
    for ch in s:
        h = (h * 65599 + ord(ch)) & 0xFFFFFFFF
    return h & 0xFFFF


# Templates are small trees: ("elem", name, [(attr, value)], [content]) where a
# value or content item is a str (literal text) or ("sub", index, type, optional).
def _sub(i, t, optional=True):
    return ("sub", i, t, optional)


def _system_template(computer, with_source_name):
    # Substitution indexes and value types as Windows 11 writes them.
    provider = [("Name", _sub(14, 0x01)), ("Guid", _sub(15, 0x0F))]
    if with_source_name:
        provider.append(("EventSourceName", _sub(18, 0x01)))
    el = lambda name, attrs=(), content=(): ("elem", name, list(attrs), list(content))
    system = el("System", content=[
        el("Provider", provider),
        el("EventID", [("Qualifiers", _sub(4, 0x06))], [_sub(3, 0x06)]),
        el("Version", content=[_sub(11, 0x04)]),
        el("Level", content=[_sub(0, 0x04)]),
        el("Task", content=[_sub(2, 0x06)]),
        el("Opcode", content=[_sub(1, 0x04)]),
        el("Keywords", content=[_sub(5, 0x15)]),
        el("TimeCreated", [("SystemTime", _sub(6, 0x11))]),
        el("EventRecordID", content=[_sub(10, 0x0A)]),
        el("Correlation", [("ActivityID", _sub(7, 0x0F)), ("RelatedActivityID", _sub(13, 0x0F))]),
        el("Execution", [("ProcessID", _sub(8, 0x08)), ("ThreadID", _sub(9, 0x08))]),
        el("Channel", content=[_sub(16, 0x01)]),
        el("Computer", content=[computer]),
        el("Security", [("UserID", _sub(12, 0x13))]),
    ])
    return el("Event", [("xmlns", EVENT_NS)], [system, _sub(17, 0x21)])


def _eventdata_template(layout):
    datas = [("elem", "Data", [] if name is None else [("Name", name)], [_sub(i, t, False)])
             for i, (name, t) in enumerate(layout)]
    return ("elem", "EventData", [], datas)


class _Chunk:
    def __init__(self):
        self.buf = bytearray(CHUNK)
        self.pos = 512                      # records start after the 512-byte header
        self.names = {}                     # name -> chunk offset of its NameString
        self.templates = {}                 # template key -> (offset, template id)
        self.name_heads = [0] * 64          # hash table of names (header 128..384)
        self.template_heads = [0] * 32      # hash table of templates (header 384..512)
        self.first_id = self.last_id = None
        self.last_pos = 0


class _Out:
    """Binary XML of one record, built where it will sit in its chunk: names and
    template definitions are written inline at first use in a chunk and later
    referenced by chunk offset, so every offset must be known while writing."""

    def __init__(self, chunk, base):
        self.c, self.base, self.b = chunk, base, bytearray()
        self.new_names, self.new_templates = {}, {}

    def here(self):
        return self.base + len(self.b)

    def name(self, s):
        off = self.c.names.get(s) or self.new_names.get(s)
        if off:
            self.b += struct.pack("<I", off)
            return
        off = self.here() + 4               # inline: the name follows its offset
        self.new_names[s] = off
        self.b += struct.pack("<IIHH", off, 0, _name_hash(s), len(s))
        self.b += s.encode("utf-16-le") + b"\0\0"

    def node(self, n):
        if isinstance(n, str):              # value text, a String
            self.b += struct.pack("<BBH", 0x05, 0x01, len(n)) + n.encode("utf-16-le")
        elif n[0] == "sub":                 # 0x0e optional, 0x0d normal substitution
            self.b += struct.pack("<BHB", 0x0E if n[3] else 0x0D, n[1], n[2])
        else:
            self.element(n)

    def element(self, n):
        _, name, attrs, content = n
        start = len(self.b)
        self.b += struct.pack("<BHI", 0x41 if attrs else 0x01, 0xFFFF, 0)
        self.name(name)
        if attrs:
            at = len(self.b)
            self.b += b"\0\0\0\0"
            for k, (aname, value) in enumerate(attrs):
                self.b.append(0x46 if k + 1 < len(attrs) else 0x06)   # 0x40: more follow
                self.name(aname)
                self.node(value)
            struct.pack_into("<I", self.b, at, len(self.b) - at - 4)
        if content:
            self.b.append(0x02)
            for item in content:
                self.node(item)
            self.b.append(0x04)
        else:
            self.b.append(0x03)
        struct.pack_into("<I", self.b, start + 3, len(self.b) - start - 7)

    def template_instance(self, key, build):
        known = self.c.templates.get(key) or self.new_templates.get(key)
        if known:
            off, tid = known
            self.b += struct.pack("<BBII", 0x0C, 0x01, tid, off)
            return
        guid = hashlib.md5(repr(key).encode()).digest()    # stable per template
        tid = struct.unpack_from("<I", guid)[0]
        off = self.here() + 10              # definition follows the instance header
        self.new_templates[key] = (off, tid)
        self.b += struct.pack("<BBII", 0x0C, 0x01, tid, off)
        self.b += struct.pack("<I", 0) + guid + b"\0\0\0\0"
        at = len(self.b)
        self.b += b"\x0f\x01\x01\x00"       # fragment header
        self.element(build())
        self.b.append(0x00)                 # end of stream
        struct.pack_into("<I", self.b, at - 4, len(self.b) - at)

    def values(self, vals):
        """Template instance data; vals are (type, bytes) or a callable that
        writes a Binary XML value in place (its position matters)."""
        self.b += struct.pack("<I", len(vals))
        desc = len(self.b)
        self.b += bytes(4 * len(vals))
        for i, v in enumerate(vals):
            start = len(self.b)
            if callable(v):
                v()
                t = 0x21
            else:
                t, raw = v
                self.b += raw
            struct.pack_into("<HBB", self.b, desc + 4 * i, len(self.b) - start, t, 0)


def _record(chunk, base, ev, record_id):
    out = _Out(chunk, base)
    written = ev.written or ev.time
    out.b += struct.pack("<IIQQ", 0x2A2A, 0, record_id, filetime(written))
    # A NULL value in a normal substitution makes libfwevt give up on the whole
    # record, so a None Data value is written as an empty string.
    layout = tuple((name, encode_value("" if v is None else v)) for name, v in ev.data)

    def eventdata():
        out.b += b"\x0f\x01\x01\x00"
        key = ("EventData",) + tuple((n, t) for n, (t, _) in layout)
        out.template_instance(key, lambda: _eventdata_template(key[1:]))
        out.values([tv for _, tv in layout])

    guid = uuid.UUID(ev.provider_guid) if ev.provider_guid else None
    vals = [encode_value(UInt8(ev.level)), encode_value(UInt8(ev.opcode)),
            encode_value(UInt16(ev.task)), encode_value(UInt16(ev.event_id)),
            encode_value(None if ev.qualifiers is None else UInt16(ev.qualifiers)),
            encode_value(HexInt64(ev.keywords)), encode_value(FileTime(filetime(ev.time))),
            (0x00, b""),
            encode_value(UInt32(ev.process_id)), encode_value(UInt32(ev.thread_id)),
            encode_value(UInt64(record_id)), encode_value(UInt8(ev.version)),
            encode_value(None if ev.user_sid is None else Sid(ev.user_sid)), (0x00, b""),
            encode_value(ev.provider), encode_value(guid), encode_value(ev.channel),
            eventdata]
    if ev.event_source_name is not None:
        vals.append(encode_value(ev.event_source_name))
    out.b += b"\x0f\x01\x01\x00"
    key = ("System", ev.computer, ev.event_source_name is not None)
    out.template_instance(key, lambda: _system_template(*key[1:]))
    out.values(vals)
    out.b.append(0x00)                              # end of stream
    out.b += bytes(-(len(out.b) + 4) % 8)          # Windows pads records to 8 bytes
    size = len(out.b) + 4
    struct.pack_into("<I", out.b, 4, size)
    out.b += struct.pack("<I", size)
    return out


class EvtxWriter:
    """Streams records into 64 KiB chunks; a chunk is written out when full."""

    def __init__(self, fileobj, *, dirty=False, chunk_fill=CHUNK, max_chunks=None):
        if not 512 < chunk_fill <= CHUNK:
            raise ValueError("chunk_fill must be in (512, 65536]")
        self.f, self.dirty, self.fill, self.max_chunks = fileobj, dirty, chunk_fill, max_chunks
        self.f.write(bytes(HEADER_BLOCK))               # rewritten by close()
        self.chunks = 0
        self.next_id = 1
        self.chunk = _Chunk()

    def add(self, ev):
        """Append one event; False (nothing written) if it needs a chunk past max_chunks."""
        record_id = self.next_id if ev.record_id is None else ev.record_id
        c = self.chunk
        out = _record(c, c.pos, ev, record_id)
        if c.pos + len(out.b) > self.fill and c.first_id is not None:
            if self.max_chunks is not None and self.chunks + 1 >= self.max_chunks:
                return False
            self._flush()                               # records never cross chunks
            c = self.chunk
            out = _record(c, c.pos, ev, record_id)
        if c.pos + len(out.b) > CHUNK:
            raise ValueError("event %d does not fit in one chunk" % record_id)
        c.buf[c.pos:c.pos + len(out.b)] = out.b
        # Link the new names and templates into the chunk's hash tables, newest
        # first as Windows does (a string bucket is hash % 64; our template
        # bucket, template id % 32, is our own choice: readers follow the chain).
        for s, off in out.new_names.items():
            bucket = _name_hash(s) % 64
            struct.pack_into("<I", c.buf, off, c.name_heads[bucket])
            c.name_heads[bucket] = off
            c.names[s] = off
        for key, (off, tid) in out.new_templates.items():
            struct.pack_into("<I", c.buf, off, c.template_heads[tid % 32])
            c.template_heads[tid % 32] = off
            c.templates[key] = (off, tid)
        if c.first_id is None:
            c.first_id = record_id
        c.last_id, c.last_pos = record_id, c.pos
        c.pos += len(out.b)
        self.next_id = record_id + 1
        return True

    def _flush(self, empty_ok=False):
        c = self.chunk
        if c.first_id is None and not empty_ok:
            return
        b = c.buf
        # An empty log still gets one (empty) chunk: libevtx calls a file
        # without chunks corrupted.  Record numbers 0..0 pass its checks.
        first, last = (c.first_id, c.last_id) if c.first_id is not None else (0, 0)
        struct.pack_into("<8sQQQQIIII", b, 0, b"ElfChnk\0", first, last, first, last,
                         128, c.last_pos, c.pos, zlib.crc32(b[512:c.pos]))
        struct.pack_into("<I", b, 120, 1)               # every Windows chunk has 1 here
        struct.pack_into("<64I", b, 128, *c.name_heads)
        struct.pack_into("<32I", b, 384, *c.template_heads)
        struct.pack_into("<I", b, 124, zlib.crc32(bytes(b[:120]) + bytes(b[128:512])))
        self.f.write(b)
        self.chunks += 1
        self.chunk = _Chunk()

    def close(self):
        self._flush(empty_ok=self.chunks == 0)
        h = bytearray(HEADER_BLOCK)
        struct.pack_into("<8sQQQIHHHH", h, 0, b"ElfFile\0", 0, max(self.chunks - 1, 0),
                         self.next_id, 128, 1, 3, HEADER_BLOCK, self.chunks)  # version 3.1
        struct.pack_into("<I", h, 120, 1 if self.dirty else 0)  # 1: dirty, 2: full
        struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[:120])))
        self.f.seek(0)
        self.f.write(h)


def write_evtx(path, events, *, dirty=False, chunk_fill=CHUNK):
    """Write events (any iterable, consumed once) to path.  chunk_fill caps how
    many bytes of each 64 KiB chunk hold records: lower it (e.g. 4096) to spread
    a few events over several chunks."""
    with open(path, "wb") as f:
        w = EvtxWriter(f, dirty=dirty, chunk_fill=chunk_fill)
        for ev in events:
            w.add(ev)
        w.close()


def write_big_evtx(path, target_bytes, make_event, *, dirty=False):
    """Write make_event(0), make_event(1), ... into as many full chunks as make
    the file at least target_bytes.  Returns the number of events written."""
    chunks = max(1, -(-(target_bytes - HEADER_BLOCK) // CHUNK))
    with open(path, "wb") as f:
        w = EvtxWriter(f, dirty=dirty, max_chunks=chunks)
        n = 0
        while w.add(make_event(n)):
            n += 1
        w.close()
    return n


# --- deliberately broken files ---------------------------------------------------
# These edit a written file in place, for tests of bad input.

def records(data):
    """(record id, file offset, size) of each record, walking the chunks."""
    for base in range(HEADER_BLOCK, len(data) - 512, CHUNK):
        if data[base:base + 8] != b"ElfChnk\0":
            continue
        free = struct.unpack_from("<I", data, base + 48)[0]
        pos, end = base + 512, min(base + free, len(data))
        while pos + 28 <= end:
            sig, size, rid = struct.unpack_from("<IIQ", data, pos)
            if sig != 0x2A2A or size < 28:
                break
            yield rid, pos, size
            pos += size


def fix_checksums(data):
    """Recompute every checksum of data (a bytearray) after an edit."""
    for base in range(HEADER_BLOCK, len(data) - CHUNK + 1, CHUNK):
        if data[base:base + 8] != b"ElfChnk\0":
            continue
        free = struct.unpack_from("<I", data, base + 48)[0]
        struct.pack_into("<I", data, base + 52, zlib.crc32(data[base + 512:base + free]))
        struct.pack_into("<I", data, base + 124, zlib.crc32(
            bytes(data[base:base + 120]) + bytes(data[base + 128:base + 512])))
    struct.pack_into("<I", data, 124, zlib.crc32(bytes(data[:120])))


def _edit(path, change):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        change(data)
        f.seek(0)
        f.write(data)
        f.truncate(len(data))


def truncate_evtx(path, at=None):
    """Cut the file at byte offset `at`; by default halfway through its last
    record, which leaves the last chunk short and that record broken."""
    if at is None:
        with open(path, "rb") as f:
            _, pos, size = list(records(f.read()))[-1]
        at = pos + size // 2
    with open(path, "r+b") as f:
        f.truncate(at)


def corrupt_chunk_checksum(path, chunk=0, which="header"):
    """Flip bits of a chunk's stored header (offset 124) or event records
    (offset 52) checksum; the data itself stays intact."""
    field = {"header": 124, "records": 52}[which]
    off = HEADER_BLOCK + chunk * CHUNK + field
    _edit(path, lambda d: d.__setitem__(slice(off, off + 4), bytes(b ^ 0xFF for b in d[off:off + 4])))


def garble_record(path, record_id, garbage=b"\xff" * 8, at=24, checksums_ok=True):
    """Overwrite bytes of one record (by default the start of its binary XML,
    just past the 24-byte record header) with garbage.  With checksums_ok the
    checksums are recomputed, so only the binary XML is wrong."""
    def change(d):
        pos = next(p for rid, p, _ in records(d) if rid == record_id)
        d[pos + at:pos + at + len(garbage)] = garbage
        if checksums_ok:
            fix_checksums(d)
    _edit(path, change)
