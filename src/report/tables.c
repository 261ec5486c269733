/* tables.c - tables in the AI Index style: a label and title line, a header
 * row set off by colour, numbers right-aligned, a source line below; rows
 * never split, and a table longer than the page continues on the next with
 * its header repeated and "(continued)". A table too wide for the page
 * shrinks its font down to a floor, then turns its pages to landscape. */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/l10n.h"
#include "text/text.h"

#define PAD 5.0
#define FLOOR_SIZE 6.5

static double cell_width(flow *f, const er_tcell *c, double size, int header)
{
	int font = header || c->bold ? F_BOLD : F_REGULAR;
	double w = er_flow_width(f, font, size, c->text, strlen(c->text));
	if (header) {
		/* Headers may wrap onto three lines, never inside a word. */
		const char *p = c->text;
		double longest = 0;
		while (*p) {
			size_t n = strcspn(p, " ");
			double ww = er_flow_width(f, font, size, p, n);
			if (ww > longest)
				longest = ww;
			p += n;
			while (*p == ' ')
				p++;
		}
		w = w / 3 > longest ? w / 3 : longest;
	}
	return w + 2 * PAD;
}

/* Widths each column needs at `size`; returns the total. */
static double natural(flow *f, const er_tcell *header, const er_tcell *cells, size_t rows,
                      size_t cols, double size, double *w)
{
	size_t r, c;
	double total = 0;
	for (c = 0; c < cols; c++) {
		w[c] = cell_width(f, &header[c], size, 1);
		for (r = 0; r < rows; r++) {
			double x = cell_width(f, &cells[r * cols + c], size, 0);
			if (x > w[c])
				w[c] = x;
		}
		total += w[c];
	}
	return total;
}

/* The widest piece of a text that cannot be broken (UAX #14: a word of
 * Latin text, a single ideograph of Chinese), spaces at the break hung. */
static er_status min_width(flow *f, int font, double size, const char *s, double *out)
{
	size_t n = strlen(s), i, start = 0, e;
	char *b;

	*out = 0;
	if (n == 0)
		return ER_OK;
	b = malloc(n);
	if (b == NULL)
		return ER_ERR_NOMEM;
	er_text_breaks(s, n, b);
	for (i = 0; i < n; i++) {
		if (b[i] != ER_BREAK_ALLOW && b[i] != ER_BREAK_MUST && i + 1 < n)
			continue;
		for (e = i + 1; e > start && (s[e - 1] == ' ' || s[e - 1] == '\n'); e--)
			;
		double w = er_flow_width(f, font, size, s + start, e - start);
		if (w > *out)
			*out = w;
		start = i + 1;
	}
	free(b);
	return ER_OK;
}

/* Lines at most a wrapped cell may take before wrapping counts as a worse
 * fit than a smaller font or a landscape page. */
#define MAX_WRAPPED_LINES 5

/* Fits a table too wide for `avail` by narrowing its text columns, whose
 * cells then wrap (the AI Index's long "Note" columns do so), keeping
 * numbers on one line. The widest text columns give up width first: a cap
 * X is found such that capping every text column at X (never below the
 * widest unbreakable piece it holds) makes the table exactly fit. *fits
 * is 0 when even that cannot work, or would wrap a cell onto more than
 * MAX_WRAPPED_LINES lines; w is then unchanged. */
static er_status wrap_to_fit(flow *f, const er_tcell *header, const er_tcell *cells, size_t rows,
                             size_t cols, double size, double avail, double *w, int *fits)
{
	double *lo = calloc(cols ? cols : 1, sizeof *lo), fixed = 0, a, b, x = 0, used;
	int *text = calloc(cols ? cols : 1, sizeof *text);
	size_t r, c, k;
	er_status st = ER_OK;

	*fits = 0;
	if (lo == NULL || text == NULL) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	for (c = 0; c < cols && st == ER_OK; c++) {
		lo[c] = cell_width(f, &header[c], size, 1);
		for (r = 0; r < rows && st == ER_OK; r++) {
			const er_tcell *cell = &cells[r * cols + c];
			double m;
			text[c] |= !cell->right && cell->text[0] != '\0';
			st = min_width(f, cell->bold ? F_BOLD : F_REGULAR, size, cell->text, &m);
			if (m + 2 * PAD > lo[c])
				lo[c] = m + 2 * PAD;
		}
		/* Narrow enough to matter, but never a sliver. */
		if (lo[c] < avail * 0.08)
			lo[c] = avail * 0.08 < w[c] ? avail * 0.08 : w[c];
		if (!text[c])
			lo[c] = w[c];
	}
	if (st != ER_OK)
		goto done;
	for (c = 0; c < cols; c++)
		fixed += lo[c];
	if (fixed > avail)
		goto done;
	/* Bisect the cap: the table's width grows with it. */
	a = 0;
	b = avail;
	for (k = 0; k < 60; k++) {
		x = (a + b) / 2;
		used = 0;
		for (c = 0; c < cols; c++)
			used += text[c] ? fmax(lo[c], fmin(w[c], x)) : w[c];
		if (used > avail)
			b = x;
		else
			a = x;
	}
	x = a;
	for (c = 0; c < cols; c++) {
		double nw = text[c] ? fmax(lo[c], fmin(w[c], x)) : w[c];
		for (r = 0; r < rows && nw < w[c]; r++) {
			double cw = cell_width(f, &cells[r * cols + c], size, 0) - 2 * PAD;
			if (cw / (nw - 2 * PAD) > MAX_WRAPPED_LINES - 0.5)
				goto done;
		}
	}
	for (c = 0; c < cols; c++)
		if (text[c])
			w[c] = fmax(lo[c], fmin(w[c], x));
	*fits = 1;
done:
	free(lo);
	free(text);
	return st;
}

/* A cell's text as one run: bold in the header and where the cell says so. */
static er_run cell_run(const er_theme *th, const er_tcell *cell, double size, int header)
{
	er_run run;
	run.font = header || cell->bold ? F_BOLD : F_REGULAR;
	run.size = size;
	run.color = header ? th->inside : th->text;
	run.s = cell->text;
	run.n = strlen(cell->text);
	run.link = NULL;
	run.rise = 0;
	return run;
}

/* One row: cells wrapped in their columns (measured, then drawn when asked
 * with the same runs); returns its height. */
static er_status row(flow *f, const er_tcell *cells, size_t cols, const double *w, double size,
                     int header, int shade, er_color bg, int draw, double *height)
{
	const er_theme *th = f->R->theme;
	double x = f->x0, h = 0, lh = size * 1.3;
	size_t c;
	er_status st = ER_OK;

	for (c = 0; c < cols && st == ER_OK; c++) {
		er_run run = cell_run(th, &cells[c], size, header);
		double ch;
		st = er_flow_runs(f, &run, 1, 0, w[c] - 2 * PAD, lh, 0, &ch);
		if (ch > h)
			h = ch;
	}
	h += 2 * PAD * 0.8;
	if (draw && st == ER_OK) {
		er_scene *s = f->pages[f->npages - 1];
		double total = 0;
		for (c = 0; c < cols; c++)
			total += w[c];
		if (header || shade)
			st = er_scene_rect(s, header ? "table-header" : "table-shade", f->x0, f->y, total, h, bg);
		for (c = 0; c < cols && st == ER_OK; c++) {
			er_run run = cell_run(th, &cells[c], size, header);
			double ch, tw;
			tw = er_flow_width(f, run.font, size, run.s, run.n);
			{
				double saved = f->y;
				double cx = x + PAD;
				if (cells[c].right && tw <= w[c] - 2 * PAD)
					cx = x + w[c] - PAD - tw;
				f->y += PAD * 0.8;
				st = er_flow_runs(f, &run, 1, cx, w[c] - 2 * PAD, lh, 1, &ch);
				f->y = saved;
			}
			x += w[c];
		}
		if (st == ER_OK && !header)
			st = er_scene_line(s, "table-rule", f->x0, f->y + h, f->x0 + total, f->y + h, 0.5,
			                   th->grid);
	}
	*height = h;
	return st;
}

static er_status caption(flow *f, const char *label, const char *title, int continued, int draw,
                         double *height)
{
	const er_theme *th = f->R->theme;
	er_run runs[3];
	size_t n = 0;
	char buf[256];
	er_status st;
	if (label) {
		er_subst sub = {"label", label};
		/* Room is kept for the two spaces before the title. */
		if (continued)
			er_locale_say(f->R->locale, ER_W_CONTINUED, &sub, 1, buf, sizeof buf - 2);
		else
			snprintf(buf, sizeof buf - 2, "%s", label);
		strcat(buf, "  ");
		runs[n].font = F_BOLD;
		runs[n].size = 9;
		runs[n].color = th->muted;
		runs[n].s = er_flow_keep(f, buf, strlen(buf));
		if (runs[n].s == NULL)
			return ER_ERR_NOMEM;
		runs[n].n = strlen(buf);
		runs[n].link = NULL;
		runs[n++].rise = 0;
	}
	if (title && *title) {
		runs[n].font = F_BOLD;
		runs[n].size = 11;
		runs[n].color = th->text;
		runs[n].s = title;
		runs[n].n = strlen(title);
		runs[n].link = NULL;
		runs[n++].rise = 0;
	}
	if (n == 0) {
		*height = 0;
		return ER_OK;
	}
	st = er_flow_runs(f, runs, n, f->x0, f->x1 - f->x0, 14, draw, height);
	*height += 4;
	return st;
}

er_status er_flow_table(flow *f, const char *label, const char *title, const er_tcell *header,
                        const er_tcell *cells, size_t rows, size_t cols, const int *highlight,
                        const char *source)
{
	const er_theme *th = f->R->theme;
	double *w = calloc(cols ? cols : 1, sizeof *w), size = 9, total, avail = f->x1 - f->x0;
	double ch, hh, rh;
	size_t r, c;
	int landscape = 0, continued = 0;
	er_color header_bg = th->palette[0], shade = {0.93, 0.95, 0.97, 1};
	er_status st = ER_OK;

	if (w == NULL)
		return ER_ERR_NOMEM;
	/* Wrap long text columns to fit; else shrink the font; below the
	 * floor, go landscape. */
	total = natural(f, header, cells, rows, cols, size, w);
	if (total > avail) {
		int fits;
		st = wrap_to_fit(f, header, cells, rows, cols, size, avail, w, &fits);
		if (st != ER_OK) {
			free(w);
			return st;
		}
		if (fits)
			total = avail;
	}
	while (total > avail && size > FLOOR_SIZE) {
		size -= 0.5;
		total = natural(f, header, cells, rows, cols, size, w);
	}
	if (total > avail) {
		landscape = 1;
		st = er_flow_new_page(f, 1);
		avail = f->x1 - f->x0;
		size = 9;
		total = natural(f, header, cells, rows, cols, size, w);
		while (total > avail && size > FLOOR_SIZE) {
			size -= 0.5;
			total = natural(f, header, cells, rows, cols, size, w);
		}
	}
	if (st == ER_OK && total > avail) {
		/* Still too wide: wrap the widest columns. */
		double scale = avail / total;
		for (c = 0; c < cols; c++)
			w[c] *= scale;
		total = avail;
	} else if (st == ER_OK && total < avail) {
		/* Spread to the full width, as the AI Index tables do. */
		double extra = (avail - total) / (double)cols;
		for (c = 0; c < cols; c++)
			w[c] += extra;
	}
	/* The caption, the header and a first row stay together. */
	if (st == ER_OK)
		st = caption(f, label, title, 0, 0, &ch);
	if (st == ER_OK)
		st = row(f, header, cols, w, size, 1, 0, header_bg, 0, &hh);
	if (st == ER_OK && rows)
		st = row(f, cells, cols, w, size, 0, 0, shade, 0, &rh);
	if (st == ER_OK && f->y + ch + hh + (rows ? rh : 0) > f->bottom && f->y > f->top + 0.01)
		st = er_flow_new_page(f, landscape);
	if (st == ER_OK && label)
		st = er_flow_outline(f, title && *title ? title : label, f->cur_level);
	if (st == ER_OK) {
		st = caption(f, label, title, 0, 1, &ch);
		f->y += ch;
	}
	if (st == ER_OK) {
		st = row(f, header, cols, w, size, 1, 0, header_bg, 1, &hh);
		f->y += hh;
	}
	for (r = 0; r < rows && st == ER_OK; r++) {
		int hl = highlight && highlight[r];
		st = row(f, &cells[r * cols], cols, w, size, 0, hl, shade, 0, &rh);
		if (st != ER_OK)
			break;
		if (f->y + rh > f->bottom) {
			/* Continue on the next page, header repeated. */
			continued = 1;
			st = er_flow_new_page(f, landscape);
			if (st == ER_OK)
				st = caption(f, label, title, continued, 1, &ch);
			f->y += ch;
			if (st == ER_OK)
				st = row(f, header, cols, w, size, 1, 0, header_bg, 1, &hh);
			f->y += hh;
		}
		if (st == ER_OK)
			st = row(f, &cells[r * cols], cols, w, size, 0, hl, shade, 1, &rh);
		f->y += rh;
	}
	if (st == ER_OK && source && *source) {
		er_run run;
		double sh;
		er_subst sub = {"text", source};
		size_t need = er_locale_say(f->R->locale, ER_W_SOURCE, &sub, 1, NULL, 0) + 1;
		char *text = malloc(need);
		if (text == NULL) {
			free(w);
			return ER_ERR_NOMEM;
		}
		er_locale_say(f->R->locale, ER_W_SOURCE, &sub, 1, text, need);
		run.font = F_REGULAR;
		run.size = 8;
		run.color = th->muted;
		run.s = er_flow_keep(f, text, strlen(text));
		run.n = strlen(text);
		run.link = NULL;
		run.rise = 0;
		free(text);
		f->y += 4;
		if (run.s == NULL)
			st = ER_ERR_NOMEM;
		else
			st = er_flow_runs_paged(f, &run, 1, f->x0, f->x1 - f->x0, 11);
		(void)sh;
	}
	f->y += 12;
	free(w);
	/* A landscape table is followed by portrait pages again. */
	if (st == ER_OK && landscape)
		st = er_flow_new_page(f, 0);
	return st;
}
