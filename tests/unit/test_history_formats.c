/* SPDX-License-Identifier: MIT */
/* The package log and boot loader parsers, on real logs and a real
 * grub.cfg, systemd's loader.conf and Boot Loader Specification entry
 * examples (tests/fixtures/linux, sources in tests/fixtures/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/bootloader.h"
#include "formats/dpkg.h"
#include "formats/pkglog.h"
#include "probe/utc.h"

#define GRUB_CFG "linux/AXDOOMER_my-linux-config__boot_grub_grub.cfg"
#define RECOVERY_TITLE "Debian GNU/Linux, with Linux 4.9.0-3-amd64 (recovery mode)"
#define UUID "3378f75a-e05c-4372-88dd-b98c02822c90"

static char *fixture(const char *rel, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", HVPROBE_FIXTURES, rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* A grubenv as grub-editenv writes it: 1024 bytes, padded with '#'. */
static void grubenv(char out[1025], const char *vars)
{
	int n = snprintf(out, 1025, "# GRUB Environment Block\n%s", vars);
	memset(out + n, '#', 1024 - (size_t)n);
	out[1024] = '\0';
}

/* The fields of a change that are given (NULL: not checked). */
static void assert_change(const struct package_change *c, const char *action, const char *name,
			  const char *from, const char *to)
{
	const char *want[] = { action, name, from, to };
	const char *got[] = { c->action, c->name, c->from, c->to };
	for (size_t i = 0; i < 4; i++)
		if (want[i])
			assert_string_equal(got[i], want[i]);
}

/* UTC itself, counting the calls in *ctx. */
static bool count_utc(void *ctx, int y, int mo, int d, int h, int mi, int s, int64_t *utc)
{
	(*(int *)ctx)++;
	char iso[32];
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
	return utc_parse(iso, utc);
}

static void test_dpkg_log_real(void **state)
{
	(void)state;
	struct package_log_view v = { 0 };
	size_t len;
	char *text = fixture("linux/superuser_38717_dpkg.log", &len);
	assert_true(dpkg_log_parse(text, len, NULL, NULL, &v));
	/* only the kernel and the microcode matter (formats/dpkg.h) */
	assert_int_equal(v.n, 2);
	assert_int_equal(v.skipped, 0);
	assert_change(&v.items[0], "upgrade", "linux-image-amd64", "4.3+70", "4.4+71");
	assert_int_equal(v.items[0].time, 1458493136);
	assert_string_equal(v.items[1].name, "amd64-microcode");
	assert_int_equal(v.items[1].time, 1458493143);
	package_log_clear(&v);
	/* local time is converted for the lines kept only, not for each of
	 * the log's lines (half a live run's work when it was) */
	int conversions = 0;
	assert_true(dpkg_log_parse(text, len, count_utc, &conversions, &v));
	assert_int_equal(v.n, 2);
	assert_int_equal(conversions, 2);
	package_log_clear(&v);
	free(text);

	/* conffile, startup and status lines are not changes, nor skipped */
	text = fixture("linux/plaso_dpkg.log", &len);
	assert_true(dpkg_log_parse(text, len, NULL, NULL, &v));
	assert_int_equal(v.n, 0);
	assert_int_equal(v.skipped, 0);
	package_log_clear(&v);
	free(text);
}

static void test_dpkg_log_forms(void **state)
{
	(void)state;
	static const char log[] =
		"2024-01-15 10:22:31 install linux-image-6.1.0-18-amd64:amd64 <none> 6.1.76-1\n"
		"2024-01-15 10:22:31 status half-installed linux-image-6.1.0-18-amd64:amd64 6.1.76-1\n"
		"2024-01-15 10:22:40 configure linux-image-6.1.0-18-amd64:amd64 6.1.76-1 <none>\n"
		"2024-01-15 10:22:41 trigproc initramfs-tools:all 0.142 <none>\n"
		"2024-02-01 08:00:00 remove linux-image-6.1.0-15-amd64:amd64 6.1.66-1 <none>\n"
		"2024-02-01 08:00:01 purge linux-image-6.1.0-15-amd64:amd64 6.1.66-1 <none>\n"
		"\n"
		"2024-02-01 08:00:02 upgrade linux-image-amd64\n"  /* cut short */
		"2024-13-01 08:00:02 upgrade qemu-system-x86 1 2\n" /* no 13th month */
		"garbage\n"
		"2024-02-01 08:00:02 explode qemu-system-x86 1 2"; /* no such action, no newline */
	struct package_log_view v = { 0 };
	assert_true(dpkg_log_parse(log, strlen(log), NULL, NULL, &v));
	assert_int_equal(v.n, 3);
	assert_int_equal(v.skipped, 4);
	assert_change(&v.items[0], NULL, "linux-image-6.1.0-18-amd64", "", "6.1.76-1");
	assert_change(&v.items[1], "remove", NULL, "6.1.66-1", "");
	assert_string_equal(v.items[2].action, "purge");
	package_log_clear(&v);
}

static void test_apt_history_real(void **state)
{
	(void)state;
	struct package_log_view v = { 0 };
	size_t len;
	char *text = fixture("linux/plaso_apt_history.log", &len);
	assert_true(apt_history_parse(text, len, NULL, NULL, &v));
	assert_int_equal(v.skipped, 0);
	assert_int_equal(v.n, 2);
	/* ", automatic" is not a version */
	assert_change(&v.items[0], "install", "linux-image-4.9.0-9-amd64", "", "4.9.168-1+deb9u3");
	assert_int_equal(v.items[0].time, 1562776692);	       /* the entry's Start-Date */
	assert_string_equal(v.items[1].name, "linux-image-amd64");
	assert_string_equal(v.items[1].to, "4.9+80+deb9u7");
	package_log_clear(&v);
	free(text);
}

/* A zone one hour east of UTC, and no 02:30 on its spring-forward day. */
static bool plus_one(void *ctx, int y, int mo, int d, int h, int mi, int s, int64_t *utc)
{
	(*(int *)ctx)++;
	if (y == 2024 && mo == 3 && d == 31 && h == 2)
		return false;
	*utc = 1705310551 - 3600 + ((h - 10) * 60 + (mi - 22)) * 60 + (s - 31) + (d - 15) * 86400;
	(void)mo;
	return true;
}

static void test_apt_history_forms(void **state)
{
	(void)state;
	static const char log[] =
		"Start-Date: 2024-01-15  10:22:31\n"
		"Commandline: apt-get dist-upgrade\n"
		"Requested-By: admin (1000)\n"
		"Upgrade: qemu-system-x86:amd64 (1:7.2+dfsg-7+deb12u3, 1:7.2+dfsg-7+deb12u5), "
		"intel-microcode:amd64 (3.20231114.1~deb12u1, 3.20240312.1~deb12u1)\n"
		"Downgrade: ovmf:all (2022.11-6+deb12u1, 2022.11-6)\n"
		"Remove: linux-image-6.1.0-15-amd64:amd64 (6.1.66-1)\n"
		"Purge: xen-hypervisor-4.17-amd64:amd64 (4.17.3+10-g091466ba55-1~deb12u1)\n"
		"Reinstall: amd64-microcode:amd64 (3.20230808.1.1~deb12u1)\n"
		"End-Date: 2024-01-15  10:23:00\n"
		"\n"
		"Install: linux-image-6.1.0-20-amd64:amd64 (6.1.85-1)\n" /* no Start-Date */
		"\n"
		"Start-Date: 2024-03-31  02:30:00\n" /* a local time that never was */
		"Install: linux-image-6.1.0-20-amd64:amd64 (6.1.85-1)\n"
		"\n"
		"Start-Date: 2024-01-16  10:22:31\n"
		"Install: qemu-system-x86:amd64 (1:7.2+dfsg-7, automatic), libvirt-daemon:amd64 (9.0.0-4\n"
		"stray line\n";
	struct package_log_view v = { 0 };
	int calls = 0;
	assert_true(apt_history_parse(log, strlen(log), plus_one, &calls, &v));
	assert_int_equal(calls, 3);
	assert_int_equal(v.n, 7);
	assert_change(&v.items[0], "upgrade", "qemu-system-x86", "1:7.2+dfsg-7+deb12u3",
		      "1:7.2+dfsg-7+deb12u5");
	assert_int_equal(v.items[0].time, 1705310551 - 3600);
	assert_string_equal(v.items[2].action, "downgrade");
	assert_string_equal(v.items[2].to, "2022.11-6");
	assert_change(&v.items[3], "remove", NULL, "6.1.66-1", "");
	assert_string_equal(v.items[4].action, "purge");
	assert_string_equal(v.items[5].action, "reinstall");
	assert_string_equal(v.items[6].name, "qemu-system-x86");
	assert_int_equal(v.items[6].time, 1705310551 - 3600 + 86400);
	/* the Install without a Start-Date, the time that never was and the
	 * Install it would time, the unclosed "(", the stray line */
	assert_int_equal(v.skipped, 5);
	package_log_clear(&v);
}

static void test_package_logs_hostile(void **state)
{
	(void)state;
	static const char bits[] = "2024-01-15 10:22:31 upgrade linux-image-amd64:amd64 1 2\n"
				   "Start-Date: 2024-01-15  10:22:31\nUpgrade: linux-image-amd64 (1, 2)\n"
				   "Install: x (\0) ,,, (((\n\n\n";
	for (size_t n = 0; n <= sizeof(bits) - 1; n++) {
		struct package_log_view v = { 0 };
		assert_true(dpkg_log_parse(bits, n, NULL, NULL, &v));
		assert_true(apt_history_parse(bits, n, NULL, NULL, &v));
		assert_true(v.n <= 2);
		package_log_clear(&v);
	}
}

/* Firmware is among the suspects: the devices' firmware packages and
 * fwupd, which has the BIOS updated at the next boot. */
static void test_firmware_packages_matter(void **state)
{
	(void)state;
	static const char log[] =
		"2024-01-01 10:00:12 upgrade firmware-misc-nonfree:all 20230210-5 20230210-5~bpo\n"
		"2024-01-01 10:00:13 upgrade fwupd:amd64 1.8.12-1 1.8.14-1\n"
		"2024-01-01 10:00:14 upgrade fwupd-amd64-signed:amd64 1.8.12+1 1.8.14+1\n"
		"2024-01-01 10:00:15 upgrade fwupd-doc:all 1.8.12-1 1.8.14-1\n";
	struct package_log_view v = { 0 };
	assert_true(dpkg_package_matters("firmware-linux-nonfree"));
	assert_true(dpkg_package_matters("firmware-misc-nonfree"));
	assert_true(dpkg_package_matters("fwupd"));
	assert_false(dpkg_package_matters("fwupd-doc"));
	assert_false(dpkg_package_matters("libfwupd2"));
	assert_true(dpkg_log_parse(log, sizeof(log) - 1, NULL, NULL, &v));
	assert_int_equal(v.n, 3);
	assert_string_equal(v.items[0].name, "firmware-misc-nonfree");
	assert_string_equal(v.items[1].name, "fwupd");
	assert_string_equal(v.items[2].name, "fwupd-amd64-signed");
	package_log_clear(&v);
}

static void next_boot(const char *cfg, size_t len, const char *env_vars, struct next_boot_view *nb)
{
	char env[1025];
	memset(nb, 0, sizeof(*nb));
	grubenv(env, env_vars);
	grub_next_entry(cfg, len, env, strlen(env), nb);
}

static void test_grub_real_default(void **state)
{
	(void)state;
	struct next_boot_view nb;
	size_t len;
	char *cfg = fixture(GRUB_CFG, &len);
	next_boot(cfg, len, "", &nb);
	assert_true(nb.read);
	assert_string_equal(nb.problem, "");
	assert_string_equal(nb.loader, "grub");
	assert_string_equal(nb.source, "default");
	assert_string_equal(nb.entry, "Debian GNU/Linux");
	assert_string_equal(nb.next.release, "4.9.0-3-amd64");
	assert_string_equal(nb.cmdline, "root=/dev/mapper/debian--vg-root ro quiet");

	/* saved_entry alone does not count: this grub.cfg says default="0" */
	next_boot(cfg, len, "saved_entry=1>1\n", &nb);
	assert_string_equal(nb.entry, "Debian GNU/Linux");
	free(cfg);
}

static void test_grub_next_entry(void **state)
{
	(void)state;
	static const char *const ways[] = {
		"next_entry=1>1\n",
		"next_entry=Advanced options for Debian GNU/Linux>" RECOVERY_TITLE "\n",
		"next_entry=gnulinux-advanced-" UUID ">gnulinux-4.9.0-3-amd64-recovery-" UUID "\n",
		"saved_entry=0\nnext_entry=1>1\n",
	};
	struct next_boot_view nb;
	size_t len;
	char *cfg = fixture(GRUB_CFG, &len);
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		next_boot(cfg, len, ways[i], &nb);
		assert_true(nb.read);
		assert_string_equal(nb.source, "next_entry");
		assert_string_equal(nb.entry, RECOVERY_TITLE);
		assert_string_equal(nb.cmdline, "root=/dev/mapper/debian--vg-root ro single");
		assert_string_equal(nb.next.release, "4.9.0-3-amd64");
	}
	/* GRUB boots a menu's first entry when the default names none */
	next_boot(cfg, len, "next_entry=Debian GNU/Linux, with Linux 9.9\n", &nb);
	assert_string_equal(nb.entry, "Debian GNU/Linux");
	/* a bare id of a submenu's entry is not found at the top */
	next_boot(cfg, len, "next_entry=gnulinux-4.9.0-3-amd64-recovery-" UUID "\n", &nb);
	assert_string_equal(nb.entry, "Debian GNU/Linux");
	/* a submenu waits for a choice */
	next_boot(cfg, len, "next_entry=1\n", &nb);
	assert_false(nb.read);
	assert_string_not_equal(nb.problem, "");
	free(cfg);
}

/* The same grub.cfg as 00_header writes it for GRUB_DEFAULT=saved. */
static void test_grub_saved_entry(void **state)
{
	(void)state;
	struct next_boot_view nb;
	size_t len;
	char *cfg = fixture(GRUB_CFG, &len);
	char *at = strstr(cfg, "set default=\"0\"");
	assert_non_null(at);
	char *saved = malloc(len + 32);
	size_t head = (size_t)(at - cfg);
	int n = snprintf(saved, len + 32, "%.*sset default=\"${saved_entry}\"%s", (int)head, cfg,
			 at + strlen("set default=\"0\""));
	next_boot(saved, (size_t)n, "saved_entry=gnulinux-advanced-" UUID ">" RECOVERY_TITLE "\n",
		  &nb);
	assert_true(nb.read);
	assert_string_equal(nb.source, "saved_entry");
	assert_string_equal(nb.entry, RECOVERY_TITLE);
	/* none saved yet: the first entry */
	next_boot(saved, (size_t)n, "", &nb);
	assert_string_equal(nb.entry, "Debian GNU/Linux");
	free(saved);
	free(cfg);
}

static void test_grub_cannot_tell(void **state)
{
	(void)state;
	static const char *const cfgs[] = {
		"set default=\"${my_choice}\"\nmenuentry 'a' {\n\tlinux /vmlinuz-6.1.0-18-amd64 ro\n}\n",
		"set default=0\n",
		"menuentry 'UEFI Firmware Settings' $menuentry_id_option 'uefi-firmware' {\n\tfwsetup\n}\n",
		"menuentry 'a' {\n\tlinux /boot/bzImage ro\n}\n",
	};
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		struct next_boot_view nb;
		next_boot(cfgs[i], strlen(cfgs[i]), "", &nb);
		assert_string_not_equal(nb.problem, "");
	}
	/* /boot/vmlinuz-..., quoted words, an id by --id */
	static const char cfg[] =
		"set default='x'\nmenuentry \"It's \\\"B\\\"\" --id x {\n"
		"  linux (hd0,gpt2)/boot/vmlinuz-6.1.0-18-amd64 root=UUID=1 \"quoted arg\" ro\n}\n";
	struct next_boot_view nb;
	next_boot(cfg, strlen(cfg), "", &nb);
	assert_true(nb.read);
	assert_string_equal(nb.entry, "It's \"B\"");
	assert_string_equal(nb.next.release, "6.1.0-18-amd64");
	assert_string_equal(nb.cmdline, "root=UUID=1 quoted arg ro");
}

static void test_grub_hostile(void **state)
{
	(void)state;
	size_t len;
	char *cfg = fixture(GRUB_CFG, &len);
	/* every truncation of the real file, and braces that never close */
	for (size_t n = 0; n <= len; n += 7) {
		struct next_boot_view nb;
		next_boot(cfg, n, "next_entry=1>1", &nb);
	}
	char deep[4096];
	size_t o = 0;
	while (o + 40 < sizeof(deep))
		o += (size_t)snprintf(deep + o, sizeof(deep) - o, "submenu 'x' {\nmenuentry '' {\n");
	struct next_boot_view nb;
	next_boot(deep, o, "next_entry=0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0>0", &nb);
	assert_false(nb.read);
	grub_next_entry("menuentry '", 11, NULL, 0, &nb);
	/* more entries than a grub.cfg holds: the default may be in the part
	 * not read, so it is not guessed from the part read */
	size_t size = 1100 * 64 + 64;
	char *many = malloc(size);
	assert_non_null(many);
	o = (size_t)snprintf(many, size, "set default=\"1050\"\n");
	for (int i = 0; i < 1100; i++)
		o += (size_t)snprintf(many + o, size - o, "menuentry 'e%d' {\n\tlinux /vmlinuz-6.1.%d\n}\n", i, i);
	grub_next_entry(many, o, NULL, 0, &nb);
	assert_false(nb.read);
	assert_non_null(strstr(nb.problem, "grub.cfg was not read whole"));
	free(many);
	free(cfg);
}

static void test_kernel_release_of_image(void **state)
{
	(void)state;
	char r[72];
	assert_true(kernel_release_of_image("vmlinuz-6.1.0-18-amd64", r, sizeof(r)));
	assert_string_equal(r, "6.1.0-18-amd64");
	assert_true(kernel_release_of_image("/boot/vmlinuz-6.12.100+deb13-amd64", r, sizeof(r)));
	assert_string_equal(r, "6.12.100+deb13-amd64");
	assert_false(kernel_release_of_image("/boot/bzImage", r, sizeof(r)));
	assert_false(kernel_release_of_image("/vmlinuz-", r, sizeof(r)));
	assert_false(kernel_release_of_image("/vmlinuz-6.1 x", r, sizeof(r)));
	assert_false(kernel_release_of_image("vmlinuz-6.1.0-18-amd64", r, 8));
}

static void test_modules_builtin(void **state)
{
	(void)state;
	static const char builtin[] = "kernel/arch/x86/events/amd/ibs.ko\n"
				      "kernel/arch/x86/kvm/kvm.ko\n"
				      "kernel/arch/x86/kvm/kvm-intel.ko\n"
				      "kernel/drivers/kvm-amd.kox\n";
	struct kernel_modules m = { .kvm = MODULE_UNKNOWN, .kvm_amd = MODULE_UNKNOWN };
	modules_builtin_scan(builtin, strlen(builtin), &m);
	assert_int_equal(m.kvm, MODULE_BUILTIN);
	assert_int_equal(m.kvm_intel, MODULE_BUILTIN);
	assert_int_equal(m.kvm_amd, MODULE_UNKNOWN);
	/* the same test serves /dev/kvm's view of the running kernel (kvm_pvm) */
	assert_true(modules_builtin_lists(builtin, strlen(builtin), "ibs.ko"));
	assert_false(modules_builtin_lists(builtin, strlen(builtin), "kvm-amd.ko"));
	assert_false(modules_builtin_lists(builtin, strlen(builtin), "intel.ko"));
}

static void test_modprobe_lines(void **state)
{
	(void)state;
	static const char conf[] = "# blacklist kvm_amd\n"
				   "options kvm_intel nested=1\n"
				   "blacklist kvm-amd\n"
				   "options kvmgt enable=1\n"
				   "install kvm /bin/false\n"
				   "softdep snd pre: kvm_amd\n";
	char out[256] = "";
	modprobe_kvm_lines("/etc/modprobe.d/kvm.conf", conf, strlen(conf), out, sizeof(out));
	assert_string_equal(out, "/etc/modprobe.d/kvm.conf: options kvm_intel nested=1\n"
				 "/etc/modprobe.d/kvm.conf: blacklist kvm-amd\n"
				 "/etc/modprobe.d/kvm.conf: install kvm /bin/false\n"
				 "/etc/modprobe.d/kvm.conf: softdep snd pre: kvm_amd");
	/* appended to what is there; a line that does not fit is left out */
	char small[80] = "";
	modprobe_kvm_lines("a.conf", conf, strlen(conf), small, sizeof(small));
	modprobe_kvm_lines("b.conf", conf, strlen(conf), small, sizeof(small));
	assert_string_equal(small, "a.conf: options kvm_intel nested=1\na.conf: blacklist kvm-amd");
}

/* ---- systemd-boot ---- */

#define SD_CONF "linux/systemd_man_loader.conf.xml_example_loader.conf"
#define SD_SPEC "linux/systemd_BOOT_LOADER_SPECIFICATION_6a9857a393724b7a981ebb5b8495b9ea-3.8.0-2.fc19.x86_64.conf"
#define SD_SPEC_NAME "6a9857a393724b7a981ebb5b8495b9ea-3.8.0-2.fc19.x86_64.conf"
#define SD_MID "01234567890abcdef1234567890abdf0"

/* The spec's entry as kernel-install would write it for another machine
 * and release: the real file with its version and image changed. */
static char *spec_entry_for(const char *release, size_t *len)
{
	size_t n;
	char *spec = fixture(SD_SPEC, &n);
	char *out = malloc(n + 512);
	assert_non_null(out);
	char *v = strstr(spec, "3.8.0-2.fc19.x86_64\nmachine-id");
	assert_non_null(v);
	*v = '\0';
	*len = (size_t)snprintf(out, n + 512, "%s%s\nmachine-id   %s\nlinux        /%s/%s/linux\n", spec,
				release, SD_MID, SD_MID, release);
	free(spec);
	return out;
}

static bool none_exist(void *ctx, const void *where, const char *path)
{
	(void)where, (void)path;
	return ctx != NULL;
}

/* The real loader.conf's glob names entries of machine SD_MID: of the
 * two, the newer release by id (no sort-key); without a match, the
 * first entry of the list. */
static void test_sdboot_default_glob(void **state)
{
	(void)state;
	size_t clen, slen, l17, l18;
	char *conf = fixture(SD_CONF, &clen), *spec = fixture(SD_SPEC, &slen);
	char *e17 = spec_entry_for("6.1.0-17-amd64", &l17), *e18 = spec_entry_for("6.1.0-18-amd64", &l18);
	struct sdboot_file files[] = {
		{ SD_SPEC_NAME, spec, slen, NULL },
		{ SD_MID "-6.1.0-17-amd64.conf", e17, l17, NULL },
		{ SD_MID "-6.1.0-18-amd64.conf", e18, l18, NULL },
	};
	struct next_boot_view nb = { 0 };
	assert_true(sdboot_next_entry(conf, clen, files, 1, NULL, NULL, NULL, &nb));
	assert_string_equal(nb.loader, "systemd-boot");
	assert_string_equal(nb.source, "first entry (EFI variables not read offline)");
	assert_string_equal(nb.entry, "Fedora 19 (Rawhide) (3.8.0-2.fc19.x86_64)");
	assert_string_equal(nb.cmdline, "root=UUID=6d3376e4-fc93-4509-95ec-a21d68011da2");
	assert_string_equal(nb.next.release, "3.8.0-2.fc19.x86_64");
	memset(&nb, 0, sizeof(nb));
	assert_true(sdboot_next_entry(conf, clen, files, 3, NULL, NULL, NULL, &nb));
	assert_string_equal(nb.source, "loader.conf default (EFI variables not read offline)");
	assert_string_equal(nb.next.release, "6.1.0-18-amd64");
	assert_string_equal(nb.entry, "Fedora 19 (Rawhide) (6.1.0-18-amd64)");
	free(conf), free(spec), free(e17), free(e18);
}

/* LoaderEntryOneShot over LoaderEntryDefault over loader.conf; names match
 * in any case (boot.c folds both); "@saved" reads LoaderEntryLastBooted. */
static void test_sdboot_variables(void **state)
{
	(void)state;
	size_t clen, slen, l17, l18;
	char *conf = fixture(SD_CONF, &clen), *spec = fixture(SD_SPEC, &slen);
	char *e17 = spec_entry_for("6.1.0-17-amd64", &l17), *e18 = spec_entry_for("6.1.0-18-amd64", &l18);
	struct sdboot_file files[] = {
		{ SD_SPEC_NAME, spec, slen, NULL },
		{ SD_MID "-6.1.0-17-amd64.conf", e17, l17, NULL },
		{ SD_MID "-6.1.0-18-amd64.conf", e18, l18, NULL },
	};
	struct sdboot_vars vars = { .oneshot = SD_MID "-6.1.0-17-AMD64.conf", .deflt = "6a98*" };
	struct next_boot_view nb = { 0 };
	assert_true(sdboot_next_entry(conf, clen, files, 3, &vars, NULL, NULL, &nb));
	assert_string_equal(nb.source, "LoaderEntryOneShot");
	assert_string_equal(nb.next.release, "6.1.0-17-amd64");
	vars.oneshot = "gone.conf"; /* an entry since removed: the next rule */
	assert_true(sdboot_next_entry(conf, clen, files, 3, &vars, NULL, NULL, &nb));
	assert_string_equal(nb.source, "LoaderEntryDefault");
	assert_string_equal(nb.next.release, "3.8.0-2.fc19.x86_64");
	vars = (struct sdboot_vars){ .deflt = "@saved", .saved = SD_MID "-6.1.0-17-amd64.conf" };
	assert_true(sdboot_next_entry(conf, clen, files, 3, &vars, NULL, NULL, &nb));
	assert_string_equal(nb.source, "LoaderEntryLastBooted");
	assert_string_equal(nb.next.release, "6.1.0-17-amd64");
	/* offline (no variables): "@saved" in loader.conf cannot be decided,
	 * and "@SAVED" is no saved entry (boot.c compares it exactly) */
	static const char saved_conf[] = "timeout 3\ndefault @saved\n";
	memset(&nb, 0, sizeof(nb));
	assert_false(sdboot_next_entry(saved_conf, sizeof(saved_conf) - 1, files, 3, NULL, NULL, NULL, &nb));
	assert_false(nb.read);
	assert_non_null(strstr(nb.problem, "LoaderEntryLastBooted"));
	static const char upper_conf[] = "default @SAVED\n";
	memset(&nb, 0, sizeof(nb));
	assert_true(sdboot_next_entry(upper_conf, sizeof(upper_conf) - 1, files, 3, NULL, NULL, NULL, &nb));
	assert_string_equal(nb.source, "first entry (EFI variables not read offline)");
	free(conf), free(spec), free(e17), free(e18);
}

static const char *sdboot_pick(const struct sdboot_file *files, size_t n, struct next_boot_view *nb)
{
	memset(nb, 0, sizeof(*nb));
	sdboot_next_entry(NULL, 0, files, n, NULL, NULL, NULL, nb);
	return nb->next.release;
}

/* boot.c config_entry_compare: sort-key entries first, by sort-key,
 * machine-id, newest version (6.1.0-10 after 6.1.0-9 by strverscmp, not
 * strcmp); old-style by id, newest first; no tries left goes last. */
static void test_sdboot_sorting(void **state)
{
	(void)state;
	struct next_boot_view nb;
	const char *k9 = "sort-key debian\nmachine-id a\nversion 6.1.0-9-amd64\nlinux /a/9/linux\n";
	const char *k10 = "sort-key debian\nmachine-id a\nversion 6.1.0-10-amd64\nlinux /a/10/linux\n";
	const char *b = "sort-key arch\nmachine-id z\nversion 5.1\nlinux /z/linux\n";
	const char *old = "version 9.9\nlinux /x/linux\n";
	struct sdboot_file files[] = {
		{ "zz.conf", old, strlen(old), NULL },
		{ "a-9.conf", k9, strlen(k9), NULL },
		{ "a-10.conf", k10, strlen(k10), NULL },
	};
	assert_string_equal(sdboot_pick(files, 3, &nb), "6.1.0-10-amd64");
	assert_string_equal(nb.source, "first entry (EFI variables not read offline)");
	struct sdboot_file keyed[] = { files[1], { "b.conf", b, strlen(b), NULL } };
	assert_string_equal(sdboot_pick(keyed, 2, &nb), "5.1"); /* "arch" < "debian" */
	/* old-style only: by id, newest first; a counter of 0 tries sorts last */
	const char *v1 = "version 1\nlinux /l\n", *v2 = "version 2\nlinux /l\n";
	struct sdboot_file ids[] = { { "deb-6.1.0-9.conf", v1, 4 + 6, NULL },
				     { "deb-6.1.0-10+0-3.conf", v2, strlen(v2), NULL },
				     { "deb-6.1.0-8.conf", v2, strlen(v2), NULL } };
	ids[0].len = strlen(v1);
	assert_string_equal(sdboot_pick(ids, 3, &nb), "1");
	ids[1].name = "deb-6.1.0-10+1-3.conf";
	assert_string_equal(sdboot_pick(ids, 3, &nb), "2");
}

/* Several options lines join with one blank; quotes go; the release falls
 * back to a vmlinuz image name, then to MACHINE-ID-RELEASE.conf. */
static void test_sdboot_fields(void **state)
{
	(void)state;
	struct next_boot_view nb;
	const char *e = "# comment\r\ntitle \"Debian GNU/Linux 12 (bookworm)\"\r\n"
			"options root=UUID=1 ro\n  options\tquiet kvm_intel.nested=0  \n"
			"machine-id eda48f1b144f40bb851790fd4f7e0c5b\nlinux /eda48f1b144f40bb851790fd4f7e0c5b/6.1.0-10-amd64/linux\n";
	struct sdboot_file f = { "eda48f1b144f40bb851790fd4f7e0c5b-6.1.0-10-amd64.conf", e, strlen(e), NULL };
	assert_string_equal(sdboot_pick(&f, 1, &nb), "6.1.0-10-amd64");
	assert_true(nb.read);
	assert_string_equal(nb.cmdline, "root=UUID=1 ro quiet kvm_intel.nested=0");
	assert_string_equal(nb.entry, "Debian GNU/Linux 12 (bookworm)");
	const char *v = "linux /vmlinuz-6.1.0-18-amd64\n";
	struct sdboot_file g = { "custom.conf", v, strlen(v), NULL };
	assert_string_equal(sdboot_pick(&g, 1, &nb), "6.1.0-18-amd64");
	assert_string_equal(nb.entry, "custom.conf");
	const char *w = "linux /bzImage\n";
	struct sdboot_file h = { "custom.conf", w, strlen(w), NULL };
	assert_string_equal(sdboot_pick(&h, 1, &nb), "");
	assert_false(nb.read);
	assert_non_null(strstr(nb.problem, "no kernel release"));
}

/* An entry whose image systemd-boot cannot open is not listed: the glob
 * then falls to the first entry left; none left is a problem. An EFI
 * program, another architecture, a possible unified image: cannot tell. */
static void test_sdboot_missing_and_undecided(void **state)
{
	(void)state;
	struct next_boot_view nb = { 0 };
	size_t slen;
	char *spec = fixture(SD_SPEC, &slen);
	struct sdboot_file f = { SD_SPEC_NAME, spec, slen, NULL };
	assert_false(sdboot_next_entry(NULL, 0, &f, 1, NULL, none_exist, NULL, &nb));
	assert_false(nb.read);
	assert_non_null(strstr(nb.problem, "no entry"));
	assert_true(sdboot_next_entry(NULL, 0, &f, 1, NULL, none_exist, &nb, &nb));
	const char *efi = "title Shell\nefi /shellx64.efi\n", *arm = "architecture aa64\nlinux /vmlinuz-1\n";
	struct sdboot_file two[] = { { "a.conf", efi, strlen(efi), NULL }, { "b.conf", arm, strlen(arm), NULL } };
	assert_false(sdboot_next_entry(NULL, 0, two, 2, NULL, NULL, NULL, &nb));
	assert_non_null(strstr(nb.problem, "EFI program"));
	assert_false(sdboot_next_entry(NULL, 0, two + 1, 1, NULL, NULL, NULL, &nb));
	assert_non_null(strstr(nb.problem, "no entry"));
	struct sdboot_file uki[] = { f, { "debian-6.1.0-18-amd64.efi", NULL, 0, NULL } };
	assert_false(sdboot_next_entry(NULL, 0, uki, 2, NULL, NULL, NULL, &nb));
	assert_non_null(strstr(nb.problem, "unified kernel image"));
	/* a default that names only the Type #1 entry is decided */
	const char *conf = "default 6a9857a393724b7a981ebb5b8495b9ea-*\n";
	assert_true(sdboot_next_entry(conf, strlen(conf), uki, 2, NULL, NULL, NULL, &nb));
	free(spec);
}

/* Globs as efi_fnmatch, NULs, endless lines, deep '*', no newline. */
static void test_sdboot_hostile(void **state)
{
	(void)state;
	struct next_boot_view nb = { 0 };
	const char *e = "linux /vmlinuz-1.2\n";
	struct sdboot_file f[] = { { "a[b]-*.conf", e, strlen(e), NULL }, { "ab-x.conf", e, strlen(e), NULL } };
	const char *globs[][2] = {
		{ "default a\\[b]-\\*.conf", "a[b]-*.conf" }, { "default a[a-c]-?.conf", "ab-x.conf" },
		{ "default a[]b]-x.conf", "ab-x.conf" },     { "default \"a*\"", "ab-x.conf" },
	};
	for (size_t i = 0; i < sizeof(globs) / sizeof(globs[0]); i++) {
		struct sdboot_vars vars = { 0 };
		assert_true(sdboot_next_entry(globs[i][0], strlen(globs[i][0]), f, 2, &vars, NULL, NULL, &nb));
		assert_string_equal(nb.source, "loader.conf default");
		assert_string_equal(nb.entry, globs[i][1]);
	}
	char *big = malloc(200000);
	assert_non_null(big);
	memset(big, '*', 199999);
	memcpy(big, "default ", 8);
	big[199999] = 'q';
	sdboot_next_entry(big, 200000, f, 2, NULL, NULL, NULL, &nb); /* bounded depth */
	/* '*a' runs against a long id: answered at once (a matcher that
	 * recursed at each '*' took seconds here, minutes with one run more),
	 * and a trailing '*' matches past the depth bound, as in boot.c */
	char id[240];
	memset(id, 'a', sizeof(id));
	memcpy(id + sizeof(id) - 6, ".conf", 6);
	struct sdboot_file longf[] = { { "b.conf", e, strlen(e), NULL }, { id, e, strlen(e), NULL } };
	const char *runs[][2] = {
		{ "default *a*a*a*a*a*a*a*a*a*a*b", "first entry" },
		{ "default *a*a*a*a*a*a*a*a*a*a*.conf", "loader.conf default" },
		{ "default *a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*.conf", "first entry" },
		{ "default *a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", "loader.conf default" },
	};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct sdboot_vars vars = { 0 };
		sdboot_next_entry(runs[i][0], strlen(runs[i][0]), longf, 2, &vars, NULL, NULL, &nb);
		assert_string_equal(nb.source, runs[i][1]);
	}
	memset(big, 'x', 200000);
	memcpy(big, "options ", 8);
	struct sdboot_file g = { "g.conf", big, 200000, NULL };
	sdboot_next_entry(NULL, 0, &g, 1, NULL, NULL, NULL, &nb);
	assert_false(nb.read);
	const char nul[] = "linux /vmlinuz-2\0linux /vmlinuz-3";
	struct sdboot_file h = { "h.conf", nul, sizeof(nul) - 1, NULL };
	assert_string_equal(sdboot_pick(&h, 1, &nb), "2");
	free(big);
	char out[16];
	const unsigned char var[] = { 7, 0, 0, 0, 'a', 0, '*', 0, 0, 0 };
	assert_true(efivar_string(var, sizeof(var), out, sizeof(out)));
	assert_string_equal(out, "a*");
	assert_false(efivar_string(var, 3, out, sizeof(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_log_real),
		cmocka_unit_test(test_dpkg_log_forms),
		cmocka_unit_test(test_apt_history_real),
		cmocka_unit_test(test_apt_history_forms),
		cmocka_unit_test(test_package_logs_hostile),
		cmocka_unit_test(test_firmware_packages_matter),
		cmocka_unit_test(test_grub_real_default),
		cmocka_unit_test(test_grub_next_entry),
		cmocka_unit_test(test_grub_saved_entry),
		cmocka_unit_test(test_grub_cannot_tell),
		cmocka_unit_test(test_grub_hostile),
		cmocka_unit_test(test_kernel_release_of_image),
		cmocka_unit_test(test_modules_builtin),
		cmocka_unit_test(test_modprobe_lines),
		cmocka_unit_test(test_sdboot_default_glob),
		cmocka_unit_test(test_sdboot_variables),
		cmocka_unit_test(test_sdboot_sorting),
		cmocka_unit_test(test_sdboot_fields),
		cmocka_unit_test(test_sdboot_missing_and_undecided),
		cmocka_unit_test(test_sdboot_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
