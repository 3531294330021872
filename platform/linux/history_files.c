// SPDX-License-Identifier: MIT
/*
 * The package logs and the next boot of a Linux root (docs/linux-history.md):
 * this system, or one mounted at ROOT. Every path inside ROOT is resolved
 * as chroot(2) would (root_path.h), then read by the input policy
 * (platform/fileio.h); the parsers are formats/pkglog.c and
 * formats/bootloader.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../fileio.h"
#include "../../formats/bootloader.h"
#include "../../formats/pkglog.h"
#include "history_files.h"
#include "root_path.h"

/* The logs, newest last; logrotate keeps older ones as .N.gz, which need
 * a gzip reader hvprobe does not link: counted, not read. */
static const struct {
	const char *dir, *file;
	bool apt;
} package_logs[] = {
	{ "/var/log", "dpkg.log.1", false },
	{ "/var/log", "dpkg.log", false },
	{ "/var/log/apt", "history.log.1", true },
	{ "/var/log/apt", "history.log", true },
};

/* Kernel module files as kmod finds them: plain, or compressed. */
static const char *const module_suffixes[] = { "", ".xz", ".zst", ".gz" };
static const char *const modprobe_dirs[] = { "/etc/modprobe.d", "/lib/modprobe.d",
					     "/usr/lib/modprobe.d" };

static const char *root_of(const char *root)
{
	return root && *root ? root : "";
}

/* rel ("/var/log/dpkg.log") on the host: inside r as chroot would read it. */
static bool in_root(const char *r, const char *rel, char *out, size_t size)
{
	return root_path(r, rel, true, out, size);
}

/* The examined system's local time: the process's zone, which
 * zone_enter() pointed at ROOT's when there is one. */
static bool local_to_utc(void *ctx, int year, int month, int day, int hour, int min, int sec,
			 int64_t *utc)
{
	/* seconds added afterwards: a leap second (60) is no reason to refuse */
	struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day,
			 .tm_hour = hour, .tm_min = min, .tm_isdst = -1 };
	(void)ctx;
	time_t t = mktime(&tm);
	/* mktime moves a time of the hour skipped in spring (or a 31 February)
	 * to one that exists: a field it changed means no clock showed it */
	if (t == (time_t)-1 || tm.tm_year != year - 1900 || tm.tm_mon != month - 1 ||
	    tm.tm_mday != day || tm.tm_hour != hour || tm.tm_min != min)
		return false;
	*utc = (int64_t)t + sec;
	return true;
}

/* ROOT/etc/localtime with its links followed inside ROOT: Debian's is a
 * link to /usr/share/zoneinfo/AREA/CITY, which names the host's own file
 * unless read under ROOT. Else why not, in note. */
static bool zone_file(const char *root, char *out, size_t size, char *note, size_t nsize)
{
	char link[PATH_MAX], target[PATH_MAX];
	struct stat st;
	if (!in_root(root, "/etc/localtime", out, size)) {
		snprintf(note, nsize, "; etc/localtime: %s: times read as UTC", strerror(errno));
		return false;
	}
	if (lstat(out, &st) == 0 && S_ISREG(st.st_mode))
		return true;
	bool named = root_path(root, "/etc/localtime", false, link, sizeof(link));
	ssize_t n = named ? readlink(link, target, sizeof(target) - 1) : -1;
	if (n > 0)
		snprintf(note, nsize,
			 "; etc/localtime points to %.*s, which is not in the root: times read as UTC",
			 (int)n, target);
	else if (named && lstat(link, &st) == 0)
		snprintf(note, nsize, "; etc/localtime is not a regular file: times read as UTC");
	else
		snprintf(note, nsize, "; times read as UTC (no etc/localtime)");
	return false;
}

struct zone_switch {
	bool active;
	char *old; /* TZ before, NULL when it was unset */
};

/*
 * glibc's mktime reads the zone from TZ only: to read ROOT's local times
 * TZ must name ROOT's zone file (":PATH", tzset(3)) while the logs are
 * parsed; zone_leave() gives the process its own zone back, for the
 * times it prints later. Without etc/localtime the system runs in UTC.
 */
static void zone_enter(struct zone_switch *z, const char *root, char *note, size_t size)
{
	char file[PATH_MAX], tz[PATH_MAX + 2];
	const char *old = getenv("TZ");
	z->active = *root != '\0';
	z->old = NULL;
	if (!z->active)
		return;
	if (old && !(z->old = strdup(old))) {
		z->active = false;
		snprintf(note, size, "; times in this process's zone (out of memory)");
		return;
	}
	/* file is absolute when root is (root_collect makes it so): glibc
	 * looks a relative ":PATH" up under /usr/share/zoneinfo */
	if (zone_file(root, file, sizeof(file), note, size))
		snprintf(tz, sizeof(tz), ":%s", file);
	else
		snprintf(tz, sizeof(tz), "UTC0");
	setenv("TZ", tz, 1);
	tzset();
}

static void zone_leave(struct zone_switch *z)
{
	if (!z->active)
		return;
	if (z->old)
		setenv("TZ", z->old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(z->old);
}

static void append(char *out, size_t size, const char *sep, const char *s)
{
	size_t o = strlen(out);
	snprintf(out + o, size - o, "%s%s", o ? sep : "", s);
}

/* Rotated logs left compressed: dpkg.log.N.gz, history.log.N.gz. */
static unsigned count_gz(const char *root, const char *dir, const char *stem)
{
	char path[PATH_MAX];
	unsigned n = 0;
	DIR *d = in_root(root, dir, path, sizeof(path)) ? opendir(path) : NULL;
	if (!d)
		return 0;
	struct dirent *e;
	size_t stem_len = strlen(stem), len;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, stem, stem_len) == 0 && (len = strlen(e->d_name)) > 3 &&
		    strcmp(e->d_name + len - 3, ".gz") == 0)
			n++;
	closedir(d);
	return n;
}

/*
 * A log, or only its last FILEIO_MAX_INPUT bytes from the first line that
 * starts in them when it is longer (*cut): a window of boots needs the
 * newest changes, which dpkg and apt append at the end. *skip is where
 * that first whole line starts in text.
 */
static bool read_log(const char *path, char **text, size_t *len, size_t *skip, bool *cut,
		     struct hv_error *err)
{
	struct stat st;
	int fd = file_open_input(path, FILE_FOUND, err);
	if (fd < 0)
		return false;
	*cut = fstat(fd, &st) == 0 && st.st_size > (off_t)FILEIO_MAX_INPUT;
	if (*cut && lseek(fd, st.st_size - (off_t)FILEIO_MAX_INPUT, SEEK_SET) < 0) {
		(void)hv_fail(err, HV_EIO, "%s: %s", path, strerror(errno));
		close(fd);
		return false;
	}
	bool ok = file_read_fd(fd, path, FILEIO_MAX_INPUT, text, len, err);
	close(fd);
	const char *nl = ok && *cut ? memchr(*text, '\n', *len) : NULL;
	*skip = !ok || !*cut ? 0 : nl ? (size_t)(nl + 1 - *text) : *len;
	return ok;
}

/* One log into v: read, cut or not there (nothing said), else why not in
 * problems. False when v is full. */
static bool one_log(struct package_log_view *v, const char *r, size_t i, char *problems,
		    size_t psize)
{
	char path[PATH_MAX], rel[PATH_MAX], note[PATH_MAX + 64];
	struct hv_error err;
	struct stat st;
	char *text;
	size_t len, skip;
	bool cut, full;
	snprintf(rel, sizeof(rel), "%s/%s", package_logs[i].dir, package_logs[i].file);
	if (!in_root(r, rel, path, sizeof(path))) {
		snprintf(note, sizeof(note), "; %s%s: %s", r, rel, strerror(errno));
		append(problems, psize, "", note);
		return true;
	}
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return true;
	if (!read_log(path, &text, &len, &skip, &cut, &err)) {
		snprintf(note, sizeof(note), "; %s", err.msg);
		append(problems, psize, "", note);
		return true;
	}
	full = !(package_logs[i].apt ? apt_history_parse : dpkg_log_parse)(
		text + skip, len - skip, local_to_utc, NULL, v);
	free(text);
	v->read = true;
	append(v->source, sizeof(v->source), ", ", path);
	if (cut) {
		snprintf(note, sizeof(note), "; %s: over %u MiB, its last %u MiB read", path,
			 FILEIO_MAX_INPUT >> 20, FILEIO_MAX_INPUT >> 20);
		append(problems, psize, "", note);
	}
	return !full;
}

void package_log_collect(struct package_log_view *v, const char *root)
{
	const char *r = root_of(root);
	struct zone_switch z;
	char note[sizeof(v->source)] = "", problems[sizeof(v->source)] = "", tail[120];
	bool full = false;
	zone_enter(&z, r, note, sizeof(note));
	for (size_t i = 0; i < sizeof(package_logs) / sizeof(package_logs[0]) && !full; i++)
		full = !one_log(v, r, i, problems, sizeof(problems));
	zone_leave(&z);
	if (!v->read && !problems[0])
		snprintf(v->source, sizeof(v->source), "no package log in %s/var/log", r);
	else if (!v->read)
		snprintf(v->source, sizeof(v->source), "no package log read");
	append(v->source, sizeof(v->source), "", problems);
	unsigned gz = count_gz(r, "/var/log", "dpkg.log.") + count_gz(r, "/var/log/apt", "history.log.");
	if (gz) {
		snprintf(tail, sizeof(tail), "; %u older compressed log%s not read", gz, gz > 1 ? "s" : "");
		append(v->source, sizeof(v->source), "", tail);
	}
	if (full)
		append(v->source, sizeof(v->source), "", "; stopped: too many changes");
	append(v->source, sizeof(v->source), "", note);
	package_log_settle(v);
}

/* ---- the next boot ---- */

static bool read_in_root(const char *r, const char *rel, char **text, size_t *len, int *why)
{
	char path[PATH_MAX];
	struct hv_error err;
	if (!in_root(r, rel, path, sizeof(path))) {
		*why = errno;
		return false;
	}
	errno = 0;
	if (file_read_all(path, FILE_FOUND, FILEIO_MAX_INPUT, text, len, &err))
		return true;
	*why = errno;
	return false;
}

/* Something is named rel in root r, if only a link to what the root lacks. */
static bool named_in_root(const char *r, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;
	return root_path(r, rel, false, path, sizeof(path)) && lstat(path, &st) == 0;
}

/* GRUB: /boot/grub/grub.cfg (the EFI system partition's grub.cfg only
 * loads this one) and its environment block. False when there is none. */
static bool grub_collect(struct next_boot_view *v, const char *r)
{
	char *cfg, *env = NULL, decided[16];
	size_t cfg_len, env_len = 0;
	int why = 0;
	if (!read_in_root(r, "/boot/grub/grub.cfg", &cfg, &cfg_len, &why)) {
		if (why == ENOENT && !named_in_root(r, "/boot/grub/grub.cfg"))
			return false;
		snprintf(v->loader, sizeof(v->loader), "grub");
		snprintf(v->source, sizeof(v->source), "%s/boot/grub/grub.cfg", r);
		snprintf(v->problem, sizeof(v->problem), "GRUB's grub.cfg could not be read (%s).",
			 strerror(why ? why : EIO));
		return true;
	}
	if (!read_in_root(r, "/boot/grub/grubenv", &env, &env_len, &why))
		env = NULL;
	grub_next_entry(cfg, cfg_len, env, env_len, v);
	snprintf(decided, sizeof(decided), "%s", v->source);
	if (strcmp(decided, "default") == 0)
		snprintf(v->source, sizeof(v->source), "%s/boot/grub/grub.cfg", r);
	else /* grubenv's next_entry or saved_entry */
		snprintf(v->source, sizeof(v->source), "%s/boot/grub/grub.cfg, grubenv %s", r,
			 decided);
	free(cfg);
	free(env);
	return true;
}

/* systemd-boot's loader.conf where bootctl(1) looks for the ESP or XBOOTLDR. */
static bool sdboot_collect(struct next_boot_view *v, const char *r)
{
	static const char *const confs[] = { "/boot/efi/loader/loader.conf", "/efi/loader/loader.conf",
					     "/boot/loader/loader.conf" };
	char path[PATH_MAX];
	struct stat st;
	for (size_t i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
		if (!in_root(r, confs[i], path, sizeof(path)) || lstat(path, &st) != 0)
			continue;
		snprintf(v->loader, sizeof(v->loader), "systemd-boot");
		snprintf(v->source, sizeof(v->source), "%s", path);
		snprintf(v->problem, sizeof(v->problem),
			 "systemd-boot's entries are not read: which kernel it starts is not known.");
		return true;
	}
	return false;
}

/* Debian's /vmlinuz (or /boot/vmlinuz) link to the newest kernel, which
 * linux-base's linux-update-symlinks keeps. */
static bool vmlinuz_collect(struct next_boot_view *v, const char *r)
{
	static const char *const links[] = { "/vmlinuz", "/boot/vmlinuz" };
	char path[PATH_MAX], target[PATH_MAX];
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		/* the link itself, in whichever directory the root's /boot is */
		if (!root_path(r, links[i], false, path, sizeof(path)))
			continue;
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		snprintf(v->loader, sizeof(v->loader), "vmlinuz");
		snprintf(v->source, sizeof(v->source), "%s", path);
		if (kernel_release_of_image(target, v->next.release, sizeof(v->next.release)))
			v->read = true;
		else
			snprintf(v->problem, sizeof(v->problem),
				 "The vmlinuz link points at %.120s, which names no kernel release.",
				 target);
		return true;
	}
	return false;
}

/* dir: lib/modules/RELEASE as the root names it. */
static void module_files(struct kernel_modules *m, const char *r, const char *dir)
{
	static const struct {
		const char *file;
		size_t offset;
	} kvm_modules[] = {
		{ "kvm.ko", offsetof(struct kernel_modules, kvm) },
		{ "kvm-intel.ko", offsetof(struct kernel_modules, kvm_intel) },
		{ "kvm-amd.ko", offsetof(struct kernel_modules, kvm_amd) },
	};
	char rel[PATH_MAX], path[PATH_MAX];
	struct stat st;
	for (size_t i = 0; i < sizeof(kvm_modules) / sizeof(kvm_modules[0]); i++) {
		enum module_presence *p = (enum module_presence *)((char *)m + kvm_modules[i].offset);
		for (size_t s = 0; s < sizeof(module_suffixes) / sizeof(module_suffixes[0]); s++) {
			snprintf(rel, sizeof(rel), "%s/kernel/arch/x86/kvm/%s%s", dir,
				 kvm_modules[i].file, module_suffixes[s]);
			if (*p != MODULE_BUILTIN && in_root(r, rel, path, sizeof(path)) &&
			    lstat(path, &st) == 0 && S_ISREG(st.st_mode))
				*p = MODULE_FILE;
		}
	}
}

/* lib/modules/RELEASE: the module files of arch/x86/kvm and modules.builtin. */
static void modules_collect(struct kernel_modules *m, const char *r)
{
	char dir[PATH_MAX], rel[PATH_MAX], path[PATH_MAX];
	struct stat st;
	char *text;
	size_t len;
	int why = 0;
	m->kvm = m->kvm_intel = m->kvm_amd = MODULE_UNKNOWN;
	m->tree = TRI_UNKNOWN;
	if (!m->release[0])
		return;
	snprintf(dir, sizeof(dir), "/lib/modules/%s", m->release);
	if (!in_root(r, dir, path, sizeof(path)))
		return;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			m->tree = TRI_NO;
		return;
	}
	m->tree = S_ISDIR(st.st_mode) ? TRI_YES : TRI_NO;
	if (m->tree != TRI_YES)
		return;
	snprintf(rel, sizeof(rel), "%s/modules.builtin", dir);
	bool builtin_read = read_in_root(r, rel, &text, &len, &why);
	if (builtin_read) {
		modules_builtin_scan(text, len, m);
		free(text);
	}
	module_files(m, r, dir);
	/* modules.builtin absent: nothing is built in; unreadable: unknown */
	enum module_presence rest = builtin_read || why == ENOENT ? MODULE_MISSING : MODULE_UNKNOWN;
	enum module_presence *each[] = { &m->kvm, &m->kvm_intel, &m->kvm_amd };
	for (size_t i = 0; i < sizeof(each) / sizeof(each[0]); i++)
		if (*each[i] == MODULE_UNKNOWN)
			*each[i] = rest;
}

static int conf_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 5 && strcmp(e->d_name + n - 5, ".conf") == 0;
}

/* modprobe.d(5): its three directories, each once (Debian 12 merges /lib
 * into /usr/lib, so two of them are often one). */
static void modprobe_collect(struct next_boot_view *v, const char *r)
{
	struct stat seen[sizeof(modprobe_dirs) / sizeof(modprobe_dirs[0])];
	size_t nseen = 0;
	char dir[PATH_MAX], rel[PATH_MAX];
	for (size_t i = 0; i < sizeof(modprobe_dirs) / sizeof(modprobe_dirs[0]); i++) {
		struct stat st;
		struct dirent **names;
		bool dup = false;
		if (!in_root(r, modprobe_dirs[i], dir, sizeof(dir)) || stat(dir, &st) != 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		for (size_t k = 0; k < nseen; k++)
			dup |= seen[k].st_dev == st.st_dev && seen[k].st_ino == st.st_ino;
		seen[nseen++] = st;
		int n = dup ? -1 : scandir(dir, &names, conf_file, alphasort);
		for (int k = 0; k < n; k++) {
			char *text;
			size_t len;
			int why;
			snprintf(rel, sizeof(rel), "%s/%s", modprobe_dirs[i], names[k]->d_name);
			if (read_in_root(r, rel, &text, &len, &why)) {
				modprobe_kvm_lines(rel, text, len, v->modprobe, sizeof(v->modprobe));
				free(text);
			}
			free(names[k]);
		}
		if (n >= 0)
			free(names);
	}
}

static void running_cmdline(struct next_boot_view *v)
{
	struct hv_error err;
	char *text;
	size_t len;
	if (!file_read_all("/proc/cmdline", FILE_NAMED, 65536, &text, &len, &err))
		return;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	snprintf(v->running_cmdline, sizeof(v->running_cmdline), "%s", text);
	free(text);
}

void next_boot_collect(struct next_boot_view *v, const char *root, const char *running_release)
{
	const char *r = root_of(root);
	v->probed = true;
	if (!grub_collect(v, r) && !sdboot_collect(v, r) && !vmlinuz_collect(v, r))
		snprintf(v->problem, sizeof(v->problem),
			 "No boot loader was found: no boot/grub/grub.cfg, loader/loader.conf or vmlinuz link.");
	modules_collect(&v->next, r);
	if (running_release)
		snprintf(v->running.release, sizeof(v->running.release), "%s", running_release);
	modules_collect(&v->running, r);
	if (!*r)
		running_cmdline(v);
	modprobe_collect(v, r);
}
