/* glyphs.h - every character of a scene drawable, checked before rendering.
 *
 * The text stage falls back to other fonts for characters the scene's font
 * lacks; a character no installed font has would still be drawn as an
 * empty box (.notdef) by every renderer, and a script the text stage
 * cannot shape would be drawn wrong. Both are errors, found here before
 * anything is written, not silent boxes in a published chart. */
#ifndef ER_GLYPHS_H
#define ER_GLYPHS_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "common/status.h"
#include "scene.h"
#include "text/text.h"

/* What keeps a text from being drawn in a font: up to ER_GLYPH_MAX_CPS
 * code points no installed font has (n, and more when there are others),
 * or else the first character of a script the text stage cannot lay out
 * (er_text_unshaped; 0: none). Nothing wrong when n and unshaped are 0. */
#define ER_GLYPH_MAX_CPS 8
typedef struct er_glyph_trouble {
	uint32_t cps[ER_GLYPH_MAX_CPS];
	size_t n;
	int more;
	uint32_t unshaped;
} er_glyph_trouble;

/* Finds what keeps n bytes of text from being drawn in font_id.
 * ER_ERR_NOMEM, or ER_ERR_USAGE for a bad id; else ER_OK. */
er_status er_glyph_find(er_text *t, int font_id, const char *s, size_t n, er_glyph_trouble *g);

/* Reports it as an error at file:line:column (0 for none), naming the code
 * points and the text, and the text's role when not NULL:
 *   no installed font can draw U+E000, U+1F33F in "..." (title); install a
 *   font that has them
 *   U+062A in "..." (title) is in a script ecoreport cannot lay out yet
 *   (Arabic, Hebrew and the Indic scripts need shaping or right-to-left
 *   order); it would be drawn wrong
 * ER_ERR_NOMEM only. */
er_status er_glyph_report(er_diag_sink *diag, const char *file, unsigned long line,
                          unsigned long column, const char *text, const char *role,
                          const er_glyph_trouble *g);

/* What a check has reported so far, so that a text repeated on many pages
 * (a running title) is reported once, and the number of messages stays
 * bounded. Zero it (ER_GLYPH_CHECK_INIT) before the first scene; free it
 * with er_glyph_check_free. */
typedef struct er_glyph_check {
	char **texts; /* the texts reported (owned) */
	size_t ntexts, cap;
	size_t bad;   /* texts found, reported or not */
} er_glyph_check;
#define ER_GLYPH_CHECK_INIT {NULL, 0, 0, 0}

/* Reports each distinct text of s that cannot be drawn (er_glyph_report,
 * with its role; FILE: when file is not NULL); at most 10 texts in all
 * (er_glyph_check_done counts the rest). Returns ER_ERR_DATA when s has
 * such text (reported now or before), ER_ERR_NOMEM, else ER_OK. t, diag
 * and c borrowed; c may be NULL for a check of one scene. */
er_status er_scene_check_glyphs(const er_scene *s, er_text *t, er_diag_sink *diag,
                                const char *file, er_glyph_check *c);

/* Ends a check of several scenes: says how many texts were not reported
 * ("N more texts have characters ..."). */
void er_glyph_check_done(const er_glyph_check *c, er_diag_sink *diag, const char *file);
void er_glyph_check_free(er_glyph_check *c);

#endif
