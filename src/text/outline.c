/* outline.c - glyph outlines as paths, for renderers that draw glyphs as
 * shapes (the PDF renderer does so where libharu's font subsetter would
 * lose them).
 *
 * Outlines are read in font units (no scaling, no hinting: the shapes
 * layout measured) and scaled here; TrueType's quadratic segments become
 * the cubic Béziers PDF paths know, exactly: a quadratic with control
 * point Q from P0 to P2 is the cubic with controls P0 + 2/3 (Q - P0) and
 * P2 + 2/3 (Q - P2). */
#include "text_int.h"

#include FT_OUTLINE_H

typedef struct walk {
	const er_path_sink *sink;
	double k;      /* points per font unit */
	double cx, cy; /* the current point, points */
	int open;      /* a contour is open */
} walk;

static int on_move(const FT_Vector *to, void *user)
{
	walk *w = user;

	if (w->open)
		w->sink->close(w->sink->ctx);
	w->cx = to->x * w->k;
	w->cy = to->y * w->k;
	w->sink->move(w->sink->ctx, w->cx, w->cy);
	w->open = 1;
	return 0;
}

static int on_line(const FT_Vector *to, void *user)
{
	walk *w = user;

	w->cx = to->x * w->k;
	w->cy = to->y * w->k;
	w->sink->line(w->sink->ctx, w->cx, w->cy);
	return 0;
}

static int on_conic(const FT_Vector *control, const FT_Vector *to, void *user)
{
	walk *w = user;
	double qx = control->x * w->k, qy = control->y * w->k;
	double x = to->x * w->k, y = to->y * w->k;

	w->sink->cubic(w->sink->ctx, w->cx + 2.0 / 3.0 * (qx - w->cx), w->cy + 2.0 / 3.0 * (qy - w->cy),
	               x + 2.0 / 3.0 * (qx - x), y + 2.0 / 3.0 * (qy - y), x, y);
	w->cx = x;
	w->cy = y;
	return 0;
}

static int on_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *user)
{
	walk *w = user;

	w->cx = to->x * w->k;
	w->cy = to->y * w->k;
	w->sink->cubic(w->sink->ctx, c1->x * w->k, c1->y * w->k, c2->x * w->k, c2->y * w->k, w->cx,
	               w->cy);
	return 0;
}

er_status er_text_outline(er_text *t, int font_id, uint32_t glyph, double size,
                          const er_path_sink *sink)
{
	static const FT_Outline_Funcs funcs = {on_move, on_line, on_conic, on_cubic, 0, 0};
	er_font *f = er_text_font_get(t, font_id);
	walk w = {sink, 0, 0, 0, 0};
	FT_Error fe;

	if (f == NULL || sink == NULL)
		return ER_ERR_USAGE;
	fe = FT_Load_Glyph(f->face, glyph, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP);
	if (fe == FT_Err_Out_Of_Memory)
		return ER_ERR_NOMEM;
	/* A glyph FreeType cannot read draws nothing, as it measures nothing. */
	if (fe != 0 || f->face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
		return ER_OK;
	w.k = size / f->upem;
	if (FT_Outline_Decompose(&f->face->glyph->outline, &funcs, &w) != 0)
		return ER_ERR_INTERNAL;
	if (w.open)
		sink->close(sink->ctx);
	return ER_OK;
}
