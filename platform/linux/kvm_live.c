/* SPDX-License-Identifier: MIT */
/*
 * /dev/kvm: the strongest live proof for KVM is a VM it creates. The VM
 * is closed again at once; no vCPU, no memory, nothing runs.
 */
#include "linux_live.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../fileio.h"
#include "../../formats/bootloader.h"

#define KVM_DEVICE "/dev/kvm"

static void errno_name(int e, char *out, size_t size)
{
	const char *name = strerrorname_np(e);
	snprintf(out, size, "%s", name ? name : "error");
}

/* KVM modules in load order of interest; `kvm_pvm` is software KVM. */
static const char *const kvm_modules[] = { "kvm", "kvm_intel", "kvm_amd", "kvm_pvm" };

#define SYS_MODULE "/sys/module"
/* KVM's misc device (KVM_MINOR 232): kvm_init() registers it last, so it
 * exists only when a vendor module started; udev then makes /dev/kvm. */
#define MISC_CLASS "/sys/class/misc"
#define KVM_MISC MISC_CLASS "/kvm"
/* Linux 6.12+ (commit b4886fab6fb6): Y when KVM turns VT-x/AMD-V on as it
 * loads instead of at the first VM. */
#define VIRT_AT_LOAD_PARAM SYS_MODULE "/kvm/parameters/enable_virt_at_load"

static void list_add(char *list, size_t size, const char *name)
{
	size_t used = strlen(list);
	snprintf(list + used, size - used, "%s%s", used ? " " : "", name);
}

/* modules.builtin names module kvm_intel by its file, kvm-intel.ko. */
static bool builtin_listed(const char *list, size_t len, const char *module)
{
	char file[40];
	size_t n = strlen(module);
	for (size_t i = 0; i < n; i++)
		file[i] = module[i] == '_' ? '-' : module[i];
	memcpy(file + n, ".ko", 4);
	return modules_builtin_lists(list, len, file);
}

/* A loadable module, once loaded, has /sys/module/NAME/initstate; a
 * built-in one has the directory (for its parameters) but no initstate,
 * and the kernel's modules.builtin lists it. */
static void read_modules(struct kvm_view *k)
{
	char path[128], *builtin = NULL;
	size_t builtin_len = 0;
	struct utsname u;
	struct hv_error err;
	if (uname(&u) == 0 &&
	    snprintf(path, sizeof(path), "/lib/modules/%s/modules.builtin", u.release) < (int)sizeof(path))
		file_read_all(path, FILE_NAMED, FILEIO_MAX_INPUT, &builtin, &builtin_len, &err);
	k->modules[0] = k->builtin[0] = '\0';
	for (size_t i = 0; i < sizeof(kvm_modules) / sizeof(kvm_modules[0]); i++) {
		struct stat st;
		snprintf(path, sizeof(path), SYS_MODULE "/%s", kvm_modules[i]);
		bool present = stat(path, &st) == 0;
		snprintf(path, sizeof(path), SYS_MODULE "/%s/initstate", kvm_modules[i]);
		bool loadable = present && stat(path, &st) == 0;
		bool built_in = (present && !loadable) ||
				(builtin && builtin_listed(builtin, builtin_len, kvm_modules[i]));
		if (present || built_in)
			list_add(k->modules, sizeof(k->modules), kvm_modules[i]);
		if (built_in)
			list_add(k->builtin, sizeof(k->builtin), kvm_modules[i]);
	}
	free(builtin);
}

static tri_t read_flag(const char *path)
{
	char *text;
	size_t len;
	struct hv_error err;
	if (!file_read_all(path, FILE_NAMED, 64, &text, &len, &err))
		return TRI_UNKNOWN;
	tri_t t = (text[0] == 'Y' || text[0] == '1') ? TRI_YES : TRI_NO;
	free(text);
	return t;
}

static void read_sysfs(struct kvm_view *k)
{
	struct stat st;
	read_modules(k);
	if (stat(KVM_MISC, &st) == 0)
		k->misc_device = TRI_YES;
	else if (errno == ENOENT && stat(MISC_CLASS, &st) == 0) /* sysfs is there to tell */
		k->misc_device = TRI_NO;
	else
		k->misc_device = TRI_UNKNOWN;
	/* Absent on kernels before 6.12 and when kvm is not loaded. */
	k->virt_at_load = read_flag(VIRT_AT_LOAD_PARAM);
	k->sysfs_read = true;
}

static void read_nested(struct kvm_view *k)
{
	static const char *const params[] = { SYS_MODULE "/kvm_intel/parameters/nested",
					      SYS_MODULE "/kvm_amd/parameters/nested" };
	for (size_t i = 0; i < 2 && k->nested == TRI_UNKNOWN; i++)
		k->nested = read_flag(params[i]);
}

void kvm_collect_live(struct evidence *ev)
{
	struct kvm_view *k = &ev->kvm;
	struct stat st;
	k->probed = true;
	read_sysfs(k);
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
