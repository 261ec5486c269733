/* glyph_forms.h - glyph outlines as PDF form XObjects, one per glyph and
 * document, for the text libharu cannot embed faithfully (haru.c draws CJK
 * runs as outlines). A glyph written once and placed with "q cm /X Do Q"
 * costs some forty bytes an occurrence instead of its whole path, which
 * for a page of Chinese is most of the file. Internal to the renderer. */
#ifndef ER_GLYPH_FORMS_H
#define ER_GLYPH_FORMS_H

#include <hpdf.h>
#include <stdint.h>

#include "common/status.h"
#include "text/text.h"

/* Outlines are written in these units per em, as integers (1/1000 em is
 * 0.012 pt at 12 pt). A thousand, not more: a form is placed with the
 * matrix size/1000, which libharu writes with five decimals, so any size
 * in hundredths of a point scales exactly. */
#define ER_GLYPH_FORM_UNITS 1000.0

typedef struct er_glyph_forms er_glyph_forms;

/* An empty cache for one document. */
er_status er_glyph_forms_new(er_glyph_forms **out);
/* NULL is a no-op. The forms themselves belong to the document. */
void er_glyph_forms_free(er_glyph_forms *g);

/* How much synthetic bold widens a glyph: an em / 24 in all, as cairo's
 * (FreeType's) emboldening does, so that PNG and PDF look alike. */
#define ER_EMBOLDEN_EM (1.0 / 24)

/* The form of glyph `gid` of text-stage font `font_id` in document pdf,
 * made on first use: the outline filled with the nonzero rule, in
 * ER_GLYPH_FORM_UNITS per em, origin at the glyph origin, y up; with
 * `embolden` also stroked ER_EMBOLDEN_EM wide with round joins. *form is
 * NULL for a glyph without an outline (a space). The fill (and stroke)
 * colour is the one in effect where the form is drawn. ER_ERR_NOMEM, or
 * ER_ERR_INTERNAL when libharu fails (its error is then pending in pdf). */
er_status er_glyph_forms_get(er_glyph_forms *g, HPDF_Doc pdf, er_text *t, int font_id,
                             uint32_t gid, int embolden, HPDF_XObject *form);

#endif
