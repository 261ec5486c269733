/* buf.h - a growable byte buffer, always NUL-terminated. */
#ifndef ER_BUF_H
#define ER_BUF_H

#include <stddef.h>

#include "status.h"

typedef struct er_buf {
	char *data; /* owned; NULL until the first append */
	size_t len;
	size_t cap;
} er_buf;

#define ER_BUF_INIT {NULL, 0, 0}

/* Make room for `extra` more bytes (plus the NUL). */
er_status er_buf_reserve(er_buf *b, size_t extra);
er_status er_buf_append(er_buf *b, const void *p, size_t n);
er_status er_buf_puts(er_buf *b, const char *s);
er_status er_buf_putc(er_buf *b, char c);
er_status er_buf_printf(er_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its storage. */
void er_buf_clear(er_buf *b);
/* Releases the storage; the buffer is then empty and reusable. */
void er_buf_free(er_buf *b);
/* Hands the storage to the caller (who frees it); never NULL on ER_OK. */
er_status er_buf_take(er_buf *b, char **out);

#endif
