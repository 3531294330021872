/* SPDX-License-Identifier: MIT */
/*
 * Past boots from the systemd journal through libsystemd's sd-journal
 * (sd-journal(3), systemd 252 in Debian 12). Only two kinds of entry are
 * read: the kernel's messages (_TRANSPORT=kernel), from each boot's start
 * up to JOURNAL_KERNEL_LINES_PER_BOOT or JOURNAL_BOOT_WINDOW_USEC, and
 * hvprobe's own --syslog lines (SYSLOG_IDENTIFIER=hvprobe), of which the
 * last of each boot is kept. Judging is probe/launch.c's.
 */
#include "journal_read.h"

#include <stdio.h>
#include <string.h>

#ifdef HVPROBE_HAVE_LIBSYSTEMD

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "../../formats/kmsg.h"
#include "../../probe/sort.h"
#include "root_path.h"

#define VAR_JOURNAL "/var/log/journal"
#define RUN_JOURNAL "/run/log/journal"
#define DENIED "permission denied: run as root or in group systemd-journal/adm"
/* Bounds on what a hostile journal directory can make this hold: journal
 * files read together, and boot ids listed (boots past it are counted
 * in dropped, unread). Real hosts keep hundreds of either. */
#define JOURNAL_FILES_MAX 65536u
#define JOURNAL_BOOT_IDS_MAX 65536u

/* ---- the journal files, checked one by one ---- */

/* What opening each journal file alone told: sd_journal_open_directory()
 * and sd_journal_open() skip a file they cannot open and say nothing, so
 * a truncated or unreadable file would go unnoticed. With a root, the
 * files that opened are kept in paths (NULL-terminated) to be read
 * together. */
struct file_check {
	unsigned files, denied, broken;
	bool keep;
	char **paths;
	size_t npaths, cap;
};

static void keep_path(struct file_check *fc, const char *path)
{
	char *copy = strdup(path);
	/* room for this path and the NULL after it */
	if (!copy || !array_grow((void **)&fc->paths, &fc->cap, fc->npaths + 1, sizeof(*fc->paths),
				 JOURNAL_FILES_MAX)) {
		free(copy);
		fc->broken++; /* not read: the journal is then said to be damaged */
		return;
	}
	fc->paths[fc->npaths++] = copy;
	fc->paths[fc->npaths] = NULL;
}

static void free_paths(struct file_check *fc)
{
	for (size_t i = 0; i < fc->npaths; i++)
		free(fc->paths[i]);
	free(fc->paths);
}

static bool is_journal_file(const char *name, bool live)
{
	size_t n = strlen(name);
	/* live, sd_journal_open(SD_JOURNAL_SYSTEM) reads no user-UID files */
	if (live && strncmp(name, "user-", 5) == 0)
		return false;
	return (n > 8 && strcmp(name + n - 8, ".journal") == 0) ||
	       (n > 9 && strcmp(name + n - 9, ".journal~") == 0);
}

static void check_file(const char *path, struct file_check *fc)
{
	const char *paths[] = { path, NULL };
	sd_journal *j = NULL;
	fc->files++;
	int r = sd_journal_open_files(&j, paths, 0);
	if (r == -EACCES || r == -EPERM)
		fc->denied++;
	else if (r < 0)
		fc->broken++;
	else if (fc->keep)
		keep_path(fc, path);
	sd_journal_close(j);
}

/* dir's journal files and those of its machine-id subdirectories: only
 * machine's when given (as sd_journal_open(SD_JOURNAL_LOCAL_ONLY) reads
 * only this machine's), so that neither another host's journal (a copy,
 * or systemd-journal-remote's remote/) nor damage in it counts. */
static void check_dir(const char *dir, const char *machine, bool live, int depth,
		      struct file_check *fc)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == EACCES)
			fc->denied++;
		return;
	}
	struct dirent *de;
	char path[4096];
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct stat st;
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth == 0 && (!machine[0] || strcmp(de->d_name, machine) == 0))
			check_dir(path, machine, live, depth + 1, fc);
		else if (S_ISREG(st.st_mode) && is_journal_file(de->d_name, live))
			check_file(path, fc);
	}
	closedir(d);
}

/* ---- the boots ---- */

struct boot_span {
	char id[BOOT_ID_MAX];
	uint64_t first, last;      /* realtime, microseconds */
	char series[BOOT_ID_MAX];  /* the seqnum id its first entry's number counts in */
	uint64_t seqnum;           /* that number; 0 unknown */
};

static bool span_by_first(const void *a, const void *b)
{
	return ((const struct boot_span *)a)->first < ((const struct boot_span *)b)->first;
}

static bool span_by_seqnum(const void *a, const void *b)
{
	return ((const struct boot_span *)a)->seqnum < ((const struct boot_span *)b)->seqnum;
}

/*
 * The journal's own number of the current entry, which no clock moves.
 * systemd 252 has no sd_journal_get_seqnum() (it came in 254); its cursor
 * carries the number: "s=SEQNUM_ID;i=SEQNUM;b=BOOT_ID;m=...;t=...;x=...",
 * the id as 32 hex digits and the numbers in hex (systemd 252
 * src/libsystemd/sd-journal/sd-journal.c, sd_journal_get_cursor()).
 * Numbers count from 1 within one seqnum id, which journald carries from
 * file to file.
 */
static bool entry_seqnum(sd_journal *j, struct boot_span *b)
{
	char *cursor = NULL, *end;
	if (sd_journal_get_cursor(j, &cursor) < 0 || !cursor)
		return false;
	bool ok = strncmp(cursor, "s=", 2) == 0 && strlen(cursor) > 37 && cursor[34] == ';' &&
		  strncmp(cursor + 35, "i=", 2) == 0;
	if (ok) {
		memcpy(b->series, cursor + 2, BOOT_ID_MAX - 1);
		b->series[BOOT_ID_MAX - 1] = '\0';
		errno = 0;
		b->seqnum = strtoull(cursor + 37, &end, 16);
		ok = end != cursor + 37 && *end == ';' && errno == 0;
	}
	if (!ok)
		b->seqnum = 0;
	free(cursor);
	return ok;
}

/* An error reading an entry other than "no such field" means a damaged file. */
static void note_error(struct journal_view *v, int r)
{
	if (r < 0 && r != -ENOENT)
		v->damaged = true;
}

static bool match_boot(sd_journal *j, const char *id, const char *also)
{
	char m[16 + BOOT_ID_MAX];
	snprintf(m, sizeof(m), "_BOOT_ID=%s", id);
	sd_journal_flush_matches(j);
	return sd_journal_add_match(j, m, 0) >= 0 && (!also || sd_journal_add_match(j, also, 0) >= 0);
}

/* The value of field in the current entry, without "FIELD=". */
static bool field_value(struct journal_view *v, sd_journal *j, const char *field, const char **s,
			size_t *n)
{
	const void *data;
	size_t len, k = strlen(field);
	int r = sd_journal_get_data(j, field, &data, &len);
	note_error(v, r);
	if (r < 0 || len <= k || memcmp(data, field, k) != 0 || ((const char *)data)[k] != '=')
		return false;
	*s = (const char *)data + k + 1;
	*n = len - k - 1;
	return true;
}

/* A boot id as the journal holds it: 32 lower-case hex digits. */
static bool boot_id_ok(const char *s, size_t n)
{
	if (n != BOOT_ID_MAX - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Every boot id the journal has entries for. *spans is the caller's to free. */
static size_t list_boots(struct journal_view *v, sd_journal *j, struct boot_span **spans)
{
	size_t n = 0, cap = 0;
	const void *data;
	size_t len;
	*spans = NULL;
	int r = sd_journal_query_unique(j, "_BOOT_ID");
	if (r < 0) {
		note_error(v, r);
		return 0;
	}
	while ((r = sd_journal_enumerate_available_unique(j, &data, &len)) > 0) {
		const char *s = (const char *)data + 9; /* "_BOOT_ID=" */
		if (len <= 9 || !boot_id_ok(s, len - 9))
			continue;
		if (!array_grow((void **)spans, &cap, n, sizeof(**spans), JOURNAL_BOOT_IDS_MAX)) {
			v->dropped++;
			continue;
		}
		memset(&(*spans)[n], 0, sizeof(**spans));
		memcpy((*spans)[n].id, s, BOOT_ID_MAX - 1);
		n++;
	}
	note_error(v, r);
	return n;
}

/* The realtime of a boot's first and last entries; false if it has none. */
static bool boot_span(struct journal_view *v, sd_journal *j, struct boot_span *b)
{
	if (!match_boot(j, b->id, NULL) || sd_journal_seek_head(j) < 0)
		return false;
	int r = sd_journal_next(j);
	if (r == 0)
		return false;
	if (r > 0)
		r = sd_journal_get_realtime_usec(j, &b->first);
	note_error(v, r);
	if (r < 0)
		return false;
	entry_seqnum(j, b);
	b->last = b->first;
	if (sd_journal_seek_tail(j) >= 0 && (r = sd_journal_previous(j)) > 0)
		r = sd_journal_get_realtime_usec(j, &b->last);
	note_error(v, r);
	if (b->last < b->first) /* the clock was set back during the boot */
		b->last = b->first;
	return true;
}

/* The boot's kernel messages from its start, within the caps. */
static void read_kernel(struct journal_view *v, sd_journal *j, struct journal_boot *b)
{
	if (!match_boot(j, b->boot_id, "_TRANSPORT=kernel") || sd_journal_seek_head(j) < 0)
		return;
	uint64_t start = 0;
	unsigned stop = JOURNAL_KERNEL_LINES_PER_BOOT;
	for (unsigned i = 0; i < stop; i++) {
		int r = sd_journal_next(j);
		note_error(v, r);
		if (r <= 0)
			return;
		v->entries++;
		uint64_t mono;
		sd_id128_t boot;
		if (sd_journal_get_monotonic_usec(j, &mono, &boot) >= 0) {
			if (i == 0)
				start = mono;
			else if (mono > start && mono - start > JOURNAL_BOOT_WINDOW_USEC)
				return;
		}
		const char *s;
		size_t n;
		if (field_value(v, j, "MESSAGE", &s, &n)) {
			bool up = b->kvm_up[0];
			kmsg_boot_line(s, n, b);
			if (!up && b->kvm_up[0] && i + JOURNAL_LINES_AFTER_KVM_UP < stop)
				stop = i + 1 + JOURNAL_LINES_AFTER_KVM_UP;
		} else /* sd-journal skips a data object it cannot read: every
		      * kernel entry has a MESSAGE, so one without was damaged */
			v->damaged = true;
	}
}

/* hvprobe's last --syslog line of the boot. */
static void read_verdict(struct journal_view *v, sd_journal *j, struct journal_boot *b)
{
	if (!match_boot(j, b->boot_id, "SYSLOG_IDENTIFIER=hvprobe") || sd_journal_seek_tail(j) < 0)
		return;
	int r = sd_journal_previous(j);
	note_error(v, r);
	if (r <= 0)
		return;
	v->entries++;
	const char *s;
	size_t n;
	if (!field_value(v, j, "MESSAGE", &s, &n))
		return;
	if (n >= sizeof(b->verdict))
		n = sizeof(b->verdict) - 1;
	memcpy(b->verdict, s, n);
	b->verdict[n] = '\0';
	for (size_t k = 0; k < n; k++) /* a NUL inside would cut it short */
		if (b->verdict[k] == '\0')
			b->verdict[k] = '?';
}

static int64_t seconds(uint64_t usec)
{
	return (int64_t)(usec / 1000000u);
}

/*
 * Oldest first, so that past JOURNAL_BOOTS_READ the newest stay: in the
 * journal's own order when every boot's first entry is numbered in one
 * series (a clock set back, by a BIOS update or a flat battery, does not
 * move a boot), else by the realtime of that entry; then no seqnum is
 * kept, so that journal_settle() orders the same way.
 */
static void order_spans(struct boot_span *spans, size_t n)
{
	bool one_series = true;
	for (size_t i = 0; i < n; i++)
		one_series &= spans[i].seqnum != 0 && strcmp(spans[i].series, spans[0].series) == 0;
	for (size_t i = 0; i < n && !one_series; i++)
		spans[i].seqnum = 0;
	void *tmp = malloc(n * sizeof(*spans) + 1);
	if (tmp)
		stable_sort(spans, tmp, n, sizeof(*spans), one_series ? span_by_seqnum : span_by_first);
	free(tmp);
}

static void read_boots(struct journal_view *v, sd_journal *j)
{
	struct boot_span *spans;
	size_t n = list_boots(v, j, &spans), kept = 0;
	for (size_t i = 0; i < n; i++)
		if (boot_span(v, j, &spans[i]))
			spans[kept++] = spans[i];
	order_spans(spans, kept);
	size_t from = kept > JOURNAL_BOOTS_READ ? kept - JOURNAL_BOOTS_READ : 0;
	v->dropped += from; /* not read at all: too old */
	for (size_t i = from; i < kept; i++) {
		struct journal_boot *b = journal_add_boot(v, spans[i].id);
		if (!b)
			break;
		b->first = seconds(spans[i].first);
		b->last = seconds(spans[i].last);
		b->seqnum = spans[i].seqnum;
		read_kernel(v, j, b);
		read_verdict(v, j, b);
	}
	free(spans);
}

static void say(struct journal_view *v, const char *what, int r)
{
	snprintf(v->unreadable, sizeof(v->unreadable), "%s: %s", what, strerror(-r));
}

/* Read an opened journal; the files it should have held were checked. */
static void read_journal(struct journal_view *v, sd_journal *j, const struct file_check *fc)
{
	uint64_t before = 0, after = 0;
	sd_journal_get_usage(j, &before);
	read_boots(v, j);
	/* sd-journal drops a file it cannot iterate through, silently: less
	 * usage afterwards means part of the journal was not read */
	sd_journal_get_usage(j, &after);
	if (after < before || fc->broken)
		v->damaged = true;
	v->read = true;
	if (v->n == 0 && fc->denied) {
		v->read = false;
		snprintf(v->unreadable, sizeof(v->unreadable), "%s", DENIED);
	}
}

static void collect_live(struct journal_view *v)
{
	struct file_check fc = { 0 };
	snprintf(v->source, sizeof(v->source), "system journal");
	sd_id128_t boot, machine_id;
	char machine[SD_ID128_STRING_MAX] = "";
	if (sd_id128_get_boot(&boot) >= 0)
		sd_id128_to_string(boot, v->current_boot);
	if (sd_id128_get_machine(&machine_id) >= 0)
		sd_id128_to_string(machine_id, machine);
	check_dir(VAR_JOURNAL, machine, true, 0, &fc);
	check_dir(RUN_JOURNAL, machine, true, 0, &fc);
	if (fc.files == 0 && !fc.denied) {
		snprintf(v->unreadable, sizeof(v->unreadable),
			 "no journal in " VAR_JOURNAL " or " RUN_JOURNAL);
		return;
	}
	sd_journal *j = NULL;
	int r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (r < 0) {
		say(v, "sd_journal_open", r);
		return;
	}
	read_journal(v, j, &fc);
	sd_journal_close(j);
}

/*
 * A root's var/log/journal and run/log/journal, with their machine-id
 * directories. Found by root_path(), as chroot would: systemd 252's
 * sd_journal_open_directory(SD_JOURNAL_OS_ROOT) only prefixes the root
 * (sd-journal.c add_root_directory(): strjoina(j->prefix, p)), so a root
 * whose var/log links to /data/log would have the host's journal read.
 * The files found are then read together by sd_journal_open_files().
 */
static void collect_root(struct journal_view *v, const char *root, const char *machine)
{
	struct file_check fc = { .keep = true };
	char dir[PATH_MAX], run[PATH_MAX];
	snprintf(v->source, sizeof(v->source), "%s" VAR_JOURNAL, root);
	if (root_path(root, VAR_JOURNAL, true, dir, sizeof(dir)))
		check_dir(dir, machine, false, 0, &fc);
	if (root_path(root, RUN_JOURNAL, true, run, sizeof(run)))
		check_dir(run, machine, false, 0, &fc);
	if (fc.files == 0 || !fc.npaths) {
		if (fc.denied)
			snprintf(v->unreadable, sizeof(v->unreadable), "%s", DENIED);
		else if (fc.files)
			snprintf(v->unreadable, sizeof(v->unreadable), "no journal file in %s could be opened",
				 v->source);
		else
			snprintf(v->unreadable, sizeof(v->unreadable), "no journal in %s", v->source);
		v->damaged |= fc.broken > 0;
		free_paths(&fc);
		return;
	}
	sd_journal *j = NULL;
	int r = sd_journal_open_files(&j, (const char **)fc.paths, 0);
	if (r < 0)
		say(v, "sd_journal_open_files", r);
	else
		read_journal(v, j, &fc);
	sd_journal_close(j);
	free_paths(&fc);
}

void journal_collect(struct journal_view *v, const char *root, const char *machine_id)
{
	if (root && root[0])
		collect_root(v, root, machine_id ? machine_id : "");
	else
		collect_live(v);
	journal_settle(v);
}

#else /* the static build: no libsystemd.a in Debian */

void journal_collect(struct journal_view *v, const char *root, const char *machine_id)
{
	(void)machine_id;
	if (root && root[0])
		snprintf(v->source, sizeof(v->source), "%s/var/log/journal", root);
	else
		snprintf(v->source, sizeof(v->source), "system journal");
	snprintf(v->unreadable, sizeof(v->unreadable),
		 "this hvprobe was built without libsystemd (the static build): "
		 "use the packaged hvprobe to read the journal");
}

#endif
