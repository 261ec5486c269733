/* chart.h - bar charts: a spec and a result table laid out as a scene.
 *
 * Layout is a sequence of passes over a shrinking box: margins, figure
 * label, title and subtitle (wrapped), footer (note, "Source: ... | Chart:
 * ..."), legend, axis, then the plot with bars, value labels and category
 * labels. Text is measured before it is placed, through er_measurer. */
#ifndef ER_CHART_H
#define ER_CHART_H

#include "common/diag.h"
#include "common/l10n.h"
#include "core/result.h"
#include "measure.h"
#include "scene.h"
#include "theme.h"

typedef enum er_chart_type { ER_CHART_BAR, ER_CHART_STACKED, ER_CHART_GROUPED } er_chart_type;
typedef enum er_orient { ER_ORIENT_AUTO, ER_ORIENT_HORIZONTAL, ER_ORIENT_VERTICAL } er_orient;
typedef enum er_chart_sort { ER_SORT_NONE, ER_SORT_ASC, ER_SORT_DESC } er_chart_sort;

typedef struct er_chart_spec {
	er_chart_type type;
	er_orient orient;
	const char *category;         /* column of the categories */
	const char *const *values;    /* value columns (several: grouped or stacked) */
	size_t nvalues;
	const char *color_by;         /* column whose values colour the bars, or NULL */
	er_chart_sort sort;
	long limit;                   /* keep the first N categories after sorting; -1: all */
	int log;                      /* logarithmic value axis */
	const char *title, *subtitle, *source, *credit, *note, *figure;
	const char *axis_title;       /* the value axis's title; NULL: the column's name and unit */
	const char *const *labels;    /* names of the value columns in the legend, or NULL */
	const char *const *rename;    /* pairs: a category or colour value rename[2i] is shown
	                                 as rename[2i+1] (a translated label); each must match */
	size_t nrename;               /* pairs, at most ER_CHART_MAX_RENAME */
	double width, height;         /* points; 0: the theme's size */
	const char *data_name;        /* the data's name, for messages */
	const er_locale *locale;      /* numbers and words ("Source: "); NULL: English */
} er_chart_spec;

#define ER_CHART_MAX_RENAME 64

/* Fonts every chart scene uses, in this order (see er_text_measurer_init). */
enum { ER_FONT_REGULAR = 0, ER_FONT_BOLD = 1 };

/* Lays out the chart. Data problems (unknown column, text values, no rows,
 * too many categories, --log with values <= 0) are errors through diag
 * with ER_ERR_DATA. *out receives a new scene (caller frees). */
er_status er_layout_chart(const er_chart_spec *spec, const er_theme *theme, const er_result *data,
                          const er_measurer *m, er_diag_sink *diag, er_scene **out);

#endif
