/* SPDX-License-Identifier: MIT */
/* --syslog on Windows: one line to the Application event log (source
 * hvprobe), the place startup tasks are read from. Each verdict has its own
 * event ID, so a monitor or a task can filter on it without reading the
 * text (docs/windows.md, "Event IDs"):
 *   check:   1000 pass, 1001 fail, 1002 unknown
 *   compare: 1010 no regression, 1011 regression, 1012 undecided
 * (1003, an error, is written by contrib/windows/hvprobe-task.cmd: hvprobe
 * itself logs nothing when it cannot judge). */
#include <windows.h>
#include <stdlib.h>

#include "run.h"
#include "../platform/windows/windows_live.h"

enum { EVENT_CHECK = 1000, EVENT_COMPARE = 1010 };

static void report_event(DWORD base, enum nagios_exit state, const char *text)
{
	static const WORD type[] = { [NAGIOS_OK] = EVENTLOG_INFORMATION_TYPE,
				     [NAGIOS_WARNING] = EVENTLOG_WARNING_TYPE,
				     [NAGIOS_CRITICAL] = EVENTLOG_ERROR_TYPE,
				     [NAGIOS_UNKNOWN] = EVENTLOG_WARNING_TYPE };
	/* A PASS with an advisory WARN is still a pass (its type says warning). */
	static const DWORD offset[] = { [NAGIOS_OK] = 0, [NAGIOS_WARNING] = 0,
					[NAGIOS_CRITICAL] = 1, [NAGIOS_UNKNOWN] = 2 };
	HANDLE log = RegisterEventSourceW(NULL, L"hvprobe");
	wchar_t *w = utf8_to_wide(text);
	if (log && w) {
		LPCWSTR strings[] = { w };
		ReportEventW(log, type[state], 0, base + offset[state], NULL, 1, 0, strings, NULL);
	}
	free(w);
	if (log)
		DeregisterEventSource(log);
}

void syslog_line(enum nagios_exit state, const char *text)
{
	report_event(EVENT_CHECK, state, text);
}

void syslog_compare_line(enum nagios_exit state, const char *text)
{
	report_event(EVENT_COMPARE, state, text);
}
