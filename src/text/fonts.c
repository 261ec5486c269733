/* fonts.c - finding font files through fontconfig and loading them with FreeType.
 *
 * fontconfig always answers with *some* font: asked for a family it does not
 * have, it substitutes the nearest one it knows. A chart drawn in a silently
 * different font would lay out differently on another machine, so a match
 * counts only when the family it found is the one that was asked for; other
 * answers become a diagnostic that names the Debian package to install. */
#include "text_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/buf.h"
#include "../common/util.h"

er_font *er_text_font_get(const er_text *t, int font_id)
{
	if (t == NULL || font_id < 0 || (size_t)font_id >= t->nfonts)
		return NULL;
	return &t->fonts[font_id];
}

/* Loads the private configuration if it is not loaded yet. */
er_status er_text_load_fontconfig(er_text *t)
{
	struct timespec started;
	int timed;

	if (t->fc != NULL)
		return ER_OK;
	if (t->fc_failed)
		goto failed;
	/* A private configuration, destroyed with the registry. It costs a few
	 * milliseconds to load (so make one registry per run, not per chart,
	 * and keep a cache), but fontconfig's shared one is only released by
	 * FcFini, which would pull it from under other users, and leaks a
	 * block when left alone. The time is taken first: what changes from
	 * then on may not be in fontconfig's answers (see er_fcache_stamp). */
	timed = clock_gettime(CLOCK_REALTIME, &started) == 0;
	t->fc = FcInitLoadConfigAndFonts();
	if (t->fc == NULL) {
		t->fc_failed = 1; /* not tried again: it would fail the same way */
		goto failed;
	}
	/* What the answers asked from now on depend on. */
	er_fcache_stamp(t->cache, t->fc, timed ? &started : NULL);
	return ER_OK;
failed:
	/* With a cache this happens lazily, in the middle of measuring a
	 * chart, not in er_text_new: each sink that gets ER_ERR_INTERNAL back
	 * is told why, once (a batch sets one sink per job). */
	if (!t->fc_told) {
		er_diag_emit(t->diag, ER_SEV_ERROR, NULL, 0, 0,
		             "fontconfig could not load its configuration (see fc-cache -v)");
		t->fc_told = 1;
	}
	return ER_ERR_INTERNAL;
}

er_status er_text_new_cached(er_diag_sink *diag, const char *cache_path, er_text **out)
{
	er_text *t;
	FT_Error fe;
	er_status st = ER_OK;

	*out = NULL;
	t = calloc(1, sizeof *t);
	if (t == NULL)
		return ER_ERR_NOMEM;
	t->diag = diag;
	fe = FT_Init_FreeType(&t->ft);
	if (fe != 0) {
		t->ft = NULL;
		st = fe == FT_Err_Out_Of_Memory ? ER_ERR_NOMEM : ER_ERR_INTERNAL;
		goto done;
	}
	if (cache_path != NULL) {
		FT_Int major = 0, minor = 0, patch = 0;
		/* fontconfig waits for a question the file cannot answer. Without
		 * memory for the cache, it waits all the same, just uncached.
		 * Answers depend on FreeType too (whether a face loads, whether
		 * it has the glyph): another version ignores the file. */
		FT_Library_Version(t->ft, &major, &minor, &patch);
		t->cache = er_fcache_open(cache_path, (long)major * 10000 + minor * 100 + patch);
	} else {
		st = er_text_load_fontconfig(t);
	}
done:
	if (st != ER_OK) {
		er_text_free(t);
		return st;
	}
	*out = t;
	return ER_OK;
}

er_status er_text_new(er_diag_sink *diag, er_text **out)
{
	return er_text_new_cached(diag, NULL, out);
}

er_status er_text_cache_path(const char *setting, const char *xdg_cache_home, const char *home,
                             char **out)
{
	*out = NULL;
	if (setting != NULL && setting[0] != '\0') {
		if (strcmp(setting, "off") == 0)
			return ER_OK;
		*out = er_strdup(setting);
		return *out != NULL ? ER_OK : ER_ERR_NOMEM;
	}
	return er_fcache_user_path(xdg_cache_home, home, ".cache/", "ecoreport/fonts.cache", out);
}

void er_text_save_cache(er_text *t)
{
	if (t != NULL)
		er_fcache_save(t->cache);
}

int er_text_fontconfig_loaded(const er_text *t)
{
	return t != NULL && t->fc != NULL;
}

int er_text_cache_warm(const er_text *t)
{
	return t != NULL && er_fcache_warm(t->cache);
}

void er_text_free(er_text *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nfonts; i++) {
		er_font *f = &t->fonts[i];
		er_font_cache_free(f);
		FT_Done_Face(f->face);
		free(f->file);
		free(f->family);
	}
	free(t->fonts);
	for (i = 0; i < t->nreqs; i++)
		free(t->reqs[i].family);
	free(t->reqs);
	free(t->searched);
	if (t->ft != NULL)
		FT_Done_FreeType(t->ft);
	/* Not FcFini: that tears down state other users of fontconfig share. */
	if (t->fc != NULL)
		FcConfigDestroy(t->fc);
	er_fcache_free(t->cache);
	free(t);
}

void er_text_set_diag(er_text *t, er_diag_sink *diag)
{
	t->diag = diag;
	t->fc_told = 0; /* a failed fontconfig is news to the new sink */
}

size_t er_text_nfonts(const er_text *t)
{
	return t->nfonts;
}

/* The Debian package that most likely provides a family, for the message. */
static const char *package_hint(const char *family)
{
	static const struct {
		const char *prefix;
		const char *package;
	} table[] = {
		/* Longer prefixes first: the first match wins. */
		{"Liberation", "fonts-liberation2"},
		{"DejaVu", "fonts-dejavu-core"},
		{"WenQuanYi Zen Hei", "fonts-wqy-zenhei"},
		{"WenQuanYi", "fonts-wqy-microhei"},
		{"Noto Sans CJK", "fonts-noto-cjk"},
		{"Noto Serif CJK", "fonts-noto-cjk"},
		{"Noto Color Emoji", "fonts-noto-color-emoji"},
		{"Noto", "fonts-noto-core"},
	};
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		size_t k = strlen(table[i].prefix);
		if (strlen(family) >= k && er_ascii_ieq(family, k, table[i].prefix))
			return table[i].package;
	}
	return "a package that provides it; see fc-list";
}

static void report_missing(er_text *t, const char *family)
{
	char name[4 * 64 + 8];

	/* The excerpt quotes the name and escapes control bytes in it. */
	er_diag_excerpt(name, family, strlen(family), 64);
	er_diag_emit(t->diag, ER_SEV_ERROR, NULL, 0, 0,
	             "font family %s is not installed (on Debian: apt-get install %s)", name,
	             package_hint(family));
}

/* Asks fontconfig for the family; on success *file, *index and *found (the
 * family's own spelling) point into *match, which the caller destroys.
 * ER_ERR_DATA is "not installed"; *definite tells whether fontconfig said
 * so (1), or gave no answer at all (0: no fonts, or out of memory), which
 * is not worth remembering. */
static er_status match_family(er_text *t, const char *family, int bold, int italic,
                              FcPattern **match, const char **file, int *index,
                              const char **found, int *definite)
{
	FcPattern *pat;
	FcResult res = FcResultNoMatch;
	FcChar8 *s;
	int i;
	er_status st = ER_OK;

	*match = NULL;
	*definite = 0;
	pat = FcPatternCreate();
	if (pat == NULL)
		return ER_ERR_NOMEM;
	if (!FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family) ||
	    !FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR) ||
	    !FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN) ||
	    !FcConfigSubstitute(t->fc, pat, FcMatchPattern)) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	FcDefaultSubstitute(pat);
	*match = FcFontMatch(t->fc, pat, &res);
	if (*match == NULL) {
		/* No fonts at all, or out of memory: fontconfig does not say which. */
		st = ER_ERR_DATA;
		goto done;
	}
	*definite = 1;
	/* A face may carry several family names (localized ones, "DejaVu Sans
	 * Condensed" next to "DejaVu Sans"); any of them counts. */
	*found = NULL;
	for (i = 0; FcPatternGetString(*match, FC_FAMILY, i, &s) == FcResultMatch; i++) {
		if (FcStrCmpIgnoreCase(s, (const FcChar8 *)family) == 0) {
			*found = (const char *)s;
			break;
		}
	}
	if (*found == NULL) {
		st = ER_ERR_DATA;
		goto done;
	}
	if (FcPatternGetString(*match, FC_FILE, 0, &s) != FcResultMatch) {
		st = ER_ERR_DATA;
		goto done;
	}
	*file = (const char *)s;
	if (FcPatternGetInteger(*match, FC_INDEX, 0, index) != FcResultMatch)
		*index = 0;
done:
	FcPatternDestroy(pat);
	if (st != ER_OK && *match != NULL) {
		FcPatternDestroy(*match);
		*match = NULL;
	}
	return st;
}

/* Loads a face not loaded before and appends it; *id receives its id. */
static er_status load_face(er_text *t, const char *file, int index, const char *family, int *id)
{
	er_font *f;
	FT_Face face = NULL;
	FT_Error fe;
	char *fcopy = NULL, *famcopy = NULL;
	er_status st = ER_OK;

	st = er_grow(&t->fonts, &t->capfonts, t->nfonts, sizeof *t->fonts, 8);
	if (st != ER_OK)
		goto fail;
	fcopy = er_strdup(file);
	famcopy = er_strdup(family);
	if (fcopy == NULL || famcopy == NULL) {
		st = ER_ERR_NOMEM;
		goto fail;
	}
	fe = FT_New_Face(t->ft, file, index, &face);
	if (fe != 0) {
		face = NULL;
		if (fe == FT_Err_Out_Of_Memory) {
			st = ER_ERR_NOMEM;
		} else {
			er_diag_emit(t->diag, ER_SEV_ERROR, NULL, 0, 0,
			             "font file \"%s\" of family \"%s\" cannot be loaded "
			             "(FreeType error %d)", file, family, fe);
			st = ER_ERR_DATA;
		}
		goto fail;
	}
	/* Widths are design units scaled by size / units_per_EM; a bitmap-only
	 * face has no such units (and nothing libharu could embed). */
	if (!FT_IS_SCALABLE(face) || face->units_per_EM == 0) {
		er_diag_emit(t->diag, ER_SEV_ERROR, NULL, 0, 0,
		             "font file \"%s\" of family \"%s\" has no scalable outlines", file,
		             family);
		st = ER_ERR_DATA;
		goto fail;
	}
	if (face->charmap == NULL)
		FT_Select_Charmap(face, FT_ENCODING_UNICODE); /* none: every glyph is .notdef */
	f = &t->fonts[t->nfonts];
	memset(f, 0, sizeof *f);
	f->file = fcopy;
	f->index = index;
	f->family = famcopy;
	f->face = face;
	f->upem = face->units_per_EM;
	f->bold = (face->style_flags & FT_STYLE_FLAG_BOLD) != 0;
	*id = (int)t->nfonts++;
	return ER_OK;
fail:
	if (face != NULL)
		FT_Done_Face(face);
	free(fcopy);
	free(famcopy);
	return st;
}

/* The loaded font of a file and face index, or -1. */
static int loaded(const er_text *t, const char *file, int index)
{
	size_t i;

	for (i = 0; i < t->nfonts; i++)
		if (t->fonts[i].index == index && strcmp(t->fonts[i].file, file) == 0)
			return (int)i;
	return -1;
}

static er_status request(er_text *t, const char *family, int bold, int italic, int quiet,
                         int *font_id)
{
	FcPattern *match = NULL;
	const char *file = NULL, *found = NULL;
	char *req_family = NULL;
	int index = 0, id = -1, hit, definite = 0;
	size_t i;
	er_status st = ER_OK;

	if (font_id != NULL)
		*font_id = -1;
	if (t == NULL || family == NULL || font_id == NULL)
		return ER_ERR_USAGE;
	bold = bold != 0;
	italic = italic != 0;
	for (i = 0; i < t->nreqs; i++) {
		const er_font_req *r = &t->reqs[i];
		if (r->bold == bold && r->italic == italic && strcmp(r->family, family) == 0) {
			*font_id = r->id;
			return ER_OK;
		}
	}
	/* The cache answers as fontconfig did (file, face, spelling, or "not
	 * installed" with the same message); only a miss loads fontconfig. */
	hit = er_fcache_family(t->cache, family, bold, italic, &file, &index, &found);
	if (hit == ER_FCACHE_MISS) {
		st = er_text_load_fontconfig(t);
		if (st != ER_OK)
			goto done;
		st = match_family(t, family, bold, italic, &match, &file, &index, &found, &definite);
		/* Out of memory there only costs asking fontconfig next time. */
		if (st == ER_OK || (st == ER_ERR_DATA && definite))
			(void)er_fcache_add_family(t->cache, family, bold, italic,
			                           st == ER_OK ? file : NULL, index, found);
		if (st == ER_ERR_DATA)
			hit = ER_FCACHE_NONE; /* as the cache would have answered */
		else if (st != ER_OK || match == NULL)
			goto done;
	}
	if (hit == ER_FCACHE_NONE) {
		/* Not installed: *font_id stays -1 (quiet: an optional font, no
		 * message and no error). */
		if (!quiet)
			report_missing(t, family);
		st = quiet ? ER_OK : ER_ERR_DATA;
		goto done;
	}
	/* Requests that land on one face ("DejaVu Sans" bold and "dejavu sans"
	 * bold, or a family without a bold face) share it and its cache. */
	id = loaded(t, file, index);
	st = er_grow(&t->reqs, &t->capreqs, t->nreqs, sizeof *t->reqs, 8);
	if (st != ER_OK)
		goto done;
	req_family = er_strdup(family);
	if (req_family == NULL) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	if (id < 0) {
		st = load_face(t, file, index, found, &id);
		if (st != ER_OK)
			goto done;
	}
	t->reqs[t->nreqs].family = req_family;
	t->reqs[t->nreqs].bold = bold;
	t->reqs[t->nreqs].italic = italic;
	t->reqs[t->nreqs].id = id;
	t->nreqs++;
	req_family = NULL;
	*font_id = id;
done:
	free(req_family);
	if (match != NULL)
		FcPatternDestroy(match);
	return st;
}

er_status er_text_font(er_text *t, const char *family, int bold, int italic, int *font_id)
{
	return request(t, family, bold, italic, 0, font_id);
}

er_status er_text_font_quiet(er_text *t, const char *family, int bold, int italic, int *id)
{
	return request(t, family, bold, italic, 1, id);
}

/* Whether a font fontconfig lists can draw cp for us: scalable outlines
 * (no bitmap or colour font: neither renderer nor libharu draws those). */
static int usable(FcPattern *p, uint32_t cp)
{
	FcCharSet *cs;
	FcBool b;

	if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch || !FcCharSetHasChar(cs, cp))
		return 0;
	if (FcPatternGetBool(p, FC_SCALABLE, 0, &b) == FcResultMatch && !b)
		return 0;
#ifdef FC_COLOR
	if (FcPatternGetBool(p, FC_COLOR, 0, &b) == FcResultMatch && b)
		return 0;
#endif
	return 1;
}

/* Loads the face of a search's answer, quietly: a font FreeType cannot
 * open is passed over, as fontconfig's cache may be older than the file.
 * *id is -1 when it cannot be used or lacks the glyph; *failed is set
 * (never reset) when it could not be loaded, since that may pass (a
 * chmod) without anything the font cache compares changing but ctime. */
static er_status searched_face(er_text *t, const char *file, int index, const char *family,
                               uint32_t cp, int *id, int *failed)
{
	er_status st = ER_OK;

	*id = loaded(t, file, index);
	if (*id < 0) {
		er_diag_sink *quiet = t->diag;
		t->diag = NULL;
		st = load_face(t, file, index, family, id);
		t->diag = quiet;
		if (st != ER_OK && st != ER_ERR_NOMEM) {
			*failed = 1;
			st = ER_OK;
		}
	}
	if (*id >= 0 && er_font_glyph(&t->fonts[*id], cp).gid == 0)
		*id = -1;
	return st;
}

er_status er_text_search_cp(er_text *t, uint32_t cp, int *id)
{
	FcPattern *pat = NULL;
	FcCharSet *cs = NULL;
	FcFontSet *set = NULL;
	FcResult res;
	FcChar8 *file, *family;
	const char *cfile, *cfamily;
	int index, i, hit, skipped = 0;
	size_t k;
	er_status st = ER_OK;

	*id = -1;
	for (k = 0; k < t->nsearched; k++)
		if (t->searched[k].cp == cp) {
			*id = t->searched[k].id;
			return ER_OK;
		}
	st = er_grow(&t->searched, &t->capsearched, t->nsearched, sizeof *t->searched, 16);
	if (st != ER_OK)
		return st;
	hit = er_fcache_cp(t->cache, cp, &cfile, &index, &cfamily);
	if (hit == ER_FCACHE_FOUND) {
		int ignored = 0; /* the cached file is asked for again below, if at all */
		st = searched_face(t, cfile, index, cfamily, cp, id, &ignored);
		if (st != ER_OK)
			return st;
		/* Unchanged files give the same glyph; if not, fontconfig decides. */
		if (*id < 0)
			hit = ER_FCACHE_MISS;
	}
	if (hit != ER_FCACHE_MISS)
		goto remember;
	st = er_text_load_fontconfig(t);
	if (st != ER_OK)
		return st;
	pat = FcPatternCreate();
	cs = FcCharSetCreate();
	if (pat == NULL || cs == NULL || !FcCharSetAddChar(cs, cp) ||
	    !FcPatternAddCharSet(pat, FC_CHARSET, cs) ||
	    !FcPatternAddBool(pat, FC_SCALABLE, FcTrue) ||
	    !FcConfigSubstitute(t->fc, pat, FcMatchPattern)) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	FcDefaultSubstitute(pat);
	/* Sorted by closeness to the pattern; the charset only ranks, so each
	 * answer is checked for the code point itself. */
	set = FcFontSort(t->fc, pat, FcFalse, NULL, &res);
	for (i = 0; set != NULL && i < set->nfont && *id < 0; i++) {
		FcPattern *p = set->fonts[i];
		if (!usable(p, cp) || FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch ||
		    FcPatternGetString(p, FC_FAMILY, 0, &family) != FcResultMatch)
			continue;
		if (FcPatternGetInteger(p, FC_INDEX, 0, &index) != FcResultMatch)
			index = 0;
		st = searched_face(t, (const char *)file, index, (const char *)family, cp, id,
		                   &skipped);
		if (st != ER_OK)
			goto done;
		/* As for families, a failure to remember is no error. Not when a
		 * better candidate could not be loaded: once it can (a chmod, a
		 * file rewritten whole), the answer changes, and what the cache
		 * compares of the later file does not. */
		if (*id >= 0 && !skipped)
			(void)er_fcache_add_cp(t->cache, cp, (const char *)file, index,
			                       (const char *)family);
	}
	/* None: remembered too, unless fontconfig gave no list at all or a
	 * candidate was skipped. */
	if (*id < 0 && set != NULL && !skipped)
		(void)er_fcache_add_cp(t->cache, cp, NULL, 0, NULL);
remember:
	t->searched[t->nsearched].cp = cp;
	t->searched[t->nsearched].id = *id;
	t->nsearched++;
done:
	if (set != NULL)
		FcFontSetDestroy(set);
	if (cs != NULL)
		FcCharSetDestroy(cs);
	if (pat != NULL)
		FcPatternDestroy(pat);
	return st;
}

const char *er_text_font_file(const er_text *t, int font_id, int *face_index)
{
	const er_font *f = er_text_font_get(t, font_id);

	if (face_index != NULL)
		*face_index = f != NULL ? f->index : 0;
	return f != NULL ? f->file : NULL;
}

int er_text_embolden(const er_text *t, int bold, int font_id)
{
	const er_font *f = er_text_font_get(t, font_id);
	return bold && !(f != NULL && f->bold);
}

void er_text_font_reach(const er_text *t, int font_id, double *above, double *below)
{
	const er_font *f = er_text_font_get(t, font_id);

	*above = *below = 0;
	if (f == NULL)
		return;
	*above = fmax(f->face->bbox.yMax / f->upem, 1.25);
	*below = fmax(-f->face->bbox.yMin / f->upem, 0.5);
}

const char *er_text_font_family(const er_text *t, int font_id)
{
	const er_font *f = er_text_font_get(t, font_id);
	return f != NULL ? f->family : NULL;
}

void *er_text_ft_face(const er_text *t, int font_id)
{
	const er_font *f = er_text_font_get(t, font_id);
	return f != NULL ? (void *)f->face : NULL;
}
