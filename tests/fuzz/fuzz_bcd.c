/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a BCD store file. hivex parses the hive; our walk
 * copies objects and elements; probe/bcd.c resolves the default and every
 * loader (--bcd-entry all) and the checks and renderers take the result.
 * A valid Intel CPU is always present so the run reaches the verdict.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "platform/bcd/bcd_hive.h"
#include "platform/cpuid_dump.h"
#include "platform/fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_cpu[] =
	"CPU 0:\n"
	"   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	"   0x00000001 0x00: eax=0x000306c3 ebx=0x01100800 ecx=0x7fdafbbf edx=0xbfebfbff\n"
	"   0x80000000 0x00: eax=0x80000008 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
	"   0x80000001 0x00: eax=0x00000000 ebx=0x00000000 ecx=0x00000021 edx=0x2c100800\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* hivex opens files by name: hand it the input through one. */
	char path[] = "/tmp/hvprobe-fuzz-bcd-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	if (!fd_write_all(fd, (const char *)data, size))
		abort();
	close(fd);

	struct evidence ev;
	struct hv_error err = { 0 };
	char why[256];
	evidence_init(&ev);
	if (!cpuid_dump_parse(base_cpu, strlen(base_cpu), &ev, NULL, why, sizeof(why)))
		abort();
	if (bcd_hive_load(path, &ev.bcd, &err)) {
		ev.bcd.origin = BCD_ORIGIN_GIVEN;
		judge_everything(&ev, "all");
		judge_everything(&ev, "{hypervisorsettings}");
	} else if (!err.msg[0] || !strstr(err.msg, path)) {
		abort(); /* every refusal names the file */
	}
	unlink(path);
	evidence_free(&ev);
	return 0;
}
