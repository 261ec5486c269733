/* cmd_render.c - `ecoreport render` and `ecoreport check`: a template to a
 * PDF report (and figure exports), or only its validation. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "common/atomic.h"
#include "common/util.h"
#include "render/render.h"
#include "report/report.h"
#include "text/text.h"

static const char render_help[] =
	"Usage: ecoreport render TEMPLATE.md [-o DIR] [--name NAME] [--png] [--svg]\n"
	"                        [--set KEY=VALUE]... [--lang CODE]\n"
	"\n"
	"Writes DIR/NAME.pdf (default DIR: output/, NAME: the template's name):\n"
	"numbered figures and tables, outline, page numbers, fonts embedded.\n"
	"--png/--svg also write every figure as DIR/NAME-fig<N>.png|svg with its alt\n"
	"text in NAME-fig<N>.txt. --set overrides a front-matter value\n"
	"(--set quarter=2025-Q3). --lang CODE writes numbers, dates and the report's\n"
	"own words in that language (en, de, fr, zh, ja; overrides `lang:` in the\n"
	"template). The files replace the previous ones together, and only when all\n"
	"of them are complete. --max-pages N refuses a longer report (default 2,000).\n";

static const char check_help[] =
	"Usage: ecoreport check TEMPLATE.md [--set KEY=VALUE]... [--lang CODE] [--max-pages N]\n"
	"\n"
	"Validates a template and its data without writing anything: every data\n"
	"source readable, every column and expression valid, every block's keys known.\n";

static void track_input(void *ctx, const char *path)
{
	(void)ctx;
	cli_track_input(path);
}

/* Figure n's exports (PNG, SVG) and alt text, added to the output set. */
static er_status add_figure(er_outset *outs, const er_scene *s, er_text *text, const char *dir,
                            const char *name, size_t n, int png, int svg, er_buf *bytes,
                            er_diag_sink *diag)
{
	char out[4096];
	er_status st = ER_OK;
	int k;
	for (k = 0; k < 2 && st == ER_OK; k++) {
		if ((k == 0 && !png) || (k == 1 && !svg))
			continue;
		er_buf_clear(bytes);
		if (k == 0) {
			er_render_opts ro = {ER_OUT_PNG, 2, -1, 0};
			st = er_cairo_render(s, text, &ro, bytes);
		} else {
			st = er_svg_render(s, text, bytes);
		}
		snprintf(out, sizeof out, "%s/%s-fig%zu.%s", dir, name, n, k == 0 ? "png" : "svg");
		if (st == ER_OK)
			st = er_outset_add(outs, out, bytes->data, bytes->len, diag);
	}
	if (st == ER_OK && s->alt) {
		er_buf_clear(bytes);
		st = er_buf_printf(bytes, "%s\n", s->alt);
		snprintf(out, sizeof out, "%s/%s-fig%zu.txt", dir, name, n);
		if (st == ER_OK)
			st = er_outset_add(outs, out, bytes->data, bytes->len, diag);
	}
	return st;
}

static int run(int argc, char **argv, int check)
{
	const char *cmd = check ? "check" : "render", *path = NULL, *dir = "output";
	const char *given_name = NULL, *lang = NULL;
	size_t max_pages = 0;
	er_outset outs = ER_OUTSET_INIT;
	er_set sets[64];
	size_t nsets = 0, i;
	int png = 0, svg = 0, a, rc = EX_USAGE_;
	er_diag_sink diag;
	er_text *text = NULL;
	er_report *rep = NULL;
	er_buf bytes = ER_BUF_INIT;
	er_report_opts opts;
	er_status st;
	char name[256], out[4096];
	char *setbuf[64];
	size_t nbuf = 0;

	cli_diag_init(&diag);
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(check ? check_help : render_help, stdout);
			rc = 0;
			goto out;
		}
		if (!check && strcmp(arg, "--png") == 0) {
			png = 1;
			continue;
		}
		if (!check && strcmp(arg, "--svg") == 0) {
			svg = 1;
			continue;
		}
		if (!check && (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0 ||
		               strcmp(arg, "--name") == 0)) {
			if (a + 1 >= argc) {
				cli_usage_error(cmd, "option '%s' needs a value", arg);
				goto out;
			}
			if (arg[2] == 'n') {
				given_name = argv[++a];
				if (given_name[0] == '\0' || given_name[0] == '.' || strchr(given_name, '/')) {
					cli_usage_error(cmd, "--name takes a plain file name, not '%s'", given_name);
					goto out;
				}
			} else {
				dir = argv[++a];
			}
			continue;
		}
		if (strcmp(arg, "--lang") == 0 || strncmp(arg, "--lang=", 7) == 0) {
			lang = arg[6] == '=' ? arg + 7 : (a + 1 < argc ? argv[++a] : NULL);
			if (lang == NULL) {
				cli_usage_error(cmd, "option '--lang' needs a value");
				goto out;
			}
			if (!cli_lang_ok(cmd, lang))
				goto out;
			continue;
		}
		if (strcmp(arg, "--max-pages") == 0) {
			char *end;
			unsigned long n = a + 1 < argc ? strtoul(argv[a + 1], &end, 10) : 0;
			if (a + 1 >= argc || end == argv[a + 1] || *end || n == 0 || argv[a + 1][0] == '-' ||
			    n > 1000000) {
				cli_usage_error(cmd, "--max-pages takes 1 to 1000000%s%s%s", a + 1 < argc ? ", not '" : "",
				                a + 1 < argc ? argv[a + 1] : "", a + 1 < argc ? "'" : "");
				goto out;
			}
			max_pages = n;
			a++;
			continue;
		}
		if (strcmp(arg, "--set") == 0 || strncmp(arg, "--set=", 6) == 0) {
			const char *v = arg[5] == '=' ? arg + 6 : (a + 1 < argc ? argv[++a] : NULL);
			char *copy, *eq;
			if (v == NULL) {
				cli_usage_error(cmd, "option '--set' needs KEY=VALUE");
				goto out;
			}
			if (nsets == sizeof sets / sizeof sets[0]) {
				cli_usage_error(cmd, "at most 64 --set options");
				goto out;
			}
			copy = strdup(v);
			if (copy == NULL) {
				rc = EX_SOFTWARE_;
				goto out;
			}
			setbuf[nbuf++] = copy;
			eq = strchr(copy, '=');
			if (eq == NULL || eq == copy) {
				cli_usage_error(cmd, "--set needs KEY=VALUE, not '%s'", v);
				goto out;
			}
			*eq = '\0';
			sets[nsets].key = copy;
			sets[nsets++].value = eq + 1;
			continue;
		}
		if (arg[0] == '-' && arg[1] != '\0') {
			cli_usage_error(cmd, "unknown option '%s'", arg);
			goto out;
		}
		if (path) {
			cli_usage_error(cmd, "one template at a time (got '%s' and '%s')", path, arg);
			goto out;
		}
		path = arg;
	}
	if (path == NULL) {
		cli_usage_error(cmd, "missing TEMPLATE.md");
		goto out;
	}
	memset(&opts, 0, sizeof opts);
	opts.sets = sets;
	opts.nsets = nsets;
	opts.themes_dir = cli_themes_dir();
	opts.locales_dir = cli_locales_dir();
	opts.lang = lang;
	opts.creator = "ecoreport " ER_VERSION;
	opts.max_pages = max_pages;
	st = cli_text_open(&diag, &text);
	if (st == ER_OK)
		st = er_report_build(path, &opts, text, &diag, &rep);
	if (st == ER_OK && !check) {
		struct stat sb;
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			er_diag_emit(&diag, ER_SEV_ERROR, dir, 0, 0, "cannot create outputs: no such folder");
			st = ER_ERR_CANTCREAT;
		}
	}
	if (st == ER_OK && !check) {
		if (given_name) {
			snprintf(name, sizeof name, "%s", given_name);
		} else {
			size_t n;
			const char *stem = er_path_stem(path, &n);
			snprintf(name, sizeof name, "%.*s", (int)n, stem);
		}
		snprintf(out, sizeof out, "%s/%s.pdf", dir, name);
		er_atomic_sweep_beside(out);
		st = er_report_pdf(rep, &bytes);
		if (st == ER_OK)
			st = er_outset_add(&outs, out, bytes.data, bytes.len, &diag);
		for (i = 0; st == ER_OK && i < er_report_nfigures(rep) && (png || svg); i++)
			st = add_figure(&outs, er_report_figure(rep, i), text, dir, name, i + 1, png, svg,
			                &bytes, &diag);
		/* The PDF and its figures replace the previous set together. */
		if (st == ER_OK)
			st = cli_outputs_commit(&outs, &diag);
		if (st == ER_OK) {
			er_report_each_input(rep, track_input, NULL);
			cli_track_fonts(text);
		}
	}
	if (st == ER_ERR_NOMEM || st == ER_ERR_INTERNAL)
		cli_error("%s: %s", path, er_strerror(st));
	rc = cli_exit_code(st);
out:
	for (i = 0; i < nbuf; i++)
		free(setbuf[i]);
	er_buf_free(&bytes);
	er_outset_free(&outs);
	er_report_free(rep);
	cli_text_close(text);
	return rc;
}

int cmd_render(int argc, char **argv)
{
	return run(argc, argv, 0);
}

int cmd_check(int argc, char **argv)
{
	return run(argc, argv, 1);
}
