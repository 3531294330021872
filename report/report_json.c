/* SPDX-License-Identifier: MIT */
/* The JSON report, schema "hvprobe/1" (docs/json.md). Names here are an
 * interface: scripts read them, so they change only with the schema. */
#include "report.h"

#include "../formats/snapshot.h"
#include "../probe/facts.h"
#include "json_writer.h"
#include "../probe/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void jw_tri(struct json_writer *w, const char *key, tri_t t)
{
	if (t == TRI_UNKNOWN)
		jw_null(w, key);
	else
		jw_bool(w, key, t == TRI_YES);
}

static void jw_text_or_null(struct json_writer *w, const char *key, const char *s)
{
	jw_string(w, key, s && s[0] ? s : NULL);
}

static void write_evidence(struct json_writer *w, const struct check_result *r)
{
	jw_object_begin(w, "evidence");
	for (size_t i = 0; i < r->nitems; i++) {
		const struct evidence_item *it = &r->items[i];
		jw_object_begin(w, it->key);
		switch (it->type) {
		case VALUE_NULL: jw_null(w, "value"); break;
		case VALUE_BOOL: jw_bool(w, "value", it->boolean); break;
		case VALUE_INT: jw_int(w, "value", it->integer); break;
		case VALUE_STRING: jw_string(w, "value", it->text); break;
		}
		jw_text_or_null(w, "source", it->source);
		jw_object_end(w);
	}
	jw_object_end(w);
}

static void write_checks(struct json_writer *w, const struct probe_run *run)
{
	jw_array_begin(w, "checks");
	for (int i = 0; i < CHECK_COUNT; i++) {
		const struct check_result *r = &run->result[i];
		if (!run->selected[i])
			continue;
		jw_object_begin(w, NULL);
		jw_string(w, "id", r->id);
		jw_string(w, "title", check_table[i].title);
		jw_string(w, "status", check_status_name(r->status));
		jw_string(w, "level", check_level_name(run->level[i]));
		jw_string(w, "summary", r->summary);
		write_evidence(w, r);
		jw_text_or_null(w, "remedy", r->remedy);
		jw_text_or_null(w, "note", r->note);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_hypervisor(struct json_writer *w, const struct cpu_decoded *d)
{
	jw_object_begin(w, "hypervisor");
	jw_tri(w, "present", d ? d->hv_bit : TRI_UNKNOWN);
	jw_string(w, "vendor_id", d && d->hv_vendor_known == TRI_YES ? d->hv_vendor : NULL);
	tri_t root = TRI_UNKNOWN;
	if (d && (d->hv_bit == TRI_NO || d->hv_microsoft == TRI_NO))
		root = TRI_NO;
	else if (d && d->hv_microsoft == TRI_YES)
		root = d->hv_root_partition;
	jw_tri(w, "root_partition", root);
	jw_object_end(w);
}

static void write_cpu(struct json_writer *w, const struct facts *f)
{
	const struct cpu_decoded *d = f->rep;
	struct finding slat;
	facts_slat(f, &slat);
	jw_object_begin(w, "cpu");
	jw_text_or_null(w, "vendor", d ? d->vendor : NULL);
	jw_text_or_null(w, "brand", d ? d->brand : NULL);
	jw_text_or_null(w, "codename", f->ev->codename);
	jw_text_or_null(w, "microcode", f->ev->linux_.microcode);
	jw_int(w, "logical_cpus", (long long)f->ev->ncpus);
	jw_int(w, "cpus_with_data", (long long)f->ncpus_with_data);
	jw_tri(w, "vmx", d ? d->vmx : TRI_UNKNOWN);
	jw_tri(w, "svm", d ? d->svm : TRI_UNKNOWN);
	jw_tri(w, "nx", d ? d->nx : TRI_UNKNOWN);
	jw_tri(w, "long_mode", d ? d->long_mode : TRI_UNKNOWN);
	jw_tri(w, "slat", slat.value);
	write_hypervisor(w, d);
	jw_object_end(w);
}

static void write_msrs(struct json_writer *w, const struct facts *f)
{
	static const struct {
		const char *name;
		uint32_t index;
	} msrs[] = {
		{ "ia32_feature_control", MSR_IA32_FEATURE_CONTROL },
		{ "ia32_misc_enable", MSR_IA32_MISC_ENABLE },
		{ "ia32_vmx_procbased_ctls", MSR_IA32_VMX_PROCBASED_CTLS },
		{ "ia32_vmx_procbased_ctls2", MSR_IA32_VMX_PROCBASED_CTLS2 },
		{ "vm_cr", MSR_VM_CR },
	};
	jw_object_begin(w, "msr");
	const char *origin = f->ev->msr_origin == MSR_ORIGIN_LIVE ? "live"
			     : f->ev->msr_origin == MSR_ORIGIN_RECORDED ? "recorded" : NULL;
	jw_string(w, "origin", origin);
	jw_string(w, "access", origin ? NULL : msr_status_name(f->ev->msr_access));
	for (size_t i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		struct msr_view v;
		facts_msr(f, msrs[i].index, &v);
		if (!v.have) {
			jw_null(w, msrs[i].name);
			continue;
		}
		char hex[24];
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)v.value);
		jw_string(w, msrs[i].name, hex);
	}
	jw_object_end(w);
}

static void write_system(struct json_writer *w, const struct evidence *ev)
{
	if (ev->boot.probed) {
		jw_object_begin(w, "boot");
		jw_tri(w, "uefi", ev->boot.uefi);
		jw_tri(w, "secure_boot", ev->boot.secure_boot);
		jw_object_end(w);
	} else {
		jw_null(w, "boot");
	}
	if (ev->kvm.probed) {
		jw_object_begin(w, "kvm");
		jw_tri(w, "device", ev->kvm.device);
		if (ev->kvm.api_version >= 0)
			jw_int(w, "api_version", ev->kvm.api_version);
		else
			jw_null(w, "api_version");
		jw_tri(w, "vm_created", ev->kvm.vm_created);
		jw_text_or_null(w, "modules", ev->kvm.modules);
		jw_tri(w, "nested", ev->kvm.nested);
		/* unknown in bundles from before these were read */
		jw_text_or_null(w, "builtin", ev->kvm.sysfs_read ? ev->kvm.builtin : NULL);
		jw_tri(w, "misc_device", ev->kvm.sysfs_read ? ev->kvm.misc_device : TRI_UNKNOWN);
		jw_tri(w, "enable_virt_at_load", ev->kvm.sysfs_read ? ev->kvm.virt_at_load : TRI_UNKNOWN);
		jw_object_end(w);
	} else {
		jw_null(w, "kvm");
	}
	if (ev->linux_.present) {
		jw_object_begin(w, "kernel");
		jw_text_or_null(w, "release", ev->linux_.kernel_release);
		jw_int(w, "cpuinfo_cpus", ev->linux_.cpuinfo_cpus);
		jw_tri(w, "log_read", ev->linux_.kmsg_read);
		jw_object_end(w);
	} else {
		jw_null(w, "kernel");
	}
}

/* An integer setting by bcdedit's name for its value, the raw number
 * when bcdedit has no name for it, null when absent or unreadable. */
static void write_named_setting(struct json_writer *w, const struct bcd_entry *e, int index,
				const char *(*name_of)(uint64_t))
{
	const struct bcd_setting *s = &e->setting[index];
	const char *key = bcd_setting_table[index].name;
	if (s->state != BCD_VALUE_SET)
		jw_null(w, key);
	else if (name_of && name_of(s->number))
		jw_string(w, key, name_of(s->number));
	else if (s->number <= (uint64_t)INT64_MAX)
		jw_int(w, key, (long long)s->number);
	else
		jw_null(w, key);
}

static void write_bool_setting(struct json_writer *w, const struct bcd_entry *e, int index)
{
	const struct bcd_setting *s = &e->setting[index];
	if (s->state == BCD_VALUE_SET)
		jw_bool(w, bcd_setting_table[index].name, s->number != 0);
	else
		jw_null(w, bcd_setting_table[index].name);
}

/* The judged entry's fields sit in facts.bcd itself (its id as "entry");
 * each of "entries" has them too, with "id" and "problem". */
static void write_bcd_entry(struct json_writer *w, const struct bcd_entry *e, bool judged)
{
	jw_text_or_null(w, judged ? "entry" : "id", e->id);
	jw_text_or_null(w, "description", e->description);
	jw_text_or_null(w, "loader_path", e->loader_path);
	jw_text_or_null(w, "system_root", e->system_root);
	write_named_setting(w, e, BCD_SET_LAUNCH_TYPE, bcd_launch_type_name);
	write_named_setting(w, e, BCD_SET_NX, bcd_nx_name);
	write_bool_setting(w, e, BCD_SET_HV_DEBUG);
	write_bool_setting(w, e, BCD_SET_HV_SLAT_DISABLED);
	write_named_setting(w, e, BCD_SET_HV_NUM_PROC, NULL);
	write_named_setting(w, e, BCD_SET_HV_IOMMU_POLICY, bcd_iommu_policy_name);
	write_bool_setting(w, e, BCD_SET_WINPE);
	jw_array_begin(w, "inherited_from");
	for (size_t i = 0; i < e->ninherited; i++)
		jw_string(w, NULL, e->inherited[i]);
	jw_array_end(w);
	if (!judged)
		jw_text_or_null(w, "problem", e->problem);
}

static void write_bcd(struct json_writer *w, const struct facts *f)
{
	static const char *const origins[] = {
		[BCD_ORIGIN_NONE] = NULL, [BCD_ORIGIN_GIVEN] = "given",
		[BCD_ORIGIN_FOUND] = "found", [BCD_ORIGIN_BUNDLE] = "bundle",
	};
	const struct bcd_store *s = &f->ev->bcd;
	const struct bcd_view *v = &f->bcd;
	if (s->origin == BCD_ORIGIN_NONE && !s->search[0]) {
		jw_null(w, "bcd");
		return;
	}
	jw_object_begin(w, "bcd");
	jw_text_or_null(w, "path", s->path);
	jw_string(w, "origin", origins[s->origin]);
	jw_text_or_null(w, "search", s->search);
	const char *error = s->unreadable[0] ? s->unreadable : v->problem[0] ? v->problem
			    : v->entry.problem;
	jw_text_or_null(w, "error", error);
	jw_text_or_null(w, "default_entry", v->default_id);
	jw_array_begin(w, "bootsequence"); /* one-time, before the default; [] when not set */
	for (size_t i = 0; i < v->sequence.count && i < BCD_MAX_SEQUENCE; i++)
		jw_string(w, NULL, v->sequence.ids[i]);
	jw_array_end(w);
	static const struct bcd_entry none;
	write_bcd_entry(w, v->state == BCD_STATE_RESOLVED ? &v->entry : &none, true);
	if (v->list_all) {
		jw_array_begin(w, "entries");
		for (size_t i = 0; i < v->nloaders; i++) {
			jw_object_begin(w, NULL);
			write_bcd_entry(w, &v->loaders[i], false);
			jw_object_end(w);
		}
		jw_array_end(w);
	}
	jw_object_end(w);
}

static void write_restart(struct json_writer *w, const struct restart_view *r)
{
	if (r->cbs_reboot_pending == TRI_UNKNOWN && r->wu_reboot_required == TRI_UNKNOWN &&
	    r->file_renames == TRI_UNKNOWN) {
		jw_null(w, "restart_pending");
		return;
	}
	jw_object_begin(w, "restart_pending");
	jw_tri(w, "cbs_reboot_pending", r->cbs_reboot_pending);
	jw_tri(w, "wu_reboot_required", r->wu_reboot_required);
	if (r->file_renames == TRI_UNKNOWN)
		jw_null(w, "pending_file_renames");
	else
		jw_int(w, "pending_file_renames", r->file_rename_count);
	jw_object_end(w);
}

/* facts.installed: the one list of updates (probe/updates.h), each item
 * with the records it was read from. */
static void write_installed(struct json_writer *w, const struct facts *f)
{
	const struct evidence *ev = f->ev;
	const struct installed_view *v = &f->updates.v;
	if (ev->windows.read || ev->windows.live) {
		jw_object_begin(w, "windows");
		jw_text_or_null(w, "product", ev->windows.product);
		jw_text_or_null(w, "build", ev->windows.build);
		jw_bool(w, "live", ev->windows.live);
		if (ev->windows.live) {
			jw_tri(w, "pf_virt_firmware_enabled", ev->windows.pf_virt_firmware_enabled);
			jw_tri(w, "pf_nx_enabled", ev->windows.pf_nx_enabled);
			jw_tri(w, "pf_slat", ev->windows.pf_slat);
			jw_text_or_null(w, "vmms", ev->windows.vmms);
			jw_text_or_null(w, "hvhost", ev->windows.hvhost);
		}
		jw_object_end(w);
	} else {
		jw_null(w, "windows");
	}
	if (!v->read) {
		jw_null(w, "installed");
		return;
	}
	jw_object_begin(w, "installed");
	jw_text_or_null(w, "source", v->source);
	jw_bool(w, "complete", f->updates.complete);
	jw_int(w, "unnamed_rollups", ev->installed.unnamed_rollups);
	write_restart(w, &ev->restart);
	jw_array_begin(w, "items");
	for (size_t i = 0; i < v->n; i++) {
		const struct installed_item *it = &v->items[i];
		char when[24];
		jw_object_begin(w, NULL);
		jw_string(w, "kind", installed_kind_name(it->kind));
		jw_string(w, "name", it->name);
		jw_text_or_null(w, "version", it->version);
		jw_text_or_null(w, "state", it->state);
		format_utc(it->installed_at, when);
		jw_string(w, "installed_at", it->installed_at > 0 ? when : NULL);
		jw_array_begin(w, "sources");
		for (unsigned b = 0; b < UPDATE_SOURCE_BITS; b++)
			if (it->sources & (1u << b))
				jw_string(w, NULL, update_source_name(1u << b));
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void jw_time(struct json_writer *w, const char *key, int64_t t)
{
	char when[24];
	format_utc(t, when);
	jw_string(w, key, when);
}

static void write_intent(struct json_writer *w, const struct facts *f)
{
	const struct launch_view *v = &f->launch;
	const struct windows_boot *wb = &f->ev->winboot;
	jw_object_begin(w, "intent");
	jw_tri(w, "asked", v->asked);
	jw_string(w, "why", v->asked_why);
	jw_text_or_null(w, "entry", v->asked_entry);
	jw_text_or_null(w, "booted_entry", wb->booted_entry);
	jw_tri(w, "hyperv_role", wb->hyperv_role);
	jw_text_or_null(w, "hyperv_services", wb->system_read ? wb->hyperv_services : NULL);
	jw_text_or_null(w, "system_source", wb->system_source);
	jw_tri(w, "uefi", wb->uefi);
	jw_object_end(w);
}

static void write_event_ref(struct json_writer *w, const struct event_record *e,
			    const struct events_view *ev)
{
	if (!e) {
		jw_null(w, "event");
		return;
	}
	jw_object_begin(w, "event");
	jw_string(w, "log", ev->logs[e->log]);
	jw_string(w, "provider", e->provider);
	jw_text_or_null(w, "channel", e->channel);
	jw_int(w, "id", e->event_id);
	jw_int(w, "record_id", (long long)e->record_id);
	jw_array_begin(w, "data");
	const char *name, *value;
	for (unsigned i = 0; (value = event_value_at(e, i, &name)) != NULL; i++) {
		jw_object_begin(w, NULL);
		jw_text_or_null(w, "name", name);
		jw_string(w, "value", value);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void write_boot(struct json_writer *w, const struct launch_boot *b,
		       const struct events_view *ev)
{
	jw_object_begin(w, NULL);
	jw_time(w, "time", b->time);
	jw_string(w, "hypervisor", boot_outcome_name(b->outcome));
	jw_string(w, "reason", b->why ? b->why->reason : NULL);
	if (b->has_status) {
		char code[12];
		const struct ntstatus_def *st = ntstatus_find(b->status);
		snprintf(code, sizeof(code), "0x%08X", b->status);
		jw_string(w, "status", code);
		jw_string(w, "status_name", st ? st->name : NULL);
		jw_string(w, "status_meaning", st ? st->meaning : NULL);
	} else {
		jw_null(w, "status");
		jw_null(w, "status_name");
		jw_null(w, "status_meaning");
	}
	jw_int(w, "vms_refused", b->vms_refused);
	jw_bool(w, "clock_back", b->clock_back);
	if (b->start)
		jw_int(w, "record_id", (long long)b->start->record_id);
	else
		jw_null(w, "record_id");
	write_event_ref(w, b->decided_by, ev);
	jw_object_end(w);
}

static void write_install(struct json_writer *w, const struct launch_install *it,
			  const struct events_view *ev, bool suspect)
{
	jw_object_begin(w, NULL);
	jw_time(w, "time", it->time);
	jw_text_or_null(w, "kb", it->kb);
	jw_string(w, "title", it->title);
	jw_bool(w, "at_boot", it->at_boot);
	/* updates.known_bad's word for it (update_judge) */
	jw_string(w, "known_bad_judgement", it->known ? bad_update_words(it->judged) : NULL);
	if (suspect) {
		jw_string(w, "source", it->record ? ev->logs[it->record->log] : "the list of updates");
		jw_bool(w, "known_bad", it->known != NULL);
	} else {
		jw_string(w, "result", it->failed ? "failed" : "installed");
		jw_string(w, "log", ev->logs[it->record->log]);
		jw_string(w, "provider", it->record->provider);
		jw_int(w, "id", it->record->event_id);
		jw_int(w, "record_id", (long long)it->record->record_id);
	}
	jw_object_end(w);
}

/* The window of a timeline: the last good boot (named good_key), the
 * first bad one after it, and whether a clock change blurs it. */
static void write_window(struct json_writer *w, const struct launch_view *v, const char *good_key)
{
	if (v->last_launched >= 0)
		jw_time(w, good_key, v->boots[v->last_launched].time);
	else
		jw_null(w, good_key);
	if (v->first_failed >= 0)
		jw_time(w, "first_failed", v->boots[v->first_failed].time);
	else
		jw_null(w, "first_failed");
	jw_bool(w, "window_by_time_unsure", v->window_by_time_unsure);
}

/* facts.launch: intent, outcome and the timeline (docs/json.md). */
static void write_launch(struct json_writer *w, const struct facts *f)
{
	const struct launch_view *v = &f->launch;
	const struct events_view *ev = &f->ev->events;
	jw_object_begin(w, "launch");
	write_intent(w, f);
	jw_tri(w, "running", v->running);
	jw_bool(w, "events_read", ev->read);
	jw_array_begin(w, "logs");
	for (size_t i = 0; i < ev->nlogs; i++)
		jw_string(w, NULL, ev->logs[i]);
	jw_array_end(w);
	jw_int(w, "records_read", (long long)ev->records_read);
	jw_int(w, "records_kept", (long long)ev->n);
	jw_int(w, "records_dropped", (long long)ev->dropped);
	jw_int(w, "records_unreadable", (long long)ev->unreadable);
	if (ev->unreadable)
		jw_time(w, "unreadable_newest", ev->unreadable_newest);
	else
		jw_null(w, "unreadable_newest");
	jw_array_begin(w, "boots");
	for (size_t i = 0; i < v->nboots; i++)
		write_boot(w, &v->boots[i], ev);
	jw_array_end(w);
	jw_array_begin(w, "installs");
	for (size_t i = 0; i < v->ninstalls; i++)
		write_install(w, &v->installs[i], ev, false);
	jw_array_end(w);
	write_window(w, v, "last_launched");
	jw_array_begin(w, "suspects");
	for (size_t i = 0; i < v->nsuspects; i++)
		write_install(w, &v->suspects[i], ev, true);
	jw_array_end(w);
	jw_object_end(w);
}

static void write_change(struct json_writer *w, const struct launch_install *it)
{
	jw_object_begin(w, NULL);
	jw_time(w, "time", it->time);
	jw_string(w, "kind", install_kind_name(it->kind));
	jw_string(w, "name", it->name);
	jw_string(w, "action", it->change ? it->change->action : "changed");
	jw_text_or_null(w, "from", it->from);
	jw_text_or_null(w, "to", it->to);
	jw_string(w, "title", it->title);
	jw_object_end(w);
}

static void write_kvm_boot(struct json_writer *w, const struct launch_boot *b)
{
	const struct journal_boot *jb = b->journal;
	jw_object_begin(w, NULL);
	jw_time(w, "time", b->time);
	jw_text_or_null(w, "boot_id", jb ? jb->boot_id : NULL);
	if (jb)
		jw_time(w, "last_message", jb->last);
	else
		jw_null(w, "last_message");
	jw_text_or_null(w, "kernel", jb ? jb->kernel : NULL);
	jw_text_or_null(w, "dmi", jb ? jb->dmi : NULL);
	jw_text_or_null(w, "microcode", jb ? jb->microcode : NULL);
	jw_string(w, "kvm", boot_outcome_name(b->outcome));
	jw_string(w, "reason", b->kvm ? b->kvm->reason : NULL);
	jw_bool(w, "inferred", b->kvm && b->kvm->inferred);
	jw_text_or_null(w, "line", b->kvm_line);
	jw_text_or_null(w, "hvprobe_verdict", jb ? jb->verdict : NULL);
	jw_bool(w, "clock_back", b->clock_back);
	jw_object_end(w);
}

/* facts.kvm_history: the journal's boots, the package changes and the
 * suspects of a Linux host (docs/json.md). */
static void write_kvm_history(struct json_writer *w, const struct facts *f)
{
	const struct launch_view *v = &f->kvm_history;
	const struct journal_view *j = &f->ev->journal;
	const struct package_log_view *p = &f->ev->package_log;
	jw_object_begin(w, "kvm_history");
	jw_text_or_null(w, "root", f->ev->root);
	jw_object_begin(w, "journal");
	jw_bool(w, "read", j->read);
	jw_text_or_null(w, "source", j->source);
	jw_text_or_null(w, "unreadable", j->unreadable);
	jw_text_or_null(w, "current_boot", j->current_boot);
	jw_int(w, "entries", (long long)j->entries);
	jw_int(w, "boots_dropped", (long long)j->dropped);
	jw_bool(w, "damaged", j->damaged);
	jw_object_end(w);
	jw_object_begin(w, "package_log");
	jw_bool(w, "read", p->read);
	jw_text_or_null(w, "source", p->source);
	jw_int(w, "lines_skipped", (long long)p->skipped);
	jw_object_end(w);
	jw_tri(w, "kvm_now", v->running);
	jw_array_begin(w, "boots");
	for (size_t i = 0; i < v->nboots; i++)
		write_kvm_boot(w, &v->boots[i]);
	jw_array_end(w);
	jw_array_begin(w, "changes");
	for (size_t i = 0; i < v->ninstalls; i++)
		write_change(w, &v->installs[i]);
	jw_array_end(w);
	write_window(w, v, "last_up");
	jw_array_begin(w, "suspects");
	for (size_t i = 0; i < v->nsuspects; i++)
		write_change(w, &v->suspects[i]);
	jw_array_end(w);
	jw_object_end(w);
}

static void write_modules(struct json_writer *w, const char *key, const struct kernel_modules *m)
{
	jw_object_begin(w, key);
	jw_text_or_null(w, "release", m->release);
	jw_tri(w, "tree", m->tree);
	jw_string(w, "kvm", module_presence_name(m->kvm));
	jw_string(w, "kvm_intel", module_presence_name(m->kvm_intel));
	jw_string(w, "kvm_amd", module_presence_name(m->kvm_amd));
	jw_object_end(w);
}

/* facts.next_boot: what a Linux boot loader starts next (docs/json.md). */
static void write_next_boot(struct json_writer *w, const struct next_boot_view *nb)
{
	jw_object_begin(w, "next_boot");
	jw_bool(w, "probed", nb->probed);
	jw_bool(w, "read", nb->read);
	jw_text_or_null(w, "loader", nb->loader);
	jw_text_or_null(w, "source", nb->source);
	jw_text_or_null(w, "entry", nb->entry);
	jw_text_or_null(w, "cmdline", nb->cmdline);
	jw_text_or_null(w, "problem", nb->problem);
	jw_text_or_null(w, "named", nb->named);
	jw_text_or_null(w, "loader_kernel", nb->loader_next);
	write_modules(w, "kernel", &nb->next);
	write_modules(w, "running", &nb->running);
	jw_text_or_null(w, "running_cmdline", nb->running_cmdline);
	jw_array_begin(w, "modprobe");
	for (const char *p = nb->modprobe; *p;) {
		size_t n = strcspn(p, "\n");
		char line[256];
		str_copy_n(line, sizeof(line), p, n);
		jw_string(w, NULL, line);
		p += n + (p[n] == '\n');
	}
	jw_array_end(w);
	jw_object_end(w);
}

void report_json(const struct probe_run *run, const struct facts *f,
		 const struct report_options *opt, struct strbuf *out)
{
	struct json_writer w;
	const struct evidence *ev = f->ev;
	jw_init(&w, out);
	jw_object_begin(&w, NULL);
	jw_string(&w, "schema", SNAPSHOT_SCHEMA);
	if (opt && opt->taken_at > 0) {
		char when[24];
		format_utc(opt->taken_at, when);
		jw_object_begin(&w, "snapshot");
		jw_string(&w, "taken_at", when);
		jw_object_end(&w);
	}
	jw_object_begin(&w, "tool");
	jw_string(&w, "name", "hvprobe");
	jw_string(&w, "version", HVPROBE_VERSION);
	jw_object_end(&w);
	jw_object_begin(&w, "source");
	jw_string(&w, "kind", source_kind_name(ev->source));
	jw_text_or_null(&w, "path", ev->source_path);
	jw_object_end(&w);
	jw_object_begin(&w, "host");
	jw_text_or_null(&w, "hostname", ev->hostname);
	jw_text_or_null(&w, "os", ev->os);
	jw_text_or_null(&w, "machine_id", ev->machine_id);
	jw_object_end(&w);
	jw_string(&w, "target", run->target->name);
	jw_string(&w, "verdict", verdict_name(run->verdict));
	jw_string(&w, "next_boot_verdict", verdict_name(run->next_boot));
	jw_text_or_null(&w, "proof", run->proof);
	write_checks(&w, run);
	jw_object_begin(&w, "facts");
	write_cpu(&w, f);
	write_msrs(&w, f);
	write_system(&w, ev);
	write_bcd(&w, f);
	write_installed(&w, f);
	write_launch(&w, f);
	write_kvm_history(&w, f);
	write_next_boot(&w, &ev->next_boot);
	jw_object_end(&w);
	jw_object_end(&w);
}
