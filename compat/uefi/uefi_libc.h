/* SPDX-License-Identifier: MIT */
/* What libc.c asks of its environment: pool memory (boot services in
 * pool.c, the C library in the unit test). */
#ifndef HVPROBE_UEFI_LIBC_H
#define HVPROBE_UEFI_LIBC_H
#include <stddef.h>
void *uefi_alloc(size_t n);
void uefi_free(void *p);
#endif
