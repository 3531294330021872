"""Hostile inputs that used to take quadratic time (issue 13).

Each input is made here from real data: a BCD store with a thousand OS
loaders (a fixture copy changed with hivexregedit, as in hives.py),
baselines that are a real snapshot with deep nesting, a repeated key or a
NUL added, and a CPUID dump that is a real AIDA64 dump padded to 4,096
leaves per CPU. The tests assert what each run answers, never how long it
took: the 60 s subprocess timeout of test_cli.run only guards against a
hang (before issue 13 the store took about 160 s, and the deep baselines
20 s and 90 s).

Run as a script, `python3 test_hostile_inputs.py DIR` writes the same
inputs to DIR for bench/bench.sh.
"""
import json
import os
import shutil
import sys
import tempfile
import unittest

import hives
from test_bcd import GOOD_FIRMWARE
from test_cli import CPUID, assert_one_line_error, run, run_json, statuses
from test_compare import BaselineFiles
from hives import BOOTLOADERSETTINGS, BOOTMGR, DEFAULT, DESCRIPTION, HYPERVISORSETTINGS, INHERIT, LAUNCHTYPE

LOADERS = 1000
MISSING = 800       # ids in the shared inherit list that name no object (62 KB of 64)
LEAVES = 4096       # EVIDENCE_MAX_LEAVES_PER_CPU
MAX_DEPTH = 64      # JSON_MAX_DEPTH
SHARED = "{00000000-0000-0000-0000-0000000fffff}"
DUMP = "intel_x86-64_redwood-cove_intel-core-ultra-7-155h.txt"  # 22 logical CPUs


def guid(n):
    """Ids that share 30 characters: the old lookup compared each far."""
    return "{00000000-0000-0000-0000-%012x}" % n


def loader_key(i):
    """Every other loader's key in upper case: ids match in any case."""
    return guid(i).upper() if i % 2 else guid(i)


def make_store(tmpdir, loaders=LOADERS, missing=MISSING):
    """The fixture store plus `loaders` OS loaders, each inheriting a
    settings object whose inherit list names `missing` absent objects
    before {hypervisorsettings} (twice, once in upper case), and the
    usual {bootloadersettings}. The shared object sets
    hypervisorlaunchtype Auto; {bootmgr}'s default is the last loader."""
    def obj(key, typ):
        k = f"\\Objects\\{key}"
        return [f"[{k}]\n", f"[{k}\\Description]\n\"Type\"=dword:{typ:08x}\n", f"[{k}\\Elements]\n"]

    names = [guid(0x800000 + j) for j in range(missing)]
    names += [HYPERVISORSETTINGS.upper(), HYPERVISORSETTINGS]
    blocks = obj(SHARED, 0x20200003)
    blocks += [hives.element(SHARED, INHERIT, hives.object_list(*names)),
               hives.element(SHARED, LAUNCHTYPE, hives.integer(1))]
    for i in range(loaders):
        key = loader_key(i)
        blocks += obj(key, 0x10200003)
        blocks += [hives.element(key, DESCRIPTION, hives.string(f"Windows {i}")),
                   hives.element(key, INHERIT, hives.object_list(SHARED.upper(), BOOTLOADERSETTINGS))]
    blocks.append(hives.element(BOOTMGR, DEFAULT, hives.string(guid(loaders - 1))))
    return hives.copy(tmpdir, "h1ppy_0pts-bitpixie__Boot_BCD", *blocks)


def nested(depth):
    """`depth` arrays inside each other, spaced so that a 2 MB document
    stays under the reader's million tokens."""
    return "[ " * depth + "] " * depth


def with_future(snapshot_text, value_text):
    """A snapshot with one more top-level key (readers ignore unknown
    keys), its value given as JSON text."""
    assert snapshot_text.rstrip().endswith("}")
    return snapshot_text.rstrip()[:-1] + ', "future": ' + value_text + "}\n"


def dump_cpus():
    """The real dump's CPUs, each a list of (key, line): key is the leaf
    and subleaf as written ("00000004", "01")."""
    cpus = []
    with open(os.path.join(hives.FIXTURES, "cpuid", DUMP)) as f:
        for line in f:
            if "Logical CPU #" in line:
                cpus.append([])
            elif line.startswith("CPUID ") and cpus:
                sub = line.split("[SL ")[1][:2] if "[SL " in line else None
                cpus[-1].append(((line[6:14], sub), line.rstrip("\n")))
    return cpus


def make_dump(path, copies=1):
    """The real 22-CPU dump (`copies` times, renumbered), each CPU padded
    to LEAVES leaves in range 0x20000000, which nothing decodes, and
    written backwards; each recorded leaf comes first with zeroed
    registers, then as recorded (the last one read counts)."""
    cpus = dump_cpus()
    with open(path, "w") as out:
        for n in range(copies * len(cpus)):
            leaves = cpus[n % len(cpus)]
            out.write(f"------[ CPUID Registers / Logical CPU #{n} ]------\n")
            for i in range(LEAVES - len({key for key, _ in leaves}), 0, -1):
                out.write(f"CPUID {0x20000000 + i:X}: 0-0-0-0\n")
            for (leaf, sub), _ in reversed(leaves):
                out.write(f"CPUID {leaf}: 0-0-0-0" + (f" [SL {sub}]" if sub else "") + "\n")
            out.write("\n".join(line for _, line in leaves) + "\n")
    return len(cpus) * copies




class BigStore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.store = make_store(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_every_loader_resolves(self):
        p, doc = run_json(*GOOD_FIRMWARE, "--bcd", self.store, "--bcd-entry", "all")
        self.assertEqual(p.returncode, 2, p.stderr)  # no event log: launch unknown
        bcd = doc["facts"]["bcd"]
        chain = [SHARED, HYPERVISORSETTINGS, BOOTLOADERSETTINGS]
        self.assertEqual((bcd["entry"], bcd["error"], bcd["hypervisorlaunchtype"]),
                         (guid(LOADERS - 1), None, "Auto"))
        self.assertEqual(bcd["inherited_from"][:3], chain)
        mine = [e for e in bcd["entries"] if e["id"] != "{e9f88ef3-fa6f-11eb-a962-ef6fc553cae8}"]
        self.assertEqual(len(bcd["entries"]), LOADERS + 1)
        self.assertEqual([e["id"] for e in mine], [guid(i) for i in range(LOADERS)])
        for i, e in enumerate(mine):
            self.assertEqual((e["description"], e["hypervisorlaunchtype"], e["problem"]),
                             (f"Windows {i}", "Auto", None))
            self.assertEqual(e["inherited_from"], bcd["inherited_from"])
        st = statuses(doc)
        self.assertEqual((st["bcd.entry"], st["bcd.hypervisorlaunchtype"]), ("pass", "pass"))

    def test_text_lists_them_all(self):
        p = run(*GOOD_FIRMWARE, "--bcd", self.store, "--bcd-entry", "all")
        self.assertIn(f"OS loader entries ({LOADERS + 1}) in", p.stdout)
        self.assertIn(f'* {guid(LOADERS - 1)} "Windows {LOADERS - 1}" (default): '
                      "hypervisorlaunchtype Auto", p.stdout)

    def test_an_entry_named_in_another_case(self):
        p, doc = run_json(*GOOD_FIRMWARE, "--bcd", self.store, "--bcd-entry", guid(7).upper())
        bcd = doc["facts"]["bcd"]
        self.assertEqual((bcd["entry"], bcd["description"], bcd["hypervisorlaunchtype"]),
                         (guid(7), "Windows 7", "Auto"))


class DeepBaselines(BaselineFiles, unittest.TestCase):
    def refused(self, text, *words):
        path = self.write(text)
        p = run("compare", path, self.good)
        assert_one_line_error(self, p, 65, path, *words)
        return p

    def test_two_megabytes_of_nesting_is_refused(self):
        text = with_future(self.text, nested(499_000))
        self.assertGreater(len(text), 2_000_000)
        self.refused(text, f"nested deeper than {MAX_DEPTH} arrays and objects at byte ")
        self.refused(with_future(self.text, '{"k": ' * 300_000 + "1" + "}" * 300_000),
                     f"nested deeper than {MAX_DEPTH}")

    def test_600_000_empty_arrays_are_read(self):
        # shallow, but without parent links jsmn looked back over every
        # earlier sibling at each closing bracket
        text = with_future(self.text, "[" + ",".join(["[]"] * 600_000) + "]")
        self.assertGreater(len(text), 1_800_000)
        p = run("compare", self.write(text), self.good)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("no regression", p.stdout.lower())

    def test_nesting_up_to_the_limit_is_read(self):
        # the snapshot's object is level 1, "future" holds the other 63
        path = self.write(with_future(self.text, nested(MAX_DEPTH - 1)))
        p = run("compare", path, self.good)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.refused(with_future(self.text, nested(MAX_DEPTH)), f"nested deeper than {MAX_DEPTH}")

    def test_a_repeated_key_is_refused_without_quoting_it(self):
        self.assertIn("verdict", json.loads(self.text))
        # "verdict" a second time: which one would count?
        text = self.text.rstrip()[:-1] + ', "verdict": "pass", "secretkey": 1, "secretkey": 2}'
        p = self.refused(text, "a key repeated in one object at byte ")
        self.assertNotIn("verdict", p.stderr)
        p = self.refused(with_future(self.text, '{"secretkey": 1, "secret\\u006bey": 2}'),
                         "a key repeated in one object at byte ")
        self.assertNotIn("secret", p.stderr)

    def test_nul_is_refused_without_quoting_it(self):
        p = self.refused(with_future(self.text, '"secret\\u0000tail"'),
                         "a NUL character (\\u0000) in a string at byte ")
        self.assertNotIn("secret", p.stderr)
        p = self.refused(with_future(self.text, '"secret\0tail"'), "a NUL byte at byte ")
        self.assertNotIn("secret", p.stderr)
        self.refused(self.text + "\0", "a NUL byte at byte ")


class BigDump(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_4096_leaves_per_cpu_judge_as_the_real_dump(self):
        path = os.path.join(self.tmp, "dump.txt")
        ncpus = make_dump(path, copies=4)
        with open(path) as f:
            per_cpu = f.read().count("CPUID 20000001:")
        self.assertEqual(per_cpu, ncpus)
        p, padded = run_json("--cpuid-dump", path)
        q, real = run_json("--cpuid-dump", os.path.join(CPUID, DUMP))
        self.assertEqual(p.returncode, q.returncode, p.stderr)
        self.assertEqual(padded["facts"]["cpu"],
                         dict(real["facts"]["cpu"], logical_cpus=ncpus, cpus_with_data=ncpus))
        judged = {c["id"]: (c["status"], c["summary"]) for c in padded["checks"]}
        expected = {c["id"]: (c["status"], c["summary"]) for c in real["checks"]}
        expected["cpu.consistency"] = ("pass", f"{ncpus} logical CPUs agree")
        self.assertEqual(judged, expected)

    def test_one_leaf_more_is_refused(self):
        path = os.path.join(self.tmp, "dump.txt")
        make_dump(path)
        with open(path, "a") as f:
            f.write("CPUID 2FFFFFFF: 0-0-0-0\n")  # the last CPU's 4,097th leaf
        p = run("--cpuid-dump", path)
        assert_one_line_error(self, p, 65, "CPU 21 has more than 4096 leaves")


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    make_store(out)
    with open(os.path.join(out, "deep-2MB.json"), "w") as f:
        f.write('{"schema": "hvprobe/1", "future": ' + nested(500_000) + "}\n")
    good = os.path.join(out, "good.json")
    run("snapshot", "-o", good, *GOOD_FIRMWARE)
    with open(good) as f, open(os.path.join(out, "wide.json"), "w") as w:
        w.write(with_future(f.read(), "[" + ",".join(["[]"] * 600_000) + "]"))
    # 638 CPUs: as many as fit in hvprobe's 64 MiB input limit
    make_dump(os.path.join(out, "dump-4096.txt"), copies=29)
