/* SPDX-License-Identifier: MIT */
/* A growable string: reports and bundles are built in memory and written
 * in one piece, so a failure never leaves half a file behind. */
#ifndef HVPROBE_STRBUF_H
#define HVPROBE_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* printf-style format checking. MinGW builds use its C99 printf
 * (__USE_MINGW_ANSI_STDIO), whose formats are GNU's, not Microsoft's. */
#if defined(__MINGW32__)
#define HV_PRINTF_FORMAT gnu_printf
#else
#define HV_PRINTF_FORMAT printf
#endif

struct strbuf {
	char *data;  /* NUL-terminated when len > 0 */
	size_t len, cap;
	bool failed; /* an allocation failed; the content is incomplete */
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(HV_PRINTF_FORMAT, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(HV_PRINTF_FORMAT, 2, 0)));
/* The text so far; "" for an empty buffer. */
const char *sb_str(const struct strbuf *sb);

/* Copy the first n bytes of s (fewer if they do not fit, or at a NUL) into
 * the fixed buffer out of `size` bytes, always terminated: the evidence
 * keeps parsed words in fixed fields, and parsers copy thousands of them,
 * where snprintf("%.*s") took a tenth of a live run's
 * instructions. */
void str_copy_n(char *out, size_t size, const char *s, size_t n);

#endif
