/* SPDX-License-Identifier: MIT */
/* BCD resolution (default, inheritance, value decoding) and the bcd.*
 * checks, on stores built in memory element by element. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/bcd.h"
#include "probe/utf16.h"
#include "probe/cpuid_decode.h"

#define ASSERT_CONTAINS(hay, needle)                                               \
	do {                                                                       \
		if (!strstr((hay), (needle)))                                      \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle)); \
	} while (0)

#define LOADER BCD_TEST_LOADER
#define LOADER2 "{e018a2d1-b134-11ea-95b2-81f0ac71b75b}"
#define BOOTLOADERSETTINGS BCD_TEST_BOOTLOADERSETTINGS
#define GLOBALSETTINGS BCD_TEST_GLOBALSETTINGS
#define HYPERVISORSETTINGS BCD_TEST_HYPERVISORSETTINGS
#define MEMDIAG "{b2721d73-1db4-4c62-bf78-c548a880142d}"

static struct bcd_object *loader(struct bcd_store *s)
{
	return bcd_test_find(s, LOADER);
}

static void resolve(const struct bcd_store *s, const char *request, struct bcd_view *v)
{
	assert_true(bcd_resolve(s, request, v));
}

/* ---- decoding ---- */

static void utf16_decoding(void **state)
{
	(void)state;
	char out[64];
	unsigned char in[64];
	size_t n = bcd_test_utf16("Windows\xc2\xa0" "10", in); /* U+00A0 as in real stores */
	utf16le_to_utf8(in, n, out, sizeof(out));
	assert_string_equal(out, "Windows\xc2\xa0" "10");

	n = bcd_test_utf16("Диагностика", in);
	utf16le_to_utf8(in, n, out, sizeof(out));
	assert_string_equal(out, "Диагностика");

	const unsigned char pair[] = { 0x3D, 0xD8, 0x00, 0xDE, 0, 0 }; /* U+1F600 */
	utf16le_to_utf8(pair, sizeof(pair), out, sizeof(out));
	assert_string_equal(out, "\xf0\x9f\x98\x80");

	const unsigned char lone[] = { 0x00, 0xDC, 'A', 0, 0x3D, 0xD8 }; /* low, A, high */
	utf16le_to_utf8(lone, sizeof(lone), out, sizeof(out));
	assert_string_equal(out, "\xef\xbf\xbd" "A\xef\xbf\xbd");

	const unsigned char odd[] = { 'A', 0, 'B' }; /* a stray last byte is dropped */
	utf16le_to_utf8(odd, sizeof(odd), out, sizeof(out));
	assert_string_equal(out, "A");

	n = bcd_test_utf16("ab\xc2\xa0", in); /* no room for the two-byte character: cut before it */
	utf16le_to_utf8(in, n, out, 4);
	assert_string_equal(out, "ab");
}

static void requests(void **state)
{
	(void)state;
	const char *good[] = { "default", "all", "ALL", "{current}", "{default}", "{bootmgr}",
			       "{BootLoaderSettings}", LOADER, "E018A2D0-B134-11EA-95B2-81F0AC71B75B" };
	const char *bad[] = { "", "{nosuch}", "e018a2d0", "{e018a2d0-b134-11ea-95b2-81f0ac71b75}",
			      "{e018a2d0-b134-11ea-95b2-81f0ac71b75bb}", "{e018a2d0+b134-11ea-95b2-81f0ac71b75b}",
			      "{g018a2d0-b134-11ea-95b2-81f0ac71b75b}" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!bcd_request_valid(good[i]))
			fail_msg("refused %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (bcd_request_valid(bad[i]))
			fail_msg("accepted %s", bad[i]);
}

/* ---- resolution ---- */

static void default_entry_resolves(void **state)
{
	(void)state;
	struct bcd_store s = { 0 };
	struct bcd_view v;
	bcd_test_store(&s);
	resolve(&s, NULL, &v);
	assert_int_equal(v.state, BCD_STATE_RESOLVED);
	assert_true(v.is_default);
	assert_string_equal(v.default_id, LOADER);
	assert_string_equal(v.entry.id, LOADER);
	assert_string_equal(v.entry.description, "Windows 10");
	assert_string_equal(v.entry.loader_path, "\\WINDOWS\\system32\\winload.efi");
	assert_string_equal(v.entry.problem, "");
	/* Depth first, in list order. */
	assert_int_equal(v.entry.ninherited, 3);
	assert_string_equal(v.entry.inherited[0], BOOTLOADERSETTINGS);
	assert_string_equal(v.entry.inherited[1], GLOBALSETTINGS);
	assert_string_equal(v.entry.inherited[2], HYPERVISORSETTINGS);
	assert_int_equal(v.entry.setting[BCD_SET_NX].state, BCD_VALUE_SET);
	assert_int_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].state, BCD_VALUE_ABSENT);
	bcd_view_free(&v);

	/* {current} and {default} are the default; a GUID in upper case and
	 * without braces names the same entry. */
	resolve(&s, "{current}", &v);
	assert_true(v.is_default);
	resolve(&s, "E018A2D0-B134-11EA-95B2-81F0AC71B75B", &v);
	assert_int_equal(v.state, BCD_STATE_RESOLVED);
	assert_true(v.is_default);
	bcd_store_clear(&s);
}

static void inheritance_order(void **state)
{
	(void)state;
	struct bcd_store s = { 0 };
	struct bcd_view v;
	bcd_test_store(&s);
	/* Set only in {hypervisorsettings}: inherited through two levels. */
	bcd_test_integer(bcd_test_find(&s, HYPERVISORSETTINGS), BcdOSLoaderInteger_HypervisorLaunchType,
		HYPERVISOR_LAUNCH_AUTO);
	resolve(&s, NULL, &v);
	assert_int_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].state, BCD_VALUE_SET);
	assert_int_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].number, HYPERVISOR_LAUNCH_AUTO);
	assert_string_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].from, HYPERVISORSETTINGS);

	/* An earlier object in the list wins over a later one... */
	bcd_test_integer(bcd_test_find(&s, GLOBALSETTINGS), BcdOSLoaderInteger_HypervisorLaunchType,
		HYPERVISOR_LAUNCH_OFF);
	resolve(&s, NULL, &v);
	assert_int_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].number, HYPERVISOR_LAUNCH_OFF);
	assert_string_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].from, GLOBALSETTINGS);

	/* ...and the entry's own element wins over everything inherited. */
	bcd_test_integer(loader(&s), BcdOSLoaderInteger_HypervisorLaunchType, HYPERVISOR_LAUNCH_AUTO);
	resolve(&s, NULL, &v);
	assert_int_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].number, HYPERVISOR_LAUNCH_AUTO);
	assert_string_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].from, LOADER);
	bcd_store_clear(&s);
}

static void diamond_is_not_a_cycle(void **state)
{
	(void)state;
	struct bcd_store s = { 0 };
	struct bcd_view v;
	bcd_test_store(&s);
	/* {hypervisorsettings} reached twice: from the entry and from
	 * {bootloadersettings}. Replace the entry's inherit list. */
	struct bcd_object *l = loader(&s);
	l->nelements--; /* inherit was added last */
	free(l->elements[l->nelements].data);
	bcd_test_inherit(l, BOOTLOADERSETTINGS, HYPERVISORSETTINGS);
	resolve(&s, NULL, &v);
	assert_string_equal(v.entry.problem, "");
	assert_int_equal(v.entry.ninherited, 3);
	bcd_store_clear(&s);
}

static void cycle_is_named(void **state)
{
	(void)state;
	struct evidence ev;
	struct bcd_view v;
	struct check_result r;
	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	bcd_test_inherit(bcd_test_find(&ev.bcd, HYPERVISORSETTINGS), BOOTLOADERSETTINGS, NULL);
	resolve(&ev.bcd, NULL, &v);
	assert_int_equal(v.state, BCD_STATE_RESOLVED);
	ASSERT_CONTAINS(v.entry.problem, "inheritance cycle: " BOOTLOADERSETTINGS " -> "
					 HYPERVISORSETTINGS " -> " BOOTLOADERSETTINGS);
	run_check(&ev, CHECK_BCD_ENTRY, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "inheritance cycle");
	run_check(&ev, CHECK_BCD_LAUNCH_TYPE, &r);
	assert_int_equal(r.status, STATUS_SKIP);
	evidence_free(&ev);

	/* An entry that inherits itself. */
	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	bcd_test_inherit(loader(&ev.bcd), LOADER, NULL);
	resolve(&ev.bcd, NULL, &v);
	/* its own list comes first: the one real_shape gave it is later */
	assert_string_equal(v.entry.problem, "");
	evidence_free(&ev);

	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	struct bcd_object *l = loader(&ev.bcd);
	l->nelements--;
	free(l->elements[l->nelements].data);
	bcd_test_inherit(l, LOADER, NULL);
	resolve(&ev.bcd, NULL, &v);
	assert_string_equal(v.entry.problem, "inheritance cycle: " LOADER " -> " LOADER);
	evidence_free(&ev);
}

static void deep_chain_is_bounded(void **state)
{
	(void)state;
	struct bcd_store s = { 0 };
	struct bcd_view v;
	bcd_test_store(&s);
	/* A chain of 40 settings objects from {hypervisorsettings} down. */
	char prev[BCD_ID_MAX], id[BCD_ID_MAX];
	snprintf(prev, sizeof(prev), "%s", HYPERVISORSETTINGS);
	for (int i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "{00000000-0000-0000-0000-%012d}", i);
		bcd_test_object(&s, id, 0x20200003u);
		bcd_test_inherit(bcd_test_find(&s, prev), id, NULL);
		snprintf(prev, sizeof(prev), "%s", id);
	}
	resolve(&s, NULL, &v);
	ASSERT_CONTAINS(v.entry.problem, "deeper or wider");
	bcd_store_clear(&s);
}

/* An inherit list of n ids, as REG_MULTI_SZ. */
static void inherit_list(struct bcd_object *o, const char *const *ids, size_t n)
{
	unsigned char *buf = malloc(n * BCD_ID_MAX * 2 + 2);
	size_t len = 0;
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		len += bcd_test_utf16(ids[i], buf + len);
	buf[len++] = 0;
	buf[len++] = 0;
	bcd_test_raw(o, BcdLibraryObjectList_InheritedObjects, REG_TYPE_MULTI_SZ, buf, len);
	free(buf);
}

#define SHARED "{00000000-0000-0000-0000-0000000fffff}"
#define NLOADERS 1000
#define NMISSING 800

/* Issue 13: every loader of a big store looked each inherited id up with
 * a linear, case-folding search; 1,000 loaders sharing a settings object
 * that names 800 missing ids took minutes. The index must keep what the
 * search did: any case matches, missing and repeated ids are skipped, the
 * first of two ids that differ only in case wins. */
static void a_thousand_loaders(void **state)
{
	(void)state;
	struct bcd_store s = { 0 };
	struct bcd_view v;
	bcd_test_store(&s);
	static char ids[NMISSING + 2][BCD_ID_MAX];
	const char *list[NMISSING + 2];
	for (size_t i = 0; i < NMISSING; i++) {
		snprintf(ids[i], sizeof(ids[i]), "{00000000-0000-0000-0000-0000008%05zX}", i);
		list[i] = ids[i];
	}
	list[NMISSING] = "{7FF607E0-4395-11DB-B0DE-0800200C9A66}"; /* {hypervisorsettings} */
	list[NMISSING + 1] = HYPERVISORSETTINGS;                      /* again */
	struct bcd_object *shared = bcd_test_object(&s, SHARED, 0x20200003u);
	inherit_list(shared, list, NMISSING + 2);
	bcd_test_integer(shared, BcdOSLoaderInteger_HypervisorLaunchType, HYPERVISOR_LAUNCH_AUTO);
	for (size_t i = 0; i < NLOADERS; i++) {
		char id[BCD_ID_MAX];
		snprintf(id, sizeof(id), "{00000000-0000-0000-0000-0000000%05zX}", i);
		struct bcd_object *o = bcd_test_object(&s, id, BCD_OBJECT_OSLOADER);
		bcd_test_string(o, BcdLibraryString_Description, "Windows");
		bcd_test_inherit(o, "{00000000-0000-0000-0000-0000000FFFFF}", BOOTLOADERSETTINGS);
	}
	resolve(&s, "all", &v);
	assert_int_equal(v.nloaders, NLOADERS + 1);
	for (size_t i = 1; i < v.nloaders; i++) {
		const struct bcd_entry *e = &v.loaders[i];
		char id[BCD_ID_MAX];
		snprintf(id, sizeof(id), "{00000000-0000-0000-0000-0000000%05zx}", i - 1);
		assert_string_equal(e->id, id);
		assert_string_equal(e->problem, "");
		assert_int_equal(e->ninherited, 4);
		assert_string_equal(e->inherited[0], SHARED);
		assert_string_equal(e->inherited[1], HYPERVISORSETTINGS);
		assert_string_equal(e->inherited[2], BOOTLOADERSETTINGS);
		assert_string_equal(e->inherited[3], GLOBALSETTINGS);
		assert_int_equal(e->setting[BCD_SET_LAUNCH_TYPE].number, HYPERVISOR_LAUNCH_AUTO);
		assert_string_equal(e->setting[BCD_SET_LAUNCH_TYPE].from, SHARED);
		assert_int_equal(e->setting[BCD_SET_NX].state, BCD_VALUE_ABSENT);
	}
	bcd_view_free(&v);
	resolve(&s, "{00000000-0000-0000-0000-0000000003E7}", &v); /* any case */
	assert_int_equal(v.state, BCD_STATE_RESOLVED);
	assert_string_equal(v.entry.id, "{00000000-0000-0000-0000-0000000003e7}");
	bcd_view_free(&v);

	/* Two objects whose ids differ only in case: the first one counts. */
	struct bcd_object *upper = bcd_test_object(&s, "{AAAAAAAA-0000-0000-0000-000000000000}", BCD_OBJECT_OSLOADER);
	bcd_test_string(upper, BcdLibraryString_Description, "first");
	struct bcd_object *lower = bcd_test_object(&s, "{aaaaaaaa-0000-0000-0000-000000000000}", BCD_OBJECT_OSLOADER);
	bcd_test_string(lower, BcdLibraryString_Description, "second");
	resolve(&s, "{aaaaaaaa-0000-0000-0000-000000000000}", &v);
	assert_string_equal(v.entry.description, "first");
	bcd_view_free(&v);
	bcd_store_clear(&s);
}

static void default_problems(void **state)
{
	(void)state;
	struct bcd_store s = { 0 };
	struct bcd_view v;

	bcd_test_object(&s, LOADER, BCD_OBJECT_OSLOADER);
	resolve(&s, NULL, &v);
	assert_int_equal(v.state, BCD_STATE_UNRESOLVED);
	ASSERT_CONTAINS(v.problem, "no {bootmgr} object");
	bcd_store_clear(&s);

	struct bcd_object *bm = bcd_test_object(&s, BCD_BOOTMGR_ID, BCD_OBJECT_BOOTMGR);
	resolve(&s, NULL, &v);
	ASSERT_CONTAINS(v.problem, "names no default entry");

	bcd_test_string(bm, BcdBootMgrObject_DefaultObject, LOADER2); /* dangling */
	resolve(&s, NULL, &v);
	assert_int_equal(v.state, BCD_STATE_UNRESOLVED);
	assert_string_equal(v.problem, "{bootmgr}'s default entry " LOADER2 " is not in the store");
	bcd_store_clear(&s);

	bm = bcd_test_object(&s, BCD_BOOTMGR_ID, BCD_OBJECT_BOOTMGR);
	bcd_test_integer(bm, BcdBootMgrObject_DefaultObject, 7); /* wrong type */
	resolve(&s, NULL, &v);
	ASSERT_CONTAINS(v.problem, "is REG_BINARY, not a GUID string");
	bcd_store_clear(&s);

	bcd_test_store(&s);
	resolve(&s, LOADER2, &v);
	assert_int_equal(v.state, BCD_STATE_UNRESOLVED);
	assert_string_equal(v.problem, "the store holds no entry " LOADER2);
	assert_string_equal(v.default_id, LOADER); /* the default is still told */

	/* Not a loader: judged, with the reason it cannot be. */
	bcd_test_string(bcd_test_object(&s, MEMDIAG, 0x10200005u), BcdLibraryString_Description, "Диагностика памяти");
	resolve(&s, "{memdiag}", &v);
	assert_int_equal(v.state, BCD_STATE_RESOLVED);
	assert_false(v.is_default);
	assert_string_equal(v.entry.description, "Диагностика памяти");
	ASSERT_CONTAINS(v.entry.problem, "is a memory tester (type 0x10200005), not a Windows OS loader");
	bcd_store_clear(&s);
}

static void wrong_types_and_sizes(void **state)
{
	(void)state;
	struct evidence ev;
	struct bcd_view v;
	struct check_result r;
	const unsigned char three[3] = { 1, 0, 0 };
	const unsigned char nine[9] = { 1 };

	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	bcd_test_string(loader(&ev.bcd), BcdOSLoaderInteger_HypervisorLaunchType, "Auto");
	resolve(&ev.bcd, NULL, &v);
	assert_int_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].state, BCD_VALUE_INVALID);
	assert_string_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].problem,
			    "element 250000f0 of " LOADER " is REG_SZ of 10 bytes; expected an 8-byte "
			    "REG_BINARY integer");
	run_check(&ev, CHECK_BCD_LAUNCH_TYPE, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "hypervisorlaunchtype cannot be read: element 250000f0");
	evidence_free(&ev);

	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	bcd_test_raw(loader(&ev.bcd), BcdOSLoaderInteger_HypervisorLaunchType, REG_TYPE_BINARY, three, 3);
	bcd_test_raw(loader(&ev.bcd), BcdOSLoaderBoolean_HypervisorDebuggerEnabled, REG_TYPE_BINARY, nine, 9);
	assert_true(bcd_object_add_element(loader(&ev.bcd), BcdOSLoaderInteger_HypervisorNumProc,
					   false, 0, NULL, 0)); /* a key without its value */
	resolve(&ev.bcd, NULL, &v);
	assert_int_equal(v.entry.setting[BCD_SET_LAUNCH_TYPE].state, BCD_VALUE_INVALID);
	ASSERT_CONTAINS(v.entry.setting[BCD_SET_LAUNCH_TYPE].problem, "REG_BINARY of 3 bytes");
	assert_int_equal(v.entry.setting[BCD_SET_HV_DEBUG].state, BCD_VALUE_INVALID);
	ASSERT_CONTAINS(v.entry.setting[BCD_SET_HV_DEBUG].problem, "a REG_BINARY boolean");
	ASSERT_CONTAINS(v.entry.setting[BCD_SET_HV_NUM_PROC].problem, "no Element value");
	run_check(&ev, CHECK_BCD_HV_DEBUG, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	run_check(&ev, CHECK_BCD_HV_SETTINGS, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	evidence_free(&ev);
}

/* ---- the checks ---- */

struct case_ {
	uint32_t element;
	bool is_bool;
	uint64_t value;
	int check;
	enum check_status want;
	const char *summary;
	const char *remedy; /* NULL: none */
};

static void check_statuses(void **state)
{
	(void)state;
	static const struct case_ cases[] = {
		{ BcdOSLoaderInteger_HypervisorLaunchType, false, 1, CHECK_BCD_LAUNCH_TYPE, STATUS_PASS,
		  "Auto", NULL },
		{ BcdOSLoaderInteger_HypervisorLaunchType, false, 0, CHECK_BCD_LAUNCH_TYPE, STATUS_FAIL,
		  "Off in \"Windows 10\"", "bcdedit /set " LOADER " hypervisorlaunchtype auto" },
		{ BcdOSLoaderInteger_HypervisorLaunchType, false, 7, CHECK_BCD_LAUNCH_TYPE, STATUS_WARN,
		  "value 7", "hypervisorlaunchtype auto" },
		{ BcdOSLoaderInteger_NxPolicy, false, NX_ALWAYS_OFF, CHECK_BCD_NX, STATUS_FAIL,
		  "AlwaysOff", "bcdedit /set " LOADER " nx OptIn" },
		{ BcdOSLoaderInteger_NxPolicy, false, NX_OPT_OUT, CHECK_BCD_NX, STATUS_PASS, "OptOut", NULL },
		{ BcdOSLoaderInteger_NxPolicy, false, NX_ALWAYS_ON, CHECK_BCD_NX, STATUS_PASS, "AlwaysOn", NULL },
		{ BcdOSLoaderInteger_NxPolicy, false, 9, CHECK_BCD_NX, STATUS_WARN, "value 9", "nx OptIn" },
		{ BcdOSLoaderBoolean_HypervisorDebuggerEnabled, true, 1, CHECK_BCD_HV_DEBUG, STATUS_WARN,
		  "on", "hypervisordebug off" },
		{ BcdOSLoaderBoolean_HypervisorDebuggerEnabled, true, 0, CHECK_BCD_HV_DEBUG, STATUS_PASS,
		  "off", NULL },
		{ BcdOSLoaderBoolean_HypervisorSlatDisabled, true, 1, CHECK_BCD_HV_SETTINGS, STATUS_WARN,
		  "SLAT disabled", "bcdedit /deletevalue " LOADER " hypervisordisableslat" },
		{ BcdOSLoaderInteger_HypervisorNumProc, false, 4, CHECK_BCD_HV_SETTINGS, STATUS_PASS,
		  "hypervisornumproc 4", NULL },
		{ BcdOSLoaderInteger_HypervisorIommuPolicy, false, 2, CHECK_BCD_HV_SETTINGS, STATUS_PASS,
		  "IOMMU policy Disable", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct case_ *c = &cases[i];
		struct evidence ev;
		struct check_result r;
		evidence_init(&ev);
		bcd_test_store(&ev.bcd);
		struct bcd_object *l = bcd_test_find(&ev.bcd, LOADER);
		if (c->element == BcdOSLoaderInteger_NxPolicy)
			l->elements[2].type = 0x25000021u; /* move the OptIn out of the way (pae) */
		if (c->is_bool)
			bcd_test_boolean(l, c->element, c->value != 0);
		else
			bcd_test_integer(l, c->element, c->value);
		run_check(&ev, c->check, &r);
		if (r.status != c->want)
			fail_msg("case %zu: status %s, want %s (%s)", i, check_status_name(r.status),
				 check_status_name(c->want), r.summary);
		ASSERT_CONTAINS(r.summary, c->summary);
		if (c->remedy)
			ASSERT_CONTAINS(r.remedy, c->remedy);
		else
			assert_string_equal(r.remedy, "");
		evidence_free(&ev);
	}
}

static void absent_settings(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	run_check(&ev, CHECK_BCD_ENTRY, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_string_equal(r.summary, "\"Windows 10\" " LOADER " (default) in /esp/EFI/Microsoft/Boot/BCD");
	run_check(&ev, CHECK_BCD_LAUNCH_TYPE, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	ASSERT_CONTAINS(r.summary, "not set in \"Windows 10\"");
	ASSERT_CONTAINS(r.remedy, "Hyper-V role");
	ASSERT_CONTAINS(r.remedy, "bcdedit /set " LOADER " hypervisorlaunchtype auto");
	run_check(&ev, CHECK_BCD_HV_DEBUG, &r);
	assert_int_equal(r.status, STATUS_PASS);
	run_check(&ev, CHECK_BCD_HV_SETTINGS, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_string_equal(r.summary, "defaults");
	/* nx absent: Windows' own default, which is never AlwaysOff */
	bcd_test_find(&ev.bcd, LOADER)->elements[2].type = 0x25000021u;
	run_check(&ev, CHECK_BCD_NX, &r);
	assert_int_equal(r.status, STATUS_PASS);
	ASSERT_CONTAINS(r.summary, "not set");
	evidence_free(&ev);
}

static void no_store(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	ev.source = SOURCE_LIVE;
	snprintf(ev.bcd.search, sizeof(ev.bcd.search), "no FAT or NTFS partition is mounted");
	run_check(&ev, CHECK_BCD_ENTRY, &r);
	assert_int_equal(r.status, STATUS_SKIP); /* the verdict makes it UNKNOWN where required */
	assert_true(r.no_evidence);
	assert_string_equal(r.summary, "no Windows BCD store found: no FAT or NTFS partition is mounted");
	ASSERT_CONTAINS(r.remedy, "--esp DIR");
	run_check(&ev, CHECK_BCD_NX, &r);
	assert_int_equal(r.status, STATUS_SKIP);

	ev.bcd.origin = BCD_ORIGIN_FOUND;
	snprintf(ev.bcd.unreadable, sizeof(ev.bcd.unreadable), "/boot/efi/EFI/Microsoft/Boot/BCD: "
		 "Permission denied");
	run_check(&ev, CHECK_BCD_ENTRY, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.summary, "Permission denied");
	ASSERT_CONTAINS(r.remedy, "as root");

	evidence_init(&ev);
	ev.source = SOURCE_DUMP;
	run_check(&ev, CHECK_BCD_ENTRY, &r);
	assert_string_equal(r.summary, "no BCD store in this CPUID dump");
	evidence_free(&ev);
}

/* Every byte sequence is whole UTF-8 characters. */
static bool whole_utf8(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0;
		if (n == 0)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

static void long_descriptions_are_cut_between_characters(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	char desc[400] = "";
	for (int i = 0; i < 100; i++)
		strcat(desc, "Д"); /* 200 bytes of two-byte characters, after a quote */
	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	struct bcd_object *l = loader(&ev.bcd);
	l->elements[0].type = 0x12000099u; /* retire "Windows 10" */
	bcd_test_string(l, BcdLibraryString_Description, desc);
	run_check(&ev, CHECK_BCD_ENTRY, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_true(whole_utf8(r.summary));
	assert_true(strlen(r.summary) < sizeof(r.summary));
	const struct evidence_item *it = find_item(&r, "description");
	assert_non_null(it);
	assert_true(whole_utf8(it->text));
	assert_int_equal(strlen(it->text), 126); /* 127 bytes cut to 63 whole characters */
	evidence_free(&ev);
}

/* ---- targets and verdict ---- */

static enum verdict verdict_of(const struct evidence *ev, const char *target, struct probe_run *run)
{
	struct facts f;
	assert_true(facts_init(&f, ev, NULL));
	probe_run(&f, target_find(target), NULL, run);
	facts_free(&f);
	return run->verdict;
}

static void verdicts(void **state)
{
	(void)state;
	static struct probe_run run;
	struct evidence ev;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20); /* VMX */
	struct msr_reading fc = { MSR_ALL_CPUS, MSR_IA32_FEATURE_CONTROL, MSR_OK, 0x5 };
	struct msr_reading p1 = { MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS, MSR_OK, 1ull << 63 };
	struct msr_reading p2 = { MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2, MSR_OK, 1ull << 33 };
	assert_true(evidence_add_msr(&ev, &fc));
	assert_true(evidence_add_msr(&ev, &p1));
	assert_true(evidence_add_msr(&ev, &p2));
	ev.msr_origin = MSR_ORIGIN_RECORDED;
	bcd_test_store(&ev.bcd);

	/* Absent launch type fails Hyper-V and nothing else. */
	assert_int_equal(verdict_of(&ev, "hyperv", &run), VERDICT_FAIL);
	assert_int_equal(run.result[CHECK_BCD_LAUNCH_TYPE].status, STATUS_FAIL);
	assert_int_equal(verdict_of(&ev, "hyperv-2012r2", &run), VERDICT_FAIL);
	assert_int_equal(verdict_of(&ev, "kvm", &run), VERDICT_PASS);
	assert_int_equal(run.result[CHECK_BCD_LAUNCH_TYPE].status, STATUS_WARN); /* advisory */
	assert_int_equal(verdict_of(&ev, "any", &run), VERDICT_PASS);
	assert_int_equal(verdict_of(&ev, "xen", &run), VERDICT_PASS);

	bcd_test_integer(bcd_test_find(&ev.bcd, HYPERVISORSETTINGS), BcdOSLoaderInteger_HypervisorLaunchType,
		HYPERVISOR_LAUNCH_AUTO);
	/* Asked for, but whether it launched is not known without the log. */
	assert_int_equal(verdict_of(&ev, "hyperv", &run), VERDICT_UNKNOWN);
	assert_int_equal(run.result[CHECK_HV_LAUNCH].status, STATUS_UNKNOWN);
	add_launched_boot(&ev, 1641900000);
	assert_int_equal(verdict_of(&ev, "hyperv", &run), VERDICT_PASS);

	/* No store: the reason, SKIP where the BCD is advisory, UNKNOWN where
	 * Hyper-V requires it. */
	struct evidence none;
	evidence_init(&none);
	add_intel_cpu(&none, 0, 0x20);
	for (size_t i = 0; i < ev.nmsrs; i++)
		assert_true(evidence_add_msr(&none, &ev.msrs[i]));
	none.msr_origin = MSR_ORIGIN_RECORDED;
	snprintf(none.bcd.search, sizeof(none.bcd.search), "no FAT or NTFS partition is mounted");
	assert_int_equal(verdict_of(&none, "kvm", &run), VERDICT_PASS);
	assert_int_equal(run.result[CHECK_BCD_ENTRY].status, STATUS_SKIP);
	assert_string_equal(run.result[CHECK_BCD_ENTRY].summary,
			    "no Windows BCD store found: no FAT or NTFS partition is mounted");
	assert_int_equal(verdict_of(&none, "hyperv", &run), VERDICT_UNKNOWN);
	assert_int_equal(run.result[CHECK_BCD_ENTRY].status, STATUS_UNKNOWN);
	assert_non_null(strstr(run.result[CHECK_BCD_ENTRY].note, "required for target hyperv"));
	evidence_free(&none);

	/* hypervisordebug is advisory: WARN, and the verdict stands. */
	bcd_test_boolean(bcd_test_find(&ev.bcd, LOADER), BcdOSLoaderBoolean_HypervisorDebuggerEnabled, true);
	assert_int_equal(verdict_of(&ev, "hyperv", &run), VERDICT_PASS);
	assert_int_equal(run.result[CHECK_BCD_HV_DEBUG].status, STATUS_WARN);

	/* A running Hyper-V root settles what is unknown, but an entry set to
	 * Off still fails: the next boot will not launch it. */
	struct cpu_record *cpu = &ev.cpus[0];
	uint32_t sig[3];
	memcpy(sig, "Microsoft Hv", 12);
	put_leaf(cpu, 0x40000000u, 0, 0x4000000Bu, sig[0], sig[1], sig[2]);
	put_leaf(cpu, 0x40000001u, 0, CPUID_HV_INTERFACE_HV1, 0, 0, 0);
	put_leaf(cpu, 0x40000003u, 0, 0x3fff, 0x2bb9ff, 0, 0);
	put_leaf(cpu, 1, 0, 0x906ea, 0, 0x80000000u, 0xbfebfbff); /* VMX hidden, HV bit */
	bcd_test_integer(bcd_test_find(&ev.bcd, LOADER), BcdOSLoaderInteger_HypervisorLaunchType, HYPERVISOR_LAUNCH_OFF);
	assert_int_equal(verdict_of(&ev, "hyperv", &run), VERDICT_FAIL);
	assert_true(run.proof[0] != '\0');

	struct evidence bare;
	evidence_init(&bare);
	struct cpu_record *b = add_intel_cpu(&bare, 0, 0x80000000u);
	put_leaf(b, 0x40000000u, 0, 0x4000000Bu, sig[0], sig[1], sig[2]);
	put_leaf(b, 0x40000001u, 0, CPUID_HV_INTERFACE_HV1, 0, 0, 0);
	put_leaf(b, 0x40000003u, 0, 0x3fff, 0x2bb9ff, 0, 0);
	bare.source = SOURCE_DUMP;
	assert_int_equal(verdict_of(&bare, "hyperv", &run), VERDICT_PASS);
	assert_int_equal(run.result[CHECK_BCD_ENTRY].status, STATUS_UNKNOWN);
	evidence_free(&bare);
	evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf16_decoding),
		cmocka_unit_test(requests),
		cmocka_unit_test(default_entry_resolves),
		cmocka_unit_test(inheritance_order),
		cmocka_unit_test(diamond_is_not_a_cycle),
		cmocka_unit_test(cycle_is_named),
		cmocka_unit_test(deep_chain_is_bounded),
		cmocka_unit_test(a_thousand_loaders),
		cmocka_unit_test(default_problems),
		cmocka_unit_test(wrong_types_and_sizes),
		cmocka_unit_test(check_statuses),
		cmocka_unit_test(absent_settings),
		cmocka_unit_test(no_store),
		cmocka_unit_test(long_descriptions_are_cut_between_characters),
		cmocka_unit_test(verdicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
