/* ingest.h - stage 1 of the pipeline: CSV bytes to records and typed tables.
 *
 * This stage is the only user of libcsv. It adds what libcsv lacks: line and
 * column positions, delimiter detection, a BOM, UTF-8 and NUL checks, header
 * clean-up (trimming, de-duplication, units in names or in a units row),
 * field-count checks, resource limits and the --bad-rows policy.
 *
 * Reading is push-style: er_reader_run() calls back once per data record,
 * in file order on the caller's thread, with the record's fields valid only
 * during the call, so memory stays independent of the file's length.
 * Parsing runs on other threads (two for a file of several segments; see
 * pipeline.c); callbacks and diagnostics come exactly as from one.
 * er_table_read() (table.h) builds a whole typed table on top of it. */
#ifndef ER_INGEST_H
#define ER_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "../common/diag.h"
#include "../common/status.h"

typedef enum er_bad_rows { ER_BAD_ROWS_ERROR, ER_BAD_ROWS_SKIP } er_bad_rows;

typedef enum er_format { ER_FORMAT_AUTO, ER_FORMAT_CSV, ER_FORMAT_CODECARBON } er_format;

typedef struct er_csv_options {
	char delimiter;          /* ',' ';' '\t' '|', or 0 to detect (default) */
	char decimal;            /* '.' (default) or ',' */
	er_bad_rows bad_rows;    /* default ER_BAD_ROWS_ERROR */
	er_format format;        /* default ER_FORMAT_AUTO: CodeCarbon detected from the header */
	size_t max_record_bytes; /* default 16 MiB: a longer record (or field) is an error;
	                          * at most 1 GiB */
	size_t max_columns;      /* default 10,000 */
	size_t chunk;            /* read size; default 1 MiB (tests and fuzzing use small ones) */
	size_t segment;          /* a file (or memory) is parsed in segments of about this
	                          * many bytes by two threads at once; default 2 MiB
	                          * (tests and fuzzing use tiny ones) */
	int parsers;             /* parsing threads: 0 (default) two when the machine has
	                          * two cores and the input two segments, else one; 1; 2 */
} er_csv_options;

/* Fills o with the defaults above. */
void er_csv_options_defaults(er_csv_options *o);

typedef struct er_field {
	const char *s; /* not NUL-terminated; valid UTF-8 without NUL bytes */
	size_t n;
} er_field;

typedef struct er_record {
	const er_field *f;  /* nfields fields (always the header's count for data rows) */
	size_t nfields;
	unsigned long line; /* the line the record starts on, 1-based */
	size_t row;         /* 1-based number among data rows */
} er_record;

typedef struct er_reader er_reader;

/* Called once per data record. Return ER_OK to go on; any other status stops
 * the run and is returned by er_reader_run. */
typedef er_status (*er_record_fn)(void *ctx, er_reader *r, const er_record *rec);

/* Opens a CSV file ("-" reads standard input). `display` is the name used in
 * diagnostics (NULL: path). opt may be NULL (defaults). diag is borrowed and
 * must outlive the reader. The header is read before this returns. */
er_status er_reader_open(const char *path, const char *display, const er_csv_options *opt,
                         er_diag_sink *diag, er_reader **out);

/* Same over n bytes in memory (borrowed; must outlive the reader). */
er_status er_reader_open_mem(const char *data, size_t n, const char *display,
                             const er_csv_options *opt, er_diag_sink *diag, er_reader **out);

/* Calls fn for every data record. Can be called once per reader. */
er_status er_reader_run(er_reader *r, er_record_fn fn, void *ctx);

void er_reader_free(er_reader *r);

/* The header, after clean-up. Names and units are owned by the reader. */
size_t er_reader_ncols(const er_reader *r);
const char *er_reader_col_name(const er_reader *r, size_t col);
/* The unit written in the header ("Energy (kWh)") or a units row, or NULL. */
const char *er_reader_col_unit(const er_reader *r, size_t col);
/* Sets a column's unit (copied; NULL clears): for tables re-read from CSV
 * that lost the units they had. Call before er_reader_run. */
er_status er_reader_set_col_unit(er_reader *r, size_t col, const char *unit);
/* The column whose name is exactly `name`, or -1. */
long er_reader_find_col(const er_reader *r, const char *name);

const char *er_reader_display(const er_reader *r);
/* The sink given to er_reader_open (borrowed). */
er_diag_sink *er_reader_diag(const er_reader *r);
char er_reader_delimiter(const er_reader *r);
char er_reader_decimal(const er_reader *r);
er_format er_reader_format(const er_reader *r); /* CSV or CODECARBON after detection */
/* The CodeCarbon schema generation ("1.x", "2.0-2.1", ... "3.2+"), or NULL. */
const char *er_reader_codecarbon_version(const er_reader *r);
/* The column that identifies a CodeCarbon run (run_id; experiment_id in
 * 1.x logs), or -1 when the file is not a CodeCarbon log. */
long er_reader_run_id_col(const er_reader *r);
/* Data rows delivered so far, and rows skipped under --bad-rows skip. */
size_t er_reader_rows(const er_reader *r);
size_t er_reader_rows_skipped(const er_reader *r);

/* The line and column (1-based, in characters) of byte `byte` of field
 * `field` of the record being delivered. Only valid inside the callback. */
void er_reader_position(const er_reader *r, const er_record *rec, size_t field, size_t byte,
                        unsigned long *line, unsigned long *column);

/* Reports a problem with the record being delivered, positioned at `field`
 * (and byte `byte` in it). Under ER_BAD_ROWS_ERROR this is an error and
 * returns ER_ERR_DATA (return it from the callback); under SKIP it is a
 * warning for the first few rows, the row is counted as skipped, and it
 * returns ER_OK: the callback must then ignore the record. */
er_status er_reader_reject(er_reader *r, const er_record *rec, size_t field, size_t byte,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
