/* eval.h - evaluating expressions over the rows of a CSV file.
 *
 * Values are loaded lazily: a column is parsed the first time an expression
 * of the current row asks for it. Numbers carry units; a column's unit is the
 * one in its header, else the first one written in its cells, and later cells
 * are converted to it. Errors come in two kinds: a cell that does not fit
 * (text where a number is needed, an inconvertible unit) is a problem of its
 * row, which --bad-rows can skip; anything else (adding kWh to kg, an
 * unknown unit in to()) is a problem of the expression and stops the run. */
#ifndef ER_EVAL_H
#define ER_EVAL_H

#include <stdint.h>

#include "common/tz.h"
#include "expr.h"
#include "ingest/ingest.h"
#include "value.h"

/* Where an expression came from, for messages: an option ("--agg 'x=...'",
 * line 0) or a template (file, line, column of the expression's first byte). */
typedef struct er_origin {
	const char *file;
	unsigned long line, column;
} er_origin;

/* An expression with its source text and origin (all owned). */
typedef struct er_qexpr {
	char *name;      /* the NAME of NAME=EXPR, or the expression text */
	char *src;
	er_expr *e;
	er_origin origin;
	char *origin_file;
} er_qexpr;

typedef struct er_evalctx {
	char decimal;
	int fiscal_start;  /* 1..12: month the fiscal year starts (1 = calendar) */
	const er_tz *tz;   /* zone for calendar buckets; NULL = UTC */

	size_t ncols;       /* columns of the file */
	char **col_units;   /* per column, owned; NULL until known */
	size_t nderived;
	er_qexpr *derived;  /* borrowed; resolve as columns ncols.. */

	/* The current row. */
	er_reader *reader;
	const er_record *rec;
	er_value *cache;    /* ncols + nderived */
	uint32_t *cache_gen;
	uint32_t gen;
	char *scratch;      /* text made while evaluating this row */
	size_t scratch_len, scratch_cap;

	/* Aggregate results, while evaluating aggregate expressions. */
	const er_value *agg_values;

	/* Interned unit spellings (owned). */
	char **units;
	size_t nunits, units_cap;

	/* The last error. */
	int row_error;      /* a cell's problem: reject the row */
	size_t err_field;   /* with row_error: the column */
	const er_qexpr *err_q;
	size_t err_pos;     /* with an expression error: offset in err_q->src */
	char err_msg[512];
} er_evalctx;

er_status er_eval_init(er_evalctx *c, size_t ncols, char decimal);
void er_eval_free(er_evalctx *c);

/* Starts a new row: clears the cache and scratch. */
void er_eval_row(er_evalctx *c, er_reader *r, const er_record *rec);

/* Evaluates q's expression for the current row. On ER_ERR_DATA the error
 * is described in c (row_error, err_msg, ...). */
er_status er_eval(er_evalctx *c, const er_qexpr *q, er_value *out);

/* Evaluates group key q for the current row. A plain file column is read
 * as a label: a number when the cell holds one with no unit or the
 * column's (its text kept should the column turn out to hold text), a
 * date-time, or else the text as written; never a row error. */
er_status er_eval_key(er_evalctx *c, const er_qexpr *q, er_value *out);
/* File column col of the current row for a listed row: as in expressions,
 * but a number in a unit its column's cannot be converted to is text, not
 * a row error. */
er_status er_eval_list_cell(er_evalctx *c, size_t col, er_value *out);

/* Evaluates a sub-expression of q (an aggregate's argument). */
er_status er_eval_expr(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *out);
/* Checks that v (the value of e) is a number or missing; the error blames
 * the cell when e is a plain column, else the expression. */
er_status er_eval_want_number(er_evalctx *c, const er_qexpr *q, const er_expr *e, const er_value *v,
                              const char *what);
/* Records an expression error at e. */
er_status er_eval_fail(er_evalctx *c, const er_qexpr *q, const er_expr *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* An interned copy of a unit spelling (stable while c lives), or NULL. */
const char *er_eval_unit(er_evalctx *c, const char *u);

/* The calendar label of a time value: year "2025", month "2025-03",
 * quarter "2025-Q1" or, with a fiscal start other than January, "FY2026-Q1"
 * (fiscal years are named by the calendar year they end in). Zoned values
 * are converted to tz first; values without zone are already local. */
size_t er_time_bucket(er_func f, const er_time *t, const er_tz *tz, int fiscal_start,
                      char *buf, size_t cap);

/* Reports an evaluation error through diag: row errors via the reader's
 * --bad-rows policy (may return ER_OK under skip), expression errors as
 * errors at the expression's origin. */
er_status er_eval_report(er_evalctx *c, er_diag_sink *diag);

/* Reports a message positioned at byte `pos` of q's source. */
void er_qexpr_error(er_diag_sink *diag, const er_qexpr *q, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
