/* libFuzzer target for report templates: parse the input as a template
 * (front matter, Markdown, YAML blocks, {{ }}) with one --set that goes
 * through a map the input may or may not have, check that every position
 * is inside the input, and dump the model. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long nlines;

static void check_pos(unsigned long line, unsigned long column)
{
	if (line == 0 || line > nlines || column == 0)
		abort();
}

static void check_inlines(const er_inline *inl, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		check_pos(inl[i].line, inl[i].column);
		if ((inl[i].text == NULL) != (inl[i].kind == ER_INL_SOFTBREAK ||
		                              inl[i].kind == ER_INL_LINEBREAK ||
		                              inl[i].kind == ER_INL_FOOTREF))
			abort();
		if (inl[i].kind == ER_INL_EXPR && inl[i].text[0] == '\0')
			abort();
	}
}

static void check_block(const er_block *b)
{
	size_t i;

	check_pos(b->line, b->column);
	check_inlines(b->inl, b->ninl);
	for (i = 0; i < b->rows * b->cols; i++)
		check_inlines(b->cells[i].inl, b->cells[i].ninl);
	for (i = 0; i < b->nchildren; i++)
		check_block(b->children[i]);
	if (b->kind >= ER_BLK_DATA && b->kind <= ER_BLK_CHART &&
	    (b->yaml == NULL || b->yaml->type != ER_Y_MAP))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const er_set sets[] = {{"data.models", "fuzz.csv"}};
	er_diag_sink sink = {NULL, NULL, 0, 0};
	er_template *t = NULL;
	char *text = NULL;
	size_t len = 0, i;
	er_status st;
	FILE *f;

	/* Lines as the parser counts them: \n, \r\n and a lone \r end one. */
	nlines = 1;
	for (i = 0; i < size; i++)
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n')))
			nlines++;
	st = er_template_parse("fuzz.md", (const char *)data, size, sets, 1, &sink, &t);
	if (st != ER_OK) {
		/* A failure leaves nothing, and a bad template always says why. */
		if (t != NULL || ((st == ER_ERR_DATA || st == ER_ERR_LIMIT) && sink.errors == 0))
			abort();
		return 0;
	}
	for (i = 0; i < t->nblocks; i++)
		check_block(t->blocks[i]);
	for (i = 0; i < t->nfootnotes; i++) {
		check_block(t->footnotes[i]);
		if (t->footnotes[i]->number != (int)i + 1)
			abort();
	}
	f = open_memstream(&text, &len);
	if (f != NULL) {
		er_template_dump(t, f);
		fclose(f);
	}
	free(text);
	er_template_free(t);
	return 0;
}
