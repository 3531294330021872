/* SPDX-License-Identifier: MIT */
/* Reading real BCD stores with hivex, finding them on a partition, and
 * the /proc/mounts parser the live search uses. */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/bcd_find.h"
#include "platform/hive/bcd_hive.h"
#include "platform/linux/linux_live.h"
#include "formats/mounts.h"
#include "probe/bcd.h"

#define STORE "bcd/BAndysc_ASUS-TP300LD-ESP__EFI_Microsoft_Boot_BCD"

static void fixture_path(const char *rel, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", HVPROBE_FIXTURES, rel);
}

static void reads_a_real_store(void **state)
{
	(void)state;
	char path[1024];
	struct bcd_store s = { 0 };
	struct hv_error err = { 0 };
	fixture_path(STORE, path, sizeof(path));
	assert_true(bcd_hive_load(path, FILE_NAMED, &s, &err));
	assert_true(s.read);
	assert_int_equal(s.nobjects, 16);
	assert_int_equal(s.raw_len, 45056);
	assert_memory_equal(s.raw, "regf", 4);

	struct bcd_view v;
	assert_true(bcd_resolve(&s, NULL, &v));
	assert_string_equal(v.entry.id, "{e018a2d0-b134-11ea-95b2-81f0ac71b75b}");
	assert_string_equal(v.entry.description, "Windows 10");
	assert_string_equal(v.entry.loader_path, "\\WINDOWS\\system32\\winload.efi");
	bcd_view_free(&v);
	bcd_store_clear(&s);
}

/* Real Windows PE entries: the default of a recovery store (the one at
 * EFI/Microsoft/Recovery/BCD) and the recovery entry of a boot store. */
static void recognises_real_winpe_entries(void **state)
{
	(void)state;
	char path[1024];
	struct bcd_store s = { 0 };
	struct hv_error err = { 0 };
	struct bcd_view v;
	fixture_path("bcd/F4nnnnn_EFI-OC-ASUSX512JA-SEQUOIA__EFI_Microsoft_Recovery_BCD", path, sizeof(path));
	assert_true(bcd_hive_load(path, FILE_NAMED, &s, &err));
	assert_true(bcd_resolve(&s, NULL, &v));
	assert_string_equal(v.entry.description, "Windows Recovery Environment");
	assert_true(bcd_entry_is_winpe(&v.entry));
	assert_string_equal(v.entry.setting[BCD_SET_WINPE].from, v.entry.id); /* its own element */
	assert_string_equal(v.entry.problem, "entry {d21fda71-b6f7-11f0-a20d-ade39e452242} starts Windows PE "
			    "(winpe, element 26000022), not an installed Windows");
	/* bcdedit's hypervisor debugger defaults, in {hypervisorsettings} */
	assert_int_equal(v.entry.setting[BCD_SET_HV_DEBUG_PORT].number, 1);
	assert_int_equal(v.entry.setting[BCD_SET_HV_BAUDRATE].number, 115200);
	assert_int_equal(v.sequence.count, 0);
	bcd_view_free(&v);
	bcd_store_clear(&s);

	fixture_path(STORE, path, sizeof(path));
	assert_true(bcd_hive_load(path, FILE_NAMED, &s, &err));
	assert_true(bcd_resolve(&s, NULL, &v));
	assert_false(bcd_entry_is_winpe(&v.entry));
	assert_string_equal(v.entry.problem, "");
	assert_true(bcd_resolve(&s, "{e018a2d1-b134-11ea-95b2-81f0ac71b75b}", &v));
	assert_string_equal(v.entry.description, "Windows Recovery Environment");
	assert_true(bcd_entry_is_winpe(&v.entry));
	bcd_view_free(&v);
	bcd_store_clear(&s);
}

/* Copy the first `len` bytes of a fixture (flipping one byte when asked)
 * into a temporary file. */
static void damaged_copy(const char *rel, size_t len, long flip_at, char *out, size_t size)
{
	char path[1024];
	fixture_path(rel, path, sizeof(path));
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	unsigned char *buf = malloc(1 << 20);
	size_t n = fread(buf, 1, 1 << 20, in);
	fclose(in);
	if (len > n)
		len = n;
	if (flip_at >= 0)
		buf[flip_at] ^= 0xFF;
	snprintf(out, size, "/tmp/hvprobe-test-XXXXXX");
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	free(buf);
}

static void refuses_damaged_hives(void **state)
{
	(void)state;
	static const struct {
		size_t len;
		long flip_at;
		const char *message;
	} cases[] = {
		{ 2, -1, "not a registry hive" },
		{ 1000, -1, "truncated registry hive (1000 bytes)" },
		{ 1 << 20, 0, "not a registry hive" },
		{ 4096 + 100, -1, "corrupt registry hive" }, /* header intact, no hive bins */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char tmp[64];
		struct bcd_store s = { 0 };
		struct hv_error err = { 0 };
		damaged_copy(STORE, cases[i].len, cases[i].flip_at, tmp, sizeof(tmp));
		bool ok = bcd_hive_load(tmp, FILE_NAMED, &s, &err);
		unlink(tmp);
		if (ok)
			fail_msg("case %zu: a damaged hive was read", i);
		assert_int_equal(err.status, HV_EDATA);
		if (!strstr(err.msg, cases[i].message) || !strstr(err.msg, tmp))
			fail_msg("case %zu: \"%s\" lacks \"%s\" or the path", i, err.msg, cases[i].message);
		assert_false(s.read);
		assert_null(s.objects);
	}

	struct bcd_store s = { 0 };
	struct hv_error err = { 0 };
	assert_false(bcd_hive_load("/nonexistent/BCD", FILE_NAMED, &s, &err));
	assert_int_equal(err.status, HV_ENOINPUT);
	assert_string_equal(err.msg, "/nonexistent/BCD: No such file or directory");
}

/* A scratch tree that looks like a mounted EFI system partition. */
static void make_esp(const char *root, const char *store_place)
{
	char path[1024], src[1024], cmd[2600];
	snprintf(path, sizeof(path), "%s/%s", root, store_place);
	fixture_path(STORE, src, sizeof(src));
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && cp '%s' '%s'", path, src, path);
	assert_int_equal(system(cmd), 0);
}

static void finds_stores_in_any_case(void **state)
{
	(void)state;
	char root[] = "/tmp/hvprobe-esp-XXXXXX", out[4096], cmd[128];
	int why;
	assert_non_null(mkdtemp(root));
	assert_false(bcd_find_in_partition(root, out, sizeof(out), &why));
	assert_int_equal(why, ENOENT);

	make_esp(root, "Boot/BCD"); /* a BIOS system partition */
	assert_true(bcd_find_in_partition(root, out, sizeof(out), &why));
	assert_true(strstr(out, "/Boot/BCD") != NULL);

	make_esp(root, "efi/MICROSOFT/boot/bcd"); /* UEFI wins over BIOS */
	assert_true(bcd_find_in_partition(root, out, sizeof(out), &why));
	assert_true(strstr(out, "/efi/MICROSOFT/boot/bcd") != NULL);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static bool collect(const struct mount_entry *m, void *ctx)
{
	char *out = ctx;
	strcat(out, m->dir);
	strcat(out, "|");
	strcat(out, m->type);
	strcat(out, ";");
	return true;
}

static void parses_mounts(void **state)
{
	(void)state;
	const char text[] = "/dev/sda1 /boot/efi vfat rw,relatime 0 0\n"
			    "/dev/sdb1 /mnt/win\\040c ntfs3 rw 0 0\n"
			    "garbage\n"
			    "\n"
			    "/dev/sdc1 /odd\\134path\\011tab fuseblk rw 0 0\n"
			    "/dev/sdd1 /bad\\0 vfat rw 0 0\n"
			    "proc /proc proc rw 0 0";
	char got[512] = "";
	mounts_parse(text, sizeof(text) - 1, collect, got);
	assert_string_equal(got, "/boot/efi|vfat;/mnt/win c|ntfs3;/odd\\path\ttab|fuseblk;"
				 "/bad\\0|vfat;/proc|proc;");
	assert_true(mount_may_hold_bcd("vfat"));
	assert_true(mount_may_hold_bcd("ntfs3"));
	assert_false(mount_may_hold_bcd("ext4"));
	assert_false(mount_may_hold_bcd("proc"));
}

static void searches_mounted_partitions(void **state)
{
	(void)state;
	char root[] = "/tmp/hvprobe-esp-XXXXXX", mounts[] = "/tmp/hvprobe-mounts-XXXXXX";
	char cmd[128];
	assert_non_null(mkdtemp(root));
	int fd = mkstemp(mounts);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	fprintf(fp, "/dev/sda2 / ext4 rw 0 0\n/dev/sda1 %s vfat rw 0 0\n", root);
	fclose(fp);

	struct evidence ev;
	evidence_init(&ev);
	bcd_search_mounts(&ev, mounts);
	assert_int_equal(ev.bcd.origin, BCD_ORIGIN_NONE);
	assert_true(strstr(ev.bcd.search, "none holds EFI/Microsoft/Boot/BCD") != NULL);
	assert_true(strstr(ev.bcd.search, root) != NULL);
	evidence_free(&ev);

	make_esp(root, "EFI/Microsoft/Boot/BCD");
	evidence_init(&ev);
	bcd_search_mounts(&ev, mounts);
	assert_int_equal(ev.bcd.origin, BCD_ORIGIN_FOUND);
	assert_true(ev.bcd.read);
	assert_true(strstr(ev.bcd.path, "/EFI/Microsoft/Boot/BCD") != NULL);
	assert_true(strstr(ev.bcd.search, "found") != NULL);
	evidence_free(&ev);

	/* Two partitions with a store: the first is judged, both are told. */
	char second[] = "/tmp/hvprobe-esp-XXXXXX";
	assert_non_null(mkdtemp(second));
	make_esp(second, "Boot/BCD");
	fp = fopen(mounts, "a");
	fprintf(fp, "/dev/sdb1 %s ntfs3 rw 0 0\n", second);
	fclose(fp);
	evidence_init(&ev);
	bcd_search_mounts(&ev, mounts);
	assert_true(strstr(ev.bcd.path, root) == ev.bcd.path);
	assert_true(strstr(ev.bcd.search, "(judged) and ") != NULL);
	assert_true(strstr(ev.bcd.search, second) != NULL);
	evidence_free(&ev);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", second);
	assert_int_equal(system(cmd), 0);

	/* A found store that is not a hive is reported, not fatal. */
	snprintf(cmd, sizeof(cmd), "echo junk > '%s/EFI/Microsoft/Boot/BCD'", root);
	assert_int_equal(system(cmd), 0);
	evidence_init(&ev);
	bcd_search_mounts(&ev, mounts);
	assert_int_equal(ev.bcd.origin, BCD_ORIGIN_FOUND);
	assert_false(ev.bcd.read);
	assert_true(strstr(ev.bcd.unreadable, "not a registry hive") != NULL);
	evidence_free(&ev);

	fp = fopen(mounts, "w");
	fprintf(fp, "/dev/sda2 / ext4 rw 0 0\n");
	fclose(fp);
	evidence_init(&ev);
	bcd_search_mounts(&ev, mounts);
	assert_string_equal(ev.bcd.search, "no FAT or NTFS partition is mounted");
	evidence_free(&ev);

	unlink(mounts);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_real_store),
		cmocka_unit_test(recognises_real_winpe_entries),
		cmocka_unit_test(refuses_damaged_hives),
		cmocka_unit_test(finds_stores_in_any_case),
		cmocka_unit_test(parses_mounts),
		cmocka_unit_test(searches_mounted_partitions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
