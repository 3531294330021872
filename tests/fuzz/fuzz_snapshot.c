/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a snapshot, as `hvprobe compare` reads a baseline. jsmn
 * tokenizes, our reader decodes; a snapshot that parses is compared with
 * itself and with an empty one, and both comparisons are rendered.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "judge/compare.h"
#include "report/compare_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char empty_json[] =
	"{\"schema\": \"hvprobe/1\", \"target\": \"any\", \"verdict\": \"pass\", \"host\": {},"
	" \"checks\": [], \"facts\": {}}";

static void compare_and_render(const struct snapshot *a, const struct snapshot *b)
{
	struct comparison c;
	struct strbuf out;
	if (!compare_snapshots(a, b, NULL, &c))
		return;
	sb_init(&out);
	compare_text(&c, "fuzz", &out);
	compare_json(&c, "fuzz", &out);
	compare_nagios(&c, &out);
	compare_prometheus(&c, 1, &out);
	compare_junit(&c, 1, &out);
	sb_free(&out);
	comparison_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot s, empty;
	char err[256];
	if (!snapshot_parse((const char *)data, size, &s, err, sizeof(err)))
		return 0;
	if (!snapshot_parse(empty_json, strlen(empty_json), &empty, err, sizeof(err)))
		abort();
	compare_and_render(&s, &s);
	compare_and_render(&empty, &s);
	compare_and_render(&s, &empty);
	snapshot_free(&s);
	snapshot_free(&empty);
	return 0;
}
