/* SPDX-License-Identifier: MIT */
/* A Linux system's history in a bundle: journal.txt, package-log.txt and
 * next-boot.txt written and read back field by field, hostile lines
 * refused with their line, and bundles with and without them. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/bundle_text.h"
#include "formats/history_text.h"
#include "platform/bundle.h"

/* A value as long as its buffer allows, so a field cut short shows. */
static void fill(char *p, size_t size, const char *seed)
{
	size_t n = strlen(seed);
	for (size_t i = 0; i + 1 < size; i++)
		p[i] = seed[i % n];
	p[size - 1] = '\0';
}

#define FILL(buf, seed) fill(buf, sizeof(buf), seed)

static void fill_boot(struct journal_view *v, const char *id, int64_t first, int64_t last)
{
	struct journal_boot *b = journal_add_boot(v, id);
	assert_non_null(b);
	b->first = first;
	b->last = last;
	FILL(b->kernel, "6.1.0-26-amd64 ");
	snprintf(b->microcode, sizeof(b->microcode), "0xf0");
	FILL(b->dmi, "LENOVO 20KHCTO1WW/20KHCTO1WW, BIOS N23ET87W (1.62 ) 09/14/2023 = ");
	for (int k = 0; k < KMSG_FACT_COUNT; k++)
		snprintf(b->kmsg[k], sizeof(b->kmsg[k]), "fact %d: %s=x", k, id);
	FILL(b->kmsg[KMSG_KVM_ENABLE_FAILED], "kvm: enabling virtualization on CPU0 failed ");
	snprintf(b->kvm_up, sizeof(b->kvm_up), "kvm_intel: ...");
	FILL(b->verdict, "hvprobe: verdict=READY target=kvm ");
}

/* Every field of the three views set to something other than its default. */
static void fill_history(struct evidence *ev)
{
	struct journal_view *j = &ev->journal;
	j->read = true;
	FILL(j->source, "/mnt/var/log/journal ");
	snprintf(j->unreadable, sizeof(j->unreadable), "user-1000.journal: Permission denied");
	snprintf(j->current_boot, sizeof(j->current_boot), "0123456789abcdef0123456789abcdef");
	j->entries = (unsigned long)-1;
	j->dropped = 7;
	j->damaged = true;
	fill_boot(j, "00000000000000000000000000000001", INT64_MIN, -1);
	fill_boot(j, "1dd2cd2ebf1a4b8a9d5d43ab1e8c3c2f", 0, 1700000000);
	fill_boot(j, "ffffffffffffffffffffffffffffffff", 1790000000, INT64_MAX);
	j->boots[0].seqnum = 1;
	j->boots[1].seqnum = 2;
	j->boots[2].seqnum = UINT64_MAX;

	struct package_log_view *p = &ev->package_log;
	p->read = true;
	FILL(p->source, "/var/log/dpkg.log, /var/log/apt/history.log ");
	p->skipped = 3;
	struct package_change c = { .time = 1700000000 };
	snprintf(c.action, sizeof(c.action), "upgrade");
	FILL(c.name, "linux-image-6.1.0-26-amd64-");
	FILL(c.from, "6.1.112-1~");
	FILL(c.to, "6.1.115-1+");
	assert_true(package_log_add(p, &c));
	c.time = 1700000500;
	snprintf(c.action, sizeof(c.action), "remove");
	snprintf(c.name, sizeof(c.name), "qemu-system-x86");
	c.to[0] = '\0';
	assert_true(package_log_add(p, &c));
	c.time = -5;
	snprintf(c.action, sizeof(c.action), "downgrade");
	assert_true(package_log_add(p, &c));
	package_log_settle(p);

	struct next_boot_view *n = &ev->next_boot;
	n->probed = true;
	n->read = true;
	FILL(n->loader, "systemd-boot");
	FILL(n->source, "/boot/grub/grub.cfg ");
	FILL(n->entry, "Debian GNU/Linux, with Linux 6.1.0-26-amd64 ");
	FILL(n->cmdline, "BOOT_IMAGE=/vmlinuz root=UUID=x ro quiet intel_iommu=on ");
	FILL(n->problem, "grubenv names no saved entry ");
	FILL(n->next.release, "6.1.0-27-amd64");
	n->next.tree = TRI_NO;
	n->next.kvm = MODULE_FILE;
	n->next.kvm_intel = MODULE_BUILTIN;
	n->next.kvm_amd = MODULE_MISSING;
	snprintf(n->running.release, sizeof(n->running.release), "6.1.0-26-amd64");
	n->running.tree = TRI_YES;
	n->running.kvm = MODULE_MISSING;
	n->running.kvm_intel = MODULE_FILE;
	n->running.kvm_amd = MODULE_BUILTIN;
	FILL(n->running_cmdline, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-26-amd64 kvm.enable_virt_at_load=0 ");
	snprintf(n->modprobe, sizeof(n->modprobe),
		 "etc/modprobe.d/kvm.conf: options kvm_intel nested=1\n\n"
		 "lib/modprobe.d/blacklist.conf: blacklist kvm_amd");
	snprintf(ev->root, sizeof(ev->root), "/mnt/sysimage");
}

static void same_modules(const struct kernel_modules *a, const struct kernel_modules *b)
{
	assert_string_equal(a->release, b->release);
	assert_int_equal(a->tree, b->tree);
	assert_int_equal(a->kvm, b->kvm);
	assert_int_equal(a->kvm_intel, b->kvm_intel);
	assert_int_equal(a->kvm_amd, b->kvm_amd);
}

static void same_history(const struct evidence *a, const struct evidence *b)
{
	const struct journal_view *ja = &a->journal, *jb = &b->journal;
	assert_int_equal(ja->read, jb->read);
	assert_string_equal(ja->source, jb->source);
	assert_string_equal(ja->unreadable, jb->unreadable);
	assert_string_equal(ja->current_boot, jb->current_boot);
	assert_true(ja->entries == jb->entries);
	assert_int_equal(ja->dropped, jb->dropped);
	assert_int_equal(ja->damaged, jb->damaged);
	assert_int_equal(ja->n, jb->n);
	for (size_t i = 0; i < ja->n; i++) {
		const struct journal_boot *x = &ja->boots[i], *y = &jb->boots[i];
		assert_string_equal(x->boot_id, y->boot_id);
		assert_true(x->first == y->first);
		assert_true(x->last == y->last);
		assert_true(x->seqnum == y->seqnum);
		assert_string_equal(x->kernel, y->kernel);
		assert_string_equal(x->dmi, y->dmi);
		assert_string_equal(x->microcode, y->microcode);
		for (int k = 0; k < KMSG_FACT_COUNT; k++)
			assert_string_equal(x->kmsg[k], y->kmsg[k]);
		assert_string_equal(x->kvm_up, y->kvm_up);
		assert_string_equal(x->verdict, y->verdict);
	}

	const struct package_log_view *pa = &a->package_log, *pb = &b->package_log;
	assert_int_equal(pa->read, pb->read);
	assert_string_equal(pa->source, pb->source);
	assert_int_equal(pa->skipped, pb->skipped);
	assert_int_equal(pa->n, pb->n);
	for (size_t i = 0; i < pa->n; i++) {
		assert_true(pa->items[i].time == pb->items[i].time);
		assert_string_equal(pa->items[i].action, pb->items[i].action);
		assert_string_equal(pa->items[i].name, pb->items[i].name);
		assert_string_equal(pa->items[i].from, pb->items[i].from);
		assert_string_equal(pa->items[i].to, pb->items[i].to);
	}

	const struct next_boot_view *na = &a->next_boot, *nb = &b->next_boot;
	assert_int_equal(na->probed, nb->probed);
	assert_int_equal(na->read, nb->read);
	assert_string_equal(na->loader, nb->loader);
	assert_string_equal(na->source, nb->source);
	assert_string_equal(na->entry, nb->entry);
	assert_string_equal(na->cmdline, nb->cmdline);
	assert_string_equal(na->problem, nb->problem);
	same_modules(&na->next, &nb->next);
	same_modules(&na->running, &nb->running);
	assert_string_equal(na->running_cmdline, nb->running_cmdline);
	assert_string_equal(na->modprobe, nb->modprobe);
}

typedef void (*writer)(const struct evidence *ev, struct strbuf *out);
typedef bool (*parser)(const char *text, size_t len, struct evidence *ev, char *err,
		       size_t errsize);

static const struct {
	writer write;
	parser parse;
} files[] = {
	{ journal_text_write, journal_text_parse },
	{ package_log_text_write, package_log_text_parse },
	{ next_boot_text_write, next_boot_text_parse },
	{ bundle_host_write, bundle_host_parse },
};

/* a written and parsed into b, file by file. */
static void round_trip(const struct evidence *a, struct evidence *b)
{
	char err[300];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct strbuf sb;
		sb_init(&sb);
		files[i].write(a, &sb);
		assert_false(sb.failed);
		if (!files[i].parse(sb.data, sb.len, b, err, sizeof(err)))
			fail_msg("%s\n%s", err, sb_str(&sb));
		sb_free(&sb);
	}
}

static void every_field_round_trips(void **state)
{
	(void)state;
	struct evidence a, b;
	evidence_init(&a);
	evidence_init(&b);
	fill_history(&a);
	round_trip(&a, &b);
	same_history(&a, &b);
	assert_string_equal(b.root, "/mnt/sysimage");
	evidence_free(&a);
	evidence_free(&b);
}

/* The shapes of modprobe's lines: one each way and back, empty ones kept. */
static void modprobe_lines_round_trip(void **state)
{
	(void)state;
	static const char *const shapes[] = { "", "a", "a\n", "\n", "\n\na", "a\nb\n\nc" };
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct evidence a, b;
		evidence_init(&a);
		evidence_init(&b);
		a.next_boot.probed = true;
		snprintf(a.next_boot.modprobe, sizeof(a.next_boot.modprobe), "%s", shapes[i]);
		round_trip(&a, &b);
		assert_string_equal(b.next_boot.modprobe, shapes[i]);
		evidence_free(&a);
		evidence_free(&b);
	}
}

/* A tab, newline or escape inside a value neither adds a field nor a line. */
static void control_bytes_become_spaces(void **state)
{
	(void)state;
	struct evidence a, b;
	evidence_init(&a);
	evidence_init(&b);
	fill_history(&a);
	snprintf(a.journal.source, sizeof(a.journal.source), "x\nread=no\tdamaged=no");
	snprintf(a.journal.boots[1].kernel, sizeof(a.journal.boots[1].kernel), "6.1\t0\n\x1b[31m");
	snprintf(a.package_log.items[0].name, sizeof(a.package_log.items[0].name), "a\tb\rc");
	snprintf(a.next_boot.cmdline, sizeof(a.next_boot.cmdline), "ro\nprobed=no");
	snprintf(a.next_boot.modprobe, sizeof(a.next_boot.modprobe), "x\ty\nz\r");
	round_trip(&a, &b);
	assert_true(b.journal.read);
	assert_true(b.journal.damaged);
	assert_string_equal(b.journal.source, "x read=no damaged=no");
	assert_string_equal(b.journal.boots[1].kernel, "6.1 0  [31m");
	assert_string_equal(b.package_log.items[0].name, "a b c");
	assert_true(b.next_boot.probed);
	assert_string_equal(b.next_boot.cmdline, "ro probed=no");
	assert_string_equal(b.next_boot.modprobe, "x y\nz ");
	evidence_free(&a);
	evidence_free(&b);
}

#define ID "1dd2cd2ebf1a4b8a9d5d43ab1e8c3c2f"
#define BOOT ID "\t100\t200\t6.1.0\t0xf0\tdmi\t\t"

/* Each input is refused; the error names its line and says why. */
static void hostile_lines_are_refused(void **state)
{
	(void)state;
	char long_kernel[200], long_modprobe[3000], two_k[2100];
	memset(long_kernel, 'k', 72);
	long_kernel[72] = '\0';
	memset(two_k, 'm', 2040);
	two_k[2040] = '\0';
	snprintf(long_modprobe, sizeof(long_modprobe), "modprobe=%s\nmodprobe=12345678\n", two_k);
	char boot_long[400];
	snprintf(boot_long, sizeof(boot_long), ID "\t1\t2\t%s\t\t\t\t\n", long_kernel);
	const struct {
		parser parse;
		const char *text;
		const char *error;
	} cases[] = {
		{ journal_text_parse, "read=yes\nentries=-1\n", "line 2: bad value for entries" },
		{ journal_text_parse, "entries=18446744073709551616\n", "line 1: bad value for entries" },
		{ journal_text_parse, "damaged=maybe\n", "line 1: bad value for damaged" },
		{ journal_text_parse, "current_boot=" ID "0\n", "line 1: bad value for current_boot" },
		{ journal_text_parse, "just words\n", "line 1: expected key=value" },
		{ journal_text_parse, ID "\t100\t200\n", "line 1: too few fields" },
		{ journal_text_parse, ID "\t1e3\t200\t\t\t\t\t\n", "line 1: bad value for first" },
		{ journal_text_parse, ID "\t1\t9223372036854775808\t\t\t\t\t\n",
		  "line 1: bad value for last" },
		{ journal_text_parse, ID "\t1\t-9223372036854775809\t\t\t\t\t\n",
		  "line 1: bad value for last" },
		{ journal_text_parse, "\t1\t2\t\t\t\t\t\n", "line 1: bad value for boot id" },
		{ journal_text_parse, ID "0\t1\t2\t\t\t\t\t\n", "line 1: bad value for boot id" },
		{ journal_text_parse, boot_long, "line 1: bad value for kernel" },
		{ journal_text_parse, "\n# c\n" BOOT "\tnx_active\n", "line 3: expected fact=line" },
		{ journal_text_parse, BOOT "\tnx_active=a\0b\n", "line 1: bad value for nx_active" },
		{ package_log_text_parse, "source=x\n1\tinstall\tvim\t\t9.0\textra\n",
		  "line 2: too many fields" },
		{ package_log_text_parse, "1\tinstall\tvim\t\n", "line 1: too few fields" },
		{ package_log_text_parse, "x\tinstall\tvim\t\t9.0\n", "line 1: bad value for time" },
		{ package_log_text_parse, "1\t\tvim\t\t9.0\n", "line 1: bad value for action" },
		{ package_log_text_parse, "1\tinstall\t\t\t9.0\n", "line 1: bad value for name" },
		{ package_log_text_parse, "1\treinstallation\tvim\t\t9.0\n",
		  "line 1: bad value for action" },
		{ package_log_text_parse, "skipped=1x\n", "line 1: bad value for skipped" },
		{ next_boot_text_parse, "next.kvm=module\n", "line 1: bad value for next.kvm" },
		{ next_boot_text_parse, "running.tree=1\n", "line 1: bad value for running.tree" },
		{ next_boot_text_parse, "probed=yes\nloader=systemd-boot-efi\n",
		  "line 2: bad value for loader" },
		{ next_boot_text_parse, long_modprobe, "line 2: bad value for modprobe" },
		{ next_boot_text_parse, "cmdline\n", "line 1: expected key=value" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evidence ev;
		char err[300] = "";
		size_t len = strlen(cases[i].text);
		if (strstr(cases[i].text, "nx_active=a")) /* holds a NUL */
			len += 3;
		evidence_init(&ev);
		if (cases[i].parse(cases[i].text, len, &ev, err, sizeof(err)))
			fail_msg("case %zu was accepted: %s", i, cases[i].text);
		if (!strstr(err, cases[i].error))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].error);
		evidence_free(&ev);
	}
}

/* What a newer hvprobe may add is skipped; what a file leaves out stays
 * at its default. */
static void unknown_keys_and_facts_are_skipped(void **state)
{
	(void)state;
	struct evidence ev;
	char err[300];
	evidence_init(&ev);
	static const char journal[] = "colour=blue\n# comment\r\n\n" BOOT "\tnew_fact=x"
				      "\tvmx_disabled_by_bios=kvm: VMX is disabled on CPU 0\r\n";
	assert_true(journal_text_parse(journal, strlen(journal), &ev, err, sizeof(err)));
	assert_true(ev.journal.read);
	assert_int_equal(ev.journal.n, 1);
	assert_string_equal(ev.journal.boots[0].boot_id, ID);
	assert_true(ev.journal.boots[0].first == 100);
	assert_string_equal(ev.journal.boots[0].kmsg[KMSG_VMX_DISABLED_BY_BIOS],
			    "kvm: VMX is disabled on CPU 0");
	assert_string_equal(ev.journal.boots[0].kvm_up, "");

	static const char next[] = "loader=grub\nnext.colour=red\n";
	assert_true(next_boot_text_parse(next, strlen(next), &ev, err, sizeof(err)));
	assert_true(ev.next_boot.probed);
	assert_false(ev.next_boot.read);
	assert_int_equal(ev.next_boot.next.tree, TRI_UNKNOWN);
	assert_int_equal(ev.next_boot.next.kvm, MODULE_UNKNOWN);

	/* out of order by hand: read back in time order */
	static const char log[] = "2\tremove\tb\t1\t\n1\tinstall\ta\t\t1\n";
	assert_true(package_log_text_parse(log, strlen(log), &ev, err, sizeof(err)));
	assert_true(ev.package_log.read);
	assert_int_equal(ev.package_log.n, 2);
	assert_string_equal(ev.package_log.items[0].name, "a");
	evidence_free(&ev);

	/* a journal looked for and not read says so */
	evidence_init(&ev);
	static const char unread[] = "read=no\nunreadable=Permission denied\n";
	assert_true(journal_text_parse(unread, strlen(unread), &ev, err, sizeof(err)));
	assert_false(ev.journal.read);
	assert_string_equal(ev.journal.unreadable, "Permission denied");
	evidence_free(&ev);
}

/* Boots in the journal's order when each carries its seqnum: the later
 * boot's clock was set back ten days. A bundle from before seqnum (no
 * such cell) or a boot without one: by the first message. */
static void seqnum_orders_boots(void **state)
{
	(void)state;
	struct evidence ev;
	char err[300];
	evidence_init(&ev);
	static const char numbered[] =
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\t1000\t2000\t6.1.0-17-amd64\t\t\t\t\tseqnum=7\n"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\t100\t200\t6.1.0-18-amd64\t\t\t\t\tseqnum=900\n";
	assert_true(journal_text_parse(numbered, strlen(numbered), &ev, err, sizeof(err)));
	assert_int_equal(ev.journal.n, 2);
	assert_string_equal(ev.journal.boots[1].kernel, "6.1.0-18-amd64");
	assert_true(ev.journal.boots[1].seqnum == 900);
	struct strbuf out;
	sb_init(&out);
	journal_text_write(&ev, &out);
	assert_non_null(strstr(sb_str(&out), "\tseqnum=900\n"));
	sb_free(&out);
	evidence_free(&ev);

	evidence_init(&ev);
	static const char old[] =
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\t1000\t2000\t6.1.0-17-amd64\t\t\t\t\tseqnum=7\n"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\t100\t200\t6.1.0-18-amd64\t\t\t\t\n";
	assert_true(journal_text_parse(old, strlen(old), &ev, err, sizeof(err)));
	assert_true(ev.journal.boots[0].seqnum == 0);
	assert_string_equal(ev.journal.boots[0].kernel, "6.1.0-18-amd64");
	evidence_free(&ev);

	evidence_init(&ev);
	static const char bad[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\t1\t2\t\t\t\t\t\tseqnum=-1\n";
	assert_false(journal_text_parse(bad, strlen(bad), &ev, err, sizeof(err)));
	assert_string_equal(err, "line 1: bad value for seqnum");
	evidence_free(&ev);
}

static void fact_keys_are_named(void **state)
{
	(void)state;
	for (int k = 0; k < KMSG_FACT_COUNT; k++) {
		assert_string_not_equal(kmsg_fact_key((enum kmsg_fact)k), "unknown");
		for (int m = 0; m < k; m++)
			assert_string_not_equal(kmsg_fact_key((enum kmsg_fact)k),
						kmsg_fact_key((enum kmsg_fact)m));
	}
	assert_string_equal(kmsg_fact_key(KMSG_VMX_DISABLED_BY_BIOS), "vmx_disabled_by_bios");
	assert_string_equal(kmsg_fact_key(KMSG_FACT_COUNT), "unknown");
}

/* ---- whole bundles ---- */

static void temp_dir(char *dir, size_t size, char *bundle, size_t bsize)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, size, "%s/hvprobe-history-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(bundle, bsize, "%s/bundle", dir);
}

static void remove_dir(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void bundle_carries_history(void **state)
{
	(void)state;
	char dir[300], bundle[400], path[500];
	struct evidence a, b;
	struct hv_error err = { 0 };
	temp_dir(dir, sizeof(dir), bundle, sizeof(bundle));
	evidence_init(&a);
	evidence_init(&b);
	add_intel_cpu(&a, 0, 0x20);
	fill_history(&a);
	if (!bundle_write(bundle, &a, &err) || !bundle_read(bundle, &b, &err))
		fail_msg("%s", err.msg);
	same_history(&a, &b);
	assert_string_equal(b.root, a.root);
	evidence_free(&b);

	/* a damaged piece is an input error naming the file and line */
	snprintf(path, sizeof(path), "%s/package-log.txt", bundle);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs("1700000000\tinstall\tvim\n", f);
	fclose(f);
	evidence_init(&b);
	assert_false(bundle_read(bundle, &b, &err));
	assert_int_equal(err.status, HV_EDATA);
	assert_non_null(strstr(err.msg, "package-log.txt: line 6: too few fields"));
	evidence_free(&b);
	evidence_free(&a);
	remove_dir(dir);
}

/* A bundle of a host where nothing was looked for, as an older hvprobe
 * wrote it: no history files, and the views read back unread. */
static void bundle_without_history(void **state)
{
	(void)state;
	char dir[300], bundle[400], path[500];
	struct evidence a, b;
	struct hv_error err = { 0 };
	static const char *const pieces[] = { "journal.txt", "package-log.txt", "next-boot.txt" };
	temp_dir(dir, sizeof(dir), bundle, sizeof(bundle));
	evidence_init(&a);
	evidence_init(&b);
	add_intel_cpu(&a, 0, 0x20);
	if (!bundle_write(bundle, &a, &err))
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", bundle, pieces[i]);
		assert_int_not_equal(access(path, F_OK), 0);
	}
	if (!bundle_read(bundle, &b, &err))
		fail_msg("%s", err.msg);
	assert_false(b.journal.read);
	assert_string_equal(b.journal.unreadable, "");
	assert_int_equal(b.journal.n, 0);
	assert_false(b.package_log.read);
	assert_false(b.next_boot.probed);
	assert_int_equal(b.next_boot.next.tree, TRI_UNKNOWN);
	assert_string_equal(b.root, "");
	evidence_free(&a);
	evidence_free(&b);
	remove_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_field_round_trips),
		cmocka_unit_test(modprobe_lines_round_trip),
		cmocka_unit_test(control_bytes_become_spaces),
		cmocka_unit_test(hostile_lines_are_refused),
		cmocka_unit_test(unknown_keys_and_facts_are_skipped),
		cmocka_unit_test(seqnum_orders_boots),
		cmocka_unit_test(fact_keys_are_named),
		cmocka_unit_test(bundle_carries_history),
		cmocka_unit_test(bundle_without_history),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
