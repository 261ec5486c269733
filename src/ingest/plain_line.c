/* plain_line.c - the lines that need no CSV state machine.
 *
 * libcsv reads every byte through its state machine, one at a time, and
 * copies it into its own field buffer; on a large log that loop is most of
 * the reader's time. Yet a line without a quote character carries no state:
 * it starts between records (the caller checks that) and its fields are
 * simply the runs between delimiters. Such lines are cut here with memchr
 * and handed to the same callbacks, so what the reader sees is byte for
 * byte what libcsv would have given it (test_plain_line and fuzz_plain_line
 * compare the two on every kind of line). Lines with a quote still go to
 * libcsv, which remains the one parser of CSV syntax. */
#include <string.h>

#include "plain_line.h"

#define QUOTE '"'

/* libcsv's default space rule (csv_parse: "Space or Tab"), which never
 * applies to the delimiter itself. */
static int is_blank(unsigned char c, unsigned char delim)
{
	return (c == ' ' || c == '\t') && c != delim;
}

int er_plain_line_split(const char *s, size_t n, unsigned char delim, int term,
                        er_csv_field_fn on_field, er_csv_record_fn on_record, void *ctx)
{
	const char *p = s, *end = s + n;

	if (delim == QUOTE || delim == '\r' || delim == '\n')
		return 0;
	if (n && memchr(s, QUOTE, n))
		return 0;
	for (;;) {
		const char *q = p < end ? memchr(p, delim, (size_t)(end - p)) : NULL;
		const char *a = p, *b = q ? q : end;
		while (a < b && is_blank((unsigned char)*a, delim))
			a++;
		/* A line of blanks alone is no record (libcsv skips it whole). */
		if (p == s && q == NULL && a == b)
			return 1;
		while (b > a && is_blank((unsigned char)b[-1], delim))
			b--;
		on_field((void *)a, (size_t)(b - a), ctx);
		if (q == NULL)
			break;
		p = q + 1;
	}
	on_record(term, ctx);
	return 1;
}
