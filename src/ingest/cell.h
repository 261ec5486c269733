/* cell.h - what one CSV cell holds: missing, a number (maybe with a unit),
 * a date-time, or text. These are the data rules of DESIGN.md section 5. */
#ifndef ER_CELL_H
#define ER_CELL_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/datetime.h"
#include "../common/num.h"

typedef enum er_cell_kind {
	ER_CELL_MISSING,
	ER_CELL_NUMBER,
	ER_CELL_DATETIME,
	ER_CELL_TEXT,
} er_cell_kind;

typedef struct er_cell {
	er_cell_kind kind;
	double num;          /* ER_CELL_NUMBER: the value, in the unit written */
	const char *unit;    /* ER_CELL_NUMBER: points into the cell text, or NULL */
	size_t unit_len;
	er_time time;        /* ER_CELL_DATETIME */
	/* With er_cell_scan: num is approximate (a few ulps) when `approx` is
	 * set; er_cell_exact() then gives the exact value. */
	bool approx;
	er_num_dec dec;
	const char *text;
	size_t text_len;
} er_cell;

/* True for the spellings of a missing value: "", NA, N/A, NaN, null, None, "-"
 * (case-insensitive), after trimming spaces. */
bool er_cell_is_missing(const char *s, size_t n);

/* Classifies n bytes of s. `decimal` is '.' or ','. Numbers may carry
 * thousands separators (',' or ' ' with '.', '.' or ' ' with ','), a sign,
 * an exponent, and a trailing unit ("1,287 MWh", "12%", "175B"). */
er_cell_kind er_cell_parse(const char *s, size_t n, char decimal, er_cell *out);

/* Like er_cell_parse, but plain numbers are only scanned and approximated:
 * cheap when most values need no exact double (min/max tracking). */
er_cell_kind er_cell_scan(const char *s, size_t n, char decimal, er_cell *out);
/* The exact value of a number from er_cell_scan. */
double er_cell_exact(er_cell *c);

/* Parses a number only (no unit), with the same separator rules. */
bool er_cell_number(const char *s, size_t n, char decimal, double *out);
/* Whether er_cell_number would parse the text, without computing the value
 * (CodeCarbon's row check, for three columns of every row). */
bool er_cell_is_number(const char *s, size_t n, char decimal);

#endif
