/* SPDX-License-Identifier: MIT */
/*
 * Find the Windows boot configuration on this host: a FAT (EFI system
 * partition) or NTFS (BIOS system partition) filesystem that is mounted
 * and holds EFI/Microsoft/Boot/BCD or Boot/BCD. What was searched and
 * found is kept in words for the report; nothing found is not an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../probe/strbuf.h"
#include "../bcd_find.h"
#include "../hive/bcd_hive.h"
#include "../fileio.h"
#include "linux_live.h"
#include "../../formats/mounts.h"

struct search {
	struct bcd_store *store;
	struct strbuf searched; /* "/boot/efi (vfat), ..." */
	struct strbuf denied;   /* mounts that could not be searched */
	struct strbuf also;     /* stores found after the first */
	unsigned candidates;
	char found[4096];
};

static bool consider_mount(const struct mount_entry *m, void *ctx)
{
	struct search *s = ctx;
	if (!mount_may_hold_bcd(m->type))
		return true;
	char path[4096];
	int why;
	s->candidates++;
	sb_printf(&s->searched, "%s%s (%s)", s->candidates > 1 ? ", " : "", m->dir, m->type);
	if (bcd_find_in_partition(m->dir, path, sizeof(path), &why)) {
		if (!s->found[0])
			snprintf(s->found, sizeof(s->found), "%s", path);
		else
			sb_printf(&s->also, "%s%s", s->also.len ? ", " : "", path);
		return true;
	}
	if (why != ENOENT)
		sb_printf(&s->denied, "%s%s: %s", s->denied.len ? "; " : "", m->dir, strerror(why));
	return true;
}

static void describe(struct search *s)
{
	struct bcd_store *b = s->store;
	if (s->candidates == 0)
		snprintf(b->search, sizeof(b->search), "no FAT or NTFS partition is mounted");
	else if (s->found[0] && s->also.len)
		snprintf(b->search, sizeof(b->search), "searched %s: found %s (judged) and %s "
			 "(judge one with --bcd)", sb_str(&s->searched), s->found, sb_str(&s->also));
	else if (s->found[0])
		snprintf(b->search, sizeof(b->search), "searched %s: found %s", sb_str(&s->searched),
			 s->found);
	else if (s->denied.len)
		snprintf(b->search, sizeof(b->search), "searched %s: none readable (%s; run as root)",
			 sb_str(&s->searched), sb_str(&s->denied));
	else
		snprintf(b->search, sizeof(b->search), "searched %s: none holds EFI/Microsoft/Boot/BCD "
			 "or Boot/BCD", sb_str(&s->searched));
}

void bcd_collect_live(struct evidence *ev)
{
	bcd_search_mounts(ev, "/proc/mounts");
}

void bcd_search_mounts(struct evidence *ev, const char *mounts_file)
{
	struct search s = { .store = &ev->bcd };
	struct hv_error err = { 0 };
	char *text;
	size_t len;
	if (!file_read_all(mounts_file, FILE_NAMED, FILEIO_MAX_INPUT, &text, &len, &err)) {
		snprintf(ev->bcd.search, sizeof(ev->bcd.search), "%s", err.msg);
		return;
	}
	sb_init(&s.searched);
	sb_init(&s.denied);
	sb_init(&s.also);
	mounts_parse(text, len, consider_mount, &s);
	free(text);
	describe(&s);
	sb_free(&s.searched);
	sb_free(&s.denied);
	sb_free(&s.also);
	if (!s.found[0])
		return;
	ev->bcd.origin = BCD_ORIGIN_FOUND;
	snprintf(ev->bcd.path, sizeof(ev->bcd.path), "%s", s.found);
	if (!bcd_hive_load(s.found, FILE_FOUND, &ev->bcd, &err))
		snprintf(ev->bcd.unreadable, sizeof(ev->bcd.unreadable), "%s", err.msg);
}
