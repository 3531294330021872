/* SPDX-License-Identifier: MIT */
/*
 * A fast pass over an EVTX file's framing (file header, 64 KiB chunks,
 * records: libyal's "Windows XML Event Log (EVTX)" format notes) that
 * finds the records whose provider is one hvprobe reads, without parsing
 * their binary XML. A record's provider name is one of its own values (in
 * every log seen) or a literal of its template, so a record is wanted when
 * its own bytes or its template definition's bytes hold one of the names
 * in UTF-16LE. The full parse (libevtx) then runs only on those records:
 * a 20 MB System log has a few hundred of them among 75,000.
 * Pure: bytes in, record numbers out.
 */
#ifndef HVPROBE_EVTX_SCAN_H
#define HVPROBE_EVTX_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVTX_FILE_HEADER_SIZE 4096u
#define EVTX_CHUNK_SIZE 65536u
#define EVTX_SCAN_NEEDLES 8

struct evtx_scan {
	size_t nneedles;
	size_t needle_len[EVTX_SCAN_NEEDLES];
	unsigned char needle[EVTX_SCAN_NEEDLES][160]; /* UTF-16LE */
	uint64_t records;        /* records seen so far, in file order */
	uint64_t chunks_skipped; /* chunks without a chunk signature */
};

/* A wanted record: its number within its chunk, its EventRecordID and the
 * time its record header says it was written (FILETIME). Return false to
 * stop the scan. */
typedef bool (*evtx_scan_hit)(void *ctx, unsigned index, uint64_t record_id, uint64_t written);

/* names: ASCII provider names, NULL-terminated (at most EVTX_SCAN_NEEDLES). */
void evtx_scan_init(struct evtx_scan *s, const char *const *names);
/* Is this the file header of an EVTX file? */
bool evtx_scan_is_header(const unsigned char *p, size_t len);
/* One chunk, as read from the file (len may be short at the end). False
 * when hit asked to stop. */
bool evtx_scan_chunk(struct evtx_scan *s, const unsigned char *chunk, size_t len,
		     evtx_scan_hit hit, void *ctx);

/* A file of one chunk: the file header (EVTX_FILE_HEADER_SIZE bytes) made to
 * name one chunk, its checksum recomputed, then the chunk. out holds
 * EVTX_FILE_HEADER_SIZE + len bytes. A chunk's records refer only to its
 * own string and template tables, so a reader sees them as in the whole
 * file, while holding one chunk in memory. */
void evtx_one_chunk_file(const unsigned char *header, const unsigned char *chunk, size_t len,
			 unsigned char *out);

/* Mend, in a copy of a chunk, what does not change its records' meaning:
 * the trailing copy of each record's size (libevtx stops at the first
 * record whose copy differs, losing the chunk's newer records). A short
 * chunk (the end of a truncated file) is padded with zeros to
 * EVTX_CHUNK_SIZE: buf must hold that many bytes. */
void evtx_chunk_mend(unsigned char *buf, size_t len);

#endif
