"""End-to-end tests of snapshot, compare, installed updates and known bad
updates: the seed incident staged with real BCD stores and SOFTWARE hives
built from them (hives.py), and every kind of bad input."""
import json
import os
import shutil
import tempfile
import unittest

import hives
from hives import LAUNCHTYPE, element
from test_bcd import ENTRY, GOOD_CPU, STORE
from test_cli import assert_one_line_error, run, run_json, statuses


class Staged(unittest.TestCase):
    """One host, before and after patching: the CPU and firmware stay the
    same (a recorded dump and MSRs); the BCD and the updates change."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def esp(self, name, launchtype):
        root = self.path(name)
        boot = os.path.join(root, "EFI", "Microsoft", "Boot")
        os.makedirs(boot)
        hives.copy(boot, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(launchtype)))
        return root

    def volume(self, name, updates):
        """The host's Windows volume: SOFTWARE with these updates, SYSTEM
        with the Hyper-V services on a UEFI host (as the founding host)."""
        os.makedirs(self.path(name))
        return hives.windows_volume(self.path(name), updates, system_hive=True)

    def host(self, esp, volume):
        return [*GOOD_CPU, "--esp", esp, "--windows", volume]

    def snapshot(self, *args, name="before.json"):
        out = self.path(name)
        p = run("snapshot", "-o", out, *args)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))
        return out

    def test_snapshot_is_the_report_with_its_time(self):
        before = self.snapshot(*self.host(self.esp("esp", 1), self.volume("w", [])))
        with open(before) as f:
            doc = json.load(f)
        self.assertEqual(doc["schema"], "hvprobe/1")
        self.assertRegex(doc["snapshot"]["taken_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(doc["host"]["machine_id"], "windows:" + hives.MACHINE_GUID)
        self.assertEqual(doc["facts"]["windows"], {"product": "Windows Server 2012 R2 Datacenter",
                                                   "build": "9600.20207", "live": False})
        self.assertEqual(doc["facts"]["bcd"]["hypervisorlaunchtype"], "Auto")
        self.assertEqual(doc["facts"]["installed"]["items"], [])
        self.assertEqual(doc["verdict"], "pass")

    def test_compare_with_itself_finds_nothing(self):
        host = self.host(self.esp("esp", 1), self.volume("w", hives.SEED_UPDATES))
        before = self.snapshot(*host)
        p, doc = run_json("compare", before, *host)
        self.assertEqual((p.returncode, doc["result"]), (0, "no-regression"), p.stderr)
        self.assertEqual(doc["regressions"], [])
        self.assertEqual(doc["changes"]["updates"], [])
        for group in ("bcd", "firmware", "microcode_kernel", "processor", "other"):
            self.assertEqual(doc["changes"][group], [], group)
        self.assertEqual(doc["suspects"], [])
        # two snapshot files compare the same way
        again = self.snapshot(*host, name="again.json")
        p = run("compare", before, again)
        self.assertEqual(p.returncode, 0)
        self.assertIn("result:  NO REGRESSION", p.stdout)

    def test_launch_type_turned_off_is_a_regression_naming_the_bcd_change(self):
        volume = self.volume("w", [])
        before = self.snapshot(*self.host(self.esp("esp1", 1), volume))
        p, doc = run_json("compare", before, *self.host(self.esp("esp2", 0), volume))
        self.assertEqual((p.returncode, doc["result"]), (1, "regression"))
        self.assertEqual(doc["regressions"], [{"id": "bcd.hypervisorlaunchtype", "before": "pass",
                                               "after": "fail", "summary": 'Off in "Windows 10"'}])
        self.assertEqual(doc["changes"]["bcd"], [{"key": "bcd.hypervisorlaunchtype",
                                                  "before": "Auto", "after": "Off"}])
        self.assertEqual(doc["suspects"], [])  # no update came
        text = run("compare", before, *self.host(self.esp("esp3", 0), volume)).stdout
        self.assertIn("bcd.hypervisorlaunchtype PASS    -> FAIL    Off in \"Windows 10\"", text)
        self.assertIn("No update was added since the baseline", text)

    def test_the_seed_incident(self):
        # Before: Hyper-V launches. Overnight: three updates, and the boot
        # entry no longer launches the hypervisor.
        before = self.snapshot(*self.host(self.esp("esp1", 1), self.volume("w1", [])))
        after = self.host(self.esp("esp2", 0), self.volume("w2", hives.SEED_UPDATES))
        p, doc = run_json("compare", before, *after)
        self.assertEqual(p.returncode, 1)
        added = [c["after"]["name"] for c in doc["changes"]["updates"] if c["change"] == "added"]
        self.assertEqual(sorted(added), ["KB5008868", "KB5008883", "KB5009624"])
        suspects = doc["suspects"]
        self.assertEqual([s["update"]["name"] for s in suspects], ["KB5009624", "KB5008883", "KB5008868"])
        self.assertEqual(suspects[0]["update"]["installed_at"], "2022-01-11T20:29:57Z")
        self.assertEqual(suspects[0]["remove"], "wusa /uninstall /kb:5009624 /norestart, then restart")
        self.assertIn("pause automatic updates", suspects[0]["hold"])
        # only January's rollup is documented to stop the hypervisor
        self.assertEqual(suspects[0]["known_bad"]["platforms"], "windows-8.1 windows-server-2012r2")
        self.assertEqual([s.get("known_bad") for s in suspects[1:]], [None, None])
        text = run("compare", before, *after).stdout
        self.assertIn("Suspects, newest first (3):", text)
        self.assertIn("known bad: Hyper-V virtual machines fail to start on hosts that boot by UEFI", text)
        suspects_text = text[text.index("Suspects"):]
        self.assertLess(suspects_text.index("KB5009624 (installed"), suspects_text.index("KB5008868 (installed"))
        # the known bad updates are flagged without any baseline too
        p, doc = run_json(*after)
        c = next(c for c in doc["checks"] if c["id"] == "updates.known_bad")
        self.assertEqual((c["status"], c["level"]), ("fail", "required"))
        self.assertEqual(c["summary"], "KB5009624 is installed and is known to stop the hypervisor "
                                       "from starting on this host")
        self.assertEqual(c["evidence"]["KB5009624"]["value"], "installed, applies: it is in effect")
        self.assertEqual(c["evidence"]["windows_build"]["value"], "9600.20207")
        self.assertEqual(c["evidence"]["uefi"]["value"], True)
        self.assertNotIn("KB5008868", c["evidence"])
        self.assertIn("KB5010794", c["remedy"])
        self.assertIn("wusa /uninstall /kb:5009624", c["remedy"])
        self.assertEqual((p.returncode, doc["verdict"]), (1, "fail"))

    def test_an_update_that_is_only_staged_is_not_a_suspect(self):
        staged = [("KB5009624", 0x40, 0x01D8072A_00000000)]
        before = self.snapshot(*self.host(self.esp("esp1", 1), self.volume("w1", [])))
        p, doc = run_json("compare", before, *self.host(self.esp("esp2", 0), self.volume("w2", staged)))
        self.assertEqual(p.returncode, 1)
        self.assertEqual(doc["changes"]["updates"][0]["after"]["state"], "staged")
        self.assertEqual(doc["suspects"], [])
        st = statuses(run_json(*self.host(self.esp("esp3", 1), self.volume("w3", staged)))[1])
        self.assertEqual(st["updates.known_bad"], "pass")

    def test_microcode_change_alone_is_listed_not_a_regression(self):
        bundle = self.path("b1")
        self.assertEqual(run("collect", "-o", bundle).returncode, 0)
        shutil.copytree(bundle, self.path("b2"))
        for name, rev in (("b1", "0xf0"), ("b2", "0xf4")):
            cpuinfo = self.path(name, "cpuinfo.txt")
            with open(cpuinfo) as f:
                lines = [l for l in f.read().splitlines() if not l.startswith("microcode")]
            out = []
            for line in lines:
                out.append(line)
                if line.startswith("processor"):
                    out.append(f"microcode\t: {rev}")
            with open(cpuinfo, "w") as f:
                f.write("\n".join(out) + "\n")
        before = self.snapshot("--from", self.path("b1"))
        p, doc = run_json("compare", before, "--from", self.path("b2"))
        self.assertEqual(doc["regressions"], [])
        self.assertEqual(doc["changes"]["microcode_kernel"], [{"key": "cpu.microcode", "before": "0xf0",
                                                               "after": "0xf4"}])
        self.assertEqual(p.returncode, 2 if doc["undecided"] else 0)


class BaselineFiles:
    """A temporary directory with a good snapshot of the healthy host
    (self.good, as self.text and self.doc) and baselines written beside it."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.good = os.path.join(self.tmp, "good.json")
        p = run("snapshot", "-o", self.good, *GOOD_CPU)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.good) as f:
            self.text = f.read()
        self.doc = json.loads(self.text)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, text, name="baseline.json"):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path


class BadInput(BaselineFiles, unittest.TestCase):
    def refused(self, args, code, *words):
        out = os.path.join(self.tmp, "out.txt")
        with open(out, "w") as f:
            f.write("previous\n")
        p = run(*args, "-o", out)
        assert_one_line_error(self, p, code, *words)
        with open(out) as f:
            self.assertEqual(f.read(), "previous\n")  # nothing overwritten

    def test_baselines_that_are_not_snapshots(self):
        text = json.dumps(self.doc)
        cases = [
            ("", "empty"),
            ("not json", "not JSON"),
            (text[: len(text) // 2], "truncated"),
            (text + " {}", "not one JSON object"),
            ("[1, 2]", "not one JSON object"),
            (json.dumps(dict(self.doc, schema="hvprobe/2")), 'another schema than the "hvprobe/1"'),
            (json.dumps({k: v for k, v in self.doc.items() if k != "checks"}), 'key "checks": missing'),
            (json.dumps(dict(self.doc, checks={})), 'key "checks": expected an array'),
            (json.dumps(dict(self.doc, checks=[{"id": "cpu.nx", "status": "great"}])),
             'key "checks[].status"'),
            (json.dumps(dict(self.doc, host=[])), 'key "host": expected an object'),
            (json.dumps(dict(self.doc, facts=dict(self.doc["facts"], installed={"items": [{"kind": "x"}]}))),
             'key "facts.installed.items[].name": missing'),
        ]
        for text_, words in cases:
            with self.subTest(words=words):
                path = self.write(text_)
                self.refused(["compare", path, self.good], 65, path, words)

    def test_missing_baseline(self):
        self.refused(["compare", os.path.join(self.tmp, "nope.json"), *GOOD_CPU], 66, "No such file")
        p = run("compare")
        self.assertEqual(p.returncode, 64)

    def test_another_host_is_refused_unless_forced(self):
        other = self.write(json.dumps(dict(self.doc, host=dict(self.doc["host"], machine_id="0" * 32))))
        mine = self.write(json.dumps(dict(self.doc, host=dict(self.doc["host"], machine_id="1" * 32))),
                          name="mine.json")
        self.refused(["compare", other, mine], 65, "taken on another host", "--force")
        p = run("compare", other, mine, "--force")
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_unknown_keys_are_ignored(self):
        doc = dict(self.doc, future={"x": [1, {"y": None}]})
        doc["facts"] = dict(doc["facts"], newfact="\\u00e9t\u00e9 \"quoted\"")
        path = self.write(json.dumps(doc))
        p = run("compare", path, self.good)
        self.assertEqual(p.returncode, 0, p.stderr)
        p, cmp = run_json("compare", path, self.good)
        self.assertEqual(cmp["changes"]["other"], [{"key": "newfact", "before": "\\u00e9t\u00e9 \"quoted\"",
                                                    "after": "null"}])

    def test_bad_software_hives(self):
        root = os.path.join(self.tmp, "C")
        config = os.path.join(root, "Windows", "System32", "config")
        os.makedirs(config)
        shutil.copyfile(os.path.join(hives.BCD, STORE), os.path.join(config, "SOFTWARE"))
        self.refused([*GOOD_CPU, "--windows", root], 65, "not a Windows SOFTWARE hive")
        with open(os.path.join(config, "SOFTWARE"), "wb") as f:
            f.write(b"regf" + bytes(100))
        self.refused([*GOOD_CPU, "--windows", root], 65, "truncated registry hive")
        self.refused([*GOOD_CPU, "--windows", self.tmp + "/none"], 66, "Windows/System32/config/SOFTWARE")

    def test_known_issues_file(self):
        good = self.write("# mine\nKB1234567 | windows-server-2019 | breaks Hyper-V | our lab | "
                          "wusa /uninstall /kb:1234567\n", name="known.txt")
        self.assertEqual(run(*GOOD_CPU, "--known-issues", good, "-q").returncode, 0)
        for text, words in (("KB1 | a | b | c\n", "line 1: 4 fields, expected 5"),
                            ("\n# c\nKB 1 | a | b | c | d\n", "line 3: the id has a blank in it"),
                            ("KB1 |  | b | c | d\n", "field 2 (platforms)")):
            with self.subTest(words=words):
                bad = self.write(text, name="bad.txt")
                self.refused([*GOOD_CPU, "--known-issues", bad], 65, bad, words)

    def test_failed_snapshot_keeps_the_old_baseline(self):
        p = run("snapshot", "-o", self.good, *GOOD_CPU, "--bcd", os.path.join(self.tmp, "nope"))
        self.assertEqual(p.returncode, 66)
        with open(self.good) as f:
            self.assertEqual(json.load(f), self.doc)


if __name__ == "__main__":
    unittest.main()
