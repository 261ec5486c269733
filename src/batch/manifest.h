/* manifest.h - stage 7: a batch manifest (YAML) to a list of jobs.
 *
 * Every job is turned into the command line that would run it by hand
 * ("render TEMPLATE -o DIR --name N ...", "chart DATA --category C ... -o
 * OUT"), so a batch job behaves exactly like the command a user can type,
 * and the command line (with ecoreport's version) is the job's identity for
 * incremental runs. Paths in the manifest are relative to it. */
#ifndef ER_MANIFEST_H
#define ER_MANIFEST_H

#include <stddef.h>

#include "common/diag.h"
#include "common/status.h"

typedef enum er_job_kind { ER_JOB_REPORT, ER_JOB_CHART } er_job_kind;

typedef struct er_job {
	er_job_kind kind;
	char *name;                 /* unique: the report's name or the chart's output file */
	unsigned long line, column; /* the job's entry in the manifest */
	char **argv;                /* NULL-terminated; argv[0] is the command ("chart") */
	int argc;
} er_job;

typedef struct er_manifest {
	char *path;       /* as given */
	char *output;     /* the output folder, resolved against the manifest's folder */
	double timeout;   /* seconds a job may run (0: no limit) */
	er_job *jobs;     /* reports first, then charts, each in manifest order */
	size_t njobs;
} er_manifest;

/* Limits that keep a hostile manifest from exhausting memory. */
#define ER_MANIFEST_MAX_BYTES (4u << 20)
#define ER_MANIFEST_MAX_JOBS 100000u

/* Parses a manifest held in memory; `path` names it in diagnostics and
 * relative paths are resolved against its folder. Errors (unknown keys with
 * a suggestion, wrong types, missing keys, two jobs writing the same output)
 * go through diag with their line and column; the status is ER_ERR_DATA. */
er_status er_manifest_parse(const char *src, size_t n, const char *path, er_diag_sink *diag,
                            er_manifest **out);
/* Reads and parses the file at path (ER_ERR_NOINPUT when it cannot be read). */
er_status er_manifest_load(const char *path, er_diag_sink *diag, er_manifest **out);
void er_manifest_free(er_manifest *m);

/* Whether job j belongs to share i (1-based) of n: round robin in manifest
 * order, so every share gets the same number of jobs, give or take one, and
 * the split depends only on the manifest. */
int er_job_in_shard(size_t j, unsigned long i, unsigned long n);

#endif
