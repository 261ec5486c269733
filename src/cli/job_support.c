/* job_support.c - what `batch` needs from the other commands: a text engine
 * loaded once before the workers fork (fontconfig's set-up costs more than
 * drawing a chart), and the list of files a command read and wrote, which
 * the worker records for incremental runs. Outside batch both are idle:
 * each command makes its own text engine and tracks nothing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common/atomic.h"
#include "common/util.h"

static er_text *shared_text;
static int tracking;
static char **paths[2];
static size_t npaths[2], cappaths[2];

/* A text engine with the font cache the environment names
 * ($ECOREPORT_FONT_CACHE, XDG_CACHE_HOME, HOME: er_text_cache_path). */
static er_status text_new(er_diag_sink *diag, er_text **out)
{
	char *path = NULL;
	er_status st = er_text_cache_path(getenv("ECOREPORT_FONT_CACHE"), getenv("XDG_CACHE_HOME"),
	                                  getenv("HOME"), &path);
	if (st == ER_OK)
		st = er_text_new_cached(diag, path, out);
	free(path);
	return st;
}

er_status cli_text_preload(er_diag_sink *diag)
{
	er_status st;

	if (shared_text)
		return ER_OK;
	st = text_new(diag, &shared_text);
	/* With a cold cache every worker would load fontconfig itself; with a
	 * warm one, most never need it. */
	if (st == ER_OK && !er_text_cache_warm(shared_text))
		st = er_text_load_fontconfig(shared_text);
	return st;
}

er_status cli_text_open(er_diag_sink *diag, er_text **out)
{
	if (shared_text) {
		er_text_set_diag(shared_text, diag);
		*out = shared_text;
		return ER_OK;
	}
	return text_new(diag, out);
}

void cli_text_close(er_text *t)
{
	if (t != shared_text) {
		er_text_save_cache(t);
		er_text_free(t);
	}
}

/* A batch worker saves what it learned (merged with what other workers
 * saved meanwhile); the parent learned nothing and saves nothing. */
void cli_text_unload(void)
{
	er_text_save_cache(shared_text);
	er_text_free(shared_text);
	shared_text = NULL;
}

void cli_track_start(void)
{
	tracking = 1;
}

/* A failure to remember only costs a rebuild next time: the record is not
 * written when tracking ran out of memory (cli_track_ok). */
static int track_failed;

static void track(int k, const char *path)
{
	size_t i;
	char *copy;
	if (!tracking || path == NULL)
		return;
	for (i = 0; i < npaths[k]; i++)
		if (strcmp(paths[k][i], path) == 0)
			return;
	if (er_grow(&paths[k], &cappaths[k], npaths[k], sizeof *paths[k], 16) != ER_OK ||
	    (copy = er_strdup(path)) == NULL) {
		track_failed = 1;
		return;
	}
	paths[k][npaths[k]++] = copy;
}

void cli_track_input(const char *path)
{
	track(0, path);
}

void cli_track_output(const char *path)
{
	track(1, path);
}

void cli_track_fonts(const er_text *t)
{
	size_t i;
	for (i = 0; t && i < er_text_nfonts(t); i++)
		track(0, er_text_font_file(t, (int)i, NULL));
}

int cli_tracked(const char *const **inputs, size_t *nin, const char *const **outputs,
                size_t *nout)
{
	*inputs = (const char *const *)paths[0];
	*nin = npaths[0];
	*outputs = (const char *const *)paths[1];
	*nout = npaths[1];
	return !track_failed;
}

er_status cli_outputs_commit(er_outset *set, er_diag_sink *diag)
{
	size_t i;
	er_status st = er_outset_commit(set, diag);
	for (i = 0; st == ER_OK && i < set->n; i++)
		cli_track_output(set->f[i].dst);
	return st;
}
