/* SPDX-License-Identifier: MIT */
/* A stable sort for the core: equal elements keep their order (the last of
 * repeated CPUID leaves wins, the first of case-twin BCD ids), in n log n,
 * on every build (the UEFI build's C library has only a small qsort). */
#ifndef HVPROBE_SORT_H
#define HVPROBE_SORT_H

#include <stdbool.h>
#include <stddef.h>

/* before(a, b): a goes strictly before b. tmp holds n elements of
 * `size` bytes. */
typedef bool (*sort_before)(const void *a, const void *b);
void stable_sort(void *base, void *tmp, size_t n, size_t size, sort_before before);

#endif
