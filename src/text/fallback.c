/* fallback.c - which font draws each character: runs of text in one font.
 *
 * A theme names one family (Liberation Sans); its files have no CJK
 * ideographs, and a title such as "人工智能的碳排放 (tCO2eq)" would come out
 * as boxes. So each character the font lacks is looked up along a fixed
 * chain of families, then anywhere fontconfig knows, and the text becomes
 * runs: maximal stretches drawn in one font. Measuring and drawing both
 * go through these runs, so widths and glyph positions stay identical in
 * PNG, SVG and PDF.
 *
 * The chain is fixed (not fontconfig's own preference order) so that the
 * same text picks the same fonts on every machine with the same packages:
 * DejaVu Sans first (symbols and scripts close to the Latin design), then
 * WenQuanYi Micro Hei and Droid Sans Fallback (CJK, both TrueType, which
 * libharu can embed; the CFF-based Noto CJK it cannot). */
#include "text_int.h"

#include <stdlib.h>
#include <string.h>

#include "../common/util.h"

static const char *const chain_families[ER_FALLBACKS] = {
	"DejaVu Sans",
	"WenQuanYi Micro Hei",
	"Droid Sans Fallback",
};

/* Characters that draw nothing and belong to the text around them: they
 * never start a run of their own and are never missing. */
static int ignorable(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || cp == 0xad || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0xfeff || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/* The chain's font ids for a style, loaded on first use (-1: not installed). */
static const int *chain(er_text *t, int bold)
{
	int k;

	if (!t->fb_done[bold]) {
		for (k = 0; k < ER_FALLBACKS; k++) {
			/* Out of memory leaves a hole in the chain: fontconfig's
			 * search behind it still finds the font. */
			if (er_text_font_quiet(t, chain_families[k], bold, 0, &t->fb[bold][k]) != ER_OK)
				t->fb[bold][k] = -1;
		}
		t->fb_done[bold] = 1;
	}
	return t->fb[bold];
}

/* The font that draws cp in text set in `primary`; -1 when none can.
 * *st becomes the search's error (the answer is then -1 too, but it is
 * not "no font has it"): ER_ERR_NOMEM, or ER_ERR_INTERNAL when fontconfig,
 * loaded lazily behind the font cache, could not load (the sink has been
 * told); it is never reset. */
static int font_for(er_text *t, int primary, uint32_t cp, er_status *st)
{
	const int *ids;
	int k, id;
	er_status e;

	if (ignorable(cp) || er_font_glyph(&t->fonts[primary], cp).gid != 0)
		return primary;
	ids = chain(t, t->fonts[primary].bold);
	for (k = 0; k < ER_FALLBACKS; k++) {
		if (ids[k] >= 0 && ids[k] != primary && er_font_glyph(&t->fonts[ids[k]], cp).gid != 0)
			return ids[k];
	}
	e = er_text_search_cp(t, cp, &id);
	if (e != ER_OK) {
		*st = e;
		return -1;
	}
	return id;
}

/* Closes run r (units of advance in font r->font_id): its width is set,
 * it is stored when there is room in runs (cap entries), and the pen
 * moves past it. */
static void end_run(er_text *t, er_text_run *r, int64_t units, double size, er_text_run *runs,
                    size_t cap, size_t *k, double *x)
{
	r->width = (double)units * size / t->fonts[r->font_id].upem;
	if (runs != NULL && *k < cap)
		runs[*k] = *r;
	(*k)++;
	*x += r->width;
}

/* Splits the text into runs, storing at most cap of them in runs (which
 * may be NULL); *count receives how many there are, *width their sum.
 * The width of a run is its advances in font units, scaled once, as
 * er_text_width does for a text of one run. Returns font_for's error when
 * a fallback search failed (out of memory, or fontconfig could not load;
 * the runs are then still complete, with the primary font where the
 * search failed). */
static er_status walk(er_text *t, int font_id, double size, const char *s, size_t n,
                      er_text_run *runs, size_t cap, size_t *count, double *width)
{
	size_t i = 0, k = 0;
	double x = 0;
	int64_t units = 0;
	int cur = -1;
	er_text_run r = {0, 0, font_id, 0, 0};
	er_status st = ER_OK;

	while (i < n) {
		size_t at = i;
		uint32_t cp = er_text_next_cp(s, n, &i);
		int id = ignorable(cp) && cur >= 0 ? cur : font_for(t, font_id, cp, &st);
		if (id < 0)
			id = font_id; /* no font has it: the primary's .notdef */
		if (id != cur) {
			if (cur >= 0)
				end_run(t, &r, units, size, runs, cap, &k, &x);
			r.start = at;
			r.font_id = id;
			r.x = x;
			units = 0;
			cur = id;
		}
		units += er_font_glyph(&t->fonts[id], cp).adv;
		r.len = i - r.start;
	}
	if (cur >= 0)
		end_run(t, &r, units, size, runs, cap, &k, &x);
	*count = k;
	*width = x;
	return st;
}

double er_text_width_runs(er_text *t, int font_id, double size, const char *s, size_t n)
{
	size_t count;
	double w;

	if (er_text_font_get(t, font_id) == NULL || s == NULL)
		return 0;
	/* A failed search (out of memory, fontconfig unable to load) measures
	 * the characters whose font was not found in the primary font: the
	 * same the draw would show, so still consistent. The status cannot
	 * be returned from here; er_text_runs and er_text_missing, which
	 * layout's glyph check and every renderer call for the same text,
	 * return it, and the sink has been told. */
	walk(t, font_id, size, s, n, NULL, 0, &count, &w);
	return w;
}

er_status er_text_runs(er_text *t, int font_id, double size, const char *s, size_t n,
                       er_text_run **out, size_t *count)
{
	er_text_run *runs;
	size_t k, k2;
	double w;
	er_status st;

	*out = NULL;
	*count = 0;
	if (er_text_font_get(t, font_id) == NULL || (s == NULL && n > 0))
		return ER_ERR_USAGE;
	if (n == 0)
		return ER_OK;
	st = walk(t, font_id, size, s, n, NULL, 0, &k, &w);
	if (st != ER_OK)
		return st;
	if (k > SIZE_MAX / sizeof *runs)
		return ER_ERR_NOMEM;
	runs = malloc(k * sizeof *runs);
	if (runs == NULL)
		return ER_ERR_NOMEM;
	/* Every font is loaded and every search cached by the first pass, so
	 * the second finds the same runs; it is bounded all the same. */
	st = walk(t, font_id, size, s, n, runs, k, &k2, &w);
	if (st != ER_OK || k2 != k) {
		free(runs);
		return st != ER_OK ? st : ER_ERR_INTERNAL;
	}
	*out = runs;
	*count = k;
	return ER_OK;
}

er_status er_text_missing(er_text *t, int font_id, const char *s, size_t n, uint32_t *cps,
                          size_t cap, size_t *count, int *more)
{
	size_t i = 0, total = 0, j;
	int seen;
	er_status st = ER_OK;

	*count = 0;
	if (more != NULL)
		*more = 0;
	if (er_text_font_get(t, font_id) == NULL || (s == NULL && n > 0))
		return ER_ERR_USAGE;
	while (i < n) {
		uint32_t cp = er_text_next_cp(s, n, &i);
		if (font_for(t, font_id, cp, &st) >= 0)
			continue;
		if (st != ER_OK)
			return st;
		for (j = 0, seen = 0; j < total && !seen; j++)
			seen = cps[j] == cp;
		if (seen)
			continue;
		if (total == cap) {
			if (more != NULL)
				*more = 1;
			break;
		}
		cps[total++] = cp;
	}
	*count = total;
	return ER_OK;
}

uint32_t er_text_unshaped(const char *s, size_t n)
{
	static const struct {
		uint32_t lo, hi;
	} ranges[] = {
		{0x0590, 0x08ff}, /* Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic */
		{0x0900, 0x0dff}, /* Devanagari to Sinhala */
		{0x0f00, 0x0fff}, /* Tibetan */
		{0x1000, 0x109f}, /* Myanmar */
		{0x1780, 0x18af}, /* Khmer, Mongolian */
		{0xa8e0, 0xa8ff}, /* Devanagari Extended */
		{0xfb1d, 0xfdff}, /* Hebrew and Arabic presentation forms */
		{0xfe70, 0xfefe}, /* Arabic presentation forms B (U+FEFF is no letter) */
		{0x10e60, 0x10e7f}, {0x1ee00, 0x1eeff}, /* Rumi numerals, Arabic math */
	};
	size_t i = 0, k;

	while (i < n) {
		uint32_t cp = er_text_next_cp(s, n, &i);
		if (cp < 0x0590)
			continue;
		for (k = 0; k < sizeof ranges / sizeof ranges[0]; k++)
			if (cp >= ranges[k].lo && cp <= ranges[k].hi)
				return cp;
	}
	return 0;
}
