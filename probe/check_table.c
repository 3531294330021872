/* SPDX-License-Identifier: MIT */
/* The table of checks: one row each, in report order. */
#include "checks.h"

#include <stdlib.h>
#include <string.h>

const struct check_def check_table[CHECK_COUNT] = {
	[CHECK_CPU_ARCH] = { "cpu.arch", "64-bit x86 processor", check_cpu_arch, true },
	[CHECK_CPU_VIRT_EXT] = { "cpu.virt_ext", "VT-x or AMD-V in CPUID", check_cpu_virt_ext, true },
	[CHECK_CPU_NX] = { "cpu.nx", "NX/XD (hardware DEP)", check_cpu_nx, true },
	[CHECK_CPU_SLAT] = { "cpu.slat", "SLAT (EPT or NPT)", check_cpu_slat, true },
	[CHECK_CPU_CONSISTENCY] = { "cpu.consistency", "all logical CPUs agree", check_cpu_consistency, true },
	[CHECK_HV_RUNNING] = { "hv.running", "hypervisor below this OS", check_hv_running, false },
	[CHECK_HV_NESTED] = { "hv.nested", "nested virtualization", check_hv_nested, true },
	[CHECK_FW_VIRT_ENABLED] = { "fw.virt_enabled", "VT-x/AMD-V enabled in firmware", check_fw_virt_enabled, true },
	[CHECK_FW_NX_ENABLED] = { "fw.nx_enabled", "NX/XD enabled in firmware", check_fw_nx_enabled, true },
	[CHECK_FW_BOOT] = { "fw.boot", "boot mode and Secure Boot", check_fw_boot, false },
	[CHECK_OS_KVM] = { "os.kvm", "/dev/kvm usable", check_os_kvm, false },
	/* Boot configuration decides the next boot, not this one: a running
	 * hypervisor proves none of it. */
	[CHECK_BCD_ENTRY] = { "bcd.entry", "Windows boot entry read", check_bcd_entry, false },
	[CHECK_BCD_LAUNCH_TYPE] = { "bcd.hypervisorlaunchtype", "boot entry launches the hypervisor",
				    check_bcd_hypervisorlaunchtype, false },
	[CHECK_BCD_NX] = { "bcd.nx", "boot entry keeps DEP on", check_bcd_nx, false },
	[CHECK_BCD_HV_DEBUG] = { "bcd.hypervisordebug", "hypervisor debugging off",
				 check_bcd_hypervisordebug, false },
	[CHECK_BCD_HV_SETTINGS] = { "bcd.hypervisorsettings", "other hypervisor boot settings",
				    check_bcd_hypervisorsettings, false },
	[CHECK_UPDATES_KNOWN_BAD] = { "updates.known_bad", "no update known to break launch",
				      check_updates_known_bad, false },
	/* The outcome, not a prerequisite: a running hypervisor proves it. */
	[CHECK_HV_LAUNCH] = { "hv.launch", "the hypervisor launched at boot", check_hv_launch, false },
};

int check_find(const char *id)
{
	for (int i = 0; i < CHECK_COUNT; i++)
		if (strcmp(check_table[i].id, id) == 0)
			return i;
	return -1;
}

bool check_no_cpu_data(const struct facts *f, struct check_result *r)
{
	if (f->rep)
		return false;
	result_set(r, STATUS_UNKNOWN, "no CPUID data was read");
	result_remedy(r, "take a complete CPUID dump (cpuid -r) or run hvprobe on the host");
	return true;
}

const char *check_source_words(const struct facts *f)
{
	switch (f->ev->source) {
	case SOURCE_DUMP: return "this CPUID dump";
	case SOURCE_BUNDLE: return "this bundle";
	default: return "this system";
	}
}

/* Parse the leading "major.minor" of a kernel release. */
bool kernel_at_least(const char *release, unsigned major, unsigned minor)
{
	char *end;
	unsigned long maj = strtoul(release, &end, 10);
	if (end == release || *end != '.')
		return false;
	const char *p = end + 1;
	unsigned long min = strtoul(p, &end, 10);
	if (end == p)
		return false;
	return maj > major || (maj == major && min >= minor);
}
