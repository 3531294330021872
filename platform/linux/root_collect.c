/* SPDX-License-Identifier: MIT */
/* A Linux root mounted at a directory (--root DIR, platform/root.h): the
 * same collectors a live run uses, each pointed at the root, made absolute
 * once here: a relative root would be read against whatever directory a
 * library resolves paths in (glibc looks a relative TZ=":PATH" up under
 * /usr/share/zoneinfo). */
#include "../root.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../fileio.h"
#include "history_files.h"
#include "journal_read.h"
#include "linux_live.h"
#include "root_path.h"
#include "../../probe/strbuf.h"

static bool is_dir(const char *root, const char *sub)
{
	char path[PATH_MAX];
	struct stat st;
	return root_path(root, sub, true, path, sizeof(path)) && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* One line of the root's file (etc/machine-id, etc/hostname) into out. */
static void read_first_line(const char *root, const char *file, char *out, size_t size)
{
	char path[PATH_MAX], *text;
	size_t len;
	struct hv_error err;
	if (!root_path(root, file, true, path, sizeof(path)) ||
	    !file_read_all(path, FILE_FOUND, 4096, &text, &len, &err))
		return;
	size_t n = strcspn(text, "\r\n");
	str_copy_n(out, size, text, n);
	free(text);
}

/* os-release(5)'s PRETTY_NAME ("Debian GNU/Linux 12 (bookworm)"), the
 * root's own name for itself; "Linux" without one. */
static void read_os_name(const char *root, char *out, size_t size)
{
	static const char *const files[] = { "/etc/os-release", "/usr/lib/os-release" };
	snprintf(out, size, "Linux");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[PATH_MAX], *text;
		size_t len;
		struct hv_error err;
		if (!root_path(root, files[i], true, path, sizeof(path)) ||
		    !file_read_all(path, FILE_FOUND, 65536, &text, &len, &err))
			continue;
		for (char *line = text; line && *line;) {
			char *next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
				char *v = line + 12;
				size_t n = strlen(v);
				if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
					v[n - 1] = '\0';
					v++;
				}
				if (*v)
					snprintf(out, size, "%s", v);
				break;
			}
			line = next;
		}
		free(text);
		return;
	}
}

bool root_collect(const char *given, struct evidence *ev, struct hv_error *err)
{
	struct stat st;
	char root[PATH_MAX];
	if (stat(given, &st) != 0)
		return hv_fail(err, HV_ENOINPUT, "%s: %s", given, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return hv_fail(err, HV_ENOINPUT, "%s: not a directory (give the mount point of a Linux "
						 "root)", given);
	if (!realpath(given, root))
		return hv_fail(err, HV_ENOINPUT, "%s: %s", given, strerror(errno));
	if (!is_dir(root, "/etc") && !is_dir(root, "/var") && !is_dir(root, "/boot"))
		return hv_fail(err, HV_EDATA, "%s: not a Linux root (no etc/, var/ or boot/ in it)", given);
	snprintf(ev->root, sizeof(ev->root), "%s", root);
	machine_id_collect(ev, root);
	read_first_line(root, "/etc/hostname", ev->hostname, sizeof(ev->hostname));
	read_os_name(root, ev->os, sizeof(ev->os));
	packages_collect(ev, root);
	journal_collect(&ev->journal, root, ev->machine_id);
	package_log_collect(&ev->package_log, root);
	next_boot_collect(&ev->next_boot, root, NULL);
	return true;
}
