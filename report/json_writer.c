/* SPDX-License-Identifier: MIT */
#include "json_writer.h"

#include <string.h>

void jw_init(struct json_writer *w, struct strbuf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->first[0] = true;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), or 0 if invalid. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp, min;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; min = 0x80; }
	else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; min = 0x800; }
	else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; min = 0x10000; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

void json_escape(struct strbuf *out, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	sb_putc(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\') {
			sb_putc(out, '\\');
			sb_putc(out, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			const char *short_esc = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
			if (short_esc) {
				sb_puts(out, short_esc);
			} else {
				char u[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
				sb_puts(out, u);
			}
			i++;
		} else {
			size_t len = utf8_valid(s + i, n - i);
			if (len == 0) {
				sb_puts(out, "\\ufffd");
				i++;
			} else {
				sb_putn(out, (const char *)s + i, len);
				i += len;
			}
		}
	}
	sb_putc(out, '"');
}

static void indent(struct json_writer *w)
{
	sb_putc(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		sb_puts(w->out, "  ");
}

static void begin_value(struct json_writer *w, const char *key)
{
	if (w->depth > 0) {
		if (!w->first[w->depth])
			sb_putc(w->out, ',');
		indent(w);
	}
	w->first[w->depth] = false;
	if (key) {
		json_escape(w->out, key, strlen(key));
		sb_puts(w->out, ": ");
	}
}

static void open_scope(struct json_writer *w, const char *key, char c)
{
	begin_value(w, key);
	sb_putc(w->out, c);
	if (w->depth < JSON_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_scope(struct json_writer *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	sb_putc(w->out, c);
	if (w->depth == 0)
		sb_putc(w->out, '\n');
}

void jw_object_begin(struct json_writer *w, const char *key) { open_scope(w, key, '{'); }
void jw_object_end(struct json_writer *w) { close_scope(w, '}'); }
void jw_array_begin(struct json_writer *w, const char *key) { open_scope(w, key, '['); }
void jw_array_end(struct json_writer *w) { close_scope(w, ']'); }

void jw_string_n(struct json_writer *w, const char *key, const char *value, size_t n)
{
	begin_value(w, key);
	json_escape(w->out, value, n);
}

void jw_string(struct json_writer *w, const char *key, const char *value)
{
	if (!value) {
		jw_null(w, key);
		return;
	}
	jw_string_n(w, key, value, strlen(value));
}

void jw_bool(struct json_writer *w, const char *key, bool value)
{
	begin_value(w, key);
	sb_puts(w->out, value ? "true" : "false");
}

void jw_int(struct json_writer *w, const char *key, long long value)
{
	begin_value(w, key);
	sb_printf(w->out, "%lld", value);
}

void jw_null(struct json_writer *w, const char *key)
{
	begin_value(w, key);
	sb_puts(w->out, "null");
}
