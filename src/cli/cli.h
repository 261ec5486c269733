/* cli.h - shared pieces of the ecoreport command line. Only src/cli/ prints. */
#ifndef ER_CLI_H
#define ER_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "common/buf.h"
#include "common/diag.h"
#include "ingest/ingest.h"

/* sysexits(3) codes, spelled out to avoid depending on <sysexits.h>. */
enum { EX_OK_ = 0, EX_USAGE_ = 64, EX_DATAERR_ = 65, EX_NOINPUT_ = 66, EX_SOFTWARE_ = 70,
       EX_CANTCREAT_ = 73, EX_IOERR_ = 74, EX_TEMPFAIL_ = 75 };

/* A sink that prints "ecoreport: FILE:LINE:COL: error: MESSAGE" to stderr. */
void cli_diag_init(er_diag_sink *sink);

/* Prints "ecoreport: [CMD: ]MESSAGE" and returns EX_USAGE_ (64). */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "ecoreport: MESSAGE" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Options every command that reads CSV accepts. */
typedef struct cli_input {
	er_csv_options csv;
} cli_input;

void cli_input_init(cli_input *in);
/* Tries argv[*i] (and its value) as an input option. Returns 1 when taken
 * (advancing *i past a separate value), 0 when not an input option, and -1
 * after printing a usage error. */
int cli_input_option(cli_input *in, const char *cmd, int argc, char **argv, int *i);
/* The help text lines for the input options. */
extern const char cli_input_help[];

/* The exit code for a library status. */
int cli_exit_code(er_status st);

/* JSON helpers (json_out.c). */
void json_string(FILE *f, const char *s);

int cmd_inspect(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
