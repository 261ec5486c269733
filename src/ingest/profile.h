/* profile.h - one streaming pass over a CSV file that infers each column's
 * type and unit and gathers what `ecoreport inspect` shows. Memory stays
 * bounded whatever the file's length. */
#ifndef ER_PROFILE_H
#define ER_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/datetime.h"
#include "distinct.h"
#include "ingest.h"

typedef enum er_type { ER_TYPE_NUMBER, ER_TYPE_TEXT, ER_TYPE_DATETIME } er_type;

const char *er_type_name(er_type t);

typedef struct er_colprofile {
	char *name;
	char *unit;          /* NULL when none */
	er_type type;        /* decided by er_profile_finish */
	size_t missing, numbers, times, texts;
	double min, max;     /* numbers, in `unit` */
	er_time tmin, tmax;  /* date-times */
	size_t converted;    /* cells converted from another unit */
	er_distinct distinct;
	bool distinct_capped;  /* stopped hashing a column that was not text */
	bool distinct_partial; /* so the count leaves out some values */
	/* The first cell that kept a mostly-typed column from being typed. */
	unsigned long odd_line, odd_col;
	char *odd_text;
	/* The first unit that could not be converted to the column's unit. */
	char *bad_unit;
	unsigned long bad_unit_line, bad_unit_col;
} er_colprofile;

typedef struct er_profile {
	size_t ncols;
	er_colprofile *cols;
	size_t rows, rows_skipped;
} er_profile;

/* Reads every record of r (positioned after its header) into a new profile.
 * Unconvertible units in a numeric column are errors reported through the
 * reader's sink (ER_ERR_DATA). The caller frees *out with er_profile_free. */
er_status er_profile_read(er_reader *r, er_profile **out);
void er_profile_free(er_profile *p);

#endif
