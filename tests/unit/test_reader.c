/* Unit tests: the CSV reader (ingest/reader) over in-memory input, fed in
 * chunks of many sizes: positions, quoting, header clean-up, errors. */
#include <dirent.h>
#include <stdlib.h>

#include "common/buf.h"
#include "ingest/ingest.h"
#include "test.h"

static er_buf diag_text = ER_BUF_INIT;

static void record_diag(void *ctx, const er_diag *d)
{
	(void)ctx;
	er_buf_printf(&diag_text, "%s:%lu:%lu: %s: %s\n", d->file ? d->file : "-", d->line,
	              d->column, d->severity == ER_SEV_ERROR ? "error" : "warning", d->message);
}

static er_status dump_row(void *ctx, er_reader *r, const er_record *rec)
{
	er_buf *out = ctx;
	size_t i;
	(void)r;
	er_buf_printf(out, "%lu:", rec->line);
	for (i = 0; i < rec->nfields; i++)
		er_buf_printf(out, "%s%.*s", i ? "|" : "", (int)rec->f[i].n, rec->f[i].s);
	er_buf_putc(out, '\n');
	return ER_OK;
}

/* Reads `csv` and returns "STATUS\nheader\nrows...\ndiagnostics" (static).
 * segment 0: one parser; else two, on segments of that many bytes. */
static const char *read_seg(const char *csv, size_t len, size_t chunk, er_bad_rows bad,
                            size_t segment)
{
	static er_buf out = ER_BUF_INIT;
	er_csv_options o;
	er_diag_sink sink = {record_diag, NULL, 0, 0};
	er_reader *r = NULL;
	er_status st;
	size_t i;

	er_buf_clear(&out);
	er_buf_clear(&diag_text);
	er_csv_options_defaults(&o);
	o.chunk = chunk;
	o.bad_rows = bad;
	o.parsers = segment ? 2 : 1;
	o.segment = segment;
	st = er_reader_open_mem(csv, len, "t.csv", &o, &sink, &r);
	if (st == ER_OK) {
		er_buf_puts(&out, "H:");
		for (i = 0; i < er_reader_ncols(r); i++) {
			const char *u = er_reader_col_unit(r, i);
			er_buf_printf(&out, "%s%s%s%s", i ? "|" : "", er_reader_col_name(r, i), u ? "@" : "",
			              u ? u : "");
		}
		er_buf_putc(&out, '\n');
		st = er_reader_run(r, dump_row, &out);
	}
	er_buf_printf(&out, "%s\n%s", er_strerror(st), diag_text.data ? diag_text.data : "");
	er_reader_free(r);
	return out.data;
}

static const char *read_with(const char *csv, size_t len, size_t chunk, er_bad_rows bad)
{
	return read_seg(csv, len, chunk, bad, 0);
}

/* The same result whatever the chunk size, and whether one parser reads it
 * or two, cutting it into segments anywhere (inside quoted fields too). */
static const char *read_all(const char *csv, er_bad_rows bad)
{
	static const size_t chunks[] = {1, 2, 3, 5, 7, 16, 64, 4096};
	static const size_t segments[] = {1, 2, 3, 4, 5, 7, 11, 16, 29, 64};
	static char *first;
	size_t i, j, len = strlen(csv);

	free(first);
	first = strdup(read_with(csv, len, chunks[0], bad));
	for (i = 1; i < sizeof chunks / sizeof chunks[0]; i++) {
		const char *got = read_with(csv, len, chunks[i], bad);
		if (strcmp(got, first) != 0) {
			fprintf(stderr, "chunk %zu differs from chunk 1:\n%s---\n%s", chunks[i], got, first);
			CHECK(0);
		}
	}
	for (i = 0; i < sizeof segments / sizeof segments[0]; i++) {
		for (j = 0; j < sizeof chunks / sizeof chunks[0]; j += 3) {
			const char *got = read_seg(csv, len, chunks[j], bad, segments[i]);
			if (strcmp(got, first) != 0) {
				fprintf(stderr, "segments of %zu (chunk %zu) differ from one parser:\n%s---\n%s",
				        segments[i], chunks[j], got, first);
				CHECK(0);
			}
		}
	}
	return first;
}

/* Longer inputs, so that two parsers cut them into many segments: quoted
 * fields spanning lines (a cut inside one is a wrong guess), CRLF, blank
 * lines, bad rows before and after the cuts, errors late in the file. */
static void split_cases(void)
{
	er_buf b = ER_BUF_INIT;
	const char *got;
	int i;

	er_buf_puts(&b, "id,note,n\r\n");
	for (i = 0; i < 60; i++) {
		if (i % 7 == 3)
			er_buf_printf(&b, "%d,\"line one\r\n%d,\"\"not\"\",a,row\n\n\",%d\r\n", i, i, i);
		else if (i % 11 == 5)
			er_buf_puts(&b, "\r\n");
		else
			er_buf_printf(&b, "%d,\"x, \"\"y\"\"\",%d\n", i, i * 3);
	}
	got = read_all(b.data, ER_BAD_ROWS_ERROR);
	CHECK(strstr(got, "\nsuccess\n") != NULL);
	CHECK(strstr(got, "84:58|x, \"y\"|174\n") != NULL);
	/* Bad rows here and there: the first five are reported, in order, and
	 * counted with the rest. */
	er_buf_clear(&b);
	er_buf_puts(&b, "a,b\n");
	for (i = 0; i < 80; i++)
		er_buf_printf(&b, i % 9 == 4 ? "%d\n" : "%d,\"q\nq\"\n", i);
	got = read_all(b.data, ER_BAD_ROWS_SKIP);
	CHECK(strstr(got, "skipped 9 bad rows (first at lines 10, 27, 44, 61, 78, ...)") != NULL);
	got = read_all(b.data, ER_BAD_ROWS_ERROR);
	CHECK(strstr(got, "t.csv:10:2: error: row has 1 fields") != NULL);
	/* A parser's own error late in the file, after many records. */
	er_buf_clear(&b);
	er_buf_puts(&b, "a,b\n");
	for (i = 0; i < 50; i++)
		er_buf_printf(&b, "%d,\"v\n%d\"\n", i, i);
	er_buf_puts(&b, "1,ab\"c\n2,3\n");
	got = read_all(b.data, ER_BAD_ROWS_ERROR);
	CHECK(strstr(got, "t.csv:102:5: error: column \"b\": misplaced quote") != NULL);
	er_buf_clear(&b);
	er_buf_puts(&b, "a,b\n");
	for (i = 0; i < 50; i++)
		er_buf_printf(&b, "%d,%d\n", i, i);
	er_buf_puts(&b, "7,\"open\nnever closed\n");
	got = read_all(b.data, ER_BAD_ROWS_ERROR);
	CHECK(strstr(got, "t.csv:52:3: error: column \"b\": quoted field is not closed") != NULL);
	er_buf_free(&b);
}

/* A file, read by one parser and by two: the dump of read_seg. */
static char *read_file_seg(const char *path, size_t segment)
{
	er_buf out = ER_BUF_INIT;
	er_csv_options o;
	er_diag_sink sink = {record_diag, NULL, 0, 0};
	er_reader *r = NULL;
	er_status st;

	er_buf_clear(&diag_text);
	er_csv_options_defaults(&o);
	o.bad_rows = ER_BAD_ROWS_SKIP; /* through the corrupt CodeCarbon 2.0 log too */
	o.parsers = segment ? 2 : 1;
	o.segment = segment;
	st = er_reader_open(path, "f.csv", &o, &sink, &r);
	if (st == ER_OK)
		st = er_reader_run(r, dump_row, &out);
	er_buf_printf(&out, "%s rows %zu skipped %zu\n%s", er_strerror(st), r ? er_reader_rows(r) : 0,
	              r ? er_reader_rows_skipped(r) : 0, diag_text.data ? diag_text.data : "");
	er_reader_free(r);
	return out.data;
}

/* Every CSV file of the real-data folder (argv[1]) reads the same in
 * segments as in one piece: their quoted fields span lines, so some cuts
 * fall inside them. */
static void realdata_cases(const char *dir)
{
	static const size_t segments[] = {4096, 65536};
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t i, nfiles = 0;

	CHECK(d != NULL);
	while (d && (e = readdir(d)) != NULL) {
		char path[4096];
		char *one;
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 4, ".csv") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		one = read_file_seg(path, 0);
		for (i = 0; i < sizeof segments / sizeof segments[0]; i++) {
			char *two = read_file_seg(path, segments[i]);
			if (one == NULL || two == NULL || strcmp(one, two) != 0) {
				fprintf(stderr, "%s: segments of %zu differ from one parser\n", path,
				        segments[i]);
				CHECK(0);
			}
			free(two);
		}
		free(one);
		nfiles++;
	}
	if (d)
		closedir(d);
	CHECK(nfiles >= 10);
}

/* Segments longer than a parser's buffer, so that buffers fill to their
 * last byte: a plain line's fields are copied out of the buffer itself,
 * 32 bytes at a time, right up to its end (under ASan or valgrind a missing
 * slack after any reader's buffer is an over-read). Lines of many lengths,
 * a few of them quoted. */
static void full_buffer_cases(void)
{
	er_buf b = ER_BUF_INIT;
	char *one;
	const char *two;
	int i;

	er_buf_puts(&b, "id,name,value\n");
	for (i = 0; b.len < 600 * 1000; i++) {
		if (i % 97 == 0)
			er_buf_printf(&b, "%d,\"q, %d\",%d\n", i, i, i % 13);
		else
			er_buf_printf(&b, "%d,%.*s,%d\n", i, i % 41, "abcdefghijklmnopqrstuvwxyzabcdefghijklmno",
			              i * 7);
	}
	one = strdup(read_seg(b.data, b.len, 65536, ER_BAD_ROWS_ERROR, 0));
	two = read_seg(b.data, b.len, 65536, ER_BAD_ROWS_ERROR, 100000);
	CHECK(one != NULL && strcmp(one, two) == 0);
	CHECK(one != NULL && strstr(one, "\n99:97|q, 97|6\n") != NULL);
	CHECK(one != NULL && strstr(one, "\nsuccess\n") != NULL);
	free(one);
	er_buf_free(&b);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		realdata_cases(argv[1]);
	split_cases();
	full_buffer_cases();
	CHECK_STR(read_all("a,b\n1,2\n3,4\n", ER_BAD_ROWS_ERROR),
	          "H:a|b\n2:1|2\n3:3|4\nsuccess\n");
	/* CRLF, BOM, no final newline, quoted delimiters and newlines, blank lines. */
	CHECK_STR(read_all("\xEF\xBB\xBFname,note\r\n\"x, y\",\"two\r\nlines\"\r\n\r\nz,\"say \"\"hi\"\"\"",
	                   ER_BAD_ROWS_ERROR),
	          "H:name|note\n2:x, y|two\r\nlines\n5:z|say \"hi\"\nsuccess\n");
	/* Delimiter detection. */
	CHECK_STR(read_all("a;b;c\n1,5;2,5;3\n", ER_BAD_ROWS_ERROR), "H:a|b|c\n2:1,5|2,5|3\nsuccess\n");
	CHECK_STR(read_all("a\tb\n1\t2\n", ER_BAD_ROWS_ERROR), "H:a|b\n2:1|2\nsuccess\n");
	CHECK_STR(read_all("a|b\n1|2\n", ER_BAD_ROWS_ERROR), "H:a|b\n2:1|2\nsuccess\n");
	/* Header clean-up: spaces, duplicates, empty names, units in names. */
	CHECK_STR(read_all("name, TFLOPS16,x,x,,Energy (kWh)\n", ER_BAD_ROWS_ERROR),
	          "H:name|TFLOPS16|x|x_2|column_5|Energy (kWh)@kWh\nsuccess\n"
	          "t.csv:1:0: warning: column 5 has no name; calling it \"column_5\"\n"
	          "t.csv:1:0: warning: duplicate column name \"x\" (column 4) renamed to \"x_2\"\n");
	/* A units row below the header. */
	CHECK_STR(read_all("model,energy,co2\n,MWh,t\nGPT-3,1287,502\n", ER_BAD_ROWS_ERROR),
	          "H:model|energy@MWh|co2@t\n3:GPT-3|1287|502\nsuccess\n");
	/* A notes-and-units row above the header (Green Algorithms). */
	CHECK_STR(read_all("index,,in gCO2e/kWh,\nlocation,name,ci,notes\nZA,South Africa,928,x\n",
	                   ER_BAD_ROWS_ERROR),
	          "H:location|name|ci@gCO2e/kWh|notes\n3:ZA|South Africa|928|x\nsuccess\n");
	/* Header only: a valid table with no rows. */
	CHECK_STR(read_all("a,b\n", ER_BAD_ROWS_ERROR), "H:a|b\nsuccess\n");
	/* Errors, positioned. */
	CHECK_STR(read_all("a,b\n1,2,3\n", ER_BAD_ROWS_ERROR),
	          "H:a|b\ninvalid data\nt.csv:2:5: error: row has 3 fields, the header has 2: extra field \"3\"\n");
	CHECK_STR(read_all("a,b,c\n1,22\n", ER_BAD_ROWS_ERROR),
	          "H:a|b|c\ninvalid data\nt.csv:2:5: error: row has 2 fields, the header has 3 (column \"c\" is missing)\n");
	CHECK_STR(read_all("a,b\n1,\"x\n", ER_BAD_ROWS_ERROR),
	          "invalid data\nt.csv:2:3: error: column \"b\": quoted field is not closed before the end of the file\n");
	CHECK_STR(read_all("a,b\n1,x\xff" "y\n", ER_BAD_ROWS_ERROR),
	          "H:a|b\ninvalid data\nt.csv:2:4: error: column \"b\": invalid UTF-8 (byte 0xFF) in \"x\\xFFy\"\n");
	CHECK_STR(read_with("a,b\n1,x\0y\n", 9, 3, ER_BAD_ROWS_ERROR),
	          "H:a|b\ninvalid data\nt.csv:2:4: error: column \"b\": NUL byte in \"x\\x00y\"\n");
	CHECK_STR(read_all("a,b\n1,ab\"c\n", ER_BAD_ROWS_ERROR),
	          "invalid data\nt.csv:2:5: error: column \"b\": misplaced quote character (quote the whole field and double any quote inside it)\n");
	CHECK_STR(read_all("", ER_BAD_ROWS_ERROR),
	          "invalid data\nt.csv:1:1: error: empty file: no header row\n");
	CHECK_STR(read_all("\n\n", ER_BAD_ROWS_ERROR),
	          "invalid data\nt.csv:1:1: error: empty file: no header row\n");
	/* Skipping bad rows: counted and reported, good rows kept. */
	CHECK_STR(read_all("a,b\n1,2\n3\n4,5\n6,7,8\n", ER_BAD_ROWS_SKIP),
	          "H:a|b\n2:1|2\n4:4|5\nsuccess\n"
	          "t.csv:3:2: warning: row has 1 fields, the header has 2 (column \"b\" is missing) (row skipped)\n"
	          "t.csv:5:5: warning: row has 3 fields, the header has 2: extra field \"8\" (row skipped)\n"
	          "t.csv:0:0: warning: skipped 2 bad rows (first at lines 3, 5)\n");
	/* Old Mac line ends. */
	CHECK_STR(read_all("a,b\r1,2\r3,4", ER_BAD_ROWS_ERROR), "H:a|b\n2:1|2\n3:3|4\nsuccess\n");
	/* Column positions count characters, not bytes. */
	CHECK_STR(read_all("a,b,c\n\xc3\xa9t\xc3\xa9,2,3,4\n", ER_BAD_ROWS_ERROR),
	          "H:a|b|c\ninvalid data\nt.csv:2:9: error: row has 4 fields, the header has 3: extra field \"4\"\n");
	/* Limits: too many columns, a record that is too long. */
	{
		er_csv_options o;
		er_diag_sink sink = {record_diag, NULL, 0, 0};
		er_reader *r = NULL;
		char *big = malloc(3 * 1000 + 10);
		size_t i, n = 0;
		for (i = 0; i < 1000; i++)
			n += (size_t)sprintf(big + n, "c%zu,", i % 10);
		big[n - 1] = '\n';
		er_csv_options_defaults(&o);
		o.max_columns = 100;
		er_buf_clear(&diag_text);
		CHECK_INT(er_reader_open_mem(big, n, "w.csv", &o, &sink, &r), ER_ERR_LIMIT);
		CHECK_STR(diag_text.data, "w.csv:1:1: error: record has more than 100 fields (the column limit)\n");
		free(big);
		big = malloc(300000);
		memcpy(big, "a,b\n1,\"", 7);
		memset(big + 7, 'x', 300000 - 7);
		er_csv_options_defaults(&o);
		o.max_record_bytes = 100000;
		o.chunk = 4096;
		er_buf_clear(&diag_text);
		if (er_reader_open_mem(big, 300000, "l.csv", &o, &sink, &r) == ER_OK) {
			CHECK_INT(er_reader_run(r, NULL, NULL), ER_ERR_LIMIT);
			er_reader_free(r);
		}
		CHECK_STR(diag_text.data, "l.csv:2:1: error: record longer than the 100000 byte limit (is a closing quote missing?)\n");
		free(big);
	}
	er_buf_free(&diag_text);
	return test_done("test_reader");
}
