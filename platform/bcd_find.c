/* SPDX-License-Identifier: MIT */
#include "bcd_find.h"

#include <errno.h>

#include "nocase_path.h"

const char *const bcd_store_places[] = { "EFI/Microsoft/Boot/BCD", "Boot/BCD", NULL };

bool bcd_find_in_partition(const char *root, char *out, size_t size, int *why)
{
	*why = ENOENT;
	for (int i = 0; bcd_store_places[i]; i++) {
		int e;
		if (nocase_path_find(root, bcd_store_places[i], out, size, &e))
			return true;
		if (e != ENOENT)
			*why = e; /* remember a denial: "none here" would be a guess */
	}
	return false;
}
