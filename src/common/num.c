/* num.c - locale-independent number parsing and printing. */
#define _GNU_SOURCE /* strtod_l, uselocale */
#include "num.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* The "C" locale object, or 0 when it could not be made (then the global
 * locale is used, which is "C" unless the embedding program changed it). */
static locale_t get_c_locale(void)
{
	pthread_once(&c_locale_once, c_locale_init);
	return c_locale;
}

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool er_num_parse(const char *s, size_t n, double *out)
{
	size_t i = 0, digits = 0, frac_digits = 0, sig = 0;
	uint64_t mant = 0;
	int neg = 0, exp10 = 0, exp_part = 0, exp_neg = 0;
	bool any = false;

	if (n == 0)
		return false;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	/* Integer digits. Leading zeros do not count as significant. */
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		any = true;
		if (mant == 0 && s[i] == '0') {
			i++;
			continue;
		}
		if (sig < 19)
			mant = mant * 10 + (uint64_t)(s[i] - '0');
		else
			exp10++;
		sig++;
		digits++;
		i++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			any = true;
			if (mant == 0 && s[i] == '0') {
				exp10--;
				i++;
				frac_digits++;
				continue;
			}
			if (sig < 19) {
				mant = mant * 10 + (uint64_t)(s[i] - '0');
				exp10--;
			}
			sig++;
			frac_digits++;
			i++;
		}
	}
	if (!any)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t start;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-')) {
			exp_neg = s[i] == '-';
			i++;
		}
		start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (exp_part < 100000)
				exp_part = exp_part * 10 + (s[i] - '0');
			i++;
		}
		if (i == start)
			return false;
	}
	if (i != n)
		return false;
	exp10 += exp_neg ? -exp_part : exp_part;

	/* Clinger's fast path: both the mantissa and the power of ten are exact
	 * doubles, so one IEEE multiply or divide rounds correctly. */
	if (sig <= 19 && mant <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
		double v = (double)mant;
		v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
		*out = neg ? -v : v;
		return true;
	}
	if (mant == 0) {
		*out = neg ? -0.0 : 0.0;
		return true;
	}
	{
		/* Slow path: glibc's correctly rounded strtod, pinned to the C locale. */
		char tmp[128];
		char *heap = NULL, *str = tmp, *end;
		double v;
		locale_t loc = get_c_locale();

		if (n >= sizeof tmp) {
			heap = malloc(n + 1);
			if (heap == NULL)
				return false;
			str = heap;
		}
		memcpy(str, s, n);
		str[n] = '\0';
		v = loc ? strtod_l(str, &end, loc) : strtod(str, &end);
		free(heap);
		if (isinf(v))
			return false;
		*out = v;
		return true;
	}
}

/* snprintf with the C locale in force for this thread only. */
static int c_snprintf(char *buf, size_t cap, const char *fmt, int prec, double v)
{
	locale_t loc = get_c_locale(), old = (locale_t)0;
	int n;
	if (loc)
		old = uselocale(loc);
	n = snprintf(buf, cap, fmt, prec, v);
	if (loc)
		uselocale(old);
	return n;
}

size_t er_num_format_shortest(double v, char *buf, size_t cap)
{
	char sci[40], digits[24];
	int prec, n = 0, exp10, nd = 0, k, o = 0;
	const char *p;

	if (isnan(v))
		return (size_t)snprintf(buf, cap, "nan");
	if (isinf(v))
		return (size_t)snprintf(buf, cap, v < 0 ? "-inf" : "inf");
	if (v == 0)
		return (size_t)snprintf(buf, cap, "0");
	/* The fewest significant digits that read back exactly. */
	for (prec = 0; prec <= 16; prec++) {
		double back;
		n = c_snprintf(sci, sizeof sci, "%.*e", prec, v);
		if (er_num_parse(sci, (size_t)n, &back) && back == v)
			break;
	}
	/* Split "-d.ddde+XX" into digits and exponent. */
	p = sci;
	if (*p == '-')
		buf[o++] = *p++;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	exp10 = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	/* Fixed notation where people read it (as Python's repr does), else scientific. */
	if (exp10 >= -4 && exp10 < 16) {
		if (exp10 < 0) {
			buf[o++] = '0';
			buf[o++] = '.';
			for (k = 0; k < -exp10 - 1; k++)
				buf[o++] = '0';
			for (k = 0; k < nd; k++)
				buf[o++] = digits[k];
		} else {
			for (k = 0; k <= exp10 || k < nd; k++) {
				if (k == exp10 + 1)
					buf[o++] = '.';
				buf[o++] = k < nd ? digits[k] : '0';
			}
		}
		buf[o] = '\0';
		return (size_t)o;
	}
	buf[o++] = digits[0];
	if (nd > 1) {
		buf[o++] = '.';
		for (k = 1; k < nd; k++)
			buf[o++] = digits[k];
	}
	o += snprintf(buf + o, cap - (size_t)o, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
	return (size_t)o;
}

size_t er_num_format_fixed(double v, int decimals, char mark, const char *group,
                           char *buf, size_t cap)
{
	char raw[400];
	int n;
	size_t len, glen = group ? strlen(group) : 0, i, out = 0, int_len;
	const char *p = raw;
	char *dot;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 17)
		decimals = 17;
	if (!isfinite(v))
		return er_num_format_shortest(v, buf, cap);
	if (fabs(v) >= 1e300)
		return er_num_format_shortest(v, buf, cap);
	n = c_snprintf(raw, sizeof raw, "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof raw)
		return er_num_format_shortest(v, buf, cap);
	/* "-0" and "-0.0" read as zero: print them without the sign. */
	if (raw[0] == '-') {
		int zero = 1;
		for (i = 1; raw[i]; i++)
			if (raw[i] >= '1' && raw[i] <= '9')
				zero = 0;
		if (zero)
			p = raw + 1;
	}
	len = strlen(p);
	dot = strchr(p, '.');
	int_len = dot ? (size_t)(dot - p) : len;
	for (i = 0; i < len && out + glen + 2 < cap; i++) {
		char c = p[i];
		if (c == '.') {
			buf[out++] = mark;
			continue;
		}
		buf[out++] = c;
		if (glen && i < int_len && c >= '0' && c <= '9') {
			size_t left = int_len - i - 1;
			if (left > 0 && left % 3 == 0) {
				memcpy(buf + out, group, glen);
				out += glen;
			}
		}
	}
	buf[out] = '\0';
	return out;
}
