/* SPDX-License-Identifier: MIT */
/* updates.known_bad against the shipped list (data/known-issues.txt): each
 * row is a host (Windows build, firmware type, installed updates, whether
 * the hypervisor runs) and what the check must say for Hyper-V. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "formats/known_issues_text.h"
#include "probe/updates.h"

#define UPDATES_MAX 3
#define ROOT_PARTITION_DUMP "cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt"

struct installed_case {
	const char *name, *state;
};

static const struct host_case {
	const char *what;
	const char *build;          /* CurrentBuild.UBR; NULL: SOFTWARE not read */
	tri_t uefi;                 /* PEFirmwareType */
	bool hyperv_runs;           /* CPUID of a Hyper-V root partition */
	struct installed_case installed[UPDATES_MAX];
	enum check_status want;
	const char *summary;        /* a part of the summary */
	const char *remedy;         /* a part of the remedy; NULL: none */
} cases[] = {
	{ "the founding host: 2012 R2, UEFI, January's rollup", "9600.20207", TRI_YES, false,
	  { { "KB5009624", "installed" } }, STATUS_FAIL,
	  "KB5009624 is installed and is known to stop the hypervisor from starting on this host",
	  "KB5009624: install the out-of-band fix KB5010794" },
	{ "a BIOS host is not hit", "9600.20207", TRI_NO, false,
	  { { "KB5009624", "installed" } }, STATUS_PASS,
	  "it hits hosts that boot by UEFI only; this one boots by legacy BIOS", NULL },
	{ "firmware type unknown", "9600.20207", TRI_UNKNOWN, false,
	  { { "KB5009624", "installed" } }, STATUS_UNKNOWN,
	  "it hits hosts that boot by UEFI only, and how this host boots is not known",
	  "give the volume's Windows/System32/config/SYSTEM as well" },
	{ "another Windows build", "17763.2452", TRI_YES, false,
	  { { "KB5009624", "installed" } }, STATUS_PASS,
	  "it hits Windows build 9600 only; this is build 17763", NULL },
	{ "build unknown, but a BIOS host is not hit", NULL, TRI_NO, false,
	  { { "KB5009624", "installed" } }, STATUS_PASS,
	  "it hits hosts that boot by UEFI only; this one boots by legacy BIOS", NULL },
	{ "build unknown", NULL, TRI_YES, false,
	  { { "KB5009624", "installed" } }, STATUS_UNKNOWN,
	  "it hits Windows build 9600 only, and this host's build is not known",
	  "give the Windows volume with --windows DIR (its SOFTWARE hive holds the build)" },
	{ "the out-of-band fix installed", "9600.20207", TRI_YES, false,
	  { { "KB5009624", "installed" }, { "KB5010794", "installed" } }, STATUS_PASS,
	  "its fix KB5010794 is installed", NULL },
	{ "the fix waits for the restart", "9600.20207", TRI_YES, false,
	  { { "KB5009624", "installed" }, { "KB5010794", "install-pending" } }, STATUS_WARN,
	  "its fix KB5010794 waits for the restart: it starts again after the restart",
	  "restart to finish installing the fix" },
	{ "the gate before the reboot: the bad update waits for it", "9600.20207", TRI_YES, false,
	  { { "KB5009624", "install-pending" } }, STATUS_FAIL,
	  "KB5009624 waits for the restart and is known to stop the hypervisor: after the next "
	  "restart it will not start",
	  "before you restart, KB5009624:" },
	{ "bad update and fix both wait for the restart", "9600.20207", TRI_YES, false,
	  { { "KB5009624", "install-pending" }, { "KB5010794", "install-pending" } }, STATUS_PASS,
	  "its fix KB5010794 waits for the restart too", NULL },
	{ "a later rollup's build includes the fix", "9600.20269", TRI_YES, false,
	  { { "KB5009624", "installed" } }, STATUS_PASS,
	  "build 9600.20269 includes its fix (9600.20269 or later)", NULL },
	{ "one revision short of the fix", "9600.20268", TRI_YES, false,
	  { { "KB5009624", "installed" } }, STATUS_FAIL, "KB5009624 is installed", "KB5010794" },
	{ "only staged: no installation begun", "9600.20207", TRI_YES, false,
	  { { "KB5009624", "staged" } }, STATUS_PASS,
	  "none of 1 installed update is on the list", NULL },
	{ "the hypervisor runs with it in effect", "9600.20207", TRI_YES, true,
	  { { "KB5009624", "installed" } }, STATUS_PASS,
	  "it is in effect and the hypervisor runs all the same", NULL },
	{ "the hypervisor runs now, but the bad update waits for the restart", "9600.20207", TRI_YES,
	  true, { { "KB5009624", "install-pending" } }, STATUS_FAIL,
	  "after the next restart it will not start", "before you restart" },
	{ "the .NET rollups of the same night are not on the list", "9600.20207", TRI_YES, false,
	  { { "KB5008868", "installed" }, { "KB5008883", "installed" } }, STATUS_PASS,
	  "none of 2 installed updates is on the list", NULL },
	{ "Server 2012's January rollup", "9200.23560", TRI_YES, false,
	  { { "KB5009586", "installed" } }, STATUS_FAIL, "KB5009586 is installed", "KB5010797" },
	{ "removed at the next restart", "9600.20207", TRI_YES, false,
	  { { "KB5009624", "uninstall-pending" } }, STATUS_PASS,
	  "KB5009624 is on the known-bad list and is removed at the next restart", NULL },
	{ "the worst of several wins", "9600.20207", TRI_YES, false,
	  { { "KB5009586", "installed" }, { "KB5009624", "installed" } }, STATUS_FAIL,
	  "KB5009624 is installed", "KB5010794" },
};

static void host_evidence(const struct host_case *c, struct evidence *ev)
{
	evidence_init(ev);
	if (c->hyperv_runs)
		load_fixture(ROOT_PARTITION_DUMP, ev);
	else
		add_intel_cpu(ev, 0, 0x20);
	if (c->build) {
		ev->windows.read = true;
		snprintf(ev->windows.build, sizeof(ev->windows.build), "%s", c->build);
	}
	ev->winboot.uefi = c->uefi;
	snprintf(ev->winboot.uefi_source, sizeof(ev->winboot.uefi_source), "PEFirmwareType");
	ev->installed.read = true;
	for (size_t i = 0; i < UPDATES_MAX && c->installed[i].name; i++) {
		struct installed_item it = { .kind = INSTALLED_WINDOWS_UPDATE };
		snprintf(it.name, sizeof(it.name), "%s", c->installed[i].name);
		snprintf(it.state, sizeof(it.state), "%s", c->installed[i].state);
		assert_true(installed_add(&ev->installed, &it));
	}
}

static void load_shipped_list(struct known_issue_list *known)
{
	char err[200];
	memset(known, 0, sizeof(*known));
	assert_true(known_issues_parse(known_issues_builtin, strlen(known_issues_builtin), known, err,
				       sizeof(err)));
}

/* The check's result after the verdict for a Hyper-V target, where it is required. */
static void judge(const struct evidence *ev, const struct known_issue_list *known,
		  struct probe_run *run)
{
	struct facts f;
	struct probe_inputs in = { NULL, known };
	assert_true(facts_init(&f, ev, &in));
	probe_run(&f, target_find("hyperv-2012r2"), NULL, run);
	facts_free(&f);
}

static void every_host(void **state)
{
	(void)state;
	static struct probe_run run;
	struct known_issue_list known;
	load_shipped_list(&known);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct host_case *c = &cases[i];
		struct evidence ev;
		host_evidence(c, &ev);
		judge(&ev, &known, &run);
		const struct check_result *r = &run.result[CHECK_UPDATES_KNOWN_BAD];
		print_message("%s: %s %s | %s\n", c->what, check_status_label(r->status), r->summary,
			      r->remedy);
		assert_int_equal(run.level[CHECK_UPDATES_KNOWN_BAD], LEVEL_REQUIRED);
		assert_int_equal(r->status, c->want);
		assert_non_null(strstr(r->summary, c->summary));
		if (c->remedy)
			assert_non_null(strstr(r->remedy, c->remedy));
		else if (c->want == STATUS_PASS)
			assert_string_equal(r->remedy, "");
		if (c->want == STATUS_FAIL)
			assert_int_equal(run.verdict, VERDICT_FAIL);
		evidence_free(&ev);
	}
	known_issues_free(&known);
}

/* Each update on the list gets its own evidence line: state, judgement, why. */
static void evidence_per_update(void **state)
{
	(void)state;
	static struct probe_run run;
	struct known_issue_list known;
	load_shipped_list(&known);
	struct evidence ev;
	host_evidence(&cases[sizeof(cases) / sizeof(cases[0]) - 1], &ev);
	judge(&ev, &known, &run);
	const struct check_result *r = &run.result[CHECK_UPDATES_KNOWN_BAD];
	const struct evidence_item *a = find_item(r, "KB5009624");
	const struct evidence_item *b = find_item(r, "KB5009586");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a->text, "installed, applies: it is in effect");
	assert_string_equal(b->text, "installed, does not apply: it hits Windows build 9200 only; "
				     "this is build 9600");
	assert_non_null(find_item(r, "windows_build"));
	evidence_free(&ev);
	known_issues_free(&known);
}

/* The fix names what is missing from what was given: a SYSTEM hive
 * without PEFirmwareType is not fixed by giving the volume again. */
static void undecided_names_what_is_missing(void **state)
{
	(void)state;
	static struct probe_run run;
	struct known_issue_list known;
	load_shipped_list(&known);
	struct evidence ev;
	host_evidence(&cases[2], &ev); /* firmware type unknown */
	ev.winboot.system_read = true;
	judge(&ev, &known, &run);
	const struct check_result *r = &run.result[CHECK_UPDATES_KNOWN_BAD];
	assert_int_equal(r->status, STATUS_UNKNOWN);
	assert_non_null(strstr(r->remedy, "the SYSTEM hive has no Control\\PEFirmwareType"));
	assert_null(strstr(r->remedy, "--windows DIR"));
	evidence_free(&ev);
	known_issues_free(&known);
}

/* No list of installed updates: no evidence, which Hyper-V requires. */
static void no_list_is_unknown_for_hyperv(void **state)
{
	(void)state;
	static struct probe_run run;
	struct known_issue_list known;
	load_shipped_list(&known);
	struct evidence ev;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20);
	judge(&ev, &known, &run);
	const struct check_result *r = &run.result[CHECK_UPDATES_KNOWN_BAD];
	assert_int_equal(r->status, STATUS_UNKNOWN);
	assert_string_equal(r->summary, "no list of installed updates in this system");
	assert_non_null(strstr(r->remedy, "--windows DIR"));
	evidence_free(&ev);
	known_issues_free(&known);
}

/* Microsoft-Windows-Servicing in Setup, as Server 2012 R2 writes it. */
static void add_servicing(struct evidence *ev, uint32_t id, int64_t time, const char *kb,
			  const char *state)
{
	struct event_record head = { .time = time, .event_id = id, .qualifiers = -1 };
	int log = events_log(&ev->events, "Setup.evtx");
	assert_true(log >= 0);
	head.log = (unsigned)log;
	head.record_id = ev->events.n + 1;
	snprintf(head.provider, sizeof(head.provider), "Microsoft-Windows-Servicing");
	snprintf(head.channel, sizeof(head.channel), "Setup");
	const char *names[] = { "PackageIdentifier", "IntendedPackageState", "ErrorCode" };
	const char *values[] = { kb, state, "0x0" };
	assert_true(events_add(&ev->events, &head, names, values, 3));
	ev->events.read = true;
}

/* The same in the System log, by the Windows Update client. */
static void add_client(struct evidence *ev, uint32_t id, int64_t time, const char *kb)
{
	char title[64];
	snprintf(title, sizeof(title), "Update for Windows (%s)", kb);
	add_event(ev, EV_WU, id, time, 1, "updateTitle", title);
}

static const struct installed_item *merged(const struct update_list *l, const char *name)
{
	for (size_t i = 0; i < l->v.n; i++)
		if (strcmp(l->v.items[i].name, name) == 0)
			return &l->v.items[i];
	return NULL;
}

/* The rules of the one list (probe/updates.c): Servicing's newest word
 * over the client's, SOFTWARE's state over both, a KB SOFTWARE no longer
 * holds dropped unless SOFTWARE has a rollup it cannot name. */
static void one_list_from_every_record(void **state)
{
	(void)state;
	struct evidence ev;
	struct update_list l;
	evidence_init(&ev);
	/* logs only: 1 then 4 waits; 4 then 2 is installed; 19 after 4 does not
	 * settle what Servicing says still waits */
	add_servicing(&ev, 4, 100, "KB5000001", "Installed");
	add_event(&ev, EV_WU, 19, 110, 1, "updateTitle", "2022-01 Rollup (KB5000001)");
	add_servicing(&ev, 4, 100, "KB5000002", "Installed");
	add_servicing(&ev, 2, 200, "KB5000002", "Installed");
	add_event(&ev, EV_WU, 20, 300, 2, "errorCode", "0x80070005", "updateTitle", "Update (KB5000003)");
	add_event(&ev, EV_WU, 19, 400, 1, "updateTitle",
		  "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602");
	add_servicing(&ev, 2, 500, "KB5000004", "Absent");
	assert_true(updates_merge(&ev, &l));
	assert_true(l.v.read);
	assert_false(l.complete);
	assert_string_equal(merged(&l, "KB5000001")->state, "install-pending");
	assert_int_equal(merged(&l, "KB5000001")->sources, UPDATE_FROM_SERVICING | UPDATE_FROM_WU_EVENT);
	assert_string_equal(merged(&l, "KB5000001")->version, "2022-01 Rollup (KB5000001)"); /* the client's title */
	assert_string_equal(merged(&l, "KB5000002")->state, "installed");
	assert_int_equal(merged(&l, "KB5000002")->installed_at, 200);
	assert_string_equal(merged(&l, "KB5000003")->state, "failed");
	assert_false(installed_is_active(merged(&l, "KB5000003")->state));
	assert_null(merged(&l, "KB2267602")); /* definitions are no update of the list */
	assert_string_equal(merged(&l, "KB5000004")->state, "absent");
	assert_int_equal(l.from_events, 4);
	updates_free(&l);

	/* SOFTWARE read: its state stands, a KB it lacks is gone */
	struct installed_item kb2 = { INSTALLED_WINDOWS_UPDATE, "KB5000002", "Package_for_KB5000002~x", "superseded",
				      150, UPDATE_FROM_CBS };
	assert_true(installed_add(&ev.installed, &kb2));
	ev.installed.read = ev.windows.read = true;
	assert_true(updates_merge(&ev, &l));
	assert_true(l.complete);
	assert_string_equal(merged(&l, "KB5000002")->state, "superseded");
	assert_int_equal(merged(&l, "KB5000002")->sources, UPDATE_FROM_CBS | UPDATE_FROM_SERVICING);
	assert_null(merged(&l, "KB5000001"));
	updates_free(&l);
	/* unless it holds a rollup whose KB it does not name */
	ev.installed.unnamed_rollups = 1;
	assert_true(updates_merge(&ev, &l));
	assert_string_equal(merged(&l, "KB5000001")->state, "install-pending");
	updates_free(&l);
	evidence_free(&ev);
}

/* Order is the records' times, not the order the logs were read in; a
 * client's word newer than Servicing's wins, except "installed" after a
 * reboot Servicing still waits for; at equal times Servicing's stands. */
static void newest_record_wins(void **state)
{
	(void)state;
	struct evidence ev;
	struct update_list l;
	evidence_init(&ev);
	/* read out of order: the 2 (installed) is older than the 4 (leaving) */
	add_servicing(&ev, 4, 300, "KB5000011", "Absent");
	add_servicing(&ev, 2, 100, "KB5000011", "Installed");
	/* uninstalled, then installed again by Windows Update later */
	add_servicing(&ev, 4, 100, "KB5000012", "Absent");
	add_client(&ev, 19, 500, "KB5000012");
	/* a 4 into another state than installed takes nothing into effect */
	add_servicing(&ev, 2, 100, "KB5000013", "Installed");
	add_servicing(&ev, 4, 200, "KB5000013", "Superseded");
	/* the same second in both logs: Servicing's word stands */
	add_client(&ev, 20, 100, "KB5000014");
	add_servicing(&ev, 2, 100, "KB5000014", "Installed");
	/* installed, then a failed attempt: still installed */
	add_client(&ev, 19, 100, "KB5000015");
	add_client(&ev, 20, 200, "KB5000015");
	assert_true(updates_merge(&ev, &l));
	assert_string_equal(merged(&l, "KB5000011")->state, "uninstall-pending");
	assert_string_equal(merged(&l, "KB5000012")->state, "installed");
	assert_int_equal(merged(&l, "KB5000012")->installed_at, 500);
	assert_string_equal(merged(&l, "KB5000013")->state, "installed");
	assert_string_equal(merged(&l, "KB5000014")->state, "installed");
	assert_string_equal(merged(&l, "KB5000015")->state, "installed");
	updates_free(&l);
	evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_host),
		cmocka_unit_test(evidence_per_update),
		cmocka_unit_test(undecided_names_what_is_missing),
		cmocka_unit_test(no_list_is_unknown_for_hyperv),
		cmocka_unit_test(one_list_from_every_record),
		cmocka_unit_test(newest_record_wins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
