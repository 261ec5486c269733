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
	double *partials;  /* sum: non-overlapping partial sums (Shewchuk) */
	size_t np, pcap;
	double inline_p[4];
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

/* Exactly rounded sum of partials (like Python's math.fsum). */
double er_fsum_value(const double *p, size_t n);

#endif
