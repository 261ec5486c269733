/* render_cairo.c - a scene drawn with cairo: PNG (through png_write.c) and PDF.
 *
 * One drawing routine serves both surfaces, so a chart's PNG and PDF come
 * from the same calls. Text is drawn glyph by glyph at the positions the
 * text stage computed (cumulative unhinted advances), never through
 * cairo's own text layout: the widths layout measured are then exactly the
 * widths drawn, in pixels and in points alike.
 *
 * Fonts: cairo loads the very file (and face index) the text stage chose,
 * through a fontconfig pattern that names the file. No fontconfig matching
 * happens there (the pattern already holds the file), and cairo keys its
 * process-wide font caches by file name. Handing cairo the text stage's
 * FT_Face instead would key those caches by the face's address: cairo keeps
 * recently used fonts alive after we release them, so once an er_text is
 * freed and another one loads a different font at the same address, cairo
 * would draw the new text with the old font's cached glyphs.
 *
 * Reproducibility: cairo 1.16 stamps the PDF's CreationDate with the
 * current time unless told otherwise, so both dates are always set, from
 * opts->epoch or else to the epoch itself. */
#include "render/render.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/datetime.h"
#include "common/utf8.h"
#include "png_deflate.h"
#include "png_write.h"

/* cairo's image surfaces are limited to 32767 pixels a side. */
#define MAX_PIXELS 32767

/* The state of one render. */
typedef struct render_ctx {
	const er_scene *s;
	er_text *t;
	cairo_font_face_t **faces; /* per text-stage font id, plain and emboldened (2 id + 1),
	                              loaded on first use */
	size_t nfaces;
	int *ids;                  /* per scene font: its text-stage id, -1 until asked */
	cairo_glyph_t *glyphs;     /* reused across text items */
	cairo_text_cluster_t *clusters;
	size_t cap;
} render_ctx;

/* ---- checks and conversions --------------------------------------------- */


static er_status from_cairo(cairo_status_t cs)
{
	switch (cs) {
	case CAIRO_STATUS_SUCCESS:
		return ER_OK;
	case CAIRO_STATUS_NO_MEMORY:
		return ER_ERR_NOMEM;
	default:
		return ER_ERR_INTERNAL;
	}
}

/* ---- fonts -------------------------------------------------------------- */

/* A cairo font face for the file behind a text-stage font id; `embolden`
 * asks cairo for synthetic bold (FreeType widens the outlines; the glyph
 * positions, and so the layout, stay as measured). */
static er_status load_face(er_text *t, int id, int embolden, cairo_font_face_t **out)
{
	int index = 0;
	const char *file = er_text_font_file(t, id, &index);
	FcPattern *p;
	cairo_font_face_t *ff = NULL;
	er_status st = ER_OK;

	*out = NULL;
	if (file == NULL)
		return ER_ERR_INTERNAL;
	p = FcPatternCreate();
	if (p == NULL)
		return ER_ERR_NOMEM;
	/* The face's own options take part in cairo's merge with the context's
	 * font options, so hinting is switched off here too. */
	if (!FcPatternAddString(p, FC_FILE, (const FcChar8 *)file) ||
	    !FcPatternAddInteger(p, FC_INDEX, index) || !FcPatternAddBool(p, FC_HINTING, FcFalse) ||
	    !FcPatternAddBool(p, FC_ANTIALIAS, FcTrue) ||
	    (embolden && !FcPatternAddBool(p, FC_EMBOLDEN, FcTrue))) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	ff = cairo_ft_font_face_create_for_pattern(p);
	st = from_cairo(cairo_font_face_status(ff));
	if (st != ER_OK) {
		cairo_font_face_destroy(ff);
		ff = NULL;
	}
done:
	FcPatternDestroy(p);
	*out = ff;
	return st;
}

/* The text-stage id of a scene font, asked for on first use. */
static er_status scene_font_id(render_ctx *c, int scene_font, int *id)
{
	const er_scene_font *f = &c->s->fonts[scene_font];
	er_status st;

	if (c->ids[scene_font] < 0) {
		/* A missing family is ER_ERR_DATA, already reported through t's sink. */
		st = er_text_font(c->t, f->family, f->bold, f->italic, &c->ids[scene_font]);
		if (st != ER_OK)
			return st;
	}
	*id = c->ids[scene_font];
	return ER_OK;
}

/* The cairo face of a text-stage font id (a scene's font or a fallback
 * the text stage chose for a run), emboldened or not, loaded on first use.
 * faces[2 * id + embolden]. */
static er_status face_of(render_ctx *c, int id, int embolden, cairo_font_face_t **out)
{
	size_t n = 2 * (size_t)id + 2, i, k = 2 * (size_t)id + (embolden != 0);
	er_status st;

	if (n > c->nfaces) {
		cairo_font_face_t **f = realloc(c->faces, n * sizeof *f);
		if (f == NULL)
			return ER_ERR_NOMEM;
		for (i = c->nfaces; i < n; i++)
			f[i] = NULL;
		c->faces = f;
		c->nfaces = n;
	}
	if (c->faces[k] == NULL) {
		st = load_face(c->t, id, embolden, &c->faces[k]);
		if (st != ER_OK)
			return st;
	}
	*out = c->faces[k];
	return ER_OK;
}

/* ---- drawing ------------------------------------------------------------ */

static void set_color(cairo_t *cr, er_color c)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

static er_status reserve_glyphs(render_ctx *c, size_t n)
{
	size_t cap = c->cap ? c->cap : 64;
	cairo_glyph_t *g;
	cairo_text_cluster_t *k;

	if (n <= c->cap)
		return ER_OK;
	while (cap < n) {
		if (cap > SIZE_MAX / 2 / sizeof *g)
			return ER_ERR_NOMEM;
		cap *= 2;
	}
	g = realloc(c->glyphs, cap * sizeof *g);
	if (g == NULL)
		return ER_ERR_NOMEM;
	c->glyphs = g;
	k = realloc(c->clusters, cap * sizeof *k);
	if (k == NULL)
		return ER_ERR_NOMEM;
	c->clusters = k;
	c->cap = cap;
	return ER_OK;
}

/* One cluster per code point, as the text stage gives one glyph per code
 * point. Returns 0 when the text does not split that way (invalid UTF-8,
 * whose bytes the text stage reads as U+FFFD): cairo would refuse the
 * clusters, and the run is then drawn without them. */
static int make_clusters(render_ctx *c, const char *s, size_t n, size_t nglyphs)
{
	size_t i = 0, k = 0, len;

	if (!er_utf8_valid(s, n, NULL))
		return 0;
	while (i < n) {
		if (k == nglyphs)
			return 0;
		er_utf8_decode(s + i, n - i, &len);
		c->clusters[k].num_bytes = (int)len;
		c->clusters[k].num_glyphs = 1;
		i += len;
		k++;
	}
	return k == nglyphs;
}

/* One run of a text item: its glyphs, in its font, from x; bold text in
 * a face without bold (a CJK fallback) emboldened. */
static er_status draw_run(cairo_t *cr, render_ctx *c, const er_item *it, const er_text_run *r)
{
	int embolden = er_text_embolden(c->t, c->s->fonts[it->font].bold, r->font_id);
	const char *text = it->text + r->start;
	size_t count = 0, i;
	cairo_font_face_t *face;
	er_glyph *g = NULL;
	er_status st;

	st = face_of(c, r->font_id, embolden, &face);
	if (st != ER_OK)
		return st;
	st = er_text_glyphs(c->t, r->font_id, it->size, text, r->len, &g, &count);
	if (st != ER_OK)
		goto done;
	st = reserve_glyphs(c, count);
	if (st != ER_OK || count == 0)
		goto done;
	for (i = 0; i < count; i++) {
		c->glyphs[i].index = g[i].index;
		c->glyphs[i].x = it->x + r->x + g[i].x;
		c->glyphs[i].y = it->y;
	}
	cairo_set_font_face(cr, face);
	cairo_set_font_size(cr, it->size);
	/* With clusters the PDF maps each glyph back to its exact characters
	 * (copy, search, pdftotext), instead of guessing from the font's cmap. */
	if (make_clusters(c, text, r->len, count))
		cairo_show_text_glyphs(cr, text, (int)r->len, c->glyphs, (int)count, c->clusters,
		                       (int)count, 0);
	else
		cairo_show_glyphs(cr, c->glyphs, (int)count);
done:
	free(g);
	return st;
}

/* A text item, run by run: each in the font the text stage chose for it. */
static er_status draw_text(cairo_t *cr, render_ctx *c, const er_item *it)
{
	size_t n = strlen(it->text), count = 0, i;
	er_text_run *runs = NULL;
	er_status st;
	int id;

	if (n == 0 || !(it->size > 0))
		return ER_OK;
	if (n > INT_MAX) /* cairo counts bytes and glyphs in ints */
		return ER_ERR_LIMIT;
	st = scene_font_id(c, it->font, &id);
	if (st != ER_OK)
		return st;
	st = er_text_runs(c->t, id, it->size, it->text, n, &runs, &count);
	set_color(cr, it->color);
	for (i = 0; i < count && st == ER_OK; i++)
		st = draw_run(cr, c, it, &runs[i]);
	free(runs);
	return st;
}

/* Sets what every item is drawn with and paints the background: the
 * start of a scene, or of each band of one. */
static er_status draw_begin(cairo_t *cr, const er_scene *s)
{
	cairo_font_options_t *fo = cairo_font_options_create();
	er_status st = from_cairo(cairo_font_options_status(fo));

	if (st == ER_OK) {
		/* Unhinted outlines and unrounded metrics: what layout measured. */
		cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
		cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
		cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
		cairo_set_font_options(cr, fo);
		set_color(cr, s->background);
		cairo_paint(cr);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	}
	cairo_font_options_destroy(fo);
	return st;
}

static er_status draw_item(cairo_t *cr, render_ctx *c, const er_item *it)
{
	switch (it->kind) {
	case ER_ITEM_RECT:
		cairo_rectangle(cr, it->x, it->y, it->w, it->h);
		set_color(cr, it->color);
		cairo_fill(cr);
		break;
	case ER_ITEM_LINE:
		if (!(it->width > 0))
			break;
		cairo_move_to(cr, it->x, it->y);
		cairo_line_to(cr, it->x2, it->y2);
		cairo_set_line_width(cr, it->width);
		set_color(cr, it->color);
		cairo_stroke(cr);
		break;
	case ER_ITEM_TEXT:
		return draw_text(cr, c, it);
	}
	return ER_OK;
}

/* Draws the scene in points onto cr (already scaled for the device). */
static er_status draw_scene(cairo_t *cr, render_ctx *c)
{
	const er_scene *s = c->s;
	er_status st = draw_begin(cr, s);
	size_t i;

	for (i = 0; i < s->nitems && st == ER_OK; i++)
		st = draw_item(cr, c, &s->items[i]);
	if (st == ER_OK)
		st = from_cairo(cairo_status(cr));
	return st;
}

static void ctx_fini(render_ctx *c)
{
	size_t i;
	if (c->faces != NULL)
		for (i = 0; i < c->nfaces; i++)
			cairo_font_face_destroy(c->faces[i]);
	free(c->faces);
	free(c->ids);
	free(c->glyphs);
	free(c->clusters);
}

/* ---- PNG ---------------------------------------------------------------- */

/* A cairo context on a new surface, both checked (a failed surface or
 * context is an error object that must still be destroyed). */
static er_status context_for(cairo_surface_t *surface, cairo_t **cr)
{
	er_status st = from_cairo(cairo_surface_status(surface));
	if (st != ER_OK)
		return st;
	*cr = cairo_create(surface);
	return from_cairo(cairo_status(*cr));
}

/* Pixels along a side: whole pixels covering the scene, without a spurious
 * extra column when w * scale is an integer plus rounding noise. */
static long pixels(double points, double scale)
{
	double px = ceil(points * scale - 1e-6);
	return px < 1 ? 1 : (long)fmin(px, (double)MAX_PIXELS + 1);
}

/* The PNG's chunks other than the pixels: density, title, alt text, source. */
static void png_meta(const er_scene *s, double scale, er_png_meta *meta)
{
	memset(meta, 0, sizeof *meta);
	meta->ppi = 72 * scale;
	meta->title = s->title;
	meta->description = s->alt;
	meta->source = s->source;
	meta->level = -1;
	meta->filters = -1;
	meta->strategy = -1;
}

/* A chart with a transparent background (RGBA through libpng), or too
 * wide for our encoder: the whole image drawn, then encoded. */
static er_status render_png_whole(render_ctx *c, double scale, long w, long h, er_buf *out)
{
	const er_scene *s = c->s;
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	er_png_image img;
	er_png_meta meta;
	er_status st;

	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)w, (int)h);
	st = context_for(surface, &cr);
	if (st != ER_OK)
		goto done;
	cairo_scale(cr, scale, scale);
	st = draw_scene(cr, c);
	if (st != ER_OK)
		goto done;
	cairo_surface_flush(surface);
	img.data = cairo_image_surface_get_data(surface);
	img.width = cairo_image_surface_get_width(surface);
	img.height = cairo_image_surface_get_height(surface);
	img.stride = cairo_image_surface_get_stride(surface);
	/* Every item is painted OVER the background: an opaque background
	 * leaves every pixel opaque, and RGB is then a quarter smaller. */
	img.alpha = s->background.a < 1;
	png_meta(s, scale, &meta);
	st = er_png_write(&img, &meta, out);
done:
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	return st;
}

/* ---- PNG in bands --------------------------------------------------------- */

/* A band's size: about this many bytes of pixels, which stay in the CPU's
 * cache while cairo draws them and the encoder reads them back. */
#define BAND_BYTES (256 * 1024)

/* The device rows an item can touch: [top, bottom). */
typedef struct row_span {
	long top, bottom;
} row_span;

/* Rows from a span in points, widened by a pixel each way for
 * antialiasing (a generous bound costs a draw cairo clips; a tight one
 * would cut an item at a band's edge). */
static row_span span_of(double y1, double y2, double scale)
{
	row_span r;
	double lo = fmin(y1, y2) * scale, hi = fmax(y1, y2) * scale;
	/* Both ends clamped before converting: a far-off item (finite, but
	 * beyond any long) must not make the conversion undefined. */
	r.top = (long)fmin(fmax(floor(lo) - 1, -1.0), (double)MAX_PIXELS + 2);
	r.bottom = (long)fmax(fmin(ceil(hi) + 1, (double)MAX_PIXELS + 2), -1.0);
	return r;
}

/* Where an item can draw. Text reaches as far as the bounding boxes of
 * the fonts that draw its runs, plus a quarter em (synthetic bold widens
 * the outlines by 1/24 em). */
static er_status item_rows(render_ctx *c, const er_item *it, double scale, row_span *r)
{
	er_text_run *runs = NULL;
	size_t n, count = 0, i;
	double above = 0, below = 0, half;
	er_status st;
	int id;

	switch (it->kind) {
	case ER_ITEM_RECT:
		*r = span_of(it->y, it->y + it->h, scale);
		return ER_OK;
	case ER_ITEM_LINE:
		/* Butt caps: the stroke lies within half its width of the line. */
		half = it->width > 0 ? it->width / 2 : 0;
		*r = span_of(fmin(it->y, it->y2) - half, fmax(it->y, it->y2) + half, scale);
		return ER_OK;
	case ER_ITEM_TEXT:
		break;
	}
	r->top = r->bottom = 0; /* nothing to draw (draw_text agrees) */
	n = strlen(it->text);
	if (n == 0 || !(it->size > 0))
		return ER_OK;
	st = scene_font_id(c, it->font, &id);
	if (st == ER_OK)
		st = er_text_runs(c->t, id, it->size, it->text, n, &runs, &count);
	for (i = 0; i < count && st == ER_OK; i++) {
		double a, b;
		er_text_font_reach(c->t, runs[i].font_id, &a, &b);
		above = fmax(above, a);
		below = fmax(below, b);
	}
	free(runs);
	if (st == ER_OK)
		*r = span_of(it->y - (above + 0.25) * it->size, it->y + (below + 0.25) * it->size, scale);
	return st;
}

/* An opaque chart drawn a band of rows at a time into one small surface,
 * each band deflated as soon as it is drawn (png_deflate.c), so the whole
 * image never exists: no megabytes of fresh pages for the kernel to clear,
 * and pixels read back from the cache. Each band draws, in scene order,
 * the items that can touch it, translated by a whole number of pixels:
 * cairo rasterizes in fixed point relative to the pixel grid and places
 * glyphs by rounding half up, so the pixels are those of the whole image
 * (the tests compare the two byte for byte). */
static er_status render_png_bands(render_ctx *c, double scale, int band_rows, long w, long h,
                                  er_buf *out)
{
	const er_scene *s = c->s;
	int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, (int)w);
	long band = band_rows > 0 ? band_rows : stride > 0 ? BAND_BYTES / stride : 1, y0;
	row_span *rows = NULL;
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	er_png_deflater *d = NULL;
	er_buf z = ER_BUF_INIT;
	er_png_image img;
	er_png_meta meta;
	size_t i;
	er_status st = ER_OK;

	band = band < 1 ? 1 : band > h ? h : band;
	if (s->nitems > 0) {
		rows = malloc(s->nitems * sizeof *rows);
		if (rows == NULL)
			return ER_ERR_NOMEM;
	}
	for (i = 0; i < s->nitems && st == ER_OK; i++)
		st = item_rows(c, &s->items[i], scale, &rows[i]);
	if (st != ER_OK)
		goto done;
	surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)w, (int)band);
	st = context_for(surface, &cr);
	if (st != ER_OK)
		goto done;
	d = er_png_deflater_new((int)w, (int)h, &z);
	if (d == NULL) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	for (y0 = 0; y0 < h && st == ER_OK; y0 += band) {
		cairo_identity_matrix(cr);
		cairo_translate(cr, 0, -(double)y0);
		cairo_scale(cr, scale, scale);
		st = draw_begin(cr, s);
		for (i = 0; i < s->nitems && st == ER_OK; i++)
			if (rows[i].bottom > y0 && rows[i].top < y0 + band)
				st = draw_item(cr, c, &s->items[i]);
		if (st == ER_OK)
			st = from_cairo(cairo_status(cr));
		if (st != ER_OK)
			break;
		cairo_surface_flush(surface);
		er_png_deflater_rows(d, cairo_image_surface_get_data(surface),
		                     cairo_image_surface_get_stride(surface), (int)band);
	}
	if (st != ER_OK)
		goto done;
	er_png_deflater_end(d);
	d = NULL;
	img.data = NULL;
	img.width = (int)w;
	img.height = (int)h;
	img.stride = stride;
	img.alpha = 0;
	png_meta(s, scale, &meta);
	st = er_png_write_deflated(&img, &meta, &z, out);
done:
	er_png_deflater_free(d);
	er_buf_free(&z);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	free(rows);
	return st;
}

static er_status render_png(render_ctx *c, double scale, int band_rows, er_buf *out)
{
	const er_scene *s = c->s;
	long w = pixels(s->width, scale), h = pixels(s->height, scale);

	if (w > MAX_PIXELS || h > MAX_PIXELS)
		return ER_ERR_LIMIT;
	if (s->background.a >= 1 && 3 * w + 1 <= ER_PNG_DEFLATE_MAX_ROW)
		return render_png_bands(c, scale, band_rows, w, h, out);
	return render_png_whole(c, scale, w, h, out);
}

/* ---- PDF ---------------------------------------------------------------- */

typedef struct pdf_sink {
	er_buf *out;
	er_status st;
	int discard; /* the render failed: whatever cairo still writes is dropped */
} pdf_sink;

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int n)
{
	pdf_sink *k = closure;
	er_status st;

	if (k->discard)
		return CAIRO_STATUS_SUCCESS;
	st = er_buf_append(k->out, data, n);
	if (st != ER_OK) {
		if (k->st == ER_OK)
			k->st = st;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* "YYYY-MM-DDThh:mm:ssZ" for seconds since 1970, clamped to years 1970-9999;
 * a negative epoch (none given) is 1970-01-01T00:00:00Z, never the clock. */
static void iso_date(long long epoch, char buf[32])
{
	const long long max = 253402300799LL; /* 9999-12-31T23:59:59Z */
	int64_t y;
	int mon, day, hh, mm, ss, us;

	if (epoch < 0)
		epoch = 0;
	if (epoch > max)
		epoch = max;
	er_time_fields((int64_t)epoch * 1000000, &y, &mon, &day, &hh, &mm, &ss, &us);
	/* Written digit by digit: snprintf would bring the locale in for nothing. */
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + mon / 10);
	buf[6] = (char)('0' + mon % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + day / 10);
	buf[9] = (char)('0' + day % 10);
	buf[10] = 'T';
	buf[11] = (char)('0' + hh / 10);
	buf[12] = (char)('0' + hh % 10);
	buf[13] = ':';
	buf[14] = (char)('0' + mm / 10);
	buf[15] = (char)('0' + mm % 10);
	buf[16] = ':';
	buf[17] = (char)('0' + ss / 10);
	buf[18] = (char)('0' + ss % 10);
	buf[19] = 'Z';
	buf[20] = '\0';
}

static er_status render_pdf(render_ctx *c, long long epoch, er_buf *out)
{
	const er_scene *s = c->s;
	pdf_sink sink = {out, ER_OK, 0};
	cairo_surface_t *surface;
	cairo_t *cr = NULL;
	char date[32];
	er_status st;

	surface = cairo_pdf_surface_create_for_stream(pdf_write, &sink, s->width, s->height);
	/* Metadata on a failed surface is ignored; context_for reports it. */
	iso_date(epoch, date);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ecoreport");
	if (s->title != NULL)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, s->title);
	if (s->subject != NULL || s->alt != NULL)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT,
		                               s->subject != NULL ? s->subject : s->alt);
	st = context_for(surface, &cr);
	if (st != ER_OK)
		goto done;
	st = draw_scene(cr, c);
	if (st != ER_OK)
		goto done;
	cairo_destroy(cr);
	cr = NULL;
	/* Finishing writes the page, the fonts and the trailer. */
	cairo_surface_finish(surface);
	st = from_cairo(cairo_surface_status(surface));
done:
	if (sink.st != ER_OK)
		st = sink.st;
	/* Destroying an unfinished surface finishes it: a whole document
	 * written for nothing. */
	if (st != ER_OK)
		sink.discard = 1;
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	return st;
}

/* ---- entry -------------------------------------------------------------- */

er_status er_cairo_render(const er_scene *s, er_text *t, const er_render_opts *opts, er_buf *out)
{
	er_render_opts def = {ER_OUT_PNG, 1, -1, 0};
	render_ctx c;
	size_t start = out->len;
	er_status st;

	if (opts == NULL)
		opts = &def;
	memset(&c, 0, sizeof c);
	c.s = s;
	c.t = t;
	st = er_scene_check(s);
	if (st != ER_OK)
		return st;
	if (s->nfonts > 0) {
		size_t i;
		c.ids = malloc(s->nfonts * sizeof *c.ids);
		if (c.ids == NULL) {
			ctx_fini(&c);
			return ER_ERR_NOMEM;
		}
		for (i = 0; i < s->nfonts; i++)
			c.ids[i] = -1;
	}
	switch (opts->format) {
	case ER_OUT_PNG: {
		double scale = opts->scale == 0 ? 1 : opts->scale;
		if (!(scale > 0) || !isfinite(scale))
			st = ER_ERR_USAGE;
		else
			st = render_png(&c, scale, opts->band_rows, out);
		break;
	}
	case ER_OUT_PDF:
		st = render_pdf(&c, opts->epoch, out);
		break;
	default:
		st = ER_ERR_USAGE;
		break;
	}
	ctx_fini(&c);
	if (st != ER_OK && out->data != NULL) {
		/* A failed render leaves no partial file in the caller's buffer. */
		out->len = start;
		out->data[start] = '\0';
	}
	return st;
}
