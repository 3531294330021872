"""End-to-end tests of the Linux kernel evidence: the live collector of
/sys/module, /sys/class/misc and the kernel log, judged by os.kvm and saved
in bundles (docs/checks.md, fw.virt_enabled and os.kvm).

The live run sees a made-up kernel: in a private mount namespace
(unshare -m, root only) a fake tree is bound over /sys/module,
/sys/class/misc, /lib/modules and /dev, whose kmsg is a file of log
records. Nothing outside the namespace changes; without root or mount
namespaces the tests skip.
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

HVPROBE = os.environ["HVPROBE"]
RELEASE = os.uname().release


def namespaces_work():
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    try:
        p = subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                           capture_output=True, timeout=30)
    except OSError:
        return False
    return p.returncode == 0


NAMESPACES = namespaces_work()


def write(path, text=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class FakeKernel:
    """A tree to bind over the live paths: modules maps each KVM module to
    "builtin" or "loaded"; misc says whether KVM registered its device;
    log is one kernel message, the one /dev/kmsg record."""

    def __init__(self, root, modules, misc=False, virt_at_load=None, log=None,
                 builtin_list=None):
        self.root = root
        for name, how in modules.items():
            os.makedirs(os.path.join(root, "module", name, "parameters"))
            if how == "loaded":
                write(os.path.join(root, "module", name, "initstate"), "live\n")
        if virt_at_load is not None:
            write(os.path.join(root, "module", "kvm", "parameters", "enable_virt_at_load"),
                  virt_at_load + "\n")
        os.makedirs(os.path.join(root, "misc"))
        if misc:
            write(os.path.join(root, "misc", "kvm", "dev"), "10:232\n")
        write(os.path.join(root, "lib_modules", RELEASE, "modules.builtin"),
              "".join(line + "\n" for line in (builtin_list or [])))
        os.makedirs(os.path.join(root, "dev"))
        # /dev/kmsg hands out one record per read; a regular file does the
        # same only while it holds one record
        write(os.path.join(root, "dev", "kmsg"), "3,1,1000,-;%s\n" % log if log else "")

    def run(self, *args):
        r = self.root
        script = (
            "set -e; "
            f"mount --bind {r}/module /sys/module; "
            f"mount --bind {r}/misc /sys/class/misc; "
            f"mount --bind {r}/lib_modules /lib/modules; "
            f"mount --bind {r}/dev /dev; "
            'exec "$@"')
        return subprocess.run(
            ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
             HVPROBE, *args], capture_output=True, text=True, timeout=120,
            env=dict(os.environ, NO_COLOR="1"))


def os_kvm(p):
    doc = json.loads(p.stdout)
    return next(c for c in doc["checks"] if c["id"] == "os.kvm")


@unittest.skipUnless(NAMESPACES, "needs root and mount namespaces (unshare -m)")
class LiveKernel(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hvprobe-kernel-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_builtin_kvm_that_did_not_register(self):
        """A Firecracker-style guest: kvm and kvm_pvm built in, no misc
        device. Built in is not loaded, and udev is not the fix."""
        k = FakeKernel(self.tmp, {"kvm": "builtin", "kvm_pvm": "builtin"},
                       virt_at_load="Y")
        c = os_kvm(k.run("-c", "os.kvm", "-f", "json"))
        self.assertEqual(c["status"], "fail")
        ev = c["evidence"]
        self.assertEqual(ev["device"]["value"], False)
        self.assertEqual(ev["builtin"]["value"], "kvm kvm_pvm")
        self.assertEqual(ev["misc_device"]["value"], False)
        self.assertEqual(ev["enable_virt_at_load"]["value"], True)
        self.assertIn("built into the kernel (kvm kvm_pvm)", c["summary"])
        self.assertNotIn("udevadm", c["remedy"])

    def test_builtin_listed_in_modules_builtin(self):
        """modules.builtin names kvm-intel.ko: built in even without its
        /sys/module directory."""
        k = FakeKernel(self.tmp, {"kvm": "builtin"},
                       builtin_list=["kernel/arch/x86/kvm/kvm.ko",
                                     "kernel/arch/x86/kvm/kvm-intel.ko"])
        c = os_kvm(k.run("-c", "os.kvm", "-f", "json"))
        self.assertEqual(c["evidence"]["builtin"]["value"], "kvm kvm_intel")

    def test_kernel_log_says_why(self):
        """Debian 12's kernel (6.1) refusing kvm_amd: the log line is the
        reason, read from /dev/kmsg."""
        k = FakeKernel(self.tmp, {"kvm": "loaded"},
                       log="kvm: support for 'kvm_amd' disabled by bios")
        c = os_kvm(k.run("-c", "os.kvm", "-f", "json"))
        self.assertEqual(c["status"], "fail")
        self.assertEqual(c["evidence"]["kernel_log"]["value"],
                         "kvm: support for 'kvm_amd' disabled by bios")
        self.assertIn("firmware disabled AMD-V", c["summary"])
        self.assertEqual(c["evidence"]["builtin"]["value"], None)

    def test_registered_device_without_node(self):
        k = FakeKernel(self.tmp, {"kvm": "loaded", "kvm_intel": "loaded", "kvm_amd": "loaded"},
                       misc=True, virt_at_load="N")
        c = os_kvm(k.run("-c", "os.kvm", "-f", "json"))
        self.assertEqual(c["evidence"]["misc_device"]["value"], True)
        self.assertEqual(c["evidence"]["enable_virt_at_load"]["value"], False)
        self.assertIn("udevadm trigger", c["remedy"])

    def test_bundle_keeps_the_kernel_facts(self):
        """collect, then --from: the same os.kvm, the same evidence."""
        k = FakeKernel(os.path.join(self.tmp, "fake"), {"kvm": "builtin", "kvm_pvm": "builtin"},
                       virt_at_load="Y",
                       log="kvm_amd: SVM not supported by CPU 0")
        bundle = os.path.join(self.tmp, "bundle")
        p = k.run("collect", "-o", bundle)
        self.assertEqual(p.returncode, 0, p.stderr)
        live = os_kvm(k.run("-c", "os.kvm", "-f", "json"))
        p = subprocess.run([HVPROBE, "--from", bundle, "-c", "os.kvm", "-f", "json"],
                           capture_output=True, text=True, timeout=60)
        saved = os_kvm(p)
        for key in ("status", "summary", "remedy"):
            self.assertEqual(saved[key], live[key], key)
        for key in ("builtin", "misc_device", "enable_virt_at_load", "kernel_log"):
            self.assertEqual(saved["evidence"][key]["value"], live["evidence"][key]["value"], key)
        self.assertIn("KVM found no VT-x/AMD-V", live["summary"])

    def test_bundle_from_before_reads_as_unknown(self):
        """A host.txt without the new keys: no misc_device evidence at all,
        and the old advice."""
        k = FakeKernel(os.path.join(self.tmp, "fake"), {"kvm": "loaded", "kvm_intel": "loaded"})
        bundle = os.path.join(self.tmp, "bundle")
        self.assertEqual(k.run("collect", "-o", bundle).returncode, 0)
        host = os.path.join(bundle, "host.txt")
        with open(host) as f:
            lines = [l for l in f if not l.startswith(("kvm.sysfs_read=", "kvm.builtin=",
                                                        "kvm.misc_device=", "kvm.virt_at_load="))]
        with open(host, "w") as f:
            f.writelines(lines)
        p = subprocess.run([HVPROBE, "--from", bundle, "-c", "os.kvm", "-f", "json"],
                           capture_output=True, text=True, timeout=60)
        c = os_kvm(p)
        self.assertNotIn("misc_device", c["evidence"])
        self.assertNotIn("builtin", c["evidence"])


if __name__ == "__main__":
    unittest.main()
