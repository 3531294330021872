/* SPDX-License-Identifier: MIT */
/* Past boots from real journal files: tests/journal/make_journal.py has
 * Debian's systemd-journal-remote write them from export text, and
 * journal_collect() reads them as a mounted root's journal. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/linux/journal_read.h"

#define MACHINE "5c1e0e8a3b1f4c7e9d2a6b0f1e2d3c4b"
#define JOURNAL_DIR "/var/log/journal/" MACHINE

static char top[64]; /* the temporary directory of this run */

/* Stage scenario into top/name; 77 when systemd-journal-remote is absent. */
static int stage(const char *scenario, const char *name, char *root, size_t size)
{
	snprintf(root, size, "%s/%s", top, name);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDOUT_FILENO);
		execl(HVPROBE_PYTHON, HVPROBE_PYTHON, HVPROBE_JOURNAL_STAGER, scenario, root,
		      (char *)NULL);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void stage_or_skip(const char *scenario, const char *name, char *root, size_t size)
{
	int rc = stage(scenario, name, root, size);
	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int make_top(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "/tmp/hvprobe-journal-XXXXXX");
	return mkdtemp(top) ? 0 : -1;
}

static int remove_top(void **state)
{
	(void)state;
	return nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const struct journal_boot *boot(const struct journal_view *v, const char *id)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->boots[i].boot_id, id) == 0)
			return &v->boots[i];
	fail_msg("boot %s not read", id);
	return NULL;
}

#define T0 1704067200 /* 2024-01-01 00:00:00 UTC, the stager's first boot */
#define DMI_OLD "ASUS System Product Name/PRIME B450M-A, BIOS 2006 11/13/2019"
#define DMI_NEW "ASUS System Product Name/PRIME B450M-A, BIOS 3604 05/08/2023"

/* Four boots: 6.1.0-17 with kvm_amd up, 6.1.0-18 without KVM's lines, the
 * same kernel after a BIOS update that left SVM off, and 6.5 saying so in
 * its own words. */
static void three_boots(void **state)
{
	(void)state;
	char root[256];
	stage_or_skip("three", "three", root, sizeof(root));
	struct journal_view v;
	memset(&v, 0, sizeof(v));
	journal_collect(&v, root, NULL);
	assert_true(v.read);
	assert_string_equal(v.unreadable, "");
	assert_false(v.damaged);
	assert_string_equal(v.current_boot, "");
	assert_int_equal(v.dropped, 0);
	assert_true(v.entries > 0);
	char want[300];
	snprintf(want, sizeof(want), "%s/var/log/journal", root);
	assert_string_equal(v.source, want);
	assert_int_equal(v.n, 4);

	const struct journal_boot *a = &v.boots[0], *b = &v.boots[1], *c = &v.boots[2],
				  *d = &v.boots[3];
	assert_string_equal(a->boot_id, "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1");
	assert_string_equal(b->boot_id, "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2");
	assert_string_equal(c->boot_id, "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3");
	assert_string_equal(d->boot_id, "d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4");

	assert_int_equal(a->first, T0);
	assert_int_equal(a->last, T0 + 3600); /* the restart, an hour in */
	assert_string_equal(a->kernel, "6.1.0-17-amd64");
	assert_string_equal(a->dmi, DMI_OLD);
	assert_string_equal(a->microcode, "0x8701021");
	assert_string_equal(a->kmsg[KMSG_NX_ACTIVE], "NX (Execute Disable) protection: active");
	assert_string_equal(a->kvm_up, "kvm: Nested Virtualization enabled");
	assert_string_equal(a->verdict, "pass: KVM runs here: KVM created a VM on this host");

	assert_int_equal(b->first, T0 + 86400);
	assert_string_equal(b->kernel, "6.1.0-18-amd64");
	assert_string_equal(b->dmi, DMI_OLD);
	assert_string_equal(b->kvm_up, "");
	assert_string_equal(b->kmsg[KMSG_SVM_DISABLED_BY_BIOS], "");
	assert_string_equal(b->verdict, "fail: KVM cannot launch here; failed: os.kvm"); /* the last of two */

	assert_string_equal(c->kernel, "6.1.0-18-amd64");
	assert_string_equal(c->dmi, DMI_NEW);
	assert_string_equal(c->kvm_up, "");
	assert_string_equal(c->kmsg[KMSG_SVM_DISABLED_BY_BIOS],
			    "kvm: support for 'kvm_amd' disabled by bios");
	assert_string_equal(c->verdict, "");
	assert_int_equal(c->last, c->first + 3600); /* the kernel's last: the restart */

	assert_string_equal(d->kernel, "6.5.0-0.deb12.4-amd64");
	assert_string_equal(d->microcode, "0x870102b");
	assert_string_equal(d->kmsg[KMSG_SVM_DISABLED_BY_BIOS],
			    "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 0");
	assert_string_equal(d->kvm_up, "");
	journal_clear(&v);
}

/* One boot of a 6.12 kernel: 6.7+ microcode wording, kvm_amd's own prefix. */
static void one_boot(void **state)
{
	(void)state;
	char root[256];
	stage_or_skip("one", "one", root, sizeof(root));
	struct journal_view v;
	memset(&v, 0, sizeof(v));
	journal_collect(&v, root, NULL);
	assert_true(v.read);
	assert_int_equal(v.n, 1);
	const struct journal_boot *b = boot(&v, "e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5");
	assert_string_equal(b->kernel, "6.12.9-amd64");
	assert_string_equal(b->dmi, "Dell Inc. PowerEdge R7525/0PYVT1, BIOS 2.14.1 12/17/2023");
	assert_string_equal(b->microcode, "0xa0011d5"); /* not the "Updated early from" one */
	assert_string_equal(b->kvm_up, "kvm_amd: Nested Virtualization enabled");
	journal_clear(&v);
}

/* A root with no journal: said, not crashed on. */
static void root_without_journal(void **state)
{
	(void)state;
	char root[256], etc[300];
	snprintf(root, sizeof(root), "%s/empty", top);
	snprintf(etc, sizeof(etc), "%s/etc", root);
	assert_int_equal(mkdir(root, 0700), 0);
	assert_int_equal(mkdir(etc, 0700), 0);
	struct journal_view v;
	memset(&v, 0, sizeof(v));
	journal_collect(&v, root, NULL);
	assert_false(v.read);
	assert_int_equal(v.n, 0);
	char want[300];
	snprintf(want, sizeof(want), "no journal in %s/var/log/journal", root);
	assert_string_equal(v.unreadable, want);
	journal_clear(&v);
}

/* Journal files it may not read: said as such, with what to do. Root
 * reads anything, so as root the reader runs as nobody. */
static void permission_denied(void **state)
{
	(void)state;
	char root[256], path[400];
	stage_or_skip("one", "denied", root, sizeof(root));
	snprintf(path, sizeof(path), "%s" JOURNAL_DIR "/system.journal", root);
	assert_int_equal(chmod(path, 0), 0);
	bool forked = geteuid() == 0;
	pid_t pid = forked ? fork() : 0;
	assert_true(pid >= 0);
	if (pid == 0) {
		if (forked && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
			_exit(2);
		struct journal_view v;
		memset(&v, 0, sizeof(v));
		journal_collect(&v, root, NULL);
		bool ok = !v.read && v.n == 0 &&
			  strcmp(v.unreadable, "permission denied: run as root or in group "
					       "systemd-journal/adm") == 0;
		journal_clear(&v);
		if (forked)
			_exit(ok ? 0 : 1);
		assert_true(ok);
		return;
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The journal file's header (systemd's docs/JOURNAL_FILE_FORMAT.md),
 * little-endian: header_size at byte 88, the data hash table's offset and
 * size at 104 and 112, the field hash table's at 120 and 128, and the last
 * object's offset at 136. */
static uint64_t header_u64(const char *path, off_t at)
{
	unsigned char b[8];
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, b, sizeof(b), at), sizeof(b));
	close(fd);
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Where the entry and data objects start: after both hash tables. */
static uint64_t objects_start(const char *path)
{
	uint64_t data = header_u64(path, 104) + header_u64(path, 112);
	uint64_t field = header_u64(path, 120) + header_u64(path, 128);
	return data > field ? data : field;
}

static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(in >= 0 && out >= 0);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	close(in);
	close(out);
}

/* Two journal files, the newer one damaged as `how` says; the older one's
 * boot must still be read and the damage said. */
static void read_damaged(const char *name, void (*damage)(const char *path))
{
	char one[256], root[256], path[400], older[400];
	stage_or_skip("one", "older", one, sizeof(one));
	stage_or_skip("three", name, root, sizeof(root));
	snprintf(path, sizeof(path), "%s" JOURNAL_DIR "/system.journal", root);
	snprintf(older, sizeof(older), "%s" JOURNAL_DIR "/system@older.journal", root);
	char from[400];
	snprintf(from, sizeof(from), "%s" JOURNAL_DIR "/system.journal", one);
	copy_file(from, older);
	damage(path);

	struct journal_view v;
	memset(&v, 0, sizeof(v));
	journal_collect(&v, root, NULL);
	assert_true(v.damaged || v.unreadable[0]);
	assert_true(v.damaged);
	assert_true(v.read);
	const struct journal_boot *b = boot(&v, "e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5");
	assert_string_equal(b->kernel, "6.12.9-amd64");
	for (size_t i = 0; i < v.n; i++) /* whatever else was read is whole */
		assert_int_equal(strlen(v.boots[i].boot_id), 32);
	journal_clear(&v);
}

/* Bytes garbled in the middle of the entry and data objects (the hash
 * tables before them are mostly empty buckets, which iteration never
 * reads). */
static void garble(const char *path)
{
	off_t mid = (off_t)(objects_start(path) + header_u64(path, 136)) / 2;
	char junk[512];
	memset(junk, 0xa5, sizeof(junk));
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, sizeof(junk), mid), sizeof(junk));
	close(fd);
}

/* Cut in the middle, as a full disk or a copy cut short leaves it. */
static void cut(const char *path)
{
	uint64_t tail = header_u64(path, 136);
	assert_int_equal(truncate(path, (off_t)tail / 2), 0);
}

static void corrupt_journal(void **state)
{
	(void)state;
	read_damaged("garbled", garble);
}

static void truncated_journal(void **state)
{
	(void)state;
	read_damaged("cut", cut);
}

/* Another machine's journal beside this one's (a copy, or what
 * systemd-journal-remote keeps in remote/), and damaged: with the root's
 * machine id only its own directory counts, boots and damage alike;
 * without one every directory is read. */
static void other_machines_journal(void **state)
{
	(void)state;
	char one[256], root[256], from[400], dir[400], to[400];
	stage_or_skip("one", "elsewhere", one, sizeof(one));
	stage_or_skip("three", "beside", root, sizeof(root));
	snprintf(dir, sizeof(dir), "%s/var/log/journal/remote", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(from, sizeof(from), "%s" JOURNAL_DIR "/system.journal", one);
	snprintf(to, sizeof(to), "%s/remote-one.journal", dir);
	copy_file(from, to);
	snprintf(to, sizeof(to), "%s/remote-cut.journal", dir);
	copy_file(from, to);
	cut(to);

	struct journal_view v;
	memset(&v, 0, sizeof(v));
	journal_collect(&v, root, MACHINE);
	assert_true(v.read);
	assert_false(v.damaged);
	assert_int_equal(v.n, 4);
	journal_clear(&v);

	memset(&v, 0, sizeof(v));
	journal_collect(&v, root, NULL);
	assert_true(v.read);
	assert_true(v.damaged);
	assert_int_equal(v.n, 5);
	boot(&v, "e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5");
	journal_clear(&v);
}

/* The second boot's clock is ten days behind the first's (an RTC reset by
 * a BIOS update): both are kept, in the journal's own order, by the
 * sequence number of each boot's first entry, not by its clock. */
static void clock_going_backwards(void **state)
{
	(void)state;
	char root[256];
	stage_or_skip("backwards", "backwards", root, sizeof(root));
	struct journal_view v;
	memset(&v, 0, sizeof(v));
	journal_collect(&v, root, NULL);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.boots[0].boot_id, "f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6");
	assert_string_equal(v.boots[0].kernel, "6.1.0-17-amd64");
	assert_string_equal(v.boots[0].kvm_up, "kvm: Nested Virtualization enabled");
	assert_int_equal(v.boots[0].seqnum, 1); /* journald counts from 1 */
	assert_string_equal(v.boots[1].boot_id, "0707070707070707070707070707070a");
	assert_int_equal(v.boots[1].first, T0 - 10 * 86400);
	assert_string_equal(v.boots[1].kernel, "6.1.0-18-amd64");
	assert_true(v.boots[1].seqnum > v.boots[0].seqnum);
	journal_clear(&v);
}

/* A root whose var/log is an absolute link, as on a root with /var/log on
 * a disk of its own: the journal is looked for inside the root, as chroot
 * would, never at the same path on this host. */
static void journal_behind_absolute_link(void **state)
{
	(void)state;
	char real[256], inside[300], outside[300], cmd[1200];
	stage_or_skip("one", "linked", real, sizeof(real));
	snprintf(inside, sizeof(inside), "%s/inside", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	/* inside: ROOT/var/log -> /data/log, the journal at ROOT/data/log;
	 * outside: ROOT/var/log -> this host's path of another root's logs */
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/var' '%s/data' '%s/var' && cp -r '%s/var/log' '%s/data/log' && "
		 "ln -s /data/log '%s/var/log' && ln -s '%s/var/log' '%s/var/log'",
		 inside, inside, outside, real, inside, inside, real, outside);
	assert_int_equal(system(cmd), 0);
	struct journal_view v;
	memset(&v, 0, sizeof(v));
	journal_collect(&v, inside, NULL);
	assert_true(v.read);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.boots[0].kernel, "6.12.9-amd64");
	journal_clear(&v);
	memset(&v, 0, sizeof(v));
	journal_collect(&v, outside, NULL);
	assert_false(v.read);
	assert_int_equal(v.n, 0);
	assert_non_null(strstr(v.unreadable, "no journal in"));
	journal_clear(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(three_boots),
		cmocka_unit_test(one_boot),
		cmocka_unit_test(root_without_journal),
		cmocka_unit_test(permission_denied),
		cmocka_unit_test(corrupt_journal),
		cmocka_unit_test(truncated_journal),
		cmocka_unit_test(other_machines_journal),
		cmocka_unit_test(clock_going_backwards),
		cmocka_unit_test(journal_behind_absolute_link),
	};
	return cmocka_run_group_tests(tests, make_top, remove_top);
}
