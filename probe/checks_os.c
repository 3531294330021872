/* SPDX-License-Identifier: MIT */
/* Checks of what the running OS offers a hypervisor: KVM on Linux. */
#include "checks.h"

#include <stdio.h>
#include <string.h>

/* The kernel's own name of its misc device node (KVM_MINOR, misc major 10). */
#define KVM_MKNOD "mknod /dev/kvm c 10 232"
#define FIX_VIRT_AT_LOAD                                                                  \
	"kvm.enable_virt_at_load=0 on the kernel command line, or \"options kvm "         \
	"enable_virt_at_load=0\" in /etc/modprobe.d/, makes KVM take VT-x/AMD-V only while " \
	"a VM runs"

static bool is_svm(const struct facts *f)
{
	return f->rep && f->rep->family == VIRT_FAMILY_SVM;
}

static const char *kvm_vendor_module(const struct facts *f)
{
	return is_svm(f) ? "kvm_amd" : "kvm_intel";
}

static bool is_permission_error(const char *err)
{
	return strcmp(err, "EACCES") == 0 || strcmp(err, "EPERM") == 0;
}

/* Is `name` a word of the space-separated list? */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void firmware_fix(const struct facts *f, struct check_result *r, enum kmsg_fact fact)
{
	bool amd = fact == KMSG_SVM_DISABLED_BY_BIOS || (fact == KMSG_KVM_DISABLED_BY_BIOS && is_svm(f));
	result_remedy(r, "%s", amd ? FIX_AMDV_FIRMWARE : FIX_VTX_FIRMWARE);
}

static void not_fully_enabled_fix(const struct facts *f, struct check_result *r, enum kmsg_fact fact)
{
	(void)f;
	(void)fact;
	result_remedy(r, "the kernel cleared VMX at boot: check the firmware setting (see "
			 "fw.virt_enabled), then the kernel log lines before this one for the error");
}

/* The CPU this OS sees has no VT-x/AMD-V: a guest whose hypervisor hides
 * them, or a processor without them. */
static void no_hardware_fix(const struct facts *f, struct check_result *r, enum kmsg_fact fact)
{
	(void)fact;
	const struct cpu_decoded *d = f->rep;
	const struct hypervisor_info *h =
		d && d->hv_vendor_known == TRI_YES ? hypervisor_lookup(d->hv_vendor) : NULL;
	if (h)
		result_remedy(r, "this OS is a guest of %s, whose virtual CPU has no VT-x/AMD-V. %s "
				 "(see hv.nested)", h->name, h->nested_fix);
	else if (d && d->hv_bit == TRI_YES)
		result_remedy(r, "this OS is a virtual machine whose hypervisor does not expose "
				 "VT-x/AMD-V to it: enable nested virtualization there (see hv.nested)");
	else
		result_remedy(r, "the processor offers no VT-x/AMD-V (see cpu.virt_ext)");
}

static void held_fix(const struct facts *f, struct check_result *r, enum kmsg_fact fact)
{
	(void)fact;
	const char *vendor = kvm_vendor_module(f);
	if (listed(f->ev->kvm.builtin, vendor))
		result_remedy(r, "another hypervisor held VT-x/AMD-V when KVM started: KVM is built "
				 "in, so reboot without the other one loaded");
	else
		result_remedy(r, "another hypervisor (VirtualBox, VMware) held VT-x/AMD-V when KVM "
				 "started: stop it, then reload %s (modprobe -r %s; modprobe %s)",
			      vendor, vendor, vendor);
}

/* Why KVM did not start, as the kernel logged it: the first fact found, in
 * this order (docs/checks.md, os.kvm). */
static const struct {
	enum kmsg_fact fact;
	const char *why;
	void (*fix)(const struct facts *f, struct check_result *r, enum kmsg_fact fact);
} refusals[] = {
	{ KMSG_VMX_DISABLED_BY_BIOS, "firmware disabled VT-x", firmware_fix },
	{ KMSG_SVM_DISABLED_BY_BIOS, "firmware disabled AMD-V", firmware_fix },
	{ KMSG_KVM_DISABLED_BY_BIOS, "firmware disabled VT-x/AMD-V", firmware_fix },
	{ KMSG_VMX_NOT_FULLY_ENABLED, "VMX is not fully enabled", not_fully_enabled_fix },
	{ KMSG_KVM_NO_HW_SUPPORT, "KVM found no VT-x/AMD-V", no_hardware_fix },
	{ KMSG_KVM_ENABLE_FAILED, "KVM could not turn VT-x/AMD-V on", held_fix },
};

/* The kernel log's reason with its line as evidence; false when it has none. */
static bool kernel_log_reason(const struct facts *f, struct check_result *r, const char *what)
{
	const struct linux_view *lx = &f->ev->linux_;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const char *line = lx->kmsg[refusals[i].fact];
		if (!line[0])
			continue;
		result_text(r, "kernel_log", line, "kernel log");
		result_set(r, STATUS_FAIL, "%s: %s (kernel log)", what, refusals[i].why);
		refusals[i].fix(f, r, refusals[i].fact);
		return true;
	}
	return false;
}

/* The running kernel has no file for the module (lib/modules/RELEASE). */
static bool running_module_missing(const struct facts *f, const char *vendor)
{
	const struct kernel_modules *m = &f->ev->next_boot.running;
	if (!m->release[0])
		return false;
	enum module_presence p = kernel_modules_vendor(m, strcmp(vendor, "kvm_amd") == 0);
	return p == MODULE_MISSING || m->tree == TRI_NO;
}

/* CPUID as this OS sees it has no VT-x/AMD-V: KVM cannot start at all. */
static bool cpu_lacks_virt(const struct facts *f)
{
	const struct cpu_decoded *d = f->rep;
	if (!d)
		return false;
	return d->family == VIRT_FAMILY_NONE || (d->family == VIRT_FAMILY_SVM ? d->svm : d->vmx) == TRI_NO;
}

/* No /dev/kvm: the device registered but no node, KVM refused (and the
 * log says why), it never ran, or the vendor module is not loaded. */
static void kvm_missing(const struct facts *f, struct check_result *r)
{
	const struct kvm_view *k = &f->ev->kvm;
	const char *vendor = kvm_vendor_module(f);
	char what[200];
	if (k->sysfs_read && k->misc_device == TRI_YES) {
		result_set(r, STATUS_FAIL, "/dev/kvm does not exist, but KVM registered its device");
		result_remedy(r, "udev made no /dev/kvm node: udevadm trigger, or " KVM_MKNOD);
		return;
	}
	if (k->sysfs_read && k->builtin[0])
		snprintf(what, sizeof(what), "/dev/kvm does not exist: KVM is built into the kernel "
			 "(%s) but did not start", k->builtin);
	else
		snprintf(what, sizeof(what), "/dev/kvm does not exist");
	if (kernel_log_reason(f, r, what))
		return;
	/* Software KVM needs no VT-x/AMD-V: a CPU without them does not
	 * explain why it did not register. */
	if (listed(k->modules, "kvm_pvm")) {
		result_set(r, STATUS_FAIL, "%s: kvm_pvm (software KVM, which needs no VT-x/AMD-V) "
			   "registered no device, and the kernel log %s", what,
			   f->ev->linux_.kmsg_read == TRI_YES ? "does not say why" : "could not be read");
		result_remedy(r, "check dmesg for kvm and pvm messages and the kernel's KVM "
				 "configuration%s", cpu_lacks_virt(f) ? "; kvm_intel and kvm_amd cannot work "
				 "here without VT-x/AMD-V in CPUID (see hv.nested)" : "");
		return;
	}
	if (cpu_lacks_virt(f)) {
		result_set(r, STATUS_FAIL, "%s: no VT-x/AMD-V in CPUID", what);
		no_hardware_fix(f, r, KMSG_KVM_NO_HW_SUPPORT);
		return;
	}
	if (!listed(k->modules, vendor) && running_module_missing(f, vendor)) {
		const char *release = f->ev->next_boot.running.release;
		result_text(r, "module_file", "missing", "lib/modules of the running kernel");
		result_set(r, STATUS_FAIL, "%s: %s is not loaded, and the running kernel %s has no %s "
			   "module file", what, vendor, release, vendor);
		result_remedy(r, "its modules are gone (the kernel's package was removed or upgraded "
				 "while it ran): reinstall it (apt install --reinstall linux-image-%s), or "
				 "reboot into a kernel that has them (see kvm.next_boot)", release);
		return;
	}
	if (!listed(k->modules, vendor)) {
		result_set(r, STATUS_FAIL, "%s", what);
		result_remedy(r, "load the KVM module: modprobe %s (add it to /etc/modules to load "
				 "it at boot); if it refuses, see cpu.virt_ext and fw.virt_enabled", vendor);
		return;
	}
	result_set(r, STATUS_FAIL, "%s", what);
	if (!k->sysfs_read) /* a bundle from before the device was recorded */
		result_remedy(r, "the modules (%s) are loaded but udev made no device: check "
				 "dmesg for kvm messages, then udevadm trigger", k->modules);
	else if (listed(k->builtin, vendor))
		result_remedy(r, "%s is built in but registered no device, and the kernel log %s: "
				 "check dmesg for kvm messages and fw.virt_enabled", vendor,
			      f->ev->linux_.kmsg_read == TRI_YES ? "does not say why"
								 : "could not be read (run as root)");
	else
		result_remedy(r, "%s is loaded but registered no device: check dmesg for kvm "
				 "messages, then reload it (modprobe -r %s; modprobe %s)", vendor, vendor, vendor);
}

static void kvm_evidence(const struct kvm_view *k, struct check_result *r)
{
	result_tri(r, "device", k->device, "/dev/kvm");
	result_text(r, "modules", k->modules[0] ? k->modules : NULL, "/sys/module");
	if (k->sysfs_read) {
		result_text(r, "builtin", k->builtin[0] ? k->builtin : NULL,
			    "/sys/module/*/initstate, modules.builtin");
		result_tri(r, "misc_device", k->misc_device, "/sys/class/misc/kvm");
		if (k->virt_at_load != TRI_UNKNOWN)
			result_tri(r, "enable_virt_at_load", k->virt_at_load,
				   "/sys/module/kvm/parameters/enable_virt_at_load");
	}
	if (k->open_error[0])
		result_text(r, "open_error", k->open_error, "open(/dev/kvm)");
	if (k->api_version >= 0)
		result_int(r, "api_version", k->api_version, "KVM_GET_API_VERSION");
	result_tri(r, "vm_created", k->vm_created, "KVM_CREATE_VM");
	if (k->create_error[0])
		result_text(r, "create_error", k->create_error, "KVM_CREATE_VM");
	if (k->nested != TRI_UNKNOWN)
		result_tri(r, "nested", k->nested, "/sys/module/kvm_*/parameters/nested");
}

/* KVM_CREATE_VM failed. EBUSY: enabling VT-x/AMD-V failed because another
 * hypervisor holds it (VMXON faults, or EFER.SVME is already set). */
static void kvm_create_failed(const struct facts *f, struct check_result *r)
{
	const struct kvm_view *k = &f->ev->kvm;
	result_set(r, STATUS_FAIL, "/dev/kvm API 12, but KVM_CREATE_VM failed (%s)",
		   k->create_error[0] ? k->create_error : "error");
	if (strcmp(k->create_error, "EBUSY") != 0)
		result_remedy(r, "check dmesg for kvm messages; see fw.virt_enabled for the firmware state");
	else if (k->sysfs_read && k->virt_at_load == TRI_NO)
		result_remedy(r, "another hypervisor (VirtualBox, VMware) holds VT-x/AMD-V: stop its "
				 "VMs, then retry (with kvm.enable_virt_at_load=0, KVM takes VT-x/AMD-V "
				 "only while a VM runs, so the two take turns)");
	else
		result_remedy(r, "another hypervisor (VirtualBox, VMware) holds VT-x/AMD-V: stop it, "
				 "then retry. Only one can hold it: since Linux 6.12 KVM takes it when "
				 "the module loads (kvm.enable_virt_at_load=1, the default); " FIX_VIRT_AT_LOAD
				 ", so the two can take turns");
}

void check_os_kvm(const struct facts *f, struct check_result *r)
{
	const struct kvm_view *k = &f->ev->kvm;
	kvm_evidence(k, r);
	if (k->device == TRI_NO) {
		kvm_missing(f, r);
		return;
	}
	if (k->device == TRI_UNKNOWN) {
		result_set(r, STATUS_UNKNOWN, "/dev/kvm was not examined");
		return;
	}
	if (k->open_error[0]) {
		if (is_permission_error(k->open_error)) {
			result_set(r, STATUS_UNKNOWN, "/dev/kvm exists but may not be opened (%s)", k->open_error);
			result_remedy(r, "run hvprobe as root, or add the user to the kvm group");
		} else {
			result_set(r, STATUS_FAIL, "/dev/kvm cannot be opened (%s)", k->open_error);
			result_remedy(r, "check dmesg for kvm messages and reload %s", kvm_vendor_module(f));
		}
		return;
	}
	if (k->api_version != 12) {
		result_set(r, STATUS_FAIL, "KVM API version %d, expected 12", k->api_version);
		result_remedy(r, "the kernel's KVM is not the stable API: update the kernel");
		return;
	}
	if (k->vm_created == TRI_UNKNOWN) {
		result_set(r, STATUS_UNKNOWN, "/dev/kvm API 12, VM creation not tried");
		return;
	}
	if (k->vm_created != TRI_YES) {
		kvm_create_failed(f, r);
		return;
	}
	if (k->sysfs_read && k->virt_at_load == TRI_YES) {
		/* Linux 6.12+: VT-x/AMD-V stays on from module load, not only while a VM runs. */
		result_set(r, STATUS_PASS, "/dev/kvm API 12, created a VM; KVM holds VT-x/AMD-V from "
					   "load (enable_virt_at_load), so VirtualBox or VMware cannot start "
					   "beside it");
		result_remedy(r, "to run VirtualBox or VMware on this host: " FIX_VIRT_AT_LOAD);
		return;
	}
	result_set(r, STATUS_PASS, "/dev/kvm API 12, created a VM");
}
