/* chart.c - bar chart layout: horizontal, vertical, grouped, stacked, log. */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "common/buf.h"
#include "common/util.h"

#define MAX_SERIES 8
#define MAX_TICKS 24
#define LINE 1.25 /* line height as a multiple of the font size */

typedef struct cat {
	char *label;
	double v[MAX_SERIES];
	int has[MAX_SERIES];
	int group;  /* colour group (color_by), or -1 */
	size_t row; /* data order */
} cat;

typedef struct lay {
	const er_chart_spec *spec;
	const er_theme *th;
	const er_measurer *m;
	er_diag_sink *diag;
	er_scene *s;
	double W, H;
	cat *cats;
	size_t ncats;
	size_t nseries;
	const char *series[MAX_SERIES];
	char *groups[MAX_SERIES + 1];
	size_t ngroups;
	const char *unit;       /* common unit of the value columns, or NULL */
	int vertical;
	int auto_multiline; /* automatic orientation accepts wrapped column labels */
	int stack_groups;   /* long-format stack: series are the colour groups */
	unsigned char renamed[ER_CHART_MAX_RENAME]; /* which spec->rename pairs matched */
} lay;

static const char *name(const lay *L)
{
	return L->spec->data_name ? L->spec->data_name : "data";
}

static double tw(const lay *L, int font, double size, const char *s, size_t n)
{
	return L->m->width(L->m->ctx, font, size, s, n);
}

static double ascent(const lay *L, int font, double size)
{
	double a, d;
	L->m->metrics(L->m->ctx, font, size, &a, &d);
	return a;
}

static double descent(const lay *L, int font, double size)
{
	double a, d;
	L->m->metrics(L->m->ctx, font, size, &a, &d);
	return d;
}

typedef enum { LEFT, CENTER, RIGHT } align;

/* One line of text with its x anchor; baseline y. */
static er_status text(lay *L, const char *role, double x, double y, int font, double size,
                      er_color c, const char *s, size_t n, align a)
{
	double w = tw(L, font, size, s, n);
	if (a == CENTER)
		x -= w / 2;
	else if (a == RIGHT)
		x -= w;
	return er_scene_text(L->s, role, x, y, font, size, c, s, n, w);
}

/* A wrapped block whose top is y; returns its height in *h. Lines beyond
 * max_lines end in an ellipsis. */
static er_status block(lay *L, const char *role, int font, double size, er_color c,
                       const char *s, double x, double y, double width, size_t max_lines, align a,
                       double *h)
{
	er_span lines[16];
	int cut;
	size_t n, i;
	double lh = size * LINE, asc = ascent(L, font, size);
	er_status st = ER_OK;

	if (max_lines > 16)
		max_lines = 16;
	n = er_wrap(L->m, font, size, s, strlen(s), width, lines, max_lines, &cut);
	for (i = 0; i < n && st == ER_OK; i++) {
		const char *p = s + lines[i].off;
		size_t len = lines[i].len;
		double base = y + asc + (double)i * lh;
		if (cut && i + 1 == n) {
			char buf[2048];
			size_t keep = er_ellipsize(L->m, font, size, p, len, width);
			if (keep > sizeof buf - 4)
				keep = sizeof buf - 4;
			memcpy(buf, p, keep);
			memcpy(buf + keep, "\xe2\x80\xa6", 3);
			st = text(L, role, x, base, font, size, c, buf, keep + 3, a);
		} else {
			st = text(L, role, x, base, font, size, c, p, len, a);
		}
	}
	*h = (double)n * lh;
	return st;
}

/* The height a wrapped block would take, and its widest line. */
static double block_height(lay *L, int font, double size, const char *s, double width,
                           size_t max_lines, double *widest)
{
	er_span lines[16];
	int cut;
	size_t n, i;
	if (max_lines > 16)
		max_lines = 16;
	n = er_wrap(L->m, font, size, s, strlen(s), width, lines, max_lines, &cut);
	if (widest) {
		*widest = 0;
		for (i = 0; i < n; i++) {
			double w = tw(L, font, size, s + lines[i].off, lines[i].len);
			/* A cut last line is drawn shortened, with an ellipsis. */
			if (cut && i + 1 == n && w > width)
				w = width;
			if (w > *widest)
				*widest = w;
		}
	}
	return (double)n * size * LINE;
}

/* ---- data ----------------------------------------------------------------- */

static long find_col(lay *L, const er_result *d, const char *col, const char *what)
{
	size_t i;
	const char **names;
	long best;
	for (i = 0; i < d->ncols; i++)
		if (strcmp(d->cols[i].name, col) == 0)
			return (long)i;
	names = malloc((d->ncols + 1) * sizeof *names);
	if (names == NULL)
		return -2;
	for (i = 0; i < d->ncols; i++)
		names[i] = d->cols[i].name;
	best = er_suggest(col, names, d->ncols);
	if (best >= 0)
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
		             "%s column \"%s\" not found (did you mean \"%s\"?)", what, col, names[best]);
	else
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0, "%s column \"%s\" not found", what, col);
	free(names);
	return -1;
}

static er_status cell_label(const er_value *v, char **out)
{
	char buf[64];
	if (v->type == ER_V_TEXT) {
		*out = er_strndup(v->s, v->n);
	} else if (v->type == ER_V_NULL) {
		*out = er_strdup("(missing)");
	} else {
		er_value_format(v, buf, sizeof buf);
		*out = er_strdup(buf);
	}
	return *out ? ER_OK : ER_ERR_NOMEM;
}

/* Shows a category or colour value under its new name, when it has one. */
static er_status relabel(lay *L, char **label)
{
	const er_chart_spec *sp = L->spec;
	size_t k;
	char *to;

	for (k = 0; k < sp->nrename && k < ER_CHART_MAX_RENAME; k++) {
		if (strcmp(*label, sp->rename[2 * k]) != 0)
			continue;
		to = er_strdup(sp->rename[2 * k + 1]);
		if (to == NULL)
			return ER_ERR_NOMEM;
		free(*label);
		*label = to;
		L->renamed[k] = 1;
		return ER_OK;
	}
	return ER_OK;
}

/* Whether a label is the name of rename pair k, from (0) or to (1). */
static int is_rename(const er_chart_spec *sp, const char *label, int to, size_t *k)
{
	for (*k = 0; *k < sp->nrename; (*k)++)
		if (strcmp(label, sp->rename[2 * *k + to]) == 0)
			return 1;
	return 0;
}

/* A new name must not be another value's in the same column: two bars with
 * one label, or two colour groups merged into one, would misstate the
 * data. Nor may two values get one name. */
static er_status check_renames(lay *L, const er_result *d, long col)
{
	const er_chart_spec *sp = L->spec;
	unsigned char in[ER_CHART_MAX_RENAME] = {0};
	size_t i, k, j;
	char *label = NULL, ex[3][200];
	er_status st = ER_OK;

	for (k = 0; k < sp->nrename && k < ER_CHART_MAX_RENAME; k++)
		for (j = 0; j < k; j++)
			if (strcmp(sp->rename[2 * k + 1], sp->rename[2 * j + 1]) == 0 &&
			    strcmp(sp->rename[2 * k], sp->rename[2 * j]) != 0) {
				er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
				             "%s and %s are both labelled %s: the two would be shown as one",
				             er_diag_excerpt(ex[0], sp->rename[2 * j], strlen(sp->rename[2 * j]), 40),
				             er_diag_excerpt(ex[1], sp->rename[2 * k], strlen(sp->rename[2 * k]), 40),
				             er_diag_excerpt(ex[2], sp->rename[2 * k + 1],
				                             strlen(sp->rename[2 * k + 1]), 40));
				return ER_ERR_DATA;
			}
	/* Which renames apply to this column, then its values kept as they are. */
	for (i = 0; i < d->nrows && st == ER_OK; i++) {
		st = cell_label(er_result_cell(d, i, (size_t)col), &label);
		if (st == ER_OK && is_rename(sp, label, 0, &k) && k < ER_CHART_MAX_RENAME)
			in[k] = 1;
		free(label);
		label = NULL;
	}
	for (i = 0; i < d->nrows && st == ER_OK; i++) {
		st = cell_label(er_result_cell(d, i, (size_t)col), &label);
		if (st == ER_OK && !is_rename(sp, label, 0, &k) && is_rename(sp, label, 1, &k) &&
		    k < ER_CHART_MAX_RENAME && in[k]) {
			er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
			             "the label for %s is %s, the name of another value: the two would be "
			             "shown as one",
			             er_diag_excerpt(ex[0], sp->rename[2 * k], strlen(sp->rename[2 * k]), 40),
			             er_diag_excerpt(ex[1], label, strlen(label), 40));
			st = ER_ERR_DATA;
		}
		free(label);
		label = NULL;
	}
	return st;
}

static int cmp_up(const void *a, const void *b)
{
	const cat *x = a, *y = b;
	double vx = x->has[0] ? x->v[0] : -INFINITY, vy = y->has[0] ? y->v[0] : -INFINITY;
	if (vx != vy)
		return vx < vy ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int cmp_down(const void *a, const void *b)
{
	const cat *x = a, *y = b;
	double vx = x->has[0] ? x->v[0] : -INFINITY, vy = y->has[0] ? y->v[0] : -INFINITY;
	if (vx != vy)
		return vx > vy ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static er_status extract(lay *L, const er_result *d)
{
	const er_chart_spec *sp = L->spec;
	long ccol, gcol = -1, vcols[MAX_SERIES];
	size_t i, k;
	er_status st = ER_OK;

	if (sp->nvalues == 0 || sp->nvalues > MAX_SERIES) {
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0, "a chart needs 1 to %d value columns",
		             MAX_SERIES);
		return ER_ERR_DATA;
	}
	if ((ccol = find_col(L, d, sp->category, "category")) < 0)
		return ccol == -2 ? ER_ERR_NOMEM : ER_ERR_DATA;
	for (k = 0; k < sp->nvalues; k++) {
		if ((vcols[k] = find_col(L, d, sp->values[k], "value")) < 0)
			return vcols[k] == -2 ? ER_ERR_NOMEM : ER_ERR_DATA;
		L->series[k] = sp->labels && sp->labels[k] ? sp->labels[k] : sp->values[k];
		if (d->cols[vcols[k]].type != ER_V_NUM && d->nrows > 0) {
			size_t r;
			for (r = 0; r < d->nrows; r++) {
				const er_value *v = er_result_cell(d, r, (size_t)vcols[k]);
				if (v->type != ER_V_NULL && v->type != ER_V_NUM) {
					char ex[200];
					er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
					             "value column \"%s\" holds text, not numbers (e.g. %s)", sp->values[k],
					             er_diag_excerpt(ex, v->s ? v->s : "", v->s ? v->n : 0, 40));
					return ER_ERR_DATA;
				}
			}
		}
		if (k == 0)
			L->unit = d->cols[vcols[k]].unit;
		else if (L->unit && (d->cols[vcols[k]].unit == NULL ||
		                     strcmp(L->unit, d->cols[vcols[k]].unit) != 0))
			L->unit = NULL;
	}
	L->nseries = sp->nvalues;
	if (sp->color_by && (gcol = find_col(L, d, sp->color_by, "--color-by")) < 0)
		return gcol == -2 ? ER_ERR_NOMEM : ER_ERR_DATA;
	if (d->nrows == 0) {
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
		             "no rows to chart (the data is empty, or --where removed every row)");
		return ER_ERR_DATA;
	}
	if (sp->nrename > 0) {
		st = check_renames(L, d, ccol);
		if (st == ER_OK && gcol >= 0)
			st = check_renames(L, d, gcol);
		if (st != ER_OK)
			return st;
	}
	L->cats = calloc(d->nrows, sizeof *L->cats);
	if (L->cats == NULL)
		return ER_ERR_NOMEM;
	for (i = 0; i < d->nrows && st == ER_OK; i++) {
		cat *c = &L->cats[L->ncats++];
		c->row = i;
		c->group = -1;
		st = cell_label(er_result_cell(d, i, (size_t)ccol), &c->label);
		if (st == ER_OK)
			st = relabel(L, &c->label);
		for (k = 0; st == ER_OK && k < L->nseries; k++) {
			const er_value *v = er_result_cell(d, i, (size_t)vcols[k]);
			c->has[k] = v->type == ER_V_NUM && isfinite(v->num);
			c->v[k] = c->has[k] ? v->num : 0;
		}
		if (st == ER_OK && gcol >= 0) {
			char *g;
			size_t j;
			st = cell_label(er_result_cell(d, i, (size_t)gcol), &g);
			if (st == ER_OK)
				st = relabel(L, &g);
			if (st != ER_OK) {
				free(g);
				break;
			}
			for (j = 0; j < L->ngroups; j++)
				if (strcmp(L->groups[j], g) == 0)
					break;
			if (j == L->ngroups) {
				if (L->ngroups == MAX_SERIES) {
					er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
					             "--color-by \"%s\" has more than %d different values", sp->color_by,
					             MAX_SERIES);
					free(g);
					return ER_ERR_DATA;
				}
				L->groups[L->ngroups++] = g;
			} else {
				free(g);
			}
			c->group = (int)j;
		}
	}
	if (st != ER_OK)
		return st;
	/* A new name for a value the data does not have is a typo, not a no-op. */
	if (sp->nrename > ER_CHART_MAX_RENAME) {
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0, "at most %d labels can be renamed",
		             ER_CHART_MAX_RENAME);
		return ER_ERR_DATA;
	}
	for (k = 0; k < sp->nrename; k++) {
		char ex[200], near[200];
		const char **names;
		long best;
		if (L->renamed[k])
			continue;
		/* The values not renamed are what a typo most likely meant. */
		names = malloc((L->ncats + L->ngroups + 1) * sizeof *names);
		if (names == NULL)
			return ER_ERR_NOMEM;
		for (i = 0; i < L->ncats; i++)
			names[i] = L->cats[i].label;
		for (i = 0; i < L->ngroups; i++)
			names[L->ncats + i] = L->groups[i];
		best = er_suggest(sp->rename[2 * k], names, L->ncats + L->ngroups);
		er_diag_excerpt(ex, sp->rename[2 * k], strlen(sp->rename[2 * k]), 40);
		if (best >= 0)
			er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
			             "a label is given for %s, but no category or colour value is called "
			             "that (did you mean %s?)",
			             ex, er_diag_excerpt(near, names[best], strlen(names[best]), 40));
		else
			er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
			             "a label is given for %s, but no category or colour value is called "
			             "that", ex);
		free(names);
		return ER_ERR_DATA;
	}
	/* Long-format stacks: one row per segment, its colour group naming the
	 * segment (--type stacked --value co2_t --color-by component). */
	if (sp->type == ER_CHART_STACKED && L->nseries == 1 && L->ngroups > 0) {
		size_t w = 0, g;
		for (i = 0; i < L->ncats; i++) {
			cat *c = &L->cats[i];
			size_t j;
			for (j = 0; j < w; j++)
				if (strcmp(L->cats[j].label, c->label) == 0)
					break;
			g = (size_t)c->group;
			if (j == w) {
				cat moved = *c;
				double v = c->v[0];
				int has = c->has[0];
				memset(moved.v, 0, sizeof moved.v);
				memset(moved.has, 0, sizeof moved.has);
				moved.v[g] = v;
				moved.has[g] = has;
				moved.group = -1;
				L->cats[w++] = moved;
			} else {
				if (L->cats[j].has[g]) {
					er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
					             "category \"%s\" has two \"%s\" segments", c->label, L->groups[g]);
					free(c->label);
					L->ncats = w + (L->ncats - i - 1);
					return ER_ERR_DATA;
				}
				L->cats[j].v[g] = c->v[0];
				L->cats[j].has[g] = c->has[0];
				free(c->label);
			}
		}
		L->ncats = w;
		L->nseries = L->ngroups;
		for (g = 0; g < L->ngroups; g++)
			L->series[g] = L->groups[g];
		L->stack_groups = 1;
	}
	/* Each category once: a chart of duplicates would mislead. */
	for (i = 1; i < L->ncats; i++)
		for (k = 0; k < i; k++)
			if (strcmp(L->cats[i].label, L->cats[k].label) == 0) {
				er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
				             "category \"%s\" appears more than once (rows %zu and %zu); total them "
				             "first with ecoreport aggregate --group-by %s",
				             L->cats[i].label, k + 1, i + 1, sp->category);
				return ER_ERR_DATA;
			}
	/* All missing? */
	for (k = 0; k < L->nseries; k++) {
		int any = 0;
		for (i = 0; i < L->ncats; i++)
			any |= L->cats[i].has[k];
		if (!any) {
			er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
			             "value column \"%s\" has no values (every cell is missing)", L->series[k]);
			return ER_ERR_DATA;
		}
	}
	if (sp->sort == ER_SORT_ASC)
		qsort(L->cats, L->ncats, sizeof *L->cats, cmp_up);
	else if (sp->sort == ER_SORT_DESC)
		qsort(L->cats, L->ncats, sizeof *L->cats, cmp_down);
	if (sp->limit >= 0 && (size_t)sp->limit < L->ncats) {
		for (i = (size_t)sp->limit; i < L->ncats; i++)
			free(L->cats[i].label);
		L->ncats = (size_t)sp->limit;
		if (L->ncats == 0) {
			er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0, "--limit 0 leaves nothing to chart");
			return ER_ERR_DATA;
		}
	}
	return ER_OK;
}

/* "2025", "2025-03", "2025-Q1", "FY2026-Q1": categories that are periods. */
static int time_label(const char *s)
{
	size_t n = strlen(s), i;
	if (n >= 2 && s[0] == 'F' && s[1] == 'Y') {
		s += 2;
		n -= 2;
	}
	if (n < 4)
		return 0;
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (n == 4)
		return 1;
	if (n == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4')
		return 1;
	if (n == 7 && s[4] == '-' && s[5] >= '0' && s[5] <= '1' && s[6] >= '0' && s[6] <= '9')
		return 1;
	if (n == 10 && s[4] == '-' && s[7] == '-')
		return 1;
	return 0;
}

/* ---- colours and values ---------------------------------------------------- */

static er_color bar_color(const lay *L, const cat *c, size_t series)
{
	const er_theme *th = L->th;
	if (L->ngroups && !L->stack_groups)
		return th->palette[(size_t)c->group % th->npalette];
	return th->palette[series % th->npalette];
}

/* White or dark text on a bar, whichever reads better. */
static er_color on_color(const lay *L, er_color bg)
{
	double lum = 0.2126 * bg.r + 0.7152 * bg.g + 0.0722 * bg.b;
	return lum < 0.55 ? L->th->inside : L->th->text;
}

static void domain(const lay *L, double *lo, double *hi)
{
	size_t i, k;
	int stacked = L->spec->type == ER_CHART_STACKED;
	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < L->ncats; i++) {
		double pos = 0, neg = 0;
		for (k = 0; k < L->nseries; k++) {
			double v;
			if (!L->cats[i].has[k])
				continue;
			v = L->cats[i].v[k];
			if (stacked) {
				if (v >= 0)
					pos += v;
				else
					neg += v;
			} else {
				if (v < *lo)
					*lo = v;
				if (v > *hi)
					*hi = v;
			}
		}
		if (stacked) {
			if (neg < *lo)
				*lo = neg;
			if (pos > *hi)
				*hi = pos;
		}
	}
}

typedef struct scale {
	double d0, d1;   /* domain */
	double p0, p1;   /* pixels (points) */
	int log;
} scale;

static double at(const scale *sc, double v)
{
	if (sc->log) {
		double l = log10(v > 0 ? v : sc->d0);
		return sc->p0 + (l - log10(sc->d0)) / (log10(sc->d1) - log10(sc->d0)) * (sc->p1 - sc->p0);
	}
	return sc->p0 + (v - sc->d0) / (sc->d1 - sc->d0) * (sc->p1 - sc->p0);
}

static double base_value(const scale *sc)
{
	if (sc->log)
		return sc->d0;
	return sc->d0 > 0 ? sc->d0 : sc->d1 < 0 ? sc->d1 : 0;
}

/* A tick label: a log axis labels its powers of ten like values, a linear
 * one with the ticks' shared decimals. */
static size_t tick_text(const lay *L, double v, int decimals, char *buf, size_t size)
{
	const er_locale *loc = L->spec->locale;
	return L->spec->log ? er_fmt_label(loc, v, decimals, buf, size)
	                    : er_fmt_tick(loc, v, decimals, buf, size);
}

static size_t value_text(const lay *L, double v, char *buf, size_t cap)
{
	return er_fmt_label(L->spec->locale, v, 2, buf, cap);
}

/* ---- shared blocks --------------------------------------------------------- */

static er_status header(lay *L, double *top)
{
	const er_theme *th = L->th;
	const er_chart_spec *sp = L->spec;
	double x = th->margin, w = L->W - 2 * th->margin, h;
	er_status st = ER_OK;

	if (sp->figure && *sp->figure) {
		st = block(L, "figure", ER_FONT_BOLD, th->size_figure, th->muted, sp->figure, x, *top, w, 1,
		           LEFT, &h);
		*top += h + 2;
	}
	if (st == ER_OK && sp->title && *sp->title) {
		st = block(L, "title", ER_FONT_BOLD, th->size_title, th->text, sp->title, x, *top, w, 4, LEFT,
		           &h);
		*top += h;
	}
	if (st == ER_OK && sp->subtitle && *sp->subtitle) {
		*top += 2;
		st = block(L, "subtitle", ER_FONT_REGULAR, th->size_subtitle, th->muted, sp->subtitle, x, *top,
		           w, 3, LEFT, &h);
		*top += h;
	}
	*top += th->gap * 1.5;
	return st;
}

static er_status footer(lay *L, double *bottom)
{
	const er_theme *th = L->th;
	const er_chart_spec *sp = L->spec;
	double x = th->margin, w = L->W - 2 * th->margin, h;
	char line[2048], credit_text[512];
	const char *credit = sp->credit ? sp->credit : th->credit;
	er_status st = ER_OK;

	line[0] = '\0';
	if (credit && *credit && strncmp(credit, "Chart: ", 7) == 0) {
		/* The credit's product word is translated with the rest:
		 * "Chart: ecoreport" is "Grafik: ecoreport" in German. */
		er_subst sub = {"text", credit + 7};
		er_locale_say(sp->locale, ER_W_CHART, &sub, 1, credit_text, sizeof credit_text);
		credit = credit_text;
	}
	if (sp->source && *sp->source) {
		er_subst sub = {"text", sp->source};
		size_t n = er_locale_say(sp->locale, ER_W_SOURCE, &sub, 1, line, sizeof line);
		if (credit && *credit && n < sizeof line)
			snprintf(line + n, sizeof line - n, " | %s", credit);
	} else if (credit && *credit) {
		snprintf(line, sizeof line, "%s", credit);
	}
	if (*line) {
		h = block_height(L, ER_FONT_REGULAR, th->size_source, line, w, 3, NULL);
		*bottom -= h;
		st = block(L, "source", ER_FONT_REGULAR, th->size_source, th->muted, line, x, *bottom, w, 3,
		           LEFT, &h);
	}
	if (st == ER_OK && sp->note && *sp->note) {
		char note[2048];
		er_subst sub = {"text", sp->note};
		er_locale_say(sp->locale, ER_W_NOTE, &sub, 1, note, sizeof note);
		h = block_height(L, ER_FONT_REGULAR, th->size_source, note, w, 4, NULL);
		*bottom -= h + 2;
		st = block(L, "note", ER_FONT_REGULAR, th->size_source, th->muted, note, x, *bottom, w, 4,
		           LEFT, &h);
	}
	*bottom -= th->gap * 1.5;
	return st;
}

/* A legend when colour carries meaning: several series, or --color-by. */
static er_status legend(lay *L, double *top)
{
	const er_theme *th = L->th;
	size_t i, n = L->ngroups ? L->ngroups : L->nseries;
	double size = th->size_legend, sw = size * 0.9, x = th->margin, y = *top;
	double lh = size * LINE, right = L->W - th->margin;
	er_status st = ER_OK;

	if (n < 2 && L->ngroups == 0)
		return ER_OK;
	for (i = 0; i < n && st == ER_OK; i++) {
		const char *label = L->ngroups ? L->groups[i] : L->series[i];
		double w = sw + 4 + tw(L, ER_FONT_REGULAR, size, label, strlen(label));
		er_color c = L->th->palette[i % th->npalette];
		if (x + w > right && x > th->margin) {
			x = th->margin;
			y += lh;
		}
		st = er_scene_rect(L->s, "legend-swatch", x, y + (lh - sw) / 2 - size * 0.1, sw, sw, c);
		if (st == ER_OK)
			st = text(L, "legend", x + sw + 4, y + (lh - size * LINE) / 2 + ascent(L, ER_FONT_REGULAR, size),
			          ER_FONT_REGULAR, size, th->text, label, strlen(label), LEFT);
		x += w + 14;
	}
	*top = y + lh + th->gap;
	return st;
}

/* How many bands of `band` points fit in `room` points (none when room is
 * negative: what titles and notes left of a too small chart). */
static size_t fits_in(double room, double band)
{
	return room >= band ? (size_t)(room / band) : 0;
}

static void axis_title(const lay *L, char *buf, size_t cap)
{
	if (L->spec->axis_title)
		snprintf(buf, cap, "%s", L->spec->axis_title);
	else if (L->nseries == 1)
		snprintf(buf, cap, "%s%s%s%s", L->series[0], L->unit ? " (" : "", L->unit ? L->unit : "",
		         L->unit ? ")" : "");
	else if (L->unit)
		snprintf(buf, cap, "(%s)", L->unit);
	else
		buf[0] = '\0';
}

/* Ticks over the domain; for a log scale, powers of ten. */
static size_t ticks_for(const lay *L, double lo, double hi, double length, double *ticks,
                        int *decimals, scale *sc)
{
	size_t n;
	int target = (int)(length / 90);
	if (target < 2)
		target = 2;
	if (target > 8)
		target = 8;
	if (L->spec->log) {
		n = er_log_ticks(lo, hi, ticks, MAX_TICKS);
		*decimals = 0;
		sc->log = 1;
		sc->d0 = ticks[0];
		sc->d1 = ticks[n - 1];
		if (ticks[0] < 1)
			*decimals = (int)ceil(-log10(ticks[0]));
		return n;
	}
	n = er_nice_ticks(lo, hi, target, 1, ticks, MAX_TICKS, decimals);
	sc->log = 0;
	sc->d0 = ticks[0];
	sc->d1 = ticks[n - 1];
	return n;
}

static er_status check_log(lay *L)
{
	size_t i, k;
	if (!L->spec->log)
		return ER_OK;
	for (i = 0; i < L->ncats; i++)
		for (k = 0; k < L->nseries; k++)
			if (L->cats[i].has[k] && !(L->cats[i].v[k] > 0)) {
				char v[64];
				value_text(L, L->cats[i].v[k], v, sizeof v);
				er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
				             "--log needs values above zero, but \"%s\" has %s in \"%s\"",
				             L->cats[i].label, v, L->series[k]);
				return ER_ERR_DATA;
			}
	if (L->spec->type == ER_CHART_STACKED) {
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
		             "--log does not fit stacked bars (segments of a log scale do not add up)");
		return ER_ERR_DATA;
	}
	return ER_OK;
}

/* ---- horizontal bars ------------------------------------------------------- */

static er_status horizontal(lay *L, double top, double bottom)
{
	const er_theme *th = L->th;
	size_t i, k, nt;
	double ticks[MAX_TICKS], lo, hi, band, label_w = 0, pos_res = 0, neg_res = 0, lh_label;
	double max_label_w = (L->W - 2 * th->margin) * 0.38, plot_top, plot_bottom, x0, x1;
	double tick_h = th->size_tick * LINE, vsize = th->size_value;
	int decimals;
	char at_title[512], buf[128];
	scale sc;
	er_status st = ER_OK;
	size_t lines_per_label;
	int grouped = L->spec->type == ER_CHART_GROUPED, stacked = L->spec->type == ER_CHART_STACKED;

	axis_title(L, at_title, sizeof at_title);
	plot_top = top;
	plot_bottom = bottom - tick_h - (*at_title ? th->size_tick * LINE + 2 : 0) - 4;
	lh_label = th->size_label * LINE;
	band = (plot_bottom - plot_top) / (double)L->ncats;
	{
		/* The thinnest legible band: one line of label text. */
		double min_band = th->size_label * 1.15;
		if (band < min_band) {
			/* Titles and notes can leave no room at all (a negative one). */
			size_t fit = fits_in(plot_bottom - plot_top, min_band);
			if (fit == 0) {
				er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
				             "the chart is too short for its bars (%g points high); make it taller",
				             L->H);
				return ER_ERR_DATA;
			}
			er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
			             "%zu categories do not fit a chart %g points high (at most %zu); use "
			             "--limit %zu, or a taller --size",
			             L->ncats, L->H, fit, fit);
			return ER_ERR_DATA;
		}
	}
	lines_per_label = (size_t)(band / lh_label);
	if (lines_per_label < 1)
		lines_per_label = 1;
	if (lines_per_label > 3)
		lines_per_label = 3;
	for (i = 0; i < L->ncats; i++) {
		double w;
		block_height(L, ER_FONT_REGULAR, th->size_label, L->cats[i].label, max_label_w,
		             lines_per_label, &w);
		if (w > label_w)
			label_w = w;
	}
	/* Room for value labels outside the bars. */
	domain(L, &lo, &hi);
	for (i = 0; i < L->ncats; i++) {
		double pos = 0, neg = 0;
		for (k = 0; k < L->nseries; k++) {
			double w, v = L->cats[i].v[k];
			if (!L->cats[i].has[k])
				continue;
			if (stacked) {
				if (v >= 0)
					pos += v;
				else
					neg += v;
				continue;
			}
			w = tw(L, ER_FONT_REGULAR, vsize, buf, value_text(L, v, buf, sizeof buf)) + 4;
			if (v < 0 && w > neg_res)
				neg_res = w;
			if (v >= 0 && w > pos_res)
				pos_res = w;
		}
		if (stacked) {
			double w = tw(L, ER_FONT_BOLD, vsize, buf, value_text(L, pos, buf, sizeof buf)) + 4;
			if (w > pos_res)
				pos_res = w;
			if (neg < 0) {
				w = tw(L, ER_FONT_BOLD, vsize, buf, value_text(L, neg, buf, sizeof buf)) + 4;
				if (w > neg_res)
					neg_res = w;
			}
		}
	}
	x0 = th->margin + label_w + th->gap + neg_res;
	x1 = L->W - th->margin - pos_res;
	if (x1 - x0 < 40) {
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
		             "the chart is too narrow for its labels (%g points wide); use a wider --size", L->W);
		return ER_ERR_DATA;
	}
	nt = ticks_for(L, lo, hi, x1 - x0, ticks, &decimals, &sc);
	sc.p0 = x0;
	sc.p1 = x1;
	/* Grid and tick labels. */
	for (i = 0; i < nt && st == ER_OK; i++) {
		double x = at(&sc, ticks[i]);
		size_t n = tick_text(L, ticks[i], decimals, buf, sizeof buf);
		st = er_scene_line(L->s, "grid", x, plot_top, x, plot_bottom, 0.5, th->grid);
		if (st == ER_OK)
			st = text(L, "tick", x, plot_bottom + 4 + ascent(L, ER_FONT_REGULAR, th->size_tick),
			          ER_FONT_REGULAR, th->size_tick, th->muted, buf, n, CENTER);
	}
	if (st == ER_OK && *at_title)
		st = text(L, "axis-title", (x0 + x1) / 2,
		          plot_bottom + 4 + tick_h + 2 + ascent(L, ER_FONT_REGULAR, th->size_tick),
		          ER_FONT_REGULAR, th->size_tick, th->muted, at_title, strlen(at_title), CENTER);
	/* Bars, value labels, category labels. */
	for (i = 0; i < L->ncats && st == ER_OK; i++) {
		const cat *c = &L->cats[i];
		double y = plot_top + (double)i * band, thick = band * th->bar, by = y + (band - thick) / 2;
		double xb = at(&sc, base_value(&sc)), pos_end = xb, neg_end = xb, h;
		double sub = grouped ? thick / (double)L->nseries : thick;
		double fsize = vsize;
		if (sub < fsize * 1.0)
			fsize = sub * 0.95;
		for (k = 0; k < L->nseries && st == ER_OK; k++) {
			double v = c->v[k], xa, xe, yy = grouped ? by + sub * (double)k : by;
			er_color col = bar_color(L, c, k);
			if (!c->has[k])
				continue;
			if (stacked) {
				/* Segments follow each other from the zero line. */
				double len = fabs(at(&sc, v) - xb);
				if (v >= 0) {
					xa = pos_end;
					xe = pos_end + len;
					pos_end = xe;
				} else {
					xe = neg_end;
					xa = neg_end - len;
					neg_end = xa;
				}
			} else {
				xe = at(&sc, v);
				xa = xb;
				if (xe < xa) {
					double t = xa;
					xa = xe;
					xe = t;
				}
			}
			st = er_scene_rect(L->s, "bar", xa, yy, xe - xa, sub, col);
			if (st != ER_OK)
				break;
			if (stacked) {
				/* A segment's value inside it, when it fits. */
				size_t n = value_text(L, v, buf, sizeof buf);
				double w = tw(L, ER_FONT_REGULAR, fsize, buf, n);
				if (w + 4 <= xe - xa && fsize * 1.1 <= sub)
					st = text(L, "value-label", (xa + xe) / 2,
					          yy + sub / 2 + (ascent(L, ER_FONT_REGULAR, fsize) - descent(L, ER_FONT_REGULAR, fsize)) / 2,
					          ER_FONT_REGULAR, fsize, on_color(L, col), buf, n, CENTER);
			} else if (fsize >= 5) {
				size_t n = value_text(L, v, buf, sizeof buf);
				double base = yy + sub / 2 + (ascent(L, ER_FONT_REGULAR, fsize) - descent(L, ER_FONT_REGULAR, fsize)) / 2;
				st = v >= 0 ? text(L, "value-label", xe + 4, base, ER_FONT_REGULAR, fsize, th->text, buf, n, LEFT)
				            : text(L, "value-label", xa - 4, base, ER_FONT_REGULAR, fsize, th->text, buf, n, RIGHT);
			}
		}
		if (st == ER_OK && stacked) {
			double total = 0;
			size_t n;
			for (k = 0; k < L->nseries; k++)
				if (c->has[k] && c->v[k] > 0)
					total += c->v[k];
			n = value_text(L, total, buf, sizeof buf);
			st = text(L, "total-label", pos_end + 4,
			          by + thick / 2 + (ascent(L, ER_FONT_BOLD, vsize) - descent(L, ER_FONT_BOLD, vsize)) / 2,
			          ER_FONT_BOLD, vsize, th->text, buf, n, LEFT);
		}
		if (st == ER_OK) {
			double bh = block_height(L, ER_FONT_REGULAR, th->size_label, c->label, max_label_w,
			                         lines_per_label, NULL);
			double ty = y + (band - bh) / 2 + (lh_label - th->size_label) / 2 * 0;
			st = block(L, "category", ER_FONT_REGULAR, th->size_label, th->text, c->label,
			           th->margin + label_w, ty, max_label_w, lines_per_label, RIGHT, &h);
		}
	}
	/* The baseline, over the bars. */
	if (st == ER_OK) {
		double xb = at(&sc, base_value(&sc));
		st = er_scene_line(L->s, "axis", xb, plot_top, xb, plot_bottom, 1, th->axis);
	}
	return st;
}

/* ---- vertical bars --------------------------------------------------------- */

/* Lays out vertical bars; *fits = 0 (and nothing drawn) when the category
 * labels do not fit their columns, so that the caller can go horizontal. */
static er_status vertical(lay *L, double top, double bottom, int force, int *fits)
{
	const er_theme *th = L->th;
	size_t i, k, nt, scene_mark = L->s->nitems;
	double ticks[MAX_TICKS], lo, hi, band, tick_w = 0, x0, x1, plot_top, plot_bottom;
	double vsize = th->size_value, label_h = 0, lh_label = th->size_label * LINE;
	int decimals, compact = 0;
	char buf[128], at_title[512];
	scale sc;
	er_status st = ER_OK;
	int grouped = L->spec->type == ER_CHART_GROUPED, stacked = L->spec->type == ER_CHART_STACKED;

	*fits = 1;
	axis_title(L, at_title, sizeof at_title);
	domain(L, &lo, &hi);
	/* Ticks first, to know how wide their labels are. */
	nt = ticks_for(L, lo, hi, bottom - top, ticks, &decimals, &sc);
	for (i = 0; i < nt; i++) {
		size_t n = tick_text(L, ticks[i], decimals, buf, sizeof buf);
		double w = tw(L, ER_FONT_REGULAR, th->size_tick, buf, n);
		if (w > tick_w)
			tick_w = w;
	}
	x0 = th->margin + tick_w + 6 + (*at_title ? th->size_tick * LINE + 2 : 0);
	x1 = L->W - th->margin;
	band = (x1 - x0) / (double)L->ncats;
	if (band < th->size_label * 1.2) {
		size_t fit = fits_in(x1 - x0, th->size_label * 1.2);
		if (!force) {
			*fits = 0;
			return ER_OK;
		}
		if (fit == 0) {
			er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
			             "the chart is too narrow for its columns (%g points wide); make it wider",
			             L->W);
			return ER_ERR_DATA;
		}
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
		             "%zu categories do not fit a chart %g points wide (at most %zu); use --limit %zu, "
		             "a wider --size or --horizontal",
		             L->ncats, L->W, fit, fit);
		return ER_ERR_DATA;
	}
	/* Category labels under the columns: up to 3 lines each. */
	for (i = 0; i < L->ncats; i++) {
		er_span lines[3];
		int cut;
		size_t n = er_wrap(L->m, ER_FONT_REGULAR, th->size_label, L->cats[i].label,
		                   strlen(L->cats[i].label), band - 4, lines, 3, &cut);
		/* Unless asked for, columns need labels that fit on one line. */
		if ((cut || (n > 1 && !L->auto_multiline)) && !force) {
			*fits = 0;
			return ER_OK;
		}
		if ((double)n * lh_label > label_h)
			label_h = (double)n * lh_label;
	}
	/* Value labels above the columns, compact when too wide. */
	for (i = 0; i < L->ncats && !compact; i++)
		for (k = 0; k < L->nseries; k++) {
			size_t n = value_text(L, L->cats[i].v[k], buf, sizeof buf);
			double room = grouped ? band * th->bar / (double)L->nseries : band;
			if (tw(L, ER_FONT_REGULAR, vsize, buf, n) > room)
				compact = 1;
		}
	/* The axis title gets a line of its own above the plot. */
	if (*at_title)
		top += th->size_tick * LINE + 4;
	plot_top = top + vsize * LINE;
	plot_bottom = bottom - label_h - 6;
	if (plot_bottom - plot_top < 40) {
		er_diag_emit(L->diag, ER_SEV_ERROR, name(L), 0, 0,
		             "the chart is too short for its labels (%g points high); use a taller --size", L->H);
		return ER_ERR_DATA;
	}
	sc.p0 = plot_bottom;
	sc.p1 = plot_top;
	for (i = 0; i < nt && st == ER_OK; i++) {
		double y = at(&sc, ticks[i]);
		size_t n = tick_text(L, ticks[i], decimals, buf, sizeof buf);
		st = er_scene_line(L->s, "grid", x0, y, x1, y, 0.5, th->grid);
		if (st == ER_OK)
			st = text(L, "tick", x0 - 6,
			          y + (ascent(L, ER_FONT_REGULAR, th->size_tick) - descent(L, ER_FONT_REGULAR, th->size_tick)) / 2,
			          ER_FONT_REGULAR, th->size_tick, th->muted, buf, n, RIGHT);
	}
	if (st == ER_OK && *at_title) {
		/* The axis title, written upwards would need rotation: put it above
		 * the tick labels instead, left-aligned. */
		st = text(L, "axis-title", th->margin,
		          top - th->size_tick * LINE - 4 + ascent(L, ER_FONT_REGULAR, th->size_tick),
		          ER_FONT_REGULAR, th->size_tick, th->muted, at_title, strlen(at_title), LEFT);
	}
	for (i = 0; i < L->ncats && st == ER_OK; i++) {
		const cat *c = &L->cats[i];
		double x = x0 + (double)i * band, thick = band * th->bar, bx = x + (band - thick) / 2;
		double yb = at(&sc, base_value(&sc)), pos_end = yb, neg_end = yb, h;
		double sub = grouped ? thick / (double)L->nseries : thick;
		for (k = 0; k < L->nseries && st == ER_OK; k++) {
			double v = c->v[k], ya, ye, xx = grouped ? bx + sub * (double)k : bx;
			er_color col = bar_color(L, c, k);
			size_t n;
			if (!c->has[k])
				continue;
			if (stacked) {
				double len = fabs(at(&sc, v) - yb);
				if (v >= 0) {
					ya = pos_end - len;
					ye = pos_end;
					pos_end = ya;
				} else {
					ya = neg_end;
					ye = neg_end + len;
					neg_end = ye;
				}
			} else {
				ya = at(&sc, v);
				ye = yb;
				if (ya > ye) {
					double t = ya;
					ya = ye;
					ye = t;
				}
			}
			st = er_scene_rect(L->s, "bar", xx, ya, sub, ye - ya, col);
			if (st != ER_OK)
				break;
			n = compact ? er_fmt_compact(L->spec->locale, v, buf, sizeof buf)
			            : value_text(L, v, buf, sizeof buf);
			if (stacked) {
				double w = tw(L, ER_FONT_REGULAR, vsize, buf, n);
				if (w + 2 <= sub && vsize * 1.1 <= ye - ya)
					st = text(L, "value-label", xx + sub / 2,
					          (ya + ye) / 2 + (ascent(L, ER_FONT_REGULAR, vsize) - descent(L, ER_FONT_REGULAR, vsize)) / 2,
					          ER_FONT_REGULAR, vsize, on_color(L, col), buf, n, CENTER);
			} else if (tw(L, ER_FONT_REGULAR, vsize, buf, n) <= (grouped ? sub + 4 : band)) {
				st = v >= 0 ? text(L, "value-label", xx + sub / 2, ya - 3, ER_FONT_REGULAR, vsize,
				                   th->text, buf, n, CENTER)
				            : text(L, "value-label", xx + sub / 2, ye + 3 + ascent(L, ER_FONT_REGULAR, vsize),
				                   ER_FONT_REGULAR, vsize, th->text, buf, n, CENTER);
			}
		}
		if (st == ER_OK && stacked) {
			double total = 0;
			size_t n;
			for (k = 0; k < L->nseries; k++)
				if (c->has[k] && c->v[k] > 0)
					total += c->v[k];
			n = compact ? er_fmt_compact(L->spec->locale, total, buf, sizeof buf)
			            : value_text(L, total, buf, sizeof buf);
			st = text(L, "total-label", bx + thick / 2, pos_end - 3, ER_FONT_BOLD, vsize, th->text,
			          buf, n, CENTER);
		}
		if (st == ER_OK)
			st = block(L, "category", ER_FONT_REGULAR, th->size_label, th->text, c->label,
			           x + band / 2, plot_bottom + 4, band - 4, 3, CENTER, &h);
	}
	if (st == ER_OK) {
		double yb = at(&sc, base_value(&sc));
		st = er_scene_line(L->s, "axis", x0, yb, x1, yb, 1, th->axis);
	}
	(void)scene_mark;
	return st;
}

/* ---- alt text -------------------------------------------------------------- */

static er_status alt_text(lay *L)
{
	const er_locale *loc = L->spec->locale;
	er_buf b = ER_BUF_INIT;
	size_t i, imax = 0, imin = 0;
	char vmax[96], vmin[96], n[32];
	const char *title = L->spec->title, *source = L->spec->source;
	er_word kind = L->spec->type == ER_CHART_STACKED ? ER_W_ALT_STACKED
	               : L->spec->type == ER_CHART_GROUPED ? ER_W_ALT_GROUPED : ER_W_ALT_BAR;
	er_subst subs[4];
	er_status st;

	for (i = 0; i < L->ncats; i++) {
		if (!L->cats[i].has[0])
			continue;
		if (!L->cats[imax].has[0] || L->cats[i].v[0] > L->cats[imax].v[0])
			imax = i;
		if (!L->cats[imin].has[0] || L->cats[i].v[0] < L->cats[imin].v[0])
			imin = i;
	}
	/* Sentences in the chart's language, numbers as its labels show them. */
	er_fmt_label(loc, L->cats[imax].v[0], 2, vmax, sizeof vmax - 32);
	er_fmt_label(loc, L->cats[imin].v[0], 2, vmin, sizeof vmin - 32);
	if (L->unit) {
		snprintf(vmax + strlen(vmax), 32, " %s", L->unit);
		snprintf(vmin + strlen(vmin), 32, " %s", L->unit);
	}
	snprintf(n, sizeof n, "%zu", L->ncats);
	subs[0] = (er_subst){"kind", er_locale_word(loc, kind)};
	subs[1] = (er_subst){"title", title};
	st = er_locale_say_buf(loc, title && *title ? ER_W_ALT_HEAD : ER_W_ALT_UNTITLED, subs, 2, &b);
	if (st == ER_OK)
		st = er_locale_say_buf(loc, ER_W_ALT_GAP, NULL, 0, &b);
	subs[0] = (er_subst){"series", L->series[0]};
	subs[1] = (er_subst){"n", n};
	subs[2] = (er_subst){"category", L->spec->category};
	if (st == ER_OK)
		st = er_locale_say_buf(loc, L->nseries > 1 ? ER_W_ALT_COMPARES_MORE : ER_W_ALT_COMPARES,
		                       subs, 3, &b);
	subs[0] = (er_subst){"max_label", L->cats[imax].label};
	subs[1] = (er_subst){"max", vmax};
	subs[2] = (er_subst){"min_label", L->cats[imin].label};
	subs[3] = (er_subst){"min", vmin};
	if (st == ER_OK && L->ncats > 1) {
		st = er_locale_say_buf(loc, ER_W_ALT_GAP, NULL, 0, &b);
		if (st == ER_OK)
			st = er_locale_say_buf(loc, ER_W_ALT_EXTREMES, subs, 4, &b);
	}
	subs[0] = (er_subst){"text", source};
	if (st == ER_OK && source && *source) {
		st = er_locale_say_buf(loc, ER_W_ALT_GAP, NULL, 0, &b);
		if (st == ER_OK)
			st = er_locale_say_buf(loc, ER_W_ALT_SOURCE, subs, 1, &b);
	}
	if (st == ER_OK)
		st = er_scene_set_meta(L->s, &L->s->alt, b.data ? b.data : "");
	er_buf_free(&b);
	return st;
}

/* ---- entry ----------------------------------------------------------------- */

er_status er_layout_chart(const er_chart_spec *spec, const er_theme *theme, const er_result *data,
                          const er_measurer *m, er_diag_sink *diag, er_scene **out)
{
	lay L;
	int f;
	size_t i;
	double top, bottom;
	er_status st;

	*out = NULL;
	memset(&L, 0, sizeof L);
	L.spec = spec;
	L.th = theme;
	L.m = m;
	L.diag = diag;
	L.W = spec->width > 0 ? spec->width : theme->width;
	L.H = spec->height > 0 ? spec->height : theme->height;
	st = extract(&L, data);
	if (st == ER_OK)
		st = check_log(&L);
	if (st == ER_OK) {
		L.s = er_scene_new(L.W, L.H);
		if (L.s == NULL)
			st = ER_ERR_NOMEM;
	}
	if (st == ER_OK) {
		L.s->background = theme->background;
		st = er_scene_add_font(L.s, theme->font, 0, 0, &f);
		if (st == ER_OK)
			st = er_scene_add_font(L.s, theme->font, 1, 0, &f);
	}
	if (st == ER_OK && spec->title)
		st = er_scene_set_meta(L.s, &L.s->title, spec->title);
	if (st == ER_OK && spec->source)
		st = er_scene_set_meta(L.s, &L.s->source, spec->source);
	top = theme->margin;
	bottom = L.H - theme->margin;
	if (st == ER_OK)
		st = header(&L, &top);
	if (st == ER_OK)
		st = footer(&L, &bottom);
	if (st == ER_OK)
		st = legend(&L, &top);
	if (st == ER_OK) {
		int vertical_wanted = spec->orient == ER_ORIENT_VERTICAL;
		if (spec->orient == ER_ORIENT_AUTO) {
			/* Periods read left to right; other categories go vertical only
			 * when their labels fit under the columns. */
			int periods = 1;
			for (i = 0; i < L.ncats; i++)
				periods &= time_label(L.cats[i].label);
			vertical_wanted = periods || L.ncats <= 12;
		}
		if (vertical_wanted) {
			size_t mark = L.s->nitems;
			int fits;
			st = vertical(&L, top, bottom, spec->orient == ER_ORIENT_VERTICAL, &fits);
			if (st == ER_OK && !fits) {
				while (L.s->nitems > mark)
					free(L.s->items[--L.s->nitems].text);
				st = horizontal(&L, top, bottom);
			}
		} else {
			st = horizontal(&L, top, bottom);
		}
	}
	if (st == ER_OK)
		st = alt_text(&L);
	for (i = 0; i < L.ncats; i++)
		free(L.cats[i].label);
	free(L.cats);
	for (i = 0; i < L.ngroups; i++)
		free(L.groups[i]);
	if (st != ER_OK) {
		er_scene_free(L.s);
		return st;
	}
	*out = L.s;
	return ER_OK;
}
