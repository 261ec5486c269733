/* report_int.h - the report stage's private state, shared by its files. */
#ifndef ER_REPORT_INT_H
#define ER_REPORT_INT_H

#include "data.h"
#include "layout/chart.h"
#include "render/haru/haru.h"
#include "report.h"

/* Fonts of every page scene, in this order. */
enum { F_REGULAR, F_BOLD, F_ITALIC, F_BOLD_ITALIC, F_MONO, F_COUNT };

/* A piece of text with one look, on its way into lines. */
typedef struct er_run {
	int font;
	double size;
	er_color color;
	const char *s;      /* not owned (points into the template or a buffer) */
	size_t n;
	const char *link;   /* URI, or NULL */
	double rise;        /* raised (superscript footnote numbers) */
} er_run;

typedef struct er_heading_ref {
	char *title;
	int level;
	size_t page;
} er_heading_ref;

typedef struct flow {
	er_report *R;
	/* Pages so far and the one being filled. */
	er_scene **pages;
	size_t npages;
	double y;           /* cursor, from the page top */
	double x0, x1;      /* content box */
	double top, bottom;
	double pw, ph;      /* page size (portrait) */
	int landscape;      /* the current page is landscape */
	char **page_section;/* per page: the section title for its running header */
	/* Numbering. */
	int section, fig, tab;
	int cur_level;      /* outline depth below the current heading (figures, tables) */
	char *section_title;
	/* Outline and contents. */
	er_outline *outline;
	size_t noutline, ocap;
	er_heading_ref *heads;
	size_t nheads;
	size_t heads_seen;  /* pass 2: the table of contents fills in pages */
	int pass;
	/* Scratch text that runs point into, freed with the flow. */
	char **owned;
	size_t nowned;
} flow;

struct er_report {
	er_template *tpl;
	er_datasets *data;
	er_theme *theme;
	er_locale *locale;         /* numbers and the report's own words */
	er_text *text;
	int ids[F_COUNT];          /* text-stage ids of the page fonts */
	er_text_measurer cm;       /* charts: regular and bold of the theme font */
	er_diag_sink *diag;
	const char *path;
	size_t max_pages;
	char *title, *subtitle, *author, *date, *credit, *creator;
	int toc;
	double page_w, page_h;
	/* The result. */
	flow f;
	er_scene **figures;        /* borrowed from prep: owned there */
	size_t nfigures;
	struct er_prep_list *prep; /* what blocks need, computed once (report.c) */
};

/* flow.c */
er_status er_flow_start(flow *f, er_report *R, int pass);
void er_flow_free(flow *f);
er_status er_flow_new_page(flow *f, int landscape);
/* Makes room for h points, starting a new page when they do not fit. */
er_status er_flow_need(flow *f, double h);
double er_flow_width(flow *f, int font, double size, const char *s, size_t n);
double er_flow_ascent(flow *f, int font, double size);
/* Lays out runs as wrapped lines between x and x + width; draws them when
 * draw, and returns the height. Lines never split across pages here: the
 * caller checks the height first (paragraphs split with er_flow_runs_paged). */
er_status er_flow_runs(flow *f, const er_run *runs, size_t nruns, double x, double width,
                       double line_height, int draw, double *height);
/* Like er_flow_runs from the cursor, breaking onto new pages between lines. */
er_status er_flow_runs_paged(flow *f, const er_run *runs, size_t nruns, double x, double width,
                             double line_height);
er_status er_flow_outline(flow *f, const char *title, int level);
const char *er_flow_keep(flow *f, const char *s, size_t n);

/* glyphs_tpl.c: reports each text of the template (with its line and
 * column) that holds characters no installed font can draw: ER_ERR_DATA. */
er_status er_report_check_glyphs(er_report *R);

/* tables.c: a table of strings in the AI Index style. */
typedef struct er_tcell {
	const char *text;
	int right;     /* right-aligned (numbers) */
	int bold;
} er_tcell;
er_status er_flow_table(flow *f, const char *label, const char *title, const er_tcell *header,
                        const er_tcell *cells, size_t rows, size_t cols, const int *highlight,
                        const char *source);

#endif
