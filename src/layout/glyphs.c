/* glyphs.c - characters no installed font can draw, as errors. */
#include "glyphs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"

/* Texts reported at most: the rest are counted. */
#define MAX_REPORTED 10

static int seen(const er_glyph_check *c, const char *text)
{
	size_t i;

	for (i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i], text) == 0)
			return 1;
	return 0;
}

static er_status remember(er_glyph_check *c, const char *text)
{
	char *copy;
	er_status st = er_grow(&c->texts, &c->cap, c->ntexts, sizeof *c->texts, 8);

	if (st != ER_OK)
		return st;
	copy = er_strdup(text);
	if (copy == NULL)
		return ER_ERR_NOMEM;
	c->texts[c->ntexts++] = copy;
	return ER_OK;
}

er_status er_glyph_find(er_text *t, int font_id, const char *s, size_t n, er_glyph_trouble *g)
{
	er_status st = er_text_missing(t, font_id, s, n, g->cps, ER_GLYPH_MAX_CPS, &g->n, &g->more);

	g->unshaped = st == ER_OK && g->n == 0 ? er_text_unshaped(s, n) : 0;
	return st;
}

er_status er_glyph_report(er_diag_sink *diag, const char *file, unsigned long line,
                          unsigned long column, const char *text, const char *role,
                          const er_glyph_trouble *g)
{
	char excerpt[4 * 80 + 8], what[96] = "";
	er_buf list = ER_BUF_INIT;
	size_t i;
	er_status st = ER_OK;

	er_diag_excerpt(excerpt, text, strlen(text), 80);
	if (role != NULL)
		snprintf(what, sizeof what, " (%s)", role);
	if (g->n == 0) {
		er_diag_emit(diag, ER_SEV_ERROR, file, line, column,
		             "U+%04X in %s%s is in a script ecoreport cannot lay out yet (Arabic, "
		             "Hebrew and the Indic scripts need shaping or right-to-left order); it "
		             "would be drawn wrong",
		             (unsigned)g->unshaped, excerpt, what);
		return ER_OK;
	}
	for (i = 0; i < g->n && st == ER_OK; i++)
		st = er_buf_printf(&list, "%sU+%04X", i > 0 ? ", " : "", (unsigned)g->cps[i]);
	if (st == ER_OK && g->more)
		st = er_buf_printf(&list, " and others");
	if (st == ER_OK)
		er_diag_emit(diag, ER_SEV_ERROR, file, line, column,
		             "no installed font can draw %s in %s%s; install a font that has %s",
		             list.data, excerpt, what, g->n > 1 || g->more ? "them" : "it");
	er_buf_free(&list);
	return st;
}

er_status er_scene_check_glyphs(const er_scene *s, er_text *t, er_diag_sink *diag,
                                const char *file, er_glyph_check *c)
{
	er_glyph_check local = ER_GLYPH_CHECK_INIT;
	er_glyph_trouble g;
	size_t i;
	int bad = 0, id;
	er_status st = ER_OK;

	if (c == NULL)
		c = &local;
	for (i = 0; i < s->nitems && st == ER_OK; i++) {
		const er_item *it = &s->items[i];
		const er_scene_font *f;
		size_t len;

		if (it->kind != ER_ITEM_TEXT || it->text[0] == '\0')
			continue;
		len = strlen(it->text);
		f = &s->fonts[it->font];
		/* A family not installed: er_text_font has said so. */
		st = er_text_font(t, f->family, f->bold, f->italic, &id);
		if (st == ER_OK)
			st = er_glyph_find(t, id, it->text, len, &g);
		if (st != ER_OK)
			break;
		if (g.n == 0 && g.unshaped == 0)
			continue;
		bad = 1;
		if (seen(c, it->text))
			continue;
		st = remember(c, it->text);
		if (st == ER_OK && c->bad < MAX_REPORTED)
			st = er_glyph_report(diag, file, 0, 0, it->text, it->role ? it->role : "text", &g);
		c->bad++;
	}
	if (c == &local) {
		if (st == ER_OK)
			er_glyph_check_done(c, diag, file);
		er_glyph_check_free(c);
	}
	if (st != ER_OK)
		return st;
	return bad ? ER_ERR_DATA : ER_OK;
}

void er_glyph_check_done(const er_glyph_check *c, er_diag_sink *diag, const char *file)
{
	if (c->bad > MAX_REPORTED)
		er_diag_emit(diag, ER_SEV_ERROR, file, 0, 0,
		             "%zu more texts have characters that cannot be drawn",
		             c->bad - MAX_REPORTED);
}

void er_glyph_check_free(er_glyph_check *c)
{
	size_t i;

	for (i = 0; i < c->ntexts; i++)
		free(c->texts[i]);
	free(c->texts);
	c->texts = NULL;
	c->ntexts = c->cap = 0;
}
