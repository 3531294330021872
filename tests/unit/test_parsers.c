/* SPDX-License-Identifier: MIT */
/* The small text parsers: MSR values, /proc/cpuinfo, the kernel log, a
 * bundle's host.txt and installed.txt, dpkg's status file and the
 * known-issues list. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bundle_text.h"
#include "formats/installed_text.h"
#include "formats/known_issues_text.h"
#include "formats/dpkg.h"
#include "formats/cpuinfo.h"
#include "formats/kmsg.h"
#include "formats/msr_text.h"
#include "probe/strbuf.h"

/* Parsers keep words in fixed fields: a word that does not fit is cut,
 * one with a NUL inside stops there, and the field is always terminated. */
static void fixed_fields_are_cut_and_terminated(void **state)
{
	(void)state;
	char out[6];
	memset(out, 'x', sizeof(out));
	str_copy_n(out, sizeof(out), "linux-image", 11);
	assert_string_equal(out, "linux");
	str_copy_n(out, sizeof(out), "kvm_amd", 3);
	assert_string_equal(out, "kvm");
	str_copy_n(out, sizeof(out), "a\0bcd", 5);
	assert_string_equal(out, "a");
	str_copy_n(out, sizeof(out), "", 0);
	assert_string_equal(out, "");
	out[0] = 'x';
	str_copy_n(out, 0, "abc", 3); /* no room: untouched */
	assert_int_equal(out[0], 'x');
}

static void msr_arguments(void **state)
{
	(void)state;
	struct evidence ev;
	char err[200];
	evidence_init(&ev);
	assert_true(msr_text_parse_arg("0x3a=0x5", &ev, err, sizeof(err)));
	assert_true(msr_text_parse_arg("C0010114=10", &ev, err, sizeof(err)));
	const struct msr_reading *r = evidence_msr(&ev, 3, 0x3a);
	assert_non_null(r);
	assert_int_equal(r->value, 5);
	assert_int_equal(r->cpu, MSR_ALL_CPUS);
	assert_int_equal(evidence_msr(&ev, 0, 0xC0010114u)->value, 0x10);
	assert_int_equal(ev.msr_origin, MSR_ORIGIN_RECORDED);
	assert_false(msr_text_parse_arg("0x3a", &ev, err, sizeof(err)));
	assert_non_null(strstr(err, "--msr 0x3a: expected INDEX=VALUE"));
	assert_false(msr_text_parse_arg("0x3a=zz", &ev, err, sizeof(err)));
	assert_false(msr_text_parse_arg("0x3a=0x10000000000000000", &ev, err, sizeof(err)));
	assert_false(msr_text_parse_arg("0x1ffffffff=1", &ev, err, sizeof(err)));
	evidence_free(&ev);
}

static void msr_file_round_trip(void **state)
{
	(void)state;
	struct evidence a, b;
	struct strbuf sb;
	char err[200];
	static const char text[] = "# comment\n\ncpu0 0x3a=0x5\ncpu1 0x3a=0x1\ncpu1 0x1a0=denied\n";
	evidence_init(&a);
	evidence_init(&b);
	sb_init(&sb);
	assert_true(msr_text_parse(text, strlen(text), false, &a, err, sizeof(err)));
	assert_int_equal(a.nmsrs, 3);
	assert_int_equal(evidence_msr(&a, 1, 0x1a0)->status, MSR_DENIED);
	msr_text_write(&a, &sb);
	assert_true(msr_text_parse(sb.data, sb.len, false, &b, err, sizeof(err)));
	assert_int_equal(b.nmsrs, 3);
	assert_memory_equal(a.msrs, b.msrs, 3 * sizeof(struct msr_reading));

	evidence_free(&b);
	evidence_init(&b);
	static const char none[] = "access=denied\n";
	assert_true(msr_text_parse(none, strlen(none), false, &b, err, sizeof(err)));
	assert_int_equal(b.msr_access, MSR_DENIED);
	static const char bad[] = "0x3a=0x5\ncpux 0x3a=1\n";
	assert_false(msr_text_parse(bad, strlen(bad), true, &b, err, sizeof(err)));
	assert_non_null(strstr(err, "line 2"));
	sb_free(&sb);
	evidence_free(&a);
	evidence_free(&b);
}

static void cpuinfo_counts_flags_per_cpu(void **state)
{
	(void)state;
	static const char text[] =
		"processor\t: 0\nflags\t\t: fpu vme nx lm vmx hypervisor\n"
		"vmx flags\t: vnmi ept vpid unrestricted_guest\n\n"
		"processor\t: 1\nflags\t\t: fpu vme nx lm ept\n\n";
	struct linux_view lx;
	memset(&lx, 0, sizeof(lx));
	cpuinfo_parse(text, strlen(text), &lx);
	assert_true(lx.present);
	assert_int_equal(lx.cpuinfo_cpus, 2);
	assert_int_equal(lx.flag_cpus[KFLAG_VMX], 1);
	assert_int_equal(lx.flag_cpus[KFLAG_NX], 2);
	assert_int_equal(lx.flag_cpus[KFLAG_EPT], 2); /* once per CPU, from either line */
	assert_int_equal(lx.flag_cpus[KFLAG_UNRESTRICTED_GUEST], 1);
	assert_int_equal(lx.flag_cpus[KFLAG_SVM], 0);
	assert_true(lx.vmx_flags_line);
}

static void kmsg_finds_firmware_lines(void **state)
{
	(void)state;
	static const char text[] =
		"6,1,0,-;Linux version 6.1.0\n"
		"[    0.000000] NX (Execute Disable) protection: active\n"
		"3,200,5000,-;x86/cpu: VMX (outside TXT) disabled by BIOS\n"
		"kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 1\n";
	struct linux_view lx;
	memset(&lx, 0, sizeof(lx));
	kmsg_scan(text, strlen(text), &lx);
	assert_string_equal(lx.kmsg[KMSG_NX_ACTIVE], "NX (Execute Disable) protection: active");
	assert_string_equal(lx.kmsg[KMSG_VMX_DISABLED_BY_BIOS], "x86/cpu: VMX (outside TXT) disabled by BIOS");
	assert_string_equal(lx.kmsg[KMSG_SVM_DISABLED_BY_BIOS],
			    "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 1");
	assert_string_equal(lx.kmsg[KMSG_NX_MISSING], "");
	assert_string_equal(lx.kmsg[KMSG_KVM_DISABLED_BY_BIOS], "");
}

/* ---- kernel log wordings of every release (docs/checks.md, fw.virt_enabled) ---- */

/* One line per wording and release line, exactly as that release prints
 * it (with the prefix its pr_fmt adds), and the fact it must give. */
static const struct {
	const char *release, *line;
	enum kmsg_fact fact;
} kernel_wordings[] = {
	/* arch/x86/kvm/x86.c kvm_arch_init(), up to 5.15 */
	{ "4.19", "kvm: disabled by bios", KMSG_KVM_DISABLED_BY_BIOS },
	{ "5.10", "kvm: disabled by bios", KMSG_KVM_DISABLED_BY_BIOS },
	{ "5.15", "kvm: no hardware support", KMSG_KVM_NO_HW_SUPPORT },
	/* arch/x86/kernel/cpu/feat_ctl.c, 5.6+ */
	{ "5.6", "x86/cpu: VMX (outside TXT) disabled by BIOS", KMSG_VMX_DISABLED_BY_BIOS },
	{ "6.8", "x86/cpu: VMX (inside TXT) disabled by BIOS", KMSG_VMX_DISABLED_BY_BIOS },
	/* arch/x86/kvm/vmx/vmx.c vmx_check_processor_compat(), 5.6-6.2 */
	{ "5.10", "kvm: VMX is disabled on CPU 3", KMSG_VMX_DISABLED_BY_BIOS },
	/* x86.c with the vendor module's name (9dadfc4a6145), 5.16-6.2:
	 * Debian 12's 6.1 */
	{ "6.1", "kvm: support for 'kvm_amd' disabled by bios", KMSG_SVM_DISABLED_BY_BIOS },
	{ "6.1", "kvm: support for 'kvm_intel' disabled by bios", KMSG_VMX_DISABLED_BY_BIOS },
	{ "5.16", "kvm: no hardware support for 'kvm_intel'", KMSG_KVM_NO_HW_SUPPORT },
	{ "6.2", "kvm: no hardware support for 'kvm_amd'", KMSG_KVM_NO_HW_SUPPORT },
	/* vmx.c / svm.c kvm_is_*_supported(), 6.3+ (pr_fmt: the module name) */
	{ "6.3", "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0",
	  KMSG_VMX_DISABLED_BY_BIOS },
	{ "6.3", "kvm_intel: VMX not supported by CPU 0", KMSG_KVM_NO_HW_SUPPORT },
	{ "6.3", "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 1", KMSG_SVM_DISABLED_BY_BIOS },
	/* arch/x86/kernel/cpu/amd.c init_amd() (7deda2ce5b33), 6.7+ */
	{ "6.7", "SVM disabled (by BIOS) in MSR_VM_CR", KMSG_SVM_DISABLED_BY_BIOS },
	{ "6.3", "kvm_amd: SVM not supported by CPU 0, svm not available", KMSG_KVM_NO_HW_SUPPORT },
	{ "6.6", "kvm_amd: SVM not supported by CPU 0", KMSG_KVM_NO_HW_SUPPORT },
	/* proposed x86/virt series (2026): not in a release yet */
	{ "next", "kvm_intel: VMX not fully enabled on CPU 2.  Check kernel logs and/or BIOS",
	  KMSG_VMX_NOT_FULLY_ENABLED },
	/* virt/kvm/kvm_main.c: at the first VM, or at load since 6.12 */
	{ "5.15", "kvm: enabling virtualization on CPU1 failed", KMSG_KVM_ENABLE_FAILED },
	{ "6.12", "kvm: enabling virtualization on CPU0 failed", KMSG_KVM_ENABLE_FAILED },
};

static void kmsg_wordings_of_every_release(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(kernel_wordings) / sizeof(kernel_wordings[0]); i++) {
		struct linux_view lx;
		char record[256];
		memset(&lx, 0, sizeof(lx));
		/* as /dev/kmsg hands it: priority, sequence, time, flags */
		snprintf(record, sizeof(record), "3,%zu,1000,-;%s", i, kernel_wordings[i].line);
		kmsg_scan_line(record, strlen(record), &lx);
		for (int fact = 0; fact < KMSG_FACT_COUNT; fact++) {
			const char *want = fact == (int)kernel_wordings[i].fact ? kernel_wordings[i].line : "";
			if (strcmp(lx.kmsg[fact], want) != 0)
				fail_msg("Linux %s \"%s\": fact %d holds \"%s\"", kernel_wordings[i].release,
					 kernel_wordings[i].line, fact, lx.kmsg[fact]);
		}
	}
}

/* Lines near the wordings above that are no refusal of KVM. */
static void kmsg_ignores_look_alikes(void **state)
{
	(void)state;
	static const char text[] =
		"[    0.000000] Local APIC disabled by BIOS -- you can enable it with \"lapic\"\n"
		"x86/cpu: SGX disabled by BIOS.\n"
		"kvm-pvm: this kernel is itself a kvm-pvm guest; not binding\n"
		"kvm_amd: TSC scaling supported\n"
		"kvm: support for 'kvm_amd' is fine\n";
	struct linux_view lx;
	memset(&lx, 0, sizeof(lx));
	kmsg_scan(text, strlen(text), &lx);
	for (int fact = 0; fact < KMSG_FACT_COUNT; fact++)
		assert_string_equal(lx.kmsg[fact], "");
}

/* A past boot's lines: every wording of the banner, DMI, microcode and
 * KVM-up lines (docs/linux-history.md), each alone and in boot order. */
static void boot_line(struct journal_boot *b, const char *line)
{
	kmsg_boot_line(line, strlen(line), b);
}

static void kmsg_boot_line_wordings(void **state)
{
	(void)state;
	static const struct {
		const char *line, *microcode;
	} microcode[] = {
		/* intel.c up to 6.2 */
		{ "microcode: microcode updated early to revision 0xf4, date = 2022-07-31", "0xf4" },
		/* intel.c 6.3-6.6 */
		{ "microcode: updated early: 0xf0 -> 0xf4, date = 2022-07-31", "0xf4" },
		/* core.c 6.7+, either vendor */
		{ "microcode: Current revision: 0x000000f4", "0xf4" },
		/* intel.c collect_cpu_info() */
		{ "microcode: sig=0x906ea, pf=0x2, revision=0xf4", "0xf4" },
		/* amd.c up to 6.6 */
		{ "microcode: CPU0: patch_level=0x08701021", "0x8701021" },
		{ "microcode: microcode updated early to new patch_level=0x0830107a", "0x830107a" },
		{ "microcode: CPU3: new patch_level=0x0830107a", "0x830107a" },
		/* intel.c late load */
		{ "microcode: updated to revision 0xf6, date = 2023-02-14", "0xf6" },
		{ "microcode: Updated to revision 0xf6, date = 2023-02-14", "0xf6" },
		/* the revision before the update, and lines that are none */
		{ "microcode: Updated early from: 0x000000f0", "" },
		{ "microcode: Microcode Update Driver: v2.2.", "" },
		{ "x86/cpu: sig=0x906ea, revision=0xf4", "" },
	};
	for (size_t i = 0; i < sizeof(microcode) / sizeof(microcode[0]); i++) {
		struct journal_boot b;
		memset(&b, 0, sizeof(b));
		boot_line(&b, microcode[i].line);
		if (strcmp(b.microcode, microcode[i].microcode) != 0)
			fail_msg("%s: microcode \"%s\"", microcode[i].line, b.microcode);
	}

	static const char *const up[] = {
		"kvm: Nested Virtualization enabled",     /* svm.c up to 6.2 */
		"SVM: kvm: Nested Paging enabled",        /* svm.c pr_fmt "SVM: ", up to 6.2 */
		"kvm: Nested Paging disabled",            /* svm.c printk, older releases */
		"kvm_amd: Nested Virtualization enabled", /* 6.3+ */
		"kvm_amd: Nested Paging enabled",
	};
	for (size_t i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		struct journal_boot b;
		memset(&b, 0, sizeof(b));
		boot_line(&b, up[i]);
		assert_string_equal(b.kvm_up, up[i]);
	}
	static const char *const not_up[] = {
		"kvm_amd: TSC scaling supported", /* printed before setup can fail */
		"kvm: support for 'kvm_amd' disabled by bios",
		"kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0",
		"Nested Virtualization enabled", /* not KVM's */
	};
	for (size_t i = 0; i < sizeof(not_up) / sizeof(not_up[0]); i++) {
		struct journal_boot b;
		memset(&b, 0, sizeof(b));
		boot_line(&b, not_up[i]);
		assert_string_equal(b.kvm_up, "");
	}

	/* one boot in order: the first banner, DMI and KVM-up line, the last
	 * revision, the facts through the shared table */
	struct journal_boot b;
	memset(&b, 0, sizeof(b));
	boot_line(&b, "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 "
		      "(Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP "
		      "PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)");
	boot_line(&b, "DMI: Memory slots populated: 2/4");
	boot_line(&b, "DMI: ASUS System Product Name/PRIME B450M-A, BIOS 3604 05/08/2023");
	boot_line(&b, "DMI: Other/Other, BIOS 1 01/01/2000");
	boot_line(&b, "microcode: updated early: 0x8701013 -> 0x8701021, date = 2019-11-05");
	boot_line(&b, "microcode: CPU0: patch_level=0x08701021");
	boot_line(&b, "kvm: support for 'kvm_amd' disabled by bios");
	boot_line(&b, "Linux version 9.9.9 (someone@example) #1");
	assert_string_equal(b.kernel, "6.1.0-18-amd64");
	assert_string_equal(b.dmi, "ASUS System Product Name/PRIME B450M-A, BIOS 3604 05/08/2023");
	assert_string_equal(b.microcode, "0x8701021");
	assert_string_equal(b.kmsg[KMSG_SVM_DISABLED_BY_BIOS],
			    "kvm: support for 'kvm_amd' disabled by bios");
	assert_string_equal(b.kvm_up, "");
	assert_string_equal(b.verdict, "");
	/* a journal message is the text alone: one that begins with '[' is
	 * not a dmesg time stamp to strip */
	struct journal_boot drm = { 0 };
	boot_line(&drm, "[drm] DMI: not the firmware's line");
	assert_string_equal(drm.dmi, "");

	/* a line longer than the field is cut, never overrun */
	char longline[600];
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "DMI: ", 5);
	memset(&b, 0, sizeof(b));
	kmsg_boot_line(longline, sizeof(longline), &b);
	assert_int_equal(strlen(b.dmi), sizeof(b.dmi) - 1);
}

/* The KVM facts of sysfs travel in host.txt; a bundle from before them
 * reads as "not read", never as "no device". */
static void host_file_kvm_sysfs(void **state)
{
	(void)state;
	struct evidence a, b, old;
	struct strbuf sb;
	char err[200];
	evidence_init(&a);
	evidence_init(&b);
	evidence_init(&old);
	sb_init(&sb);
	a.kvm.probed = true;
	a.kvm.device = TRI_NO;
	strcpy(a.kvm.modules, "kvm kvm_pvm");
	a.kvm.sysfs_read = true;
	strcpy(a.kvm.builtin, "kvm kvm_pvm");
	a.kvm.misc_device = TRI_NO;
	a.kvm.virt_at_load = TRI_YES;
	bundle_host_write(&a, &sb);
	assert_true(bundle_host_parse(sb.data, sb.len, &b, err, sizeof(err)));
	assert_true(b.kvm.sysfs_read);
	assert_string_equal(b.kvm.builtin, "kvm kvm_pvm");
	assert_int_equal(b.kvm.misc_device, TRI_NO);
	assert_int_equal(b.kvm.virt_at_load, TRI_YES);

	static const char before[] = "format=hvprobe-bundle/1\nkvm.probed=yes\nkvm.device=no\n"
				     "kvm.modules=kvm kvm_intel\n";
	assert_true(bundle_host_parse(before, sizeof(before) - 1, &old, err, sizeof(err)));
	assert_false(old.kvm.sysfs_read);
	assert_string_equal(old.kvm.builtin, "");
	sb_free(&sb);
	evidence_free(&a);
	evidence_free(&b);
	evidence_free(&old);
}

static void host_file_round_trip_and_errors(void **state)
{
	(void)state;
	struct evidence a, b;
	struct strbuf sb;
	char err[200];
	evidence_init(&a);
	evidence_init(&b);
	sb_init(&sb);
	strcpy(a.hostname, "hv01\nevil=1");
	strcpy(a.linux_.kernel_release, "6.1.0-18-amd64");
	a.kvm.probed = true;
	a.kvm.device = TRI_YES;
	a.kvm.api_version = 12;
	a.kvm.vm_created = TRI_NO;
	strcpy(a.kvm.create_error, "EBUSY");
	a.boot.probed = true;
	a.boot.uefi = TRI_YES;
	bundle_host_write(&a, &sb);
	assert_true(bundle_host_parse(sb.data, sb.len, &b, err, sizeof(err)));
	assert_string_equal(b.hostname, "hv01 evil=1"); /* a newline cannot inject a key */
	assert_string_equal(b.linux_.kernel_release, "6.1.0-18-amd64");
	assert_int_equal(b.kvm.api_version, 12);
	assert_int_equal(b.kvm.vm_created, TRI_NO);
	assert_string_equal(b.kvm.create_error, "EBUSY");
	assert_int_equal(b.boot.uefi, TRI_YES);
	assert_int_equal(b.boot.secure_boot, TRI_UNKNOWN);

	static const char *const bad[] = { "kvm.device=maybe\nformat=hvprobe-bundle/1\n",
					   "format=hvprobe-bundle/9\n", "hostname=x\n", "junk\n" };
	for (size_t i = 0; i < 4; i++) {
		struct evidence c;
		evidence_init(&c);
		assert_false(bundle_host_parse(bad[i], strlen(bad[i]), &c, err, sizeof(err)));
		evidence_free(&c);
	}
	sb_free(&sb);
	evidence_free(&a);
	evidence_free(&b);
}

static void dpkg_keeps_installed_packages_that_matter(void **state)
{
	(void)state;
	static const char status[] =
		"Package: linux-image-6.1.0-18-amd64\nStatus: install ok installed\nVersion: 6.1.76-1\n"
		"Description: Linux 6.1\n for 64-bit PCs\n\n"
		"Package: bash\nStatus: install ok installed\nVersion: 5.2\n\n"
		"Package: intel-microcode\nStatus: deinstall ok config-files\nVersion: 3.2\n\n"
		"Package: qemu-system-x86\nVersion: 1:7.2\nStatus: hold ok installed\n\n"
		"Package: amd64-microcode\nStatus: install ok installed\nVersion: 3.20230808.1";
	struct installed_view v = { 0 };
	assert_true(dpkg_status_parse(status, sizeof(status) - 1, &v));
	assert_int_equal(v.n, 3);
	assert_string_equal(v.items[0].name, "linux-image-6.1.0-18-amd64");
	assert_string_equal(v.items[0].version, "6.1.76-1");
	assert_string_equal(v.items[0].state, "installed");
	assert_string_equal(v.items[1].name, "qemu-system-x86"); /* Version before Status */
	assert_string_equal(v.items[1].version, "1:7.2");
	assert_string_equal(v.items[2].name, "amd64-microcode"); /* no blank line at the end */
	assert_false(dpkg_package_matters("bash"));
	free(v.items);
}

static void installed_file_round_trip_and_errors(void **state)
{
	(void)state;
	struct evidence ev, back;
	struct strbuf sb;
	char err[200];
	evidence_init(&ev);
	evidence_init(&back);
	struct installed_item a = { INSTALLED_WINDOWS_UPDATE, "KB5009624", "Package_for_KB5009624~x",
				    "installed", 1641932997, UPDATE_FROM_CBS | UPDATE_FROM_SERVICING };
	struct installed_item b = { INSTALLED_PACKAGE, "linux-image-6.1", "6.1\ttabbed", "installed", 0,
				    UPDATE_FROM_DPKG };
	assert_true(installed_add(&ev.installed, &a));
	assert_true(installed_add(&ev.installed, &b));
	ev.installed.read = true;
	snprintf(ev.installed.source, sizeof(ev.installed.source), "SOFTWARE hive /mnt/c");
	ev.restart.cbs_reboot_pending = TRI_YES;
	ev.restart.wu_reboot_required = TRI_NO;
	ev.restart.file_renames = TRI_YES;
	ev.restart.file_rename_count = 3;
	snprintf(ev.restart.software_source, sizeof(ev.restart.software_source), "SOFTWARE hive /mnt/c");
	sb_init(&sb);
	installed_text_write(&ev, &sb);
	assert_true(installed_text_parse(sb_str(&sb), sb.len, &back, err, sizeof(err)));
	assert_int_equal(back.installed.n, 2);
	assert_int_equal(back.installed.items[0].sources, UPDATE_FROM_CBS | UPDATE_FROM_SERVICING);
	assert_int_equal(back.installed.items[1].sources, UPDATE_FROM_DPKG);
	assert_int_equal(back.restart.cbs_reboot_pending, TRI_YES);
	assert_int_equal(back.restart.wu_reboot_required, TRI_NO);
	assert_int_equal(back.restart.file_renames, TRI_YES);
	assert_int_equal(back.restart.file_rename_count, 3);
	assert_string_equal(back.restart.software_source, "SOFTWARE hive /mnt/c");
	assert_string_equal(back.restart.system_source, ""); /* never read: not written */
	assert_string_equal(back.installed.source, "SOFTWARE hive /mnt/c");
	assert_int_equal(back.installed.items[0].installed_at, 1641932997);
	assert_string_equal(back.installed.items[1].version, "6.1 tabbed"); /* no tab survives */
	/* a bundle from before the sources column reads as before */
	const char *old_line = "windows-update\tKB1\tv\tinstalled\t5\n";
	const char *bad_source = "windows-update\tKB1\tv\tinstalled\t5\tcbs,bogus\n";
	assert_true(installed_text_parse(old_line, strlen(old_line), &back, err, sizeof(err)));
	assert_int_equal(back.installed.items[0].sources, 0);
	assert_false(installed_text_parse(bad_source, strlen(bad_source), &back, err, sizeof(err)));
	assert_non_null(strstr(err, "line 1: unknown source"));
	assert_false(installed_text_parse("package\tx\n", 10, &back, err, sizeof(err)));
	assert_non_null(strstr(err, "line 1: expected kind, name, version, state and time"));
	assert_false(installed_text_parse("thing\ta\tb\tc\t0\n", 15, &back, err, sizeof(err)));
	assert_non_null(strstr(err, "unknown kind (expected windows-update or package)"));
	assert_null(strstr(err, "thing")); /* the input is never quoted */
	sb_free(&sb);
	evidence_free(&ev);
	evidence_free(&back);
}

static void merging_cbs_packages_of_one_update(void **state)
{
	(void)state;
	struct installed_view v = { 0 };
	struct installed_item staged = { INSTALLED_WINDOWS_UPDATE, "KB1", "Package_1_for_KB1", "staged", 100,
					 UPDATE_FROM_CBS };
	struct installed_item done = { INSTALLED_WINDOWS_UPDATE, "KB1", "Package_for_KB1", "installed", 50,
				       UPDATE_FROM_CBS };
	struct installed_item later = { INSTALLED_WINDOWS_UPDATE, "KB1", "Package_2_for_KB1", "superseded", 200,
					UPDATE_FROM_SERVICING };
	assert_true(installed_add(&v, &staged));
	assert_true(installed_add(&v, &done));
	assert_true(installed_add(&v, &later));
	assert_int_equal(v.n, 1);
	assert_string_equal(v.items[0].state, "installed"); /* installed wins */
	assert_string_equal(v.items[0].version, "Package_for_KB1");
	assert_int_equal(v.items[0].installed_at, 200); /* the latest time */
	assert_int_equal(v.items[0].sources, UPDATE_FROM_CBS | UPDATE_FROM_SERVICING); /* both named */
	assert_true(installed_is_active("install-pending"));
	assert_false(installed_is_active("staged"));
	free(v.items);
}

static void shipped_known_issues_parse(void **state)
{
	(void)state;
	struct known_issue_list l = { 0 };
	char err[200];
	assert_true(known_issues_parse(known_issues_builtin, strlen(known_issues_builtin), &l, err,
				       sizeof(err)));
	/* The January 2022 rollups, with the conditions Microsoft gave; the
	 * .NET rollups of the same night are not documented to break launch. */
	const struct known_issue *k = known_issue_find(&l, "kb5009624"); /* any case */
	assert_non_null(k);
	assert_int_equal(k->build_min, 9600);
	assert_int_equal(k->build_max, 9600);
	assert_int_equal(k->firmware, KNOWN_FIRMWARE_UEFI);
	assert_int_equal(k->nfixed_by, 2);
	assert_string_equal(k->fixed_by[0], "KB5010794");
	assert_int_equal(k->fixed_in.build, 9600);
	assert_int_equal(k->fixed_in.ubr, 20269);
	assert_non_null(strstr(k->fix, "wusa /uninstall /kb:5009624"));
	k = known_issue_find(&l, "KB5009586");
	assert_non_null(k);
	assert_int_equal(k->build_min, 9200);
	assert_string_equal(k->fixed_by[0], "KB5010797");
	assert_null(known_issue_find(&l, "KB5008868"));
	assert_null(known_issue_find(&l, "KB5008883"));
	/* a later entry replaces an earlier one; five fields still read */
	size_t n = l.n;
	const char mine[] = "KB5009624 | windows-server-2012r2 | fixed by KB5010794 | vendor | install KB5010794\n";
	assert_true(known_issues_parse(mine, sizeof(mine) - 1, &l, err, sizeof(err)));
	assert_int_equal(l.n, n);
	k = known_issue_find(&l, "KB5009624");
	assert_string_equal(k->fix, "install KB5010794");
	assert_int_equal(k->build_min, 0); /* no conditions: every host */
	assert_int_equal(k->firmware, KNOWN_FIRMWARE_ANY);
	known_issues_free(&l);
}

static void known_issue_conditions(void **state)
{
	(void)state;
	static const struct {
		const char *conditions;
		const char *error; /* NULL: accepted */
	} cases[] = {
		{ "builds=9200-9600 firmware=bios fixed-by=KB1,KB2 fixed-in=9600.1", NULL },
		{ "  builds=9600   ", NULL },
		{ "firmware=efi", "line 1: condition \"firmware=efi\" is not one of" },
		{ "builds=9600-9200", "condition \"builds=9600-9200\"" },
		{ "builds=9600.1", "condition \"builds=9600.1\"" },
		{ "builds=", "condition \"builds=\"" },
		{ "fixed-by=KB1,", "condition \"fixed-by=KB1,\"" },
		{ "fixed-by=KB1,,KB2", "condition \"fixed-by=KB1,,KB2\"" },
		{ "fixed-by=K1,K2,K3,K4,K5,K6,K7,K8,K9", "is not one of" },
		{ "fixed-in=x", "condition \"fixed-in=x\"" },
		{ "fixed-in=99999999999.1", "is not one of" },
		{ "build=9600", "condition \"build=9600\"" },
		{ "fixed-in=9600", "condition \"fixed-in=9600\"" }, /* no UBR: every revision */
		{ "builds=000000000000009600", "is not one of" },
		{ "firmware=uefi firmware=bios", "condition \"firmware=bios\"" },
		{ "builds=9600 builds=9200", "condition \"builds=9200\"" },
		{ "builds", "condition \"builds\"" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[300], err[300] = "";
		int n = snprintf(line, sizeof(line), "KB1 | w | s | src | fix | %s\n", cases[i].conditions);
		struct known_issue_list l = { 0 };
		bool ok = known_issues_parse(line, (size_t)n, &l, err, sizeof(err));
		if (cases[i].error) {
			assert_false(ok);
			assert_non_null(strstr(err, cases[i].error));
		} else {
			assert_true(ok);
		}
		known_issues_free(&l);
	}
	struct known_issue_list l = { 0 };
	char err[200];
	const char six[] = "KB1 | w | s | src | fix | builds=9200-9600 firmware=bios fixed-by=KB2,KB3 fixed-in=9600.20269\n";
	assert_true(known_issues_parse(six, sizeof(six) - 1, &l, err, sizeof(err)));
	const struct known_issue *k = &l.items[0];
	assert_int_equal(k->build_min, 9200);
	assert_int_equal(k->build_max, 9600);
	assert_int_equal(k->firmware, KNOWN_FIRMWARE_BIOS);
	assert_int_equal(k->nfixed_by, 2);
	assert_string_equal(k->fixed_by[1], "KB3");
	assert_int_equal(windows_build_compare(k->fixed_in, (struct windows_build){ 9600, 20269 }), 0);
	known_issues_free(&l);
	/* a byte order mark is not part of the first id; other bytes are refused */
	const char bom[] = "\xEF\xBB\xBFKB7777777 | w | s | src | fix\n";
	assert_true(known_issues_parse(bom, sizeof(bom) - 1, &l, err, sizeof(err)));
	assert_non_null(known_issue_find(&l, "KB7777777"));
	const char latin[] = "KB1\xC2\xA0 | w | s | src | fix\n";
	assert_false(known_issues_parse(latin, sizeof(latin) - 1, &l, err, sizeof(err)));
	assert_non_null(strstr(err, "line 1: the id holds a character that is not printable ASCII"));
	known_issues_free(&l);
	const char seven[] = "KB1 | w | s | src | fix | builds=9600 | more\n";
	assert_false(known_issues_parse(seven, sizeof(seven) - 1, &l, err, sizeof(err)));
	assert_non_null(strstr(err, "7 fields, expected 5 or 6"));
	known_issues_free(&l);
}

static void cpuinfo_microcode(void **state)
{
	(void)state;
	static const char text[] = "processor\t: 0\nmicrocode\t: 0xf0\nflags\t: vmx\n\n"
				   "processor\t: 1\nmicrocode\t: 0xf4\nflags\t: vmx\n";
	struct linux_view lx = { 0 };
	cpuinfo_parse(text, sizeof(text) - 1, &lx);
	assert_string_equal(lx.microcode, "0xf0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixed_fields_are_cut_and_terminated),
		cmocka_unit_test(msr_arguments),
		cmocka_unit_test(msr_file_round_trip),
		cmocka_unit_test(cpuinfo_counts_flags_per_cpu),
		cmocka_unit_test(kmsg_finds_firmware_lines),
		cmocka_unit_test(kmsg_wordings_of_every_release),
		cmocka_unit_test(kmsg_ignores_look_alikes),
		cmocka_unit_test(kmsg_boot_line_wordings),
		cmocka_unit_test(host_file_kvm_sysfs),
		cmocka_unit_test(host_file_round_trip_and_errors),
		cmocka_unit_test(dpkg_keeps_installed_packages_that_matter),
		cmocka_unit_test(installed_file_round_trip_and_errors),
		cmocka_unit_test(merging_cbs_packages_of_one_update),
		cmocka_unit_test(shipped_known_issues_parse),
		cmocka_unit_test(known_issue_conditions),
		cmocka_unit_test(cpuinfo_microcode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
