/* data.h - a report's named datasets: CSV sources from the front matter,
 * derived datasets from ```data blocks, and the values of {{ EXPR }}.
 *
 * Every dataset is a result table. Sources are read once (CodeCarbon
 * snapshots reduced to the last per run); ```data blocks and {{ }} are
 * queries over them. */
#ifndef ER_REPORT_DATA_H
#define ER_REPORT_DATA_H

#include "common/diag.h"
#include "common/l10n.h"
#include "common/tz.h"
#include "common/yaml.h"
#include "core/result.h"
#include "core/value.h"

typedef struct er_datasets er_datasets;

/* The template's folder resolves relative paths; file names the template
 * in diagnostics. fiscal_start: 1..12. */
er_status er_datasets_new(const char *template_path, int fiscal_start, er_diag_sink *diag,
                          er_datasets **out);
void er_datasets_free(er_datasets *ds);

/* The front matter: its values can be used as {{ key }} inside the
 * expressions of ```data blocks (where: quarter(timestamp) = '{{ quarter }}'). */
void er_datasets_set_front(er_datasets *ds, const er_ynode *front);

/* Declares the sources of the front matter's `data:` map: NAME: PATH, or
 * NAME: {path, format, bad_rows, timezone, delimiter, decimal}. Files are
 * read when first used. Unknown keys are errors at their position. */
er_status er_datasets_declare(er_datasets *ds, const er_ynode *data_map);

/* Adds a ```data block: name, from, where, derive {NAME: EXPR}, group_by
 * [EXPR...], aggregate {NAME: EXPR}, sort [[-]COL...], limit N. */
er_status er_datasets_add_block(er_datasets *ds, const er_ynode *block);

/* The table of a dataset (read or computed on first use; owned by ds), or
 * an error naming the unknown dataset (with a suggestion) at `at`. The
 * built-in dataset "_sources" lists every source with the rows read,
 * skipped as bad, and superseded as CodeCarbon snapshots. */
er_status er_datasets_get(er_datasets *ds, const char *name, const er_ynode *at,
                          const er_result **out);

/* Evaluates {{ EXPR }}: aggregates over one dataset (`max(models.co2_t)`),
 * or a front-matter value by its key (`quarter`). The value is written
 * for people ("502", "1,287.5", "2025-Q3"), a number in language loc's
 * format (borrowed; NULL: English); text and front-matter values whole, as
 * written. *out: a new string (caller frees); "" when the aggregate has no
 * row. line/column: where the expression starts in the template. */
er_status er_datasets_eval_text(er_datasets *ds, const er_ynode *front, const er_locale *loc,
                                const char *expr, unsigned long line, unsigned long column,
                                char **out);

/* How many rows each source had, read and skipped (for the appendix):
 * calls fn for each source that was read. */
typedef void (*er_datasets_fn)(void *ctx, const char *name, const char *path, size_t rows_read,
                               size_t rows_skipped, size_t rows_superseded);
void er_datasets_each_source(const er_datasets *ds, er_datasets_fn fn, void *ctx);

#endif
