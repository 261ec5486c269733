/* Unit tests: queries end to end over in-memory CSV (core/query, core/agg,
 * core/result): aggregates, units, missing values, de-duplication, errors. */
#include <math.h>
#include <stdlib.h>

#include "common/buf.h"
#include "core/agg.h"
#include "core/query.h"
#include "test.h"

static er_buf diags = ER_BUF_INIT;

static void record(void *ctx, const er_diag *d)
{
	(void)ctx;
	if (d->line)
		er_buf_printf(&diags, "%s:%lu:%lu: %s: %s\n", d->file ? d->file : "-", d->line, d->column,
		              d->severity == ER_SEV_ERROR ? "error" : "warning", d->message);
	else
		er_buf_printf(&diags, "%s: %s: %s\n", d->file ? d->file : "-",
		              d->severity == ER_SEV_ERROR ? "error" : "warning", d->message);
}

/* Runs a query; spec lines: "where:EXPR", "derive:N=E", "key:E", "agg:N=E",
 * "sort:COLS", "limit:N", "fiscal:M", "tz:ZONE", "skip", "keep". Returns the
 * CSV output or the diagnostics. */
static const char *run(const char *csv, const char *const *spec)
{
	static char *out;
	size_t outlen;
	FILE *f;
	er_diag_sink sink = {record, NULL, 0, 0};
	er_csv_options o;
	er_reader *r = NULL;
	er_query *q = er_query_new();
	er_result *res = NULL;
	er_tz *tz = NULL;
	er_status st = ER_OK;
	er_origin origin = {"q", 0, 1};

	er_buf_clear(&diags);
	er_csv_options_defaults(&o);
	for (; *spec && st == ER_OK; spec++) {
		const char *s = *spec;
		if (strncmp(s, "where:", 6) == 0)
			st = er_query_add(q, ER_Q_WHERE, s + 6, origin, &sink);
		else if (strncmp(s, "derive:", 7) == 0)
			st = er_query_add(q, ER_Q_DERIVE, s + 7, origin, &sink);
		else if (strncmp(s, "key:", 4) == 0)
			st = er_query_add_keys(q, s + 4, origin, &sink);
		else if (strncmp(s, "agg:", 4) == 0)
			st = er_query_add(q, ER_Q_AGG, s + 4, origin, &sink);
		else if (strncmp(s, "sort:", 5) == 0)
			st = er_query_add_sort(q, s + 5);
		else if (strncmp(s, "limit:", 6) == 0)
			er_query_set_limit(q, atol(s + 6));
		else if (strncmp(s, "fiscal:", 7) == 0)
			er_query_set_fiscal_start(q, atoi(s + 7));
		else if (strncmp(s, "tz:", 3) == 0) {
			st = er_tz_load(s + 3, &tz);
			er_query_set_tz(q, tz);
		} else if (strcmp(s, "skip") == 0)
			o.bad_rows = ER_BAD_ROWS_SKIP;
		else if (strcmp(s, "keep") == 0)
			er_query_set_dedup(q, 0);
		else if (strncmp(s, "budget:", 7) == 0)
			er_query_set_run_budget(q, (size_t)atol(s + 7));
	}
	if (st == ER_OK)
		st = er_reader_open_mem(csv, strlen(csv), "t.csv", &o, &sink, &r);
	if (st == ER_OK)
		st = er_query_run(q, r, &sink, &res);
	free(out);
	f = open_memstream(&out, &outlen);
	if (st == ER_OK)
		er_result_write_csv(res, f);
	fprintf(f, "%s", diags.data ? diags.data : "");
	if (st != ER_OK)
		fprintf(f, "status: %s\n", er_strerror(st));
	fclose(f);
	er_result_free(res);
	er_query_free(q);
	er_reader_free(r);
	er_tz_free(tz);
	return out;
}

#define Q(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Quarter x project totals of a CodeCarbon log; budget: the run store's
 * memory ("budget:N"), or NULL for the default. */
static const char *cc_totals(const char *csv, const char *budget)
{
	/* A NULL budget ends the list early. */
	const char *spec[] = {"key:q=quarter(timestamp),project_name", "agg:e=sum(energy_consumed)",
	                      "agg:c=sum(emissions)", "agg:n=count()", budget, NULL};
	return run(csv, spec);
}

/* A CodeCarbon log of 20,000 rows, row i a snapshot of run run_of(i). */
static void cc_log(er_buf *b, int (*run_of)(int))
{
	int i;
	er_buf_clear(b);
	er_buf_puts(b, "timestamp,project_name,run_id,duration,emissions,energy_consumed\n");
	for (i = 0; i < 20000; i++) {
		int run = run_of(i);
		er_buf_printf(b, "2025-%02d-01T00:00:00,p%d,r%d,%d,%d.5,%d.25\n", 1 + run % 12, run % 5, run,
		              i, i % 97, i % 89);
	}
}

static int every_7th_later(int i)
{
	return i % 7 == 3 ? i - 1 : i; /* every 7th row is a later snapshot */
}

static int reversed_second_half(int i)
{
	return i < 10000 ? i : 19999 - i;
}

static const char models[] =
	"model,params,energy_mwh,co2_t,grid\n"
	"GPT-3,175B,1287,502,429 gCO2eq/kWh\n"
	"Gopher,280B,1066,352,330 gCO2eq/kWh\n"
	"OPT,175B,324,70,231 gCO2eq/kWh\n"
	"BLOOM,176B,433,25,57 gCO2eq/kWh\n";

int main(void)
{
	/* Totals, no groups. */
	CHECK_STR(run(models, Q("agg:total=sum(co2_t)", "agg:n=count()", "agg:m=mean(energy_mwh)")),
	          "total,n,m\n949,4,777.5\n");
	CHECK_STR(run(models, Q("agg:lo=min(co2_t)", "agg:hi=max(co2_t)", "agg:med=median(co2_t)",
	                        "agg:f=first(model)", "agg:l=last(model)")),
	          "lo,hi,med,f,l\n25,502,211,GPT-3,BLOOM\n");
	/* Group by, order of first appearance, then sorted. */
	CHECK_STR(run(models, Q("key:params", "agg:co2=sum(co2_t)")),
	          "params,co2\n175,572\n280,352\n176,25\n");
	CHECK_STR(run(models, Q("key:params", "agg:co2=sum(co2_t)", "sort:-co2")),
	          "params,co2\n175,572\n280,352\n176,25\n");
	CHECK_STR(run(models, Q("key:params", "agg:co2=sum(co2_t)", "sort:co2", "limit:2")),
	          "params,co2\n176,25\n280,352\n");
	/* Where and derive; units flow through products into known units. */
	CHECK_STR(run(models, Q("where:co2_t > 100", "agg:n=count()")), "n\n2\n");
	CHECK_STR(run("model,energy (MWh),grid\nGPT-3,1287,429 gCO2eq/kWh\n",
	              Q("derive:co2=to(\"energy (MWh)\" * grid, 't')", "key:model", "agg:c=sum(co2)")),
	          "model,c\nGPT-3,552.123\n");
	/* MWh x gCO2eq/kWh reduces to kg. */
	CHECK_STR(run("model,energy (MWh),grid\nGPT-3,1287,429 gCO2eq/kWh\n",
	              Q("derive:e=\"energy (MWh)\"*grid", "agg:x=sum(e)", "agg:t=sum(to(e, 't'))")),
	          "x,t\n552123,552.123\n");
	CHECK_STR(run(models, Q("agg:kg=sum(to(co2_t, 'kg'))")),
	          "q: error: to(): the value has no unit to convert from at column 11\nstatus: invalid data\n");
	/* Units from cells: mixed kWh/MWh converted to the column's first unit. */
	CHECK_STR(run("e\n1 MWh\n500 kWh\n2 MWh\n", Q("agg:t=sum(e)")), "t\n3.5\n");
	CHECK_STR(run("e\n1 MWh\n500 kg\n", Q("agg:t=sum(e)")),
	          "t.csv:3:1: error: column \"e\": unit \"kg\" cannot be converted to \"MWh\", the column's unit\n"
	          "status: invalid data\n");
	CHECK_STR(run("e,m\n1 kWh,2 kg\n", Q("agg:t=sum(e + m)")),
	          "q: error: cannot add \"kWh\" and \"kg\" at column 7\nstatus: invalid data\n");
	CHECK_STR(run("e\n1 MWh\n", Q("agg:t=sum(to(e, 'kg'))")),
	          "q: error: cannot convert \"MWh\" to \"kg\" at column 7\nstatus: invalid data\n");
	/* Missing values are skipped and counted; an all-missing sum is missing. */
	CHECK_STR(run("g,v\na,1\na,NA\nb,\nb,-\n", Q("key:g", "agg:s=sum(v)", "agg:n=count(v)", "agg:rows=count()")),
	          "g,s,n,rows\na,1,1,2\nb,,0,2\n");
	/* Exact sums: order does not matter, tiny and huge magnitudes. */
	CHECK_STR(run("v\n1e100\n1\n-1e100\n", Q("agg:s=sum(v)")), "s\n1\n");
	CHECK_STR(run("v\n0.1\n0.1\n0.1\n", Q("agg:s=sum(v)")), "s\n0.30000000000000004\n");
	CHECK_STR(run("v\n1e-300\n1e-300\n", Q("agg:s=sum(v)")), "s\n2e-300\n");
	CHECK_STR(run("v\n1e308\n1e308\n", Q("agg:s=sum(v)")),
	          "q: error: sum() overflows: the total is beyond the range of a double at column 7\n"
	          "status: invalid data\n");
	/* A single row; no rows at all. */
	CHECK_STR(run("v\n7\n", Q("agg:s=sum(v)", "agg:m=mean(v)", "agg:d=median(v)")), "s,m,d\n7,7,7\n");
	CHECK_STR(run("v\n", Q("agg:s=sum(v)", "agg:n=count()")), "s,n\n,0\n");
	CHECK_STR(run("g,v\n", Q("key:g", "agg:s=sum(v)")), "g,s\n");
	/* Text where a number is needed: the row's fault, skippable. */
	CHECK_STR(run("v\n1\nabc\n2\n", Q("agg:s=sum(v)")),
	          "t.csv:3:1: error: column \"v\": expected a number, got \"abc\"\nstatus: invalid data\n");
	CHECK_STR(run("v\n1\nabc\n2\n", Q("agg:s=sum(v)", "skip")),
	          "s\n3\nt.csv:3:1: warning: column \"v\": expected a number, got \"abc\" (row skipped)\n"
	          "t.csv: warning: skipped 1 bad row (first at line 3)\n");
	/* Name errors, suggestions, misuse of aggregates. */
	CHECK_STR(run(models, Q("agg:s=sum(co2)")),
	          "q: error: unknown column \"co2\" (did you mean \"co2_t\"?) at column 7\nstatus: invalid data\n");
	CHECK_STR(run(models, Q("agg:s=co2_t")),
	          "q: error: \"co2_t\" has no aggregate: use sum(), mean(), min(), max(), count(), median(), first() or last() at column 3\n"
	          "status: invalid data\n");
	CHECK_STR(run(models, Q("agg:s=sum(co2_t) + co2_t")),
	          "q: error: column \"co2_t\" must be inside an aggregate such as sum(co2_t) at column 16\n"
	          "status: invalid data\n");
	CHECK_STR(run(models, Q("where:sum(co2_t) > 1", "agg:n=count()")),
	          "q: error: sum() is an aggregate; it belongs in --agg at column 1\nstatus: invalid data\n");
	CHECK_STR(run(models, Q("agg:s=sum(max(co2_t))")),
	          "q: error: aggregates cannot be nested at column 7\nstatus: invalid data\n");
	CHECK_STR(run(models, Q("agg:s=sum(co2_t)", "sort:co2")),
	          "--sort: error: no result column \"co2\"\nstatus: invalid data\n");
	/* Calendar keys, fiscal years, named keys. */
	CHECK_STR(run("t,v\n2025-03-31T23:00:00,1\n2025-04-01T01:00:00,2\n2025-04-02,4\n",
	              Q("key:q=quarter(t)", "agg:s=sum(v)")),
	          "q,s\n2025-Q1,1\n2025-Q2,6\n");
	CHECK_STR(run("t,v\n2025-03-31T23:00:00,1\n2025-04-01T01:00:00,2\n",
	              Q("key:q=quarter(t)", "agg:s=sum(v)", "fiscal:4")),
	          "q,s\nFY2025-Q4,1\nFY2026-Q1,2\n");
	CHECK_STR(run("t,v\n2025-03-31T22:30:00Z,1\n2025-03-31T21:30:00Z,2\n",
	              Q("key:q=quarter(t)", "agg:s=sum(v)", "tz:Europe/Berlin")),
	          "q,s\n2025-Q2,1\n2025-Q1,2\n");
	/* and/or/not take conditions: text there is an error, not false. */
	CHECK_STR(run("a,s\n1,x\n", Q("where:a = 1 and s", "agg:n=count()")),
	          "q: error: 'and' needs a condition, not text at column 11\nstatus: invalid data\n");
	CHECK_STR(run("a,s\n1,x\n", Q("where:not s", "agg:n=count()")),
	          "q: error: 'not' needs a condition, not text at column 5\nstatus: invalid data\n");
	/* A year label compares with a number as with a string. */
	CHECK_STR(run("t,v\n2024-12-31,1\n2025-01-01,2\n", Q("where:year(t) = 2025", "agg:s=sum(v)")),
	          "s\n2\n");
	CHECK_STR(run("t,v\n2024-12-31,1\n2025-01-01,2\n", Q("where:year(t) < 2025", "agg:s=sum(v)")),
	          "s\n1\n");
	/* Comparisons count as 1/0 in sums; quarter_add moves between quarters. */
	CHECK_STR(run("p,v\na,1\nb,2\na,4\n", Q("agg:a=sum(v * (p = 'a'))", "agg:n=sum(p = 'b')")),
	          "a,n\n5,1\n");
	CHECK_STR(run("t\n2025-01-01\n", Q("key:q=quarter_add('2025-Q1', -1)", "key:r=quarter_add('FY2026-Q4', 1)",
	                                     "agg:n=count()")),
	          "q,r,n\n2024-Q4,FY2027-Q1,1\n");
	/* CodeCarbon: cumulative snapshots of a run count once (the last); a run
	 * that ends in the next quarter counts there. */
	CHECK_STR(run("timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
	              "2025-03-31T23:00:00,p,r1,10,1,10\n"
	              "2025-03-31T23:10:00,p,r2,5,0.5,5\n"
	              "2025-04-01T00:10:00,p,r1,20,2,20\n"
	              "2025-04-01T00:20:00,p,,1,0.25,1\n"
	              "2025-04-01T00:30:00,p,,1,0.25,1\n",
	              Q("key:q=quarter(timestamp)", "agg:kwh=sum(energy_consumed)", "agg:n=count()")),
	          "q,kwh,n\n2025-Q1,5,1\n2025-Q2,22,3\n");
	CHECK_STR(run("timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
	              "2025-03-31T23:00:00,p,r1,10,1,10\n"
	              "2025-04-01T00:10:00,p,r1,20,2,20\n",
	              Q("key:q=quarter(timestamp)", "agg:kwh=sum(energy_consumed)", "keep")),
	          "q,kwh\n2025-Q1,10\n2025-Q2,20\n");
	/* The filter sees each run's last snapshot only: r1's Q1 row is not its
	 * last, so it counts neither there nor anywhere the filter drops r1's
	 * last row (aggregated, listed, and with the store spilled). */
	{
		static const char cc[] =
			"timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
			"2025-03-31T23:00:00,p,r1,10,1,10\n"
			"2025-03-31T23:10:00,q,r2,5,0.5,5\n"
			"2025-04-01T00:10:00,p,r1,20,2,20\n"
			"2025-04-01T00:20:00,p,,1,0.25,1\n"
			"2025-04-01T00:30:00,p,r3,1,0.25,1\n"
			"2025-04-01T00:40:00,p,r3,2,0.5,2\n";
		CHECK_STR(run(cc, Q("where:quarter(timestamp) = '2025-Q1'", "agg:kwh=sum(energy_consumed)",
		                    "agg:n=count()")),
		          "kwh,n\n5,1\n");
		CHECK_STR(run(cc, Q("where:quarter(timestamp) = '2025-Q1'", "agg:kwh=sum(energy_consumed)",
		                    "agg:n=count()", "budget:1")),
		          "kwh,n\n5,1\n");
		CHECK_STR(run(cc, Q("where:duration < 15", "key:run_id", "agg:kwh=sum(energy_consumed)")),
		          "run_id,kwh\nr2,5\n,1\nr3,2\n");
		CHECK_STR(run(cc, Q("where:duration < 15", "key:run_id", "agg:kwh=sum(energy_consumed)",
		                    "budget:1")),
		          "run_id,kwh\nr2,5\n,1\nr3,2\n");
		/* r3's first row passes, its last does not: r3 counts nowhere. */
		CHECK_STR(run(cc, Q("where:duration < 2", "agg:kwh=sum(energy_consumed)", "agg:n=count()")),
		          "kwh,n\n1,1\n");
		CHECK_STR(run(cc, Q("where:quarter(timestamp) = '2025-Q1'")),
		          "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
		          "2025-03-31T23:10:00,q,r2,5,0.5,5\n");
		CHECK_STR(run(cc, Q("where:duration < 2")),
		          "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
		          "2025-04-01T00:20:00,p,,1,0.25,1\n");
		CHECK_STR(run(cc, Q("where:duration < 15")),
		          "timestamp,project_name,run_id,duration,emissions,energy_consumed\n"
		          "2025-03-31T23:10:00,q,r2,5,0.5,5\n"
		          "2025-04-01T00:20:00,p,,1,0.25,1\n"
		          "2025-04-01T00:40:00,p,r3,2,0.5,2\n");
	}
	/* A file column as a key keeps its cells as written: numbers only when
	 * they print back the same, in the column's unit; the rest are labels
	 * (no unit errors from text that looks like a number). A key column of
	 * numbers sorts as numbers. */
	CHECK_STR(run("k,v\nabc,1\n001,2\n1.50,3\n1e3,4\n01.AI,5\n32B,6\n175,7\n", Q("key:k", "agg:s=sum(v)")),
	          "k,s\nabc,1\n001,2\n1.50,3\n1e3,4\n01.AI,5\n32B,6\n175,7\n");
	CHECK_STR(run("k,v\n40,1\n40.0,2\n32,3\n", Q("key:k", "agg:s=sum(v)")), "k,s\n40,3\n32,3\n");
	CHECK_STR(run("k,v\n175,1\n1000,2\n90,3\n175,4\n", Q("key:k", "agg:s=sum(v)", "sort:k")),
	          "k,s\n90,3\n175,5\n1000,2\n");
	CHECK_STR(run("k,v\n175B,1\n8B,2\n", Q("key:k", "agg:s=sum(v)", "sort:k")), "k,s\n8,2\n175,1\n");
	/* Listed rows: a column of text whose cells look like numbers in units
	 * that do not convert is text, each cell as written. */
	CHECK_STR(run("name,notes\na,32 billion\nb,32B\nc,7\n", Q("skip")),
	          "name,notes\na,32 billion\nb,32B\nc,7\n");
	/* Listing rows (no aggregates): filtered, derived, sorted; snapshots reduced. */
	CHECK_STR(run(models, Q("where:co2_t < 100", "derive:r=round(co2_t / energy_mwh * 1000, 1)",
	                        "sort:r")),
	          "model,params,energy_mwh,co2_t,grid,r\nBLOOM,176,433,25,57,57.7\nOPT,175,324,70,231,216\n");
	{
		/* Many runs with snapshots: the same totals whether the run store stays
		 * in memory or spills to temporary files. */
		er_buf big = ER_BUF_INIT;
		char *mem;
		cc_log(&big, every_7th_later);
		mem = strdup(cc_totals(big.data, NULL));
		CHECK_STR(cc_totals(big.data, "budget:1"), mem);
		/* Spilling later, with about 3,000 runs in memory (200 KB), and
		 * with about 13,000 when 5,000 rows remain (950 KB). */
		CHECK_STR(cc_totals(big.data, "budget:200000"), mem);
		CHECK_STR(cc_totals(big.data, "budget:950000"), mem);
		CHECK(strstr(mem, "2025-Q1,p0,") != NULL);
		free(mem);
		/* 10,000 runs, then a second snapshot of each in reverse order. With
		 * some 9,000 runs in memory when the store spills (635 KB), every
		 * second snapshot meets its first in a partition file, where the
		 * later row must win. */
		cc_log(&big, reversed_second_half);
		mem = strdup(cc_totals(big.data, NULL));
		CHECK_STR(cc_totals(big.data, "budget:635000"), mem);
		free(mem);
		er_buf_free(&big);
	}
	{
		/* The exact sum of a known hard case. */
		er_acc a = {0};
		er_value v;
		/* CPython's test_math: the final half-even correction across partials. */
		double xs[] = {9007199254740992.0, -0.5, -5.551115123125783e-17, 0};
		size_t i;
		for (i = 0; i < 4; i++) {
			er_value x = er_value_num(xs[i], NULL);
			er_acc_add(&a, FN_SUM, &x, i);
		}
		er_acc_result(&a, FN_SUM, NULL, &v);
		CHECK_NUM(v.num, 9007199254740991.0);
		er_acc_free(&a);
	}
	er_buf_free(&diags);
	return test_done("test_query");
}
