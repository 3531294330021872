/* SPDX-License-Identifier: MIT */
#include "nocase_path.h"
#include "../probe/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define PATH_BYTES 4096

#ifdef _WIN32
#define lstat stat /* no symbolic links to tell apart */
#endif

/* The entry of dir whose name matches name in any case: FAT keeps the
 * case it was written in ("EFI/MICROSOFT/BOOT/BCD" is common). */
static bool find_name(const char *dir, const char *name, char *out, size_t size, int *why)
{
	DIR *d = opendir(dir);
	if (!d) {
		*why = errno;
		return false;
	}
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		if (strcasecmp(e->d_name, name) != 0)
			continue;
		found = snprintf(out, size, "%s/%s", dir, e->d_name) < (int)size;
	}
	closedir(d);
	if (!found)
		*why = ENOENT;
	return found;
}

bool nocase_path_find(const char *root, const char *rel, char *out, size_t size, int *why)
{
	char dir[PATH_BYTES], part[256], next[PATH_BYTES];
	if (snprintf(dir, sizeof(dir), "%s", root) >= (int)sizeof(dir)) {
		*why = ENAMETOOLONG;
		return false;
	}
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dir[--dl] = '\0';
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		str_copy_n(part, sizeof(part), p, n);
		if (!find_name(dir, part, next, sizeof(next), why))
			return false;
		memcpy(dir, next, sizeof(dir));
		p += n + (p[n] == '/');
	}
	/* whatever it is, it is the name asked for: the reader's input policy
	 * refuses what is not a regular file, saying so */
	struct stat st;
	if (lstat(dir, &st) != 0) {
		*why = errno;
		return false;
	}
	if (snprintf(out, size, "%s", dir) >= (int)size) {
		*why = ENAMETOOLONG;
		return false;
	}
	return true;
}
