/* reader_int.h - the reader's private state, shared by the files of src/ingest/. */
#ifndef ER_READER_INT_H
#define ER_READER_INT_H

#include <csv.h>
#include <stdint.h>

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

struct er_reader {
	char *display;
	int fd;
	int own_fd;
	const char *mem;
	size_t mem_len, mem_pos;
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

	/* Delivery. */
	er_record_fn fn;
	void *ctx;
	uint64_t cur_raw;        /* absolute offset of the delivered record */
	size_t delivered, skipped, last_rejected;
	unsigned long skipped_lines[5];
	er_status st;
};

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
