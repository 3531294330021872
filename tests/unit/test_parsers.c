/* SPDX-License-Identifier: MIT */
/* The small text parsers: MSR values, /proc/cpuinfo, the kernel log and a
 * bundle's host.txt. */
#include "helpers.h"

#include <string.h>

#include "platform/bundle_text.h"
#include "platform/linux/cpuinfo.h"
#include "platform/linux/kmsg.h"
#include "platform/msr_text.h"

static void msr_arguments(void **state)
{
	(void)state;
	struct evidence ev;
	char err[200];
	evidence_init(&ev);
	assert_true(msr_text_parse_arg("0x3a=0x5", &ev, err, sizeof(err)));
	assert_true(msr_text_parse_arg("C0010114=10", &ev, err, sizeof(err)));
	const struct msr_reading *r = evidence_msr(&ev, 3, 0x3a);
	assert_non_null(r);
	assert_int_equal(r->value, 5);
	assert_int_equal(r->cpu, MSR_ALL_CPUS);
	assert_int_equal(evidence_msr(&ev, 0, 0xC0010114u)->value, 0x10);
	assert_int_equal(ev.msr_origin, MSR_ORIGIN_RECORDED);
	assert_false(msr_text_parse_arg("0x3a", &ev, err, sizeof(err)));
	assert_non_null(strstr(err, "--msr 0x3a: expected INDEX=VALUE"));
	assert_false(msr_text_parse_arg("0x3a=zz", &ev, err, sizeof(err)));
	assert_false(msr_text_parse_arg("0x3a=0x10000000000000000", &ev, err, sizeof(err)));
	assert_false(msr_text_parse_arg("0x1ffffffff=1", &ev, err, sizeof(err)));
	evidence_free(&ev);
}

static void msr_file_round_trip(void **state)
{
	(void)state;
	struct evidence a, b;
	struct strbuf sb;
	char err[200];
	static const char text[] = "# comment\n\ncpu0 0x3a=0x5\ncpu1 0x3a=0x1\ncpu1 0x1a0=denied\n";
	evidence_init(&a);
	evidence_init(&b);
	sb_init(&sb);
	assert_true(msr_text_parse(text, strlen(text), false, &a, err, sizeof(err)));
	assert_int_equal(a.nmsrs, 3);
	assert_int_equal(evidence_msr(&a, 1, 0x1a0)->status, MSR_DENIED);
	msr_text_write(&a, &sb);
	assert_true(msr_text_parse(sb.data, sb.len, false, &b, err, sizeof(err)));
	assert_int_equal(b.nmsrs, 3);
	assert_memory_equal(a.msrs, b.msrs, 3 * sizeof(struct msr_reading));

	evidence_free(&b);
	evidence_init(&b);
	static const char none[] = "access=denied\n";
	assert_true(msr_text_parse(none, strlen(none), false, &b, err, sizeof(err)));
	assert_int_equal(b.msr_access, MSR_DENIED);
	static const char bad[] = "0x3a=0x5\ncpux 0x3a=1\n";
	assert_false(msr_text_parse(bad, strlen(bad), true, &b, err, sizeof(err)));
	assert_non_null(strstr(err, "line 2"));
	sb_free(&sb);
	evidence_free(&a);
	evidence_free(&b);
}

static void cpuinfo_counts_flags_per_cpu(void **state)
{
	(void)state;
	static const char text[] =
		"processor\t: 0\nflags\t\t: fpu vme nx lm vmx hypervisor\n"
		"vmx flags\t: vnmi ept vpid unrestricted_guest\n\n"
		"processor\t: 1\nflags\t\t: fpu vme nx lm ept\n\n";
	struct linux_view lx;
	memset(&lx, 0, sizeof(lx));
	cpuinfo_parse(text, strlen(text), &lx);
	assert_true(lx.present);
	assert_int_equal(lx.cpuinfo_cpus, 2);
	assert_int_equal(lx.flag_cpus[KFLAG_VMX], 1);
	assert_int_equal(lx.flag_cpus[KFLAG_NX], 2);
	assert_int_equal(lx.flag_cpus[KFLAG_EPT], 2); /* once per CPU, from either line */
	assert_int_equal(lx.flag_cpus[KFLAG_UNRESTRICTED_GUEST], 1);
	assert_int_equal(lx.flag_cpus[KFLAG_SVM], 0);
	assert_true(lx.vmx_flags_line);
}

static void kmsg_finds_firmware_lines(void **state)
{
	(void)state;
	static const char text[] =
		"6,1,0,-;Linux version 6.1.0\n"
		"[    0.000000] NX (Execute Disable) protection: active\n"
		"3,200,5000,-;x86/cpu: VMX (outside TXT) disabled by BIOS\n"
		"kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 1\n";
	struct linux_view lx;
	memset(&lx, 0, sizeof(lx));
	kmsg_scan(text, strlen(text), &lx);
	assert_string_equal(lx.kmsg[KMSG_NX_ACTIVE], "NX (Execute Disable) protection: active");
	assert_string_equal(lx.kmsg[KMSG_VMX_DISABLED_BY_BIOS], "x86/cpu: VMX (outside TXT) disabled by BIOS");
	assert_string_equal(lx.kmsg[KMSG_SVM_DISABLED_BY_BIOS],
			    "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 1");
	assert_string_equal(lx.kmsg[KMSG_NX_MISSING], "");
	assert_string_equal(lx.kmsg[KMSG_KVM_DISABLED_BY_BIOS], "");
}

static void host_file_round_trip_and_errors(void **state)
{
	(void)state;
	struct evidence a, b;
	struct strbuf sb;
	char err[200];
	evidence_init(&a);
	evidence_init(&b);
	sb_init(&sb);
	strcpy(a.hostname, "hv01\nevil=1");
	strcpy(a.linux_.kernel_release, "6.1.0-18-amd64");
	a.kvm.probed = true;
	a.kvm.device = TRI_YES;
	a.kvm.api_version = 12;
	a.kvm.vm_created = TRI_NO;
	strcpy(a.kvm.create_error, "EBUSY");
	a.boot.probed = true;
	a.boot.uefi = TRI_YES;
	bundle_host_write(&a, &sb);
	assert_true(bundle_host_parse(sb.data, sb.len, &b, err, sizeof(err)));
	assert_string_equal(b.hostname, "hv01 evil=1"); /* a newline cannot inject a key */
	assert_string_equal(b.linux_.kernel_release, "6.1.0-18-amd64");
	assert_int_equal(b.kvm.api_version, 12);
	assert_int_equal(b.kvm.vm_created, TRI_NO);
	assert_string_equal(b.kvm.create_error, "EBUSY");
	assert_int_equal(b.boot.uefi, TRI_YES);
	assert_int_equal(b.boot.secure_boot, TRI_UNKNOWN);

	static const char *const bad[] = { "kvm.device=maybe\nformat=hvprobe-bundle/1\n",
					   "format=hvprobe-bundle/9\n", "hostname=x\n", "junk\n" };
	for (size_t i = 0; i < 4; i++) {
		struct evidence c;
		evidence_init(&c);
		assert_false(bundle_host_parse(bad[i], strlen(bad[i]), &c, err, sizeof(err)));
		evidence_free(&c);
	}
	sb_free(&sb);
	evidence_free(&a);
	evidence_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(msr_arguments),
		cmocka_unit_test(msr_file_round_trip),
		cmocka_unit_test(cpuinfo_counts_flags_per_cpu),
		cmocka_unit_test(kmsg_finds_firmware_lines),
		cmocka_unit_test(host_file_round_trip_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
