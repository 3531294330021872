/* SPDX-License-Identifier: MIT */
/* Read a file and hand its text to one of the evidence parsers; any error
 * names the file. Every offline input goes through here. */
#ifndef HVPROBE_PARSE_FILE_H
#define HVPROBE_PARSE_FILE_H

#include "../probe/evidence.h"
#include "fileio.h"
#include "../formats/hv_error.h"

/* The shape of every text parser in platform/: false with a one-line
 * reason (often "line N: ...") in err. */
typedef bool (*evidence_parser)(const char *text, size_t len, struct evidence *ev,
				char *err, size_t errsize);

bool parse_file(const char *path, enum file_origin origin, evidence_parser parse,
		struct evidence *ev, struct hv_error *err);

#endif
