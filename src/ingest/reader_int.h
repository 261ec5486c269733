/* reader_int.h - the reader's private state, shared by the files of src/ingest/. */
#ifndef ER_READER_INT_H
#define ER_READER_INT_H

#include <csv.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h> /* ssize_t */

#include "ingest.h"

/* A record held back while the header is being identified. */
typedef struct er_pending {
	er_field *f;
	size_t nfields;
	char *bytes;          /* owned storage of the fields */
	unsigned long line;
	uint64_t raw;         /* absolute offset of its first byte */
	int bad_field;        /* field with a byte-level problem, or -1 */
	size_t bad_byte;
	int bad_kind;
} er_pending;

/* CodeCarbon columns the reader checks. -1 when absent. */
typedef struct er_codecarbon {
	const char *version;
	long timestamp, run_id, duration, emissions, energy, emissions_rate;
} er_codecarbon;

enum { BAD_NONE, BAD_NUL, BAD_UTF8 };

/* One parsed record inside a batch. Its fields follow the previous
 * record's in the batch's flen, and their bytes lie end to end after the
 * previous record's: where each starts is the sum of what came before. */
typedef struct er_brec {
	size_t nstored, ntotal;
	unsigned long line;
	uint64_t raw;           /* absolute offset of its first byte */
} er_brec;

/* Records handed from a parsing thread to the consuming one, with a copy
 * of their raw bytes (for positions) when the input cannot be read again. */
typedef struct er_batch {
	er_brec *recs;
	size_t nrecs, rcap;
	uint32_t *flen;         /* a batch stays far below 4 GiB (records are capped at
	                         * 1 GiB): half the stores of size_t */
	size_t nfields, fcap;
	char *bytes;
	size_t blen, bcap;
	char *raw;
	size_t rawlen, rawcap;
	uint64_t raw_base;
	struct er_batch *qnext; /* the next one in its task's queue, or in the spares */
	/* The last batch of a task: the parser's final status and diagnostic,
	 * the task the consumer takes next, and the task's last line number
	 * (counted from 1 at the task's start). */
	int end;
	er_status st;
	int has_diag;
	er_diag diag;
	char diag_msg[1024];
	size_t next_task;
	unsigned long end_line;
} er_batch;

typedef struct er_pipe er_pipe; /* pipeline.c */

/* Bytes allocated after a reader's buffer capacity: er_pipe_on_field copies
 * short fields 32 bytes at a time, and plain lines (plain_line.c) hand it
 * fields that point into the buffer. */
#define ER_READ_SLACK 32

/* No segment limit: read to the end of the input. */
#define ER_NO_LIMIT UINT64_MAX

struct er_reader {
	char *display;
	int fd;
	int own_fd;
	const char *mem;
	size_t mem_len;
	uint64_t origin;         /* the file offset of byte 0 (stdin may start further in) */
	er_csv_options opt;
	er_diag_sink *diag;
	struct csv_parser csv;
	int csv_ready;
	char delim;

	/* Raw bytes: buf[0..len) are the file bytes at absolute offset base.. */
	char *buf;
	size_t cap, len, feed;
	uint64_t base;
	int eof;
	int raw_stable;          /* the input's bytes can be read again (memory, a regular
	                          * file): batches carry no copy of them */
	unsigned long line;      /* line number of buf[feed] */

	/* The record being assembled. */
	size_t rec_start;        /* offset in buf */
	unsigned long rec_line;
	size_t nf, nf_total;     /* stored fields, fields seen */
	size_t fcap;
	size_t *foff, *flen;
	char *fbytes;
	size_t fblen, fbcap;
	er_field *fields;
	int bad_field;
	size_t bad_byte;
	int bad_kind;
	int line_valid;          /* every line of the record so far is valid UTF-8, no NUL */

	/* Header. */
	int header_done;
	size_t ncols;
	char **names, **units;
	er_format format;
	er_codecarbon cc;
	er_pending pending[3];
	size_t npending, first_data;
	uint64_t hold;           /* while probing: keep bytes from this absolute offset */

	/* Parsing thread: where its diagnostics go (the user's sink while opening,
	 * a capture while running), the end of the line being fed, the pipe, the
	 * batch being filled, the task (segment) being parsed and where it ends
	 * (an absolute offset: fill() reads no further), and the absolute offset
	 * of the filling batch's first record (bhold, when bholding) whose raw
	 * bytes a batch must copy when the input cannot be read again. */
	er_diag_sink *pdiag;
	er_diag_sink capture;
	size_t feed_end;
	er_pipe *pipe;
	er_batch *fillb;
	size_t task;
	uint64_t limit;
	uint64_t bhold;
	int bholding;
	size_t rec_bytes;        /* raw bytes of the record being parsed, for er_pipe_reserve */

	/* Delivery. */
	const char *src_buf;     /* raw bytes of the delivered records, for positions */
	uint64_t src_base;
	size_t src_len;
	er_field *cfields;       /* consumer's field array */
	size_t cfcap;
	er_record_fn fn;
	void *ctx;
	uint64_t cur_raw;        /* absolute offset of the delivered record */
	size_t delivered, skipped, last_rejected;
	unsigned long skipped_lines[5];
	er_status st;
};

/* reader.c: used by pipeline.c */
er_status er_reader_deliver(er_reader *r, er_field *f, size_t nstored, size_t ntotal,
                            unsigned long line, uint64_t raw, int bad_field, size_t bad_byte,
                            int bad_kind);
/* Reads up to `want` bytes of r's input at offset `at` (counted from the
 * input's start, as r->base is) into dst, again when a signal interrupts:
 * the count read, 0 at the end, -1 on an error. Only for input that can be
 * read again: memory, or a regular file (r->raw_stable). */
ssize_t er_reader_read_at(const er_reader *r, uint64_t at, char *dst, size_t want);
/* A parser's own reader for the tasks after the first: m's header, options
 * and input (borrowed: m must outlive it), its own buffer and libcsv. NULL
 * when out of memory. Freed by er_reader_sub_free. */
er_reader *er_reader_sub_new(const er_reader *m);
void er_reader_sub_free(er_reader *s);
/* Puts a parser's reader at absolute offset `base` (a line start), in the
 * state of a fresh parser: line 1, no record begun, libcsv new. */
er_status er_reader_restart_at(er_reader *s, uint64_t base);
/* Parses the input up to r->limit (ER_NO_LIMIT: to the end, where libcsv is
 * finished too). Problems are in r->st, reported through r->pdiag. */
void er_reader_produce(er_reader *r);
/* Whether libcsv is between records with nothing of the next one seen. */
int er_reader_between_records(const er_reader *r);

/* pipeline.c */
er_status er_pipe_reserve(er_reader *r, size_t n);
void er_pipe_on_field(void *data, size_t n, void *ctx);
er_status er_pipe_add_record(er_reader *r);
er_status er_pipe_run(er_reader *r);

/* codecarbon.c */
void er_codecarbon_detect(er_reader *r);
er_status er_codecarbon_check(er_reader *r, const er_record *rec);

/* header.c */
er_status er_header_build(er_reader *r, const er_pending *names, const er_pending *units_above,
                          const er_pending *units_below);
int er_header_is_units_above(const er_pending *a, const er_pending *b);
int er_header_is_units_below(const er_pending *row, const er_pending *next);

/* detect.c */
char er_detect_delimiter(const char *s, size_t n);

#endif
