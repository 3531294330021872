/* SPDX-License-Identifier: MIT */
#ifndef HVPROBE_UEFI_STDLIB_H
#define HVPROBE_UEFI_STDLIB_H
#include <stddef.h>
void *malloc(size_t n);
void *calloc(size_t count, size_t n);
void *realloc(void *p, size_t n);
void free(void *p);
unsigned long strtoul(const char *s, char **end, int base);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
#endif
