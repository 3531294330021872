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
#include "strbuf.h"

#include <stdio.h>
#include <string.h>

#define LIST_ROOM 120 /* bytes of an evidence item */

static bool is_svm(const struct facts *f)
{
	return f->rep && f->rep->family == VIRT_FAMILY_SVM;
}

/* How to act on the boot loader this host uses: GRUB (Debian's default)
 * or systemd-boot (bootctl(1); kernel-install(8) builds its entries from
 * /etc/kernel/cmdline). */
struct loader_words {
	const char *pick_once;   /* boot another kernel once */
	const char *cmdline_at;  /* where the kernel command line is kept */
	const char *apply;       /* what makes a change of it take effect */
};

static const struct loader_words *loader_words(const struct facts *f)
{
	static const struct loader_words grub = {
		"from GRUB's \"Advanced options\" menu (or once with grub-reboot)",
		"/etc/default/grub (GRUB_CMDLINE_LINUX)", "update-grub",
	};
	static const struct loader_words sdboot = {
		"once with bootctl set-oneshot ENTRY (bootctl list shows the entries)",
		"/etc/kernel/cmdline", "kernel-install add RELEASE /boot/vmlinuz-RELEASE for each kernel",
	};
	return strcmp(f->ev->next_boot.loader, "systemd-boot") == 0 ? &sdboot : &grub;
}

/* ---- kvm.history ---- */

static void boot_words(const struct launch_boot *b, char *out, size_t size)
{
	char when[24];
	format_utc(b->time, when);
	const char *kernel = b->journal && b->journal->kernel[0] ? b->journal->kernel : NULL;
	snprintf(out, size, "%s%s%s", when, kernel ? ", kernel " : "", kernel ? kernel : "");
}

/* What undoes one change, or what to look at. A kernel is tried by
 * booting the previous one, never by removing the new one's package
 * (linux-image-amd64 depends on it; removing it would stop kernel
 * updates); an older package version is often gone from the archive. */
static void undo_words(const struct loader_words *lw, const struct launch_install *s, char *out,
		       size_t size)
{
	switch (s->kind) {
	case INSTALL_PACKAGE:
		if (strncmp(s->name, "linux-image-", 12) == 0 && !s->from[0])
			snprintf(out, size, "boot the previous kernel %s; if KVM comes up there, keep "
				 "booting it until a fixed %s arrives", lw->pick_once, s->name);
		else if (s->from[0])
			snprintf(out, size, "if apt-cache policy %s still offers %s (or /var/cache/apt/archives "
				 "holds it), apt install %s=%s with the packages of the same source at that "
				 "version, then apt-mark hold %s", s->name, s->from, s->name, s->from, s->name);
		else
			snprintf(out, size, "apt remove %s, if nothing needs it", s->name);
		return;
	case INSTALL_KERNEL:
		snprintf(out, size, "boot kernel %s %s to confirm", s->from, lw->pick_once);
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

static void suspects_remedy(const struct facts *f, const struct launch_view *v, struct strbuf *fix)
{
	char item[300];
	if (!v->nsuspects)
		return;
	char good[24], bad[24];
	format_utc(v->boots[v->first_failed].time, bad);
	if (v->last_launched >= 0) {
		format_utc(v->boots[v->last_launched].time, good);
		sb_printf(fix, "%sChanged between the last boot KVM came up (%s) and the first it did not "
			  "(%s), newest first: ", fix->len ? ". " : "", good, bad);
	} else {
		sb_printf(fix, "%sChanged before the first boot the journal shows KVM did not come up "
			  "(%s), newest first: ", fix->len ? ". " : "", bad);
	}
	for (size_t i = 0; i < v->nsuspects && fix->len < 800; i++) {
		undo_words(loader_words(f), &v->suspects[i], item, sizeof(item));
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
	if (last->kvm_line && last->kvm_line[0])
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
	suspects_remedy(f, v, &fix);
	if (v->window_by_time_unsure)
		sb_puts(&fix, ". The clock went back between those boots: the changes are placed by time "
			      "and may be off");
	result_remedy(r, "%s", sb_str(&fix));
	sb_free(&fix);
}

/* No boot in the journal: this boot alone, from /dev/kvm, and why there
 * is no record of others. */
static void history_without_boots(const struct facts *f, struct check_result *r)
{
	const struct journal_view *j = &f->ev->journal;
	tri_t now = facts_kvm_now(f);
	if (now == TRI_YES) {
		result_set(r, STATUS_PASS, "KVM created a VM on this boot; no earlier boot was read");
		return;
	}
	const char *why = j->damaged ? "the journal is damaged and no boot could be read from it"
			  : j->unreadable[0] ? j->unreadable
			  : "the journal holds no boot";
	if (now == TRI_NO)
		result_set(r, STATUS_FAIL, "KVM cannot create a VM on this boot (see os.kvm); %s", why);
	else
		result_set(r, STATUS_UNKNOWN, "whether KVM came up is not known: %s", why);
	if (strstr(j->unreadable, "ermission"))
		result_remedy(r, "run hvprobe as root (or in group systemd-journal) so it can read the "
				 "journal");
	else if (j->damaged)
		result_remedy(r, "check the journal (journalctl --verify%s%s); what journald kept of "
				 "each boot's kernel messages is what this check reads",
			      f->ev->root[0] ? " -D " : "", f->ev->root[0] ? j->source : "");
	else if (f->ev->root[0])
		result_remedy(r, "the root keeps no journal of its boots (no var/log/journal: journald "
				 "kept it in memory only); judge the host live once it runs, and keep its "
				 "journal across boots (mkdir -p /var/log/journal)");
	else
		result_remedy(r, "keep the journal across boots (mkdir -p /var/log/journal; systemctl "
				 "restart systemd-journald) so later runs can compare boots");
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
	/* whether the suspects could include packages at all */
	const struct package_log_view *p = &f->ev->package_log;
	result_text(r, "package_log", p->source[0] ? p->source : p->read ? "read" : "not read",
		    "dpkg and apt logs");
	if (!last) {
		history_without_boots(f, r);
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
			str_copy_n(value, size, eq ? eq + 1 : "", vlen);
			found = value;
		}
		p = end;
	}
	return found;
}

/* A boolean parameter as the kernel reads it (kstrtobool, lib/kstrtox.c):
 * y, Y, t, T, 1 or "on" are true; n, N, f, F, 0 or "off" false. */
static tri_t param_bool(const char *v)
{
	if (strchr("yYtT1", v[0]) && v[0])
		return TRI_YES;
	if (strchr("nNfF0", v[0]) && v[0])
		return TRI_NO;
	if (v[0] == 'o' || v[0] == 'O')
		return v[1] == 'n' || v[1] == 'N' ? TRI_YES : v[1] == 'f' || v[1] == 'F' ? TRI_NO : TRI_UNKNOWN;
	return TRI_UNKNOWN;
}

/* Does any occurrence of list parameter `name` (comma separated, as
 * module_blacklist= and modprobe.blacklist=: every occurrence counts) name
 * `module`? value gets that occurrence. */
static bool cmdline_lists(const char *cmdline, const char *name, const char *module, char *value,
			  size_t size)
{
	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		const char *end = p + strcspn(p, " ");
		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq && param_name_equal(p, (size_t)(eq - p), name))
			for (const char *q = eq + 1; q < end;) {
				size_t n = strcspn(q, ", ");
				if (param_name_equal(q, n, module)) {
					size_t vlen = (size_t)(end - eq - 1);
					str_copy_n(value, size, eq + 1, vlen);
					return true;
				}
				q += n + (q[n] == ',');
			}
		p = end;
	}
	return false;
}

/* Words of a modprobe.d line after "FILE: ". */
static int line_words(const char *line, size_t n, char words[4][64])
{
	char buf[256];
	str_copy_n(buf, sizeof(buf), line, n);
	const char *text = strstr(buf, ": ");
	text = text ? text + 2 : buf;
	int count = 0;
	for (const char *p = text; *p && count < 4;) {
		p += strspn(p, " \t");
		size_t w = strcspn(p, " \t");
		if (!w)
			break;
		str_copy_n(words[count++], 64, p, w);
		p += w;
	}
	return count;
}

/* A modprobe.d line that keeps `module` from loading at boot
 * (modprobe.d(5)): "blacklist M" stops loading by alias, which is how udev
 * loads KVM's vendor module at boot (not a module loaded as another's
 * dependency, so "blacklist kvm" stops nothing); "install M CMD" runs CMD
 * instead, and a CMD that is only /bin/false or /bin/true loads nothing. */
static bool modprobe_blocks(const char *line, size_t n, const char *module)
{
	char w[4][64];
	int count = line_words(line, n, w);
	if (count < 2 || !param_name_equal(w[1], strlen(w[1]), module))
		return false;
	if (strcmp(w[0], "blacklist") == 0)
		return count == 2;
	if (strcmp(w[0], "install") != 0 || count != 3)
		return false;
	const char *base = w[2];
	for (const char *c = w[2]; *c; c++)
		if (*c == '/')
			base = c + 1;
	return strcmp(base, "false") == 0 || strcmp(base, "true") == 0;
}

static bool modprobe_blocking_line(const char *lines, const char *module, char *out, size_t size)
{
	for (const char *p = lines; *p;) {
		size_t n = strcspn(p, "\n");
		if (modprobe_blocks(p, n, module)) {
			str_copy_n(out, size, p, n);
			return true;
		}
		p += n + (p[n] == '\n');
	}
	return false;
}

/* The modules KVM needs on this CPU: kvm and its vendor's. */
static bool module_missing(const struct facts *f, const struct kernel_modules *m, const char **name)
{
	enum module_presence vendor = kernel_modules_vendor(m, is_svm(f));
	*name = is_svm(f) ? "kvm_amd" : "kvm_intel";
	if (vendor == MODULE_MISSING)
		return true;
	*name = "kvm";
	return m->kvm == MODULE_MISSING;
}

static bool modules_unknown(const struct facts *f, const struct kernel_modules *m)
{
	return m->kvm == MODULE_UNKNOWN || kernel_modules_vendor(m, is_svm(f)) == MODULE_UNKNOWN;
}

static void next_boot_evidence(const struct facts *f, const struct next_boot_view *nb,
			       struct check_result *r)
{
	const struct kernel_modules *m = &nb->next;
	result_text(r, "loader", nb->loader[0] ? nb->loader : NULL, nb->source);
	result_text(r, "entry", nb->entry[0] ? nb->entry : NULL, nb->source);
	result_text(r, "kernel", m->release[0] ? m->release : NULL,
		    nb->named[0] ? "--kernel" : nb->source);
	if (nb->loader_next[0])
		result_text(r, "loader_kernel", nb->loader_next, nb->source);
	if (nb->running.release[0])
		result_text(r, "running_kernel", nb->running.release, "uname -r");
	result_text(r, is_svm(f) ? "kvm_amd" : "kvm_intel",
		    module_presence_name(kernel_modules_vendor(m, is_svm(f))), "lib/modules");
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

/* Before the reboot: put the kernel's files back, or boot another kernel
 * once. Debian's GRUB boots entry 0 (GRUB_DEFAULT=0), so grub-set-default
 * alone changes nothing; grub-reboot picks the next boot only, as
 * bootctl set-oneshot does for systemd-boot. */
static void fix_kernel(const struct facts *f, struct check_result *r, const char *release)
{
	if (strcmp(f->ev->next_boot.loader, "systemd-boot") == 0)
		result_remedy(r, "reinstall the kernel's package before you restart (apt install "
				 "--reinstall linux-image-%s); or boot an entry whose kernel has its KVM "
				 "modules once, with bootctl set-oneshot ENTRY (bootctl list shows them; "
				 "bootctl set-default ENTRY for a lasting choice)", release);
	else
		result_remedy(r, "reinstall the kernel's package before you restart (apt install "
				 "--reinstall linux-image-%s); or boot a kernel that has its KVM modules once, "
				 "with grub-reboot \"Advanced options for Debian GNU/Linux>Debian GNU/Linux, "
				 "with Linux OTHER\" (a lasting choice needs GRUB_DEFAULT=saved in "
				 "/etc/default/grub, update-grub, then grub-set-default)", release);
}

/* The boot loader's choice could not be read (no GRUB, a kernel started
 * directly by a hypervisor or firmware): the running kernel is the best
 * guess, and a kernel that keeps its modules is a warning, not a verdict
 * of its own. */
static void next_kernel_unknown(const struct facts *f, const struct next_boot_view *nb,
				const char *why, struct check_result *r)
{
	const struct kernel_modules *run = &nb->running;
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
	if (f->ev->root[0])
		result_remedy(r, "check the root's boot loader (boot/grub/grub.cfg and grubenv) and its "
				 "lib/modules by hand");
	else
		result_remedy(r, "run hvprobe on the host as root, or give its mounted root with --root "
				 "DIR (its boot/grub/grub.cfg)");
}

/* Debian's /vmlinuz link names the newest installed kernel, which boots
 * next only where a boot loader boots installed kernels: a kernel that is
 * not installed here (no lib/modules/RELEASE: started directly by a
 * hypervisor or from other media) says the link decides nothing. */
static bool link_decides_nothing(const struct next_boot_view *nb, char *why, size_t size)
{
	if (strcmp(nb->loader, "vmlinuz") != 0 || !nb->running.release[0] || nb->running.tree != TRI_NO)
		return false;
	snprintf(why, size, "the running kernel %s is not an installed one (no lib/modules/%s), so "
		 "the /vmlinuz link does not say what boots next", nb->running.release, nb->running.release);
	return true;
}

/* Something on the next boot's command line or in modprobe.d keeps KVM
 * from loading: module_blacklist= (the kernel refuses the module: kvm, or
 * the vendor's), modprobe.blacklist= and modprobe.d's blacklist and
 * install lines (the vendor's module: see modprobe_blocks). */
static bool next_boot_blocked(const struct facts *f, const struct next_boot_view *nb,
			      struct check_result *r)
{
	const char *vendors[2] = { "kvm_intel", "kvm_amd" };
	size_t nvendors = 2;
	if (f->rep && f->rep->family != VIRT_FAMILY_NONE) { /* this CPU's only */
		vendors[0] = is_svm(f) ? "kvm_amd" : "kvm_intel";
		nvendors = 1;
	}
	/* the kernel refuses what module_blacklist= names, kvm included;
	 * modprobe's blacklist stops loading by alias, not as a dependency */
	static const struct {
		const char *param, *verb, *outcome;
		bool core_too;
	} lists[] = {
		{ "module_blacklist", "forbids", "KVM will not come up", true },
		{ "modprobe.blacklist", "blacklists", "udev will not load it at boot", false },
	};
	char value[256], line[256];
	for (size_t i = 0; i < nvendors + 1; i++) {
		bool core = i == nvendors;
		const char *m = core ? "kvm" : vendors[i];
		for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
			if ((core && !lists[k].core_too) ||
			    !cmdline_lists(nb->cmdline, lists[k].param, m, value, sizeof(value)))
				continue;
			result_set(r, STATUS_FAIL, "the next boot's command line %s %s (%s=%s): %s",
				   lists[k].verb, m, lists[k].param, value, lists[k].outcome);
			result_remedy(r, "remove %s from %s= in %s, then %s", m, lists[k].param,
				      loader_words(f)->cmdline_at, loader_words(f)->apply);
			return true;
		}
		if (core)
			break;
		if (modprobe_blocking_line(nb->modprobe, m, line, sizeof(line))) {
			result_text(r, "modprobe", line, "modprobe.d");
			result_set(r, STATUS_FAIL, "modprobe.d keeps %s from loading at boot", m);
			result_remedy(r, "remove that line (%s), then update-initramfs -u", line);
			return true;
		}
	}
	return false;
}

/* The kernel judged, as the summaries name it: the boot loader's choice,
 * or the one named with --kernel (and what the loader starts instead). */
static void next_kernel_words(const struct next_boot_view *nb, char *buf, size_t size)
{
	if (!nb->named[0])
		snprintf(buf, size, "kernel %s boots next", nb->next.release);
	else if (nb->loader_next[0])
		snprintf(buf, size, "kernel %s (named with --kernel; the boot loader starts %s next)",
			 nb->next.release, nb->loader_next);
	else
		snprintf(buf, size, "kernel %s (named with --kernel)", nb->next.release);
}

void check_kvm_next_boot(const struct facts *f, struct check_result *r)
{
	const struct next_boot_view *nb = &f->ev->next_boot;
	const struct kernel_modules *m = &nb->next;
	const char *name;
	char value[256], which[96], who[200];
	next_boot_evidence(f, nb, r);
	char why[300];
	if (!nb->read || (!nb->named[0] && link_decides_nothing(nb, why, sizeof(why)))) {
		if (!nb->read)
			snprintf(why, sizeof(why), "%s", nb->problem[0] ? nb->problem
								: "no boot loader configuration was read");
		next_kernel_unknown(f, nb, why, r);
		return;
	}
	next_kernel_words(nb, who, sizeof(who));
	if (m->tree == TRI_NO) {
		result_set(r, STATUS_FAIL, "%s, but it has no modules (lib/modules/%s does not "
			   "exist): KVM will not come up", who, m->release);
		fix_kernel(f, r, m->release);
		return;
	}
	if (module_missing(f, m, &name)) {
		result_set(r, STATUS_FAIL, "%s, and it has no %s module: KVM will not come up after "
			   "the reboot", who, name);
		fix_kernel(f, r, m->release);
		return;
	}
	if (next_boot_blocked(f, nb, r))
		return;
	const struct known_issue *bad = known_bad_kernel(f, m->release, which, sizeof(which));
	if (bad) {
		result_text(r, "known_bad", which, bad->source);
		result_set(r, STATUS_FAIL, "%s, and %s is on the list of known bad updates: %s", who,
			   which, bad->symptom);
		result_remedy(r, "before you restart: %s", bad->fix);
		return;
	}
	if (modules_unknown(f, m)) {
		result_set(r, STATUS_UNKNOWN, "%s; whether it has KVM's modules could not be read", who);
		result_remedy(r, "run hvprobe as root, or give the mounted root with --root DIR");
		return;
	}
	const char *slat = is_svm(f) ? "kvm_amd.npt" : "kvm_intel.ept";
	if (cmdline_param(nb->cmdline, slat, value, sizeof(value)) && param_bool(value) == TRI_NO) {
		result_set(r, STATUS_WARN, "%s with %s=%s: KVM comes up without SLAT, and guests run "
			   "much slower", who, slat, value);
		result_remedy(r, "remove %s=%s from the kernel command line (%s, then %s)", slat, value,
			      loader_words(f)->cmdline_at, loader_words(f)->apply);
		return;
	}
	bool held = cmdline_param(nb->cmdline, "kvm.enable_virt_at_load", value, sizeof(value)) &&
		    param_bool(value) == TRI_YES;
	char now[96] = "";
	if (nb->running.release[0] && strcmp(nb->running.release, m->release) != 0)
		snprintf(now, sizeof(now), " (now %s)", nb->running.release);
	result_set(r, STATUS_PASS, "%s%s, with its KVM modules%s", who, now,
		   held ? "; KVM will hold VT-x/AMD-V from load (kvm.enable_virt_at_load=1)" : "");
	if (held)
		result_remedy(r, "VirtualBox or VMware cannot start beside KVM then: "
				 "kvm.enable_virt_at_load=0 lets them take turns");
}
