/* measure.h - how layout measures text: through an interface, so that unit
 * tests can use a fake fixed-width measurer and need no fonts. */
#ifndef ER_MEASURE_H
#define ER_MEASURE_H

#include <stddef.h>

#include "common/status.h"
#include "scene.h"

typedef struct er_measurer {
	void *ctx;
	/* Width in points of n bytes of UTF-8 in scene font `font` at `size`. */
	double (*width)(void *ctx, int font, double size, const char *s, size_t n);
	/* Ascent and descent (positive) in points. */
	void (*metrics)(void *ctx, int font, double size, double *ascent, double *descent);
} er_measurer;

/* A measurer over the text stage. Layout uses two fonts, in this order in
 * every scene: 0 = `family` regular, 1 = `family` bold (er_chart_fonts).
 * A family that is not installed is reported through the text stage's sink
 * (ER_ERR_DATA). The measurer borrows t. */
typedef struct er_text er_text;
typedef struct er_text_measurer {
	er_measurer m;
	er_text *t;
	int ids[2];
} er_text_measurer;
er_status er_text_measurer_init(er_text_measurer *tm, er_text *t, const char *family);

/* A fake for tests: every character is `size * 0.5` wide (UTF-8 aware),
 * ascent 0.8 * size, descent 0.2 * size. */
void er_fake_measurer_init(er_measurer *m);

/* A span of text. */
typedef struct er_span {
	size_t off, len;
} er_span;

/* Breaks n bytes of UTF-8 into lines no wider than max_width at the UAX #14
 * opportunities (spaces are dropped at line ends); a word wider than the line
 * is split between characters. At most max_lines lines: when the text needs
 * more, the last line is cut and ends with an ellipsis: *cut is set, and the
 * caller draws er_ellipsize'd text for that line. Lines are written to
 * lines[] (caller provides max_lines entries); returns the count. */
size_t er_wrap(const er_measurer *m, int font, double size, const char *s, size_t n,
               double max_width, er_span *lines, size_t max_lines, int *cut);

/* The longest prefix of s (n bytes) that, followed by "…", fits max_width;
 * returns its byte length (0 when even "…" does not fit). */
size_t er_ellipsize(const er_measurer *m, int font, double size, const char *s, size_t n,
                    double max_width);

#endif
