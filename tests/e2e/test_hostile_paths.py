"""Hostile input and output paths (issue 13), each class of problem at its
mechanism:
- the output policy: -o replaces only a regular file (keeping its mode),
  writes a character device or a FIFO in place, refuses the rest (73),
  leaves no temporary file behind on SIGTERM, and a full disk is 74 even
  for --help;
- the input policy: every input is opened without waiting (a FIFO is
  refused, never waited on), only a regular file is read, a bundle's
  pieces are never followed out of it, and no error quotes an input;
- registry hives are checked from their base block, not read whole, so a
  long-serviced 80 MB SOFTWARE hive is read;
- text for people never carries terminal controls: ESC, C1 controls and
  bidi overrides in a key name, a description or a CPU brand.
All device nodes and links are made in temporary directories, never /dev.
"""
import os
import shutil
import signal
import stat
import struct
import subprocess
import tempfile
import time
import unittest

import hives
from hives import element
from test_cli import CPUID, HVPROBE, assert_one_line_error, run

DUMP = os.path.join(CPUID, "amd_k8_amd-turion-dual-core-rm-70.txt")


def needs_root(tc):
    if os.geteuid() != 0:
        tc.skipTest("needs root (mknod)")


class OutputPolicy(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def leftovers(self):
        return [n for n in os.listdir(self.tmp) if ".tmp-" in n]

    def test_a_character_device_is_written_in_place_not_replaced(self):
        needs_root(self)
        null = self.path("null")
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
        p = run("--cpuid-dump", DUMP, "-o", null)
        self.assertLess(p.returncode, 64, p.stderr)
        self.assertTrue(stat.S_ISCHR(os.lstat(null).st_mode))  # still the device
        self.assertEqual(self.leftovers(), [])

    def test_dev_stdout_through_a_link_writes_to_the_pipe(self):
        link = self.path("stdout")
        os.symlink("/proc/self/fd/1", link)
        p = run("--cpuid-dump", DUMP, "-f", "json", "-o", link)
        self.assertLess(p.returncode, 64, p.stderr)
        self.assertIn('"schema": "hvprobe/1"', p.stdout)
        self.assertTrue(os.path.islink(link))

    def test_a_planted_link_to_a_file_is_refused_and_the_file_untouched(self):
        target = self.path("shadow")
        with open(target, "w") as f:
            f.write("secret\n")
        link = self.path("report.json")
        os.symlink(target, link)
        assert_one_line_error(self, run("--cpuid-dump", DUMP, "-o", link), 73, link,
                              "symbolic link")
        with open(target) as f:
            self.assertEqual(f.read(), "secret\n")
        self.assertTrue(os.path.islink(link))
        self.assertEqual(self.leftovers(), [])

    def test_a_directory_is_73(self):
        assert_one_line_error(self, run("--cpuid-dump", DUMP, "-o", self.tmp), 73, self.tmp,
                              "is a directory")

    def test_a_fifo_without_a_reader_is_refused_not_waited_on(self):
        fifo = self.path("fifo")
        os.mkfifo(fifo)
        p = subprocess.run([HVPROBE, "--cpuid-dump", DUMP, "-o", fifo], capture_output=True,
                           text=True, timeout=20)
        assert_one_line_error(self, p, 73, fifo, "no reader")

    def test_a_fifo_with_a_reader_gets_the_report(self):
        fifo = self.path("fifo")
        os.mkfifo(fifo)
        reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE, text=True)
        time.sleep(0.2)
        p = subprocess.run([HVPROBE, "--cpuid-dump", DUMP, "-o", fifo], capture_output=True,
                           text=True, timeout=20)
        out, _ = reader.communicate(timeout=20)
        self.assertLess(p.returncode, 64, p.stderr)
        self.assertIn("verdict:", out)

    def test_modes_kept_and_private_when_new(self):
        kept = self.path("kept.txt")
        with open(kept, "w") as f:
            f.write("old\n")
        os.chmod(kept, 0o640)
        run("--cpuid-dump", DUMP, "-o", kept)
        self.assertEqual(stat.S_IMODE(os.stat(kept).st_mode), 0o640)
        new = self.path("new.txt")
        run("--cpuid-dump", DUMP, "-o", new)
        self.assertEqual(stat.S_IMODE(os.stat(new).st_mode), 0o600)
        bundle = self.path("bundle")
        self.assertEqual(run("collect", "--cpuid-dump", DUMP, "-o", bundle, "-q").returncode, 0)
        self.assertEqual(stat.S_IMODE(os.stat(bundle).st_mode), 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(bundle, "cpuid.txt")).st_mode), 0o600)

    def test_help_and_version_to_a_full_disk_are_74(self):
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        for arg in ("--help", "--version"):
            with open("/dev/full", "w") as full:
                p = subprocess.run([HVPROBE, arg], stdout=full, stderr=subprocess.PIPE, text=True)
            self.assertEqual(p.returncode, 74, arg)
            self.assertIn("standard output", p.stderr)

    def test_sigterm_while_writing_leaves_no_temporary_file(self):
        """fsync made slow by a preloaded shim, so SIGTERM lands while the
        temporary file exists; the report is then complete, or the old one."""
        if "libasan" in subprocess.run(["ldd", HVPROBE], capture_output=True, text=True).stdout:
            self.skipTest("a sanitizer build cannot take a preloaded library first")
        cc = shutil.which("cc") or shutil.which("gcc")
        if not cc:
            self.skipTest("no C compiler for the shim")
        src, shim = self.path("slow.c"), self.path("slow.so")
        with open(src, "w") as f:
            f.write("#define _GNU_SOURCE\n#include <dlfcn.h>\n#include <unistd.h>\n"
                    "int fsync(int fd) { usleep(1000000);"
                    " int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, \"fsync\");"
                    " return real(fd); }\n")
        subprocess.run([cc, "-shared", "-fPIC", "-o", shim, src, "-ldl"], check=True)
        out = self.path("report.txt")
        with open(out, "w") as f:
            f.write("old\n")
        env = dict(os.environ, LD_PRELOAD=shim)
        proc = subprocess.Popen([HVPROBE, "--cpuid-dump", DUMP, "-o", out], env=env)
        deadline = time.monotonic() + 20  # a hang guard, not a timing
        while not self.leftovers() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertTrue(self.leftovers())  # the temporary file exists: inside the slow fsync
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=20), -signal.SIGTERM)
        self.assertEqual(self.leftovers(), [])
        with open(out) as f:
            text = f.read()
        self.assertTrue(text == "old\n" or text.rstrip().splitlines()[-1].startswith("verdict:"))


class InputPolicy(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def fifo(self, *parts):
        path = os.path.join(self.tmp, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.mkfifo(path)
        return path

    def refused(self, args, path):
        p = subprocess.run([HVPROBE, *args], capture_output=True, text=True, timeout=20)
        assert_one_line_error(self, p, 66, path, "not a regular file")

    def test_a_fifo_as_every_kind_of_input_is_refused_at_once(self):
        f = self.fifo("input")
        for option in ("--cpuid-dump", "--msr-file", "--bcd", "--evtx", "--known-issues"):
            with self.subTest(option=option):
                args = [option, f] if option == "--cpuid-dump" else ["--cpuid-dump", DUMP, option, f]
                self.refused(args, f)
        self.refused(["compare", f, "--cpuid-dump", DUMP], f)

    def test_a_fifo_inside_a_volume_a_partition_or_a_bundle(self):
        esp = os.path.join(self.tmp, "esp")
        bcd = self.fifo("esp", "EFI", "Microsoft", "Boot", "BCD")
        self.refused(["--cpuid-dump", DUMP, "--esp", esp], bcd)
        vol = os.path.join(self.tmp, "C")
        software = self.fifo("C", "Windows", "System32", "config", "SOFTWARE")
        self.refused(["--cpuid-dump", DUMP, "--windows", vol], software)
        bundle = os.path.join(self.tmp, "bundle")
        self.assertEqual(run("collect", "--cpuid-dump", DUMP, "-o", bundle, "-q").returncode, 0)
        os.unlink(os.path.join(bundle, "msr.txt"))
        os.mkfifo(os.path.join(bundle, "msr.txt"))
        self.refused(["--from", bundle], os.path.join(bundle, "msr.txt"))

    def test_a_bundle_piece_linked_out_of_the_bundle_is_not_followed(self):
        secret = os.path.join(self.tmp, "shadow")
        with open(secret, "w") as f:
            f.write("root:$6$secret-hash:19000:0:99999:7:::\n")
        bundle = os.path.join(self.tmp, "bundle")
        self.assertEqual(run("collect", "--cpuid-dump", DUMP, "-o", bundle, "-q").returncode, 0)
        piece = os.path.join(bundle, "kmsg.txt")
        os.symlink(secret, piece)
        copy = os.path.join(self.tmp, "copy")
        p = run("collect", "--from", bundle, "-o", copy)
        assert_one_line_error(self, p, 66, piece, "symbolic link")
        self.assertNotIn("secret", p.stderr)
        self.assertFalse(os.path.exists(copy))

    def test_errors_never_quote_the_input(self):
        secret = os.path.join(self.tmp, "shadow")
        with open(secret, "w") as f:
            f.write("root:$6$secret-hash:19000:0:99999:7:::\n")
        for option in ("--cpuid-dump", "--msr-file", "--known-issues"):
            with self.subTest(option=option):
                args = [option, secret] if option == "--cpuid-dump" else ["--cpuid-dump", DUMP,
                                                                          option, secret]
                p = run(*args)
                assert_one_line_error(self, p, 65, secret)
                self.assertNotIn("root", p.stderr.replace(secret, ""))
                self.assertNotIn("secret-hash", p.stderr)


class LargeHives(unittest.TestCase):
    def test_an_80_mb_software_hive_is_read(self):
        """Long-serviced servers have SOFTWARE hives past 64 MiB: the hive is
        grown with an empty bin (a free cell), as hives grow."""
        with tempfile.TemporaryDirectory() as d:
            vol = hives.windows_volume(d, [("KB5009624", 0x70, 0x01D8072A_00000000)])
            path = os.path.join(vol, "Windows", "System32", "config", "SOFTWARE")
            grow(path, 80 * 2 ** 20)
            self.assertGreater(os.path.getsize(path), 64 * 2 ** 20)
            p = run("--cpuid-dump", DUMP, "--windows", vol, "-f", "json")
            self.assertLess(p.returncode, 64, p.stderr)
            self.assertIn('"name": "KB5009624"', p.stdout)


def grow(path, total):
    """Append one hive bin holding one free cell, and update the base
    block's data size and checksum (the regf format)."""
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        size = struct.unpack_from("<I", data, 0x28)[0]
        add = total - len(data)
        add -= add % 4096
        hbin = bytearray(add)
        hbin[0:4] = b"hbin"
        struct.pack_into("<II", hbin, 4, size, add)
        struct.pack_into("<i", hbin, 32, add - 32)
        data += hbin
        struct.pack_into("<I", data, 0x28, size + add)
        checksum = 0
        for i in range(0, 508, 4):
            checksum ^= struct.unpack_from("<I", data, i)[0]
        struct.pack_into("<I", data, 0x1FC, checksum)
        f.seek(0)
        f.write(data)


CONTROLS = ("\x1b", "\x07", "\u009b", "\u0085", "\u202e", "\u2066")


class TerminalText(unittest.TestCase):
    def assert_clean(self, text):
        for c in CONTROLS:
            self.assertNotIn(c, text)

    def test_key_name_and_description_with_escapes(self):
        evil_id = "{e018a2d0-b134-11ea-95b2-81f0ac71b75b\x1b]0;owned\x07}"
        with tempfile.TemporaryDirectory() as d:
            store = hives.copy(d, "BAndysc_ASUS-TP300LD-ESP__EFI_Microsoft_Boot_BCD",
                               f"[\\Objects\\{evil_id}]\n",
                               f"[\\Objects\\{evil_id}\\Description]\n\"Type\"=dword:10200003\n",
                               f"[\\Objects\\{evil_id}\\Elements]\n",
                               element(evil_id, hives.DESCRIPTION,
                                       hives.string("Windows \x1b[31m\u202eevil\u009b2J")))
            p = run("--cpuid-dump", DUMP, "--bcd", store, "--bcd-entry", "all")
            self.assertLess(p.returncode, 64, p.stderr)
            # the entry is listed (its id cut at 39 bytes), its controls are not
            self.assertIn('b75b?] "Windows ?[31m?evil?2J"', p.stdout)
            self.assert_clean(p.stdout)

    def test_cpu_brand_with_escapes(self):
        brand = ("Evil\x1b]0;t\x07CPU\u202e".encode("utf-8") + b"\xc2\x9b" + b"2J").ljust(48, b"\0")
        words = struct.unpack("<12I", brand[:48])
        lines = ["CPU 0:",
                 "   0x00000000 0x00: eax=0x00000001 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65",
                 "   0x00000001 0x00: eax=0x00000f00 ebx=0x00000000 ecx=0x00000000 edx=0x00000000",
                 "   0x80000000 0x00: eax=0x80000004 ebx=0x00000000 ecx=0x00000000 edx=0x00000000",
                 "   0x80000001 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000004 edx=0x20100000"]
        for i, leaf in enumerate((0x80000002, 0x80000003, 0x80000004)):
            a, b, c, d_ = words[4 * i:4 * i + 4]
            lines.append(f"   0x{leaf:08x} 0x00: eax=0x{a:08x} ebx=0x{b:08x} ecx=0x{c:08x} edx=0x{d_:08x}")
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("\n".join(lines) + "\n")
            f.flush()
            p = run("--cpuid-dump", f.name)
            self.assertLess(p.returncode, 64, p.stderr)
            self.assertIn("Evil", p.stdout)
            self.assert_clean(p.stdout)
            p = run("--cpuid-dump", f.name, "-f", "nagios")
            self.assert_clean(p.stdout)
