/* SPDX-License-Identifier: MIT */
/*
 * Did the hypervisor launch, and if not, why and after which update?
 *
 * The event log records of evidence.h are classified by one table
 * (provider, channel, event id: docs/launch-events.md) and laid out as a
 * timeline: the boots in the order the log wrote them, each with the
 * hypervisor's outcome at that boot; the update installations; the last
 * boot where the hypervisor launched, the first after it where it failed,
 * and what was installed in between (the suspects, newest first). Intent
 * (did this boot ask for the hypervisor?) comes from the boot entry; the
 * outcome now from CPUID. Pure: no I/O.
 */
#ifndef HVPROBE_LAUNCH_H
#define HVPROBE_LAUNCH_H

#include "bcd.h"
#include "evidence.h"
#include "known_issues.h"
#include "updates.h"

enum event_kind {
	EVENT_OTHER,
	EVENT_BOOT,             /* the OS started */
	EVENT_HV_LAUNCHED,      /* the hypervisor started */
	EVENT_HV_FAILED,        /* the hypervisor did not start, and why */
	EVENT_HV_NOT_ASKED,     /* launch disabled by hypervisorlaunchtype */
	EVENT_VM_REFUSED,       /* a VM could not start: the hypervisor is not running */
	EVENT_UPDATE_INSTALLED, /* an update was installed */
	EVENT_UPDATE_FAILED,    /* an update failed to install */
	EVENT_PACKAGE_CHANGED,  /* a servicing package changed state (Setup log) */
	EVENT_UPDATE_STARTED,   /* an installation began, or waits for the restart */
};

struct event_kind_def {
	const char *provider; /* exact, as Windows writes it */
	const char *channel;  /* NULL: any; an id means other things in other channels */
	uint32_t id;
	enum event_kind kind;
	const char *reason;   /* a failure in plain words; NULL otherwise */
	const char *fix;      /* what to do; NULL when the status decides */
	bool carries_status;  /* the event's text has an NTSTATUS insertion string */
};

/* The row for a record, or NULL when the record does not matter here. */
const struct event_kind_def *event_classify(const struct event_record *e);

/* Providers whose records can matter (NULL-terminated): collectors read
 * only records of these, so a large log is read in bounded memory. */
extern const char *const launch_providers[];
/* A record worth keeping: one event_classify() knows. Collectors keep no
 * other, so the records kept are all evidence. */
bool launch_event_kept(const struct event_record *head);
/* An installation that is no suspect: updates that cannot stop a
 * hypervisor or be removed (antivirus definitions), by their title. */
bool launch_not_a_suspect(const char *title);

/* NTSTATUS codes that launch events carry (docs/launch-events.md). */
struct ntstatus_def {
	uint32_t code;
	const char *name;    /* STATUS_NOT_SUPPORTED */
	const char *meaning; /* for the launch, in plain words */
	const char *fix;
};
const struct ntstatus_def *ntstatus_find(uint32_t code);

enum boot_outcome { OUTCOME_UNKNOWN, OUTCOME_LAUNCHED, OUTCOME_FAILED, OUTCOME_NOT_ASKED };

/* How a Linux boot's KVM outcome was decided (probe/kvm_boots.c). */
struct kvm_boot_reason {
	enum boot_outcome outcome;
	const char *reason;    /* in plain words */
	const char *fix;       /* what to do; NULL when nothing */
	bool inferred;         /* from silence, not a line: what is seen now overrides it */
};

struct launch_boot {
	int64_t time;          /* when the OS started (the first record of the boot) */
	const struct event_record *start; /* the boot record; NULL when the log lost it */
	enum boot_outcome outcome;
	const struct event_record *decided_by; /* the launch event; NULL when none */
	const struct event_kind_def *why;      /* its row */
	bool has_status;
	uint32_t status;       /* an NTSTATUS the failure event carried */
	unsigned vms_refused;  /* VMs that could not start for want of the hypervisor */
	bool clock_back;       /* its time is before the previous boot's */
	/* A Linux boot (launch_build_kvm): the journal's record of it, the
	 * reason for its outcome and the line of it that decided ("" none;
	 * NULL for a Windows boot). */
	const struct journal_boot *journal;
	const struct kvm_boot_reason *kvm;
	const char *kvm_line;
};

/* What an installation changed. */
enum install_kind {
	INSTALL_UPDATE,    /* a Windows update: kb */
	INSTALL_PACKAGE,   /* a Debian package: name, from, to */
	INSTALL_KERNEL,    /* the kernel release changed between two boots */
	INSTALL_BIOS,      /* the firmware's DMI line changed between two boots */
	INSTALL_MICROCODE, /* the microcode revision changed between two boots */
};

struct launch_install {
	enum install_kind kind;
	int64_t time;
	char kb[16];           /* "KB5009624"; "" when the record names none */
	char title[200];
	bool failed;
	bool at_boot;          /* begun before the failing boot, completed during it */
	int after_boot;        /* the boot it was installed during (index into boots); -1 before all */
	const struct event_record *record; /* NULL: from the SOFTWARE hive */
	const struct known_issue *known;   /* on the known-bad list, and this host not ruled out */
	enum bad_update_verdict judged;    /* with known: update_judge's word, as updates.known_bad's */
	/* Linux: the package (or "kernel", "BIOS", "microcode") and its
	 * versions before and after ("" none) */
	char name[96];
	char from[96], to[96];
	const struct package_change *change; /* NULL: not from a package log */
};

struct launch_view {
	/* Intent: did the boot ask for the hypervisor? */
	tri_t asked;
	char asked_why[160];   /* "hypervisorlaunchtype Auto in {guid}", ... */
	char asked_entry[40];  /* the entry whose setting that is; "" when none was read */
	/* Outcome now: a hypervisor runs below this OS and it is the root. */
	tri_t running;
	bool events_read;      /* some event log was read (KVM: a journal) */
	bool kvm;              /* the KVM timeline of a Linux host (launch_build_kvm) */
	size_t nboots, ninstalls, nsuspects;
	struct launch_boot *boots;       /* in the log's order */
	struct launch_install *installs; /* installation events, in time order */
	struct launch_install *suspects; /* newest first; events and hive merged by KB */
	int last_launched, first_failed; /* indices into boots; -1: none */
	/* What each listed update is judged against (updates.h): built once
	 * here, with this view's newest boot, and read by updates.known_bad
	 * too, so the check and the timeline judge alike. Windows only. */
	struct update_host updates_host;
	bool window_by_time_unsure;      /* the clock went back between those two boots */
};

/* Build the view. The bcd view is the entry judged (it decides intent);
 * running is what CPUID says now; updates the one list (updates.h), whose
 * items are suspects as the logs' installations are. False only when
 * memory runs out. */
bool launch_build(const struct evidence *ev, const struct bcd_view *bcd, tri_t running,
		  const struct known_issue_list *known, const struct update_list *updates,
		  struct launch_view *out);
void launch_free(struct launch_view *v);

/* The same timeline for KVM on a Linux host: the journal's boots, each
 * with whether KVM came up (probe/kvm_boots.c), the package changes of
 * dpkg's and apt's logs, and the kernel, BIOS and microcode changes
 * between the last boot where KVM came up and the first after it where it
 * did not. kvm_now is what /dev/kvm says on this boot (live), which
 * decides the current boot when its log does not. False only when memory
 * runs out. */
bool launch_build_kvm(const struct evidence *ev, tri_t kvm_now, struct launch_view *out);

/* Whether KVM came up at one boot, from its kernel lines and hvprobe's own
 * verdict; earlier_up: the vendor module announced itself at an earlier
 * boot, so its silence here means it did not load. *line is the line
 * that decided, in b ("" none). */
const struct kvm_boot_reason *kvm_boot_judge(const struct journal_boot *b, bool earlier_up,
					     const char **line);

/* "windows-update", "package", "kernel", "bios", "microcode" */
const char *install_kind_name(enum install_kind k);
/* "launched", "failed", "not-asked", "unknown" */
const char *boot_outcome_name(enum boot_outcome o);

/* "KB" and six to eleven digits in s; false when there is none. */
bool kb_in_text(const char *s, char *out, size_t size);
/* An NTSTATUS-like value ("0xC00000BB", "3221225659", "-1073741637") in
 * an insertion string: one with the severity bits of an error or a
 * warning. */
bool ntstatus_in_text(const char *s, uint32_t *code);

#endif
