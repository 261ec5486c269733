/* result.c - result tables: storage, sorting, writers. */
#include "result.h"

#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/num.h"
#include "common/units.h"
#include "common/utf8.h"
#include "common/util.h"

er_result *er_result_new(size_t ncols)
{
	er_result *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->ncols = ncols;
	r->cols = calloc(ncols ? ncols : 1, sizeof *r->cols);
	if (r->cols == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void er_result_free(er_result *r)
{
	size_t i;
	if (r == NULL)
		return;
	for (i = 0; i < r->ncols; i++) {
		free(r->cols[i].name);
		free(r->cols[i].unit);
		free(r->cols[i].skipped_of);
	}
	for (i = 0; i < r->ntexts; i++)
		free(r->texts[i]);
	free(r->texts);
	free(r->cols);
	free(r->cells);
	free(r);
}

er_status er_result_set_col(er_result *r, size_t col, const char *name, const char *unit)
{
	er_rcol *c = &r->cols[col];
	/* Copy before freeing: name or unit may be the column's own strings. */
	char *nn = er_strdup(name), *nu = unit ? er_strdup(unit) : NULL;
	if (nn == NULL || (unit && nu == NULL)) {
		free(nn);
		free(nu);
		return ER_ERR_NOMEM;
	}
	free(c->name);
	free(c->unit);
	c->name = nn;
	c->unit = nu;
	return ER_OK;
}

/* Whether v is a number read from a cell that ends with v's unit. */
static int wrote_unit(const er_value *v)
{
	size_t u = v->unit ? strlen(v->unit) : 0;
	return v->type == ER_V_NUM && u && v->s && v->n > u && memcmp(v->s + v->n - u, v->unit, u) == 0;
}

static er_status own_text(er_result *r, er_value *v)
{
	char *copy;
	if (v->s == NULL)
		return ER_OK;
	if (v->type != ER_V_TEXT && !wrote_unit(v)) {
		/* Numbers and times are printed from their values. A number whose
		 * cell wrote its unit ("32 billion") keeps that text, should its
		 * column turn out to hold text (er_result_settle_types). */
		v->s = NULL;
		v->n = 0;
		return ER_OK;
	}
	if (er_grow(&r->texts, &r->tcap, r->ntexts, sizeof *r->texts, 64) != ER_OK)
		return ER_ERR_NOMEM;
	copy = er_strndup(v->s, v->n);
	if (copy == NULL)
		return ER_ERR_NOMEM;
	r->texts[r->ntexts++] = copy;
	v->s = copy;
	return ER_OK;
}

er_status er_result_add_row(er_result *r, const er_value *vals)
{
	size_t i;
	if (r->nrows == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;
		er_value *nc = realloc(r->cells, ncap * r->ncols * sizeof *nc + 1);
		if (nc == NULL)
			return ER_ERR_NOMEM;
		r->cells = nc;
		r->cap = ncap;
	}
	for (i = 0; i < r->ncols; i++) {
		er_value v = vals[i];
		er_status st = own_text(r, &v);
		if (st != ER_OK)
			return st;
		r->cells[r->nrows * r->ncols + i] = v;
	}
	r->nrows++;
	return ER_OK;
}

er_status er_result_settle_types(er_result *r)
{
	size_t i, j;
	for (j = 0; j < r->ncols; j++) {
		er_vtype t = ER_V_NULL;
		for (i = 0; i < r->nrows; i++) {
			er_vtype ct = r->cells[i * r->ncols + j].type;
			if (ct == ER_V_BOOL)
				ct = ER_V_NUM;
			if (ct == ER_V_NULL)
				continue;
			if (t == ER_V_NULL)
				t = ct;
			else if (t != ct)
				t = ER_V_TEXT;
		}
		/* No value to tell: the kind the column was given, else text. */
		r->cols[j].type = t != ER_V_NULL ? t : r->cols[j].type != ER_V_NULL ? r->cols[j].type : ER_V_TEXT;
		if (t != ER_V_TEXT)
			continue;
		free(r->cols[j].unit); /* text has no unit */
		r->cols[j].unit = NULL;
		/* A text column holds text only: a number among labels ("2025"
		 * among "2025b") is written, compared and sorted as the text it
		 * was written as (or prints as), the same in every output. */
		for (i = 0; i < r->nrows; i++) {
			er_value *v = &r->cells[i * r->ncols + j];
			char buf[64];
			er_status st;
			if (v->type == ER_V_TEXT || v->type == ER_V_NULL)
				continue;
			if (v->type == ER_V_NUM && v->s) { /* as written, already owned */
				*v = er_value_text(v->s, v->n);
				continue;
			}
			*v = er_value_text(buf, er_value_format(v, buf, sizeof buf));
			if ((st = own_text(r, v)) != ER_OK)
				return st;
		}
	}
	return ER_OK;
}

static int value_cmp(const er_value *a, const er_value *b)
{
	if (a->type == ER_V_NULL || b->type == ER_V_NULL)
		return (a->type == ER_V_NULL) - (b->type == ER_V_NULL);
	if ((a->type == ER_V_NUM || a->type == ER_V_BOOL) && (b->type == ER_V_NUM || b->type == ER_V_BOOL))
		return a->num < b->num ? -1 : a->num > b->num;
	if (a->type == ER_V_TIME && b->type == ER_V_TIME)
		return a->t.us < b->t.us ? -1 : a->t.us > b->t.us;
	if (a->type != b->type)
		return a->type == ER_V_NUM ? -1 : b->type == ER_V_NUM ? 1 : (int)a->type - (int)b->type;
	{
		size_t n = a->n < b->n ? a->n : b->n;
		int c = n ? memcmp(a->s, b->s, n) : 0;
		return c ? c : (a->n < b->n ? -1 : a->n > b->n);
	}
}

typedef struct sort_ctx {
	const er_result *r;
	const size_t *cols;
	const int *desc;
	size_t n;
} sort_ctx;

static int row_cmp(const sort_ctx *s, size_t a, size_t b)
{
	size_t k;
	for (k = 0; k < s->n; k++) {
		const er_value *x = er_result_cell(s->r, a, s->cols[k]);
		const er_value *y = er_result_cell(s->r, b, s->cols[k]);
		int c = value_cmp(x, y);
		/* Missing stays last in both directions. */
		if (c && s->desc[k] && x->type != ER_V_NULL && y->type != ER_V_NULL)
			c = -c;
		if (c)
			return c;
	}
	return a < b ? -1 : a > b; /* stable: earlier rows first */
}

static void merge_sort(const sort_ctx *s, size_t *idx, size_t *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;
	if (n < 2)
		return;
	merge_sort(s, idx, tmp, mid);
	merge_sort(s, idx + mid, tmp, n - mid);
	while (i < mid && j < n)
		tmp[k++] = row_cmp(s, idx[i], idx[j]) <= 0 ? idx[i++] : idx[j++];
	while (i < mid)
		tmp[k++] = idx[i++];
	while (j < n)
		tmp[k++] = idx[j++];
	memcpy(idx, tmp, n * sizeof *idx);
}

er_status er_result_sort(er_result *r, const size_t *cols, const int *desc, size_t n)
{
	size_t *idx, *tmp, i;
	er_value *cells;
	sort_ctx s = {r, cols, desc, n};

	if (r->nrows < 2 || n == 0)
		return ER_OK;
	idx = malloc(r->nrows * sizeof *idx);
	tmp = malloc(r->nrows * sizeof *tmp);
	cells = malloc(r->nrows * r->ncols * sizeof *cells);
	if (idx == NULL || tmp == NULL || cells == NULL) {
		free(idx);
		free(tmp);
		free(cells);
		return ER_ERR_NOMEM;
	}
	for (i = 0; i < r->nrows; i++)
		idx[i] = i;
	merge_sort(&s, idx, tmp, r->nrows);
	for (i = 0; i < r->nrows; i++)
		memcpy(cells + i * r->ncols, r->cells + idx[i] * r->ncols, r->ncols * sizeof *cells);
	free(r->cells);
	r->cells = cells;
	r->cap = r->nrows;
	free(idx);
	free(tmp);
	return ER_OK;
}

void er_result_limit(er_result *r, size_t n)
{
	if (n < r->nrows)
		r->nrows = n;
}

size_t er_value_format(const er_value *v, char *buf, size_t cap)
{
	switch (v->type) {
	case ER_V_NULL:
		buf[0] = '\0';
		return 0;
	case ER_V_BOOL:
		return (size_t)snprintf(buf, cap, "%s", v->num ? "true" : "false");
	case ER_V_NUM:
		return er_num_format_shortest(v->num, buf, cap);
	case ER_V_TIME:
		return er_time_format(&v->t, buf, cap);
	case ER_V_TEXT: {
		size_t n = v->n < cap - 1 ? v->n : cap - 1;
		memcpy(buf, v->s, n);
		buf[n] = '\0';
		return n;
	}
	}
	return 0;
}

static void csv_field(FILE *f, const char *s, size_t n)
{
	size_t i;
	int quote = 0;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	/* Leading or trailing blanks would be trimmed by readers: keep them quoted. */
	if (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t'))
		quote = 1;
	if (!quote) {
		fwrite(s, 1, n, f);
		return;
	}
	fputc('"', f);
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

static const char *cell_text(const er_value *v, char *buf, size_t cap, size_t *n)
{
	if (v->type == ER_V_TEXT) {
		*n = v->n;
		return v->s;
	}
	*n = er_value_format(v, buf, cap);
	return buf;
}

er_status er_result_write_csv(const er_result *r, FILE *f)
{
	size_t i, j, n;
	char buf[64];
	const char *s;

	for (j = 0; j < r->ncols; j++) {
		if (j)
			fputc(',', f);
		csv_field(f, r->cols[j].name, strlen(r->cols[j].name));
	}
	fputc('\n', f);
	for (i = 0; i < r->nrows; i++) {
		for (j = 0; j < r->ncols; j++) {
			const er_value *v = er_result_cell(r, i, j);
			if (j)
				fputc(',', f);
			s = cell_text(v, buf, sizeof buf, &n);
			csv_field(f, s, n);
		}
		fputc('\n', f);
	}
	return ferror(f) ? ER_ERR_IO : ER_OK;
}

er_status er_result_write_json(const er_result *r, FILE *f)
{
	size_t i, j;
	char buf[64];

	fputs("{\"columns\":[", f);
	for (j = 0; j < r->ncols; j++) {
		const er_rcol *c = &r->cols[j];
		fputs(j ? ",{\"name\":" : "{\"name\":", f);
		er_json_string(f, c->name, strlen(c->name));
		fprintf(f, ",\"type\":\"%s\",\"unit\":", c->type == ER_V_NUM ? "number" :
		        c->type == ER_V_TIME ? "datetime" : "text");
		if (c->unit)
			er_json_string(f, c->unit, strlen(c->unit));
		else
			fputs("null", f);
		if (c->skipped_of)
			fprintf(f, ",\"missing_skipped\":%zu", c->skipped);
		fputc('}', f);
	}
	fprintf(f, "],\"rows_read\":%zu,\"rows_skipped\":%zu,\"rows_filtered\":%zu,"
	           "\"rows_superseded\":%zu,\"rows\":[",
	        r->rows_read, r->rows_skipped, r->rows_filtered, r->rows_superseded);
	for (i = 0; i < r->nrows; i++) {
		fputs(i ? ",[" : "[", f);
		for (j = 0; j < r->ncols; j++) {
			const er_value *v = er_result_cell(r, i, j);
			size_t n;
			if (j)
				fputc(',', f);
			switch (v->type) {
			case ER_V_NULL:
				fputs("null", f);
				break;
			case ER_V_NUM:
				if (v->num != v->num || v->num - v->num != 0) {
					fputs("null", f);
					break;
				}
				er_value_format(v, buf, sizeof buf);
				fputs(buf, f);
				break;
			case ER_V_BOOL:
				fputs(v->num ? "true" : "false", f);
				break;
			default:
				n = er_value_format(v, buf, sizeof buf);
				if (v->type == ER_V_TEXT)
					er_json_string(f, v->s, v->n);
				else
					er_json_string(f, buf, n);
			}
		}
		fputc(']', f);
	}
	fputs("]}\n", f);
	return ferror(f) ? ER_ERR_IO : ER_OK;
}

/* A text table's column head: the name, and its unit in parentheses
 * unless the name already ends with it ("co2 (kg)"). */
static void col_head(const er_rcol *c, char *head, size_t cap)
{
	size_t at, len;
	if (c->unit == NULL || (er_unit_in_name(c->name, &at, &len) && len == strlen(c->unit) &&
	                        memcmp(c->name + at + 1, c->unit, len) == 0))
		snprintf(head, cap, "%s", c->name);
	else
		snprintf(head, cap, "%s (%s)", c->name, c->unit);
}

er_status er_result_write_text(const er_result *r, FILE *f)
{
	size_t i, j, *w;
	char buf[64];

	w = calloc(r->ncols ? r->ncols : 1, sizeof *w);
	if (w == NULL)
		return ER_ERR_NOMEM;
	for (j = 0; j < r->ncols; j++) {
		char head[256];
		col_head(&r->cols[j], head, sizeof head);
		w[j] = er_utf8_count(head, strlen(head));
	}
	for (i = 0; i < r->nrows; i++)
		for (j = 0; j < r->ncols; j++) {
			size_t n;
			const char *s = cell_text(er_result_cell(r, i, j), buf, sizeof buf, &n);
			n = er_utf8_count(s, n);
			if (n > w[j])
				w[j] = n > 60 ? 60 : n;
		}
	for (j = 0; j < r->ncols; j++) {
		char head[256];
		size_t n;
		col_head(&r->cols[j], head, sizeof head);
		n = er_utf8_count(head, strlen(head));
		if (j)
			fputs("  ", f);
		if (r->cols[j].type == ER_V_NUM)
			for (; n < w[j]; n++)
				fputc(' ', f);
		fputs(head, f);
		if (r->cols[j].type != ER_V_NUM && j + 1 < r->ncols)
			for (; n < w[j]; n++)
				fputc(' ', f);
	}
	fputc('\n', f);
	for (i = 0; i < r->nrows; i++) {
		for (j = 0; j < r->ncols; j++) {
			size_t n, chars;
			const char *s = cell_text(er_result_cell(r, i, j), buf, sizeof buf, &n);
			chars = er_utf8_count(s, n);
			if (j)
				fputs("  ", f);
			if (r->cols[j].type == ER_V_NUM)
				for (; chars < w[j]; chars++)
					fputc(' ', f);
			fwrite(s, 1, n, f);
			if (r->cols[j].type != ER_V_NUM && j + 1 < r->ncols)
				for (; chars < w[j]; chars++)
					fputc(' ', f);
		}
		fputc('\n', f);
	}
	free(w);
	return ferror(f) ? ER_ERR_IO : ER_OK;
}
