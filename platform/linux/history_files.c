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
#include "../root.h"
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

/* Where bootctl(1) looks for the EFI system partition and the XBOOTLDR
 * partition; systemd-boot reads loader.conf on the first (the ESP) and
 * entries on all (boot.c config_load_entries, config_load_xbootldr). */
static const char *const sdboot_dirs[] = { "/boot/efi", "/efi", "/boot" };

#define SDBOOT_FILES_MAX 256 /* entries and images read from all partitions */
#define EFIVARS "/sys/firmware/efi/efivars"

struct sdboot_read {
	struct sdboot_file files[SDBOOT_FILES_MAX];
	size_t n;
	unsigned unreadable;
	char where[300]; /* the partitions read, for source */
};

/* dir/loader is a directory of the root (a partition systemd-boot reads);
 * a partition met twice (/boot/efi is /efi) only once. */
static bool sdboot_part(const char *r, const char *dir, struct stat *seen, size_t *nseen)
{
	char rel[64], path[PATH_MAX];
	struct stat st;
	snprintf(rel, sizeof(rel), "%s/loader", dir);
	if (!in_root(r, rel, path, sizeof(path)) || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return false;
	for (size_t k = 0; k < *nseen; k++)
		if (seen[k].st_dev == st.st_dev && seen[k].st_ino == st.st_ino)
			return false;
	seen[(*nseen)++] = st;
	return true;
}

static bool ends_nocase(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n > k && ascii_equal_nocase(name + n - k, suffix);
}

/* The files of dir/sub that systemd-boot lists: NAME.conf (read) in
 * loader/entries, NAME.efi (only named) in EFI/Linux; not ".*", not
 * "auto-*" (boot.c keeps those names for its own entries). */
static void sdboot_list(struct sdboot_read *sr, const char *r, const char *dir, bool type1)
{
	char rel[PATH_MAX], path[PATH_MAX];
	struct dirent **names;
	snprintf(rel, sizeof(rel), "%s/%s", dir, type1 ? "loader/entries" : "EFI/Linux");
	int n = in_root(r, rel, path, sizeof(path)) ? scandir(path, &names, NULL, alphasort) : -1;
	for (int k = 0; k < n; k++) {
		const char *name = names[k]->d_name;
		struct sdboot_file *f = &sr->files[sr->n];
		char file[PATH_MAX];
		int why;
		bool wanted = name[0] != '.' && strncmp(name, "auto-", 5) != 0 &&
			      ends_nocase(name, type1 ? ".conf" : ".efi") && sr->n < SDBOOT_FILES_MAX;
		memset(f, 0, sizeof(*f));
		f->where = dir;
		snprintf(file, sizeof(file), "%s/%s", rel, name);
		if (wanted && type1 && !read_in_root(r, file, (char **)&f->text, &f->len, &why))
			sr->unreadable++;
		else if (wanted && (f->name = strdup(name)) != NULL)
			sr->n++;
		else if (wanted)
			free((char *)f->text);
		free(names[k]);
	}
	if (n >= 0)
		free(names);
}

/* An image path of an entry ("/MACHINE-ID/RELEASE/linux", '\\' or '/')
 * as a regular file on the partition at `where`. */
static bool sdboot_image_on(void *ctx, const void *where, const char *image)
{
	char rel[PATH_MAX], path[PATH_MAX];
	struct stat st;
	int n = snprintf(rel, sizeof(rel), "%s/%s", (const char *)where, image);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return false;
	for (char *c = rel; *c; c++)
		if (*c == '\\')
			*c = '/';
	return in_root(ctx, rel, path, sizeof(path)) && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* One of systemd-boot's variables in efivarfs, as UTF-8; false when not set. */
static bool efivar_read(const char *name, char *out, size_t size)
{
	char path[128];
	struct hv_error err;
	char *data;
	size_t len;
	snprintf(path, sizeof(path), EFIVARS "/%s-" SDBOOT_VENDOR_GUID, name);
	if (!file_read_all(path, FILE_FOUND, 65536, &data, &len, &err))
		return false;
	bool ok = efivar_string((const unsigned char *)data, len, out, size);
	free(data);
	return ok;
}

/* Live, the variables of this machine's firmware: what it was told to
 * boot next. Offline they are not in the root: none. */
static const struct sdboot_vars *sdboot_vars_read(const char *r, struct sdboot_vars *v,
						  char bufs[3][256])
{
	static const char *const names[] = { "LoaderEntryOneShot", "LoaderEntryDefault",
					     "LoaderEntryLastBooted" };
	const char **slots[] = { &v->oneshot, &v->deflt, &v->saved };
	if (*r)
		return NULL;
	for (size_t i = 0; i < 3; i++)
		*slots[i] = efivar_read(names[i], bufs[i], sizeof(bufs[i])) ? bufs[i] : NULL;
	return v;
}

/* Whether a partition systemd-boot reads in root r holds loader/. */
static bool sdboot_found(const char *r)
{
	struct stat seen[3];
	size_t nseen = 0;
	for (size_t i = 0; i < sizeof(sdboot_dirs) / sizeof(sdboot_dirs[0]); i++)
		if (sdboot_part(r, sdboot_dirs[i], seen, &nseen))
			return true;
	return false;
}

/* systemd-boot: loader.conf of the ESP, the entries and images of every
 * partition, the EFI variables live. */
static void sdboot_collect(struct next_boot_view *v, const char *r)
{
	struct sdboot_read *sr = calloc(1, sizeof(*sr));
	struct stat seen[3];
	struct sdboot_vars vars = { 0 };
	char bufs[3][256], conf_rel[64] = "", decided[32], tail[64] = "";
	char *conf = NULL;
	size_t conf_len = 0, nseen = 0;
	int why;
	if (!sr) {
		snprintf(v->loader, sizeof(v->loader), "systemd-boot");
		snprintf(v->problem, sizeof(v->problem), "Out of memory reading systemd-boot's entries.");
		return;
	}
	for (size_t i = 0; i < sizeof(sdboot_dirs) / sizeof(sdboot_dirs[0]); i++) {
		char rel[64];
		if (!sdboot_part(r, sdboot_dirs[i], seen, &nseen))
			continue;
		snprintf(rel, sizeof(rel), "%s/loader/loader.conf", sdboot_dirs[i]);
		if (!conf_rel[0] && read_in_root(r, rel, &conf, &conf_len, &why))
			snprintf(conf_rel, sizeof(conf_rel), "%s", rel);
		sdboot_list(sr, r, sdboot_dirs[i], true);
		sdboot_list(sr, r, sdboot_dirs[i], false);
		append(sr->where, sizeof(sr->where), ", ", sdboot_dirs[i]);
	}
	sdboot_next_entry(conf, conf_len, sr->files, sr->n, sdboot_vars_read(r, &vars, bufs),
			  sdboot_image_on, (void *)r, v);
	snprintf(decided, sizeof(decided), "%s", v->source);
	if (sr->unreadable)
		snprintf(tail, sizeof(tail), "; %u entr%s unreadable", sr->unreadable,
			 sr->unreadable > 1 ? "ies" : "y");
	snprintf(v->source, sizeof(v->source), "%s%s, loader/entries of %.120s; chosen by %s%s", r,
		 conf_rel[0] ? conf_rel : "/loader (no loader.conf)", sr->where, decided, tail);
	for (size_t i = 0; i < sr->n; i++) {
		free((char *)sr->files[i].name);
		free((char *)sr->files[i].text);
	}
	free(conf);
	free(sr);
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
	char rel[PATH_MAX], path[PATH_MAX];
	struct stat st;
	for (size_t i = 0; i < KVM_MODULE_FILES; i++) {
		enum module_presence *p = kvm_module_slot(m, i);
		for (size_t s = 0; s < sizeof(module_suffixes) / sizeof(module_suffixes[0]); s++) {
			snprintf(rel, sizeof(rel), "%s/kernel/arch/x86/kvm/%s%s", dir,
				 kvm_module_file(i), module_suffixes[s]);
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

/*
 * GRUB or systemd-boot. Live, systemd-boot sets LoaderInfo at every boot
 * it starts (boot.c export_variables): then it is the one the firmware
 * runs, whatever GRUB files lie about. Else GRUB is read first, as the
 * loader Debian installs by default; source says when both are there.
 */
static bool boot_loader_collect(struct next_boot_view *v, const char *r)
{
	char info[128];
	bool sd = sdboot_found(r);
	bool sd_booted = !*r && efivar_read("LoaderInfo", info, sizeof(info));
	if (sd && sd_booted) {
		sdboot_collect(v, r);
		if (named_in_root(r, "/boot/grub/grub.cfg"))
			append(v->source, sizeof(v->source), "",
			       "; systemd-boot chosen over boot/grub/grub.cfg: it started this boot (LoaderInfo)");
		return true;
	}
	if (grub_collect(v, r)) {
		if (sd)
			append(v->source, sizeof(v->source), "",
			       *r ? "; systemd-boot's loader/ is there too: GRUB read first (offline)"
				  : "; systemd-boot's loader/ is there too: GRUB read, systemd-boot did not start this boot (no LoaderInfo)");
		return true;
	}
	if (sd)
		sdboot_collect(v, r);
	return sd;
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
	if (!boot_loader_collect(v, r) && !vmlinuz_collect(v, r))
		snprintf(v->problem, sizeof(v->problem),
			 "No boot loader was found: no boot/grub/grub.cfg, loader/ of systemd-boot or vmlinuz link.");
	modules_collect(&v->next, r);
	if (running_release)
		snprintf(v->running.release, sizeof(v->running.release), "%s", running_release);
	modules_collect(&v->running, r);
	if (!*r)
		running_cmdline(v);
	modprobe_collect(v, r);
}

/* A hook of /etc/kernel/postinst.d knows the kernel it was called for
 * before any boot loader names it (zz-update-grub may not have run yet):
 * that kernel is judged, its modules read as the loader's choice would be.
 * The loader's command line stays, since update-grub and kernel-install
 * give each kernel the same one. */
bool next_boot_name_kernel(const char *release, struct evidence *ev, struct hv_error *err)
{
	struct next_boot_view *v = &ev->next_boot;
	if (!v->probed)
		return hv_fail(err, HV_ENOINPUT, "--kernel %s: no Linux system was read here to find its "
					       "lib/modules in", release);
	if (v->read && strcmp(v->next.release, release) != 0)
		snprintf(v->loader_next, sizeof(v->loader_next), "%s", v->next.release);
	snprintf(v->named, sizeof(v->named), "%s", release);
	memset(&v->next, 0, sizeof(v->next));
	snprintf(v->next.release, sizeof(v->next.release), "%s", release);
	modules_collect(&v->next, root_of(ev->root[0] ? ev->root : NULL));
	v->read = true;
	return true;
}
