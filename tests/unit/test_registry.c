/* SPDX-License-Identifier: MIT */
/* The check registry (probe/check_table.c): every row whole, and no check
 * passes on evidence that was never read. */
#include "helpers.h"

#include <string.h>

static void every_row_is_whole(void **state)
{
	(void)state;
	for (int i = 0; i < CHECK_COUNT; i++) {
		const struct check_def *d = &check_table[i];
		assert_non_null(d->id);
		assert_non_null(d->title);
		assert_non_null(d->run);
		assert_true(d->needs < EVIDENCE_KIND_COUNT);
		assert_int_equal(check_find(d->id), i); /* one spelling, no two rows alike */
		for (int t = 0; t < TARGET_COUNT; t++) {
			print_message("%s for %s: %s\n", d->id, target_table[t].name,
				      check_level_name(d->level[t]));
			assert_int_not_equal(d->level[t], LEVEL_UNSET);
		}
	}
	for (int t = 0; t < TARGET_COUNT; t++) {
		assert_int_equal(target_table[t].index, t);
		assert_ptr_equal(target_find(target_table[t].name), &target_table[t]);
	}
}

/* Recorded MSRs that make every CPU-side check pass on an Intel dump:
 * IA32_FEATURE_CONTROL locked with VMX outside SMX, EPT allowed. */
static void add_good_msrs(struct evidence *ev)
{
	static const struct msr_reading good[] = {
		{ MSR_ALL_CPUS, MSR_IA32_FEATURE_CONTROL, MSR_OK, 0x5 },
		{ MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS, MSR_OK, 1ull << 63 },
		{ MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2, MSR_OK, 1ull << 33 },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(evidence_add_msr(ev, &good[i]));
	ev->msr_origin = MSR_ORIGIN_RECORDED;
}

#define DUMP_12400 "cpuid/intel_x86-64_golden-cove_12th-gen-intel-core-i5-12400.txt"

/* A real dump, as --cpuid-dump reads it. */
static void dump_evidence(struct evidence *ev, const char *fixture)
{
	evidence_init(ev);
	load_fixture(fixture, ev);
	ev->source = SOURCE_DUMP;
}

/* Judge ev for a target, facts made and freed here. */
static void judge(const struct evidence *ev, const char *target, struct probe_run *run)
{
	struct facts f;
	assert_true(facts_init(&f, ev, NULL));
	probe_run(&f, target_find(target), NULL, run);
	facts_free(&f);
}

/* A real CPUID dump and nothing else, judged for every target: a check
 * whose evidence is not CPUID never passes, and is UNKNOWN where the
 * target requires it; so KVM and Hyper-V cannot pass on a dump. */
static void dump_alone_never_passes_what_it_lacks(void **state)
{
	(void)state;
	static const char *const dumps[] = {
		DUMP_12400,
		"cpuid/amd_zen4_amd-ryzen-5-7600x-6-core-processor.txt",
		"cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt", /* a Hyper-V root */
	};
	static struct probe_run run;
	for (size_t d = 0; d < sizeof(dumps) / sizeof(dumps[0]); d++) {
		struct evidence ev;
		dump_evidence(&ev, dumps[d]);
		add_good_msrs(&ev);
		struct facts f;
		assert_true(facts_init(&f, &ev, NULL));
		for (int t = 0; t < TARGET_COUNT; t++) {
			probe_run(&f, &target_table[t], NULL, &run);
			bool lacks_required = false;
			for (int i = 0; i < CHECK_COUNT; i++) {
				const struct check_result *r = &run.result[i];
				const char *what, *howto;
				bool have = check_has_evidence(&f, check_table[i].needs, &what, &howto);
				/* a root partition's CPUID shows the launch too */
				bool root = d == 2 && check_table[i].needs == EVIDENCE_LAUNCH;
				assert_int_equal(have, check_table[i].needs == EVIDENCE_CPUID || root);
				if (have || run.level[i] == LEVEL_OFF)
					continue;
				print_message("%s %s %s: %s\n", dumps[d], target_table[t].name, r->id,
					      check_status_label(r->status));
				assert_true(r->no_evidence);
				assert_int_equal(r->status, run.level[i] == LEVEL_REQUIRED ? STATUS_UNKNOWN
											    : STATUS_SKIP);
				lacks_required |= run.level[i] == LEVEL_REQUIRED;
			}
			/* not even a hypervisor seen running settles what the next
			 * boot will do */
			if (lacks_required)
				assert_int_not_equal(run.verdict, VERDICT_PASS);
		}
		facts_free(&f);
		evidence_free(&ev);
	}
}

/* The issue as users met it: -t kvm on a dump said "KVM can launch here". */
static void kvm_on_a_dump_is_unknown(void **state)
{
	(void)state;
	static struct probe_run run;
	struct evidence ev;
	dump_evidence(&ev, DUMP_12400);
	add_good_msrs(&ev);
	judge(&ev, "kvm", &run);
	assert_int_equal(run.verdict, VERDICT_UNKNOWN);
	assert_int_equal(run.result[CHECK_OS_KVM].status, STATUS_UNKNOWN);
	assert_string_equal(run.result[CHECK_OS_KVM].summary, "no /dev/kvm evidence in this CPUID dump");
	assert_non_null(strstr(run.result[CHECK_OS_KVM].note, "required for target kvm"));
	/* with a probe that created a VM, the next boot still unread: unknown */
	ev.kvm.probed = true;
	ev.kvm.device = TRI_YES;
	ev.kvm.api_version = 12;
	ev.kvm.vm_created = TRI_YES;
	judge(&ev, "kvm", &run);
	assert_int_equal(run.result[CHECK_OS_KVM].status, STATUS_PASS);
	assert_int_equal(run.result[CHECK_KVM_HISTORY].status, STATUS_PASS); /* this boot, from /dev/kvm */
	assert_int_equal(run.result[CHECK_KVM_NEXT_BOOT].status, STATUS_UNKNOWN);
	assert_int_equal(run.verdict, VERDICT_UNKNOWN);
	/* and with the boot loader read, the same dump passes */
	next_boot_ready(&ev, "6.1.0-18-amd64");
	judge(&ev, "kvm", &run);
	assert_int_equal(run.result[CHECK_OS_KVM].status, STATUS_PASS);
	assert_int_equal(run.verdict, VERDICT_PASS);
	evidence_free(&ev);
}

/* What is missing is said of what was given: a Windows volume without a
 * System log is not fixed by giving the volume again. */
static void missing_evidence_is_said_of_what_was_given(void **state)
{
	(void)state;
	static struct probe_run run;
	struct evidence ev;
	dump_evidence(&ev, DUMP_12400);
	judge(&ev, "hyperv", &run);
	const struct check_result *r = &run.result[CHECK_HV_LAUNCH];
	assert_string_equal(r->summary, "no record of whether the hypervisor launched in this CPUID dump");
	assert_non_null(strstr(r->remedy, "give the Windows volume with --windows DIR"));
	ev.windows.read = true; /* --windows DIR: SOFTWARE read, no winevt/Logs */
	ev.installed.read = true;
	judge(&ev, "hyperv", &run);
	assert_int_equal(r->status, STATUS_UNKNOWN);
	assert_string_equal(r->summary, "no record of whether the hypervisor launched in this CPUID dump "
					"and Windows volume");
	assert_non_null(strstr(r->remedy, "the Windows volume given holds no System event log"));
	assert_null(strstr(r->remedy, "--windows DIR"));
	evidence_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_is_whole),
		cmocka_unit_test(dump_alone_never_passes_what_it_lacks),
		cmocka_unit_test(kvm_on_a_dump_is_unknown),
		cmocka_unit_test(missing_evidence_is_said_of_what_was_given),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
