/* render_svg.c - a scene as SVG 1.1 text.
 *
 * Written by hand rather than through cairo's SVG surface: cairo turns text
 * into glyph outlines (unselectable, invisible to screen readers) and names
 * image sources from a process-wide counter, so its bytes depend on what
 * else the process rendered. Here text stays <text>, its length pinned to
 * what layout measured (textLength), and the bytes depend on the scene
 * alone: numbers are printed by our locale-independent formatter, rounded
 * to 0.01 pt, which is far below what any viewer can show. */
#include "render/render.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/num.h"
#include "common/utf8.h"

/* A sticky writer: the first failed append is kept and every later call is
 * a no-op, so the drawing code reads straight and checks once at the end. */
typedef struct svg_out {
	er_buf *b;
	er_status st;
	er_text *t; /* borrowed; NULL: no fallback families */
} svg_out;

static void put(svg_out *o, const char *s)
{
	if (o->st == ER_OK)
		o->st = er_buf_puts(o->b, s);
}

static void put_n(svg_out *o, const char *s, size_t n)
{
	if (o->st == ER_OK)
		o->st = er_buf_append(o->b, s, n);
}

/* A coordinate: at most two decimals, trailing zeros and a bare mark
 * dropped ("12", "12.5", "0.25"), never "-0". The caller has checked that
 * every number of the scene is finite. */
static void num(svg_out *o, double v)
{
	char b[64];
	size_t n = er_num_format_fixed(v, 2, '.', NULL, b, sizeof b);
	if (memchr(b, '.', n) != NULL) {
		while (n > 0 && b[n - 1] == '0')
			n--;
		if (n > 0 && b[n - 1] == '.')
			n--;
	}
	/* "-0.001" rounds to "-0.00", which trims to "-0". */
	if (n == 2 && b[0] == '-' && b[1] == '0') {
		b[0] = '0';
		n = 1;
	}
	put_n(o, b, n);
}

/* An attribute: ` name="number"`. */
static void num_attr(svg_out *o, const char *name, double v)
{
	put(o, " ");
	put(o, name);
	put(o, "=\"");
	num(o, v);
	put(o, "\"");
}

static int channel(double c)
{
	if (!(c > 0))
		return 0;
	if (c >= 1)
		return 255;
	return (int)lround(c * 255);
}

/* ` fill="#rrggbb"` (or stroke), plus ` fill-opacity="a"` when translucent. */
static void color_attr(svg_out *o, const char *paint, er_color c)
{
	static const char hex[] = "0123456789abcdef";
	int rgb[3] = {channel(c.r), channel(c.g), channel(c.b)};
	char b[8];
	int i;

	b[0] = '#';
	for (i = 0; i < 3; i++) {
		b[1 + 2 * i] = hex[rgb[i] >> 4];
		b[2 + 2 * i] = hex[rgb[i] & 15];
	}
	b[7] = '\0';
	put(o, " ");
	put(o, paint);
	put(o, "=\"");
	put(o, b);
	put(o, "\"");
	if (c.a < 1) {
		put(o, " ");
		put(o, paint);
		put(o, "-opacity=\"");
		num(o, c.a > 0 ? c.a : 0);
		put(o, "\"");
	}
}

/* Whether XML 1.0 allows code point c in a document at all. */
static int xml_char(uint32_t c)
{
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\r';
	if (c >= 0xD800 && c <= 0xDFFF)
		return 0;
	return c != 0xFFFE && c != 0xFFFF && c <= 0x10FFFF;
}

/* The smallest code point of each UTF-8 sequence length: anything below
 * is an overlong form. */
static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};

/* Escapes text for element content and attribute values alike. Bytes that
 * are not UTF-8, and characters XML forbids (C0 controls), become U+FFFD:
 * the document must stay well-formed whatever the data held. CR and LF in
 * an attribute would be normalised to spaces by parsers, so they are
 * written as character references. */
static void text(svg_out *o, const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0, run = 0;

	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		const char *rep = NULL;
		size_t len = 1;

		if (ch < 0x80) {
			switch (ch) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\n': rep = "&#10;"; break;
			case '\r': rep = "&#13;"; break;
			case '\t': rep = "&#9;"; break;
			default:
				if (ch < 0x20)
					rep = "\xEF\xBF\xBD";
			}
		} else {
			uint32_t c = er_utf8_decode(s + i, n - i, &len);
			/* A malformed sequence decodes as U+FFFD of length 1: the raw
			 * byte must not be copied. The decoder accepts overlong forms,
			 * which XML parsers reject, so those are replaced too. */
			if (len == 1 || c < least[len] || !xml_char(c))
				rep = "\xEF\xBF\xBD";
		}
		if (rep != NULL) {
			put_n(o, s + run, i - run);
			put(o, rep);
			run = i + len;
		}
		i += len;
	}
	put_n(o, s + run, n - run);
}


static void class_attr(svg_out *o, const char *role)
{
	if (role == NULL || role[0] == '\0')
		return;
	put(o, " class=\"");
	text(o, role);
	put(o, "\"");
}

static void rect(svg_out *o, const er_item *it)
{
	double x = it->x, y = it->y, w = it->w, h = it->h;
	/* SVG forbids negative sizes; cairo draws them mirrored. Match cairo. */
	if (w < 0) {
		x += w;
		w = -w;
	}
	if (h < 0) {
		y += h;
		h = -h;
	}
	put(o, "<rect");
	class_attr(o, it->role);
	num_attr(o, "x", x);
	num_attr(o, "y", y);
	num_attr(o, "width", w);
	num_attr(o, "height", h);
	color_attr(o, "fill", it->color);
	put(o, "/>\n");
}

static void line(svg_out *o, const er_item *it)
{
	put(o, "<line");
	class_attr(o, it->role);
	num_attr(o, "x1", it->x);
	num_attr(o, "y1", it->y);
	num_attr(o, "x2", it->x2);
	num_attr(o, "y2", it->y2);
	color_attr(o, "stroke", it->color);
	num_attr(o, "stroke-width", it->width);
	put(o, " stroke-linecap=\"butt\"/>\n");
}

/* The families after the scene's own that the text stage chose for
 * characters it lacks, in order of first use: a viewer with the same
 * fonts installed then falls back exactly as the PNG does. */
static void fallbacks(svg_out *o, const er_scene_font *f, const er_item *it)
{
	er_text_run *runs = NULL;
	size_t count = 0, i, j;
	int id = -1;
	er_status st;

	st = o->t != NULL ? er_text_font_quiet(o->t, f->family, f->bold, f->italic, &id) : ER_OK;
	/* No registry, or a family not installed here: the SVG still names it,
	 * and the viewer falls back on its own (SVG needs no font files). */
	if (st == ER_OK && (o->t == NULL || id < 0))
		return;
	if (st == ER_OK)
		st = er_text_runs(o->t, id, it->size, it->text, strlen(it->text), &runs, &count);
	if (st != ER_OK) {
		o->st = st;
		return;
	}
	for (i = 0; i < count; i++) {
		int seen = runs[i].font_id == id;
		for (j = 0; j < i && !seen; j++)
			seen = runs[j].font_id == runs[i].font_id;
		if (seen)
			continue;
		put(o, ", ");
		text(o, er_text_font_family(o->t, runs[i].font_id));
	}
	free(runs);
}

static void text_item(svg_out *o, const er_scene *s, const er_item *it)
{
	const er_scene_font *f = &s->fonts[it->font];

	put(o, "<text");
	class_attr(o, it->role);
	num_attr(o, "x", it->x);
	num_attr(o, "y", it->y);
	put(o, " font-family=\"");
	text(o, f->family);
	fallbacks(o, f, it);
	put(o, "\"");
	num_attr(o, "font-size", it->size);
	put(o, f->bold ? " font-weight=\"bold\"" : " font-weight=\"normal\"");
	if (f->italic)
		put(o, " font-style=\"italic\"");
	color_attr(o, "fill", it->color);
	/* The width layout measured with our font files: a viewer with other
	 * metrics (or a substitute font) then still fits the run in its slot. */
	if (it->advance > 0) {
		num_attr(o, "textLength", it->advance);
		put(o, " lengthAdjust=\"spacingAndGlyphs\"");
	}
	put(o, " xml:space=\"preserve\">");
	text(o, it->text);
	put(o, "</text>\n");
}

er_status er_svg_render(const er_scene *s, er_text *t, er_buf *out)
{
	svg_out o = {out, ER_OK, t};
	size_t start = out->len, i;

	o.st = er_scene_check(s);
	put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
	num(&o, s->width);
	put(&o, "pt\" height=\"");
	num(&o, s->height);
	put(&o, "pt\" viewBox=\"0 0 ");
	num(&o, s->width);
	put(&o, " ");
	num(&o, s->height);
	put(&o, "\">\n");
	/* title and desc first: what assistive technology reads for the image. */
	if (s->title != NULL) {
		put(&o, "<title>");
		text(&o, s->title);
		put(&o, "</title>\n");
	}
	if (s->alt != NULL) {
		put(&o, "<desc>");
		text(&o, s->alt);
		put(&o, "</desc>\n");
	}
	put(&o, "<rect class=\"background\" x=\"0\" y=\"0\"");
	num_attr(&o, "width", s->width);
	num_attr(&o, "height", s->height);
	color_attr(&o, "fill", s->background);
	put(&o, "/>\n");
	for (i = 0; i < s->nitems && o.st == ER_OK; i++) {
		const er_item *it = &s->items[i];
		switch (it->kind) {
		case ER_ITEM_RECT:
			rect(&o, it);
			break;
		case ER_ITEM_LINE:
			line(&o, it);
			break;
		case ER_ITEM_TEXT:
			text_item(&o, s, it);
			break;
		}
	}
	put(&o, "</svg>\n");
	if (o.st != ER_OK && out->data != NULL) {
		/* Leave the caller's buffer as it was: no half document. */
		out->len = start;
		out->data[start] = '\0';
	}
	return o.st;
}
