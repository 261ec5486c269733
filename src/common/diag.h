/* diag.h - positioned diagnostics, delivered through a callback.
 *
 * The library never prints: every error or warning about the input is an
 * er_diag handed to the sink's callback. The CLI installs a callback that
 * prints "ecoreport: FILE:LINE:COL: error: MESSAGE" to stderr; tests install
 * one that records. */
#ifndef ER_DIAG_H
#define ER_DIAG_H

#include <stdarg.h>
#include <stddef.h>

typedef enum er_severity { ER_SEV_WARNING, ER_SEV_ERROR } er_severity;

typedef struct er_diag {
	er_severity severity;
	const char *file;     /* may be NULL (no file involved) */
	unsigned long line;   /* 1-based; 0 when unknown */
	unsigned long column; /* 1-based, in characters; 0 when unknown */
	const char *message;  /* already formatted, without the position */
} er_diag;

/* Called for every diagnostic; the pointers in d are valid only during the call. */
typedef void (*er_diag_fn)(void *ctx, const er_diag *d);

typedef struct er_diag_sink {
	er_diag_fn fn;   /* may be NULL: diagnostics are only counted */
	void *ctx;
	size_t errors;   /* counts, updated by er_diag_emit */
	size_t warnings;
} er_diag_sink;

/* Formats a message (printf-style) and delivers it. sink may be NULL. */
void er_diag_emit(er_diag_sink *sink, er_severity sev, const char *file,
                  unsigned long line, unsigned long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* The same with a va_list, for modules' own reporting helpers. */
void er_diag_emitv(er_diag_sink *sink, er_severity sev, const char *file, unsigned long line,
                   unsigned long column, const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/* Writes `s` (n bytes) into out as a quoted, shortened excerpt for messages:
 * at most `max` characters of the text, control bytes as \xNN, an ellipsis when cut.
 * Returns out. out must hold at least 4 * max + 8 bytes. */
char *er_diag_excerpt(char *out, const char *s, size_t n, size_t max);

#endif
