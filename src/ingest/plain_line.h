/* plain_line.h - the lines that need no CSV state machine. */
#ifndef ER_PLAIN_LINE_H
#define ER_PLAIN_LINE_H

#include <stddef.h>

/* libcsv's callbacks: a field (bytes, length, context) and the end of a
 * record (its terminator, context). */
typedef void (*er_csv_field_fn)(void *field, size_t n, void *ctx);
typedef void (*er_csv_record_fn)(int term, void *ctx);

/* Splits one whole line, s[0..n) without its line terminator, into fields
 * exactly as libcsv 3.0.3 (default space rule, no CSV_APPEND_NULL, no
 * CSV_EMPTY_IS_NULL) would when it starts the line between records: the
 * fields are the runs between delimiters, each trimmed of the spaces and
 * tabs that are not the delimiter, passed to on_field in order and followed
 * by on_record(term); a line of nothing but such blanks is no record (no
 * call). The fields point into s; on_field must not write through them.
 *
 * Returns 1 when the line was split, 0 without a call when it holds a quote
 * character (libcsv must read it: a quoted field may carry the delimiter or
 * a line break) or the delimiter is one this splitter cannot take (a quote,
 * CR or LF). s must hold no CR or LF: the caller cuts lines. */
int er_plain_line_split(const char *s, size_t n, unsigned char delim, int term,
                        er_csv_field_fn on_field, er_csv_record_fn on_record, void *ctx);

#endif
