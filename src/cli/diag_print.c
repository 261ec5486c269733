/* diag_print.c - how diagnostics and usage errors look on stderr. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

static void print_diag(void *ctx, const er_diag *d)
{
	const char *sev = d->severity == ER_SEV_ERROR ? "error" : "warning";
	(void)ctx;
	fputs("ecoreport: ", stderr);
	if (d->file) {
		fputs(d->file, stderr);
		if (d->line) {
			fprintf(stderr, ":%lu", d->line);
			if (d->column)
				fprintf(stderr, ":%lu", d->column);
		}
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s: %s\n", sev, d->message);
}

void cli_diag_init(er_diag_sink *sink)
{
	sink->fn = print_diag;
	sink->ctx = NULL;
	sink->errors = sink->warnings = 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fputs("ecoreport: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry 'ecoreport %s --help' for more information.\n", cmd);
	else
		fputs("\nTry 'ecoreport --help' for more information.\n", stderr);
	return EX_USAGE_;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("ecoreport: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_exit_code(er_status st)
{
	return er_status_exit_code(st);
}
