/* SPDX-License-Identifier: MIT */
#include "evtx_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libevtx.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../probe/launch.h"
#include "../event_xml.h"
#include "../events_load.h"
#include "../evtx_scan.h"
#include "../nocase_path.h"


struct reader {
	const char *path;
	libevtx_file_t *file;
	struct events_view *events;
	unsigned log;
	struct hv_error *err;
	bool mismatch; /* the framing pass and libevtx disagree on numbering */
	bool failed;
};

/* libevtx's message for the error line, without its call chain. */
static void evtx_reason(libevtx_error_t *e, char *out, size_t size)
{
	out[0] = '\0';
	if (e && libevtx_error_sprint(e, out, size) < 0)
		out[0] = '\0';
	char *nl = strchr(out, '\n');
	if (nl)
		*nl = '\0';
	if (!out[0])
		snprintf(out, size, "unreadable");
	libevtx_error_free(&e);
}

static bool add_record(struct reader *r, libevtx_record_t *rec)
{
	size_t size = 0;
	if (libevtx_record_get_utf8_xml_string_size(rec, &size, NULL) != 1 || size == 0)
		return true; /* a record libevtx cannot render: not evidence */
	char *xml = malloc(size);
	if (!xml)
		return hv_fail(r->err, HV_ENOMEM, "%s: out of memory", r->path);
	bool ok = true;
	char why[160];
	if (libevtx_record_get_utf8_xml_string(rec, (uint8_t *)xml, size, NULL) == 1 &&
	    !event_xml_add(xml, strnlen(xml, size), r->log, r->events, why, sizeof(why)) &&
	    strcmp(why, "out of memory") == 0)
		ok = hv_fail(r->err, HV_ENOMEM, "%s: out of memory", r->path);
	free(xml);
	return ok;
}

/* A record the framing pass wanted: libevtx's record of that number must
 * have the same EventRecordID, or the numbering is not shared. */
static bool on_hit(void *ctx, uint64_t index, uint64_t record_id)
{
	struct reader *r = ctx;
	libevtx_record_t *rec = NULL;
	uint64_t id = 0;
	if (index > INT32_MAX || libevtx_file_get_record_by_index(r->file, (int)index, &rec, NULL) != 1 ||
	    libevtx_record_get_identifier(rec, &id, NULL) != 1 || id != record_id) {
		libevtx_record_free(&rec, NULL);
		r->mismatch = true;
		return false;
	}
	bool ok = add_record(r, rec);
	libevtx_record_free(&rec, NULL);
	r->failed = !ok;
	return ok;
}

static bool scan_fast(struct reader *r, int fd)
{
	struct evtx_scan scan;
	evtx_scan_init(&scan, launch_providers);
	unsigned char *chunk = malloc(EVTX_CHUNK_SIZE);
	if (!chunk)
		return hv_fail(r->err, HV_ENOMEM, "%s: out of memory", r->path);
	off_t at = EVTX_FILE_HEADER_SIZE;
	for (;;) {
		ssize_t n = pread(fd, chunk, EVTX_CHUNK_SIZE, at);
		if (n < 0) {
			free(chunk);
			return hv_fail(r->err, HV_EIO, "%s: %s", r->path, strerror(errno));
		}
		if (n == 0 || !evtx_scan_chunk(&scan, chunk, (size_t)n, on_hit, r))
			break;
		at += n;
	}
	free(chunk);
	r->events->records_read += scan.records;
	return !r->failed;
}

/* Every record through libevtx: the slow path, when the fast one cannot
 * be trusted for this file. */
static bool scan_all(struct reader *r)
{
	int n = 0;
	if (libevtx_file_get_number_of_records(r->file, &n, NULL) != 1)
		return true;
	for (int i = 0; i < n; i++) {
		libevtx_record_t *rec = NULL;
		if (libevtx_file_get_record_by_index(r->file, i, &rec, NULL) != 1)
			continue;
		char provider[96];
		bool ok = true;
		if (libevtx_record_get_utf8_source_name(rec, (uint8_t *)provider, sizeof(provider),
							NULL) == 1 &&
		    launch_provider_wanted(provider))
			ok = add_record(r, rec);
		libevtx_record_free(&rec, NULL);
		if (!ok)
			return false;
	}
	r->events->records_read += (unsigned long)n;
	return true;
}

/* Open without following a link and without blocking on a FIFO; only a
 * regular file is a log. */
static int open_log(const char *path, struct hv_error *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		(void)hv_fail(err, HV_ENOINPUT, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		(void)hv_fail(err, HV_ENOINPUT, "%s: not a regular file", path);
		return -1;
	}
	unsigned char head[8];
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    !evtx_scan_is_header(head, sizeof(head))) {
		close(fd);
		(void)hv_fail(err, HV_EDATA, "%s: not a Windows event log (no \"ElfFile\" signature)", path);
		return -1;
	}
	return fd;
}

bool evtx_file_load(const char *path, struct evidence *ev, struct hv_error *err)
{
	int fd = open_log(path, err);
	if (fd < 0)
		return false;
	int log = events_log(&ev->events, path);
	if (log < 0) {
		close(fd);
		return hv_fail(err, HV_EDATA, "%s: more than %d event logs", path, EVENT_LOGS_MAX);
	}
	struct reader r = { .path = path, .events = &ev->events, .log = (unsigned)log, .err = err };
	libevtx_error_t *e = NULL;
	char why[200];
	if (libevtx_file_initialize(&r.file, &e) != 1 ||
	    libevtx_file_open(r.file, path, LIBEVTX_OPEN_READ, &e) != 1) {
		evtx_reason(e, why, sizeof(why));
		libevtx_file_free(&r.file, NULL);
		close(fd);
		return hv_fail(err, HV_EDATA, "%s: not a readable event log: %s", path, why);
	}
	unsigned long read_before = ev->events.records_read;
	bool ok = scan_fast(&r, fd);
	if (ok && r.mismatch) {
		/* drop what the fast pass kept of this log and read it all */
		struct events_view *v = &ev->events;
		size_t kept = 0;
		for (size_t i = 0; i < v->n; i++) {
			if (v->items[i].log == r.log)
				free(v->items[i].data);
			else
				v->items[kept++] = v->items[i];
		}
		v->n = kept;
		v->records_read = read_before;
		ok = scan_all(&r);
	}
	libevtx_file_close(r.file, NULL);
	libevtx_file_free(&r.file, NULL);
	close(fd);
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
		if (!evtx_file_load(path, ev, err))
			return false;
		(*found)++;
	}
	return true;
}
