/* cmd_chart.c - `ecoreport chart`: one bar chart as PNG, SVG or PDF. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "common/atomic.h"
#include "common/util.h"
#include "core/query.h"
#include "layout/chart.h"
#include "layout/glyphs.h"
#include "render/render.h"
#include "text/text.h"

static const char help[] =
	"Usage: ecoreport chart DATA.csv --category COL --value COL[,COL...] [options] -o OUT\n"
	"\n"
	"Draws a bar chart as OUT.png, OUT.svg or OUT.pdf, and its alt text as OUT.txt.\n"
	"\n"
	"  --category COL         the column naming the bars\n"
	"  --value COL[,COL...]   the column(s) of values (several: grouped or stacked)\n"
	"  --type bar|stacked|grouped\n"
	"  --horizontal, --vertical\n"
	"                         orientation (default: vertical for periods such as\n"
	"                         2025-Q1 and for a few short labels, else horizontal)\n"
	"  --color-by COL         colour bars by this column's values (with a legend)\n"
	"  --sort asc|desc|none   order of the bars by the first value (default none)\n"
	"  --limit N              keep the first N bars (after sorting)\n"
	"  --log                  logarithmic value axis\n"
	"  --title T, --subtitle S, --source S, --credit C, --note N, --figure LABEL\n"
	"  --axis-title T         the value axis's title (default: the column and unit)\n"
	"  --label FROM=TO        show the category or colour value FROM as TO (a\n"
	"                         translation); repeatable\n"
	"  --size WxH             points for PDF/SVG, pixels at 1x for PNG (default 720x405)\n"
	"  --scale K              PNG pixel density (2 = twice the pixels, 144 dpi)\n"
	"  --theme NAME|FILE      ai-index (default) or minimal, or a theme .yaml\n"
	"  --lang CODE            numbers and the chart's own words (\"Source:\") in a\n"
	"                         language: en (default), de, fr, zh, ja\n"
	"  --where EXPR           chart only the rows where EXPR is true\n"
	"  --dump scene           print the laid-out scene instead of drawing\n"
	"  -o, --output OUT       the file to write (.png, .svg or .pdf)\n";

static int parse_size(const char *s, double *w, double *h)
{
	char *end;
	errno = 0;
	*w = strtod(s, &end);
	if (end == s || (*end != 'x' && *end != 'X'))
		return 0;
	s = end + 1;
	*h = strtod(s, &end);
	if (end == s || *end || errno)
		return 0;
	return *w >= 50 && *w <= 10000 && *h >= 50 && *h <= 10000;
}

static const char *ext_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* Splits "a,b,c" into at most max pointers into a copy (caller frees *copy). */
static size_t split(const char *s, char **copy, const char **out, size_t max)
{
	size_t n = 0;
	char *p;
	*copy = strdup(s);
	if (*copy == NULL)
		return 0;
	for (p = strtok(*copy, ","); p && n < max; p = strtok(NULL, ","))
		out[n++] = p;
	return n;
}

/* A value of --opt V or --opt=V. Returns NULL when arg is not --opt. */
static const char *opt_value(const char *name, int argc, char **argv, int *i, int *err)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	*err = 0;
	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		cli_usage_error("chart", "option '%s' needs a value", name);
		*err = 1;
		return NULL;
	}
	return argv[++*i];
}

int cmd_chart(int argc, char **argv)
{
	cli_input in;
	er_diag_sink diag;
	er_chart_spec spec;
	const char *path = NULL, *out = NULL, *theme_name = "ai-index", *where = NULL, *values = NULL;
	const char *dump = NULL, *vals[9], *lang = NULL;
	char *values_copy = NULL, *alt_path = NULL;
	/* --label FROM=TO: copies split at the '=', owned; pairs in `rename`. */
	char *label_copies[ER_CHART_MAX_RENAME];
	const char *rename[2 * ER_CHART_MAX_RENAME];
	size_t nlabels = 0, k;
	double scale = 1;
	er_reader *r = NULL;
	er_query *q = NULL;
	er_result *res = NULL;
	er_theme *theme = NULL;
	er_locale *loc = NULL;
	er_text *text = NULL;
	er_scene *scene = NULL;
	er_buf bytes = ER_BUF_INIT;
	er_outset outs = ER_OUTSET_INIT;
	er_status st = ER_OK;
	er_format_out format = ER_OUT_PNG;
	int i, rc = EX_USAGE_, err;

	cli_input_init(&in);
	cli_diag_init(&diag);
	memset(&spec, 0, sizeof spec);
	spec.limit = -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int taken;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(help, stdout);
			fputs(cli_input_help, stdout);
			rc = 0;
			goto out;
		}
		taken = cli_input_option(&in, "chart", argc, argv, &i);
		if (taken < 0)
			goto out;
		if (taken)
			continue;
		if (strcmp(a, "--horizontal") == 0) {
			spec.orient = ER_ORIENT_HORIZONTAL;
			continue;
		}
		if (strcmp(a, "--vertical") == 0) {
			spec.orient = ER_ORIENT_VERTICAL;
			continue;
		}
		if (strcmp(a, "--log") == 0) {
			spec.log = 1;
			continue;
		}
		if (strcmp(a, "-o") == 0) {
			if (i + 1 >= argc) {
				cli_usage_error("chart", "option '-o' needs a value");
				goto out;
			}
			out = argv[++i];
			continue;
		}
#define OPT(name, target)                                                                  \
	if ((v = opt_value(name, argc, argv, &i, &err)) != NULL || err) {                      \
		if (err)                                                                           \
			goto out;                                                                      \
		target = v;                                                                        \
		continue;                                                                          \
	}
		OPT("--category", spec.category)
		OPT("--value", values)
		OPT("--color-by", spec.color_by)
		OPT("--title", spec.title)
		OPT("--subtitle", spec.subtitle)
		OPT("--source", spec.source)
		OPT("--credit", spec.credit)
		OPT("--note", spec.note)
		OPT("--figure", spec.figure)
		OPT("--axis-title", spec.axis_title)
		OPT("--theme", theme_name)
		OPT("--where", where)
		OPT("--output", out)
		OPT("--dump", dump)
		OPT("--lang", lang)
#undef OPT
		if ((v = opt_value("--label", argc, argv, &i, &err)) != NULL || err) {
			char *eq;
			if (err)
				goto out;
			if (strchr(v, '=') == NULL || v[0] == '=') {
				cli_usage_error("chart", "--label needs FROM=TO, not '%s'", v);
				goto out;
			}
			if (nlabels == ER_CHART_MAX_RENAME) {
				cli_usage_error("chart", "at most %d --label options", ER_CHART_MAX_RENAME);
				goto out;
			}
			label_copies[nlabels] = er_strdup(v);
			if (label_copies[nlabels] == NULL) {
				cli_error("out of memory");
				rc = EX_SOFTWARE_;
				goto out;
			}
			eq = strchr(label_copies[nlabels], '=');
			*eq = '\0';
			rename[2 * nlabels] = label_copies[nlabels];
			rename[2 * nlabels + 1] = eq + 1;
			nlabels++;
			spec.rename = rename;
			spec.nrename = nlabels;
			continue;
		}
		if ((v = opt_value("--type", argc, argv, &i, &err)) != NULL || err) {
			if (err)
				goto out;
			if (strcmp(v, "bar") == 0)
				spec.type = ER_CHART_BAR;
			else if (strcmp(v, "stacked") == 0)
				spec.type = ER_CHART_STACKED;
			else if (strcmp(v, "grouped") == 0)
				spec.type = ER_CHART_GROUPED;
			else {
				cli_usage_error("chart", "--type must be bar, stacked or grouped, not '%s'", v);
				goto out;
			}
			continue;
		}
		if ((v = opt_value("--sort", argc, argv, &i, &err)) != NULL || err) {
			if (err)
				goto out;
			if (strcmp(v, "asc") == 0 || strcmp(v, "ascending") == 0)
				spec.sort = ER_SORT_ASC;
			else if (strcmp(v, "desc") == 0 || strcmp(v, "descending") == 0)
				spec.sort = ER_SORT_DESC;
			else if (strcmp(v, "none") == 0)
				spec.sort = ER_SORT_NONE;
			else {
				cli_usage_error("chart", "--sort must be asc, desc or none, not '%s'", v);
				goto out;
			}
			continue;
		}
		if ((v = opt_value("--limit", argc, argv, &i, &err)) != NULL || err) {
			char *end;
			if (err)
				goto out;
			spec.limit = strtol(v, &end, 10);
			if (*v == '\0' || *end || spec.limit < 1) {
				cli_usage_error("chart", "--limit needs a whole number >= 1, not '%s'", v);
				goto out;
			}
			continue;
		}
		if ((v = opt_value("--size", argc, argv, &i, &err)) != NULL || err) {
			if (err)
				goto out;
			if (!parse_size(v, &spec.width, &spec.height)) {
				cli_usage_error("chart", "--size needs WIDTHxHEIGHT between 50 and 10000, not '%s'", v);
				goto out;
			}
			continue;
		}
		if ((v = opt_value("--scale", argc, argv, &i, &err)) != NULL || err) {
			char *end;
			if (err)
				goto out;
			scale = strtod(v, &end);
			if (*v == '\0' || *end || !(scale >= 0.25 && scale <= 8)) {
				cli_usage_error("chart", "--scale needs a number from 0.25 to 8, not '%s'", v);
				goto out;
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			cli_usage_error("chart", "unknown option '%s'", a);
			goto out;
		}
		if (path) {
			cli_usage_error("chart", "one data file at a time (got '%s' and '%s')", path, a);
			goto out;
		}
		path = a;
	}
	if (path == NULL) {
		cli_usage_error("chart", "missing DATA.csv");
		goto out;
	}
	if (spec.category == NULL || values == NULL) {
		cli_usage_error("chart", "--category and --value are required");
		goto out;
	}
	if (lang && !cli_lang_ok("chart", lang))
		goto out;
	if (dump && strcmp(dump, "scene") != 0) {
		cli_usage_error("chart", "--dump takes 'scene', not '%s'", dump);
		goto out;
	}
	if (out == NULL && dump == NULL) {
		cli_usage_error("chart", "missing -o OUT.png|OUT.svg|OUT.pdf");
		goto out;
	}
	if (out) {
		const char *ext = ext_of(out);
		if (strcmp(ext, "png") == 0)
			format = ER_OUT_PNG;
		else if (strcmp(ext, "svg") == 0)
			format = ER_OUT_SVG;
		else if (strcmp(ext, "pdf") == 0)
			format = ER_OUT_PDF;
		else {
			cli_usage_error("chart", "cannot tell the format of '%s': use .png, .svg or .pdf", out);
			goto out;
		}
	}
	spec.nvalues = split(values, &values_copy, vals, 9);
	if (spec.nvalues == 0 || spec.nvalues > 8) {
		cli_usage_error("chart", "--value takes 1 to 8 columns");
		goto out;
	}
	spec.values = vals;
	if (spec.nvalues > 1 && spec.type == ER_CHART_BAR)
		spec.type = ER_CHART_GROUPED;
	spec.data_name = path;

	/* The theme, the fonts, the data; then the scene. */
	if (strcmp(theme_name, "ai-index") == 0 && getenv("ECOREPORT_THEMES") == NULL) {
		struct stat sb;
		char p[4096];
		snprintf(p, sizeof p, "%s/ai-index.yaml", cli_themes_dir());
		st = stat(p, &sb) == 0 ? er_theme_load(p, NULL, &diag, &theme) : er_theme_default(&theme);
	} else {
		st = er_theme_load(theme_name, cli_themes_dir(), &diag, &theme);
	}
	/* Without --lang: English (its file when there is one, as in reports). */
	if (st == ER_OK)
		st = er_locale_load(lang ? lang : "en", cli_locales_dir(), &diag, &loc);
	spec.locale = loc;
	if (st == ER_OK)
		st = cli_text_open(&diag, &text);
	cli_track_input(path);
	if (theme)
		cli_track_input(theme->path);
	if (er_locale_path(loc))
		cli_track_input(er_locale_path(loc));
	{
		er_text_measurer tm;
		if (st == ER_OK)
			st = er_text_measurer_init(&tm, text, theme->font);
		if (st == ER_OK) {
			q = er_query_new();
			if (q == NULL)
				st = ER_ERR_NOMEM;
			else
				er_query_set_max_rows(q, in.max_rows);
		}
		if (st == ER_OK && where) {
			char *label = malloc(strlen(where) + 16);
			er_origin o = {NULL, 0, 1};
			if (label == NULL) {
				st = ER_ERR_NOMEM;
			} else {
				sprintf(label, "--where '%s'", where);
				o.file = label;
				st = er_query_add(q, ER_Q_WHERE, where, o, &diag);
				free(label);
			}
		}
		if (st == ER_OK)
			st = er_reader_open(path, NULL, &in.csv, &diag, &r);
		if (st == ER_OK)
			st = er_query_run(q, r, &diag, &res);
		if (st == ER_OK)
			st = er_layout_chart(&spec, theme, res, &tm.m, &diag, &scene);
	}
	if (st != ER_OK)
		goto fail;
	if (dump) {
		st = er_scene_dump(scene, stdout);
		if (st == ER_OK && fflush(stdout) != 0)
			st = ER_ERR_IO;
		goto fail;
	}
	st = er_scene_check_glyphs(scene, text, &diag, path, NULL);
	if (st != ER_OK)
		goto fail;
	if (format == ER_OUT_SVG) {
		st = er_svg_render(scene, text, &bytes);
	} else {
		er_render_opts ro = {ER_OUT_PNG, 1, -1, 0};
		const char *epoch = getenv("SOURCE_DATE_EPOCH");
		ro.format = format;
		ro.scale = scale;
		ro.epoch = epoch && *epoch ? strtoll(epoch, NULL, 10) : -1;
		st = er_cairo_render(scene, text, &ro, &bytes);
	}
	if (st == ER_ERR_INTERNAL)
		cli_error("%s: rendering failed", out);
	if (st == ER_OK) {
		er_atomic_sweep_beside(out);
		st = er_outset_add(&outs, out, bytes.data, bytes.len, &diag);
	}
	if (st == ER_OK && scene->alt) {
		/* x.png -> x.txt: the chart's alt text, next to it. */
		size_t n = strlen(out) - strlen(ext_of(out));
		alt_path = malloc(n + 5);
		if (alt_path == NULL) {
			st = ER_ERR_NOMEM;
		} else {
			memcpy(alt_path, out, n);
			strcpy(alt_path + n, "txt");
			er_buf_clear(&bytes);
			st = er_buf_printf(&bytes, "%s\n", scene->alt);
			if (st == ER_OK)
				st = er_outset_add(&outs, alt_path, bytes.data, bytes.len, &diag);
		}
	}
	/* The chart and its alt text replace the previous pair together. */
	if (st == ER_OK)
		st = cli_outputs_commit(&outs, &diag);
	cli_track_fonts(text);
fail:
	if (st == ER_ERR_NOMEM)
		cli_error("out of memory");
	rc = cli_exit_code(st);
out:
	for (k = 0; k < nlabels; k++)
		free(label_copies[k]);
	free(values_copy);
	free(alt_path);
	er_buf_free(&bytes);
	er_scene_free(scene);
	er_outset_free(&outs);
	cli_text_close(text);
	er_theme_free(theme);
	er_locale_free(loc);
	er_result_free(res);
	er_query_free(q);
	er_reader_free(r);
	return rc;
}
