# SPDX-License-Identifier: MIT
"""The tree keeps the one-way flow of docs/architecture.md.

Every #include "..." in a folder of the flow may name only its own folder
or one earlier in the flow (ALLOWED below), and every C source of those
folders is named in cmake/sources.cmake, the one list the Linux, Windows
and UEFI builds read."""
import os
import re
import tempfile
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Which folders each folder may include from: the flow is
# formats -> probe, platform -> formats, judge -> formats, report -> judge,
# and the two programs (cli/, efi/) on top. compat/ stands alone.
ALLOWED = {
    "probe": {"probe"},
    "formats": {"formats", "probe"},
    "platform": {"platform", "formats", "probe"},
    "judge": {"judge", "formats", "probe"},
    "report": {"report", "judge", "formats", "probe"},
    "compat": {"compat"},
    "cli": {"cli", "platform", "report", "judge", "formats", "probe"},
    "efi": {"efi", "compat", "platform", "report", "judge", "formats", "probe"},
}

# Built outside the lists on purpose: hivex's name conversions for the
# static binary only (CMakeLists.txt, hvprobe-static).
UNLISTED = {"platform/hive/iconv_builtin.c"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def c_files(root):
    for folder in ALLOWED:
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if name.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(dirpath, name), root)


def violations(root):
    """(file, include, folder it reaches) for every include against the flow."""
    found = []
    for path in c_files(root):
        folder = path.split(os.sep)[0]
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = f.read()
        for target in INCLUDE.findall(text):
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
            if resolved.startswith(".."):
                found.append((path, target, "outside the repository"))
                continue
            reached = resolved.split(os.sep)[0]
            if not os.path.exists(os.path.join(root, resolved)):
                continue  # a header of an include path (compat/uefi/include, gnu-efi)
            if reached not in ALLOWED[folder]:
                found.append((path, target, reached))
    return found


def unlisted_sources(root):
    with open(os.path.join(root, "cmake", "sources.cmake"), encoding="utf-8") as f:
        listed = set(re.findall(r"^  (\S+\.c)$", f.read(), re.M))
    return [p for p in c_files(root)
            if p.endswith(".c") and p.replace(os.sep, "/") not in listed | UNLISTED]


class Layout(unittest.TestCase):
    def test_includes_follow_the_flow(self):
        self.assertEqual(violations(ROOT), [])

    def test_every_source_is_in_the_one_list(self):
        self.assertEqual(unlisted_sources(ROOT), [])

    def test_a_check_including_a_renderer_is_caught(self):
        with tempfile.TemporaryDirectory() as tree:
            for d in ("probe", "report"):
                os.mkdir(os.path.join(tree, d))
            with open(os.path.join(tree, "report", "report.h"), "w") as f:
                f.write("\n")
            with open(os.path.join(tree, "probe", "checks_cpu.c"), "w") as f:
                f.write('#include "../report/report.h"\n')
            self.assertEqual(violations(tree),
                             [("probe/checks_cpu.c", "../report/report.h", "report")])

    def test_a_source_left_out_of_the_list_is_caught(self):
        with tempfile.TemporaryDirectory() as tree:
            os.makedirs(os.path.join(tree, "cmake"))
            os.mkdir(os.path.join(tree, "probe"))
            with open(os.path.join(tree, "cmake", "sources.cmake"), "w") as f:
                f.write("set(HVPROBE_PROBE_SOURCES\n  probe/facts.c\n)\n")
            for name in ("facts.c", "new_check.c"):
                open(os.path.join(tree, "probe", name), "w").close()
            self.assertEqual(unlisted_sources(tree), ["probe/new_check.c"])


if __name__ == "__main__":
    unittest.main()
