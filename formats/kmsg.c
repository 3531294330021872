/* SPDX-License-Identifier: MIT */
#include "kmsg.h"

#include <stdio.h>
#include <string.h>

#include "textscan.h"

/*
 * Each fact and the substrings that all must appear in its message, as the
 * kernel prints them (with the prefix pr_fmt or the text adds); which
 * releases print which wording: docs/checks.md, fw.virt_enabled.
 *   x86/cpu:   arch/x86/kernel/cpu/feat_ctl.c (5.6+)
 *   kvm:       arch/x86/kvm/x86.c kvm_arch_init() (up to 6.2),
 *              virt/kvm/kvm_main.c (virtualization enabling)
 *   kvm_intel: arch/x86/kvm/vmx/vmx.c kvm_is_vmx_supported() (6.3+)
 *   kvm_amd:   arch/x86/kvm/svm/svm.c kvm_is_svm_supported() (6.3+)
 *   (none):    arch/x86/kernel/cpu/amd.c init_amd() (6.7+)
 *   NX:        arch/x86/mm/setup_nx.c
 * Matching is by substring so the "on CPU N" and reason tails of each
 * release need no entry of their own.
 */
static const struct {
	enum kmsg_fact fact;
	const char *a, *b;
} patterns[] = {
	/* "x86/cpu: VMX (outside TXT) disabled by BIOS", 5.6+ */
	{ KMSG_VMX_DISABLED_BY_BIOS, "VMX (", "TXT) disabled by BIOS" },
	/* "kvm: VMX is disabled on CPU N", 5.6-6.2 */
	{ KMSG_VMX_DISABLED_BY_BIOS, "VMX is disabled on CPU", "" },
	/* "kvm: support for 'kvm_intel' disabled by bios", 5.16-6.2 */
	{ KMSG_VMX_DISABLED_BY_BIOS, "support for 'kvm_intel' disabled by bios", "" },
	/* "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU N", 6.3+ */
	{ KMSG_VMX_DISABLED_BY_BIOS, "VMX not enabled (by BIOS)", "" },
	/* "kvm: support for 'kvm_amd' disabled by bios", 5.16-6.2 */
	{ KMSG_SVM_DISABLED_BY_BIOS, "support for 'kvm_amd' disabled by bios", "" },
	/* "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU N", 6.3-6.6;
	 * from 6.7 arch/x86/kernel/cpu/amd.c (and hygon.c) prints it once at
	 * boot, without the CPU, and clears `svm` */
	{ KMSG_SVM_DISABLED_BY_BIOS, "SVM disabled (by BIOS)", "" },
	/* "kvm: disabled by bios", up to 5.15, either vendor */
	{ KMSG_KVM_DISABLED_BY_BIOS, "kvm: disabled by bios", "" },
	{ KMSG_NX_ACTIVE, "NX (Execute Disable) protection: active", "" },
	{ KMSG_NX_MISSING, "NX (Execute Disable) protection missing in CPU", "" },
	/* "kvm_intel: VMX not fully enabled on CPU N.  Check kernel logs
	 * and/or BIOS": proposed (x86/virt series, 2026), in no release yet */
	{ KMSG_VMX_NOT_FULLY_ENABLED, "VMX not fully enabled", "" },
	/* "kvm: no hardware support" up to 5.15, "... for 'kvm_intel'" 5.16-6.2 */
	{ KMSG_KVM_NO_HW_SUPPORT, "kvm: no hardware support", "" },
	/* "kvm_intel: VMX not supported by CPU N", 6.3+ */
	{ KMSG_KVM_NO_HW_SUPPORT, "VMX not supported by CPU", "" },
	/* "kvm_amd: SVM not supported by CPU N[, reason]", 6.3+ */
	{ KMSG_KVM_NO_HW_SUPPORT, "SVM not supported by CPU", "" },
	/* "kvm: enabling virtualization on CPUN failed": at load since 6.12
	 * (kvm.enable_virt_at_load), at the first VM before */
	{ KMSG_KVM_ENABLE_FAILED, "enabling virtualization on CPU", "failed" },
};

static bool contains(struct line l, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return true;
	for (size_t i = 0; i + n <= l.n; i++)
		if (memcmp(l.s + i, needle, n) == 0)
			return true;
	return false;
}

/* Strip "6,123,456,-;" (/dev/kmsg) or "[    0.000000] " (dmesg). */
static struct line message_of(struct line l)
{
	const char *semi = memchr(l.s, ';', l.n);
	if (semi && l.n > 0 && l.s[0] >= '0' && l.s[0] <= '9') {
		l.n -= (size_t)(semi + 1 - l.s);
		l.s = semi + 1;
	} else if (l.n > 0 && l.s[0] == '[') {
		const char *close = memchr(l.s, ']', l.n);
		if (close) {
			l.n -= (size_t)(close + 1 - l.s);
			l.s = close + 1;
		}
	}
	return line_trim(l);
}

/* Keep l in slot, cut to fit; a NUL inside would cut it short, so it
 * shows as '?'. */
static void keep(char *slot, size_t size, struct line l)
{
	size_t n = l.n < size - 1 ? l.n : size - 1;
	memcpy(slot, l.s, n);
	slot[n] = '\0';
	for (size_t k = 0; k < n; k++)
		if (slot[k] == '\0')
			slot[k] = '?';
}

/* The first line of each fact into kmsg[fact]: the one pattern table for
 * the live log and for the journal's past boots. */
static void scan_facts(struct line l, char kmsg[KMSG_FACT_COUNT][KMSG_LINE_MAX])
{
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		char *slot = kmsg[patterns[i].fact];
		if (slot[0] || !contains(l, patterns[i].a) || !contains(l, patterns[i].b))
			continue;
		keep(slot, KMSG_LINE_MAX, l);
	}
}

void kmsg_scan_line(const char *text, size_t len, struct linux_view *lx)
{
	scan_facts(message_of((struct line){ text, len }), lx->kmsg);
}

void kmsg_scan(const char *text, size_t len, struct linux_view *lx)
{
	struct line_reader lr;
	struct line l;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l))
		kmsg_scan_line(l.s, l.n, lx);
}

/*
 * A past boot's own facts (docs/linux-history.md, "Past boots from the
 * journal"): its kernel, its firmware and microcode, and whether KVM's
 * vendor module set itself up.
 */

/* init/version.c linux_banner, every release: "Linux version RELEASE (...". */
#define BANNER "Linux version "
/* drivers/firmware/dmi_scan.c: "DMI: %s" with dmi_format_ids()'s "vendor
 * product/board, BIOS version date", every release. 6.10+ also prints
 * "DMI: Memory slots populated: N/M" from dmi_setup(), which is not it. */
#define DMI "DMI: "
#define DMI_MEMORY "DMI: Memory slots populated"
/* pr_fmt of arch/x86/kernel/cpu/microcode/{core,intel,amd}.c, every release. */
#define MICROCODE "microcode: "

/*
 * The microcode driver's lines that tell the revision the CPU runs: a line
 * holding `has` gives the hex number after `at`. Lines come in boot order
 * and each tells the revision at that moment, so the last one read wins
 * (after an early update the driver reports the new revision; a late
 * load's line comes later still). "Updated early from: 0x..." (6.7+)
 * names the revision before the update and matches none of these.
 */
static const struct {
	const char *has, *at;
} microcode_lines[] = {
	/* intel.c print_ucode_info(), up to 6.2:
	 * "microcode updated early to revision 0x%x, date = %04x-%02x-%02x" */
	{ "microcode updated early to revision ", "revision " },
	/* intel.c, 6.3-6.6: "updated early: 0x%x -> 0x%x, date = ..." */
	{ "updated early: ", "-> " },
	/* core.c microcode_init(), 6.7+, Intel and AMD: "Current revision: 0x%08x" */
	{ "Current revision: ", "revision: " },
	/* intel.c collect_cpu_info(), 4.19 until Ashok Raj's "Remove redundant
	 * microcode rev pr_info()s" (2022-23): "sig=0x%x, pf=0x%x, revision=0x%x" */
	{ "sig=", "revision=" },
	/* amd.c up to 6.6: "CPU%d: patch_level=0x%08x" (collect_cpu_info_amd),
	 * "microcode updated early to new patch_level=0x%08x" (early load),
	 * "CPU%d: new patch_level=0x%08x" (late load) */
	{ "patch_level=", "patch_level=" },
	/* intel.c late load: "updated to revision 0x%x, date = ..." up to 6.6,
	 * "Updated to revision 0x%x, date = ..." in 6.7 */
	{ "pdated to revision ", "revision " },
};

/*
 * Lines that KVM's AMD module prints from svm_hardware_setup(), which runs
 * only once the module has found SVM usable (not disabled by the BIOS,
 * present in CPUID): a boot that has one had kvm_amd set up. Nested
 * Virtualization is printed when the `nested` parameter is on (the
 * default), Nested Paging always ("enabled" or "disabled").
 * arch/x86/kvm/svm.c, arch/x86/kvm/svm/svm.c from 5.7:
 *   up to 6.2: printk "kvm: Nested Virtualization enabled" (no pr_fmt);
 *              "kvm: Nested Paging enabled" (printk, older releases) or
 *              "SVM: kvm: Nested Paging enabled" (pr_info, pr_fmt "SVM: ")
 *   6.3+:      "kvm_amd: Nested Virtualization enabled",
 *              "kvm_amd: Nested Paging enabled" (pr_fmt KBUILD_MODNAME,
 *              "KVM: x86: Unify pr_fmt to use module name for all KVM modules")
 * KVM's Intel module prints nothing on success in any release:
 * vmx.c hardware_setup()/vmx_hardware_setup() only warns (the
 * PERF_GLOBAL_CTRL erratum, Hyper-V's enlightened VMCS in a guest).
 */
static const char *const kvm_up_lines[] = {
	"kvm: Nested Virtualization enabled",
	"kvm_amd: Nested Virtualization enabled",
	"kvm: Nested Paging ",
	"SVM: kvm: Nested Paging ",
	"kvm_amd: Nested Paging ",
};

static void boot_kernel(struct line l, struct journal_boot *b)
{
	if (b->kernel[0] || !line_skip(&l, BANNER))
		return;
	size_t n = 0;
	while (n < l.n && l.s[n] != ' ')
		n++;
	keep(b->kernel, sizeof(b->kernel), (struct line){ l.s, n });
}

static void boot_dmi(struct line l, struct journal_boot *b)
{
	if (b->dmi[0] || line_starts(l, DMI_MEMORY) || !line_skip(&l, DMI))
		return;
	keep(b->dmi, sizeof(b->dmi), l);
}

/* The hex number right after `at` in l, or false. */
static bool hex_after(struct line l, const char *at, uint64_t *out)
{
	size_t n = strlen(at);
	for (size_t i = 0; i + n <= l.n; i++)
		if (memcmp(l.s + i, at, n) == 0) {
			struct line rest = { l.s + i + n, l.n - i - n };
			return line_hex(&rest, 32, out);
		}
	return false;
}

static void boot_microcode(struct line l, struct journal_boot *b)
{
	if (!line_skip(&l, MICROCODE))
		return;
	for (size_t i = 0; i < sizeof(microcode_lines) / sizeof(microcode_lines[0]); i++) {
		uint64_t rev;
		if (contains(l, microcode_lines[i].has) && hex_after(l, microcode_lines[i].at, &rev)) {
			/* one spelling, so that boots compare: "0xf4", not "0x000000f4" */
			snprintf(b->microcode, sizeof(b->microcode), "0x%llx", (unsigned long long)rev);
			return;
		}
	}
}

static void boot_kvm_up(struct line l, struct journal_boot *b)
{
	if (b->kvm_up[0])
		return;
	for (size_t i = 0; i < sizeof(kvm_up_lines) / sizeof(kvm_up_lines[0]); i++)
		if (line_starts(l, kvm_up_lines[i])) {
			keep(b->kvm_up, sizeof(b->kvm_up), l);
			return;
		}
}

void kmsg_boot_line(const char *msg, size_t len, struct journal_boot *b)
{
	/* the journal's MESSAGE is the text alone: no /dev/kmsg or dmesg
	 * prefix to strip, and a message may itself begin with '[' */
	struct line l = line_trim((struct line){ msg, len });
	scan_facts(l, b->kmsg);
	boot_kernel(l, b);
	boot_dmi(l, b);
	boot_microcode(l, b);
	boot_kvm_up(l, b);
}
