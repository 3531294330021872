/* SPDX-License-Identifier: MIT */
/* --syslog on Windows: one line to the Application event log (source
 * hvprobe), the place startup tasks are read from. */
#include <windows.h>
#include <stdlib.h>

#include "run.h"
#include "../platform/windows/windows_live.h"

void syslog_line(enum nagios_exit state, const char *text)
{
	static const WORD type[] = { [NAGIOS_OK] = EVENTLOG_INFORMATION_TYPE,
				     [NAGIOS_WARNING] = EVENTLOG_WARNING_TYPE,
				     [NAGIOS_CRITICAL] = EVENTLOG_ERROR_TYPE,
				     [NAGIOS_UNKNOWN] = EVENTLOG_WARNING_TYPE };
	HANDLE log = RegisterEventSourceW(NULL, L"hvprobe");
	wchar_t *w = utf8_to_wide(text);
	if (log && w) {
		LPCWSTR strings[] = { w };
		ReportEventW(log, type[state], 0, 1, NULL, 1, 0, strings, NULL);
	}
	free(w);
	if (log)
		DeregisterEventSource(log);
}
