/* SPDX-License-Identifier: MIT */
/* The installed packages that matter (formats/dpkg.h) on this host,
 * with the time each was last unpacked: dpkg rewrites its file list then,
 * and the status file itself records no time. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../fileio.h"
#include "../../formats/dpkg.h"
#include "linux_live.h"
#include "root_path.h"

#define DPKG_STATUS "/var/lib/dpkg/status"
#define DPKG_INFO "/var/lib/dpkg/info"

/* info/NAME.list, or info/NAME:ARCH.list for a multi-arch package; info
 * is the dpkg database's info directory on the host. */
static int64_t unpacked_at(const char *info, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s.list", info, name);
	if (stat(path, &st) == 0)
		return (int64_t)st.st_mtime;
	DIR *d = opendir(info);
	if (!d)
		return 0;
	int64_t t = 0;
	size_t n = strlen(name);
	struct dirent *e;
	while (!t && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, name, n) != 0 || e->d_name[n] != ':' ||
		    !strstr(e->d_name + n, ".list"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", info, e->d_name);
		if (stat(path, &st) == 0)
			t = (int64_t)st.st_mtime;
	}
	closedir(d);
	return t;
}

void packages_collect(struct evidence *ev, const char *root)
{
	struct installed_view *v = &ev->installed;
	struct hv_error err;
	char *text, status[PATH_MAX], info[PATH_MAX];
	size_t len;
	root = root ? root : "";
	/* in a root, root_path has followed its links already: what is left
	 * must be the file itself; live, the path is read as named */
	if (!root_path(root, DPKG_STATUS, true, status, sizeof(status)) ||
	    !file_read_all(status, root[0] ? FILE_FOUND : FILE_NAMED, FILEIO_MAX_INPUT, &text, &len,
			   &err))
		return; /* not a dpkg system: nothing recorded, nothing guessed */
	v->read = dpkg_status_parse(text, len, v);
	free(text);
	bool have_info = root_path(root, DPKG_INFO, true, info, sizeof(info));
	for (size_t i = 0; have_info && i < v->n; i++)
		v->items[i].installed_at = unpacked_at(info, v->items[i].name);
	snprintf(v->source, sizeof(v->source), "dpkg status %s", status);
}
