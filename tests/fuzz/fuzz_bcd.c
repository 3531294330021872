/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a registry hive, read as a BCD store, as a SOFTWARE hive
 * and as a SYSTEM hive. hivex parses the hive; our walks copy what they find; probe/bcd.c resolves the default and every
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
#include "fuzz_file.h"
#include "platform/hive/bcd_hive.h"
#include "platform/hive/software_hive.h"
#include "platform/fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* hivex opens files by name: hand it the input through one. */
	char path[] = "/tmp/hvprobe-fuzz-bcd-XXXXXX";
	write_input_file(path, data, size);

	struct evidence ev;
	struct hv_error err = { 0 };
	evidence_init(&ev);
	add_base_cpu(&ev);
	if (bcd_hive_load(path, FILE_NAMED, &ev.bcd, &err)) {
		ev.bcd.origin = BCD_ORIGIN_GIVEN;
		judge_everything(&ev, "all");
		judge_everything(&ev, "{hypervisorsettings}");
	} else if (!err.msg[0] || !strstr(err.msg, path)) {
		abort(); /* every refusal names the file */
	}
	/* The same bytes as a SOFTWARE hive: the other walk over hivex. */
	struct evidence sw;
	evidence_init(&sw);
	err.msg[0] = '\0';
	if (software_hive_load(path, FILE_NAMED, &sw, &err))
		judge_everything(&sw, NULL);
	else if (!err.msg[0] || !strstr(err.msg, path))
		abort();
	evidence_free(&sw);
	/* And as a SYSTEM hive: the control set, services and firmware type. */
	evidence_init(&sw);
	err.msg[0] = '\0';
	if (system_hive_load(path, FILE_NAMED, &sw, &err))
		judge_everything(&sw, NULL);
	else if (!err.msg[0] || !strstr(err.msg, path))
		abort();
	evidence_free(&sw);
	unlink(path);
	evidence_free(&ev);
	return 0;
}
