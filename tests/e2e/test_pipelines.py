"""End-to-end tests of what hvprobe plugs into: the Nagios, Prometheus and
JUnit formats (each checked by a real validator: the plugin grammar,
promtool, xmllint with an XSD), syslog, atomic output files, the systemd
unit and the rolling-patch playbook."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import hives
from hives import LAUNCHTYPE, element
from test_bcd import ENTRY, HEALTHY, STORE
from test_cli import CPUID, FIXTURES, HVPROBE, run

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.dirname(HVPROBE)
NO_SVM_VM_CR = ["--cpuid-dump", os.path.join(CPUID, "amd_zen4_amd-ryzen-7-7700x-8-core-processor.txt"),
                "--msr", "0xc0010114=0x18"]  # firmware disabled SVM: FAIL

# Nagios Plugin Development Guidelines: "SERVICE STATUS - text | perfdata";
# perfdata 'label'=value[UOM];[warn];[crit];[min];[max], space separated.
NAGIOS_LINE = re.compile(r"^HVPROBE (OK|WARNING|CRITICAL|UNKNOWN) - [^|\n]+"
                         r"( \| ([A-Za-z_][A-Za-z0-9_]*=\d+;[^;\s]*;[^;\s]*;[^;\s]*(;[^;\s]*)?)"
                         r"( [A-Za-z_][A-Za-z0-9_]*=\d+;[^;\s]*;[^;\s]*;[^;\s]*(;[^;\s]*)?)*)?$")
NAGIOS_CODE = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}


class Staged:
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def store(self, launchtype, name="BCD"):
        return hives.copy(self.tmp, STORE, element(ENTRY, LAUNCHTYPE, hives.integer(launchtype)), name=name)


class Nagios(Staged, unittest.TestCase):
    def check(self, args, state):
        p = run(*args, "--format", "nagios")
        first = p.stdout.splitlines()[0]
        self.assertRegex(first, NAGIOS_LINE)
        self.assertEqual(first.split()[1], state)
        self.assertEqual(p.returncode, NAGIOS_CODE[state], p.stdout)
        for line in p.stdout.splitlines()[1:]:
            self.assertNotIn("|", line)  # would start performance data
        return p

    def test_states_and_exit_codes(self):
        auto = self.store(1)
        p = self.check([*HEALTHY, "--bcd", auto], "OK")
        self.assertIn("pass=", p.stdout.splitlines()[0])
        self.check([*HEALTHY, "--bcd", auto, "-t", "hyperv-2012r2", "--msr", "0x48b=0"], "WARNING")
        p = self.check([*HEALTHY, "--bcd", self.store(0, "OFF")], "CRITICAL")
        self.assertIn("failed: bcd.hypervisorlaunchtype", p.stdout.splitlines()[0])
        self.assertIn("fix: as Administrator run: bcdedit", p.stdout)
        self.check(["--cpuid-dump", os.path.join(CPUID, "amd_zen4_amd-ryzen-7-7700x-8-core-processor.txt"),
                    "-t", "kvm"], "UNKNOWN")  # AMD-V without VM_CR: firmware state unknown

    def test_errors_are_unknown(self):
        p = self.check(["--cpuid-dump", os.path.join(self.tmp, "nope|x")], "UNKNOWN")
        self.assertIn("could not run", p.stdout)
        self.assertIn("No such file", p.stderr)

    def test_compare(self):
        before = os.path.join(self.tmp, "before.json")
        self.assertEqual(run("snapshot", "-o", before, *HEALTHY, "--bcd", self.store(1)).returncode, 0)
        p = self.check(["compare", before, *HEALTHY, "--bcd", self.store(1, "SAME")], "OK")
        self.assertIn("no regression", p.stdout)
        p = self.check(["compare", before, *HEALTHY, "--bcd", self.store(0, "OFF")], "CRITICAL")
        self.assertIn("1 regression since the baseline: bcd.hypervisorlaunchtype", p.stdout)
        self.assertIn("regressions=1;;;0", p.stdout)


class Prometheus(Staged, unittest.TestCase):
    def promtool(self, text):
        p = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(p.stdout + p.stderr, "", "promtool found problems")

    def parse(self, text):
        """A strict reading of the exposition format: every sample belongs to
        the family whose HELP and TYPE came just before it."""
        samples, family = {}, None
        for line in text.splitlines():
            m = re.match(r"^# HELP (\w+) \S.*$", line)
            if m:
                family = m.group(1)
                continue
            m = re.match(r"^# TYPE (\w+) gauge$", line)
            if m:
                self.assertEqual(m.group(1), family)
                continue
            m = re.match(r'^(\w+)(\{(\w+="(?:[^"\\\n]|\\[\\"n])*")(,\w+="(?:[^"\\\n]|\\[\\"n])*")*\})? (-?\d+(\.\d+)?)$',
                         line)
            self.assertTrue(m, f"not a sample line: {line!r}")
            self.assertEqual(m.group(1), family, line)
            samples[m.group(1) + (m.group(2) or "")] = float(m.group(5))
        return samples

    def test_check_metrics(self):
        p = run(*HEALTHY, "--bcd", self.store(0), "--format", "prometheus")
        self.assertEqual(p.returncode, 1)
        self.promtool(p.stdout)
        s = self.parse(p.stdout)
        self.assertEqual(s['hvprobe_check_status{check="bcd.hypervisorlaunchtype",status="fail"}'], 1)
        self.assertEqual(s['hvprobe_check_status{check="bcd.hypervisorlaunchtype",status="pass"}'], 0)
        self.assertEqual(s['hvprobe_verdict{target="hyperv"}'], 1)
        self.assertEqual(s['hvprobe_info{version="0.1.0",target="hyperv"}'], 1)
        self.assertLess(abs(s["hvprobe_last_run_timestamp_seconds"] - time.time()), 120)

    def test_compare_metrics_written_atomically(self):
        before = os.path.join(self.tmp, "before.json")
        run("snapshot", "-o", before, *HEALTHY, "--bcd", self.store(1))
        prom = os.path.join(self.tmp, "hvprobe.prom")
        p = run("compare", before, *HEALTHY, "--bcd", self.store(0, "OFF"), "-f", "prometheus", "-o", prom)
        self.assertEqual((p.returncode, p.stdout), (1, ""))
        with open(prom) as f:
            text = f.read()
        self.promtool(text)
        s = self.parse(text)
        self.assertEqual(s["hvprobe_compare_result"], 1)
        self.assertEqual(s["hvprobe_compare_regressions"], 1)
        self.assertEqual(os.listdir(self.tmp).count("hvprobe.prom"), 1)
        self.assertFalse([n for n in os.listdir(self.tmp) if n.startswith("hvprobe.prom.")])  # no temp left


class JUnit(Staged, unittest.TestCase):
    def xmllint(self, text):
        path = os.path.join(self.tmp, "report.xml")
        with open(path, "w") as f:
            f.write(text)
        p = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(HERE, "junit.xsd"), path],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_check_cases(self):
        off = self.store(0)
        hives.merge(off, element(ENTRY, "12000004", hives.string("Win <10> & \"more\" \x01")))
        p = run(*HEALTHY, "--bcd", off, "--format", "junit")
        self.assertEqual(p.returncode, 1)
        self.xmllint(p.stdout)
        self.assertIn('<testcase classname="hyperv" name="bcd.hypervisorlaunchtype"', p.stdout)
        self.assertRegex(p.stdout, r'<failure message="Off in &quot;Win &lt;10&gt; &amp; &quot;more&quot; '
                                   r'\ufffd&quot;" type="FAIL">')
        self.assertIn("fix: as Administrator run: bcdedit", p.stdout)
        self.assertIn('failures="1"', p.stdout)
        p = run("--cpuid-dump", os.path.join(CPUID, "amd_zen4_amd-ryzen-7-7700x-8-core-processor.txt"),
                "--format", "junit", "-t", "kvm")
        self.xmllint(p.stdout)
        self.assertIn('<error message="', p.stdout)  # UNKNOWN

    def test_compare_cases(self):
        before = os.path.join(self.tmp, "before.json")
        run("snapshot", "-o", before, *HEALTHY, "--bcd", self.store(1))
        p = run("compare", before, *HEALTHY, "--bcd", self.store(0, "OFF"), "-f", "junit")
        self.assertEqual(p.returncode, 1)
        self.xmllint(p.stdout)
        self.assertEqual(p.stdout.count("<testcase "), 2)  # the regression and the summary
        self.assertIn('name="bcd.hypervisorlaunchtype"', p.stdout)
        p = run("compare", before, *HEALTHY, "--bcd", self.store(1, "SAME"), "-f", "junit")
        self.assertEqual(p.returncode, 0)
        self.xmllint(p.stdout)
        self.assertIn('failures="0"', p.stdout)


def private_mounts_work():
    """Root, and a kernel that lets this process make a mount namespace
    (containers often do not)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "--mount", "true"], capture_output=True).returncode == 0


@unittest.skipUnless(private_mounts_work(), "needs root and mount namespaces for a private /dev/log")
class Syslog(Staged, unittest.TestCase):
    def test_one_line_with_priority_by_verdict(self):
        # A private mount namespace puts our own socket at /dev/log.
        dev = os.path.join(self.tmp, "dev")
        os.mkdir(dev)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(os.path.join(dev, "log"))
        sock.settimeout(10)
        try:
            for bcd, priority, text in ((self.store(1), 30, "pass: Hyper-V"),        # daemon.info
                                        (self.store(0, "OFF"), 27, "fail: Hyper-V")):  # daemon.err
                p = subprocess.run(["unshare", "--mount", "sh", "-c",
                                    f'mount --bind "{dev}" /dev && exec "$0" "$@"', HVPROBE,
                                    *HEALTHY, "--bcd", bcd, "--syslog", "-q"], capture_output=True, text=True)
                self.assertEqual(p.stderr, "")
                msg = sock.recv(4096).decode()
                self.assertRegex(msg, rf"^<{priority}>.*hvprobe\[\d+\]: {text}")
                self.assertNotIn("\n", msg.rstrip("\n"))
        finally:
            sock.close()


class AtomicOutput(Staged, unittest.TestCase):
    def test_killed_midway_leaves_old_or_new(self):
        out = os.path.join(self.tmp, "report.json")
        with open(out, "w") as f:
            f.write("old\n")
        args = [HVPROBE, *HEALTHY, "--bcd", self.store(1), "-f", "json", "-o", out]
        new = subprocess.run(args, capture_output=True).returncode
        self.assertEqual(new, 0)
        with open(out) as f:
            complete = f.read()
        for i in range(40):
            with open(out, "w") as f:
                f.write("old\n")
            proc = subprocess.Popen(args)
            time.sleep(i * 0.0005)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            with open(out) as f:
                self.assertIn(f.read(), ("old\n", complete))


class SystemdUnit(unittest.TestCase):
    @unittest.skipUnless(shutil.which("systemd-analyze"), "needs systemd-analyze")
    def test_unit_verifies(self):
        unit = os.path.join(BUILD, "hvprobe.service")
        with open(unit) as f:
            text = f.read()
        self.assertIn("Type=oneshot", text)
        self.assertIn("Before=libvirtd.service", text)
        self.assertNotIn("Requires=", text.split("[Service]")[0].split("#")[-1])  # never blocks boot
        exec_start = re.search(r"^ExecStart=(\S+) (.*)$", text, re.M)
        self.assertIn("--format prometheus --output", exec_start.group(2))
        with tempfile.TemporaryDirectory() as tmp:
            local = os.path.join(tmp, "hvprobe.service")
            with open(local, "w") as f:
                f.write(text.replace(exec_start.group(1), HVPROBE))
            p = subprocess.run(["systemd-analyze", "verify", local], capture_output=True, text=True)
            self.assertEqual((p.returncode, p.stderr), (0, ""))
            # the command it runs works and writes the textfile
            args = exec_start.group(2).split()
            prom = os.path.join(tmp, "hvprobe.prom")
            args[args.index("--output") + 1] = prom
            subprocess.run([HVPROBE, *[a for a in args if a != "--syslog"], *HEALTHY])
            with open(prom) as f:
                self.assertIn("hvprobe_verdict", f.read())


@unittest.skipUnless(shutil.which("ansible-playbook"), "needs ansible-core")
class Playbook(Staged, unittest.TestCase):
    def play(self, patch):
        inventory = os.path.join(self.tmp, "inventory.ini")
        hosts = []
        for host in ("hv1", "hv2"):
            state = os.path.join(self.tmp, host)
            os.mkdir(state)
            shutil.copyfile(self.store(1), os.path.join(state, "BCD"))
            args = " ".join([*HEALTHY, "--bcd", os.path.join(state, "BCD")])
            hosts.append(f"{host} ansible_connection=local ansible_python_interpreter=python3 "
                         f"hvprobe_args='{args}' state={state}")
        with open(inventory, "w") as f:
            f.write("[hypervisors]\n" + "\n".join(hosts) + "\n")
        env = dict(os.environ, LC_ALL="C.UTF-8", ANSIBLE_NOCOLOR="1", ANSIBLE_HOST_KEY_CHECKING="0",
                   ANSIBLE_LOCAL_TEMP=os.path.join(self.tmp, "ansible"), ANSIBLE_RETRY_FILES_ENABLED="0")
        return subprocess.run(["ansible-playbook", "-i", inventory,
                               os.path.join(ROOT, "contrib", "ansible", "rolling-patch.yml"),
                               "-e", f"hvprobe={HVPROBE}", "-e", "hvprobe_reboot=false",
                               "-e", "hvprobe_baseline={{ state }}/before.json",
                               "-e", f"hvprobe_patch_command='{patch}'"],
                              capture_output=True, text=True, env=env, timeout=300)

    def patched(self, host):
        return os.path.exists(os.path.join(self.tmp, host, "patched"))

    def test_a_harmless_patch_goes_through_every_host(self):
        p = self.play("touch {{ state }}/patched")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertTrue(self.patched("hv1") and self.patched("hv2"))

    def test_a_regression_stops_the_play_before_the_next_host(self):
        off = self.store(0, "OFF")
        # The first host's "update" turns the hypervisor off in its BCD.
        patch = (f"touch {{{{ state }}}}/patched && "
                 f"if [ {{{{ inventory_hostname }}}} = hv1 ]; then cp {off} {{{{ state }}}}/BCD; fi")
        p = self.play(patch)
        self.assertNotEqual(p.returncode, 0)
        self.assertTrue(self.patched("hv1"))
        self.assertFalse(self.patched("hv2"), "the second host was patched after a regression")
        self.assertIn("bcd.hypervisorlaunchtype", p.stdout)
        self.assertRegex(p.stdout, r"hv1\s+: ok=\d+ +changed=\d+ +unreachable=0 +failed=1")
        self.assertNotRegex(p.stdout, r"hv2\s+: ok=[1-9]")


if __name__ == "__main__":
    unittest.main()
