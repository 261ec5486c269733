/* render.h - stage 5: a scene to bytes. Every backend has the same shape:
 * render a scene into an er_buf (so tests need no files and the CLI can
 * write atomically). Fonts come from the text stage: the very files layout
 * measured with. */
#ifndef ER_RENDER_H
#define ER_RENDER_H

#include "common/buf.h"
#include "layout/scene.h"
#include "text/text.h"

typedef enum er_format_out { ER_OUT_PNG, ER_OUT_SVG, ER_OUT_PDF } er_format_out;

typedef struct er_render_opts {
	er_format_out format;
	double scale;         /* PNG: pixels per point (1 = 72 dpi; 2 = "@2x"); default 1 */
	long long epoch;      /* PDF creation date, seconds since 1970 (SOURCE_DATE_EPOCH);
	                         < 0 means 1970-01-01T00:00:00Z: cairo 1.16 would
	                         otherwise stamp the clock */
	int band_rows;        /* PNG: rows drawn at a time; 0: about 256 KiB of pixels. The
	                         bytes are the same whatever it is (a transparent
	                         background is always drawn whole) */
} er_render_opts;

/* Renders s as PNG (cairo image, encoded with libpng so that the pHYs chunk
 * carries the density and tEXt chunks the title and source), or PDF (cairo,
 * text kept as text, fonts embedded, dates from opts->epoch), appending the
 * bytes to out. Fonts are loaded through t (borrowed). Errors: ER_ERR_DATA
 * for a missing font (reported through t's sink), ER_ERR_INTERNAL for a
 * cairo or libpng failure, ER_ERR_USAGE for a bad scale, ER_ERR_LIMIT for an
 * image over 32767 pixels, ER_ERR_NOMEM; out is untouched on error.
 * Identical inputs give identical bytes. */
er_status er_cairo_render(const er_scene *s, er_text *t, const er_render_opts *opts, er_buf *out);

/* Renders s as SVG 1.1 with text kept as <text> elements (font-family,
 * font-size, positions from the scene), deterministic bytes, with <title>
 * and <desc> (alt text) for accessibility. With t (borrowed; may be NULL)
 * a text's font-family also lists the fallback families that draw the
 * characters its own font lacks. */
er_status er_svg_render(const er_scene *s, er_text *t, er_buf *out);

#endif
