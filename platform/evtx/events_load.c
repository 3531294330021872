/* SPDX-License-Identifier: MIT */
#include "../events_load.h"

#include "evtx_file.h"

bool load_event_logs(const char *volume, const char *const *files, size_t n, struct evidence *ev,
		     struct hv_error *err)
{
	unsigned found = 0;
	if (volume && !evtx_volume_load(volume, ev, &found, err))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!evtx_file_load(files[i], FILE_NAMED, ev, err))
			return false;
	events_settle(&ev->events);
	return true;
}
