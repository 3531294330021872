/* SPDX-License-Identifier: MIT */
/*
 * One event record as XML (the form libevtx renders an EVTX record in, and
 * the form Windows' EvtRender(EvtRenderEventXml) returns live) into the
 * evidence model: Provider Name, EventID and its Qualifiers, TimeCreated,
 * EventRecordID, Channel, and the insertion strings (EventData's Data
 * elements, or UserData's leaf elements) with their names. One parser for
 * both paths, so the live path differs only in how records are fetched.
 * Pure: text in, a record out; no OS dependency.
 */
#ifndef HVPROBE_EVENT_XML_H
#define HVPROBE_EVENT_XML_H

#include "../probe/evidence.h"

/* Which records are worth keeping, from their provider, channel and id;
 * NULL keeps every record. */
typedef bool (*event_filter)(const struct event_record *head);

/* Parse xml (len bytes, need not be NUL-terminated) and add the record to
 * v as log `log` when keep says so (*kept, when not NULL, tells). False
 * with err set when the text is not an event record (no provider, id or
 * time) or memory runs out ("out of memory"). */
bool event_xml_add(const char *xml, size_t len, unsigned log, event_filter keep,
		   struct events_view *v, bool *kept, char *err, size_t errsize);

#endif
