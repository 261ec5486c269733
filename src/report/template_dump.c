/* template_dump.c - the document model as indented text, one node per line,
 * for golden tests and `ecoreport render --dump doc`. The format is stable:
 * change it only with the golden files. */
#include <string.h>

#include "template.h"

static void put_indent(FILE *f, int depth)
{
	int i;
	for (i = 0; i < depth; i++)
		fputs("  ", f);
}

/* s in double quotes: " and \ escaped, control bytes as \n, \t, \r or \xNN. */
static void put_quoted(FILE *f, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c == '\r') {
			fputs("\\r", f);
		} else if (c < 0x20 || c == 0x7F) {
			fprintf(f, "\\x%c%c", hex[c >> 4], hex[c & 15]);
		} else {
			fputc(c, f);
		}
	}
	fputc('"', f);
}

/* A scalar as written in flow YAML: plain unless quoting is needed to read it back. */
static void put_scalar(FILE *f, const er_ynode *y)
{
	const char *s = y->text ? y->text : "";
	size_t n = strlen(s), i;
	int quote = y->quoted || s[0] == ' ' || (n > 0 && s[n - 1] == ' ');

	if (n == 0 && !y->quoted) {
		fputc('~', f); /* YAML's null */
		return;
	}
	for (i = 0; i < n && !quote; i++)
		quote = strchr(",[]{}#:\"'", s[i]) != NULL || (unsigned char)s[i] < 0x20 || s[i] == 0x7F;
	if (quote)
		put_quoted(f, s);
	else
		fputs(s, f);
}

static void put_yaml(FILE *f, const er_ynode *y)
{
	size_t i;

	if (y == NULL) {
		fputs("{}", f);
		return;
	}
	switch (y->type) {
	case ER_Y_SCALAR:
		put_scalar(f, y);
		break;
	case ER_Y_SEQ:
		fputc('[', f);
		for (i = 0; i < y->n; i++) {
			if (i)
				fputs(", ", f);
			put_yaml(f, y->items[i]);
		}
		fputc(']', f);
		break;
	case ER_Y_MAP:
		fputc('{', f);
		for (i = 0; i < y->n; i++) {
			if (i)
				fputs(", ", f);
			put_scalar(f, y->keys[i]);
			fputs(": ", f);
			put_yaml(f, y->items[i]);
		}
		fputc('}', f);
		break;
	}
}

static void put_styles(FILE *f, int style)
{
	if (style & ER_STYLE_BOLD)
		fputs(" bold", f);
	if (style & ER_STYLE_ITALIC)
		fputs(" italic", f);
	if (style & ER_STYLE_STRIKE)
		fputs(" strike", f);
}

static void dump_inlines(FILE *f, const er_inline *inl, size_t n, int depth)
{
	static const char *const names[] = {"text",      "code",      "expr",
	                                    "softbreak", "linebreak", "footref"};
	size_t i;

	for (i = 0; i < n; i++) {
		const er_inline *o = &inl[i];
		put_indent(f, depth);
		fputs(names[o->kind], f);
		put_styles(f, o->style);
		if (o->kind == ER_INL_FOOTREF)
			fprintf(f, " %d", o->number);
		if (o->text) {
			fputc(' ', f);
			put_quoted(f, o->text);
		}
		if (o->link) {
			fputs(" link ", f);
			put_quoted(f, o->link);
		}
		if (o->kind == ER_INL_EXPR)
			fprintf(f, " @%lu:%lu", o->line, o->column);
		fputc('\n', f);
	}
}

static void dump_block(FILE *f, const er_block *b, int depth)
{
	static const char *const yaml_names[] = {"data", "table", "chart"};
	size_t i, r;

	put_indent(f, depth);
	switch (b->kind) {
	case ER_BLK_HEADING:
		fprintf(f, "heading %d", b->level);
		break;
	case ER_BLK_PARA:
		fputs("para", f);
		break;
	case ER_BLK_LIST:
		if (b->ordered)
			fprintf(f, "list ordered %d", b->start);
		else
			fputs("list bullet", f);
		break;
	case ER_BLK_ITEM:
		fputs("item", f);
		break;
	case ER_BLK_QUOTE:
		fputs("quote", f);
		break;
	case ER_BLK_CODE:
		fputs("code", f);
		break;
	case ER_BLK_RULE:
		fputs("rule", f);
		break;
	case ER_BLK_PIPE_TABLE:
		fputs("pipe-table", f);
		break;
	case ER_BLK_DATA:
	case ER_BLK_TABLE:
	case ER_BLK_CHART:
		fputs(yaml_names[b->kind - ER_BLK_DATA], f);
		break;
	case ER_BLK_FOOTNOTE:
		fprintf(f, "footnote %d", b->number);
		break;
	}
	fprintf(f, " @%lu:%lu", b->line, b->column);
	if (b->kind == ER_BLK_CODE) {
		fputc(' ', f);
		put_quoted(f, b->code ? b->code : "");
	} else if (b->kind >= ER_BLK_DATA && b->kind <= ER_BLK_CHART) {
		fputc(' ', f);
		put_yaml(f, b->yaml);
	} else if (b->kind == ER_BLK_PIPE_TABLE) {
		fputs(" align", f);
		for (i = 0; i < b->cols; i++)
			fprintf(f, " %c", b->align && b->align[i] ? b->align[i] : '-');
	}
	fputc('\n', f);
	dump_inlines(f, b->inl, b->ninl, depth + 1);
	for (r = 0; r < b->rows; r++) {
		put_indent(f, depth + 1);
		fputs(r == 0 ? "header\n" : "row\n", f);
		for (i = 0; i < b->cols; i++) {
			const er_cell *ce = &b->cells[r * b->cols + i];
			put_indent(f, depth + 2);
			fputs("cell\n", f);
			dump_inlines(f, ce->inl, ce->ninl, depth + 3);
		}
	}
	for (i = 0; i < b->nchildren; i++)
		dump_block(f, b->children[i], depth + 1);
}

er_status er_template_dump(const er_template *t, FILE *f)
{
	size_t i;

	if (t->front) {
		fprintf(f, "front @%lu:%lu ", t->front->line, t->front->column);
		put_yaml(f, t->front);
		fputc('\n', f);
	}
	for (i = 0; i < t->nblocks; i++)
		dump_block(f, t->blocks[i], 0);
	for (i = 0; i < t->nfootnotes; i++)
		dump_block(f, t->footnotes[i], 0);
	if (fflush(f) != 0 || ferror(f))
		return ER_ERR_IO;
	return ER_OK;
}
