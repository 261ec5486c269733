/* pipeline.c - parsing on other threads, delivery on the caller's.
 *
 * Cutting lines into fields (libcsv's byte-at-a-time state machine for
 * lines with quotes, plain_line.c for the rest) and copying the fields is
 * most of a reader's work, so parsing runs on parser threads and the
 * caller's thread checks and consumes the records. Every callback and
 * every diagnostic still happens on the caller's thread, in file order; a
 * parser's own error (a misplaced quote, a record over the limit) travels
 * in its last batch and is reported after the records before it.
 *
 * A parser alone can be slower than the consumer (libcsv on quoted lines
 * is), so a file (or memory) of several segments is parsed by two at once.
 * It is cut into segments at line starts, and each segment (a "task") is
 * parsed from a fresh libcsv state, as if a record began there. That guess
 * is wrong only when the line break before the cut is inside a quoted field,
 * and the task before the cut knows which: it arrives there either between
 * records, in the state a fresh parser starts in (the guess held), or inside
 * one. Then it parses on through the next segment itself, as one parser
 * would, and the guessed task is dropped. The consumer takes the tasks in
 * order, so it sees exactly the records, in exactly the order, of a single
 * parser. Line numbers, counted from 1 in each task, are made absolute as
 * records are delivered.
 *
 * Memory stays bounded: a parser starts a task at most WINDOW tasks ahead of
 * the one being consumed, and waits when a task has QUEUE_MAX batches
 * waiting. Claims are made in order, so the task the consumer waits for is
 * always being parsed or done. */
#define _GNU_SOURCE /* sched_getaffinity: a process pinned to one core parses on one */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/utf8.h"
#include "reader_int.h"

#define BATCH_BYTES (256u * 1024u)
#define BATCH_RECORDS 4096u
#define SEGMENT_DEFAULT (2u * 1024u * 1024u)
#define WINDOW 2     /* tasks a parser may start beyond the consumer's */
#define QUEUE_MAX 32 /* batches waiting in one task before its parser waits */
#define NPARSERS 2

typedef struct er_task {
	er_batch *first, *last; /* published, not yet consumed; oldest first */
	size_t nqueued;
	int cancelled; /* inside another task's records: parsed by that task */
} er_task;

struct er_pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	er_reader *main;  /* the caller's reader: the parser of task 0 */
	uint64_t *bound;  /* nseg + 1: task k parses [bound[k], bound[k + 1]); the last
	                   * bound is ER_NO_LIMIT (the input's end) */
	size_t nseg;
	er_task *tasks;
	size_t claim;     /* the next task to start */
	size_t cur;       /* the task being consumed */
	int stop;         /* the consumer is done: parsers end */
	er_batch *spare;  /* consumed batches, for reuse */
	size_t nthreads;
	struct er_parser {
		er_pipe *p;
		er_reader *sub; /* for tasks after the first; made before the
		                 * threads start (a copy of the caller's reader) */
		pthread_t th;
	} parsers[NPARSERS];
};

/* ---- batches -------------------------------------------------------------- */

static void batch_reset(er_batch *b)
{
	b->nrecs = b->nfields = b->blen = b->rawlen = 0;
	b->qnext = NULL;
	b->end = 0;
	b->st = ER_OK;
	b->has_diag = 0;
	b->next_task = 0;
	b->end_line = 0;
}

static void batch_free(er_batch *b)
{
	if (b == NULL)
		return;
	free(b->recs);
	free(b->flen);
	free(b->bytes);
	free(b->raw);
	free(b);
}

static void batch_list_free(er_batch *b)
{
	while (b) {
		er_batch *next = b->qnext;
		batch_free(b);
		b = next;
	}
}

/* A batch from the spares, or a new one; NULL when out of memory. Called
 * with the lock held. */
static er_batch *batch_get(er_pipe *p)
{
	er_batch *b = p->spare;
	if (b)
		p->spare = b->qnext;
	else
		b = calloc(1, sizeof *b);
	if (b)
		batch_reset(b);
	return b;
}

/* With the lock held. */
static void batch_put(er_pipe *p, er_batch *b)
{
	b->qnext = p->spare;
	p->spare = b;
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

/* A parser's diagnostics: only its first problem matters (it stops there);
 * kept in the batch being filled, for the consumer to report in order. */
static void capture(void *ctx, const er_diag *d)
{
	er_reader *r = ctx;
	er_batch *b = r->fillb;
	if (b == NULL || b->has_diag)
		return;
	b->has_diag = 1;
	b->diag = *d;
	snprintf(b->diag_msg, sizeof b->diag_msg, "%s", d->message);
	b->diag.message = b->diag_msg;
	b->diag.file = NULL; /* the reader's display name, restored by the consumer */
}

/* ---- the parsers' side ---------------------------------------------------- */

/* Hands the filling batch to the consumer and takes a new one (waiting while
 * the task has QUEUE_MAX batches waiting). `end` marks the task's last one.
 * A batch that cannot be replaced ends the task with ER_ERR_NOMEM. Returns
 * non-OK when the parser should stop: out of memory, or its work is no
 * longer wanted (the consumer stopped, or the task was cancelled). */
static er_status publish(er_reader *r, int end)
{
	er_pipe *p = r->pipe;
	er_batch *b = r->fillb, *nb = NULL;
	er_task *t = &p->tasks[r->task];
	er_status st = ER_OK;

	if (b == NULL)
		return ER_ERR_INTERNAL; /* already ended */
	/* Copy the raw bytes the batch's records came from, for positions,
	 * unless the consumer can read them again from the input. */
	if (b->nrecs && !r->raw_stable) {
		size_t from = (size_t)(r->bhold - r->base), to = end ? r->len : r->feed_end;
		if (to > r->len)
			to = r->len;
		if (to < from)
			to = from;
		if (!grow((void **)&b->raw, &b->rawcap, to - from + 1, 1)) {
			st = ER_ERR_NOMEM;
		} else {
			memcpy(b->raw, r->buf + from, to - from);
			b->rawlen = to - from;
			b->raw_base = r->bhold;
		}
	}
	pthread_mutex_lock(&p->mu);
	if (!end && st == ER_OK) {
		nb = batch_get(p);
		if (nb == NULL)
			st = ER_ERR_NOMEM;
	}
	if (st != ER_OK) {
		end = 1;
		b->st = st;
	} else if (end) {
		b->st = r->st;
	}
	b->end = end;
	if (t->cancelled || p->stop) {
		batch_put(p, b);
		if (nb)
			batch_put(p, nb);
		nb = NULL;
		st = ER_ERR_INTERNAL;
	} else {
		if (t->last)
			t->last->qnext = b;
		else
			t->first = b;
		t->last = b;
		t->nqueued++;
		pthread_cond_broadcast(&p->cv);
		while (!end && t->nqueued >= QUEUE_MAX && !t->cancelled && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (t->cancelled || p->stop) {
			if (nb)
				batch_put(p, nb);
			nb = NULL;
			st = ER_ERR_INTERNAL;
		}
	}
	pthread_mutex_unlock(&p->mu);
	r->fillb = end ? NULL : nb;
	r->bholding = 0;
	if (r->fillb == NULL && st == ER_OK)
		st = ER_ERR_INTERNAL; /* the task has ended */
	return st;
}

/* Makes room in the filling batch for everything the record being parsed
 * can add once its raw bytes so far number n (a quoted field can span
 * lines, so a field may carry bytes of earlier lines): at most n bytes of
 * field text, n + 1 fields (each field but the last ends at a byte of the
 * record), and the 32 bytes of slack er_pipe_on_field's short copy writes. */
er_status er_pipe_reserve(er_reader *r, size_t n)
{
	er_batch *b = r->fillb;
	size_t fields;

	if (b == NULL)
		return ER_ERR_INTERNAL;
	fields = b->nfields + n + 2;
	r->rec_bytes = n;
	if (!grow((void **)&b->bytes, &b->bcap, b->blen + n + 33, 1))
		return ER_ERR_NOMEM;
	if (!grow((void **)&b->flen, &b->fcap, fields, sizeof *b->flen))
		return ER_ERR_NOMEM;
	return ER_OK;
}

/* The field callback (of libcsv and of plain lines) while the pipe runs:
 * appends the field to the record being parsed in the filling batch (its
 * fields so far are r->nf, its bytes so far r->fblen). This is the hottest
 * code of the parsing threads, so it does nothing else: the room was made
 * by er_pipe_reserve() and the bytes are checked by the consumer. */
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
	b = r->fillb;
	at = b->nfields + r->nf;
	dst = b->bytes + b->blen + r->fblen; /* end to end: no offset to store */
	if (n && n <= 32)
		/* A fixed-size copy instead of a call (most fields are short):
		 * libcsv's field buffer is at least its 64 KiB block
		 * (csv_set_blk_size), a plain line's field lies in the reader's
		 * buffer with ER_READ_SLACK bytes after its capacity, and the
		 * reserve leaves 32 bytes of slack. */
		memcpy(dst, data, 32);
	else if (n)
		memcpy(dst, data, n);
	b->flen[at] = (uint32_t)n;
	r->fblen += n;
	r->nf++;
}

er_status er_pipe_add_record(er_reader *r)
{
	er_batch *b = r->fillb;
	er_brec *rec;

	if (r->pipe == NULL || b == NULL)
		return ER_ERR_INTERNAL;
	if (!r->bholding) {
		r->bhold = r->base + r->rec_start;
		r->bholding = 1;
	}
	if (!grow((void **)&b->recs, &b->rcap, b->nrecs + 1, sizeof *b->recs))
		return ER_ERR_NOMEM;
	rec = &b->recs[b->nrecs++];
	rec->nstored = r->nf;
	rec->ntotal = r->nf_total;
	rec->line = r->rec_line;
	rec->raw = r->base + r->rec_start;
	b->nfields += r->nf;
	b->blen += r->fblen;
	if (b->blen >= BATCH_BYTES || b->nrecs >= BATCH_RECORDS ||
	    r->feed_end - (size_t)(r->bhold - r->base) >= 2 * BATCH_BYTES) {
		/* The rest of the line goes to the next batch: reserve there too. */
		er_status st = publish(r, 0);
		return st == ER_OK ? er_pipe_reserve(r, r->rec_bytes) : st;
	}
	return ER_OK;
}

/* Cancels tasks [from, to): the task before them parsed on through their
 * bytes. With the lock held; only the consumer knows which tasks those are
 * (a task whose own start was a wrong guess may parse on past a cut that
 * is right). */
static void cancel_tasks(er_pipe *p, size_t from, size_t to)
{
	size_t i;
	for (i = from; i < to && i < p->nseg; i++) {
		er_task *t = &p->tasks[i];
		t->cancelled = 1;
		while (t->first) {
			er_batch *b = t->first;
			t->first = b->qnext;
			batch_put(p, b);
		}
		t->last = NULL;
		t->nqueued = 0;
	}
	pthread_cond_broadcast(&p->cv);
}

/* Parses task k with reader r and publishes its batches, the last one
 * saying which task follows. */
static void run_task(er_pipe *p, er_reader *r, size_t k)
{
	size_t j = k + 1; /* the task whose start is this one's limit */

	r->task = k;
	r->pdiag = &r->capture;
	r->capture.fn = capture;
	r->capture.ctx = r;
	pthread_mutex_lock(&p->mu);
	r->fillb = batch_get(p);
	pthread_mutex_unlock(&p->mu);
	if (r->fillb == NULL) {
		/* Nothing to report it in: the consumer learns from the task. */
		pthread_mutex_lock(&p->mu);
		p->stop = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		return;
	}
	if (k > 0)
		r->st = er_reader_restart_at(r, p->bound[k]); /* whatever its last task left */
	r->limit = p->bound[j];
	if (r->limit != ER_NO_LIMIT && r->base + r->len > r->limit) {
		/* The first task's buffer may hold bytes beyond its segment (read
		 * while the header was sniffed). */
		r->len = (size_t)(r->limit - r->base);
		r->eof = 0;
	}
	for (;;) {
		er_reader_produce(r);
		if (r->st != ER_OK || r->limit == ER_NO_LIMIT || er_reader_between_records(r))
			break;
		/* Inside a record at the cut: parse on through the next segment,
		 * whose task guessed wrong. Only the consumer cancels that task:
		 * this one may be a wrong guess itself. */
		j++;
		r->limit = p->bound[j];
		r->eof = 0;
	}
	if (r->fillb) {
		r->fillb->next_task = j;
		r->fillb->end_line = r->line;
		publish(r, 1);
	}
}

static void *parser_main(void *arg)
{
	struct er_parser *me = arg;
	er_pipe *p = me->p;
	er_reader *sub = me->sub;
	size_t k;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->claim < p->nseg && p->claim > p->cur + WINDOW)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop || p->claim >= p->nseg)
			break;
		k = p->claim++;
		if (p->tasks[k].cancelled)
			continue; /* inside a task that parsed on into it */
		pthread_mutex_unlock(&p->mu);
		run_task(p, k == 0 ? p->main : sub, k);
		pthread_mutex_lock(&p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---- the consumer's side ------------------------------------------------ */

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

/* Consumes one batch: delivers its records in order, their lines moved by
 * `lines` (the task's first line, less one). */
static er_status consume(er_reader *r, er_batch *b, unsigned long lines)
{
	size_t i, k, off = 0, fi = 0, bad_byte = 0; /* the next record's first byte and field */
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
		for (k = 0; k < rec->nstored; k++, fi++) {
			r->cfields[k].s = b->bytes + off;
			r->cfields[k].n = b->flen[fi];
			off += r->cfields[k].n;
		}
		check_bytes(r->cfields, rec->nstored, &bad_field, &bad_byte, &bad_kind);
		st = er_reader_deliver(r, r->cfields, rec->nstored, rec->ntotal, rec->line + lines,
		                       rec->raw, bad_field, bad_byte, bad_kind);
	}
	return st;
}

/* How many cores this process may run on. */
static int cores(void)
{
	cpu_set_t set;
	long n;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* The input's length from byte 0, or 0 when unknown (a pipe). */
static uint64_t input_size(const er_reader *r)
{
	struct stat sb;
	if (r->mem)
		return r->mem_len;
	if (!r->raw_stable || fstat(r->fd, &sb) != 0 || (uint64_t)sb.st_size < r->origin)
		return 0;
	return (uint64_t)sb.st_size - r->origin;
}

/* The first line start at or after `at` (after a '\n'), or ER_NO_LIMIT when
 * none is found soon (a huge record) or the input ends first. */
static uint64_t line_start(const er_reader *r, uint64_t at, uint64_t size)
{
	char buf[4096];
	uint64_t limit = at + 1024 * 1024;
	while (at < size && at < limit) {
		size_t want = sizeof buf, n;
		const char *nl;
		ssize_t got;
		if (want > size - at)
			want = (size_t)(size - at);
		got = er_reader_read_at(r, at, buf, want);
		if (got <= 0)
			return ER_NO_LIMIT;
		n = (size_t)got;
		nl = memchr(buf, '\n', n);
		if (nl)
			return at + (uint64_t)(nl - buf) + 1 < size ? at + (uint64_t)(nl - buf) + 1
			                                            : ER_NO_LIMIT;
		at += n;
	}
	return ER_NO_LIMIT;
}

/* Cuts the rest of the input (from r's feed point) into segments: p->bound
 * and p->nseg. One segment when the input cannot be read at offsets, is
 * short, or one parser was asked for. */
static er_status plan(er_pipe *p, er_reader *r)
{
	uint64_t start = r->base + r->feed, size = input_size(r), seg, at;
	size_t n = 0, cap = 16;
	int parsers = r->opt.parsers;

	seg = r->opt.segment ? r->opt.segment : SEGMENT_DEFAULT;
	if (parsers <= 0)
		parsers = cores() >= 2 ? 2 : 1;
	p->bound = malloc(cap * sizeof *p->bound);
	if (p->bound == NULL)
		return ER_ERR_NOMEM;
	p->bound[n++] = start;
	if (parsers >= 2 && r->raw_stable && size > start && size - start >= 2 * seg) {
		/* line_start(at) is past at, so the bounds increase; the next cut
		 * is a segment on from this one. */
		for (at = start + seg; at < size; at = p->bound[n - 1] - 1 + seg) {
			uint64_t b = line_start(r, at, size);
			if (b == ER_NO_LIMIT)
				break;
			if (n + 1 >= cap && !grow((void **)&p->bound, &cap, n + 2, sizeof *p->bound))
				return ER_ERR_NOMEM;
			p->bound[n++] = b;
		}
	}
	p->bound[n] = ER_NO_LIMIT;
	p->nseg = n;
	p->tasks = calloc(n, sizeof *p->tasks);
	return p->tasks ? ER_OK : ER_ERR_NOMEM;
}

/* The pipe and what it still holds; er_pipe_run's one cleanup path. */
static void pipe_free(er_pipe *p)
{
	size_t i;
	if (p == NULL)
		return;
	for (i = 0; p->tasks && i < p->nseg; i++)
		batch_list_free(p->tasks[i].first);
	for (i = 0; i < NPARSERS; i++)
		er_reader_sub_free(p->parsers[i].sub);
	batch_list_free(p->spare);
	free(p->tasks);
	free(p->bound);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

/* The consumer's next batch of task k; NULL when the parsers stopped
 * without one (out of memory). */
static er_batch *next_batch(er_pipe *p, size_t k)
{
	er_task *t = &p->tasks[k];
	er_batch *b;
	pthread_mutex_lock(&p->mu);
	while (t->first == NULL && !p->stop)
		pthread_cond_wait(&p->cv, &p->mu);
	b = t->first;
	if (b) {
		t->first = b->qnext;
		if (t->first == NULL)
			t->last = NULL;
		t->nqueued--;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return b;
}

er_status er_pipe_run(er_reader *r)
{
	er_pipe *p;
	er_status st = ER_OK;
	size_t k = 0, i;
	unsigned long lines = 0; /* added to task k's line numbers */

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
	p->main = r;
	r->pipe = p;
	st = plan(p, r);
	/* The copies first: the threads write to r. */
	for (i = 0; st == ER_OK && p->nseg > 1 && i < NPARSERS; i++)
		if ((p->parsers[i].sub = er_reader_sub_new(r)) == NULL)
			st = ER_ERR_NOMEM;
	for (i = 0; st == ER_OK && i < (p->nseg > 1 ? NPARSERS : 1); i++) {
		p->parsers[i].p = p;
		if (pthread_create(&p->parsers[i].th, NULL, parser_main, &p->parsers[i]) != 0)
			break; /* fewer parsers: slower, not wrong */
		p->nthreads++;
	}
	if (st == ER_OK && p->nthreads == 0)
		st = ER_ERR_INTERNAL;

	while (st == ER_OK && k < p->nseg) {
		er_batch *b = next_batch(p, k);
		if (b == NULL) {
			st = ER_ERR_NOMEM;
			break;
		}
		st = consume(r, b, lines);
		if (b->end) {
			if (st == ER_OK && b->has_diag) {
				b->diag.file = r->display;
				if (b->diag.line > 0)
					b->diag.line += lines;
				er_diag_emit(r->diag, b->diag.severity, b->diag.file, b->diag.line,
				             b->diag.column, "%s", b->diag.message);
			}
			if (st == ER_OK)
				st = b->st;
			/* Task 0 numbers lines from the file's start, the others from
			 * their own. */
			lines = b->end_line + lines - 1;
			pthread_mutex_lock(&p->mu);
			if (b->next_task > k + 1)
				cancel_tasks(p, k + 1, b->next_task);
			k = b->next_task;
			p->cur = k;
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
		}
		pthread_mutex_lock(&p->mu);
		batch_put(p, b);
		pthread_mutex_unlock(&p->mu);
	}

	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->parsers[i].th, NULL);
	r->pdiag = r->diag;
	r->pipe = NULL;
	pipe_free(p);
	return st;
}
