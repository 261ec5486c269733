/* diag.c - formatting and delivery of positioned diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void er_diag_emit(er_diag_sink *sink, er_severity sev, const char *file,
                  unsigned long line, unsigned long column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	er_diag_emitv(sink, sev, file, line, column, fmt, ap);
	va_end(ap);
}

void er_diag_emitv(er_diag_sink *sink, er_severity sev, const char *file, unsigned long line,
                   unsigned long column, const char *fmt, va_list ap)
{
	char msg[1024];
	er_diag d;

	if (sink == NULL)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (sev == ER_SEV_ERROR)
		sink->errors++;
	else
		sink->warnings++;
	if (sink->fn == NULL)
		return;
	d.severity = sev;
	d.file = file;
	d.line = line;
	d.column = column;
	d.message = msg;
	sink->fn(sink->ctx, &d);
}

char *er_diag_excerpt(char *out, const char *s, size_t n, size_t max)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0, chars = 0;
	char *p = out;

	*p++ = '"';
	while (i < n && chars < max) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			*p++ = '\\';
			if (c == '"' || c == '\\') {
				*p++ = (char)c;
			} else if (c == '\n') {
				*p++ = 'n';
			} else if (c == '\r') {
				*p++ = 'r';
			} else if (c == '\t') {
				*p++ = 't';
			} else {
				*p++ = 'x';
				*p++ = hex[c >> 4];
				*p++ = hex[c & 15];
			}
			i++;
		} else if (c < 0x80) {
			*p++ = (char)c;
			i++;
		} else {
			/* Copy a UTF-8 sequence whole; stray bytes are shown as \xNN. */
			size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
			size_t k;
			int ok = len > 1 && i + len <= n;
			for (k = 1; ok && k < len; k++)
				ok = ((unsigned char)s[i + k] & 0xc0) == 0x80;
			if (!ok) {
				*p++ = '\\';
				*p++ = 'x';
				*p++ = hex[c >> 4];
				*p++ = hex[c & 15];
				i++;
			} else {
				for (k = 0; k < len; k++)
					*p++ = s[i++];
			}
		}
		chars++;
	}
	*p++ = '"';
	if (i < n) {
		*p++ = '.';
		*p++ = '.';
		*p++ = '.';
	}
	*p = '\0';
	return out;
}
