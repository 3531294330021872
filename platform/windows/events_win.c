/* SPDX-License-Identifier: MIT */
/*
 * Windows event logs through the event log API (wevtapi): the live
 * channels, and .evtx files (--evtx, --windows DIR) with EvtQueryFilePath.
 * The query keeps only the providers of probe/launch.h; each record is
 * rendered as XML and read by the same parser as the offline path
 * (formats/event_xml.c), so only this fetching loop is Windows' own.
 */
#include <windows.h>
#include <winevt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../probe/launch.h"
#include "../../formats/event_xml.h"
#include "../events_load.h"
#include "../nocase_path.h"
#include "windows_live.h"

#define BATCH 64

/* *[System[Provider[@Name='A' or @Name='B' ...]]] */
static wchar_t *provider_query(void)
{
	char q[1024] = "*[System[Provider[";
	for (const char *const *p = launch_providers; *p; p++) {
		size_t n = strlen(q);
		snprintf(q + n, sizeof(q) - n, "%s@Name='%s'", p == launch_providers ? "" : " or ", *p);
	}
	strncat(q, "]]]", sizeof(q) - strlen(q) - 1);
	return utf8_to_wide(q);
}

static bool render_into(EVT_HANDLE h, unsigned log, struct evidence *ev, struct hv_error *err,
			const char *name)
{
	DWORD used = 0, props = 0;
	EvtRender(NULL, h, EvtRenderEventXml, 0, NULL, &used, &props);
	if (GetLastError() != ERROR_INSUFFICIENT_BUFFER || used == 0)
		return true; /* a record Windows cannot render: not evidence */
	wchar_t *wide = malloc(used);
	char *xml = NULL;
	bool ok = wide && EvtRender(NULL, h, EvtRenderEventXml, used, wide, &used, &props);
	int n = ok ? WideCharToMultiByte(CP_UTF8, 0, wide, -1, NULL, 0, NULL, NULL) : 0;
	if (n > 0 && (xml = malloc((size_t)n)) != NULL &&
	    WideCharToMultiByte(CP_UTF8, 0, wide, -1, xml, n, NULL, NULL) > 0) {
		char why[160];
		if (!event_xml_add(xml, strlen(xml), log, launch_event_kept, &ev->events, NULL, why,
				   sizeof(why)) &&
		    strcmp(why, "out of memory") == 0)
			ok = hv_fail(err, HV_ENOMEM, "%s: out of memory", name);
	}
	free(xml);
	free(wide);
	ev->events.records_read++;
	return ok || err->status != HV_ENOMEM;
}

/* One channel (live) or one file. A channel that does not exist is no
 * error; a file that cannot be read is. */
static bool query_log(const char *name, bool file, struct evidence *ev, struct hv_error *err)
{
	wchar_t *path = utf8_to_wide(name), *query = provider_query();
	EVT_HANDLE q = path && query ? EvtQuery(NULL, path, query,
					       (file ? EvtQueryFilePath : EvtQueryChannelPath) |
						       EvtQueryForwardDirection)
				     : NULL;
	DWORD why = GetLastError();
	free(path);
	free(query);
	if (!q) {
		if (!file)
			return true;
		return hv_fail(err, why == ERROR_FILE_NOT_FOUND ? HV_ENOINPUT : HV_EDATA,
			       "%s: not a readable event log (Windows error %lu)", name, (unsigned long)why);
	}
	char label[160];
	snprintf(label, sizeof(label), "%s%s", file ? "" : "live:", name);
	int log = events_log(&ev->events, label);
	bool ok = log >= 0;
	EVT_HANDLE batch[BATCH];
	DWORD got = 0;
	while (ok && EvtNext(q, BATCH, batch, INFINITE, 0, &got)) {
		for (DWORD i = 0; i < got; i++) {
			ok = ok && render_into(batch[i], (unsigned)log, ev, err, name);
			EvtClose(batch[i]);
		}
	}
	EvtClose(q);
	if (ok)
		ev->events.read = true;
	return ok;
}

/* The channels a live host keeps launch evidence in. */
void windows_events_live(struct evidence *ev)
{
	static const char *const channels[] = {
		"System", "Setup", "Microsoft-Windows-Hyper-V-Worker-Admin",
	};
	struct hv_error err = { 0 };
	for (size_t i = 0; i < sizeof(channels) / sizeof(channels[0]); i++)
		if (!query_log(channels[i], false, ev, &err))
			break;
	events_settle(&ev->events);
}

bool load_event_logs(const char *volume, const char *const *files, size_t n, struct evidence *ev,
		     struct hv_error *err)
{
	for (const char *const *p = windows_volume_logs; volume && *p; p++) {
		char path[4096];
		int why;
		if (nocase_path_find(volume, *p, path, sizeof(path), &why) &&
		    !query_log(path, true, ev, err))
			return false;
	}
	for (size_t i = 0; i < n; i++)
		if (!query_log(files[i], true, ev, err))
			return false;
	events_settle(&ev->events);
	return true;
}
