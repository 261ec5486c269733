/* report.c - a template to pages: front matter, blocks, numbering, page
 * furniture, and the PDF. */
#include "report_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/datetime.h"
#include "common/file.h"
#include "common/l10n.h"
#include "common/utf8.h"
#include "layout/glyphs.h"
#include "common/num.h"
#include "common/util.h"
#include "layout/axis.h"

#define BODY 10.5
#define LEADING 15.0

/* What the blocks need, computed once before the two flow passes. */
typedef struct prep {
	const void *key;
	char *text;               /* an {{ }} value */
	er_scene *scene;          /* a chart */
	er_tcell *header, *cells; /* a table */
	size_t rows, cols;
	int *highlight;
	char **strings;           /* owned strings the cells point to */
	size_t nstrings;
	const char *title, *source;
	char label[128]; /* "Figure 1.2": kept here, so never a pointer into moving storage */
} prep;

/* The preparation state lives in the report (R->prep): no globals, so
 * reports can be built in several threads at once. */
struct er_prep_list {
	prep *p;
	size_t np;
	int section, fig, tab;
};

static prep *find_prep(const er_report *R, const void *key)
{
	size_t i;
	for (i = 0; i < R->prep->np; i++)
		if (R->prep->p[i].key == key)
			return &R->prep->p[i];
	return NULL;
}

static prep *new_prep(er_report *R, const void *key)
{
	struct er_prep_list *B = R->prep;
	prep *np = realloc(B->p, (B->np + 1) * sizeof *np);
	if (np == NULL)
		return NULL;
	B->p = np;
	memset(&np[B->np], 0, sizeof np[B->np]);
	np[B->np].key = key;
	return &np[B->np++];
}

static void free_preps(struct er_prep_list *B)
{
	size_t i, k;
	if (B == NULL)
		return;
	for (i = 0; i < B->np; i++) {
		er_scene_free(B->p[i].scene);
		free(B->p[i].text);
		free(B->p[i].header);
		free(B->p[i].cells);
		free(B->p[i].highlight);
		for (k = 0; k < B->p[i].nstrings; k++)
			free(B->p[i].strings[k]);
		free(B->p[i].strings);
	}
	free(B->p);
	free(B);
}

static const char *keep_n(prep *p, const char *s, size_t n)
{
	char **ns = realloc(p->strings, (p->nstrings + 1) * sizeof *ns);
	char *copy;
	if (ns == NULL)
		return NULL;
	p->strings = ns;
	copy = er_strndup(s, n);
	if (copy == NULL)
		return NULL;
	ns[p->nstrings++] = copy;
	return copy;
}

static const char *keep(prep *p, const char *s)
{
	return keep_n(p, s, strlen(s));
}

static er_status bad(er_report *R, const er_ynode *at, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static er_status bad(er_report *R, const er_ynode *at, unsigned long line, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	er_diag_emit(R->diag, ER_SEV_ERROR, R->path, at ? at->line : line, at ? at->column : 1, "%s",
	             msg);
	return ER_ERR_DATA;
}

static const char *text_of(const er_ynode *n)
{
	return n && n->type == ER_Y_SCALAR ? n->text : NULL;
}

static er_status check_keys(er_report *R, const er_ynode *map, const char *what,
                            const char *const *keys, size_t n)
{
	size_t i, k;
	for (i = 0; i < map->n; i++) {
		for (k = 0; k < n; k++)
			if (strcmp(map->keys[i]->text, keys[k]) == 0)
				break;
		if (k == n) {
			char list[400] = "";
			size_t o = 0;
			for (k = 0; k < n; k++)
				o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", k ? ", " : "", keys[k]);
			return bad(R, map->keys[i], 0, "unknown %s key \"%s\" (%s)", what, map->keys[i]->text,
			           list);
		}
	}
	return ER_OK;
}

/* ---- charts and tables ---------------------------------------------------- */

/* "Figure 1.2" / "Table 1.2" in the report's language: numbered per
 * top-level section. */
static void number_label(const er_report *R, er_word w, int n, char *buf, size_t cap)
{
	char num[32];
	er_subst sub = {"n", num};
	snprintf(num, sizeof num, "%d.%d", R->prep->section ? R->prep->section : 1, n);
	er_locale_say(R->locale, w, &sub, 1, buf, cap);
}

static er_status prep_chart(er_report *R, const er_block *b)
{
	static const char *const keys[] = {"type", "data", "category", "value", "color_by",
	                                   "sort", "limit", "log", "title", "subtitle",
	                                   "source", "note", "height", "orientation", "axis",
	                                   "labels"};
	const char *labels[9], *rename[2 * ER_CHART_MAX_RENAME];
	const er_ynode *y = b->yaml, *v;
	er_chart_spec spec;
	const char *vals[9];
	const er_result *table;
	prep *p;
	er_status st;
	size_t i;

	if ((st = check_keys(R, y, "chart block", keys, sizeof keys / sizeof keys[0])) != ER_OK)
		return st;
	memset(&spec, 0, sizeof spec);
	spec.limit = -1;
	if (!text_of(er_yaml_get(y, "data")))
		return bad(R, NULL, b->line, "a chart block needs data: (a dataset name)");
	if (!text_of(er_yaml_get(y, "category")))
		return bad(R, NULL, b->line, "a chart block needs category: (a column)");
	v = er_yaml_get(y, "value");
	if (text_of(v)) {
		vals[0] = v->text;
		spec.nvalues = 1;
	} else if (v && v->type == ER_Y_SEQ && v->n >= 1 && v->n <= 8) {
		for (i = 0; i < v->n; i++)
			if ((vals[i] = text_of(v->items[i])) == NULL)
				return bad(R, v->items[i], 0, "value: expected column names");
		spec.nvalues = v->n;
	} else {
		return bad(R, v, b->line, "a chart block needs value: (a column, or a list of 1 to 8)");
	}
	spec.values = vals;
	spec.category = text_of(er_yaml_get(y, "category"));
	spec.color_by = text_of(er_yaml_get(y, "color_by"));
	spec.title = text_of(er_yaml_get(y, "title"));
	spec.subtitle = text_of(er_yaml_get(y, "subtitle"));
	spec.source = text_of(er_yaml_get(y, "source"));
	spec.note = text_of(er_yaml_get(y, "note"));
	spec.axis_title = text_of(er_yaml_get(y, "axis"));
	spec.credit = R->credit;
	if ((v = er_yaml_get(y, "labels")) != NULL) {
		/* labels: {gross_tco2e: Gross, net_tco2e: Net} names the series. */
		if (v->type != ER_Y_MAP)
			return bad(R, v, 0, "labels: expected a map of column: label");
		for (i = 0; i < spec.nvalues; i++) {
			const char *l = text_of(er_yaml_get(v, vals[i]));
			labels[i] = l ? l : vals[i];
		}
		spec.labels = labels;
		/* Its other keys name category or colour values: a translated
		 * template shows "Real life" as 现实生活 without a second dataset. */
		for (i = 0; i < v->n; i++) {
			const char *from = v->keys[i]->text, *to = text_of(v->items[i]);
			size_t k;
			int series = 0;
			for (k = 0; k < spec.nvalues; k++)
				series |= strcmp(from, vals[k]) == 0;
			if (series)
				continue;
			if (to == NULL)
				return bad(R, v->items[i], 0, "labels: expected a map of column: label");
			if (spec.nrename == ER_CHART_MAX_RENAME)
				return bad(R, v->keys[i], 0, "labels: at most %d labels besides the value "
				           "columns", ER_CHART_MAX_RENAME);
			rename[2 * spec.nrename] = from;
			rename[2 * spec.nrename + 1] = to;
			spec.nrename++;
		}
		spec.rename = rename;
	}
	if ((v = er_yaml_get(y, "type")) != NULL) {
		const char *t = text_of(v);
		if (t && strcmp(t, "bar") == 0)
			spec.type = ER_CHART_BAR;
		else if (t && strcmp(t, "stacked") == 0)
			spec.type = ER_CHART_STACKED;
		else if (t && strcmp(t, "grouped") == 0)
			spec.type = ER_CHART_GROUPED;
		else
			return bad(R, v, 0, "type: expected bar, stacked or grouped");
	}
	if (spec.nvalues > 1 && spec.type == ER_CHART_BAR)
		spec.type = ER_CHART_GROUPED;
	if ((v = er_yaml_get(y, "sort")) != NULL) {
		const char *t = text_of(v);
		if (t && (strcmp(t, "desc") == 0 || strcmp(t, "descending") == 0))
			spec.sort = ER_SORT_DESC;
		else if (t && (strcmp(t, "asc") == 0 || strcmp(t, "ascending") == 0))
			spec.sort = ER_SORT_ASC;
		else if (t && strcmp(t, "none") == 0)
			spec.sort = ER_SORT_NONE;
		else
			return bad(R, v, 0, "sort: expected ascending, descending or none");
	}
	if ((v = er_yaml_get(y, "orientation")) != NULL) {
		const char *t = text_of(v);
		if (t && strcmp(t, "horizontal") == 0)
			spec.orient = ER_ORIENT_HORIZONTAL;
		else if (t && strcmp(t, "vertical") == 0)
			spec.orient = ER_ORIENT_VERTICAL;
		else
			return bad(R, v, 0, "orientation: expected horizontal or vertical");
	}
	if ((v = er_yaml_get(y, "log")) != NULL)
		spec.log = text_of(v) && strcmp(v->text, "true") == 0;
	if ((v = er_yaml_get(y, "limit")) != NULL) {
		char *end;
		spec.limit = text_of(v) ? strtol(v->text, &end, 10) : -1;
		if (!text_of(v) || *end || spec.limit < 1)
			return bad(R, v, 0, "limit: expected a whole number >= 1");
	}
	/* The chart's own margins sit outside the text column, so that its
	 * title and labels line up with the body text. */
	spec.width = R->page_w - 2 * 56 + 2 * R->theme->margin;
	spec.height = (R->page_w - 2 * 56) * 0.5625;
	if ((v = er_yaml_get(y, "height")) != NULL) {
		double h;
		if (!text_of(v) || !er_num_parse(v->text, strlen(v->text), &h) || h < 100 || h > 700)
			return bad(R, v, 0, "height: expected points from 100 to 700");
		spec.height = h;
	}
	p = new_prep(R, b);
	if (p == NULL)
		return ER_ERR_NOMEM;
	R->prep->fig++;
	number_label(R, ER_W_FIGURE, R->prep->fig, p->label, sizeof p->label);
	spec.figure = p->label;
	spec.locale = R->locale;
	spec.data_name = R->path;
	st = er_datasets_get(R->data, spec.category ? text_of(er_yaml_get(y, "data")) : "",
	                     er_yaml_get(y, "data"), &table);
	if (st == ER_OK)
		st = er_layout_chart(&spec, R->theme, table, &R->cm.m, R->diag, &p->scene);
	if (st == ER_ERR_DATA)
		er_diag_emit(R->diag, ER_SEV_ERROR, R->path, b->line, b->column,
		             "in this chart block (%s)", p->label);
	if (st == ER_OK) {
		er_scene **nf = realloc(R->figures, (R->nfigures + 1) * sizeof *nf);
		if (nf == NULL)
			return ER_ERR_NOMEM;
		R->figures = nf;
		nf[R->nfigures++] = p->scene;
		p->title = spec.title;
	}
	return st;
}

/* A number by a pattern such as "#,##0.0": decimals after the point,
 * grouping when there is a comma. The pattern is written the English way
 * whatever the language; the number comes out in the language's marks
 * (loc, NULL: English). */
static void format_number(const er_locale *loc, double v, const char *pattern, char *buf,
                          size_t cap)
{
	if (pattern) {
		/* After the point, 0 is a digit always shown, # one shown when not zero. */
		const char *dot = strchr(pattern, '.');
		int decimals = dot ? (int)strspn(dot + 1, "0#") : 0;
		int required = dot ? (int)strspn(dot + 1, "0") : 0;
		size_t n = er_locale_number(loc, v, decimals, strchr(pattern, ',') != NULL, buf, cap);
		while (decimals > required && n > 0 && buf[n - 1] == '0') {
			buf[--n] = '\0';
			decimals--;
		}
		if (decimals == 0 && dot && n > 0 && buf[n - 1] == er_locale_mark(loc))
			buf[--n] = '\0';
		return;
	}
	er_fmt_label(loc, v, 2, buf, cap);
}

static er_status prep_table(er_report *R, const er_block *b)
{
	static const char *const keys[] = {"data", "title", "columns", "source", "format",
	                                   "headers", "highlight", "limit"};
	const er_ynode *y = b->yaml, *cols, *fmt, *heads, *hl;
	const er_result *t;
	size_t c, r, ncols, *idx = NULL, rows;
	prep *p;
	er_status st;

	if ((st = check_keys(R, y, "table block", keys, sizeof keys / sizeof keys[0])) != ER_OK)
		return st;
	if (!text_of(er_yaml_get(y, "data")))
		return bad(R, NULL, b->line, "a table block needs data: (a dataset name)");
	st = er_datasets_get(R->data, text_of(er_yaml_get(y, "data")), er_yaml_get(y, "data"), &t);
	if (st != ER_OK)
		return st;
	cols = er_yaml_get(y, "columns");
	if (cols && cols->type != ER_Y_SEQ)
		return bad(R, cols, 0, "columns: expected a list of column names");
	ncols = cols ? cols->n : t->ncols;
	idx = calloc(ncols ? ncols : 1, sizeof *idx);
	if (idx == NULL)
		return ER_ERR_NOMEM;
	for (c = 0; c < ncols; c++) {
		if (cols) {
			const char *name = text_of(cols->items[c]);
			size_t k;
			for (k = 0; name && k < t->ncols; k++)
				if (strcmp(t->cols[k].name, name) == 0)
					break;
			if (name == NULL || k == t->ncols) {
				const char **names = malloc((t->ncols + 1) * sizeof *names);
				long best = -1;
				if (names) {
					for (k = 0; k < t->ncols; k++)
						names[k] = t->cols[k].name;
					best = name ? er_suggest(name, names, t->ncols) : -1;
				}
				st = bad(R, cols->items[c], 0, "unknown column \"%s\" in dataset \"%s\"%s%s%s",
				         name ? name : "?", text_of(er_yaml_get(y, "data")),
				         best >= 0 ? " (did you mean \"" : "", best >= 0 ? names[best] : "",
				         best >= 0 ? "\"?)" : "");
				free(names);
				free(idx);
				return st;
			}
			idx[c] = k;
		} else {
			idx[c] = c;
		}
	}
	p = new_prep(R, b);
	if (p == NULL) {
		free(idx);
		return ER_ERR_NOMEM;
	}
	rows = t->nrows;
	if ((fmt = er_yaml_get(y, "limit")) != NULL) {
		char *end;
		long n = text_of(fmt) ? strtol(fmt->text, &end, 10) : -1;
		if (!text_of(fmt) || *end || n < 1) {
			free(idx);
			return bad(R, fmt, 0, "limit: expected a whole number >= 1");
		}
		if ((size_t)n < rows)
			rows = (size_t)n;
	}
	fmt = er_yaml_get(y, "format");
	heads = er_yaml_get(y, "headers");
	hl = er_yaml_get(y, "highlight");
	p->cols = ncols;
	p->rows = rows;
	p->header = calloc(ncols ? ncols : 1, sizeof *p->header);
	p->cells = calloc(rows * ncols + 1, sizeof *p->cells);
	p->highlight = calloc(rows + 1, sizeof *p->highlight);
	if (p->header == NULL || p->cells == NULL || p->highlight == NULL) {
		free(idx);
		return ER_ERR_NOMEM;
	}
	for (c = 0; c < ncols && st == ER_OK; c++) {
		const er_rcol *col = &t->cols[idx[c]];
		char head[300];
		const char *given = text_of(er_yaml_get(heads, col->name));
		if (given)
			snprintf(head, sizeof head, "%s", given);
		else
			snprintf(head, sizeof head, "%s%s%s%s", col->name, col->unit ? " (" : "",
			         col->unit ? col->unit : "", col->unit ? ")" : "");
		p->header[c].text = keep(p, head);
		p->header[c].right = col->type == ER_V_NUM;
		if (p->header[c].text == NULL)
			st = ER_ERR_NOMEM;
	}
	for (r = 0; r < rows && st == ER_OK; r++) {
		for (c = 0; c < ncols && st == ER_OK; c++) {
			const er_value *v = er_result_cell(t, r, idx[c]);
			const char *pattern = text_of(er_yaml_get(fmt, t->cols[idx[c]].name));
			char buf[128], en[128] = "";
			const er_ynode *want = er_yaml_get(hl, t->cols[idx[c]].name);
			const char *text;
			if (v->type == ER_V_NUM) {
				format_number(R->locale, v->num, pattern, buf, sizeof buf);
				/* highlight: may name a number as written in English too,
				 * so that a template's highlights survive --lang. */
				format_number(NULL, v->num, pattern, en, sizeof en);
			} else if (v->type == ER_V_NULL)
				snprintf(buf, sizeof buf, "–");
			else if (v->type != ER_V_TEXT)
				er_value_format(v, buf, sizeof buf);
			/* Text whole, however long: a cell wraps, it is never cut. */
			text = v->type == ER_V_TEXT ? keep_n(p, v->s, v->n) : keep(p, buf);
			p->cells[r * ncols + c].text = text;
			p->cells[r * ncols + c].right = v->type == ER_V_NUM;
			if (text == NULL)
				st = ER_ERR_NOMEM;
			else if (text_of(want) &&
			         (strcmp(want->text, text) == 0 || (*en && strcmp(want->text, en) == 0)))
				p->highlight[r] = 1;
		}
	}
	for (r = 0; r < rows; r++)
		for (c = 0; c < ncols && p->highlight[r]; c++)
			p->cells[r * ncols + c].bold = 1;
	free(idx);
	R->prep->tab++;
	number_label(R, ER_W_TABLE, R->prep->tab, p->label, sizeof p->label);
	p->title = text_of(er_yaml_get(y, "title"));
	p->source = text_of(er_yaml_get(y, "source"));
	return st;
}

/* ---- inline text ---------------------------------------------------------- */

static er_status prep_inlines(er_report *R, const er_inline *inl, size_t n)
{
	size_t i;
	er_status st = ER_OK;
	for (i = 0; i < n && st == ER_OK; i++) {
		if (inl[i].kind == ER_INL_EXPR) {
			char *text = NULL;
			prep *p;
			st = er_datasets_eval_text(R->data, R->tpl->front, R->locale, inl[i].text,
			                           inl[i].line, inl[i].column, &text);
			if (st != ER_OK)
				break;
			p = new_prep(R, &inl[i]);
			if (p == NULL) {
				free(text);
				return ER_ERR_NOMEM;
			}
			p->text = text; /* owned by the prep from here */
		}
	}
	return st;
}

/* A top-level section with nothing in it is a mistake in the template. */
static er_status check_sections(er_report *R, er_block *const *blocks, size_t n)
{
	size_t i, k;
	for (i = 0; i < n; i++) {
		if (blocks[i]->kind != ER_BLK_HEADING || blocks[i]->level != 1)
			continue;
		/* Up to the next top-level heading, is there anything but data blocks? */
		for (k = i + 1; k < n; k++)
			if (blocks[k]->kind != ER_BLK_DATA || (blocks[k]->kind == ER_BLK_HEADING &&
			                                        blocks[k]->level == 1))
				break;
		if (k == n || (blocks[k]->kind == ER_BLK_HEADING && blocks[k]->level == 1)) {
			char *title = NULL;
			size_t j;
			er_buf b = ER_BUF_INIT;
			for (j = 0; j < blocks[i]->ninl; j++)
				if (blocks[i]->inl[j].text)
					er_buf_puts(&b, blocks[i]->inl[j].text);
			er_buf_take(&b, &title);
			er_diag_emit(R->diag, ER_SEV_ERROR, R->path, blocks[i]->line, blocks[i]->column,
			             "section \"%s\" is empty", title ? title : "");
			free(title);
			return ER_ERR_DATA;
		}
	}
	return ER_OK;
}

static er_status prep_blocks(er_report *R, er_block *const *blocks, size_t n)
{
	size_t i, r;
	er_status st = ER_OK;
	for (i = 0; i < n && st == ER_OK; i++) {
		const er_block *b = blocks[i];
		switch (b->kind) {
		case ER_BLK_HEADING:
			if (b->level == 1) {
				R->prep->section++;
				R->prep->fig = R->prep->tab = 0;
			}
			st = prep_inlines(R, b->inl, b->ninl);
			break;
		case ER_BLK_PARA:
			st = prep_inlines(R, b->inl, b->ninl);
			break;
		case ER_BLK_PIPE_TABLE:
			for (r = 0; r < b->rows * b->cols && st == ER_OK; r++)
				st = prep_inlines(R, b->cells[r].inl, b->cells[r].ninl);
			break;
		case ER_BLK_DATA:
			st = er_datasets_add_block(R->data, b->yaml);
			break;
		case ER_BLK_TABLE:
			st = prep_table(R, b);
			break;
		case ER_BLK_CHART:
			st = prep_chart(R, b);
			break;
		default:
			st = prep_blocks(R, b->children, b->nchildren);
			break;
		}
	}
	return st;
}

/* Whether the soft break inl[i] joins two characters of a script written
 * without spaces (Chinese, Japanese): a template's line ends in a Chinese
 * paragraph must not become spaces between ideographs. */
static int joins_spaceless(const er_inline *inl, size_t n, size_t i)
{
	const char *a, *b;
	size_t len;

	if (i == 0 || i + 1 >= n || inl[i - 1].kind != ER_INL_TEXT || inl[i + 1].kind != ER_INL_TEXT)
		return 0;
	a = inl[i - 1].text;
	b = inl[i + 1].text;
	if (a == NULL || b == NULL || *b == '\0')
		return 0;
	return er_cp_spaceless(er_utf8_last(a, strlen(a))) &&
	       er_cp_spaceless(er_utf8_decode(b, strlen(b), &len));
}

/* Inlines to runs at `size` in `base` font; {{ }} values from the preps. */
static er_status to_runs(flow *f, const er_inline *inl, size_t n, double size, int base_bold,
                         er_color color, er_run **out, size_t *nout)
{
	const er_theme *th = f->R->theme;
	er_run *runs = calloc(n + 1, sizeof *runs);
	size_t i, k = 0;
	if (runs == NULL)
		return ER_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		const er_inline *x = &inl[i];
		er_run *r = &runs[k];
		int bold = base_bold || (x->style & ER_STYLE_BOLD), italic = x->style & ER_STYLE_ITALIC;
		r->font = bold && italic ? F_BOLD_ITALIC : bold ? F_BOLD : italic ? F_ITALIC : F_REGULAR;
		r->size = size;
		r->color = x->link ? th->palette[5 % th->npalette] : color;
		r->link = x->link;
		switch (x->kind) {
		case ER_INL_TEXT:
			r->s = x->text;
			r->n = strlen(x->text);
			break;
		case ER_INL_CODE:
			r->font = F_MONO;
			r->size = size * 0.9;
			r->s = x->text;
			r->n = strlen(x->text);
			break;
		case ER_INL_EXPR: {
			prep *p = find_prep(f->R, x);
			r->s = p && p->text ? p->text : "";
			r->n = strlen(r->s);
			break;
		}
		case ER_INL_SOFTBREAK:
			r->s = " ";
			r->n = joins_spaceless(inl, n, i) ? 0 : 1;
			break;
		case ER_INL_LINEBREAK:
			r->s = "\n";
			r->n = 1;
			break;
		case ER_INL_FOOTREF: {
			char buf[16];
			snprintf(buf, sizeof buf, "%d", x->number);
			r->s = er_flow_keep(f, buf, strlen(buf));
			if (r->s == NULL) {
				free(runs);
				return ER_ERR_NOMEM;
			}
			r->n = strlen(buf);
			r->size = size * 0.65;
			r->rise = size * 0.35;
			break;
		}
		}
		if (r->n)
			k++;
	}
	*out = runs;
	*nout = k;
	return ER_OK;
}

/* ---- flowing blocks --------------------------------------------------------- */

static er_status flow_blocks(flow *f, er_block *const *blocks, size_t n, double indent);

static er_status flow_para(flow *f, const er_inline *inl, size_t n, double indent, double size,
                           int bold, er_color color, double after)
{
	er_run *runs = NULL;
	size_t nr;
	er_status st = to_runs(f, inl, n, size, bold, color, &runs, &nr);
	if (st == ER_OK && nr)
		st = er_flow_runs_paged(f, runs, nr, f->x0 + indent, f->x1 - f->x0 - indent,
		                        size * LEADING / BODY);
	free(runs);
	f->y += after;
	return st;
}

/* The plain text of inlines (outline titles, running headers). */
static char *plain(const er_report *R, const er_inline *inl, size_t n)
{
	er_buf b = ER_BUF_INIT;
	size_t i;
	char *out = NULL;
	for (i = 0; i < n; i++) {
		const char *s = inl[i].kind == ER_INL_EXPR
		                    ? (find_prep(R, &inl[i]) ? find_prep(R, &inl[i])->text : "")
		                    : inl[i].text ? inl[i].text : " ";
		if (er_buf_puts(&b, s) != ER_OK)
			break;
	}
	if (er_buf_take(&b, &out) != ER_OK)
		out = NULL;
	return out;
}

static er_status flow_heading(flow *f, const er_block *b)
{
	const er_theme *th = f->R->theme;
	double size = b->level == 1 ? 16 : b->level == 2 ? 13 : 11;
	char *title = plain(f->R, b->inl, b->ninl);
	er_status st = ER_OK;
	if (title == NULL)
		return ER_ERR_NOMEM;
	if (b->level == 1) {
		f->section++;
		f->fig = f->tab = 0;
		free(f->section_title);
		f->section_title = er_strdup(title);
	}
	f->y += b->level == 1 ? 14 : 8;
	/* Never alone at the bottom of a page: keep room for what follows. */
	if (f->y + size * 1.5 + 60 > f->bottom && f->y > f->top + 0.01)
		st = er_flow_new_page(f, 0);
	if (st == ER_OK && b->level == 1) {
		/* The running header shows the section from this page on. */
		free(f->page_section[f->npages - 1]);
		f->page_section[f->npages - 1] = er_strdup(title);
	}
	if (st == ER_OK && b->level <= 2) {
		f->cur_level = b->level;
		st = er_flow_outline(f, title, b->level - 1);
		if (st == ER_OK && f->pass == 1) {
			er_heading_ref *nh = realloc(f->heads, (f->nheads + 1) * sizeof *nh);
			if (nh == NULL) {
				st = ER_ERR_NOMEM;
			} else {
				f->heads = nh;
				nh[f->nheads].title = er_strdup(title);
				nh[f->nheads].level = b->level;
				nh[f->nheads++].page = f->npages;
			}
		}
	}
	if (st == ER_OK)
		st = flow_para(f, b->inl, b->ninl, 0, size, 1, th->text, 6);
	free(title);
	return st;
}

/* Copies a chart's scene onto the page at (x, y): figures stay vector. */
static er_status place_scene(flow *f, const er_scene *s, double x, double y)
{
	er_scene *page = f->pages[f->npages - 1];
	size_t i;
	er_status st = ER_OK;
	for (i = 0; i < s->nitems && st == ER_OK; i++) {
		const er_item *it = &s->items[i];
		int font = it->font == 1 ? F_BOLD : F_REGULAR;
		switch (it->kind) {
		case ER_ITEM_RECT:
			st = er_scene_rect(page, it->role, x + it->x, y + it->y, it->w, it->h, it->color);
			break;
		case ER_ITEM_LINE:
			st = er_scene_line(page, it->role, x + it->x, y + it->y, x + it->x2, y + it->y2,
			                   it->width, it->color);
			break;
		case ER_ITEM_TEXT:
			st = er_scene_text(page, it->role, x + it->x, y + it->y, font, it->size, it->color,
			                   it->text, strlen(it->text), it->advance);
			break;
		}
	}
	return st;
}

static er_status flow_chart(flow *f, const er_block *b)
{
	prep *p = find_prep(f->R, b);
	er_status st;
	if (p == NULL || p->scene == NULL)
		return ER_OK;
	f->fig++;
	/* A figure never splits from its title: it is one piece. */
	st = er_flow_need(f, p->scene->height - 2 * f->R->theme->margin + 18);
	if (st == ER_OK)
		st = er_flow_outline(f, p->title ? p->title : p->label, f->cur_level);
	if (st == ER_OK)
		st = place_scene(f, p->scene, f->x0 - f->R->theme->margin, f->y - f->R->theme->margin);
	f->y += p->scene->height - 2 * f->R->theme->margin + 18;
	return st;
}

static er_status flow_list(flow *f, const er_block *b, double indent)
{
	const er_theme *th = f->R->theme;
	size_t i;
	er_status st = ER_OK;
	for (i = 0; i < b->nchildren && st == ER_OK; i++) {
		char mark[16];
		double size = BODY;
		if (b->ordered)
			snprintf(mark, sizeof mark, "%d.", b->start + (int)i);
		else
			snprintf(mark, sizeof mark, "%s", indent > 0 ? "\xe2\x80\x93" : "\xe2\x80\xa2");
		st = er_flow_need(f, LEADING);
		if (st == ER_OK) {
			const char *m = er_flow_keep(f, mark, strlen(mark));
			if (m == NULL)
				return ER_ERR_NOMEM;
			st = er_scene_text(f->pages[f->npages - 1], "bullet", f->x0 + indent,
			                   f->y + er_flow_ascent(f, F_REGULAR, size) + 1.5, F_REGULAR, size,
			                   th->text, m, strlen(m), er_flow_width(f, F_REGULAR, size, m, strlen(m)));
		}
		if (st == ER_OK)
			st = flow_blocks(f, b->children[i]->children, b->children[i]->nchildren, indent + 16);
	}
	return st;
}

static er_status flow_pipe_table(flow *f, const er_block *b)
{
	er_tcell *cells = calloc(b->rows * b->cols + 1, sizeof *cells);
	char **texts = calloc(b->rows * b->cols + 1, sizeof *texts);
	size_t i;
	er_status st = ER_OK;
	if (cells == NULL || texts == NULL) {
		free(cells);
		free(texts);
		return ER_ERR_NOMEM;
	}
	for (i = 0; i < b->rows * b->cols && st == ER_OK; i++) {
		texts[i] = plain(f->R, b->cells[i].inl, b->cells[i].ninl);
		if (texts[i] == NULL)
			st = ER_ERR_NOMEM;
		cells[i].text = texts[i] ? texts[i] : "";
		cells[i].right = b->align && b->align[i % b->cols] == 'r';
	}
	if (st == ER_OK && b->rows > 0)
		st = er_flow_table(f, NULL, NULL, cells, cells + b->cols, b->rows - 1, b->cols, NULL, NULL);
	for (i = 0; i < b->rows * b->cols; i++)
		free(texts[i]);
	free(texts);
	free(cells);
	return st;
}

static er_status flow_blocks(flow *f, er_block *const *blocks, size_t n, double indent)
{
	const er_theme *th = f->R->theme;
	size_t i;
	er_status st = ER_OK;
	for (i = 0; i < n && st == ER_OK; i++) {
		const er_block *b = blocks[i];
		switch (b->kind) {
		case ER_BLK_HEADING:
			st = flow_heading(f, b);
			break;
		case ER_BLK_PARA:
			st = flow_para(f, b->inl, b->ninl, indent, BODY, 0, th->text, 8);
			break;
		case ER_BLK_LIST:
			st = flow_list(f, b, indent);
			f->y += 4;
			break;
		case ER_BLK_ITEM:
			st = flow_blocks(f, b->children, b->nchildren, indent);
			break;
		case ER_BLK_QUOTE: {
			size_t page = f->npages;
			double y0 = f->y;
			st = flow_blocks(f, b->children, b->nchildren, indent + 14);
			if (st == ER_OK && page == f->npages)
				st = er_scene_rect(f->pages[f->npages - 1], "quote-bar", f->x0 + indent, y0, 2.5,
				                   f->y - y0 - 8, th->grid);
			break;
		}
		case ER_BLK_CODE: {
			er_run run = {F_MONO, 8.5, th->text, b->code, strlen(b->code), NULL, 0};
			st = er_flow_runs_paged(f, &run, 1, f->x0 + indent + 6, f->x1 - f->x0 - indent - 12, 12);
			f->y += 8;
			break;
		}
		case ER_BLK_RULE:
			st = er_flow_new_page(f, 0);
			break;
		case ER_BLK_PIPE_TABLE:
			st = flow_pipe_table(f, b);
			break;
		case ER_BLK_TABLE: {
			prep *p = find_prep(f->R, b);
			f->tab++;
			if (p)
				st = er_flow_table(f, p->label, p->title, p->header, p->cells, p->rows, p->cols,
				                   p->highlight, p->source);
			break;
		}
		case ER_BLK_CHART:
			st = flow_chart(f, b);
			break;
		case ER_BLK_DATA:
		case ER_BLK_FOOTNOTE:
			break;
		}
	}
	return st;
}

/* ---- the document ------------------------------------------------------------- */

/* Sets one run of text (not owned; kept until the pages are drawn) across
 * the text width, wrapping, with LEADING points between lines; *h is the
 * height it took. */
static er_status full_width(flow *f, int font, double size, er_color color, const char *s,
                           double leading, double *h)
{
	er_run run = {font, size, color, s, strlen(s), NULL, 0};
	return er_flow_runs(f, &run, 1, f->x0, f->x1 - f->x0, leading, 1, h);
}

static er_status title_block(flow *f)
{
	er_report *R = f->R;
	const er_theme *th = R->theme;
	double h;
	er_status st = ER_OK;
	er_buf line = ER_BUF_INIT;
	char *date = NULL;

	if (R->title) {
		st = full_width(f, F_BOLD, 22, th->text, R->title, 27, &h);
		f->y += h + 4;
	}
	if (st == ER_OK && R->subtitle) {
		st = full_width(f, F_REGULAR, 13, th->muted, R->subtitle, 17, &h);
		f->y += h + 4;
	}
	/* 2023-04-07 in the language's way; other text as written, whole. */
	if (st == ER_OK && R->date) {
		size_t n = er_locale_date(R->locale, R->date, NULL, 0);
		date = malloc(n + 1);
		if (date == NULL)
			st = ER_ERR_NOMEM;
		else
			er_locale_date(R->locale, R->date, date, n + 1);
	}
	if (st == ER_OK)
		st = er_buf_printf(&line, "%s%s%s", R->author ? R->author : "",
		                   R->author && date ? " \xc2\xb7 " : "", date ? date : "");
	if (st == ER_OK && line.len > 0) {
		const char *kept = er_flow_keep(f, line.data, line.len);
		if (kept == NULL) {
			st = ER_ERR_NOMEM;
		} else {
			st = full_width(f, F_REGULAR, 10, th->muted, kept, 14, &h);
			f->y += h;
		}
	}
	free(date);
	er_buf_free(&line);
	if (st == ER_OK) {
		f->y += 8;
		st = er_scene_line(f->pages[0], "title-rule", f->x0, f->y, f->x1, f->y, 1.5,
		                   th->palette[0]);
		f->y += 18;
	}
	return st;
}

static er_status contents(flow *f)
{
	const er_theme *th = f->R->theme;
	size_t i, count = 0;
	er_status st;
	const er_template *t = f->R->tpl;
	double h;

	st = full_width(f, F_BOLD, 14, th->text, er_locale_word(f->R->locale, ER_W_CONTENTS), 20, &h);
	f->y += h + 4;
	for (i = 0; i < t->nblocks; i++)
		if (t->blocks[i]->kind == ER_BLK_HEADING && t->blocks[i]->level <= 2)
			count++;
	for (i = 0; i < count && st == ER_OK; i++) {
		char num[16] = "";
		const char *title = "";
		int level = 1;
		if (f->pass == 2 && i < f->nheads) {
			title = f->heads[i].title;
			level = f->heads[i].level;
			snprintf(num, sizeof num, "%zu", f->heads[i].page);
		} else {
			size_t k, seen = 0;
			for (k = 0; k < t->nblocks; k++)
				if (t->blocks[k]->kind == ER_BLK_HEADING && t->blocks[k]->level <= 2 && seen++ == i) {
					level = t->blocks[k]->level;
					break;
				}
		}
		st = er_flow_need(f, 15);
		if (st == ER_OK && *title)
			st = er_scene_text(f->pages[f->npages - 1], "toc", f->x0 + (level - 1) * 14, f->y + 11,
			                   level == 1 ? F_BOLD : F_REGULAR, 10.5, th->text, title, strlen(title),
			                   er_flow_width(f, level == 1 ? F_BOLD : F_REGULAR, 10.5, title, strlen(title)));
		if (st == ER_OK && *num) {
			double w = er_flow_width(f, F_REGULAR, 10.5, num, strlen(num));
			const char *kept = er_flow_keep(f, num, strlen(num));
			if (kept == NULL)
				return ER_ERR_NOMEM;
			st = er_scene_text(f->pages[f->npages - 1], "toc-page", f->x1 - w, f->y + 11, F_REGULAR,
			                   10.5, th->muted, kept, strlen(kept), w);
		}
		f->y += 15;
	}
	f->y += 14;
	return st;
}

static er_status footnotes(flow *f)
{
	const er_theme *th = f->R->theme;
	const er_template *t = f->R->tpl;
	size_t i;
	er_status st = ER_OK;
	if (t->nfootnotes == 0)
		return ER_OK;
	f->y += 10;
	st = er_flow_need(f, 40);
	if (st == ER_OK)
		st = er_scene_line(f->pages[f->npages - 1], "notes-rule", f->x0, f->y, f->x0 + 120, f->y,
		                   0.5, th->muted);
	f->y += 4;
	if (st == ER_OK) {
		double h;
		st = full_width(f, F_BOLD, 9, th->muted, er_locale_word(f->R->locale, ER_W_NOTES), 13, &h);
		f->y += h + 2;
	}
	for (i = 0; i < t->nfootnotes && st == ER_OK; i++) {
		const er_block *fn = t->footnotes[i];
		char num[16];
		snprintf(num, sizeof num, "%d", fn->number);
		st = er_flow_need(f, 14);
		if (st == ER_OK) {
			const char *kept = er_flow_keep(f, num, strlen(num));
			if (kept == NULL)
				return ER_ERR_NOMEM;
			st = er_scene_text(f->pages[f->npages - 1], "footnote-number", f->x0,
			                   f->y + er_flow_ascent(f, F_REGULAR, 8.5), F_REGULAR, 8.5, th->muted,
			                   kept, strlen(kept), er_flow_width(f, F_REGULAR, 8.5, kept, strlen(kept)));
		}
		if (st == ER_OK && fn->nchildren && fn->children[0]->kind == ER_BLK_PARA)
			st = flow_para(f, fn->children[0]->inl, fn->children[0]->ninl, 12, 8.5, 0, th->muted, 3);
	}
	return st;
}

/* Running header (report title, section) and footer (credit, Page N of M). */
static er_status furniture(flow *f)
{
	er_report *R = f->R;
	const er_theme *th = R->theme;
	size_t i;
	er_status st = ER_OK;
	for (i = 0; i < f->npages && st == ER_OK; i++) {
		er_scene *s = f->pages[i];
		double x0 = 56, x1 = s->width - 56, top = 40, foot = s->height - 30;
		char buf[256], n[24], m[24];
		er_subst subs[2] = {{"n", n}, {"m", m}};
		double w;
		const char *section = f->page_section[i];
		if (i > 0) {
			if (R->title)
				st = er_scene_text(s, "running-title", x0, top, F_REGULAR, 8, th->muted, R->title,
				                   strlen(R->title), er_flow_width(f, F_REGULAR, 8, R->title, strlen(R->title)));
			if (st == ER_OK && section) {
				w = er_flow_width(f, F_BOLD, 8, section, strlen(section));
				st = er_scene_text(s, "running-section", x1 - w, top, F_BOLD, 8, th->muted, section,
				                   strlen(section), w);
			}
			if (st == ER_OK)
				st = er_scene_line(s, "header-rule", x0, top + 5, x1, top + 5, 0.5, th->grid);
		}
		/* Page numbers are not grouped: "Seite 1234", as books print them. */
		snprintf(n, sizeof n, "%zu", i + 1);
		snprintf(m, sizeof m, "%zu", f->npages);
		er_locale_say(R->locale, ER_W_PAGE_OF, subs, 2, buf, sizeof buf);
		w = er_flow_width(f, F_REGULAR, 8, buf, strlen(buf));
		if (st == ER_OK)
			st = er_scene_text(s, "page-number", x1 - w, foot, F_REGULAR, 8, th->muted, buf,
			                   strlen(buf), w);
		if (st == ER_OK && R->author && i > 0)
			st = er_scene_text(s, "running-author", x0, foot, F_REGULAR, 8, th->muted, R->author,
			                   strlen(R->author), er_flow_width(f, F_REGULAR, 8, R->author, strlen(R->author)));
	}
	return st;
}

static er_status flow_all(er_report *R, int pass)
{
	flow *f = &R->f;
	er_status st = er_flow_start(f, R, pass);
	if (st == ER_OK)
		st = title_block(f);
	if (st == ER_OK && R->toc)
		st = contents(f);
	if (st == ER_OK)
		st = flow_blocks(f, R->tpl->blocks, R->tpl->nblocks, 0);
	if (st == ER_OK)
		st = footnotes(f);
	/* A landscape table at the end leaves an empty portrait page behind. */
	while (st == ER_OK && f->npages > 1 && f->pages[f->npages - 1]->nitems == 0) {
		f->npages--;
		er_scene_free(f->pages[f->npages]);
		free(f->page_section[f->npages]);
	}
	if (st == ER_OK && pass == 2)
		st = furniture(f);
	return st;
}

/* The language: --lang, else the front matter's `lang`, else English
 * (from its file when there is one, as the ai-index theme is). */
static er_status load_locale(er_report *R, const er_report_opts *opts, const er_ynode *front)
{
	const er_ynode *v = er_yaml_get(front, "lang");
	const char *code = opts->lang;
	er_buf names = ER_BUF_INIT;
	er_status st;

	if (code == NULL && v != NULL && ((code = text_of(v)) == NULL || *code == '\0'))
		return bad(R, v, 0, "lang: expected a language code such as de");
	if (code == NULL)
		code = "en";
	if (er_locale_exists(opts->locales_dir, code))
		return er_locale_load(code, opts->locales_dir, R->diag, &R->locale);
	/* An unknown language: the command line's is a usage error, the
	 * template's a data error at its place. Both list the choices. */
	st = er_locale_names(opts->locales_dir, &names);
	if (st == ER_OK && opts->lang) {
		er_diag_emit(R->diag, ER_SEV_ERROR, NULL, 0, 0, "unknown language \"%s\" (available: %s)",
		             code, names.data);
		st = ER_ERR_USAGE;
	} else if (st == ER_OK) {
		st = bad(R, v, 0, "unknown language \"%s\" (available: %s)", code, names.data);
	}
	er_buf_free(&names);
	return st;
}

static char *dup_meta(const er_ynode *front, const char *key)
{
	const char *v = text_of(er_yaml_get(front, key));
	return v ? er_strdup(v) : NULL;
}

er_status er_report_build(const char *template_path, const er_report_opts *opts, er_text *t,
                          er_diag_sink *diag, er_report **out)
{
	static const char *const front_keys[] = {"title", "subtitle", "author", "date", "theme",
	                                         "credit", "page", "toc", "data", "lang",
	                                         "fiscal_year_start", "keywords", "timezone"};
	er_report *R = calloc(1, sizeof *R);
	char *src = NULL;
	size_t len = 0, i;
	er_status st;
	const er_ynode *front, *v;
	int fiscal = 1;
	static const struct {
		int bold, italic;
	} styles[4] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};

	(void)front_keys;
	*out = NULL;
	if (R == NULL)
		return ER_ERR_NOMEM;
	R->text = t;
	R->diag = diag;
	R->path = template_path;
	R->max_pages = opts->max_pages ? opts->max_pages : ER_REPORT_MAX_PAGES;
	st = er_read_file(template_path, 16u << 20, diag, &src, &len);
	if (st == ER_OK)
		st = er_template_parse(template_path, src ? src : "", len, opts->sets, opts->nsets, diag,
		                       &R->tpl);
	free(src);
	if (st != ER_OK) {
		er_report_free(R);
		return st;
	}
	front = R->tpl->front;
	R->title = dup_meta(front, "title");
	R->subtitle = dup_meta(front, "subtitle");
	R->author = dup_meta(front, "author");
	R->date = dup_meta(front, "date");
	R->creator = er_strdup(opts->creator ? opts->creator : "ecoreport");
	R->page_w = 595.28;
	R->page_h = 841.89;
	if ((v = er_yaml_get(front, "page")) != NULL) {
		const char *p = text_of(v);
		if (p && strcmp(p, "Letter") == 0) {
			R->page_w = 612;
			R->page_h = 792;
		} else if (!p || strcmp(p, "A4") != 0) {
			st = bad(R, v, 0, "page: expected A4 or Letter");
		}
	}
	if (st == ER_OK && (v = er_yaml_get(front, "toc")) != NULL)
		R->toc = text_of(v) && strcmp(v->text, "true") == 0;
	if (st == ER_OK && (v = er_yaml_get(front, "fiscal_year_start")) != NULL) {
		fiscal = text_of(v) ? atoi(v->text) : 0;
		if (fiscal < 1 || fiscal > 12)
			st = bad(R, v, 0, "fiscal_year_start: expected a month, 1 to 12");
	}
	if (st == ER_OK) {
		const char *name = text_of(er_yaml_get(front, "theme"));
		if (name == NULL || strcmp(name, "ai-index") == 0) {
			char p[4096];
			FILE *probe;
			snprintf(p, sizeof p, "%s/ai-index.yaml", opts->themes_dir ? opts->themes_dir : ".");
			probe = fopen(p, "rb");
			if (probe) {
				fclose(probe);
				st = er_theme_load(p, NULL, diag, &R->theme);
			} else {
				st = er_theme_default(&R->theme);
			}
		} else {
			st = er_theme_load(name, opts->themes_dir, diag, &R->theme);
		}
	}
	if (st == ER_OK)
		st = load_locale(R, opts, front);
	if (st == ER_OK) {
		const char *c = text_of(er_yaml_get(front, "credit"));
		R->credit = er_strdup(c ? c : R->theme->credit);
		if (R->credit == NULL)
			st = ER_ERR_NOMEM;
	}
	for (i = 0; i < 4 && st == ER_OK; i++)
		st = er_text_font(t, R->theme->font, styles[i].bold, styles[i].italic, &R->ids[i]);
	if (st == ER_OK)
		st = er_text_font(t, "Liberation Mono", 0, 0, &R->ids[F_MONO]);
	if (st == ER_OK)
		st = er_text_measurer_init(&R->cm, t, R->theme->font);
	if (st == ER_OK)
		st = er_report_check_glyphs(R);
	if (st == ER_OK)
		st = er_datasets_new(template_path, fiscal, diag, &R->data);
	if (st == ER_OK) {
		er_datasets_set_front(R->data, front);
		st = er_datasets_declare(R->data, er_yaml_get(front, "data"));
	}
	if (st == ER_OK) {
		R->prep = calloc(1, sizeof *R->prep);
		if (R->prep == NULL)
			st = ER_ERR_NOMEM;
		if (st == ER_OK)
			st = check_sections(R, R->tpl->blocks, R->tpl->nblocks);
		if (st == ER_OK)
			st = prep_blocks(R, R->tpl->blocks, R->tpl->nblocks);
		for (i = 0; st == ER_OK && i < R->tpl->nfootnotes; i++)
			st = prep_blocks(R, R->tpl->footnotes[i]->children, R->tpl->footnotes[i]->nchildren);
	}
	if (st == ER_OK)
		st = flow_all(R, 1);
	if (st == ER_OK) {
		/* Pass 2 knows the page count and where each heading landed. */
		size_t i2;
		for (i2 = 0; i2 < R->f.npages; i2++) {
			er_scene_free(R->f.pages[i2]);
			free(R->f.page_section[i2]);
		}
		free(R->f.pages);
		free(R->f.page_section);
		for (i2 = 0; i2 < R->f.noutline; i2++)
			free((char *)R->f.outline[i2].title);
		free(R->f.outline);
		for (i2 = 0; i2 < R->f.nowned; i2++)
			free(R->f.owned[i2]);
		free(R->f.owned);
		free(R->f.section_title);
		R->f.pages = NULL;
		R->f.page_section = NULL;
		R->f.outline = NULL;
		R->f.owned = NULL;
		R->f.section_title = NULL;
		R->f.npages = R->f.noutline = R->f.nowned = 0;
		st = flow_all(R, 2);
	}
	/* A character no font can draw fails the build, as a bad value does:
	 * every page checked, each text reported once. */
	if (st == ER_OK) {
		er_glyph_check gc = ER_GLYPH_CHECK_INIT;
		for (i = 0; i < R->f.npages && st != ER_ERR_NOMEM; i++) {
			er_status pst = er_scene_check_glyphs(R->f.pages[i], t, diag, template_path, &gc);
			if (pst != ER_OK && (st == ER_OK || pst == ER_ERR_NOMEM))
				st = pst;
		}
		if (st == ER_ERR_DATA)
			er_glyph_check_done(&gc, diag, template_path);
		er_glyph_check_free(&gc);
	}
	if (st != ER_OK) {
		er_report_free(R);
		return st;
	}
	*out = R;
	return ER_OK;
}

void er_report_free(er_report *R)
{
	if (R == NULL)
		return;
	er_flow_free(&R->f);
	free_preps(R->prep);
	free(R->figures);
	er_template_free(R->tpl);
	er_datasets_free(R->data);
	er_theme_free(R->theme);
	free(R->title);
	free(R->subtitle);
	free(R->author);
	free(R->date);
	free(R->credit);
	er_locale_free(R->locale);
	free(R->creator);
	free(R);
}

er_status er_report_pdf(er_report *R, er_buf *out)
{
	er_pdf_meta meta;
	er_time tm;
	memset(&meta, 0, sizeof meta);
	meta.title = R->title;
	meta.author = R->author;
	meta.subject = R->subtitle;
	meta.keywords = text_of(er_yaml_get(R->tpl->front, "keywords"));
	meta.creator = R->creator;
	meta.epoch = -1;
	if (R->date && er_time_parse(R->date, strlen(R->date), &tm))
		meta.epoch = tm.us / 1000000;
	return er_haru_render((const er_scene *const *)R->f.pages, R->f.npages, R->f.outline,
	                      R->f.noutline, &meta, R->text, R->diag, out);
}

size_t er_report_nfigures(const er_report *r) { return r->nfigures; }
const er_scene *er_report_figure(const er_report *r, size_t i) { return r->figures[i]; }
size_t er_report_npages(const er_report *r) { return r->f.npages; }

typedef struct input_ctx {
	er_report_input_fn fn;
	void *ctx;
} input_ctx;

static void each_source(void *ctx, const char *name, const char *path, size_t rows_read,
                        size_t rows_skipped, size_t rows_superseded)
{
	input_ctx *ic = ctx;
	(void)name;
	(void)rows_read;
	(void)rows_skipped;
	(void)rows_superseded;
	if (path)
		ic->fn(ic->ctx, path);
}

void er_report_each_input(const er_report *R, er_report_input_fn fn, void *ctx)
{
	input_ctx ic = {fn, ctx};
	fn(ctx, R->path);
	if (R->theme && R->theme->path)
		fn(ctx, R->theme->path);
	if (er_locale_path(R->locale))
		fn(ctx, er_locale_path(R->locale));
	if (R->data)
		er_datasets_each_source(R->data, each_source, &ic);
}
