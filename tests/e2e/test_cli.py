"""End-to-end tests of the built hvprobe binary.

Runs the real binary (HVPROBE) over the real CPUID dumps in
tests/fixtures (HVPROBE_FIXTURES), over bad input, over bundles it wrote
itself, and live on whatever machine runs the tests. Every JSON document is
parsed with python's own json module, independent of the C writer.
"""
import json
import os
import shutil
import subprocess
import tempfile
import typing
import unittest

HVPROBE = os.environ["HVPROBE"]
FIXTURES = os.environ["HVPROBE_FIXTURES"]
CPUID = os.path.join(FIXTURES, "cpuid")


def run(*args, env=None):
    full_env = dict(os.environ, NO_COLOR="1")
    if env:
        full_env.update(env)
    return subprocess.run([HVPROBE, *args], capture_output=True, text=True,
                          errors="replace", env=full_env, timeout=60)


def run_json(*args):
    p = run(*args, "--format", "json")
    return p, json.loads(p.stdout)


def assert_one_line_error(tc, p, code, *needles):
    """An input error as documented: the exit code, nothing on stdout, one
    line on stderr naming the problem."""
    tc.assertEqual(p.returncode, code, p.stderr)
    tc.assertEqual(p.stdout, "")
    tc.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
    tc.assertTrue(p.stderr.startswith("hvprobe: "), p.stderr)
    for n in needles:
        tc.assertIn(n, p.stderr)


def statuses(doc):
    return {c["id"]: c["status"] for c in doc["checks"]}


class Expect(typing.NamedTuple):
    """What the JSON report of one CPUID dump says (facts.cpu, verdict)."""
    vendor: str
    cpus: int                       # logical_cpus
    with_data: int                  # cpus_with_data
    vmx: bool
    svm: bool
    nx: bool
    long_mode: bool
    slat: typing.Optional[bool]     # None: unknown without MSRs
    hypervisor: bool                # hypervisor.present
    hypervisor_vendor: typing.Optional[str]
    verdict: str


# Expected facts and verdict (target any, no MSRs) for every x86 dump.
# Columns: vendor, logical CPUs, CPUs with data, vmx, svm, nx, long_mode,
# slat, hypervisor present, hypervisor vendor, verdict.
# AMD-V hosts end "unknown" offline: firmware may still disable SVM, and
# only VM_CR (or the kernel) can tell.
EXPECTED = {
    "amd_bulldozer_amd-a10-4600m-apu-with-radeon-hd-graphics": Expect(
        vendor="AuthenticAMD", cpus=4, with_data=4, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_bulldozer_amd-a10-5800k-apu-with-radeon-hd-graphics": Expect(
        vendor="AuthenticAMD", cpus=4, with_data=4, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_jaguar_amd-a4-5000-apu-with-radeon-hd-graphics": Expect(
        vendor="AuthenticAMD", cpus=4, with_data=4, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_jaguar_amd-a6-6310-apu-with-amd-radeon-r4-graphics": Expect(
        vendor="AuthenticAMD", cpus=4, with_data=4, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_k10_amd-a8-3850-apu-with-radeon-hd-graphics": Expect(
        vendor="AuthenticAMD", cpus=4, with_data=4, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_k10_amd-athlon-7750-dual-core-processor": Expect(
        vendor="AuthenticAMD", cpus=2, with_data=2, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    # K7: 32-bit, no NX, no AMD-V
    "amd_k7_amd-athlon-xp-2200+": Expect(
        vendor="AuthenticAMD", cpus=1, with_data=1, vmx=False, svm=False, nx=False, long_mode=False,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    # K8 Turion: AMD-V without nested paging
    "amd_k8_amd-turion-dual-core-rm-70": Expect(
        vendor="AuthenticAMD", cpus=2, with_data=2, vmx=False, svm=True, nx=True, long_mode=True,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_zen2_amd-4700s-8-core-processor-desktop-kit": Expect(
        vendor="AuthenticAMD", cpus=16, with_data=16, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_zen2_amd-4800s-8-core-processor-desktop-kit": Expect(
        vendor="AuthenticAMD", cpus=16, with_data=16, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    # 48 logical CPUs listed, 32 of them without leaves: no data, not absent
    "amd_zen3_amd-ryzen-7-5800x3d-8-core-processor": Expect(
        vendor="AuthenticAMD", cpus=48, with_data=16, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_zen4_amd-ryzen-5-7600x-6-core-processor": Expect(
        vendor="AuthenticAMD", cpus=12, with_data=12, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "amd_zen4_amd-ryzen-7-7700x-8-core-processor": Expect(
        vendor="AuthenticAMD", cpus=16, with_data=16, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "hygon_dhyana_hygon-c86-7185-32-core-processor": Expect(
        vendor="HygonGenuine", cpus=1, with_data=1, vmx=False, svm=True, nx=True, long_mode=True,
        slat=True, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    # 32-bit-only Core Duo with VT-x: EPT unknown without MSRs
    "intel_ia-32_p6_intel-core-duo-cpu-t2600": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=True, svm=False, nx=True, long_mode=False,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    # a QEMU guest in libcpuid's format: hypervisor present, vendor not recorded
    "intel_qemu_qemu-virtual-cpu-version": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=False, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=True, hypervisor_vendor=None, verdict="fail"),
    "intel_x86-64_core_intel-celeron-cpu-420": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=False, svm=False, nx=True, long_mode=True,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    "intel_x86-64_golden-cove_12th-gen-intel-core-i3-1220p": Expect(
        vendor="GenuineIntel", cpus=12, with_data=12, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_golden-cove_12th-gen-intel-core-i5-12400": Expect(
        vendor="GenuineIntel", cpus=12, with_data=12, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_haswell_intel-core-i3-4130-cpu": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_haswell_intel-core-i5-4258u-cpu": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_nehalem_intel-core-cpu-q-820": Expect(
        vendor="GenuineIntel", cpus=8, with_data=8, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_nehalem_intel-core-i5-cpu-650": Expect(
        vendor="GenuineIntel", cpus=4, with_data=4, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_netburst_intel-celeron-326": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=False, svm=False, nx=True, long_mode=True,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    "intel_x86-64_netburst_intel-celeron-d-347": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=False, svm=False, nx=True, long_mode=True,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    "intel_x86-64_raptor-cove_13th-gen-intel-core-i5-13500": Expect(
        vendor="GenuineIntel", cpus=20, with_data=20, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_raptor-cove_13th-gen-intel-core-i5-13600k": Expect(
        vendor="GenuineIntel", cpus=20, with_data=20, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_redwood-cove_intel-core-ultra-5-125h": Expect(
        vendor="GenuineIntel", cpus=18, with_data=18, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_redwood-cove_intel-core-ultra-7-155h": Expect(
        vendor="GenuineIntel", cpus=22, with_data=22, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_sandy-bridge_intel-celeron-cpu-g1610": Expect(
        vendor="GenuineIntel", cpus=2, with_data=2, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-64_sandy-bridge_intel-celeron-cpu-g540": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    # a Windows host with Hyper-V running: VMX hidden, root partition, PASS;
    # SLAT from the hypervisor's own report (CPUID 40000006H:EAX[3])
    "intel_x86-64_skylake_intel-core-i5-10600k-cpu": Expect(
        vendor="GenuineIntel", cpus=12, with_data=12, vmx=False, svm=False, nx=True, long_mode=True,
        slat=True, hypervisor=True, hypervisor_vendor="Microsoft Hv", verdict="pass"),
    # Pentium III: no extended leaves at all, so no NX and no long mode
    "intel_ia-32_p6_intel-pentium-iii-katmai": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=False, svm=False, nx=False, long_mode=False,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    # Pentium M "Dothan" 06D6 and Pentium 4 "Northwood" 0F24: built without NX/XD
    "intel_ia-32_p6_dothan-pentium-m": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=False, svm=False, nx=False, long_mode=False,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    "intel_ia-32_netburst_intel-pentium-4-cpu-1.60ghz": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=False, svm=False, nx=False, long_mode=False,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    "intel_x86-atom_bonnell_intel-atom-cpu-230": Expect(
        vendor="GenuineIntel", cpus=2, with_data=2, vmx=False, svm=False, nx=True, long_mode=True,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    "intel_x86-atom_bonnell_intel-atom-cpu-330": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=False, svm=False, nx=True, long_mode=True,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    "intel_x86-atom_silvermont_genuine-intel-cpu-4000": Expect(
        vendor="GenuineIntel", cpus=1, with_data=1, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "intel_x86-atom_silvermont_intel-atom-cpu-c2750": Expect(
        vendor="GenuineIntel", cpus=8, with_data=8, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "via_isaiah_via-nano-processor": Expect(
        vendor="CentaurHauls", cpus=2, with_data=2, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    # ancient VIA with junk registers: no hypervisor bit, no SVM, 32-bit
    "via_samuel_via-samuel": Expect(
        vendor="CentaurHauls", cpus=1, with_data=1, vmx=False, svm=False, nx=False, long_mode=False,
        slat=False, hypervisor=False, hypervisor_vendor=None, verdict="fail"),
    "zhaoxin_lujiazui_zhaoxin-kaixian-kx-6000g": Expect(
        vendor="CentaurHauls", cpus=4, with_data=4, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
    "zhaoxin_lujiazui_zhaoxin-kaixian-kx-6640ma": Expect(
        vendor="CentaurHauls", cpus=4, with_data=4, vmx=True, svm=False, nx=True, long_mode=True,
        slat=None, hypervisor=False, hypervisor_vendor=None, verdict="unknown"),
}

EXIT = {"pass": 0, "fail": 1, "unknown": 2}


class HyperVBoot:
    """A real BCD store whose default entry launches the hypervisor, and a
    System log in which it launched, so a Hyper-V verdict turns on the CPU
    and firmware alone."""

    def setUp(self):
        import hives
        self.tmp = tempfile.mkdtemp()
        entry = "{e018a2d0-b134-11ea-95b2-81f0ac71b75b}"
        path = hives.copy(self.tmp, "BAndysc_ASUS-TP300LD-ESP__EFI_Microsoft_Boot_BCD",
                             hives.element(entry, hives.LAUNCHTYPE, hives.integer(1)))
        import logs
        self.auto = ["--bcd", path, *logs.LAUNCHED, *hives.UP_TO_DATE]

    def tearDown(self):
        shutil.rmtree(self.tmp)


class FixtureDumps(HyperVBoot, unittest.TestCase):
    def test_every_fixture_is_covered(self):
        names = {f[:-4] for f in os.listdir(CPUID) if f.endswith(".txt")}
        self.assertEqual(names - {"arm_armv8a_cortex-a53"}, set(EXPECTED))

    def test_facts_and_verdict_per_fixture(self):
        for name, exp in EXPECTED.items():
            with self.subTest(fixture=name):
                p, doc = run_json("--cpuid-dump", os.path.join(CPUID, name + ".txt"))
                cpu = doc["facts"]["cpu"]
                self.assertEqual(cpu["vendor"], exp.vendor)
                self.assertEqual(cpu["logical_cpus"], exp.cpus)
                self.assertEqual(cpu["cpus_with_data"], exp.with_data)
                self.assertEqual((cpu["vmx"], cpu["svm"], cpu["nx"], cpu["long_mode"], cpu["slat"]),
                                 (exp.vmx, exp.svm, exp.nx, exp.long_mode, exp.slat))
                self.assertEqual(cpu["hypervisor"]["present"], exp.hypervisor)
                self.assertEqual(cpu["hypervisor"]["vendor_id"], exp.hypervisor_vendor)
                self.assertEqual(doc["verdict"], exp.verdict)
                self.assertEqual(p.returncode, EXIT[exp.verdict])
                self.assertEqual(doc["target"], "any")
                self.assertEqual(doc["source"]["kind"], "dump")
                self.assertEqual(statuses(doc)["cpu.consistency"], "pass")

    def test_hyperv_root_partition_passes_hyperv_with_vmx_hidden(self):
        dump = os.path.join(CPUID, "intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt")
        # running now does not tell what the next boot does
        p, doc = run_json("--cpuid-dump", dump, "--target", "hyperv")
        self.assertEqual((p.returncode, doc["verdict"]), (2, "unknown"))
        self.assertEqual(statuses(doc)["bcd.entry"], "unknown")
        p, doc = run_json("--cpuid-dump", dump, "--target", "hyperv", *self.auto)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(doc["facts"]["cpu"]["hypervisor"]["root_partition"], True)
        st = statuses(doc)
        self.assertEqual(st["hv.running"], "pass")
        # hidden, not absent: unknown from this OS, and the running
        # hypervisor proves it held: a WARN that says so
        self.assertEqual(st["cpu.virt_ext"], "warn")
        virt = next(c for c in doc["checks"] if c["id"] == "cpu.virt_ext")
        self.assertIn("hidden by the Microsoft hypervisor", virt["summary"])
        self.assertIn("the normal state of a Hyper-V host", virt["note"])
        self.assertEqual(st["cpu.slat"], "pass")
        slat = next(c for c in doc["checks"] if c["id"] == "cpu.slat")
        self.assertIn("40000006H:EAX[3]", slat["evidence"]["slat"]["source"])

    def test_hyperv_root_partition_is_unknown_not_failed_for_kvm_and_xen(self):
        dump = os.path.join(CPUID, "intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt")
        for target in ("kvm", "xen"):
            with self.subTest(target=target):
                p, doc = run_json("--cpuid-dump", dump, "--target", target)
                self.assertEqual((p.returncode, doc["verdict"]), (2, "unknown"))
                virt = next(c for c in doc["checks"] if c["id"] == "cpu.virt_ext")
                self.assertEqual(virt["status"], "unknown")
                self.assertIn("cannot be seen from here", virt["summary"])
                self.assertIn("hypervisorlaunchtype off", virt["remedy"])

    def test_nested_hyperv_root_is_told_from_bare_metal(self):
        # the real root partition with the "nested" hint of 40000004H:EAX[12] set
        with open(os.path.join(CPUID, "intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt")) as f:
            text = f.read()
        self.assertIn("CPUID 40000004: 00060E14-", text)
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write(text.replace("CPUID 40000004: 00060E14-", "CPUID 40000004: 00061E14-"))
            f.flush()
            _, nested = run_json("--cpuid-dump", f.name, "--target", "hyperv")
        _, bare = run_json("--cpuid-dump", os.path.join(CPUID, "intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt"),
                           "--target", "hyperv")
        running = {d: next(c for c in doc["checks"] if c["id"] == "hv.running") for d, doc in
                   (("nested", nested), ("bare", bare))}
        self.assertEqual((running["bare"]["status"], running["bare"]["evidence"]["nested"]["value"]), ("pass", False))
        self.assertEqual((running["nested"]["status"], running["nested"]["evidence"]["nested"]["value"]), ("warn", True))
        self.assertIn("runs nested in a Hyper-V virtual machine", running["nested"]["summary"])
        self.assertEqual((statuses(bare)["hv.nested"], statuses(nested)["hv.nested"]), ("skip", "pass"))
        # running now proves the processor, not the next boot: no boot
        # entry or update list was given
        self.assertEqual(nested["verdict"], "unknown")
        self.assertEqual(statuses(nested)["updates.known_bad"], "unknown")

    def test_old_processors_lacking_nx(self):
        class Nx(typing.NamedTuple):
            cpu_nx: str         # status of cpu.nx
            fw_nx_enabled: str  # status of fw.nx_enabled
        cases = {"intel_ia-32_p6_intel-pentium-iii-katmai": Nx(cpu_nx="fail", fw_nx_enabled="skip"),
                 "intel_ia-32_p6_dothan-pentium-m": Nx(cpu_nx="fail", fw_nx_enabled="unknown"),
                 "intel_ia-32_netburst_intel-pentium-4-cpu-1.60ghz": Nx(cpu_nx="fail", fw_nx_enabled="unknown")}
        for name, want in cases.items():
            with self.subTest(fixture=name):
                _, doc = run_json("--cpuid-dump", os.path.join(CPUID, name + ".txt"), "-t", "hyperv")
                st = statuses(doc)
                self.assertEqual((st["cpu.nx"], st["fw.nx_enabled"]), (want.cpu_nx, want.fw_nx_enabled))

    def test_recorded_msrs_settle_the_firmware_checks(self):
        dump = os.path.join(CPUID, "intel_x86-64_haswell_intel-core-i3-4130-cpu.txt")
        enabled = ["--msr", "0x3a=0x5", "--msr", "0x1a0=0x850089",
                   "--msr", "0x482=0xfff9fffe0401e172", "--msr", "0x48b=0x7cff00000000"]
        p, doc = run_json("--cpuid-dump", dump, "--target", "hyperv", *enabled, *self.auto)
        self.assertEqual((p.returncode, doc["verdict"]), (0, "pass"), p.stdout)
        self.assertEqual(doc["facts"]["cpu"]["slat"], True)
        self.assertEqual(doc["facts"]["msr"]["origin"], "recorded")
        # Firmware locked VT-x off: FAIL naming the setting and the power cycle
        p = run("--cpuid-dump", dump, "--target", "hyperv", *enabled, "--msr", "0x3a=0x1", *self.auto)
        self.assertEqual(p.returncode, 1)
        self.assertIn("fw.virt_enabled          FAIL", p.stdout)
        self.assertIn("Intel Virtualization Technology", p.stdout)
        self.assertIn("power the machine off and on", p.stdout)
        # the same as a file
        with tempfile.NamedTemporaryFile("w", suffix=".msr") as f:
            f.write("# recorded on hv01\n0x3a=0x1\n")
            f.flush()
            p = run("--cpuid-dump", dump, "--msr-file", f.name, "-q")
            self.assertEqual(p.returncode, 1)

    def test_amd_svm_disabled_in_firmware(self):
        dump = os.path.join(CPUID, "amd_zen4_amd-ryzen-7-7700x-8-core-processor.txt")
        self.assertEqual(run("--cpuid-dump", dump, "--msr", "0xc0010114=0x18", "-q").returncode, 1)
        self.assertEqual(run("--cpuid-dump", dump, "--msr", "0xc0010114=0x0", "-q").returncode, 0)

    def test_no_slat_fails_2016_but_not_2012r2(self):
        dump = os.path.join(CPUID, "amd_k8_amd-turion-dual-core-rm-70.txt")
        args = ["--cpuid-dump", dump, "--msr", "0xc0010114=0", *self.auto]
        self.assertEqual(run(*args, "-t", "hyperv", "-q").returncode, 1)
        self.assertEqual(run(*args, "-t", "hyperv-2012r2", "-q").returncode, 0)

    def test_arm_dump_is_refused(self):
        p = run("--cpuid-dump", os.path.join(CPUID, "arm_armv8a_cortex-a53.txt"))
        self.assertEqual(p.returncode, 65)
        self.assertIn("not an x86 CPU", p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertEqual(len(p.stderr.strip().splitlines()), 1)


class TextReport(unittest.TestCase):
    def test_aligned_lines_evidence_and_fix(self):
        p = run("--cpuid-dump", os.path.join(CPUID, "intel_x86-64_core_intel-celeron-cpu-420.txt"))
        self.assertEqual(p.returncode, 1)
        lines = p.stdout.splitlines()
        check_lines = [l for l in lines if l.startswith("  ") and not l.startswith("      ")]
        self.assertEqual(len(check_lines), 20)  # one line per check of the registry
        # the status column lines up
        self.assertEqual(len({l.index(l.split()[1]) for l in check_lines}), 1)
        self.assertIn("  cpu.virt_ext             FAIL    this processor has no VT-x (VMX)", p.stdout)
        self.assertIn("evidence: vmx = no  (CPUID 01H:ECX[5])", p.stdout)
        self.assertIn("fix:", p.stdout)
        self.assertTrue(lines[-1].startswith("verdict: FAIL"))
        self.assertIn("cpu.virt_ext", lines[-1])
        self.assertNotIn("\033[", p.stdout)  # NO_COLOR and not a terminal

    def test_verbose_shows_evidence_of_passing_checks(self):
        dump = os.path.join(CPUID, "amd_zen2_amd-4800s-8-core-processor-desktop-kit.txt")
        quiet = run("--cpuid-dump", dump).stdout
        verbose = run("--cpuid-dump", dump, "-v").stdout
        self.assertNotIn("svm = yes", quiet)
        self.assertIn("svm = yes  (CPUID 80000001H:ECX[2])", verbose)

    def test_colour_only_on_a_terminal_without_no_color(self):
        import pty
        dump = os.path.join(CPUID, "intel_x86-64_core_intel-celeron-cpu-420.txt")

        def on_terminal(extra_env, *args):
            env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
            env.update(extra_env)
            pid, fd = pty.fork()
            if pid == 0:
                os.execve(HVPROBE, [HVPROBE, "--cpuid-dump", dump, *args], env)
            chunks = []
            while True:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                chunks.append(data)
            os.waitpid(pid, 0)
            return b"".join(chunks)

        self.assertIn(b"\033[31;1mFAIL", on_terminal({}))
        self.assertNotIn(b"\033[", on_terminal({"NO_COLOR": "1"}))
        self.assertNotIn(b"\033[", on_terminal({}, "--no-color"))

    def test_quiet_prints_nothing(self):
        p = run("--cpuid-dump", os.path.join(CPUID, "amd_k7_amd-athlon-xp-2200+.txt"), "--quiet")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (1, "", ""))

    def test_check_selection(self):
        dump = os.path.join(CPUID, "intel_x86-64_core_intel-celeron-cpu-420.txt")
        p, doc = run_json("--cpuid-dump", dump, "--check", "cpu.nx,cpu.arch")
        self.assertEqual([c["id"] for c in doc["checks"]], ["cpu.arch", "cpu.nx"])
        self.assertEqual(p.returncode, 0)  # the failing cpu.virt_ext was not asked for


class JsonReport(unittest.TestCase):
    def test_schema_fields(self):
        p, doc = run_json("--cpuid-dump", os.path.join(CPUID, "via_isaiah_via-nano-processor.txt"))
        self.assertEqual(doc["schema"], "hvprobe/1")
        self.assertEqual(doc["tool"]["name"], "hvprobe")
        self.assertRegex(doc["tool"]["version"], r"^\d+\.\d+\.\d+$")
        self.assertEqual(set(doc["host"]), {"hostname", "os", "machine_id"})
        for c in doc["checks"]:
            self.assertEqual(set(c), {"id", "title", "status", "level", "summary", "evidence", "remedy", "note"})
            self.assertIn(c["status"], {"pass", "warn", "fail", "unknown", "skip"})
            self.assertIn(c["level"], {"required", "advisory", "off"})
            for item in c["evidence"].values():
                self.assertEqual(set(item), {"value", "source"})
            if c["status"] in ("fail",):
                self.assertTrue(c["remedy"], c["id"])
        cpu = doc["facts"]["cpu"]
        for key in ("vendor", "brand", "logical_cpus", "vmx", "svm", "nx", "long_mode", "slat", "hypervisor"):
            self.assertIn(key, cpu)
        self.assertEqual(set(cpu["hypervisor"]), {"present", "vendor_id", "root_partition"})
        self.assertEqual(cpu["brand"], "VIA Nano processor      @1800MHz")  # leading blanks trimmed

    def test_hostile_brand_string_is_valid_json(self):
        # A dump whose brand leaves hold quotes, control bytes and invalid UTF-8.
        def regs(text):
            b = text.ljust(48, b"\0")
            return [int.from_bytes(b[i:i + 4], "little") for i in range(0, 48, 4)]
        r = regs(b'"\\\x1b[31m\xff\xfe\n<evil>\x00')
        lines = ["CPU 0:",
                 "   0x00000000 0x00: eax=0x00000001 ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69",
                 "   0x00000001 0x00: eax=0x000906ea ebx=0x00000000 ecx=0x00000020 edx=0x00000000",
                 "   0x80000000 0x00: eax=0x80000004 ebx=0 ecx=0 edx=0"]
        for i in range(3):
            a, b, c, d = r[i * 4:i * 4 + 4]
            lines.append("   0x%08x 0x00: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x" % (0x80000002 + i, a, b, c, d))
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("\n".join(lines) + "\n")
            f.flush()
            p = subprocess.run([HVPROBE, "--cpuid-dump", f.name, "-f", "json"], capture_output=True)
            doc = json.loads(p.stdout.decode("utf-8"))  # strict UTF-8, strict JSON
            self.assertTrue(doc["facts"]["cpu"]["brand"].startswith('"\\\x1b[31m\ufffd\ufffd\n<evil>'))
            text = subprocess.run([HVPROBE, "--cpuid-dump", f.name], capture_output=True).stdout
            self.assertNotIn(b"\x1b", text)  # no terminal escapes from the data


class BadInput(unittest.TestCase):
    def assert_one_line_error(self, p, code, *needles):
        assert_one_line_error(self, p, code, *needles)

    def test_missing_file(self):
        self.assert_one_line_error(run("--cpuid-dump", "/nonexistent/dump.txt"), 66,
                                   "/nonexistent/dump.txt", "No such file")

    def test_directory_instead_of_file(self):
        self.assert_one_line_error(run("--cpuid-dump", CPUID), 66, "not a regular file")

    def test_empty_garbage_truncated(self):
        class BadDump(typing.NamedTuple):
            data: bytes   # the dump file's contents
            needle: str   # a part of the one-line error
        with tempfile.TemporaryDirectory() as d:
            cases = {
                "empty.txt": BadDump(data=b"", needle="no CPUID leaves"),
                "garbage.txt": BadDump(data=b"\x7fELF\x02\x01\x01 binary junk", needle="line 1"),
                "truncated.txt": BadDump(data=open(os.path.join(CPUID, "amd_k10_amd-athlon-7750-dual-core-processor.txt"), "rb").read()[:1000],
                                         needle="truncated"),
            }
            for name, case in cases.items():
                path = os.path.join(d, name)
                with open(path, "wb") as f:
                    f.write(case.data)
                with self.subTest(case=name):
                    self.assert_one_line_error(run("--cpuid-dump", path), 65, path, case.needle)

    def test_usage_errors(self):
        class UsageError(typing.NamedTuple):
            args: list    # the command line
            code: int     # the exit code
            needle: str   # a part of the one-line error
        for case in (UsageError(args=["--target", "vmware"], code=64, needle="unknown target"),
                     UsageError(args=["--format", "xml"], code=64, needle="unknown format"),
                     UsageError(args=["--check", "cpu.nope"], code=64, needle="no check named"),
                     UsageError(args=["--bogus"], code=64, needle="unknown option"),
                     UsageError(args=["collect"], code=64, needle="collect needs -o"),
                     UsageError(args=["--from", "a", "--cpuid-dump", "b"], code=64, needle="give one"),
                     UsageError(args=["--msr", "0x3a"], code=65, needle="expected INDEX=VALUE")):
            with self.subTest(args=case.args):
                self.assert_one_line_error(run(*case.args), case.code, case.needle)

    def test_bundle_with_a_missing_piece(self):
        with tempfile.TemporaryDirectory() as d:
            bundle = os.path.join(d, "b")
            self.assertEqual(run("collect", "-o", bundle, "-q").returncode, 0)
            os.unlink(os.path.join(bundle, "cpuid.txt"))
            self.assert_one_line_error(run("--from", bundle), 65, "cpuid.txt is missing")
            self.assert_one_line_error(run("--from", os.path.join(d, "nope")), 66, "nope")

    def test_failed_run_leaves_the_previous_report_untouched(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "report.json")
            with open(out, "w") as f:
                f.write("previous report\n")
            bad = os.path.join(d, "bad.txt")
            with open(bad, "w") as f:
                f.write("CPUID 00000000: 0000000D-68747541\n")
            self.assert_one_line_error(run("--cpuid-dump", bad, "-o", out), 65, "truncated")
            # the output's directory is a file: the report cannot be created
            self.assert_one_line_error(
                run("--cpuid-dump", os.path.join(CPUID, "amd_k7_amd-athlon-xp-2200+.txt"),
                    "-o", os.path.join(bad, "report.json")), 73, "cannot create")
            with open(out) as f:
                self.assertEqual(f.read(), "previous report\n")
            self.assertEqual(sorted(os.listdir(d)), ["bad.txt", "report.json"])  # no temporary left


class BundlesAndLive(unittest.TestCase):
    def test_live_run_is_judged(self):
        p, doc = run_json()
        self.assertIn(p.returncode, (0, 1, 2))
        self.assertEqual(doc["source"]["kind"], "live")
        self.assertEqual(doc["target"], "kvm")
        self.assertEqual(EXIT[doc["verdict"]], p.returncode)

    def test_live_facts_agree_with_proc_cpuinfo(self):
        with open("/proc/cpuinfo") as f:
            blocks = [b for b in f.read().split("\n\n") if b.strip()]
        flags = set()
        for line in blocks[0].splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "flags":
                flags = set(value.split())
        _, doc = run_json()
        cpu = doc["facts"]["cpu"]
        self.assertEqual(cpu["logical_cpus"], len(blocks))
        self.assertEqual(cpu["long_mode"], "lm" in flags)
        self.assertEqual(cpu["hypervisor"]["present"], "hypervisor" in flags)
        if "nx" in flags:
            self.assertTrue(cpu["nx"])
        # the kernel only clears vmx/svm (firmware disabled), never adds them
        if "vmx" in flags:
            self.assertTrue(cpu["vmx"])
        if "svm" in flags:
            self.assertTrue(cpu["svm"])

    def test_collect_then_from_gives_the_same_report(self):
        with tempfile.TemporaryDirectory() as d:
            bundle = os.path.join(d, "host-evidence")
            p = run("collect", "-o", bundle)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(sorted(os.listdir(d)), ["host-evidence"])  # no temporary left
            for piece in ("host.txt", "cpuid.txt", "msr.txt"):
                self.assertTrue(os.path.exists(os.path.join(bundle, piece)), piece)
            _, live = run_json()
            p, offline = run_json("--from", bundle)
            self.assertEqual(offline["source"], {"kind": "bundle", "path": bundle})
            for key in ("verdict", "target", "checks", "facts", "host"):
                self.assertEqual(offline[key], live[key], key)
            # an existing directory is never overwritten
            p = run("collect", "-o", bundle)
            self.assertEqual(p.returncode, 73)
            self.assertIn("already exists", p.stderr)

    @unittest.skipUnless(os.environ.get("HVPROBE_STATIC"), "no static build")
    def test_static_binary_needs_no_shared_library_and_agrees(self):
        static = os.environ["HVPROBE_STATIC"]
        ldd = subprocess.run(["ldd", static], capture_output=True, text=True)
        self.assertIn("not a dynamic executable", ldd.stdout + ldd.stderr)
        dump = os.path.join(CPUID, "intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt")
        a = subprocess.run([HVPROBE, "--cpuid-dump", dump, "-f", "json"], capture_output=True, text=True)
        b = subprocess.run([static, "--cpuid-dump", dump, "-f", "json"], capture_output=True, text=True)
        self.assertEqual((a.returncode, json.loads(a.stdout)), (b.returncode, json.loads(b.stdout)))

    def test_atomic_report_file(self):
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "report.json")
            p = run("--cpuid-dump", os.path.join(CPUID, "amd_k7_amd-athlon-xp-2200+.txt"), "-f", "json", "-o", out)
            self.assertEqual((p.returncode, p.stdout), (1, ""))
            with open(out) as f:
                self.assertEqual(json.load(f)["verdict"], "fail")
            self.assertEqual(os.listdir(d), ["report.json"])


if __name__ == "__main__":
    unittest.main()
