/* agg.c - aggregate accumulators. Sums are exactly rounded: the exact
 * total is kept as an integer (see "exact sums" below) and rounded once at
 * the end, so totals do not depend on row order and match an independent
 * check to the last digit. */
#include "agg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

/* ---- exact sums -------------------------------------------------------------
 *
 * A sum is kept exactly, as an integer count of the smallest subnormal
 * (2^-1074) in base-2^32 digits held in int64s (a "superaccumulator"). A
 * double is m * 2^p in that unit (m its 53-bit significand, p = 0..2046),
 * so adding it adds m << (p % 32) - at most 85 bits - to three adjacent
 * digits: three integer additions, no branch on the data, where the
 * partial sums of Shewchuk's algorithm took a chain of dependent
 * floating-point operations per partial. Each digit takes values below
 * 2^32, so it cannot overflow before 2^31 additions; carries are
 * propagated every 2^30. The result is that integer (divided by the count,
 * for a mean) rounded once to a double, in integer arithmetic (see "the
 * one rounding" below). Only the digits the values reach are stored: values
 * within a factor of 2^32 of each other fit in the four inline ones, wider
 * spans grow the window (to 16 digits, then the 68 any total needs). */

#define DIGIT_MAX 68 /* digits 0..67: 2^(32 * 68) units covers any total of 2^31 doubles */
#ifndef ER_ACC_CARRY_EVERY
#define ER_ACC_CARRY_EVERY ((uint32_t)1 << 30) /* additions between carries (tests: fewer) */
#endif

/* Makes the window cover digits first..last (new ones zero). */
static er_status widen(er_acc *a, int first, int last)
{
	int lo = a->nchunk ? (first < a->lo ? first : a->lo) : first;
	int hi = a->nchunk ? (last > a->lo + a->nchunk - 1 ? last : a->lo + a->nchunk - 1) : last;
	int n = hi - lo + 1, shift = a->nchunk ? a->lo - lo : 0;
	int64_t *c = a->chunk;

	if (a->chunk == NULL) {
		c = a->chunk = a->inline_c;
		a->ccap = (int)(sizeof a->inline_c / sizeof a->inline_c[0]);
	}
	if (n > a->ccap) {
		int cap = n < 16 ? 16 : DIGIT_MAX;
		int64_t *nc = malloc((size_t)cap * sizeof *nc);
		if (nc == NULL)
			return ER_ERR_NOMEM;
		memcpy(nc, c, (size_t)a->nchunk * sizeof *nc);
		if (c != a->inline_c)
			free(c);
		a->chunk = c = nc;
		a->ccap = cap;
	}
	if (shift > 0)
		memmove(c + shift, c, (size_t)a->nchunk * sizeof *c);
	memset(c, 0, (size_t)shift * sizeof *c);
	memset(c + shift + a->nchunk, 0, (size_t)(n - shift - a->nchunk) * sizeof *c);
	a->lo = lo;
	a->nchunk = n;
	return ER_OK;
}

/* Propagates carries: every digit but the top into [0, 2^32); the top
 * keeps the sign (a negative total would otherwise need digits of 2^32 - 1
 * without end) and is split, growing the window, only when its magnitude
 * reaches 2^32, so that it too has room for 2^30 more additions (the digit
 * it leaves behind keeps its sign: any digits add up to the same total). */
static er_status carry(er_acc *a)
{
	const int64_t base = (int64_t)1 << 32;
	int k;

	for (k = 0; k + 1 < a->nchunk; k++) {
		int64_t d = a->chunk[k];
		int64_t c = (d - (int64_t)(d & 0xffffffffLL)) / base; /* floor(d / 2^32) */
		a->chunk[k] = d - c * base;
		a->chunk[k + 1] += c;
	}
	while (a->nchunk > 0 && a->lo + a->nchunk < DIGIT_MAX) {
		int64_t d = a->chunk[a->nchunk - 1], c = d / base; /* toward zero */
		er_status st;
		if (c == 0)
			break;
		st = widen(a, a->lo, a->lo + a->nchunk);
		if (st != ER_OK)
			return st;
		a->chunk[a->nchunk - 2] = d - c * base;
		a->chunk[a->nchunk - 1] = c;
	}
	a->adds = 0;
	return ER_OK;
}

static er_status fsum_add(er_acc *a, double x)
{
	uint64_t bits, m, d0, d1, d2, neg;
	int e, p, k, sh;
	int64_t *c;

	memcpy(&bits, &x, sizeof bits);
	e = (int)(bits >> 52 & 0x7ff);
	m = bits & (((uint64_t)1 << 52) - 1);
	if (e == 0x7ff) {
		a->special |= m ? 4 : (bits >> 63) ? 2 : 1;
		return ER_OK;
	}
	if (e == 0) {
		if (m == 0)
			return ER_OK; /* a zero */
		e = 1;            /* subnormal: no implicit bit */
	} else {
		m |= (uint64_t)1 << 52;
	}
	p = e - 1;
	k = p >> 5;
	sh = p & 31;
	if (a->nchunk == 0 || k < a->lo || k + 2 > a->lo + a->nchunk - 1) {
		er_status st = widen(a, k, k + 2);
		if (st != ER_OK)
			return st;
	}
	d0 = (m << sh) & 0xffffffffu;
	d1 = (m >> (32 - sh)) & 0xffffffffu;
	d2 = sh ? m >> (64 - sh) : 0;
	/* x < 0: subtract, as (d ^ -1) + 1 in two's complement. */
	neg = (uint64_t)0 - (bits >> 63);
	c = a->chunk + (k - a->lo);
	c[0] += (int64_t)((d0 ^ neg) - neg);
	c[1] += (int64_t)((d1 ^ neg) - neg);
	c[2] += (int64_t)((d2 ^ neg) - neg);
	if (++a->adds == ER_ACC_CARRY_EVERY)
		return carry(a);
	return ER_OK;
}

/* ---- the one rounding --------------------------------------------------------
 *
 * A sum is the exact total, a mean the exact total divided by the count,
 * each rounded once: the digits are divided by n in integer arithmetic
 * (long division; n = 1 for a sum), the quotient kept with two more bits
 * and a sticky bit for the remainder, and that integer rounded to a double
 * to nearest, ties to even. So mean(0.1, 0.2, 0.3) is 0.2 (the total
 * rounded first, then divided, gave 0.19999999999999998), and the mean of
 * two 1e308s is 1e308, though their total overflows. */

/* count bits of t (m base-2^32 digits, least significant first) from bit
 * pos up, count <= 53; bits past the top read as 0. */
static uint64_t bits_at(const uint32_t *t, int m, int pos, int count)
{
	uint64_t v = 0;
	int k;
	for (k = count - 1; k >= 0; k--) {
		int b = pos + k, d = b >> 5;
		v = v << 1 | (d < m ? (uint64_t)(t[d] >> (b & 31) & 1u) : 0);
	}
	return v;
}

/* Whether any bit of t below bit pos is set. */
static int any_below(const uint32_t *t, int pos)
{
	int d;
	for (d = 0; d < pos >> 5; d++)
		if (t[d])
			return 1;
	return (pos & 31) && (t[pos >> 5] & (((uint32_t)1 << (pos & 31)) - 1u)) != 0;
}

/* The exact total of a's finite values divided by n (1 .. 2^32 - 1),
 * rounded once; infinite when it is beyond a double's range. */
static er_status exact_quotient(er_acc *a, uint64_t n, double *out)
{
	const int64_t base = (int64_t)1 << 32;
	/* |total| in digits (one more for the quotient's shift by 3 bits). */
	uint32_t t[DIGIT_MAX + 2];
	uint64_t rem = 0;
	int m, k, neg, top, len, p, s;
	er_status st;

	if ((st = carry(a)) != ER_OK)
		return st;
	m = a->nchunk;
	while (m > 0 && a->chunk[m - 1] == 0)
		m--;
	if (m == 0) {
		*out = 0;
		return ER_OK;
	}
	/* Digits 0..m-2 are in [0, 2^32), the top one carries the sign: the
	 * magnitude is the total negated digit by digit, borrows carried up.
	 * t holds it from absolute digit 0 (weight 2^-1074) up, zeros below
	 * the window, so that the quotient keeps every bit a double can. */
	neg = a->chunk[m - 1] < 0;
	memset(t, 0, sizeof t);
	{
		/* After carry() every digit is within (-2^32, 2^32): one borrow
		 * at most a digit. */
		int64_t borrow = 0;
		for (k = 0; k < m; k++) {
			int64_t d = (neg ? -a->chunk[k] : a->chunk[k]) + borrow;
			borrow = 0;
			if (d < 0) {
				d += base;
				borrow = -1;
			}
			t[a->lo + k] = (uint32_t)d;
		}
	}
	m += a->lo;
	/* Long division by n, from the top digit down. */
	for (k = m; k-- > 0;) {
		uint64_t cur = rem << 32 | t[k];
		t[k] = (uint32_t)(cur / n);
		rem = cur % n;
	}
	/* Quotient * 8 + 2 bits of remainder * 4 / n + a sticky bit, in
	 * units of 2^-1077. */
	{
		uint64_t frac = (rem * 4) / n, sticky = (rem * 4) % n != 0, c = frac << 1 | sticky;
		for (k = 0; k < m; k++) {
			uint64_t v = (uint64_t)t[k] << 3 | c;
			t[k] = (uint32_t)v;
			c = v >> 32;
		}
		t[m] = (uint32_t)c;
		m++;
	}
	while (m > 0 && t[m - 1] == 0)
		m--;
	if (m == 0) {
		*out = 0;
		return ER_OK;
	}
	/* Round to 53 bits, or fewer where the result is subnormal (its
	 * lowest bit is 2^-1074, bit 3 here). */
	for (top = 31; !(t[m - 1] >> top & 1u); top--)
		;
	len = 32 * (m - 1) + top + 1;
	p = len - 3 < 53 ? len - 3 : 53;
	s = len - p; /* bits dropped, at least 3 */
	{
		uint64_t keep = p > 0 ? bits_at(t, m, s, p) : 0;
		int round = (int)bits_at(t, m, s - 1, 1), rest = any_below(t, s - 1);
		if (round && (rest || (keep & 1)))
			keep++;
		*out = ldexp((double)keep, s - 1077);
	}
	if (neg)
		*out = -*out;
	return ER_OK;
}

/* The exactly rounded sum of a's values (ER_ERR_NOMEM only). */
static er_status fsum_total(er_acc *a, double *out)
{
	if (a->special) {
		*out = (a->special & 4) || a->special == 3 ? NAN : a->special == 1 ? INFINITY : -INFINITY;
		return ER_OK;
	}
	return exact_quotient(a, 1, out);
}

/* The exactly rounded mean of a's values (n > 0). */
static er_status fsum_mean(er_acc *a, double *out)
{
	er_status st;
	double total;

	if (!a->special && a->n <= 0xffffffffu)
		return exact_quotient(a, a->n, out);
	/* Infinities, or more values than the long division takes. */
	if ((st = fsum_total(a, &total)) != ER_OK)
		return st;
	*out = total / (double)a->n;
	return ER_OK;
}

static int compare_values(const er_value *a, const er_value *b)
{
	if (a->type == ER_V_NUM && b->type == ER_V_NUM)
		return a->num < b->num ? -1 : a->num > b->num;
	if (a->type == ER_V_TIME && b->type == ER_V_TIME)
		return a->t.us < b->t.us ? -1 : a->t.us > b->t.us;
	{
		size_t n = a->n < b->n ? a->n : b->n;
		int r = n ? memcmp(a->s, b->s, n) : 0;
		return r ? r : (a->n < b->n ? -1 : a->n > b->n);
	}
}

static er_status keep(er_acc *a, const er_value *v, uint64_t row)
{
	a->best = *v;
	a->best_row = row;
	if (v->type == ER_V_TEXT || (v->type != ER_V_NUM && v->s)) {
		char *copy = er_strndup(v->s, v->n);
		if (copy == NULL)
			return ER_ERR_NOMEM;
		free(a->best_text);
		a->best_text = copy;
		a->best.s = copy;
	} else {
		a->best.s = NULL;
		a->best.n = 0;
	}
	return ER_OK;
}

er_status er_acc_add(er_acc *a, er_func f, const er_value *v, uint64_t row)
{
	if (v == NULL) { /* count() of rows */
		a->n++;
		return ER_OK;
	}
	if (v->type == ER_V_NULL) {
		a->skipped++;
		return ER_OK;
	}
	switch (f) {
	case FN_SUM:
	case FN_MEAN:
		a->n++;
		return fsum_add(a, v->num);
	case FN_COUNT:
		a->n++;
		return ER_OK;
	case FN_MIN:
	case FN_MAX:
		if (a->n == 0 || a->best.type != v->type) {
			if (a->n && a->best.type != v->type && a->best.type != ER_V_NULL) {
				/* mixed kinds: numbers come before text */
				if ((f == FN_MIN) == (v->type == ER_V_NUM)) {
					a->n++;
					return keep(a, v, row);
				}
				a->n++;
				return ER_OK;
			}
			a->n++;
			return keep(a, v, row);
		}
		a->n++;
		if ((f == FN_MIN) ? compare_values(v, &a->best) < 0 : compare_values(v, &a->best) > 0)
			return keep(a, v, row);
		return ER_OK;
	case FN_FIRST:
		a->n++;
		if (a->n == 1 || row < a->best_row)
			return keep(a, v, row);
		return ER_OK;
	case FN_LAST:
		a->n++;
		if (a->n == 1 || row >= a->best_row)
			return keep(a, v, row);
		return ER_OK;
	case FN_MEDIAN:
		if (er_grow(&a->vals, &a->vcap, a->nvals, sizeof *a->vals, 16) != ER_OK)
			return ER_ERR_NOMEM;
		a->vals[a->nvals++] = v->num;
		a->n++;
		return ER_OK;
	default:
		return ER_ERR_INTERNAL;
	}
}

/* A total order (qsort needs one): -0 before +0, NaN after everything.
 * Values reach a median in no fixed order (runs are drained by two
 * threads), so ties must not depend on it. */
static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	if (isnan(a) || isnan(b))
		return (isnan(a) != 0) - (isnan(b) != 0);
	if (a == b)
		return (signbit(b) != 0) - (signbit(a) != 0);
	return a < b ? -1 : 1;
}

er_status er_acc_result(er_acc *a, er_func f, const char *unit, er_value *out)
{
	switch (f) {
	case FN_SUM:
	case FN_MEAN: {
		double total;
		er_status st;
		/* The sum of no values is missing, as in SQL: a group whose values are
		 * all missing must not read as a measured zero. */
		if (a->n == 0) {
			*out = er_value_null();
			return ER_OK;
		}
		st = f == FN_MEAN ? fsum_mean(a, &total) : fsum_total(a, &total);
		if (st != ER_OK)
			return st;
		*out = er_value_num(total, unit);
		return isfinite(out->num) ? ER_OK : ER_ERR_RANGE;
	}
	case FN_COUNT:
		*out = er_value_num((double)a->n, NULL);
		return ER_OK;
	case FN_MEDIAN:
		if (a->nvals == 0) {
			*out = er_value_null();
			return ER_OK;
		}
		qsort(a->vals, a->nvals, sizeof *a->vals, cmp_double);
		if (a->nvals % 2)
			*out = er_value_num(a->vals[a->nvals / 2], unit);
		else
			*out = er_value_num(a->vals[a->nvals / 2 - 1] / 2 + a->vals[a->nvals / 2] / 2, unit);
		return ER_OK;
	default:
		if (a->n == 0) {
			*out = er_value_null();
			return ER_OK;
		}
		*out = a->best;
		if (out->type == ER_V_NUM)
			out->unit = unit;
		return ER_OK;
	}
}

void er_acc_free(er_acc *a)
{
	if (a->chunk != a->inline_c)
		free(a->chunk);
	free(a->best_text);
	free(a->vals);
	memset(a, 0, sizeof *a);
}
