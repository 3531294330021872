/* SPDX-License-Identifier: MIT */
/*
 * The one list of updates installed or waiting for the restart, from every
 * place Windows records them (docs/windows.md, "Where Windows records
 * updates"): Component Based Servicing's packages, the Windows Update
 * client's events in System, the servicing events in Setup, and the
 * restart markers. updates.known_bad, the launch timeline and the JSON
 * that compare reads all take this list and judge each listed update with
 * update_judge, so none of them can see an update the others miss.
 */
#ifndef HVPROBE_UPDATES_H
#define HVPROBE_UPDATES_H

#include "evidence.h"
#include "known_issues.h"

/*
 * ev->installed (SOFTWARE's packages, or dpkg's) merged with the updates
 * the event logs name by KB: Servicing 2 (changed to a state), Servicing 4
 * (a reboot is necessary before the change: waits for the restart), the
 * Windows Update client's 19 (installed) and 20 (failed). Per KB the
 * servicing stack's newest word wins over the client's; SOFTWARE's state
 * wins over both (it is what Windows holds now). Antivirus definitions are
 * left out. out->read when either kind of record was read; out->complete
 * only when the installed list itself was (a log may have been cleared).
 * The caller frees out->items. False on allocation failure.
 */
struct update_list {
	struct installed_view v;
	bool complete;        /* the installed list itself was read: SOFTWARE, or dpkg's
			       * where no Windows update came from logs alone */
	unsigned from_events; /* updates known only from the event logs */
	unsigned dropped;     /* of those, left out past INSTALLED_MAX */
};

bool updates_merge(const struct evidence *ev, struct update_list *out);
/* A Windows installation's own list was read (SOFTWARE, live or a hive). */
bool updates_software_read(const struct evidence *ev);
void updates_free(struct update_list *l);

/* A Microsoft-Windows-Servicing record's IntendedPackageState as a CBS
 * state word ("installed", "superseded", "absent", ...), NULL when not
 * read; and whether its ErrorCode says the change failed. */
const char *servicing_state(const struct event_record *e);
bool servicing_failed(const struct event_record *e);

/* "CBS RebootPending, Windows Update RebootRequired": the markers that say
 * updates wait for the restart; false (and "") when none does. */
bool restart_pending_words(const struct restart_view *r, char *buf, size_t size);

/* An item's sources as words: "SOFTWARE CBS, Setup log (Servicing)". */
void update_sources_words(unsigned sources, char *buf, size_t size);

/* What one listed update means for this host, mildest first: a check
 * reports the worst. */
enum bad_update_verdict {
	BAD_REMOVED,      /* not in effect nor waiting (removed, superseded, failed) */
	BAD_LEAVING,      /* removed at the next restart */
	BAD_NOT_HERE,     /* conditions do not match this host */
	BAD_SUPERSEDED,   /* a fix is in effect */
	BAD_PROVEN_FINE,  /* in effect, and the hypervisor runs */
	BAD_FIX_PENDING,  /* a fix waits for the restart: the next boot is fine */
	BAD_UNDECIDED,    /* a condition cannot be matched: build or firmware unknown */
	BAD_APPLIES,      /* in effect now, or at the next boot */
};

/* The host an update is judged against. */
struct update_host {
	bool have_build;
	struct windows_build build;
	const char *build_source;
	tri_t uefi;
	const char *uefi_source;
	bool hyperv_runs;         /* the Microsoft hypervisor runs below this OS now */
	int64_t boot_start;       /* when this boot began; 0 unknown */
	bool restart_pending;     /* a marker says updates wait for the restart */
	char restart_why[96];     /* which markers */
	const struct installed_view *updates;
};

/* boot_start: the live boot time, else the newest boot the logs record
 * (0 when neither). */
void update_host_read(const struct evidence *ev, const struct update_list *updates, bool hyperv_runs,
		      int64_t boot_start, struct update_host *h);

struct judged_update {
	const struct installed_item *item;
	const struct known_issue *known; /* its entry on the list; never NULL */
	enum bad_update_verdict verdict;
	bool pending;      /* waits for the next restart */
	bool restart_unsure; /* a restart is pending, and whether it brings this in is not known */
	char why[200];     /* the reason, for the evidence line and summary */
};

/* Judge j->item, on the list as j->known, against h. */
void update_judge(const struct update_host *h, struct judged_update *j);
/* "applies", "superseded", ... as the evidence line and the timeline say */
const char *bad_update_words(enum bad_update_verdict v);

#endif
