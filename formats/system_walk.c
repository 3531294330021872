/* SPDX-License-Identifier: MIT */
/*
 *   Select                      Current: N, the control set in use
 *   ControlSet00N\Services\X    hvboot (2012 R2), hvservice (2016 and
 *                               later), vmms, vmcompute, vid
 *   ControlSet00N\Control       PEFirmwareType: 1 BIOS, 2 UEFI
 */
#include "system_walk.h"

#include <stdio.h>
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

bool system_walk(struct regtree *t, regnode root, struct windows_boot *wb)
{
	regnode set;
	if (!control_set(t, root, &set))
		return false;
	bool ok = read_services(t, set, wb) && read_firmware(t, set, wb);
	t->ops->release(t, set);
	if (ok)
		wb->system_read = true;
	return ok;
}
