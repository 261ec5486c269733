/* buf.c - growable byte buffer. */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

er_status er_buf_reserve(er_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return ER_ERR_NOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return ER_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return ER_ERR_NOMEM;
	b->data = p;
	b->cap = cap;
	return ER_OK;
}

er_status er_buf_append(er_buf *b, const void *p, size_t n)
{
	er_status st = er_buf_reserve(b, n);
	if (st != ER_OK)
		return st;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return ER_OK;
}

er_status er_buf_puts(er_buf *b, const char *s)
{
	return er_buf_append(b, s, strlen(s));
}

er_status er_buf_putc(er_buf *b, char c)
{
	return er_buf_append(b, &c, 1);
}

er_status er_buf_printf(er_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	er_status st;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ER_ERR_INTERNAL;
	st = er_buf_reserve(b, (size_t)n);
	if (st != ER_OK)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return ER_OK;
}

void er_buf_clear(er_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void er_buf_free(er_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

er_status er_buf_take(er_buf *b, char **out)
{
	er_status st = er_buf_reserve(b, 0);
	if (st != ER_OK)
		return st;
	*out = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return ER_OK;
}
