/* SPDX-License-Identifier: MIT */
/* Checks of what the running OS offers a hypervisor: KVM on Linux. */
#include "checks.h"

#include <stdio.h>
#include <string.h>

static const char *kvm_vendor_module(const struct facts *f)
{
	if (f->rep && f->rep->family == VIRT_FAMILY_SVM)
		return "kvm_amd";
	return "kvm_intel";
}

static bool is_permission_error(const char *err)
{
	return strcmp(err, "EACCES") == 0 || strcmp(err, "EPERM") == 0;
}

void check_os_kvm(const struct facts *f, struct check_result *r)
{
	const struct kvm_view *k = &f->ev->kvm;
	if (!k->probed) {
		result_set(r, STATUS_SKIP, "no /dev/kvm evidence in %s", check_source_words(f));
		return;
	}
	result_tri(r, "device", k->device, "/dev/kvm");
	result_text(r, "modules", k->modules[0] ? k->modules : NULL, "/sys/module");
	if (k->open_error[0])
		result_text(r, "open_error", k->open_error, "open(/dev/kvm)");
	if (k->api_version >= 0)
		result_int(r, "api_version", k->api_version, "KVM_GET_API_VERSION");
	result_tri(r, "vm_created", k->vm_created, "KVM_CREATE_VM");
	if (k->create_error[0])
		result_text(r, "create_error", k->create_error, "KVM_CREATE_VM");
	if (k->nested != TRI_UNKNOWN)
		result_tri(r, "nested", k->nested, "/sys/module/kvm_*/parameters/nested");

	if (k->device == TRI_NO) {
		result_set(r, STATUS_FAIL, "/dev/kvm does not exist");
		if (!k->modules[0])
			result_remedy(r, "load the KVM module: modprobe %s (add it to /etc/modules to load "
					 "it at boot); if it refuses, see cpu.virt_ext and fw.virt_enabled",
				      kvm_vendor_module(f));
		else
			result_remedy(r, "the modules (%s) are loaded but udev made no device: check "
					 "dmesg for kvm messages, then udevadm trigger", k->modules);
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
	if (k->vm_created == TRI_YES) {
		result_set(r, STATUS_PASS, "/dev/kvm API 12, created a VM");
		return;
	}
	if (k->vm_created == TRI_UNKNOWN) {
		result_set(r, STATUS_UNKNOWN, "/dev/kvm API 12, VM creation not tried");
		return;
	}
	result_set(r, STATUS_FAIL, "/dev/kvm API 12, but KVM_CREATE_VM failed (%s)",
		   k->create_error[0] ? k->create_error : "error");
	if (strcmp(k->create_error, "EBUSY") == 0)
		result_remedy(r, "another hypervisor (VirtualBox, VMware) holds VT-x/AMD-V: stop it");
	else
		result_remedy(r, "check dmesg for kvm messages; see fw.virt_enabled for the firmware state");
}
