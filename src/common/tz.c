/* tz.c - TZif (RFC 8536) version 2+ reader: transition times and offsets.
 * Beyond the last transition the last offset is kept; Debian's zone files
 * carry explicit transitions up to 2037. */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct er_tz {
	char *name;
	size_t n;          /* transitions */
	int64_t *at;       /* UTC instants of transitions, ascending */
	int32_t *offset;   /* offset in force from at[i] on */
	int32_t initial;   /* offset before the first transition */
};

static int64_t be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;
	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return (int64_t)v;
}

static int32_t be32(const unsigned char *p)
{
	return (int32_t)(((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]);
}

static int parse_fixed(const char *s, int32_t *off)
{
	int sign, h = 0, m = 0;
	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 || strcmp(s, "GMT") == 0) {
		*off = 0;
		return 1;
	}
	if (strncmp(s, "UTC", 3) == 0)
		s += 3;
	if (*s != '+' && *s != '-')
		return 0;
	sign = *s == '-' ? -1 : 1;
	s++;
	if (!(s[0] >= '0' && s[0] <= '9'))
		return 0;
	h = s[0] - '0';
	s++;
	if (*s >= '0' && *s <= '9')
		h = h * 10 + (*s++ - '0');
	if (*s == ':')
		s++;
	if (*s) {
		if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') || s[2])
			return 0;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	if (h > 18 || m > 59)
		return 0;
	*off = sign * (h * 3600 + m * 60);
	return 1;
}

static er_status load_file(const char *path, er_tz *tz)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL, *p;
	long len;
	size_t i;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
	er_status st = ER_ERR_USAGE;

	if (f == NULL)
		return ER_ERR_USAGE;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 44 || len > 1 << 20 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto out;
	data = malloc((size_t)len);
	if (data == NULL) {
		st = ER_ERR_NOMEM;
		goto out;
	}
	if (fread(data, 1, (size_t)len, f) != (size_t)len || memcmp(data, "TZif", 4) != 0 ||
	    data[4] < '2')
		goto out;
	/* Skip the version 1 block to the 64-bit one. */
	p = data;
	isutcnt = (uint32_t)be32(p + 20);
	isstdcnt = (uint32_t)be32(p + 24);
	leapcnt = (uint32_t)be32(p + 28);
	timecnt = (uint32_t)be32(p + 32);
	typecnt = (uint32_t)be32(p + 36);
	charcnt = (uint32_t)be32(p + 40);
	p += 44 + (size_t)timecnt * 5 + (size_t)typecnt * 6 + charcnt + (size_t)leapcnt * 8 + isstdcnt +
	     isutcnt;
	if (p + 44 > data + len || memcmp(p, "TZif", 4) != 0)
		goto out;
	isutcnt = (uint32_t)be32(p + 20);
	isstdcnt = (uint32_t)be32(p + 24);
	leapcnt = (uint32_t)be32(p + 28);
	timecnt = (uint32_t)be32(p + 32);
	typecnt = (uint32_t)be32(p + 36);
	charcnt = (uint32_t)be32(p + 40);
	p += 44;
	if (typecnt == 0 || p + (size_t)timecnt * 9 + (size_t)typecnt * 6 > data + len)
		goto out;
	tz->n = timecnt;
	tz->at = malloc((timecnt ? timecnt : 1) * sizeof *tz->at);
	tz->offset = malloc((timecnt ? timecnt : 1) * sizeof *tz->offset);
	if (tz->at == NULL || tz->offset == NULL) {
		st = ER_ERR_NOMEM;
		goto out;
	}
	{
		const unsigned char *times = p, *idx = p + (size_t)timecnt * 8,
		                    *types = idx + timecnt;
		for (i = 0; i < timecnt; i++) {
			unsigned t = idx[i];
			if (t >= typecnt)
				goto out;
			tz->at[i] = be64(times + i * 8);
			tz->offset[i] = be32(types + t * 6);
		}
		/* Before the first transition: the first non-DST type (RFC 8536 3.2). */
		tz->initial = be32(types);
		for (i = 0; i < typecnt; i++)
			if (types[i * 6 + 4] == 0) {
				tz->initial = be32(types + i * 6);
				break;
			}
	}
	(void)charcnt;
	(void)leapcnt;
	(void)isstdcnt;
	(void)isutcnt;
	st = ER_OK;
out:
	free(data);
	fclose(f);
	return st;
}

er_status er_tz_load(const char *name, er_tz **out)
{
	er_tz *tz;
	int32_t off;
	er_status st;

	*out = NULL;
	tz = calloc(1, sizeof *tz);
	if (tz == NULL)
		return ER_ERR_NOMEM;
	tz->name = er_strdup(name);
	if (tz->name == NULL) {
		free(tz);
		return ER_ERR_NOMEM;
	}
	if (parse_fixed(name, &off)) {
		tz->initial = off;
		*out = tz;
		return ER_OK;
	}
	/* IANA names: letters, digits, '_', '-', '+', '/', no "..". */
	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/") !=
	        strlen(name)) {
		er_tz_free(tz);
		return ER_ERR_USAGE;
	}
	{
		const char *dir = getenv("TZDIR");
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
		st = load_file(path, tz);
	}
	if (st != ER_OK) {
		er_tz_free(tz);
		return st;
	}
	*out = tz;
	return ER_OK;
}

void er_tz_free(er_tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->name);
	free(tz->at);
	free(tz->offset);
	free(tz);
}

const char *er_tz_name(const er_tz *tz)
{
	return tz ? tz->name : "UTC";
}

int32_t er_tz_offset(const er_tz *tz, int64_t utc)
{
	size_t lo = 0, hi;
	if (tz == NULL)
		return 0;
	if (tz->n == 0 || utc < tz->at[0])
		return tz->initial;
	hi = tz->n;
	/* The last transition at or before utc. */
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (tz->at[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offset[lo];
}
