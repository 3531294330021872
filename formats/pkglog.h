/* SPDX-License-Identifier: MIT */
/* The package logs of a Debian system (docs/linux-history.md, "Package
 * logs"): dpkg's /var/log/dpkg.log and apt's /var/log/apt/history.log,
 * read for the changes to the packages that matter (formats/dpkg.h). */
#ifndef HVPROBE_PKGLOG_H
#define HVPROBE_PKGLOG_H

#include "../probe/evidence.h"

/* Both logs write the examined system's LOCAL time without a zone: the
 * caller, who knows that zone, turns it into seconds since 1970 UTC.
 * False when the time does not exist there. NULL reads the times as UTC. */
typedef bool (*local_time_fn)(void *ctx, int year, int month, int day, int hour, int min,
			      int sec, int64_t *utc);

/* dpkg's log: "YYYY-MM-DD HH:MM:SS ACTION PKG[:ARCH] OLD NEW" lines. The
 * install, upgrade, remove and purge lines of packages that matter are
 * added to v; status, startup, configure, trigproc, conffile and
 * disappear lines are not changes and are passed over; a line not
 * understood is counted in v->skipped. False only when v is full or
 * memory runs out. */
bool dpkg_log_parse(const char *text, size_t len, local_time_fn to_utc, void *ctx,
		    struct package_log_view *v);

/* apt's history: blank-line separated entries of "Start-Date:" and the
 * Install, Upgrade, Downgrade, Remove, Purge and Reinstall lines, each a
 * list of "PKG[:ARCH] (VERSION[, automatic])" or "PKG[:ARCH] (OLD, NEW)".
 * Each change is timed by its entry's Start-Date. Same results as above. */
bool apt_history_parse(const char *text, size_t len, local_time_fn to_utc, void *ctx,
		       struct package_log_view *v);

#endif
