/* SPDX-License-Identifier: MIT */
/* KVM across boots on a Linux host: the timeline built from the journal's
 * boots and dpkg's log (probe/launch.c, probe/kvm_boots.c), kvm.history,
 * kvm.next_boot and the module-file case of os.kvm. The kernel lines are
 * the wordings of Debian 12's 6.1 kernel (docs/checks.md). */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400
#define T0 1767225600 /* 2026-01-01 00:00:00 UTC */
#define AMD_DMI_OLD "Supermicro AS-1014S-WTRT/H12SSW-NT, BIOS 2.4 04/08/2022"
#define AMD_DMI_NEW "Supermicro AS-1014S-WTRT/H12SSW-NT, BIOS 2.6 11/02/2025"
#define KVM_AMD_UP "kvm_amd: Nested Paging enabled"
#define SVM_OFF "kvm: support for 'kvm_amd' disabled by bios"

static struct journal_boot *boot(struct evidence *ev, const char *id, int64_t first, const char *kernel,
				 const char *dmi, const char *microcode)
{
	struct journal_boot *b = journal_add_boot(&ev->journal, id);
	assert_non_null(b);
	b->first = first;
	b->last = first + 3600;
	snprintf(b->kernel, sizeof(b->kernel), "%s", kernel);
	snprintf(b->dmi, sizeof(b->dmi), "%s", dmi);
	snprintf(b->microcode, sizeof(b->microcode), "%s", microcode);
	ev->journal.read = true;
	snprintf(ev->journal.source, sizeof(ev->journal.source), "test journal");
	return b;
}

static void change(struct evidence *ev, int64_t t, const char *action, const char *name,
		   const char *from, const char *to)
{
	struct package_change c = { .time = t };
	snprintf(c.action, sizeof(c.action), "%s", action);
	snprintf(c.name, sizeof(c.name), "%s", name);
	snprintf(c.from, sizeof(c.from), "%s", from);
	snprintf(c.to, sizeof(c.to), "%s", to);
	assert_true(package_log_add(&ev->package_log, &c));
	ev->package_log.read = true;
}

/* check_run() appends to the result it is given: start from an empty one. */
static void fresh_check(const struct facts *f, int index, struct check_result *r)
{
	memset(r, 0, sizeof(*r));
	check_run(f, index, r);
}

static void amd_host(struct evidence *ev)
{
	evidence_init(ev);
	ev->source = SOURCE_LIVE;
	add_amd_cpu(ev, 0, true, true);
}

/* A kernel upgrade after which kvm_amd never announced itself again: the
 * boot is failed by inference, and the kernel package is the suspect. */
static void test_kernel_upgrade_lost_kvm_amd(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	struct journal_boot *b1 = boot(&ev, "b1", T0, "6.1.0-17-amd64", AMD_DMI_OLD, "0xa0011d1");
	snprintf(b1->kvm_up, sizeof(b1->kvm_up), KVM_AMD_UP);
	change(&ev, T0 + DAY, "install", "linux-image-6.1.0-18-amd64", "", "6.1.76-1");
	change(&ev, T0 + DAY + 5, "upgrade", "linux-image-amd64", "6.1.69-1", "6.1.76-1");
	boot(&ev, "b2", T0 + 2 * DAY, "6.1.0-18-amd64", AMD_DMI_OLD, "0xa0011d1");
	/* a Windows hive given too (--windows): its update in the window is
	 * Windows's, not a suspect of KVM's */
	struct installed_item kb = { INSTALLED_WINDOWS_UPDATE, "KB5009624", "Package_for_KB5009624~x",
				     "installed", T0 + DAY + 10, UPDATE_FROM_CBS };
	assert_true(installed_add(&ev.installed, &kb));
	ev.installed.read = true;

	struct facts f;
	assert_true(facts_init(&f, &ev, NULL));
	const struct launch_view *v = &f.kvm_history;
	assert_int_equal(v->nboots, 2);
	assert_int_equal(v->boots[0].outcome, OUTCOME_LAUNCHED);
	assert_int_equal(v->boots[1].outcome, OUTCOME_FAILED);
	assert_true(v->boots[1].kvm->inferred);
	assert_int_equal(v->last_launched, 0);
	assert_int_equal(v->first_failed, 1);
	/* the kernel change (from the two boots' banners) and the packages
	 * changed in the window, newest first */
	bool kernel = false, image = false;
	for (size_t i = 0; i < v->nsuspects; i++) {
		kernel |= v->suspects[i].kind == INSTALL_KERNEL &&
			  strcmp(v->suspects[i].from, "6.1.0-17-amd64") == 0 &&
			  strcmp(v->suspects[i].to, "6.1.0-18-amd64") == 0;
		image |= strcmp(v->suspects[i].name, "linux-image-6.1.0-18-amd64") == 0;
	}
	assert_true(kernel);
	assert_true(image);
	for (size_t i = 0; i < v->nsuspects; i++)
		assert_string_equal(v->suspects[i].kb, "");
	assert_true(v->suspects[0].time >= v->suspects[v->nsuspects - 1].time);

	struct check_result r = { 0 };
	fresh_check(&f, CHECK_KVM_HISTORY, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	assert_non_null(strstr(r.summary, "6.1.0-18-amd64"));
	assert_non_null(strstr(r.summary, "did not load"));
	assert_non_null(strstr(r.remedy, "GRUB's \"Advanced options\""));
	assert_non_null(strstr(r.remedy, "apt install linux-image-amd64=6.1.69-1"));
	assert_non_null(find_item(&r, "last_up"));
	facts_free(&f);
	evidence_free(&ev);
}

/* A firmware update after which the firmware disables SVM: the kernel's
 * refusal decides the boot, and the BIOS change is the suspect. */
static void test_bios_update_disabled_svm(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	struct journal_boot *b1 = boot(&ev, "b1", T0, "6.1.0-18-amd64", AMD_DMI_OLD, "0xa0011d1");
	snprintf(b1->kvm_up, sizeof(b1->kvm_up), KVM_AMD_UP);
	struct journal_boot *b2 = boot(&ev, "b2", T0 + DAY, "6.1.0-18-amd64", AMD_DMI_NEW, "0xa0011d5");
	snprintf(b2->kmsg[KMSG_SVM_DISABLED_BY_BIOS], KMSG_LINE_MAX, SVM_OFF);

	struct facts f;
	assert_true(facts_init(&f, &ev, NULL));
	const struct launch_view *v = &f.kvm_history;
	assert_int_equal(v->boots[1].outcome, OUTCOME_FAILED);
	assert_false(v->boots[1].kvm->inferred);
	assert_string_equal(v->boots[1].kvm_line, SVM_OFF);
	bool bios = false, microcode = false;
	for (size_t i = 0; i < v->nsuspects; i++) {
		bios |= v->suspects[i].kind == INSTALL_BIOS && strcmp(v->suspects[i].from, "2.4 04/08/2022") == 0 &&
			strcmp(v->suspects[i].to, "2.6 11/02/2025") == 0;
		microcode |= v->suspects[i].kind == INSTALL_MICROCODE;
	}
	assert_true(bios);
	assert_true(microcode);

	struct check_result r = { 0 };
	fresh_check(&f, CHECK_KVM_HISTORY, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	assert_non_null(strstr(r.summary, "AMD-V"));
	assert_non_null(strstr(r.remedy, "SVM Mode"));
	assert_non_null(strstr(r.remedy, "the firmware changed (2.4 04/08/2022 to 2.6 11/02/2025)"));
	assert_string_equal(find_item(&r, "kernel_log")->text, SVM_OFF);
	facts_free(&f);
	evidence_free(&ev);
}

/* Intel prints nothing when kvm_intel loads: hvprobe's own verdict line
 * decides, and without it the boot stays unknown, never a guess. */
static void test_verdict_lines_decide_intel_boots(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 1u << 5);
	struct journal_boot *b1 = boot(&ev, "b1", T0, "6.1.0-18-amd64", "Dell Inc. PowerEdge R650", "0xd0003a5");
	snprintf(b1->verdict, sizeof(b1->verdict), "KVM runs here: KVM created a VM on this host");
	boot(&ev, "b2", T0 + DAY, "6.1.0-18-amd64", "Dell Inc. PowerEdge R650", "0xd0003a5");

	struct facts f;
	assert_true(facts_init(&f, &ev, NULL));
	assert_int_equal(f.kvm_history.boots[0].outcome, OUTCOME_LAUNCHED);
	assert_int_equal(f.kvm_history.boots[1].outcome, OUTCOME_UNKNOWN);
	struct check_result r = { 0 };
	fresh_check(&f, CHECK_KVM_HISTORY, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	assert_non_null(strstr(r.remedy, "hvprobe.service"));
	facts_free(&f);

	snprintf(ev.journal.boots[1].verdict, KMSG_LINE_MAX, "KVM cannot launch here; failed: os.kvm");
	assert_true(facts_init(&f, &ev, NULL));
	fresh_check(&f, CHECK_KVM_HISTORY, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	facts_free(&f);
	evidence_free(&ev);
}

/* What does not say KVM failed: a gate's FAIL for the next boot, another
 * target's verdict, a refusal of the other vendor's module (both listed in
 * /etc/modules) at a boot where kvm_amd came up. */
static void test_lines_that_do_not_fail_a_boot(void **state)
{
	(void)state;
	static const struct {
		const char *verdict;
		enum kmsg_fact fact;
		const char *refusal;
		enum boot_outcome outcome;
	} cases[] = {
		{ "fail: KVM cannot launch here; failed: kvm.next_boot", KMSG_FACT_COUNT, "", OUTCOME_LAUNCHED },
		{ "fail: Xen cannot launch here; failed: fw.virt_enabled", KMSG_FACT_COUNT, "", OUTCOME_LAUNCHED },
		{ "fail: KVM cannot launch here; failed: os.kvm kvm.history", KMSG_FACT_COUNT, "", OUTCOME_FAILED },
		{ "", KMSG_KVM_NO_HW_SUPPORT, "kvm: no hardware support for 'kvm_intel'", OUTCOME_LAUNCHED },
		{ "", KMSG_KVM_NO_HW_SUPPORT, "kvm_intel: VMX not supported by CPU 0", OUTCOME_LAUNCHED },
		{ "", KMSG_SVM_DISABLED_BY_BIOS, "kvm: support for 'kvm_amd' disabled by bios", OUTCOME_FAILED },
		{ "", KMSG_KVM_ENABLE_FAILED, "kvm: enabling virtualization on CPU3 failed", OUTCOME_FAILED },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct journal_boot b = { .first = T0, .last = T0 + 3600 };
		snprintf(b.kernel, sizeof(b.kernel), "6.1.0-18-amd64");
		snprintf(b.kvm_up, sizeof(b.kvm_up), KVM_AMD_UP);
		snprintf(b.verdict, sizeof(b.verdict), "%s", cases[i].verdict);
		if (cases[i].fact < KMSG_FACT_COUNT)
			snprintf(b.kmsg[cases[i].fact], KMSG_LINE_MAX, "%s", cases[i].refusal);
		const char *line;
		const struct kvm_boot_reason *why = kvm_boot_judge(&b, false, &line);
		if (!why || why->outcome != cases[i].outcome)
			fail_msg("case %zu (%s%s): outcome %d", i, cases[i].verdict, cases[i].refusal,
				 why ? (int)why->outcome : -1);
	}
}

/* The current boot, silent in its log, is decided by /dev/kvm now; an
 * inference from silence gives way to it. */
static void test_current_boot_from_dev_kvm(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	struct journal_boot *b1 = boot(&ev, "b1", T0, "6.1.0-18-amd64", AMD_DMI_OLD, "");
	snprintf(b1->kvm_up, sizeof(b1->kvm_up), KVM_AMD_UP);
	boot(&ev, "b2", T0 + DAY, "6.1.0-18-amd64", AMD_DMI_OLD, "");
	snprintf(ev.journal.current_boot, sizeof(ev.journal.current_boot), "b2");
	ev.kvm.probed = true;
	ev.kvm.device = TRI_YES;
	ev.kvm.vm_created = TRI_YES;

	struct facts f;
	assert_true(facts_init(&f, &ev, NULL));
	assert_int_equal(f.kvm_history.boots[1].outcome, OUTCOME_LAUNCHED);
	struct check_result r = { 0 };
	fresh_check(&f, CHECK_KVM_HISTORY, &r);
	assert_int_equal(r.status, STATUS_PASS);
	facts_free(&f);
	evidence_free(&ev);
}

/* A clock set back between boots is said, and the suspects are marked
 * as placed by an unsure clock. */
static void test_clock_back(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	struct journal_boot *b1 = boot(&ev, "b1", T0, "6.1.0-17-amd64", AMD_DMI_OLD, "");
	snprintf(b1->kvm_up, sizeof(b1->kvm_up), KVM_AMD_UP);
	struct journal_boot *b2 = boot(&ev, "b2", T0 + 600, "6.1.0-18-amd64", AMD_DMI_OLD, "");
	snprintf(b2->kmsg[KMSG_SVM_DISABLED_BY_BIOS], KMSG_LINE_MAX, SVM_OFF);
	struct facts f;
	assert_true(facts_init(&f, &ev, NULL));
	assert_true(f.kvm_history.boots[1].clock_back); /* began before the first ended */
	assert_true(f.kvm_history.window_by_time_unsure);
	facts_free(&f);
	evidence_free(&ev);
}

/* No journal at all: with /dev/kvm working the check passes on this boot
 * alone; without a probe of it there is no evidence. */
static void test_no_journal(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	snprintf(ev.journal.unreadable, sizeof(ev.journal.unreadable), "no journal in /var/log/journal");
	ev.kvm.probed = true;
	ev.kvm.device = TRI_YES;
	ev.kvm.vm_created = TRI_YES;
	struct check_result r = { 0 };
	run_check(&ev, CHECK_KVM_HISTORY, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ev.kvm.probed = false;
	run_check(&ev, CHECK_KVM_HISTORY, &r);
	assert_int_equal(r.status, STATUS_SKIP);
	assert_true(r.no_evidence);
	evidence_free(&ev);
}

/* ---- kvm.next_boot ---- */

static void next_boot(struct evidence *ev, const char *release, enum module_presence vendor,
		      const char *cmdline)
{
	struct next_boot_view *nb = &ev->next_boot;
	nb->probed = nb->read = true;
	snprintf(nb->loader, sizeof(nb->loader), "grub");
	snprintf(nb->source, sizeof(nb->source), "/boot/grub/grub.cfg");
	snprintf(nb->entry, sizeof(nb->entry), "Debian GNU/Linux");
	snprintf(nb->cmdline, sizeof(nb->cmdline), "%s", cmdline);
	snprintf(nb->next.release, sizeof(nb->next.release), "%s", release);
	nb->next.tree = TRI_YES;
	nb->next.kvm = MODULE_FILE;
	nb->next.kvm_amd = vendor;
	nb->next.kvm_intel = MODULE_FILE;
	snprintf(nb->running.release, sizeof(nb->running.release), "6.1.0-17-amd64");
}

static const struct {
	const char *name;
	const char *release;
	enum module_presence vendor;
	tri_t tree;
	const char *cmdline;
	const char *modprobe;
	enum check_status status;
	const char *summary_part;
	const char *remedy_part;
} next_boot_cases[] = {
	{ "modules there", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "root=/dev/sda1 ro quiet", "",
	  STATUS_PASS, "6.1.0-18-amd64 boots next (now 6.1.0-17-amd64)", NULL },
	{ "built in", "6.1.0-18-amd64", MODULE_BUILTIN, TRI_YES, "ro", "", STATUS_PASS, "with its KVM", NULL },
	{ "no kvm_amd", "6.1.0-18-amd64", MODULE_MISSING, TRI_YES, "ro", "", STATUS_FAIL,
	  "has no kvm_amd module", "apt install --reinstall linux-image-6.1.0-18-amd64" },
	{ "no module tree", "6.1.0-18-amd64", MODULE_UNKNOWN, TRI_NO, "ro", "", STATUS_FAIL,
	  "lib/modules/6.1.0-18-amd64 does not exist", "before you restart" },
	{ "module_blacklist", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro module_blacklist=nouveau,kvm-amd", "",
	  STATUS_FAIL, "forbids kvm_amd", "update-grub" },
	{ "module_blacklist kvm", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro module_blacklist=kvm", "",
	  STATUS_FAIL, "forbids kvm ", NULL },
	{ "module_blacklist other vendor", "6.1.0-18-amd64", MODULE_FILE, TRI_YES,
	  "ro module_blacklist=kvm_intel", "", STATUS_PASS, "boots next", NULL },
	{ "modprobe.blacklist twice", "6.1.0-18-amd64", MODULE_FILE, TRI_YES,
	  "modprobe.blacklist=kvm_amd ro modprobe.blacklist=nouveau", "", STATUS_FAIL, "blacklists kvm_amd",
	  NULL },
	{ "modprobe.d blacklist other vendor", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro",
	  "/etc/modprobe.d/x.conf: blacklist kvm_intel", STATUS_PASS, "boots next", NULL },
	{ "modprobe.d blacklist kvm (a dependency still loads)", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro",
	  "/etc/modprobe.d/x.conf: blacklist kvm", STATUS_PASS, "boots next", NULL },
	{ "modprobe.d blacklist vendor", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro",
	  "/etc/modprobe.d/x.conf: blacklist kvm-amd", STATUS_FAIL, "keeps kvm_amd from loading", NULL },
	{ "modprobe.d install wrapper", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro",
	  "/etc/modprobe.d/x.conf: install kvm_amd /sbin/modprobe --ignore-install kvm_amd && /bin/true",
	  STATUS_PASS, "boots next", NULL },
	{ "npt off as a word", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro kvm_amd.npt=off", "", STATUS_WARN,
	  "without SLAT", NULL },
	{ "modprobe.blacklist", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "modprobe.blacklist=kvm_amd", "",
	  STATUS_FAIL, "blacklists kvm_amd", NULL },
	{ "modprobe.d install false", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro",
	  "/etc/modprobe.d/novirt.conf: install kvm_amd /bin/false", STATUS_FAIL, "modprobe.d",
	  "update-initramfs" },
	{ "modprobe.d options only", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro",
	  "/etc/modprobe.d/kvm.conf: options kvm_amd nested=1", STATUS_PASS, "boots next", NULL },
	{ "npt off", "6.1.0-18-amd64", MODULE_FILE, TRI_YES, "ro kvm-amd.npt=0", "", STATUS_WARN,
	  "without SLAT", NULL },
	{ "virt at load", "6.12.9-amd64", MODULE_FILE, TRI_YES, "ro kvm.enable_virt_at_load=1", "",
	  STATUS_PASS, "hold VT-x/AMD-V from load", "VirtualBox" },
	{ "modules unreadable", "6.1.0-18-amd64", MODULE_UNKNOWN, TRI_UNKNOWN, "ro", "", STATUS_UNKNOWN,
	  "could not be read", NULL },
};

static void test_next_boot_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(next_boot_cases) / sizeof(next_boot_cases[0]); i++) {
		const __typeof__(next_boot_cases[0]) *c = &next_boot_cases[i];
		struct evidence ev;
		amd_host(&ev);
		next_boot(&ev, c->release, c->vendor, c->cmdline);
		ev.next_boot.next.tree = c->tree;
		if (c->tree == TRI_UNKNOWN)
			ev.next_boot.next.kvm = MODULE_UNKNOWN;
		snprintf(ev.next_boot.modprobe, sizeof(ev.next_boot.modprobe), "%s", c->modprobe);
		struct check_result r;
		run_check(&ev, CHECK_KVM_NEXT_BOOT, &r);
		if (r.status != c->status || !strstr(r.summary, c->summary_part) ||
		    (c->remedy_part && !strstr(r.remedy, c->remedy_part)))
			fail_msg("case \"%s\": status %d, summary \"%s\", remedy \"%s\"", c->name, r.status,
				 r.summary, r.remedy);
		evidence_free(&ev);
	}
}

static void test_next_boot_unknown_and_absent(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	struct check_result r = { 0 };
	run_check(&ev, CHECK_KVM_NEXT_BOOT, &r); /* never looked: no evidence */
	assert_int_equal(r.status, STATUS_SKIP);
	assert_true(r.no_evidence);
	ev.next_boot.probed = true;
	snprintf(ev.next_boot.problem, sizeof(ev.next_boot.problem), "no boot/grub/grub.cfg");
	run_check(&ev, CHECK_KVM_NEXT_BOOT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	assert_non_null(strstr(r.summary, "no boot/grub/grub.cfg"));
	/* the running kernel keeps its modules: a warning, not a verdict */
	snprintf(ev.next_boot.running.release, sizeof(ev.next_boot.running.release), "6.1.0-18-amd64");
	ev.next_boot.running.tree = TRI_YES;
	ev.next_boot.running.kvm = ev.next_boot.running.kvm_amd = MODULE_FILE;
	run_check(&ev, CHECK_KVM_NEXT_BOOT, &r);
	assert_int_equal(r.status, STATUS_WARN);
	assert_non_null(strstr(r.summary, "the running kernel 6.1.0-18-amd64 has KVM's modules"));
	ev.next_boot.running.kvm_amd = MODULE_MISSING;
	run_check(&ev, CHECK_KVM_NEXT_BOOT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	evidence_free(&ev);
}

/* Debian's /vmlinuz link names the newest installed kernel; a running
 * kernel that is not installed (started directly by a hypervisor) says the
 * link does not decide the next boot. */
static void test_vmlinuz_link_with_a_kernel_not_installed(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	next_boot(&ev, "6.1.0-56-amd64", MODULE_FILE, "");
	snprintf(ev.next_boot.loader, sizeof(ev.next_boot.loader), "vmlinuz");
	snprintf(ev.next_boot.running.release, sizeof(ev.next_boot.running.release), "6.18.44-fc");
	ev.next_boot.running.tree = TRI_NO;
	struct check_result r = { 0 };
	run_check(&ev, CHECK_KVM_NEXT_BOOT, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	assert_non_null(strstr(r.summary, "is not an installed one"));
	ev.next_boot.running.tree = TRI_YES; /* an installed kernel: the link decides */
	ev.next_boot.running.kvm = ev.next_boot.running.kvm_amd = MODULE_FILE;
	run_check(&ev, CHECK_KVM_NEXT_BOOT, &r);
	assert_int_equal(r.status, STATUS_PASS);
	evidence_free(&ev);
}

/* The fixes speak the boot loader the host uses: systemd-boot has no
 * GRUB menu and keeps its command line in /etc/kernel/cmdline. */
static void test_next_boot_fixes_follow_the_loader(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	next_boot(&ev, "6.1.0-18-amd64", MODULE_MISSING, "ro quiet");
	snprintf(ev.next_boot.loader, sizeof(ev.next_boot.loader), "systemd-boot");
	struct check_result r;
	run_check(&ev, CHECK_KVM_NEXT_BOOT, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	assert_non_null(strstr(r.remedy, "bootctl set-oneshot"));
	assert_null(strstr(r.remedy, "grub"));
	ev.next_boot.next.kvm_amd = MODULE_FILE;
	snprintf(ev.next_boot.cmdline, sizeof(ev.next_boot.cmdline), "ro module_blacklist=kvm_amd");
	run_check(&ev, CHECK_KVM_NEXT_BOOT, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	assert_non_null(strstr(r.remedy, "/etc/kernel/cmdline, then kernel-install add"));
	evidence_free(&ev);
}

/* A site's known-issues file can name a kernel (its release, or its
 * Debian image package): the gate fails before the reboot into it. */
static void test_next_boot_known_bad_kernel(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	next_boot(&ev, "6.1.0-18-amd64", MODULE_FILE, "ro quiet");
	struct known_issue_list known = { 0 };
	struct known_issue k = { .id = "linux-image-6.1.0-18-amd64", .platforms = "debian-12",
				 .symptom = "kvm_amd oopses at load on this site's EPYC hosts",
				 .source = "site ticket 4711", .fix = "hold the kernel: apt-mark hold linux-image-amd64" };
	assert_true(known_issues_add(&known, &k));
	struct probe_inputs in = { NULL, &known };
	struct facts f;
	assert_true(facts_init(&f, &ev, &in));
	struct check_result r = { 0 };
	fresh_check(&f, CHECK_KVM_NEXT_BOOT, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	assert_non_null(strstr(r.summary, "linux-image-6.1.0-18-amd64 is on the list of known bad"));
	assert_non_null(strstr(r.remedy, "before you restart: hold the kernel"));
	assert_string_equal(find_item(&r, "known_bad")->source, "site ticket 4711");
	facts_free(&f);
	known_issues_free(&known);
	evidence_free(&ev);
}

/* os.kvm: the vendor module is not loaded because the running kernel's
 * module files are gone (its package removed while it ran). */
static void test_os_kvm_module_file_missing(void **state)
{
	(void)state;
	struct evidence ev;
	amd_host(&ev);
	ev.kvm.probed = true;
	ev.kvm.device = TRI_NO;
	ev.kvm.sysfs_read = true;
	ev.kvm.misc_device = TRI_NO;
	snprintf(ev.next_boot.running.release, sizeof(ev.next_boot.running.release), "6.1.0-17-amd64");
	ev.next_boot.running.tree = TRI_YES;
	ev.next_boot.running.kvm_amd = MODULE_MISSING;
	struct check_result r = { 0 };
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	assert_non_null(strstr(r.summary, "no kvm_amd module file"));
	assert_non_null(strstr(r.remedy, "apt install --reinstall linux-image-6.1.0-17-amd64"));
	ev.next_boot.running.kvm_amd = MODULE_FILE; /* there: the old advice, modprobe */
	run_check(&ev, CHECK_OS_KVM, &r);
	assert_non_null(strstr(r.remedy, "modprobe kvm_amd"));
	evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_upgrade_lost_kvm_amd),
		cmocka_unit_test(test_bios_update_disabled_svm),
		cmocka_unit_test(test_verdict_lines_decide_intel_boots),
		cmocka_unit_test(test_lines_that_do_not_fail_a_boot),
		cmocka_unit_test(test_current_boot_from_dev_kvm),
		cmocka_unit_test(test_clock_back),
		cmocka_unit_test(test_no_journal),
		cmocka_unit_test(test_next_boot_cases),
		cmocka_unit_test(test_next_boot_unknown_and_absent),
		cmocka_unit_test(test_vmlinuz_link_with_a_kernel_not_installed),
		cmocka_unit_test(test_next_boot_fixes_follow_the_loader),
		cmocka_unit_test(test_next_boot_known_bad_kernel),
		cmocka_unit_test(test_os_kvm_module_file_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
