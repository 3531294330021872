/* SPDX-License-Identifier: MIT */
#include "kmsg.h"

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

void kmsg_scan_line(const char *text, size_t len, struct linux_view *lx)
{
	struct line l = message_of((struct line){ text, len });
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		char *slot = lx->kmsg[patterns[i].fact];
		if (slot[0] || !contains(l, patterns[i].a) || !contains(l, patterns[i].b))
			continue;
		size_t n = l.n < KMSG_LINE_MAX - 1 ? l.n : KMSG_LINE_MAX - 1;
		memcpy(slot, l.s, n);
		slot[n] = '\0';
		/* a NUL inside would cut the line short; keep it visible */
		for (size_t k = 0; k < n; k++)
			if (slot[k] == '\0')
				slot[k] = '?';
	}
}

void kmsg_scan(const char *text, size_t len, struct linux_view *lx)
{
	struct line_reader lr;
	struct line l;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l))
		kmsg_scan_line(l.s, l.n, lx);
}
