/* SPDX-License-Identifier: MIT */
/*
 * An installation's SOFTWARE tree, from a hive file or the live registry:
 *   Microsoft\Windows NT\CurrentVersion   ProductName, CurrentBuild, UBR
 *   Microsoft\Cryptography                MachineGuid
 *   Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages\<package>
 *                                         CurrentState, InstallTimeHigh/Low
 * Package names carry the update: "Package_for_KB5009624~31bf3856ad364e35~
 * amd64~~6.3.1.4"; one update spans several packages, merged by KB number.
 */
#include "software_walk.h"

#include "../probe/launch.h"
#include "../probe/utc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_VERSION "Microsoft\\Windows NT\\CurrentVersion"
#define KEY_CRYPTOGRAPHY "Microsoft\\Cryptography"
#define KEY_PACKAGES "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"


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

static bool read_package(struct regtree *t, regnode node, struct installed_view *v)
{
	char *name = t->ops->name(t, node);
	if (!name)
		return false;
	struct installed_item item = { .kind = INSTALLED_WINDOWS_UPDATE };
	bool wanted = kb_in_text(name, item.name, sizeof(item.name));
	snprintf(item.version, sizeof(item.version), "%s", name);
	free(name);
	if (!wanted)
		return true; /* a component of Windows itself, not an update */
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

bool software_walk(struct regtree *t, regnode root, bool need_packages, struct evidence *ev)
{
	regnode packages;
	if (!read_version(t, root, ev) || !read_machine_guid(t, root, ev) ||
	    !regtree_path(t, root, KEY_PACKAGES, &packages))
		return false;
	struct installed_view *v = &ev->installed;
	v->n = 0;
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
