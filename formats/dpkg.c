/* SPDX-License-Identifier: MIT */
#include "dpkg.h"

#include <stdio.h>
#include <string.h>

#include "textscan.h"
#include "../probe/strbuf.h"

/* The packages that matter, by name or the start of their names
 * (docs/linux-history.md, "Which packages count"). */
static const struct {
	const char *name;
	bool prefix;
} suspects[] = {
	{ "linux-image-", true },    /* the kernel and its modules, kvm*.ko among them */
	{ "intel-microcode", true }, /* the CPU's microcode, loaded early at each boot */
	{ "amd64-microcode", true },
	{ "qemu-system", true },     /* the hypervisors and their firmware */
	{ "qemu-kvm", true },
	{ "libvirt-daemon", true },
	{ "xen-hypervisor", true },
	{ "xen-utils", true },
	{ "ovmf", true },
	{ "seabios", true },
	/* Debian's firmware blobs (firmware-misc-nonfree, firmware-linux-nonfree
	 * ...): the kernel loads them into devices at boot, and a device's new
	 * firmware can change what the host and its guests see */
	{ "firmware-", true },
	/* fwupd stages UEFI capsules that the firmware applies at the next
	 * boot: a new BIOS can turn VT-x or AMD-V off; the -signed package
	 * carries the EFI program that hands the capsule over */
	{ "fwupd", false },
	{ "fwupd-amd64-signed", false },
};

bool dpkg_package_matters(const char *name)
{
	for (size_t i = 0; i < sizeof(suspects) / sizeof(suspects[0]); i++) {
		size_t n = strlen(suspects[i].name);
		if (strncmp(name, suspects[i].name, n) == 0 && (suspects[i].prefix || name[n] == '\0'))
			return true;
	}
	return false;
}

struct paragraph {
	char package[96];
	char version[200];
	bool installed;
};

static void copy_value(struct line v, char *out, size_t size)
{
	v = line_trim(v);
	str_copy_n(out, size, v.s, v.n);
}

/* A paragraph ends: keep it if it is an installed package that matters. */
static bool finish(struct paragraph *p, struct installed_view *v)
{
	bool ok = true;
	if (p->package[0] && p->installed && dpkg_package_matters(p->package)) {
		struct installed_item item = { .kind = INSTALLED_PACKAGE, .sources = UPDATE_FROM_DPKG };
		memcpy(item.name, p->package, sizeof(item.name));
		memcpy(item.version, p->version, sizeof(item.version));
		snprintf(item.state, sizeof(item.state), "installed");
		ok = installed_add(v, &item);
	}
	memset(p, 0, sizeof(*p));
	return ok;
}

bool dpkg_status_parse(const char *text, size_t len, struct installed_view *v)
{
	struct line_reader lr;
	struct line l;
	struct paragraph p = { 0 };
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		if (l.n == 0) {
			if (!finish(&p, v))
				return false;
		} else if (line_skip(&l, "Package:")) {
			copy_value(l, p.package, sizeof(p.package));
		} else if (line_skip(&l, "Version:")) {
			copy_value(l, p.version, sizeof(p.version));
		} else if (line_skip(&l, "Status:")) {
			/* "want flag status": the last word is what is on disk */
			l = line_trim(l);
			p.installed = l.n >= 10 && memcmp(l.s + l.n - 10, " installed", 10) == 0;
		}
	}
	return finish(&p, v);
}
