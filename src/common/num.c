/* num.c - locale-independent number parsing and printing. */
#define _GNU_SOURCE /* strtod_l, uselocale */
#include "num.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* valgrind computes long double in 64-bit precision, not x87's 80 bits, so
 * under it the extended-precision shortcut below would round wrongly: then
 * every number takes the slow path. The check costs a few instructions. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define ER_ON_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef ER_ON_VALGRIND
#define ER_ON_VALGRIND() 0
#endif

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

static inline int is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* True when the 8 bytes at p are all ASCII digits. */
static inline int eight_digits(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return ((v & 0xF0F0F0F0F0F0F0F0ULL) |
	        (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
	       0x3333333333333333ULL;
}

/* The value of 8 ASCII digits at p (SWAR: three multiplies, no loop). */
static inline uint64_t parse_eight(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	v -= 0x3030303030303030ULL;
	v = v * 10 + (v >> 8);
	v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
	     (((v >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
	return v;
}

/* Appends n digits at p to the mantissa (the caller keeps it to 19 digits). */
static inline uint64_t accumulate(uint64_t m, const char *p, size_t n)
{
	while (n >= 8) {
		m = m * 100000000ULL + parse_eight(p);
		p += 8;
		n -= 8;
	}
	while (n--)
		m = m * 10 + (uint64_t)(*p++ - '0');
	return m;
}

/* Length of the run of digits at s[i..n), eight at a time where possible. */
static inline size_t digit_run(const char *s, size_t i, size_t n)
{
	size_t start = i;
	while (i + 8 <= n && eight_digits(s + i))
		i += 8;
	while (i < n && is_digit(s[i]))
		i++;
	return i - start;
}

bool er_num_scan(const char *s, size_t n, er_num_dec *d)
{
	size_t i = 0, ilen, flen = 0, sig;
	const char *ip, *fp = s;
	int neg = 0, exp_part = 0, exp_neg = 0;

	if (n == 0)
		return false;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	ip = s + i;
	ilen = digit_run(s, i, n);
	i += ilen;
	if (i < n && s[i] == '.') {
		i++;
		fp = s + i;
		flen = digit_run(s, i, n);
		i += flen;
	}
	if (ilen + flen == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t start;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-')) {
			exp_neg = s[i] == '-';
			i++;
		}
		start = i;
		while (i < n && is_digit(s[i])) {
			if (exp_part < 100000)
				exp_part = exp_part * 10 + (s[i] - '0');
			i++;
		}
		if (i == start)
			return false;
	}
	if (i != n)
		return false;
	d->exp10 = (exp_neg ? -exp_part : exp_part) - (int)flen;
	/* Leading zeros are not significant. */
	while (ilen && *ip == '0') {
		ip++;
		ilen--;
	}
	if (ilen == 0)
		while (flen && *fp == '0') {
			fp++;
			flen--;
		}
	sig = ilen + flen;
	d->sig = (int)sig;
	d->neg = neg;
	d->mant = sig <= 19 ? accumulate(accumulate(0, ip, ilen), fp, flen) : 0;
	return true;
}

double er_num_approx(const er_num_dec *d)
{
	double v;
	if (d->sig == 0)
		return d->neg ? -0.0 : 0.0;
	if (d->sig > 19 || d->exp10 < -22 || d->exp10 > 22)
		return NAN;
	v = (double)d->mant;
	v = d->exp10 < 0 ? v / pow10_exact[-d->exp10] : v * pow10_exact[d->exp10];
	return d->neg ? -v : v;
}

bool er_num_parse(const char *s, size_t n, double *out)
{
	er_num_dec d;
	return er_num_scan(s, n, &d) && er_num_exact(&d, s, n, out);
}

bool er_num_finite(const er_num_dec *d, const char *s, size_t n)
{
	double v;
	return (d->sig <= 19 && d->exp10 >= -22 && d->exp10 <= 22) || er_num_exact(d, s, n, &v);
}

bool er_num_exact(const er_num_dec *dec, const char *s, size_t n, double *out)
{
	uint64_t mant = dec->mant;
	int exp10 = dec->exp10, neg = dec->neg;
	size_t sig = (size_t)dec->sig;

	/* Clinger's fast path: both the mantissa and the power of ten are exact
	 * doubles, so one IEEE multiply or divide rounds correctly. */
	if (sig <= 19 && mant <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
		double v = (double)mant;
		v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
		*out = neg ? -v : v;
		return true;
	}
	if (sig == 0) {
		*out = neg ? -0.0 : 0.0;
		return true;
	}
#if LDBL_MANT_DIG == 64
	/* x87 extended precision holds any 19-digit mantissa and 10^k up to
	 * k = 27 exactly, so the multiply or divide rounds once, to 64 bits. The
	 * second rounding, to 53 bits, is then exact unless the extended result
	 * sits exactly on a midpoint between two doubles (low 11 bits 0x400):
	 * only that case goes to the slow path. This keeps 17-digit values such
	 * as CodeCarbon's "2.7241537571650343e-05" off strtod. */
	if (sig <= 19 && exp10 >= -27 && exp10 <= 27 && !ER_ON_VALGRIND()) {
		static const long double p10[] = {
			1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
			1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
			1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
		long double x = (long double)mant;
		uint64_t bits;
		x = exp10 < 0 ? x / p10[-exp10] : x * p10[exp10];
		memcpy(&bits, &x, sizeof bits); /* the 64-bit significand comes first */
		if ((bits & 0x7ff) != 0x400) {
			double v = (double)x;
			*out = neg ? -v : v;
			return true;
		}
	}
#endif
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
