/* libFuzzer target for the expression language: parse the input as an
 * expression; when it parses, run it as --where, --derive, a group key and
 * an aggregate over a small fixed CSV, so evaluation sees it too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/expr.h"
#include "core/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char csv[] =
	"timestamp,project_name,run_id,duration,emissions,energy_consumed,note\n"
	"2025-03-31T23:00:00,p,r1,10,1,10 kWh,a\n"
	"2025-04-01T00:10:00+02:00,q,r1,20,NA,20 kWh,\"b, c\"\n"
	"2025-05-01,p,,1,0.25,1 MWh,175B\n";

static void run(er_query_part part, const char *prefix, const char *src)
{
	er_diag_sink sink = {NULL, NULL, 0, 0};
	er_origin origin = {"fuzz", 0, 1};
	er_query *q = er_query_new();
	er_reader *r = NULL;
	er_result *res = NULL;
	size_t n = strlen(prefix) + strlen(src) + 1;
	char *text = malloc(n);

	if (q == NULL || text == NULL)
		goto out;
	strcpy(text, prefix);
	strcat(text, src);
	if (er_query_add(q, part, text, origin, &sink) != ER_OK)
		goto out;
	if (part != ER_Q_AGG)
		er_query_add(q, ER_Q_AGG, part == ER_Q_DERIVE ? "n=sum(x)" : "n=count()", origin, &sink);
	if (er_reader_open_mem(csv, sizeof csv - 1, "fuzz.csv", NULL, &sink, &r) == ER_OK)
		er_query_run(q, r, &sink, &res);
out:
	free(text);
	er_result_free(res);
	er_reader_free(r);
	er_query_free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	er_expr_error err;
	er_expr *e;
	char *src = malloc(size + 1);

	if (src == NULL)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	e = er_expr_parse(src, size, &err);
	if (e && strlen(src) == size) {
		er_expr_free(e);
		run(ER_Q_WHERE, "", src);
		run(ER_Q_DERIVE, "x=", src);
		run(ER_Q_KEY, "", src);
		run(ER_Q_AGG, "a=", src);
	} else {
		er_expr_free(e);
	}
	free(src);
	return 0;
}
