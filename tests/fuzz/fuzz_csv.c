/* libFuzzer target for the CSV reader: the first input byte chooses the
 * options (delimiter, decimal mark, bad-row policy) and the chunk size, so
 * line counting and quoting are exercised across arbitrary chunk splits. The
 * rest is read as a file would be, and profiled as `inspect` does. */
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest.h"
#include "ingest/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {0, ',', ';', '\t'};
	static const size_t chunks[] = {1, 2, 3, 7, 16, 100, 4096, 65536};
	er_csv_options o;
	er_diag_sink sink = {NULL, NULL, 0, 0};
	er_reader *r = NULL;
	er_profile *p = NULL;
	uint8_t k;

	if (size < 1)
		return 0;
	k = data[0];
	er_csv_options_defaults(&o);
	o.delimiter = delims[k & 3];
	o.decimal = (k & 4) ? ',' : '.';
	o.bad_rows = (k & 8) ? ER_BAD_ROWS_SKIP : ER_BAD_ROWS_ERROR;
	o.chunk = chunks[(k >> 4) & 7];
	o.max_record_bytes = 1 << 20;
	o.max_columns = 1000;
	if (er_reader_open_mem((const char *)data + 1, size - 1, "fuzz.csv", &o, &sink, &r) == ER_OK)
		er_profile_read(r, &p);
	er_profile_free(p);
	er_reader_free(r);
	return 0;
}
