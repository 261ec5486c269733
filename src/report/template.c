/* template.c - a report template read into the document model of template.h:
 * YAML front matter, --set overrides, the Markdown body (cmark-gfm), YAML
 * blocks and {{ }} expressions, each with its line and column.
 *
 * cmark-gfm 0.29 gives reliable block starts, but its inline positions are a
 * by-product, and wrong in ways this file works around:
 * - columns count bytes (diagnostics count characters);
 * - breaks, autolinks and their text have none;
 * - a paragraph's continuation lines get its column whatever their
 *   indentation or quote marks (lazy lines), and columns drift after code
 *   spans;
 * - lines drift after a link destination that spans lines, and start at the
 *   link reference definitions before a paragraph's text;
 * - a paragraph that a table cuts off has no position at all (its inlines
 *   count from 0), and the table and its header take that paragraph's start;
 * - ends are LINE:0 for "the end of the line before", and a setext
 *   heading's end is sometimes the next block's.
 * So cmark's lines and columns serve as hints: lines are counted here, each
 * text is found again in its source line (escapes and entities allowed for)
 * and columns are converted to characters there. */
#include "template.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "common/util.h"

/* Deeper Markdown nesting than this is refused: the walk recurses. */
#define MAX_NEST 100
/* Tries per text node when looking it up again in its source line. */
#define MAX_TRIES 64
#define NONE SIZE_MAX
/* Longest run of lines without a blank one that is handed to cmark-gfm.
 * cmark-gfm 0.29 is quadratic in a paragraph's length when it has many
 * inlines (its source positions are found by rescanning the paragraph):
 * 20,000 lines of "a *b* c `d` [e](f)" take 11 s. At 64 KiB the worst we
 * found takes well under a second; a hand-written template never needs more. */
#define MAX_RUN (64u * 1024u)

typedef struct src_line {
	size_t off, len; /* in the file after its BOM; len excludes the line end */
} src_line;

/* One parse. */
typedef struct ctx {
	const char *path;
	const char *src; /* the file after its BOM */
	size_t n;
	src_line *lines; /* lines[i] is line i + 1 */
	size_t nlines;
	unsigned long body_line; /* lines before the body: cmark's line 1 is body_line + 1 */
	er_diag_sink *diag;
	size_t errors;   /* errors reported (the parse fails if any) */
	int too_deep;    /* the nesting limit was hit (reported once) */
	int too_long;    /* a run of lines without a blank one was over MAX_RUN */
	size_t budget;   /* bytes left to scan when looking text up again: keeps it linear */
	er_template *t;
	/* The last char_col answer: lookups mostly move right along a line. */
	unsigned long cc_line;
	size_t cc_byte, cc_chars;
} ctx;

static void report(ctx *c, const char *file, unsigned long line, unsigned long col,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(ctx *c, const char *file, unsigned long line, unsigned long col,
                   const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->errors++;
	er_diag_emit(c->diag, ER_SEV_ERROR, file, line, col, "%s", msg);
}

/* Room for element n of an array holding n: the capacity doubles at powers
 * of two, so it is implicit in n. Returns the (maybe moved) array, or NULL. */
static void *grow(void *arr, size_t n, size_t size)
{
	size_t cap;
	void *p;

	if (n >= 4 && (n & (n - 1)) != 0)
		return arr;
	cap = n < 4 ? 4 : 2 * n;
	if (cap > SIZE_MAX / size)
		return NULL;
	p = realloc(arr, cap * size);
	return p;
}

/* A copy of n bytes with every line end (\r\n, \r, \n) made "\n". */
static char *dup_text(const char *s, size_t n)
{
	char *d = malloc(n + 1), *p = d;
	size_t i;

	if (d == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\r') {
			*p++ = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			*p++ = s[i];
		}
	}
	*p = '\0';
	return d;
}

/* ---- the model ---------------------------------------------------------- */

static void inlines_free(er_inline *inl, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(inl[i].text);
		free(inl[i].link);
	}
	free(inl);
}

static void block_free(er_block *b)
{
	size_t i;

	if (b == NULL)
		return;
	inlines_free(b->inl, b->ninl);
	for (i = 0; i < b->nchildren; i++)
		block_free(b->children[i]);
	free(b->children);
	free(b->code);
	er_yaml_free(b->yaml);
	if (b->cells)
		for (i = 0; i < b->rows * b->cols; i++)
			inlines_free(b->cells[i].inl, b->cells[i].ninl);
	free(b->cells);
	free(b->align);
	free(b);
}

void er_template_free(er_template *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->path);
	er_yaml_free(t->front);
	for (i = 0; i < t->nblocks; i++)
		block_free(t->blocks[i]);
	free(t->blocks);
	for (i = 0; i < t->nfootnotes; i++)
		block_free(t->footnotes[i]);
	free(t->footnotes);
	free(t);
}

static er_block *block_new(er_block_kind kind, unsigned long line, unsigned long col)
{
	er_block *b = calloc(1, sizeof *b);
	if (b == NULL)
		return NULL;
	b->kind = kind;
	b->line = line;
	b->column = col;
	return b;
}

/* Appends b to *arr (n entries); on failure b is freed. */
static er_status push_block(er_block ***arr, size_t *n, er_block *b)
{
	er_block **p = grow(*arr, *n, sizeof *p);
	if (p == NULL) {
		block_free(b);
		return ER_ERR_NOMEM;
	}
	*arr = p;
	p[(*n)++] = b;
	return ER_OK;
}

/* ---- lines and columns -------------------------------------------------- */

/* The end of the line that starts at i, and the start of the next one in
 * *next: \n, \r\n and a lone \r end a line, as cmark-gfm and libyaml count. */
static size_t line_end(const char *s, size_t n, size_t i, size_t *next)
{
	while (i < n && s[i] != '\n' && s[i] != '\r')
		i++;
	*next = i;
	if (i < n) {
		*next = i + 1;
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			*next = i + 2;
	}
	return i;
}

static er_status split_lines(ctx *c)
{
	size_t count = 1, i, at = 0;

	for (i = 0; i < c->n; i++)
		if (c->src[i] == '\n' || (c->src[i] == '\r' && (i + 1 == c->n || c->src[i + 1] != '\n')))
			count++;
	c->lines = malloc(count * sizeof *c->lines);
	if (c->lines == NULL)
		return ER_ERR_NOMEM;
	for (i = 0; i < count; i++) {
		size_t next, end = line_end(c->src, c->n, at, &next);
		c->lines[i].off = at;
		c->lines[i].len = end - at;
		at = next;
	}
	c->nlines = count;
	return ER_OK;
}

static const src_line *get_line(const ctx *c, unsigned long line)
{
	if (line == 0 || line > c->nlines)
		return NULL;
	return &c->lines[line - 1];
}

/* The column, in characters, of byte `byte` (0-based) of a line. */
static unsigned long char_col(ctx *c, unsigned long line, size_t byte)
{
	const src_line *l = get_line(c, line);
	size_t from = 0, chars = 0;

	if (l == NULL)
		return byte + 1;
	if (byte > l->len)
		byte = l->len;
	if (c->cc_line == line && c->cc_byte <= byte) {
		from = c->cc_byte;
		chars = c->cc_chars;
	}
	chars += er_utf8_count(c->src + l->off + from, byte - from);
	c->cc_line = line;
	c->cc_byte = byte;
	c->cc_chars = chars;
	return (unsigned long)chars + 1;
}

/* A cmark position (body line, byte column) as a file position (line, character column). */
static void file_pos(ctx *c, int cline, int ccol, unsigned long *line, unsigned long *col)
{
	*line = cline > 0 ? (unsigned long)cline + c->body_line : 0;
	*col = ccol > 0 ? char_col(c, *line, (size_t)ccol - 1) : 0;
}

/* ---- front matter and --set --------------------------------------------- */

static int line_is(const ctx *c, size_t i, const char *word)
{
	return c->lines[i].len == strlen(word) &&
	       memcmp(c->src + c->lines[i].off, word, c->lines[i].len) == 0;
}

/* Reads the front matter into t->front; *body gets the offset of the body.
 * Returns ER_OK for a malformed one too (reported, counted in c->errors)
 * unless it is not closed: then *body is c->n. */
static er_status read_front(ctx *c, size_t *body)
{
	size_t close;
	er_ynode *y = NULL;
	er_status st;

	*body = 0;
	if (!line_is(c, 0, "---"))
		return ER_OK;
	for (close = 1; close < c->nlines; close++)
		if (line_is(c, close, "---") || line_is(c, close, "..."))
			break;
	if (close == c->nlines) {
		report(c, c->path, 1, 1, "front matter is not closed: add a line with ---");
		*body = c->n;
		return ER_OK;
	}
	*body = close + 1 < c->nlines ? c->lines[close + 1].off : c->n;
	c->body_line = (unsigned long)close + 1;
	/* Line 2 of the file is the YAML's line 1. */
	st = er_yaml_parse(c->src + c->lines[1].off, c->lines[close].off - c->lines[1].off, c->path, 1,
	                   c->diag, &y);
	if (st == ER_ERR_NOMEM)
		return st;
	if (st != ER_OK) {
		c->errors++;
		return ER_OK;
	}
	if (y != NULL && y->type != ER_Y_MAP) {
		report(c, c->path, y->line, y->column,
		       "front matter is not a YAML map: write \"key: value\" lines");
		er_yaml_free(y);
		return ER_OK;
	}
	c->t->front = y; /* NULL when empty: as if there were none */
	return ER_OK;
}

static er_ynode *ynode_new(er_ytype type, const char *text, size_t n)
{
	er_ynode *y = calloc(1, sizeof *y);
	if (y == NULL)
		return NULL;
	y->type = type;
	if (type == ER_Y_SCALAR) {
		y->text = er_strndup(text, n);
		if (y->text == NULL) {
			free(y);
			return NULL;
		}
	}
	return y;
}

/* Adds key: value to a map; on failure both are freed. */
static er_status map_add(er_ynode *map, er_ynode *key, er_ynode *value)
{
	er_ynode **k, **v;

	k = realloc(map->keys, (map->n + 1) * sizeof *k);
	if (k != NULL)
		map->keys = k;
	v = k == NULL ? NULL : realloc(map->items, (map->n + 1) * sizeof *v);
	if (v == NULL) {
		er_yaml_free(key);
		er_yaml_free(value);
		return ER_ERR_NOMEM;
	}
	map->items = v;
	k[map->n] = key;
	v[map->n++] = value;
	return ER_OK;
}

/* Sets one KEY=VALUE: KEY is a dotted path of map keys, made as needed. */
static er_status apply_set(ctx *c, const er_set *s)
{
	const char *key = s->key ? s->key : "", *value = s->value ? s->value : "", *part = key;
	er_ynode *map;

	if (c->t->front == NULL && (c->t->front = ynode_new(ER_Y_MAP, NULL, 0)) == NULL)
		return ER_ERR_NOMEM;
	map = c->t->front;
	for (;;) {
		const char *dot = strchr(part, '.');
		size_t len = dot ? (size_t)(dot - part) : strlen(part), i;
		er_ynode *k, *v;
		er_status st;

		if (len == 0) {
			report(c, "--set", 0, 0, "--set %s: a part of the key is empty", key);
			return ER_OK;
		}
		for (i = 0; i < map->n; i++)
			if (strlen(map->keys[i]->text) == len && memcmp(map->keys[i]->text, part, len) == 0)
				break;
		if (dot == NULL) {
			v = ynode_new(ER_Y_SCALAR, value, strlen(value));
			if (v == NULL)
				return ER_ERR_NOMEM;
			if (i < map->n) {
				er_yaml_free(map->items[i]);
				map->items[i] = v;
				return ER_OK;
			}
			k = ynode_new(ER_Y_SCALAR, part, len);
			if (k == NULL) {
				er_yaml_free(v);
				return ER_ERR_NOMEM;
			}
			return map_add(map, k, v);
		}
		if (i < map->n) {
			if (map->items[i]->type != ER_Y_MAP) {
				report(c, "--set", 0, 0, "--set %s: \"%.*s\" is not a map", key, (int)len, part);
				return ER_OK;
			}
			map = map->items[i];
		} else {
			k = ynode_new(ER_Y_SCALAR, part, len);
			v = ynode_new(ER_Y_MAP, NULL, 0);
			if (k == NULL || v == NULL) {
				er_yaml_free(k);
				er_yaml_free(v);
				return ER_ERR_NOMEM;
			}
			if ((st = map_add(map, k, v)) != ER_OK)
				return st;
			map = v;
		}
		part = dot + 1;
	}
}

/* ---- inlines ------------------------------------------------------------ */

typedef enum atom_kind { A_TEXT, A_SOFT, A_HARD, A_CODE, A_FOOT } atom_kind;

/* cmark's inline positions: as they should be; relative to the block (0-based
 * lines, columns unusable: a paragraph cut off by a table); or unusable (a
 * table's header row in that case). */
enum { POS_ABSOLUTE, POS_RELATIVE, POS_NONE };

/* One cmark inline leaf, with the styles of the nodes around it. */
typedef struct atom {
	atom_kind kind;
	int style;
	const char *link;     /* cmark's URL string (lives as long as the document) */
	const char *s;        /* A_TEXT, A_CODE: cmark's literal */
	size_t n;
	int number;           /* A_FOOT */
	unsigned long cline;  /* file line as cmark says, 0 when it says nothing */
	int ccol;             /* cmark's byte column, 0 when it says nothing */
	/* Resolved: */
	unsigned long line;
	size_t byte;          /* 0-based byte in its line */
	int exact;            /* the literal was matched in the source from `byte` on */
	size_t roff;          /* A_TEXT: offset in its run's text */
} atom;

/* Adjacent text atoms of one style and link merged, or one other atom. */
typedef struct item {
	atom_kind kind;
	int style;
	const char *link;
	size_t off, len;      /* A_TEXT: the run's text in para.text */
	size_t a0, a1;        /* its atoms */
} item;

/* One paragraph, heading or table cell being converted. */
typedef struct para {
	ctx *c;
	atom *atoms;
	size_t natoms;
	item *items;
	size_t nitems;
	er_buf text;
	er_inline *out;
	size_t nout;
	unsigned long line, col; /* the block's position, the fallback for its inlines */
	size_t from_byte;        /* where its text starts in its first line */
	int positions;           /* what cmark's inline positions are worth: POS_* */
	unsigned long shift;     /* lines to add to cmark's inline lines */
	unsigned long last_line; /* the block's last line, when known */
	/* The last item_pos walk (item, atom, literal and source offsets), to resume. */
	size_t pc_item, pc_atom, pc_i, pc_j;
	int pc_ok;
} para;

static int same_link(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static er_status add_atom(para *p, cmark_node *node, atom_kind kind, int style, const char *link)
{
	atom *a = grow(p->atoms, p->natoms, sizeof *a);
	const char *lit;

	if (a == NULL)
		return ER_ERR_NOMEM;
	p->atoms = a;
	a += p->natoms++;
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->style = style;
	a->link = link;
	if (kind == A_TEXT || kind == A_CODE) {
		lit = cmark_node_get_literal(node);
		a->s = lit ? lit : "";
		a->n = strlen(a->s);
	} else if (kind == A_FOOT) {
		lit = cmark_node_get_literal(node);
		a->number = lit ? atoi(lit) : 0;
	}
	if (p->positions == POS_ABSOLUTE) {
		if (cmark_node_get_start_line(node) > 0)
			a->cline = (unsigned long)cmark_node_get_start_line(node) + p->c->body_line + p->shift;
		a->ccol = cmark_node_get_start_column(node);
	} else if (p->positions == POS_RELATIVE && cmark_node_get_start_line(node) >= 0) {
		a->cline = p->line + (unsigned long)cmark_node_get_start_line(node);
	}
	return ER_OK;
}

static void nest_error(ctx *c, unsigned long line, unsigned long col)
{
	if (!c->too_deep)
		report(c, c->path, line, col, "Markdown nested too deeply (more than %d levels)", MAX_NEST);
	c->too_deep = 1;
}

/* Flattens the inlines under node into atoms, carrying styles and links down. */
static er_status collect(para *p, cmark_node *node, int style, const char *link, int depth)
{
	cmark_node *ch;
	er_status st = ER_OK;

	if (depth >= MAX_NEST) {
		nest_error(p->c, p->line, p->col);
		return ER_OK;
	}
	for (ch = cmark_node_first_child(node); ch && st == ER_OK; ch = cmark_node_next(ch)) {
		const char *name;
		switch (cmark_node_get_type(ch)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_HTML_INLINE: /* kept as text, as written */
			st = add_atom(p, ch, A_TEXT, style, link);
			break;
		case CMARK_NODE_SOFTBREAK:
			st = add_atom(p, ch, A_SOFT, 0, NULL);
			break;
		case CMARK_NODE_LINEBREAK:
			st = add_atom(p, ch, A_HARD, 0, NULL);
			break;
		case CMARK_NODE_CODE:
			st = add_atom(p, ch, A_CODE, style, link);
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			st = add_atom(p, ch, A_FOOT, style, link);
			break;
		case CMARK_NODE_EMPH:
			st = collect(p, ch, style | ER_STYLE_ITALIC, link, depth + 1);
			break;
		case CMARK_NODE_STRONG:
			st = collect(p, ch, style | ER_STYLE_BOLD, link, depth + 1);
			break;
		case CMARK_NODE_LINK:
			st = collect(p, ch, style, cmark_node_get_url(ch), depth + 1);
			break;
		default:
			/* Images (their alt text), strikethrough, anything else: the children. */
			name = cmark_node_get_type_string(ch);
			st = collect(p, ch, name && strcmp(name, "strikethrough") == 0 ? style | ER_STYLE_STRIKE
			                                                              : style,
			             link, depth + 1);
			break;
		}
	}
	return st;
}

static int is_punct(char ch)
{
	return ch != '\0' && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", ch) != NULL;
}

/* Walks literal t (n bytes) against line s (len bytes) from (*i, *j) until
 * *i reaches upto, allowing for backslash escapes and entity references in
 * the source. Returns 0 where they differ. */
static int walk(const char *s, size_t len, const char *t, size_t n, size_t upto, size_t *i_,
                size_t *j_)
{
	size_t i = *i_, j = *j_;
	int ok = 1;

	while (i < upto) {
		if (j >= len) {
			ok = 0;
			break;
		}
		if (s[j] == '\\' && j + 1 < len && is_punct(s[j + 1])) {
			if (t[i] != s[j + 1]) {
				ok = 0;
				break;
			}
			i++;
			j += 2;
			continue;
		}
		if (s[j] == '&') {
			size_t k = j + 1, cl;
			while (k < len && k - j < 40 &&
			       (s[k] == '#' || (s[k] >= '0' && s[k] <= '9') || (s[k] >= 'a' && s[k] <= 'z') ||
			        (s[k] >= 'A' && s[k] <= 'Z')))
				k++;
			if (k < len && s[k] == ';' && k > j + 1) {
				/* An entity, unless the literal has it as written (an unknown name). */
				if (n - i > k - j && memcmp(t + i, s + j, k + 1 - j) == 0) {
					i += k + 1 - j;
				} else {
					er_utf8_decode(t + i, n - i, &cl);
					i += cl;
				}
				j = k + 1;
				continue;
			}
		}
		if (s[j] != t[i]) {
			ok = 0;
			break;
		}
		i++;
		j++;
	}
	*i_ = i;
	*j_ = j;
	return ok;
}

/* The source offset of literal offset `upto` when t matches s from byte j, or NONE. */
static size_t match_at(const char *s, size_t len, size_t j, const char *t, size_t n, size_t upto)
{
	size_t i = 0;
	return walk(s, len, t, n, upto, &i, &j) ? j : NONE;
}

/* The first byte from `from` on where literal t matches line s, or NONE. A
 * few tries, within the parse's budget: a lookup that fails falls back. */
static size_t search_line(ctx *c, const char *s, size_t len, size_t from, const char *t, size_t n)
{
	size_t k, tries = 0;

	for (k = from; k < len && tries < MAX_TRIES && c->budget > 0; k++, c->budget--) {
		if (n == 0)
			return k;
		if (s[k] != t[0] && s[k] != '\\' && s[k] != '&')
			continue;
		tries++;
		if (match_at(s, len, k, t, n, n) != NONE)
			return k;
	}
	return NONE;
}

/* The first unescaped `mark` from byte `from` of a line, or NONE. */
static size_t find_mark(ctx *c, const char *s, size_t len, size_t from, char mark)
{
	size_t k;

	for (k = from; k < len && c->budget > 0; k++, c->budget--) {
		if (s[k] == '\\')
			k++;
		else if (s[k] == mark)
			return k;
	}
	return NONE;
}

/* The end of the first run of exactly `run` backticks from byte `from` on, or NONE. */
static size_t close_run(const char *s, size_t len, size_t from, size_t run)
{
	size_t i = from, k;

	while (i < len) {
		if (s[i] != '`') {
			i++;
			continue;
		}
		for (k = i; k < len && s[k] == '`'; k++)
			;
		if (k - i == run)
			return k;
		i = k;
	}
	return NONE;
}

/* Literal t found in `line` from byte `from` on: its start, with its end in
 * *end, or NONE. `hint` is cmark's guess (or NONE). When `from` is where the
 * last text ended, the first match after it wins if only emphasis and link
 * marks (or a line's indentation and quote marks) lie between; else (a link
 * destination between, say) the hint. */
static size_t find_in_line(ctx *c, unsigned long line, size_t from, int sure, size_t hint,
                           const char *t, size_t n, size_t *end)
{
	const src_line *l = get_line(c, line);
	const char *s;
	size_t at, hint_end = NONE, k;

	if (l == NULL)
		return NONE;
	s = c->src + l->off;
	if (hint != NONE && hint >= from && hint <= l->len)
		hint_end = match_at(s, l->len, hint, t, n, n);
	if (hint_end != NONE && !sure) {
		*end = hint_end;
		return hint;
	}
	at = search_line(c, s, l->len, from, t, n);
	if (at != NONE && hint_end != NONE && at != hint) {
		for (k = from; k < at && strchr("*_~[]!<> \t", s[k]) != NULL; k++)
			;
		if (k < at)
			at = NONE; /* not just marks: cmark's guess is the better one */
	}
	if (at == NONE && hint_end != NONE) {
		*end = hint_end;
		return hint;
	}
	if (at != NONE)
		*end = match_at(s, l->len, at, t, n, n);
	return at;
}

/* The first unescaped `mark` in `line` from byte `from` on, or NONE. */
static size_t find_mark_in(ctx *c, unsigned long line, size_t from, char mark)
{
	const src_line *l = get_line(c, line);
	return l ? find_mark(c, c->src + l->off, l->len, from, mark) : NONE;
}

/* Where each atom starts in the source. cmark's lines and columns are hints
 * only: lines are counted here (breaks, line ends inside HTML and code
 * spans), and while each text is found where the last one ended, that
 * count is tried first; then cmark's line; then the next few lines of the
 * block (a link destination may hold a line end that nothing shows). */
static void resolve_atoms(para *p)
{
	ctx *c = p->c;
	unsigned long cur = p->line, last = p->last_line ? p->last_line : c->nlines;
	size_t cursor = p->from_byte, i, k;
	int sure = 1;

	for (i = 0; i < p->natoms; i++) {
		atom *a = &p->atoms[i];
		unsigned long cand[6], line = cur;
		size_t ncand = 0, at = NONE, end = NONE;
		char mark = a->kind == A_CODE ? '`' : '[';

		if (a->cline > c->nlines)
			a->cline = 0; /* never past the end, whatever went wrong */
		if (cur > c->nlines)
			cur = c->nlines;

		if (a->kind == A_SOFT || a->kind == A_HARD || (a->kind == A_TEXT && a->n == 0)) {
			/* Breaks end the line; an empty text (beside an email autolink) is here. */
			a->line = cur;
			a->byte = cursor;
			if (a->kind != A_TEXT) {
				cur++;
				cursor = 0;
			}
			continue;
		}
		if (!sure && a->cline != 0)
			cand[ncand++] = a->cline;
		cand[ncand++] = cur;
		if (sure && a->cline != 0 && a->cline != cur)
			cand[ncand++] = a->cline;
		for (k = 1; k <= 3 && cur + k <= last; k++)
			cand[ncand++] = cur + k;
		for (k = 0; k < ncand && at == NONE; k++) {
			size_t from = cand[k] == cur ? cursor : 0;
			size_t hint = cand[k] == a->cline && a->ccol > 0 ? (size_t)a->ccol - 1 : NONE;
			line = cand[k];
			if (a->kind == A_TEXT)
				at = find_in_line(c, line, from, sure && cand[k] == cur, hint, a->s, a->n, &end);
			else
				at = find_mark_in(c, line, from, mark);
		}
		if (at == NONE) {
			/* Not found: cmark's word for it, or where the last one ended. */
			line = a->cline ? a->cline : cur;
			if (line != cur) {
				cur = line;
				cursor = 0;
			}
			a->line = cur;
			a->byte = a->ccol > 0 ? (size_t)a->ccol - 1 : cursor;
			sure = 0;
			continue;
		}
		if (line != cur) {
			cur = line;
			cursor = 0;
		}
		a->line = cur;
		a->byte = at;
		a->exact = a->kind == A_TEXT;
		sure = 1;
		if (a->kind == A_CODE) {
			/* From the first backtick run to the same run again, maybe lines on. */
			const src_line *l = get_line(c, cur);
			size_t run = 0, e = NONE;
			unsigned long ln;
			while (at + run < l->len && c->src[l->off + at + run] == '`')
				run++;
			/* Each line it spans puts at least a space in its text. */
			for (ln = cur; e == NONE && ln <= cur + a->n + 1 && ln <= c->nlines && c->budget > 0;
			     ln++) {
				const src_line *m = get_line(c, ln);
				e = close_run(c->src + m->off, m->len, ln == cur ? at + run : 0, run);
				c->budget = c->budget > m->len ? c->budget - m->len : 0;
			}
			if (e != NONE) {
				cur = ln - 1;
				end = e;
			}
		} else if (a->kind == A_FOOT) {
			const src_line *l = get_line(c, cur);
			for (k = at; k < l->len && c->src[l->off + k] != ']'; k++)
				;
			end = k < l->len ? k + 1 : NONE;
		} else {
			/* HTML inlines may span lines. */
			for (k = 0; k < a->n; k++)
				if (a->s[k] == '\n' || (a->s[k] == '\r' && (k + 1 == a->n || a->s[k + 1] != '\n')))
					cur++;
			if (line != cur) {
				a->exact = 0;
				end = 0;
			}
		}
		if (end != NONE)
			cursor = end;
		else
			sure = 0;
	}
}

/* The file position of byte `off` of item r's text. Lookups move forward
 * through an item, so each resumes where the previous one ended. */
static void item_pos(para *p, size_t r, size_t off, unsigned long *line, unsigned long *col)
{
	const item *it = &p->items[r];
	const atom *a;
	size_t k = it->a0, j;

	if (p->pc_ok && p->pc_item == r && p->atoms[p->pc_atom].roff <= off)
		k = p->pc_atom;
	else
		p->pc_ok = 0;
	while (k + 1 < it->a1 && p->atoms[k + 1].roff <= off)
		k++;
	if (k != p->pc_atom)
		p->pc_ok = 0;
	a = &p->atoms[k];
	*line = a->line;
	j = a->byte;
	if (a->exact && a->kind == A_TEXT) {
		const src_line *l = get_line(p->c, a->line);
		size_t m = off - a->roff, i = 0;
		if (l != NULL) {
			const char *t = p->text.data + it->off + a->roff;
			if (p->pc_ok && p->pc_i <= m) {
				i = p->pc_i;
				j = p->pc_j;
			}
			p->pc_ok = walk(p->c->src + l->off, l->len, t, a->n, m < a->n ? m : a->n, &i, &j);
			p->pc_item = r;
			p->pc_atom = k;
			p->pc_i = i;
			p->pc_j = j;
			if (!p->pc_ok)
				j = a->byte;
		}
	}
	*col = char_col(p->c, a->line, j);
	if (*line == 0) {
		*line = p->line;
		*col = p->col;
	}
}

/* Merges the atoms into items. The text of a run goes into p->text, line
 * ends (html inlines may span lines) made spaces, byte for byte. */
static er_status make_items(para *p)
{
	size_t i, k;

	for (i = 0; i < p->natoms; i++) {
		atom *a = &p->atoms[i];
		item *it = p->nitems ? &p->items[p->nitems - 1] : NULL;
		if (!(a->kind == A_TEXT && it && it->kind == A_TEXT && it->style == a->style &&
		      same_link(it->link, a->link))) {
			it = grow(p->items, p->nitems, sizeof *it);
			if (it == NULL)
				return ER_ERR_NOMEM;
			p->items = it;
			it += p->nitems++;
			it->kind = a->kind;
			it->style = a->style;
			it->link = a->link;
			it->off = p->text.len;
			it->len = 0;
			it->a0 = i;
		}
		it->a1 = i + 1;
		if (a->kind == A_TEXT) {
			size_t at = p->text.len;
			a->roff = it->len;
			if (er_buf_append(&p->text, a->s, a->n) != ER_OK)
				return ER_ERR_NOMEM;
			for (k = at; k < p->text.len; k++)
				if (p->text.data[k] == '\n' || p->text.data[k] == '\r')
					p->text.data[k] = ' ';
			it->len += a->n;
		}
	}
	return ER_OK;
}

static er_inline *new_inline(para *p, er_inline_kind kind, int style, const char *link)
{
	er_inline *o = grow(p->out, p->nout, sizeof *o);

	if (o == NULL)
		return NULL;
	p->out = o;
	o += p->nout;
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->style = style;
	if (link != NULL && (o->link = er_strdup(link)) == NULL)
		return NULL;
	p->nout++;
	return o;
}

/* An inline for text [from, to) of item r at (line, col) (nothing when empty). */
static er_status emit_text(para *p, size_t r, size_t from, size_t to, unsigned long line,
                           unsigned long col)
{
	const item *it = &p->items[r];
	er_inline *o;

	if (from >= to)
		return ER_OK;
	if ((o = new_inline(p, ER_INL_TEXT, it->style, it->link)) == NULL)
		return ER_ERR_NOMEM;
	if ((o->text = er_strndup(p->text.data + it->off + from, to - from)) == NULL)
		return ER_ERR_NOMEM;
	o->line = line;
	o->column = col;
	return ER_OK;
}

static size_t find2(const char *s, size_t n, size_t from, char ch)
{
	size_t i;
	for (i = from; i + 1 < n; i++)
		if (s[i] == ch && s[i + 1] == ch)
			return i;
	return NONE;
}

/* Where a "}}" can close a "{{" of each text item, found once per paragraph
 * so that many "{{" stay linear: its own last "}}", and the first "}}" in
 * the text after it when only line breaks and text of its style and link
 * come between (an expression wrapped over lines). */
typedef struct closes {
	size_t *last;      /* per item: its last "}}", or NONE */
	size_t *next_item; /* per item: the item of the next reachable "}}", or NONE */
	size_t *next_pos;
	size_t last_item;  /* the last item with a "}}", or NONE */
} closes;

static size_t rfind2(const char *s, size_t n, char ch)
{
	size_t i;
	for (i = n; i >= 2; i--)
		if (s[i - 2] == ch && s[i - 1] == ch)
			return i - 2;
	return NONE;
}

static er_status closes_init(const para *p, closes *cl)
{
	size_t r, q;

	cl->last = malloc((p->nitems + 1) * sizeof *cl->last);
	cl->next_item = malloc((p->nitems + 1) * sizeof *cl->next_item);
	cl->next_pos = malloc((p->nitems + 1) * sizeof *cl->next_pos);
	if (cl->last == NULL || cl->next_item == NULL || cl->next_pos == NULL)
		return ER_ERR_NOMEM;
	cl->last_item = NONE;
	for (r = 0; r < p->nitems; r++) {
		const item *it = &p->items[r];
		cl->last[r] = it->kind == A_TEXT ? rfind2(p->text.data + it->off, it->len, '}') : NONE;
		if (cl->last[r] != NONE)
			cl->last_item = r;
	}
	for (r = p->nitems; r-- > 0;) {
		const item *it = &p->items[r];
		cl->next_item[r] = cl->next_pos[r] = NONE;
		if (it->kind != A_TEXT)
			continue;
		for (q = r + 1; q < p->nitems && (p->items[q].kind == A_SOFT || p->items[q].kind == A_HARD);
		     q++)
			;
		if (q == p->nitems || q == r + 1 || p->items[q].kind != A_TEXT ||
		    p->items[q].style != it->style || !same_link(p->items[q].link, it->link))
			continue;
		if (cl->last[q] != NONE) {
			cl->next_item[r] = q;
			cl->next_pos[r] = find2(p->text.data + p->items[q].off, p->items[q].len, 0, '}');
		} else {
			cl->next_item[r] = cl->next_item[q];
			cl->next_pos[r] = cl->next_pos[q];
		}
	}
	return ER_OK;
}

static void closes_free(closes *cl)
{
	free(cl->last);
	free(cl->next_item);
	free(cl->next_pos);
}

/* Where the "}}" closing a "{{" that ends at `from` in item r is. Returns 1
 * with *cr, *cpos, else 0 with *later set when a "}}" follows elsewhere in
 * the paragraph (Markdown formatting in between). */
static int find_close(const para *p, const closes *cl, size_t r, size_t from, size_t *cr,
                      size_t *cpos, int *later)
{
	const item *it = &p->items[r];

	*later = 0;
	if (cl->last[r] != NONE && cl->last[r] >= from) {
		*cr = r;
		*cpos = find2(p->text.data + it->off, it->len, from, '}');
		return 1;
	}
	if (cl->next_item[r] != NONE) {
		*cr = cl->next_item[r];
		*cpos = cl->next_pos[r];
		return 1;
	}
	*later = cl->last_item != NONE && cl->last_item > r;
	return 0;
}

/* The text between (r, from) and (cr, cpos), line breaks as spaces, trimmed. */
static er_status expr_text(para *p, size_t r, size_t from, size_t cr, size_t cpos, char **out)
{
	er_buf b = ER_BUF_INIT;
	size_t j, s, e;
	er_status st = ER_OK;

	*out = NULL;
	for (j = r; j <= cr && st == ER_OK; j++) {
		const item *q = &p->items[j];
		size_t a = j == r ? from : 0, z = j == cr ? cpos : q->len;
		if (q->kind == A_TEXT)
			st = er_buf_append(&b, p->text.data + q->off + a, z - a);
		else
			st = er_buf_putc(&b, ' ');
	}
	if (st == ER_OK) {
		for (s = 0; s < b.len && strchr(" \t\n", b.data[s]); s++)
			;
		for (e = b.len; e > s && strchr(" \t\n", b.data[e - 1]); e--)
			;
		if ((*out = er_strndup(b.data ? b.data + s : "", e - s)) == NULL)
			st = ER_ERR_NOMEM;
	}
	er_buf_free(&b);
	return st;
}

/* Turns the items into er_inlines, splitting {{ EXPR }} out of the text. */
static er_status scan_items(para *p)
{
	size_t r = 0, from = 0, search = 0;
	unsigned long fline = 0, fcol = 0; /* where `from` is, once looked up */
	int hopeless = 0; /* a "{{" with no "}}" after it: neither has any later one */
	closes cl = {NULL, NULL, NULL, NONE};
	er_status st = closes_init(p, &cl);

	while (r < p->nitems && st == ER_OK) {
		const item *it = &p->items[r];
		const atom *a = &p->atoms[it->a0];
		size_t open, cr, cpos;
		unsigned long line, col;
		int later;
		char *expr;
		er_inline *o;

		if (it->kind != A_TEXT) {
			static const er_inline_kind kinds[] = {ER_INL_TEXT, ER_INL_SOFTBREAK, ER_INL_LINEBREAK,
			                                       ER_INL_CODE, ER_INL_FOOTREF};
			int styled = it->kind == A_CODE || it->kind == A_FOOT;
			if ((o = new_inline(p, kinds[it->kind], styled ? it->style : 0,
			                    styled ? it->link : NULL)) == NULL) {
				st = ER_ERR_NOMEM;
				break;
			}
			o->number = a->number;
			if (it->kind == A_CODE && (o->text = er_strndup(a->s, a->n)) == NULL) {
				st = ER_ERR_NOMEM;
				break;
			}
			o->line = a->line ? a->line : p->line;
			o->column = a->line ? char_col(p->c, a->line, a->byte) : p->col;
			r++;
			from = search = 0;
			continue;
		}
		/* Positions are looked up in order along the text: each resumes the last. */
		if (fline == 0)
			item_pos(p, r, from, &fline, &fcol);
		open = hopeless ? NONE : find2(p->text.data + it->off, it->len, search, '{');
		if (open == NONE) {
			st = emit_text(p, r, from, it->len, fline, fcol);
			fline = 0;
			r++;
			from = search = 0;
			continue;
		}
		item_pos(p, r, open, &line, &col);
		if (!find_close(p, &cl, r, open + 2, &cr, &cpos, &later)) {
			if (later) {
				report(p->c, p->c->path, line, col,
				       "Markdown formatting inside {{ }}: escape the *, _, ~ or ` there with a "
				       "backslash");
			} else {
				report(p->c, p->c->path, line, col, "\"{{\" is not closed with \"}}\"");
				hopeless = 1;
			}
			search = open + 2; /* the "{{" stays text */
			continue;
		}
		if ((st = expr_text(p, r, open + 2, cr, cpos, &expr)) != ER_OK)
			break;
		if (expr[0] == '\0') {
			free(expr);
			report(p->c, p->c->path, line, col, "empty {{ }}");
			search = open + 2;
			continue;
		}
		if ((st = emit_text(p, r, from, open, fline, fcol)) != ER_OK ||
		    (o = new_inline(p, ER_INL_EXPR, it->style, it->link)) == NULL) {
			free(expr);
			st = st != ER_OK ? st : ER_ERR_NOMEM;
			break;
		}
		o->text = expr;
		o->line = line;
		o->column = col;
		r = cr;
		from = search = cpos + 2;
		fline = 0;
	}
	closes_free(&cl);
	return st;
}

/* The last line of a block: cmark says LINE:0 for the end of the line before. */
static int end_line(cmark_node *node)
{
	int line = cmark_node_get_end_line(node);
	return line > 0 && cmark_node_get_end_column(node) == 0 ? line - 1 : line;
}

/* The inlines of a paragraph, heading or cell at (line, col); its text
 * starts at byte from_byte of the line; `positions` is a POS_*; `shift`
 * lines are added to cmark's. */
static er_status convert_inlines(ctx *c, cmark_node *node, unsigned long line, unsigned long col,
                                 size_t from_byte, int positions, unsigned long shift, int depth,
                                 er_inline **out, size_t *nout)
{
	para p;
	er_status st;
	int last = end_line(node);

	memset(&p, 0, sizeof p);
	if (positions == POS_ABSOLUTE && last > 0 && (unsigned long)last + c->body_line >= line)
		p.last_line = (unsigned long)last + c->body_line;
	p.shift = shift;
	p.c = c;
	p.line = line;
	p.col = col;
	p.from_byte = from_byte;
	p.positions = positions;
	st = collect(&p, node, 0, NULL, depth);
	if (st == ER_OK) {
		resolve_atoms(&p);
		st = make_items(&p);
	}
	if (st == ER_OK)
		st = scan_items(&p);
	free(p.atoms);
	free(p.items);
	er_buf_free(&p.text);
	if (st != ER_OK) {
		inlines_free(p.out, p.nout);
		return st;
	}
	*out = p.out;
	*nout = p.nout;
	return ER_OK;
}

/* ---- YAML blocks -------------------------------------------------------- */

/* Columns in a fenced block are relative to its text, which cmark took out
 * of its containers and indentation: each line's offset is what precedes
 * that text in the source line. */
typedef struct yshift {
	ctx *c;
	unsigned long first;   /* the file line of the block's first text line */
	unsigned long *prefix; /* characters before each text line */
	size_t nprefix;
	unsigned long dflt;    /* for lines not found */
} yshift;

static unsigned long shift_col(const yshift *y, unsigned long line, unsigned long col)
{
	if (col == 0)
		return 0;
	if (line >= y->first && line - y->first < y->nprefix)
		return col + y->prefix[line - y->first];
	return col + y->dflt;
}

static void shift_diag(void *ctx_, const er_diag *d)
{
	const yshift *y = ctx_;
	er_diag_emit(y->c->diag, d->severity, d->file, d->line, shift_col(y, d->line, d->column), "%s",
	             d->message);
}

static void shift_tree(const yshift *y, er_ynode *n)
{
	size_t i;
	n->column = shift_col(y, n->line, n->column);
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			shift_tree(y, n->keys[i]);
		shift_tree(y, n->items[i]);
	}
}

static er_status yshift_init(yshift *y, ctx *c, const char *lit, size_t n, unsigned long first,
                             unsigned long fence_col)
{
	size_t count = 0, i, at = 0, next;

	y->c = c;
	y->first = first;
	y->dflt = fence_col > 0 ? fence_col - 1 : 0;
	for (i = 0; i < n; i++)
		if (lit[i] == '\n' || (lit[i] == '\r' && (i + 1 == n || lit[i + 1] != '\n')))
			count++;
	count++;
	y->prefix = malloc(count * sizeof *y->prefix);
	if (y->prefix == NULL)
		return ER_ERR_NOMEM;
	y->nprefix = count;
	for (i = 0; i < count; i++) {
		size_t end = line_end(lit, n, at, &next), len = end - at;
		const src_line *l = get_line(c, first + i);
		y->prefix[i] = y->dflt;
		/* The empty line after the last line end is the closing fence's. */
		if (l != NULL && (i + 1 < count || len > 0) && l->len >= len &&
		    memcmp(c->src + l->off + l->len - len, lit + at, len) == 0)
			y->prefix[i] = (unsigned long)er_utf8_count(c->src + l->off, l->len - len);
		at = next;
	}
	return ER_OK;
}

static er_status code_block(ctx *c, cmark_node *node, unsigned long line, unsigned long col,
                            er_block **out)
{
	static const struct {
		const char *word;
		er_block_kind kind;
	} kinds[] = {{"data", ER_BLK_DATA}, {"table", ER_BLK_TABLE}, {"chart", ER_BLK_CHART}};
	const char *info = cmark_node_get_fence_info(node), *lit = cmark_node_get_literal(node);
	size_t w = 0, i, n;
	er_diag_sink fwd = {shift_diag, NULL, 0, 0};
	yshift y = {0};
	er_ynode *yaml = NULL;
	er_block *b = NULL;
	er_status st = ER_OK;

	*out = NULL;
	info = info ? info : "";
	lit = lit ? lit : "";
	n = strlen(lit);
	while (info[w] && info[w] != ' ' && info[w] != '\t')
		w++;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i].word) == w && memcmp(info, kinds[i].word, w) == 0)
			break;
	if (i == sizeof kinds / sizeof kinds[0]) {
		b = block_new(ER_BLK_CODE, line, col);
		if (b == NULL || (b->code = dup_text(lit, n)) == NULL) {
			block_free(b);
			return ER_ERR_NOMEM;
		}
		*out = b;
		return ER_OK;
	}
	/* The YAML's line 1 is the line after the fence. */
	if ((st = yshift_init(&y, c, lit, n, line + 1, col)) != ER_OK)
		return st;
	fwd.ctx = &y;
	st = er_yaml_parse(lit, n, c->path, line, &fwd, &yaml);
	if (st == ER_ERR_NOMEM)
		goto out;
	if (st != ER_OK) {
		c->errors++;
		st = ER_OK;
		goto out;
	}
	if (yaml == NULL || yaml->type != ER_Y_MAP) {
		report(c, c->path, line, col, "a ```%s block holds a YAML map of settings", kinds[i].word);
		goto out;
	}
	shift_tree(&y, yaml);
	if ((b = block_new(kinds[i].kind, line, col)) == NULL) {
		st = ER_ERR_NOMEM;
		goto out;
	}
	b->yaml = yaml;
	yaml = NULL;
	*out = b;
out:
	er_yaml_free(yaml);
	free(y.prefix);
	return st;
}

/* ---- blocks ------------------------------------------------------------- */

static er_status convert_block(ctx *c, cmark_node *node, int depth, er_block **out);

static er_status convert_children(ctx *c, cmark_node *node, int depth, er_block *b)
{
	cmark_node *ch;
	er_status st = ER_OK;

	for (ch = cmark_node_first_child(node); ch && st == ER_OK; ch = cmark_node_next(ch)) {
		er_block *k;
		if ((st = convert_block(c, ch, depth + 1, &k)) == ER_OK && k != NULL)
			st = push_block(&b->children, &b->nchildren, k);
	}
	return st;
}

/* The byte where each cell of a table row starts (after its "|"), found by
 * splitting the line at unescaped pipes after its indentation and the marks
 * of the `quotes` block quotes around it; NONE past the end. */
static void cell_starts(const ctx *c, unsigned long line, int quotes, size_t *starts,
                        size_t cols)
{
	const src_line *l = get_line(c, line);
	const char *s = l ? c->src + l->off : "";
	size_t len = l ? l->len : 0, i = 0, k = 0;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (quotes-- <= 0 || i == len || s[i] != '>')
			break;
		i++;
	}
	if (i < len && s[i] == '|')
		i++;
	if (k < cols)
		starts[k++] = i < len ? i : NONE;
	for (; i < len && k < cols; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '|')
			starts[k++] = i + 1 < len ? i + 1 : NONE;
	}
	while (k < cols)
		starts[k++] = NONE;
}

/* A GitHub table. cmark-gfm 0.29 misplaces a table that directly follows
 * paragraph lines: the table and its header row get the paragraph's start,
 * and the header cells columns counted in the paragraph's text. The
 * delimiter row is right after the header, so the first body row (or the
 * table's end) says where the header is; when that differs, the header's
 * cells are found in its line. */
static er_status table_block(ctx *c, cmark_node *node, unsigned long line, unsigned long col,
                             int depth, er_block *b)
{
	size_t cols = cmark_gfm_extensions_get_table_columns(node), rows = 0, r, k, *starts = NULL;
	uint8_t *al = cmark_gfm_extensions_get_table_alignments(node);
	cmark_node *row, *cell, *second;
	int head = cmark_node_get_start_line(node), misplaced;
	er_status st = ER_OK;

	for (row = cmark_node_first_child(node); row; row = cmark_node_next(row))
		rows++;
	if (cols > 0 && rows > SIZE_MAX / sizeof *b->cells / cols)
		return ER_ERR_NOMEM;
	b->cells = calloc(rows * cols > 0 ? rows * cols : 1, sizeof *b->cells);
	b->align = calloc(cols + 1, 1);
	starts = calloc(cols + 1, sizeof *starts);
	if (b->cells == NULL || b->align == NULL || starts == NULL) {
		free(starts);
		return ER_ERR_NOMEM;
	}
	b->rows = rows;
	b->cols = cols;
	for (k = 0; k < cols && al; k++)
		b->align[k] = al[k] == 'l' || al[k] == 'c' || al[k] == 'r' ? (char)al[k] : 0;
	second = cmark_node_first_child(node) ? cmark_node_next(cmark_node_first_child(node)) : NULL;
	if (second && cmark_node_get_start_line(second) > 2)
		head = cmark_node_get_start_line(second) - 2;
	else if (!second && cmark_node_get_end_line(node) > 1)
		head = cmark_node_get_end_line(node) - 1;
	misplaced = head != cmark_node_get_start_line(node) && head > 0;
	if (misplaced) {
		int quotes = 0;
		for (row = cmark_node_parent(node); row; row = cmark_node_parent(row))
			quotes += cmark_node_get_type(row) == CMARK_NODE_BLOCK_QUOTE;
		b->line = (unsigned long)head + c->body_line;
		cell_starts(c, b->line, quotes, starts, cols);
	}
	for (row = cmark_node_first_child(node), r = 0; row && st == ER_OK;
	     row = cmark_node_next(row), r++) {
		unsigned long rline, rcol;
		file_pos(c, cmark_node_get_start_line(row), cmark_node_get_start_column(row), &rline,
		         &rcol);
		if (rline == 0 || (r == 0 && misplaced)) {
			rline = b->line;
			rcol = b->column;
		}
		for (cell = cmark_node_first_child(row), k = 0; cell && k < cols && st == ER_OK;
		     cell = cmark_node_next(cell), k++) {
			unsigned long cl, cc;
			size_t from = 0;
			int pos = POS_ABSOLUTE;
			er_cell *ce = &b->cells[r * cols + k];
			file_pos(c, cmark_node_get_start_line(cell), cmark_node_get_start_column(cell), &cl,
			         &cc);
			if (r == 0 && misplaced) {
				cl = rline;
				cc = starts[k] != NONE ? char_col(c, rline, starts[k]) : rcol;
				from = starts[k] != NONE ? starts[k] : 0;
				pos = POS_NONE;
			} else if (cl == 0 || cc == 0) {
				cl = rline;
				cc = rcol;
			}
			st = convert_inlines(c, cell, cl, cc, from, pos, 0, depth + 1, &ce->inl, &ce->ninl);
		}
	}
	free(starts);
	return st;
}

/* cmark places a footnote definition at its text; its "[^label]:" is before. */
static unsigned long footnote_col(const ctx *c, unsigned long line, unsigned long col)
{
	const src_line *l = get_line(c, line);
	const char *s = l ? c->src + l->off : NULL;
	unsigned long at = 1, last = 0;
	size_t i;

	for (i = 0; s != NULL && i + 1 < l->len && at < col; i++) {
		if (s[i] == '[' && s[i + 1] == '^')
			last = at;
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			at++;
	}
	return last ? last : col;
}

/* Whether a text node's literal is at cmark's column of `line`, or after
 * the indentation there (which cmark drops from a paragraph's lines). */
static int text_at(ctx *c, cmark_node *n, unsigned long line)
{
	const src_line *l = get_line(c, line);
	const char *lit = cmark_node_get_literal(n), *s;
	int col = cmark_node_get_start_column(n);
	size_t j, len;

	if (l == NULL || lit == NULL || col < 1)
		return 0;
	s = c->src + l->off;
	len = strlen(lit);
	for (j = (size_t)col - 1; j < l->len && (s[j] == ' ' || s[j] == '\t'); j++)
		;
	return match_at(s, l->len, (size_t)col - 1, lit, len, len) != NONE ||
	       match_at(s, l->len, j, lit, len, len) != NONE;
}

/* cmark-gfm 0.29 starts a paragraph at the link reference definitions
 * before its text, and numbers the lines of its inlines from there (their
 * columns are right). Where the paragraph starts with "[", the shift is the
 * first one that puts its first text where cmark says. */
static unsigned long text_shift(ctx *c, cmark_node *node)
{
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *first = NULL;
	unsigned long line, shift, most;
	int last = 0, col = cmark_node_get_start_column(node);
	const src_line *l = NULL;

	if (cmark_node_get_start_line(node) > 0)
		l = get_line(c, (unsigned long)cmark_node_get_start_line(node) + c->body_line);
	if (l == NULL || col < 1 || (size_t)col > l->len || c->src[l->off + col - 1] != '[')
		return 0;
	if ((it = cmark_iter_new(node)) == NULL)
		return 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || n == node)
			continue;
		if (first == NULL && cmark_node_get_type(n) == CMARK_NODE_TEXT &&
		    cmark_node_get_start_line(n) > 0)
			first = n;
		if (cmark_node_get_end_line(n) > last)
			last = cmark_node_get_end_line(n);
		if (cmark_node_get_start_line(n) > last)
			last = cmark_node_get_start_line(n);
	}
	cmark_iter_free(it);
	/* The shift cannot take the last inline past the end. */
	if (first == NULL || end_line(node) <= last)
		return 0;
	line = (unsigned long)cmark_node_get_start_line(first) + c->body_line;
	if (text_at(c, first, line))
		return 0;
	most = (unsigned long)(end_line(node) - last);
	for (shift = 1; shift <= most && shift <= 1000; shift++)
		if (text_at(c, first, line + shift))
			return shift;
	return 0;
}

/* The block for a cmark block node, or *out = NULL for nothing. */
static er_status convert_block(ctx *c, cmark_node *node, int depth, er_block **out)
{
	const char *name = cmark_node_get_type_string(node);
	unsigned long line, col;
	er_block *b = NULL;
	er_status st = ER_OK;
	int positions = POS_ABSOLUTE;
	unsigned long shift;
	er_block_kind kind;
	const char *lit;
	size_t n;

	*out = NULL;
	file_pos(c, cmark_node_get_start_line(node), cmark_node_get_start_column(node), &line, &col);
	if (line == 0) {
		/* cmark-gfm 0.29 leaves the paragraph before a table that cut it off
		 * without a position (and its inlines relative to it); the table has
		 * the paragraph's start. Anything else without one: near enough. */
		cmark_node *near = cmark_node_next(node) ? cmark_node_next(node) : cmark_node_parent(node);
		positions = POS_RELATIVE;
		if (near != NULL)
			file_pos(c, cmark_node_get_start_line(near), cmark_node_get_start_column(near), &line,
			         &col);
	}
	if (depth >= MAX_NEST) {
		nest_error(c, line, col);
		return ER_OK;
	}
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		shift = positions == POS_ABSOLUTE ? text_shift(c, node) : 0;
		kind = cmark_node_get_type(node) == CMARK_NODE_HEADING ? ER_BLK_HEADING : ER_BLK_PARA;
		b = block_new(kind, line + shift, col);
		if (b == NULL)
			return ER_ERR_NOMEM;
		if (b->kind == ER_BLK_HEADING)
			b->level = cmark_node_get_heading_level(node);
		st = convert_inlines(c, node, line + shift, col, 0, positions, shift, depth, &b->inl,
		                     &b->ninl);
		break;
	case CMARK_NODE_LIST:
		if ((b = block_new(ER_BLK_LIST, line, col)) == NULL)
			return ER_ERR_NOMEM;
		b->ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
		b->start = b->ordered ? cmark_node_get_list_start(node) : 0;
		st = convert_children(c, node, depth, b);
		break;
	case CMARK_NODE_ITEM:
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		b = block_new(cmark_node_get_type(node) == CMARK_NODE_ITEM          ? ER_BLK_ITEM
		              : cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE ? ER_BLK_QUOTE
		                                                                     : ER_BLK_FOOTNOTE,
		              line, col);
		if (b == NULL)
			return ER_ERR_NOMEM;
		if (b->kind == ER_BLK_FOOTNOTE)
			b->column = footnote_col(c, line, col);
		st = convert_children(c, node, depth, b);
		break;
	case CMARK_NODE_CODE_BLOCK:
		return code_block(c, node, line, col, out);
	case CMARK_NODE_HTML_BLOCK:
		/* Kept as the text it is: a PDF has no HTML. */
		lit = cmark_node_get_literal(node);
		lit = lit ? lit : "";
		n = strlen(lit);
		while (n > 0 && (lit[n - 1] == '\n' || lit[n - 1] == '\r'))
			n--;
		if ((b = block_new(ER_BLK_PARA, line, col)) == NULL)
			return ER_ERR_NOMEM;
		if (n > 0) {
			if ((b->inl = calloc(1, sizeof *b->inl)) == NULL ||
			    (b->inl[0].text = dup_text(lit, n)) == NULL) {
				st = ER_ERR_NOMEM;
				break;
			}
			b->ninl = 1;
			b->inl[0].kind = ER_INL_TEXT;
			b->inl[0].line = line;
			b->inl[0].column = col;
		}
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		if ((b = block_new(ER_BLK_RULE, line, col)) == NULL)
			return ER_ERR_NOMEM;
		break;
	default:
		if (name == NULL || strcmp(name, "table") != 0)
			return ER_OK;
		if ((b = block_new(ER_BLK_PIPE_TABLE, line, col)) == NULL)
			return ER_ERR_NOMEM;
		st = table_block(c, node, line, col, depth, b);
		break;
	}
	if (st != ER_OK) {
		block_free(b);
		return st;
	}
	*out = b;
	return ER_OK;
}

/* Refuses a run of more than MAX_RUN bytes of lines without a blank line
 * between them in the body (from byte `body`), naming where it starts. */
static void check_runs(ctx *c, size_t body)
{
	size_t i, start = 0, bytes = 0, k;
	int in_run = 0;

	for (i = 0; i < c->nlines; i++) {
		const src_line *l = &c->lines[i];
		int blank = 1;
		if (l->off < body)
			continue;
		for (k = 0; k < l->len && blank; k++)
			blank = c->src[l->off + k] == ' ' || c->src[l->off + k] == '\t' ||
			        c->src[l->off + k] == '\r';
		if (blank) {
			in_run = 0;
			continue;
		}
		if (!in_run) {
			in_run = 1;
			start = i;
			bytes = 0;
		}
		bytes += l->len + 1;
		if (bytes > MAX_RUN) {
			report(c, c->path, start + 1, 1,
			       "more than %u bytes of text without a blank line, from here to line %zu: "
			       "put blank lines between paragraphs",
			       MAX_RUN, i + 1);
			c->too_long = 1;
			return;
		}
	}
}

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;

/* cmark-gfm registers its extensions in a global list, without a lock. */
static void register_extensions(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static er_status parse_body(ctx *c, const char *body, size_t n)
{
	static const char *const exts[] = {"table", "strikethrough", "autolink"};
	cmark_parser *parser;
	cmark_node *doc = NULL, *node;
	er_template *t = c->t;
	er_status st = ER_OK;
	size_t i;

	pthread_once(&extensions_once, register_extensions);
	parser = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES);
	if (parser == NULL)
		return ER_ERR_NOMEM;
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e == NULL || !cmark_parser_attach_syntax_extension(parser, e)) {
			st = ER_ERR_INTERNAL;
			goto out;
		}
	}
	cmark_parser_feed(parser, body, n);
	if ((doc = cmark_parser_finish(parser)) == NULL) {
		st = ER_ERR_NOMEM;
		goto out;
	}
	/* cmark-gfm puts the footnote definitions last, in the order of their
	 * first reference (the number it gives the references), and drops the
	 * ones never referenced. */
	for (node = cmark_node_first_child(doc); node && st == ER_OK; node = cmark_node_next(node)) {
		er_block *b;
		if ((st = convert_block(c, node, 0, &b)) != ER_OK || b == NULL)
			continue;
		if (b->kind == ER_BLK_FOOTNOTE) {
			b->number = (int)t->nfootnotes + 1;
			st = push_block(&t->footnotes, &t->nfootnotes, b);
		} else {
			st = push_block(&t->blocks, &t->nblocks, b);
		}
	}
out:
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return st;
}

/* ---- the whole ---------------------------------------------------------- */

er_status er_template_parse(const char *path, const char *src, size_t n, const er_set *sets,
                            size_t nsets, er_diag_sink *diag, er_template **out)
{
	ctx c;
	size_t body = 0, bad, i;
	er_status st = ER_OK;

	*out = NULL;
	memset(&c, 0, sizeof c);
	c.path = path;
	c.src = src ? src : "";
	c.n = src ? n : 0;
	c.diag = diag;
	if (c.n >= 3 && memcmp(c.src, "\xEF\xBB\xBF", 3) == 0) {
		c.src += 3;
		c.n -= 3;
	}
	c.budget = 8 * c.n + 65536;
	if ((c.t = calloc(1, sizeof *c.t)) == NULL)
		return ER_ERR_NOMEM;
	if (path != NULL && (c.t->path = er_strdup(path)) == NULL) {
		st = ER_ERR_NOMEM;
		goto out;
	}
	if ((st = split_lines(&c)) != ER_OK)
		goto out;
	/* cmark would pass bad bytes on to the fonts; say where they are instead. */
	if (!er_utf8_valid(c.src, c.n, &bad)) {
		for (i = 0; i + 1 < c.nlines && c.lines[i + 1].off <= bad; i++)
			;
		if (c.src[bad] == '\0')
			report(&c, path, i + 1, char_col(&c, i + 1, bad - c.lines[i].off),
			       "a NUL byte: a template is text");
		else
			report(&c, path, i + 1, char_col(&c, i + 1, bad - c.lines[i].off),
			       "invalid UTF-8 (byte 0x%02X): save the template as UTF-8",
			       (unsigned char)c.src[bad]);
		goto out;
	}
	if ((st = read_front(&c, &body)) != ER_OK)
		goto out;
	if (body == c.n && c.errors > 0)
		goto out; /* not closed: the rest is not Markdown */
	if (c.t->front == NULL || c.t->front->type == ER_Y_MAP)
		for (i = 0; i < nsets && st == ER_OK; i++)
			st = apply_set(&c, &sets[i]);
	if (st == ER_OK)
		check_runs(&c, body);
	if (st == ER_OK && !c.too_long)
		st = parse_body(&c, c.src + body, c.n - body);
out:
	free(c.lines);
	if (st == ER_OK && c.errors > 0)
		st = c.too_deep || c.too_long ? ER_ERR_LIMIT : ER_ERR_DATA;
	if (st != ER_OK) {
		er_template_free(c.t);
		return st;
	}
	*out = c.t;
	return ER_OK;
}
