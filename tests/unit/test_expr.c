/* Unit tests: expression parsing, positioned errors, splitting helpers, and
 * calendar buckets with time zones and fiscal years (core/expr, core/eval). */
#include <stdlib.h>

#include "common/tz.h"
#include "core/eval.h"
#include "core/expr.h"
#include "test.h"

/* "ok" or "POS: MESSAGE" */
static const char *parse(const char *src)
{
	static char out[400];
	er_expr_error err;
	er_expr *e = er_expr_parse(src, strlen(src), &err);
	if (e) {
		er_expr_free(e);
		return "ok";
	}
	snprintf(out, sizeof out, "%zu: %s", err.pos, err.message);
	return out;
}

static const char *bucket(er_func f, const char *when, const char *zone, int fiscal)
{
	static char out[32];
	er_time t;
	er_tz *tz = NULL;
	if (!er_time_parse(when, strlen(when), &t))
		return "(bad time)";
	if (zone && er_tz_load(zone, &tz) != ER_OK)
		return "(bad zone)";
	er_time_bucket(f, &t, tz, fiscal, out, sizeof out);
	er_tz_free(tz);
	return out;
}

static int split_names(void *ctx, size_t off, size_t len)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 200 - n, "[%zu+%zu]", off, len);
	return 0;
}

int main(void)
{
	char list[200] = "";
	size_t ns, nl, es;

	CHECK_STR(parse("sum(energy_consumed)"), "ok");
	CHECK_STR(parse("energy_mwh * grid_g_per_kwh / 1000"), "ok");
	CHECK_STR(parse("\"Energy (kWh)\" > 1.5e3 and not project = 'a''b'"), "ok");
	CHECK_STR(parse("models.co2_t"), "ok");
	CHECK_STR(parse("-(-x) <= 3 or y <> 4 and z != 5"), "ok");
	CHECK_STR(parse("count()"), "ok");
	CHECK_STR(parse("round(mean(x), 2)"), "ok");
	CHECK_STR(parse("sum(energy"), "10: expected ')'");
	CHECK_STR(parse("1 +"), "3: expected a value but the expression ends");
	CHECK_STR(parse("a b"), "2: unexpected 'b' after a complete expression");
	CHECK_STR(parse("'abc"), "0: string is not closed");
	CHECK_STR(parse("\"abc"), "0: quoted name is not closed");
	CHECK_STR(parse("foo(1)"), "0: unknown function 'foo'");
	CHECK_STR(parse("round()"), "0: round() takes 1 to 2 arguments, not 0");
	CHECK_STR(parse("sum(a, b)"), "0: sum() takes 1 argument, not 2");
	CHECK_STR(parse("a ! b"), "2: unexpected '!' (use 'not' or '!=')");
	CHECK_STR(parse("(a"), "2: expected ')'");
	CHECK_STR(parse("a)"), "1: unmatched ')'");
	CHECK_STR(parse("a # b"), "2: unexpected character '#'");
	CHECK_STR(parse(""), "0: expected a value but the expression ends");
	CHECK_STR(parse("1.2.3"), "0: malformed number '1.2.3'");
	{
		/* Deep nesting is refused, not a stack overflow. */
		char deep[2000];
		memset(deep, '(', 1000);
		deep[1000] = '1';
		memset(deep + 1001, ')', 998);
		deep[1999] = '\0';
		CHECK_STR(parse(deep), "200: expression nested too deeply");
		memset(deep, '-', 1500);
		strcpy(deep + 1500, "1");
		CHECK_STR(parse(deep), "200: expression nested too deeply");
	}

	CHECK(er_expr_split_assign("x=sum(a)", 8, &ns, &nl, &es));
	CHECK_INT(ns, 0);
	CHECK_INT(nl, 1);
	CHECK_INT(es, 2);
	CHECK(er_expr_split_assign(" co2_t = a*b", 12, &ns, &nl, &es));
	CHECK_INT(ns, 1);
	CHECK_INT(nl, 5);
	CHECK(!er_expr_split_assign("x == 1", 6, &ns, &nl, &es));
	CHECK(!er_expr_split_assign("sum(a)", 6, &ns, &nl, &es));
	CHECK(er_expr_split_assign("\"Energy (kWh)\"=sum(a)", 21, &ns, &nl, &es));
	CHECK_INT(ns, 1);
	CHECK_INT(nl, 12);
	er_expr_split_list("quarter(timestamp),project_name, round(x, 2)", 44, split_names, list);
	CHECK_STR(list, "[0+18][19+12][32+12]");

	/* Calendar buckets. */
	CHECK_STR(bucket(FN_QUARTER, "2025-03-31T23:59:59", NULL, 1), "2025-Q1");
	CHECK_STR(bucket(FN_QUARTER, "2025-04-01", NULL, 1), "2025-Q2");
	CHECK_STR(bucket(FN_QUARTER, "2024-12-31T23:59:59", NULL, 1), "2024-Q4");
	CHECK_STR(bucket(FN_YEAR, "2025-01-01T00:00:00", NULL, 1), "2025");
	CHECK_STR(bucket(FN_MONTH, "2025-03-01", NULL, 1), "2025-03");
	CHECK_STR(bucket(FN_MONTH, "2025-11-30", NULL, 1), "2025-11");
	CHECK_STR(bucket(FN_QUARTER, "0999-12-31", NULL, 1), "0999-Q4");
	CHECK_STR(bucket(FN_YEAR, "0042-01-01", NULL, 1), "0042");
	/* Fiscal years starting in April, named by the year they end in. */
	CHECK_STR(bucket(FN_QUARTER, "2025-03-31", NULL, 4), "FY2025-Q4");
	CHECK_STR(bucket(FN_QUARTER, "2025-04-01", NULL, 4), "FY2026-Q1");
	CHECK_STR(bucket(FN_QUARTER, "2025-12-31", NULL, 4), "FY2026-Q3");
	CHECK_STR(bucket(FN_QUARTER, "2026-01-01", NULL, 4), "FY2026-Q4");
	CHECK_STR(bucket(FN_QUARTER, "2025-07-01", NULL, 7), "FY2026-Q1");
	CHECK_STR(bucket(FN_QUARTER, "2025-06-30", NULL, 7), "FY2025-Q4");
	/* Zoned instants are cut in the report's zone; naive ones are already local. */
	CHECK_STR(bucket(FN_QUARTER, "2025-03-31T23:30:00Z", "UTC", 1), "2025-Q1");
	CHECK_STR(bucket(FN_QUARTER, "2025-03-31T23:30:00Z", "Europe/Berlin", 1), "2025-Q2");
	CHECK_STR(bucket(FN_QUARTER, "2025-03-31T23:30:00Z", "+01:00", 1), "2025-Q2");
	CHECK_STR(bucket(FN_QUARTER, "2025-01-01T02:00:00+05:30", "UTC", 1), "2024-Q4");
	CHECK_STR(bucket(FN_QUARTER, "2025-03-31T23:30:00", "America/New_York", 1), "2025-Q1");
	CHECK_STR(bucket(FN_YEAR, "2025-01-01T03:00:00Z", "America/New_York", 1), "2024");
	/* Summer time: Berlin is UTC+2 in July, UTC+1 in January. */
	CHECK_STR(bucket(FN_MONTH, "2025-06-30T22:30:00Z", "Europe/Berlin", 1), "2025-07");
	CHECK_STR(bucket(FN_MONTH, "2025-01-31T22:30:00Z", "Europe/Berlin", 1), "2025-01");
	CHECK_STR(bucket(FN_QUARTER, "2025-01-01", "Nowhere/Atlantis", 1), "(bad zone)");
	CHECK_STR(bucket(FN_QUARTER, "2025-01-01", "../../etc/passwd", 1), "(bad zone)");
	return test_done("test_expr");
}
