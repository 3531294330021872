/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the parsers behind --from and --msr-file. The first
 * byte picks the piece of a bundle; the rest is its text. A valid Intel
 * CPU is always present so the parsed values reach the checks.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "platform/bundle_text.h"
#include "platform/cpuid_dump.h"
#include "platform/linux/cpuinfo.h"
#include "platform/linux/kmsg.h"
#include "platform/msr_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_cpu[] =
	"CPU 0:\n"
	"   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	"   0x00000001 0x00: eax=0x000306c3 ebx=0x01100800 ecx=0x7fdafbbf edx=0xbfebfbff\n"
	"   0x80000000 0x00: eax=0x80000008 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	"   0x80000001 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000021 edx=0x2c100800\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence ev;
	char err[256];
	if (size < 1)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	evidence_init(&ev);
	if (!cpuid_dump_parse(base_cpu, strlen(base_cpu), &ev, NULL, err, sizeof(err)))
		abort();
	bool ok = true;
	switch (data[0] % 5) {
	case 0: ok = bundle_host_parse(text, len, &ev, err, sizeof(err)); break;
	case 1: ok = msr_text_parse(text, len, data[0] & 0x80, &ev, err, sizeof(err)); break;
	case 2: cpuinfo_parse(text, len, &ev.linux_); break;
	case 3: kmsg_scan(text, len, &ev.linux_); break;
	case 4: {
		char arg[128];
		size_t n = len < sizeof(arg) - 1 ? len : sizeof(arg) - 1;
		memcpy(arg, text, n);
		arg[n] = '\0';
		ok = msr_text_parse_arg(arg, &ev, err, sizeof(err));
		break;
	}
	}
	if (ok)
		judge_everything(&ev, NULL);
	evidence_free(&ev);
	return 0;
}
