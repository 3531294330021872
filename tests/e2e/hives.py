"""Registry hives for the tests, made from the real BCD stores in
tests/fixtures/bcd.

A copy goes to a temporary directory and is changed with hivexregedit
--merge (Debian libwin-hivex-perl), the way an administrator's .reg file
would change it: the fixtures themselves are never written. hivex cannot
create an empty hive, so a SOFTWARE hive is a store copy with its keys
deleted and the SOFTWARE keys merged in, every parent before its child.
"""
import atexit
import os
import shutil
import subprocess
import tempfile

FIXTURES = os.environ["HVPROBE_FIXTURES"]
BCD = os.path.join(FIXTURES, "bcd")

BOOTMGR = "{9dea862c-5cdd-4e70-acc1-f32b344d4795}"
BOOTLOADERSETTINGS = "{6efb52bf-1766-41db-a6b3-0ee5eff72bd7}"
GLOBALSETTINGS = "{7ea2e1ac-2e61-4728-aaa3-896d9d0a9f0e}"
HYPERVISORSETTINGS = "{7ff607e0-4395-11db-b0de-0800200c9a66}"

# Element types (docs/checks.md, "The Windows boot configuration").
DEFAULT = "23000003"
BOOTSEQUENCE = "24000002"
DESCRIPTION = "12000004"
PATH = "12000002"
INHERIT = "14000006"
WINPE = "26000022"
LAUNCHTYPE = "250000f0"
NX = "25000020"
HVDEBUG = "260000f2"
HVSLATOFF = "260000f8"
HVNUMPROC = "250000fa"
HVIOMMU = "25000115"


def _hex(data):
    return ",".join(f"{b:02x}" for b in data)


def integer(v):
    """An integer element: 8 bytes little-endian, REG_BINARY."""
    return f"hex(3):{_hex(v.to_bytes(8, 'little'))}"


def boolean(v):
    return f"hex(3):{_hex(bytes([1 if v else 0]))}"


def string(s):
    """REG_SZ, UTF-16LE with its terminator."""
    return f"hex(1):{_hex((s + chr(0)).encode('utf-16-le'))}"


def object_list(*ids):
    """REG_MULTI_SZ."""
    return f"hex(7):{_hex((chr(0).join(ids) + chr(0) * 2).encode('utf-16-le'))}"


def element(obj, elem, value):
    """A .reg block setting one element; value None deletes the element."""
    key = f"\\Objects\\{obj}\\Elements\\{elem}"
    if value is None:
        return f"[-{key}]\n"
    return f"[{key}]\n\"Element\"={value}\n"


def dword(v):
    return f"dword:{v:08x}"


def os_loader(obj, description, path="\\WINDOWS\\system32\\winload.efi", launchtype=None):
    """.reg blocks adding an OS loader entry (type 0x10200003) that
    inherits {bootloadersettings}, as bcdedit /create ... /application
    osloader (or /copy) makes one."""
    blocks = [f"[\\Objects\\{obj}]\n", f"[\\Objects\\{obj}\\Description]\n\"Type\"={dword(0x10200003)}\n",
              f"[\\Objects\\{obj}\\Elements]\n", element(obj, DESCRIPTION, string(description)),
              element(obj, PATH, string(path)), element(obj, INHERIT, object_list(BOOTLOADERSETTINGS))]
    if launchtype is not None:
        blocks.append(element(obj, LAUNCHTYPE, integer(launchtype)))
    return blocks


def merge(path, *blocks):
    reg = path + ".reg"
    with open(reg, "w") as f:
        f.write("Windows Registry Editor Version 5.00\n\n" + "\n".join(blocks))
    subprocess.run(["hivexregedit", "--merge", path, reg], check=True, capture_output=True)


CBS = "\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"
# The seed's three updates; install times as FILETIME (100 ns since 1601).
SEED_UPDATES = [("KB5008868", 0x70, 0x01D80729_00000000), ("KB5008883", 0x70, 0x01D80729_40000000),
                ("KB5009624", 0x70, 0x01D8072A_00000000)]
MACHINE_GUID = "6f1c3c2e-8c1d-4a7e-9b0e-0c2d3e4f5a6b"


def cbs_package(identity, state, filetime=None, **values):
    """A .reg block of one CBS package key: its CurrentState, install time
    (FILETIME) and REG_SZ values such as InstallLocation."""
    block = f"[{CBS}\\{identity}]\n\"CurrentState\"={dword(state)}\n"
    if filetime is not None:
        block += (f"\"InstallTimeHigh\"={dword(filetime >> 32)}\n"
                  f"\"InstallTimeLow\"={dword(filetime & 0xFFFFFFFF)}\n")
    for key, value in values.items():
        block += f"\"{key}\"={string(value)}\n"
    return block


# The restart markers administrators' scripts check (docs/windows.md).
CBS_REBOOT_PENDING = "[\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending]\n"
WU_REBOOT_REQUIRED = ("[\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate]\n\n"
                      "[\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update]\n\n"
                      "[\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired]\n")


def software(tmpdir, updates=(), name="SOFTWARE", guid=MACHINE_GUID,
             product="Windows Server 2012 R2 Datacenter", build=("9600", 20207), extra=()):
    """A SOFTWARE hive with these (kb, CurrentState, FILETIME) updates, and
    extra .reg blocks after them (cbs_package(), the restart markers)."""
    path = copy(tmpdir, "h1ppy_0pts-bitpixie__Boot_BCD", "[-\\Objects]\n", "[-\\Description]\n",
                name=name)
    blocks = ["[\\Microsoft]\n", "[\\Microsoft\\Windows NT]\n",
              f"[\\Microsoft\\Windows NT\\CurrentVersion]\n\"ProductName\"={string(product)}\n"
              f"\"CurrentBuild\"={string(build[0])}\n\"UBR\"={dword(build[1])}\n",
              f"[\\Microsoft\\Cryptography]\n\"MachineGuid\"={string(guid)}\n",
              "[\\Microsoft\\Windows]\n", "[\\Microsoft\\Windows\\CurrentVersion]\n",
              "[\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing]\n", f"[{CBS}]\n"]
    for kb, state, filetime in updates:
        blocks.append(f"[{CBS}\\Package_for_{kb}~31bf3856ad364e35~amd64~~6.3.1.4]\n"
                      f"\"CurrentState\"={dword(state)}\n"
                      f"\"InstallTimeHigh\"={dword(filetime >> 32)}\n"
                      f"\"InstallTimeLow\"={dword(filetime & 0xFFFFFFFF)}\n")
    merge(path, *blocks, *extra)
    return path


def system(tmpdir, services=("hvboot", "vmms", "vid"), firmware=2, current=1, name="SYSTEM",
           renames=None):
    """A SYSTEM hive: Select\\Current naming ControlSet00N, these services
    under it, and Control\\PEFirmwareType (1 BIOS, 2 UEFI; None: absent);
    renames, a list of names for Session Manager's
    PendingFileRenameOperations (REG_MULTI_SZ, "" a delete's new name)."""
    path = copy(tmpdir, "h1ppy_0pts-bitpixie__Boot_BCD", "[-\\Objects]\n", "[-\\Description]\n",
                name=name)
    cs = f"\\ControlSet{current:03d}"
    blocks = [f"[\\Select]\n\"Current\"={dword(current)}\n", f"[{cs}]\n", f"[{cs}\\Services]\n",
              f"[{cs}\\Control]\n" + (f"\"PEFirmwareType\"={dword(firmware)}\n" if firmware else "")]
    blocks += [f"[{cs}\\Services\\{svc}]\n\"Start\"={dword(3)}\n" for svc in services]
    if renames is not None:
        data = (chr(0).join(renames) + chr(0) * 2).encode("utf-16-le")
        blocks.append(f"[{cs}\\Control\\Session Manager]\n"
                      f"\"PendingFileRenameOperations\"=hex(7):{_hex(data)}\n")
    merge(path, *blocks)
    return path


def windows_volume(tmpdir, updates=(), system_hive=False, logs=None, **kw):
    """A directory laid out like a mounted Windows volume (names in the
    case Windows writes them; hvprobe matches any case): the SOFTWARE hive,
    a SYSTEM hive when asked (True, or system()'s arguments as a dict), and
    event logs {"System.evtx": writer, ...} where each writer(path) writes one."""
    root = os.path.join(tmpdir, "C")
    config = os.path.join(root, "Windows", "System32", "config")
    os.makedirs(config, exist_ok=True)
    software(config, updates, **kw)
    if system_hive:
        system(config, **(system_hive if isinstance(system_hive, dict) else {}))
    if logs:
        where = os.path.join(root, "Windows", "System32", "winevt", "Logs")
        os.makedirs(where, exist_ok=True)
        for name, writer in logs.items():
            writer(os.path.join(where, name))
    return root


def copy(tmpdir, fixture, *blocks, name="BCD"):
    """Copy a fixture store into tmpdir and merge the .reg blocks into it."""
    path = os.path.join(tmpdir, name)
    shutil.copyfile(os.path.join(BCD, fixture), path)
    os.chmod(path, 0o644)
    if blocks:
        merge(path, *blocks)
    return path


# The healthy host's Windows volume: SOFTWARE lists no update at all, so
# updates.known_bad (required for Hyper-V) has its evidence and passes.
# Tests of a host whose Hyper-V verdict should pass give it; a later
# --windows replaces it.
_dir = tempfile.mkdtemp(prefix="hvprobe-hives-")
atexit.register(shutil.rmtree, _dir, True)
UP_TO_DATE = ["--windows", windows_volume(_dir)]
