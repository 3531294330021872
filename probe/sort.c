/* SPDX-License-Identifier: MIT */
#include "sort.h"

#include <string.h>

/* A top-down merge sort; from the right half only when strictly before, so
 * equal elements keep their order. */
void stable_sort(void *base, void *tmp, size_t n, size_t size, sort_before before)
{
	if (n < 2)
		return;
	unsigned char *a = base, *t = tmp;
	size_t h = n / 2, i = 0, j = h, k = 0;
	stable_sort(a, t, h, size, before);
	stable_sort(a + h * size, t, n - h, size, before);
	while (i < h && j < n) {
		size_t from = before(a + j * size, a + i * size) ? j++ : i++;
		memcpy(t + k++ * size, a + from * size, size);
	}
	memcpy(t + k * size, a + i * size, (h - i) * size);
	k += h - i;
	memcpy(a, t, k * size); /* a[j..n) is in place */
}
