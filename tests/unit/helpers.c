/* SPDX-License-Identifier: MIT */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/cpuid_dump.h"
#include "probe/bcd.h"
#include "probe/cpuid_decode.h"

void put_leaf(struct cpu_record *cpu, uint32_t leaf, uint32_t sub, uint32_t eax, uint32_t ebx,
	      uint32_t ecx, uint32_t edx)
{
	struct cpuid_leaf l = { leaf, sub, eax, ebx, ecx, edx };
	assert_true(cpu_record_put(cpu, &l));
}

struct cpu_record *add_intel_cpu(struct evidence *ev, unsigned id, uint32_t leaf1_ecx)
{
	struct cpu_record *c = evidence_add_cpu(ev, id);
	assert_non_null(c);
	put_leaf(c, 0, 0, 0x16, VENDOR_INTEL);
	put_leaf(c, 1, 0, 0x906ea, 0, leaf1_ecx, 0xbfebfbff);
	put_leaf(c, 0x80000000u, 0, 0x80000008u, 0, 0, 0);
	put_leaf(c, 0x80000001u, 0, 0, 0, 0x121, CPUID_80000001_EDX_NX | CPUID_80000001_EDX_LM);
	return c;
}

struct cpu_record *add_amd_cpu(struct evidence *ev, unsigned id, bool svm, bool npt)
{
	struct cpu_record *c = evidence_add_cpu(ev, id);
	assert_non_null(c);
	put_leaf(c, 0, 0, 0x10, VENDOR_AMD);
	put_leaf(c, 1, 0, 0xa20f12, 0, 0x7ef8320b, 0x178bfbff);
	put_leaf(c, 0x80000000u, 0, 0x80000020u, 0, 0, 0);
	put_leaf(c, 0x80000001u, 0, 0, 0, svm ? CPUID_80000001_ECX_SVM : 0,
		 CPUID_80000001_EDX_NX | CPUID_80000001_EDX_LM);
	put_leaf(c, 0x8000000Au, 0, 1, 0x8000, 0, npt ? CPUID_8000000A_EDX_NP : 0);
	return c;
}

void run_check(const struct evidence *ev, int index, struct check_result *r)
{
	struct facts f;
	memset(r, 0, sizeof(*r));
	assert_true(facts_init(&f, ev, NULL));
	check_run(&f, index, r);
	facts_free(&f);
}

void load_fixture(const char *relpath, struct evidence *ev)
{
	char path[1024], err[256];
	snprintf(path, sizeof(path), "%s/%s", HVPROBE_FIXTURES, relpath);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open fixture %s", path);
	size_t cap = 4u << 20;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t n = fread(buf, 1, cap, fp);
	fclose(fp);
	bool ok = cpuid_dump_parse(buf, n, ev, NULL, err, sizeof(err));
	free(buf);
	if (!ok)
		fail_msg("%s: %s", relpath, err);
}

const struct evidence_item *find_item(const struct check_result *r, const char *key)
{
	for (size_t i = 0; i < r->nitems; i++)
		if (strcmp(r->items[i].key, key) == 0)
			return &r->items[i];
	return NULL;
}

/* ---- BCD stores, element by element ---- */

struct bcd_object *bcd_test_object(struct bcd_store *s, const char *id, uint32_t type)
{
	struct bcd_object *o = bcd_add_object(s, id);
	assert_non_null(o);
	o->has_type = true;
	o->type = type;
	s->read = true;
	return o;
}

struct bcd_object *bcd_test_find(struct bcd_store *s, const char *id)
{
	for (size_t i = 0; i < s->nobjects; i++)
		if (strcmp(s->objects[i].id, id) == 0)
			return &s->objects[i];
	fail_msg("no object %s", id);
	return NULL;
}

void bcd_test_raw(struct bcd_object *o, uint32_t type, uint32_t reg_type, const void *data, size_t len)
{
	assert_true(bcd_object_add_element(o, type, true, reg_type, data, len));
}

void bcd_test_integer(struct bcd_object *o, uint32_t type, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	bcd_test_raw(o, type, REG_TYPE_BINARY, b, 8);
}

void bcd_test_boolean(struct bcd_object *o, uint32_t type, bool v)
{
	unsigned char b = v;
	bcd_test_raw(o, type, REG_TYPE_BINARY, &b, 1);
}

/* UTF-16LE of a UTF-8 string holding only BMP characters, NUL included. */
size_t bcd_test_utf16(const char *s, unsigned char *out)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t c = *p++;
		if (c >= 0xE0) {
			c = (c & 0x0F) << 12 | (uint32_t)(p[0] & 0x3F) << 6 | (p[1] & 0x3F);
			p += 2;
		} else if (c >= 0xC0) {
			c = (c & 0x1F) << 6 | (p[0] & 0x3F);
			p++;
		}
		out[n++] = (unsigned char)c;
		out[n++] = (unsigned char)(c >> 8);
	}
	out[n++] = 0;
	out[n++] = 0;
	return n;
}

void bcd_test_string(struct bcd_object *o, uint32_t type, const char *s)
{
	unsigned char b[512];
	bcd_test_raw(o, type, REG_TYPE_SZ, b, bcd_test_utf16(s, b));
}

void bcd_test_inherit(struct bcd_object *o, const char *a, const char *b)
{
	unsigned char buf[512];
	size_t n = bcd_test_utf16(a, buf);
	if (b)
		n += bcd_test_utf16(b, buf + n);
	buf[n++] = 0;
	buf[n++] = 0;
	bcd_test_raw(o, BcdLibraryObjectList_InheritedObjects, REG_TYPE_MULTI_SZ, buf, n);
}

/* The shape every real store has: {bootmgr} -> loader -> {bootloadersettings}
 * -> {globalsettings}, {hypervisorsettings}. */
void bcd_test_store(struct bcd_store *s)
{
	struct bcd_object *bm = bcd_test_object(s, BCD_BOOTMGR_ID, BCD_OBJECT_BOOTMGR);
	bcd_test_string(bm, BcdLibraryString_Description, "Windows Boot Manager");
	bcd_test_string(bm, BcdBootMgrObject_DefaultObject, BCD_TEST_LOADER);
	struct bcd_object *l = bcd_test_object(s, BCD_TEST_LOADER, BCD_OBJECT_OSLOADER);
	bcd_test_string(l, BcdLibraryString_Description, "Windows 10");
	bcd_test_string(l, BcdLibraryString_ApplicationPath, "\\WINDOWS\\system32\\winload.efi");
	bcd_test_integer(l, BcdOSLoaderInteger_NxPolicy, NX_OPT_IN);
	bcd_test_inherit(l, BCD_TEST_BOOTLOADERSETTINGS, NULL);
	bcd_test_inherit(bcd_test_object(s, BCD_TEST_BOOTLOADERSETTINGS, 0x20200003u), BCD_TEST_GLOBALSETTINGS, BCD_TEST_HYPERVISORSETTINGS);
	bcd_test_object(s, BCD_TEST_GLOBALSETTINGS, 0x20100000u);
	bcd_test_object(s, BCD_TEST_HYPERVISORSETTINGS, 0x20200003u);
	snprintf(s->path, sizeof(s->path), "/esp/EFI/Microsoft/Boot/BCD");
	s->origin = BCD_ORIGIN_GIVEN;
}


void add_event(struct evidence *ev, const char *provider, uint32_t id, int64_t time, unsigned n,
	       ...)
{
	struct event_record head = { .time = time, .event_id = id, .qualifiers = -1 };
	int log = events_log(&ev->events, "System.evtx");
	assert_true(log >= 0);
	head.log = (unsigned)log;
	head.record_id = ev->events.n + 1;
	snprintf(head.provider, sizeof(head.provider), "%s", provider);
	snprintf(head.channel, sizeof(head.channel), "System");
	const char *names[EVENT_DATA_MAX], *values[EVENT_DATA_MAX];
	va_list ap;
	va_start(ap, n);
	for (unsigned i = 0; i < n && i < EVENT_DATA_MAX; i++) {
		names[i] = va_arg(ap, const char *);
		values[i] = va_arg(ap, const char *);
	}
	va_end(ap);
	assert_true(events_add(&ev->events, &head, names, values, n));
	ev->events.read = true;
}

void add_launched_boot(struct evidence *ev, int64_t time)
{
	add_event(ev, EV_BOOT, time, 0);
	add_event(ev, EV_HV, 1, time + 5, 0);
}

void next_boot_ready(struct evidence *ev, const char *release)
{
	struct next_boot_view *nb = &ev->next_boot;
	nb->probed = nb->read = true;
	snprintf(nb->loader, sizeof(nb->loader), "grub");
	snprintf(nb->source, sizeof(nb->source), "/boot/grub/grub.cfg");
	snprintf(nb->entry, sizeof(nb->entry), "Debian GNU/Linux");
	snprintf(nb->cmdline, sizeof(nb->cmdline), "root=/dev/sda1 ro quiet");
	snprintf(nb->next.release, sizeof(nb->next.release), "%s", release);
	nb->next.tree = TRI_YES;
	nb->next.kvm = nb->next.kvm_intel = nb->next.kvm_amd = MODULE_FILE;
}
