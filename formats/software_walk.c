/* SPDX-License-Identifier: MIT */
/*
 * An installation's SOFTWARE tree, from a hive file or the live registry:
 *   Microsoft\Windows NT\CurrentVersion   ProductName, CurrentBuild, UBR
 *   Microsoft\Cryptography                MachineGuid
 *   Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages\<package>
 *                                         CurrentState, InstallTimeHigh/Low
 * Package names carry the update: "Package_for_KB5009624~31bf3856ad364e35~
 * amd64~~6.3.1.4", "Package_123_for_KB3192392~..."; one update spans several
 * packages, merged by KB number. A cumulative update or monthly rollup is
 * "Package_for_RollupFix~31bf3856ad364e35~amd64~~<build>.<UBR>.1.<n>" with
 * no KB in its name: the KB is in InstallLocation, the .cab it was installed
 * from ("...\Windows10.0-KB4565483-x64.cab"), else in InstallName.
 *   ...\Component Based Servicing\RebootPending    a restart is pending
 *   ...\WindowsUpdate\Auto Update\RebootRequired   (docs/windows.md)
 */
#include "software_walk.h"

#include "../probe/launch.h"
#include "../probe/utc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_VERSION "Microsoft\\Windows NT\\CurrentVersion"
#define KEY_CRYPTOGRAPHY "Microsoft\\Cryptography"
#define KEY_CBS "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing"
#define KEY_PACKAGES KEY_CBS "\\Packages"
#define KEY_CBS_REBOOT_PENDING KEY_CBS "\\RebootPending"
#define KEY_WU_REBOOT_REQUIRED "Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired"


/* CBS CurrentState values (the servicing stack's install states). */
static const char *cbs_state_name(uint32_t v, char *buf, size_t size)
{
	static const struct {
		uint32_t value;
		const char *name;
	} states[] = {
		{ 0x00, "absent" },      { 0x05, "uninstall-pending" }, { 0x10, "resolving" },
		{ 0x20, "resolved" },    { 0x30, "staging" },           { 0x40, "staged" },
		{ 0x50, "superseded" },  { 0x60, "install-pending" },   { 0x65, "partially-installed" },
		{ 0x70, "installed" },   { 0x80, "permanent" },
	};
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].value == v)
			return states[i].name;
	snprintf(buf, size, "0x%x", v);
	return buf;
}

/* A package whose name carries no KB: a RollupFix names its update only
 * in the file it was installed from. */
static bool kb_of_rollup(struct regtree *t, regnode node, const char *name, char *kb, size_t size,
			 bool *found)
{
	static const char *const values[] = { "InstallLocation", "InstallName" };
	char text[1024];
	*found = false;
	if (!ascii_contains_nocase(name, "_for_RollupFix"))
		return true;
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]) && !*found; i++) {
		if (!regtree_string(t, node, values[i], text, sizeof(text)))
			return false;
		*found = kb_in_text(text, kb, size);
	}
	return true;
}

static bool read_package(struct regtree *t, regnode node, struct installed_view *v)
{
	char *name = t->ops->name(t, node);
	if (!name)
		return false;
	struct installed_item item = { .kind = INSTALLED_WINDOWS_UPDATE, .sources = UPDATE_FROM_CBS };
	bool wanted = kb_in_text(name, item.name, sizeof(item.name));
	snprintf(item.version, sizeof(item.version), "%s", name);
	bool ok = wanted || kb_of_rollup(t, node, name, item.name, sizeof(item.name), &wanted);
	free(name);
	if (!ok)
		return false;
	if (!wanted && ascii_contains_nocase(item.version, "_for_RollupFix"))
		v->unnamed_rollups++; /* the logs may name it (probe/updates.c) */
	if (!wanted)
		return true; /* a component of Windows itself */
	uint32_t state, high, low;
	bool have_state, have_high, have_low;
	char buf[16];
	if (!regtree_dword(t, node, "CurrentState", &state, &have_state) ||
	    !regtree_dword(t, node, "InstallTimeHigh", &high, &have_high) ||
	    !regtree_dword(t, node, "InstallTimeLow", &low, &have_low))
		return false;
	snprintf(item.state, sizeof(item.state), "%s",
		 have_state ? cbs_state_name(state, buf, sizeof(buf)) : "unknown");
	uint64_t ft = (uint64_t)high << 32 | low;
	if (have_high && have_low && utc_from_filetime(ft) > 0)
		item.installed_at = utc_from_filetime(ft);
	if (!installed_add(v, &item))
		return hv_fail(t->err, HV_EDATA, "%s: more than %d updates", t->name, INSTALLED_MAX);
	return true;
}

static bool read_packages(struct regtree *t, regnode packages, struct installed_view *v)
{
	regnode *nodes = t->ops->children(t, packages);
	bool ok = nodes != NULL;
	for (size_t i = 0; ok && nodes[i]; i++)
		ok = read_package(t, nodes[i], v);
	regtree_release_all(t, nodes);
	return ok;
}

/* The installation's identity; each key is released as soon as it is read. */
static bool read_version(struct regtree *t, regnode root, struct evidence *ev)
{
	regnode version;
	char build[16];
	uint32_t ubr;
	bool have_ubr;
	if (!regtree_path(t, root, KEY_VERSION, &version))
		return false;
	if (!version)
		return true;
	bool ok = regtree_string(t, version, "ProductName", ev->windows.product,
				 sizeof(ev->windows.product)) &&
		  regtree_string(t, version, "CurrentBuild", build, sizeof(build)) &&
		  regtree_dword(t, version, "UBR", &ubr, &have_ubr);
	t->ops->release(t, version);
	if (!ok)
		return false;
	if (have_ubr)
		snprintf(ev->windows.build, sizeof(ev->windows.build), "%s.%u", build, ubr);
	else
		snprintf(ev->windows.build, sizeof(ev->windows.build), "%s", build);
	ev->windows.read = true;
	return true;
}

static bool read_machine_guid(struct regtree *t, regnode root, struct evidence *ev)
{
	regnode crypto;
	char guid[64];
	if (!regtree_path(t, root, KEY_CRYPTOGRAPHY, &crypto))
		return false;
	if (!crypto)
		return true;
	bool ok = regtree_string(t, crypto, "MachineGuid", guid, sizeof(guid));
	t->ops->release(t, crypto);
	if (ok && guid[0])
		snprintf(ev->machine_id, sizeof(ev->machine_id), "windows:%s", guid);
	return ok;
}

/* A key that exists or not; both are an answer. */
static bool key_exists(struct regtree *t, regnode root, const char *path, tri_t *out)
{
	regnode key;
	if (!regtree_path(t, root, path, &key))
		return false;
	*out = key ? TRI_YES : TRI_NO;
	if (key)
		t->ops->release(t, key);
	return true;
}

/* Whether Windows creates these keys volatile (never written to the hive
 * file) is not documented: a key found is a restart pending, but one
 * missing from a hive file taken offline proves nothing (docs/windows.md). */
static bool read_restart_markers(struct regtree *t, regnode root, bool live, struct restart_view *r)
{
	tri_t cbs, wu;
	if (!key_exists(t, root, KEY_CBS_REBOOT_PENDING, &cbs) ||
	    !key_exists(t, root, KEY_WU_REBOOT_REQUIRED, &wu))
		return false;
	r->cbs_reboot_pending = cbs == TRI_NO && !live ? TRI_UNKNOWN : cbs;
	r->wu_reboot_required = wu == TRI_NO && !live ? TRI_UNKNOWN : wu;
	snprintf(r->software_source, sizeof(r->software_source), "%s", t->name);
	return true;
}

bool software_walk(struct regtree *t, regnode root, bool need_packages, struct evidence *ev)
{
	regnode packages;
	if (!read_version(t, root, ev) || !read_machine_guid(t, root, ev) ||
	    !read_restart_markers(t, root, ev->windows.live, &ev->restart) ||
	    !regtree_path(t, root, KEY_PACKAGES, &packages))
		return false;
	struct installed_view *v = &ev->installed;
	v->n = 0;
	v->unnamed_rollups = 0;
	if (!packages)
		return !need_packages ||
		       hv_fail(t->err, HV_EDATA, "%s: a registry hive, but not a Windows SOFTWARE hive "
					 "(no %s)", t->name, KEY_PACKAGES);
	bool ok = read_packages(t, packages, v);
	t->ops->release(t, packages);
	if (!ok) {
		v->n = 0;
		return false;
	}
	v->read = true;
	return true;
}
