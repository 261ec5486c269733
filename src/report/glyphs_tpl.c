/* glyphs_tpl.c - characters no installed font can draw, found in the
 * template itself, where the error can point at line and column.
 *
 * The pages are checked too (er_scene_check_glyphs), which catches text
 * that comes from data (table cells, chart categories); but by then a
 * paragraph is words on lines, with no position in the template. So the
 * template's own text goes first: its paragraphs, headings, pipe tables,
 * code, front matter and the values in its table and chart blocks. */
#include "report_int.h"

#include <string.h>

#include "common/utf8.h"
#include "layout/glyphs.h"

/* Checks one piece of text that starts at line:column of the template;
 * *found counts the texts that cannot be drawn. Out of memory is the only
 * failure. */
static er_status check(er_report *R, const char *s, unsigned long line, unsigned long column,
                       int *found)
{
	size_t len = s ? strlen(s) : 0, i = 0, k;
	uint32_t first;
	er_glyph_trouble g;
	er_status st;

	if (len == 0)
		return ER_OK;
	st = er_glyph_find(R->text, R->ids[F_REGULAR], s, len, &g);
	if (st != ER_OK || (g.n == 0 && g.unshaped == 0))
		return st;
	/* The position of the first one: columns count bytes, as the
	 * template's do, and a text's own newlines (code, folded YAML) move
	 * the line. */
	first = g.n > 0 ? g.cps[0] : g.unshaped;
	while (i < len && er_utf8_decode(s + i, len - i, &k) != first)
		i += k ? k : 1;
	for (k = 0; k < i && k < len; k++) {
		if (s[k] == '\n') {
			line++;
			column = 1;
		} else {
			column++;
		}
	}
	(*found)++;
	return er_glyph_report(R->diag, R->path, line, column, s, NULL, &g);
}

static er_status check_inlines(er_report *R, const er_inline *inl, size_t n, unsigned long line,
                               unsigned long column, int *found)
{
	size_t i;
	er_status st = ER_OK;

	for (i = 0; i < n && st == ER_OK; i++) {
		if (inl[i].kind != ER_INL_TEXT && inl[i].kind != ER_INL_CODE)
			continue;
		/* Text nodes carry their own position where cmark gives one. */
		st = check(R, inl[i].text, inl[i].line ? inl[i].line : line,
		           inl[i].line ? inl[i].column : column, found);
	}
	return st;
}

/* Every scalar value under y (map keys are names, not drawn text). */
static er_status check_yaml(er_report *R, const er_ynode *y, int *found)
{
	size_t i;
	er_status st = ER_OK;

	if (y == NULL)
		return ER_OK;
	/* A quoted scalar starts after its quote (escapes inside it would
	 * shift the column further; positions stay right for plain text). */
	if (y->type == ER_Y_SCALAR)
		return check(R, y->text, y->line, y->column + (y->quoted ? 1 : 0), found);
	for (i = 0; i < y->n && st == ER_OK; i++)
		st = check_yaml(R, y->items[i], found);
	return st;
}

/* The values of a map's keys that are drawn as they are written: titles,
 * sources, notes, headers, labels. Paths, column names and options are
 * not (a column's name or values, when drawn, are checked on the page). */
static er_status check_drawn(er_report *R, const er_ynode *map, int *found)
{
	static const char *const drawn[] = {"title", "subtitle", "author", "credit", "source",
	                                    "note", "axis", "headers", "labels", "figure"};
	size_t i, k;
	er_status st = ER_OK;

	if (map == NULL || map->type != ER_Y_MAP)
		return ER_OK;
	for (i = 0; i < map->n && st == ER_OK; i++)
		for (k = 0; k < sizeof drawn / sizeof drawn[0] && st == ER_OK; k++)
			if (map->keys[i]->text != NULL && strcmp(map->keys[i]->text, drawn[k]) == 0)
				st = check_yaml(R, map->items[i], found);
	return st;
}

static er_status check_blocks(er_report *R, er_block *const *b, size_t n, int *found)
{
	size_t i, k;
	er_status st = ER_OK;

	for (i = 0; i < n && st == ER_OK; i++) {
		const er_block *x = b[i];
		st = check_inlines(R, x->inl, x->ninl, x->line, x->column, found);
		if (st == ER_OK && x->kind == ER_BLK_CODE)
			st = check(R, x->code, x->line + 1, 1, found);
		if (st == ER_OK && (x->kind == ER_BLK_TABLE || x->kind == ER_BLK_CHART))
			st = check_drawn(R, x->yaml, found);
		for (k = 0; x->kind == ER_BLK_PIPE_TABLE && k < x->rows * x->cols && st == ER_OK; k++)
			st = check_inlines(R, x->cells[k].inl, x->cells[k].ninl, x->line, x->column, found);
		if (st == ER_OK)
			st = check_blocks(R, x->children, x->nchildren, found);
	}
	return st;
}

er_status er_report_check_glyphs(er_report *R)
{
	int found = 0;
	size_t i;
	er_status st;

	st = check_drawn(R, R->tpl->front, &found);
	if (st == ER_OK)
		st = check_blocks(R, R->tpl->blocks, R->tpl->nblocks, &found);
	for (i = 0; st == ER_OK && i < R->tpl->nfootnotes; i++)
		st = check_blocks(R, R->tpl->footnotes[i]->children, R->tpl->footnotes[i]->nchildren,
		                  &found);
	if (st != ER_OK)
		return st;
	return found > 0 ? ER_ERR_DATA : ER_OK;
}
