/* SPDX-License-Identifier: MIT */
/* The package log and next boot collectors on roots staged here: a Debian
 * root with GRUB, grubenv, modules and a dpkg log in Europe/Berlin time;
 * one with systemd-boot's ESP;
 * a root with nothing; a root whose files cannot be read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "platform/linux/history_files.h"
#include "platform/linux/root_path.h"

#define ZONEINFO "/usr/share/zoneinfo/Europe/Berlin"

static void put(const char *root, const char *rel, const char *text)
{
	char path[1024], cmd[1200];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *stage(void)
{
	char *root = strdup("/tmp/hvprobe-history-XXXXXX");
	assert_non_null(mkdtemp(root));
	return root;
}

static void unstage(char *root)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwX '%s'; rm -rf '%s'", root, root);
	assert_int_equal(system(cmd), 0);
	free(root);
}

static void debian_root(const char *root)
{
	char cmd[1200];
	put(root, "boot/grub/grub.cfg",
	    "if [ \"${next_entry}\" ] ; then\n   set default=\"${next_entry}\"\nelse\n"
	    "   set default=\"0\"\nfi\n"
	    "menuentry 'Debian GNU/Linux' $menuentry_id_option 'gnulinux-simple-1' {\n"
	    "\tlinux\t/vmlinuz-6.1.0-18-amd64 root=UUID=1 ro  quiet\n}\n"
	    "submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-1' {\n"
	    "\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-17-amd64' $menuentry_id_option "
	    "'gnulinux-6.1.0-17-amd64-advanced-1' {\n"
	    "\t\tlinux\t/vmlinuz-6.1.0-17-amd64 root=UUID=1 ro  quiet kvm_amd.nested=0\n\t}\n}\n");
	put(root, "boot/grub/grubenv",
	    "# GRUB Environment Block\nnext_entry=gnulinux-advanced-1>gnulinux-6.1.0-17-amd64-advanced-1\n");
	put(root, "usr/lib/modules/6.1.0-17-amd64/kernel/arch/x86/kvm/kvm.ko", "");
	put(root, "usr/lib/modules/6.1.0-17-amd64/kernel/arch/x86/kvm/kvm-amd.ko.xz", "");
	put(root, "usr/lib/modules/6.1.0-17-amd64/modules.builtin", "kernel/arch/x86/kvm/kvm-intel.ko\n");
	put(root, "usr/lib/modules/6.1.0-18-amd64/modules.builtin", "kernel/fs/ext4/ext4.ko\n");
	/* Debian 12 merges /lib into /usr/lib */
	snprintf(cmd, sizeof(cmd), "ln -s usr/lib '%s/lib'", root);
	assert_int_equal(system(cmd), 0);
	put(root, "etc/modprobe.d/kvm.conf", "options kvm_amd nested=1\n");
	put(root, "usr/lib/modprobe.d/systemd.conf", "options bonding max_bonds=0\nblacklist kvm_intel\n");
	put(root, "var/log/dpkg.log",
	    "2024-01-15 10:22:31 upgrade linux-image-amd64:amd64 6.1.69-1 6.1.76-1\n"
	    "2024-07-15 10:22:31 upgrade amd64-microcode:amd64 3.20230808.1.1~deb12u1 3.20240116.2+nmu1~deb12u1\n");
	put(root, "var/log/apt/history.log",
	    "Start-Date: 2024-01-15  10:22:30\nUpgrade: linux-image-amd64:amd64 (6.1.69-1, 6.1.76-1)\n"
	    "End-Date: 2024-01-15  10:22:50\n");
	put(root, "var/log/dpkg.log.2.gz", "");
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/usr/share/zoneinfo/Europe' && cp " ZONEINFO
		 " '%s/usr/share/zoneinfo/Europe/Berlin' && ln -s /usr/share/zoneinfo/Europe/Berlin '%s/etc/localtime'",
		 root, root, root);
	assert_int_equal(system(cmd), 0);
}

static void test_package_log_berlin(void **state)
{
	(void)state;
	char *root = stage();
	const char *tz = getenv("TZ");
	char *before = tz ? strdup(tz) : NULL;
	debian_root(root);
	struct package_log_view v = { 0 };
	package_log_collect(&v, root);
	assert_true(v.read);
	/* apt's line and dpkg's are one change, kept once */
	assert_int_equal(v.n, 2);
	assert_string_equal(v.items[0].name, "linux-image-amd64");
	/* apt's Start-Date, a second before dpkg's line, is the one kept:
	 * 10:22:30 CET is 09:22:30Z */
	assert_int_equal(v.items[0].time, 1705310550);
	assert_string_equal(v.items[1].name, "amd64-microcode");
	assert_int_equal(v.items[1].time, 1721031751); /* 10:22:31 CEST is 08:22:31Z */
	assert_non_null(strstr(v.source, "/var/log/dpkg.log"));
	assert_non_null(strstr(v.source, "/var/log/apt/history.log"));
	assert_non_null(strstr(v.source, "1 older compressed log not read"));
	/* the process's own zone is back */
	tz = getenv("TZ");
	if (before)
		assert_string_equal(tz, before);
	else
		assert_null(tz);
	free(before);
	package_log_clear(&v);
	unstage(root);
}

static void test_next_boot_debian(void **state)
{
	(void)state;
	char *root = stage();
	debian_root(root);
	struct next_boot_view v = { 0 };
	next_boot_collect(&v, root, "6.1.0-18-amd64");
	assert_true(v.probed);
	assert_true(v.read);
	assert_string_equal(v.loader, "grub");
	assert_non_null(strstr(v.source, "grubenv next_entry"));
	assert_string_equal(v.entry, "Debian GNU/Linux, with Linux 6.1.0-17-amd64");
	assert_string_equal(v.cmdline, "root=UUID=1 ro quiet kvm_amd.nested=0");
	assert_string_equal(v.next.release, "6.1.0-17-amd64");
	assert_int_equal(v.next.tree, TRI_YES);
	assert_int_equal(v.next.kvm, MODULE_FILE);
	assert_int_equal(v.next.kvm_intel, MODULE_BUILTIN);
	assert_int_equal(v.next.kvm_amd, MODULE_FILE);
	assert_string_equal(v.running.release, "6.1.0-18-amd64");
	assert_int_equal(v.running.tree, TRI_YES);
	assert_int_equal(v.running.kvm, MODULE_MISSING);
	assert_int_equal(v.running.kvm_amd, MODULE_MISSING);
	assert_string_equal(v.running_cmdline, ""); /* only live */
	/* lib/modprobe.d is usr/lib/modprobe.d: read once */
	assert_string_equal(v.modprobe, "/etc/modprobe.d/kvm.conf: options kvm_amd nested=1\n"
					"/lib/modprobe.d/systemd.conf: blacklist kvm_intel");
	unstage(root);
}

static void test_nothing_there(void **state)
{
	(void)state;
	char *root = stage();
	struct package_log_view pl = { 0 };
	struct next_boot_view v = { 0 };
	package_log_collect(&pl, root);
	assert_false(pl.read);
	assert_int_equal(pl.n, 0);
	next_boot_collect(&v, root, "6.1.0-18-amd64");
	assert_true(v.probed);
	assert_false(v.read);
	assert_string_not_equal(v.problem, "");
	assert_int_equal(v.next.tree, TRI_UNKNOWN);
	assert_int_equal(v.next.kvm, MODULE_UNKNOWN);
	assert_int_equal(v.running.tree, TRI_NO);
	assert_int_equal(v.running.kvm_intel, MODULE_UNKNOWN);
	assert_string_equal(v.modprobe, "");
	unstage(root);
}

static void test_vmlinuz_link(void **state)
{
	(void)state;
	char *root = stage();
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "ln -s boot/vmlinuz-6.1.0-18-amd64 '%s/vmlinuz'", root);
	assert_int_equal(system(cmd), 0);
	struct next_boot_view v = { 0 };
	next_boot_collect(&v, root, NULL);
	assert_true(v.read);
	assert_string_equal(v.loader, "vmlinuz");
	assert_string_equal(v.next.release, "6.1.0-18-amd64");
	assert_int_equal(v.next.tree, TRI_NO);
	assert_string_equal(v.running.release, "");
	unstage(root);
}

/* Files that cannot be read: a link in place of grub.cfg to a file the
 * root lacks (read inside the root, never the host's /etc/hostname), a
 * directory in place of a log (chmod 000 would not stop
 * root, who runs the tests in CI). */
static void test_unreadable(void **state)
{
	(void)state;
	char *root = stage();
	debian_root(root);
	char cmd[1200];
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && rm boot/grub/grub.cfg var/log/dpkg.log var/log/apt/history.log && "
		 "ln -s /etc/hostname boot/grub/grub.cfg && mkdir var/log/dpkg.log && "
		 "mkfifo var/log/apt/history.log", root);
	assert_int_equal(system(cmd), 0);
	struct package_log_view pl = { 0 };
	struct next_boot_view v = { 0 };
	package_log_collect(&pl, root);
	assert_false(pl.read);
	/* each log says why it was not read */
	assert_non_null(strstr(pl.source, "no package log read"));
	assert_non_null(strstr(pl.source, "/var/log/dpkg.log: not a regular file"));
	assert_non_null(strstr(pl.source, "/var/log/apt/history.log: not a regular file"));
	next_boot_collect(&v, root, "6.1.0-18-amd64");
	assert_false(v.read);
	assert_string_equal(v.loader, "grub");
	assert_non_null(strstr(v.problem, "could not be read"));
	/* the running kernel's modules are still looked at */
	assert_string_equal(v.next.release, "");
	assert_string_equal(v.running.release, "6.1.0-18-amd64");
	assert_int_equal(v.running.tree, TRI_YES);
	unstage(root);
}

static void sh(const char *root, const char *script)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s", root, script);
	assert_int_equal(system(cmd), 0);
}

static void expect_path(const char *root, const char *path, bool follow, const char *want)
{
	char got[4096], full[1024];
	assert_true(root_path(root, path, follow, got, sizeof(got)));
	snprintf(full, sizeof(full), "%s%s", root, want);
	assert_string_equal(got, full);
}

/* Links inside a root are read as chroot would read them. */
static void test_root_path(void **state)
{
	(void)state;
	char *root = stage();
	char got[4096];
	sh(root, "mkdir -p data/log usr/lib etc && ln -s /data/log logs && ln -s usr/lib lib && "
		 "ln -s ../../../../../data etc/up && ln -s loop2 loop1 && ln -s loop1 loop2 && "
		 "ln -s /nowhere/at/all dangling");
	expect_path(root, "/logs/dpkg.log", true, "/data/log/dpkg.log"); /* absolute: from the root */
	expect_path(root, "/lib/modules", true, "/usr/lib/modules");
	expect_path(root, "/etc/up/log", true, "/data/log");      /* ".." stops at the root */
	expect_path(root, "/../../data/./log/", true, "/data/log");
	expect_path(root, "/logs", false, "/logs");               /* the link itself */
	expect_path(root, "/dangling", true, "/nowhere/at/all");  /* fails when opened */
	expect_path(root, "/missing/../x", true, "/x");
	errno = 0;
	assert_false(root_path(root, "/loop1/x", true, got, sizeof(got)));
	assert_int_equal(errno, ELOOP);
	assert_true(root_path("", "/etc/localtime", true, got, sizeof(got))); /* live: as it is */
	assert_string_equal(got, "/etc/localtime");
	unstage(root);
}

/* var/log and boot moved to another file system of the root, by absolute
 * links: read inside the root, never the host's /var/log or /boot. */
static void test_absolute_links_stay_in_root(void **state)
{
	(void)state;
	char *root = stage();
	debian_root(root);
	sh(root, "mkdir -p data && mv var/log data/log && ln -s /data/log var/log && "
		 "mv boot sysboot && ln -s /sysboot boot && mv usr/lib/modules data/modules && "
		 "ln -s /data/modules usr/lib/modules");
	struct package_log_view pl = { 0 };
	package_log_collect(&pl, root);
	assert_true(pl.read);
	assert_int_equal(pl.n, 2);
	char want[1024];
	snprintf(want, sizeof(want), "%s/data/log/dpkg.log", root);
	assert_non_null(strstr(pl.source, want));
	assert_non_null(strstr(pl.source, "1 older compressed log not read"));
	package_log_clear(&pl);
	struct next_boot_view v = { 0 };
	next_boot_collect(&v, root, NULL);
	assert_true(v.read);
	assert_string_equal(v.next.release, "6.1.0-17-amd64");
	assert_int_equal(v.next.tree, TRI_YES);
	assert_int_equal(v.next.kvm_amd, MODULE_FILE);
	unstage(root);
}

/* etc/localtime names a zone the root lacks: said, and read as UTC. */
static void test_zone_missing_in_root(void **state)
{
	(void)state;
	char *root = stage();
	debian_root(root);
	sh(root, "rm -r usr/share/zoneinfo");
	struct package_log_view v = { 0 };
	package_log_collect(&v, root);
	assert_true(v.read);
	assert_non_null(strstr(v.source, "etc/localtime points to /usr/share/zoneinfo/Europe/Berlin, "
					 "which is not in the root: times read as UTC"));
	assert_int_equal(v.items[0].time, 1705314150); /* 10:22:30 read as UTC */
	package_log_clear(&v);
	unstage(root);
}

/* 2024-03-10 02:30 never happened in New York (clocks went from 02:00 EST
 * to 03:00 EDT): that line is skipped, the one after it read. */
static void test_skipped_hour(void **state)
{
	(void)state;
	char *root = stage();
	char cmd[1200];
	put(root, "var/log/dpkg.log",
	    "2024-03-10 02:30:00 upgrade linux-image-amd64:amd64 6.1.69-1 6.1.76-1\n"
	    "2024-03-10 03:30:00 upgrade amd64-microcode:amd64 3.20230808.1.1~deb12u1 3.20240116.2+nmu1~deb12u1\n");
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/usr/share/zoneinfo/America' '%s/etc' && cp "
		 "/usr/share/zoneinfo/America/New_York '%s/usr/share/zoneinfo/America/' && "
		 "ln -s /usr/share/zoneinfo/America/New_York '%s/etc/localtime'", root, root, root,
		 root);
	assert_int_equal(system(cmd), 0);
	struct package_log_view v = { 0 };
	package_log_collect(&v, root);
	assert_int_equal(v.skipped, 1);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.items[0].name, "amd64-microcode");
	assert_int_equal(v.items[0].time, 1710055800); /* 03:30 EDT is 07:30Z */
	package_log_clear(&v);
	unstage(root);
}

/* A dpkg.log past the 64 MiB input limit: its newest 64 MiB are read,
 * from the first whole line in them, and the source says so. */
static void test_huge_dpkg_log(void **state)
{
	(void)state;
	char *root = stage();
	char path[1024];
	put(root, "var/log/dpkg.log",
	    "2023-01-01 10:00:00 upgrade intel-microcode:amd64 3.20221108.1 3.20230214.1\n");
	snprintf(path, sizeof(path), "%s/var/log/dpkg.log", root);
	assert_int_equal(truncate(path, 65l << 20), 0); /* a hole of zeros */
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs("\n2024-01-15 10:22:31 upgrade linux-image-amd64:amd64 6.1.69-1 6.1.76-1\n", f);
	fclose(f);
	struct package_log_view v = { 0 };
	package_log_collect(&v, root);
	assert_true(v.read);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.items[0].name, "linux-image-amd64");
	assert_int_equal(v.skipped, 0);
	assert_non_null(strstr(v.source, "dpkg.log: over 64 MiB, its last 64 MiB read"));
	package_log_clear(&v);
	unstage(root);
}

#define MID "eda48f1b144f40bb851790fd4f7e0c5b"

/* An ESP at boot/efi as Debian 12's systemd-boot and kernel-install
 * (90-loaderentry.install) fill it: loader.conf, MACHINE-ID-RELEASE.conf
 * entries with sort-key debian, the images under MACHINE-ID/RELEASE/. */
static void sdboot_root(const char *root)
{
	static const char *const releases[] = { "6.1.0-17-amd64", "6.1.0-18-amd64" };
	char rel[256], text[1024];
	put(root, "boot/efi/loader/loader.conf", "timeout 3\ndefault " MID "-*\n");
	for (size_t i = 0; i < 2; i++) {
		snprintf(rel, sizeof(rel), "boot/efi/loader/entries/" MID "-%s.conf", releases[i]);
		snprintf(text, sizeof(text),
			 "title      Debian GNU/Linux 12 (bookworm)\nversion    %s\nmachine-id " MID "\n"
			 "sort-key   debian\noptions    root=UUID=2fa0 rw quiet\n"
			 "linux      /" MID "/%s/linux\ninitrd     /" MID "/%s/initrd.img-%s\n",
			 releases[i], releases[i], releases[i], releases[i]);
		put(root, rel, text);
		snprintf(rel, sizeof(rel), "boot/efi/" MID "/%s/linux", releases[i]);
		put(root, rel, "MZ");
	}
	put(root, "lib/modules/6.1.0-18-amd64/kernel/arch/x86/kvm/kvm.ko", "");
	put(root, "lib/modules/6.1.0-18-amd64/kernel/arch/x86/kvm/kvm-intel.ko.xz", "");
	put(root, "lib/modules/6.1.0-18-amd64/modules.builtin", "kernel/fs/ext4/ext4.ko\n");
}

/* The newest of the machine's entries (sort-key, machine-id, version),
 * its modules there; then its image gone, so systemd-boot would skip it,
 * and the one left has no modules. */
static void test_next_boot_systemd_boot(void **state)
{
	(void)state;
	char *root = stage();
	char path[1024];
	sdboot_root(root);
	struct next_boot_view v = { 0 };
	next_boot_collect(&v, root, NULL);
	assert_true(v.read);
	assert_string_equal(v.loader, "systemd-boot");
	assert_string_equal(v.problem, "");
	assert_non_null(strstr(v.source, "/boot/efi/loader/loader.conf"));
	assert_non_null(strstr(v.source, "chosen by loader.conf default"));
	assert_string_equal(v.entry, "Debian GNU/Linux 12 (bookworm) (6.1.0-18-amd64)");
	assert_string_equal(v.cmdline, "root=UUID=2fa0 rw quiet");
	assert_string_equal(v.next.release, "6.1.0-18-amd64");
	assert_int_equal(v.next.tree, TRI_YES);
	assert_int_equal(v.next.kvm, MODULE_FILE);
	assert_int_equal(v.next.kvm_intel, MODULE_FILE);
	assert_int_equal(v.next.kvm_amd, MODULE_MISSING);
	snprintf(path, sizeof(path), "%s/boot/efi/" MID "/6.1.0-18-amd64/linux", root);
	assert_int_equal(unlink(path), 0);
	memset(&v, 0, sizeof(v));
	next_boot_collect(&v, root, NULL);
	assert_true(v.read);
	assert_string_equal(v.next.release, "6.1.0-17-amd64");
	assert_int_equal(v.next.tree, TRI_NO);
	unstage(root);
}

/* GRUB and systemd-boot both installed: offline GRUB is read, and
 * source says systemd-boot's files were there too. */
static void test_next_boot_grub_and_systemd_boot(void **state)
{
	(void)state;
	char *root = stage();
	debian_root(root);
	sdboot_root(root);
	struct next_boot_view v = { 0 };
	next_boot_collect(&v, root, NULL);
	assert_string_equal(v.loader, "grub");
	assert_non_null(strstr(v.source, "systemd-boot's loader/ is there too: GRUB read first (offline)"));
	unstage(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package_log_berlin),
		cmocka_unit_test(test_next_boot_debian),
		cmocka_unit_test(test_next_boot_systemd_boot),
		cmocka_unit_test(test_next_boot_grub_and_systemd_boot),
		cmocka_unit_test(test_nothing_there),
		cmocka_unit_test(test_vmlinuz_link),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_root_path),
		cmocka_unit_test(test_absolute_links_stay_in_root),
		cmocka_unit_test(test_zone_missing_in_root),
		cmocka_unit_test(test_skipped_hour),
		cmocka_unit_test(test_huge_dpkg_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
