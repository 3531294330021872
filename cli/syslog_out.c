/* SPDX-License-Identifier: MIT */
/* --syslog: the verdict in one line to syslog (and so to the journal), for
 * startup scripts whose output nobody reads. */
#include <syslog.h>

#include "run.h"

void syslog_line(enum nagios_exit state, const char *text)
{
	static const int priority[] = { [NAGIOS_OK] = LOG_INFO, [NAGIOS_WARNING] = LOG_WARNING,
					[NAGIOS_CRITICAL] = LOG_ERR, [NAGIOS_UNKNOWN] = LOG_WARNING };
	openlog("hvprobe", LOG_PID, LOG_DAEMON);
	syslog(priority[state], "%s", text);
	closelog();
}

/* The line says it is a comparison; syslog has no event IDs to tell. */
void syslog_compare_line(enum nagios_exit state, const char *text)
{
	syslog_line(state, text);
}
