/* SPDX-License-Identifier: MIT */
#include "bundle_text.h"

#include <stdio.h>
#include <string.h>

#include "textscan.h"

enum field_type { F_TEXT, F_TRI, F_INT, F_BOOL };

struct field {
	const char *key;
	enum field_type type;
	size_t offset; /* in struct evidence */
	size_t size;   /* of a F_TEXT buffer */
};

#define TEXT(k, m) { k, F_TEXT, offsetof(struct evidence, m), sizeof(((struct evidence *)0)->m) }
#define FIELD(k, t, m) { k, t, offsetof(struct evidence, m), 0 }

static const struct field fields[] = {
	TEXT("hostname", hostname),
	TEXT("os", os),
	TEXT("machine_id", machine_id),
	TEXT("kernel_release", linux_.kernel_release),
	FIELD("kmsg_read", F_TRI, linux_.kmsg_read),
	FIELD("kvm.probed", F_BOOL, kvm.probed),
	FIELD("kvm.device", F_TRI, kvm.device),
	TEXT("kvm.open_error", kvm.open_error),
	FIELD("kvm.api_version", F_INT, kvm.api_version),
	FIELD("kvm.vm_created", F_TRI, kvm.vm_created),
	TEXT("kvm.create_error", kvm.create_error),
	TEXT("kvm.modules", kvm.modules),
	FIELD("kvm.nested", F_TRI, kvm.nested),
	/* absent from older bundles: kvm.sysfs_read stays "no" */
	FIELD("kvm.sysfs_read", F_BOOL, kvm.sysfs_read),
	TEXT("kvm.builtin", kvm.builtin),
	FIELD("kvm.misc_device", F_TRI, kvm.misc_device),
	FIELD("kvm.virt_at_load", F_TRI, kvm.virt_at_load),
	FIELD("boot.probed", F_BOOL, boot.probed),
	FIELD("boot.uefi", F_TRI, boot.uefi),
	FIELD("boot.secure_boot", F_TRI, boot.secure_boot),
	TEXT("bcd.path", bcd.path),
	TEXT("bcd.search", bcd.search),
	TEXT("bcd.unreadable", bcd.unreadable),
	FIELD("windows.read", F_BOOL, windows.read),
	TEXT("windows.product", windows.product),
	TEXT("windows.build", windows.build),
	FIELD("winboot.system_read", F_BOOL, winboot.system_read),
	TEXT("winboot.system_source", winboot.system_source),
	FIELD("winboot.hyperv_role", F_TRI, winboot.hyperv_role),
	TEXT("winboot.hyperv_services", winboot.hyperv_services),
	FIELD("winboot.uefi", F_TRI, winboot.uefi),
	TEXT("winboot.uefi_source", winboot.uefi_source),
	TEXT("winboot.booted_entry", winboot.booted_entry),
	/* --root DIR: the mounted Linux root the history was read from */
	TEXT("root", root),
};

/* Values are one line: newlines and other control bytes become spaces. */
static void put_text(struct strbuf *out, const char *s)
{
	for (; *s; s++)
		sb_putc(out, (unsigned char)*s < 0x20 ? ' ' : *s);
}

void bundle_host_write(const struct evidence *ev, struct strbuf *out)
{
	sb_printf(out, "format=%s\n", BUNDLE_FORMAT);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];
		const char *p = (const char *)ev + f->offset;
		sb_printf(out, "%s=", f->key);
		switch (f->type) {
		case F_TEXT: put_text(out, p); break;
		case F_TRI: sb_puts(out, tri_name(*(const tri_t *)(const void *)p)); break;
		case F_INT: sb_printf(out, "%d", *(const int *)(const void *)p); break;
		case F_BOOL: sb_puts(out, *(const bool *)(const void *)p ? "yes" : "no"); break;
		}
		sb_putc(out, '\n');
	}
}

static bool parse_value(const struct field *f, struct line v, struct evidence *ev)
{
	char *p = (char *)ev + f->offset;
	switch (f->type) {
	case F_TEXT:
		if (v.n >= f->size || memchr(v.s, '\0', v.n))
			return false;
		memcpy(p, v.s, v.n);
		p[v.n] = '\0';
		return true;
	case F_TRI: {
		tri_t t = line_equals(v, "yes") ? TRI_YES : line_equals(v, "no") ? TRI_NO : TRI_UNKNOWN;
		if (t == TRI_UNKNOWN && !line_equals(v, "unknown"))
			return false;
		*(tri_t *)(void *)p = t;
		return true;
	}
	case F_BOOL:
		if (!line_equals(v, "yes") && !line_equals(v, "no"))
			return false;
		*(bool *)(void *)p = line_equals(v, "yes");
		return true;
	case F_INT: {
		uint64_t n;
		bool neg = line_skip(&v, "-");
		if (!line_dec(&v, 1000000, &n) || v.n)
			return false;
		*(int *)(void *)p = neg ? -(int)n : (int)n;
		return true;
	}
	}
	return false;
}

bool bundle_host_parse(const char *text, size_t len, struct evidence *ev, char *err,
		       size_t errsize)
{
	struct line_reader lr;
	struct line l;
	bool have_format = false;
	line_reader_init(&lr, text, len);
	while (line_next(&lr, &l)) {
		if (l.n == 0 || l.s[0] == '#')
			continue;
		const char *eq = memchr(l.s, '=', l.n);
		if (!eq) {
			snprintf(err, errsize, "line %u: expected key=value", lr.lineno);
			return false;
		}
		struct line key = { l.s, (size_t)(eq - l.s) };
		struct line value = { eq + 1, l.n - key.n - 1 };
		if (line_equals(key, "format")) {
			if (!line_equals(value, BUNDLE_FORMAT)) {
				snprintf(err, errsize, "line %u: format is not %s", lr.lineno, BUNDLE_FORMAT);
				return false;
			}
			have_format = true;
			continue;
		}
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			if (!line_equals(key, fields[i].key))
				continue;
			if (!parse_value(&fields[i], value, ev)) {
				snprintf(err, errsize, "line %u: bad value for %s", lr.lineno, fields[i].key);
				return false;
			}
			break;
		}
	}
	if (!have_format) {
		snprintf(err, errsize, "no format=%s line", BUNDLE_FORMAT);
		return false;
	}
	if (ev->linux_.kernel_release[0])
		ev->linux_.present = true;
	return true;
}
