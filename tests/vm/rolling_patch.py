#!/usr/bin/env python3
"""The rolling-patch playbook against two emulated Debian 12 hosts.

Two hosts (hv1, hv2) of one Debian guest image (tests/vm/debian_guest.py:
debootstrap, systemd, sshd, the hvprobe .deb of this build tree installed
by dpkg) under QEMU TCG, driven by ansible-playbook over SSH through
loopback port forwards, with real reboots. The patches are local .deb
files (tests/vm/patches.py) copied in; the guests have no network of
their own beyond QEMU's user network. In order, so that two boots of each
host serve every case:

  (c) hv1 booted with module_blacklist=kvm_amd: hvprobe check fails before
      patching; nothing is patched or snapshotted on either host.
  (e) hv1 unreachable (its port closed): the play stops there; hv2 is
      untouched.
      (hv1 is then booted again without the blacklist, on the same disk.)
  (b) a harmless patch: both hosts are patched, rebooted (new boot ids)
      and compare clean; the play succeeds.
  (d) the patch loses the baseline: compare exits 66 before the reboot,
      an error and never "no regression"; hv1 is not rebooted, hv2 not
      patched.
  (a) a kernel package without KVM modules: the kernel hook warns during
      the installation, compare before the reboot finds kvm.next_boot
      regressed and the play stops with hv1 patched but NOT rebooted;
      hv2 has no baseline and no new kernel.

Before any guest: ansible-playbook --syntax-check of the playbook and of
the Windows branch (ansible.windows.win_reboot, collection ansible.windows),
and the policy for UNKNOWN (hvprobe_unknown_is_failure) on this machine
with a CPUID dump.

Prints one line per case with its time; on a failure the playbook's output
and the consoles' ends. Each passed case's playbook output is kept in
BUILD_DIR/vm-guest/logs/rolling-patch-CASE.txt. Exit 0 all passed, 1 a case failed, 77 (skipped)
when QEMU, debootstrap, ansible or root is missing.

usage: rolling_patch.py BUILD_DIR [CPACK]
"""
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import debian_guest as dg  # noqa: E402
import patches  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOK = os.path.join(ROOT, "contrib", "ansible", "rolling-patch.yml")
ROLES = os.path.join(ROOT, "contrib", "ansible", "roles")
SKIP = 77
BAD_RELEASE = "6.1.0-99-amd64"
BASELINE = "/var/lib/hvprobe/before.json"  # the role's default, the package's directory
TEXTFILE_DIR = "/var/lib/prometheus/node-exporter"
HOOK_WARNING = f"hvprobe: WARNING: kernel {BAD_RELEASE}: kvm.next_boot FAIL"


class CaseFailed(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def check(cond, what, output=""):
    if not cond:
        raise CaseFailed(what + ("\n--- playbook output ---\n" + output if output else ""))


def build_deb(build, cpack, work):
    """The hvprobe .deb of this build tree (cpack, as package.deb does)."""
    out = os.path.join(work, "deb")
    p = subprocess.run([cpack, "-G", "DEB", "-B", out, "--config", os.path.join(build, "CPackConfig.cmake")],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("rolling_patch: cpack failed:\n" + p.stdout + p.stderr)
    debs = glob.glob(os.path.join(out, "*.deb"))
    if len(debs) != 1:
        sys.exit(f"rolling_patch: cpack wrote {debs}")
    return debs[0]


def ansible_env(work):
    cfg = os.path.join(work, "ansible.cfg")
    open(cfg, "w").close()  # nothing from this machine's ansible.cfg
    return dict(os.environ, ANSIBLE_CONFIG=cfg, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_RETRY_FILES_ENABLED="0",
                ANSIBLE_HOME=os.path.join(work, "ansible-home"),
                ANSIBLE_LOCAL_TEMP=os.path.join(work, "ansible-tmp"),
                ANSIBLE_SSH_CONTROL_PATH_DIR=os.path.join(work, "ansible-cp"),
                ANSIBLE_ROLES_PATH=ROLES, LC_ALL="C.UTF-8")


def syntax_checks(work):
    """The playbook, and the Windows branch with ansible.windows resolved."""
    env = ansible_env(work)
    windows = os.path.join(work, "windows-branch.yml")
    with open(windows, "w") as f:
        f.write("- hosts: all\n  gather_facts: false\n  vars:\n    hvprobe_windows: true\n  tasks:\n"
                "    - ansible.builtin.import_role:\n        name: hvprobe_gate\n"
                "        tasks_from: reboot-windows\n")
    for book in (PLAYBOOK, windows):
        p = subprocess.run(["ansible-playbook", "--syntax-check", "-i", "localhost,", book],
                           capture_output=True, text=True, env=env, cwd=work)
        if p.returncode != 0:
            raise CaseFailed(f"ansible-playbook --syntax-check {os.path.basename(book)}:\n{p.stdout}{p.stderr}")


def unknown_policy(work, build):
    """hvprobe_unknown_is_failure, on this machine (connection local): a
    CPUID dump judged for the target any is UNKNOWN (the firmware's MSRs
    were not recorded); by default the host is not patched, with false it
    is."""
    dump = os.path.join(ROOT, "tests", "fixtures", "cpuid", "amd_zen4_amd-ryzen-7-7700x-8-core-processor.txt")
    state = os.path.join(work, "local")
    os.makedirs(state, exist_ok=True)
    inventory = os.path.join(work, "local.ini")
    with open(inventory, "w") as f:
        f.write("[hypervisors]\nlocal1 ansible_connection=local ansible_python_interpreter=python3\n")
    outputs = []
    for policy in ("default", "false"):
        patched = os.path.join(state, f"patched-{policy}")
        extra = {"hvprobe": os.path.join(build, "hvprobe"), "hvprobe_args": f"--cpuid-dump {dump} -t any",
                 "hvprobe_reboot": False, "hvprobe_baseline": os.path.join(state, "before.json"),
                 "hvprobe_patch_command": f"touch {patched}"}
        if policy == "false":
            extra["hvprobe_unknown_is_failure"] = False
        with open(os.path.join(work, "local-vars.json"), "w") as f:
            json.dump(extra, f)
        p = subprocess.run(["ansible-playbook", "-i", inventory, PLAYBOOK, "-e", "hvprobe_hosts=hypervisors",
                            "-e", "@" + os.path.join(work, "local-vars.json")], capture_output=True, text=True,
                           env=ansible_env(work), cwd=work, timeout=300)
        out = p.stdout + p.stderr
        outputs.append(out)
        if policy == "default":
            check(p.returncode != 0 and not os.path.exists(patched), "an UNKNOWN host was patched", out)
            check("stopped at 'hvprobe check: the host must pass before it is patched': exit 2, UNKNOWN" in out,
                  "the UNKNOWN stop is not explained", out)
        else:
            check(p.returncode == 0 and os.path.exists(patched),
                  "hvprobe_unknown_is_failure=false did not let an UNKNOWN host through", out)
    return "\n".join(outputs)


def play(work, hosts, patch_command, ports=None):
    """ansible-playbook rolling-patch.yml on HOSTS (in that order): its
    return code and output. ports overrides a host's port."""
    ports = ports or {}
    inventory = os.path.join(work, "inventory.ini")
    with open(inventory, "w") as f:
        f.write("[hypervisors]\n")
        for g in hosts:
            f.write(f"{g.name} ansible_host=127.0.0.1 ansible_port={ports.get(g.name, g.port)}\n")
        f.write("\n[hypervisors:vars]\nansible_user=root\n"
                f"ansible_ssh_private_key_file={hosts[0].image.key}\n"
                "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n"
                "ansible_python_interpreter=/usr/bin/python3\n"
                "hvprobe_args='--target kvm'\n")
    extra = os.path.join(work, "extra-vars.json")
    with open(extra, "w") as f:
        json.dump({"hvprobe_patch_command": patch_command, "hvprobe_reboot_timeout": 600}, f)
    p = subprocess.run(["ansible-playbook", "-i", inventory, PLAYBOOK, "-e", "hvprobe_hosts=hypervisors",
                        "-e", "@" + extra], capture_output=True, text=True, env=ansible_env(work), cwd=work,
                       timeout=1500)
    return p.returncode, p.stdout + p.stderr


class State:
    """What a host looks like from outside the play."""
    def __init__(self, guest):
        out = dg.ssh(guest, "cat /proc/sys/kernel/random/boot_id; "
                     f"test -e {BASELINE} && echo baseline=yes || echo baseline=no; "
                     "dpkg-query -W -f='${Package}=${Version}\\n' 'hvprobe-test-*' "
                     f"'linux-image-{BAD_RELEASE}' 2>/dev/null; true").stdout.split()
        self.boot_id = out[0]
        self.baseline = "baseline=yes" in out
        self.packages = dict(x.split("=", 1) for x in out if "=" in x and not x.startswith("baseline="))


def recap(output, host):
    m = re.search(rf"^{host}\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", output, re.M)
    return tuple(int(x) for x in m.groups()) if m else None


def untouched(output, host):
    """No task ran on host."""
    return not re.search(rf"^(ok|changed|fatal|failed): \[{host}\]", output, re.M)


def reset(guests):
    for g in guests:
        dg.ssh(g, "rm -rf /var/lib/hvprobe")


def copy_patches(guests, debs):
    for g in guests:
        dg.ssh(g, "mkdir -p /root/patches")
        for deb in debs:
            dg.copy_to(g, deb, "/root/patches/" + os.path.basename(deb))


def dpkg_i(deb):
    return f"DEBIAN_FRONTEND=noninteractive dpkg -i /root/patches/{os.path.basename(deb)}"


def case_c_fails_before_patching(work, hv1, hv2, harmless):
    before = [State(hv1), State(hv2)]
    rc, out = play(work, [hv1, hv2], dpkg_i(harmless))
    check(rc != 0, "the play succeeded on a host whose KVM is down", out)
    check(recap(out, "hv1") is not None and recap(out, "hv1")[3] == 1, "hv1 did not fail", out)
    check(untouched(out, "hv2"), "the play went on to hv2", out)
    check("stopped at 'hvprobe check: the host must pass before it is patched': exit 1" in out,
          "the failure does not name the check before patching", out)
    # hvprobe's report as its own lines, not one escaped string
    check(re.search(r'^\s+"\s+os\.kvm\s+FAIL\s', out, re.M), "os.kvm's FAIL line is not shown", out)
    check(re.search(r'^\s+"verdict: FAIL ', out, re.M), "the verdict line is not shown", out)
    for g, b in zip((hv1, hv2), before):
        s = State(g)
        check(not s.baseline, f"{g.name} has a baseline", out)
        check(not s.packages, f"{g.name} was patched: {s.packages}", out)
        check(s.boot_id == b.boot_id, f"{g.name} was rebooted", out)
    return out


def case_e_unreachable(work, hv1, hv2, harmless):
    closed = dg.free_port()
    rc, out = play(work, [hv1, hv2], dpkg_i(harmless), ports={"hv1": closed})
    check(rc != 0, "the play succeeded with hv1 unreachable", out)
    # Ansible alone goes on to the next batch after an unreachable host:
    # the role turns it into a failure, with ssh's line.
    check(f"stopped at 'hvprobe check: the host must pass before it is patched': unreachable "
          f"(Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port {closed}: "
          f"Connection refused)" in out, "the failure does not show ssh's line", out)
    check(untouched(out, "hv2"), "the play went on to hv2 after an unreachable host", out)
    s = State(hv2)
    check(not s.baseline and not s.packages, "hv2 was touched", out)
    return out


def case_b_clean_patch(work, hv1, hv2, harmless):
    before = [State(hv1), State(hv2)]
    rc, out = play(work, [hv1, hv2], dpkg_i(harmless))
    check(rc == 0, f"the play failed (exit {rc}) on a harmless patch", out)
    for g, b in zip((hv1, hv2), before):
        s = State(g)
        check(s.boot_id != b.boot_id, f"{g.name} was not rebooted", out)
        check(s.packages.get("hvprobe-test-harmless") == "1.0", f"{g.name} was not patched", out)
        check(s.baseline, f"{g.name} has no baseline", out)
        check(recap(out, g.name) is not None and recap(out, g.name)[2:] == (0, 0), f"{g.name} failed", out)
    # both comparisons, before and after the reboot, shown as text lines
    check(len(re.findall(r'^\s+"result:\s+NO REGRESSION",?$', out, re.M)) == 4,
          "compare's result is not shown as a line before and after each reboot", out)
    return out


def case_d_missing_baseline(work, hv1, hv2, harmless2):
    before = [State(hv1), State(hv2)]
    rc, out = play(work, [hv1, hv2], dpkg_i(harmless2) + f" && rm -f {BASELINE}")
    check(rc != 0, "a lost baseline passed as no regression", out)
    check("stopped at 'hvprobe compare before the reboot: the next boot must not regress': exit 66" in out,
          "the missing baseline is not exit 66 at the gate", out)
    check(BASELINE + ": No such file or directory" in out, "hvprobe's error line is not shown", out)
    check(State(hv1).boot_id == before[0].boot_id, "hv1 was rebooted without a baseline", out)
    s2 = State(hv2)
    check(untouched(out, "hv2") and not s2.baseline and s2.packages.get("hvprobe-test-harmless") == "1.0",
          "hv2 was touched", out)
    return out


def case_a_kernel_without_kvm(work, hv1, hv2, kernel):
    dg.ssh(hv1, f"mkdir -p {TEXTFILE_DIR}")
    before = [State(hv1), State(hv2)]
    rc, out = play(work, [hv1, hv2], dpkg_i(kernel))
    check(rc != 0, "the play went on after a kernel without KVM modules", out)
    check(HOOK_WARNING in out, "the kernel hook's warning is not in the output", out)
    check("stopped at 'hvprobe compare before the reboot: the next boot must not regress': exit 1" in out,
          "the gate before the reboot did not stop hv1", out)
    check("NOT rebooted" in out, "the failure does not say the host was not rebooted", out)
    check(re.search(r'^\s+"\s+kvm\.next_boot\s+PASS\s+->\s+FAIL', out, re.M),
          "the regression of kvm.next_boot is not shown as a line", out)
    s1 = State(hv1)
    check(s1.boot_id == before[0].boot_id, "hv1 was rebooted into a kernel without KVM", out)
    check(s1.packages.get(f"linux-image-{BAD_RELEASE}"), "the kernel was not installed on hv1", out)
    link = dg.ssh(hv1, "readlink /vmlinuz").stdout.strip()
    check(link == f"boot/vmlinuz-{BAD_RELEASE}", f"/vmlinuz is {link}", out)
    # the hook's journal line (its own tag) and the refreshed textfile
    journal = dg.ssh(hv1, "journalctl -q -o cat -t hvprobe-kernel").stdout
    check(f"kernel {BAD_RELEASE}: kvm.next_boot FAIL" in journal, f"no journal line: {journal!r}", out)
    prom = dg.ssh(hv1, f"cat {TEXTFILE_DIR}/hvprobe.prom", check=False).stdout
    check("kvm.next_boot" in prom and "hvprobe_verdict" in prom, f"textfile not refreshed: {prom[:300]!r}", out)
    s2 = State(hv2)
    check(untouched(out, "hv2"), "the play went on to hv2", out)
    check(not s2.baseline, "hv2 has a baseline", out)
    check(not s2.packages.get(f"linux-image-{BAD_RELEASE}"), "hv2 got the kernel", out)
    check(s2.boot_id == before[1].boot_id, "hv2 was rebooted", out)
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = os.path.abspath(sys.argv[1])
    cpack = sys.argv[2] if len(sys.argv) > 2 else "cpack"
    why = dg.missing_tools()
    if not why and not shutil.which("ansible-playbook"):
        why = "no ansible-playbook (sh scripts/install-deps.sh test)"
    if why:
        log(f"rolling_patch: SKIP: {why}")
        sys.exit(SKIP)
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="hvprobe-rolling-")
    guests = []
    failed = False
    try:
        syntax_checks(work)
        log("ok   syntax-check: rolling-patch.yml and the Windows branch (ansible.windows.win_reboot)")
        unknown_policy(work, build)
        log("ok   hvprobe_unknown_is_failure: UNKNOWN stops by default, passes when false (this machine)")
        deb = build_deb(build, cpack, work)
        t = time.monotonic()
        image = dg.build_image(os.path.join(build, "vm-guest"), deb, log)
        log(f"image: Debian {dg.SUITE}, kernel {image.release}, {image.hvprobe_version}: "
            f"{time.monotonic() - t:.0f} s here (built in {image.build_seconds} s)")
        pk = os.path.join(work, "patches")
        os.makedirs(pk)
        harmless = patches.harmless(pk)
        harmless2 = patches.harmless(pk, version="2.0")
        t = time.monotonic()
        boot_dir = os.path.join(work, "boot")
        os.makedirs(boot_dir)
        shutil.copy(os.path.join(image.top, "vmlinuz"), os.path.join(boot_dir, "vmlinuz"))
        hv1 = dg.boot(image, work, "hv1", append="module_blacklist=kvm_amd")
        hv2 = dg.boot(image, work, "hv2")
        guests = [hv1, hv2]
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            waits = list(pool.map(dg.wait_for_ssh, guests))
        log(f"boot: hv1 (kvm_amd blacklisted) and hv2 up in {max(waits):.0f} s")
        config = dg.ssh(hv2, f"cat /boot/config-{image.release}").stdout
        with open(os.path.join(boot_dir, "config"), "w") as f:
            f.write(config)
        # the block and file system modules of the real kernel, for its initramfs
        mods = os.path.join(work, "mods")
        for sub in ("kernel/drivers/block/virtio_blk.ko", "kernel/fs/ext4/ext4.ko", "kernel/fs/jbd2/jbd2.ko",
                    "kernel/fs/mbcache.ko", "kernel/lib/crc16.ko", "modules.builtin", "modules.builtin.modinfo"):
            os.makedirs(os.path.dirname(os.path.join(mods, sub)), exist_ok=True)
            with open(os.path.join(mods, sub), "wb") as f:
                f.write(dg.ssh(hv2, f"cat /lib/modules/{image.release}/{sub}", input=b"").stdout)
        kernel = patches.kernel_without_kvm(pk, BAD_RELEASE, os.path.join(boot_dir, "vmlinuz"),
                                            os.path.join(boot_dir, "config"), mods)
        copy_patches(guests, [harmless, harmless2, kernel])

        logs = os.path.join(build, "vm-guest", "logs")
        os.makedirs(logs, exist_ok=True)

        def case(name, fn, *args):
            t0 = time.monotonic()
            out = fn(work, *args)
            with open(os.path.join(logs, f"rolling-patch-{name[1]}.txt"), "w") as f:
                f.write(out)  # the playbook's output, kept for reading
            log(f"ok   {name}: {time.monotonic() - t0:.0f} s")

        case("(c) hv1 fails before patching: nothing patched", case_c_fails_before_patching, hv1, hv2, harmless)
        case("(e) hv1 unreachable: the play stops, hv2 untouched", case_e_unreachable, hv1, hv2, harmless)
        t0 = time.monotonic()
        dg.shutdown(hv1)
        hv1 = dg.boot(image, work, "hv1", disk=hv1.overlay, port=hv1.port)
        guests = [hv1, hv2]
        dg.wait_for_ssh(hv1)
        log(f"boot: hv1 again, kvm_amd loading: {time.monotonic() - t0:.0f} s")
        case("(b) a harmless patch: both hosts rebooted and clean", case_b_clean_patch, hv1, hv2, harmless)
        reset(guests)
        case("(d) the baseline lost: exit 66 before the reboot", case_d_missing_baseline, hv1, hv2, harmless2)
        reset(guests)
        case("(a) a kernel without KVM: stopped before hv1's reboot", case_a_kernel_without_kvm, hv1, hv2, kernel)
    except (CaseFailed, dg.GuestError, subprocess.TimeoutExpired) as e:
        failed = True
        log(f"FAIL {e}")
        for g in guests:
            log(f"--- {g.name} console (end) ---\n{g.console_tail(60)}")
    finally:
        for g in guests:
            dg.shutdown(g)
        shutil.rmtree(work, ignore_errors=True)
    log(f"rolling_patch: {'FAILED' if failed else 'passed'} in {time.monotonic() - started:.0f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
