/* chart_loop.c - many different charts drawn by one process, through the
 * library (no CLI, no files): the "1,000 charts per process" benchmark of
 * issue 4. See bench/README.md.
 *
 *   chart_loop [N] [--svg] [--save FILE]
 *
 * Makes the text registry and the theme once, then N times: builds an
 * 8-bar result table in memory (values and title different every time),
 * lays it out as a 1200x675 chart (bars coloured by kind, sorted, title,
 * source line) and renders it to PNG (scale 1) or, with --svg, to SVG, in
 * an er_buf. Prints the setup time, the first chart's time (fonts are
 * loaded then) and the loop's rate. --save FILE writes the last chart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/diag.h"
#include "core/result.h"
#include "layout/chart.h"
#include "layout/measure.h"
#include "layout/theme.h"
#include "render/render.h"
#include "text/text.h"

enum { NBARS = 8 };

/* The AI Index comparison's bars (datasets/ai-index-2023-co2-comparison.csv). */
static const char *const labels[NBARS] = {
	"GPT-3 (175B)", "Gopher (280B)", "OPT (175B)", "Car, avg incl. fuel, 1 lifetime",
	"BLOOM (176B)", "American life, avg, 1 year", "Human life, avg, 1 year",
	"Air travel, 1 passenger, NY\xe2\x80\x93SF"};
static const double base[NBARS] = {502, 352, 70, 63, 25, 18.08, 5.51, 0.99};
static const char *const kinds[NBARS] = {"Model", "Model", "Model", "Real life",
                                         "Model", "Real life", "Real life", "Real life"};

static void on_diag(void *ctx, const er_diag *d)
{
	(void)ctx;
	fprintf(stderr, "chart_loop: %s%s%s\n", d->file ? d->file : "", d->file ? ": " : "",
	        d->message);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A cheap deterministic generator, so that every run draws the same charts. */
static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* Chart i's table: label, co2_t, kind; values scaled by 0.5..2 each. */
static er_status make_table(long i, er_result **out)
{
	er_result *r = er_result_new(3);
	er_status st = ER_ERR_NOMEM;
	char label[96];
	int k;

	*out = NULL;
	if (r == NULL)
		return st;
	st = er_result_set_col(r, 0, "label", NULL);
	if (st == ER_OK)
		st = er_result_set_col(r, 1, "co2_t", NULL);
	if (st == ER_OK)
		st = er_result_set_col(r, 2, "kind", NULL);
	for (k = 0; k < NBARS && st == ER_OK; k++) {
		er_value row[3];
		/* Every fifth chart renames one bar, so the label widths change too. */
		int n = snprintf(label, sizeof label, "%s%s", labels[k],
		                 i % 5 == 0 && k == (int)(i / 5 % NBARS) ? " (revised)" : "");
		row[0] = er_value_text(label, (size_t)n);
		row[1] = er_value_num(base[k] * (0.5 + 1.5 * uniform()), NULL);
		row[2] = er_value_text(kinds[k], strlen(kinds[k]));
		st = er_result_add_row(r, row);
	}
	if (st != ER_OK) {
		er_result_free(r);
		return st;
	}
	er_result_settle_types(r);
	*out = r;
	return ER_OK;
}

static int usage(void)
{
	fputs("usage: chart_loop [N] [--svg] [--save FILE]\n", stderr);
	return 64;
}

int main(int argc, char **argv)
{
	er_diag_sink diag = {on_diag, NULL, 0, 0};
	er_text *text = NULL;
	er_theme *theme = NULL;
	er_text_measurer tm;
	er_buf bytes = ER_BUF_INIT;
	er_status st;
	const char *save = NULL;
	static const char *const values[] = {"co2_t"};
	long n = 1000, i;
	int svg = 0, a, warm;
	char *cache = NULL; /* owned; the font cache's path, NULL: none */
	double t0, t1, t2, first = 0, total_bytes = 0;
	char title[160], source[96];

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--svg") == 0) {
			svg = 1;
		} else if (strcmp(argv[a], "--save") == 0 && a + 1 < argc) {
			save = argv[++a];
		} else {
			char *end;
			n = strtol(argv[a], &end, 10);
			if (*argv[a] == '\0' || *end || n < 1)
				return usage();
		}
	}

	/* Once per process: the font registry (with the font cache the CLI
	 * uses, so a warm run never loads fontconfig), the theme, the measurer. */
	t0 = now();
	st = er_text_cache_path(getenv("ECOREPORT_FONT_CACHE"), getenv("XDG_CACHE_HOME"),
	                        getenv("HOME"), &cache);
	if (st == ER_OK)
		st = er_text_new_cached(&diag, cache, &text);
	if (st == ER_OK)
		st = er_theme_default(&theme);
	if (st == ER_OK)
		st = er_text_measurer_init(&tm, text, theme->font);
	if (st != ER_OK) {
		fprintf(stderr, "chart_loop: setup failed: %s\n", er_strerror(st));
		er_theme_free(theme);
		er_text_free(text);
		free(cache);
		return 70;
	}
	t1 = now();
	warm = er_text_cache_warm(text);

	for (i = 0; i < n && st == ER_OK; i++) {
		er_result *data = NULL;
		er_scene *scene = NULL;
		er_chart_spec spec;
		double ti = i == 0 ? now() : 0;

		memset(&spec, 0, sizeof spec);
		spec.type = ER_CHART_BAR;
		spec.orient = ER_ORIENT_AUTO;
		spec.category = "label";
		spec.values = values;
		spec.nvalues = 1;
		spec.color_by = "kind";
		spec.sort = ER_SORT_DESC;
		spec.limit = -1;
		snprintf(title, sizeof title,
		         "CO2 Equivalent Emissions (Tonnes) by Selected Machine Learning Models and "
		         "Real Life Examples, scenario %ld",
		         i + 1);
		snprintf(source, sizeof source, "Luccioni et al., 2022; Strubell et al., 2019 (run %ld)",
		         i + 1);
		spec.title = title;
		spec.source = source;
		spec.width = 1200;
		spec.height = 675;
		spec.data_name = "chart_loop";

		er_buf_clear(&bytes);
		st = make_table(i, &data);
		if (st == ER_OK)
			st = er_layout_chart(&spec, theme, data, &tm.m, &diag, &scene);
		if (st == ER_OK) {
			if (svg) {
				st = er_svg_render(scene, text, &bytes);
			} else {
				er_render_opts ro = {ER_OUT_PNG, 1, -1, 0};
				st = er_cairo_render(scene, text, &ro, &bytes);
			}
		}
		if (st == ER_OK)
			total_bytes += (double)bytes.len;
		if (st == ER_OK && i == n - 1 && save) {
			FILE *f = fopen(save, "wb");
			if (f == NULL || fwrite(bytes.data, 1, bytes.len, f) != bytes.len) {
				perror(save);
				st = ER_ERR_IO;
			}
			if (f != NULL && fclose(f) != 0 && st == ER_OK) {
				perror(save);
				st = ER_ERR_IO;
			}
		}
		er_scene_free(scene);
		er_result_free(data);
		if (i == 0)
			first = now() - ti;
	}
	t2 = now();

	if (st != ER_OK) {
		fprintf(stderr, "chart_loop: chart %ld failed: %s\n", i, er_strerror(st));
	} else {
		printf("setup (er_text_new_cached, theme, measurer) %.2f ms; first chart %.2f ms "
		       "(font cache %s)\n",
		       (t1 - t0) * 1e3, first * 1e3,
		       cache == NULL ? "off" : warm ? "warm" : "cold");
		printf("%ld charts in %.3f s: %.1f charts/s, mean %s size %.0f bytes\n", n, t2 - t1,
		       (double)n / (t2 - t1), svg ? "SVG" : "PNG", total_bytes / (double)n);
	}
	er_buf_free(&bytes);
	er_theme_free(theme);
	er_text_save_cache(text);
	er_text_free(text);
	free(cache);
	return st == ER_OK ? 0 : 70;
}
