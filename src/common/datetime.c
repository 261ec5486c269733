/* datetime.c - ISO 8601 parsing and formatting with proleptic Gregorian arithmetic. */
#include "datetime.h"

#include <stdio.h>

int64_t er_days_from_civil(int64_t y, int m, int d)
{
	/* Howard Hinnant's days_from_civil. */
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void er_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Reads exactly `count` digits at s[*i]. */
static bool digits(const char *s, size_t n, size_t *i, int count, int *out)
{
	int v = 0, k;
	if (*i + (size_t)count > n)
		return false;
	for (k = 0; k < count; k++) {
		char c = s[*i + (size_t)k];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)count;
	*out = v;
	return true;
}

bool er_time_parse(const char *s, size_t n, er_time *out)
{
	size_t i = 0;
	int y, mo, d, h = 0, mi = 0, sec = 0, usec = 0, off = 0;
	uint8_t flags = 0;

	if (n < 10 || n > 40)
		return false;
	if (!digits(s, n, &i, 4, &y) || s[i++] != '-' || !digits(s, n, &i, 2, &mo) ||
	    i >= n || s[i++] != '-' || !digits(s, n, &i, 2, &d))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return false;
	if (i < n && (s[i] == 'T' || s[i] == ' ')) {
		i++;
		if (!digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' || !digits(s, n, &i, 2, &mi))
			return false;
		if (i < n && s[i] == ':') {
			i++;
			if (!digits(s, n, &i, 2, &sec))
				return false;
			if (i < n && (s[i] == '.' || s[i] == ',')) {
				int scale = 100000, any = 0;
				i++;
				while (i < n && s[i] >= '0' && s[i] <= '9') {
					usec += (s[i] - '0') * scale;
					scale /= 10;
					any = 1;
					i++;
				}
				if (!any)
					return false;
			}
		}
		/* 24:00:00 is not accepted: one spelling per instant. */
		if (h > 23 || mi > 59 || sec > 59)
			return false;
		flags |= ER_TIME_HAS_TIME;
		if (i < n) {
			if (s[i] == 'Z' && i + 1 == n) {
				i++;
				flags |= ER_TIME_ZONED;
			} else if (s[i] == '+' || s[i] == '-') {
				int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
				i++;
				if (!digits(s, n, &i, 2, &oh))
					return false;
				if (i < n && s[i] == ':')
					i++;
				if (i < n && !digits(s, n, &i, 2, &om))
					return false;
				if (oh > 18 || om > 59)
					return false;
				off = sign * (oh * 60 + om);
				flags |= ER_TIME_ZONED;
			}
		}
	}
	if (i != n)
		return false;
	out->us = ((er_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	           (int64_t)off * 60) * 1000000 + usec;
	out->offset_min = (int16_t)off;
	out->flags = flags;
	return true;
}

void er_time_fields(int64_t us, int64_t *y, int *mon, int *day, int *h, int *min, int *s, int *usec)
{
	int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	int64_t rem_us = us - secs * 1000000;
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t sod = secs - days * 86400;

	er_civil_from_days(days, y, mon, day);
	*h = (int)(sod / 3600);
	*min = (int)(sod / 60 % 60);
	*s = (int)(sod % 60);
	*usec = (int)rem_us;
}

size_t er_time_format(const er_time *t, char *buf, size_t cap)
{
	int64_t y;
	int mo, d, h, mi, s, us;
	int n;

	er_time_fields(t->us, &y, &mo, &d, &h, &mi, &s, &us);
	if (!(t->flags & ER_TIME_HAS_TIME))
		return (size_t)snprintf(buf, cap, "%04lld-%02d-%02d", (long long)y, mo, d);
	n = snprintf(buf, cap, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)y, mo, d, h, mi, s);
	if (us && n > 0 && (size_t)n < cap) {
		int digits_ = 6;
		while (us % 10 == 0) {
			us /= 10;
			digits_--;
		}
		n += snprintf(buf + n, cap - (size_t)n, ".%0*d", digits_, us);
	}
	if ((t->flags & ER_TIME_ZONED) && n > 0 && (size_t)n + 1 < cap) {
		buf[n++] = 'Z';
		buf[n] = '\0';
	}
	return (size_t)n;
}
