/* SPDX-License-Identifier: MIT */
/*
 * Keys read, below the SOFTWARE hive's root:
 *   Microsoft\Windows NT\CurrentVersion   ProductName, CurrentBuild, UBR
 *   Microsoft\Cryptography                MachineGuid
 *   Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages\<package>
 *                                         CurrentState, InstallTimeHigh/Low
 * Package names carry the update: "Package_for_KB5009624~31bf3856ad364e35~
 * amd64~~6.3.1.4"; one update spans several packages, merged by KB number.
 */
#include "software_hive.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../nocase_path.h"
#include "hive.h"

#define KEY_VERSION "Microsoft\\Windows NT\\CurrentVersion"
#define KEY_CRYPTOGRAPHY "Microsoft\\Cryptography"
#define KEY_PACKAGES "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"

/* FILETIME counts 100 ns intervals since 1601-01-01 UTC. */
#define FILETIME_PER_SECOND 10000000ull
#define FILETIME_UNIX_EPOCH 11644473600ull

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

/* "KB" and at least six digits anywhere in the package name. */
static bool kb_number(const char *package, char *out, size_t size)
{
	for (const char *p = package; *p; p++) {
		if (toupper((unsigned char)p[0]) != 'K' || toupper((unsigned char)p[1]) != 'B')
			continue;
		size_t n = 0;
		while (isdigit((unsigned char)p[2 + n]))
			n++;
		if (n >= 6 && n < 12) {
			snprintf(out, size, "KB%.*s", (int)n, p + 2);
			return true;
		}
	}
	return false;
}

static bool read_package(struct hive_file *hf, hive_node_h node, struct installed_view *v)
{
	char *name = hive_name(hf, node);
	if (!name)
		return false;
	struct installed_item item = { .kind = INSTALLED_WINDOWS_UPDATE };
	bool wanted = kb_number(name, item.name, sizeof(item.name));
	snprintf(item.version, sizeof(item.version), "%s", name);
	free(name);
	if (!wanted)
		return true; /* a component of Windows itself, not an update */
	uint32_t state, high, low;
	bool have_state, have_high, have_low;
	char buf[16];
	if (!hive_dword(hf, node, "CurrentState", &state, &have_state) ||
	    !hive_dword(hf, node, "InstallTimeHigh", &high, &have_high) ||
	    !hive_dword(hf, node, "InstallTimeLow", &low, &have_low))
		return false;
	snprintf(item.state, sizeof(item.state), "%s",
		 have_state ? cbs_state_name(state, buf, sizeof(buf)) : "unknown");
	uint64_t ft = (uint64_t)high << 32 | low;
	if (have_high && have_low && ft / FILETIME_PER_SECOND > FILETIME_UNIX_EPOCH)
		item.installed_at = (int64_t)(ft / FILETIME_PER_SECOND - FILETIME_UNIX_EPOCH);
	if (!installed_add(v, &item))
		return hv_fail(hf->err, HV_EDATA, "%s: more than %d updates", hf->file, INSTALLED_MAX);
	return true;
}

static bool read_packages(struct hive_file *hf, hive_node_h packages, struct installed_view *v)
{
	hive_node_h *nodes = hive_children(hf, packages);
	if (!nodes)
		return false;
	bool ok = true;
	for (size_t i = 0; ok && nodes[i]; i++)
		ok = read_package(hf, nodes[i], v);
	free(nodes);
	return ok;
}

static bool read_identity(struct hive_file *hf, hive_node_h root, struct evidence *ev)
{
	hive_node_h version, crypto;
	char guid[64], build[16];
	uint32_t ubr;
	bool have_ubr;
	if (!hive_path(hf, root, KEY_VERSION, &version) || !hive_path(hf, root, KEY_CRYPTOGRAPHY, &crypto))
		return false;
	if (version) {
		if (!hive_string(hf, version, "ProductName", ev->windows.product, sizeof(ev->windows.product)) ||
		    !hive_string(hf, version, "CurrentBuild", build, sizeof(build)) ||
		    !hive_dword(hf, version, "UBR", &ubr, &have_ubr))
			return false;
		if (have_ubr)
			snprintf(ev->windows.build, sizeof(ev->windows.build), "%s.%u", build, ubr);
		else
			snprintf(ev->windows.build, sizeof(ev->windows.build), "%s", build);
		ev->windows.read = true;
	}
	if (crypto) {
		if (!hive_string(hf, crypto, "MachineGuid", guid, sizeof(guid)))
			return false;
		if (guid[0])
			snprintf(ev->machine_id, sizeof(ev->machine_id), "windows:%s", guid);
	}
	return true;
}

bool software_hive_load(const char *file, struct evidence *ev, struct hv_error *err)
{
	struct hive_file hf;
	hive_node_h packages;
	if (!hive_open(&hf, file, err, NULL, NULL))
		return false;
	hive_node_h root = hivex_root(hf.h);
	bool ok = hive_path(&hf, root, KEY_PACKAGES, &packages);
	if (ok && !packages)
		ok = hv_fail(err, HV_EDATA, "%s: a registry hive, but not a Windows SOFTWARE hive (no %s)",
			     file, KEY_PACKAGES);
	struct installed_view *v = &ev->installed;
	v->n = 0;
	ok = ok && read_identity(&hf, root, ev) && read_packages(&hf, packages, v);
	hive_close(&hf);
	if (!ok) {
		v->n = 0;
		return false;
	}
	v->read = true;
	snprintf(v->source, sizeof(v->source), "SOFTWARE hive %s", file);
	return true;
}

bool windows_volume_load(const char *root, struct evidence *ev, struct hv_error *err)
{
	char path[4096];
	int why;
	if (!nocase_path_find(root, SOFTWARE_HIVE_PLACE, path, sizeof(path), &why)) {
		if (why == ENOENT)
			return hv_fail(err, HV_ENOINPUT, "%s: no %s here (is it the Windows volume, "
					       "mounted?)", root, SOFTWARE_HIVE_PLACE);
		return hv_fail(err, HV_ENOINPUT, "%s: %s", root, strerror(why));
	}
	return software_hive_load(path, ev, err);
}
