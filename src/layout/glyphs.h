/* glyphs.h - every character of a scene drawable, checked before rendering.
 *
 * The text stage falls back to other fonts for characters the scene's font
 * lacks; a character no installed font has would still be drawn as an
 * empty box (.notdef) by every renderer. That is an error, found here
 * before anything is written, not a silent box in a published chart. */
#ifndef ER_GLYPHS_H
#define ER_GLYPHS_H

#include "common/diag.h"
#include "common/status.h"
#include "scene.h"
#include "text/text.h"

/* Reports each distinct text of s that holds characters no installed font
 * can draw, with its code points and role:
 *   FILE: error: no installed font can draw U+E000, U+1F33F in "..." (title);
 *   install a font that has them
 * (FILE: when file is not NULL), and likewise each text in a script the
 * text stage cannot lay out (ER_UNSHAPED_WHY); at most 10 such texts, and
 * returns ER_ERR_DATA; ER_OK when every character can be drawn. t and diag borrowed. */
/* Why text in a script the text stage cannot lay out (er_text_unshaped)
 * is an error, after "U+XXXX in "text"". */
#define ER_UNSHAPED_WHY                                                                    \
	"is in a script ecoreport cannot lay out yet (Arabic, Hebrew and the Indic scripts "  \
	"need shaping or right-to-left order); it would be drawn wrong"

er_status er_scene_check_glyphs(const er_scene *s, er_text *t, er_diag_sink *diag,
                                const char *file);

#endif
