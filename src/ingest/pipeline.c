/* pipeline.c - parsing on a second thread.
 *
 * libcsv's byte-at-a-time state machine is the floor of any reader built on
 * it, so the reader runs it on its own thread: the parser fills batches of
 * records (fields plus a copy of their raw bytes, for positions), and the
 * caller's thread checks and consumes them in file order. Every callback and
 * every diagnostic still happens on the caller's thread, in order; the
 * parser's own error (a misplaced quote, a record over the limit) travels in
 * the last batch and is reported after the records before it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/utf8.h"
#include "reader_int.h"

#define BATCH_BYTES (256u * 1024u)
#define BATCH_RECORDS 4096u

static void capture(void *ctx, const er_diag *d)
{
	er_pipe *p = ctx;
	er_batch *b = &p->b[p->head];
	/* Only the parser's first problem matters: it stops there. */
	if (b->has_diag)
		return;
	b->has_diag = 1;
	b->diag = *d;
	snprintf(b->diag_msg, sizeof b->diag_msg, "%s", d->message);
	b->diag.message = b->diag_msg;
	b->diag.file = NULL; /* the reader's display name, restored by the consumer */
}

static void batch_reset(er_batch *b)
{
	b->nrecs = b->nfields = b->blen = b->rawlen = 0;
	b->end = 0;
	b->st = ER_OK;
	b->has_diag = 0;
}

static void batch_free(er_batch *b)
{
	free(b->recs);
	free(b->foff);
	free(b->flen);
	free(b->bytes);
	free(b->raw);
}

void er_pipe_free(er_pipe *p)
{
	size_t i;
	if (p == NULL)
		return;
	for (i = 0; i < ER_NBATCH; i++)
		batch_free(&p->b[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

static int grow(void **ptr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 64;
	void *np;
	if (need <= *cap)
		return 1;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*ptr, ncap * elem);
	if (np == NULL)
		return 0;
	*ptr = np;
	*cap = ncap;
	return 1;
}

/* Hands the filling batch to the consumer and waits for a free one. Called
 * on the parser's thread. */
static er_status publish(er_reader *r, int end)
{
	er_pipe *p = r->pipe;
	er_batch *b = &p->b[p->head];
	er_status st = ER_OK;

	/* Copy the raw bytes the batch's records came from, for positions,
	 * unless the consumer can read them again from the input. */
	if (b->nrecs && !r->raw_stable) {
		size_t from = (size_t)(p->hold - r->base), to = end ? r->len : r->feed_end;
		if (to > r->len)
			to = r->len;
		if (to < from)
			to = from;
		if (!grow((void **)&b->raw, &b->rawcap, to - from + 1, 1))
			st = ER_ERR_NOMEM;
		else {
			memcpy(b->raw, r->buf + from, to - from);
			b->rawlen = to - from;
			b->raw_base = p->hold;
		}
	}
	b->end = end;
	if (end)
		b->st = r->st;
	if (st != ER_OK) {
		b->end = 1;
		b->st = st;
	}
	pthread_mutex_lock(&p->mu);
	p->head = (p->head + 1) % ER_NBATCH;
	p->count++;
	pthread_cond_broadcast(&p->cv);
	while (!end && p->count == ER_NBATCH && !p->stop)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->stop)
		st = ER_ERR_INTERNAL; /* the consumer gave up; just end */
	pthread_mutex_unlock(&p->mu);
	if (!end)
		batch_reset(&p->b[p->head]);
	p->fill = &p->b[p->head];
	p->holding = 0;
	return st;
}

/* Makes room in the filling batch for everything the record being parsed
 * can add once its raw bytes so far number n (a quoted field can span
 * lines, so a field may carry bytes of earlier lines): at most n bytes of
 * field text, n + 1 fields (each field but the last ends at a byte of the
 * record), and the 32 bytes of slack er_pipe_on_field's short copy writes. */
er_status er_pipe_reserve(er_reader *r, size_t n)
{
	er_pipe *p = r->pipe;
	er_batch *b = &p->b[p->head];
	size_t fields = b->nfields + n + 2;

	p->rec_bytes = n;
	if (!grow((void **)&b->bytes, &b->bcap, b->blen + n + 33, 1))
		return ER_ERR_NOMEM;
	if (fields > b->fcap) {
		/* Offsets and lengths grow together. */
		size_t cap = b->fcap, cap2 = b->fcap;
		if (!grow((void **)&b->foff, &cap, fields, sizeof *b->foff) ||
		    !grow((void **)&b->flen, &cap2, cap, sizeof *b->flen))
			return ER_ERR_NOMEM;
		b->fcap = cap;
	}
	return ER_OK;
}

/* libcsv's field callback while the pipe runs: appends the field to the
 * record being parsed in the filling batch (its fields so far are r->nf, its
 * bytes so far r->fblen). This is the hottest code after libcsv's own loop,
 * on the thread that bounds the reader's speed, so it does nothing else: the
 * room was made by er_pipe_reserve() and the bytes are checked by the
 * consumer. */
void er_pipe_on_field(void *data, size_t n, void *ctx)
{
	er_reader *r = ctx;
	er_batch *b;
	size_t at;
	char *dst;

	if (r->st != ER_OK)
		return;
	if (r->nf_total++ > r->ncols)
		return; /* beyond the header's count: only counted, for the message */
	b = r->pipe->fill;
	at = b->nfields + r->nf;
	dst = b->bytes + b->blen + r->fblen;
	if (n && n <= 32)
		/* A fixed-size copy instead of a call (most fields are short):
		 * libcsv's field buffer is at least its 64 KiB block
		 * (csv_set_blk_size), and the reserve leaves 32 bytes of slack. */
		memcpy(dst, data, 32);
	else if (n)
		memcpy(dst, data, n);
	b->foff[at] = (uint32_t)(b->blen + r->fblen);
	b->flen[at] = (uint32_t)n;
	r->fblen += n;
	r->nf++;
}

er_status er_pipe_add_record(er_reader *r)
{
	er_pipe *p = r->pipe;
	er_batch *b;
	er_brec *rec;

	if (p == NULL)
		return ER_ERR_INTERNAL;
	b = &p->b[p->head];
	if (!p->holding) {
		p->hold = r->base + r->rec_start;
		p->holding = 1;
	}
	if (!grow((void **)&b->recs, &b->rcap, b->nrecs + 1, sizeof *b->recs))
		return ER_ERR_NOMEM;
	rec = &b->recs[b->nrecs++];
	rec->f0 = b->nfields;
	rec->nstored = r->nf;
	rec->ntotal = r->nf_total;
	rec->line = r->rec_line;
	rec->raw = r->base + r->rec_start;
	b->nfields += r->nf;
	b->blen += r->fblen;
	if (b->blen >= BATCH_BYTES || b->nrecs >= BATCH_RECORDS ||
	    r->feed_end - (size_t)(p->hold - r->base) >= 2 * BATCH_BYTES) {
		/* The rest of the line goes to the next batch: reserve there too. */
		er_status st = publish(r, 0);
		return st == ER_OK ? er_pipe_reserve(r, p->rec_bytes) : st;
	}
	return ER_OK;
}

static void *parser_main(void *arg)
{
	er_reader *r = arg;
	er_reader_produce(r);
	publish(r, 1);
	return NULL;
}

/* Finds the first field that is not valid UTF-8 or holds a NUL. A record's
 * stored fields lie end to end in the batch, so one pass over them all
 * settles the usual case. */
static void check_bytes(const er_field *f, size_t n, int *bad_field, size_t *bad_byte,
                        int *bad_kind)
{
	size_t i, bad;

	*bad_field = -1;
	if (n == 0 || er_utf8_valid(f[0].s, (size_t)(f[n - 1].s + f[n - 1].n - f[0].s), NULL))
		return;
	for (i = 0; i < n; i++) {
		if (f[i].n && !er_utf8_valid(f[i].s, f[i].n, &bad)) {
			*bad_field = (int)i;
			*bad_byte = bad;
			*bad_kind = f[i].s[bad] == '\0' ? BAD_NUL : BAD_UTF8;
			return;
		}
	}
}

/* Consumes one batch: delivers its records in order. */
static er_status consume(er_reader *r, er_batch *b)
{
	size_t i, k, bad_byte = 0;
	int bad_field, bad_kind = BAD_NONE;
	er_status st = ER_OK;

	r->src_buf = b->raw;
	r->src_base = b->raw_base;
	r->src_len = b->rawlen;
	for (i = 0; i < b->nrecs && st == ER_OK; i++) {
		const er_brec *rec = &b->recs[i];
		if (rec->nstored > r->cfcap) {
			er_field *nf = realloc(r->cfields, rec->nstored * sizeof *nf);
			if (nf == NULL)
				return ER_ERR_NOMEM;
			r->cfields = nf;
			r->cfcap = rec->nstored;
		}
		for (k = 0; k < rec->nstored; k++) {
			r->cfields[k].s = b->bytes + b->foff[rec->f0 + k];
			r->cfields[k].n = b->flen[rec->f0 + k];
		}
		check_bytes(r->cfields, rec->nstored, &bad_field, &bad_byte, &bad_kind);
		st = er_reader_deliver(r, r->cfields, rec->nstored, rec->ntotal, rec->line, rec->raw,
		                       bad_field, bad_byte, bad_kind);
	}
	return st;
}

er_status er_pipe_run(er_reader *r)
{
	er_pipe *p;
	pthread_t thread;
	er_status st = ER_OK;
	int done = 0;

	p = calloc(1, sizeof *p);
	if (p == NULL)
		return ER_ERR_NOMEM;
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p);
		return ER_ERR_INTERNAL;
	}
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		free(p);
		return ER_ERR_INTERNAL;
	}
	p->fill = &p->b[0];
	r->pipe = p;
	p->capture.fn = capture;
	p->capture.ctx = p;
	r->pdiag = &p->capture;
	if (pthread_create(&thread, NULL, parser_main, r) != 0) {
		/* No thread: parse here, consuming each batch as it is published is
		 * not possible, so refuse cleanly. */
		r->pdiag = r->diag;
		return ER_ERR_INTERNAL;
	}
	while (!done) {
		er_batch *b;
		pthread_mutex_lock(&p->mu);
		while (p->count == 0)
			pthread_cond_wait(&p->cv, &p->mu);
		b = &p->b[p->tail];
		pthread_mutex_unlock(&p->mu);

		if (st == ER_OK)
			st = consume(r, b);
		if (b->end) {
			done = 1;
			if (st == ER_OK && b->has_diag) {
				b->diag.file = r->display;
				er_diag_emit(r->diag, b->diag.severity, b->diag.file, b->diag.line,
				             b->diag.column, "%s", b->diag.message);
			}
			if (st == ER_OK)
				st = b->st;
		}
		pthread_mutex_lock(&p->mu);
		p->tail = (p->tail + 1) % ER_NBATCH;
		p->count--;
		if (st != ER_OK)
			p->stop = 1; /* let the parser finish quickly */
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	pthread_join(thread, NULL);
	r->pdiag = r->diag;
	return st;
}
