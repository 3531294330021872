/* SPDX-License-Identifier: MIT */
/*
 * KVM across boots on a Linux host (docs/linux-history.md):
 *   kvm.history    did KVM come up at the last boot, and if it stopped,
 *                  what changed since the last boot where it did;
 *   kvm.next_boot  will it come up after the next reboot: the kernel the
 *                  boot loader starts, its modules, its command line and
 *                  modprobe.d.
 * Like hv.launch for Hyper-V, the outcome is judged, not only the
 * prerequisites: a kernel upgrade that lost kvm_amd leaves every CPU and
 * firmware check passing.
 */
#include "checks.h"
#include "utc.h"

#include <stdio.h>
#include <string.h>

#define LIST_ROOM 120 /* bytes of an evidence item */

static bool is_svm(const struct facts *f)
{
	return f->rep && f->rep->family == VIRT_FAMILY_SVM;
}

/* ---- kvm.history ---- */

static void boot_words(const struct launch_boot *b, char *out, size_t size)
{
	char when[24];
	format_utc(b->time, when);
	const char *kernel = b->journal && b->journal->kernel[0] ? b->journal->kernel : NULL;
	snprintf(out, size, "%s%s%s", when, kernel ? ", kernel " : "", kernel ? kernel : "");
}

/* The command that undoes one change, or what to look at. */
static void undo_words(const struct launch_install *s, char *out, size_t size)
{
	switch (s->kind) {
	case INSTALL_PACKAGE:
		if (strncmp(s->name, "linux-image-", 12) == 0 && !s->from[0])
			snprintf(out, size, "boot the previous kernel from GRUB's \"Advanced options\" menu; "
				 "if KVM comes up there, remove %s (apt remove %s)", s->name, s->name);
		else if (s->from[0])
			snprintf(out, size, "apt install %s=%s, then apt-mark hold %s", s->name, s->from,
				 s->name);
		else
			snprintf(out, size, "apt remove %s", s->name);
		return;
	case INSTALL_KERNEL:
		snprintf(out, size, "boot kernel %s from GRUB's \"Advanced options\" menu to confirm",
			 s->from);
		return;
	case INSTALL_BIOS:
		snprintf(out, size, "the firmware changed (%s to %s): a firmware update often resets "
			 "its settings, so check that virtualization is still enabled there", s->from, s->to);
		return;
	case INSTALL_MICROCODE:
		snprintf(out, size, "the microcode changed (%s to %s): boot once with dis_ucode_ldr on "
			 "the kernel command line to test without the early update", s->from, s->to);
		return;
	default:
		snprintf(out, size, "%s", s->title);
		return;
	}
}

/* "linux-image-6.1.0-18-amd64 6.1.76-1, BIOS 1.2 -> 1.3" within the room. */
static void suspect_list(const struct launch_view *v, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < v->nsuspects && len + 1 < size; i++) {
		const struct launch_install *s = &v->suspects[i];
		int n = snprintf(out + len, size - len, "%s%s %s", i ? ", " : "", s->name,
				 s->to[0] ? s->to : "(removed)");
		if (n < 0 || (size_t)n >= size - len) { /* cut: end on a whole item */
			snprintf(out + len, size - len, ", ...");
			break;
		}
		len += (size_t)n;
	}
}

static void suspects_remedy(const struct launch_view *v, struct strbuf *fix)
{
	char item[300];
	if (!v->nsuspects)
		return;
	char good[24], bad[24];
	format_utc(v->boots[v->last_launched >= 0 ? v->last_launched : 0].time, good);
	format_utc(v->boots[v->first_failed].time, bad);
	if (v->last_launched >= 0)
		sb_printf(fix, "%sChanged between the last boot KVM came up (%s) and the first it did not "
			  "(%s), newest first: ", fix->len ? ". " : "", good, bad);
	else
		sb_printf(fix, "%sChanged before the first boot the journal shows KVM did not come up "
			  "(%s), newest first: ", fix->len ? ". " : "", bad);
	for (size_t i = 0; i < v->nsuspects && fix->len < 800; i++) {
		undo_words(&v->suspects[i], item, sizeof(item));
		sb_printf(fix, "%s%s (%s)", i ? "; " : "", item, v->suspects[i].title);
	}
}

static void history_failed(const struct facts *f, const struct launch_boot *last,
			   struct check_result *r)
{
	const struct launch_view *v = &f->kvm_history;
	char at[96], good[96], list[LIST_ROOM];
	boot_words(last, at, sizeof(at));
	result_set(r, STATUS_FAIL, "KVM did not come up at the last boot (%s): %s", at,
		   last->kvm->reason);
	if (last->kvm_line[0])
		result_text(r, "kernel_log", last->kvm_line, "journal, that boot");
	if (v->last_launched >= 0) {
		boot_words(&v->boots[v->last_launched], good, sizeof(good));
		result_text(r, "last_up", good, "journal");
	}
	suspect_list(v, list, sizeof(list));
	if (list[0])
		result_text(r, "suspects", list, "changed between the last boot it came up and the first it did not");
	struct strbuf fix;
	sb_init(&fix);
	if (last->kvm->fix)
		sb_puts(&fix, last->kvm->fix);
	suspects_remedy(v, &fix);
	if (v->window_by_time_unsure)
		sb_puts(&fix, ". The clock went back between those boots: the changes are placed by time "
			      "and may be off");
	result_remedy(r, "%s", sb_str(&fix));
	sb_free(&fix);
}

void check_kvm_history(const struct facts *f, struct check_result *r)
{
	const struct launch_view *v = &f->kvm_history;
	const struct journal_view *j = &f->ev->journal;
	const struct launch_boot *last = v->nboots ? &v->boots[v->nboots - 1] : NULL;
	char at[96];
	if (j->read) {
		result_int(r, "boots", (long long)v->nboots, j->source);
		if (j->damaged)
			result_text(r, "journal", "damaged: read as far as it could be", j->source);
	} else {
		result_text(r, "journal", j->unreadable[0] ? j->unreadable : "not read", "journal");
	}
	if (!last) {
		/* no boot in the journal: this boot alone, from /dev/kvm */
		tri_t now = facts_kvm_now(f);
		if (now == TRI_YES) {
			result_set(r, STATUS_PASS, "KVM created a VM on this boot; no earlier boot was read");
			return;
		}
		if (now == TRI_NO)
			result_set(r, STATUS_FAIL, "KVM cannot create a VM on this boot, and no journal "
				   "shows an earlier boot");
		else
			result_set(r, STATUS_UNKNOWN, "no boot is recorded in the journal, and KVM was "
				   "not seen on this one");
		bool denied = strstr(j->unreadable, "ermission") != NULL;
		result_remedy(r, "%s", denied ? "run hvprobe as root (or in group systemd-journal) so it "
						"can read the journal; see os.kvm for this boot"
					      : "keep the journal across boots (mkdir -p /var/log/journal; "
						"systemctl restart systemd-journald) so later runs can "
						"compare boots; see os.kvm for this boot");
		return;
	}
	boot_words(last, at, sizeof(at));
	result_text(r, "last_boot", at, last->journal ? last->journal->boot_id : "journal");
	result_text(r, "outcome", boot_outcome_name(last->outcome), "journal");
	if (last->outcome == OUTCOME_FAILED) {
		history_failed(f, last, r);
		return;
	}
	if (last->outcome == OUTCOME_LAUNCHED) {
		result_set(r, STATUS_PASS, "KVM came up at the last boot (%s): %s", at, last->kvm->reason);
		return;
	}
	result_set(r, STATUS_UNKNOWN, "the journal does not show whether KVM came up at the last boot (%s)",
		   at);
	result_remedy(r, "enable hvprobe.service, which logs its verdict to the journal at each boot "
			 "(read back here); the kernel logs nothing when kvm_intel loads, and kvm_amd's "
			 "lines may have been rotated out");
}

/* ---- kvm.next_boot ---- */

/* Kernel parameter names treat '-' and '_' alike (Documentation/admin-guide/kernel-parameters.rst). */
static bool param_name_equal(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];
		if (x != y)
			return false;
	}
	return true;
}

/* The value of parameter name on a command line ("" for a bare word); NULL when absent.
 * The last occurrence wins, as the kernel parses them in order. */
static const char *cmdline_param(const char *cmdline, const char *name, char *value, size_t size)
{
	const char *found = NULL;
	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		const char *end = p + strcspn(p, " ");
		const char *eq = memchr(p, '=', (size_t)(end - p));
		size_t nlen = (size_t)((eq ? eq : end) - p);
		if (end > p && param_name_equal(p, nlen, name)) {
			size_t vlen = eq ? (size_t)(end - eq - 1) : 0;
			snprintf(value, size, "%.*s", (int)(vlen < size ? vlen : size - 1), eq ? eq + 1 : "");
			found = value;
		}
		p = end;
	}
	return found;
}

/* Does a comma-separated module list name one of KVM's modules? */
static bool lists_kvm_module(const char *list, char *which, size_t size)
{
	static const char *const names[] = { "kvm", "kvm_intel", "kvm_amd" };
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (param_name_equal(p, n, names[i])) {
				snprintf(which, size, "%s", names[i]);
				return true;
			}
		p += n + (p[n] == ',');
	}
	return false;
}

/* A modprobe.d line that keeps a KVM module from loading at boot:
 * "blacklist M" stops udev's autoloading by alias; "install M /bin/false"
 * (or true) replaces loading with a command that does nothing. */
static bool modprobe_blocks(const char *line_start, size_t n)
{
	char line[256];
	snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), line_start);
	const char *text = strstr(line, ": ");
	text = text ? text + 2 : line;
	while (*text == ' ' || *text == '\t')
		text++;
	bool names_vendor = strstr(text, "kvm_intel") || strstr(text, "kvm-intel") ||
			    strstr(text, "kvm_amd") || strstr(text, "kvm-amd") ||
			    strncmp(text, "blacklist kvm", 13) == 0;
	if (!names_vendor)
		return false;
	if (strncmp(text, "blacklist", 9) == 0)
		return true;
	return strncmp(text, "install", 7) == 0 && (strstr(text, "/false") || strstr(text, "/true"));
}

static bool modprobe_blocking_line(const char *lines, char *out, size_t size)
{
	for (const char *p = lines; *p;) {
		size_t n = strcspn(p, "\n");
		if (modprobe_blocks(p, n)) {
			snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
			return true;
		}
		p += n + (p[n] == '\n');
	}
	return false;
}

/* The modules KVM needs on this CPU: kvm and its vendor's. */
static bool module_missing(const struct facts *f, const struct kernel_modules *m, const char **name)
{
	enum module_presence vendor = is_svm(f) ? m->kvm_amd : m->kvm_intel;
	*name = is_svm(f) ? "kvm_amd" : "kvm_intel";
	if (vendor == MODULE_MISSING)
		return true;
	*name = "kvm";
	return m->kvm == MODULE_MISSING;
}

static bool modules_unknown(const struct facts *f, const struct kernel_modules *m)
{
	return m->kvm == MODULE_UNKNOWN || (is_svm(f) ? m->kvm_amd : m->kvm_intel) == MODULE_UNKNOWN;
}

static void next_boot_evidence(const struct facts *f, const struct next_boot_view *nb,
			       struct check_result *r)
{
	const struct kernel_modules *m = &nb->next;
	result_text(r, "loader", nb->loader[0] ? nb->loader : NULL, nb->source);
	result_text(r, "entry", nb->entry[0] ? nb->entry : NULL, nb->source);
	result_text(r, "kernel", m->release[0] ? m->release : NULL, nb->source);
	if (nb->running.release[0])
		result_text(r, "running_kernel", nb->running.release, "uname -r");
	result_text(r, is_svm(f) ? "kvm_amd" : "kvm_intel",
		    module_presence_name(is_svm(f) ? m->kvm_amd : m->kvm_intel), "lib/modules");
	result_text(r, "kvm", module_presence_name(m->kvm), "lib/modules");
	if (nb->cmdline[0])
		result_text(r, "cmdline", nb->cmdline, nb->source);
}

/* The next kernel on the known-bad list (docs/known-issues.md): by its
 * release or its Debian image package, linux-image-RELEASE; *name gets
 * the id matched. */
static const struct known_issue *known_bad_kernel(const struct facts *f, const char *release,
						  char *name, size_t size)
{
	const struct known_issue *k = known_issue_find(f->known, release);
	snprintf(name, size, "%s", release);
	if (!k) {
		snprintf(name, size, "linux-image-%s", release);
		k = known_issue_find(f->known, name);
	}
	return k;
}

static void fix_kernel(struct check_result *r, const char *release)
{
	result_remedy(r, "reinstall the kernel's package before you restart (apt install --reinstall "
			 "linux-image-%s), or make a kernel that has its KVM modules GRUB's default "
			 "(grub-set-default, then update-grub)", release);
}

/* The boot loader's choice could not be read (no GRUB, a kernel started
 * directly by a hypervisor or firmware): the running kernel is the best
 * guess, and a kernel that keeps its modules is a warning, not a verdict
 * of its own. */
static void next_kernel_unknown(const struct facts *f, const struct next_boot_view *nb,
				struct check_result *r)
{
	const struct kernel_modules *run = &nb->running;
	const char *why = nb->problem[0] ? nb->problem : "no boot loader configuration was read";
	const char *name;
	if (run->release[0] && run->tree == TRI_YES && !modules_unknown(f, run) &&
	    !module_missing(f, run, &name)) {
		result_set(r, STATUS_WARN, "which kernel boots next is not known (%s); the running "
			   "kernel %s has KVM's modules", why, run->release);
		result_remedy(r, "if an upgrade installed another kernel, check before the reboot that "
				 "lib/modules/RELEASE/kernel/arch/x86/kvm holds kvm and %s for it",
			      is_svm(f) ? "kvm-amd" : "kvm-intel");
		return;
	}
	result_set(r, STATUS_UNKNOWN, "which kernel boots next is not known: %s", why);
	result_remedy(r, "give the mounted root with --root DIR (its boot/grub/grub.cfg), or run "
			 "hvprobe on the host as root");
}

void check_kvm_next_boot(const struct facts *f, struct check_result *r)
{
	const struct next_boot_view *nb = &f->ev->next_boot;
	const struct kernel_modules *m = &nb->next;
	const char *name;
	char value[256], which[96], line[256];
	next_boot_evidence(f, nb, r);
	if (!nb->read) {
		next_kernel_unknown(f, nb, r);
		return;
	}
	if (m->tree == TRI_NO) {
		result_set(r, STATUS_FAIL, "kernel %s boots next, but it has no modules "
			   "(lib/modules/%s does not exist): KVM will not come up", m->release, m->release);
		fix_kernel(r, m->release);
		return;
	}
	if (module_missing(f, m, &name)) {
		result_set(r, STATUS_FAIL, "kernel %s boots next, and it has no %s module: KVM will "
			   "not come up after the reboot", m->release, name);
		fix_kernel(r, m->release);
		return;
	}
	if (cmdline_param(nb->cmdline, "module_blacklist", value, sizeof(value)) &&
	    lists_kvm_module(value, which, sizeof(which))) {
		result_set(r, STATUS_FAIL, "the next boot's command line blacklists %s "
			   "(module_blacklist=%s): KVM will not come up", which, value);
		result_remedy(r, "remove %s from module_blacklist= in /etc/default/grub "
				 "(GRUB_CMDLINE_LINUX), then update-grub", which);
		return;
	}
	if (cmdline_param(nb->cmdline, "modprobe.blacklist", value, sizeof(value)) &&
	    lists_kvm_module(value, which, sizeof(which))) {
		result_set(r, STATUS_FAIL, "the next boot's command line blacklists %s "
			   "(modprobe.blacklist=%s): it will not load at boot", which, value);
		result_remedy(r, "remove %s from modprobe.blacklist= in /etc/default/grub "
				 "(GRUB_CMDLINE_LINUX), then update-grub", which);
		return;
	}
	if (modprobe_blocking_line(nb->modprobe, line, sizeof(line))) {
		result_text(r, "modprobe", line, "modprobe.d");
		result_set(r, STATUS_FAIL, "modprobe.d keeps KVM's module from loading at boot");
		result_remedy(r, "remove that line (%s), then update-initramfs -u", line);
		return;
	}
	const struct known_issue *bad = known_bad_kernel(f, m->release, which, sizeof(which));
	if (bad) {
		result_text(r, "known_bad", which, bad->source);
		result_set(r, STATUS_FAIL, "kernel %s boots next, and %s is on the list of known bad "
			   "updates: %s", m->release, which, bad->symptom);
		result_remedy(r, "before you restart: %s", bad->fix);
		return;
	}
	if (modules_unknown(f, m)) {
		result_set(r, STATUS_UNKNOWN, "kernel %s boots next; whether it has KVM's modules "
			   "could not be read", m->release);
		result_remedy(r, "run hvprobe as root, or give the mounted root with --root DIR");
		return;
	}
	const char *slat = is_svm(f) ? "kvm_amd.npt" : "kvm_intel.ept";
	if (cmdline_param(nb->cmdline, slat, value, sizeof(value)) &&
	    (strcmp(value, "0") == 0 || strcmp(value, "N") == 0 || strcmp(value, "n") == 0)) {
		result_set(r, STATUS_WARN, "kernel %s boots next with %s=%s: KVM comes up without "
			   "SLAT, and guests run much slower", m->release, slat, value);
		result_remedy(r, "remove %s=%s from the kernel command line (/etc/default/grub, then "
				 "update-grub)", slat, value);
		return;
	}
	bool held = cmdline_param(nb->cmdline, "kvm.enable_virt_at_load", value, sizeof(value)) &&
		    (strcmp(value, "1") == 0 || strcmp(value, "Y") == 0 || strcmp(value, "y") == 0);
	char now[96] = "";
	if (nb->running.release[0] && strcmp(nb->running.release, m->release) != 0)
		snprintf(now, sizeof(now), " (now %s)", nb->running.release);
	result_set(r, STATUS_PASS, "kernel %s boots next%s, with its KVM modules%s", m->release, now,
		   held ? "; KVM will hold VT-x/AMD-V from load (kvm.enable_virt_at_load=1)" : "");
	if (held)
		result_remedy(r, "VirtualBox or VMware cannot start beside KVM then: "
				 "kvm.enable_virt_at_load=0 lets them take turns");
}
