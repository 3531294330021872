/* SPDX-License-Identifier: MIT */
/*
 * /dev/kvm: the strongest live proof for KVM is a VM it creates. The VM
 * is closed again at once; no vCPU, no memory, nothing runs.
 */
#include "live.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fileio.h"

#define KVM_DEVICE "/dev/kvm"

static void errno_name(int e, char *out, size_t size)
{
	const char *name = strerrorname_np(e);
	snprintf(out, size, "%s", name ? name : "error");
}

/* KVM modules in load order of interest; `kvm_pvm` is software KVM. */
static const char *const kvm_modules[] = { "kvm", "kvm_intel", "kvm_amd", "kvm_pvm" };

static void read_modules(struct kvm_view *k)
{
	struct stat st;
	char path[96];
	k->modules[0] = '\0';
	for (size_t i = 0; i < sizeof(kvm_modules) / sizeof(kvm_modules[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s", kvm_modules[i]);
		if (stat(path, &st) != 0)
			continue;
		size_t used = strlen(k->modules);
		snprintf(k->modules + used, sizeof(k->modules) - used, "%s%s", used ? " " : "",
			 kvm_modules[i]);
	}
}

static void read_nested(struct kvm_view *k)
{
	static const char *const params[] = { "/sys/module/kvm_intel/parameters/nested",
					      "/sys/module/kvm_amd/parameters/nested" };
	for (size_t i = 0; i < 2; i++) {
		char *text;
		size_t len;
		struct hv_error err;
		if (!file_read_all(params[i], FILE_NAMED, 64, &text, &len, &err))
			continue;
		k->nested = (text[0] == 'Y' || text[0] == '1') ? TRI_YES : TRI_NO;
		free(text);
		return;
	}
}

void kvm_collect_live(struct evidence *ev)
{
	struct kvm_view *k = &ev->kvm;
	struct stat st;
	k->probed = true;
	read_modules(k);
	read_nested(k);
	if (stat(KVM_DEVICE, &st) != 0) {
		k->device = errno == ENOENT ? TRI_NO : TRI_UNKNOWN;
		return;
	}
	k->device = TRI_YES;
	int fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		errno_name(errno, k->open_error, sizeof(k->open_error));
		return;
	}
	k->api_version = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (k->api_version == KVM_API_VERSION) {
		int vm = ioctl(fd, KVM_CREATE_VM, 0);
		if (vm >= 0) {
			k->vm_created = TRI_YES;
			close(vm);
		} else {
			k->vm_created = TRI_NO;
			errno_name(errno, k->create_error, sizeof(k->create_error));
		}
	}
	close(fd);
}
