/* SPDX-License-Identifier: MIT */
#include "utc.h"

#include <stdio.h>

/* ISO 8601 UTC from seconds since 1970, without the C library's time
 * functions (the core builds freestanding for UEFI). */
void format_utc(int64_t t, char out[24])
{
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* civil_from_days (H. Hinnant's algorithm), proleptic Gregorian */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, 24, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)(y + (m <= 2)),
		 (long long)m, (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60),
		 (long long)(secs % 60));
}

/* days_from_civil (H. Hinnant's algorithm), proleptic Gregorian */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

bool utc_parse(const char *s, int64_t *t)
{
	unsigned y, mo, d, h, mi, sec;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
		return false;
	static const unsigned days_in[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in[mo - 1] || (mo == 2 && d == 29 && !leap) ||
	    h > 23 || mi > 59 || sec > 60)
		return false;
	const char *p = s + 19;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p != 'Z' || p[1])
		return false;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return true;
}

#define FILETIME_PER_SECOND 10000000ull
#define FILETIME_UNIX_EPOCH 11644473600ll

int64_t utc_from_filetime(uint64_t ft)
{
	return (int64_t)(ft / FILETIME_PER_SECOND) - FILETIME_UNIX_EPOCH;
}
