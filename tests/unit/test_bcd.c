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

/* An object list of n ids (inherit, bootsequence), as REG_MULTI_SZ. */
static void object_list(struct bcd_object *o, uint32_t type, const char *const *ids, size_t n)
{
	unsigned char *buf = malloc(n * BCD_ID_MAX * 2 + 2);
	size_t len = 0;
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		len += bcd_test_utf16(ids[i], buf + len);
	buf[len++] = 0;
	buf[len++] = 0;
	bcd_test_raw(o, type, REG_TYPE_MULTI_SZ, buf, len);
	free(buf);
}

static void inherit_list(struct bcd_object *o, const char *const *ids, size_t n)
{
	object_list(o, BcdLibraryObjectList_InheritedObjects, ids, n);
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
		  "on: the hypervisor debugger is enabled", "hypervisordebug off" },
		{ BcdOSLoaderBoolean_HypervisorDebuggerEnabled, true, 0, CHECK_BCD_HV_DEBUG, STATUS_PASS,
		  "off: the hypervisor debugger is not enabled", NULL },
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
	/* Not set is not Off: the words say what still starts the hypervisor. */
	run_check(&ev, CHECK_BCD_LAUNCH_TYPE, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	assert_string_equal(r.summary, "not set (not Off) in \"Windows 10\": the Hyper-V role sets Auto; "
			    "VBS (HVCI, Credential Guard) can still start the hypervisor");
	ASSERT_CONTAINS(r.remedy, "Hyper-V role");
	ASSERT_CONTAINS(r.remedy, "bcdedit /set " LOADER " hypervisorlaunchtype auto");
	ASSERT_CONTAINS(r.remedy, "virtualization-based security");
	run_check(&ev, CHECK_BCD_HV_DEBUG, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_string_equal(r.summary, "not set: the hypervisor debugger is not enabled");
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

/* The debugger's link is shown where it is set: {hypervisorsettings}. */
static void hypervisor_debugger_link(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	struct bcd_object *hs = bcd_test_find(&ev.bcd, HYPERVISORSETTINGS);
	bcd_test_integer(hs, BcdOSLoaderInteger_HypervisorDebuggerType, 0);
	bcd_test_integer(hs, BcdOSLoaderInteger_HypervisorDebuggerPortNumber, 1);
	bcd_test_integer(hs, BcdOSLoaderInteger_HypervisorDebuggerBaudrate, 115200);
	run_check(&ev, CHECK_BCD_HV_DEBUG, &r);
	assert_int_equal(r.status, STATUS_PASS); /* a link alone enables nothing */
	assert_null(find_item(&r, "hypervisordebugport"));
	bcd_test_boolean(loader(&ev.bcd), BcdOSLoaderBoolean_HypervisorDebuggerEnabled, true);
	run_check(&ev, CHECK_BCD_HV_DEBUG, &r);
	assert_int_equal(r.status, STATUS_WARN);
	assert_string_equal(r.summary, "on: the hypervisor debugger is enabled, talking to a debugger host "
			    "over the serial, 1394 or network link that hypervisordebugtype names");
	const struct evidence_item *it = find_item(&r, "hypervisordebugport");
	assert_non_null(it);
	assert_int_equal(it->integer, 1);
	assert_string_equal(it->source, "BCD element 250000f4");
	assert_int_equal(find_item(&r, "hypervisorbaudrate")->integer, 115200);
	ASSERT_CONTAINS(r.remedy, "bcdedit /set " LOADER " hypervisordebug off");
	ASSERT_CONTAINS(r.remedy, "bcdedit /hypervisorsettings");
	evidence_free(&ev);
}

/* ---- Windows PE and the next boot ---- */

#define WINRE "{e018a2d2-b134-11ea-95b2-81f0ac71b75b}"
#define SECCONFIG "{0cb3b571-2f2e-4343-a879-d86a476d7215}"

/* An OS loader entry like the default, with its own launch type. */
static struct bcd_object *another_loader(struct bcd_store *s, const char *id, const char *desc,
					 const char *path, int launch)
{
	struct bcd_object *o = bcd_test_object(s, id, BCD_OBJECT_OSLOADER);
	bcd_test_string(o, BcdLibraryString_Description, desc);
	bcd_test_string(o, BcdLibraryString_ApplicationPath, path);
	bcd_test_inherit(o, BOOTLOADERSETTINGS, NULL);
	if (launch >= 0)
		bcd_test_integer(o, BcdOSLoaderInteger_HypervisorLaunchType, (uint64_t)launch);
	return o;
}

static void winre_entry(struct bcd_store *s)
{
	struct bcd_object *re = another_loader(s, WINRE, "Windows Recovery Environment",
					       "\\windows\\system32\\winload.efi", -1);
	bcd_test_boolean(re, BcdOSLoaderBoolean_WinPEMode, true);
}

/* Take an element out of the lookup without freeing it: a type no
 * element has. */
static void retire(struct bcd_object *o, uint32_t type)
{
	for (size_t i = 0; i < o->nelements; i++)
		if (o->elements[i].type == type)
			o->elements[i].type = 0x1F0000FFu;
}

static enum verdict verdict_of(const struct evidence *ev, const char *target, struct probe_run *run);

static void bootsequence(struct bcd_store *s, const char *const *ids, size_t n)
{
	object_list(bcd_test_find(s, BCD_BOOTMGR_ID), BcdBootMgrObjectList_BootSequence, ids, n);
}

/* A recovery store's default starts Windows PE: neither PASS nor FAIL
 * for Hyper-V, and the fix names the store that would tell. */
static void winpe_says_nothing_about_hyperv(void **state)
{
	(void)state;
	static struct probe_run run;
	struct evidence ev;
	struct check_result r;
	struct bcd_view v;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20);
	bcd_test_store(&ev.bcd);
	winre_entry(&ev.bcd);
	retire(bcd_test_find(&ev.bcd, BCD_BOOTMGR_ID), BcdBootMgrObject_DefaultObject);
	bcd_test_string(bcd_test_find(&ev.bcd, BCD_BOOTMGR_ID), BcdBootMgrObject_DefaultObject, WINRE);
	resolve(&ev.bcd, NULL, &v);
	assert_string_equal(v.entry.id, WINRE);
	assert_true(bcd_entry_is_winpe(&v.entry));
	assert_string_equal(v.entry.problem, "entry " WINRE " starts Windows PE (winpe, element "
			    "26000022), not an installed Windows");
	run_check(&ev, CHECK_BCD_ENTRY, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	assert_string_equal(r.summary, "\"Windows Recovery Environment\" " WINRE " (default) starts "
			    "Windows PE (the recovery environment or setup), not the installed Windows: "
			    "it says nothing about Hyper-V");
	ASSERT_CONTAINS(r.remedy, "EFI/Microsoft/Boot/BCD");
	ASSERT_CONTAINS(r.remedy, "--esp DIR");
	assert_true(find_item(&r, "winpe")->boolean);
	run_check(&ev, CHECK_BCD_LAUNCH_TYPE, &r);
	assert_int_equal(r.status, STATUS_SKIP); /* not "not set": FAIL before */
	verdict_of(&ev, "hyperv", &run);
	assert_int_equal(run.result[CHECK_BCD_ENTRY].status, STATUS_UNKNOWN);
	for (int i = CHECK_BCD_LAUNCH_TYPE; i <= CHECK_BCD_HV_SETTINGS; i++)
		assert_int_not_equal(run.result[i].status, STATUS_FAIL);
	assert_int_not_equal(run.verdict, VERDICT_FAIL);
	assert_int_not_equal(run.verdict, VERDICT_PASS);
	evidence_free(&ev);

	/* Named with --bcd-entry in a store whose default is Windows. */
	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	winre_entry(&ev.bcd);
	struct facts f;
	struct probe_inputs in = { WINRE, NULL };
	assert_true(facts_init(&f, &ev, &in));
	check_bcd_entry(&f, &r);
	assert_int_equal(r.status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(r.remedy, "--bcd-entry ID");
	facts_free(&f);
	evidence_free(&ev);
}

/* The checks judge the next boot; hv.launch asks what the last boot asked
 * for: with a one-time sequence pending, the default; live on Windows, the
 * entry that booted. */
static void launch_intent_is_the_last_boot(void **state)
{
	(void)state;
	static const char *const seq[] = { LOADER2 };
	static struct probe_run run;
	struct evidence ev;
	struct facts f;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20);
	bcd_test_store(&ev.bcd);
	bcd_test_integer(loader(&ev.bcd), BcdOSLoaderInteger_HypervisorLaunchType, HYPERVISOR_LAUNCH_AUTO);
	another_loader(&ev.bcd, LOADER2, "Windows 10 without Hyper-V", "\\WINDOWS\\system32\\winload.efi",
		       HYPERVISOR_LAUNCH_OFF);
	add_launched_boot(&ev, 1641900000);
	bootsequence(&ev.bcd, seq, 1);
	assert_true(facts_init(&f, &ev, NULL));
	probe_run(&f, target_find("hyperv"), NULL, &run);
	assert_int_equal(f.launch.asked, TRI_YES);
	ASSERT_CONTAINS(f.launch.asked_why, "Auto in " LOADER);
	assert_int_equal(run.result[CHECK_HV_LAUNCH].status, STATUS_PASS);
	assert_int_equal(run.result[CHECK_BCD_LAUNCH_TYPE].status, STATUS_FAIL); /* the next boot */
	facts_free(&f);

	/* Live on Windows, booted from the second entry, no sequence: the
	 * default (next boot) is judged, the booted entry is what was asked. */
	struct bcd_object *bm = bcd_test_find(&ev.bcd, BCD_BOOTMGR_ID);
	for (size_t i = 0; i < bm->nelements; i++) /* the sequence was used up */
		if (bm->elements[i].type == BcdBootMgrObjectList_BootSequence)
			bm->elements[i].type = 0x1F0000FFu;
	ev.bcd.origin = BCD_ORIGIN_FOUND;
	snprintf(ev.winboot.booted_entry, sizeof(ev.winboot.booted_entry), "%s", LOADER2);
	assert_true(facts_init(&f, &ev, NULL));
	probe_run(&f, target_find("hyperv"), NULL, &run);
	assert_int_equal(f.launch.asked, TRI_NO);
	ASSERT_CONTAINS(f.launch.asked_why, "Off in " LOADER2);
	assert_int_equal(run.result[CHECK_BCD_LAUNCH_TYPE].status, STATUS_PASS);
	facts_free(&f);
	evidence_free(&ev);
}

/* {bootmgr}'s one-time bootsequence decides the next boot over the
 * default: its first installed Windows is judged, each way round. */
static void bootsequence_decides_the_next_boot(void **state)
{
	(void)state;
	struct evidence ev;
	struct check_result r;
	struct bcd_view v;
	static const char *const seq[] = { MEMDIAG, LOADER2 };
	evidence_init(&ev);
	bcd_test_store(&ev.bcd);
	bcd_test_integer(loader(&ev.bcd), BcdOSLoaderInteger_HypervisorLaunchType, HYPERVISOR_LAUNCH_AUTO);
	another_loader(&ev.bcd, LOADER2, "Windows 10 without Hyper-V", "\\WINDOWS\\system32\\winload.efi",
		       HYPERVISOR_LAUNCH_OFF);
	bcd_test_object(&ev.bcd, MEMDIAG, 0x10200005u);
	run_check(&ev, CHECK_BCD_LAUNCH_TYPE, &r);
	assert_int_equal(r.status, STATUS_PASS); /* no sequence: the default */

	bootsequence(&ev.bcd, seq, 2);
	resolve(&ev.bcd, NULL, &v);
	assert_string_equal(v.entry.id, LOADER2);
	assert_true(v.by_sequence);
	assert_false(v.is_default);
	assert_string_equal(v.default_id, LOADER);
	assert_int_equal(v.sequence.count, 2);
	assert_string_equal(v.sequence.ids[0], MEMDIAG);
	assert_string_equal(v.sequence.passed, "{memdiag} (a memory tester)");
	run_check(&ev, CHECK_BCD_LAUNCH_TYPE, &r);
	assert_int_equal(r.status, STATUS_FAIL);
	assert_string_equal(r.summary, "Off in \"Windows 10 without Hyper-V\" (next boot: one-time "
			    "bootsequence overrides the default)");
	ASSERT_CONTAINS(r.remedy, "bcdedit /set " LOADER2 " hypervisorlaunchtype auto");
	ASSERT_CONTAINS(r.remedy, "bcdedit /bootsequence " LOADER2 " /remove");
	run_check(&ev, CHECK_BCD_ENTRY, &r);
	/* the memory tester runs first, once: no hypervisor during that boot */
	assert_int_equal(r.status, STATUS_WARN);
	assert_string_equal(r.summary, "next boot: once {memdiag} (a memory tester), not the installed "
			    "Windows (no hypervisor then); then \"Windows 10 without Hyper-V\" " LOADER2
			    " (bootsequence)");
	ASSERT_CONTAINS(r.remedy, "bcdedit /deletevalue {bootmgr} bootsequence");
	assert_string_equal(find_item(&r, "entry")->source, "{bootmgr} bootsequence (one-time)");
	assert_string_equal(find_item(&r, "bootsequence")->text, MEMDIAG " " LOADER2);
	assert_string_equal(find_item(&r, "runs_first")->text, "{memdiag} (a memory tester)");

	/* "default" still names the default; "all" judges the next boot. */
	resolve(&ev.bcd, "default", &v);
	assert_string_equal(v.entry.id, LOADER);
	assert_false(v.by_sequence);
	resolve(&ev.bcd, "all", &v);
	assert_string_equal(v.entry.id, LOADER2);
	bcd_view_free(&v);

	/* The reverse: the default Off, the one-time entry Auto. */
	retire(loader(&ev.bcd), BcdOSLoaderInteger_HypervisorLaunchType);
	retire(bcd_test_find(&ev.bcd, LOADER2), BcdOSLoaderInteger_HypervisorLaunchType);
	bcd_test_integer(loader(&ev.bcd), BcdOSLoaderInteger_HypervisorLaunchType, HYPERVISOR_LAUNCH_OFF);
	bcd_test_integer(bcd_test_find(&ev.bcd, LOADER2), BcdOSLoaderInteger_HypervisorLaunchType,
			 HYPERVISOR_LAUNCH_AUTO);
	run_check(&ev, CHECK_BCD_LAUNCH_TYPE, &r);
	assert_int_equal(r.status, STATUS_PASS);
	assert_string_equal(r.summary, "Auto, for the next boot only: the one-time bootsequence overrides "
			    "the default " LOADER " (--bcd-entry default judges it)");
	evidence_free(&ev);
}

/* What runs first without being the installed Windows is passed over:
 * Windows PE, an OS loader entry running another program (Microsoft's
 * SecConfig.efi), an entry the store lacks. None left: the default. */
static void bootsequence_passes_over_what_is_not_windows(void **state)
{
	(void)state;
	struct bcd_store s = { 0 };
	struct bcd_view v;
	static const char *const seq[] = { WINRE, SECCONFIG, "{00000000-1111-2222-3333-444444444444}",
					   "nonsense" };
	bcd_test_store(&s);
	winre_entry(&s);
	another_loader(&s, SECCONFIG, "DebugTool", "\\EFI\\Microsoft\\Boot\\SecConfig.efi", -1);
	bootsequence(&s, seq, 4);
	resolve(&s, NULL, &v);
	assert_int_equal(v.state, BCD_STATE_RESOLVED);
	assert_string_equal(v.entry.id, LOADER);
	assert_true(v.is_default);
	assert_false(v.by_sequence);
	assert_int_equal(v.sequence.count, 4);
	assert_string_equal(v.sequence.passed, WINRE " (Windows PE), " SECCONFIG " (runs "
			    "\\EFI\\Microsoft\\Boot\\SecConfig.efi), {00000000-1111-2222-3333-444444444444} "
			    "(not in the store), nonsense (not a GUID)");

	/* A loader with no path gets winload's: it is Windows. */
	struct bcd_object *bare = bcd_test_object(&s, LOADER2, BCD_OBJECT_OSLOADER);
	bcd_test_string(bare, BcdLibraryString_Description, "no path");
	static const char *const one[] = { LOADER2 };
	retire(bcd_test_find(&s, BCD_BOOTMGR_ID), BcdBootMgrObjectList_BootSequence);
	bootsequence(&s, one, 1);
	resolve(&s, NULL, &v);
	assert_string_equal(v.entry.id, LOADER2);
	assert_true(v.by_sequence);
	bcd_store_clear(&s);
}

static void bootsequence_of_the_wrong_type(void **state)
{
	(void)state;
	struct bcd_store s = { 0 };
	struct bcd_view v;
	bcd_test_store(&s);
	bcd_test_string(bcd_test_find(&s, BCD_BOOTMGR_ID), BcdBootMgrObjectList_BootSequence, LOADER);
	resolve(&s, NULL, &v);
	assert_int_equal(v.state, BCD_STATE_UNRESOLVED);
	assert_string_equal(v.problem, "{bootmgr} element 24000002 (bootsequence) is REG_SZ, not a list "
			    "of entries: which entry boots next is not known");
	resolve(&s, "default", &v); /* the default can still be judged */
	assert_int_equal(v.state, BCD_STATE_RESOLVED);
	bcd_store_clear(&s);
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
	/* kvm: unknown only for want of /dev/kvm, which a recorded CPU lacks */
	assert_int_equal(verdict_of(&ev, "kvm", &run), VERDICT_UNKNOWN);
	assert_int_equal(run.result[CHECK_OS_KVM].status, STATUS_UNKNOWN);
	assert_int_equal(run.result[CHECK_BCD_LAUNCH_TYPE].status, STATUS_WARN); /* advisory */
	assert_int_equal(verdict_of(&ev, "any", &run), VERDICT_PASS);
	assert_int_equal(verdict_of(&ev, "xen", &run), VERDICT_PASS);

	bcd_test_integer(bcd_test_find(&ev.bcd, HYPERVISORSETTINGS), BcdOSLoaderInteger_HypervisorLaunchType,
		HYPERVISOR_LAUNCH_AUTO);
	/* Asked for, but whether it launched is not known without the log. */
	assert_int_equal(verdict_of(&ev, "hyperv", &run), VERDICT_UNKNOWN);
	assert_int_equal(run.result[CHECK_HV_LAUNCH].status, STATUS_UNKNOWN);
	add_launched_boot(&ev, 1641900000);
	/* and which updates are installed (none known bad) */
	assert_int_equal(verdict_of(&ev, "hyperv", &run), VERDICT_UNKNOWN);
	assert_int_equal(run.result[CHECK_UPDATES_KNOWN_BAD].status, STATUS_UNKNOWN);
	ev.installed.read = true;
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
	assert_int_equal(verdict_of(&none, "xen", &run), VERDICT_PASS);
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
	/* running now settles the processor, not the next boot's entry */
	assert_int_equal(verdict_of(&bare, "hyperv", &run), VERDICT_UNKNOWN);
	assert_true(run.proof[0] != '\0');
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
		cmocka_unit_test(hypervisor_debugger_link),
		cmocka_unit_test(winpe_says_nothing_about_hyperv),
		cmocka_unit_test(bootsequence_decides_the_next_boot),
		cmocka_unit_test(launch_intent_is_the_last_boot),
		cmocka_unit_test(bootsequence_passes_over_what_is_not_windows),
		cmocka_unit_test(bootsequence_of_the_wrong_type),
		cmocka_unit_test(verdicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
