/* agg.h - aggregate accumulators: sum (exactly rounded), mean, min, max,
 * count, median, first, last. Missing values are skipped and counted. */
#ifndef ER_AGG_H
#define ER_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "expr.h"
#include "value.h"

typedef struct er_acc {
	size_t n;          /* values taken */
	size_t skipped;    /* missing values passed over */
	/* sum, mean: the exact total as base-2^32 digits, chunk[k] weighing
	 * 2^(32 (lo + k) - 1074) (the unit is the smallest subnormal): a window
	 * of the digits the values added reach, in inline_c until it needs more
	 * than four (see agg.c). */
	int64_t *chunk;
	int lo, nchunk, ccap;
	uint32_t adds;     /* since the digits' carries were last propagated */
	int special;       /* 1: +inf added, 2: -inf added, 4: NaN added */
	int64_t inline_c[4];
	er_value best;     /* min/max/first/last: the value so far (text owned) */
	char *best_text;
	uint64_t best_row; /* first/last: the row it came from */
	double *vals;      /* median */
	size_t nvals, vcap;
} er_acc;

/* Adds v, which came from data row `row` (for first/last). Values must be
 * numbers for sum, mean and median (the caller checks). */
er_status er_acc_add(er_acc *a, er_func f, const er_value *v, uint64_t row);
/* The result; text results point into the accumulator. unit is the unit of
 * the values added. ER_ERR_RANGE when a sum or mean overflows. */
er_status er_acc_result(er_acc *a, er_func f, const char *unit, er_value *out);
void er_acc_free(er_acc *a);

#endif
