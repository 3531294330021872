/* SPDX-License-Identifier: MIT */
/*
 * The launch MSRs through the msr driver: /dev/cpu/N/msr, read with pread
 * at offset = MSR index. Root only; the module `msr` provides the device.
 * Read-only: hvprobe never writes an MSR.
 */
#include "linux_live.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "../../probe/cpuid_decode.h"
#include "../../probe/facts.h"

static enum msr_status status_of(int e)
{
	switch (e) {
	case ENOENT:
	case ENXIO:
	case ENODEV: return MSR_NO_DEVICE;
	case EACCES:
	case EPERM: return MSR_DENIED;
	case EIO: return MSR_UNSUPPORTED; /* the RDMSR faulted */
	default: return MSR_IO_ERROR;
	}
}

/* Which MSRs exist on this vendor's processors. */
static size_t msrs_for(const struct cpu_decoded *d, uint32_t *out)
{
	size_t n = 0;
	if (d->family == VIRT_FAMILY_SVM) {
		out[n++] = MSR_VM_CR;
		return n;
	}
	if (d->family != VIRT_FAMILY_VMX)
		return 0;
	out[n++] = MSR_IA32_FEATURE_CONTROL;
	if (cpu_has_xd_disable_msr(d))
		out[n++] = MSR_IA32_MISC_ENABLE;
	if (d->vmx == TRI_YES) {
		out[n++] = MSR_IA32_VMX_PROCBASED_CTLS;
		out[n++] = MSR_IA32_VMX_PROCBASED_CTLS2;
	}
	return n;
}

static void read_cpu(struct evidence *ev, unsigned id, const uint32_t *indices, size_t n,
		     bool *any_read, enum msr_status *first_error)
{
	char path[48];
	snprintf(path, sizeof(path), "/dev/cpu/%u/msr", id);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (*first_error == MSR_OK)
			*first_error = status_of(errno);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct msr_reading r = { .cpu = (int)id, .index = indices[i], .status = MSR_OK };
		ssize_t got = pread(fd, &r.value, sizeof(r.value), (off_t)indices[i]);
		if (got != (ssize_t)sizeof(r.value)) {
			r.status = got < 0 ? status_of(errno) : MSR_IO_ERROR;
			r.value = 0;
		}
		evidence_add_msr(ev, &r);
		*any_read = true;
	}
	close(fd);
}

void msr_collect_live(struct evidence *ev)
{
	struct cpu_decoded d;
	uint32_t indices[8];
	if (ev->ncpus == 0)
		return;
	cpu_decode(&ev->cpus[0], &d);
	size_t n = msrs_for(&d, indices);
	if (n == 0) {
		ev->msr_access = MSR_UNSUPPORTED;
		return;
	}
	bool any_read = false;
	enum msr_status first_error = MSR_OK;
	for (size_t i = 0; i < ev->ncpus; i++)
		read_cpu(ev, ev->cpus[i].id, indices, n, &any_read, &first_error);
	if (any_read)
		ev->msr_origin = MSR_ORIGIN_LIVE;
	else
		ev->msr_access = first_error == MSR_OK ? MSR_NO_DEVICE : first_error;
}
