/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the CPUID dump parser (all three formats). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "formats/cpuid_dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence ev;
	char err[256];
	evidence_init(&ev);
	if (cpuid_dump_parse((const char *)data, size, &ev, NULL, err, sizeof(err)))
		judge_everything(&ev, NULL);
	evidence_free(&ev);
	return 0;
}
