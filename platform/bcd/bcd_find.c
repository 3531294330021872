/* SPDX-License-Identifier: MIT */
#include "bcd_find.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

const char *const bcd_store_places[] = { "EFI/Microsoft/Boot/BCD", "Boot/BCD", NULL };

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

static bool find_place(const char *root, const char *place, char *out, size_t size, int *why)
{
	char dir[4096], part[256];
	if (snprintf(dir, sizeof(dir), "%s", root) >= (int)sizeof(dir)) {
		*why = ENAMETOOLONG;
		return false;
	}
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dir[--dl] = '\0';
	for (const char *p = place; *p;) {
		size_t n = strcspn(p, "/");
		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		char next[4096];
		if (!find_name(dir, part, next, sizeof(next), why))
			return false;
		snprintf(dir, sizeof(dir), "%s", next);
		p += n + (p[n] == '/');
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = ENOENT;
		return false;
	}
	return snprintf(out, size, "%s", dir) < (int)size;
}

bool bcd_find_in_partition(const char *root, char *out, size_t size, int *why)
{
	*why = ENOENT;
	for (int i = 0; bcd_store_places[i]; i++) {
		int e;
		if (find_place(root, bcd_store_places[i], out, size, &e))
			return true;
		if (e != ENOENT)
			*why = e; /* remember a denial: "none here" would be a guess */
	}
	return false;
}
