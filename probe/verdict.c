/* SPDX-License-Identifier: MIT */
#include "verdict.h"

#include <stdio.h>
#include <string.h>

static void find_proof(const struct facts *f, const struct target_def *t, char *proof, size_t size)
{
	proof[0] = '\0';
	if (t->proven_by_hyperv_root && facts_hyperv_root(f))
		snprintf(proof, size, "Microsoft Hyper-V is running and this OS is its root partition");
	else if (t->proven_by_kvm && facts_kvm_proven(f))
		snprintf(proof, size, "KVM created a VM on this host");
}

/* Why a prerequisite can fail while the hypervisor runs all the same. */
static void explain_override(const struct facts *f, int index, const char *proof,
			     struct check_result *r)
{
	const char *why = "so this prerequisite holds in practice";
	if (index == CHECK_CPU_VIRT_EXT || index == CHECK_FW_VIRT_ENABLED) {
		if (facts_hyperv_root(f))
			why = "and it hides VT-x/AMD-V from its root partition: the normal state of a "
			      "Hyper-V host";
		else if (strstr(f->ev->kvm.modules, "kvm_pvm"))
			why = "through software virtualization (kvm_pvm), which needs no VT-x/AMD-V";
	}
	snprintf(r->note, sizeof(r->note), "%s, %s", proof, why);
	r->status = STATUS_WARN;
}

void check_run(const struct facts *f, int index, struct check_result *r)
{
	const struct check_def *def = &check_table[index];
	const char *what, *howto;
	r->id = def->id;
	if (check_has_evidence(f, def->needs, &what, &howto)) {
		def->run(f, r);
		return;
	}
	result_set(r, STATUS_SKIP, "no %s in %s", what, check_source_words(f));
	result_remedy(r, "%s", howto);
	r->no_evidence = true;
}

static enum verdict verdict_of(bool any_fail, bool any_unknown)
{
	return any_fail ? VERDICT_FAIL : any_unknown ? VERDICT_UNKNOWN : VERDICT_PASS;
}

enum boot_scope result_scope(const struct probe_run *run, int index)
{
	return run->result[index].scope != SCOPE_UNSET ? run->result[index].scope : check_table[index].scope;
}

bool check_counts_for_next_boot(const struct probe_run *run, int index)
{
	return run->selected[index] && run->level[index] == LEVEL_REQUIRED &&
	       result_scope(run, index) != SCOPE_THIS_BOOT;
}

/*
 * The next boot: FAIL where a check of it fails. Else it cannot pass
 * where no check of the next boot alone ran (nothing looked at the boot
 * configuration or the next kernel), or where this boot's launch failed:
 * whatever stopped it may stop the next one too.
 */
static enum verdict next_boot_verdict(const struct probe_run *run)
{
	bool fail = false, unknown = false, next_ran = false, this_failed = false;
	for (int i = 0; i < CHECK_COUNT; i++) {
		if (!run->selected[i] || run->level[i] != LEVEL_REQUIRED)
			continue;
		enum check_status st = run->result[i].status;
		if (result_scope(run, i) == SCOPE_THIS_BOOT) {
			this_failed |= st == STATUS_FAIL;
			continue;
		}
		fail |= st == STATUS_FAIL;
		unknown |= st == STATUS_UNKNOWN;
		next_ran |= result_scope(run, i) == SCOPE_NEXT_BOOT;
	}
	return verdict_of(fail, unknown || !next_ran || this_failed);
}

void probe_run(const struct facts *f, const struct target_def *target,
	       const bool *selected, struct probe_run *run)
{
	memset(run, 0, sizeof(*run));
	run->target = target;
	find_proof(f, target, run->proof, sizeof(run->proof));

	bool any_fail = false, any_unknown = false;
	for (int i = 0; i < CHECK_COUNT; i++) {
		struct check_result *r = &run->result[i];
		const struct check_def *def = &check_table[i];
		run->selected[i] = selected ? selected[i] : true;
		run->level[i] = target_level(target, i);
		r->id = def->id;
		if (!run->selected[i])
			continue;
		if (run->level[i] == LEVEL_OFF) {
			result_set(r, STATUS_SKIP, "not needed for target %s", target->name);
			continue;
		}
		check_run(f, i, r);
		if (r->status == STATUS_SKIP && r->no_evidence && run->level[i] == LEVEL_REQUIRED) {
			r->status = STATUS_UNKNOWN;
			snprintf(r->note, sizeof(r->note), "required for target %s: without this evidence "
				 "the verdict cannot pass", target->name);
		}
		/* A running hypervisor proves a prerequisite held, whether the
		 * evidence said no or could not say (VT-x hidden from a root
		 * partition). */
		bool settled = r->status == STATUS_FAIL || r->status == STATUS_UNKNOWN;
		if (settled && run->proof[0] && def->prerequisite) {
			explain_override(f, i, run->proof, r);
		} else if (r->status == STATUS_FAIL && run->level[i] == LEVEL_ADVISORY) {
			r->status = STATUS_WARN;
			snprintf(r->note, sizeof(r->note), "advisory for target %s: it does not fail the verdict",
				 target->name);
		}
		if (run->level[i] != LEVEL_REQUIRED)
			continue;
		any_fail |= r->status == STATUS_FAIL;
		any_unknown |= r->status == STATUS_UNKNOWN;
	}
	/* A running hypervisor settled the prerequisites above (they are
	 * WARN now), not what decides the next boot: a boot entry or an update
	 * waiting for the restart that could not be read stays unknown. */
	run->verdict = verdict_of(any_fail, any_unknown);
	run->next_boot = next_boot_verdict(run);
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return "pass";
	case VERDICT_FAIL: return "fail";
	default: return "unknown";
	}
}

int verdict_exit_code(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS: return 0;
	case VERDICT_FAIL: return 1;
	default: return 2;
	}
}
