/* SPDX-License-Identifier: MIT */
#include "mounts.h"

#include <string.h>

#include "textscan.h"

/* The kernel writes space, tab, newline and backslash in a mount point as
 * \ooo (fs/proc_namespace.c, mangle()). */
static bool unmangle(struct line field, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < field.n; i++) {
		char c = field.s[i];
		if (c == '\\' && i + 3 < field.n &&
		    field.s[i + 1] >= '0' && field.s[i + 1] <= '3' &&
		    field.s[i + 2] >= '0' && field.s[i + 2] <= '7' &&
		    field.s[i + 3] >= '0' && field.s[i + 3] <= '7') {
			c = (char)((field.s[i + 1] - '0') << 6 | (field.s[i + 2] - '0') << 3 |
				   (field.s[i + 3] - '0'));
			i += 3;
		}
		if (c == '\0' || o + 1 >= size)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return o > 0;
}

static bool next_field(struct line *l, struct line *field)
{
	line_skip_blanks(l);
	size_t n = 0;
	while (n < l->n && l->s[n] != ' ' && l->s[n] != '\t')
		n++;
	if (n == 0)
		return false;
	*field = (struct line){ l->s, n };
	l->s += n;
	l->n -= n;
	return true;
}

void mounts_parse(const char *text, size_t len,
		  bool (*fn)(const struct mount_entry *m, void *ctx), void *ctx)
{
	struct line_reader lr;
	struct line l, device, dir, type;
	struct mount_entry m;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		if (!next_field(&l, &device) || !next_field(&l, &dir) || !next_field(&l, &type))
			continue;
		if (type.n >= sizeof(m.type) || !unmangle(dir, m.dir, sizeof(m.dir)))
			continue;
		memcpy(m.type, type.s, type.n);
		m.type[type.n] = '\0';
		if (!fn(&m, ctx))
			return;
	}
}

bool mount_may_hold_bcd(const char *type)
{
	static const char *const types[] = { "vfat", "msdos", "ntfs", "ntfs3", "fuseblk" };
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}
