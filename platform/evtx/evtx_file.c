/* SPDX-License-Identifier: MIT */
/*
 * Two passes over a log, so that a 100 MB log costs what its few relevant
 * records cost, in bounded memory:
 *   1. the framing pass (evtx_scan.c) reads the file a chunk at a time and
 *      notes each record of a launch provider: its chunk, its number in the
 *      chunk, its EventRecordID and written time. Past 2 * NOTES_MAX notes
 *      the oldest are dropped.
 *   2. chunk by chunk, newest first, libevtx opens a file of that one chunk
 *      (in memory, through libbfio; mended and padded as evtx_scan.h says)
 *      and renders the noted records as XML; event_xml.c keeps those that
 *      matter (launch_event_kept). It stops once EVENTS_MAX are kept: the
 *      newest records decide.
 * libevtx never indexes the whole file: that index alone is larger than
 * the records kept. A noted record that cannot be parsed is counted, with
 * its time, so a damaged log is never taken for a complete one.
 */
#include "evtx_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libbfio.h>
#include <libevtx.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../probe/launch.h"
#include "../../probe/utc.h"
#include "../../formats/event_xml.h"
#include "../events_load.h"
#include "../fileio.h"
#include "../../formats/evtx_scan.h"
#include "../nocase_path.h"

struct note {
	uint64_t chunk;     /* the chunk's number in the file */
	unsigned index;     /* the record's number within its chunk */
	uint64_t record_id;
	uint64_t written;   /* FILETIME from the record header */
};

/* Notes are small (32 bytes): many more than EVENTS_MAX, since records of
 * the same providers that do not matter (Kernel-General 16, Windows Update
 * 44) are known only once parsed. */
#define NOTES_MAX (8 * EVENTS_MAX)

struct reader {
	const char *path;
	int fd;
	unsigned char header[EVTX_FILE_HEADER_SIZE];
	struct events_view *events;
	unsigned log;
	struct hv_error *err;
	uint64_t chunk;     /* the chunk being scanned */
	size_t n, cap;
	struct note *notes;
	size_t kept;        /* records of this log kept */
	bool failed;
};

static int newest_first(const void *a, const void *b)
{
	const struct note *x = a, *y = b;
	return x->written > y->written ? -1 : x->written < y->written;
}

/* Each chunk's notes together, its records in order. */
static int chunk_order(const void *a, const void *b)
{
	const struct note *x = a, *y = b;
	if (x->chunk != y->chunk)
		return x->chunk < y->chunk ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void unreadable(struct reader *r, const struct note *note)
{
	struct events_view *v = r->events;
	int64_t t = utc_from_filetime(note->written);
	if (!v->unreadable || t > v->unreadable_newest)
		v->unreadable_newest = t;
	v->unreadable++;
}

static void keep_newest(struct reader *r, size_t keep)
{
	if (r->n <= keep)
		return;
	qsort(r->notes, r->n, sizeof(*r->notes), newest_first);
	r->events->dropped += r->n - keep;
	r->n = keep;
}

static bool on_hit(void *ctx, unsigned index, uint64_t record_id, uint64_t written)
{
	struct reader *r = ctx;
	if (r->n == 2 * NOTES_MAX)
		keep_newest(r, NOTES_MAX);
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct note *p = realloc(r->notes, cap * sizeof(*p));
		if (!p) {
			r->failed = true;
			return hv_fail(r->err, HV_ENOMEM, "%s: out of memory", r->path);
		}
		r->notes = p;
		r->cap = cap;
	}
	r->notes[r->n++] = (struct note){ r->chunk, index, record_id, written };
	return true;
}

static ssize_t read_chunk(struct reader *r, uint64_t chunk, unsigned char *buf)
{
	off_t at = (off_t)(EVTX_FILE_HEADER_SIZE + chunk * EVTX_CHUNK_SIZE);
	ssize_t n = pread(r->fd, buf, EVTX_CHUNK_SIZE, at);
	if (n < 0) {
		r->failed = true;
		(void)hv_fail(r->err, HV_EIO, "%s: %s", r->path, strerror(errno));
	}
	return n;
}

/* Pass 1. */
static bool note_records(struct reader *r, unsigned char *chunk)
{
	struct evtx_scan scan;
	evtx_scan_init(&scan, launch_providers);
	ssize_t n;
	for (r->chunk = 0; (n = read_chunk(r, r->chunk, chunk)) > 0; r->chunk++)
		if (!evtx_scan_chunk(&scan, chunk, (size_t)n, on_hit, r))
			break;
	r->events->records_read += scan.records;
	keep_newest(r, NOTES_MAX);
	return !r->failed;
}

static bool add_record(struct reader *r, libevtx_record_t *rec)
{
	size_t size = 0;
	if (libevtx_record_get_utf8_xml_string_size(rec, &size, NULL) != 1 || size == 0)
		return true; /* a record libevtx cannot render: not evidence */
	char *xml = malloc(size);
	if (!xml)
		return hv_fail(r->err, HV_ENOMEM, "%s: out of memory", r->path);
	bool ok = true, kept = false;
	char why[160];
	if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)xml, size, NULL) == 1 &&
	    !event_xml_add(xml, strnlen(xml, size), r->log, launch_event_kept, r->events, &kept, why,
			   sizeof(why)) &&
	    strcmp(why, "out of memory") == 0)
		ok = hv_fail(r->err, HV_ENOMEM, "%s: out of memory", r->path);
	free(xml);
	r->kept += kept;
	return ok;
}

/* The noted record, checked by its id: libevtx numbers a chunk's records
 * as the framing pass does unless the chunk is damaged; then look it up. */
static libevtx_record_t *noted_record(libevtx_file_t *file, const struct note *note)
{
	libevtx_record_t *rec = NULL;
	uint64_t id = 0;
	if (libevtx_file_get_record_by_index(file, (int)note->index, &rec, NULL) == 1 &&
	    libevtx_record_get_identifier(rec, &id, NULL) == 1 && id == note->record_id)
		return rec;
	libevtx_record_free(&rec, NULL);
	int n = 0;
	libevtx_file_get_number_of_records(file, &n, NULL);
	for (int i = 0; i < n; i++) {
		if (libevtx_file_get_record_by_index(file, i, &rec, NULL) == 1 &&
		    libevtx_record_get_identifier(rec, &id, NULL) == 1 && id == note->record_id)
			return rec;
		libevtx_record_free(&rec, NULL);
	}
	return NULL;
}

/* Pass 2 for one chunk: notes[0..count) are its records. A chunk libevtx
 * cannot open gives nothing (its records are not evidence). */
static bool parse_chunk(struct reader *r, const struct note *notes, size_t count,
			unsigned char *chunk, unsigned char *file)
{
	ssize_t n = read_chunk(r, notes[0].chunk, chunk);
	if (n < 0)
		return false;
	evtx_chunk_mend(chunk, (size_t)n);
	evtx_one_chunk_file(r->header, chunk, EVTX_CHUNK_SIZE, file);
	libbfio_handle_t *io = NULL;
	libevtx_file_t *evtx = NULL;
	bool ok = true, opened = false;
	if (libbfio_memory_range_initialize(&io, NULL) == 1 &&
	    libbfio_memory_range_set(io, file, EVTX_FILE_HEADER_SIZE + EVTX_CHUNK_SIZE, NULL) == 1 &&
	    libevtx_file_initialize(&evtx, NULL) == 1 &&
	    libevtx_file_open_file_io_handle(evtx, io, LIBEVTX_OPEN_READ, NULL) == 1) {
		opened = true;
		for (size_t i = 0; ok && i < count; i++) {
			libevtx_record_t *rec = noted_record(evtx, &notes[i]);
			if (rec)
				ok = add_record(r, rec);
			else
				unreadable(r, &notes[i]);
			libevtx_record_free(&rec, NULL);
		}
		libevtx_file_close(evtx, NULL);
	}
	for (size_t i = 0; !opened && i < count; i++)
		unreadable(r, &notes[i]);
	libevtx_file_free(&evtx, NULL);
	libbfio_handle_free(&io, NULL);
	return ok;
}

struct chunk_span {
	size_t from, count;
	uint64_t newest; /* the newest written time of its notes */
};

static int newest_span_first(const void *a, const void *b)
{
	const struct chunk_span *x = a, *y = b;
	return x->newest > y->newest ? -1 : x->newest < y->newest;
}

/* Pass 2: the chunks with notes, newest first, until EVENTS_MAX records of
 * this log are kept; what is left unparsed then is older than all kept. */
static bool parse_noted(struct reader *r)
{
	if (!r->n)
		return true;
	qsort(r->notes, r->n, sizeof(*r->notes), chunk_order);
	size_t nspans = 0;
	struct chunk_span *spans = malloc(r->n * sizeof(*spans));
	unsigned char *chunk = malloc(EVTX_CHUNK_SIZE);
	unsigned char *file = malloc(EVTX_FILE_HEADER_SIZE + EVTX_CHUNK_SIZE);
	bool ok = spans && chunk && file;
	if (!ok)
		(void)hv_fail(r->err, HV_ENOMEM, "%s: out of memory", r->path);
	for (size_t i = 0; ok && i < r->n; i++) {
		if (i == 0 || r->notes[i].chunk != r->notes[i - 1].chunk)
			spans[nspans++] = (struct chunk_span){ i, 0, 0 };
		struct chunk_span *sp = &spans[nspans - 1];
		sp->count++;
		if (r->notes[i].written > sp->newest)
			sp->newest = r->notes[i].written;
	}
	if (ok)
		qsort(spans, nspans, sizeof(*spans), newest_span_first);
	size_t parsed = 0;
	for (size_t i = 0; ok && i < nspans && r->kept < EVENTS_MAX; i++) {
		ok = parse_chunk(r, r->notes + spans[i].from, spans[i].count, chunk, file);
		parsed += spans[i].count;
	}
	r->events->dropped += r->n - parsed; /* older than every record kept */
	free(spans);
	free(chunk);
	free(file);
	return ok;
}

/* By the input policy (platform/fileio.h); only a file with the file
 * header's signature is a log. */
static bool open_log(struct reader *r, enum file_origin origin)
{
	r->fd = file_open_input(r->path, origin, r->err);
	if (r->fd < 0)
		return false;
	ssize_t n = pread(r->fd, r->header, sizeof(r->header), 0);
	if (n < 0)
		return hv_fail(r->err, HV_EIO, "%s: %s", r->path, strerror(errno));
	if (!evtx_scan_is_header(r->header, (size_t)n))
		return hv_fail(r->err, HV_EDATA, "%s: not a Windows event log (no \"ElfFile\" signature)",
			       r->path);
	if ((size_t)n < sizeof(r->header))
		return hv_fail(r->err, HV_EDATA, "%s: truncated event log (%zd bytes, the file header "
				       "alone is %u)", r->path, n, EVTX_FILE_HEADER_SIZE);
	return true;
}

bool evtx_file_load(const char *path, enum file_origin origin, struct evidence *ev,
		    struct hv_error *err)
{
	struct reader r = { .path = path, .fd = -1, .events = &ev->events, .err = err };
	bool ok = open_log(&r, origin);
	if (ok) {
		int log = events_log(&ev->events, path);
		ok = log >= 0 || hv_fail(err, HV_EDATA, "%s: more than %d event logs", path,
					 EVENT_LOGS_MAX);
		r.log = (unsigned)log;
	}
	if (ok) {
		unsigned char *chunk = malloc(EVTX_CHUNK_SIZE);
		ok = chunk ? note_records(&r, chunk) : hv_fail(err, HV_ENOMEM, "%s: out of memory", path);
		free(chunk);
	}
	ok = ok && parse_noted(&r);
	if (r.fd >= 0)
		close(r.fd);
	free(r.notes);
	if (ok)
		ev->events.read = true;
	return ok;
}

bool evtx_volume_load(const char *root, struct evidence *ev, unsigned *found,
		      struct hv_error *err)
{
	*found = 0;
	for (const char *const *p = windows_volume_logs; *p; p++) {
		char path[4096];
		int why;
		if (!nocase_path_find(root, *p, path, sizeof(path), &why))
			continue;
		if (!evtx_file_load(path, FILE_FOUND, ev, err))
			return false;
		(*found)++;
	}
	return true;
}
