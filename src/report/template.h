/* template.h - stage 6, part 1: a report template as a document model.
 *
 * A template is Markdown (CommonMark + GitHub tables, strikethrough,
 * autolinks, footnotes; parsed with cmark-gfm) after a YAML front matter
 * block, with fenced blocks whose info string is `data`, `table` or `chart`
 * holding YAML, and `{{ EXPR }}` in text. Parsing checks the syntax only:
 * names of data sources, columns and block keys are checked when the report
 * is built (er_report_check). Everything keeps its line and column in the
 * template for diagnostics ("TEMPLATE.md:LINE:COL: error: ..."). */
#ifndef ER_TEMPLATE_H
#define ER_TEMPLATE_H

#include <stddef.h>
#include <stdio.h>

#include "common/diag.h"
#include "common/status.h"
#include "common/yaml.h"

typedef enum er_inline_kind {
	ER_INL_TEXT,      /* text: plain words (with style flags) */
	ER_INL_CODE,      /* text: inline code */
	ER_INL_EXPR,      /* text: the expression inside {{ }}, trimmed */
	ER_INL_SOFTBREAK, /* a line end inside a paragraph: a space when flowed */
	ER_INL_LINEBREAK, /* a hard line break */
	ER_INL_FOOTREF    /* a footnote reference: number = its 1-based number */
} er_inline_kind;

enum { ER_STYLE_BOLD = 1, ER_STYLE_ITALIC = 2, ER_STYLE_STRIKE = 4 };

typedef struct er_inline {
	er_inline_kind kind;
	char *text;                 /* owned; NULL for breaks */
	int style;                  /* ER_STYLE_* flags */
	char *link;                 /* the URL when inside a link, else NULL (owned) */
	int number;                 /* ER_INL_FOOTREF */
	unsigned long line, column; /* where it starts in the template (1-based) */
} er_inline;

typedef enum er_block_kind {
	ER_BLK_HEADING,   /* level 1-6, inlines */
	ER_BLK_PARA,      /* inlines */
	ER_BLK_LIST,      /* children: ER_BLK_ITEM; ordered, start */
	ER_BLK_ITEM,      /* children: blocks */
	ER_BLK_QUOTE,     /* children: blocks */
	ER_BLK_CODE,      /* code: the text of an ordinary fenced or indented code block */
	ER_BLK_RULE,      /* a thematic break (---): starts a new page */
	ER_BLK_PIPE_TABLE,/* a GitHub table: rows of cells of inlines; row 0 is the header */
	ER_BLK_DATA,      /* ```data: yaml */
	ER_BLK_TABLE,     /* ```table: yaml */
	ER_BLK_CHART,     /* ```chart: yaml */
	ER_BLK_FOOTNOTE   /* a footnote definition: number, children: blocks */
} er_block_kind;

typedef struct er_cell {
	er_inline *inl;
	size_t ninl;
} er_cell;

typedef struct er_block er_block;
struct er_block {
	er_block_kind kind;
	unsigned long line, column;
	int level;                  /* heading level */
	int ordered, start;         /* lists */
	int number;                 /* footnotes */
	er_inline *inl;             /* headings, paragraphs */
	size_t ninl;
	er_block **children;        /* lists, items, quotes, footnotes */
	size_t nchildren;
	char *code;                 /* ER_BLK_CODE (owned) */
	er_ynode *yaml;             /* ER_BLK_DATA/TABLE/CHART: the block's YAML (owned) */
	er_cell *cells;             /* ER_BLK_PIPE_TABLE: rows x cols cells, row-major */
	size_t rows, cols;
	char *align;                /* per column: 'l', 'c', 'r' or 0 */
};

typedef struct er_template {
	char *path;                 /* as given, for diagnostics */
	er_ynode *front;            /* the front matter map (owned), or NULL */
	er_block **blocks;          /* the body, in order (footnotes excluded) */
	size_t nblocks;
	er_block **footnotes;       /* definitions, by number */
	size_t nfootnotes;
} er_template;

/* "KEY=VALUE" overrides of front-matter values (--set quarter=2025-Q3):
 * KEY may be a dotted path into maps (data.runs.path). */
typedef struct er_set {
	const char *key, *value;
} er_set;

/* Parses n bytes of a template read from `path`. Applies sets (a key that
 * is not in the front matter is added). Errors (malformed front matter or
 * YAML block, a `{{` without `}}`, an empty `{{ }}`, a bad --set) are
 * reported through diag with their position: ER_ERR_DATA. The caller frees
 * *out with er_template_free. */
er_status er_template_parse(const char *path, const char *src, size_t n, const er_set *sets,
                            size_t nsets, er_diag_sink *diag, er_template **out);
void er_template_free(er_template *t);

/* Writes the model as indented text, one node per line with its position:
 *   heading 1 @3:1
 *     text "Environment"
 *   para @5:1
 *     text "Training GPT-3 emitted "
 *     expr "max(models.co2_t)" @5:24
 *   chart @12:1 {type: bar, data: models, ...}
 * (the seam's text dump, for tests and `ecoreport render --dump doc`). */
er_status er_template_dump(const er_template *t, FILE *f);

#endif
