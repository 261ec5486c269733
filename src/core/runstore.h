/* runstore.h - the latest snapshot of each CodeCarbon run, in bounded memory.
 *
 * CodeCarbon writes cumulative snapshot rows: only the last row of a run_id
 * counts. Until the file ends, any run may get another row, so every run's
 * latest values must be kept. The store keeps them in memory up to a budget,
 * then spills to hash-partitioned temporary files (unlinked at once: nothing
 * is left behind, even if the process is killed) and reduces each partition
 * at the end. Memory then stays bounded whatever the number of runs.
 *
 * Values are numbers (or missing) in the spillable "compact" layout; a query
 * whose aggregates can keep text or times (first, last, min, max) uses the
 * "wide" layout, which stays in memory. */
#ifndef ER_RUNSTORE_H
#define ER_RUNSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "value.h"

typedef struct er_runstore er_runstore;

/* nslots values per run. wide: values may be text or times (no spilling).
 * budget: bytes of run data kept in memory before spilling (0: default 24 MiB).
 * tmpdir: where spill files go (NULL: $TMPDIR or /tmp). */
er_runstore *er_runstore_new(size_t nslots, int wide, size_t budget, const char *tmpdir);
void er_runstore_free(er_runstore *rs);

/* Records run (h1, h2)'s latest row: its data row number, group, and
 * values (copied). A later put of the same run replaces the earlier one. */
er_status er_runstore_put(er_runstore *rs, uint64_t h1, uint64_t h2, uint64_t row, uint32_t group,
                          const er_value *vals);

/* A hint that run h1 will be put soon: starts loading its index slot, a
 * cache miss in a big store, while the caller does other work. */
void er_runstore_prefetch(const er_runstore *rs, uint64_t h1);

typedef er_status (*er_runstore_fn)(void *ctx, uint32_t group, const er_value *vals, uint64_t row);

/* Calls fn once per run with its latest row, in no particular order (the
 * caller's accumulators must not depend on it). A spilled store is drained
 * by the caller's thread and a helper thread: fn may run on either, never
 * on both at once. The first failure fn returns stops the drain and is
 * returned. */
er_status er_runstore_drain(er_runstore *rs, er_runstore_fn fn, void *ctx);

/* Rows that were replaced by a later snapshot of their run (after drain). */
size_t er_runstore_superseded(const er_runstore *rs);
/* Whether the store spilled to disk (for tests and the benchmark). */
int er_runstore_spilled(const er_runstore *rs);

#endif
