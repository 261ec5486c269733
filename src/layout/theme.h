/* theme.h - how charts look: fonts, sizes, colours, spacing. Themes are
 * data (templates/themes/NAME.yaml); the built-in default is "ai-index". */
#ifndef ER_THEME_H
#define ER_THEME_H

#include "common/diag.h"
#include "common/status.h"
#include "scene.h"

#define ER_THEME_PALETTE 8

typedef struct er_theme {
	char *name;
	char *path;          /* the file it was read from; NULL for the built-in default */
	char *font;          /* family for all text; titles use its bold face */
	double size_figure, size_title, size_subtitle, size_label, size_value, size_tick,
	    size_legend, size_source;
	er_color background, text, muted, grid, axis, inside;
	er_color palette[ER_THEME_PALETTE];
	size_t npalette;
	double margin, gap;
	double bar;          /* bar thickness as a share of its band, 0.2..0.95 */
	char *credit;        /* appended to the source line: "Chart: ecoreport" */
	double width, height;/* default size, points */
} er_theme;

/* The built-in "ai-index" theme. */
er_status er_theme_default(er_theme **out);
/* Loads a theme: `name` is a file path (contains '/' or ends in .yaml) or a
 * theme name looked up as DIR/NAME.yaml in `dir`. Unknown keys, bad colours
 * and out-of-range sizes are errors with their position. */
er_status er_theme_load(const char *name, const char *dir, er_diag_sink *diag, er_theme **out);
void er_theme_free(er_theme *t);

/* Parses "#rrggbb" or "#rrggbbaa". */
int er_color_parse(const char *s, er_color *out);

#endif
