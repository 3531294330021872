/* SPDX-License-Identifier: MIT */
/*
 * The text report: one aligned line per check (as virt-host-validate
 * prints), then the evidence and the fix under anything short of PASS,
 * then the verdict. Colour only when the caller asks for it.
 */
#include "report.h"
#include "text_clean.h"

#include <stdio.h>
#include <string.h>

#define DETAIL_INDENT "      "

static const char *colour_of(enum check_status s)
{
	switch (s) {
	case STATUS_PASS: return "\033[32m";    /* green */
	case STATUS_WARN: return "\033[33m";    /* yellow */
	case STATUS_FAIL: return "\033[31;1m";  /* bold red */
	case STATUS_UNKNOWN: return "\033[35m"; /* magenta */
	default: return "\033[2m";              /* dim */
	}
}

static void put_status(struct strbuf *out, enum check_status s, bool colour)
{
	const char *label = check_status_label(s);
	if (colour)
		sb_printf(out, "%s%-7s\033[0m", colour_of(s), label);
	else
		sb_printf(out, "%-7s", label);
}

void evidence_value_text(const struct evidence_item *it, struct strbuf *out)
{
	switch (it->type) {
	case VALUE_NULL: sb_puts(out, "unknown"); break;
	case VALUE_BOOL: sb_puts(out, it->boolean ? "yes" : "no"); break;
	case VALUE_INT: sb_printf(out, "%lld", it->integer); break;
	case VALUE_STRING: text_put_clean(out, it->text); break;
	}
}

static void put_details(struct strbuf *out, const struct check_result *r)
{
	for (size_t i = 0; i < r->nitems; i++) {
		const struct evidence_item *it = &r->items[i];
		sb_printf(out, DETAIL_INDENT "%s %s = ", i == 0 ? "evidence:" : "         ", it->key);
		evidence_value_text(it, out);
		if (it->source[0]) {
			sb_puts(out, "  (");
			text_put_clean(out, it->source);
			sb_putc(out, ')');
		}
		sb_putc(out, '\n');
	}
	if (r->note[0]) {
		sb_puts(out, DETAIL_INDENT "note:     ");
		text_put_clean(out, r->note);
		sb_putc(out, '\n');
	}
	if (r->remedy[0] && r->status != STATUS_PASS && r->status != STATUS_SKIP) {
		sb_puts(out, DETAIL_INDENT "fix:      ");
		text_put_clean(out, r->remedy);
		sb_putc(out, '\n');
	}
}

/* Which boot entry was judged, so a user with several knows. */
static void put_bcd_header(const struct facts *f, struct strbuf *out)
{
	const struct bcd_store *s = &f->ev->bcd;
	const struct bcd_view *v = &f->bcd;
	if (s->origin == BCD_ORIGIN_NONE && !s->search[0])
		return;
	sb_puts(out, "bcd:     ");
	if (v->state == BCD_STATE_RESOLVED) {
		sb_putc(out, '"');
		text_put_clean(out, v->entry.description);
		sb_puts(out, "\" ");
		text_put_clean(out, v->entry.id);
		sb_printf(out, "%s in ", v->by_sequence ? " (next boot: one-time bootsequence)"
					: v->is_default ? " (default)" : "");
		text_put_clean(out, s->path);
	} else if (s->read) {
		text_put_clean(out, s->path);
		sb_puts(out, ": no entry judged");
	} else if (s->unreadable[0]) {
		text_put_clean(out, s->unreadable);
	} else {
		sb_puts(out, "none: ");
		text_put_clean(out, s->search);
	}
	sb_putc(out, '\n');
}

static void put_header(const struct probe_run *run, const struct facts *f, struct strbuf *out)
{
	const struct evidence *ev = f->ev;
	sb_printf(out, "hvprobe %s: ", HVPROBE_VERSION);
	if (ev->source == SOURCE_LIVE) {
		sb_puts(out, ev->root[0] ? "this host's processor" : "this host");
	} else {
		sb_printf(out, "%s ", ev->source == SOURCE_DUMP ? "CPUID dump" : "bundle");
		text_put_clean(out, ev->source_path);
	}
	if (ev->root[0]) { /* --root: the system judged is the one mounted there */
		sb_puts(out, ", Linux root ");
		text_put_clean(out, ev->root);
	}
	if (ev->hostname[0]) {
		sb_puts(out, " (");
		text_put_clean(out, ev->hostname);
		if (ev->os[0]) {
			sb_puts(out, ", ");
			text_put_clean(out, ev->os);
		}
		sb_putc(out, ')');
	}
	sb_printf(out, "\ntarget:  %s, %s\n", run->target->name, run->target->title);
	if (f->rep) {
		sb_puts(out, "cpu:     ");
		text_put_clean(out, f->rep->brand[0] ? f->rep->brand : f->rep->vendor);
		if (ev->codename[0]) {
			sb_puts(out, " (");
			text_put_clean(out, ev->codename);
			sb_putc(out, ')');
		}
		sb_printf(out, ", %zu logical CPU%s\n", ev->ncpus, ev->ncpus == 1 ? "" : "s");
	}
	put_bcd_header(f, out);
	sb_putc(out, '\n');
}

/* "verdict: FAIL    ...": a verdict as a status, then its summary. */
static void put_verdict_line(struct strbuf *out, const char *label, enum verdict v, bool colour,
			     void (*summary)(const struct probe_run *, struct strbuf *),
			     const struct probe_run *run)
{
	enum check_status as_status = v == VERDICT_PASS ? STATUS_PASS
				     : v == VERDICT_FAIL ? STATUS_FAIL : STATUS_UNKNOWN;
	sb_puts(out, label);
	put_status(out, as_status, colour);
	sb_putc(out, ' ');
	summary(run, out);
	sb_putc(out, '\n');
}

static void put_verdict(const struct probe_run *run, struct strbuf *out, bool colour)
{
	put_verdict_line(out, "\nverdict: ", run->verdict, colour, run_summary, run);
	/* Said only where a restart would change the answer: an update or a
	 * kernel waiting for it, or a verdict of this boot alone. */
	if (run->next_boot != run->verdict)
		put_verdict_line(out, "next boot: ", run->next_boot, colour, next_boot_summary, run);
}

/* Every id in one column, whichever checks run, so reports line up. */
static int id_width(void)
{
	size_t w = 0;
	for (int i = 0; i < CHECK_COUNT; i++)
		if (strlen(check_table[i].id) > w)
			w = strlen(check_table[i].id);
	return (int)w;
}

/* With --bcd-entry all: every OS loader entry and what it would do. */
static void put_bcd_entries(const struct facts *f, struct strbuf *out)
{
	const struct bcd_view *v = &f->bcd;
	if (!v->list_all)
		return;
	sb_printf(out, "\nOS loader entries (%zu) in ", v->nloaders);
	text_put_clean(out, f->ev->bcd.path);
	sb_puts(out, ":\n");
	for (size_t i = 0; i < v->nloaders; i++) {
		const struct bcd_entry *e = &v->loaders[i];
		const struct bcd_setting *launch = &e->setting[BCD_SET_LAUNCH_TYPE];
		const struct bcd_setting *nx = &e->setting[BCD_SET_NX];
		bool judged = v->state == BCD_STATE_RESOLVED && strcmp(e->id, v->entry.id) == 0;
		sb_printf(out, "  %s ", judged ? "*" : " ");
		text_put_clean(out, e->id);
		sb_puts(out, " \"");
		text_put_clean(out, e->description);
		sb_puts(out, "\"");
		if (strcmp(e->id, v->default_id) == 0)
			sb_puts(out, " (default)");
		if (e->problem[0]) {
			sb_puts(out, ": ");
			text_put_clean(out, e->problem);
			sb_putc(out, '\n');
			continue;
		}
		const char *lt = launch->state == BCD_VALUE_SET ? bcd_launch_type_name(launch->number) : NULL;
		const char *nxn = nx->state == BCD_VALUE_SET ? bcd_nx_name(nx->number) : NULL;
		sb_printf(out, ": hypervisorlaunchtype %s, nx %s\n",
			  launch->state == BCD_VALUE_ABSENT ? "not set" : lt ? lt : "unreadable or unknown",
			  nx->state == BCD_VALUE_ABSENT ? "not set" : nxn ? nxn : "unreadable or unknown");
	}
}

#define TIMELINE_BOOTS 8 /* the text shows the newest; JSON has them all */

/* A Linux boot: whether KVM came up, with its kernel and why not. */
static void put_kvm_boot(struct strbuf *out, const struct launch_boot *b)
{
	sb_printf(out, "KVM %s", b->outcome == OUTCOME_FAILED ? "FAILED"
				 : b->outcome == OUTCOME_LAUNCHED ? "up" : "unknown (no sign either way)");
	if (b->journal && b->journal->kernel[0]) {
		sb_puts(out, ", kernel ");
		text_put_clean(out, b->journal->kernel);
	}
	if (b->kvm && b->outcome == OUTCOME_FAILED) {
		sb_puts(out, ": ");
		text_put_clean(out, b->kvm->reason);
	}
}

static void put_hyperv_boot(struct strbuf *out, const struct launch_boot *b)
{
	sb_printf(out, "hypervisor %s", b->outcome == OUTCOME_FAILED ? "FAILED" : boot_outcome_name(b->outcome));
	if (b->outcome == OUTCOME_UNKNOWN)
		sb_puts(out, " (no launch event recorded)");
	if (b->why && b->outcome != OUTCOME_LAUNCHED) {
		sb_puts(out, ": ");
		text_put_clean(out, b->why->reason);
	}
	if (b->has_status) {
		const struct ntstatus_def *st = ntstatus_find(b->status);
		sb_printf(out, " (0x%08X%s%s)", b->status, st ? " " : "", st ? st->name : "");
	}
	if (b->vms_refused)
		sb_printf(out, "; %u VM start%s refused", b->vms_refused, b->vms_refused == 1 ? "" : "s");
}

static void put_boot_line(struct strbuf *out, const struct launch_view *v, const struct launch_boot *b)
{
	char when[24];
	format_utc(b->time, when);
	sb_printf(out, "  %s  boot     ", when);
	if (v->kvm)
		put_kvm_boot(out, b);
	else
		put_hyperv_boot(out, b);
	if (b->clock_back)
		sb_puts(out, " [clock went back]");
	sb_putc(out, '\n');
}

static void put_install_line(struct strbuf *out, const struct launch_install *it, bool suspect)
{
	char when[24];
	format_utc(it->time, when);
	sb_printf(out, "  %s  %s", when, suspect ? "" : it->kind == INSTALL_UPDATE ? "install  " : "change   ");
	if (it->kind == INSTALL_UPDATE) {
		text_put_clean(out, it->kb[0] ? it->kb : "-");
		sb_puts(out, "  ");
	}
	text_put_clean(out, it->title);
	if (it->failed)
		sb_puts(out, " (failed)");
	if (it->at_boot)
		sb_puts(out, " (begun before, completed at the failing boot)");
	if (it->known) /* as updates.known_bad judges it */
		sb_printf(out, " (known bad: %s)", bad_update_words(it->judged));
	sb_putc(out, '\n');
}

/* Installations a person reads in the timeline: updates with a KB number
 * that are not antivirus definitions, and every package or firmware
 * change (JSON lists every one). */
static bool shown_install(const struct launch_view *v, const struct launch_install *it,
			  size_t first_boot)
{
	bool worth = it->kind != INSTALL_UPDATE || (it->kb[0] && !launch_not_a_suspect(it->title));
	return worth && (!v->nboots || it->after_boot >= (int)first_boot);
}

/* The same update, logged twice in one boot by Windows Update and by
 * servicing, which title it differently: one line, by its KB. Other
 * changes (packages, firmware) by their title. */
static bool same_line(const struct launch_install *a, const struct launch_install *b)
{
	if (a->after_boot != b->after_boot || a->failed != b->failed || a->kind != b->kind)
		return false;
	return a->kind == INSTALL_UPDATE ? strcmp(a->kb, b->kb) == 0 : strcmp(a->title, b->title) == 0;
}

static bool shown_before(const struct launch_view *v, size_t k)
{
	for (size_t j = 0; j < k; j++)
		if (same_line(&v->installs[j], &v->installs[k]))
			return true;
	return false;
}

static void put_suspects(const struct launch_view *v, struct strbuf *out)
{
	const char *what = v->kvm ? "changed" : "installed";
	const char *good_word = v->kvm ? "boot KVM came up" : "launch";
	const char *bad_word = v->kvm ? "first boot it did not" : "first failure";
	char bad[24], good[24];
	format_utc(v->boots[v->first_failed].time, bad);
	if (v->last_launched >= 0) {
		format_utc(v->boots[v->last_launched].time, good);
		sb_printf(out, "suspects, %s between the last %s (%s) and the %s (%s), newest first:\n",
			  what, good_word, good, bad_word, bad);
	} else {
		sb_printf(out, "suspects, %s before the first recorded failure (%s), newest first:\n",
			  what, bad);
	}
	if (!v->nsuspects)
		sb_puts(out, "  none recorded\n");
	for (size_t i = 0; i < v->nsuspects; i++)
		put_install_line(out, &v->suspects[i], true);
	if (v->window_by_time_unsure)
		sb_printf(out, "  (the clock went back between those boots: %s known only by their time "
			  "may be missing)\n", v->kvm ? "changes" : "installations");
}

/* The boots, newest last, each followed by the updates installed during it
 * (placed by the log's order where they share the boots' log). */
static void put_timeline(const struct launch_view *v, struct strbuf *out)
{
	if (!v->events_read || (!v->nboots && !v->ninstalls))
		return;
	size_t first = v->nboots > TIMELINE_BOOTS ? v->nboots - TIMELINE_BOOTS : 0, shown = 0;
	for (size_t k = 0; k < v->ninstalls; k++)
		shown += shown_install(v, &v->installs[k], first);
	sb_printf(out, "\n%s (%zu boot%s, %zu %s recorded", v->kvm ? "KVM timeline, from the journal"
								  : "hypervisor launch timeline",
		  v->nboots, v->nboots == 1 ? "" : "s", v->ninstalls,
		  v->kvm ? (v->ninstalls == 1 ? "change" : "changes")
			 : (v->ninstalls == 1 ? "installation" : "installations"));
	if (first || shown < v->ninstalls)
		sb_printf(out, "; shown: %s%zu boot%s, %zu %s", first ? "the newest " : "",
			  v->nboots - first, v->nboots - first == 1 ? "" : "s", shown,
			  v->kvm ? "changes during them"
				 : shown == 1 ? "update with a KB number, not antivirus definitions"
					      : "updates with a KB number, not antivirus definitions");
	sb_puts(out, "):\n");
	for (size_t k = 0; !v->nboots && k < v->ninstalls; k++)
		if (shown_install(v, &v->installs[k], 0))
			put_install_line(out, &v->installs[k], false);
	for (size_t i = first; i < v->nboots; i++) {
		put_boot_line(out, v, &v->boots[i]);
		for (size_t k = 0; k < v->ninstalls; k++)
			if (v->installs[k].after_boot == (int)i && shown_install(v, &v->installs[k], first) &&
			    !shown_before(v, k))
				put_install_line(out, &v->installs[k], false);
	}
	if (v->first_failed >= 0)
		put_suspects(v, out);
}

/* The KVM timeline where the target asks about KVM. */
static bool kvm_asked(const struct probe_run *run)
{
	return run->selected[CHECK_KVM_HISTORY] && run->level[CHECK_KVM_HISTORY] != LEVEL_OFF;
}

void report_text(const struct probe_run *run, const struct facts *f,
		 const struct report_options *opt, struct strbuf *out)
{
	int width = id_width();
	put_header(run, f, out);
	for (int i = 0; i < CHECK_COUNT; i++) {
		const struct check_result *r = &run->result[i];
		if (!run->selected[i])
			continue;
		sb_printf(out, "  %-*s ", width, r->id);
		put_status(out, r->status, opt->colour);
		sb_putc(out, ' ');
		text_put_clean(out, r->summary);
		sb_putc(out, '\n');
		bool details = opt->verbose || (r->status != STATUS_PASS && r->status != STATUS_SKIP);
		if (details)
			put_details(out, r);
	}
	put_bcd_entries(f, out);
	put_timeline(&f->launch, out);
	if (kvm_asked(run))
		put_timeline(&f->kvm_history, out);
	put_verdict(run, out, opt->colour);
}
