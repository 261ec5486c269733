/* reader.c - libcsv behind a positioned, checked, push-style record reader.
 *
 * libcsv knows nothing of lines or columns, so the reader feeds it one line
 * at a time and remembers where each record started: a diagnostic can then
 * rescan the record's raw bytes (still in the buffer) to find the line and
 * column of any field. The buffer keeps bytes from the start of the current
 * record on, so memory is bounded by the longest record, not the file.
 * A line that starts between records and holds no quote is cut without
 * libcsv (plain_line.c), into exactly the fields libcsv would give. */
#include "plain_line.h"
#include "reader_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/utf8.h"
#include "../common/util.h"

#define MIB (1024u * 1024u)

void er_csv_options_defaults(er_csv_options *o)
{
	memset(o, 0, sizeof *o);
	o->delimiter = 0;
	o->decimal = '.';
	o->bad_rows = ER_BAD_ROWS_ERROR;
	o->format = ER_FORMAT_AUTO;
	o->max_record_bytes = 16 * MIB;
	o->max_columns = 10000;
	o->chunk = MIB;
}

/* ---- raw input ---------------------------------------------------------- */

ssize_t er_reader_read_at(const er_reader *r, uint64_t at, char *dst, size_t want)
{
	ssize_t got;

	if (r->mem) {
		size_t left = at < r->mem_len ? r->mem_len - (size_t)at : 0;
		if (want > left)
			want = left;
		if (want)
			memcpy(dst, r->mem + at, want);
		return (ssize_t)want;
	}
	do
		got = pread(r->fd, dst, want, (off_t)(r->origin + at));
	while (got < 0 && errno == EINTR);
	return got;
}

/* Reads more bytes into buf, compacting and growing it as needed, up to the
 * segment's limit (reaching it reads as the end of the input). */
static er_status fill(er_reader *r)
{
	size_t keep_from = r->rec_start, want;
	uint64_t at;
	ssize_t got;

	if (r->eof)
		return ER_OK;
	if (r->npending > 0 && r->hold >= r->base && r->hold - r->base < keep_from)
		keep_from = (size_t)(r->hold - r->base);
	/* Keep the raw bytes of the batch being filled, for its positions
	 * (unless they can be read again from the input). */
	if (r->pipe && !r->raw_stable && r->bholding && r->bhold >= r->base &&
	    r->bhold - r->base < keep_from)
		keep_from = (size_t)(r->bhold - r->base);
	if (keep_from > r->feed)
		keep_from = r->feed;
	/* Compact when at least half of the buffer is dead. */
	if (keep_from > 0 && (r->len == r->cap || keep_from >= r->cap / 2)) {
		memmove(r->buf, r->buf + keep_from, r->len - keep_from);
		r->len -= keep_from;
		r->feed -= keep_from;
		r->rec_start -= keep_from;
		r->base += keep_from;
	}
	if (r->len == r->cap) {
		size_t ncap = r->cap * 2;
		char *nb;
		if (r->len - r->rec_start > r->opt.max_record_bytes)
			return ER_ERR_LIMIT;
		nb = realloc(r->buf, ncap + ER_READ_SLACK);
		if (nb == NULL)
			return ER_ERR_NOMEM;
		r->buf = nb;
		r->cap = ncap;
	}
	want = r->cap - r->len;
	if (want > r->opt.chunk)
		want = r->opt.chunk;
	at = r->base + r->len; /* where the bytes come from */
	if (r->limit != ER_NO_LIMIT) {
		uint64_t room = r->limit > at ? r->limit - at : 0;
		if ((uint64_t)want > room)
			want = (size_t)room;
	}
	if (want == 0) {
		got = 0;
	} else if (r->mem || r->raw_stable) {
		/* At absolute offsets: parsers of several segments share the input. */
		got = er_reader_read_at(r, at, r->buf + r->len, want);
	} else {
		/* A pipe is read in order. */
		do
			got = read(r->fd, r->buf + r->len, want);
		while (got < 0 && errno == EINTR);
	}
	if (got < 0)
		return ER_ERR_IO;
	if (got == 0)
		r->eof = 1;
	r->len += (size_t)got;
	return ER_OK;
}

/* ---- positions ---------------------------------------------------------- */

/* Walks the raw record at absolute offset `raw` (starting on `line`) to byte
 * `byte` of the content of field `field`, reading it as libcsv does. Byte 0
 * of a quoted field is its opening quote. Returns 0 when the bytes ran out
 * first (the position found is then the last one seen). */
static int locate_in(const char *buf, uint64_t base, size_t len, char delimiter, uint64_t raw,
                     unsigned long line, size_t field, size_t byte, unsigned long *out_line,
                     unsigned long *out_col)
{
	size_t i, end = len, k = 0, content = 0;
	unsigned long ln = line, col = 1;
	int in_field = 0, quoted = 0;
	unsigned char delim = (unsigned char)delimiter;

	*out_line = line;
	*out_col = 1;
	if (buf == NULL || raw < base || raw - base > len)
		return 1;
	for (i = (size_t)(raw - base); i < end; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (!in_field) {
			if ((c == ' ' || c == '\t') && c != delim) {
				/* libcsv skips blanks before a field */
			} else if (c == delim) {
				if (k == field)
					break; /* an empty field */
				k++;
			} else if (c == '\n' || c == '\r') {
				break;
			} else {
				if (k == field && byte == 0)
					break;
				in_field = 1;
				quoted = c == '"';
				content = quoted ? 0 : 1;
			}
		} else {
			if (k == field && content == byte)
				break;
			if (quoted && c == '"') {
				if (i + 1 < end && buf[i + 1] == '"') {
					content++;
					i++;
					col++;
				} else {
					quoted = 0; /* closing quote */
				}
			} else if (quoted) {
				content++;
			} else if (c == delim) {
				if (k == field)
					break;
				k++;
				in_field = 0;
			} else if (c == '\n' || c == '\r') {
				break;
			} else {
				content++;
			}
		}
		if (c == '\n') {
			ln++;
			col = 1;
		} else if ((c & 0xc0) != 0x80) {
			col++;
		}
	}
	*out_line = ln;
	*out_col = col;
	return i < end;
}

/* In the parser's own buffer. */
static void locate(const er_reader *r, uint64_t raw, unsigned long line, size_t field,
                   size_t byte, unsigned long *out_line, unsigned long *out_col)
{
	locate_in(r->buf, r->base, r->len, r->delim, raw, line, field, byte, out_line, out_col);
}

/* In the raw bytes of the record being delivered: the batch's copy, or,
 * when the input's bytes stay put (a file, memory), the input itself - read
 * again only now, since positions are needed only for messages. */
static void locate_delivered(const er_reader *r, unsigned long line, size_t field, size_t byte,
                             unsigned long *out_line, unsigned long *out_col)
{
	size_t want = 64 * 1024, limit = r->opt.max_record_bytes + 2;
	char *buf = NULL;
	if (r->src_buf != NULL || r->fd < 0) {
		const char *src = r->src_buf ? r->src_buf : r->mem;
		uint64_t base = r->src_buf ? r->src_base : 0;
		size_t len = r->src_buf ? r->src_len : r->mem_len;
		locate_in(src, base, len, r->delim, r->cur_raw, line, field, byte, out_line, out_col);
		return;
	}
	*out_line = line;
	*out_col = 1;
	for (;;) {
		ssize_t got;
		char *nb = realloc(buf, want);
		if (nb == NULL)
			break;
		buf = nb;
		got = er_reader_read_at(r, r->cur_raw, buf, want);
		if (got <= 0)
			break;
		if (locate_in(buf, r->cur_raw, (size_t)got, r->delim, r->cur_raw, line, field, byte,
		              out_line, out_col) ||
		    (size_t)got < want || want >= limit)
			break;
		want = want * 2 < limit ? want * 2 : limit;
	}
	free(buf);
}

void er_reader_position(const er_reader *r, const er_record *rec, size_t field, size_t byte,
                        unsigned long *line, unsigned long *column)
{
	locate_delivered(r, rec->line, field, byte, line, column);
}

/* Position of an offset in the buffer: count lines from the record start. */
static void offset_position(const er_reader *r, size_t off, unsigned long *line,
                            unsigned long *col)
{
	size_t i = r->rec_start;
	unsigned long ln = r->rec_line, c = 1;
	for (; i < off && i < r->len; i++) {
		if (r->buf[i] == '\n') {
			ln++;
			c = 1;
		} else if (((unsigned char)r->buf[i] & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = ln;
	*col = c;
}

/* ---- diagnostics -------------------------------------------------------- */

static void col_label(const er_reader *r, size_t field, char *out, size_t cap)
{
	if (r->header_done && field < r->ncols)
		snprintf(out, cap, "column \"%s\"", r->names[field]);
	else if (!r->header_done && r->npending > 0 && field < r->pending[0].nfields)
		/* Still probing the header: its first record is the likely header. */
		snprintf(out, cap, "column \"%.*s\"", (int)r->pending[0].f[field].n,
		         r->pending[0].f[field].s);
	else
		snprintf(out, cap, "field %zu", field + 1);
}

static er_status vreject(er_reader *r, const er_record *rec, size_t field, size_t byte,
                         const char *fmt, va_list ap)
{
	char msg[768];
	unsigned long line, col;
	int skip = r->opt.bad_rows == ER_BAD_ROWS_SKIP;

	/* A skipped row is counted; only the first five are reported, and only
	 * a reported one needs its position (for a file, a pread of its bytes). */
	if (skip) {
		if (r->last_rejected == rec->row)
			return ER_OK;
		r->last_rejected = rec->row;
		if (r->skipped >= 5) {
			r->skipped++;
			return ER_OK;
		}
	}
	vsnprintf(msg, sizeof msg, fmt, ap);
	locate_delivered(r, rec->line, field, byte, &line, &col);
	if (!skip) {
		er_diag_emit(r->diag, ER_SEV_ERROR, r->display, line, col, "%s", msg);
		return ER_ERR_DATA;
	}
	r->skipped_lines[r->skipped] = line;
	er_diag_emit(r->diag, ER_SEV_WARNING, r->display, line, col, "%s (row skipped)", msg);
	r->skipped++;
	return ER_OK;
}

er_status er_reader_reject(er_reader *r, const er_record *rec, size_t field, size_t byte,
                           const char *fmt, ...)
{
	va_list ap;
	er_status st;
	va_start(ap, fmt);
	st = vreject(r, rec, field, byte, fmt, ap);
	va_end(ap);
	return st;
}

/* ---- records ------------------------------------------------------------ */

static er_status byte_problem(er_reader *r, const er_record *rec, int field, size_t byte,
                              int kind)
{
	char label[300], ex[200];
	const er_field *f = &rec->f[field];
	col_label(r, (size_t)field, label, sizeof label);
	if (kind == BAD_NUL)
		return er_reader_reject(r, rec, (size_t)field, byte, "%s: NUL byte in %s", label,
		                       er_diag_excerpt(ex, f->s, f->n, 40));
	return er_reader_reject(r, rec, (size_t)field, byte, "%s: invalid UTF-8 (byte 0x%02X) in %s",
	                       label, (unsigned)(unsigned char)f->s[byte],
	                       er_diag_excerpt(ex, f->s, f->n, 40));
}

/* Checks and hands one data record to the consumer. */
er_status er_reader_deliver(er_reader *r, er_field *f, size_t nstored, size_t ntotal,
                            unsigned long line, uint64_t raw, int bad_field, size_t bad_byte,
                            int bad_kind)
{
	er_record rec;
	er_status st;
	size_t before = r->skipped;

	rec.f = f;
	rec.nfields = nstored;
	rec.line = line;
	rec.row = ++r->delivered;
	r->cur_raw = raw;

	if (ntotal != r->ncols) {
		char ex[200];
		if (ntotal > r->ncols)
			st = er_reader_reject(r, &rec, r->ncols, 0,
			                     "row has %zu fields, the header has %zu: extra field %s",
			                     ntotal, r->ncols,
			                     er_diag_excerpt(ex, f[r->ncols].s, f[r->ncols].n, 40));
		else
			st = er_reader_reject(r, &rec, ntotal - 1, f[ntotal - 1].n,
			                     "row has %zu fields, the header has %zu (column \"%s\" is missing)",
			                     ntotal, r->ncols, r->names[ntotal]);
		return st;
	}
	if (bad_field >= 0 && (size_t)bad_field < nstored)
		return byte_problem(r, &rec, bad_field, bad_byte, bad_kind);
	if (r->format == ER_FORMAT_CODECARBON) {
		st = er_codecarbon_check(r, &rec);
		if (st != ER_OK || r->skipped != before)
			return st;
	}
	st = r->fn ? r->fn(r->ctx, r, &rec) : ER_OK;
	return st;
}

static er_status pending_save(er_reader *r)
{
	er_pending *p = &r->pending[r->npending];
	size_t i;

	memset(p, 0, sizeof *p);
	p->f = calloc(r->nf ? r->nf : 1, sizeof *p->f);
	p->bytes = malloc(r->fblen + 1);
	if (p->f == NULL || p->bytes == NULL) {
		free(p->f);
		free(p->bytes);
		return ER_ERR_NOMEM;
	}
	memcpy(p->bytes, r->fbytes, r->fblen);
	for (i = 0; i < r->nf; i++) {
		p->f[i].s = p->bytes + r->foff[i];
		p->f[i].n = r->flen[i];
	}
	p->nfields = r->nf;
	p->line = r->rec_line;
	p->raw = r->base + r->rec_start;
	p->bad_field = r->bad_field;
	p->bad_byte = r->bad_byte;
	p->bad_kind = r->bad_kind;
	r->npending++;
	return ER_OK;
}

static void pending_free(er_reader *r)
{
	size_t i;
	for (i = 0; i < r->npending; i++) {
		free(r->pending[i].f);
		free(r->pending[i].bytes);
	}
	r->npending = 0;
}

/* Decides which held-back records are the header, a units row, and data;
 * builds the header, then delivers the data records among them. */
static er_status settle_header(er_reader *r)
{
	er_pending *p = r->pending;
	size_t first_data;
	er_status st;

	if (r->npending == 0)
		return ER_OK;
	if (r->npending >= 2 && er_header_is_units_above(&p[0], &p[1])) {
		st = er_header_build(r, &p[1], &p[0], NULL);
		first_data = 2;
	} else if (r->npending >= 2 &&
	           er_header_is_units_below(&p[1], r->npending >= 3 ? &p[2] : NULL)) {
		st = er_header_build(r, &p[0], NULL, &p[1]);
		first_data = 2;
	} else {
		st = er_header_build(r, &p[0], NULL, NULL);
		first_data = 1;
	}
	if (st != ER_OK)
		return st;
	r->header_done = 1;
	if (r->opt.format == ER_FORMAT_CODECARBON || r->opt.format == ER_FORMAT_AUTO)
		er_codecarbon_detect(r);
	if (r->opt.format == ER_FORMAT_CODECARBON && r->format != ER_FORMAT_CODECARBON) {
		er_diag_emit(r->diag, ER_SEV_ERROR, r->display, p[0].line, 1,
		             "not a CodeCarbon log: the header lacks %s",
		             r->cc.timestamp < 0 ? "\"timestamp\"" :
		             r->cc.energy < 0 ? "\"energy_consumed\"" : "\"emissions\"");
		return ER_ERR_DATA;
	}
	r->first_data = first_data; /* the rest wait for er_reader_run */
	return ER_OK;
}

/* Delivers the data records held back while the header was probed. */
static er_status replay_pending(er_reader *r)
{
	size_t i;
	er_status st = ER_OK;

	for (i = r->first_data; i < r->npending && st == ER_OK; i++) {
		er_pending *p = &r->pending[i];
		st = er_reader_deliver(r, p->f, p->nfields < r->ncols + 1 ? p->nfields : r->ncols + 1,
		                       p->nfields, p->line, p->raw, p->bad_field, p->bad_byte,
		                       p->bad_kind);
	}
	pending_free(r);
	return st;
}

static void on_field(void *data, size_t n, void *ctx)
{
	er_reader *r = ctx;
	const char *s = data;
	size_t bad;
	(void)data;

	if (r->st != ER_OK)
		return;
	r->nf_total++;
	if (!r->header_done) {
		if (r->nf_total > r->opt.max_columns) {
			if (r->nf_total == r->opt.max_columns + 1) {
				er_diag_emit(r->pdiag, ER_SEV_ERROR, r->display, r->rec_line, 1,
				             "record has more than %zu fields (the column limit)",
				             r->opt.max_columns);
				r->st = ER_ERR_LIMIT;
			}
			return;
		}
	} else if (r->nf > r->ncols) {
		return; /* beyond the header's count: only counted, for the message */
	}
	if (r->nf == r->fcap) {
		size_t ncap = r->fcap ? r->fcap * 2 : 64;
		size_t *no = realloc(r->foff, ncap * sizeof *no);
		size_t *nl;
		er_field *nfld;
		if (no == NULL) {
			r->st = ER_ERR_NOMEM;
			return;
		}
		r->foff = no;
		nl = realloc(r->flen, ncap * sizeof *nl);
		if (nl == NULL) {
			r->st = ER_ERR_NOMEM;
			return;
		}
		r->flen = nl;
		nfld = realloc(r->fields, ncap * sizeof *nfld);
		if (nfld == NULL) {
			r->st = ER_ERR_NOMEM;
			return;
		}
		r->fields = nfld;
		r->fcap = ncap;
	}
	if (r->fblen + n + 1 > r->fbcap) {
		size_t ncap = r->fbcap ? r->fbcap : 4096;
		char *nb;
		while (ncap < r->fblen + n + 1)
			ncap *= 2;
		nb = realloc(r->fbytes, ncap);
		if (nb == NULL) {
			r->st = ER_ERR_NOMEM;
			return;
		}
		r->fbytes = nb;
		r->fbcap = ncap;
	}
	if (n)
		memcpy(r->fbytes + r->fblen, s, n);
	r->foff[r->nf] = r->fblen;
	r->flen[r->nf] = n;
	r->fblen += n;
	if (!r->line_valid && r->bad_field < 0 && n && !er_utf8_valid(s, n, &bad)) {
		r->bad_field = (int)r->nf;
		r->bad_byte = bad;
		r->bad_kind = s[bad] == '\0' ? BAD_NUL : BAD_UTF8;
	}
	r->nf++;
}

static void reset_record(er_reader *r)
{
	r->nf = r->nf_total = 0;
	r->fblen = 0;
	r->bad_field = -1;
}

static void on_record(int c, void *ctx)
{
	er_reader *r = ctx;
	size_t i;
	(void)c;

	if (r->st != ER_OK)
		return;
	if (r->pipe) {
		/* Running: the fields are already in the batch. */
		r->st = er_pipe_add_record(r);
		reset_record(r);
		return;
	}
	for (i = 0; i < r->nf; i++) {
		r->fields[i].s = r->fbytes + r->foff[i];
		r->fields[i].n = r->flen[i];
	}
	if (!r->header_done) {
		if (r->npending == 0 && r->bad_field >= 0) {
			/* A broken header cannot be skipped. */
			er_record rec = {r->fields, r->nf, r->rec_line, 0};
			r->cur_raw = r->base + r->rec_start;
			r->src_buf = r->buf;
			r->src_base = r->base;
			r->src_len = r->len;
			r->opt.bad_rows = ER_BAD_ROWS_ERROR;
			r->st = byte_problem(r, &rec, r->bad_field, r->bad_byte, r->bad_kind);
			return;
		}
		r->st = pending_save(r);
		if (r->st == ER_OK && r->npending == 3)
			r->st = settle_header(r);
	} else {
		r->st = er_pipe_add_record(r);
	}
	reset_record(r);
}

static void record_too_long(er_reader *r)
{
	size_t lim = r->opt.max_record_bytes;
	er_diag_emit(r->pdiag, ER_SEV_ERROR, r->display, r->rec_line, 1,
	             "record longer than the %zu %s limit (is a closing quote missing?)",
	             lim % MIB == 0 ? lim / MIB : lim, lim % MIB == 0 ? "MiB" : "byte");
}

/* Splits the whole line buf[feed..feed + n), its terminator included, when
 * it holds no quote: libcsv's records without libcsv's byte loop
 * (plain_line.c). A CR before the LF is part of the terminator, as libcsv
 * ends the record at the CR. Returns 0 when libcsv must read the line. */
static int split_plain(er_reader *r, size_t n)
{
	const char *s = r->buf + r->feed;
	size_t m = n - 1;
	int term = (unsigned char)s[m];

	if (term == '\n' && m > 0 && s[m - 1] == '\r') {
		m--;
		term = '\r';
	}
	return er_plain_line_split(s, m, (unsigned char)r->delim, term,
	                           r->pipe ? er_pipe_on_field : on_field, on_record, r);
}

/* Parses one line (ended by LF, CRLF or a lone CR), or what is left at the
 * end of the file: split_plain() when it can, libcsv otherwise. Returns 0
 * when the input is exhausted or on error. */
static int feed_line(er_reader *r)
{
	char *nl, *cr;
	size_t n, used;
	int line_end;

	/* A record starts where libcsv is between rows. */
	if (r->csv.pstate == 0 && r->nf == 0) {
		r->rec_start = r->feed;
		r->rec_line = r->line;
		r->line_valid = 1;
	}
	for (;;) {
		char *end;
		nl = memchr(r->buf + r->feed, '\n', r->len - r->feed);
		end = nl ? nl : r->buf + r->len;
		cr = memchr(r->buf + r->feed, '\r', (size_t)(end - (r->buf + r->feed)));
		/* A CR with something other than LF after it ends a line of its own
		 * (old Mac files); a CR at the buffer's end waits for the next byte. */
		if (cr && cr + 1 < end) {
			nl = cr;
			break;
		}
		if (nl || r->eof)
			break;
		if (r->len - r->rec_start > r->opt.max_record_bytes) {
			r->st = ER_ERR_LIMIT;
			break;
		}
		r->st = fill(r);
		if (r->st != ER_OK)
			break;
	}
	if (r->st == ER_ERR_LIMIT) {
		record_too_long(r);
		return 0;
	}
	if (r->st != ER_OK)
		return 0;
	line_end = nl != NULL;
	n = nl ? (size_t)(nl - (r->buf + r->feed)) + 1 : r->len - r->feed;
	if (n == 0)
		return 0;
	/* The same limit for records that happen to fit the buffer. */
	if (r->feed + n - r->rec_start > r->opt.max_record_bytes + 2) {
		r->st = ER_ERR_LIMIT;
		record_too_long(r);
		return 0;
	}
	if (r->pipe) {
		/* Room for every field the record can hold, so that adding one is
		 * a bare copy. */
		r->st = er_pipe_reserve(r, r->feed + n - r->rec_start);
		if (r->st != ER_OK)
			return 0;
	} else if (!er_utf8_valid(r->buf + r->feed, n, NULL)) {
		/* Most lines are valid UTF-8: check them whole, and fields only
		 * when a line of the record is not. */
		r->line_valid = 0;
	}
	r->feed_end = r->feed + n;
	if (line_end && er_reader_between_records(r) && split_plain(r, n)) {
		r->feed += n;
		r->line++;
		return r->st == ER_OK;
	}
	used = csv_parse(&r->csv, r->buf + r->feed, n, r->pipe ? er_pipe_on_field : on_field,
	                 on_record, r);
	if (r->st == ER_OK && used < n) {
		unsigned long line, col;
		char label[300];
		if (csv_error(&r->csv) == CSV_ENOMEM) {
			r->st = ER_ERR_NOMEM;
			return 0;
		}
		offset_position(r, r->feed + used, &line, &col);
		col_label(r, r->nf, label, sizeof label);
		er_diag_emit(r->pdiag, ER_SEV_ERROR, r->display, line, col,
		             "%s: misplaced quote character (quote the whole field and double "
		             "any quote inside it)",
		             label);
		r->st = ER_ERR_DATA;
		return 0;
	}
	r->feed += n;
	if (line_end)
		r->line++;
	return r->st == ER_OK;
}

static er_status finish(er_reader *r)
{
	if (r->st != ER_OK)
		return r->st;
	if (csv_fini(&r->csv, r->pipe ? er_pipe_on_field : on_field, on_record, r) != 0) {
		unsigned long line, col;
		char label[300];
		locate(r, r->base + r->rec_start, r->rec_line, r->nf, 0, &line, &col);
		col_label(r, r->nf, label, sizeof label);
		er_diag_emit(r->pdiag, ER_SEV_ERROR, r->display, line, col,
		             "%s: quoted field is not closed before the end of the file", label);
		r->st = ER_ERR_DATA;
	}
	return r->st;
}

/* ---- opening ------------------------------------------------------------ */

/* Sets up libcsv for r's delimiter (r->csv must not hold a parser). */
static er_status csv_setup(er_reader *r)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return ER_ERR_NOMEM;
	r->csv_ready = 1;
	/* Big fields: grow libcsv's buffer in large steps, not 128 bytes at a time. */
	csv_set_blk_size(&r->csv, 64 * 1024);
	csv_set_delim(&r->csv, (unsigned char)r->delim);
	return ER_OK;
}

/* A reader's first buffer: one read, at least 64 KiB. */
static size_t buf_capacity(const er_csv_options *o)
{
	return o->chunk < 65536 ? 65536 : o->chunk;
}

static er_status open_common(er_reader *r, const er_csv_options *opt)
{
	er_status st;

	if (opt)
		r->opt = *opt;
	else
		er_csv_options_defaults(&r->opt);
	if (r->opt.chunk == 0)
		r->opt.chunk = MIB;
	if (r->opt.max_record_bytes == 0)
		r->opt.max_record_bytes = 16 * MIB;
	if (r->opt.max_record_bytes > 1024 * MIB)
		r->opt.max_record_bytes = 1024 * MIB; /* batches index their bytes in 32 bits */
	if (r->opt.max_columns == 0)
		r->opt.max_columns = 10000;
	if (r->opt.decimal != ',')
		r->opt.decimal = '.';
	r->bad_field = -1;
	r->line = 1;
	r->rec_line = 1;
	r->cap = buf_capacity(&r->opt);
	r->buf = malloc(r->cap + ER_READ_SLACK);
	if (r->buf == NULL)
		return ER_ERR_NOMEM;

	/* Sniff: fill until 64 KiB (or the file) is in the buffer. */
	while (!r->eof && r->len < 65536) {
		st = fill(r);
		if (st != ER_OK)
			return st;
	}
	if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		r->feed = r->rec_start = 3;
	}
	if (r->len == r->feed) {
		er_diag_emit(r->diag, ER_SEV_ERROR, r->display, 1, 1, "empty file: no header row");
		return ER_ERR_DATA;
	}
	r->delim = r->opt.delimiter ? r->opt.delimiter
	                            : er_detect_delimiter(r->buf + r->feed, r->len - r->feed);
	st = csv_setup(r);
	if (st != ER_OK)
		return st;
	r->hold = r->base + r->feed;

	/* Read until the header is settled: three records, or the whole file. */
	while (!r->header_done && r->st == ER_OK && feed_line(r))
		;
	if (r->st == ER_OK && !r->header_done) {
		finish(r);
		if (r->st == ER_OK && !r->header_done)
			r->st = settle_header(r);
	}
	if (r->st == ER_OK && !r->header_done) {
		er_diag_emit(r->diag, ER_SEV_ERROR, r->display, 1, 1, "empty file: no header row");
		r->st = ER_ERR_DATA;
	}
	return r->st;
}

static er_reader *reader_new(const char *display)
{
	er_reader *r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	r->fd = -1;
	r->limit = ER_NO_LIMIT;
	r->display = er_strdup(display);
	if (r->display == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

er_status er_reader_open(const char *path, const char *display, const er_csv_options *opt,
                         er_diag_sink *diag, er_reader **out)
{
	er_reader *r;
	er_status st;

	*out = NULL;
	r = reader_new(display ? display : path);
	if (r == NULL)
		return ER_ERR_NOMEM;
	r->diag = r->pdiag = diag;
	if (strcmp(path, "-") == 0) {
		r->fd = 0;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			er_diag_emit(diag, ER_SEV_ERROR, r->display, 0, 0, "cannot open: %s", strerror(errno));
			er_reader_free(r);
			return ER_ERR_NOINPUT;
		}
		r->own_fd = 1;
	}
	{
		struct stat sb;
		int got = fstat(r->fd, &sb) == 0;
		if (got && S_ISDIR(sb.st_mode)) {
			/* Not a read error: the wrong input, said as such. */
			er_diag_emit(diag, ER_SEV_ERROR, r->display, 0, 0, "cannot read: %s", strerror(EISDIR));
			er_reader_free(r);
			return ER_ERR_NOINPUT;
		}
		r->raw_stable = got && S_ISREG(sb.st_mode);
		if (r->raw_stable) {
			/* Standard input may be a file read partly by someone else
			 * before us: offsets count from where we start. */
			off_t at = lseek(r->fd, 0, SEEK_CUR);
			r->origin = at > 0 ? (uint64_t)at : 0;
		}
	}
	st = open_common(r, opt);
	if (st == ER_ERR_IO)
		er_diag_emit(diag, ER_SEV_ERROR, r->display, 0, 0, "cannot read: %s", strerror(errno));
	if (st != ER_OK) {
		er_reader_free(r);
		return st;
	}
	*out = r;
	return ER_OK;
}

er_status er_reader_open_mem(const char *data, size_t n, const char *display,
                             const er_csv_options *opt, er_diag_sink *diag, er_reader **out)
{
	er_reader *r;
	er_status st;

	*out = NULL;
	r = reader_new(display ? display : "<memory>");
	if (r == NULL)
		return ER_ERR_NOMEM;
	r->diag = r->pdiag = diag;
	r->mem = data ? data : "";
	r->mem_len = n;
	r->raw_stable = 1;
	st = open_common(r, opt);
	if (st != ER_OK) {
		er_reader_free(r);
		return st;
	}
	*out = r;
	return ER_OK;
}

void er_reader_produce(er_reader *r)
{
	while (r->st == ER_OK && feed_line(r))
		;
	if (r->limit == ER_NO_LIMIT)
		finish(r);
}

er_reader *er_reader_sub_new(const er_reader *m)
{
	er_reader *s = malloc(sizeof *s);
	if (s == NULL)
		return NULL;
	*s = *m;
	/* Nothing of the caller's that it frees or grows. */
	s->own_fd = 0;
	s->csv_ready = 0;
	s->npending = 0;
	s->foff = s->flen = NULL;
	s->fields = NULL;
	s->fbytes = NULL;
	s->fcap = s->fbcap = 0;
	s->cfields = NULL;
	s->cfcap = 0;
	s->fillb = NULL;
	s->cap = buf_capacity(&m->opt);
	s->buf = malloc(s->cap + ER_READ_SLACK);
	if (s->buf == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void er_reader_sub_free(er_reader *s)
{
	if (s == NULL)
		return;
	if (s->csv_ready)
		csv_free(&s->csv);
	free(s->buf);
	free(s);
}

er_status er_reader_restart_at(er_reader *s, uint64_t base)
{
	if (s->csv_ready) {
		csv_free(&s->csv);
		s->csv_ready = 0;
	}
	s->base = base;
	s->len = s->feed = s->rec_start = s->feed_end = 0;
	s->eof = 0;
	s->line = s->rec_line = 1;
	s->nf = s->nf_total = s->fblen = 0;
	s->bad_field = -1;
	s->line_valid = 1;
	s->st = ER_OK;
	s->bholding = 0;
	return csv_setup(s);
}

int er_reader_between_records(const er_reader *r)
{
	/* libcsv's ROW_NOT_BEGUN is 0 (feed_line relies on it too). */
	return r->csv.pstate == 0 && r->nf == 0 && r->nf_total == 0;
}

er_status er_reader_run(er_reader *r, er_record_fn fn, void *ctx)
{
	er_status st = ER_OK;

	r->fn = fn;
	r->ctx = ctx;
	/* The records read while probing the header come first, from our buffer. */
	r->src_buf = r->buf;
	r->src_base = r->base;
	r->src_len = r->len;
	if (r->npending)
		st = replay_pending(r);
	if (st == ER_OK && r->st == ER_OK)
		st = er_pipe_run(r);
	else if (st == ER_OK)
		st = r->st;
	if (r->skipped > 0) {
		char lines[96] = "";
		size_t i, k = r->skipped < 5 ? r->skipped : 5, o = 0;
		for (i = 0; i < k; i++)
			o += (size_t)snprintf(lines + o, sizeof lines - o, "%s%lu", i ? ", " : "",
			                      r->skipped_lines[i]);
		er_diag_emit(r->diag, ER_SEV_WARNING, r->display, 0, 0,
		             "skipped %zu bad row%s (first at line%s %s%s)", r->skipped,
		             r->skipped == 1 ? "" : "s", k == 1 ? "" : "s", lines,
		             r->skipped > k ? ", ..." : "");
	}
	return st;
}

void er_reader_free(er_reader *r)
{
	size_t i;
	if (r == NULL)
		return;
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	if (r->csv_ready)
		csv_free(&r->csv);
	pending_free(r);
	for (i = 0; i < r->ncols; i++) {
		free(r->names ? r->names[i] : NULL);
		free(r->units ? r->units[i] : NULL);
	}
	free(r->names);
	free(r->units);
	free(r->buf);
	free(r->foff);
	free(r->flen);
	free(r->fields);
	free(r->fbytes);
	free(r->cfields);
	free(r->display);
	free(r);
}

size_t er_reader_ncols(const er_reader *r) { return r->ncols; }
const char *er_reader_col_name(const er_reader *r, size_t col) { return r->names[col]; }
const char *er_reader_col_unit(const er_reader *r, size_t col) { return r->units[col]; }

er_status er_reader_set_col_unit(er_reader *r, size_t col, const char *unit)
{
	char *copy = NULL;
	if (unit && (copy = er_strdup(unit)) == NULL)
		return ER_ERR_NOMEM;
	free(r->units[col]);
	r->units[col] = copy;
	return ER_OK;
}
const char *er_reader_display(const er_reader *r) { return r->display; }
char er_reader_delimiter(const er_reader *r) { return r->delim; }
er_diag_sink *er_reader_diag(const er_reader *r) { return r->diag; }
char er_reader_decimal(const er_reader *r) { return r->opt.decimal; }
er_format er_reader_format(const er_reader *r) { return r->format; }
size_t er_reader_rows(const er_reader *r) { return r->delivered - r->skipped; }
size_t er_reader_rows_skipped(const er_reader *r) { return r->skipped; }

const char *er_reader_codecarbon_version(const er_reader *r)
{
	return r->format == ER_FORMAT_CODECARBON ? r->cc.version : NULL;
}

long er_reader_run_id_col(const er_reader *r)
{
	return r->format == ER_FORMAT_CODECARBON ? r->cc.run_id : -1;
}

long er_reader_find_col(const er_reader *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->names[i], name) == 0)
			return (long)i;
	return -1;
}
