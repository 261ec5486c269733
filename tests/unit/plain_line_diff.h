/* plain_line_diff.h - one line read by libcsv and by er_plain_line_split,
 * each written down as text, for test_plain_line and fuzz_plain_line. */
#ifndef ER_PLAIN_LINE_DIFF_H
#define ER_PLAIN_LINE_DIFF_H

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "ingest/plain_line.h"

/* Every field as "<length>:<bytes>|", every record as "R<terminator>;". */
static void pld_field(void *field, size_t n, void *ctx)
{
	er_buf_printf(ctx, "%zu:", n);
	if (n)
		er_buf_append(ctx, field, n);
	er_buf_putc(ctx, '|');
}

static void pld_record(int term, void *ctx)
{
	er_buf_printf(ctx, "R%d;", term);
}

/* The terminator's bytes: LF, CR LF or a lone CR. */
static const char *pld_term_bytes(int term, int crlf)
{
	return crlf ? "\r\n" : term == '\r' ? "\r" : "\n";
}

/* libcsv as the reader sets it up, from between records, over the line
 * and its terminator, then csv_fini (which must find nothing left). */
static void pld_libcsv(const char *s, size_t n, unsigned char delim, int term, int crlf, er_buf *out)
{
	struct csv_parser p;
	const char *t = pld_term_bytes(term, crlf);

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		abort();
	csv_set_delim(&p, delim);
	if (csv_parse(&p, s, n, pld_field, pld_record, out) != n)
		er_buf_printf(out, "E%d;", csv_error(&p));
	else if (csv_parse(&p, t, strlen(t), pld_field, pld_record, out) != strlen(t))
		er_buf_printf(out, "E%d;", csv_error(&p));
	else if (csv_fini(&p, pld_field, pld_record, out) != 0)
		er_buf_puts(out, "F;");
	csv_free(&p);
}

/* The splitter; returns what er_plain_line_split returned. A CR LF line
 * ends its record at the CR, as reader.c's split_plain passes it. */
static int pld_split(const char *s, size_t n, unsigned char delim, int term, int crlf, er_buf *out)
{
	return er_plain_line_split(s, n, delim, crlf ? '\r' : term, pld_field, pld_record, out);
}

/* 1 when both read the line alike, or the splitter rightly declined it (a
 * quote in the line, or a delimiter it cannot take). */
static int pld_same(const char *s, size_t n, unsigned char delim, int term, int crlf)
{
	er_buf a = ER_BUF_INIT, b = ER_BUF_INIT;
	int ok;

	pld_libcsv(s, n, delim, term, crlf, &a);
	if (!pld_split(s, n, delim, term, crlf, &b))
		ok = b.len == 0 && ((n && memchr(s, '"', n) != NULL) || delim == '"' ||
		                    delim == '\r' || delim == '\n');
	else
		ok = a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
	er_buf_free(&a);
	er_buf_free(&b);
	return ok;
}

#endif
