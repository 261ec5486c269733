/* cmd_aggregate.c - `ecoreport aggregate`: filter, derive, group and total. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/tz.h"
#include "core/query.h"

static const char help[] =
	"Usage: ecoreport aggregate DATA.csv [options] [input options]\n"
	"\n"
	"Totals a CSV file, streaming: one row of totals, or one row per group.\n"
	"\n"
	"  --where EXPR           keep the rows where EXPR is true\n"
	"  --derive NAME=EXPR     add a computed column (repeatable)\n"
	"  --group-by EXPR[,EXPR] group keys, e.g. 'quarter(timestamp),project_name'\n"
	"                         (name one with q=quarter(timestamp))\n"
	"  --agg NAME=FUNC(EXPR)  an aggregate column (repeatable): sum mean min max\n"
	"                         count median first last, e.g. co2_kg=sum(emissions)\n"
	"  --sort [-]COL[,...]    order of the result rows ('-' for descending);\n"
	"                         default: order of first appearance\n"
	"  --limit N              at most N result rows\n"
	"  --timezone ZONE        zone of timestamps without one, and of calendar\n"
	"                         buckets (default UTC; e.g. Europe/Berlin, +02:00)\n"
	"  --fiscal-year-start M  quarter() counts fiscal quarters from month M (1-12),\n"
	"                         named by the year they end in: FY2026-Q1\n"
	"  --keep-snapshots       CodeCarbon logs: count every row (default: only the\n"
	"                         last snapshot row of each run_id)\n"
	"  --to csv|json|text     output format (default: text)\n"
	"\n"
	"Expressions: numbers, 'strings', column names (\"Quoted Name\" when they hold\n"
	"spaces), + - * /, = != < <= > >=, and or not, year() month() quarter()\n"
	"round(x, n) coalesce(a, b) to(x, 'unit') abs().\n";

/* "--agg 'x=sum(energy'": how an option shows in messages. */
static char *option_label(const char *opt, const char *value)
{
	size_t n = strlen(opt) + strlen(value) + 8;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s '%s'", opt, value);
	return s;
}

typedef struct pending_opt {
	const char *opt;
	const char *value;
} pending_opt;

int cmd_aggregate(int argc, char **argv)
{
	cli_input in;
	er_diag_sink diag;
	const char *path = NULL, *to = "text", *tzname = "UTC", *sort = NULL;
	pending_opt *opts = NULL;
	size_t nopts = 0, i;
	long limit = -1;
	int fiscal = 1, dedup = -1, rc = EX_USAGE_;
	er_reader *r = NULL;
	er_query *q = NULL;
	er_result *res = NULL;
	er_tz *tz = NULL;
	char **labels = NULL;
	er_status st = ER_OK;
	int a;

	cli_input_init(&in);
	cli_diag_init(&diag);
	opts = calloc((size_t)argc, sizeof *opts);
	labels = calloc((size_t)argc, sizeof *labels);
	if (opts == NULL || labels == NULL) {
		cli_error("out of memory");
		rc = EX_SOFTWARE_;
		goto out;
	}
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a];
		static const char *const expr_opts[] = {"--where", "--derive", "--group-by", "--agg"};
		static const char *const value_opts[] = {"--sort", "--limit", "--timezone",
		                                         "--fiscal-year-start", "--to"};
		const char *value = NULL, *name = NULL;
		size_t k;
		int taken;

		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			fputs(cli_input_help, stdout);
			rc = 0;
			goto out;
		}
		if (strcmp(arg, "--keep-snapshots") == 0) {
			dedup = 0;
			continue;
		}
		taken = cli_input_option(&in, "aggregate", argc, argv, &a);
		if (taken < 0)
			goto out;
		if (taken)
			continue;
		for (k = 0; k < 4 && !name; k++) {
			size_t n = strlen(expr_opts[k]);
			if (strncmp(arg, expr_opts[k], n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
				name = expr_opts[k];
				value = arg[n] == '=' ? arg + n + 1 : NULL;
			}
		}
		for (k = 0; k < 5 && !name; k++) {
			size_t n = strlen(value_opts[k]);
			if (strncmp(arg, value_opts[k], n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
				name = value_opts[k];
				value = arg[n] == '=' ? arg + n + 1 : NULL;
			}
		}
		if (name) {
			if (value == NULL) {
				if (a + 1 >= argc) {
					cli_usage_error("aggregate", "option '%s' needs a value", name);
					goto out;
				}
				value = argv[++a];
			}
			if (strcmp(name, "--sort") == 0) {
				sort = value;
			} else if (strcmp(name, "--limit") == 0) {
				char *end;
				errno = 0;
				limit = strtol(value, &end, 10);
				if (*value == '\0' || *end || errno || limit < 0) {
					cli_usage_error("aggregate", "--limit needs a whole number >= 0, not '%s'", value);
					goto out;
				}
			} else if (strcmp(name, "--timezone") == 0) {
				tzname = value;
			} else if (strcmp(name, "--fiscal-year-start") == 0) {
				char *end;
				fiscal = (int)strtol(value, &end, 10);
				if (*value == '\0' || *end || fiscal < 1 || fiscal > 12) {
					cli_usage_error("aggregate", "--fiscal-year-start needs a month 1-12, not '%s'",
					                value);
					goto out;
				}
			} else if (strcmp(name, "--to") == 0) {
				to = value;
				if (strcmp(to, "csv") && strcmp(to, "json") && strcmp(to, "text")) {
					cli_usage_error("aggregate", "--to must be 'csv', 'json' or 'text', not '%s'", to);
					goto out;
				}
			} else {
				opts[nopts].opt = name;
				opts[nopts++].value = value;
			}
			continue;
		}
		if (arg[0] == '-' && arg[1] != '\0') {
			cli_usage_error("aggregate", "unknown option '%s'", arg);
			goto out;
		}
		if (path) {
			cli_usage_error("aggregate", "one file at a time (got '%s' and '%s')", path, arg);
			goto out;
		}
		path = arg;
	}
	if (path == NULL) {
		cli_usage_error("aggregate", "missing DATA.csv");
		goto out;
	}
	st = er_tz_load(tzname, &tz);
	if (st == ER_ERR_USAGE) {
		cli_usage_error("aggregate", "unknown time zone '%s' (try UTC, +02:00 or Europe/Berlin)",
		                tzname);
		goto out;
	}
	q = er_query_new();
	if (st != ER_OK || q == NULL) {
		st = ER_ERR_NOMEM;
		goto fail;
	}
	er_query_set_tz(q, tz);
	er_query_set_fiscal_start(q, fiscal);
	er_query_set_limit(q, limit);
	er_query_set_dedup(q, dedup);
	er_query_set_max_rows(q, in.max_rows);
	if (sort && (st = er_query_add_sort(q, sort)) != ER_OK)
		goto fail;
	/* Expressions are checked before any data is read. */
	for (i = 0; i < nopts; i++) {
		er_origin origin;
		labels[i] = option_label(opts[i].opt, opts[i].value);
		if (labels[i] == NULL) {
			st = ER_ERR_NOMEM;
			goto fail;
		}
		origin.file = labels[i];
		origin.line = 0;
		origin.column = 1;
		if (strcmp(opts[i].opt, "--group-by") == 0)
			st = er_query_add_keys(q, opts[i].value, origin, &diag);
		else
			st = er_query_add(q,
			                  strcmp(opts[i].opt, "--where") == 0    ? ER_Q_WHERE
			                  : strcmp(opts[i].opt, "--derive") == 0 ? ER_Q_DERIVE
			                                                         : ER_Q_AGG,
			                  opts[i].value, origin, &diag);
		if (st != ER_OK)
			goto fail;
	}
	st = er_reader_open(path, NULL, &in.csv, &diag, &r);
	if (st == ER_OK)
		st = er_query_run(q, r, &diag, &res);
	if (st != ER_OK)
		goto fail;
	if (strcmp(to, "csv") == 0)
		st = er_result_write_csv(res, stdout);
	else if (strcmp(to, "json") == 0)
		st = er_result_write_json(res, stdout);
	else
		st = er_result_write_text(res, stdout);
	if (st == ER_OK && (fflush(stdout) != 0 || ferror(stdout)))
		st = ER_ERR_IO;
	if (st == ER_ERR_IO)
		cli_error("cannot write to standard output");
	/* Say what the totals left out. */
	for (i = 0; st == ER_OK && i < res->ncols; i++)
		if (res->cols[i].skipped)
			fprintf(stderr, "ecoreport: %s: warning: %s: %zu missing value%s of %s skipped\n",
			        er_reader_display(r), res->cols[i].name, res->cols[i].skipped,
			        res->cols[i].skipped == 1 ? "" : "s", res->cols[i].skipped_of);
fail:
	if (st == ER_ERR_NOMEM || st == ER_ERR_INTERNAL)
		cli_error("%s", er_strerror(st));
	rc = cli_exit_code(st);
out:
	for (i = 0; labels && i < (size_t)argc; i++)
		free(labels[i]);
	free(labels);
	free(opts);
	er_result_free(res);
	er_query_free(q);
	er_reader_free(r);
	er_tz_free(tz);
	return rc;
}
