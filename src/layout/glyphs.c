/* glyphs.c - characters no installed font can draw, as errors. */
#include "glyphs.h"

#include <string.h>

#include "common/buf.h"

/* Texts reported per scene at most: the rest are counted. */
#define MAX_REPORTED 10
/* Code points listed per text at most. */
#define MAX_CPS 8

/* Whether the same text was already reported (a running title repeats on
 * every page; once is enough). */
static int reported(const er_scene *s, size_t upto, const char *text, er_text *t)
{
	size_t i;
	uint32_t cp;

	for (i = 0; i < upto; i++) {
		const er_item *it = &s->items[i];
		if (it->kind == ER_ITEM_TEXT && strcmp(it->text, text) == 0) {
			const er_scene_font *f = &s->fonts[it->font];
			int id;
			if (er_text_font(t, f->family, f->bold, f->italic, &id) == ER_OK &&
			    (er_text_missing(t, id, it->text, strlen(it->text), &cp, 1, NULL) > 0 ||
			     er_text_unshaped(it->text, strlen(it->text)) != 0))
				return 1;
		}
	}
	return 0;
}

static er_status report(er_diag_sink *diag, const char *file, const er_item *it,
                        const uint32_t *cps, size_t n, int more)
{
	char excerpt[4 * 80 + 8];
	er_buf list = ER_BUF_INIT;
	size_t i;
	er_status st = ER_OK;

	for (i = 0; i < n && st == ER_OK; i++)
		st = er_buf_printf(&list, "%sU+%04X", i > 0 ? ", " : "", (unsigned)cps[i]);
	if (st == ER_OK && more)
		st = er_buf_printf(&list, " and others");
	if (st == ER_OK) {
		er_diag_excerpt(excerpt, it->text, strlen(it->text), 80);
		er_diag_emit(diag, ER_SEV_ERROR, file, 0, 0,
		             "no installed font can draw %s in %s (%s); install a font that has %s",
		             list.data, excerpt, it->role ? it->role : "text",
		             n > 1 || more ? "them" : "it");
	}
	er_buf_free(&list);
	return st;
}

er_status er_scene_check_glyphs(const er_scene *s, er_text *t, er_diag_sink *diag,
                                const char *file)
{
	uint32_t cps[MAX_CPS];
	size_t i, texts = 0;
	er_status st;

	for (i = 0; i < s->nitems; i++) {
		const er_item *it = &s->items[i];
		const er_scene_font *f;
		size_t n;
		int id, more;

		if (it->kind != ER_ITEM_TEXT || it->text[0] == '\0')
			continue;
		f = &s->fonts[it->font];
		/* A family not installed is reported by the renderer that loads it. */
		if (er_text_font(t, f->family, f->bold, f->italic, &id) != ER_OK)
			return ER_ERR_DATA;
		n = er_text_missing(t, id, it->text, strlen(it->text), cps, MAX_CPS, &more);
		if (n == 0) {
			uint32_t cp = er_text_unshaped(it->text, strlen(it->text));
			if (cp == 0 || reported(s, i, it->text, t))
				continue;
			if (texts < MAX_REPORTED) {
				char excerpt[4 * 80 + 8];
				er_diag_excerpt(excerpt, it->text, strlen(it->text), 80);
				er_diag_emit(diag, ER_SEV_ERROR, file, 0, 0, "U+%04X in %s (%s) " ER_UNSHAPED_WHY, (unsigned)cp,
				             excerpt, it->role ? it->role : "text");
			}
			texts++;
			continue;
		}
		if (reported(s, i, it->text, t))
			continue;
		if (texts < MAX_REPORTED) {
			st = report(diag, file, it, cps, n, more);
			if (st != ER_OK)
				return st;
		}
		texts++;
	}
	if (texts > MAX_REPORTED)
		er_diag_emit(diag, ER_SEV_ERROR, file, 0, 0,
		             "%zu more texts have characters no installed font can draw",
		             texts - MAX_REPORTED);
	return texts > 0 ? ER_ERR_DATA : ER_OK;
}
