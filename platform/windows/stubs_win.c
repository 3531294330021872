/* SPDX-License-Identifier: MIT */
/* What the Windows build does without: libcpuid's codename table (the
 * report shows none), and bundles, which the Linux build writes and reads
 * (a snapshot carries what a comparison needs on Windows). */
#include "../bundle.h"
#include "../cpu_identify.h"

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
