/* SPDX-License-Identifier: MIT */
#ifndef HVPROBE_OPTIONS_H
#define HVPROBE_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "../probe/checks.h"

/* Exit codes (docs/exit-codes.md): the verdict's 0/1/2, then sysexits.h. */
enum exit_code {
	EXIT_PASS = 0,
	EXIT_FAIL = 1,
	EXIT_UNKNOWN = 2,
	EXIT_USAGE = 64,     /* EX_USAGE: bad command line */
	EXIT_DATAERR = 65,   /* EX_DATAERR: an input is malformed */
	EXIT_NOINPUT = 66,   /* EX_NOINPUT: an input is missing or unreadable */
	EXIT_OSERR = 71,     /* EX_OSERR: the OS refused (out of memory, no CPUID) */
	EXIT_CANTCREAT = 73, /* EX_CANTCREAT: an output cannot be created */
	EXIT_IOERR = 74,     /* EX_IOERR: reading or writing failed midway */
};

enum command { CMD_CHECK, CMD_COLLECT, CMD_SNAPSHOT, CMD_COMPARE };
enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_NAGIOS, FORMAT_PROMETHEUS, FORMAT_JUNIT };

/* Nagios plugin states: the exit codes of --format nagios. */
enum nagios_exit { NAGIOS_OK = 0, NAGIOS_WARNING = 1, NAGIOS_CRITICAL = 2, NAGIOS_UNKNOWN = 3 };

#define OPTIONS_MAX_MSR 64
#define OPTIONS_MAX_EVTX 8

struct options {
	enum command command;
	const char *target;      /* NULL: the default for the source */
	enum format format;
	bool quiet, verbose, no_colour;
	bool syslog;          /* --syslog: one summary line to syslog as well */
	bool checks[CHECK_COUNT];
	bool checks_given;
	const char *cpuid_dump;
	const char *from;
	const char *msr_file;
	const char *msr[OPTIONS_MAX_MSR];
	int nmsr;
	const char *bcd;       /* --bcd FILE */
	const char *esp;       /* --esp DIR */
	const char *bcd_entry; /* --bcd-entry ID; NULL: the default */
	const char *windows;   /* --windows DIR: an offline Windows volume */
	const char *root;      /* --root DIR: a mounted Linux root */
	const char *kernel;    /* --kernel RELEASE: judged as the next boot's kernel */
	const char *evtx[OPTIONS_MAX_EVTX]; /* --evtx FILE: exported event logs */
	int nevtx;
	const char *known_issues; /* --known-issues FILE: more known bad updates */
	const char *output;
	const char *baseline; /* compare: the snapshot taken before */
	const char *current;  /* compare: a snapshot taken after; NULL: probe now */
	bool force;           /* compare: even when the hosts differ */
	bool help, version;
};

/* Parse argv; on error prints one line to stderr and returns false. */
bool options_parse(int argc, char **argv, struct options *o);
void options_usage(FILE *out);

#endif
