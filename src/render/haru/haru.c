/* haru.c - scenes as the pages of one PDF document, through libharu.
 *
 * Each scene becomes one page of its own size, drawn with libharu's path
 * and text operators (the chart stays vector, its text stays text). Scene
 * coordinates have y growing downwards from the top; PDF's grow upwards
 * from the bottom, so every y is flipped against the page height here.
 *
 * Errors: libharu reports through a handler and keeps the first error in
 * the document, after which every call fails. Our handler only records
 * (it never jumps out of libharu, which would leak and corrupt its state),
 * and the code checks the document after each group of calls, turning an
 * error into a status and one diagnostic that names the libharu code.
 *
 * Text: fonts are the files the text stage chose (layout measured with
 * them), loaded as embedded TrueType with libharu's UTF-8 encoder: a Type0
 * font with Identity-H encoding, whose codes are the text's UTF-16 (BMP
 * only: libharu turns anything above U+FFFF into a space), and a ToUnicode
 * map so that text can be found and copied (2.3.0 writes a broken one,
 * replaced here: write_to_unicode). Each run is one TextOut: libharu has no
 * kerning and neither has the text stage, so the run is as wide as layout
 * measured, up to libharu's widths being rounded to 1/1000 em.
 *
 * Reproducibility: libharu 2.3.0 writes no dates unless asked and no /ID
 * without encryption or PDF/A (both of which would stamp time() into it),
 * and it names embedded fonts HPDFAA+, HPDFAB+, ... in load order: fonts
 * are loaded in the order the pages first use them, which the scenes fix. */
#include "render/haru/haru.h"

#include <hpdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/datetime.h"
#include "common/utf8.h"
#include "render/haru/glyph_forms.h"
#include "render/haru/haru_int.h"

/* libharu writes every real number clamped to +-32767 (HPDF_LIMIT_MAX_REAL):
 * a coordinate beyond that would silently move. */
#define MAX_COORD 32767.0

/* A font file loaded into the document. */
typedef struct font_slot {
	const char *file; /* owned by the text stage */
	int index;        /* face index in a collection */
	HPDF_Font font;
} font_slot;

/* A transparency state, shared by every item with the same alpha. */
typedef struct alpha_slot {
	HPDF_REAL alpha;
	int stroke;
	HPDF_ExtGState gs;
} alpha_slot;

/* The state of one document. */
typedef struct haru_ctx {
	HPDF_Doc pdf;
	er_text *t;
	er_diag_sink *diag;
	HPDF_STATUS err, detail; /* the first error libharu reported through the handler */
	font_slot *fonts;        /* files loaded, in load order */
	size_t nfonts;
	alpha_slot *alphas;
	size_t nalphas;
	HPDF_Font *page_fonts;   /* per font of the scene being drawn; NULL until used */
	int *page_ids;           /* and its text-stage id, once page_fonts[i] is set */
	char *scratch;           /* cleaned-up copies of strings */
	size_t scratch_cap;
	signed char *shapes;     /* per text-stage font id: 1 drawn as outlines, 0 as text,
	                            -1 not yet decided */
	size_t nshapes;
	er_glyph_forms *forms;   /* outlines drawn once per glyph; NULL until needed */
} haru_ctx;

/* ---- errors ------------------------------------------------------------- */

static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	haru_ctx *c = user_data;

	/* Later errors are mostly consequences (every call on a document in
	 * error fails with HPDF_INVALID_DOCUMENT): the first one is the cause. */
	if (c->err == HPDF_OK) {
		c->err = error_no;
		c->detail = detail_no;
	}
}

/* The error libharu is in, if any: the one its handler saw first, else the
 * one it set without calling the handler (some calls only set it). */
static HPDF_STATUS pending(const haru_ctx *c, HPDF_STATUS *detail)
{
	if (c->err != HPDF_OK) {
		*detail = c->detail;
		return c->err;
	}
	*detail = HPDF_GetErrorDetail(c->pdf);
	return HPDF_GetError(c->pdf);
}

/* OK when libharu has reported nothing; else its error as a status, with a
 * diagnostic that says what was being done (printf-style). */
static er_status check(haru_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static er_status check(haru_ctx *c, const char *fmt, ...)
{
	HPDF_STATUS detail, e = pending(c, &detail);
	char what[320];
	va_list ap;

	if (e == HPDF_OK)
		return ER_OK;
	if (e == HPDF_FAILD_TO_ALLOC_MEM)
		return ER_ERR_NOMEM;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	er_diag_emit(c->diag, ER_SEV_ERROR, NULL, 0, 0, "libharu error 0x%04X (detail %u) while %s",
	             (unsigned)e, (unsigned)detail, what);
	return ER_ERR_INTERNAL;
}

/* ---- checks of the input ------------------------------------------------ */

static int coord_ok(double v)
{
	return isfinite(v) && fabs(v) <= MAX_COORD;
}

static int color_ok(er_color c)
{
	return isfinite(c.r) && isfinite(c.g) && isfinite(c.b) && isfinite(c.a);
}

/* A y from the top of a page of height h, as written: from the bottom. */
static int y_ok(double h, double y)
{
	return isfinite(y) && coord_ok(h - y);
}

static int item_ok(const er_scene *s, const er_item *it)
{
	double h = s->height;

	if (!coord_ok(it->x) || !y_ok(h, it->y) || !color_ok(it->color))
		return 0;
	switch (it->kind) {
	case ER_ITEM_RECT:
		return coord_ok(it->w) && coord_ok(it->h) && coord_ok(it->x + it->w) &&
		       y_ok(h, it->y + it->h);
	case ER_ITEM_LINE:
		return coord_ok(it->x2) && y_ok(h, it->y2) && isfinite(it->width);
	case ER_ITEM_TEXT:
		return it->font >= 0 && (size_t)it->font < s->nfonts && it->text != NULL &&
		       isfinite(it->size);
	}
	return 0;
}

static int link_ok(double h, const er_link *l)
{
	return l->uri != NULL && coord_ok(l->x) && y_ok(h, l->y) && coord_ok(l->x + l->w) &&
	       y_ok(h, l->y + l->h);
}

/* Scenes come from layout: something wrong in one is a bug there
 * (ER_ERR_INTERNAL), except a page size PDF cannot have, which a template
 * can ask for (ER_ERR_LIMIT). n: the page number, from 1. */
static er_status check_page(const er_scene *s, size_t n, er_diag_sink *diag)
{
	size_t i;

	if (s == NULL || !isfinite(s->width) || !isfinite(s->height) || !color_ok(s->background)) {
		er_diag_emit(diag, ER_SEV_ERROR, NULL, 0, 0, "page %zu has no valid size", n);
		return ER_ERR_INTERNAL;
	}
	if (s->width < HPDF_MIN_PAGE_SIZE || s->width > HPDF_MAX_PAGE_SIZE ||
	    s->height < HPDF_MIN_PAGE_SIZE || s->height > HPDF_MAX_PAGE_SIZE) {
		er_diag_emit(diag, ER_SEV_ERROR, NULL, 0, 0,
		             "page %zu is %.0f x %.0f pt; a PDF page is %d to %d pt a side", n,
		             s->width, s->height, HPDF_MIN_PAGE_SIZE, HPDF_MAX_PAGE_SIZE);
		return ER_ERR_LIMIT;
	}
	for (i = 0; i < s->nitems; i++) {
		const er_item *it = &s->items[i];
		if (item_ok(s, it))
			continue;
		er_diag_emit(diag, ER_SEV_ERROR, NULL, 0, 0,
		             "page %zu, item %zu (%s): a value is invalid or beyond +-%.0f pt", n,
		             i + 1, it->role ? it->role : "?", MAX_COORD);
		return ER_ERR_INTERNAL;
	}
	for (i = 0; i < s->nlinks; i++)
		if (!link_ok(s->height, &s->links[i])) {
			er_diag_emit(diag, ER_SEV_ERROR, NULL, 0, 0, "page %zu, link %zu: invalid",
			             n, i + 1);
			return ER_ERR_INTERNAL;
		}
	return ER_OK;
}

/* Pages and outline, checked before libharu sees them. *max_fonts
 * receives the largest number of fonts of a scene. */
static er_status check_input(const er_scene *const *pages, size_t npages, const er_outline *outline,
                             size_t noutline, er_diag_sink *diag, size_t *max_fonts)
{
	size_t i;
	er_status st;

	*max_fonts = 0;
	if (npages == 0) {
		er_diag_emit(diag, ER_SEV_ERROR, NULL, 0, 0, "a PDF needs at least one page");
		return ER_ERR_INTERNAL;
	}
	for (i = 0; i < npages; i++) {
		st = check_page(pages[i], i + 1, diag);
		if (st != ER_OK)
			return st;
		if (pages[i]->nfonts > *max_fonts)
			*max_fonts = pages[i]->nfonts;
	}
	for (i = 0; i < noutline; i++)
		if (outline[i].page >= npages || !isfinite(outline[i].y)) {
			er_diag_emit(diag, ER_SEV_ERROR, NULL, 0, 0,
			             "outline entry %zu points at page %zu of %zu", i + 1,
			             outline[i].page + 1, npages);
			return ER_ERR_INTERNAL;
		}
	return ER_OK;
}

/* ---- strings ------------------------------------------------------------ */

static er_status reserve_scratch(haru_ctx *c, size_t n)
{
	char *p;

	if (n <= c->scratch_cap)
		return ER_OK;
	p = realloc(c->scratch, n);
	if (p == NULL)
		return ER_ERR_NOMEM;
	c->scratch = p;
	c->scratch_cap = n;
	return ER_OK;
}

/* Copies n bytes of s into the scratch buffer, each malformed byte as
 * U+FFFD (see clean_utf8), NUL-terminated: *out points there. */
static er_status clean_utf8_n(haru_ctx *c, const char *s, size_t n, const char **out)
{
	size_t i, len, o = 0;
	er_status st;

	if (n > (SIZE_MAX - 1) / 3)
		return ER_ERR_NOMEM;
	st = reserve_scratch(c, n * 3 + 1);
	if (st != ER_OK)
		return st;
	for (i = 0; i < n; i += len) {
		uint32_t cp = er_utf8_decode(s + i, n - i, &len);
		if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
			len = 1, cp = 0xFFFD;
		if (cp == 0xFFFD && len == 1) {
			memcpy(c->scratch + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(c->scratch + o, s + i, len);
			o += len;
		}
	}
	c->scratch[o] = '\0';
	*out = c->scratch;
	return ER_OK;
}

/* libharu's UTF-8 decoder trusts its input. The text stage reads each
 * malformed byte as U+FFFD (overlong forms, surrogates and values above
 * U+10FFFF included, as er_utf8_valid judges them), so the PDF gets U+FFFD
 * in its place too. *out is s itself when it is valid, else a copy in the
 * scratch buffer. */
static er_status clean_utf8(haru_ctx *c, const char *s, const char **out)
{
	size_t n = strlen(s);

	*out = s;
	if (er_utf8_valid(s, n, NULL))
		return ER_OK;
	return clean_utf8_n(c, s, n, out);
}

/* A URI action holds 7-bit ASCII (ISO 32000-1, 12.6.4.7): other bytes and
 * spaces are percent-encoded; *out is uri itself when nothing needs it. */
static er_status ascii_uri(haru_ctx *c, const char *uri, const char **out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(uri), i, o = 0;
	er_status st;

	*out = uri;
	for (i = 0; i < n; i++)
		if ((unsigned char)uri[i] <= 0x20 || (unsigned char)uri[i] >= 0x7F)
			break;
	if (i == n)
		return ER_OK;
	if (n > (SIZE_MAX - 1) / 3)
		return ER_ERR_NOMEM;
	st = reserve_scratch(c, n * 3 + 1);
	if (st != ER_OK)
		return st;
	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)uri[i];
		if (b <= 0x20 || b >= 0x7F) {
			c->scratch[o++] = '%';
			c->scratch[o++] = hex[b >> 4];
			c->scratch[o++] = hex[b & 15];
		} else {
			c->scratch[o++] = (char)b;
		}
	}
	c->scratch[o] = '\0';
	*out = c->scratch;
	return ER_OK;
}

/* ---- fonts -------------------------------------------------------------- */

static int ends_with_ci(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail), i;

	if (n < k)
		return 0;
	for (i = 0; i < k; i++) {
		char a = s[n - k + i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != tail[i])
			return 0;
	}
	return 1;
}

/* A font file libharu cannot embed is a configuration problem the user can
 * fix (another font family), not a bug: ER_ERR_DATA, with the reason. */
static er_status font_error(haru_ctx *c, const char *file)
{
	HPDF_STATUS detail, e = pending(c, &detail);
	const char *why;
	er_status st;

	switch (e) {
	case HPDF_TTF_MISSING_TABLE:
		why = "it has no TrueType outlines (glyf table); libharu cannot embed CFF-based "
		      "OpenType fonts";
		break;
	case HPDF_TTF_CANNOT_EMBEDDING_FONT:
		why = "its licence flags forbid embedding";
		break;
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_INVALID_CMAP:
	case HPDF_INVALID_TTC_FILE:
	case HPDF_INVALID_TTC_INDEX:
		why = "libharu cannot read it as a TrueType font";
		break;
	case HPDF_FILE_OPEN_ERROR:
	case HPDF_FILE_IO_ERROR:
		why = "it cannot be read";
		break;
	default:
		st = check(c, "loading the font file \"%s\"", file);
		/* No font and no error would be a libharu bug. */
		return st != ER_OK ? st : ER_ERR_INTERNAL;
	}
	er_diag_emit(c->diag, ER_SEV_ERROR, NULL, 0, 0,
	             "cannot embed the font file \"%s\" in the PDF: %s (libharu error 0x%04X, "
	             "detail %u)",
	             file, why, (unsigned)e, (unsigned)detail);
	return ER_ERR_DATA;
}

#if ER_HARU_OBJECT_API
/* Writes the /ToUnicode CMap of a Type0 font loaded with the UTF-8 encoder.
 * libharu 2.3.0 writes there a copy of the encoding CMap (a "begincidrange"
 * from codes to CIDs), which is no ToUnicode map at all: poppler warns about
 * it on every page, and readers that trust it cannot copy or search. With
 * the UTF-8 encoder a code is the UTF-16 code unit of a BMP character (the
 * encoding is Identity-H, CIDToGIDMap goes on to the glyph), so the right
 * map is the identity: 256 ranges of one high byte each (a bfrange may not
 * cross one), less the surrogates, in blocks of at most 100. */
static HPDF_STATUS write_to_unicode(HPDF_Font font)
{
	static const char head[] =
		"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
	static const char tail[] =
		"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
	static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
	HPDF_Dict map;
	HPDF_STATUS ret;
	char line[64];
	const int total = 256 - 8; /* ranges: every high byte but the surrogates' */
	int hi, done = 0, left = 0;
	size_t i;

	/* Only the font this code makes: an Identity-H name as its encoding. */
	if (HPDF_Dict_GetItem(font, "Encoding", HPDF_OCLASS_NAME) == NULL)
		return HPDF_OK;
	map = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
	if (map == NULL || map->stream == NULL)
		return HPDF_OK;
	for (i = 0; i < sizeof drop / sizeof drop[0]; i++)
		HPDF_Dict_RemoveElement(map, drop[i]); /* absent is fine */
	HPDF_MemStream_FreeData(map->stream);
	ret = HPDF_Stream_WriteStr(map->stream, head);
	for (hi = 0; hi < 256 && ret == HPDF_OK; hi++) {
		if (hi >= 0xD8 && hi <= 0xDF)
			continue;
		if (left == 0) {
			left = total - done < 100 ? total - done : 100;
			snprintf(line, sizeof line, "%s%d beginbfrange\n",
			         done > 0 ? "endbfrange\n" : "", left);
			ret = HPDF_Stream_WriteStr(map->stream, line);
		}
		snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
		if (ret == HPDF_OK)
			ret = HPDF_Stream_WriteStr(map->stream, line);
		left--;
		done++;
	}
	if (ret == HPDF_OK)
		ret = HPDF_Stream_WriteStr(map->stream, "endbfrange\n");
	if (ret == HPDF_OK)
		ret = HPDF_Stream_WriteStr(map->stream, tail);
	return ret;
}
#endif

/* The libharu font of a text-stage font id: its file loaded (embedded) once
 * per document, in the order of first use. */
static er_status load_font(haru_ctx *c, int id, HPDF_Font *out)
{
	int index = 0;
	const char *file = er_text_font_file(c->t, id, &index), *name;
	font_slot *slots;
	HPDF_Font font;
	size_t i;
	er_status st;

	*out = NULL;
	if (file == NULL)
		return ER_ERR_INTERNAL;
	for (i = 0; i < c->nfonts; i++)
		if (c->fonts[i].index == index && strcmp(c->fonts[i].file, file) == 0) {
			*out = c->fonts[i].font;
			return ER_OK;
		}
	slots = realloc(c->fonts, (c->nfonts + 1) * sizeof *slots);
	if (slots == NULL)
		return ER_ERR_NOMEM;
	c->fonts = slots;
	/* A collection needs the face index even for its first face. */
	if (index > 0 || ends_with_ci(file, ".ttc") || ends_with_ci(file, ".otc"))
		name = HPDF_LoadTTFontFromFile2(c->pdf, file, (HPDF_UINT)index, HPDF_TRUE);
	else
		name = HPDF_LoadTTFontFromFile(c->pdf, file, HPDF_TRUE);
	if (name == NULL)
		return font_error(c, file);
	font = HPDF_GetFont(c->pdf, name, "UTF-8");
#if ER_HARU_OBJECT_API
	if (font != NULL)
		write_to_unicode(font); /* a failure is recorded in the document */
#endif
	st = check(c, "loading the font file \"%s\"", file);
	if (st != ER_OK)
		return st;
	if (font == NULL)
		return ER_ERR_INTERNAL;
	slots[c->nfonts].file = file;
	slots[c->nfonts].index = index;
	slots[c->nfonts].font = font;
	c->nfonts++;
	*out = font;
	return ER_OK;
}

/* The libharu font of scene font `i` of the page being drawn, and its
 * text-stage id. */
static er_status scene_font(haru_ctx *c, const er_scene *s, int i, HPDF_Font *out, int *id)
{
	const er_scene_font *f = &s->fonts[i];
	er_status st;

	if (c->page_fonts[i] == NULL) {
		/* A missing family is ER_ERR_DATA, reported through t's sink. */
		st = er_text_font(c->t, f->family, f->bold, f->italic, &c->page_ids[i]);
		if (st != ER_OK)
			return st;
		st = load_font(c, c->page_ids[i], &c->page_fonts[i]);
		if (st != ER_OK)
			return st;
	}
	*out = c->page_fonts[i];
	*id = c->page_ids[i];
	return ER_OK;
}

/* ---- colour ------------------------------------------------------------- */

static HPDF_REAL unit(double v)
{
	return (HPDF_REAL)(v < 0 ? 0 : v > 1 ? 1 : v);
}

/* The shared transparency state for a fill or stroke alpha. */
static er_status alpha_state(haru_ctx *c, HPDF_REAL alpha, int stroke, HPDF_ExtGState *out)
{
	alpha_slot *slots;
	HPDF_ExtGState gs;
	size_t i;
	er_status st;

	for (i = 0; i < c->nalphas; i++)
		if (c->alphas[i].alpha == alpha && c->alphas[i].stroke == stroke) {
			*out = c->alphas[i].gs;
			return ER_OK;
		}
	slots = realloc(c->alphas, (c->nalphas + 1) * sizeof *slots);
	if (slots == NULL)
		return ER_ERR_NOMEM;
	c->alphas = slots;
	gs = HPDF_CreateExtGState(c->pdf);
	if (gs != NULL) {
		if (stroke)
			HPDF_ExtGState_SetAlphaStroke(gs, alpha);
		else
			HPDF_ExtGState_SetAlphaFill(gs, alpha);
	}
	st = check(c, "creating a transparency state");
	if (st == ER_OK && gs == NULL)
		st = ER_ERR_INTERNAL;
	if (st != ER_OK)
		return st;
	slots[c->nalphas].alpha = alpha;
	slots[c->nalphas].stroke = stroke;
	slots[c->nalphas].gs = gs;
	c->nalphas++;
	*out = gs;
	return ER_OK;
}

/* Sets the fill (or stroke) colour for what follows. A translucent colour
 * also sets a transparency state inside a saved graphics state, which the
 * caller restores when *saved is set. Only outside text objects. */
static er_status set_color(haru_ctx *c, HPDF_Page page, er_color col, int stroke, int *saved)
{
	HPDF_REAL a = unit(col.a);
	HPDF_ExtGState gs;
	er_status st;

	*saved = 0;
	if (a < 1) {
		st = alpha_state(c, a, stroke, &gs);
		if (st != ER_OK)
			return st;
		HPDF_Page_GSave(page);
		HPDF_Page_SetExtGState(page, gs);
		*saved = 1;
	}
	if (stroke)
		HPDF_Page_SetRGBStroke(page, unit(col.r), unit(col.g), unit(col.b));
	else
		HPDF_Page_SetRGBFill(page, unit(col.r), unit(col.g), unit(col.b));
	return ER_OK;
}

/* ---- drawing ------------------------------------------------------------ */

static er_status fill_rect(haru_ctx *c, HPDF_Page page, double height, double x, double y,
                           double w, double h, er_color col)
{
	int saved;
	er_status st;

	if (!(col.a > 0))
		return ER_OK;
	st = set_color(c, page, col, 0, &saved);
	if (st != ER_OK)
		return st;
	HPDF_Page_Rectangle(page, (HPDF_REAL)x, (HPDF_REAL)(height - y - h), (HPDF_REAL)w,
	                    (HPDF_REAL)h);
	HPDF_Page_Fill(page);
	if (saved)
		HPDF_Page_GRestore(page);
	return ER_OK;
}

static er_status stroke_line(haru_ctx *c, HPDF_Page page, double height, const er_item *it)
{
	int saved;
	er_status st;

	if (!(it->width > 0) || !(it->color.a > 0))
		return ER_OK;
	st = set_color(c, page, it->color, 1, &saved);
	if (st != ER_OK)
		return st;
	HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->width);
	HPDF_Page_MoveTo(page, (HPDF_REAL)it->x, (HPDF_REAL)(height - it->y));
	HPDF_Page_LineTo(page, (HPDF_REAL)it->x2, (HPDF_REAL)(height - it->y2));
	HPDF_Page_Stroke(page);
	if (saved)
		HPDF_Page_GRestore(page);
	return ER_OK;
}

/* ---- text --------------------------------------------------------------- */

/* Whether a font's glyphs are drawn as outlines rather than as text.
 * libharu 2.3.0 embeds TrueType fonts as subsets and, with CJK fonts, its
 * subsetter drops glyphs: with WenQuanYi Micro Hei "人工智能的环境影响"
 * showed only its first two ideographs, with Droid Sans Fallback several
 * were blank, while the text still extracted right. So the glyphs of a
 * font with CJK characters are drawn as filled outlines from FreeType (the
 * shapes cairo draws), with the text laid over them invisibly for search
 * and copy. Fonts libharu cannot load at all (CFF-based OpenType, which
 * fontconfig may find for a rare character) go the same way. Fonts of the
 * Latin kind stay text: smaller files, and their subsets are faithful.
 * Without the object API (libharu 2.4, whose subsetter is fixed) all is
 * text. */
static er_status shapes_of(haru_ctx *c, int id, int *out)
{
	size_t n = (size_t)id + 1, i;
	const char *file;
	int index = 0;

	if (n > c->nshapes) {
		signed char *p = realloc(c->shapes, n);
		if (p == NULL)
			return ER_ERR_NOMEM;
		for (i = c->nshapes; i < n; i++)
			p[i] = -1;
		c->shapes = p;
		c->nshapes = n;
	}
	if (c->shapes[id] < 0) {
		file = er_text_font_file(c->t, id, &index);
		c->shapes[id] = (signed char)(er_text_covers(c->t, id, "\u4e00", 3) ||
		                              er_text_covers(c->t, id, "\u3042", 3) ||
		                              er_text_covers(c->t, id, "\uac00", 3) ||
		                              !(ends_with_ci(file, ".ttf") || ends_with_ci(file, ".ttc")));
	}
	*out = c->shapes[id];
	return ER_OK;
}

/* Text in one font from (x, y), its width scaled by hscale percent (100:
 * as the font says). Inside its own text object: no path operator may
 * come between BeginText and EndText. */
static void text_out(HPDF_Page page, HPDF_Font font, double size, HPDF_REAL x, HPDF_REAL y,
                     double hscale, const char *text)
{
	double k;

	HPDF_Page_BeginText(page);
	if (hscale != 100)
		HPDF_Page_SetHorizontalScalling(page, (HPDF_REAL)hscale);
	if (size <= HPDF_MAX_FONTSIZE) {
		HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)size);
		HPDF_Page_TextOut(page, x, y, text);
	} else {
		/* libharu refuses sizes above 600 pt: scale the text space instead. */
		k = ceil(size / HPDF_MAX_FONTSIZE);
		HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)(size / k));
		HPDF_Page_SetTextMatrix(page, (HPDF_REAL)k, 0, 0, (HPDF_REAL)k, x, y);
		HPDF_Page_ShowText(page, text);
	}
	if (hscale != 100)
		HPDF_Page_SetHorizontalScalling(page, 100);
	HPDF_Page_EndText(page);
}

/* Where a glyph goes, to 1/100 pt (a 7200 dpi grid): all the precision a
 * glyph's place needs, in fewer digits than libharu's five decimals. */
static HPDF_REAL at(double v)
{
	return (HPDF_REAL)(round(v * 100) / 100);
}

/* A run drawn as glyph outlines (each glyph a form XObject, made once per
 * document and placed where it occurs), then its text invisibly in
 * `cover` (the item's own font: the shapes of an invisible text do not
 * matter, its characters do, and the ToUnicode map written here maps
 * every code to its character), stretched to the run's width so that a
 * selection covers the glyphs. */
static er_status shapes_run(haru_ctx *c, HPDF_Page page, const er_item *it, HPDF_Font cover,
                            const er_text_run *r, double x, double y, int embolden)
{
	er_glyph *g = NULL;
	const char *text;
	size_t count = 0, i;
	double w, hscale = 100, k = it->size / ER_GLYPH_FORM_UNITS;
	er_status st;

	st = er_text_glyphs(c->t, r->font_id, it->size, it->text + r->start, r->len, &g, &count);
	if (st == ER_OK && c->forms == NULL)
		st = er_glyph_forms_new(&c->forms);
	for (i = 0; i < count && st == ER_OK; i++) {
		HPDF_XObject form;
		st = er_glyph_forms_get(c->forms, c->pdf, c->t, r->font_id, g[i].index, embolden, &form);
		if (st != ER_OK || form == NULL)
			continue;
		HPDF_Page_GSave(page);
		HPDF_Page_Concat(page, (HPDF_REAL)k, 0, 0, (HPDF_REAL)k, at(x + r->x + g[i].x), at(y));
		HPDF_Page_ExecuteXObject(page, form);
		HPDF_Page_GRestore(page);
	}
	free(g);
	if (st == ER_ERR_INTERNAL) {
		er_status e = check(c, "drawing glyph outlines");
		st = e != ER_OK ? e : ER_ERR_INTERNAL;
	}
	if (st != ER_OK)
		return st;
	st = clean_utf8_n(c, it->text + r->start, r->len, &text);
	if (st != ER_OK)
		return st;
	HPDF_Page_SetFontAndSize(page, cover, (HPDF_REAL)fmin(it->size, HPDF_MAX_FONTSIZE));
	w = HPDF_Page_TextWidth(page, text) * (it->size > HPDF_MAX_FONTSIZE
	                                           ? it->size / HPDF_MAX_FONTSIZE : 1);
	if (w > 0 && r->width > 0) {
		hscale = r->width / w * 100;
		/* libharu's range; beyond it the selection is merely off. */
		hscale = fmax(HPDF_MIN_HORIZONTALSCALING, fmin(HPDF_MAX_HORIZONTALSCALING, hscale));
	}
	HPDF_Page_SetTextRenderingMode(page, HPDF_INVISIBLE);
	text_out(page, cover, it->size, (HPDF_REAL)(x + r->x), (HPDF_REAL)y, hscale, text);
	HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
	return ER_OK;
}

/* Whether n bytes of UTF-8 hold a character above U+FFFF: libharu's
 * UTF-8 encoder writes those as spaces, so such runs are drawn as shapes. */
static int astral(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0xF0)
			return 1;
	return 0;
}

/* A text item, run by run in the fonts the text stage chose (its own and
 * fallbacks for characters it lacks): text where libharu embeds the font
 * faithfully, outlines where it does not (shapes_of). */
static er_status draw_text(haru_ctx *c, HPDF_Page page, const er_scene *s, const er_item *it)
{
	double x = it->x, y = s->height - it->y;
	const er_scene_font *sf = &s->fonts[it->font];
	er_text_run *runs = NULL;
	const char *text;
	HPDF_Font primary, font;
	size_t count = 0, i;
	int saved = 0, id, shapes;
	er_status st;

	if (it->text[0] == '\0' || !(it->size > 0) || !(it->color.a > 0))
		return ER_OK;
	st = scene_font(c, s, it->font, &primary, &id);
	if (st == ER_OK)
		st = er_text_runs(c->t, id, it->size, it->text, strlen(it->text), &runs, &count);
	/* The colour first: a transparency state cannot be set in a text object. */
	if (st == ER_OK)
		st = set_color(c, page, it->color, 0, &saved);
	for (i = 0; i < count && st == ER_OK; i++) {
		const er_text_run *r = &runs[i];
		st = shapes_of(c, r->font_id, &shapes);
		if (st != ER_OK)
			break;
		if (ER_HARU_OBJECT_API && (shapes || astral(it->text + r->start, r->len))) {
			/* Bold text in a face without bold: the outline also stroked,
			 * in the text's colour, as cairo emboldens it. */
			int embolden = er_text_embolden(c->t, sf->bold, r->font_id), saved2 = 0;
			if (embolden)
				st = set_color(c, page, it->color, 1, &saved2);
			if (st == ER_OK)
				st = shapes_run(c, page, it, primary, r, x, y, embolden);
			if (saved2)
				HPDF_Page_GRestore(page);
			continue;
		}
		font = primary;
		if (r->font_id != id)
			st = load_font(c, r->font_id, &font);
		if (st == ER_OK && count == 1)
			st = clean_utf8(c, it->text, &text);
		else if (st == ER_OK)
			st = clean_utf8_n(c, it->text + r->start, r->len, &text);
		if (st == ER_OK)
			text_out(page, font, it->size, (HPDF_REAL)(x + r->x), (HPDF_REAL)y, 100, text);
	}
	if (saved)
		HPDF_Page_GRestore(page);
	free(runs);
	return st;
}

static er_status add_link(haru_ctx *c, HPDF_Page page, double height, const er_link *l)
{
	HPDF_Rect r;
	HPDF_Annotation a;
	const char *uri;
	er_status st;

	st = ascii_uri(c, l->uri, &uri);
	if (st != ER_OK)
		return st;
	r.left = (HPDF_REAL)fmin(l->x, l->x + l->w);
	r.right = (HPDF_REAL)fmax(l->x, l->x + l->w);
	r.bottom = (HPDF_REAL)(height - fmax(l->y, l->y + l->h));
	r.top = (HPDF_REAL)(height - fmin(l->y, l->y + l->h));
	a = HPDF_Page_CreateURILinkAnnot(page, r, uri);
	/* No border: the link is the text or area beneath it, as in a browser. */
	if (a != NULL)
		HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
	return ER_OK;
}

static er_status draw_page(haru_ctx *c, const er_scene *s, size_t n)
{
	HPDF_Page page;
	size_t i;
	er_status st;

	page = HPDF_AddPage(c->pdf);
	if (page != NULL) {
		HPDF_Page_SetWidth(page, (HPDF_REAL)s->width);
		HPDF_Page_SetHeight(page, (HPDF_REAL)s->height);
	}
	st = check(c, "adding page %zu", n + 1);
	if (st == ER_OK && page == NULL)
		st = ER_ERR_INTERNAL;
	if (st != ER_OK)
		return st;
	for (i = 0; i < s->nfonts; i++)
		c->page_fonts[i] = NULL;
	st = fill_rect(c, page, s->height, 0, 0, s->width, s->height, s->background);
	if (st == ER_OK)
		st = check(c, "drawing the background of page %zu", n + 1);
	/* The caps cairo draws with, so that the ends of lines match. */
	if (st == ER_OK) {
		HPDF_Page_SetLineCap(page, HPDF_BUTT_END);
		st = check(c, "drawing page %zu", n + 1);
	}
	for (i = 0; i < s->nitems && st == ER_OK; i++) {
		const er_item *it = &s->items[i];
		switch (it->kind) {
		case ER_ITEM_RECT:
			st = fill_rect(c, page, s->height, it->x, it->y, it->w, it->h, it->color);
			break;
		case ER_ITEM_LINE:
			st = stroke_line(c, page, s->height, it);
			break;
		case ER_ITEM_TEXT:
			st = draw_text(c, page, s, it);
			break;
		}
		if (st == ER_OK)
			st = check(c, "drawing item %zu (%s) of page %zu", i + 1,
			           it->role ? it->role : "?", n + 1);
	}
	for (i = 0; i < s->nlinks && st == ER_OK; i++) {
		st = add_link(c, page, s->height, &s->links[i]);
		if (st == ER_OK)
			st = check(c, "adding link %zu of page %zu", i + 1, n + 1);
	}
	return st;
}

/* ---- outline ------------------------------------------------------------ */

/* Points dst at (left, top) on its page, keeping the reader's zoom. PDF
 * writes that as [page /XYZ left top null] (a zoom of 0 means the same), but
 * HPDF_Destination_SetXYZ refuses any zoom outside 0.08..32 with
 * HPDF_INVALID_PARAMETER. Where the object API is public (2.3.0) the array
 * is written by hand after SetXYZ has checked the rest; elsewhere zoom 1. */
static void set_xyz(HPDF_Destination dst, HPDF_REAL left, HPDF_REAL top)
{
	if (HPDF_Destination_SetXYZ(dst, left, top, 1) != HPDF_OK)
		return;
#if ER_HARU_OBJECT_API
	{
		void *target = HPDF_Array_GetItem(dst, 0, HPDF_OCLASS_DICT);
		if (target == NULL)
			return;
		HPDF_Array_Clear(dst);
		if (HPDF_Array_Add(dst, target) != HPDF_OK ||
		    HPDF_Array_AddName(dst, "XYZ") != HPDF_OK ||
		    HPDF_Array_AddReal(dst, left) != HPDF_OK ||
		    HPDF_Array_AddReal(dst, top) != HPDF_OK)
			return;
		/* On failure Array_Add records the error in the document. */
		HPDF_Array_Add(dst, HPDF_Null_New(dst->mmgr));
	}
#endif
}

static er_status add_outline(haru_ctx *c, const er_scene *const *pages, const er_outline *outline,
                             size_t noutline)
{
	HPDF_Outline *parents = NULL; /* parents[l]: the last entry at level l */
	HPDF_Encoder utf8;
	size_t i, depth = 0;
	er_status st = ER_OK;

	if (noutline == 0)
		return ER_OK;
	parents = calloc(noutline, sizeof *parents);
	if (parents == NULL)
		return ER_ERR_NOMEM;
	utf8 = HPDF_GetEncoder(c->pdf, "UTF-8");
	st = check(c, "setting up the outline");
	for (i = 0; i < noutline && st == ER_OK; i++) {
		const er_outline *e = &outline[i];
		double h = pages[e->page]->height;
		size_t level = e->level > 0 ? (size_t)e->level : 0;
		HPDF_Outline o;
		HPDF_Page page;
		HPDF_Destination dst;
		const char *title;

		/* A level deeper than one below the previous entry hangs from it. */
		if (level > depth)
			level = depth;
		st = clean_utf8(c, e->title ? e->title : "", &title);
		if (st != ER_OK)
			break;
		o = HPDF_CreateOutline(c->pdf, level > 0 ? parents[level - 1] : NULL, title, utf8);
		page = HPDF_GetPageByIndex(c->pdf, (HPDF_UINT)e->page);
		if (o != NULL && page != NULL) {
			HPDF_Outline_SetOpened(o, HPDF_TRUE);
			dst = HPDF_Page_CreateDestination(page);
			if (dst != NULL) {
				set_xyz(dst, 0, (HPDF_REAL)fmin(h, fmax(0, h - e->y)));
				HPDF_Outline_SetDestination(o, dst);
			}
		}
		st = check(c, "adding outline entry %zu", i + 1);
		if (st == ER_OK && (o == NULL || page == NULL))
			st = ER_ERR_INTERNAL;
		parents[level] = o;
		depth = level + 1;
	}
	free(parents);
	return st;
}

/* ---- metadata ----------------------------------------------------------- */

static er_status info(haru_ctx *c, HPDF_InfoType type, const char *value)
{
	const char *v;
	er_status st;

	if (value == NULL)
		return ER_OK;
	st = clean_utf8(c, value, &v);
	if (st != ER_OK)
		return st;
	HPDF_SetInfoAttr(c->pdf, type, v);
	return check(c, "writing the document information");
}

/* Seconds since 1970 as a UTC date for libharu, clamped to years
 * 1970-9999; computed without the C library's time zone state. */
static HPDF_Date utc_date(long long epoch)
{
	const long long max = 253402300799LL; /* 9999-12-31T23:59:59Z */
	HPDF_Date d;
	int64_t y;
	int us;

	if (epoch > max)
		epoch = max;
	memset(&d, 0, sizeof d);
	er_time_fields((int64_t)epoch * 1000000, &y, &d.month, &d.day, &d.hour, &d.minutes,
	               &d.seconds, &us);
	d.year = (HPDF_INT)y;
	/* libharu writes 'Z' followed by 00'00', which PDF readers accept. */
	d.ind = 'Z';
	return d;
}

static er_status set_meta(haru_ctx *c, const er_pdf_meta *m)
{
	er_status st;

	if (m == NULL)
		return ER_OK;
	if ((st = info(c, HPDF_INFO_TITLE, m->title)) != ER_OK ||
	    (st = info(c, HPDF_INFO_AUTHOR, m->author)) != ER_OK ||
	    (st = info(c, HPDF_INFO_SUBJECT, m->subject)) != ER_OK ||
	    (st = info(c, HPDF_INFO_KEYWORDS, m->keywords)) != ER_OK ||
	    (st = info(c, HPDF_INFO_CREATOR, m->creator)) != ER_OK)
		return st;
	if (m->epoch >= 0) {
		HPDF_Date d = utc_date(m->epoch);
		HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_CREATION_DATE, d);
		HPDF_SetInfoDateAttr(c->pdf, HPDF_INFO_MOD_DATE, d);
		st = check(c, "writing the document dates");
	}
	return st;
}

/* ---- the document ------------------------------------------------------- */

static er_status ctx_init(haru_ctx *c, er_text *t, er_diag_sink *diag, size_t max_fonts)
{
	memset(c, 0, sizeof *c);
	c->t = t;
	c->diag = diag;
	if (max_fonts > 0) {
		c->page_fonts = calloc(max_fonts, sizeof *c->page_fonts);
		c->page_ids = calloc(max_fonts, sizeof *c->page_ids);
		if (c->page_fonts == NULL || c->page_ids == NULL)
			return ER_ERR_NOMEM;
	}
	c->pdf = HPDF_New(on_error, c);
	/* HPDF_New fails only when memory runs out. */
	if (c->pdf == NULL)
		return ER_ERR_NOMEM;
	HPDF_UseUTFEncodings(c->pdf);
	/* Info strings (title, author) then go out as UTF-16. */
	HPDF_SetCurrentEncoder(c->pdf, "UTF-8");
	return check(c, "setting up the document");
}

static void ctx_fini(haru_ctx *c)
{
	HPDF_Free(c->pdf);
	free(c->fonts);
	free(c->alphas);
	free(c->page_fonts);
	free(c->page_ids);
	free(c->scratch);
	free(c->shapes);
	er_glyph_forms_free(c->forms);
}

/* Writes the document into libharu's memory stream and copies it out. */
static er_status save(haru_ctx *c, er_buf *out)
{
	HPDF_UINT32 size, got = 0;
	er_status st;

	HPDF_SaveToStream(c->pdf);
	st = check(c, "writing the document");
	if (st != ER_OK)
		return st;
	size = HPDF_GetStreamSize(c->pdf);
	HPDF_ResetStream(c->pdf);
	st = check(c, "reading the document back");
	if (st != ER_OK)
		return st;
	st = er_buf_reserve(out, size);
	if (st != ER_OK)
		return st;
	/* Exactly the size written: asking for more ends in HPDF_STREAM_EOF,
	 * which libharu reports as an error. */
	while (got < size) {
		HPDF_UINT32 n = size - got;
		HPDF_ReadFromStream(c->pdf, (HPDF_BYTE *)out->data + out->len, &n);
		st = check(c, "reading the document back");
		if (st != ER_OK)
			return st;
		if (n == 0)
			return ER_ERR_INTERNAL;
		out->len += n;
		got += n;
	}
	out->data[out->len] = '\0';
	return ER_OK;
}

er_status er_haru_render(const er_scene *const *pages, size_t npages, const er_outline *outline,
                         size_t noutline, const er_pdf_meta *meta, er_text *t, er_diag_sink *diag,
                         er_buf *out)
{
	size_t start = out->len, max_fonts, i;
	haru_ctx c;
	er_status st;

	memset(&c, 0, sizeof c);
	st = check_input(pages, npages, outline, noutline, diag, &max_fonts);
	if (st != ER_OK)
		return st;
	st = ctx_init(&c, t, diag, max_fonts);
	if (st == ER_OK) {
		HPDF_SetCompressionMode(c.pdf, HPDF_COMP_ALL);
		if (noutline > 0)
			HPDF_SetPageMode(c.pdf, HPDF_PAGE_MODE_USE_OUTLINE);
		st = check(&c, "setting up the document");
	}
	if (st == ER_OK)
		st = set_meta(&c, meta);
	for (i = 0; i < npages && st == ER_OK; i++)
		st = draw_page(&c, pages[i], i);
	if (st == ER_OK)
		st = add_outline(&c, pages, outline, noutline);
	if (st == ER_OK)
		st = save(&c, out);
	ctx_fini(&c);
	if (st != ER_OK && out->data != NULL) {
		/* A failed render leaves nothing of itself in the caller's buffer. */
		out->len = start;
		out->data[start] = '\0';
	}
	return st;
}

er_status er_haru_text_width(er_text *t, const char *family, int bold, int italic, double size,
                             const char *s, er_diag_sink *diag, double *width)
{
	double at = size > HPDF_MAX_FONTSIZE ? HPDF_MAX_FONTSIZE : size;
	const char *text;
	HPDF_Font font = NULL;
	HPDF_Page page;
	HPDF_REAL w;
	haru_ctx c;
	int id;
	er_status st;

	*width = 0;
	if (!(size > 0))
		return ER_OK;
	st = ctx_init(&c, t, diag, 0);
	if (st == ER_OK)
		st = er_text_font(t, family, bold, italic, &id);
	if (st == ER_OK)
		st = load_font(&c, id, &font);
	if (st == ER_OK)
		st = clean_utf8(&c, s, &text);
	if (st == ER_OK) {
		page = HPDF_AddPage(c.pdf);
		HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)at);
		w = HPDF_Page_TextWidth(page, text);
		st = check(&c, "measuring text");
		if (st == ER_OK)
			*width = (double)w * (size / at);
	}
	ctx_fini(&c);
	return st;
}
