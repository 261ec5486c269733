/* haru_int.h - what the libharu renderer shows its own tests, beyond haru.h.
 * Not for other stages: they render through er_haru_render only. */
#ifndef ER_HARU_INT_H
#define ER_HARU_INT_H

#include <hpdf.h>

#include "render/haru/haru.h"

/* 2.3.0 declares its object API (dictionaries, arrays, streams, the
 * cross-reference table) in its public headers; 2.4 moved it inside. The
 * renderer uses it for three things: a valid ToUnicode map, a destination
 * that keeps the reader's zoom, and glyph outlines as form XObjects (the
 * CJK text its 2.3.0 subsetter would lose). Without it libharu's own output
 * stands: 2.4 fixed the subsetter, so text is then drawn as text. */
#if defined(HPDF_VERSION_ID) && HPDF_VERSION_ID < 20400 && !defined(HPDF_SHARED)
#define ER_HARU_OBJECT_API 1
#else
#define ER_HARU_OBJECT_API 0
#endif

/* The width (points) libharu gives the UTF-8 text `s` (NUL-terminated) in
 * the font t resolves for (family, bold, italic) at `size` points, loaded
 * exactly as er_haru_render loads it: HPDF_Page_TextWidth on a page of a
 * scratch document. Layout measured the same run with the text stage (the
 * scene item's advance); a test compares the two, since libharu draws a run
 * with its own rounded width table. Errors as er_haru_render. */
er_status er_haru_text_width(er_text *t, const char *family, int bold, int italic, double size,
                             const char *s, er_diag_sink *diag, double *width);

#endif
