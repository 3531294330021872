/* SPDX-License-Identifier: MIT */
/* The launch timeline and hv.launch (probe/launch.c, checks_launch.c), the
 * event XML reader, events.txt, the EVTX framing pass and UTC parsing. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/event_xml.h"
#include "formats/events_text.h"
#include "formats/evtx_scan.h"
#include "probe/launch.h"
#include "probe/utc.h"
#include "report/report.h"

#define ASSERT_CONTAINS(hay, needle) assert_non_null(strstr((hay), (needle)))

#define T0 1641600000 /* 2022-01-08T00:00:00Z */
#define HOUR 3600
#define TITLE_ROLLUP "2022-01 Security Monthly Quality Rollup for Windows Server 2012 R2 for " \
		     "x64-based Systems (KB5009624)"
#define TITLE_NET1 "2022-01 Security and Quality Rollup for .NET Framework 4.8 (KB5008868)"
#define TITLE_NET2 "2022-01 Security and Quality Rollup for .NET Framework 3.5 (KB5008883)"

/* A 2012 R2 host with Auto in its boot entry, a CPU that Windows sees
 * without a hypervisor, and a System log: launched at two boots, three
 * updates in one night, then a boot where the loader failed. */
static void founding_host(struct evidence *ev, const char *status)
{
	evidence_init(ev);
	add_intel_cpu(ev, 0, 0x20);
	bcd_test_store(&ev->bcd);
	bcd_test_integer(bcd_test_find(&ev->bcd, BCD_TEST_LOADER), BcdOSLoaderInteger_HypervisorLaunchType,
			 HYPERVISOR_LAUNCH_AUTO);
	add_launched_boot(ev, T0);
	add_launched_boot(ev, T0 + 24 * HOUR);
	add_event(ev, EV_WU, 19, T0 + 40 * HOUR, 1, "updateTitle", TITLE_NET1);
	add_event(ev, EV_WU, 19, T0 + 40 * HOUR + 60, 1, "updateTitle", TITLE_NET2);
	add_event(ev, EV_WU, 19, T0 + 40 * HOUR + 120, 1, "updateTitle", TITLE_ROLLUP);
	add_event(ev, EV_BOOT, T0 + 41 * HOUR, 0);
	add_event(ev, EV_HV, 80, T0 + 41 * HOUR + 5, 1, "NtStatus", status);
}

static struct probe_run *judge(const struct evidence *ev, const char *target,
			       const struct known_issue_list *known, struct facts *f)
{
	struct probe_inputs in = { NULL, known };
	struct probe_run *run = malloc(sizeof(*run));
	assert_non_null(run);
	assert_true(facts_init(f, ev, &in));
	probe_run(f, target_find(target), NULL, run);
	return run;
}

/* A suspect is marked known bad where the entry's conditions put this
 * host, as updates.known_bad judges it: not on a BIOS host or another
 * build; still marked while the build or firmware is not known. */
static void known_bad_mark_follows_the_entry_conditions(void **state)
{
	(void)state;
	struct evidence ev;
	struct facts f;
	founding_host(&ev, "0xC00000BB");
	struct known_issue_list known = { 0 };
	struct known_issue k = { .id = "KB5009624", .platforms = "windows-server-2012r2", .symptom = "s",
				 .source = "src", .fix = "f", .build_min = 9600, .build_max = 9600,
				 .firmware = KNOWN_FIRMWARE_UEFI };
	assert_true(known_issues_add(&known, &k));
	static const struct {
		const char *build;
		tri_t uefi;
		bool marked;
	} hosts[] = {
		{ "9600.20207", TRI_YES, true },
		{ "9600.20207", TRI_NO, false },     /* legacy BIOS */
		{ "17763.2452", TRI_YES, false },    /* another build */
		{ "", TRI_UNKNOWN, true },           /* nothing known: still a suspect to check */
	};
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		ev.windows.read = hosts[i].build[0] != '\0';
		snprintf(ev.windows.build, sizeof(ev.windows.build), "%s", hosts[i].build);
		ev.winboot.uefi = hosts[i].uefi;
		free(judge(&ev, "hyperv-2012r2", &known, &f));
		assert_string_equal(f.launch.suspects[0].kb, "KB5009624");
		if ((f.launch.suspects[0].known != NULL) != hosts[i].marked)
			fail_msg("host %zu (%s): marked %d", i, hosts[i].build, f.launch.suspects[0].known != NULL);
		facts_free(&f);
	}
	evidence_free(&ev);
	known_issues_free(&known);
}

static void founding_incident_fails_with_status_and_suspects(void **state)
{
	(void)state;
	struct evidence ev;
	struct facts f;
	founding_host(&ev, "0xC00000BB");
	struct known_issue_list known = { 0 };
	struct known_issue k = { .id = "KB5009624", .platforms = "windows-server-2012r2", .symptom = "s", .source = "src", .fix = "uninstall it" };
	assert_true(known_issues_add(&known, &k));
	struct probe_run *run = judge(&ev, "hyperv-2012r2", &known, &f);
	const struct check_result *r = &run->result[CHECK_HV_LAUNCH];
	assert_int_equal(r->status, STATUS_FAIL);
	assert_int_equal(run->verdict, VERDICT_FAIL);
	ASSERT_CONTAINS(r->summary, "boot loader failed");
	ASSERT_CONTAINS(r->summary, "0xC00000BB STATUS_NOT_SUPPORTED");
	assert_string_equal(find_item(r, "status")->text, "0xc00000bb");
	ASSERT_CONTAINS(find_item(r, "suspects")->text, "KB5009624 (known bad), KB5008883, KB5008868");
	ASSERT_CONTAINS(r->remedy, "0xC00000BB means a boot component refused the launch");
	ASSERT_CONTAINS(r->remedy, "wusa /uninstall /kb:5009624 /norestart (known bad");
	ASSERT_CONTAINS(r->remedy, "wusa /uninstall /kb:5008883 /norestart");

	const struct launch_view *v = &f.launch;
	assert_int_equal(v->nboots, 3);
	assert_int_equal(v->boots[0].outcome, OUTCOME_LAUNCHED);
	assert_int_equal(v->boots[2].outcome, OUTCOME_FAILED);
	assert_int_equal(v->last_launched, 1);
	assert_int_equal(v->first_failed, 2);
	assert_int_equal(v->ninstalls, 3);
	assert_int_equal(v->nsuspects, 3);
	assert_string_equal(v->suspects[0].kb, "KB5009624");
	assert_non_null(v->suspects[0].known);
	assert_string_equal(v->suspects[2].kb, "KB5008868");

	/* the text report shows the timeline and the suspects */
	struct strbuf out;
	struct report_options opt = { 0 };
	sb_init(&out);
	report_text(run, &f, &opt, &out);
	ASSERT_CONTAINS(sb_str(&out), "hypervisor launch timeline (3 boots, 3 installations recorded)");
	ASSERT_CONTAINS(sb_str(&out), "2022-01-09T16:02:00Z  install  KB5009624");
	ASSERT_CONTAINS(sb_str(&out), "boot     hypervisor FAILED: the operating system's boot loader "
				      "failed (0xC00000BB STATUS_NOT_SUPPORTED)");
	ASSERT_CONTAINS(sb_str(&out), "suspects, installed between the last launch "
				      "(2022-01-09T00:00:00Z) and the first failure (2022-01-09T17:00:00Z)");
	out.len = 0;
	report_json(run, &f, &opt, &out);
	ASSERT_CONTAINS(sb_str(&out), "\"first_failed\": \"2022-01-09T17:00:00Z\"");
	ASSERT_CONTAINS(sb_str(&out), "\"status\": \"0xC00000BB\"");
	free(run);
	facts_free(&f);

	/* servicing logs the rollup again under its package name: one line */
	add_event(&ev, "Microsoft-Windows-Servicing", 2, T0 + 40 * HOUR + 180, 3, "PackageIdentifier",
		  "KB5009624", "IntendedPackageState", "5112", "ErrorCode", "0x0");
	struct event_record *serviced = &ev.events.items[ev.events.n - 1];
	snprintf(serviced->channel, sizeof(serviced->channel), "Setup");
	int setup_log = events_log(&ev.events, "Setup.evtx"); /* placed among the boots by its time */
	assert_true(setup_log >= 0);
	serviced->log = (unsigned)setup_log;
	struct facts again;
	struct probe_run *run2 = judge(&ev, "hyperv-2012r2", &known, &again);
	assert_int_equal(again.launch.ninstalls, 4);
	out.len = 0;
	report_text(run2, &again, &opt, &out);
	const char *first = strstr(sb_str(&out), "install  KB5009624");
	const char *suspects = strstr(sb_str(&out), "suspects, installed");
	assert_non_null(first);
	assert_non_null(suspects);
	const char *again_line = strstr(first + 1, "install  KB5009624");
	assert_true(again_line == NULL || again_line > suspects); /* once in the timeline */
	free(run2);
	facts_free(&again);
	sb_free(&out);
	evidence_free(&ev);
	known_issues_free(&known);
}

/* The status is read from whichever insertion string holds one, in any
 * of the forms a reader renders it. */
static void status_in_any_form(void **state)
{
	(void)state;
	static const char *const forms[] = { "0xc00000bb", "3221225659", "-1073741637", " 0xC00000BB " };
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		uint32_t code = 0;
		assert_true(ntstatus_in_text(forms[i], &code));
		assert_int_equal(code, 0xC00000BB);
	}
	uint32_t code;
	assert_false(ntstatus_in_text("3", &code));          /* a count, not a status */
	assert_false(ntstatus_in_text("0x0", &code));        /* success */
	assert_false(ntstatus_in_text("0xC00000BBzz", &code));
	assert_false(ntstatus_in_text("", &code));
	assert_false(ntstatus_in_text("0x1C00000BB", &code)); /* wider than 32 bits */

	struct evidence ev;
	struct facts f;
	founding_host(&ev, "3221225659");
	struct probe_run *run = judge(&ev, "hyperv", NULL, &f);
	assert_true(f.launch.boots[2].has_status);
	assert_int_equal(f.launch.boots[2].status, 0xC00000BB);
	free(run);
	facts_free(&f);
	evidence_free(&ev);
}

/* After the updates were removed, the hypervisor launched again: the
 * failure is history, the check passes and there are no suspects. */
static void relaunch_after_removal_passes(void **state)
{
	(void)state;
	struct evidence ev;
	struct facts f;
	founding_host(&ev, "0xC00000BB");
	add_launched_boot(&ev, T0 + 50 * HOUR);
	struct probe_run *run = judge(&ev, "hyperv-2012r2", NULL, &f);
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_PASS);
	ASSERT_CONTAINS(run->result[CHECK_HV_LAUNCH].summary, "launched at the last recorded boot");
	assert_int_equal(f.launch.first_failed, -1);
	assert_int_equal(f.launch.nsuspects, 0);
	free(run);
	facts_free(&f);
	evidence_free(&ev);
}

/* The clock went back at the failing boot: installations in the System
 * log are still placed by record order, and the view says the time
 * window is unsure. */
static void clock_going_back(void **state)
{
	(void)state;
	struct evidence ev;
	struct facts f;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20);
	add_launched_boot(&ev, T0 + 10 * HOUR);
	add_event(&ev, EV_WU, 19, T0 + 11 * HOUR, 1, "updateTitle", TITLE_ROLLUP);
	add_event(&ev, EV_BOOT, T0, 0); /* a year's battery gone: earlier than before */
	add_event(&ev, EV_HV, 80, T0 + 5, 1, "NtStatus", "0xC00000BB");
	struct probe_run *run = judge(&ev, "hyperv", NULL, &f);
	assert_true(f.launch.boots[1].clock_back);
	assert_true(f.launch.window_by_time_unsure);
	assert_int_equal(f.launch.nsuspects, 1);
	assert_string_equal(f.launch.suspects[0].kb, "KB5009624");
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_FAIL);
	free(run);
	facts_free(&f);
	evidence_free(&ev);
}

static void outcome_rules(void **state)
{
	(void)state;
	struct evidence ev;
	struct facts f;
	struct probe_run *run;

	/* No log at all: no evidence, so UNKNOWN where Hyper-V requires it. */
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20);
	run = judge(&ev, "hyperv", NULL, &f);
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_UNKNOWN);
	ASSERT_CONTAINS(run->result[CHECK_HV_LAUNCH].remedy, "--evtx");
	free(run);
	facts_free(&f);
	run = judge(&ev, "any", NULL, &f);
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_SKIP);
	free(run);
	facts_free(&f);

	/* Live on Windows, the entry asks and nothing runs: FAIL now. */
	ev.windows.live = true;
	bcd_test_store(&ev.bcd);
	bcd_test_integer(bcd_test_find(&ev.bcd, BCD_TEST_LOADER), BcdOSLoaderInteger_HypervisorLaunchType,
			 HYPERVISOR_LAUNCH_AUTO);
	run = judge(&ev, "hyperv", NULL, &f);
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_FAIL);
	ASSERT_CONTAINS(run->result[CHECK_HV_LAUNCH].summary, "asked for the hypervisor");
	free(run);
	facts_free(&f);
	evidence_free(&ev);

	/* Not asked (launch type absent): SKIP, the BCD check says why. */
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20);
	bcd_test_store(&ev.bcd);
	add_event(&ev, EV_BOOT, T0, 0);
	run = judge(&ev, "hyperv", NULL, &f);
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_SKIP);
	ASSERT_CONTAINS(run->result[CHECK_HV_LAUNCH].summary, "not set");
	free(run);
	facts_free(&f);

	/* The running Hyper-V root wins over a failure in the log. */
	evidence_free(&ev);
	load_fixture("cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt", &ev);
	add_event(&ev, EV_BOOT, T0, 0);
	add_event(&ev, EV_HV, 41, T0 + 5, 0);
	run = judge(&ev, "hyperv", NULL, &f);
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_PASS);
	free(run);
	facts_free(&f);
	evidence_free(&ev);
}

/* The log wrote the launch event before the kernel's boot record of the
 * same boot: it still belongs to that boot, the nearer in time. */
static void launch_logged_before_its_boot_record(void **state)
{
	(void)state;
	struct evidence ev;
	struct facts f;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20);
	add_launched_boot(&ev, T0);
	add_event(&ev, EV_HV, 80, T0 + 48 * HOUR - 2, 1, "NtStatus", "0xC00000BB");
	add_event(&ev, EV_BOOT, T0 + 48 * HOUR, 0);
	struct probe_run *run = judge(&ev, "hyperv", NULL, &f);
	assert_int_equal(f.launch.nboots, 2);
	assert_int_equal(f.launch.boots[0].outcome, OUTCOME_LAUNCHED);
	assert_int_equal(f.launch.boots[1].outcome, OUTCOME_FAILED);
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_FAIL);
	free(run);
	facts_free(&f);
	evidence_free(&ev);
}

/* A launch event whose boot start the log no longer holds. */
static void event_before_any_boot(void **state)
{
	(void)state;
	struct evidence ev;
	struct facts f;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0x20);
	add_event(&ev, EV_HV, 41, T0, 0);
	add_event(&ev, EV_HV, 1, T0 + 1, 0); /* the same lost boot: failure outranks */
	struct probe_run *run = judge(&ev, "hyperv", NULL, &f);
	assert_int_equal(f.launch.nboots, 1);
	assert_null(f.launch.boots[0].start);
	assert_int_equal(f.launch.boots[0].outcome, OUTCOME_FAILED);
	assert_int_equal(run->result[CHECK_HV_LAUNCH].status, STATUS_FAIL);
	ASSERT_CONTAINS(run->result[CHECK_HV_LAUNCH].remedy, "Virtualization Technology");
	free(run);
	facts_free(&f);
	evidence_free(&ev);
}

static const char record_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
	"  <System>\n"
	"    <Provider Name=\"Microsoft-Windows-Hyper-V-Hypervisor\" Guid=\"{52FC89F8-995E-434C-A91E-199986449890}\"/>\n"
	"    <EventID Qualifiers='49152'>80</EventID>\n"
	"    <TimeCreated SystemTime=\"2022-01-12T06:55:03.123456700Z\"/>\n"
	"    <EventRecordID>4711</EventRecordID>\n"
	"    <Channel>System</Channel>\n"
	"  </System>\n"
	"  <EventData>\n"
	"    <Data Name=\"NtStatus\">0xc00000bb</Data>\n"
	"    <Data>a &amp; b &lt;c&gt; &#x41;&#66;</Data>\n"
	"    <Data Name=\"Empty\"/>\n"
	"  </EventData>\n"
	"</Event>\n";

static void event_xml_is_read(void **state)
{
	(void)state;
	struct evidence ev;
	char err[160];
	evidence_init(&ev);
	assert_true(event_xml_add(record_xml, strlen(record_xml), 0, NULL, &ev.events, NULL, err, sizeof(err)));
	const struct event_record *e = &ev.events.items[0];
	assert_string_equal(e->provider, "Microsoft-Windows-Hyper-V-Hypervisor");
	assert_int_equal(e->event_id, 80);
	assert_int_equal(e->qualifiers, 49152);
	assert_int_equal(e->record_id, 4711);
	assert_int_equal(e->time, 1641970503);
	assert_string_equal(e->channel, "System");
	assert_int_equal(e->ndata, 3);
	assert_string_equal(event_value(e, "ntstatus"), "0xc00000bb");
	const char *name;
	assert_string_equal(event_value_at(e, 1, &name), "a & b <c> AB");
	assert_string_equal(name, "");
	assert_string_equal(event_value(e, "Empty"), "");
	assert_non_null(event_classify(e));

	/* UserData's leaves are named by their element (Servicing events). */
	static const char user[] =
		"<Event><System><Provider Name=\"Microsoft-Windows-Servicing\"/><EventID>2</EventID>"
		"<TimeCreated SystemTime='2022-02-07T07:38:15.1Z'/><Channel>Setup</Channel></System><UserData><CbsPackageChangeState>"
		"<PackageIdentifier>KB5009624</PackageIdentifier><IntendedPackageState>5112"
		"</IntendedPackageState><ErrorCode>0x0</ErrorCode></CbsPackageChangeState></UserData></Event>";
	assert_true(event_xml_add(user, strlen(user), 0, NULL, &ev.events, NULL, err, sizeof(err)));
	assert_string_equal(event_value(&ev.events.items[1], "PackageIdentifier"), "KB5009624");
	assert_string_equal(event_value(&ev.events.items[1], "IntendedPackageState"), "5112");

	/* Not an event record, cut before its id, or without a time. */
	static const char no_time[] = "<Event><System><Provider Name='P'/><EventID>1</EventID>"
				      "</System></Event>";
	assert_false(event_xml_add(no_time, strlen(no_time), 0, NULL, &ev.events, NULL, err,
				   sizeof(err)));
	assert_false(event_xml_add("<Event><System>", 15, 0, NULL, &ev.events, NULL, err, sizeof(err)));
	assert_false(event_xml_add(record_xml, 150, 0, NULL, &ev.events, NULL, err, sizeof(err)));
	assert_false(event_xml_add("", 0, 0, NULL, &ev.events, NULL, err, sizeof(err)));
	assert_int_equal(ev.events.n, 2);
	evidence_free(&ev);
}

static void events_text_round_trip(void **state)
{
	(void)state;
	struct evidence a, b;
	struct strbuf sb;
	char err[200];
	founding_host(&a, "0xC00000BB");
	add_event(&a, EV_WU, 20, T0 + 45 * HOUR, 2, "errorCode", "0x80070005", "updateTitle",
		  "tab\there");
	sb_init(&sb);
	events_text_write(&a, &sb);
	evidence_init(&b);
	assert_true(events_text_parse(sb_str(&sb), sb.len, &b, err, sizeof(err)));
	assert_int_equal(b.events.n, a.events.n);
	assert_int_equal(b.events.nlogs, 1);
	for (size_t i = 0; i < a.events.n; i++) {
		const struct event_record *x = &a.events.items[i], *y = &b.events.items[i];
		assert_int_equal(x->time, y->time);
		assert_int_equal(x->record_id, y->record_id);
		assert_int_equal(x->event_id, y->event_id);
		assert_string_equal(x->provider, y->provider);
		assert_int_equal(x->ndata, y->ndata);
	}
	assert_string_equal(event_value(&b.events.items[b.events.n - 1], "updateTitle"), "tab here");
	evidence_free(&b);

	static const char *const bad[] = {
		"log=System\n1\t0\t1\tP\tSystem\t12\n",           /* too few fields */
		"log=System\n1\t3\t1\tP\tSystem\t12\t-1\n",       /* no such log */
		"log=System\nx\t0\t1\tP\tSystem\t12\t-1\n",       /* time */
		"log=System\n1\t0\t1\tP\tSystem\t12\t-1\tname\n", /* a name without a value */
		"records_read=abc\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		evidence_init(&b);
		assert_false(events_text_parse(bad[i], strlen(bad[i]), &b, err, sizeof(err)));
		assert_true(err[0] != '\0');
		evidence_free(&b);
	}
	sb_free(&sb);
	evidence_free(&a);
}

static bool count_hit(void *ctx, unsigned index, uint64_t record_id, uint64_t written)
{
	(void)index;
	(void)record_id;
	(void)written;
	(*(unsigned *)ctx)++;
	return true;
}

/* The framing pass over a real log: every record counted (the number
 * evtxexport reports), and damage never read past a chunk. */
static void evtx_framing_on_a_real_log(void **state)
{
	(void)state;
	FILE *fp = fopen(HVPROBE_FIXTURES "/evtx/ws2012r2-stolenszechuan-System.evtx", "rb");
	assert_non_null(fp);
	unsigned char *chunk = malloc(EVTX_CHUNK_SIZE);
	unsigned char head[EVTX_FILE_HEADER_SIZE];
	assert_int_equal(fread(head, 1, sizeof(head), fp), sizeof(head));
	assert_true(evtx_scan_is_header(head, sizeof(head)));
	static const char *const names[] = { "Microsoft-Windows-Kernel-General", NULL };
	struct evtx_scan scan;
	evtx_scan_init(&scan, names);
	unsigned hits = 0, damaged_hits = 0;
	size_t n;
	while ((n = fread(chunk, 1, EVTX_CHUNK_SIZE, fp)) > 0) {
		assert_true(evtx_scan_chunk(&scan, chunk, n, count_hit, &hits));
		/* the same chunk cut short and with a record size gone wild */
		struct evtx_scan damaged = scan;
		chunk[512 + 4] = 0xff;
		assert_true(evtx_scan_chunk(&damaged, chunk, n / 3, count_hit, &damaged_hits));
	}
	assert_int_equal(scan.records, 60189);
	assert_true(hits >= 11); /* every boot (Kernel-General 12), and its other events */
	assert_true(damaged_hits <= hits); /* damage reads less, never past the chunk */
	assert_false(evtx_scan_is_header((const unsigned char *)"regf", 4));
	free(chunk);
	fclose(fp);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A record names its provider only through its template: the framing pass
 * finds it there (and only there). */
static void evtx_provider_in_a_template(void **state)
{
	(void)state;
	unsigned char *chunk = calloc(1, EVTX_CHUNK_SIZE);
	assert_non_null(chunk);
	memcpy(chunk, "ElfChnk", 8);
	/* two template definitions: next (4), GUID (16), size (4), data */
	const char *name = "Microsoft-Windows-Kernel-General";
	size_t t1 = 1000, t2 = 1200, n = strlen(name);
	put32(chunk + t1 + 20, (uint32_t)(2 * n));
	for (size_t i = 0; i < n; i++)
		chunk[t1 + 24 + 2 * i] = (unsigned char)name[i];
	put32(chunk + t2 + 20, 8);
	memcpy(chunk + t2 + 24, "O\0t\0h\0e\0", 8);
	/* two records at 512 and 560: header (24), template instance, size copy */
	size_t at[2] = { 512, 560 }, def[2] = { t1, t2 };
	for (int r = 0; r < 2; r++) {
		unsigned char *rec = chunk + at[r];
		memcpy(rec, "\x2a\x2a\0\0", 4);
		put32(rec + 4, 48);
		put32(rec + 8, (uint32_t)(r + 1));
		memcpy(rec + 24, "\x0f\x01\x01\x00\x0c\x01", 6);
		put32(rec + 34, (uint32_t)def[r]);
		put32(rec + 44, 48);
	}
	put32(chunk + 48, 608); /* free space starts after the second record */
	static const char *const names[] = { "Microsoft-Windows-Kernel-General", NULL };
	struct evtx_scan scan;
	evtx_scan_init(&scan, names);
	struct { unsigned hits; } count = { 0 };
	assert_true(evtx_scan_chunk(&scan, chunk, EVTX_CHUNK_SIZE, count_hit, &count.hits));
	assert_int_equal(scan.records, 2);
	assert_int_equal(count.hits, 1);
	free(chunk);
}

static void utc_parsing(void **state)
{
	(void)state;
	int64_t t;
	assert_true(utc_parse("2022-01-12T06:55:03.1234567Z", &t));
	assert_int_equal(t, 1641970503);
	assert_true(utc_parse("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(utc_parse("2000-02-29T12:00:00Z", &t));
	assert_int_equal(t, 951825600);
	assert_true(utc_parse("1601-01-01T00:00:00Z", &t)); /* FILETIME zero */
	assert_int_equal(t, -11644473600LL);
	assert_false(utc_parse("2022-13-01T00:00:00Z", &t));
	assert_false(utc_parse("2022-02-31T00:00:00Z", &t));
	assert_false(utc_parse("2023-02-29T00:00:00Z", &t));
	assert_true(utc_parse("2024-02-29T00:00:00Z", &t));
	assert_false(utc_parse("2022-01-01 00:00:00Z", &t));
	assert_false(utc_parse("2022-01-01T00:00:00", &t));
	assert_false(utc_parse("2022-01-01T00:00:00Zjunk", &t));
	assert_false(utc_parse("", &t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(founding_incident_fails_with_status_and_suspects),
		cmocka_unit_test(known_bad_mark_follows_the_entry_conditions),
		cmocka_unit_test(status_in_any_form),
		cmocka_unit_test(relaunch_after_removal_passes),
		cmocka_unit_test(clock_going_back),
		cmocka_unit_test(outcome_rules),
		cmocka_unit_test(launch_logged_before_its_boot_record),
		cmocka_unit_test(event_before_any_boot),
		cmocka_unit_test(event_xml_is_read),
		cmocka_unit_test(events_text_round_trip),
		cmocka_unit_test(evtx_framing_on_a_real_log),
		cmocka_unit_test(evtx_provider_in_a_template),
		cmocka_unit_test(utc_parsing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
