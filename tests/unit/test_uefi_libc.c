/* SPDX-License-Identifier: MIT */
/* The UEFI build's C library shim (compat/uefi/libc.c), run on Linux
 * against the real C library: every format the core uses must come out
 * the same. The shim's names are renamed so both live in one program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

/* The real headers first (their guards keep libc.c from reading them
 * again), without glibc's ctype macros, then the shim under other names. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#undef tolower
#undef toupper
#undef isdigit
#undef isxdigit

#define snprintf shim_snprintf
#define vsnprintf shim_vsnprintf
#define malloc shim_malloc
#define calloc shim_calloc
#define realloc shim_realloc
#define free shim_free
#define memmove shim_memmove
#define memcmp shim_memcmp
#define memchr shim_memchr
#define strlen shim_strlen
#define strcmp shim_strcmp
#define strncmp shim_strncmp
#define strchr shim_strchr
#define strstr shim_strstr
#define strcspn shim_strcspn
#define strspn shim_strspn
#define strtoul shim_strtoul
#define qsort shim_qsort
#define tolower shim_tolower
#define toupper shim_toupper
#define isdigit shim_isdigit
#define isxdigit shim_isxdigit
#include "compat/uefi/libc.c"
#undef snprintf
#undef vsnprintf
#undef malloc
#undef calloc
#undef realloc
#undef free
#undef memmove
#undef strstr
#undef strtoul
#undef qsort
#undef memcmp
#undef memchr
#undef strlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strcspn
#undef strspn

void *uefi_alloc(size_t n)
{
	return malloc(n);
}

void uefi_free(void *p)
{
	free(p);
}

#define SAME(...)                                                                   \
	do {                                                                        \
		char want[128], got[128];                                           \
		int wn = snprintf(want, sizeof(want), __VA_ARGS__);                  \
		int gn = shim_snprintf(got, sizeof(got), __VA_ARGS__);               \
		if (strcmp(want, got) != 0 || wn != gn)                             \
			fail_msg("%s: \"%s\" (%d), libc \"%s\" (%d)", #__VA_ARGS__, got, gn, want, wn); \
	} while (0)

static void formats_match_the_c_library(void **state)
{
	(void)state;
	SAME("%s|%d|%u|%c|%%", "abc", -42, 42u, 'x');
	SAME("%zu %lld %llu %llx %lu %ld", (size_t)123, -5ll, 18446744073709551615ull,
	     0xdeadbeefcafeull, 7ul, -7l);
	SAME("%08x %02x %X %08X %x", 0x3au, 5u, 0xabcu, 0xc0010114u, 0u);
	SAME("%02lld:%04lld", 7ll, 2026ll);
	SAME("[%-7s][%-24s][%7s]", "PASS", "bcd.entry", "ab");
	SAME("[%-*s][%*d]", 9, "id", 5, 42);
	SAME("[%.*s][%.3s][%.0s]", 2, "abcdef", "xy", "gone");
	SAME("%d %d %d", 0, 2147483647, -2147483647 - 1);
	SAME("%05d|%-5d|%5d", -42, 42, 42);
	SAME("%s", "");
	/* cut to the buffer, NUL-terminated, the full length returned */
	char small[5];
	assert_int_equal(shim_snprintf(small, sizeof(small), "%s", "abcdefgh"), 8);
	assert_string_equal(small, "abcd");
	assert_int_equal(shim_snprintf(NULL, 0, "%d", 12345), 5);
}

static void numbers_strings_memory(void **state)
{
	(void)state;
	char *end;
	assert_int_equal(shim_strtoul("0x3a rest", &end, 0), 0x3a);
	assert_string_equal(end, " rest");
	assert_int_equal(shim_strtoul("6.1.0", &end, 10), 6);
	assert_string_equal(end, ".1.0");
	assert_int_equal(shim_strtoul("zz", &end, 10), 0);
	assert_string_equal(end, "zz");
	const char *hay = "hypervisor";
	assert_ptr_equal(shim_strstr(hay, "visor"), hay + 5);
	assert_null(shim_strstr(hay, "kvm"));
	char buf[] = "abcdef";
	shim_memmove(buf + 2, buf, 4);
	assert_string_equal(buf, "ababcd");
	char *p = shim_malloc(3);
	memcpy(p, "ab", 3);
	p = shim_realloc(p, 100);
	assert_string_equal(p, "ab");
	shim_free(p);
	unsigned char *z = shim_calloc(10, 10);
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	shim_free(z);
	assert_null(shim_calloc(SIZE_MAX / 2, 4));
}

static int ascending(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void sorting(void **state)
{
	(void)state;
	int v[] = { 5, 1, 4, 2, 3, 3 };
	shim_qsort(v, 6, sizeof(v[0]), ascending);
	for (int i = 1; i < 6; i++)
		assert_true(v[i - 1] <= v[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_match_the_c_library),
		cmocka_unit_test(numbers_strings_memory),
		cmocka_unit_test(sorting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
