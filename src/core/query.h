/* query.h - filter, derive, group, aggregate, sort and limit a CSV stream.
 *
 * The query runs while the CSV streams in: memory grows with the number of
 * groups (and, for CodeCarbon logs, with the number of runs, whose snapshot
 * rows must be reduced to the last one), not with the number of rows.
 * Without aggregates and group keys the query lists rows (filtered,
 * derived, sorted), which keeps them in memory. */
#ifndef ER_QUERY_H
#define ER_QUERY_H

#include "common/tz.h"
#include "eval.h"
#include "ingest/ingest.h"
#include "result.h"

typedef enum er_query_part { ER_Q_WHERE, ER_Q_DERIVE, ER_Q_KEY, ER_Q_AGG } er_query_part;

typedef struct er_query er_query;

er_query *er_query_new(void);
void er_query_free(er_query *q);

/* Parses and adds one expression. DERIVE and AGG take "NAME=EXPR"; KEY takes
 * "EXPR" or "NAME=EXPR" (the column is then named NAME, else by the text).
 * `origin` says where the text came from (for messages). Parse errors are
 * reported through diag (ER_ERR_DATA). */
er_status er_query_add(er_query *q, er_query_part part, const char *src, er_origin origin,
                       er_diag_sink *diag);
/* Adds a comma-separated list of group keys ("quarter(timestamp),project"). */
er_status er_query_add_keys(er_query *q, const char *list, er_origin origin, er_diag_sink *diag);
/* Sort keys: result column names, '-' first for descending ("-co2_kg"). */
er_status er_query_add_sort(er_query *q, const char *list);
void er_query_set_limit(er_query *q, long limit);
/* 1..12; 1 (the default) means calendar quarters. */
void er_query_set_fiscal_start(er_query *q, int month);
/* Borrowed; must outlive er_query_run. NULL means UTC. */
void er_query_set_tz(er_query *q, const er_tz *tz);
/* CodeCarbon snapshot de-duplication: -1 automatic (on for CodeCarbon logs), 0 off, 1 on. */
void er_query_set_dedup(er_query *q, int dedup);
/* Memory for CodeCarbon runs before they spill to temporary files
 * (0: the default, 24 MiB). */
void er_query_set_run_budget(er_query *q, size_t bytes);
/* The most groups (with --group-by) or rows (without: a listing, a chart's
 * bars) held in memory; one more is an error naming the row, before memory
 * runs out. 0: the default, ER_QUERY_MAX_ROWS. */
#define ER_QUERY_MAX_ROWS 5000000u
void er_query_set_max_rows(er_query *q, size_t n);

/* Runs the query over every data record of r. Errors are reported through
 * diag; *out receives a new result table (caller frees). */
er_status er_query_run(er_query *q, er_reader *r, er_diag_sink *diag, er_result **out);

#endif
