/* SPDX-License-Identifier: MIT */
/*
 * Did KVM come up at one Linux boot? The journal keeps each boot's kernel
 * messages: KVM's refusals (the wordings of formats/kmsg.c, each with its
 * release in docs/checks.md), the lines its vendor module prints once set
 * up, and hvprobe's own verdict when its unit ran at that boot
 * (docs/linux-history.md). A refusal decides first, since a boot that
 * refused cannot also have come up (a refusal of the other vendor's module
 * aside); then hvprobe's verdict when it found /dev/kvm unusable or KVM
 * creating a VM; then the vendor module's own line.
 */
#include "launch.h"

#include <stdio.h>
#include <string.h>

#define REFUSED(why, what_to_do) { .outcome = OUTCOME_FAILED, .reason = why, .fix = what_to_do }

static const struct kvm_boot_reason refused[KMSG_FACT_COUNT] = {
	[KMSG_VMX_DISABLED_BY_BIOS] = REFUSED(
		"the firmware left VT-x off",
		"enable Intel Virtualization Technology (VT-x) in the firmware setup, save, and power "
		"the machine off and on"),
	[KMSG_SVM_DISABLED_BY_BIOS] = REFUSED(
		"the firmware disabled AMD-V (VM_CR.SVMDIS)",
		"enable SVM Mode (AMD-V) in the firmware setup, save, and power the machine off and on"),
	[KMSG_KVM_DISABLED_BY_BIOS] = REFUSED(
		"the firmware left VT-x/AMD-V off",
		"enable virtualization (VT-x or SVM Mode) in the firmware setup, save, and power the "
		"machine off and on"),
	[KMSG_VMX_NOT_FULLY_ENABLED] = REFUSED(
		"the kernel turned VT-x off while it booted",
		"read the kernel log around that line and check the firmware's virtualization settings"),
	[KMSG_KVM_NO_HW_SUPPORT] = REFUSED(
		"KVM found no VT-x/AMD-V in CPUID",
		"enable virtualization in the firmware setup; in a virtual machine, have its host expose "
		"VT-x/AMD-V (nested virtualization)"),
	[KMSG_KVM_ENABLE_FAILED] = REFUSED(
		"KVM could not turn VT-x/AMD-V on: another hypervisor held it",
		"stop the other hypervisor (VirtualBox, VMware) or unload its kernel module before KVM "
		"loads"),
};

#undef REFUSED

static const struct kvm_boot_reason verdict_failed = {
	.outcome = OUTCOME_FAILED, .reason = "hvprobe's check at that boot found KVM could not run",
	.fix = "read the hvprobe line of that boot (journalctl -t hvprobe -b ID)"
};
static const struct kvm_boot_reason verdict_up = {
	.outcome = OUTCOME_LAUNCHED, .reason = "hvprobe's check at that boot saw KVM create a VM"
};
static const struct kvm_boot_reason module_up = {
	.outcome = OUTCOME_LAUNCHED, .reason = "KVM's vendor module set itself up"
};
static const struct kvm_boot_reason module_silent = {
	.outcome = OUTCOME_FAILED,
	.reason = "KVM's vendor module did not load: it announced itself at earlier boots and not "
		  "at this one",
	.fix = "check that this boot's kernel has its KVM modules (lib/modules/RELEASE/kernel/arch/x86/kvm) "
	"and that nothing blacklists them (modprobe.d, module_blacklist= on the kernel command line)",
	.inferred = true
};

/* hvprobe's --syslog line is the verdict's name and its summary
 * (cli/main.c, report/summary.c): "pass: TARGET runs here: KVM created a
 * VM on this host", or "fail: TARGET cannot launch here; failed: IDS". Only
 * os.kvm among the failed checks says KVM itself could not run: another
 * target's failure, or a failed gate for the next boot, says nothing of
 * this boot's KVM. */
static bool lists_check(const char *line, const char *id)
{
	const char *failed = strstr(line, "failed:");
	size_t n = strlen(id);
	for (const char *p = failed; p && (p = strstr(p, id)) != NULL; p += n)
		if (p[-1] == ' ' && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static const struct kvm_boot_reason *from_verdict(const char *line)
{
	if (strstr(line, "runs here: KVM created a VM"))
		return &verdict_up;
	if (strstr(line, "cannot launch here") && lists_check(line, "os.kvm"))
		return &verdict_failed;
	return NULL;
}

/* A refusal of the other vendor's module (kvm_intel tried on an AMD host,
 * both listed in /etc/modules) says nothing once kvm_amd came up: the
 * set-up lines are kvm_amd's (formats/kmsg.c), so only a refusal that is
 * not Intel's, or enabling that failed after set-up, still counts. */
static bool refusal_counts(const struct journal_boot *b, int fact)
{
	if (!b->kvm_up[0])
		return true;
	const char *line = b->kmsg[fact];
	bool intel = fact == KMSG_VMX_DISABLED_BY_BIOS || fact == KMSG_VMX_NOT_FULLY_ENABLED ||
		     strstr(line, "kvm_intel") || strstr(line, "VMX");
	bool vendor_unnamed = !strstr(line, "amd") && !strstr(line, "SVM");
	return fact == KMSG_KVM_ENABLE_FAILED || (!intel && !vendor_unnamed);
}

/* A boot's log reached past the loading of modules: its start was kept
 * (the "Linux version" line) and it ran long enough for udev to load
 * KVM. */
#define MODULES_LOADED_AFTER 120 /* seconds */

static bool log_covers_module_load(const struct journal_boot *b)
{
	return b->kernel[0] && b->last - b->first >= MODULES_LOADED_AFTER;
}

const struct kvm_boot_reason *kvm_boot_judge(const struct journal_boot *b, bool earlier_up,
					     const char **line)
{
	const struct kvm_boot_reason *r;
	*line = "";
	for (int f = 0; f < KMSG_FACT_COUNT; f++)
		if (refused[f].reason && b->kmsg[f][0] && refusal_counts(b, f)) {
			*line = b->kmsg[f];
			return &refused[f];
		}
	if (b->verdict[0] && (r = from_verdict(b->verdict)) != NULL) {
		*line = b->verdict;
		return r;
	}
	if (b->kvm_up[0]) {
		*line = b->kvm_up;
		return &module_up;
	}
	if (earlier_up && log_covers_module_load(b))
		return &module_silent;
	return NULL;
}
