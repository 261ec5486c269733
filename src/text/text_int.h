/* text_int.h - the font registry's insides, shared by fonts.c and measure.c.
 *
 * Each loaded face keeps a cache of code point -> (glyph index, advance in
 * font units), filled on first use: measuring a label then costs a decode
 * and an array read per character, not a FreeType call. */
#ifndef ER_TEXT_INT_H
#define ER_TEXT_INT_H

#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fontconfig.h>
#include <stdint.h>

#include "font_cache.h"
#include "text.h"

/* A cache entry; adv == ER_ADV_UNSET marks one not yet looked up. */
typedef struct er_gcache {
	uint32_t gid;
	int32_t adv; /* unhinted advance, font units */
} er_gcache;

#define ER_ADV_UNSET INT32_MIN

/* A slot of the hash for code points above U+FFFF; cp == 0 marks it free
 * (U+0000 is in the BMP, so never stored here). */
typedef struct er_gslot {
	uint32_t cp;
	er_gcache g;
} er_gslot;

typedef struct er_font {
	char *file;   /* owned */
	int bold;     /* the face's own style (FreeType's flags): its fallbacks match it */
	int index;    /* face index in the file (a .ttc holds several) */
	char *family; /* owned; as fontconfig spells it */
	FT_Face face; /* owned */
	double upem;  /* units per EM, > 0 (only scalable faces are loaded) */
	er_gcache *pages[256]; /* U+0000-U+FFFF, 256 code points a page, lazily */
	er_gslot *hash;        /* above U+FFFF; open addressing, hcap a power of 2 */
	size_t hcap, hcount;
} er_font;

/* One er_text_font request and its answer, so a repeat needs no fontconfig. */
typedef struct er_font_req {
	char *family; /* owned; exactly as requested */
	int bold, italic;
	int id;
} er_font_req;

/* A code point no font in the fallback chain covers, and the font a
 * fontconfig search found for it (-1: none installed). */
typedef struct er_cp_font {
	uint32_t cp;
	int id;
} er_cp_font;

/* How many families the fallback chain tries before asking fontconfig. */
#define ER_FALLBACKS 3

struct er_text {
	er_diag_sink *diag; /* borrowed; may be NULL */
	FT_Library ft;
	FcConfig *fc; /* owned: a private configuration; NULL until a question
	               * the cache cannot answer (er_text_new loads it at once) */
	int fc_failed;      /* loading it failed (not tried again) */
	int fc_told;        /* diag has been told so (er_text_set_diag resets it) */
	er_fcache *cache;   /* owned; NULL: no cache */
	er_font *fonts;
	size_t nfonts, capfonts;
	er_font_req *reqs;
	size_t nreqs, capreqs;
	/* The fallback chain per style (0 regular, 1 bold): font ids, -1 when
	 * the family is not installed; filled on first use (fb_done). */
	int fb[2][ER_FALLBACKS];
	int fb_done[2];
	er_cp_font *searched; /* fontconfig's answers, in the order asked */
	size_t nsearched, capsearched;
};

/* The font of an id, or NULL when the id is out of range. */
er_font *er_text_font_get(const er_text *t, int font_id);
/* Releases a font's glyph cache (measure.c owns its layout). */
void er_font_cache_free(er_font *f);

/* The cached glyph and advance of a code point (measure.c). */
er_gcache er_font_glyph(er_font *f, uint32_t cp);

/* The code point at s[*i] (n bytes in all), advancing *i; malformed UTF-8
 * reads as U+FFFD, one per byte (measure.c). */
uint32_t er_text_next_cp(const char *s, size_t n, size_t *i);

/* er_text_width of a text that needs more than its own font (fallback.c). */
double er_text_width_runs(er_text *t, int font_id, double size, const char *s, size_t n);

/* Asks fontconfig (or the font cache) for any installed scalable font with
 * a glyph for cp and loads it; -1 when there is none (fonts.c).
 * ER_ERR_NOMEM on memory; ER_ERR_INTERNAL when fontconfig, needed for the
 * answer and loaded lazily behind a cache, cannot load its configuration
 * (reported to the sink, as er_text_new reports it without a cache). */
er_status er_text_search_cp(er_text *t, uint32_t cp, int *id);

#endif
