/* SPDX-License-Identifier: MIT */
#include "cpuinfo.h"

#include <stdio.h>
#include <string.h>

#include "textscan.h"
#include "../probe/strbuf.h"

/* The flag names as the kernel prints them (arch/x86/include/asm/cpufeatures.h
 * and vmxfeatures.h); `npt` is AMD's nested paging. */
static int flag_index(const char *s, size_t n)
{
	for (int f = 0; f < KFLAG_COUNT; f++) {
		const char *name = kernel_flag_name((enum kernel_flag)f);
		if (strlen(name) == n && memcmp(name, s, n) == 0)
			return f;
	}
	return -1;
}

static unsigned scan_flags(struct line l)
{
	unsigned mask = 0;
	size_t i = 0;
	while (i < l.n) {
		while (i < l.n && (l.s[i] == ' ' || l.s[i] == '\t'))
			i++;
		size_t start = i;
		while (i < l.n && l.s[i] != ' ' && l.s[i] != '\t')
			i++;
		int f = flag_index(l.s + start, i - start);
		if (f >= 0)
			mask |= 1u << f;
	}
	return mask;
}

static void commit(struct linux_view *lx, unsigned mask)
{
	for (int f = 0; f < KFLAG_COUNT; f++)
		if (mask & (1u << f))
			lx->flag_cpus[f]++;
}

/* "key<tabs>: value": the value after the colon when the key matches. */
static bool field(struct line l, const char *key, struct line *value)
{
	if (!line_skip(&l, key))
		return false;
	line_skip_blanks(&l);
	if (!line_skip(&l, ":"))
		return false;
	*value = line_trim(l);
	return true;
}

void cpuinfo_parse(const char *text, size_t len, struct linux_view *lx)
{
	struct line_reader lr;
	struct line l, v;
	unsigned mask = 0;
	bool in_cpu = false;

	lx->cpuinfo_cpus = 0;
	lx->microcode[0] = '\0';
	memset(lx->flag_cpus, 0, sizeof(lx->flag_cpus));
	lx->vmx_flags_line = false;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		if (field(l, "processor", &v)) {
			if (in_cpu)
				commit(lx, mask);
			in_cpu = true;
			mask = 0;
			lx->cpuinfo_cpus++;
		} else if (field(l, "flags", &v)) {
			mask |= scan_flags(v);
		} else if (field(l, "microcode", &v) && !lx->microcode[0]) {
			/* the first CPU's, as the report shows one value */
			str_copy_n(lx->microcode, sizeof(lx->microcode), v.s, v.n);
		} else if (field(l, "vmx flags", &v)) {
			lx->vmx_flags_line = true;
			mask |= scan_flags(v);
		}
	}
	if (in_cpu)
		commit(lx, mask);
	if (lx->cpuinfo_cpus)
		lx->present = true;
}
