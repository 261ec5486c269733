/* libFuzzer target for the CSV reader: the first input byte chooses the
 * options (delimiter, decimal mark, bad-row policy) and the chunk size, so
 * line counting and quoting are exercised across arbitrary chunk splits. The
 * rest is read as a file would be, and profiled as `inspect` does; then read
 * again by two parsers cutting it into tiny segments (the second byte
 * chooses their size), which must deliver exactly the same records and
 * diagnostics as one parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "ingest/ingest.h"
#include "ingest/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void keep_diag(void *ctx, const er_diag *d)
{
	er_buf_printf(ctx, "%lu:%lu:%d:%s\n", d->line, d->column, (int)d->severity, d->message);
}

static er_status keep_row(void *ctx, er_reader *r, const er_record *rec)
{
	er_buf *out = ctx;
	size_t i;
	(void)r;
	er_buf_printf(out, "%lu/%zu:", rec->line, rec->row);
	for (i = 0; i < rec->nfields; i++) {
		er_buf_append(out, rec->f[i].s, rec->f[i].n);
		er_buf_putc(out, '\x1f');
	}
	return er_buf_putc(out, '\n');
}

/* Everything a reader delivers, as text. */
static void dump(const uint8_t *data, size_t size, const er_csv_options *o, er_buf *out)
{
	er_diag_sink sink = {keep_diag, out, 0, 0};
	er_reader *r = NULL;
	er_status st = er_reader_open_mem((const char *)data, size, "fuzz.csv", o, &sink, &r);
	if (st == ER_OK)
		st = er_reader_run(r, keep_row, out);
	er_buf_printf(out, "status %d rows %zu skipped %zu\n", (int)st, r ? er_reader_rows(r) : 0,
	              r ? er_reader_rows_skipped(r) : 0);
	er_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {0, ',', ';', '\t'};
	static const size_t chunks[] = {1, 2, 3, 7, 16, 100, 4096, 65536};
	er_csv_options o;
	er_diag_sink sink = {NULL, NULL, 0, 0};
	er_reader *r = NULL;
	er_profile *p = NULL;
	er_buf one = ER_BUF_INIT, two = ER_BUF_INIT;
	uint8_t k, seg;

	if (size < 2)
		return 0;
	k = data[0];
	seg = data[1];
	data += 2;
	size -= 2;
	er_csv_options_defaults(&o);
	o.delimiter = delims[k & 3];
	o.decimal = (k & 4) ? ',' : '.';
	o.bad_rows = (k & 8) ? ER_BAD_ROWS_SKIP : ER_BAD_ROWS_ERROR;
	o.chunk = chunks[(k >> 4) & 7];
	o.max_record_bytes = 1 << 20;
	o.max_columns = 1000;
	o.parsers = 1;
	if (er_reader_open_mem((const char *)data, size, "fuzz.csv", &o, &sink, &r) == ER_OK)
		er_profile_read(r, &p);
	er_profile_free(p);
	er_reader_free(r);

	dump(data, size, &o, &one);
	o.parsers = 2;
	o.segment = 1 + (seg & 63);
	dump(data, size, &o, &two);
	if (one.len != two.len || (one.len && memcmp(one.data, two.data, one.len) != 0))
		abort();
	er_buf_free(&one);
	er_buf_free(&two);
	return 0;
}
