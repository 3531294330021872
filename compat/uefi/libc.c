/* SPDX-License-Identifier: MIT */
/*
 * The few C library functions the portable core needs, for the firmware
 * environment: memory from the UEFI pool (through uefi_alloc/uefi_free),
 * strings, and a printf formatter for the conversions the core uses
 * (d i u x X c s % with -, 0, width, precision, * and the l, ll, z sizes).
 * Nothing here calls the firmware directly: tests/unit/test_uefi_libc.c
 * runs this file on Linux against the real C library.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uefi_libc.h"

/* ---- memory: a size header before each block, for realloc ---- */

#define HEADER 16

void *malloc(size_t n)
{
	unsigned char *p = uefi_alloc(n + HEADER);
	if (!p)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + HEADER;
}

void *calloc(size_t count, size_t n)
{
	if (n && count > SIZE_MAX / n)
		return NULL;
	void *p = malloc(count * n);
	if (p)
		memset(p, 0, count * n);
	return p;
}

void free(void *p)
{
	if (p)
		uefi_free((unsigned char *)p - HEADER);
}

void *realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	size_t old;
	memcpy(&old, (unsigned char *)p - HEADER, sizeof(old));
	void *q = malloc(n);
	if (q) {
		memcpy(q, p, old < n ? old : n);
		free(p);
	}
	return q;
}

/* ---- strings ---- */

/* memcpy and memset come with gnu-efi's libefi (the compiler emits calls
 * to them); the rest is here. */

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *o = d;
	const unsigned char *i = s;
	if (o < i) {
		for (size_t k = 0; k < n; k++)
			o[k] = i[k];
		return d;
	}
	while (n--)
		o[n] = i[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n--; x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (; n--; p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strstr(const char *h, const char *n)
{
	size_t len = strlen(n);
	for (; *h; h++)
		if (strncmp(h, n, len) == 0)
			return (char *)h;
	return len ? NULL : (char *)h;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;
	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;
	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

int tolower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
int toupper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
int isdigit(int c) { return c >= '0' && c <= '9'; }
int isxdigit(int c) { return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	const char *p = s;
	while (*p == ' ' || *p == '\t')
		p++;
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit(p[2]))
		p += 2, base = 16;
	if (base == 0)
		base = 10;
	const char *digits = p;
	for (;; p++) {
		int d = isdigit(*p) ? *p - '0' : isxdigit(*p) ? tolower(*p) - 'a' + 10 : 99;
		if (d >= base)
			break;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)(p == digits ? s : p);
	return v;
}

/* An insertion sort: the core sorts a handful of suspects. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *b = base, tmp[64];
	if (size > sizeof(tmp))
		return;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--) {
			memcpy(tmp, b + j * size, size);
			memcpy(b + j * size, b + (j - 1) * size, size);
			memcpy(b + (j - 1) * size, tmp, size);
		}
}

/* ---- formatting ---- */

struct sink {
	char *out;
	size_t size, len;
};

static void emit(struct sink *k, char c)
{
	if (k->len + 1 < k->size)
		k->out[k->len] = c;
	k->len++;
}

static void pad(struct sink *k, char c, int n)
{
	while (n-- > 0)
		emit(k, c);
}

static void field(struct sink *k, const char *s, size_t n, int width, bool left, char fill)
{
	int gap = width > (int)n ? width - (int)n : 0;
	if (!left)
		pad(k, fill, gap);
	for (size_t i = 0; i < n; i++)
		emit(k, s[i]);
	if (left)
		pad(k, ' ', gap);
}

int vsnprintf(char *out, size_t size, const char *fmt, va_list ap)
{
	struct sink k = { out, size, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			emit(&k, *fmt);
			continue;
		}
		bool left = false, zero = false;
		int width = 0, precision = -1, longs = 0;
		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++)
			left |= *fmt == '-', zero |= *fmt == '0';
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (isdigit(*fmt))
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			precision = 0;
			if (*++fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			}
			while (isdigit(*fmt))
				precision = precision * 10 + (*fmt++ - '0');
		}
		for (; *fmt == 'l' || *fmt == 'z' || *fmt == 'h'; fmt++)
			longs += *fmt == 'h' ? 0 : *fmt == 'z' ? 2 : 1;
		char buf[32];
		size_t n = 0;
		unsigned long long u = 0;
		bool negative = false;
		switch (*fmt) {
		case '%':
			emit(&k, '%');
			continue;
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			field(&k, buf, 1, width, left, ' ');
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t len = 0;
			while (s[len] && (precision < 0 || (int)len < precision))
				len++;
			field(&k, s, len, width, left, ' ');
			continue;
		}
		case 'd':
		case 'i': {
			long long v = longs >= 2 ? va_arg(ap, long long) : longs == 1 ? va_arg(ap, long)
											: va_arg(ap, int);
			negative = v < 0;
			u = negative ? 0ull - (unsigned long long)v : (unsigned long long)v;
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			u = longs >= 2 ? va_arg(ap, unsigned long long) : longs == 1 ? va_arg(ap, unsigned long)
										  : va_arg(ap, unsigned);
			break;
		default: /* not a conversion the core uses: show it as written */
			emit(&k, '%');
			emit(&k, *fmt ? *fmt : '%');
			if (!*fmt)
				fmt--;
			continue;
		}
		unsigned base = *fmt == 'x' || *fmt == 'X' ? 16 : 10;
		const char *digits = *fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
		do {
			buf[sizeof(buf) - 1 - n++] = digits[u % base];
			u /= base;
		} while (u);
		if (negative && zero && !left) {
			emit(&k, '-');
			width--;
			negative = false;
		}
		if (negative)
			buf[sizeof(buf) - 1 - n++] = '-';
		field(&k, buf + sizeof(buf) - n, n, width, left, zero && !left ? '0' : ' ');
	}
	if (size)
		out[k.len < size ? k.len : size - 1] = '\0';
	return (int)k.len;
}

int snprintf(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	return n;
}
