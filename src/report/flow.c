/* flow.c - pages, the cursor down them, and rich text in wrapped lines. */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

er_status er_flow_start(flow *f, er_report *R, int pass)
{
	er_heading_ref *heads = f->heads;
	size_t nheads = f->nheads;
	memset(f, 0, sizeof *f);
	f->R = R;
	f->pass = pass;
	/* Pass 2 keeps what pass 1 learnt: where the headings landed. */
	f->heads = heads;
	f->nheads = pass == 2 ? nheads : 0;
	if (pass != 2) {
		size_t i;
		for (i = 0; i < nheads; i++)
			free(heads[i].title);
		free(heads);
		f->heads = NULL;
	}
	f->pw = R->page_w;
	f->ph = R->page_h;
	return er_flow_new_page(f, 0);
}

void er_flow_free(flow *f)
{
	size_t i;
	for (i = 0; i < f->npages; i++) {
		er_scene_free(f->pages[i]);
		free(f->page_section[i]);
	}
	free(f->pages);
	free(f->page_section);
	for (i = 0; i < f->noutline; i++)
		free((char *)f->outline[i].title);
	free(f->outline);
	for (i = 0; i < f->nheads; i++)
		free(f->heads[i].title);
	free(f->heads);
	for (i = 0; i < f->nowned; i++)
		free(f->owned[i]);
	free(f->owned);
	free(f->section_title);
	memset(f, 0, sizeof *f);
}

const char *er_flow_keep(flow *f, const char *s, size_t n)
{
	char **no = realloc(f->owned, (f->nowned + 1) * sizeof *no);
	char *copy;
	if (no == NULL)
		return NULL;
	f->owned = no;
	copy = er_strndup(s, n);
	if (copy == NULL)
		return NULL;
	f->owned[f->nowned++] = copy;
	return copy;
}

er_status er_flow_new_page(flow *f, int landscape)
{
	const er_theme *th = f->R->theme;
	double w = landscape ? f->ph : f->pw, h = landscape ? f->pw : f->ph, m = 56;
	er_scene **np;
	char **ns;
	er_scene *s;
	int i, idx;
	static const struct {
		int bold, italic;
	} styles[F_COUNT - 1] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
	er_status st = ER_OK;

	if (f->npages >= f->R->max_pages) {
		er_diag_emit(f->R->diag, ER_SEV_ERROR, f->R->path, 0, 0,
		             "the report needs more pages than the limit of %zu (raise it with --max-pages)",
		             f->R->max_pages);
		return ER_ERR_LIMIT;
	}
	s = er_scene_new(w, h);
	if (s == NULL)
		return ER_ERR_NOMEM;
	s->background = th->background;
	for (i = 0; i < F_COUNT - 1 && st == ER_OK; i++)
		st = er_scene_add_font(s, th->font, styles[i].bold, styles[i].italic, &idx);
	if (st == ER_OK)
		st = er_scene_add_font(s, "Liberation Mono", 0, 0, &idx);
	np = realloc(f->pages, (f->npages + 1) * sizeof *np);
	if (np)
		f->pages = np;
	ns = realloc(f->page_section, (f->npages + 1) * sizeof *ns);
	if (ns)
		f->page_section = ns;
	if (st != ER_OK || np == NULL || ns == NULL) {
		er_scene_free(s);
		return st != ER_OK ? st : ER_ERR_NOMEM;
	}
	f->pages[f->npages] = s;
	f->page_section[f->npages] = f->section_title ? er_strdup(f->section_title) : NULL;
	f->npages++;
	f->landscape = landscape;
	f->x0 = m;
	f->x1 = w - m;
	f->top = m + 14; /* below the running header */
	f->bottom = h - m;
	f->y = f->top;
	return ER_OK;
}

er_status er_flow_need(flow *f, double h)
{
	if (f->y + h <= f->bottom || f->y <= f->top + 0.01)
		return ER_OK;
	return er_flow_new_page(f, 0);
}

double er_flow_width(flow *f, int font, double size, const char *s, size_t n)
{
	return er_text_width(f->R->text, f->R->ids[font], size, s, n);
}

double er_flow_ascent(flow *f, int font, double size)
{
	double a, d;
	er_text_metrics(f->R->text, f->R->ids[font], size, &a, &d);
	return a;
}

/* A piece of a run between two break opportunities. */
typedef struct seg {
	size_t run;
	size_t off, len;   /* in the run's text, without trailing spaces */
	size_t spaces;     /* trailing spaces (dropped at line ends) */
	double w, sw;      /* width of the text, of the spaces */
	int must;          /* a line must end after it */
} seg;

static er_status segments(flow *f, const er_run *runs, size_t nruns, seg **out, size_t *nout)
{
	size_t r, cap = 64, n = 0;
	seg *v = malloc(cap * sizeof *v);
	if (v == NULL)
		return ER_ERR_NOMEM;
	for (r = 0; r < nruns; r++) {
		const er_run *run = &runs[r];
		char small[256], *brks = run->n <= sizeof small ? small : malloc(run->n);
		size_t i, start = 0;
		if (brks == NULL) {
			free(v);
			return ER_ERR_NOMEM;
		}
		er_text_breaks(run->s, run->n, brks);
		for (i = 0; i < run->n; i++) {
			size_t end, text_end;
			if (brks[i] != ER_BREAK_ALLOW && brks[i] != ER_BREAK_MUST && i + 1 < run->n)
				continue;
			end = i + 1;
			text_end = end;
			while (text_end > start && (run->s[text_end - 1] == ' ' || run->s[text_end - 1] == '\n'))
				text_end--;
			if (n == cap) {
				seg *nv = realloc(v, (cap *= 2) * sizeof *nv);
				if (nv == NULL) {
					if (brks != small)
						free(brks);
					free(v);
					return ER_ERR_NOMEM;
				}
				v = nv;
			}
			v[n].run = r;
			v[n].off = start;
			v[n].len = text_end - start;
			v[n].spaces = end - text_end;
			v[n].w = er_flow_width(f, run->font, run->size, run->s + start, text_end - start);
			v[n].sw = v[n].spaces ? er_flow_width(f, run->font, run->size, " ", 1) * (double)v[n].spaces : 0;
			v[n].must = brks[i] == ER_BREAK_MUST && end < run->n;
			n++;
			start = end;
		}
		if (brks != small)
			free(brks);
	}
	*out = v;
	*nout = n;
	return ER_OK;
}

/* Draws segments [a, b) as one line at baseline y. */
static er_status draw_line(flow *f, const er_run *runs, const seg *v, size_t a, size_t b, double x,
                           double y)
{
	size_t i;
	er_scene *s = f->pages[f->npages - 1];
	er_status st = ER_OK;
	for (i = a; i < b && st == ER_OK; i++) {
		const er_run *run = &runs[v[i].run];
		if (v[i].len)
			st = er_scene_text(s, "text", x, y - run->rise, run->font, run->size, run->color,
			                   run->s + v[i].off, v[i].len, v[i].w);
		if (st == ER_OK && run->link && v[i].len)
			st = er_scene_link(s, x, y - run->size, v[i].w, run->size * 1.2, run->link);
		x += v[i].w + (i + 1 < b ? v[i].sw : 0);
	}
	return st;
}

/* Splits segments into lines; calls emit for each (a, b) range. */
static er_status lines(flow *f, const er_run *runs, const seg *v, size_t n, double width,
                       er_status (*emit)(void *ctx, size_t a, size_t b), void *ctx)
{
	size_t a = 0, i;
	double w = 0;
	er_status st = ER_OK;
	(void)f;
	(void)runs;
	for (i = 0; i < n && st == ER_OK; i++) {
		double add = (i > a ? v[i - 1].sw : 0) + v[i].w;
		if (i > a && w + add > width) {
			st = emit(ctx, a, i);
			a = i;
			w = v[i].w;
		} else {
			w += add;
		}
		if (v[i].must && st == ER_OK) {
			st = emit(ctx, a, i + 1);
			a = i + 1;
			w = 0;
		}
	}
	if (st == ER_OK && (a < n || n == 0))
		st = emit(ctx, a, n);
	return st;
}

typedef struct emit_ctx {
	flow *f;
	const er_run *runs;
	const seg *v;
	double x, y, lh;
	int draw, paged;
	double height;
	double asc;
} emit_ctx;

static er_status emit_line(void *ctx, size_t a, size_t b)
{
	emit_ctx *e = ctx;
	er_status st = ER_OK;
	if (e->paged) {
		if (e->f->y + e->lh > e->f->bottom && e->f->y > e->f->top + 0.01)
			st = er_flow_new_page(e->f, 0);
		if (st == ER_OK)
			st = draw_line(e->f, e->runs, e->v, a, b, e->x, e->f->y + e->asc);
		e->f->y += e->lh;
		return st;
	}
	if (e->draw)
		st = draw_line(e->f, e->runs, e->v, a, b, e->x, e->y + e->height + e->asc);
	e->height += e->lh;
	return st;
}

static double runs_ascent(flow *f, const er_run *runs, size_t n)
{
	double a = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		double x = er_flow_ascent(f, runs[i].font, runs[i].size);
		if (x > a)
			a = x;
	}
	return a;
}

/* Segments, then lines: measured (draw = 0), drawn at the cursor without
 * moving it (draw = 1), or drawn and paged (paged = 1). */
static er_status flow_lines(flow *f, const er_run *runs, size_t nruns, double x, double width,
                            double line_height, int draw, int paged, double *height)
{
	seg *v = NULL;
	size_t n;
	emit_ctx e;
	double asc;
	er_status st = segments(f, runs, nruns, &v, &n);
	if (st != ER_OK)
		return st;
	asc = runs_ascent(f, runs, nruns);
	memset(&e, 0, sizeof e);
	e.f = f;
	e.runs = runs;
	e.v = v;
	e.x = x;
	e.y = f->y;
	e.lh = line_height;
	e.draw = draw;
	e.paged = paged;
	/* The baseline sits where a line of 1.25 x the size would centre it. */
	e.asc = asc + (line_height - asc * 1.25) / 2;
	st = lines(f, runs, v, n, width, emit_line, &e);
	if (height)
		*height = e.height;
	free(v);
	return st;
}

er_status er_flow_runs(flow *f, const er_run *runs, size_t nruns, double x, double width,
                       double line_height, int draw, double *height)
{
	return flow_lines(f, runs, nruns, x, width, line_height, draw, 0, height);
}

er_status er_flow_runs_paged(flow *f, const er_run *runs, size_t nruns, double x, double width,
                             double line_height)
{
	return flow_lines(f, runs, nruns, x, width, line_height, 1, 1, NULL);
}

er_status er_flow_outline(flow *f, const char *title, int level)
{
	char *copy;
	if (er_grow(&f->outline, &f->ocap, f->noutline, sizeof *f->outline, 16) != ER_OK)
		return ER_ERR_NOMEM;
	copy = er_strdup(title);
	if (copy == NULL)
		return ER_ERR_NOMEM;
	f->outline[f->noutline].title = copy;
	f->outline[f->noutline].level = level;
	f->outline[f->noutline].page = f->npages - 1;
	f->outline[f->noutline].y = f->y;
	f->noutline++;
	return ER_OK;
}
