/* SPDX-License-Identifier: MIT */
/* What the Windows build does without: libcpuid's codename table (the
 * report shows none), and bundles, which the Linux build writes and reads
 * (a snapshot carries what a comparison needs on Windows). */
#include "../bundle.h"
#include "../cpu_identify.h"
#include "../live.h"
#include "../root.h"

void cpu_identify_codename(struct evidence *ev)
{
	ev->codename[0] = '\0';
}

bool bundle_write(const char *dir, const struct evidence *ev, struct hv_error *err)
{
	(void)ev;
	return hv_fail(err, HV_EOS, "%s: bundles are written by the Linux build; on Windows use "
				    "hvprobe snapshot", dir);
}

bool bundle_read(const char *dir, struct evidence *ev, struct hv_error *err)
{
	(void)ev;
	return hv_fail(err, HV_EOS, "%s: bundles are read by the Linux build", dir);
}

/* --root reads a Linux root: its journal needs libsystemd. */
bool live_collect_hardware(struct evidence *ev, bool read_msrs, struct hv_error *err)
{
	(void)ev;
	(void)read_msrs;
	return hv_fail(err, HV_EOS, "--root: a Linux root is read by the Linux build");
}

bool root_collect(const char *root, struct evidence *ev, struct hv_error *err)
{
	(void)ev;
	return hv_fail(err, HV_EOS, "%s: a Linux root is read by the Linux build", root);
}

bool next_boot_name_kernel(const char *release, struct evidence *ev, struct hv_error *err)
{
	(void)ev;
	return hv_fail(err, HV_EOS, "--kernel %s: a Linux kernel is judged by the Linux build", release);
}
