/* manifest.c - the batch manifest: YAML to jobs, each job a command line. */
#include "manifest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/hash.h"
#include "common/file.h"
#include "common/util.h"
#include "common/yaml.h"

/* The keys of a report job; `defaults` may hold the four last ones. */
static const char *const report_keys[] = {"template", "name", "set", "png", "svg", "lang"};

/* The keys of a chart job: `data`, `output`, then every option of
 * `ecoreport chart` without its dashes. Flags take true/false. */
typedef struct chart_key {
	const char *name;
	int flag;
} chart_key;

static const chart_key chart_keys[] = {
	{"data", 0},       {"output", 0},     {"category", 0},  {"value", 0},
	{"type", 0},       {"horizontal", 1}, {"vertical", 1},  {"color-by", 0},
	{"sort", 0},       {"limit", 0},      {"log", 1},       {"title", 0},
	{"subtitle", 0},   {"source", 0},     {"credit", 0},    {"note", 0},
	{"figure", 0},     {"axis-title", 0}, {"size", 0},      {"scale", 0},
	{"theme", 0},      {"where", 0},      {"delimiter", 0}, {"decimal", 0},
	{"format-in", 0},  {"bad-rows", 0},   {"max-field-bytes", 0}, {"max-columns", 0},
	{"max-rows", 0},   {"lang", 0},
};
#define NCHART (sizeof chart_keys / sizeof chart_keys[0])
#define NREPORT (sizeof report_keys / sizeof report_keys[0])

static const char *const top_keys[] = {"output", "defaults", "timeout", "reports", "charts"};
#define NTOP (sizeof top_keys / sizeof top_keys[0])

static int in_list(const char *k, const char *const *list, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(k, list[i]) == 0)
			return 1;
	return 0;
}

typedef struct ctx {
	const char *path;
	char *dir;        /* the manifest's folder with a trailing '/', or "" */
	er_diag_sink *diag;
	er_manifest *m;
	size_t cap;       /* of m->jobs */
	const er_ynode *defaults;
} ctx;

static er_status fail(ctx *c, const er_ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error at a node of the manifest; always ER_ERR_DATA. */
static er_status fail(ctx *c, const er_ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	er_diag_emitv(c->diag, ER_SEV_ERROR, c->path, at ? at->line : 0, at ? at->column : 0, fmt, ap);
	va_end(ap);
	return ER_ERR_DATA;
}

/* "unknown key 'x'" with the nearest known key, if one is near. */
static er_status unknown_key(ctx *c, const er_ynode *key, const char *where,
                             const char *const *names, size_t n)
{
	long s = er_suggest(key->text, names, n);
	if (s >= 0)
		er_diag_emit(c->diag, ER_SEV_ERROR, c->path, key->line, key->column,
		             "unknown key '%s' in %s (did you mean '%s'?)", key->text, where, names[s]);
	else
		er_diag_emit(c->diag, ER_SEV_ERROR, c->path, key->line, key->column,
		             "unknown key '%s' in %s", key->text, where);
	return ER_ERR_DATA;
}

static const char *scalar(ctx *c, const er_ynode *v, const char *key, er_status *st)
{
	if (v == NULL || v->type != ER_Y_SCALAR || v->text == NULL || v->text[0] == '\0') {
		*st = fail(c, v, "'%s' needs a value (text or number)", key);
		return NULL;
	}
	return v->text;
}

/* true/false (also yes/no, on/off); -1 when neither. */
static int boolean(const er_ynode *v)
{
	static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
	size_t i;
	if (v == NULL || v->type != ER_Y_SCALAR || v->quoted || v->text == NULL)
		return -1;
	for (i = 0; i < 3; i++) {
		if (strcmp(v->text, yes[i]) == 0)
			return 1;
		if (strcmp(v->text, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* A path relative to the manifest (absolute ones are kept). Owned copy. */
static char *resolve(const ctx *c, const char *p)
{
	er_buf b = ER_BUF_INIT;
	if (p[0] == '/')
		return er_strdup(p);
	if (er_buf_printf(&b, "%s%s", c->dir, p) != ER_OK) {
		er_buf_free(&b);
		return NULL;
	}
	return b.data; /* NUL-terminated by er_buf_printf */
}

/* Appends a copy of s to the job's argv. */
static er_status arg(er_job *j, size_t *cap, const char *s)
{
	char *copy;
	if (er_grow(&j->argv, cap, (size_t)j->argc + 1, sizeof *j->argv, 16) != ER_OK)
		return ER_ERR_NOMEM;
	copy = er_strdup(s);
	if (copy == NULL)
		return ER_ERR_NOMEM;
	j->argv[j->argc++] = copy;
	j->argv[j->argc] = NULL;
	return ER_OK;
}

static er_status arg2(er_job *j, size_t *cap, const char *a, const char *b)
{
	er_status st = arg(j, cap, a);
	return st == ER_OK ? arg(j, cap, b) : st;
}

static er_status arg_path(ctx *c, er_job *j, size_t *cap, const char *p)
{
	char *r = resolve(c, p);
	er_status st;
	if (r == NULL)
		return ER_ERR_NOMEM;
	st = arg(j, cap, r);
	free(r);
	return st;
}

static er_job *new_job(ctx *c, er_job_kind kind, const er_ynode *at)
{
	er_job *j;
	if (c->m->njobs >= ER_MANIFEST_MAX_JOBS) {
		er_diag_emit(c->diag, ER_SEV_ERROR, c->path, at->line, at->column,
		             "more than %u jobs (the manifest limit)", ER_MANIFEST_MAX_JOBS);
		return NULL;
	}
	if (er_grow(&c->m->jobs, &c->cap, c->m->njobs, sizeof *c->m->jobs, 16) != ER_OK)
		return NULL;
	j = &c->m->jobs[c->m->njobs++];
	memset(j, 0, sizeof *j);
	j->kind = kind;
	j->line = at->line;
	j->column = at->column;
	return j;
}

/* The value of key in the job's map, else in `defaults`. */
static const er_ynode *lookup(const ctx *c, const er_ynode *job, const char *key)
{
	const er_ynode *v = er_yaml_get(job, key);
	return v ? v : (c->defaults ? er_yaml_get(c->defaults, key) : NULL);
}

static int is_report_key(const char *k)
{
	return in_list(k, report_keys, NREPORT);
}

static const chart_key *find_chart_key(const char *k)
{
	size_t i;
	for (i = 0; i < NCHART; i++)
		if (strcmp(k, chart_keys[i].name) == 0)
			return &chart_keys[i];
	return NULL;
}

/* A job's name becomes a file name in the output folder: no folders, no
 * hidden files, nothing a shell or a file system would trip on. */
static int safe_name(const char *s)
{
	size_t i;
	if (s[0] == '\0' || s[0] == '.' || strlen(s) > 200)
		return 0;
	for (i = 0; s[i]; i++)
		if (s[i] == '/' || (unsigned char)s[i] < 0x20)
			return 0;
	return 1;
}

static er_status report_job(ctx *c, const er_ynode *node)
{
	const er_ynode *t, *v;
	er_job *j;
	size_t i, cap = 0;
	er_status st = ER_OK;
	const char *tpl;
	int k;

	if (node->type != ER_Y_MAP)
		return fail(c, node, "a report is a map with at least 'template'");
	for (i = 0; i < node->n; i++)
		if (!is_report_key(node->keys[i]->text))
			return unknown_key(c, node->keys[i], "a report", report_keys, NREPORT);
	t = er_yaml_get(node, "template");
	if (t == NULL)
		return fail(c, node, "a report needs 'template' (the template's path)");
	tpl = scalar(c, t, "template", &st);
	if (tpl == NULL)
		return st;
	j = new_job(c, ER_JOB_REPORT, node);
	if (j == NULL)
		return c->m->njobs >= ER_MANIFEST_MAX_JOBS ? ER_ERR_LIMIT : ER_ERR_NOMEM;
	v = er_yaml_get(node, "name");
	if (v) {
		const char *n = scalar(c, v, "name", &st);
		if (n == NULL)
			return st;
		if (!safe_name(n))
			return fail(c, v,
			            "name '%s' must be a plain file name (no '/', not starting with '.')", n);
		j->name = er_strdup(n);
	} else {
		size_t n;
		const char *b = er_path_stem(tpl, &n);
		j->name = er_strndup(b, n);
		if (j->name && !safe_name(j->name))
			return fail(c, t, "template '%s' does not give a usable output name: add 'name'", tpl);
	}
	if (j->name == NULL)
		return ER_ERR_NOMEM;
	st = arg(j, &cap, "render");
	if (st == ER_OK)
		st = arg_path(c, j, &cap, tpl);
	if (st == ER_OK)
		st = arg2(j, &cap, "-o", c->m->output);
	if (st == ER_OK)
		st = arg2(j, &cap, "--name", j->name);
	for (k = 0; k < 2 && st == ER_OK; k++) {
		const char *key = k ? "svg" : "png";
		int b;
		v = lookup(c, node, key);
		if (v == NULL)
			continue;
		b = boolean(v);
		if (b < 0)
			return fail(c, v, "'%s' is true or false", key);
		if (b)
			st = arg(j, &cap, k ? "--svg" : "--png");
	}
	/* The language, checked by the job's command (as a theme's name is). */
	if (st == ER_OK && (v = lookup(c, node, "lang")) != NULL) {
		const char *lang = scalar(c, v, "lang", &st);
		if (lang == NULL)
			return st;
		st = arg2(j, &cap, "--lang", lang);
	}
	/* Overrides: the defaults' first, then the job's, which win. */
	for (k = 0; k < 2 && st == ER_OK; k++) {
		const er_ynode *from = k ? node : c->defaults;
		const er_ynode *set = from ? er_yaml_get(from, "set") : NULL;
		if (set == NULL)
			continue;
		if (set->type != ER_Y_MAP)
			return fail(c, set, "'set' is a map of front-matter keys to values");
		for (i = 0; i < set->n && st == ER_OK; i++) {
			const char *val = set->items[i]->type == ER_Y_SCALAR ? set->items[i]->text : NULL;
			er_buf b = ER_BUF_INIT;
			if (val == NULL)
				return fail(c, set->items[i], "'set: %s' needs a text or number value",
				            set->keys[i]->text);
			st = er_buf_printf(&b, "%s=%s", set->keys[i]->text, val);
			if (st == ER_OK)
				st = arg2(j, &cap, "--set", b.data);
			er_buf_free(&b);
		}
	}
	return st;
}

static er_status chart_job(ctx *c, const er_ynode *node)
{
	const er_ynode *v;
	er_job *j;
	size_t i, cap = 0;
	er_status st = ER_OK;
	const char *data, *out;
	const char *names[NCHART];

	for (i = 0; i < NCHART; i++)
		names[i] = chart_keys[i].name;
	if (node->type != ER_Y_MAP)
		return fail(c, node, "a chart is a map with at least 'data' and 'output'");
	for (i = 0; i < node->n; i++)
		if (find_chart_key(node->keys[i]->text) == NULL)
			return unknown_key(c, node->keys[i], "a chart", names, NCHART);
	v = er_yaml_get(node, "data");
	if (v == NULL)
		return fail(c, node, "a chart needs 'data' (the CSV file's path)");
	if ((data = scalar(c, v, "data", &st)) == NULL)
		return st;
	v = er_yaml_get(node, "output");
	if (v == NULL)
		return fail(c, node, "a chart needs 'output' (a file name ending .png, .svg or .pdf)");
	if ((out = scalar(c, v, "output", &st)) == NULL)
		return st;
	if (!safe_name(out))
		return fail(c, v,
		            "output '%s' must be a plain file name (no '/', not starting with '.')", out);
	{
		const char *ext = strrchr(out, '.');
		if (ext == NULL || ext == out ||
		    (strcmp(ext, ".png") != 0 && strcmp(ext, ".svg") != 0 && strcmp(ext, ".pdf") != 0))
			return fail(c, v, "output '%s' must end in .png, .svg or .pdf", out);
	}
	j = new_job(c, ER_JOB_CHART, node);
	if (j == NULL)
		return c->m->njobs >= ER_MANIFEST_MAX_JOBS ? ER_ERR_LIMIT : ER_ERR_NOMEM;
	j->name = er_strdup(out);
	if (j->name == NULL)
		return ER_ERR_NOMEM;
	st = arg(j, &cap, "chart");
	if (st == ER_OK)
		st = arg_path(c, j, &cap, data);
	/* Options in the table's order, so that the command line (the job's
	 * identity) does not depend on the order of keys in the manifest. */
	for (i = 2; i < NCHART && st == ER_OK; i++) {
		const chart_key *k = &chart_keys[i];
		char opt[64];
		v = lookup(c, node, k->name);
		if (v == NULL)
			continue;
		snprintf(opt, sizeof opt, "--%s", k->name);
		if (k->flag) {
			int b = boolean(v);
			if (b < 0)
				return fail(c, v, "'%s' is true or false", k->name);
			if (b)
				st = arg(j, &cap, opt);
			continue;
		}
		if (v->type != ER_Y_SCALAR || v->text == NULL)
			return fail(c, v, "'%s' needs a value (text or number)", k->name);
		/* A theme given as a file is relative to the manifest; a name
		 * ("minimal") is looked up among the bundled themes. */
		if (strcmp(k->name, "theme") == 0 &&
		    (strchr(v->text, '/') || strstr(v->text, ".yaml") || strstr(v->text, ".yml"))) {
			st = arg(j, &cap, opt);
			if (st == ER_OK)
				st = arg_path(c, j, &cap, v->text);
			continue;
		}
		st = arg2(j, &cap, opt, v->text);
	}
	if (st == ER_OK) {
		er_buf b = ER_BUF_INIT;
		st = er_buf_printf(&b, "%s/%s", c->m->output, out);
		if (st == ER_OK)
			st = arg2(j, &cap, "-o", b.data);
		er_buf_free(&b);
	}
	return st;
}

static er_status job_list(ctx *c, const er_ynode *list, const char *key)
{
	size_t i;
	er_status st = ER_OK;
	if (list->type != ER_Y_SEQ)
		return fail(c, list, "'%s' is a list of jobs (each line starting with '- ')", key);
	for (i = 0; i < list->n && st == ER_OK; i++)
		st = key[0] == 'r' ? report_job(c, list->items[i]) : chart_job(c, list->items[i]);
	return st;
}

/* Defaults may hold any key a report or a chart takes, except what names
 * one job's own inputs and outputs. */
static er_status check_defaults(ctx *c, const er_ynode *d)
{
	size_t i;
	const char *names[NCHART + NREPORT];
	for (i = 0; i < NCHART; i++)
		names[i] = chart_keys[i].name;
	for (i = 0; i < NREPORT; i++)
		names[NCHART + i] = report_keys[i];
	if (d->type != ER_Y_MAP)
		return fail(c, d, "'defaults' is a map of job keys to values");
	for (i = 0; i < d->n; i++) {
		const char *k = d->keys[i]->text;
		if (strcmp(k, "template") == 0 || strcmp(k, "name") == 0 || strcmp(k, "data") == 0 ||
		    strcmp(k, "output") == 0)
			return fail(c, d->keys[i], "'%s' belongs to each job, not to 'defaults'", k);
		if (!is_report_key(k) && find_chart_key(k) == NULL)
			return unknown_key(c, d->keys[i], "'defaults'", names, NCHART + NREPORT);
	}
	return ER_OK;
}

/* A job's name without its extension (names hold no '/' and do not start
 * with '.': safe_name). */
static size_t stem_len(const char *name)
{
	size_t n;
	er_path_stem(name, &n);
	return n;
}

/* Whether file (n bytes of it) is one that report NAME writes: NAME.pdf, or
 * NAME-fig<digits>.png|svg|txt. */
static int report_writes(const char *report, const char *file, size_t n)
{
	size_t r = strlen(report);
	if (n < r || strncmp(file, report, r) != 0)
		return 0;
	if (n == r + 4 && strncmp(file + r, ".pdf", 4) == 0)
		return 1;
	return n > r + 4 && strncmp(file + r, "-fig", 4) == 0 && file[r + 4] >= '0' &&
	       file[r + 4] <= '9';
}

/* Whether two jobs write a file in common. A chart x.png also writes its
 * alt text x.txt; a report NAME writes NAME.pdf and NAME-fig<N>.*. */
static int clash(const er_job *x, const er_job *y)
{
	if (x->kind == ER_JOB_REPORT && y->kind == ER_JOB_REPORT)
		return strcmp(x->name, y->name) == 0;
	if (x->kind == ER_JOB_CHART && y->kind == ER_JOB_CHART)
		return stem_len(x->name) == stem_len(y->name) &&
		       strncmp(x->name, y->name, stem_len(x->name)) == 0;
	{
		const er_job *r = x->kind == ER_JOB_REPORT ? x : y, *ch = r == x ? y : x;
		/* The chart's file, and its alt text's stem (x.txt). */
		return report_writes(r->name, ch->name, strlen(ch->name)) ||
		       report_writes(r->name, ch->name, stem_len(ch->name));
	}
}

/* The names jobs own, for check_unique: "r" + a report's name, "c" + a
 * chart's stem, and "t" + a report name a chart's files fall under (see
 * chart_touches); each with the first job that owns it. Open addressing;
 * key NULL: a free slot. */
typedef struct owner {
	char *key;
	size_t job;
} owner;

typedef struct owners {
	owner *t;
	size_t cap;
	char *key; /* scratch: a kind letter and a name */
} owners;

/* The slot of key: where it is, or the free one where it would go. */
static owner *owner_slot(const owners *o, const char *key)
{
	size_t j = (size_t)er_hash_bytes(key, strlen(key)) & (o->cap - 1);
	while (o->t[j].key != NULL && strcmp(o->t[j].key, key) != 0)
		j = (j + 1) & (o->cap - 1);
	return &o->t[j];
}

/* The first job owning kind + name[0, n) (SIZE_MAX: none); with claim, the
 * key becomes job's when no job owned it. ER_ERR_NOMEM only. */
static er_status own(owners *o, char kind, const char *name, size_t n, size_t job, int claim,
                     size_t *first)
{
	owner *slot;

	o->key[0] = kind;
	memcpy(o->key + 1, name, n);
	o->key[n + 1] = '\0';
	slot = owner_slot(o, o->key);
	*first = slot->key != NULL ? slot->job : SIZE_MAX;
	if (slot->key == NULL && claim) {
		slot->key = er_strdup(o->key);
		if (slot->key == NULL)
			return ER_ERR_NOMEM;
		slot->job = job;
	}
	return ER_OK;
}

/* A chart whose files would be among report NAME's (name[0, len)): an
 * earlier report of that name is a clash (*a: the earliest), and a later
 * one will find the chart under "t". */
static er_status touch(owners *o, const char *name, size_t len, size_t job, size_t *a)
{
	size_t first;
	er_status st = own(o, 'r', name, len, job, 0, &first);
	if (first < *a)
		*a = first;
	return st == ER_OK ? own(o, 't', name, len, job, 1, &first) : st;
}

/* Every report name whose files (NAME.pdf, NAME-fig<digit>...) a chart's
 * file or alt text (stem.txt) would be, as report_writes matches them. */
static er_status chart_touches(owners *o, const er_job *ch, size_t job, size_t *a)
{
	const char *name = ch->name;
	size_t n = strlen(name), stem = stem_len(name), pos;
	er_status st = ER_OK;

	if (n >= 4 && strcmp(name + n - 4, ".pdf") == 0)
		st = touch(o, name, n - 4, job, a);
	if (st == ER_OK && stem >= 4 && strncmp(name + stem - 4, ".pdf", 4) == 0)
		st = touch(o, name, stem - 4, job, a);
	for (pos = 0; st == ER_OK && pos + 5 <= n; pos++)
		if (strncmp(name + pos, "-fig", 4) == 0 && name[pos + 4] >= '0' && name[pos + 4] <= '9')
			st = touch(o, name, pos, job, a);
	return st;
}

/* Two jobs writing the same file would race and undo each other's records:
 * refuse before running. The pair reported is the first in manifest order
 * (the earliest job that clashes with any, then the earliest job it clashes
 * with), found through a table of owned names rather than by comparing
 * every pair: a manifest of 10,000 charts is 5e7 pairs. */
static er_status check_unique(ctx *c)
{
	er_manifest *m = c->m;
	owners o = {NULL, 16, NULL};
	size_t i, best_a = SIZE_MAX, best_b = SIZE_MAX, longest = 0;
	er_status st = ER_OK;

	while (o.cap < 2 * m->njobs + 2)
		o.cap *= 2;
	for (i = 0; i < m->njobs; i++)
		if (strlen(m->jobs[i].name) > longest)
			longest = strlen(m->jobs[i].name);
	o.t = calloc(o.cap, sizeof *o.t);
	o.key = malloc(longest + 2);
	if (o.t == NULL || o.key == NULL) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	for (i = 0; i < m->njobs && st == ER_OK; i++) {
		const er_job *y = &m->jobs[i];
		size_t a = SIZE_MAX, first;
		if (y->kind == ER_JOB_REPORT) {
			st = own(&o, 'r', y->name, strlen(y->name), i, 1, &first);
			a = first;
			if (st == ER_OK)
				st = own(&o, 't', y->name, strlen(y->name), i, 0, &first);
			a = first < a ? first : a;
		} else {
			st = own(&o, 'c', y->name, stem_len(y->name), i, 1, &first);
			a = first;
			if (st == ER_OK)
				st = chart_touches(&o, y, i, &a);
		}
		/* clash() is the rule; the table only finds the candidate. */
		if (a != SIZE_MAX && a < best_a && clash(&m->jobs[a], y)) {
			best_a = a;
			best_b = i;
		}
	}
	if (st == ER_OK && best_b != SIZE_MAX) {
		const er_job *x = &m->jobs[best_a], *y = &m->jobs[best_b];
		er_diag_emit(c->diag, ER_SEV_ERROR, c->path, y->line, y->column,
		             "job '%s' writes the same output as the job at line %lu", y->name, x->line);
		st = ER_ERR_DATA;
	}
done:
	if (o.t != NULL)
		for (i = 0; i < o.cap; i++)
			free(o.t[i].key);
	free(o.t);
	free(o.key);
	return st;
}

static er_status top(ctx *c, const er_ynode *root)
{
	const er_ynode *v;
	size_t i;
	er_status st = ER_OK;
	const char *out = "output";

	if (root == NULL || root->type != ER_Y_MAP)
		return fail(c, root, "a manifest is a map with 'output' and 'reports' and/or 'charts'");
	for (i = 0; i < root->n; i++)
		if (!in_list(root->keys[i]->text, top_keys, NTOP))
			return unknown_key(c, root->keys[i], "the manifest", top_keys, NTOP);
	v = er_yaml_get(root, "output");
	if (v && (out = scalar(c, v, "output", &st)) == NULL)
		return st;
	c->m->output = resolve(c, out);
	if (c->m->output == NULL)
		return ER_ERR_NOMEM;
	v = er_yaml_get(root, "timeout");
	if (v) {
		char *end;
		const char *s = scalar(c, v, "timeout", &st);
		if (s == NULL)
			return st;
		c->m->timeout = strtod(s, &end);
		if (end == s || *end || !(c->m->timeout >= 0 && c->m->timeout <= 86400 * 7))
			return fail(c, v, "timeout '%s' is not a number of seconds between 0 and 604800", s);
	}
	c->defaults = er_yaml_get(root, "defaults");
	if (c->defaults && (st = check_defaults(c, c->defaults)) != ER_OK)
		return st;
	if ((v = er_yaml_get(root, "reports")) != NULL && (st = job_list(c, v, "reports")) != ER_OK)
		return st;
	if ((v = er_yaml_get(root, "charts")) != NULL && (st = job_list(c, v, "charts")) != ER_OK)
		return st;
	if (c->m->njobs == 0)
		return fail(c, root, "the manifest lists no jobs (add 'reports:' or 'charts:')");
	return check_unique(c);
}

/* The manifest's folder, absolute, with a trailing '/': the jobs' command
 * lines (their identity) then do not depend on where batch was started. */
static char *manifest_dir(const char *path, size_t n)
{
	char cwd[4096];
	er_buf b = ER_BUF_INIT;
	if (path[0] != '/' && getcwd(cwd, sizeof cwd) != NULL &&
	    er_buf_printf(&b, "%s/", strcmp(cwd, "/") == 0 ? "" : cwd) != ER_OK) {
		er_buf_free(&b);
		return NULL;
	}
	/* "./m.yaml": no "./" in the middle of every path. */
	while (path[0] != '/' && n >= 2 && path[0] == '.' && path[1] == '/') {
		path += 2;
		n -= 2;
	}
	if (er_buf_append(&b, path, n) != ER_OK) {
		er_buf_free(&b);
		return NULL;
	}
	return b.data ? b.data : er_strdup("");
}

er_status er_manifest_parse(const char *src, size_t n, const char *path, er_diag_sink *diag,
                            er_manifest **out)
{
	ctx c;
	er_ynode *root = NULL;
	er_status st;
	const char *slash = strrchr(path, '/');

	*out = NULL;
	memset(&c, 0, sizeof c);
	c.path = path;
	c.diag = diag;
	c.m = calloc(1, sizeof *c.m);
	c.dir = manifest_dir(path, slash ? (size_t)(slash - path) + 1 : 0);
	if (c.m == NULL || c.dir == NULL || (c.m->path = er_strdup(path)) == NULL) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	c.m->timeout = 600;
	st = er_yaml_parse(src, n, path, 0, diag, &root);
	if (st == ER_OK)
		st = top(&c, root);
done:
	er_yaml_free(root);
	free(c.dir);
	if (st != ER_OK) {
		er_manifest_free(c.m);
		return st;
	}
	*out = c.m;
	return ER_OK;
}

er_status er_manifest_load(const char *path, er_diag_sink *diag, er_manifest **out)
{
	char *src = NULL;
	size_t n = 0;
	er_status st = er_read_file(path, ER_MANIFEST_MAX_BYTES, diag, &src, &n);
	*out = NULL;
	if (st == ER_OK)
		st = er_manifest_parse(src, n, path, diag, out);
	free(src);
	return st;
}

void er_manifest_free(er_manifest *m)
{
	size_t i;
	int k;
	if (m == NULL)
		return;
	for (i = 0; i < m->njobs; i++) {
		for (k = 0; k < m->jobs[i].argc; k++)
			free(m->jobs[i].argv[k]);
		free(m->jobs[i].argv);
		free(m->jobs[i].name);
	}
	free(m->jobs);
	free(m->output);
	free(m->path);
	free(m);
}

int er_job_in_shard(size_t j, unsigned long i, unsigned long n)
{
	return n == 0 || j % n == i - 1;
}
