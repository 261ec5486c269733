/* Unit tests: layout with a fake fixed-width measurer (layout/): number
 * formats, ticks, wrapping, and chart geometry rules (labels inside the
 * canvas, value labels clear of each other and of the bars, errors). */
#include <math.h>
#include <stdlib.h>

#include "common/buf.h"
#include "core/result.h"
#include "layout/axis.h"
#include "layout/chart.h"
#include "layout/measure.h"
#include "test.h"

static const char *label(double v)
{
	static char b[64];
	er_fmt_label(NULL, v, 2, b, sizeof b);
	return b;
}

static const char *compact(double v)
{
	static char b[64];
	er_fmt_compact(NULL, v, b, sizeof b);
	return b;
}

static const char *ticks(double lo, double hi, int target)
{
	static char out[256];
	double t[24];
	int dec;
	size_t n = er_nice_ticks(lo, hi, target, 1, t, 24, &dec), i, o = 0;
	for (i = 0; i < n; i++) {
		char b[32];
		er_fmt_tick(NULL, t[i], dec, b, sizeof b);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? " " : "", b);
	}
	return out;
}

static const char *wrap(const char *s, double width, size_t max)
{
	static char out[512];
	er_measurer m;
	er_span lines[8];
	int cut;
	size_t n, i, o = 0;
	er_fake_measurer_init(&m);
	n = er_wrap(&m, 0, 10, s, strlen(s), width, lines, max, &cut);
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s[%.*s]", i ? "" : "", (int)lines[i].len,
		                      s + lines[i].off);
	if (cut)
		snprintf(out + o, sizeof out - o, "+cut");
	return out;
}

static er_diag_sink sink;
static er_buf diags = ER_BUF_INIT;

static void record(void *ctx, const er_diag *d)
{
	(void)ctx;
	er_buf_printf(&diags, "%s\n", d->message);
}

/* A result table: category text, values numbers (NAN = missing). */
static er_result *table(const char *const *cats, const double *vals, size_t n)
{
	er_result *r = er_result_new(2);
	size_t i;
	er_result_set_col(r, 0, "name", NULL);
	er_result_set_col(r, 1, "value", "t");
	for (i = 0; i < n; i++) {
		er_value row[2];
		row[0] = er_value_text(cats[i], strlen(cats[i]));
		row[1] = isnan(vals[i]) ? er_value_null() : er_value_num(vals[i], NULL);
		er_result_add_row(r, row);
	}
	er_result_settle_types(r);
	return r;
}

static er_status chart(er_result *r, er_orient orient, int log, double w, double h, er_scene **out)
{
	static const char *const values[] = {"value"};
	er_chart_spec spec = {0};
	er_theme *th;
	er_measurer m;
	er_status st;
	er_theme_default(&th);
	er_fake_measurer_init(&m);
	spec.category = "name";
	spec.values = values;
	spec.nvalues = 1;
	spec.orient = orient;
	spec.log = log;
	spec.limit = -1;
	spec.width = w;
	spec.height = h;
	spec.title = "A title long enough to need wrapping at some point on a narrow chart";
	spec.source = "Somebody, 2022";
	spec.data_name = "t.csv";
	er_buf_clear(&diags);
	st = er_layout_chart(&spec, th, r, &m, &sink, out);
	er_theme_free(th);
	return st;
}

/* Every text run lies inside the canvas, and no two value labels overlap. */
static void check_geometry(const er_scene *s)
{
	size_t i, j;
	for (i = 0; i < s->nitems; i++) {
		const er_item *a = &s->items[i];
		if (a->kind != ER_ITEM_TEXT)
			continue;
		CHECK(a->x >= -0.01 && a->x + a->advance <= s->width + 0.01);
		CHECK(a->y - a->size * 0.8 >= -0.01 && a->y + a->size * 0.2 <= s->height + 0.01);
		for (j = i + 1; j < s->nitems; j++) {
			const er_item *b = &s->items[j];
			int overlap;
			if (b->kind != ER_ITEM_TEXT || strcmp(a->role, "value-label") || strcmp(b->role, "value-label"))
				continue;
			overlap = a->x < b->x + b->advance && b->x < a->x + a->advance &&
			          a->y - a->size * 0.8 < b->y + b->size * 0.2 && b->y - b->size * 0.8 < a->y + a->size * 0.2;
			CHECK(!overlap);
		}
	}
}

static size_t count(const er_scene *s, const char *role)
{
	size_t i, n = 0;
	for (i = 0; i < s->nitems; i++)
		n += strcmp(s->items[i].role, role) == 0;
	return n;
}

int main(void)
{
	static const char *const cats[] = {"GPT-3", "Gopher", "OPT", "BLOOM"};
	static const double vals[] = {502, 352, 70, 25};
	er_result *r;
	er_scene *s = NULL;

	sink.fn = record;

	/* Numbers for people. */
	CHECK_STR(label(1287), "1,287");
	CHECK_STR(label(0.99), "0.99");
	CHECK_STR(label(25), "25");
	CHECK_STR(label(502.0), "502");
	CHECK_STR(label(552.123), "552.12");
	CHECK_STR(label(18.08), "18.08");
	CHECK_STR(label(-12.5), "-12.5");
	CHECK_STR(label(0.0042), "0.0042");
	CHECK_STR(label(1234567.891), "1,234,567.89");
	CHECK_STR(label(-0.001), "-0.001");
	CHECK_STR(compact(3200), "3.2k");
	CHECK_STR(compact(1500000), "1.5M");
	CHECK_STR(compact(2.1e9), "2.1B");
	CHECK_STR(compact(250000), "250k");
	CHECK_STR(compact(999), "999");

	/* The same in German and French: the mark and separator of the
	 * language, trailing zeros still dropped, negative zero still "0". */
	{
		er_locale *de = NULL, *fr = NULL;
		char b[64];
		CHECK(er_locale_load("de", ER_LOCALES_DIR, &sink, &de) == ER_OK);
		CHECK(er_locale_load("fr", ER_LOCALES_DIR, &sink, &fr) == ER_OK);
		er_fmt_label(de, 1287.5, 2, b, sizeof b);
		CHECK_STR(b, "1.287,5");
		er_fmt_label(de, 502.0, 2, b, sizeof b);
		CHECK_STR(b, "502");
		er_fmt_label(de, 0.0042, 2, b, sizeof b);
		CHECK_STR(b, "0,0042");
		er_fmt_label(fr, -1234567.891, 2, b, sizeof b);
		CHECK_STR(b, "-1\xe2\x80\xaf" "234\xe2\x80\xaf" "567,89");
		er_fmt_compact(de, 3200, b, sizeof b);
		CHECK_STR(b, "3,2k");
		er_fmt_tick(de, 2.5, 1, b, sizeof b);
		CHECK_STR(b, "2,5");
		er_fmt_tick(de, -0.001, 2, b, sizeof b);
		CHECK_STR(b, "0,00");
		er_fmt_tick(de, 1500, 0, b, sizeof b);
		CHECK_STR(b, "1.500");
		er_locale_free(de);
		er_locale_free(fr);
	}

	/* Nice ticks. */
	CHECK_STR(ticks(0, 502, 5), "0 100 200 300 400 500 600");
	CHECK_STR(ticks(0, 0.99, 4), "0.00 0.25 0.50 0.75 1.00");
	CHECK_STR(ticks(-12.5, 7.1, 4), "-15 -10 -5 0 5 10");
	CHECK_STR(ticks(0, 1287, 4), "0 500 1,000 1,500");
	CHECK_STR(ticks(5, 5, 4), "0 2 4 6");
	CHECK_STR(ticks(0, 0, 4), "0.00 0.25 0.50 0.75 1.00");

	/* Wrapping: at spaces, splitting over-long words, cutting with max lines. */
	CHECK_STR(wrap("Air travel, 1 passenger", 60, 3), "[Air travel,][1 passenger]");
	CHECK_STR(wrap("Supercalifragilistic", 40, 3), "[Supercal][ifragili][stic]");
	CHECK_STR(wrap("one two three four five six", 45, 2), "[one two][three four five six]+cut");
	CHECK_STR(wrap("a\nb", 100, 3), "[a][b]");
	CHECK_STR(wrap("", 100, 3), "[]");

	/* A horizontal chart: bars in data order, every label on the canvas. */
	r = table(cats, vals, 4);
	CHECK_INT(chart(r, ER_ORIENT_HORIZONTAL, 0, 720, 405, &s), ER_OK);
	CHECK_INT(count(s, "bar"), 4);
	CHECK_INT(count(s, "value-label"), 4);
	CHECK_INT(count(s, "category"), 4);
	CHECK(count(s, "title") >= 1);
	CHECK_INT(count(s, "source"), 1);
	check_geometry(s);
	{
		/* The longest bar is GPT-3's and its label sits right of its end. */
		size_t i;
		const er_item *bar = NULL, *lab = NULL;
		for (i = 0; i < s->nitems; i++) {
			if (!bar && strcmp(s->items[i].role, "bar") == 0)
				bar = &s->items[i];
			if (!lab && strcmp(s->items[i].role, "value-label") == 0)
				lab = &s->items[i];
		}
		CHECK(bar && lab && lab->x >= bar->x + bar->w);
		CHECK_STR(lab ? lab->text : NULL, "502");
	}
	er_scene_free(s);
	s = NULL;
	/* Vertical: labels above bars, no overlaps, still on the canvas. */
	CHECK_INT(chart(r, ER_ORIENT_VERTICAL, 0, 400, 300, &s), ER_OK);
	check_geometry(s);
	er_scene_free(s);
	s = NULL;
	/* Log scale. */
	CHECK_INT(chart(r, ER_ORIENT_HORIZONTAL, 1, 720, 405, &s), ER_OK);
	CHECK(count(s, "tick") >= 3);
	er_scene_free(s);
	s = NULL;
	er_result_free(r);

	/* Negative values with --log are refused. */
	{
		static const double neg[] = {5, -3};
		static const char *const two[] = {"a", "b"};
		r = table(two, neg, 2);
		CHECK_INT(chart(r, ER_ORIENT_HORIZONTAL, 1, 720, 405, &s), ER_ERR_DATA);
		CHECK_STR(diags.data, "--log needs values above zero, but \"b\" has -3 in \"value\"\n");
		er_result_free(r);
	}
	/* Too many categories: refused with advice. */
	{
		static const char *names[300];
		static double many[300];
		static char buf[300][16];
		size_t i;
		for (i = 0; i < 300; i++) {
			snprintf(buf[i], sizeof buf[i], "c%zu", i);
			names[i] = buf[i];
			many[i] = (double)i;
		}
		r = table(names, many, 300);
		CHECK_INT(chart(r, ER_ORIENT_HORIZONTAL, 0, 720, 405, &s), ER_ERR_DATA);
		CHECK(diags.data && strstr(diags.data, "300 categories do not fit") != NULL);
		CHECK(diags.data && strstr(diags.data, "use --limit") != NULL);
		er_result_free(r);
	}
	/* Duplicate categories and all-missing values. */
	{
		static const char *const dup[] = {"a", "a"};
		static const double v2[] = {1, 2};
		static const double none[] = {NAN, NAN};
		r = table(dup, v2, 2);
		CHECK_INT(chart(r, ER_ORIENT_AUTO, 0, 720, 405, &s), ER_ERR_DATA);
		er_result_free(r);
		r = table(cats, none, 2);
		CHECK_INT(chart(r, ER_ORIENT_AUTO, 0, 720, 405, &s), ER_ERR_DATA);
		CHECK_STR(diags.data, "value column \"value\" has no values (every cell is missing)\n");
		er_result_free(r);
	}
	er_buf_free(&diags);
	return test_done("test_layout");
}
