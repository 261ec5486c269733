/* agg.c - aggregate accumulators. Sums are exactly rounded: partial sums
 * without rounding error (Shewchuk's algorithm, as in Python's math.fsum),
 * so totals do not depend on row order and match an independent check to
 * the last digit. */
#include "agg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

static er_status fsum_add(er_acc *a, double x)
{
	size_t i, j = 0;
	if (a->partials == NULL) {
		a->partials = a->inline_p;
		a->pcap = sizeof a->inline_p / sizeof a->inline_p[0];
	}
	/* Without branches on the data (selects and a conditional count): which
	 * of two numbers is larger, and whether a partial is zero, are coin
	 * flips a branch predictor loses on every other row. */
	for (i = 0; i < a->np; i++) {
		double y = a->partials[i], hi, lo, big, small;
		int swap = fabs(x) < fabs(y);
		big = swap ? y : x;
		small = swap ? x : y;
		hi = big + small;
		lo = small - (hi - big);
		a->partials[j] = lo;
		j += lo != 0;
		x = hi;
	}
	if (j == a->pcap) {
		size_t ncap = a->pcap * 2;
		double *np = a->partials == a->inline_p ? malloc(ncap * sizeof *np)
		                                        : realloc(a->partials, ncap * sizeof *np);
		if (np == NULL)
			return ER_ERR_NOMEM;
		if (a->partials == a->inline_p)
			memcpy(np, a->inline_p, sizeof a->inline_p);
		a->partials = np;
		a->pcap = ncap;
	}
	a->partials[j++] = x;
	a->np = j;
	return ER_OK;
}

double er_fsum_value(const double *p, size_t n)
{
	double hi = 0, lo = 0;
	if (n == 0)
		return 0;
	/* Sum from the top; correct the final rounding (math.fsum's last step). */
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

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

er_status er_acc_result(er_acc *a, er_func f, const char *unit, er_value *out)
{
	switch (f) {
	case FN_SUM:
		/* The sum of no values is missing, as in SQL: a group whose values are
		 * all missing must not read as a measured zero. */
		if (a->n == 0) {
			*out = er_value_null();
			return ER_OK;
		}
		*out = er_value_num(er_fsum_value(a->partials, a->np), unit);
		return isfinite(out->num) ? ER_OK : ER_ERR_RANGE;
	case FN_MEAN:
		if (a->n == 0) {
			*out = er_value_null();
			return ER_OK;
		}
		*out = er_value_num(er_fsum_value(a->partials, a->np) / (double)a->n, unit);
		return isfinite(out->num) ? ER_OK : ER_ERR_RANGE;
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
	if (a->partials != a->inline_p)
		free(a->partials);
	free(a->best_text);
	free(a->vals);
	memset(a, 0, sizeof *a);
}
