/* data.c - named datasets of a report: sources, ```data blocks, {{ }}. */
#define _GNU_SOURCE /* open_memstream is POSIX 2008; declared under the feature macros */
#include "data.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "core/expr.h"
#include "core/query.h"
#include "ingest/ingest.h"
#include "layout/axis.h"

typedef struct dataset {
	char *name;
	unsigned long line, column;  /* where it is declared */
	/* A source... */
	char *path;
	er_csv_options csv;
	er_tz *tz;
	/* ...or a ```data block. */
	const er_ynode *block;
	int computing;               /* guards against a block that uses itself */
	er_result *table;            /* once read or computed */
} dataset;

struct er_datasets {
	const er_ynode *front;
	char *dir, *file;
	int fiscal;
	er_diag_sink *diag;
	dataset *v;
	size_t n;
};

er_status er_datasets_new(const char *template_path, int fiscal_start, er_diag_sink *diag,
                          er_datasets **out)
{
	er_datasets *ds = calloc(1, sizeof *ds);
	const char *slash = strrchr(template_path, '/');
	*out = NULL;
	if (ds == NULL)
		return ER_ERR_NOMEM;
	ds->dir = slash ? er_strndup(template_path, (size_t)(slash - template_path)) : er_strdup(".");
	ds->file = er_strdup(template_path);
	ds->fiscal = fiscal_start;
	ds->diag = diag;
	if (ds->dir == NULL || ds->file == NULL) {
		er_datasets_free(ds);
		return ER_ERR_NOMEM;
	}
	*out = ds;
	return ER_OK;
}

void er_datasets_free(er_datasets *ds)
{
	size_t i;
	if (ds == NULL)
		return;
	for (i = 0; i < ds->n; i++) {
		free(ds->v[i].name);
		free(ds->v[i].path);
		er_tz_free(ds->v[i].tz);
		er_result_free(ds->v[i].table);
	}
	free(ds->v);
	free(ds->dir);
	free(ds->file);
	free(ds);
}

static er_status fail(er_datasets *ds, const er_ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static er_status fail(er_datasets *ds, const er_ynode *at, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	er_diag_emit(ds->diag, ER_SEV_ERROR, ds->file, at ? at->line : 0, at ? at->column : 0, "%s",
	             msg);
	return ER_ERR_DATA;
}

void er_datasets_set_front(er_datasets *ds, const er_ynode *front)
{
	ds->front = front;
}

/* Replaces {{ key }} by the front matter's value of key. */
static er_status expand(er_datasets *ds, const er_ynode *at, const char *text, char **out)
{
	er_buf b = ER_BUF_INIT;
	const char *p = text;
	er_status st = ER_OK;
	*out = NULL;
	while (st == ER_OK && *p) {
		const char *open = strstr(p, "{{"), *close;
		char key[128];
		size_t n;
		const er_ynode *v;
		if (open == NULL) {
			st = er_buf_puts(&b, p);
			break;
		}
		close = strstr(open + 2, "}}");
		if (close == NULL) {
			er_buf_free(&b);
			return fail(ds, at, "\"{{\" is not closed with \"}}\"");
		}
		st = er_buf_append(&b, p, (size_t)(open - p));
		open += 2;
		while (open < close && *open == ' ')
			open++;
		n = (size_t)(close - open);
		while (n && open[n - 1] == ' ')
			n--;
		snprintf(key, sizeof key, "%.*s", (int)n, open);
		v = er_yaml_get(ds->front, key);
		if (v == NULL || v->type != ER_Y_SCALAR) {
			er_buf_free(&b);
			return fail(ds, at, "{{ %s }}: not a value of the front matter", key);
		}
		if (st == ER_OK)
			st = er_buf_puts(&b, v->text);
		p = close + 2;
	}
	if (st == ER_OK)
		st = er_buf_take(&b, out);
	er_buf_free(&b);
	return st;
}

static dataset *find(er_datasets *ds, const char *name)
{
	size_t i;
	for (i = 0; i < ds->n; i++)
		if (strcmp(ds->v[i].name, name) == 0)
			return &ds->v[i];
	return NULL;
}

static er_status add(er_datasets *ds, const er_ynode *key, const char *name, dataset **out)
{
	dataset *nv;
	if (find(ds, name))
		return fail(ds, key, "dataset \"%s\" is defined twice", name);
	nv = realloc(ds->v, (ds->n + 1) * sizeof *nv);
	if (nv == NULL)
		return ER_ERR_NOMEM;
	ds->v = nv;
	memset(&nv[ds->n], 0, sizeof nv[ds->n]);
	nv[ds->n].name = er_strdup(name);
	if (nv[ds->n].name == NULL)
		return ER_ERR_NOMEM;
	nv[ds->n].line = key ? key->line : 0;
	nv[ds->n].column = key ? key->column : 0;
	er_csv_options_defaults(&nv[ds->n].csv);
	*out = &nv[ds->n++];
	return ER_OK;
}

static int scalar(const er_ynode *n)
{
	return n && n->type == ER_Y_SCALAR;
}

er_status er_datasets_declare(er_datasets *ds, const er_ynode *map)
{
	size_t i, k;
	er_status st = ER_OK;

	if (map == NULL)
		return ER_OK;
	if (map->type != ER_Y_MAP)
		return fail(ds, map, "data: expected a map of NAME: PATH");
	for (i = 0; i < map->n && st == ER_OK; i++) {
		const er_ynode *key = map->keys[i], *v = map->items[i], *path = v;
		dataset *d;
		st = add(ds, key, key->text, &d);
		if (st != ER_OK)
			break;
		if (v->type == ER_Y_MAP) {
			path = er_yaml_get(v, "path");
			for (k = 0; k < v->n && st == ER_OK; k++) {
				const char *o = v->keys[k]->text;
				const er_ynode *ov = v->items[k];
				if (strcmp(o, "path") == 0)
					continue;
				if (!scalar(ov)) {
					st = fail(ds, ov, "%s: expected a value", o);
				} else if (strcmp(o, "format") == 0) {
					if (strcmp(ov->text, "csv") == 0)
						d->csv.format = ER_FORMAT_CSV;
					else if (strcmp(ov->text, "codecarbon") == 0)
						d->csv.format = ER_FORMAT_CODECARBON;
					else
						st = fail(ds, ov, "format: expected csv or codecarbon, not \"%s\"", ov->text);
				} else if (strcmp(o, "bad_rows") == 0) {
					if (strcmp(ov->text, "skip") == 0)
						d->csv.bad_rows = ER_BAD_ROWS_SKIP;
					else if (strcmp(ov->text, "error") == 0)
						d->csv.bad_rows = ER_BAD_ROWS_ERROR;
					else
						st = fail(ds, ov, "bad_rows: expected error or skip, not \"%s\"", ov->text);
				} else if (strcmp(o, "timezone") == 0) {
					er_status ts = er_tz_load(ov->text, &d->tz);
					if (ts == ER_ERR_USAGE)
						st = fail(ds, ov, "timezone: unknown time zone \"%s\"", ov->text);
					else
						st = ts;
				} else if (strcmp(o, "delimiter") == 0) {
					if (strcmp(ov->text, "tab") == 0)
						d->csv.delimiter = '\t';
					else if (strlen(ov->text) == 1 && strchr(",;|", ov->text[0]))
						d->csv.delimiter = ov->text[0];
					else
						st = fail(ds, ov, "delimiter: expected , ; | or tab");
				} else if (strcmp(o, "decimal") == 0) {
					if (strcmp(ov->text, ".") == 0 || strcmp(ov->text, ",") == 0)
						d->csv.decimal = ov->text[0];
					else
						st = fail(ds, ov, "decimal: expected . or ,");
				} else {
					st = fail(ds, v->keys[k],
					          "unknown data source key \"%s\" (path, format, bad_rows, timezone, "
					          "delimiter, decimal)",
					          o);
				}
			}
		}
		if (st != ER_OK)
			break;
		if (!scalar(path) || path->text[0] == '\0') {
			st = fail(ds, v, "data source \"%s\" needs a path", key->text);
			break;
		}
		if (path->text[0] == '/') {
			d->path = er_strdup(path->text);
		} else {
			size_t len = strlen(ds->dir) + strlen(path->text) + 2;
			d->path = malloc(len);
			if (d->path)
				snprintf(d->path, len, "%s/%s", ds->dir, path->text);
		}
		if (d->path == NULL)
			st = ER_ERR_NOMEM;
	}
	return st;
}

er_status er_datasets_add_block(er_datasets *ds, const er_ynode *block)
{
	const er_ynode *name = er_yaml_get(block, "name");
	static const char *const keys[] = {"name", "from", "where", "derive", "group_by",
	                                   "aggregate", "sort", "limit"};
	size_t i, k;
	dataset *d;
	er_status st;

	for (i = 0; i < block->n; i++) {
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (strcmp(block->keys[i]->text, keys[k]) == 0)
				break;
		if (k == sizeof keys / sizeof keys[0])
			return fail(ds, block->keys[i],
			            "unknown data block key \"%s\" (name, from, where, derive, group_by, "
			            "aggregate, sort, limit)",
			            block->keys[i]->text);
	}
	if (!scalar(name))
		return fail(ds, block, "a ```data block needs a name");
	if (!scalar(er_yaml_get(block, "from")))
		return fail(ds, block, "a ```data block needs from: (the dataset it is computed from)");
	st = add(ds, name, name->text, &d);
	if (st == ER_OK)
		d->block = block;
	return st;
}

/* ---- computing ------------------------------------------------------------ */

static er_status compute(er_datasets *ds, dataset *d, const er_ynode *at);

/* The origin of an expression written as a YAML scalar; `prefix` bytes
 * (a "NAME=" the caller puts before it) shift it left. */
static er_origin origin_of(const er_datasets *ds, const er_ynode *n, size_t prefix)
{
	er_origin o;
	o.file = ds->file;
	o.line = n->line;
	o.column = n->column + (n->quoted ? 1 : 0);
	o.column = o.column > prefix ? o.column - prefix : 1;
	return o;
}

/* Runs q over a table: the table is written as CSV in memory and read back
 * (with its units), so that queries over tables are queries over CSV. */
static er_status query_table(er_datasets *ds, const er_result *table, er_query *q, const char *name,
                             er_result **out)
{
	char *mem = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&mem, &len);
	er_reader *r = NULL;
	er_csv_options o;
	er_status st;

	if (f == NULL)
		return ER_ERR_NOMEM;
	st = er_result_write_csv(table, f);
	if (fclose(f) != 0 && st == ER_OK)
		st = ER_ERR_NOMEM;
	er_csv_options_defaults(&o);
	o.delimiter = ',';
	o.format = ER_FORMAT_CSV; /* snapshots were reduced when the source was read */
	if (st == ER_OK)
		st = er_reader_open_mem(mem, len, name, &o, ds->diag, &r);
	for (i = 0; st == ER_OK && i < table->ncols && i < er_reader_ncols(r); i++)
		if (table->cols[i].unit)
			st = er_reader_set_col_unit(r, i, table->cols[i].unit);
	if (st == ER_OK)
		st = er_query_run(q, r, ds->diag, out);
	er_reader_free(r);
	free(mem);
	return st;
}

static er_status read_source(er_datasets *ds, dataset *d)
{
	er_reader *r = NULL;
	er_query *q = er_query_new();
	er_status st;
	if (q == NULL)
		return ER_ERR_NOMEM;
	st = er_reader_open(d->path, NULL, &d->csv, ds->diag, &r);
	if (st == ER_OK)
		st = er_query_run(q, r, ds->diag, &d->table);
	er_reader_free(r);
	er_query_free(q);
	return st;
}

/* A list given as a YAML sequence or as one comma-separated scalar. */
static er_status each_item(er_datasets *ds, const er_ynode *n, const char *key,
                           er_status (*fn)(er_datasets *, const er_ynode *, void *), void *ctx)
{
	size_t i;
	er_status st = ER_OK;
	if (n == NULL)
		return ER_OK;
	if (scalar(n))
		return fn(ds, n, ctx);
	if (n->type != ER_Y_SEQ)
		return fail(ds, n, "%s: expected a list", key);
	for (i = 0; i < n->n && st == ER_OK; i++) {
		if (!scalar(n->items[i]))
			return fail(ds, n->items[i], "%s: expected text", key);
		st = fn(ds, n->items[i], ctx);
	}
	return st;
}

static er_status add_key(er_datasets *ds, const er_ynode *n, void *ctx)
{
	return er_query_add_keys(ctx, n->text, origin_of(ds, n, 0), ds->diag);
}

static er_status add_sort(er_datasets *ds, const er_ynode *n, void *ctx)
{
	(void)ds;
	return er_query_add_sort(ctx, n->text);
}

/* NAME: EXPR pairs of a map, as "NAME=EXPR" query parts. */
static er_status add_named(er_datasets *ds, er_query *q, const er_ynode *map, er_query_part part,
                           const char *key)
{
	size_t i;
	er_status st = ER_OK;
	if (map == NULL)
		return ER_OK;
	if (map->type != ER_Y_MAP)
		return fail(ds, map, "%s: expected a map of NAME: EXPRESSION", key);
	for (i = 0; i < map->n && st == ER_OK; i++) {
		const er_ynode *v = map->items[i];
		size_t len;
		char *text;
		if (!scalar(v))
			return fail(ds, v, "%s: expected an expression", key);
		{
			/* YAML's { a: f(x, 1) } splits at the comma: say so plainly. */
			int depth = 0;
			const char *c;
			for (c = v->text; *c; c++)
				depth += *c == '(' ? 1 : *c == ')' ? -1 : 0;
			if (depth != 0)
				return fail(ds, v, "%s: \"%s\" has unbalanced parentheses; in a { } map, "
				                   "put an expression with commas in quotes",
				            key, v->text);
		}
		{
			char *expr = NULL;
			st = expand(ds, v, v->text, &expr);
			if (st != ER_OK)
				return st;
			len = strlen(map->keys[i]->text) + strlen(expr) + 4;
			text = malloc(len);
			if (text == NULL) {
				free(expr);
				return ER_ERR_NOMEM;
			}
			/* A quoted name keeps names with spaces or punctuation intact. */
			snprintf(text, len, "\"%s\"=%s", map->keys[i]->text, expr);
			free(expr);
		}
		st = er_query_add(q, part, text, origin_of(ds, v, strlen(map->keys[i]->text) + 3),
		                  ds->diag);
		free(text);
	}
	return st;
}

static er_status compute(er_datasets *ds, dataset *d, const er_ynode *at)
{
	const er_ynode *b = d->block, *from, *where, *limit;
	const er_result *src;
	er_query *q;
	er_status st;

	(void)at;
	if (d->table)
		return ER_OK;
	if (d->block == NULL)
		return read_source(ds, d);
	if (d->computing)
		return fail(ds, b, "dataset \"%s\" is computed from itself", d->name);
	d->computing = 1;
	from = er_yaml_get(b, "from");
	st = er_datasets_get(ds, from->text, from, &src);
	if (st != ER_OK) {
		d->computing = 0;
		return st;
	}
	q = er_query_new();
	if (q == NULL)
		return ER_ERR_NOMEM;
	{
		/* The source's zone cuts the calendar buckets of what is computed from it. */
		dataset *root = find(ds, from->text);
		while (root && root->block && !root->tz) {
			const er_ynode *f2 = er_yaml_get(root->block, "from");
			root = f2 ? find(ds, f2->text) : NULL;
		}
		if (root && root->tz)
			er_query_set_tz(q, root->tz);
	}
	er_query_set_fiscal_start(q, ds->fiscal);
	where = er_yaml_get(b, "where");
	if (where) {
		char *text = NULL;
		if (!scalar(where))
			st = fail(ds, where, "where: expected an expression");
		else if ((st = expand(ds, where, where->text, &text)) == ER_OK)
			st = er_query_add(q, ER_Q_WHERE, text, origin_of(ds, where, 0), ds->diag);
		free(text);
	}
	if (st == ER_OK)
		st = add_named(ds, q, er_yaml_get(b, "derive"), ER_Q_DERIVE, "derive");
	if (st == ER_OK)
		st = each_item(ds, er_yaml_get(b, "group_by"), "group_by", add_key, q);
	if (st == ER_OK)
		st = add_named(ds, q, er_yaml_get(b, "aggregate"), ER_Q_AGG, "aggregate");
	if (st == ER_OK)
		st = each_item(ds, er_yaml_get(b, "sort"), "sort", add_sort, q);
	limit = er_yaml_get(b, "limit");
	if (st == ER_OK && limit) {
		char *end;
		long n = scalar(limit) ? strtol(limit->text, &end, 10) : -1;
		if (!scalar(limit) || *end || n < 0)
			st = fail(ds, limit, "limit: expected a whole number >= 0");
		else
			er_query_set_limit(q, n);
	}
	if (st == ER_OK)
		st = query_table(ds, src, q, d->name, &d->table);
	er_query_free(q);
	d->computing = 0;
	return st;
}

/* The built-in table of sources and what was read from them. */
static er_status sources_table(er_datasets *ds, dataset **out)
{
	static const char *const cols[] = {"dataset", "file", "rows_read", "rows_skipped",
	                                   "snapshot_rows", "rows_used"};
	er_result *t = er_result_new(6);
	size_t i, k;
	er_status st = t ? ER_OK : ER_ERR_NOMEM;
	dataset *d;

	for (k = 0; k < 6 && st == ER_OK; k++)
		st = er_result_set_col(t, k, cols[k], NULL);
	for (i = 0; i < ds->n && st == ER_OK; i++) {
		dataset *src = &ds->v[i];
		er_value row[6];
		const char *file;
		if (src->block || strcmp(src->name, "_sources") == 0)
			continue;
		if (src->table == NULL && (st = read_source(ds, src)) != ER_OK)
			break;
		file = strrchr(src->path, '/') ? strrchr(src->path, '/') + 1 : src->path;
		row[0] = er_value_text(src->name, strlen(src->name));
		row[1] = er_value_text(file, strlen(file));
		row[2] = er_value_num((double)src->table->rows_read, NULL);
		row[3] = er_value_num((double)src->table->rows_skipped, NULL);
		row[4] = er_value_num((double)src->table->rows_superseded, NULL);
		row[5] = er_value_num((double)src->table->nrows, NULL);
		st = er_result_add_row(t, row);
	}
	if (st == ER_OK)
		st = er_result_settle_types(t);
	if (st == ER_OK)
		st = add(ds, NULL, "_sources", &d);
	if (st != ER_OK) {
		er_result_free(t);
		return st;
	}
	d->table = t;
	*out = d;
	return ER_OK;
}

er_status er_datasets_get(er_datasets *ds, const char *name, const er_ynode *at,
                          const er_result **out)
{
	dataset *d = find(ds, name);
	er_status st;
	*out = NULL;
	if (d == NULL && strcmp(name, "_sources") == 0) {
		st = sources_table(ds, &d);
		if (st != ER_OK)
			return st;
	}
	if (d == NULL) {
		const char **names = malloc((ds->n + 1) * sizeof *names);
		long best = -1;
		size_t i;
		if (names) {
			for (i = 0; i < ds->n; i++)
				names[i] = ds->v[i].name;
			best = er_suggest(name, names, ds->n);
		}
		if (best >= 0)
			fail(ds, at, "unknown dataset \"%s\" (did you mean \"%s\"?)", name, names[best]);
		else
			fail(ds, at, "unknown dataset \"%s\"", name);
		free(names);
		return ER_ERR_DATA;
	}
	st = compute(ds, d, at);
	if (st == ER_OK)
		*out = d->table;
	return st;
}

/* The one dataset an expression refers to (via dataset.column), or NULL. */
static const char *expr_dataset(const er_expr *e, int *several)
{
	const char *found = NULL;
	size_t i;
	if (e->kind == EX_COL && e->dataset)
		return e->dataset;
	for (i = 0; i < e->nargs; i++) {
		const char *d = expr_dataset(e->args[i], several);
		if (d && found && strcmp(d, found) != 0)
			*several = 1;
		if (d)
			found = d;
	}
	return found;
}

er_status er_datasets_eval_text(er_datasets *ds, const er_ynode *front, const er_locale *loc,
                                const char *expr, unsigned long line, unsigned long column,
                                char **out)
{
	char buf[128] = "";
	er_expr_error err;
	er_expr *e = er_expr_parse(expr, strlen(expr), &err);
	const char *dname;
	int several = 0;
	er_status st;

	/* The inline's column is that of "{{ "; the expression starts after it. */
	column += 3;
	*out = NULL;
	if (e == NULL) {
		er_diag_emit(ds->diag, ER_SEV_ERROR, ds->file, line,
		             column + er_expr_column(expr, err.pos) - 1, "%s", err.message);
		return ER_ERR_DATA;
	}
	/* A front-matter value: {{ quarter }}. */
	if (e->kind == EX_COL && e->dataset == NULL) {
		const er_ynode *v = er_yaml_get(front, e->str);
		er_expr_free(e);
		if (scalar(v)) {
			*out = er_strdup(v->text);
			return *out != NULL ? ER_OK : ER_ERR_NOMEM;
		}
		er_diag_emit(ds->diag, ER_SEV_ERROR, ds->file, line, column,
		             "\"%s\" is not a front-matter value; name a dataset's column as "
		             "dataset.column inside an aggregate, e.g. max(models.co2_t)",
		             expr);
		return ER_ERR_DATA;
	}
	dname = expr_dataset(e, &several);
	if (several || dname == NULL) {
		er_diag_emit(ds->diag, ER_SEV_ERROR, ds->file, line, column, "%s",
		             several ? "one {{ }} can use only one dataset"
		                     : "name the dataset of each column, e.g. max(models.co2_t)");
		er_expr_free(e);
		return ER_ERR_DATA;
	}
	{
		const er_result *table;
		er_ynode at = {ER_Y_SCALAR, line, column, NULL, 0, 0, NULL, NULL};
		char *text = malloc(strlen(expr) + 4);
		er_query *q = er_query_new();
		er_result *res = NULL;
		er_origin o = {ds->file, line, column > 2 ? column - 2 : 1};
		char *name = er_strdup(dname);
		er_expr_free(e);
		st = text && q && name ? er_datasets_get(ds, name, &at, &table) : ER_ERR_NOMEM;
		if (st == ER_OK) {
			dataset *d = find(ds, name);
			if (d && d->tz)
				er_query_set_tz(q, d->tz);
			er_query_set_fiscal_start(q, ds->fiscal);
			sprintf(text, "v=%s", expr);
			st = er_query_add(q, ER_Q_AGG, text, o, ds->diag);
		}
		if (st == ER_OK)
			st = query_table(ds, table, q, name, &res);
		if (st == ER_OK && res->nrows == 1) {
			const er_value *v = er_result_cell(res, 0, 0);
			if (v->type == ER_V_NUM)
				er_fmt_label(loc, v->num, 2, buf, sizeof buf);
			else if (v->type != ER_V_TEXT)
				er_value_format(v, buf, sizeof buf);
			/* Text whole, however long (first(notes.text)). */
			*out = v->type == ER_V_TEXT ? er_strndup(v->s, v->n) : er_strdup(buf);
		} else if (st == ER_OK) {
			*out = er_strdup("");
		}
		if (st == ER_OK && *out == NULL)
			st = ER_ERR_NOMEM;
		er_result_free(res);
		er_query_free(q);
		free(text);
		free(name);
	}
	return st;
}

void er_datasets_each_source(const er_datasets *ds, er_datasets_fn fn, void *ctx)
{
	size_t i;
	for (i = 0; i < ds->n; i++) {
		const dataset *d = &ds->v[i];
		if (d->block || d->table == NULL)
			continue;
		fn(ctx, d->name, d->path, d->table->rows_read, d->table->rows_skipped,
		   d->table->rows_superseded);
	}
}
