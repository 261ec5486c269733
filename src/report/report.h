/* report.h - stage 6: a template and its data to the pages of a PDF report.
 *
 * The template (template.h) is flowed onto pages, each page a scene (the
 * same display list charts use), then the pages go to libharu: figures in
 * the PDF are vector, drawn from the very scenes the PNG exports come from.
 * Page numbers ("Page N of M") and the table of contents need the page
 * count, so the flow runs twice. */
#ifndef ER_REPORT_H
#define ER_REPORT_H

#include "common/buf.h"
#include "common/diag.h"
#include "layout/scene.h"
#include "layout/theme.h"
#include "template.h"
#include "text/text.h"

typedef struct er_report er_report;

/* The default page limit: beyond it a report is refused before its pages
 * (each a scene in memory) exhaust memory. */
#define ER_REPORT_MAX_PAGES 2000u

typedef struct er_report_opts {
	const er_set *sets;     /* --set KEY=VALUE overrides */
	size_t nsets;
	long long epoch;        /* when the front matter has no date: SOURCE_DATE_EPOCH or now */
	const char *themes_dir; /* where `theme: NAME` is looked up */
	const char *locales_dir;/* where `lang: CODE` is looked up (CODE.yaml) */
	const char *lang;       /* --lang: overrides the front matter's `lang`; NULL: none */
	const char *creator;    /* the PDF's Creator, e.g. "ecoreport 0.1.0" */
	size_t max_pages;       /* a longer report is refused (0: ER_REPORT_MAX_PAGES) */
} er_report_opts;

/* Reads and checks a template, reads its data, evaluates every block and
 * lays out the pages. Everything wrong is reported through diag with its
 * position (template or data file) and ER_ERR_DATA; nothing is written.
 * The language (opts->lang, else the front matter's `lang`, else English)
 * formats the numbers and the words the report writes itself; an unknown
 * opts->lang is ER_ERR_USAGE. t (borrowed) finds and measures the fonts. */
er_status er_report_build(const char *template_path, const er_report_opts *opts, er_text *t,
                          er_diag_sink *diag, er_report **out);
void er_report_free(er_report *r);

/* The report as PDF bytes (appended to out). */
er_status er_report_pdf(er_report *r, er_buf *out);

/* The figures, for --png/--svg export: scenes owned by r. */
size_t er_report_nfigures(const er_report *r);
const er_scene *er_report_figure(const er_report *r, size_t i);
size_t er_report_npages(const er_report *r);

/* Every file the report was made from, for incremental batch runs: the
 * template, the theme's and the language's files (when not built in) and
 * each data source. */
typedef void (*er_report_input_fn)(void *ctx, const char *path);
void er_report_each_input(const er_report *r, er_report_input_fn fn, void *ctx);

#endif
