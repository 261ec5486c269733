/* test_agg.c - the exact sum's digit accumulator (core/agg.c) against the
 * partial sums it replaced, value for value. Built twice: as is, and with
 * carries propagated every 3 additions (ER_ACC_CARRY_EVERY), so the carry
 * that otherwise comes every 2^30 additions is exercised too. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/agg.h"
#include "test.h"

/* Exactly rounded sum of non-overlapping partials in increasing magnitude:
 * math.fsum's last step (agg.c's before it rounded its digits itself). */
static double fsum_value(const double *p, size_t n)
{
	double hi = 0, lo = 0;
	if (n == 0)
		return 0;
	/* Sum from the top; correct the final rounding. */
	n--;
	hi = p[n];
	while (n > 0) {
		double x = hi, y = p[--n];
		hi = x + y;
		lo = y - (hi - x);
		if (lo != 0)
			break;
	}
	if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
		double y = lo * 2, x = hi + y, yr = x - hi;
		if (y == yr)
			hi = x;
	}
	return hi;
}

/* The reference exact sum: Shewchuk's partials and math.fsum's rounding,
 * as agg.c summed before its digit accumulator: an independent check of
 * the digits and of their rounding in integers. */
static double ref_sum(const double *xs, size_t n)
{
	double p[64];
	size_t np = 0, i, k, j;
	for (k = 0; k < n; k++) {
		double x = xs[k];
		for (i = 0, j = 0; i < np; i++) {
			double y = p[i], hi, lo;
			if (fabs(x) < fabs(y)) {
				double t = x;
				x = y;
				y = t;
			}
			hi = x + y;
			lo = y - (hi - x);
			if (lo != 0)
				p[j++] = lo;
			x = hi;
		}
		p[j++] = x;
		np = j;
	}
	return fsum_value(p, np);
}

/* A double with a random sign and significand and an exponent in
 * [emin, emax] (subnormals when emin is -1074 and below -1022). */
static double random_double(unsigned *seed, int emin, int emax)
{
	uint64_t m = 0;
	int i, e;
	for (i = 0; i < 4; i++) {
		*seed = *seed * 1103515245u + 12345u;
		m = m << 16 | (*seed >> 8 & 0xffffu);
	}
	*seed = *seed * 1103515245u + 12345u;
	e = emin + (int)((*seed >> 8) % (unsigned)(emax - emin + 1));
	return ldexp((double)(m >> 11), e - 52) * ((*seed >> 20) & 1 ? -1 : 1);
}

/* f (sum or mean) through the accumulator, in the order given; NAN when
 * it reports an error. */
static double acc_result(const double *xs, size_t n, er_func f)
{
	er_acc a = {0};
	er_value v;
	size_t i;
	for (i = 0; i < n; i++) {
		er_value x = er_value_num(xs[i], NULL);
		er_acc_add(&a, f, &x, i);
	}
	if (er_acc_result(&a, f, NULL, &v) != ER_OK)
		v.num = NAN;
	er_acc_free(&a);
	return v.num;
}

static double acc_sum(const double *xs, size_t n)
{
	return acc_result(xs, n, FN_SUM);
}

static double acc_mean(const double *xs, size_t n)
{
	return acc_result(xs, n, FN_MEAN);
}

/* The digit accumulator rounds exactly as the partials do: random sets
 * of values in narrow and wide ranges of magnitude (one value: the value
 * itself), subnormals, cancellation, and the same set reversed. */
static void test_exact_sums(void)
{
	static const int ranges[][2] = {{-3, 3}, {-40, 40}, {-1074, -1000}, {-1074, 990}, {900, 990}};
	unsigned seed = 2024;
	double xs[48], rev[48];
	size_t r, t, i, bad = 0;

	for (r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
		for (t = 0; t < 400; t++) {
			size_t n = 1 + t % 47;
			double want, got, got_rev;
			for (i = 0; i < n; i++)
				xs[i] = random_double(&seed, ranges[r][0], ranges[r][1]);
			if (t % 5 == 0 && n > 2) /* cancel the largest exactly */
				xs[n - 1] = -xs[0];
			for (i = 0; i < n; i++)
				rev[i] = xs[n - 1 - i];
			want = ref_sum(xs, n);
			got = acc_sum(xs, n);
			got_rev = acc_sum(rev, n);
			if (!(got == want && got_rev == want)) {
				if (bad++ < 3)
					fprintf(stderr, "exact sum: range %zu set %zu: %.17g, reversed %.17g, want %.17g\n",
					        r, t, got, got_rev, want);
			}
		}
	CHECK_INT(bad, 0);
	{
		/* Far apart: 2^-1074 + 2^1000 - 2^1000 leaves the subnormal. */
		double far[] = {ldexp(1, -1074), ldexp(1, 1000), -ldexp(1, 1000)};
		CHECK_NUM(acc_sum(far, 3), ldexp(1, -1074));
		/* Where the partials overflow on the way, the digits do not. */
		double big[] = {1.7e308, 1.7e308, -1.7e308};
		CHECK_NUM(acc_sum(big, 3), 1.7e308);
		/* A total far beyond any double (20,000 times 1.7e308: digit 66 in
		 * use after a carry) that comes back to a finite negative one. */
		{
			static double many[40001];
			size_t m;
			for (m = 0; m < 20000; m++)
				many[m] = 1.7e308;
			for (; m < 40001; m++)
				many[m] = -1.7e308;
			CHECK_NUM(acc_sum(many, 40001), -1.7e308);
		}
		/* Infinities stay infinite; both signs, or a NaN, give NaN. */
		double inf[] = {1, INFINITY};
		double both[] = {INFINITY, -INFINITY};
		CHECK(isinf(acc_sum(inf, 2)) || isnan(acc_sum(inf, 2)));
		CHECK(isnan(acc_sum(both, 2)));
	}
}

/* Means are the exact total divided by the count, rounded once (the
 * golden test exact_means.sh checks 4,000 random groups against Python's
 * fractions; these are the cases worth naming). */
static void test_exact_means(void)
{
	double a[] = {0.1, 0.2, 0.3}, b[] = {-0.1, -0.2, -0.3}, c[] = {1e308, 1e308};
	double d[] = {0x1p-1074, 0}, e[] = {0x3p-1074, 0}, f[] = {0x1p-1074, 0x1p-1074, 0};
	double g[] = {1e16, 1, -1e16}, h[] = {2.5};
	CHECK_NUM(acc_mean(a, 3), 0.2);       /* the total first rounded gave 0.19999999999999998 */
	CHECK_NUM(acc_mean(b, 3), -0.2);
	CHECK_NUM(acc_mean(c, 2), 1e308);     /* the total overflows, the mean does not */
	CHECK_NUM(acc_mean(d, 2), 0);         /* half the smallest subnormal: ties to even */
	CHECK_NUM(acc_mean(e, 2), 0x2p-1074); /* 1.5 of it: ties to even, up */
	CHECK_NUM(acc_mean(f, 3), 0x1p-1074); /* two thirds of it: nearest */
	CHECK_NUM(acc_mean(g, 3), 1.0 / 3);
	CHECK_NUM(acc_mean(h, 1), 2.5);
}

int main(void)
{
	test_exact_sums();
	test_exact_means();
	return test_done("test_agg");
}
