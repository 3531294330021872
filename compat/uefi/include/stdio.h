/* SPDX-License-Identifier: MIT */
/* The C library the portable core uses, for the UEFI build (libc.c). */
#ifndef HVPROBE_UEFI_STDIO_H
#define HVPROBE_UEFI_STDIO_H
#include <stdarg.h>
#include <stddef.h>
int snprintf(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *out, size_t size, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
#endif
