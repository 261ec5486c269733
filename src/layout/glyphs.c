/* glyphs.c - characters no installed font can draw, as errors. */
#include "glyphs.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"

/* Texts reported at most: the rest are counted. */
#define MAX_REPORTED 10
/* Code points listed per text at most. */
#define MAX_CPS 8

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

/* The message for one text: its missing code points, or (n == 0) the
 * first character of a script that cannot be laid out. */
static er_status report(er_diag_sink *diag, const char *file, const er_item *it,
                        const uint32_t *cps, size_t n, int more, uint32_t unshaped)
{
	char excerpt[4 * 80 + 8];
	const char *role = it->role ? it->role : "text";
	er_buf list = ER_BUF_INIT;
	size_t i;
	er_status st = ER_OK;

	er_diag_excerpt(excerpt, it->text, strlen(it->text), 80);
	if (n == 0) {
		er_diag_emit(diag, ER_SEV_ERROR, file, 0, 0, "U+%04X in %s (%s) " ER_UNSHAPED_WHY,
		             (unsigned)unshaped, excerpt, role);
		return ER_OK;
	}
	for (i = 0; i < n && st == ER_OK; i++)
		st = er_buf_printf(&list, "%sU+%04X", i > 0 ? ", " : "", (unsigned)cps[i]);
	if (st == ER_OK && more)
		st = er_buf_printf(&list, " and others");
	if (st == ER_OK)
		er_diag_emit(diag, ER_SEV_ERROR, file, 0, 0,
		             "no installed font can draw %s in %s (%s); install a font that has %s",
		             list.data, excerpt, role, n > 1 || more ? "them" : "it");
	er_buf_free(&list);
	return st;
}

er_status er_scene_check_glyphs(const er_scene *s, er_text *t, er_diag_sink *diag,
                                const char *file, er_glyph_check *c)
{
	er_glyph_check local = ER_GLYPH_CHECK_INIT;
	uint32_t cps[MAX_CPS], unshaped;
	size_t i, n;
	int bad = 0, more, id;
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
			st = er_text_missing(t, id, it->text, len, cps, MAX_CPS, &n, &more);
		if (st != ER_OK)
			break;
		unshaped = n == 0 ? er_text_unshaped(it->text, len) : 0;
		if (n == 0 && unshaped == 0)
			continue;
		bad = 1;
		if (seen(c, it->text))
			continue;
		st = remember(c, it->text);
		if (st == ER_OK && c->bad < MAX_REPORTED)
			st = report(diag, file, it, cps, n, more, unshaped);
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
