/* expr_eval.c - evaluating expressions on a row: values, units, functions. */
#include "eval.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/num.h"
#include "common/units.h"
#include "common/util.h"
#include "ingest/cell.h"

const char *er_vtype_name(er_vtype t)
{
	switch (t) {
	case ER_V_NUM: return "number";
	case ER_V_TEXT: return "text";
	case ER_V_TIME: return "date-time";
	case ER_V_BOOL: return "true/false";
	default: return "missing";
	}
}

er_status er_eval_init(er_evalctx *c, size_t ncols, char decimal)
{
	memset(c, 0, sizeof *c);
	c->decimal = decimal;
	c->fiscal_start = 1;
	c->ncols = ncols;
	c->col_units = calloc(ncols ? ncols : 1, sizeof *c->col_units);
	if (c->col_units == NULL)
		return ER_ERR_NOMEM;
	return ER_OK;
}

/* Sizes the per-row cache once the derived columns are known. */
static er_status ensure_cache(er_evalctx *c)
{
	size_t n = c->ncols + c->nderived;
	if (c->cache)
		return ER_OK;
	c->cache = calloc(n ? n : 1, sizeof *c->cache);
	c->cache_gen = calloc(n ? n : 1, sizeof *c->cache_gen);
	if (c->cache == NULL || c->cache_gen == NULL)
		return ER_ERR_NOMEM;
	return ER_OK;
}

void er_eval_free(er_evalctx *c)
{
	size_t i;
	for (i = 0; i < c->ncols; i++)
		free(c->col_units[i]);
	free(c->col_units);
	for (i = 0; i < c->nunits; i++)
		free(c->units[i]);
	free(c->units);
	free(c->cache);
	free(c->cache_gen);
	free(c->scratch);
	memset(c, 0, sizeof *c);
}

void er_eval_row(er_evalctx *c, er_reader *r, const er_record *rec)
{
	c->reader = r;
	c->rec = rec;
	c->gen++;
	if (c->gen == 0) {
		/* wrapped: forget every cached value */
		memset(c->cache_gen, 0, (c->ncols + c->nderived) * sizeof *c->cache_gen);
		c->gen = 1;
	}
	c->scratch_len = 0;
	c->row_error = 0;
}

const char *er_eval_unit(er_evalctx *c, const char *u)
{
	size_t i;
	char *copy;
	if (u == NULL)
		return NULL;
	for (i = 0; i < c->nunits; i++)
		if (strcmp(c->units[i], u) == 0)
			return c->units[i];
	if (er_grow(&c->units, &c->units_cap, c->nunits, sizeof *c->units, 16) != ER_OK)
		return NULL;
	copy = er_strdup(u);
	if (copy == NULL)
		return NULL;
	c->units[c->nunits++] = copy;
	return copy;
}

/* Room for n bytes of text that lives until the next row. Values made
 * earlier in the row point into the block, so it never moves: it is one
 * fixed 64 KiB block (calendar labels need 16 bytes), and running out is an
 * error rather than a reallocation. */
static char *scratch(er_evalctx *c, size_t n)
{
	if (c->scratch == NULL) {
		c->scratch_cap = 1 << 16;
		c->scratch = malloc(c->scratch_cap);
		if (c->scratch == NULL)
			return NULL;
	}
	if (c->scratch_len + n > c->scratch_cap)
		return NULL;
	c->scratch_len += n;
	return c->scratch + c->scratch_len - n;
}

static er_status vexpr_error(er_evalctx *c, const er_qexpr *q, const er_expr *e, const char *fmt,
                             va_list ap)
{
	c->row_error = 0;
	c->err_q = q;
	c->err_pos = e ? e->pos : 0;
	vsnprintf(c->err_msg, sizeof c->err_msg, fmt, ap);
	return ER_ERR_DATA;
}

static er_status expr_error(er_evalctx *c, const er_qexpr *q, const er_expr *e, const char *fmt,
                            ...) __attribute__((format(printf, 4, 5)));
static er_status expr_error(er_evalctx *c, const er_qexpr *q, const er_expr *e, const char *fmt,
                            ...)
{
	va_list ap;
	er_status st;
	va_start(ap, fmt);
	st = vexpr_error(c, q, e, fmt, ap);
	va_end(ap);
	return st;
}

static er_status row_error(er_evalctx *c, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static er_status row_error(er_evalctx *c, size_t col, const char *fmt, ...)
{
	va_list ap;
	c->row_error = 1;
	c->err_field = col;
	va_start(ap, fmt);
	vsnprintf(c->err_msg, sizeof c->err_msg, fmt, ap);
	va_end(ap);
	return ER_ERR_DATA;
}

/* A cell's text without the blanks around it. */
static void cell_text(const er_field *f, er_value *out)
{
	out->s = f->s;
	out->n = f->n;
	while (out->n && (out->s[0] == ' ' || out->s[0] == '\t')) {
		out->s++;
		out->n--;
	}
	while (out->n && (out->s[out->n - 1] == ' ' || out->s[out->n - 1] == '\t'))
		out->n--;
}

/* The unit written in a number's cell, as a string (cut to fit u). */
static void cell_unit(const er_cell *cell, char *u, size_t cap)
{
	size_t n = cell->unit_len < cap - 1 ? cell->unit_len : cap - 1;
	memcpy(u, cell->unit, n);
	u[n] = '\0';
}

/* Parses column `col` of the current row. lenient: a number whose unit
 * cannot be converted to its column's is read as text (a listed row shows
 * it as written) instead of failing the row. */
static er_status load_column(er_evalctx *c, size_t col, int lenient, er_value *out)
{
	const er_field *f = &c->rec->f[col];
	er_cell cell;

	*out = er_value_null();
	switch (er_cell_parse(f->s, f->n, c->decimal, &cell)) {
	case ER_CELL_MISSING:
		break;
	case ER_CELL_NUMBER: {
		double v = cell.num;
		const char *unit = NULL;
		if (cell.unit) {
			char u[32];
			cell_unit(&cell, u, sizeof u);
			if (c->col_units[col] == NULL) {
				c->col_units[col] = er_strdup(u);
				if (c->col_units[col] == NULL)
					return ER_ERR_NOMEM;
			} else if (strcmp(u, c->col_units[col]) != 0) {
				double fct;
				if (!er_unit_factor(u, c->col_units[col], &fct)) {
					if (lenient) {
						out->type = ER_V_TEXT;
						cell_text(f, out);
						return ER_OK;
					}
					return row_error(c, col,
					                 "column \"%s\": unit \"%s\" cannot be converted to \"%s\", "
					                 "the column's unit",
					                 er_reader_col_name(c->reader, col), u, c->col_units[col]);
				}
				v *= fct;
			}
		}
		if (c->col_units[col])
			unit = er_eval_unit(c, c->col_units[col]);
		*out = er_value_num(v, unit);
		break;
	}
	case ER_CELL_DATETIME:
		out->type = ER_V_TIME;
		out->t = cell.time;
		break;
	case ER_CELL_TEXT:
		out->type = ER_V_TEXT;
		break;
	}
	/* Every value from a cell keeps its text: comparisons with strings use it. */
	cell_text(f, out);
	return ER_OK;
}

er_status er_eval_list_cell(er_evalctx *c, size_t col, er_value *out)
{
	return load_column(c, col, 1, out);
}

/* A file column's cell as a group key (er_eval_key). */
static er_status key_cell(er_evalctx *c, size_t col, er_value *out)
{
	const er_field *f = &c->rec->f[col];
	er_cell cell;

	*out = er_value_null();
	switch (er_cell_parse(f->s, f->n, c->decimal, &cell)) {
	case ER_CELL_MISSING:
		return ER_OK;
	case ER_CELL_DATETIME:
		out->type = ER_V_TIME;
		out->t = cell.time;
		break;
	case ER_CELL_NUMBER:
		/* A number (40 and 40.0 are one group) when it has no unit of its
		 * own or the column's; its text is kept as the label should the
		 * column turn out to hold text ("001" among "abc"). "01.AI" or
		 * "32B" among "kB" are labels. */
		cell_text(f, out);
		if (cell.unit && c->col_units[col] == NULL) {
			char u[32];
			cell_unit(&cell, u, sizeof u);
			if (!er_unit_is_known(u)) { /* "01.AI": a label, not 1 AI */
				out->type = ER_V_TEXT;
				return ER_OK;
			}
			c->col_units[col] = er_strdup(u);
			if (c->col_units[col] == NULL)
				return ER_ERR_NOMEM;
		}
		if (cell.unit == NULL || (strlen(c->col_units[col]) == cell.unit_len &&
		                          memcmp(c->col_units[col], cell.unit, cell.unit_len) == 0)) {
			out->type = ER_V_NUM;
			out->num = cell.num;
			out->unit = c->col_units[col] ? er_eval_unit(c, c->col_units[col]) : NULL;
		} else {
			out->type = ER_V_TEXT;
		}
		return ER_OK;
	case ER_CELL_TEXT:
		out->type = ER_V_TEXT;
		break;
	}
	cell_text(f, out);
	return ER_OK;
}

static er_status eval(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *out);

static er_status column_value(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *out)
{
	size_t col = (size_t)e->col;
	er_status st;

	if (e->col < 0)
		return expr_error(c, q, e, "unresolved column \"%s\"", e->str);
	if (ensure_cache(c) != ER_OK)
		return ER_ERR_NOMEM;
	if (c->cache_gen[col] == c->gen) {
		*out = c->cache[col];
		return ER_OK;
	}
	if (col < c->ncols)
		st = load_column(c, col, 0, out);
	else
		st = eval(c, &c->derived[col - c->ncols], c->derived[col - c->ncols].e, out);
	if (st != ER_OK)
		return st;
	c->cache[col] = *out;
	c->cache_gen[col] = c->gen;
	return ER_OK;
}

/* The column a value came from, when the expression is a plain reference to
 * a file column (so a mismatch is the cell's fault, and its row's). */
static long source_column(const er_evalctx *c, const er_expr *e)
{
	if (e->kind == EX_COL && e->col >= 0 && (size_t)e->col < c->ncols)
		return e->col;
	return -1;
}

er_status er_eval_key(er_evalctx *c, const er_qexpr *q, er_value *out)
{
	long col = source_column(c, q->e);
	if (col >= 0)
		return key_cell(c, (size_t)col, out);
	return er_eval(c, q, out);
}

static er_status want_number(er_evalctx *c, const er_qexpr *q, const er_expr *e, const er_value *v,
                             const char *what)
{
	long col = source_column(c, e);
	char ex[200];
	if (v->type == ER_V_NUM || v->type == ER_V_NULL)
		return ER_OK;
	/* A comparison counts as 1 or 0: sum(emissions * (project = 'a')). */
	if (v->type == ER_V_BOOL) {
		((er_value *)v)->type = ER_V_NUM;
		return ER_OK;
	}
	if (col >= 0)
		return row_error(c, (size_t)col, "column \"%s\": expected a number, got %s",
		                 er_reader_col_name(c->reader, (size_t)col),
		                 er_diag_excerpt(ex, v->s, v->n, 40));
	return expr_error(c, q, e, "%s needs a number, not %s", what, er_vtype_name(v->type));
}

static er_status want_time(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *v,
                           const char *what)
{
	long col = source_column(c, e);
	char ex[200];
	if (v->type == ER_V_TIME || v->type == ER_V_NULL)
		return ER_OK;
	if (v->type == ER_V_TEXT && er_time_parse(v->s, v->n, &v->t)) {
		v->type = ER_V_TIME;
		return ER_OK;
	}
	if (col >= 0)
		return row_error(c, (size_t)col, "column \"%s\": expected a date-time, got %s",
		                 er_reader_col_name(c->reader, (size_t)col),
		                 er_diag_excerpt(ex, v->s, v->n, 40));
	return expr_error(c, q, e, "%s needs a date-time, not %s", what, er_vtype_name(v->type));
}

/* The unit of a*b or a/b, simplified where it reduces to one known unit. */
static const char *combine_units(er_evalctx *c, const char *a, const char *b, int div, double *scale)
{
	char buf[256], simple[32];
	double f;

	*scale = 1;
	if (b == NULL)
		return a;
	if (a == NULL) {
		if (!div)
			return b;
		snprintf(buf, sizeof buf, strpbrk(b, "*/") ? "1/(%s)" : "1/%s", b);
		return er_eval_unit(c, buf);
	}
	if (div && er_unit_factor(a, b, &f)) {
		*scale = f; /* kWh / MWh is a plain ratio */
		return NULL;
	}
	if (div && strpbrk(b, "*/"))
		snprintf(buf, sizeof buf, "%s/(%s)", a, b);
	else
		snprintf(buf, sizeof buf, "%s%c%s", a, div ? '/' : '*', b);
	if (er_unit_simplify(buf, simple, sizeof simple))
		return er_eval_unit(c, simple);
	return er_eval_unit(c, buf);
}

static int truthy(const er_value *v)
{
	if (v->type == ER_V_NUM || v->type == ER_V_BOOL)
		return v->num != 0;
	return 0;
}

static er_status compare(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *a,
                         er_value *b, int *cmp)
{
	if (a->type == ER_V_NUM && b->type == ER_V_NUM) {
		double y = b->num;
		if (a->unit && b->unit && strcmp(a->unit, b->unit) != 0) {
			double f;
			if (!er_unit_factor(b->unit, a->unit, &f))
				return expr_error(c, q, e, "cannot compare \"%s\" with \"%s\"", a->unit, b->unit);
			y *= f;
		}
		*cmp = a->num < y ? -1 : a->num > y;
		return ER_OK;
	}
	/* A label that is a number ("2025" from year()) against a number. */
	if (a->type == ER_V_NUM && b->type == ER_V_TEXT && b->s && er_num_parse(b->s, b->n, &b->num)) {
		b->type = ER_V_NUM;
		b->unit = NULL;
		return compare(c, q, e, a, b, cmp);
	}
	if (b->type == ER_V_NUM && a->type == ER_V_TEXT && a->s && er_num_parse(a->s, a->n, &a->num)) {
		a->type = ER_V_NUM;
		a->unit = NULL;
		return compare(c, q, e, a, b, cmp);
	}
	if (a->type == ER_V_TIME && b->type == ER_V_TEXT && er_time_parse(b->s, b->n, &b->t))
		b->type = ER_V_TIME;
	if (b->type == ER_V_TIME && a->type == ER_V_TEXT && er_time_parse(a->s, a->n, &a->t))
		a->type = ER_V_TIME;
	if (a->type == ER_V_TIME && b->type == ER_V_TIME) {
		*cmp = a->t.us < b->t.us ? -1 : a->t.us > b->t.us;
		return ER_OK;
	}
	/* Text, or a cell compared with a string: compare the written text. */
	if ((a->type == ER_V_TEXT || b->type == ER_V_TEXT) && a->s && b->s) {
		size_t n = a->n < b->n ? a->n : b->n;
		int r = memcmp(a->s, b->s, n);
		*cmp = r ? (r < 0 ? -1 : 1) : (a->n < b->n ? -1 : a->n > b->n);
		return ER_OK;
	}
	return expr_error(c, q, e, "cannot compare %s with %s", er_vtype_name(a->type),
	                  er_vtype_name(b->type));
}

/* Cells and constants are finite, so an infinite result is an overflow:
 * an error, not an "inf" that CSV would write and JSON could not. */
static er_status finite_result(er_evalctx *c, const er_qexpr *q, const er_expr *e,
                               const er_value *v)
{
	if (isfinite(v->num))
		return ER_OK;
	if (c->rec == NULL) /* an aggregate's result, after the rows */
		return expr_error(c, q, e, "the result overflows (beyond 1.8e308)");
	return expr_error(c, q, e, "the result overflows (beyond 1.8e308) on the row of line %lu",
	                  c->rec->line);
}

/* and, or, not take conditions (or numbers: non-zero is true) and missing
 * values; text or a date-time there is a mistake, not "false". */
static er_status want_condition(er_evalctx *c, const er_qexpr *q, const er_expr *e,
                                const er_value *v, const char *what)
{
	if (v->type == ER_V_TEXT || v->type == ER_V_TIME)
		return expr_error(c, q, e, "%s needs a condition, not %s", what, er_vtype_name(v->type));
	return ER_OK;
}

static er_status eval_binary(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *out)
{
	er_value a, b;
	er_status st;

	st = eval(c, q, e->args[0], &a);
	if (st != ER_OK)
		return st;
	if (e->op == OP_AND || e->op == OP_OR) {
		/* Short-circuit; missing counts as false. */
		int ta;
		if ((st = want_condition(c, q, e->args[0], &a, e->op == OP_AND ? "'and'" : "'or'")) != ER_OK)
			return st;
		ta = truthy(&a);
		if ((e->op == OP_AND && !ta) || (e->op == OP_OR && ta)) {
			*out = er_value_num(ta, NULL);
			out->type = ER_V_BOOL;
			return ER_OK;
		}
		st = eval(c, q, e->args[1], &b);
		if (st != ER_OK)
			return st;
		if ((st = want_condition(c, q, e->args[1], &b, e->op == OP_AND ? "'and'" : "'or'")) != ER_OK)
			return st;
		*out = er_value_num(truthy(&b), NULL);
		out->type = ER_V_BOOL;
		return ER_OK;
	}
	st = eval(c, q, e->args[1], &b);
	if (st != ER_OK)
		return st;
	if (e->op >= OP_EQ) {
		int cmp = 0, r = 0;
		if (a.type == ER_V_NULL || b.type == ER_V_NULL) {
			*out = er_value_null();
			return ER_OK;
		}
		st = compare(c, q, e, &a, &b, &cmp);
		if (st != ER_OK)
			return st;
		switch (e->op) {
		case OP_EQ: r = cmp == 0; break;
		case OP_NE: r = cmp != 0; break;
		case OP_LT: r = cmp < 0; break;
		case OP_LE: r = cmp <= 0; break;
		case OP_GT: r = cmp > 0; break;
		default: r = cmp >= 0; break;
		}
		*out = er_value_num(r, NULL);
		out->type = ER_V_BOOL;
		return ER_OK;
	}
	/* Arithmetic. */
	if ((st = want_number(c, q, e->args[0], &a, "arithmetic")) != ER_OK ||
	    (st = want_number(c, q, e->args[1], &b, "arithmetic")) != ER_OK)
		return st;
	if (a.type == ER_V_NULL || b.type == ER_V_NULL) {
		*out = er_value_null();
		return ER_OK;
	}
	switch (e->op) {
	case OP_ADD:
	case OP_SUB: {
		double y = b.num;
		const char *unit = a.unit ? a.unit : b.unit;
		if (a.unit && b.unit && strcmp(a.unit, b.unit) != 0) {
			double f;
			if (!er_unit_factor(b.unit, a.unit, &f))
				return expr_error(c, q, e, "cannot %s \"%s\" and \"%s\"",
				                  e->op == OP_ADD ? "add" : "subtract", a.unit, b.unit);
			y *= f;
		}
		*out = er_value_num(e->op == OP_ADD ? a.num + y : a.num - y, unit);
		return finite_result(c, q, e, out);
	}
	case OP_MUL:
	case OP_DIV: {
		double scale;
		const char *unit = combine_units(c, a.unit, b.unit, e->op == OP_DIV, &scale);
		if (e->op == OP_DIV && b.num == 0) {
			*out = er_value_null(); /* division by zero is missing, counted where it matters */
			return ER_OK;
		}
		*out = er_value_num(e->op == OP_MUL ? a.num * b.num : a.num / b.num * scale, unit);
		return finite_result(c, q, e, out);
	}
	default:
		return expr_error(c, q, e, "internal: unknown operator");
	}
}

/* "[FY]YYYY", then "-" and a quarter ('Q' and n) or a month ('M': two
 * digits), or nothing more (kind 0). A label for every row of a group-by:
 * four-digit years are written digit by digit (snprintf showed in
 * profiles), others through snprintf. */
static size_t bucket_label(char *buf, size_t cap, int fy, int64_t y, char kind, int n)
{
	const char *pre = fy ? "FY" : "";
	size_t o = 0;
	if (y < 0 || y > 9999 || cap < 12) {
		if (kind == 'Q')
			return (size_t)snprintf(buf, cap, "%s%04lld-Q%d", pre, (long long)y, n);
		if (kind == 'M')
			return (size_t)snprintf(buf, cap, "%s%04lld-%02d", pre, (long long)y, n);
		return (size_t)snprintf(buf, cap, "%s%04lld", pre, (long long)y);
	}
	if (fy) {
		buf[o++] = 'F';
		buf[o++] = 'Y';
	}
	buf[o++] = (char)('0' + y / 1000);
	buf[o++] = (char)('0' + y / 100 % 10);
	buf[o++] = (char)('0' + y / 10 % 10);
	buf[o++] = (char)('0' + y % 10);
	if (kind == 'Q') {
		buf[o++] = '-';
		buf[o++] = 'Q';
		buf[o++] = (char)('0' + n);
	} else if (kind == 'M') {
		buf[o++] = '-';
		buf[o++] = (char)('0' + n / 10);
		buf[o++] = (char)('0' + n % 10);
	}
	buf[o] = '\0';
	return o;
}

size_t er_time_bucket(er_func f, const er_time *t, const er_tz *tz, int fiscal_start, char *buf,
                      size_t cap)
{
	int64_t us = t->us, y;
	int m, d, h, mi, s, usec;

	if (t->flags & ER_TIME_ZONED) {
		int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
		us += (int64_t)er_tz_offset(tz, secs) * 1000000;
	}
	er_time_fields(us, &y, &m, &d, &h, &mi, &s, &usec);
	if (f == FN_YEAR)
		return bucket_label(buf, cap, 0, y, 0, 0);
	if (f == FN_MONTH)
		return bucket_label(buf, cap, 0, y, 'M', m);
	if (fiscal_start <= 1)
		return bucket_label(buf, cap, 0, y, 'Q', (m - 1) / 3 + 1);
	/* Months since the fiscal year began; the year is named by its end. */
	return bucket_label(buf, cap, 1, m >= fiscal_start ? y + 1 : y, 'Q',
	                    (m - fiscal_start + 12) % 12 / 3 + 1);
}

static er_status eval_call(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *out)
{
	er_value a, b;
	er_status st;
	size_t i;

	if (ER_FN_IS_AGG(e->func)) {
		if (c->agg_values == NULL || e->slot < 0)
			return expr_error(c, q, e, "%s() is an aggregate: use it in --agg or {{ }}",
			                  er_func_name(e->func));
		*out = c->agg_values[e->slot];
		return ER_OK;
	}
	switch (e->func) {
	case FN_YEAR:
	case FN_MONTH:
	case FN_QUARTER: {
		char *buf;
		if ((st = eval(c, q, e->args[0], &a)) != ER_OK)
			return st;
		if ((st = want_time(c, q, e->args[0], &a, er_func_name(e->func))) != ER_OK)
			return st;
		if (a.type == ER_V_NULL) {
			*out = a;
			return ER_OK;
		}
		buf = scratch(c, 16);
		if (buf == NULL)
			return ER_ERR_NOMEM;
		*out = er_value_text(buf, er_time_bucket(e->func, &a.t, c->tz, c->fiscal_start, buf, 16));
		return ER_OK;
	}
	case FN_ROUND: {
		double digits = 0;
		char tmp[400];
		if ((st = eval(c, q, e->args[0], &a)) != ER_OK)
			return st;
		if ((st = want_number(c, q, e->args[0], &a, "round()")) != ER_OK)
			return st;
		if (e->nargs > 1) {
			if ((st = eval(c, q, e->args[1], &b)) != ER_OK)
				return st;
			if (b.type != ER_V_NUM || b.num != floor(b.num) || b.num < 0 || b.num > 15)
				return expr_error(c, q, e->args[1], "round() takes 0 to 15 decimals");
			digits = b.num;
		}
		if (a.type == ER_V_NULL || !isfinite(a.num) || fabs(a.num) >= 1e300) {
			*out = a;
			return ER_OK;
		}
		/* Decimal rounding of the exact binary value, then back to a double. */
		er_num_format_fixed(a.num, (int)digits, '.', NULL, tmp, sizeof tmp);
		er_num_parse(tmp, strlen(tmp), &a.num);
		a.s = NULL;
		*out = a;
		return ER_OK;
	}
	case FN_QUARTER_ADD: {
		/* "2025-Q3", -1 -> "2025-Q2"; fiscal labels keep their "FY". */
		char *buf;
		const char *p;
		int fy, year, qn, k;
		long long idx;
		if ((st = eval(c, q, e->args[0], &a)) != ER_OK || (st = eval(c, q, e->args[1], &b)) != ER_OK)
			return st;
		if (a.type == ER_V_NULL) {
			*out = a;
			return ER_OK;
		}
		if (a.type != ER_V_TEXT || b.type != ER_V_NUM || b.num != floor(b.num))
			return expr_error(c, q, e, "quarter_add() takes a quarter label and a whole number");
		p = a.s;
		fy = a.n >= 2 && p[0] == 'F' && p[1] == 'Y';
		if (fy)
			p += 2;
		if (a.n != (size_t)(fy ? 9 : 7) || p[4] != '-' || p[5] != 'Q' || p[6] < '1' || p[6] > '4')
			return expr_error(c, q, e, "quarter_add(): \"%.*s\" is not a label like 2025-Q3",
			                  (int)a.n, a.s);
		for (year = 0, k = 0; k < 4; k++) {
			if (p[k] < '0' || p[k] > '9')
				return expr_error(c, q, e, "quarter_add(): \"%.*s\" is not a label like 2025-Q3",
				                  (int)a.n, a.s);
			year = year * 10 + (p[k] - '0');
		}
		qn = p[6] - '1';
		idx = (long long)year * 4 + qn + (long long)b.num;
		if (idx < 0 || idx >= 40000)
			return expr_error(c, q, e, "quarter_add(): the result is out of range");
		buf = scratch(c, 16);
		if (buf == NULL)
			return ER_ERR_NOMEM;
		*out = er_value_text(buf, (size_t)snprintf(buf, 16, "%s%04lld-Q%lld", fy ? "FY" : "",
		                                             idx / 4, idx % 4 + 1));
		return ER_OK;
	}
	case FN_ABS:
		if ((st = eval(c, q, e->args[0], &a)) != ER_OK)
			return st;
		if ((st = want_number(c, q, e->args[0], &a, "abs()")) != ER_OK)
			return st;
		a.num = fabs(a.num);
		a.s = NULL;
		*out = a;
		return ER_OK;
	case FN_COALESCE:
		for (i = 0; i < e->nargs; i++) {
			if ((st = eval(c, q, e->args[i], &a)) != ER_OK)
				return st;
			if (a.type != ER_V_NULL) {
				*out = a;
				return ER_OK;
			}
		}
		*out = er_value_null();
		return ER_OK;
	case FN_TO: {
		double f;
		if ((st = eval(c, q, e->args[0], &a)) != ER_OK)
			return st;
		if ((st = want_number(c, q, e->args[0], &a, "to()")) != ER_OK)
			return st;
		if (e->args[1]->kind != EX_STR)
			return expr_error(c, q, e->args[1], "to() needs a unit in quotes, e.g. to(x, 't')");
		if (a.type == ER_V_NULL) {
			*out = a;
			return ER_OK;
		}
		if (a.unit == NULL)
			return expr_error(c, q, e->args[0], "to(): the value has no unit to convert from");
		if (!er_unit_factor(a.unit, e->args[1]->str, &f))
			return expr_error(c, q, e, "cannot convert \"%s\" to \"%s\"", a.unit,
			                  e->args[1]->str);
		*out = er_value_num(a.num * f, er_eval_unit(c, e->args[1]->str));
		return ER_OK;
	}
	default:
		return expr_error(c, q, e, "internal: unknown function");
	}
}

static er_status eval(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *out)
{
	er_status st;
	switch (e->kind) {
	case EX_NUM:
		*out = er_value_num(e->num, NULL);
		return ER_OK;
	case EX_STR:
		*out = er_value_text(e->str, strlen(e->str));
		return ER_OK;
	case EX_COL:
		return column_value(c, q, e, out);
	case EX_NEG:
		if ((st = eval(c, q, e->args[0], out)) != ER_OK)
			return st;
		if ((st = want_number(c, q, e->args[0], out, "'-'")) != ER_OK)
			return st;
		out->num = -out->num;
		out->s = NULL;
		return ER_OK;
	case EX_NOT:
		if ((st = eval(c, q, e->args[0], out)) != ER_OK)
			return st;
		if (out->type == ER_V_NULL)
			return ER_OK;
		if ((st = want_condition(c, q, e->args[0], out, "'not'")) != ER_OK)
			return st;
		*out = er_value_num(!truthy(out), NULL);
		out->type = ER_V_BOOL;
		return ER_OK;
	case EX_BIN:
		return eval_binary(c, q, e, out);
	case EX_CALL:
		return eval_call(c, q, e, out);
	}
	return expr_error(c, q, e, "internal: unknown expression");
}

er_status er_eval_expr(er_evalctx *c, const er_qexpr *q, const er_expr *e, er_value *out)
{
	er_status st = ensure_cache(c);
	if (st != ER_OK)
		return st;
	return eval(c, q, e, out);
}

er_status er_eval_want_number(er_evalctx *c, const er_qexpr *q, const er_expr *e, const er_value *v,
                              const char *what)
{
	return want_number(c, q, e, v, what);
}

er_status er_eval_fail(er_evalctx *c, const er_qexpr *q, const er_expr *e, const char *fmt, ...)
{
	va_list ap;
	er_status st;
	va_start(ap, fmt);
	st = vexpr_error(c, q, e, fmt, ap);
	va_end(ap);
	return st;
}

er_status er_eval(er_evalctx *c, const er_qexpr *q, er_value *out)
{
	er_status st = ensure_cache(c);
	if (st != ER_OK)
		return st;
	return eval(c, q, q->e, out);
}

void er_qexpr_error(er_diag_sink *diag, const er_qexpr *q, size_t pos, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (q->origin.line == 0)
		er_diag_emit(diag, ER_SEV_ERROR, q->origin.file, 0, 0, "%s at column %lu", msg,
		             q->origin.column + er_expr_column(q->src, pos) - 1);
	else
		er_diag_emit(diag, ER_SEV_ERROR, q->origin.file, q->origin.line,
		             q->origin.column + er_expr_column(q->src, pos) - 1, "%s", msg);
}

er_status er_eval_report(er_evalctx *c, er_diag_sink *diag)
{
	if (c->row_error)
		return er_reader_reject(c->reader, c->rec, c->err_field, 0, "%s", c->err_msg);
	if (c->err_q)
		er_qexpr_error(diag, c->err_q, c->err_pos, "%s", c->err_msg);
	else
		er_diag_emit(diag, ER_SEV_ERROR, NULL, 0, 0, "%s", c->err_msg);
	return ER_ERR_DATA;
}
