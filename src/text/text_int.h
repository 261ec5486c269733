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

struct er_text {
	er_diag_sink *diag; /* borrowed; may be NULL */
	FT_Library ft;
	FcConfig *fc; /* owned: a private configuration */
	er_font *fonts;
	size_t nfonts, capfonts;
	er_font_req *reqs;
	size_t nreqs, capreqs;
};

/* The font of an id, or NULL when the id is out of range. */
er_font *er_text_font_get(const er_text *t, int font_id);
/* Releases a font's glyph cache (measure.c owns its layout). */
void er_font_cache_free(er_font *f);

#endif
