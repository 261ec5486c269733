/* text.h - stage 3 of the pipeline: fonts, measuring, glyphs, line breaks.
 *
 * Fonts are found through fontconfig by family name and loaded with
 * FreeType from their files. Widths are unhinted advances without kerning
 * (FT_LOAD_NO_HINTING), exactly what both renderers draw: cairo from the
 * glyph positions given here, libharu from the same font file, so a chart
 * lays out identically in PNG, SVG and PDF. Line breaking follows Unicode
 * UAX #14 through libunibreak. The library never prints: problems are
 * diagnostics through the sink. */
#ifndef ER_TEXT_H
#define ER_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "common/status.h"

typedef struct er_text er_text;

/* A new font registry (FreeType library, fontconfig configuration). diag is
 * borrowed and must outlive t; it may be NULL. */
er_status er_text_new(er_diag_sink *diag, er_text **out);
/* Like er_text_new, with fontconfig's answers kept in the file at
 * cache_path (borrowed; NULL: no cache, exactly er_text_new). fontconfig is
 * then loaded only for the first question the file cannot answer, so a
 * run whose fonts are known does not load it at all. The file is only a
 * cache: failing to read or write it is silent, and the fonts found, the
 * diagnostics and the output are the same with or without it. Where it
 * lives is the caller's choice (er_text_cache_path). */
er_status er_text_new_cached(er_diag_sink *diag, const char *cache_path, er_text **out);
/* The cache file's conventional place: `setting` (the value of
 * $ECOREPORT_FONT_CACHE: a path, or "off" for none) when set and not
 * empty, else XDG_CACHE_HOME/ecoreport/fonts.cache (an absolute
 * xdg_cache_home), else HOME/.cache/ecoreport/fonts.cache; *out is NULL for
 * no cache (off, or no home). Any argument may be NULL. *out is allocated
 * (caller frees). ER_ERR_NOMEM only. */
er_status er_text_cache_path(const char *setting, const char *xdg_cache_home, const char *home,
                             char **out);
/* Writes what was learned from fontconfig into the cache file, if anything
 * was (silently; a no-op without a cache). Call when done asking. */
void er_text_save_cache(er_text *t);
/* Loads fontconfig now if it is not loaded (batch does so before forking
 * its workers when the cache is cold). ER_ERR_INTERNAL when it cannot be
 * loaded (reported through the sink). */
er_status er_text_load_fontconfig(er_text *t);
/* Whether fontconfig is loaded (tests), and whether the cache file held
 * valid answers when t was made. */
int er_text_fontconfig_loaded(const er_text *t);
int er_text_cache_warm(const er_text *t);
/* Frees every face. NULL is a no-op. */
void er_text_free(er_text *t);
/* Where later diagnostics go (a registry shared by several commands). */
void er_text_set_diag(er_text *t, er_diag_sink *diag);
/* How many fonts are loaded so far: their ids are 0 .. n-1 (batch records
 * their files through er_text_font_file). */
size_t er_text_nfonts(const er_text *t);

/* Finds the font file of `family` (exact family name, as fontconfig lists
 * it, e.g. "Liberation Sans") with the given weight and slant, loads it
 * once, and returns its id (0, 1, ...; the same id for the same request).
 * A family that fontconfig cannot find, or only finds by substituting
 * another family, is an error reported as
 *   font family "X" is not installed (on Debian: apt-get install fonts-...)
 * with ER_ERR_DATA. */
er_status er_text_font(er_text *t, const char *family, int bold, int italic, int *font_id);

/* Like er_text_font, but a family that is not installed is *font_id = -1
 * and ER_OK, with no diagnostic: for fonts that are optional. */
er_status er_text_font_quiet(er_text *t, const char *family, int bold, int italic, int *font_id);

/* The file and face index behind a font id (owned by t). */
const char *er_text_font_file(const er_text *t, int font_id, int *face_index);
/* Whether a run in font_id of a text that is `bold` must be emboldened by
 * the renderer: the face is not bold by design (WenQuanYi Micro Hei, a CJK
 * fallback, has no bold). Both renderers ask here, so they draw alike; the
 * advances stay the same. */
int er_text_embolden(const er_text *t, int bold, int font_id);
/* How far the glyphs of font_id can reach above (*above) and below
 * (*below) the baseline, in ems: the face's bounding box over all its
 * glyphs, never less than 1.25 above and 0.5 below (a font whose header
 * understates it). 0 and 0 for an unknown id. A renderer that draws part
 * of a page at a time skips the text that cannot touch that part. */
void er_text_font_reach(const er_text *t, int font_id, double *above, double *below);

/* The family name of a font id (owned by t). */
const char *er_text_font_family(const er_text *t, int font_id);

/* The FreeType face of a font id, as `void *` (an FT_Face) so that headers
 * of other stages need no FreeType. Owned by t; valid while t lives. Not for
 * cairo: its font caches outlive t and are keyed by the face's address (the
 * cairo renderer loads the same file by name instead). */
void *er_text_ft_face(const er_text *t, int font_id);

/* Advance width in points of n bytes of UTF-8 at `size` points: the sum of
 * unhinted advances, no kerning, each character in the font that draws it
 * (er_text_runs). Invalid UTF-8 counts as U+FFFD. A fallback search that
 * fails (see er_text_missing) measures those characters in font_id, as
 * they would be drawn; the error comes back from er_text_missing and
 * er_text_runs on the same text. */
double er_text_width(er_text *t, int font_id, double size, const char *s, size_t n);

/* Ascent and descent (both positive, points) of the font at `size`, from
 * the face's typographic metrics. */
void er_text_metrics(er_text *t, int font_id, double size, double *ascent, double *descent);

/* True (1) when the font has a glyph for every code point of the text. */
int er_text_covers(er_text *t, int font_id, const char *s, size_t n);

typedef struct er_glyph {
	uint32_t index; /* glyph index in the face */
	double x;       /* pen position of the glyph's origin, from the run start, points */
} er_glyph;

/* The glyphs of n bytes of UTF-8 and their positions at `size` points
 * (one glyph per code point; positions are cumulative unhinted advances,
 * so the last glyph's x + advance equals er_text_width). *out is allocated
 * (caller frees); *count receives the number of glyphs. */
er_status er_text_glyphs(er_text *t, int font_id, double size, const char *s, size_t n,
                         er_glyph **out, size_t *count);

/* Fallback. A character the font lacks is drawn in the first font of a
 * fixed chain that has it (DejaVu Sans, WenQuanYi Micro Hei, Droid Sans
 * Fallback: symbols first, then CJK), else in any installed scalable font
 * fontconfig finds for it; the chain takes the bold face where one exists.
 * Text therefore splits into runs, each in one font. */
typedef struct er_text_run {
	size_t start, len; /* the run's bytes in the text */
	int font_id;       /* the font that draws them */
	double x;          /* pen position at its start, points from the text's start */
	double width;      /* its advance, points */
} er_text_run;

/* The runs of n bytes of UTF-8 in font_id at `size` points: *out is
 * allocated (caller frees), *count receives how many (0 for empty text).
 * Characters no font has stay in font_id (drawn as its .notdef box; see
 * er_text_missing). Control characters and default-ignorable ones (zero
 * width space, joiners, variation selectors) stay in the run around them.
 * The runs' widths add up to er_text_width. Errors as er_text_missing. */
er_status er_text_runs(er_text *t, int font_id, double size, const char *s, size_t n,
                       er_text_run **out, size_t *count);

/* The code points of n bytes of UTF-8 that no installed font can draw,
 * each once, in order of appearance: up to cap of them are written to cps
 * and counted in *count; *more (may be NULL) is set when there are others
 * beyond those. ER_ERR_NOMEM when looking for a font ran out of memory
 * (not a missing glyph), ER_ERR_INTERNAL when fontconfig, loaded lazily
 * behind a font cache, could not load (reported through the sink, as
 * er_text_new reports it), ER_ERR_USAGE for a bad font id. */
er_status er_text_missing(er_text *t, int font_id, const char *s, size_t n, uint32_t *cps,
                          size_t cap, size_t *count, int *more);

/* The first code point of n bytes of UTF-8 that belongs to a script this
 * engine cannot lay out (one glyph per character, left to right: no
 * shaping, no bidirectional reordering), or 0: Hebrew, Arabic, Syriac,
 * Thaana, N'Ko, the Indic scripts, Sinhala, Tibetan, Myanmar, Khmer,
 * Mongolian and the presentation forms. Drawn anyway they would come out
 * as unjoined letters in reverse order: wrong text, not a box. */
uint32_t er_text_unshaped(const char *s, size_t n);

/* The outline of a glyph at `size` points, in points relative to the glyph
 * origin, y growing UPwards (font coordinates), as moves, lines and cubic
 * Béziers (quadratic TrueType segments are raised to cubics exactly). Each
 * contour ends with close. For renderers that draw glyphs as paths. */
typedef struct er_path_sink {
	void *ctx;
	void (*move)(void *ctx, double x, double y);
	void (*line)(void *ctx, double x, double y);
	void (*cubic)(void *ctx, double x1, double y1, double x2, double y2, double x, double y);
	void (*close)(void *ctx);
} er_path_sink;
er_status er_text_outline(er_text *t, int font_id, uint32_t glyph, double size,
                          const er_path_sink *sink);

/* Line-break opportunities of n bytes of UTF-8 (UAX #14, libunibreak):
 * brks[i] for the byte i that ENDS a code point is ER_BREAK_MUST (a break
 * must follow: after a newline), ER_BREAK_ALLOW (a line may end after this
 * code point) or ER_BREAK_NO; continuation bytes get ER_BREAK_INSIDE.
 * brks must hold n entries. Needs no font. */
enum { ER_BREAK_MUST = 0, ER_BREAK_ALLOW = 1, ER_BREAK_NO = 2, ER_BREAK_INSIDE = 3 };
void er_text_breaks(const char *s, size_t n, char *brks);

#endif
