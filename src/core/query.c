/* query.c - the streaming query engine: groups in a hash table, exact
 * accumulators, CodeCarbon snapshot de-duplication, then sort and limit. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "runstore.h"
#include "common/buf.h"
#include "common/num.h"
#include "common/units.h"
#include "common/utf8.h"
#include "common/util.h"
#include "ingest/cell.h"
#include "ingest/distinct.h"

/* One aggregate call inside an --agg expression. */
typedef struct slot {
	er_func func;
	const er_expr *arg;    /* NULL for count() */
	const er_qexpr *owner;
	const char *unit;      /* interned: unit of the first value */
	size_t skipped;
} slot;

typedef struct group {
	size_t key_off, key_len;  /* canonical key bytes in q->keybuf */
	er_value *keys;           /* nkeys values; text owned by keytext */
	char **keytext;
	er_acc *acc;              /* nslots */
	uint64_t first_row;       /* for output order */
	size_t rows;              /* rows folded in */
} group;

struct er_query {
	size_t max_rows;          /* groups or listed rows kept in memory */
	er_qexpr *where;
	er_qexpr *derive;
	size_t nderive;
	er_qexpr *keys;
	size_t nkeys;
	er_qexpr *aggs;
	size_t naggs;
	char **sort_cols;
	int *sort_desc;
	size_t nsort, sort_cap, sort_dcap;
	long limit;
	int fiscal_start;
	const er_tz *tz;
	int dedup;

	/* Run state. */
	er_evalctx ev;
	er_diag_sink *diag;
	slot *slots;
	size_t nslots;
	group *groups;
	size_t ngroups, gcap;
	uint32_t *gindex;         /* open addressing: group number + 1, 0 free */
	size_t gindex_cap;
	er_buf keybuf;
	er_value *rowvals;        /* nslots values of the current row */
	long run_col;
	er_runstore *runs;        /* latest snapshot per CodeCarbon run */
	size_t run_budget;
	er_value *nullvals;       /* nslots missing values: a filtered run's snapshot */
	er_result *listing;       /* listing mode */
	uint64_t *listing_runs;   /* run hash per listed row (dedup) */
	struct tomb {             /* listing mode: a run's row the filter dropped, */
		uint64_t run;         /* after this many listed rows (dedup) */
		size_t at;
	} *tombs;
	size_t ntombs, tcap;
	size_t rows_filtered, rows_superseded;
};

/* The group of a run whose latest snapshot the filter dropped: the run
 * counts nowhere, and its earlier snapshots are superseded all the same. */
#define NO_GROUP UINT32_MAX

er_query *er_query_new(void)
{
	er_query *q = calloc(1, sizeof *q);
	if (q == NULL)
		return NULL;
	q->limit = -1;
	q->fiscal_start = 1;
	q->dedup = -1;
	q->max_rows = ER_QUERY_MAX_ROWS;
	return q;
}

static void qexpr_free(er_qexpr *x)
{
	free(x->name);
	free(x->src);
	free(x->origin_file);
	er_expr_free(x->e);
}

static void free_groups(er_query *q)
{
	size_t i, k;
	for (i = 0; i < q->ngroups; i++) {
		group *g = &q->groups[i];
		for (k = 0; g->keytext && k < q->nkeys; k++)
			free(g->keytext[k]);
		free(g->keytext);
		free(g->keys);
		for (k = 0; g->acc && k < q->nslots; k++)
			er_acc_free(&g->acc[k]);
		free(g->acc);
	}
	free(q->groups);
	q->groups = NULL;
	q->ngroups = 0;
}

void er_query_free(er_query *q)
{
	size_t i;
	if (q == NULL)
		return;
	if (q->where) {
		qexpr_free(q->where);
		free(q->where);
	}
	for (i = 0; i < q->nderive; i++)
		qexpr_free(&q->derive[i]);
	for (i = 0; i < q->nkeys; i++)
		qexpr_free(&q->keys[i]);
	for (i = 0; i < q->naggs; i++)
		qexpr_free(&q->aggs[i]);
	free(q->derive);
	free(q->keys);
	free(q->aggs);
	for (i = 0; i < q->nsort; i++)
		free(q->sort_cols[i]);
	free(q->sort_cols);
	free(q->sort_desc);
	free_groups(q);
	free(q->slots);
	free(q->gindex);
	er_buf_free(&q->keybuf);
	free(q->rowvals);
	er_runstore_free(q->runs);
	er_result_free(q->listing);
	free(q->listing_runs);
	free(q->tombs);
	free(q->nullvals);
	er_eval_free(&q->ev);
	free(q);
}

/* ---- building ----------------------------------------------------------- */

static er_status parse_into(er_qexpr *x, const char *src, size_t off, size_t len,
                            er_origin origin, er_diag_sink *diag)
{
	er_expr_error err;
	x->src = er_strndup(src + off, len);
	x->origin_file = er_strdup(origin.file ? origin.file : "");
	if (x->src == NULL || x->origin_file == NULL)
		return ER_ERR_NOMEM;
	x->origin = origin;
	x->origin.file = x->origin_file;
	x->origin.column = origin.column + (unsigned long)er_utf8_count(src, off);
	x->e = er_expr_parse(x->src, len, &err);
	if (x->e == NULL) {
		er_qexpr_error(diag, x, err.pos, "%s", err.message);
		return strcmp(err.message, "out of memory") == 0 ? ER_ERR_NOMEM : ER_ERR_DATA;
	}
	return ER_OK;
}

static er_status append(er_qexpr **arr, size_t *n, er_qexpr **out)
{
	er_qexpr *na = realloc(*arr, (*n + 1) * sizeof *na);
	if (na == NULL)
		return ER_ERR_NOMEM;
	*arr = na;
	memset(&na[*n], 0, sizeof na[*n]);
	*out = &na[(*n)++];
	return ER_OK;
}

er_status er_query_add(er_query *q, er_query_part part, const char *src, er_origin origin,
                       er_diag_sink *diag)
{
	size_t n = strlen(src), ns, nl, es;
	int named = er_expr_split_assign(src, n, &ns, &nl, &es);
	er_qexpr *x;
	er_status st;

	if ((part == ER_Q_DERIVE || part == ER_Q_AGG) && !named) {
		er_diag_emit(diag, ER_SEV_ERROR, origin.file, origin.line, origin.line ? origin.column : 0,
		             "expected NAME=%s, e.g. %s", part == ER_Q_AGG ? "FUNC(EXPR)" : "EXPR",
		             part == ER_Q_AGG ? "co2_kg=sum(emissions)" : "co2_t=energy_mwh*0.429");
		return ER_ERR_DATA;
	}
	if (part == ER_Q_WHERE) {
		if (q->where) {
			er_diag_emit(diag, ER_SEV_ERROR, origin.file, origin.line, origin.column,
			             "only one where condition (combine them with 'and')");
			return ER_ERR_DATA;
		}
		q->where = calloc(1, sizeof *q->where);
		if (q->where == NULL)
			return ER_ERR_NOMEM;
		x = q->where;
		named = 0;
	} else {
		st = append(part == ER_Q_DERIVE ? &q->derive : part == ER_Q_KEY ? &q->keys : &q->aggs,
		            part == ER_Q_DERIVE ? &q->nderive : part == ER_Q_KEY ? &q->nkeys : &q->naggs, &x);
		if (st != ER_OK)
			return st;
	}
	if (named) {
		size_t e = n;
		while (es < e && (src[es] == ' ' || src[es] == '\t'))
			es++;
		while (e > es && (src[e - 1] == ' ' || src[e - 1] == '\t'))
			e--;
		x->name = er_strndup(src + ns, nl);
		if (x->name == NULL)
			return ER_ERR_NOMEM;
		return parse_into(x, src, es, e - es, origin, diag);
	}
	{
		size_t s = 0, e = n;
		while (s < e && (src[s] == ' ' || src[s] == '\t'))
			s++;
		while (e > s && (src[e - 1] == ' ' || src[e - 1] == '\t'))
			e--;
		x->name = er_strndup(src + s, e - s);
		if (x->name == NULL)
			return ER_ERR_NOMEM;
		return parse_into(x, src, s, e - s, origin, diag);
	}
}

typedef struct keys_ctx {
	er_query *q;
	const char *list;
	er_origin origin;
	er_diag_sink *diag;
	er_status st;
} keys_ctx;

static int add_key_item(void *ctx, size_t off, size_t len)
{
	keys_ctx *k = ctx;
	char *item = er_strndup(k->list + off, len);
	er_origin o = k->origin;
	if (item == NULL) {
		k->st = ER_ERR_NOMEM;
		return 1;
	}
	o.column += (unsigned long)er_utf8_count(k->list, off);
	k->st = er_query_add(k->q, ER_Q_KEY, item, o, k->diag);
	free(item);
	return k->st != ER_OK;
}

er_status er_query_add_keys(er_query *q, const char *list, er_origin origin, er_diag_sink *diag)
{
	keys_ctx k = {q, list, origin, diag, ER_OK};
	er_expr_split_list(list, strlen(list), add_key_item, &k);
	return k.st;
}

typedef struct sort_ctx {
	er_query *q;
	const char *list;
} sort_ctx;

/* One item of a --sort list: [-|+]NAME, the name as the result column is
 * named (a key written "project name" is named with its quotes). An empty
 * name is kept: the run reports it as no result column. */
static int add_sort_item(void *ctx, size_t off, size_t len)
{
	sort_ctx *sc = ctx;
	er_query *q = sc->q;
	const char *p = sc->list + off;
	int desc = 0;

	while (len && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len && (*p == '-' || *p == '+')) {
		desc = *p == '-';
		p++;
		len--;
	}
	if (er_grow(&q->sort_cols, &q->sort_cap, q->nsort, sizeof *q->sort_cols, 4) != ER_OK ||
	    er_grow(&q->sort_desc, &q->sort_dcap, q->nsort, sizeof *q->sort_desc, 4) != ER_OK)
		return 1;
	q->sort_cols[q->nsort] = er_strndup(p, len);
	if (q->sort_cols[q->nsort] == NULL)
		return 1;
	q->sort_desc[q->nsort++] = desc;
	return 0;
}

er_status er_query_add_sort(er_query *q, const char *list)
{
	sort_ctx sc = {q, list};
	size_t i, start = 0;
	int depth = 0;
	/* Cut at commas outside parentheses: "round(duration / 1000, 0)" is
	 * one name. Quotes are a name's own letters here ("owner's"). */
	for (i = 0; list[i]; i++) {
		if (list[i] == '(')
			depth++;
		else if (list[i] == ')')
			depth--;
		else if (list[i] == ',' && depth <= 0) {
			if (add_sort_item(&sc, start, i - start))
				return ER_ERR_NOMEM;
			start = i + 1;
		}
	}
	return add_sort_item(&sc, start, i - start) ? ER_ERR_NOMEM : ER_OK;
}

void er_query_set_max_rows(er_query *q, size_t n)
{
	q->max_rows = n ? n : ER_QUERY_MAX_ROWS;
}

void er_query_set_limit(er_query *q, long limit) { q->limit = limit; }
void er_query_set_fiscal_start(er_query *q, int month) { q->fiscal_start = month; }
void er_query_set_tz(er_query *q, const er_tz *tz) { q->tz = tz; }
void er_query_set_dedup(er_query *q, int dedup) { q->dedup = dedup; }
void er_query_set_run_budget(er_query *q, size_t bytes) { q->run_budget = bytes; }

/* ---- resolving and checking ---------------------------------------------- */

static er_status resolve(er_query *q, const er_qexpr *x, er_expr *e, er_reader *r, size_t nderived,
                         int in_agg, int allow_agg, er_diag_sink *diag)
{
	size_t i;
	er_status st;

	if (e->kind == EX_COL) {
		long col = er_reader_find_col(r, e->str);
		if (col < 0) {
			for (i = 0; i < nderived; i++)
				if (strcmp(q->derive[i].name, e->str) == 0)
					col = (long)(er_reader_ncols(r) + i);
		}
		if (col < 0) {
			size_t n = er_reader_ncols(r), k;
			const char **names = malloc((n + nderived + 1) * sizeof *names);
			long best;
			if (names == NULL)
				return ER_ERR_NOMEM;
			for (k = 0; k < n; k++)
				names[k] = er_reader_col_name(r, k);
			for (k = 0; k < nderived; k++)
				names[n + k] = q->derive[k].name;
			best = er_suggest(e->str, names, n + nderived);
			if (best >= 0)
				er_qexpr_error(diag, x, e->pos, "unknown column \"%s\" (did you mean \"%s\"?)",
				               e->str, names[best]);
			else
				er_qexpr_error(diag, x, e->pos, "unknown column \"%s\"", e->str);
			free(names);
			return ER_ERR_DATA;
		}
		if (allow_agg && !in_agg) {
			er_qexpr_error(diag, x, e->pos,
			               "column \"%s\" must be inside an aggregate such as sum(%s)", e->str,
			               e->str);
			return ER_ERR_DATA;
		}
		e->col = col;
		return ER_OK;
	}
	if (e->kind == EX_CALL && ER_FN_IS_AGG(e->func)) {
		slot *ns;
		if (!allow_agg) {
			er_qexpr_error(diag, x, e->pos, "%s() is an aggregate; it belongs in --agg",
			               er_func_name(e->func));
			return ER_ERR_DATA;
		}
		if (in_agg) {
			er_qexpr_error(diag, x, e->pos, "aggregates cannot be nested");
			return ER_ERR_DATA;
		}
		if (e->func == FN_COUNT && e->nargs == 0) {
			/* count() counts rows */
		} else if (e->nargs != 1) {
			er_qexpr_error(diag, x, e->pos, "%s() takes one argument", er_func_name(e->func));
			return ER_ERR_DATA;
		}
		for (i = 0; i < e->nargs; i++) {
			st = resolve(q, x, e->args[i], r, nderived, 1, allow_agg, diag);
			if (st != ER_OK)
				return st;
		}
		ns = realloc(q->slots, (q->nslots + 1) * sizeof *ns);
		if (ns == NULL)
			return ER_ERR_NOMEM;
		q->slots = ns;
		memset(&ns[q->nslots], 0, sizeof ns[q->nslots]);
		ns[q->nslots].func = e->func;
		ns[q->nslots].arg = e->nargs ? e->args[0] : NULL;
		ns[q->nslots].owner = x;
		e->slot = (int)q->nslots++;
		return ER_OK;
	}
	for (i = 0; i < e->nargs; i++) {
		st = resolve(q, x, e->args[i], r, nderived, in_agg, allow_agg, diag);
		if (st != ER_OK)
			return st;
	}
	return ER_OK;
}

static int has_agg(const er_expr *e)
{
	size_t i;
	if (e->kind == EX_CALL && ER_FN_IS_AGG(e->func))
		return 1;
	for (i = 0; i < e->nargs; i++)
		if (has_agg(e->args[i]))
			return 1;
	return 0;
}

/* ---- groups --------------------------------------------------------------- */

/* Appends the canonical bytes of a key value: equal values, equal bytes. */
static er_status key_bytes(er_buf *b, const er_value *v)
{
	char tmp[64];
	size_t n;
	er_status st = er_buf_putc(b, (char)('0' + v->type));
	if (st != ER_OK)
		return st;
	switch (v->type) {
	case ER_V_TEXT:
		st = er_buf_append(b, v->s, v->n);
		break;
	case ER_V_NUM:
	case ER_V_BOOL:
		n = er_num_format_shortest(v->num, tmp, sizeof tmp);
		st = er_buf_append(b, tmp, n);
		break;
	case ER_V_TIME:
		st = er_buf_printf(b, "%lld/%d", (long long)v->t.us, v->t.flags);
		break;
	default:
		break;
	}
	if (st == ER_OK)
		st = er_buf_putc(b, '\x1f');
	return st;
}

static er_status grow_index(uint32_t **index, size_t *cap, size_t count,
                            uint64_t (*hash_of)(const er_query *, uint32_t), const er_query *q)
{
	size_t ncap = *cap ? *cap * 2 : 1024, i;
	uint32_t *ni;
	if (count * 2 < *cap)
		return ER_OK;
	ni = calloc(ncap, sizeof *ni);
	if (ni == NULL)
		return ER_ERR_NOMEM;
	for (i = 0; i < *cap; i++) {
		uint32_t v = (*index)[i];
		if (v) {
			size_t j = hash_of(q, v - 1) & (ncap - 1);
			while (ni[j])
				j = (j + 1) & (ncap - 1);
			ni[j] = v;
		}
	}
	free(*index);
	*index = ni;
	*cap = ncap;
	return ER_OK;
}

static uint64_t group_hash(const er_query *q, uint32_t g)
{
	return er_hash_bytes(q->keybuf.data + q->groups[g].key_off, q->groups[g].key_len);
}

/* The group of the key values in vals (creating it), as an index. */
static er_status find_group(er_query *q, const er_value *vals, uint64_t row, uint32_t *out)
{
	size_t start = q->keybuf.len, len, k;
	uint64_t h;
	size_t j;
	er_status st;
	group *g;

	/* Storage even for the empty key of a query without groups. */
	if ((st = er_buf_reserve(&q->keybuf, 1)) != ER_OK)
		return st;
	for (k = 0; k < q->nkeys; k++)
		if ((st = key_bytes(&q->keybuf, &vals[k])) != ER_OK)
			return st;
	len = q->keybuf.len - start;
	h = er_hash_bytes(q->keybuf.data + start, len);
	if (q->gindex_cap) {
		for (j = h & (q->gindex_cap - 1); q->gindex[j]; j = (j + 1) & (q->gindex_cap - 1)) {
			group *c = &q->groups[q->gindex[j] - 1];
			if (c->key_len == len && memcmp(q->keybuf.data + c->key_off, q->keybuf.data + start, len) == 0) {
				q->keybuf.len = start; /* already known: drop the bytes */
				*out = q->gindex[j] - 1;
				return ER_OK;
			}
		}
	}
	/* A new group. */
	if (q->ngroups >= q->max_rows) {
		q->keybuf.len = start;
		return ER_ERR_LIMIT;
	}
	if (er_grow(&q->groups, &q->gcap, q->ngroups, sizeof *q->groups, 64) != ER_OK)
		return ER_ERR_NOMEM;
	g = &q->groups[q->ngroups];
	memset(g, 0, sizeof *g);
	q->ngroups++;
	g->key_off = start;
	g->key_len = len;
	g->first_row = row;
	g->keys = calloc(q->nkeys ? q->nkeys : 1, sizeof *g->keys);
	g->keytext = calloc(q->nkeys ? q->nkeys : 1, sizeof *g->keytext);
	g->acc = calloc(q->nslots ? q->nslots : 1, sizeof *g->acc);
	if (g->keys == NULL || g->keytext == NULL || g->acc == NULL)
		return ER_ERR_NOMEM;
	for (k = 0; k < q->nkeys; k++) {
		g->keys[k] = vals[k];
		/* Text, and a number's text as written: its label if the column
		 * turns out to hold text (build_result). */
		if (vals[k].type == ER_V_TEXT || (vals[k].type == ER_V_NUM && vals[k].s)) {
			g->keytext[k] = er_strndup(vals[k].s, vals[k].n);
			if (g->keytext[k] == NULL)
				return ER_ERR_NOMEM;
			g->keys[k].s = g->keytext[k];
		} else {
			g->keys[k].s = NULL;
			g->keys[k].n = 0;
		}
	}
	if ((st = grow_index(&q->gindex, &q->gindex_cap, q->ngroups, group_hash, q)) != ER_OK)
		return st;
	for (j = h & (q->gindex_cap - 1); q->gindex[j]; j = (j + 1) & (q->gindex_cap - 1))
		;
	q->gindex[j] = (uint32_t)q->ngroups;
	*out = (uint32_t)(q->ngroups - 1);
	return ER_OK;
}

/* Folds the slot values of one row into a group. */
static er_status fold(er_query *q, uint32_t gi, const er_value *vals, uint64_t row)
{
	group *g = &q->groups[gi];
	size_t k;
	er_status st;
	if (g->rows == 0 || row < g->first_row)
		g->first_row = row;
	g->rows++;
	for (k = 0; k < q->nslots; k++) {
		const er_value *v = q->slots[k].arg ? &vals[k] : NULL;
		if (v && v->type == ER_V_NULL)
			q->slots[k].skipped++;
		if ((st = er_acc_add(&g->acc[k], q->slots[k].func, v, row)) != ER_OK)
			return st;
	}
	return ER_OK;
}

/* ---- rows ----------------------------------------------------------------- */

/* Evaluates the aggregate arguments of the current row into q->rowvals,
 * converting numbers to each slot's unit. */
static er_status eval_slots(er_query *q)
{
	size_t k;
	er_status st;
	for (k = 0; k < q->nslots; k++) {
		slot *s = &q->slots[k];
		er_value *v = &q->rowvals[k];
		if (s->arg == NULL) {
			*v = er_value_num(1, NULL);
			continue;
		}
		if ((st = er_eval_expr(&q->ev, s->owner, s->arg, v)) != ER_OK)
			return st;
		if (s->func == FN_SUM || s->func == FN_MEAN || s->func == FN_MEDIAN) {
			if ((st = er_eval_want_number(&q->ev, s->owner, s->arg, v, er_func_name(s->func))) != ER_OK)
				return st;
		}
		if (v->type == ER_V_NUM && v->unit) {
			if (s->unit == NULL) {
				s->unit = v->unit;
			} else if (s->unit != v->unit && strcmp(s->unit, v->unit) != 0) {
				double f;
				if (!er_unit_factor(v->unit, s->unit, &f))
					return er_eval_fail(&q->ev, s->owner, s->arg,
					                    "values in \"%s\" and \"%s\" cannot be combined", s->unit,
					                    v->unit);
				v->num *= f;
				v->unit = s->unit;
			}
		}
	}
	return ER_OK;
}

/* One group or listed row more than the memory cap. */
static er_status too_many(er_query *q, er_reader *r, const er_record *rec, const char *what)
{
	er_diag_emit(q->diag, ER_SEV_ERROR, er_reader_display(r), rec->line, 1,
	             "more than %zu %s to hold in memory (the limit): group or filter the data "
	             "(--group-by, --where), or raise it with --max-rows",
	             q->max_rows, what);
	return ER_ERR_LIMIT;
}

/* Listing mode: run h's row was dropped by the filter after the rows
 * listed so far. */
static er_status add_tomb(er_query *q, uint64_t h)
{
	if (er_grow(&q->tombs, &q->tcap, q->ntombs, sizeof *q->tombs, 64) != ER_OK)
		return ER_ERR_NOMEM;
	q->tombs[q->ntombs].run = h;
	q->tombs[q->ntombs++].at = q->listing->nrows;
	return ER_OK;
}

static er_status on_row(void *ctx, er_reader *r, const er_record *rec)
{
	er_query *q = ctx;
	er_value v, keyvals[32];
	size_t k;
	uint32_t gi;
	uint64_t h1 = 0;
	const er_field *run = NULL; /* its run id, when it has one */
	er_status st;

	er_eval_row(&q->ev, r, rec);
	if (q->run_col >= 0 && !er_cell_is_missing(rec->f[q->run_col].s, rec->f[q->run_col].n)) {
		/* The run's hash first: its slot in the store loads while the keys
		 * and values are worked out. */
		run = &rec->f[q->run_col];
		h1 = er_hash_bytes(run->s, run->n);
		if (q->runs)
			er_runstore_prefetch(q->runs, h1);
	}
	if (q->where) {
		st = er_eval(&q->ev, q->where, &v);
		if (st != ER_OK)
			goto fail;
		if (!((v.type == ER_V_BOOL || v.type == ER_V_NUM) && v.num != 0)) {
			/* A run's snapshots are reduced before the filter: this row
			 * still supersedes the run's earlier ones, and the run counts
			 * only if its last row passes (counted when that is known). */
			if (run == NULL) {
				q->rows_filtered++;
				return ER_OK;
			}
			if (q->listing)
				return add_tomb(q, h1);
			return er_runstore_put(q->runs, h1, er_hash_bytes2(run->s, run->n), rec->row,
			                       NO_GROUP, q->nullvals);
		}
	}
	if (q->listing) {
		size_t ncols = q->listing->ncols;
		er_value *vals = q->rowvals;
		for (k = 0; k < ncols; k++) {
			if (k < er_reader_ncols(r)) {
				st = er_eval_list_cell(&q->ev, k, &vals[k]);
			} else {
				st = er_eval(&q->ev, &q->derive[k - er_reader_ncols(r)], &vals[k]);
			}
			if (st != ER_OK)
				goto fail;
		}
		if (q->listing->nrows >= q->max_rows)
			return too_many(q, r, rec, "rows");
		st = er_result_add_row(q->listing, vals);
		if (st != ER_OK)
			return st;
		if (q->run_col >= 0) {
			uint64_t *nr = realloc(q->listing_runs, q->listing->nrows * sizeof *nr);
			const er_field *f = &rec->f[q->run_col];
			if (nr == NULL)
				return ER_ERR_NOMEM;
			q->listing_runs = nr;
			nr[q->listing->nrows - 1] = er_cell_is_missing(f->s, f->n)
			                                ? 0
			                                : er_hash_bytes(f->s, f->n);
		}
		return ER_OK;
	}
	for (k = 0; k < q->nkeys; k++) {
		st = er_eval_key(&q->ev, &q->keys[k], &keyvals[k]);
		if (st != ER_OK)
			goto fail;
	}
	st = eval_slots(q);
	if (st != ER_OK)
		goto fail;
	st = find_group(q, keyvals, rec->row, &gi);
	if (st == ER_ERR_LIMIT)
		return too_many(q, r, rec, "groups");
	if (st != ER_OK)
		return st;
	if (q->run_col >= 0) {
		if (run)
			return er_runstore_put(q->runs, h1, er_hash_bytes2(run->s, run->n), rec->row, gi,
			                       q->rowvals);
		/* A row without run id stands for itself. */
		return er_runstore_put(q->runs, er_hash_bytes((const char *)&rec->row, sizeof rec->row) ^ 0x5bd1e995,
		                       ~(uint64_t)rec->row, rec->row, gi, q->rowvals);
	}
	return fold(q, gi, q->rowvals, rec->row);
fail:
	if (st != ER_ERR_DATA)
		return st;
	return er_eval_report(&q->ev, q->diag);
}

static er_status fold_run(void *ctx, uint32_t gi, const er_value *vals, uint64_t row)
{
	er_query *q = ctx;
	if (gi == NO_GROUP) {
		q->rows_filtered++; /* the run's last row, dropped by the filter */
		return ER_OK;
	}
	return fold(q, gi, vals, row);
}

static int cmp_group_first(const void *a, const void *b)
{
	const group *x = a, *y = b;
	return x->first_row < y->first_row ? -1 : x->first_row > y->first_row;
}

/* ---- results -------------------------------------------------------------- */

static er_status build_result(er_query *q, er_result **out)
{
	size_t ncols = q->nkeys + q->naggs, i, k;
	unsigned char mixed[32] = {0}; /* at most 32 keys */
	er_result *res = er_result_new(ncols);
	er_value *row, *aggvals;
	er_status st = ER_OK;

	*out = NULL;
	if (res == NULL)
		return ER_ERR_NOMEM;
	row = calloc(ncols ? ncols : 1, sizeof *row);
	aggvals = calloc(q->nslots ? q->nslots : 1, sizeof *aggvals);
	if (row == NULL || aggvals == NULL) {
		st = ER_ERR_NOMEM;
		goto out;
	}
	for (k = 0; k < q->nkeys && st == ER_OK; k++)
		st = er_result_set_col(res, k, q->keys[k].name, NULL);
	/* Groups in order of first appearance (of a row that counted). */
	if (q->run_col >= 0 && q->ngroups > 1)
		qsort(q->groups, q->ngroups, sizeof *q->groups, cmp_group_first);
	/* Without keys there is always one row, even over no data. */
	if (q->nkeys == 0 && q->ngroups == 0 && st == ER_OK) {
		uint32_t gi;
		st = find_group(q, NULL, 0, &gi);
	}
	/* A key column of numbers and text is text: its numbers as written
	 * ("001", not 1). mixed[k]: bit 1 a number seen, bit 2 text. */
	for (i = 0; i < q->ngroups; i++)
		for (k = 0; k < q->nkeys; k++) {
			er_vtype t = q->groups[i].keys[k].type;
			mixed[k] |= t == ER_V_NUM ? 1 : t == ER_V_TEXT ? 2 : 0;
		}
	for (i = 0; i < q->ngroups && st == ER_OK; i++) {
		group *g = &q->groups[i];
		if (g->rows == 0 && q->nkeys > 0)
			continue; /* only superseded snapshots fell here */
		for (k = 0; k < q->nkeys; k++) {
			row[k] = g->keys[k];
			if (mixed[k] == 3 && row[k].type == ER_V_NUM && row[k].s)
				row[k] = er_value_text(row[k].s, row[k].n);
		}
		for (k = 0; k < q->nslots && st == ER_OK; k++) {
			st = er_acc_result(&g->acc[k], q->slots[k].func, q->slots[k].unit, &aggvals[k]);
			if (st == ER_ERR_RANGE) {
				er_qexpr_error(q->diag, q->slots[k].owner, q->slots[k].arg ? q->slots[k].arg->pos : 0,
				               "%s() overflows: the total is beyond the range of a double",
				               er_func_name(q->slots[k].func));
				st = ER_ERR_DATA;
			}
		}
		q->ev.agg_values = aggvals;
		for (k = 0; k < q->naggs && st == ER_OK; k++) {
			st = er_eval(&q->ev, &q->aggs[k], &row[q->nkeys + k]);
			if (st == ER_ERR_DATA)
				st = er_eval_report(&q->ev, q->diag);
		}
		q->ev.agg_values = NULL;
		if (st == ER_OK)
			st = er_result_add_row(res, row);
	}
	/* Aggregate columns: the unit of their values, and what was skipped. */
	for (k = 0; k < q->naggs && st == ER_OK; k++) {
		const char *unit = NULL;
		size_t s;
		const er_expr *top = q->aggs[k].e;
		for (i = 0; i < res->nrows && unit == NULL; i++) {
			const er_value *v = er_result_cell(res, i, q->nkeys + k);
			if (v->type == ER_V_NUM)
				unit = v->unit;
		}
		/* No value to take it from: sum(energy_consumed) of no rows is
		 * still in the column's unit. */
		if (unit == NULL && top->kind == EX_CALL &&
		    (top->func == FN_SUM || top->func == FN_MEAN || top->func == FN_MEDIAN) && top->nargs == 1 &&
		    top->args[0]->kind == EX_COL && top->args[0]->col >= 0 &&
		    (size_t)top->args[0]->col < q->ev.ncols)
			unit = q->ev.col_units[top->args[0]->col];
		st = er_result_set_col(res, q->nkeys + k, q->aggs[k].name, unit);
		/* Numbers, even with no value to show it (no rows, all missing):
		 * when every aggregate in it counts or sums. */
		res->cols[q->nkeys + k].type = ER_V_NUM;
		for (s = 0; s < q->nslots; s++)
			if (q->slots[s].owner == &q->aggs[k] && q->slots[s].func != FN_SUM &&
			    q->slots[s].func != FN_MEAN && q->slots[s].func != FN_MEDIAN &&
			    q->slots[s].func != FN_COUNT)
				res->cols[q->nkeys + k].type = ER_V_NULL;
		for (s = 0; s < q->nslots && st == ER_OK; s++) {
			if (q->slots[s].owner != &q->aggs[k] || q->slots[s].skipped == 0)
				continue;
			res->cols[q->nkeys + k].skipped += q->slots[s].skipped;
			if (res->cols[q->nkeys + k].skipped_of == NULL) {
				char *what = er_strndup(q->aggs[k].src + q->slots[s].arg->pos, q->slots[s].arg->len);
				if (what == NULL)
					st = ER_ERR_NOMEM;
				res->cols[q->nkeys + k].skipped_of = what;
			}
		}
	}
	for (i = 0; i < res->nrows; i++)
		for (k = 0; k < q->nkeys; k++)
			if (res->cells[i * ncols + k].type == ER_V_NUM && res->cols[k].unit == NULL &&
			    res->cells[i * ncols + k].unit)
				st = er_result_set_col(res, k, q->keys[k].name, res->cells[i * ncols + k].unit);
out:
	free(row);
	free(aggvals);
	if (st != ER_OK) {
		er_result_free(res);
		return st;
	}
	*out = res;
	return ER_OK;
}

/* Whether hash h is already in the open-addressed set seen (cap slots,
 * 0 free; h is never 0); adds it if not. */
static int see(uint64_t *seen, size_t cap, uint64_t h)
{
	size_t j;
	for (j = h % cap; seen[j] && seen[j] != h; j = (j + 1) % cap)
		;
	if (seen[j] == h)
		return 1;
	seen[j] = h;
	return 0;
}

/* An aggregate named with a unit ("co2 (t)") must be in that unit: its
 * CSV header would otherwise be read back in the wrong one (the reader
 * takes the unit from the name the same way), 1000 times off. Names whose
 * brackets hold no known unit ("co2 (total)") are names. */
static er_status check_named_units(er_query *q, const er_result *res, er_diag_sink *diag)
{
	size_t i;
	for (i = 0; i < q->naggs; i++) {
		const char *name = q->aggs[i].name, *unit = res->cols[q->nkeys + i].unit;
		size_t at, len;
		double same;
		char said[32];
		if (!er_unit_in_name(name, &at, &len) || len >= sizeof said)
			continue;
		memcpy(said, name + at + 1, len);
		said[len] = '\0';
		if (!er_unit_is_known(said) || unit == NULL)
			continue; /* a name, or plain numbers the name gives a unit */
		if (strcmp(said, unit) == 0 || (er_unit_factor(unit, said, &same) && same == 1))
			continue; /* "t" for "tonnes": the same size */
		er_qexpr_error(diag, &q->aggs[i], 0,
		               "\"%s\" says %s, but its values are in %s (convert them with to(..., '%s'))",
		               name, said, unit, said);
		return ER_ERR_DATA;
	}
	return ER_OK;
}

static er_status finish_listing(er_query *q, er_result **out)
{
	er_result *res = q->listing;
	size_t i, k;
	er_status st = ER_OK;

	if (q->run_col >= 0 && (res->nrows || q->ntombs)) {
		/* Keep the last row of each run: mark earlier ones, then compact.
		 * From the end: a run seen later supersedes this row, and a run
		 * whose last row the filter dropped (a tombstone, met in its place
		 * among the listed rows) supersedes all its listed ones. */
		size_t cap = (res->nrows + q->ntombs) * 2, w = 0, t = q->ntombs;
		uint64_t *seen = calloc(cap, sizeof *seen);
		char *drop = calloc(res->nrows + 1, 1);
		if (seen == NULL || drop == NULL) {
			free(seen);
			free(drop);
			return ER_ERR_NOMEM;
		}
		for (i = res->nrows + 1; i-- > 0;) {
			/* Tombstones after listed row i (all that are left, at i = 0). */
			while (t > 0 && (i == 0 || q->tombs[t - 1].at >= i)) {
				t--;
				if (see(seen, cap, q->tombs[t].run))
					q->rows_superseded++;
				else
					q->rows_filtered++;
			}
			if (i == 0)
				break;
			if (q->listing_runs[i - 1] != 0 && see(seen, cap, q->listing_runs[i - 1])) {
				drop[i - 1] = 1;
				q->rows_superseded++;
			}
		}
		for (i = 0; i < res->nrows; i++)
			if (!drop[i]) {
				if (w != i)
					memcpy(res->cells + w * res->ncols, res->cells + i * res->ncols,
					       res->ncols * sizeof *res->cells);
				w++;
			}
		res->nrows = w;
		free(seen);
		free(drop);
	}
	for (k = 0; k < res->ncols && st == ER_OK; k++) {
		const char *unit = k < q->ev.ncols ? q->ev.col_units[k] : NULL;
		for (i = 0; i < res->nrows && unit == NULL; i++)
			if (er_result_cell(res, i, k)->type == ER_V_NUM)
				unit = er_result_cell(res, i, k)->unit;
		st = er_result_set_col(res, k, res->cols[k].name, unit);
	}
	q->listing = NULL;
	*out = res;
	return st;
}

er_status er_query_run(er_query *q, er_reader *r, er_diag_sink *diag, er_result **out)
{
	size_t i, ncols = er_reader_ncols(r);
	er_status st;
	er_result *res = NULL;

	*out = NULL;
	q->diag = diag;
	st = er_eval_init(&q->ev, ncols, er_reader_decimal(r));
	if (st != ER_OK)
		return st;
	q->ev.fiscal_start = q->fiscal_start;
	q->ev.tz = q->tz;
	q->ev.derived = q->derive;
	q->ev.nderived = q->nderive;
	for (i = 0; i < ncols; i++)
		if (er_reader_col_unit(r, i)) {
			q->ev.col_units[i] = er_strdup(er_reader_col_unit(r, i));
			if (q->ev.col_units[i] == NULL)
				return ER_ERR_NOMEM;
		}
	/* Names: derived columns see the file's columns and earlier derived ones. */
	for (i = 0; i < q->nderive; i++) {
		size_t k;
		for (k = 0; k < i; k++)
			if (strcmp(q->derive[k].name, q->derive[i].name) == 0) {
				er_qexpr_error(diag, &q->derive[i], 0, "column \"%s\" is derived twice",
				               q->derive[i].name);
				return ER_ERR_DATA;
			}
		if (er_reader_find_col(r, q->derive[i].name) >= 0) {
			er_qexpr_error(diag, &q->derive[i], 0, "column \"%s\" already exists in %s",
			               q->derive[i].name, er_reader_display(r));
			return ER_ERR_DATA;
		}
		if ((st = resolve(q, &q->derive[i], q->derive[i].e, r, i, 0, 0, diag)) != ER_OK)
			return st;
	}
	if (q->where && (st = resolve(q, q->where, q->where->e, r, q->nderive, 0, 0, diag)) != ER_OK)
		return st;
	for (i = 0; i < q->nkeys; i++)
		if ((st = resolve(q, &q->keys[i], q->keys[i].e, r, q->nderive, 0, 0, diag)) != ER_OK)
			return st;
	if (q->nkeys > 32) {
		er_qexpr_error(diag, &q->keys[32], 0, "at most 32 group keys");
		return ER_ERR_DATA;
	}
	for (i = 0; i < q->naggs; i++) {
		if (!has_agg(q->aggs[i].e)) {
			er_qexpr_error(diag, &q->aggs[i], 0,
			               "\"%s\" has no aggregate: use sum(), mean(), min(), max(), count(), "
			               "median(), first() or last()",
			               q->aggs[i].src);
			return ER_ERR_DATA;
		}
		if ((st = resolve(q, &q->aggs[i], q->aggs[i].e, r, q->nderive, 0, 1, diag)) != ER_OK)
			return st;
	}
	/* Result columns are named by keys, then aggregates: one name, one
	 * column (--sort and templates find columns by name). */
	for (i = 0; i < q->nkeys + q->naggs; i++) {
		const er_qexpr *x = i < q->nkeys ? &q->keys[i] : &q->aggs[i - q->nkeys];
		size_t k;
		for (k = 0; k < i; k++) {
			const er_qexpr *y = k < q->nkeys ? &q->keys[k] : &q->aggs[k - q->nkeys];
			if (strcmp(x->name, y->name) == 0) {
				er_qexpr_error(diag, x, 0, "a result column is already named \"%s\"", x->name);
				return ER_ERR_DATA;
			}
		}
	}
	q->run_col = -1;
	if (q->dedup != 0)
		q->run_col = er_reader_run_id_col(r);
	if (q->run_col >= 0 && (q->nkeys || q->naggs)) {
		/* Aggregates that can keep text or times need the wide layout. */
		int wide = 0;
		for (i = 0; i < q->nslots; i++)
			if (q->slots[i].func == FN_MIN || q->slots[i].func == FN_MAX ||
			    q->slots[i].func == FN_FIRST || q->slots[i].func == FN_LAST)
				wide = 1;
		q->runs = er_runstore_new(q->nslots, wide, q->run_budget, NULL);
		if (q->runs == NULL)
			return ER_ERR_NOMEM;
	}
	q->rowvals = calloc((q->nslots > ncols + q->nderive ? q->nslots : ncols + q->nderive) + 1,
	                    sizeof *q->rowvals);
	q->nullvals = calloc(q->nslots + 1, sizeof *q->nullvals); /* all ER_V_NULL */
	if (q->rowvals == NULL || q->nullvals == NULL)
		return ER_ERR_NOMEM;
	if (q->nkeys == 0 && q->naggs == 0) {
		q->listing = er_result_new(ncols + q->nderive);
		if (q->listing == NULL)
			return ER_ERR_NOMEM;
		for (i = 0; i < ncols + q->nderive && st == ER_OK; i++)
			st = er_result_set_col(q->listing, i,
			                       i < ncols ? er_reader_col_name(r, i) : q->derive[i - ncols].name,
			                       NULL);
		if (st != ER_OK)
			return st;
	}

	st = er_reader_run(r, on_row, q);
	q->ev.rec = NULL; /* the reader's record is gone: aggregates are no row's */
	if (st != ER_OK)
		return st;

	if (q->listing) {
		st = finish_listing(q, &res);
	} else {
		if (q->run_col >= 0) {
			/* Fold each run's last snapshot. */
			st = er_runstore_drain(q->runs, fold_run, q);
			q->rows_superseded = er_runstore_superseded(q->runs);
		}
		if (st == ER_OK)
			st = build_result(q, &res);
		if (st == ER_OK)
			st = check_named_units(q, res, diag);
	}
	if (st != ER_OK) {
		er_result_free(res);
		return st;
	}
	res->rows_read = er_reader_rows(r) + er_reader_rows_skipped(r);
	res->rows_skipped = er_reader_rows_skipped(r);
	res->rows_filtered = q->rows_filtered;
	res->rows_superseded = q->rows_superseded;
	if ((st = er_result_settle_types(res)) != ER_OK) {
		er_result_free(res);
		return st;
	}

	/* Sort by result columns, then limit. */
	if (q->nsort) {
		size_t *cols = calloc(q->nsort, sizeof *cols), k;
		for (i = 0; cols && i < q->nsort; i++) {
			for (k = 0; k < res->ncols; k++)
				if (strcmp(res->cols[k].name, q->sort_cols[i]) == 0)
					break;
			if (k == res->ncols) {
				const char **names = malloc(res->ncols * sizeof *names + 1);
				long best = -1;
				if (names) {
					for (k = 0; k < res->ncols; k++)
						names[k] = res->cols[k].name;
					best = er_suggest(q->sort_cols[i], names, res->ncols);
				}
				er_diag_emit(diag, ER_SEV_ERROR, "--sort", 0, 0,
				             "no result column \"%s\"%s%s%s", q->sort_cols[i],
				             best >= 0 ? " (did you mean \"" : "", best >= 0 ? names[best] : "",
				             best >= 0 ? "\"?)" : "");
				free(names);
				free(cols);
				er_result_free(res);
				return ER_ERR_DATA;
			}
			cols[i] = k;
		}
		if (cols == NULL)
			st = ER_ERR_NOMEM;
		else
			st = er_result_sort(res, cols, q->sort_desc, q->nsort);
		free(cols);
	}
	if (q->limit >= 0)
		er_result_limit(res, (size_t)q->limit);
	if (st != ER_OK) {
		er_result_free(res);
		return st;
	}
	*out = res;
	return ER_OK;
}
