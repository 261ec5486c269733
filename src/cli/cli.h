/* cli.h - shared pieces of the ecoreport command line. Only src/cli/ prints. */
#ifndef ER_CLI_H
#define ER_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "common/atomic.h"
#include "common/buf.h"
#include "common/diag.h"
#include "ingest/ingest.h"
#include "text/text.h"

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
	size_t max_rows; /* 0: the query's default */
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

/* job_support.c: a text engine shared by the jobs of a batch run, loaded
 * before the workers fork (cli_text_open returns it when preloaded, else a
 * new one; cli_text_close frees only the latter)... Both keep fontconfig's
 * answers in the font cache the environment names (ECOREPORT_FONT_CACHE,
 * XDG_CACHE_HOME, HOME) and save it when done: cli_text_close for its own
 * engine, cli_text_unload for the shared one. */
er_status cli_text_preload(er_diag_sink *diag);
er_status cli_text_open(er_diag_sink *diag, er_text **out);
void cli_text_close(er_text *t);
void cli_text_unload(void);
/* ...and the files a command read and wrote, recorded by a batch worker.
 * Tracking is off (the calls do nothing) until cli_track_start. */
void cli_track_start(void);
void cli_track_input(const char *path);
void cli_track_output(const char *path);
void cli_track_fonts(const er_text *t);
/* 0 when some path could not be remembered (then no record is written). */
int cli_tracked(const char *const **inputs, size_t *nin, const char *const **outputs,
                size_t *nout);
/* er_outset_commit, tracking the files renamed into place. */
er_status cli_outputs_commit(er_outset *set, er_diag_sink *diag);

/* Where `theme: NAME` and --theme NAME are looked up. */
const char *cli_themes_dir(void);
/* Where `lang: CODE` and --lang CODE are looked up (CODE.yaml). */
const char *cli_locales_dir(void);
/* Checks --lang's value: 1 when the language exists, else prints the usage
 * error naming the choices and returns 0. */
int cli_lang_ok(const char *cmd, const char *code);

int cmd_inspect(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_chart(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_batch(int argc, char **argv);
/* Runs a command by name (argv[0]); -1 when there is no such command. */
int cli_dispatch(int argc, char **argv);

#endif
