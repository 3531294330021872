/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: Windows event logs. The input is read three ways:
 *   - as an .evtx file, through the whole offline path (the framing pass,
 *     libevtx on the records it finds, the event XML reader);
 *   - as one event record's XML (the live Windows path's parser);
 *   - as a bundle's events.txt.
 * Whatever is read goes through the launch timeline, every check and
 * every renderer. A valid Intel CPU and a BCD entry that asks for the
 * hypervisor are not needed: the timeline is judged with or without them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "fuzz_file.h"
#include "formats/event_xml.h"
#include "formats/events_text.h"
#include "platform/evtx/evtx_file.h"
#include "platform/fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void as_log_file(const uint8_t *data, size_t size)
{
	/* libevtx opens files by name: hand it the input through one. */
	char path[] = "/tmp/hvprobe-fuzz-evtx-XXXXXX";
	write_input_file(path, data, size);
	struct evidence ev;
	struct hv_error err = { 0 };
	evidence_init(&ev);
	add_base_cpu(&ev);
	if (evtx_file_load(path, FILE_NAMED, &ev, &err)) {
		events_settle(&ev.events);
		judge_everything(&ev, NULL);
	} else if (!err.msg[0] || !strstr(err.msg, path)) {
		abort(); /* every refusal names the file */
	}
	unlink(path);
	evidence_free(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	as_log_file(data, size);

	struct evidence ev;
	char err[200];
	evidence_init(&ev);
	add_base_cpu(&ev);
	if (event_xml_add((const char *)data, size, 0, NULL, &ev.events, NULL, err, sizeof(err))) {
		ev.events.nlogs = 1;
		ev.events.read = true;
		judge_everything(&ev, NULL);
	}
	evidence_free(&ev);

	/* events.txt is text: the parser reads a NUL-terminated copy. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	evidence_init(&ev);
	add_base_cpu(&ev);
	if (events_text_parse(text, size, &ev, err, sizeof(err)))
		judge_everything(&ev, NULL);
	evidence_free(&ev);
	free(text);
	return 0;
}
