/* SPDX-License-Identifier: MIT */
/* What went wrong while gathering evidence, in one line, and its class;
 * the CLI maps the class to a documented exit code (docs/exit-codes.md). */
#ifndef HVPROBE_HV_ERROR_H
#define HVPROBE_HV_ERROR_H

#include <stdio.h>

enum hv_status {
	HV_OK = 0,
	HV_ENOINPUT,   /* an input file or directory is missing or unreadable */
	HV_EDATA,      /* an input is malformed */
	HV_ECANTCREAT, /* an output cannot be created */
	HV_EIO,        /* reading or writing failed midway */
	HV_ENOMEM,     /* out of memory */
	HV_EOS,        /* the OS refused something the run needs */
};

struct hv_error {
	enum hv_status status;
	char msg[600];
};

#define hv_fail(e, st, ...)                                      \
	((e)->status = (st), snprintf((e)->msg, sizeof((e)->msg), __VA_ARGS__), false)

#endif
