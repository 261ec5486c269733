/* profile.c - streaming column statistics and type inference. */
#include "profile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../common/diag.h"
#include "../common/units.h"
#include "../common/util.h"
#include "cell.h"

const char *er_type_name(er_type t)
{
	switch (t) {
	case ER_TYPE_NUMBER:
		return "number";
	case ER_TYPE_DATETIME:
		return "datetime";
	default:
		return "text";
	}
}

typedef struct prof_ctx {
	er_profile *p;
	char decimal;
	er_diag_sink *diag;
} prof_ctx;

static void note_odd(er_reader *r, const er_record *rec, size_t i, er_colprofile *c)
{
	if (c->odd_text)
		return;
	c->odd_text = er_strndup(rec->f[i].s, rec->f[i].n > 60 ? 60 : rec->f[i].n);
	er_reader_position(r, rec, i, 0, &c->odd_line, &c->odd_col);
}

static er_status add_number(er_reader *r, const er_record *rec, size_t i, er_colprofile *c,
                            er_cell *cell)
{
	double v = cell->num;

	/* Most values fall well inside the range seen so far: then the
	 * approximation decides, and no exact conversion is needed. */
	if (cell->approx) {
		double margin = fabs(v) * 1e-12;
		if (c->numbers && v - margin > c->min && v + margin < c->max) {
			c->numbers++;
			return ER_OK;
		}
		v = er_cell_exact(cell);
	}

	if (cell->unit) {
		char u[32];
		size_t n = cell->unit_len < sizeof u - 1 ? cell->unit_len : sizeof u - 1;
		memcpy(u, cell->unit, n);
		u[n] = '\0';
		if (c->unit == NULL) {
			c->unit = er_strdup(u);
			if (c->unit == NULL)
				return ER_ERR_NOMEM;
		} else if (strcmp(u, c->unit) != 0) {
			double f;
			if (er_unit_factor(u, c->unit, &f)) {
				v *= f;
				c->converted++;
			} else if (c->bad_unit == NULL) {
				c->bad_unit = er_strdup(u);
				if (c->bad_unit == NULL)
					return ER_ERR_NOMEM;
				er_reader_position(r, rec, i, 0, &c->bad_unit_line, &c->bad_unit_col);
			}
		}
	}
	if (c->numbers == 0 || v < c->min)
		c->min = v;
	if (c->numbers == 0 || v > c->max)
		c->max = v;
	c->numbers++;
	return ER_OK;
}

static er_status on_row(void *ctx, er_reader *r, const er_record *rec)
{
	prof_ctx *pc = ctx;
	er_profile *p = pc->p;
	size_t i;
	er_status st;

	for (i = 0; i < p->ncols; i++) {
		er_colprofile *c = &p->cols[i];
		const er_field *f = &rec->f[i];
		er_cell cell;

		switch (er_cell_scan(f->s, f->n, pc->decimal, &cell)) {
		case ER_CELL_MISSING:
			c->missing++;
			continue;
		case ER_CELL_NUMBER:
			if (c->times)
				note_odd(r, rec, i, c);
			st = add_number(r, rec, i, c, &cell);
			if (st != ER_OK)
				return st;
			break;
		case ER_CELL_DATETIME:
			if (c->numbers)
				note_odd(r, rec, i, c);
			if (c->times == 0 || cell.time.us < c->tmin.us)
				c->tmin = cell.time;
			if (c->times == 0 || cell.time.us > c->tmax.us)
				c->tmax = cell.time;
			c->times++;
			break;
		case ER_CELL_TEXT:
			if ((c->numbers || c->times) && !c->texts)
				note_odd(r, rec, i, c);
			c->texts++;
			break;
		}
		/* Distinct counts are shown for text columns only: a column that is
		 * numeric so far stops hashing once its exact set overflows. */
		if (c->texts || !c->distinct_capped) {
			st = er_distinct_add(&c->distinct, er_hash_bytes(f->s, f->n));
			if (st != ER_OK)
				return st;
			if (!c->texts && c->distinct.hll) {
				c->distinct_capped = 1;
				c->distinct_partial = 1;
			}
		}
	}
	return ER_OK;
}

static void finish_types(er_profile *p, const er_reader *r, er_diag_sink *diag, er_status *st)
{
	size_t i;
	for (i = 0; i < p->ncols; i++) {
		er_colprofile *c = &p->cols[i];
		if (c->texts || (c->numbers && c->times) || (!c->numbers && !c->times))
			c->type = ER_TYPE_TEXT;
		else if (c->numbers)
			c->type = ER_TYPE_NUMBER;
		else
			c->type = ER_TYPE_DATETIME;
		if (c->type == ER_TYPE_NUMBER && c->bad_unit) {
			er_diag_emit(diag, ER_SEV_ERROR, er_reader_display(r), c->bad_unit_line,
			             c->bad_unit_col,
			             "column \"%s\": unit \"%s\" cannot be converted to \"%s\", the "
			             "column's unit",
			             c->name, c->bad_unit, c->unit);
			*st = ER_ERR_DATA;
		}
	}
}

er_status er_profile_read(er_reader *r, er_profile **out)
{
	er_profile *p;
	prof_ctx pc;
	size_t i;
	er_status st;

	*out = NULL;
	p = calloc(1, sizeof *p);
	if (p == NULL)
		return ER_ERR_NOMEM;
	p->ncols = er_reader_ncols(r);
	p->cols = calloc(p->ncols ? p->ncols : 1, sizeof *p->cols);
	if (p->cols == NULL) {
		er_profile_free(p);
		return ER_ERR_NOMEM;
	}
	for (i = 0; i < p->ncols; i++) {
		const char *unit = er_reader_col_unit(r, i);
		p->cols[i].name = er_strdup(er_reader_col_name(r, i));
		p->cols[i].unit = unit ? er_strdup(unit) : NULL;
		if (p->cols[i].name == NULL || (unit && p->cols[i].unit == NULL)) {
			er_profile_free(p);
			return ER_ERR_NOMEM;
		}
	}
	pc.p = p;
	pc.decimal = er_reader_decimal(r);
	pc.diag = NULL;
	st = er_reader_run(r, on_row, &pc);
	p->rows = er_reader_rows(r);
	p->rows_skipped = er_reader_rows_skipped(r);
	if (st == ER_OK) {
		finish_types(p, r, er_reader_diag(r), &st);
	}
	if (st != ER_OK) {
		er_profile_free(p);
		return st;
	}
	*out = p;
	return ER_OK;
}

void er_profile_free(er_profile *p)
{
	size_t i;
	if (p == NULL)
		return;
	for (i = 0; i < p->ncols; i++) {
		free(p->cols[i].name);
		free(p->cols[i].unit);
		free(p->cols[i].odd_text);
		free(p->cols[i].bad_unit);
		er_distinct_free(&p->cols[i].distinct);
	}
	free(p->cols);
	free(p);
}
