/* scene.h - the display list between layout and the renderers.
 *
 * A scene is what a chart looks like, in points (1/72 inch), origin at the
 * top left, y growing downwards: rectangles, lines and single-line text
 * runs, drawn in order. Fonts are named (family, bold, italic), not loaded:
 * renderers load them through the text stage. It has a stable text dump, the
 * golden artefact of layout tests (er_scene_dump). */
#ifndef ER_SCENE_H
#define ER_SCENE_H

#include <stddef.h>
#include <stdio.h>

#include "common/status.h"

typedef struct er_color {
	double r, g, b, a; /* 0..1; a = 1 opaque */
} er_color;

typedef enum er_item_kind { ER_ITEM_RECT, ER_ITEM_LINE, ER_ITEM_TEXT } er_item_kind;

typedef struct er_scene_font {
	char *family; /* owned */
	int bold, italic;
} er_scene_font;

typedef struct er_item {
	er_item_kind kind;
	const char *role;  /* what it is: "bar", "grid", "title", "value-label"... (static) */
	double x, y;       /* RECT: top left; LINE: start; TEXT: start of the baseline */
	double w, h;       /* RECT: size */
	double x2, y2;     /* LINE: end */
	double width;      /* LINE: stroke width */
	er_color color;    /* RECT: fill; LINE: stroke; TEXT: fill */
	int font;          /* TEXT: index into scene->fonts */
	double size;       /* TEXT: font size, points */
	double advance;    /* TEXT: its measured width, points */
	char *text;        /* TEXT: UTF-8, one line (owned) */
} er_item;

/* A clickable area: not drawn, but a link annotation in PDF. */
typedef struct er_link {
	double x, y, w, h; /* top left and size, points */
	char *uri;         /* owned */
} er_link;

typedef struct er_scene {
	double width, height; /* points */
	er_color background;
	er_scene_font *fonts;
	size_t nfonts;
	er_item *items;
	size_t nitems, cap;
	er_link *links;
	size_t nlinks;
	/* Metadata the renderers write into files. Owned; may be NULL. */
	char *title, *subject, *source, *alt;
} er_scene;

er_scene *er_scene_new(double width, double height);
void er_scene_free(er_scene *s);
/* Adds a font and returns its index (an existing one when equal). */
er_status er_scene_add_font(er_scene *s, const char *family, int bold, int italic, int *index);
er_status er_scene_rect(er_scene *s, const char *role, double x, double y, double w, double h,
                        er_color fill);
er_status er_scene_line(er_scene *s, const char *role, double x1, double y1, double x2, double y2,
                        double width, er_color color);
/* text: n bytes, copied. advance: its measured width. */
er_status er_scene_text(er_scene *s, const char *role, double x, double baseline, int font,
                        double size, er_color color, const char *text, size_t n, double advance);
/* Adds a clickable area (uri copied). */
er_status er_scene_link(er_scene *s, double x, double y, double w, double h, const char *uri);
/* Sets a metadata string (copied; NULL clears). */
er_status er_scene_set_meta(er_scene *s, char **field, const char *value);

/* Checks what renderers rely on: finite numbers, a positive size, text
 * items with a known font. A scene that fails was built wrongly by its
 * layout (a bug, not bad data): ER_ERR_INTERNAL. */
er_status er_scene_check(const er_scene *s);

/* Writes the scene as text, one item per line, numbers to 0.01 pt:
 *   scene 1200x675 background #ffffff
 *   font 0 "Liberation Sans" regular
 *   rect bar 120.00 80.00 300.50 18.00 #1f4e79
 *   line grid 120.00 60.00 120.00 400.00 0.50 #d9d9d9
 *   text title 24.00 40.00 font=1 size=16.00 #000000 "CO2 Equivalent ..."
 */
er_status er_scene_dump(const er_scene *s, FILE *f);

#endif
