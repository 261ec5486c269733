/* runstore.c - latest snapshot per run: an in-memory hash table that spills
 * to hash-partitioned temporary files when it outgrows its budget. */
#include "runstore.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"

#define PARTS 32
#define BLOCK 65536 /* runs per storage block: growth never copies old runs */

/* One run in the compact layout; its values follow in the value blocks. */
typedef struct run {
	uint64_t h1, h2;
	uint64_t row;
	uint32_t group;
	uint32_t missing; /* bit k: value k is missing */
} run;

struct er_runstore {
	size_t nslots;
	int wide;
	size_t budget;
	char *tmpdir;

	/* In memory: runs and their values in blocks, an open-addressing index. */
	run **blocks;
	double **vblocks;  /* compact: nslots doubles per run */
	er_value **wblocks;/* wide: nslots values per run; text owned */
	size_t nblocks, n;
	uint32_t *index;   /* run number + 1; 0 free */
	size_t icap;
	size_t superseded;

	/* Spilled: partition files of fixed-size records. */
	FILE *part[PARTS];
	int spilled;
	size_t reclen;
	unsigned char *rec;
};

er_runstore *er_runstore_new(size_t nslots, int wide, size_t budget, const char *tmpdir)
{
	er_runstore *rs = calloc(1, sizeof *rs);
	const char *dir = tmpdir ? tmpdir : getenv("TMPDIR");
	if (rs == NULL)
		return NULL;
	rs->nslots = nslots;
	rs->wide = wide || nslots > 32;
	rs->budget = budget ? budget : (size_t)24 << 20;
	rs->tmpdir = er_strdup(dir && *dir ? dir : "/tmp");
	rs->reclen = sizeof(run) + nslots * sizeof(double);
	rs->rec = malloc(rs->reclen);
	if (rs->tmpdir == NULL || rs->rec == NULL) {
		er_runstore_free(rs);
		return NULL;
	}
	return rs;
}

static void free_memory(er_runstore *rs)
{
	size_t b, i, k;
	for (b = 0; b < rs->nblocks; b++) {
		if (rs->wblocks && rs->wblocks[b]) {
			size_t upto = b + 1 == rs->nblocks ? rs->n - b * BLOCK : BLOCK;
			for (i = 0; i < upto; i++)
				for (k = 0; k < rs->nslots; k++) {
					er_value *v = &rs->wblocks[b][i * rs->nslots + k];
					if (v->type == ER_V_TEXT)
						free((char *)v->s);
				}
			free(rs->wblocks[b]);
		}
		free(rs->blocks[b]);
		if (rs->vblocks)
			free(rs->vblocks[b]);
	}
	free(rs->blocks);
	free(rs->vblocks);
	free(rs->wblocks);
	free(rs->index);
	rs->blocks = NULL;
	rs->vblocks = NULL;
	rs->wblocks = NULL;
	rs->index = NULL;
	rs->nblocks = rs->n = rs->icap = 0;
}

void er_runstore_free(er_runstore *rs)
{
	size_t p;
	if (rs == NULL)
		return;
	free_memory(rs);
	for (p = 0; p < PARTS; p++)
		if (rs->part[p])
			fclose(rs->part[p]);
	free(rs->tmpdir);
	free(rs->rec);
	free(rs);
}

static run *run_at(const er_runstore *rs, size_t i)
{
	return &rs->blocks[i / BLOCK][i % BLOCK];
}

static er_status grow_index(er_runstore *rs)
{
	size_t ncap = rs->icap ? rs->icap * 2 : 4096, i;
	uint32_t *ni = calloc(ncap, sizeof *ni);
	if (ni == NULL)
		return ER_ERR_NOMEM;
	for (i = 0; i < rs->icap; i++) {
		uint32_t v = rs->index[i];
		if (v) {
			size_t j = run_at(rs, v - 1)->h1 & (ncap - 1);
			while (ni[j])
				j = (j + 1) & (ncap - 1);
			ni[j] = v;
		}
	}
	free(rs->index);
	rs->index = ni;
	rs->icap = ncap;
	return ER_OK;
}

/* Copies vals into the storage of run i. */
static er_status store_values(er_runstore *rs, size_t i, run *r, const er_value *vals)
{
	size_t k;
	r->missing = 0;
	if (rs->wide) {
		er_value *dst = &rs->wblocks[i / BLOCK][(i % BLOCK) * rs->nslots];
		for (k = 0; k < rs->nslots; k++) {
			er_value v = vals[k];
			if (dst[k].type == ER_V_TEXT)
				free((char *)dst[k].s);
			if (v.type == ER_V_TEXT) {
				v.s = er_strndup(v.s, v.n);
				if (v.s == NULL) {
					dst[k] = er_value_null();
					return ER_ERR_NOMEM;
				}
			} else {
				v.s = NULL;
				v.n = 0;
			}
			dst[k] = v;
		}
		return ER_OK;
	}
	{
		double *dst = &rs->vblocks[i / BLOCK][(i % BLOCK) * rs->nslots];
		for (k = 0; k < rs->nslots; k++) {
			if (vals[k].type == ER_V_NUM || vals[k].type == ER_V_BOOL) {
				dst[k] = vals[k].num;
			} else {
				dst[k] = 0;
				r->missing |= (uint32_t)1 << k;
			}
		}
	}
	return ER_OK;
}

static size_t mem_used(const er_runstore *rs)
{
	return rs->n * (sizeof(run) + rs->nslots * sizeof(double)) + rs->icap * sizeof(uint32_t);
}

static er_status open_parts(er_runstore *rs)
{
	size_t p;
	for (p = 0; p < PARTS; p++) {
		char path[4096];
		int fd;
		snprintf(path, sizeof path, "%s/ecoreport-runs-XXXXXX", rs->tmpdir);
		fd = mkstemp(path);
		if (fd < 0)
			return ER_ERR_CANTCREAT;
		unlink(path); /* nothing left behind, whatever happens */
		rs->part[p] = fdopen(fd, "w+b");
		if (rs->part[p] == NULL) {
			close(fd);
			return ER_ERR_CANTCREAT;
		}
		setvbuf(rs->part[p], NULL, _IOFBF, 64 * 1024);
	}
	return ER_OK;
}

static er_status write_record(er_runstore *rs, const run *r, const double *vals)
{
	FILE *f = rs->part[r->h1 >> 59];
	memcpy(rs->rec, r, sizeof *r);
	memcpy(rs->rec + sizeof *r, vals, rs->nslots * sizeof(double));
	if (fwrite(rs->rec, rs->reclen, 1, f) != 1)
		return ER_ERR_IO;
	return ER_OK;
}

/* Moves everything in memory to the partition files. */
static er_status spill(er_runstore *rs)
{
	size_t i;
	er_status st = open_parts(rs);
	for (i = 0; i < rs->n && st == ER_OK; i++)
		st = write_record(rs, run_at(rs, i), &rs->vblocks[i / BLOCK][(i % BLOCK) * rs->nslots]);
	free_memory(rs);
	rs->spilled = 1;
	return st;
}

void er_runstore_prefetch(const er_runstore *rs, uint64_t h1)
{
	if (rs->icap && !rs->spilled)
		__builtin_prefetch(&rs->index[h1 & (rs->icap - 1)]);
}

er_status er_runstore_put(er_runstore *rs, uint64_t h1, uint64_t h2, uint64_t row, uint32_t group,
                          const er_value *vals)
{
	size_t j, i;
	run *r;
	er_status st;

	if (rs->spilled) {
		double v[32];
		run rec = {h1, h2, row, group, 0};
		size_t k;
		for (k = 0; k < rs->nslots; k++) {
			if (vals[k].type == ER_V_NUM || vals[k].type == ER_V_BOOL) {
				v[k] = vals[k].num;
			} else {
				v[k] = 0;
				rec.missing |= (uint32_t)1 << k;
			}
		}
		return write_record(rs, &rec, v);
	}
	if (rs->icap) {
		for (j = h1 & (rs->icap - 1); rs->index[j]; j = (j + 1) & (rs->icap - 1)) {
			i = rs->index[j] - 1;
			r = run_at(rs, i);
			if (r->h1 == h1 && r->h2 == h2) {
				rs->superseded++;
				r->row = row;
				r->group = group;
				return store_values(rs, i, r, vals);
			}
		}
	}
	if (!rs->wide && mem_used(rs) > rs->budget) {
		st = spill(rs);
		if (st != ER_OK)
			return st;
		return er_runstore_put(rs, h1, h2, row, group, vals);
	}
	/* A new run. */
	i = rs->n;
	if (i / BLOCK == rs->nblocks) {
		size_t nb = rs->nblocks + 1;
		run **bl = realloc(rs->blocks, nb * sizeof *bl);
		if (bl == NULL)
			return ER_ERR_NOMEM;
		rs->blocks = bl;
		bl[rs->nblocks] = malloc(BLOCK * sizeof(run));
		if (rs->wide) {
			er_value **wb = realloc(rs->wblocks, nb * sizeof *wb);
			if (wb == NULL)
				return ER_ERR_NOMEM;
			rs->wblocks = wb;
			wb[rs->nblocks] = calloc((size_t)BLOCK * (rs->nslots ? rs->nslots : 1), sizeof(er_value));
			if (wb[rs->nblocks] == NULL) {
				free(bl[rs->nblocks]);
				return ER_ERR_NOMEM;
			}
		} else {
			double **vb = realloc(rs->vblocks, nb * sizeof *vb);
			if (vb == NULL)
				return ER_ERR_NOMEM;
			rs->vblocks = vb;
			vb[rs->nblocks] = malloc((size_t)BLOCK * (rs->nslots ? rs->nslots : 1) * sizeof(double));
			if (vb[rs->nblocks] == NULL) {
				free(bl[rs->nblocks]);
				return ER_ERR_NOMEM;
			}
		}
		if (bl[rs->nblocks] == NULL)
			return ER_ERR_NOMEM;
		rs->nblocks = nb;
	}
	if ((rs->n + 1) * 2 > rs->icap && (st = grow_index(rs)) != ER_OK)
		return st;
	r = run_at(rs, i);
	r->h1 = h1;
	r->h2 = h2;
	r->row = row;
	r->group = group;
	rs->n++;
	for (j = h1 & (rs->icap - 1); rs->index[j]; j = (j + 1) & (rs->icap - 1))
		;
	rs->index[j] = (uint32_t)rs->n;
	return store_values(rs, i, r, vals);
}

/* Accumulators do not depend on order (sums are exact, first/last and the
 * groups' order go by row number), so runs are handed over as stored. */
static er_status drain_memory(er_runstore *rs, er_runstore_fn fn, void *ctx)
{
	size_t i, k;
	er_value vals[32];
	er_status st = ER_OK;

	for (i = 0; i < rs->n && st == ER_OK; i++) {
		run *r = run_at(rs, i);
		if (rs->wide) {
			st = fn(ctx, r->group, &rs->wblocks[i / BLOCK][(i % BLOCK) * rs->nslots], r->row);
			continue;
		}
		for (k = 0; k < rs->nslots; k++) {
			if (r->missing & ((uint32_t)1 << k))
				vals[k] = er_value_null();
			else
				vals[k] = er_value_num(rs->vblocks[i / BLOCK][(i % BLOCK) * rs->nslots + k], NULL);
		}
		st = fn(ctx, r->group, vals, r->row);
	}
	return st;
}

/* One partition read back and reduced: its records, and an index whose
 * non-zero entries (record number + 1) are the winners. */
typedef struct part_runs {
	unsigned char *recs;
	uint32_t *index; /* half the memory of size_t: two partitions are reduced at once */
	size_t icap;
	size_t superseded;
} part_runs;

/* Reads partition f and keeps, per run, the record with the largest row.
 * Touches nothing shared but f (so two threads can reduce two partitions);
 * pr is owned by the caller (freed by part_runs_free) whatever it returns. */
static er_status reduce_part(const er_runstore *rs, FILE *f, part_runs *pr)
{
	long size;
	size_t n, i;
	unsigned char *recs;
	uint32_t *index;
	size_t icap = 16;

	memset(pr, 0, sizeof *pr);
	if (fflush(f) != 0 || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		return ER_ERR_IO;
	n = (size_t)size / rs->reclen;
	if (n == 0)
		return ER_OK;
	if (n >= UINT32_MAX / 2)
		return ER_ERR_LIMIT; /* 2^31 records in one partition: some 100 GB */
	while (icap < n * 2)
		icap *= 2;
	pr->recs = recs = malloc(n * rs->reclen);
	pr->index = index = calloc(icap, sizeof *index);
	pr->icap = icap;
	if (recs == NULL || index == NULL)
		return ER_ERR_NOMEM;
	if (fread(recs, rs->reclen, n, f) != n)
		return ER_ERR_IO;
	for (i = 0; i < n; i++) {
		run *r = (run *)(recs + i * rs->reclen);
		size_t j;
		for (j = r->h1 & (icap - 1); index[j]; j = (j + 1) & (icap - 1)) {
			run *o = (run *)(recs + (index[j] - 1) * rs->reclen);
			if (o->h1 == r->h1 && o->h2 == r->h2)
				break;
		}
		if (index[j]) {
			run *o = (run *)(recs + (index[j] - 1) * rs->reclen);
			pr->superseded++;
			if (r->row > o->row)
				index[j] = (uint32_t)i + 1;
		} else {
			index[j] = (uint32_t)i + 1;
		}
	}
	return ER_OK;
}

/* Hands a reduced partition's winners to fn. */
static er_status fold_part(const er_runstore *rs, const part_runs *pr, er_runstore_fn fn, void *ctx)
{
	size_t i, k;
	er_value vals[32];
	er_status st = ER_OK;

	for (i = 0; i < pr->icap && st == ER_OK; i++) {
		run *r;
		double *v;
		if (!pr->index[i])
			continue;
		r = (run *)(pr->recs + (pr->index[i] - 1) * rs->reclen);
		v = (double *)((unsigned char *)r + sizeof *r);
		for (k = 0; k < rs->nslots; k++)
			vals[k] = (r->missing & ((uint32_t)1 << k)) ? er_value_null() : er_value_num(v[k], NULL);
		st = fn(ctx, r->group, vals, r->row);
	}
	return st;
}

static void part_runs_free(part_runs *pr)
{
	free(pr->recs);
	free(pr->index);
}

/* The partitions of a spilled store, drained by the caller's thread and a
 * helper: each takes the next partition and reduces it on its own; the
 * folds into the caller's accumulators (not made for two threads) take
 * turns under the lock. Reading back and reducing is half the work, and
 * the parser threads are finished by now, so the helper runs on a core
 * that would otherwise idle. The order of the folds varies; the caller's
 * accumulators do not depend on it (er_runstore_drain). */
typedef struct drain_job {
	er_runstore *rs;
	er_runstore_fn fn;
	void *ctx;
	pthread_mutex_t lock; /* guards the fields below, and every call of fn */
	size_t next;          /* the next partition to take */
	size_t superseded;
	er_status st;         /* the first failure: the others stop taking partitions */
} drain_job;

static void drain_parts(drain_job *j)
{
	for (;;) {
		part_runs pr;
		size_t p;
		er_status st;

		pthread_mutex_lock(&j->lock);
		p = j->next < PARTS && j->st == ER_OK ? j->next++ : PARTS;
		pthread_mutex_unlock(&j->lock);
		if (p == PARTS)
			return;
		st = reduce_part(j->rs, j->rs->part[p], &pr);
		pthread_mutex_lock(&j->lock);
		j->superseded += pr.superseded;
		if (st == ER_OK && j->st == ER_OK)
			st = fold_part(j->rs, &pr, j->fn, j->ctx);
		if (st != ER_OK && j->st == ER_OK)
			j->st = st;
		pthread_mutex_unlock(&j->lock);
		part_runs_free(&pr);
	}
}

static void *drain_helper(void *arg)
{
	drain_parts(arg);
	return NULL;
}

er_status er_runstore_drain(er_runstore *rs, er_runstore_fn fn, void *ctx)
{
	drain_job j;
	pthread_t helper;
	int helping;

	if (!rs->spilled)
		return drain_memory(rs, fn, ctx);
	memset(&j, 0, sizeof j);
	j.rs = rs;
	j.fn = fn;
	j.ctx = ctx;
	j.st = ER_OK;
	if (pthread_mutex_init(&j.lock, NULL) != 0)
		return ER_ERR_NOMEM;
	/* No helper (thread creation refused): the caller drains alone. */
	helping = pthread_create(&helper, NULL, drain_helper, &j) == 0;
	drain_parts(&j);
	if (helping)
		pthread_join(helper, NULL);
	pthread_mutex_destroy(&j.lock);
	rs->superseded += j.superseded;
	return j.st;
}

size_t er_runstore_superseded(const er_runstore *rs)
{
	return rs->superseded;
}

int er_runstore_spilled(const er_runstore *rs)
{
	return rs->spilled;
}
