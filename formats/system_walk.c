/* SPDX-License-Identifier: MIT */
/*
 *   Select                      Current: N, the control set in use
 *   ControlSet00N\Services\X    hvboot (2012 R2), hvservice (2016 and
 *                               later), vmms, vmcompute, vid
 *   ControlSet00N\Control       PEFirmwareType: 1 BIOS, 2 UEFI
 *   ControlSet00N\Control\Session Manager
 *                               PendingFileRenameOperations: REG_MULTI_SZ, pairs of
 *                               names that Session Manager renames or deletes at the
 *                               next boot (MoveFileEx MOVEFILE_DELAY_UNTIL_REBOOT)
 */
#include "system_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PE_FIRMWARE_BIOS 1u
#define PE_FIRMWARE_UEFI 2u

/* Services whose presence means the Hyper-V role is installed. */
static const char *const hyperv_services[] = { "hvboot", "hvservice", "vmms", "vmcompute", "vid" };

static bool control_set(struct regtree *t, regnode root, regnode *set)
{
	regnode select;
	uint32_t current;
	bool have = false;
	char name[32];
	if (!regtree_path(t, root, "Select", &select))
		return false;
	if (select) {
		bool ok = regtree_dword(t, select, "Current", &current, &have);
		t->ops->release(t, select);
		if (!ok)
			return false;
	}
	if (have)
		snprintf(name, sizeof(name), "ControlSet%03u", current);
	else
		snprintf(name, sizeof(name), "CurrentControlSet");
	if (!regtree_path(t, root, name, set))
		return false;
	return *set || regtree_broken(t, "not a Windows SYSTEM hive (no Select\\Current control set)");
}

static bool read_services(struct regtree *t, regnode set, struct windows_boot *wb)
{
	regnode services;
	if (!regtree_path(t, set, "Services", &services))
		return false;
	if (!services)
		return true;
	bool ok = true, any = false;
	wb->hyperv_services[0] = '\0';
	for (size_t i = 0; ok && i < sizeof(hyperv_services) / sizeof(hyperv_services[0]); i++) {
		regnode s;
		ok = t->ops->child(t, services, hyperv_services[i], &s);
		if (!ok || !s)
			continue;
		t->ops->release(t, s);
		size_t n = strlen(wb->hyperv_services);
		snprintf(wb->hyperv_services + n, sizeof(wb->hyperv_services) - n, "%s%s", n ? " " : "",
			 hyperv_services[i]);
		any |= strcmp(hyperv_services[i], "vid") != 0;
	}
	t->ops->release(t, services);
	if (ok)
		wb->hyperv_role = any ? TRI_YES : TRI_NO;
	return ok;
}

static bool read_firmware(struct regtree *t, regnode set, struct windows_boot *wb)
{
	regnode control;
	uint32_t type;
	bool have = false;
	if (!regtree_path(t, set, "Control", &control))
		return false;
	if (!control)
		return true;
	bool ok = regtree_dword(t, control, "PEFirmwareType", &type, &have);
	t->ops->release(t, control);
	if (ok && have && (type == PE_FIRMWARE_BIOS || type == PE_FIRMWARE_UEFI)) {
		wb->uefi = type == PE_FIRMWARE_UEFI ? TRI_YES : TRI_NO;
		snprintf(wb->uefi_source, sizeof(wb->uefi_source), "SYSTEM Control\\PEFirmwareType");
	}
	return ok;
}

/* UTF-16LE strings, each ended by a 0 unit. PendingFileRenameOperations
 * holds empty strings inside (the new name of a file to delete), so the
 * count runs to the last string that is not empty, not to the first empty. */
static unsigned multi_sz_count(const unsigned char *data, size_t len)
{
	unsigned strings = 0, upto_last_text = 0;
	size_t start = 0;
	for (size_t i = 0; i + 1 < len; i += 2) {
		if (data[i] || data[i + 1])
			continue;
		strings++;
		if (i > start)
			upto_last_text = strings;
		start = i + 2;
	}
	return upto_last_text;
}

static bool read_file_renames(struct regtree *t, regnode set, struct restart_view *r)
{
	regnode sm;
	uint32_t type = 0;
	char *data = NULL;
	size_t len = 0;
	if (!regtree_path(t, set, "Control\\Session Manager", &sm))
		return false;
	bool ok = !sm || t->ops->value(t, sm, "PendingFileRenameOperations", &type, &data, &len);
	if (sm)
		t->ops->release(t, sm);
	if (!ok)
		return false;
	if (!sm)
		data = NULL;
	r->file_renames = TRI_NO;
	r->file_rename_count = 0;
	snprintf(r->system_source, sizeof(r->system_source), "%s", t->name);
	if (data && type == REGTREE_MULTI_SZ) {
		/* pairs: the file, then its new name ("" deletes it) */
		r->file_rename_count = (multi_sz_count((const unsigned char *)data, len) + 1) / 2;
		r->file_renames = r->file_rename_count ? TRI_YES : TRI_NO;
	}
	free(data);
	return true;
}

bool system_walk(struct regtree *t, regnode root, struct windows_boot *wb, struct restart_view *restart)
{
	regnode set;
	if (!control_set(t, root, &set))
		return false;
	bool ok = read_services(t, set, wb) && read_firmware(t, set, wb) &&
		  read_file_renames(t, set, restart);
	t->ops->release(t, set);
	if (ok)
		wb->system_read = true;
	return ok;
}
