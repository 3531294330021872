/* SPDX-License-Identifier: MIT */
/*
 * Checks of the Windows boot entry: does the entry that boots tell the
 * loader to launch the hypervisor, with what it needs (docs/checks.md, "The Windows boot configuration")?
 * bcd.entry carries "which entry, and could it be read"; the others read
 * that entry and skip when there is none.
 */
#include "checks.h"

#include <stdio.h>
#include <string.h>

/* How the store was come by, for the evidence source. */
static const char *store_origin(const struct bcd_store *s)
{
	switch (s->origin) {
	case BCD_ORIGIN_GIVEN: return "--bcd / --esp";
	case BCD_ORIGIN_FOUND: return "found on a mounted partition";
	case BCD_ORIGIN_BUNDLE: return "bundle";
	default: return "";
	}
}

/* The entry is named by its GUID, not {current}: offline, the entry that
 * will boot is not the one running bcdedit (a rescue system, WinPE). */
static void bcdedit_set(const struct facts *f, const char *what, char *out, size_t size)
{
	snprintf(out, size, "bcdedit /set %s %s", f->bcd.entry.id, what);
}

static const struct bcd_entry *judged_entry(const struct facts *f, struct check_result *r)
{
	if (f->bcd.state == BCD_STATE_RESOLVED && !f->bcd.entry.problem[0])
		return &f->bcd.entry;
	result_set(r, STATUS_SKIP, "no BCD entry to read (see bcd.entry)");
	return NULL;
}

/* The evidence every setting shows: its value and the object that set it. */
static void setting_evidence(struct check_result *r, const struct bcd_entry *e, int index)
{
	const struct bcd_setting *s = &e->setting[index];
	char source[96];
	snprintf(source, sizeof(source), "BCD element %08x", bcd_setting_table[index].element);
	if (s->state != BCD_VALUE_SET) {
		result_text(r, bcd_setting_table[index].name, "not set", source);
		return;
	}
	result_int(r, bcd_setting_table[index].name, (long long)s->number, source);
	const char *name = bcd_well_known_name(s->from);
	char from[96];
	snprintf(from, sizeof(from), "%s%s%s", s->from, name ? " " : "", name ? name : "");
	result_text(r, "set_in", from, strcmp(s->from, e->id) == 0 ? "the entry itself" : "inherited");
}

/* An element of the wrong type or size is not guessed at. */
static bool setting_invalid(struct check_result *r, const struct bcd_entry *e, int index)
{
	const struct bcd_setting *s = &e->setting[index];
	if (s->state != BCD_VALUE_INVALID)
		return false;
	result_set(r, STATUS_UNKNOWN, "%s cannot be read: %s", bcd_setting_table[index].name,
		   s->problem);
	result_remedy(r, "rewrite the value with bcdedit /set %s %s <value> (bcdedit /enum %s shows "
			 "what Windows makes of it)", e->id, bcd_setting_table[index].name, e->id);
	return true;
}

/* The judged entry's setting `index`, its evidence recorded; NULL when the
 * check is settled already (no entry: SKIP; unreadable value: UNKNOWN). */
static const struct bcd_setting *setting_to_judge(const struct facts *f, struct check_result *r,
						  int index)
{
	const struct bcd_entry *e = judged_entry(f, r);
	if (!e)
		return NULL;
	setting_evidence(r, e, index);
	if (setting_invalid(r, e, index))
		return NULL;
	return &e->setting[index];
}

/* Where the judged entry was named. */
static const char *entry_origin(const struct bcd_view *v)
{
	if (v->by_sequence)
		return "{bootmgr} bootsequence (one-time)";
	return v->is_default ? "{bootmgr} default" : "--bcd-entry";
}

/* Said when the one-time boot sequence chose the entry: the default the
 * user knows is not what boots next (bcd.entry names both). */
static const char *next_boot_words(const struct facts *f)
{
	return f->bcd.by_sequence ? " (next boot: one-time bootsequence overrides the default)" : "";
}

/* {bootmgr}'s one-time boot sequence, as set and as walked. */
static void sequence_evidence(const struct bcd_sequence *q, struct check_result *r)
{
	if (!q->count)
		return;
	char list[BCD_MAX_SEQUENCE * BCD_ID_MAX + 24] = "";
	size_t n = 0, kept = q->count < BCD_MAX_SEQUENCE ? q->count : BCD_MAX_SEQUENCE;
	for (size_t i = 0; i < kept; i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? " " : "", q->ids[i]);
	if (q->count > kept)
		snprintf(list + n, sizeof(list) - n, " (+%zu more)", q->count - kept);
	result_text(r, "bootsequence", list, "BCD element 24000002");
	if (q->passed[0])
		result_text(r, "runs_first", q->passed, "bootsequence entries that start no installed Windows");
}

static void entry_evidence(const struct facts *f, struct check_result *r)
{
	const struct bcd_store *s = &f->ev->bcd;
	if (s->path[0])
		result_text(r, "store", s->path, store_origin(s));
	if (f->bcd.state != BCD_STATE_RESOLVED)
		return;
	const struct bcd_entry *e = &f->bcd.entry;
	result_text(r, "entry", e->id, entry_origin(&f->bcd));
	result_text(r, "description", e->description, "BCD element 12000004");
	result_text(r, "loader_path", e->loader_path, "BCD element 12000002");
	if (e->ninherited)
		result_int(r, "inherits", (long long)e->ninherited, "BCD element 14000006");
	if (f->bcd.by_sequence)
		result_text(r, "default", f->bcd.default_id, "BCD element 23000003");
	sequence_evidence(&f->bcd.sequence, r);
}

static void no_store(const struct facts *f, struct check_result *r)
{
	const struct bcd_store *s = &f->ev->bcd;
	if (s->unreadable[0]) {
		result_set(r, STATUS_UNKNOWN, "found a BCD store but cannot read it: %s", s->unreadable);
		result_remedy(r, "run hvprobe as root (Linux: the EFI system partition is often readable "
				 "by root only) or as Administrator (Windows: HKLM\\BCD00000000), or give "
				 "a copy with --bcd FILE");
		return;
	}
	if (s->search[0] || f->ev->source == SOURCE_LIVE) { /* a bundle keeps the search */
		result_set(r, STATUS_SKIP, "no Windows BCD store found: %s",
			   s->search[0] ? s->search : "no partition was searched");
	} else {
		result_set(r, STATUS_SKIP, "no BCD store in %s", check_source_words(f));
	}
	r->no_evidence = true;
	result_remedy(r, "Hyper-V launches from the Windows boot entry: mount the EFI system "
			 "partition (or, on BIOS systems, the Windows system partition) and give "
			 "--esp DIR, or give the store file with --bcd FILE");
}

/* A Windows PE entry (winpe set) boots the recovery environment or setup:
 * whatever it says, the installed Windows boots from another entry, most
 * often in another store. */
static void winpe_entry(const struct facts *f, struct check_result *r)
{
	const struct bcd_view *v = &f->bcd;
	result_bool(r, "winpe", true, "BCD element 26000022");
	result_set(r, STATUS_UNKNOWN, "\"%s\" %s%s starts Windows PE (the recovery environment or "
		   "setup), not the installed Windows: it says nothing about Hyper-V",
		   v->entry.description, v->entry.id, v->is_default ? " (default)" : "");
	if (v->is_default)
		result_remedy(r, "this is a recovery or setup store (such as EFI/Microsoft/Recovery/BCD): "
				 "give the store the installed Windows boots from, EFI/Microsoft/Boot/BCD on "
				 "the EFI system partition (Boot/BCD on a BIOS system partition), with "
				 "--esp DIR for the mounted partition or --bcd FILE");
	else
		result_remedy(r, "name the installed Windows' entry with --bcd-entry ID (on the Windows "
				 "host, bcdedit /enum osloader lists them), or leave --bcd-entry out to "
				 "judge the entry that boots next");
}

void check_bcd_entry(const struct facts *f, struct check_result *r)
{
	const struct bcd_view *v = &f->bcd;
	entry_evidence(f, r);
	if (v->state == BCD_STATE_NONE) {
		no_store(f, r);
		return;
	}
	if (v->state == BCD_STATE_RESOLVED && bcd_entry_is_winpe(&v->entry)) {
		winpe_entry(f, r);
		return;
	}
	if (v->state == BCD_STATE_UNRESOLVED || v->entry.problem[0]) {
		result_set(r, STATUS_UNKNOWN, "%s", v->state == BCD_STATE_UNRESOLVED ? v->problem
											: v->entry.problem);
		result_remedy(r, "on the Windows host, bcdedit /enum all lists the entries; choose one "
				 "with --bcd-entry ID, or repair the store (bcdboot C:\\Windows rebuilds it)");
		return;
	}
	/* The one-time sequence runs something that is not the installed
	 * Windows first (WinRE, memory test, an entry that is gone): that boot
	 * has no hypervisor; the Windows judged boots after it. */
	if (v->sequence.passed[0]) {
		result_set(r, STATUS_WARN, "next boot: once %s, not the installed Windows (no "
			   "hypervisor then); then \"%s\" %s (%s)", v->sequence.passed,
			   v->entry.description, v->entry.id, v->by_sequence ? "bootsequence" : "default");
		result_remedy(r, "if that one-time boot is not wanted, as Administrator run: bcdedit "
				 "/deletevalue {bootmgr} bootsequence");
		return;
	}
	if (v->by_sequence) {
		result_set(r, STATUS_PASS, "next boot: \"%s\" %s, the one-time bootsequence, overrides "
			   "the default %s", v->entry.description, v->entry.id,
			   v->default_id[0] ? v->default_id : "(none)");
		return;
	}
	result_set(r, STATUS_PASS, "\"%s\" %s%s in %s", v->entry.description, v->entry.id,
		   v->is_default ? " (default)" : "", f->ev->bcd.path);
}

void check_bcd_hypervisorlaunchtype(const struct facts *f, struct check_result *r)
{
	const struct bcd_setting *s = setting_to_judge(f, r, BCD_SET_LAUNCH_TYPE);
	if (!s)
		return;
	const struct bcd_entry *e = &f->bcd.entry;
	const char *next = next_boot_words(f);
	char fix[160], once[160] = "";
	bcdedit_set(f, "hypervisorlaunchtype auto", fix, sizeof(fix));
	if (f->bcd.by_sequence)
		snprintf(once, sizeof(once), "; or, if that one-time boot is not wanted, bcdedit "
			 "/bootsequence %s /remove", e->id);
	if (s->state == BCD_VALUE_ABSENT) {
		result_set(r, STATUS_FAIL, "not set (not Off) in \"%s\"%s: the Hyper-V role sets Auto; "
			   "VBS (HVCI, Credential Guard) can still start the hypervisor", e->description,
			   next);
		result_remedy(r, "enable the Hyper-V role (it sets Auto), or as Administrator run: %s, "
				 "then restart%s; if it was set before, find what removed it (an update, "
				 "a boot repair, a bcdedit script). Not set is not Off: virtualization-"
				 "based security (memory integrity/HVCI, Credential Guard) runs on the "
				 "hypervisor and has its own switches", fix, once);
		return;
	}
	const char *name = bcd_launch_type_name(s->number);
	if (!name) {
		result_set(r, STATUS_WARN, "value %llu, which bcdedit does not name (Off is 0, Auto is 1)",
			   (unsigned long long)s->number);
		result_remedy(r, "set a known value: %s, then restart", fix);
		return;
	}
	if (s->number == HYPERVISOR_LAUNCH_OFF) {
		result_set(r, STATUS_FAIL, "Off in \"%s\"%s%s", e->description,
			   strcmp(s->from, e->id) ? " (inherited)" : "", next);
		result_remedy(r, "as Administrator run: %s, then restart%s", fix, once);
		return;
	}
	if (f->bcd.by_sequence) {
		result_set(r, STATUS_PASS, "Auto, for the next boot only: the one-time bootsequence "
			   "overrides the default %s (--bcd-entry default judges it)", f->bcd.default_id);
		return;
	}
	result_set(r, STATUS_PASS, "Auto: the loader starts the hypervisor");
}

void check_bcd_nx(const struct facts *f, struct check_result *r)
{
	const struct bcd_setting *s = setting_to_judge(f, r, BCD_SET_NX);
	if (!s)
		return;
	char fix[160];
	bcdedit_set(f, "nx OptIn", fix, sizeof(fix));
	if (s->state == BCD_VALUE_ABSENT) {
		result_set(r, STATUS_PASS, "not set: Windows applies its default DEP policy");
		return;
	}
	const char *name = bcd_nx_name(s->number);
	if (!name) {
		result_set(r, STATUS_WARN, "value %llu, which bcdedit does not name", (unsigned long long)s->number);
		result_remedy(r, "as Administrator run: %s, then restart", fix);
		return;
	}
	if (s->number == NX_ALWAYS_OFF) {
		result_set(r, STATUS_FAIL, "AlwaysOff: DEP is off, and Hyper-V needs it");
		result_remedy(r, "as Administrator run: %s (or OptOut), then restart", fix);
		return;
	}
	result_set(r, STATUS_PASS, "%s: DEP is on", name);
}

/* The debugger's link ({hypervisorsettings}, usually inherited), as
 * numbers: bcdedit's documentation names the types but not their values. */
static void debug_link_evidence(const struct bcd_entry *e, struct check_result *r)
{
	static const int link[] = { BCD_SET_HV_DEBUG_TYPE, BCD_SET_HV_DEBUG_PORT, BCD_SET_HV_BAUDRATE };
	for (size_t i = 0; i < sizeof(link) / sizeof(link[0]); i++) {
		const struct bcd_setting *s = &e->setting[link[i]];
		char source[96];
		snprintf(source, sizeof(source), "BCD element %08x", bcd_setting_table[link[i]].element);
		if (s->state == BCD_VALUE_SET)
			result_int(r, bcd_setting_table[link[i]].name, (long long)s->number, source);
	}
}

void check_bcd_hypervisordebug(const struct facts *f, struct check_result *r)
{
	const struct bcd_setting *s = setting_to_judge(f, r, BCD_SET_HV_DEBUG);
	if (!s)
		return;
	if (s->state == BCD_VALUE_SET && s->number) {
		char fix[160];
		bcdedit_set(f, "hypervisordebug off", fix, sizeof(fix));
		debug_link_evidence(&f->bcd.entry, r);
		result_set(r, STATUS_WARN, "on: the hypervisor debugger is enabled, talking to a debugger "
			   "host over the serial, 1394 or network link that hypervisordebugtype names");
		result_remedy(r, "unless someone is debugging the hypervisor, as Administrator run: %s, "
				 "then restart (bcdedit /hypervisorsettings shows the link)", fix);
		return;
	}
	result_set(r, STATUS_PASS, s->state == BCD_VALUE_SET ? "off: the hypervisor debugger is not "
		   "enabled" : "not set: the hypervisor debugger is not enabled");
}

void check_bcd_hypervisorsettings(const struct facts *f, struct check_result *r)
{
	const struct bcd_entry *e = judged_entry(f, r);
	if (!e)
		return;
	static const int shown[] = { BCD_SET_HV_SLAT_DISABLED, BCD_SET_HV_NUM_PROC,
				     BCD_SET_HV_IOMMU_POLICY };
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		if (setting_invalid(r, e, shown[i]))
			return;
		const struct bcd_setting *s = &e->setting[shown[i]];
		char source[96];
		snprintf(source, sizeof(source), "BCD element %08x", bcd_setting_table[shown[i]].element);
		if (s->state == BCD_VALUE_SET)
			result_int(r, bcd_setting_table[shown[i]].name, (long long)s->number, source);
	}
	const struct bcd_setting *slat = &e->setting[BCD_SET_HV_SLAT_DISABLED];
	const struct bcd_setting *numproc = &e->setting[BCD_SET_HV_NUM_PROC];
	const struct bcd_setting *iommu = &e->setting[BCD_SET_HV_IOMMU_POLICY];
	char extra[120] = "";
	if (numproc->state == BCD_VALUE_SET)
		snprintf(extra, sizeof(extra), "; hypervisornumproc %llu",
			 (unsigned long long)numproc->number);
	if (iommu->state == BCD_VALUE_SET) {
		const char *name = bcd_iommu_policy_name(iommu->number);
		size_t n = strlen(extra);
		if (name)
			snprintf(extra + n, sizeof(extra) - n, "; IOMMU policy %s", name);
		else
			snprintf(extra + n, sizeof(extra) - n, "; IOMMU policy %llu",
				 (unsigned long long)iommu->number);
	}
	if (slat->state == BCD_VALUE_SET && slat->number) {
		result_set(r, STATUS_WARN, "SLAT disabled for the hypervisor%s", extra);
		result_remedy(r, "Hyper-V on Windows Server 2016 and later needs SLAT: as Administrator "
				 "run bcdedit /deletevalue %s hypervisordisableslat, then restart", e->id);
		return;
	}
	result_set(r, STATUS_PASS, "%s", extra[0] ? extra + 2 : "defaults");
}
