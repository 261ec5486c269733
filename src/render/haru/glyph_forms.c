/* glyph_forms.c - a form XObject per glyph, through libharu's object API.
 *
 * libharu 2.3.0 has no call that makes a form XObject, but declares its
 * object layer (dictionaries, streams, the cross-reference table) in its
 * public headers, and HPDF_Page_ExecuteXObject places any XObject by name.
 * So a form is a stream dictionary made here: /Type /XObject /Subtype
 * /Form /BBox, and a content stream "x y m ... c ... h f" in integer
 * units (no locale, no float formatting). 2.4 moved that layer inside;
 * there the renderer draws text (ER_HARU_OBJECT_API). */
#include "render/haru/glyph_forms.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/haru/haru_int.h"

#if ER_HARU_OBJECT_API
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#endif

/* One glyph's form; the cache is an open-addressed table keyed by
 * (font, glyph), at most half full. */
typedef struct slot {
	int used;
	int font_id;
	int embolden;
	uint32_t gid;
	HPDF_XObject form; /* NULL: the glyph has no outline */
} slot;

struct er_glyph_forms {
	slot *slots;
	size_t cap, n;
};

er_status er_glyph_forms_new(er_glyph_forms **out)
{
	er_glyph_forms *g = calloc(1, sizeof *g);

	*out = g;
	return g != NULL ? ER_OK : ER_ERR_NOMEM;
}

void er_glyph_forms_free(er_glyph_forms *g)
{
	if (g == NULL)
		return;
	free(g->slots);
	free(g);
}

#if ER_HARU_OBJECT_API
static size_t slot_of(const slot *s, size_t cap, int font_id, uint32_t gid, int embolden)
{
	size_t k = (size_t)(((uint32_t)(2 * font_id + embolden) * 0x9e3779b1u) ^
	                    (gid * 2654435761u)) & (cap - 1);

	while (s[k].used &&
	       !(s[k].font_id == font_id && s[k].gid == gid && s[k].embolden == embolden))
		k = (k + 1) & (cap - 1);
	return k;
}

static er_status grow(er_glyph_forms *g)
{
	size_t ncap = g->cap ? g->cap * 2 : 256, i;
	slot *ns;

	if ((g->n + 1) * 2 <= g->cap)
		return ER_OK;
	ns = calloc(ncap, sizeof *ns);
	if (ns == NULL)
		return ER_ERR_NOMEM;
	for (i = 0; i < g->cap; i++)
		if (g->slots[i].used)
			ns[slot_of(ns, ncap, g->slots[i].font_id, g->slots[i].gid, g->slots[i].embolden)] =
				g->slots[i];
	free(g->slots);
	g->slots = ns;
	g->cap = ncap;
	return ER_OK;
}

/* The outline as it is written: integer coordinates into the stream, and
 * the bounding box of every point (control points included, which is
 * larger than the ink but never smaller). */
typedef struct writer {
	HPDF_Stream out;
	HPDF_STATUS ret;
	long x0, y0, x1, y1;
	int any;
} writer;

static long unit(double v)
{
	double r = round(v);
	long l = r > LONG_MAX / 2 ? LONG_MAX / 2 : r < -LONG_MAX / 2 ? -LONG_MAX / 2 : (long)r;
	return l;
}

static void put(writer *w, const char *op, const double *v, int n)
{
	char buf[160];
	int i, o = 0;

	for (i = 0; i < n; i += 2) {
		long x = unit(v[i]), y = unit(v[i + 1]);
		if (!w->any || x < w->x0)
			w->x0 = x;
		if (!w->any || y < w->y0)
			w->y0 = y;
		if (!w->any || x > w->x1)
			w->x1 = x;
		if (!w->any || y > w->y1)
			w->y1 = y;
		w->any = 1;
		o += snprintf(buf + o, sizeof buf - (size_t)o, "%ld %ld ", x, y);
	}
	snprintf(buf + o, sizeof buf - (size_t)o, "%s\n", op);
	if (w->ret == HPDF_OK)
		w->ret = HPDF_Stream_WriteStr(w->out, buf);
}

static void w_move(void *c, double x, double y)
{
	double v[2] = {x, y};
	put(c, "m", v, 2);
}

static void w_line(void *c, double x, double y)
{
	double v[2] = {x, y};
	put(c, "l", v, 2);
}

static void w_cubic(void *c, double x1, double y1, double x2, double y2, double x, double y)
{
	double v[6] = {x1, y1, x2, y2, x, y};
	put(c, "c", v, 6);
}

static void w_close(void *c)
{
	writer *w = c;
	if (w->ret == HPDF_OK)
		w->ret = HPDF_Stream_WriteStr(w->out, "h\n");
}

/* Makes the form of one glyph; *form NULL when it has no outline. */
static er_status make(HPDF_Doc pdf, er_text *t, int font_id, uint32_t gid, int embolden,
                      HPDF_XObject *form)
{
	HPDF_Dict d;
	HPDF_Box box;
	writer w = {NULL, HPDF_OK, 0, 0, 0, 0, 0};
	/* The stroke of synthetic bold, in form units, and half of it. */
	long stroke = embolden ? lround(ER_EMBOLDEN_EM * ER_GLYPH_FORM_UNITS) : 0;
	long pad = (stroke + 1) / 2;
	er_path_sink sink = {&w, w_move, w_line, w_cubic, w_close};
	er_status st;

	*form = NULL;
	d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (d == NULL)
		return ER_ERR_INTERNAL;
	/* What HPDF_Page_ExecuteXObject checks for, as libharu's images set it. */
	d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
	if (pdf->compression_mode & HPDF_COMP_TEXT)
		d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	w.out = d->stream;
	if (embolden) {
		char op[32];
		snprintf(op, sizeof op, "1 j %ld w\n", stroke);
		w.ret = HPDF_Stream_WriteStr(d->stream, op);
	}
	st = er_text_outline(t, font_id, gid, ER_GLYPH_FORM_UNITS, &sink);
	if (st != ER_OK)
		return st;
	/* A glyph without contours (a space) leaves an unused object in the
	 * document; it is never drawn. */
	if (!w.any)
		return ER_OK;
	if (w.ret == HPDF_OK)
		w.ret = HPDF_Stream_WriteStr(d->stream, embolden ? "B\n" : "f\n");
	/* The stroke reaches half its width beyond the outline. */
	box.left = (HPDF_REAL)(w.x0 - 1 - pad);
	box.bottom = (HPDF_REAL)(w.y0 - 1 - pad);
	box.right = (HPDF_REAL)(w.x1 + 1 + pad);
	box.top = (HPDF_REAL)(w.y1 + 1 + pad);
	if (w.ret == HPDF_OK)
		w.ret = HPDF_Dict_AddName(d, "Type", "XObject");
	if (w.ret == HPDF_OK)
		w.ret = HPDF_Dict_AddName(d, "Subtype", "Form");
	if (w.ret == HPDF_OK)
		w.ret = HPDF_Dict_Add(d, "BBox", HPDF_Box_Array_New(pdf->mmgr, box));
	if (w.ret != HPDF_OK)
		return w.ret == HPDF_FAILD_TO_ALLOC_MEM ? ER_ERR_NOMEM : ER_ERR_INTERNAL;
	*form = d;
	return ER_OK;
}
#endif

er_status er_glyph_forms_get(er_glyph_forms *g, HPDF_Doc pdf, er_text *t, int font_id,
                             uint32_t gid, int embolden, HPDF_XObject *form)
{
#if ER_HARU_OBJECT_API
	size_t k;
	er_status st;

	*form = NULL;
	embolden = embolden != 0;
	if (g->cap > 0) {
		k = slot_of(g->slots, g->cap, font_id, gid, embolden);
		if (g->slots[k].used) {
			*form = g->slots[k].form;
			return ER_OK;
		}
	}
	st = grow(g);
	if (st == ER_OK)
		st = make(pdf, t, font_id, gid, embolden, form);
	if (st != ER_OK)
		return st;
	k = slot_of(g->slots, g->cap, font_id, gid, embolden);
	g->slots[k].used = 1;
	g->slots[k].font_id = font_id;
	g->slots[k].embolden = embolden;
	g->slots[k].gid = gid;
	g->slots[k].form = *form;
	g->n++;
	return ER_OK;
#else
	(void)g;
	(void)pdf;
	(void)t;
	(void)font_id;
	(void)gid;
	(void)embolden;
	*form = NULL;
	return ER_ERR_INTERNAL;
#endif
}
