"""The Debian package, built from this build tree and installed with dpkg.

cpack -G DEB writes the package into a temporary directory; dpkg installs
it into a throwaway root (--root), never into this system: the package has
no maintainer scripts (checked first), so nothing runs outside that root.
Then the installed files are checked, the installed binary is run and the
installed man page rendered with man -l; the kernel hook is checked to be
a conffile, to run after zz-update-grub in run-parts' order, and to warn
and exit 0 whatever hvprobe does.

HVPROBE_BUILD is the build tree, CPACK its cpack, HVPROBE_PROJECT_VERSION
the version in CMakeLists.txt; HVPROBE_EXPECT_STATIC and HVPROBE_EXPECT_EFI
are 1 where hvprobe-static and hvprobe.efi were built.
"""
import glob
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import unittest

BUILD = os.environ["HVPROBE_BUILD"]
CPACK = os.environ["CPACK"]
VERSION = os.environ["HVPROBE_PROJECT_VERSION"]
EXPECT_STATIC = os.environ.get("HVPROBE_EXPECT_STATIC") == "1"
EXPECT_EFI = os.environ.get("HVPROBE_EXPECT_EFI") == "1"

# What the package must install (brief of issue 15: binary, man page, unit,
# docs, data).
EXPECTED = [
    "usr/bin/hvprobe",
    "usr/share/man/man1/hvprobe.1.gz",
    "usr/lib/systemd/system/hvprobe.service",
    "usr/share/hvprobe/known-issues.txt",
    "usr/share/doc/hvprobe/README.md",
    "usr/share/doc/hvprobe/copyright",
    "usr/share/doc/hvprobe/docs/checks.md",
    "usr/share/doc/hvprobe/docs/exit-codes.md",
    "etc/kernel/postinst.d/zzz-hvprobe",
]
HOOK = "etc/kernel/postinst.d/zzz-hvprobe"
if EXPECT_STATIC:
    EXPECTED += ["usr/bin/hvprobe-static", "usr/share/man/man1/hvprobe-static.1.gz"]
if EXPECT_EFI:
    EXPECTED += ["usr/lib/hvprobe/hvprobe.efi"]

MAINTAINER_SCRIPTS = {"preinst", "postinst", "prerm", "postrm", "config", "triggers"}


def need(tool, package):
    if not shutil.which(tool):
        raise AssertionError("%s not found: install %s (sh scripts/install-deps.sh test)"
                             % (tool, package))


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def package_of(path):
    """The installed package that holds a library, by dpkg -S (trying the
    path with and without /usr: bookworm's merged /usr keeps both names)."""
    candidates = [path, os.path.realpath(path)]
    for p in list(candidates):
        candidates.append(p[4:] if p.startswith("/usr/") else "/usr" + p)
    for p in candidates:
        r = run("dpkg", "-S", p)
        if r.returncode == 0:
            return r.stdout.split(":")[0]
    raise AssertionError("no package holds " + path)


def needed_packages(binary):
    """The package of every shared library the binary links directly (its
    NEEDED entries, as dpkg-shlibdeps reads them), found where ldd finds
    it."""
    dynamic = run("objdump", "-p", binary, check=True).stdout.splitlines()
    needed = [line.split()[1] for line in dynamic if line.split()[:1] == ["NEEDED"]]
    where = {}
    for line in run("ldd", binary, check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) > 2 and parts[1] == "=>":
            where[parts[0]] = parts[2]
    return {package_of(where[soname]) for soname in needed}


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool, package in (("dpkg-deb", "dpkg"), ("dpkg-shlibdeps", "dpkg-dev"),
                              ("man", "man-db"), ("ldd", "libc-bin"), ("objdump", "binutils")):
            need(tool, package)
        cls.tmp = tempfile.mkdtemp(prefix="hvprobe-package-")
        out = os.path.join(cls.tmp, "out")
        r = run(CPACK, "-G", "DEB", "-B", out, "--config", os.path.join(BUILD, "CPackConfig.cmake"))
        if r.returncode != 0:
            raise AssertionError("cpack failed:\n" + r.stdout + r.stderr)
        debs = glob.glob(os.path.join(out, "*.deb"))
        if len(debs) != 1:
            raise AssertionError("cpack wrote %r" % debs)
        cls.deb = debs[0]
        cls.root = os.path.join(cls.tmp, "root")
        cls.install = cls.dpkg_install()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    @classmethod
    def dpkg_install(cls):
        """dpkg -i into the throwaway root, as a real installation there.
        --force-depends: the root holds no libc6 and so on (the binary runs
        on this system's libraries); --path-include: a host's dpkg.cfg.d
        that leaves out docs and man pages (as container images do) must
        not change what is checked here."""
        admin = os.path.join(cls.root, "var/lib/dpkg")
        for d in ("info", "updates"):
            os.makedirs(os.path.join(admin, d))
        for f in ("status", "available"):
            open(os.path.join(admin, f), "w").close()
        env = dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
        return run("dpkg", "--root=" + cls.root, "--force-not-root", "--force-script-chrootless",
                   "--force-depends", "--log=/dev/null", "--path-include=*", "-i", cls.deb, env=env)

    def field(self, name):
        return run("dpkg-deb", "-f", self.deb, name, check=True).stdout.strip()

    def test_file_name(self):
        arch = run("dpkg", "--print-architecture", check=True).stdout.strip()
        self.assertEqual(os.path.basename(self.deb), "hvprobe_%s_%s.deb" % (VERSION, arch))

    def test_control_fields(self):
        info = run("dpkg-deb", "-I", self.deb, check=True).stdout
        self.assertIn(" Package: hvprobe\n", info)
        self.assertEqual(self.field("Version"), VERSION)
        self.assertEqual(self.field("Architecture"),
                         run("dpkg", "--print-architecture", check=True).stdout.strip())
        self.assertEqual(self.field("Section"), "admin")
        self.assertRegex(self.field("Maintainer"), r"^[^<>]+ <[^<>@\s]+@[^<>@\s]+>$")
        description = self.field("Description").splitlines()
        self.assertIn("hypervisor", description[0])
        self.assertGreater(len(description), 3)

    def test_depends_names_every_library(self):
        # Computed by dpkg-shlibdeps: the package of every library the
        # binary links, with the minimum version its symbols file gives
        # (libc6's always does; a sanitizer build's libasan8 gives none).
        depends = {d.split()[0]: d for d in
                   (x.strip() for x in self.field("Depends").split(",")) if d}
        needed = needed_packages(os.path.join(BUILD, "hvprobe"))
        self.assertIn("libc6", needed)
        self.assertGreaterEqual(len(needed), 5)
        for package in needed:
            self.assertIn(package, depends, self.field("Depends"))
        self.assertRegex(depends["libc6"], r"^libc6 \(>= [^)]+\)$")

    def test_no_maintainer_scripts(self):
        # What makes installing into a throwaway root safe: no script runs
        # on this system (--force-script-chrootless would run it here).
        control = subprocess.run(["dpkg-deb", "--ctrl-tarfile", self.deb], capture_output=True,
                                 check=True).stdout
        with tempfile.TemporaryFile() as f:
            f.write(control)
            f.seek(0)
            with tarfile.open(fileobj=f) as tar:
                members = {os.path.basename(m.name) for m in tar.getmembers() if m.isfile()}
        self.assertEqual(members & MAINTAINER_SCRIPTS, set())
        self.assertIn("md5sums", members)

    def test_dpkg_installs_it(self):
        self.assertEqual(self.install.returncode, 0, self.install.stdout + self.install.stderr)
        status = run("dpkg", "--root=" + self.root, "-s", "hvprobe")
        self.assertIn("Status: install ok installed", status.stdout, status.stderr)
        listed = run("dpkg", "--root=" + self.root, "-L", "hvprobe").stdout.splitlines()
        for path in EXPECTED:
            self.assertIn("/" + path, listed)
            self.assertTrue(os.path.isfile(os.path.join(self.root, path)), path)

    def test_installed_binary_runs(self):
        for name in ["hvprobe"] + (["hvprobe-static"] if EXPECT_STATIC else []):
            p = run(os.path.join(self.root, "usr/bin", name), "--version")
            self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "hvprobe %s\n" % VERSION, ""))

    def test_kernel_hook_is_a_conffile(self):
        # dpkg keeps an administrator's change to it (or its removal of
        # the x bit) across upgrades, as for every file under /etc.
        control = subprocess.run(["dpkg-deb", "--ctrl-tarfile", self.deb], capture_output=True,
                                 check=True).stdout
        with tempfile.TemporaryFile() as f:
            f.write(control)
            f.seek(0)
            with tarfile.open(fileobj=f) as tar:
                conffiles = tar.extractfile("./conffiles").read().decode()
        self.assertEqual(conffiles.splitlines(), ["/" + HOOK])
        status = run("dpkg", "--root=" + self.root, "-s", "hvprobe").stdout
        self.assertRegex(status, r"\nConffiles:\n /%s [0-9a-f]{32}\n" % HOOK)
        contents = run("dpkg-deb", "-c", self.deb, check=True).stdout
        self.assertRegex(contents, r"(?m)^-rwxr-xr-x root/root .* \./%s$" % HOOK)

    def test_kernel_hook_runs_after_update_grub(self):
        # Debian's kernel postinst: run-parts --report --exit-on-error
        # --arg=VERSION --arg=IMAGE /etc/kernel/postinst.d. Its name must
        # pass run-parts' rules and sort after grub's hook, so that
        # grub.cfg names the new kernel when hvprobe reads it.
        need("run-parts", "debianutils")
        parts = os.path.join(self.tmp, "postinst.d")
        os.makedirs(parts, exist_ok=True)
        for name in ("dkms", "initramfs-tools", "zz-update-grub", "zz-systemd-boot"):
            with open(os.path.join(parts, name), "w") as f:
                f.write("#!/bin/sh\nexit 0\n")
            os.chmod(os.path.join(parts, name), 0o755)
        shutil.copy2(os.path.join(self.root, HOOK), parts)
        order = [os.path.basename(p) for p in
                 run("run-parts", "--test", "--arg=6.1.0-99-amd64", parts, check=True).stdout.split()]
        self.assertEqual(order[-1], "zzz-hvprobe", order)

    def hook(self, hvprobe_dir, release="6.1.0-99-amd64"):
        """The installed hook as run-parts runs it, hvprobe found in
        hvprobe_dir (first on PATH)."""
        env = dict(os.environ, PATH=hvprobe_dir + ":/usr/bin:/bin", LC_ALL="C.UTF-8",
                   HVPROBE_HOOK_TEXTFILE_DIR=os.path.join(self.tmp, "no-textfile-dir"))
        return run(os.path.join(self.root, HOOK), release, "/boot/vmlinuz-" + release, env=env,
                   timeout=60)

    def test_kernel_hook_warns_of_a_kernel_without_kvm(self):
        # A kernel that is not installed has no KVM modules: FAIL, said on
        # the terminal (apt's output), and the installation goes on.
        p = self.hook(os.path.join(self.root, "usr/bin"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("hvprobe: WARNING: kernel 6.1.0-99-amd64: kvm.next_boot FAIL", p.stderr)
        self.assertIn("lib/modules/6.1.0-99-amd64", p.stderr)
        self.assertIn("--kernel 6.1.0-99-amd64", p.stderr)

    def test_kernel_hook_never_fails_the_installation(self):
        # No hvprobe, a crashing one, one that exits 64: warned, exit 0.
        bins = os.path.join(self.tmp, "fake-bin")
        os.makedirs(bins, exist_ok=True)
        empty = os.path.join(self.tmp, "no-bin")
        os.makedirs(empty, exist_ok=True)
        p = run(os.path.join(self.root, HOOK), "6.1.0-99-amd64", "/boot/vmlinuz-6.1.0-99-amd64",
                env=dict(os.environ, PATH=empty, HVPROBE_HOOK_TEXTFILE_DIR=os.path.join(self.tmp, "none")),
                timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        if not shutil.which("hvprobe", path="/usr/sbin:/usr/bin:/sbin:/bin"):  # the hook's own PATH
            self.assertIn("hvprobe is not installed", p.stderr)
        for body, shown in (("kill -SEGV $$", "hvprobe exited 139"),
                            ("echo 'hvprobe: bad option' >&2; exit 64", "hvprobe exited 64: hvprobe: bad option")):
            fake = os.path.join(bins, "hvprobe")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\n%s\n" % body)
            os.chmod(fake, 0o755)
            p = self.hook(bins)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("hvprobe: WARNING: kernel 6.1.0-99-amd64 was not checked: " + shown, p.stderr)

    def test_kernel_hook_does_not_wait_for_a_hung_hvprobe(self):
        # apt waits for the hook: a hung hvprobe is cut off and warned of.
        bins = os.path.join(self.tmp, "hung-bin")
        os.makedirs(bins, exist_ok=True)
        fake = os.path.join(bins, "hvprobe")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\nexec sleep 30\n")
        os.chmod(fake, 0o755)
        started = time.monotonic()
        env = dict(os.environ, PATH=bins + ":/usr/bin:/bin", HVPROBE_HOOK_TIMEOUT="1",
                   HVPROBE_HOOK_TEXTFILE_DIR=os.path.join(self.tmp, "none"))
        p = run(os.path.join(self.root, HOOK), "6.1.0-99-amd64", "/boot/vmlinuz-6.1.0-99-amd64",
                env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("hvprobe: WARNING: kernel 6.1.0-99-amd64 was not checked: hvprobe gave no answer "
                      "in 1 s", p.stderr)
        self.assertLess(time.monotonic() - started, 20)

    def test_installed_unit_starts_the_installed_binary(self):
        with open(os.path.join(self.root, "usr/lib/systemd/system/hvprobe.service")) as f:
            unit = f.read()
        self.assertIn("\nExecStart=/usr/bin/hvprobe ", unit)
        self.assertIn("\nDocumentation=file:///usr/share/doc/hvprobe/README.md\n", unit)

    def test_installed_man_page_renders(self):
        for page in ["hvprobe.1.gz"] + (["hvprobe-static.1.gz"] if EXPECT_STATIC else []):
            path = os.path.join(self.root, "usr/share/man/man1", page)
            p = run("man", "-P", "cat", "-l", path,
                    env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8"))
            self.assertEqual((p.returncode, p.stderr), (0, ""), page)
            text = p.stdout.replace("\u2212", "-").replace("\u2010", "-")
            self.assertIn("HVPROBE(1)", text)
            self.assertIn("hvprobe %s" % VERSION, text)
            # FILES names where the package put them.
            self.assertIn("/usr/share/hvprobe/known-issues.txt", text)
            self.assertIn("/usr/bin/hvprobe", text)


if __name__ == "__main__":
    unittest.main()
