/* measure.c - advances, coverage and glyph runs from unhinted design units.
 *
 * Every width is a sum of advances in font units, scaled once by
 * size / units_per_EM. Hinting would round advances to a pixel grid that
 * depends on the size and the renderer; design units are what libharu
 * uses for PDF text, so measuring in them keeps PNG, SVG and PDF alike. */
#include "text_int.h"

#include FT_ADVANCES_H
#include <stdlib.h>
#include <string.h>

#include "../common/utf8.h"

/* ---- decoding ----------------------------------------------------------- */

/* The code point at s[*i] (n bytes in all), advancing *i. er_utf8_decode
 * accepts overlong 3- and 4-byte forms, surrogates and values above
 * U+10FFFF; those count as malformed here, one U+FFFD per byte, as
 * er_utf8_valid would judge them. */
static inline uint32_t next_cp(const char *s, size_t n, size_t *i)
{
	unsigned char c = (unsigned char)s[*i];
	size_t len;
	uint32_t cp;

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	cp = er_utf8_decode(s + *i, n - *i, &len);
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
		cp = 0xfffd;
		len = 1;
	}
	*i += len;
	return cp;
}

/* ---- the glyph cache ---------------------------------------------------- */

/* Asks FreeType for a code point's glyph and unhinted advance. */
static er_gcache lookup_ft(const er_font *f, uint32_t cp)
{
	er_gcache g;
	FT_Fixed adv = 0;

	g.gid = FT_Get_Char_Index(f->face, cp);
	/* With FT_LOAD_NO_SCALE the advance comes back in font units, exactly
	 * advance.x of FT_Load_Glyph with these flags, read from hmtx without
	 * loading the outline. A glyph FreeType cannot read advances nothing. */
	if (FT_Get_Advance(f->face, g.gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING, &adv) != 0)
		adv = 0;
	if (adv > INT32_MAX)
		adv = INT32_MAX;
	if (adv < -INT32_MAX)
		adv = -INT32_MAX;
	g.adv = (int32_t)adv;
	return g;
}

/* The slot of cp in a table of cap (a power of 2) slots: the one holding
 * it, or the free one where it belongs. The table is never full. */
static size_t slot_of(const er_gslot *h, size_t cap, uint32_t cp)
{
	/* An odd multiplier permutes the low bits, so neighbouring code points
	 * (one script's block) land in different slots. */
	size_t k = (size_t)((cp * 2654435761u) & (uint32_t)(cap - 1));

	while (h[k].cp != 0 && h[k].cp != cp)
		k = (k + 1) & (cap - 1);
	return k;
}

/* Stores a code point above U+FFFF. Out of memory leaves it uncached:
 * the caller already has the answer, and the next call asks again. */
static void hash_put(er_font *f, uint32_t cp, er_gcache g)
{
	size_t k;

	/* At most half full, so probe runs stay short. */
	if ((f->hcount + 1) * 2 > f->hcap) {
		size_t ncap = f->hcap ? f->hcap * 2 : 64, j;
		er_gslot *nh = calloc(ncap, sizeof *nh);
		if (nh == NULL)
			return;
		for (j = 0; j < f->hcap; j++) {
			if (f->hash[j].cp != 0)
				nh[slot_of(nh, ncap, f->hash[j].cp)] = f->hash[j];
		}
		free(f->hash);
		f->hash = nh;
		f->hcap = ncap;
	}
	k = slot_of(f->hash, f->hcap, cp);
	if (f->hash[k].cp == cp)
		return;
	f->hash[k].cp = cp;
	f->hash[k].g = g;
	f->hcount++;
}

/* The slow path of glyph(): a page not yet allocated, an entry not yet
 * filled, or a code point above U+FFFF. */
static er_gcache glyph_miss(er_font *f, uint32_t cp)
{
	er_gcache g;
	size_t k;

	if (cp > 0xffff) {
		if (f->hcap > 0) {
			k = slot_of(f->hash, f->hcap, cp);
			if (f->hash[k].cp == cp)
				return f->hash[k].g;
		}
		g = lookup_ft(f, cp);
		hash_put(f, cp, g);
		return g;
	}
	g = lookup_ft(f, cp);
	if (f->pages[cp >> 8] == NULL) {
		er_gcache *p = malloc(256 * sizeof *p);
		if (p == NULL)
			return g; /* uncached; correct, only slower */
		for (k = 0; k < 256; k++) {
			p[k].gid = 0;
			p[k].adv = ER_ADV_UNSET;
		}
		f->pages[cp >> 8] = p;
	}
	f->pages[cp >> 8][cp & 0xff] = g;
	return g;
}

static inline er_gcache glyph(er_font *f, uint32_t cp)
{
	if (cp <= 0xffff) {
		const er_gcache *p = f->pages[cp >> 8];
		if (p != NULL && p[cp & 0xff].adv != ER_ADV_UNSET)
			return p[cp & 0xff];
	}
	return glyph_miss(f, cp);
}

er_gcache er_font_glyph(er_font *f, uint32_t cp)
{
	return glyph(f, cp);
}

uint32_t er_text_next_cp(const char *s, size_t n, size_t *i)
{
	return next_cp(s, n, i);
}

void er_font_cache_free(er_font *f)
{
	size_t i;

	for (i = 0; i < 256; i++) {
		free(f->pages[i]);
		f->pages[i] = NULL;
	}
	free(f->hash);
	f->hash = NULL;
	f->hcap = f->hcount = 0;
}

/* ---- the public calls --------------------------------------------------- */

double er_text_width(er_text *t, int font_id, double size, const char *s, size_t n)
{
	er_font *f = er_text_font_get(t, font_id);
	int64_t units = 0;
	size_t i = 0;

	if (f == NULL || s == NULL)
		return 0;
	while (i < n) {
		uint32_t cp = next_cp(s, n, &i);
		er_gcache g = glyph(f, cp);
		/* A glyph the font lacks: the text is drawn in runs of several
		 * fonts, measured run by run (fallback.c). */
		if (g.gid == 0 && cp >= 0x20 && cp != 0x7f)
			return er_text_width_runs(t, font_id, size, s, n);
		units += g.adv;
	}
	/* One rounding for the whole run; er_text_glyphs uses the same formula,
	 * so its positions and this width agree to the last bit. */
	return (double)units * size / f->upem;
}

void er_text_metrics(er_text *t, int font_id, double size, double *ascent, double *descent)
{
	const er_font *f = er_text_font_get(t, font_id);
	double a = 0, d = 0;

	if (f != NULL) {
		a = f->face->ascender * size / f->upem;
		d = -f->face->descender * size / f->upem;
	}
	if (ascent != NULL)
		*ascent = a;
	if (descent != NULL)
		*descent = d;
}

int er_text_covers(er_text *t, int font_id, const char *s, size_t n)
{
	er_font *f = er_text_font_get(t, font_id);
	size_t i = 0;

	if (f == NULL)
		return 0;
	while (i < n) {
		uint32_t cp = next_cp(s, n, &i);
		/* Control characters (a newline, a tab) are never drawn. */
		if (cp < 0x20 || cp == 0x7f)
			continue;
		if (glyph(f, cp).gid == 0)
			return 0;
	}
	return 1;
}

er_status er_text_glyphs(er_text *t, int font_id, double size, const char *s, size_t n,
                         er_glyph **out, size_t *count)
{
	er_font *f = er_text_font_get(t, font_id);
	er_glyph *gl;
	int64_t units = 0;
	size_t i = 0, k = 0, ncp = 0;

	*out = NULL;
	*count = 0;
	if (f == NULL || (s == NULL && n > 0))
		return ER_ERR_USAGE;
	while (i < n) {
		next_cp(s, n, &i);
		ncp++;
	}
	if (ncp == 0)
		return ER_OK;
	if (ncp > SIZE_MAX / sizeof *gl)
		return ER_ERR_NOMEM;
	gl = malloc(ncp * sizeof *gl);
	if (gl == NULL)
		return ER_ERR_NOMEM;
	i = 0;
	while (i < n) {
		er_gcache g = glyph(f, next_cp(s, n, &i));
		gl[k].index = g.gid;
		gl[k].x = (double)units * size / f->upem;
		units += g.adv;
		k++;
	}
	*out = gl;
	*count = ncp;
	return ER_OK;
}
