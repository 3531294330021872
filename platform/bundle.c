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
#include "bundle_text.h"
#include "cpu_identify.h"
#include "cpuid_dump.h"
#include "fileio.h"
#include "linux/cpuinfo.h"
#include "linux/kmsg.h"
#include "msr_text.h"

struct bundle_file {
	const char *name;
	bool required;
};

static void kmsg_write(const struct evidence *ev, struct strbuf *out)
{
	for (int i = 0; i < KMSG_FACT_COUNT; i++)
		if (ev->linux_.kmsg[i][0])
			sb_printf(out, "%s\n", ev->linux_.kmsg[i]);
}

static bool write_piece(const char *dir, const char *name, struct strbuf *sb, struct hv_error *err)
{
	char path[PATH_MAX];
	if (sb->failed)
		return hv_fail(err, HV_ENOMEM, "%s: out of memory", name);
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return hv_fail(err, HV_ECANTCREAT, "%s: path too long", dir);
	return file_write_new(path, sb_str(sb), sb->len, err);
}

static void remove_tree(const char *dir)
{
	static const char *const names[] = { "host.txt", "cpuid.txt", "msr.txt", "cpuinfo.txt", "kmsg.txt" };
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

bool bundle_write(const char *dir, const struct evidence *ev, struct hv_error *err)
{
	struct stat st;
	char tmp[PATH_MAX];
	if (lstat(dir, &st) == 0)
		return hv_fail(err, HV_ECANTCREAT, "%s: already exists; choose a new directory", dir);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", dir) >= (int)sizeof(tmp))
		return hv_fail(err, HV_ECANTCREAT, "%s: path too long", dir);
	if (!mkdtemp(tmp))
		return hv_fail(err, HV_ECANTCREAT, "%s: cannot create: %s", dir, strerror(errno));
	chmod(tmp, 0755);

	struct strbuf sb;
	bool ok = true;
	sb_init(&sb);
	bundle_host_write(ev, &sb);
	ok = ok && write_piece(tmp, "host.txt", &sb, err);
	sb.len = 0;
	cpuid_dump_write(ev, &sb);
	ok = ok && write_piece(tmp, "cpuid.txt", &sb, err);
	sb.len = 0;
	msr_text_write(ev, &sb);
	ok = ok && write_piece(tmp, "msr.txt", &sb, err);
	if (ok && ev->cpuinfo_text) {
		sb.len = 0;
		sb_putn(&sb, ev->cpuinfo_text, ev->cpuinfo_len);
		ok = write_piece(tmp, "cpuinfo.txt", &sb, err);
	}
	if (ok && ev->linux_.kmsg_read == TRI_YES) {
		sb.len = 0;
		kmsg_write(ev, &sb);
		ok = write_piece(tmp, "kmsg.txt", &sb, err);
	}
	sb_free(&sb);
	if (ok && rename(tmp, dir) != 0)
		ok = hv_fail(err, HV_ECANTCREAT, "%s: %s", dir, strerror(errno));
	if (!ok)
		remove_tree(tmp);
	return ok;
}

/* Read DIR/name; a missing optional piece yields *text == NULL. */
static bool read_piece(const char *dir, const char *name, bool required, char **text,
		       size_t *len, struct hv_error *err)
{
	char path[PATH_MAX];
	struct stat st;
	*text = NULL;
	*len = 0;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return hv_fail(err, HV_ENOINPUT, "%s: path too long", dir);
	if (stat(path, &st) != 0 && errno == ENOENT) {
		if (required)
			return hv_fail(err, HV_EDATA, "%s: not a complete hvprobe bundle: %s is missing",
				       dir, name);
		return true;
	}
	return file_read_all(path, FILEIO_MAX_INPUT, text, len, err);
}

static bool parsed(bool ok, const char *dir, const char *name, const char *why, struct hv_error *err)
{
	if (ok)
		return true;
	return hv_fail(err, HV_EDATA, "%s/%s: %s", dir, name, why);
}

bool bundle_read(const char *dir, struct evidence *ev, struct hv_error *err)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return hv_fail(err, HV_ENOINPUT, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return hv_fail(err, HV_ENOINPUT, "%s: not a directory (a bundle is the directory "
					      "written by hvprobe collect -o)", dir);
	char *text;
	size_t len;
	char why[200];
	bool ok;

	if (!read_piece(dir, "host.txt", true, &text, &len, err))
		return false;
	ok = parsed(bundle_host_parse(text, len, ev, why, sizeof(why)), dir, "host.txt", why, err);
	free(text);
	if (!ok || !read_piece(dir, "cpuid.txt", true, &text, &len, err))
		return false;
	bool hv_leaves_recorded = ev->hv_leaves_recorded; /* as host.txt says */
	ok = parsed(cpuid_dump_parse(text, len, ev, NULL, why, sizeof(why)), dir, "cpuid.txt", why, err);
	ev->hv_leaves_recorded = hv_leaves_recorded;
	free(text);
	if (!ok || !read_piece(dir, "msr.txt", true, &text, &len, err))
		return false;
	ok = parsed(msr_text_parse(text, len, false, ev, why, sizeof(why)), dir, "msr.txt", why, err);
	free(text);
	if (!ok || !read_piece(dir, "cpuinfo.txt", false, &text, &len, err))
		return false;
	if (text) {
		cpuinfo_parse(text, len, &ev->linux_);
		ev->cpuinfo_text = text;
		ev->cpuinfo_len = len;
	}
	if (!read_piece(dir, "kmsg.txt", false, &text, &len, err))
		return false;
	if (text) {
		kmsg_scan(text, len, &ev->linux_);
		free(text);
	}
	ev->source = SOURCE_BUNDLE;
	snprintf(ev->source_path, sizeof(ev->source_path), "%s", dir);
	cpu_identify_codename(ev);
	return true;
}
