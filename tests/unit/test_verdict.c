/* SPDX-License-Identifier: MIT */
/* Targets, levels, live proof and the verdict. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/bcd.h"
#include "probe/cpuid_decode.h"
#include "report/report.h"

static struct probe_run *run_target(const struct evidence *ev, const char *target, const bool *sel)
{
	struct facts f;
	struct probe_run *run = malloc(sizeof(*run));
	assert_non_null(run);
	assert_true(facts_init(&f, ev, NULL));
	const struct target_def *t = target_find(target);
	assert_non_null(t);
	probe_run(&f, t, sel, run);
	facts_free(&f);
	return run;
}

/* A healthy Intel host seen by Linux: MSRs read, KVM works. */
static void healthy_intel(struct evidence *ev)
{
	evidence_init(ev);
	add_intel_cpu(ev, 0, CPUID_1_ECX_VMX);
	struct msr_reading fc = { MSR_ALL_CPUS, MSR_IA32_FEATURE_CONTROL, MSR_OK, 0x5 };
	struct msr_reading c1 = { MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS, MSR_OK,
				  PROCBASED_CTLS_ACTIVATE_SECONDARY };
	struct msr_reading c2 = { MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2, MSR_OK, PROCBASED_CTLS2_EPT };
	struct msr_reading me = { MSR_ALL_CPUS, MSR_IA32_MISC_ENABLE, MSR_OK, 0x1 };
	evidence_add_msr(ev, &fc);
	evidence_add_msr(ev, &c1);
	evidence_add_msr(ev, &c2);
	evidence_add_msr(ev, &me);
	ev->msr_origin = MSR_ORIGIN_RECORDED;
	ev->kvm.probed = true;
	ev->kvm.device = TRI_YES;
	ev->kvm.api_version = 12;
	ev->kvm.vm_created = TRI_YES;
	/* and a next boot whose kernel has KVM's modules */
	next_boot_ready(ev, "6.1.0-18-amd64");
	/* and a boot entry that launches Hyper-V */
	bcd_test_store(&ev->bcd);
	bcd_test_integer(bcd_test_find(&ev->bcd, BCD_TEST_LOADER), BcdOSLoaderInteger_HypervisorLaunchType,
			 HYPERVISOR_LAUNCH_AUTO);
	/* and a System log where it launched at the last boot */
	add_launched_boot(ev, 1641900000);
	/* and a list of installed updates with none of the known bad ones */
	ev->installed.read = true;
	snprintf(ev->installed.source, sizeof(ev->installed.source), "SOFTWARE hive");
}

static void healthy_host_passes_every_target(void **state)
{
	(void)state;
	struct evidence ev;
	healthy_intel(&ev);
	for (size_t i = 0; i < target_count; i++) {
		struct probe_run *run = run_target(&ev, target_table[i].name, NULL);
		assert_int_equal(run->verdict, VERDICT_PASS);
		assert_int_equal(verdict_exit_code(run->verdict), 0);
		free(run);
	}
	evidence_free(&ev);
}

static void required_failure_fails_advisory_only_warns(void **state)
{
	(void)state;
	struct evidence ev;
	healthy_intel(&ev);
	struct msr_reading c2 = { MSR_ALL_CPUS, MSR_IA32_VMX_PROCBASED_CTLS2, MSR_OK, 0 }; /* no EPT */
	evidence_add_msr(&ev, &c2);
	ev.kvm.vm_created = TRI_UNKNOWN;
	ev.kvm.probed = false;

	struct probe_run *run = run_target(&ev, "hyperv", NULL);
	assert_int_equal(run->result[CHECK_CPU_SLAT].status, STATUS_FAIL);
	assert_int_equal(run->verdict, VERDICT_FAIL);
	assert_int_equal(verdict_exit_code(run->verdict), 1);
	free(run);

	run = run_target(&ev, "hyperv-2012r2", NULL);
	assert_int_equal(run->result[CHECK_CPU_SLAT].status, STATUS_WARN);
	assert_non_null(strstr(run->result[CHECK_CPU_SLAT].note, "advisory"));
	assert_int_equal(run->verdict, VERDICT_PASS);
	free(run);
	evidence_free(&ev);
}

static void unknown_required_check_makes_verdict_unknown(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	add_amd_cpu(&ev, 0, true, true); /* no MSR, no kernel: firmware state unknown */
	struct probe_run *run = run_target(&ev, "any", NULL);
	assert_int_equal(run->result[CHECK_FW_VIRT_ENABLED].status, STATUS_UNKNOWN);
	assert_int_equal(run->verdict, VERDICT_UNKNOWN);
	assert_int_equal(verdict_exit_code(run->verdict), 2);
	assert_int_equal(run->result[CHECK_OS_KVM].status, STATUS_SKIP);
	free(run);
	evidence_free(&ev);
}

static void off_checks_are_skipped_with_reason(void **state)
{
	(void)state;
	struct evidence ev;
	healthy_intel(&ev);
	ev.kvm.device = TRI_NO;
	struct probe_run *run = run_target(&ev, "hyperv", NULL);
	assert_int_equal(run->result[CHECK_OS_KVM].status, STATUS_SKIP);
	assert_string_equal(run->result[CHECK_OS_KVM].summary, "not needed for target hyperv");
	assert_int_equal(run->verdict, VERDICT_PASS);
	free(run);
	evidence_free(&ev);
}

static void hyperv_root_partition_proves_hyperv(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	load_fixture("cpuid/intel_x86-64_skylake_intel-core-i5-10600k-cpu.txt", &ev);
	/* Running now proves the processor, not the next boot. */
	struct probe_run *run = run_target(&ev, "hyperv", NULL);
	assert_int_equal(run->verdict, VERDICT_UNKNOWN);
	assert_int_equal(run->result[CHECK_BCD_ENTRY].status, STATUS_UNKNOWN);
	assert_int_equal(run->result[CHECK_UPDATES_KNOWN_BAD].status, STATUS_UNKNOWN);
	free(run);
	/* With the next boot's entry (Auto) and the updates read, it passes. */
	bcd_test_store(&ev.bcd);
	bcd_test_integer(bcd_test_find(&ev.bcd, BCD_TEST_LOADER), BcdOSLoaderInteger_HypervisorLaunchType,
			 HYPERVISOR_LAUNCH_AUTO);
	ev.installed.read = true;
	run = run_target(&ev, "hyperv", NULL);
	assert_int_equal(run->verdict, VERDICT_PASS);
	assert_non_null(strstr(run->proof, "root partition"));
	assert_int_equal(run->result[CHECK_CPU_VIRT_EXT].status, STATUS_WARN);
	assert_non_null(strstr(run->result[CHECK_CPU_VIRT_EXT].note, "normal state of a Hyper-V host"));
	free(run);

	/* Hyper-V running proves nothing about KVM on this host, and the
	 * VT-x it hides is not known to be absent */
	run = run_target(&ev, "kvm", NULL);
	assert_int_equal(run->verdict, VERDICT_UNKNOWN);
	assert_int_equal(run->result[CHECK_CPU_VIRT_EXT].status, STATUS_UNKNOWN);
	assert_non_null(strstr(run->result[CHECK_CPU_VIRT_EXT].summary, "hidden by the Microsoft hypervisor"));
	free(run);
	evidence_free(&ev);
}

static void software_kvm_proves_kvm_without_vmx(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	add_amd_cpu(&ev, 0, false, false);
	ev.kvm.probed = true;
	ev.kvm.device = TRI_YES;
	ev.kvm.api_version = 12;
	ev.kvm.vm_created = TRI_YES;
	strcpy(ev.kvm.modules, "kvm kvm_pvm");
	next_boot_ready(&ev, "6.1.0-18-amd64");
	struct probe_run *run = run_target(&ev, "kvm", NULL);
	assert_int_equal(run->verdict, VERDICT_PASS);
	assert_int_equal(run->result[CHECK_CPU_VIRT_EXT].status, STATUS_WARN);
	assert_non_null(strstr(run->result[CHECK_CPU_VIRT_EXT].note, "kvm_pvm"));
	free(run);
	evidence_free(&ev);
}

static void selection_limits_the_verdict(void **state)
{
	(void)state;
	struct evidence ev;
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0); /* no VMX: cpu.virt_ext fails */
	bool sel[CHECK_COUNT] = { false };
	sel[CHECK_CPU_NX] = true;
	struct probe_run *run = run_target(&ev, "any", sel);
	assert_int_equal(run->verdict, VERDICT_PASS);
	assert_false(run->selected[CHECK_CPU_VIRT_EXT]);
	free(run);
	sel[CHECK_CPU_VIRT_EXT] = true;
	run = run_target(&ev, "any", sel);
	assert_int_equal(run->verdict, VERDICT_FAIL);
	free(run);
	evidence_free(&ev);
}

static void summary_text(const struct probe_run *run, char *buf, size_t size)
{
	struct strbuf sb;
	sb_init(&sb);
	run_summary(run, &sb);
	snprintf(buf, size, "%s", sb.data ? sb.data : "");
	sb_free(&sb);
}

/* The gate before a restart: a kernel waiting without KVM's module fails
 * the next boot while this one runs KVM; a /dev/kvm gone now does not
 * say the next boot fails. */
static void next_boot_has_its_own_verdict(void **state)
{
	(void)state;
	struct evidence ev;
	char text[300];
	healthy_intel(&ev);
	ev.next_boot.next.kvm_intel = MODULE_MISSING;
	struct probe_run *run = run_target(&ev, "kvm", NULL);
	assert_int_equal(run->result[CHECK_KVM_NEXT_BOOT].status, STATUS_FAIL);
	assert_int_equal(run->verdict, VERDICT_FAIL);
	assert_int_equal(run->next_boot, VERDICT_FAIL);
	summary_text(run, text, sizeof(text));
	assert_string_equal(text, "KVM can launch at this boot, but will not after the next restart; "
				  "failed: kvm.next_boot");
	free(run);

	/* the kernel hook asks for kvm.next_boot alone: nothing of this boot */
	bool sel[CHECK_COUNT] = { false };
	sel[CHECK_KVM_NEXT_BOOT] = true;
	run = run_target(&ev, "kvm", sel);
	summary_text(run, text, sizeof(text));
	assert_string_equal(text, "KVM will not launch after the next restart; failed: kvm.next_boot");
	free(run);

	/* the hook's check passing speaks of the next restart, not of now */
	ev.next_boot.next.kvm_intel = MODULE_FILE;
	run = run_target(&ev, "kvm", sel);
	summary_text(run, text, sizeof(text));
	assert_string_equal(text, "KVM will launch after the next restart");
	free(run);
	/* a processor check beside it proves nothing of a launch at this boot */
	sel[CHECK_CPU_ARCH] = true;
	ev.next_boot.next.kvm_intel = MODULE_MISSING;
	run = run_target(&ev, "kvm", sel);
	summary_text(run, text, sizeof(text));
	assert_string_equal(text, "KVM will not launch after the next restart; failed: kvm.next_boot");
	free(run);
	ev.next_boot.next.kvm_intel = MODULE_FILE;

	/* no /dev/kvm now: the next boot is not known to be better */
	ev.kvm.device = TRI_NO;
	ev.kvm.vm_created = TRI_NO;
	run = run_target(&ev, "kvm", NULL);
	assert_int_equal(run->result[CHECK_OS_KVM].status, STATUS_FAIL);
	assert_int_equal(run->verdict, VERDICT_FAIL);
	assert_int_equal(run->next_boot, VERDICT_UNKNOWN);
	summary_text(run, text, sizeof(text));
	assert_non_null(strstr(text, "cannot launch here; failed: os.kvm"));
	free(run);

	/* nothing of the next boot selected: it cannot pass */
	bool only_launch[CHECK_COUNT] = { false };
	only_launch[CHECK_HV_LAUNCH] = true;
	run = run_target(&ev, "hyperv", only_launch);
	assert_int_equal(run->verdict, VERDICT_PASS);
	assert_int_equal(run->next_boot, VERDICT_UNKNOWN);
	struct strbuf sb;
	sb_init(&sb);
	next_boot_summary(run, &sb);
	assert_string_equal(sb_str(&sb), "Hyper-V (Windows Server 2016 and later, client Hyper-V) may or "
					 "may not launch after the next restart: no check "
					 "of the next boot ran");
	sb_free(&sb);
	free(run);

	/* the processor carries over: no VT-x fails both */
	evidence_free(&ev);
	evidence_init(&ev);
	add_intel_cpu(&ev, 0, 0);
	next_boot_ready(&ev, "6.1.0-18-amd64");
	run = run_target(&ev, "kvm", NULL);
	assert_int_equal(run->result[CHECK_CPU_VIRT_EXT].status, STATUS_FAIL);
	assert_int_equal(run->next_boot, VERDICT_FAIL);
	free(run);
	evidence_free(&ev);
}

/* Every row says which boot it speaks for, and the next boot's own
 * checks are the boot configuration's. */
static void every_check_has_a_scope(void **state)
{
	(void)state;
	assert_int_equal(check_table[CHECK_KVM_NEXT_BOOT].scope, SCOPE_NEXT_BOOT);
	assert_int_equal(check_table[CHECK_BCD_LAUNCH_TYPE].scope, SCOPE_NEXT_BOOT);
	assert_int_equal(check_table[CHECK_OS_KVM].scope, SCOPE_THIS_BOOT);
	assert_int_equal(check_table[CHECK_HV_LAUNCH].scope, SCOPE_THIS_BOOT);
	assert_int_equal(check_table[CHECK_KVM_HISTORY].scope, SCOPE_THIS_BOOT);
	assert_int_equal(check_table[CHECK_UPDATES_KNOWN_BAD].scope, SCOPE_BOTH);
	assert_int_equal(check_table[CHECK_CPU_VIRT_EXT].scope, SCOPE_BOTH);
}

static void names_and_helpers(void **state)
{
	(void)state;
	assert_string_equal(verdict_name(VERDICT_UNKNOWN), "unknown");
	assert_int_equal(check_find("os.kvm"), CHECK_OS_KVM);
	assert_int_equal(check_find("nope"), -1);
	assert_null(target_find("vmware"));
	assert_true(kernel_at_least("5.6.0", 5, 6));
	assert_true(kernel_at_least("6.1.0-18-amd64", 5, 6));
	assert_false(kernel_at_least("5.4.0-150-generic", 5, 6));
	assert_false(kernel_at_least("", 5, 6));
	assert_false(kernel_at_least("junk", 5, 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(healthy_host_passes_every_target),
		cmocka_unit_test(required_failure_fails_advisory_only_warns),
		cmocka_unit_test(unknown_required_check_makes_verdict_unknown),
		cmocka_unit_test(off_checks_are_skipped_with_reason),
		cmocka_unit_test(hyperv_root_partition_proves_hyperv),
		cmocka_unit_test(software_kvm_proves_kvm_without_vmx),
		cmocka_unit_test(selection_limits_the_verdict),
		cmocka_unit_test(next_boot_has_its_own_verdict),
		cmocka_unit_test(every_check_has_a_scope),
		cmocka_unit_test(names_and_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
