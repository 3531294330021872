"""The scheduled task of contrib/windows (hvprobe-task.xml running
hvprobe-task.cmd) under wine, started as Task Scheduler starts it.

Task Scheduler starts an Exec action as one command line: its Command, a
space, its Arguments (environment variables expanded), handed to
CreateProcess. A small Windows program built here with MinGW-w64 does
exactly that with the Command and Arguments read from hvprobe-task.xml, the
file install-task.ps1 registers, so the line tested is the line registered,
quotes and all, with hvprobe installed under C:\\Program Files\\hvprobe.

The host is staged in wine's registry, as the task finds a real one: a
Windows Server 2012 R2 SOFTWARE (build 9600) and a UEFI SYSTEM made by
hives.py, and a BCD store whose default entry launches the hypervisor. A
good night, then the bad one: KB5009624 installed and waiting for the
restart. (wine cannot load a hive file, so --windows is not usable here;
the live path is what the task runs on a host anyway.) The verdict is
limited to the checks that night changes, with the task's args setting: the
processor of the machine running the tests is not a Hyper-V host's, and
wine has no event log for hv.launch.

What wine cannot show: Task Scheduler itself (the triggers, the event
subscription, SYSTEM), the Application log (wine's ReportEventW is a stub
that traces its arguments: the event ID and type are read from that trace)
and PowerShell (a stub that prints its command line). See docs/windows.md.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

import hives
from test_bcd import ENTRY, STORE

EXE = os.environ.get("HVPROBE_EXE")
WINE = shutil.which("wine")
MINGW = shutil.which("x86_64-w64-mingw32-gcc")
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CONTRIB = os.path.join(REPO, "contrib", "windows")
NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
INSTALL = "C:\\Program Files\\hvprobe"
TEXTFILE = "C:\\Program Files\\windows_exporter\\textfile_inputs\\hvprobe.prom"
# The checks the staged night decides (see the module's docstring).
ARGS = "-c bcd.entry,bcd.hypervisorlaunchtype,updates.known_bad"
CBS = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing"
KB5009624 = ("KB5009624", 0x60, 0x01D8072A_00000000)  # install-pending

# Task Scheduler's start of an Exec action: Command and Arguments as one
# command line, environment variables expanded, to CreateProcess, in the
# system directory (the action names no working directory). The full exit
# code is printed (wine's own exit status keeps 8 bits of it).
TASKRUN_C = r"""
#include <windows.h>
#include <stdio.h>
int wmain(int argc, wchar_t **argv)
{
	static char utf8[32768];
	static wchar_t raw[32768], line[32768];
	FILE *f = argc == 2 ? _wfopen(argv[1], L"rb") : NULL;
	size_t n = f ? fread(utf8, 1, sizeof(utf8) - 1, f) : 0;
	static wchar_t system32[MAX_PATH];
	STARTUPINFOW si = { sizeof(si) };
	PROCESS_INFORMATION pi;
	DWORD code;
	if (f)
		fclose(f);
	utf8[n] = 0;
	MultiByteToWideChar(CP_UTF8, 0, utf8, -1, raw, 32768);
	ExpandEnvironmentStringsW(raw, line, 32768);
	GetSystemDirectoryW(system32, MAX_PATH); /* a task's directory when it names none */
	if (!CreateProcessW(NULL, line, NULL, NULL, FALSE, 0, NULL, system32, &si, &pi)) {
		printf("CreateProcess failed: %lu\n", GetLastError());
		return 120;
	}
	WaitForSingleObject(pi.hProcess, INFINITE);
	GetExitCodeProcess(pi.hProcess, &code);
	printf("exit=%lu\n", code);
	return 0;
}
"""

PREFIX = TMP = TASKRUN = None


def setUpModule():
    global PREFIX, TMP, TASKRUN
    if not (EXE and WINE and MINGW):
        raise unittest.SkipTest("needs HVPROBE_EXE (scripts/build-windows.sh), wine and MinGW-w64")
    TMP = tempfile.mkdtemp(prefix="hvprobe-task-")
    PREFIX = os.path.join(TMP, "prefix")
    source = os.path.join(TMP, "taskrun.c")
    with open(source, "w") as f:
        f.write(TASKRUN_C)
    TASKRUN = os.path.join(TMP, "taskrun.exe")
    subprocess.run([MINGW, "-municode", "-O2", "-o", TASKRUN, source], check=True, capture_output=True)
    quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["wineserver", "-p"], env=wine_env(), timeout=60, **quiet)
    subprocess.run(["wine", "wineboot", "--init"], env=wine_env(), timeout=300, **quiet)


def tearDownModule():
    if PREFIX:
        subprocess.run(["wineserver", "-k"], env=wine_env(), capture_output=True)
    if TMP:
        shutil.rmtree(TMP, ignore_errors=True)


def wine_env(debug="-all"):
    return dict(os.environ, WINEPREFIX=PREFIX, WINEDEBUG=debug, WINEDLLOVERRIDES="mscoree,mshtml=")


def wine(*args):
    return subprocess.run(["wine", *args], capture_output=True, text=True, errors="replace",
                          env=wine_env(), timeout=300)


def unix(winpath):
    """Where a C:\\ path of the prefix is on this machine."""
    assert winpath[:3].upper() == "C:\\"
    return os.path.join(PREFIX, "drive_c", *winpath[3:].split("\\"))


def winpath(path):
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def registered_action():
    """The Exec action of hvprobe-task.xml as install-task.ps1 registers it
    for INSTALL: (Command, Arguments)."""
    action = ET.parse(os.path.join(CONTRIB, "hvprobe-task.xml")).getroot().find("t:Actions/t:Exec", NS)
    command = action.find("t:Command", NS).text
    arguments = action.find("t:Arguments", NS).text.replace("@INSTALLDIR@", INSTALL)
    return command, arguments


def events(trace):
    """(event ID, type) of each ReportEventW call in wine's trace."""
    return [(int(eid, 16), int(kind, 16)) for kind, eid in
            re.findall(r"ReportEventW \([0-9A-Fa-f]+,0x([0-9a-f]+),0x[0-9a-f]+,0x([0-9a-f]+),", trace)]


ERROR, WARNING, INFORMATION = 0x0001, 0x0002, 0x0004


class ScheduledTask(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(dir=TMP)
        for folder in (INSTALL, "C:\\ProgramData\\hvprobe", "C:\\Program Files\\windows_exporter"):
            shutil.rmtree(unix(folder), ignore_errors=True)
        os.makedirs(unix(INSTALL))
        os.makedirs(os.path.dirname(unix(TEXTFILE)))
        # What install-task.ps1 copies into the install folder.
        shutil.copy(EXE, os.path.join(unix(INSTALL), "hvprobe.exe"))
        shutil.copy(os.path.join(CONTRIB, "hvprobe-task.cmd"), unix(INSTALL))
        self.configure(ARGS)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def configure(self, args):
        """hvprobe-task.cfg as install-task.ps1 writes it."""
        with open(os.path.join(unix(INSTALL), "hvprobe-task.cfg"), "w", newline="\r\n") as f:
            f.write("# written by install-task.ps1\ntarget=hyperv-2012r2\ndata=C:\\ProgramData\\hvprobe\n"
                    f"textfile={TEXTFILE}\nargs={args}\n")

    def data(self, name):
        return unix("C:\\ProgramData\\hvprobe\\" + name)

    def read(self, winpath_or_name):
        path = unix(winpath_or_name) if winpath_or_name[1:2] == ":" else self.data(winpath_or_name)
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()

    # The host, in wine's registry.

    def import_reg(self, text):
        path = os.path.join(self.tmp, "import.reg")
        with open(path, "w", encoding="utf-16") as f:  # version 5 .reg files are UTF-16
            f.write("Windows Registry Editor Version 5.00\r\n\r\n" + text.replace("\n", "\r\n"))
        p = wine("reg", "import", winpath(path))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def hive_at(self, hive, key):
        """A hive file's keys as .reg text, re-rooted at key."""
        text = subprocess.run(["hivexregedit", "--export", hive, "\\"], capture_output=True, text=True,
                              check=True).stdout.split("\n", 1)[1]
        root = key.replace("\\", "\\\\")
        text = re.sub(r"^\[\\\]$", f"[{root}]", text, flags=re.M)
        return re.sub(r"^\[\\", f"[{root}\\\\", text, flags=re.M)

    def stage_host(self, updates):
        """Windows Server 2012 R2 (build 9600) booted by UEFI, the default
        entry launching the hypervisor, and these servicing packages."""
        wine("reg", "delete", CBS, "/f")
        wine("reg", "delete", "HKEY_LOCAL_MACHINE\\BCD00000000", "/f")
        work = tempfile.mkdtemp(dir=self.tmp)
        software = hives.software(work, updates)
        system = hives.system(work, firmware=2)
        store = hives.copy(work, STORE, hives.element(ENTRY, hives.LAUNCHTYPE, hives.integer(1)))
        self.import_reg("\n".join([self.hive_at(software, "HKEY_LOCAL_MACHINE\\SOFTWARE"),
                                   self.hive_at(system, "HKEY_LOCAL_MACHINE\\SYSTEM"),
                                   self.hive_at(store, "HKEY_LOCAL_MACHINE\\BCD00000000")]))

    # The task, as Task Scheduler starts it.

    def start(self, command_line):
        """Start command_line as Task Scheduler does: (exit code, wine's
        trace of the event log and PowerShell calls)."""
        line = os.path.join(self.tmp, "line.txt")
        with open(line, "w", encoding="utf-8") as f:
            f.write(command_line)
        p = subprocess.run(["wine", TASKRUN, winpath(line)], capture_output=True, text=True, errors="replace",
                           env=wine_env("-all,fixme+advapi,fixme+powershell"), timeout=300)
        found = re.search(r"^exit=(\d+)", p.stdout, re.M)
        self.assertTrue(found, p.stdout + p.stderr)
        return int(found.group(1)), p.stderr

    def run_task(self):
        command, arguments = registered_action()
        return self.start(f"{command} {arguments}")

    def test_the_bad_night(self):
        """A good evening becomes the baseline; the night's pending rollup
        fails before the restart, and the baseline stays the good one."""
        self.stage_host([])
        code, trace = self.run_task()
        self.assertEqual(code, 0, self.read("task.log"))
        self.assertIn('"verdict": "pass"', self.read("baseline.json"))
        self.assertEqual(events(trace), [(1000, INFORMATION)])
        self.assertIn('hvprobe_verdict{target="hyperv-2012r2"} 0', self.read(TEXTFILE))
        with open(self.data("baseline.json"), "rb") as f:
            good = f.read()

        # Windows Update installs KB5009624 and records event 19: the task runs.
        self.stage_host([KB5009624])
        code, trace = self.run_task()
        self.assertEqual(code, 1, self.read("task.log"))  # compare: a regression
        report = self.read("last.txt")
        self.assertRegex(report, r"updates\.known_bad +FAIL +KB5009624 .*after the next restart it will not start")
        self.assertIn("before you restart, KB5009624", report)
        self.assertIn("verdict: FAIL", report)
        comparison = self.read("compare.txt")
        self.assertRegex(comparison, r"updates\.known_bad +PASS +-> FAIL")
        self.assertRegex(comparison, r"Suspects, newest first \(1\):\n  KB5009624 \(install-pending")
        prom = self.read(TEXTFILE)
        self.assertIn('hvprobe_verdict{target="hyperv-2012r2"} 1', prom)
        self.assertIn('hvprobe_check_status{check="updates.known_bad",status="fail"} 1', prom)
        self.assertEqual(events(trace), [(1001, ERROR), (1011, ERROR)])
        self.assertIn('"verdict": "fail"', self.read("last.json"))
        with open(self.data("baseline.json"), "rb") as f:
            self.assertEqual(f.read(), good)

        # The next event 19 of the night, or the startup before anyone
        # looks: still the regression, still the good baseline.
        code, _ = self.run_task()
        self.assertEqual(code, 1)
        with open(self.data("baseline.json"), "rb") as f:
            self.assertEqual(f.read(), good)
        self.assertFalse(os.path.exists(self.data("baseline.json.new")))

    def test_no_baseline_yet(self):
        """Installed on the bad night itself: the check's FAIL, and no
        baseline from a state that does not pass."""
        self.stage_host([KB5009624])
        code, trace = self.run_task()
        self.assertEqual(code, 1, self.read("task.log"))
        self.assertEqual(events(trace), [(1001, ERROR)])
        self.assertIn("after the next restart it will not start", self.read("last.txt"))
        self.assertFalse(os.path.exists(self.data("baseline.json")))
        self.assertFalse(os.path.exists(self.data("compare.txt")))

    def test_an_error_is_event_1003(self):
        """hvprobe cannot judge (here a BCD file that is not there): its
        exit code, its message in task.log, PowerShell asked for event
        1003, and the baseline left as it was."""
        self.stage_host([])
        self.assertEqual(self.run_task()[0], 0)
        with open(self.data("baseline.json"), "rb") as f:
            good = f.read()
        self.configure(ARGS + " --bcd \"C:\\no such\\BCD\"")
        code, trace = self.run_task()
        self.assertEqual(code, 66)
        log = self.read("task.log")
        self.assertIn("C:\\no such\\BCD: No such file or directory", log)
        self.assertIn("hvprobe exited 66", log)
        self.assertRegex(trace, r'fixme:powershell.*L"Write-EventLog -LogName Application -Source hvprobe '
                                r'-EventId 1003 -EntryType Error -Message \$env:HVPROBE_ERROR"')
        self.assertEqual(events(trace), [])
        with open(self.data("baseline.json"), "rb") as f:
            self.assertEqual(f.read(), good)
        # the good run's snapshot is not left behind to be taken for this one
        self.assertFalse(os.path.exists(self.data("last.json")))

    def test_what_starts_it(self):
        """wine has no Task Scheduler to fire the triggers: what can be
        held is that they ask for the events docs/windows.md names, the
        installation (System 19) and the package waiting for the restart
        (Setup, Servicing 4), and the boot, as SYSTEM."""
        task = ET.parse(os.path.join(CONTRIB, "hvprobe-task.xml")).getroot()
        queries = []
        for trigger in task.findall("t:Triggers/t:EventTrigger", NS):
            query = ET.fromstring(trigger.find("t:Subscription", NS).text).find("Query")
            select = query.find("Select")
            queries.append((query.get("Path"), select.get("Path"), select.text))
        self.assertEqual(queries, [
            ("System", "System", "*[System[Provider[@Name='Microsoft-Windows-WindowsUpdateClient'] and EventID=19]]"),
            ("Setup", "Setup", "*[System[Provider[@Name='Microsoft-Windows-Servicing'] and EventID=4]]")])
        self.assertIsNotNone(task.find("t:Triggers/t:BootTrigger", NS))
        self.assertEqual(task.find("t:Principals/t:Principal/t:UserId", NS).text, "S-1-5-18")
        self.assertEqual(task.find("t:Settings/t:MultipleInstancesPolicy", NS).text, "Queue")

    def test_the_quoting_rule(self):
        """The old action lost its first and last quote in cmd /c and never
        ran (9009); the registered line runs the script; without /s and
        the outer pair it would not."""
        self.stage_host([])
        hvprobe = INSTALL + "\\hvprobe.exe"
        old = f'cmd.exe /c "{hvprobe}" --version & "{hvprobe}" --version'
        self.assertEqual(self.start(old)[0], 9009)
        self.assertEqual(self.run_task()[0], 0)
        self.assertEqual(self.start(f'cmd.exe /d /s /c "{INSTALL}\\hvprobe-task.cmd"')[0], 9009)


if __name__ == "__main__":
    unittest.main()
