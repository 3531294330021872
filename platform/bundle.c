/* SPDX-License-Identifier: MIT */
#include "bundle.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../probe/strbuf.h"
#include "hive/bcd_hive.h"
#include "../formats/installed_text.h"
#include "../formats/events_text.h"
#include "../formats/history_text.h"
#include "../formats/bundle_text.h"
#include "../formats/cpuid_dump.h"
#include "fileio.h"
#include "parse_file.h"
#include "../formats/cpuinfo.h"
#include "../formats/kmsg.h"
#include "../formats/msr_text.h"

/* ---- how each piece is written and read back ---- */

static bool always(const struct evidence *ev)
{
	(void)ev;
	return true;
}

static bool has_cpuinfo(const struct evidence *ev)
{
	return ev->cpuinfo_text != NULL;
}

static bool has_kmsg(const struct evidence *ev)
{
	return ev->linux_.kmsg_read == TRI_YES;
}

static bool has_installed(const struct evidence *ev)
{
	return ev->installed.read;
}

static bool has_events(const struct evidence *ev)
{
	return ev->events.read;
}

/* A journal looked for and not readable keeps its reason. */
static bool has_journal(const struct evidence *ev)
{
	return ev->journal.read || ev->journal.unreadable[0];
}

static bool has_package_log(const struct evidence *ev)
{
	return ev->package_log.read;
}

static bool has_next_boot(const struct evidence *ev)
{
	return ev->next_boot.probed;
}

static bool has_bcd(const struct evidence *ev)
{
	return ev->bcd.read && ev->bcd.raw;
}

/* The store file byte for byte: hivex reads the copy as it read the
 * original, and a Windows host can open it with bcdedit /store. */
static void write_bcd(const struct evidence *ev, struct strbuf *out)
{
	sb_putn(out, (const char *)ev->bcd.raw, ev->bcd.raw_len);
}

static bool load_bcd(const char *path, struct evidence *ev, struct hv_error *err)
{
	if (!bcd_hive_load(path, FILE_FOUND, &ev->bcd, err))
		return false;
	ev->bcd.origin = BCD_ORIGIN_BUNDLE;
	if (!ev->bcd.path[0]) /* host.txt names the original; keep the copy's name otherwise */
		snprintf(ev->bcd.path, sizeof(ev->bcd.path), "%s", path);
	return true;
}

static void write_cpuinfo(const struct evidence *ev, struct strbuf *out)
{
	sb_putn(out, ev->cpuinfo_text, ev->cpuinfo_len);
}

static void write_kmsg(const struct evidence *ev, struct strbuf *out)
{
	for (int i = 0; i < KMSG_FACT_COUNT; i++)
		if (ev->linux_.kmsg[i][0])
			sb_printf(out, "%s\n", ev->linux_.kmsg[i]);
}

static bool read_cpuid(const char *text, size_t len, struct evidence *ev, char *err, size_t size)
{
	return cpuid_dump_parse(text, len, ev, NULL, err, size);
}

static bool read_msr(const char *text, size_t len, struct evidence *ev, char *err, size_t size)
{
	return msr_text_parse(text, len, false, ev, err, size);
}

static bool read_cpuinfo(const char *text, size_t len, struct evidence *ev, char *err, size_t size)
{
	char *copy = malloc(len + 1);
	if (!copy) {
		snprintf(err, size, "out of memory");
		return false;
	}
	memcpy(copy, text, len + 1);
	cpuinfo_parse(copy, len, &ev->linux_);
	ev->cpuinfo_text = copy;
	ev->cpuinfo_len = len;
	return true;
}

static bool read_kmsg(const char *text, size_t len, struct evidence *ev, char *err, size_t size)
{
	(void)err;
	(void)size;
	kmsg_scan(text, len, &ev->linux_);
	return true;
}

/* The pieces, in the order they are written and read. A text piece is
 * parsed from memory (read); a binary one is loaded from its file (load). */
static const struct bundle_piece {
	const char *name;
	bool required;
	bool (*wanted)(const struct evidence *ev);
	void (*write)(const struct evidence *ev, struct strbuf *out);
	evidence_parser read;
	bool (*load)(const char *path, struct evidence *ev, struct hv_error *err);
} pieces[] = {
	{ "host.txt", true, always, bundle_host_write, bundle_host_parse, NULL },
	{ "cpuid.txt", true, always, cpuid_dump_write, read_cpuid, NULL },
	{ "msr.txt", true, always, msr_text_write, read_msr, NULL },
	{ "cpuinfo.txt", false, has_cpuinfo, write_cpuinfo, read_cpuinfo, NULL },
	{ "kmsg.txt", false, has_kmsg, write_kmsg, read_kmsg, NULL },
	{ "installed.txt", false, has_installed, installed_text_write, installed_text_parse, NULL },
	{ "events.txt", false, has_events, events_text_write, events_text_parse, NULL },
	{ "journal.txt", false, has_journal, journal_text_write, journal_text_parse, NULL },
	{ "package-log.txt", false, has_package_log, package_log_text_write,
	  package_log_text_parse, NULL },
	{ "next-boot.txt", false, has_next_boot, next_boot_text_write, next_boot_text_parse, NULL },
	{ "bcd", false, has_bcd, write_bcd, NULL, load_bcd },
};
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))

static bool piece_path(char *path, const char *dir, const char *name, struct hv_error *err,
		       enum hv_status status)
{
	if (snprintf(path, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
		return hv_fail(err, status, "%s: path too long", dir);
	return true;
}

/* ---- writing ---- */

static void remove_tree(const char *dir)
{
	char path[PATH_MAX];
	for (size_t i = 0; i < NPIECES; i++)
		if (snprintf(path, sizeof(path), "%s/%s", dir, pieces[i].name) < (int)sizeof(path))
			unlink(path);
	rmdir(dir);
}

static bool write_pieces(const char *dir, const struct evidence *ev, struct hv_error *err)
{
	char path[PATH_MAX];
	struct strbuf sb;
	bool ok = true;
	sb_init(&sb);
	for (size_t i = 0; ok && i < NPIECES; i++) {
		if (!pieces[i].wanted(ev))
			continue;
		sb.len = 0;
		pieces[i].write(ev, &sb);
		if (sb.failed)
			ok = hv_fail(err, HV_ENOMEM, "%s: out of memory", pieces[i].name);
		else
			ok = piece_path(path, dir, pieces[i].name, err, HV_ECANTCREAT) &&
			     file_write_new(path, sb_str(&sb), sb.len, err);
	}
	sb_free(&sb);
	return ok;
}

bool bundle_write(const char *dir, const struct evidence *ev, struct hv_error *err)
{
	struct stat st;
	char tmp[PATH_MAX];
	if (lstat(dir, &st) == 0)
		return hv_fail(err, HV_ECANTCREAT, "%s: already exists; choose a new directory", dir);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", dir) >= (int)sizeof(tmp))
		return hv_fail(err, HV_ECANTCREAT, "%s: path too long", dir);
	sigset_t signals;
	hold_signals(true, &signals);
	if (!mkdtemp(tmp)) {
		hold_signals(false, &signals);
		return hv_fail(err, HV_ECANTCREAT, "%s: cannot create: %s", dir, strerror(errno));
	}
	/* a bundle holds the host's identity and updates: its owner's alone */
	bool ok = write_pieces(tmp, ev, err);
	if (ok && rename(tmp, dir) != 0)
		ok = hv_fail(err, HV_ECANTCREAT, "%s: %s", dir, strerror(errno));
	if (!ok)
		remove_tree(tmp);
	hold_signals(false, &signals);
	return ok;
}

/* ---- reading ---- */

static bool read_piece(const char *dir, const struct bundle_piece *p, struct evidence *ev,
		       struct hv_error *err)
{
	char path[PATH_MAX];
	struct stat st;
	if (!piece_path(path, dir, p->name, err, HV_ENOINPUT))
		return false;
	if (lstat(path, &st) != 0 && errno == ENOENT) {
		if (p->required)
			return hv_fail(err, HV_EDATA, "%s: not a complete hvprobe bundle: %s is missing",
				       dir, p->name);
		return true;
	}
	return p->load ? p->load(path, ev, err) : parse_file(path, FILE_FOUND, p->read, ev, err);
}

bool bundle_read(const char *dir, struct evidence *ev, struct hv_error *err)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return hv_fail(err, HV_ENOINPUT, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return hv_fail(err, HV_ENOINPUT, "%s: not a directory (a bundle is the directory "
					      "written by hvprobe collect -o)", dir);
	for (size_t i = 0; i < NPIECES; i++)
		if (!read_piece(dir, &pieces[i], ev, err))
			return false;
	if (!ev->bcd.read && ev->bcd.unreadable[0])
		ev->bcd.origin = BCD_ORIGIN_FOUND; /* found on the host, not readable there */
	ev->source = SOURCE_BUNDLE;
	snprintf(ev->source_path, sizeof(ev->source_path), "%s", dir);
	return true;
}
