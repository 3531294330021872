"""hvprobe(1) against the built binary.

The man page is written by hand (man/hvprobe.1.in); these tests keep it in
step with `hvprobe --help`, both ways, check that groff renders it without
a warning, and that its version and the binary's are project()'s.
HVPROBE_MANPAGE is the build tree's copy, HVPROBE_PROJECT_VERSION the
version in CMakeLists.txt.
"""
import os
import re
import shutil
import subprocess
import unittest

HVPROBE = os.environ["HVPROBE"]
MANPAGE = os.environ["HVPROBE_MANPAGE"]
VERSION = os.environ["HVPROBE_PROJECT_VERSION"]

# An option as --help and the rendered page print it: "-t, --target NAME",
# "--cpuid-dump FILE", "--syslog".
OPTION_LINE = re.compile(r"^\s+((?:-[A-Za-z], )?--[a-z][a-z-]*)\b")


def options_of(lines):
    """The set of option names (short and long) that start these lines."""
    found = set()
    for line in lines:
        m = OPTION_LINE.match(line)
        if m:
            found.update(m.group(1).split(", "))
    return found


def render(path):
    """The page as plain text (no bold, underline or colour), and groff's
    warnings (-ww: all of them)."""
    p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-P-cbou", path],
                       capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
    # Some groff builds print a minus as U+2212 and a hyphen as U+2010.
    text = p.stdout.replace("\u2212", "-").replace("\u2010", "-")
    return p, text


def section(text, name):
    """The lines of one section: from its heading (flush left, capitals) to
    the next heading."""
    lines = text.splitlines()
    start = lines.index(name) + 1
    end = next((i for i in range(start, len(lines)) if re.match(r"^[A-Z][A-Z ]+$", lines[i])),
               len(lines))
    return lines[start:end]


def need(tool, package):
    if not shutil.which(tool):
        raise AssertionError("%s not found: install %s (sh scripts/install-deps.sh test)"
                             % (tool, package))


class ManPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        need("groff", "groff-base")
        cls.proc, cls.text = render(MANPAGE)
        cls.help = subprocess.run([HVPROBE, "--help"], capture_output=True, text=True,
                                  check=True).stdout

    def test_renders_without_warnings(self):
        self.assertEqual((self.proc.returncode, self.proc.stderr), (0, ""))
        self.assertIn("HVPROBE(1)", self.text)

    def test_every_placeholder_filled(self):
        with open(MANPAGE) as f:
            source = f.read()
        self.assertNotRegex(source, r"@[A-Z_]+@")

    def test_sections(self):
        for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "TARGETS",
                     "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"):
            self.assertIn(name, self.text.splitlines(), name)
        commands = "\n".join(section(self.text, "COMMANDS"))
        for command in ("check", "collect", "snapshot", "compare"):
            self.assertRegex(commands, r"(?m)^\s+" + command + r"\b", command)

    def test_every_help_option_has_its_entry(self):
        in_help = options_of(self.help.splitlines())
        in_page = options_of(section(self.text, "OPTIONS"))
        self.assertGreater(len(in_help), 20)
        self.assertEqual(in_help - in_page, set(), "in --help, missing from OPTIONS")
        self.assertEqual(in_page - in_help, set(), "in OPTIONS, not in --help")

    def test_every_target_has_its_entry(self):
        m = re.search(r"--target NAME\s+(.*)", self.help)
        targets = re.findall(r"[a-z][a-z0-9-]+", m.group(1).replace(" or ", " "))
        self.assertIn("hyperv-2012r2", targets)
        entries = section(self.text, "TARGETS")
        for t in targets:
            self.assertTrue(any(re.match(r"^\s+" + re.escape(t) + r"(\s|$)", line)
                                for line in entries), t)

    def test_every_exit_code_of_help_has_its_entry(self):
        codes = set(re.findall(r"\b(\d+) ", self.help[self.help.index("Exit codes:"):]))
        self.assertEqual(codes, {"0", "1", "2", "64", "65", "66", "71", "73", "74"})
        entries = {line.strip() for line in section(self.text, "EXIT STATUS")
                   if re.match(r"^\s+\d+(\s|$)", line)}
        listed = {e.split()[0] for e in entries}
        self.assertEqual(codes - listed, set())

    def test_version_is_projects(self):
        p = subprocess.run([HVPROBE, "--version"], capture_output=True, text=True)
        self.assertEqual((p.returncode, p.stdout), (0, "hvprobe %s\n" % VERSION))
        self.assertIn("hvprobe %s" % VERSION, self.text.splitlines()[-1])

    @unittest.skipUnless(os.environ.get("HVPROBE_STATIC"), "hvprobe-static not built")
    def test_static_version_is_projects(self):
        p = subprocess.run([os.environ["HVPROBE_STATIC"], "--version"], capture_output=True,
                           text=True)
        self.assertEqual((p.returncode, p.stdout), (0, "hvprobe %s\n" % VERSION))

    @unittest.skipUnless(os.environ.get("HVPROBE_EFI"), "hvprobe.efi not built")
    def test_efi_version_is_projects(self):
        # scripts/build-uefi.sh reads the version out of project() with sed:
        # a project() line it no longer matches would leave it empty.
        with open(os.environ["HVPROBE_EFI"], "rb") as f:
            self.assertIn(b"\0" + VERSION.encode() + b"\0", f.read())

    def test_whatis_reads_the_name(self):
        need("lexgrog", "man-db")
        # mandb and apropos index the page by its NAME line.
        p = subprocess.run(["lexgrog", MANPAGE], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn('"hvprobe - can the hypervisor launch', p.stdout)


if __name__ == "__main__":
    unittest.main()
