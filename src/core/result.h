/* result.h - a result table: what the core hands to layout and to writers.
 * Column-typed cells (er_value), text owned by the table. */
#ifndef ER_RESULT_H
#define ER_RESULT_H

#include <stdio.h>

#include "common/status.h"
#include "value.h"

typedef struct er_rcol {
	char *name;   /* owned */
	char *unit;   /* owned, or NULL */
	er_vtype type;/* the kind of its non-missing cells (text when mixed) */
	size_t skipped; /* aggregate columns: missing input values passed over */
	char *skipped_of; /* ... of this column or expression (owned) */
} er_rcol;

typedef struct er_result {
	size_t ncols, nrows, cap;
	er_rcol *cols;
	er_value *cells;   /* row-major: cells[row * ncols + col] */
	char **texts;      /* owned strings the cells point to */
	size_t ntexts, tcap;
	/* Provenance, for messages and the report's data-quality appendix. */
	size_t rows_read, rows_skipped, rows_filtered, rows_superseded;
} er_result;

er_result *er_result_new(size_t ncols);
void er_result_free(er_result *r);
/* Sets column metadata (copies name and unit). */
er_status er_result_set_col(er_result *r, size_t col, const char *name, const char *unit);
/* Appends a row of ncols values, copying their text. */
er_status er_result_add_row(er_result *r, const er_value *vals);
static inline const er_value *er_result_cell(const er_result *r, size_t row, size_t col)
{
	return &r->cells[row * r->ncols + col];
}
/* Decides each column's type from its cells (a column without a value
 * keeps the type it was given, else is text); a column of mixed kinds is
 * text, its other cells turned into the text they print as. */
er_status er_result_settle_types(er_result *r);

/* Stable sort by columns (desc[i] reverses), missing values last. */
er_status er_result_sort(er_result *r, const size_t *cols, const int *desc, size_t n);
void er_result_limit(er_result *r, size_t n);

/* Writers. CSV reads back into ecoreport with the same values; numbers are
 * printed in the shortest form that round-trips. */
er_status er_result_write_csv(const er_result *r, FILE *f);
er_status er_result_write_json(const er_result *r, FILE *f);
er_status er_result_write_text(const er_result *r, FILE *f);

/* Formats one cell for CSV/JSON/text (numbers shortest round-trip, times
 * ISO 8601). Returns the length; cap >= 48 (text is cut to fit). */
size_t er_value_format(const er_value *v, char *buf, size_t cap);

#endif
