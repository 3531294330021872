/* SPDX-License-Identifier: MIT */
#include "kmsg.h"

#include <string.h>

#include "../textscan.h"

/* Each fact and the substrings that all must appear in its message. The
 * texts are the kernel's: arch/x86/kernel/cpu/feat_ctl.c, arch/x86/kvm/
 * vmx/vmx.c and svm/svm.c, arch/x86/mm/setup_nx.c (older: kvm_main.c). */
static const struct {
	enum kmsg_fact fact;
	const char *a, *b;
} patterns[] = {
	{ KMSG_VMX_DISABLED_BY_BIOS, "VMX (", "TXT) disabled by BIOS" },
	{ KMSG_VMX_DISABLED_BY_BIOS, "VMX not enabled (by BIOS)", "" },
	{ KMSG_SVM_DISABLED_BY_BIOS, "SVM", "disabled (by BIOS)" },
	{ KMSG_SVM_DISABLED_BY_BIOS, "SVM", "disabled by BIOS" },
	{ KMSG_KVM_DISABLED_BY_BIOS, "kvm: disabled by bios", "" },
	{ KMSG_NX_ACTIVE, "NX (Execute Disable) protection: active", "" },
	{ KMSG_NX_MISSING, "NX (Execute Disable) protection missing in CPU", "" },
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
