/* Unit tests: PDF documents through libharu. A two-page document with an
 * outline, a link and metadata is checked for structure, determinism and
 * what the poppler and qpdf tools read from it (each check is skipped when
 * its tool is missing); libharu's text widths are compared with the text
 * stage's; and a chart-like scene rendered by libharu and rasterised by
 * pdftoppm is compared pixel by pixel with the same scene drawn by cairo. */
#include <png.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/haru/haru.h"
#include "render/haru/haru_int.h"
#include "render/render.h"
#include "test.h"
#include "test_diag.h"
#include "test_scene.h"

static const er_color BAR = {31 / 255.0, 78 / 255.0, 121 / 255.0, 1}; /* #1f4e79 */
static const er_color BAR2 = {237 / 255.0, 125 / 255.0, 49 / 255.0, 1};
static const er_color GRID = {217 / 255.0, 217 / 255.0, 217 / 255.0, 1};
static const er_color INK = {0, 0, 0, 1};
static const er_color GREY = {89 / 255.0, 89 / 255.0, 89 / 255.0, 1};
static const er_color VEIL = {1, 0, 0, 0.4}; /* translucent red */

/* CO₂ – × é 1,287, and its start */
static const char CO2[] = "CO\xE2\x82\x82 \xE2\x80\x93 \xC3\x97 \xC3\xA9 1,287";
static const char CO2_HEAD[] = "CO\xE2\x82\x82 \xE2\x80\x93 \xC3\x97 \xC3\xA9";
static const char TITLE[] = "Emissions report \xE2\x80\x93 CO\xE2\x82\x82";         /* – CO₂ */
static const char CJK[] = "\xE4\xBA\x8C\xE6\xB0\xA7\xE5\x8C\x96\xE7\xA2\xB3"; /* 二氧化碳 */
static const char OUT1[] = "1 Training";
static const char OUT2[] = "1.1 Inference CO\xE2\x82\x82"; /* CO₂ */
static const char OUT3[] = "2 Method";

/* ---- helpers ------------------------------------------------------------ */

static int have(const char *tool)
{
	return access(tool, X_OK) == 0;
}

static int contains(const er_buf *b, const char *needle)
{
	size_t n = strlen(needle), i;
	if (b->data == NULL || n > b->len)
		return 0;
	for (i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, needle, n) == 0)
			return 1;
	return 0;
}

static int write_file(const char *path, const er_buf *b)
{
	FILE *f = fopen(path, "wb");
	int ok;
	if (f == NULL)
		return 0;
	ok = fwrite(b->data, 1, b->len, f) == b->len;
	return fclose(f) == 0 && ok;
}

/* Runs a shell command (printf-style) and collects its standard output;
 * returns its exit status. */
static int capture(er_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int capture(er_buf *out, const char *fmt, ...)
{
	char cmd[1024], line[1024];
	va_list ap;
	FILE *p;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	er_buf_clear(out);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	while (fgets(line, sizeof line, p) != NULL)
		if (er_buf_puts(out, line) != ER_OK)
			break;
	rc = pclose(p);
	return rc;
}

/* Removes spaces and tabs (tools align their columns differently), and
 * newlines too when `lines` is 0. */
static void squeeze(er_buf *b, int lines)
{
	size_t i, o = 0;
	for (i = 0; i < b->len; i++)
		if (b->data[i] != ' ' && b->data[i] != '\t' && (lines || b->data[i] != '\n'))
			b->data[o++] = b->data[i];
	b->len = o;
	if (b->data != NULL)
		b->data[o] = '\0';
}

/* A temporary file name (the file exists, empty); 0 on failure. */
static int temp_path(char *path, size_t cap)
{
	const char *dir = getenv("TMPDIR");
	int fd;
	snprintf(path, cap, "%s/er_test_haru_XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* ---- the document ------------------------------------------------------- */

/* Page 1: a small chart with a link; page 2: text in three faces. */
static er_scene *page_one(er_text *t)
{
	er_scene *s = er_scene_new(400, 300);
	int regular, bold, dejavu;
	if (s == NULL)
		return NULL;
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 0, 0, &regular), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 1, 0, &bold), ER_OK);
	CHECK_INT(er_scene_add_font(s, "DejaVu Sans", 0, 0, &dejavu), ER_OK);
	add_text(s, t, "title", 20, 30, bold, 16, INK, "Training emissions");
	CHECK_INT(er_scene_line(s, "grid", 20, 100.5, 380, 100.5, 1, GRID), ER_OK);
	CHECK_INT(er_scene_line(s, "grid", 20, 180.5, 380, 180.5, 1, GRID), ER_OK);
	CHECK_INT(er_scene_rect(s, "bar", 40, 60, 80, 200, BAR), ER_OK);
	CHECK_INT(er_scene_rect(s, "bar", 160, 140, 80, 120, BAR2), ER_OK);
	CHECK_INT(er_scene_line(s, "axis", 20, 260, 380, 260, 1.5, INK), ER_OK);
	add_text(s, t, "value-label", 40, 55, dejavu, 11, INK, CO2);
	add_text(s, t, "label", 40, 278, regular, 10, GREY, "BLOOM (176B)");
	add_text(s, t, "label", 160, 278, regular, 10, GREY, "GPT-3 (175B)");
	add_text(s, t, "source", 20, 294, regular, 8, GREY, "Source: Luccioni et al., 2022");
	CHECK_INT(er_scene_link(s, 20, 286, 150, 10, "https://arxiv.org/abs/2211.02001"), ER_OK);
	return s;
}

static er_scene *page_two(er_text *t)
{
	er_scene *s = er_scene_new(300, 200);
	int regular, bold, dejavu;
	if (s == NULL)
		return NULL;
	s->background = (er_color){0.97, 0.97, 0.95, 1};
	CHECK_INT(er_scene_add_font(s, "DejaVu Sans", 0, 0, &dejavu), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 1, 0, &bold), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 0, 0, &regular), ER_OK);
	add_text(s, t, "heading", 20, 40, bold, 14, INK, "Method");
	add_text(s, t, "body", 20, 70, regular, 11, INK, "Energy times carbon intensity, summed.");
	add_text(s, t, "body", 20, 100, dejavu, 12, INK, CO2);
	add_text(s, t, "body", 20, 130, regular, 9, INK,
	         "Wide: WWW MMM mmm ... iii lll 0123456789");
	CHECK_INT(er_scene_rect(s, "veil", 10, 150, 120, 30, VEIL), ER_OK);
	CHECK_INT(er_scene_link(s, 20, 160, 100, 20, "https://example.org/method d\xC3\xA9tails"),
	          ER_OK);
	return s;
}

static const er_outline OUTLINE[] = {
	{OUT1, 0, 0, 20},
	{OUT2, 1, 0, 150},
	{OUT3, 0, 1, 25},
};

static const er_pdf_meta META = {TITLE, "ecoreport tests", "Unit test of the libharu renderer",
                                 "CO2, PDF, test", "ecoreport", 1740787200}; /* 2025-03-01 */

static er_status render_doc(er_scene *const *pages, size_t npages, er_text *t, er_diag_sink *diag,
                            er_buf *out)
{
	return er_haru_render((const er_scene *const *)pages, npages, OUTLINE,
	                      sizeof OUTLINE / sizeof OUTLINE[0], &META, t, diag, out);
}

/* Every font line of pdffonts has "yes" in its emb column. Returns the
 * number of fonts, or -1 when one is not embedded. */
static int fonts_embedded(const er_buf *listing)
{
	const char *p = listing->data, *dashes, *line;
	size_t col[4], ncol = 0, i;
	int count = 0;

	if (p == NULL || (dashes = strstr(p, "\n---")) == NULL)
		return -1;
	dashes++;
	/* Column starts from the dashes line: name, type, encoding, emb, ... */
	for (i = 0; dashes[i] != '\n' && dashes[i] != '\0' && ncol < 4; i++)
		if (dashes[i] == '-' && (i == 0 || dashes[i - 1] == ' '))
			col[ncol++] = i;
	if (ncol < 4)
		return -1;
	line = strchr(dashes, '\n');
	while (line != NULL && line[1] != '\0') {
		line++;
		if (strlen(line) < col[3] + 3 || strncmp(line + col[3], "yes", 3) != 0)
			return -1;
		count++;
		line = strchr(line, '\n');
	}
	return count;
}

static void check_tools(const er_buf *pdf)
{
	char path[256];
	er_buf o = ER_BUF_INIT;
	const char *a, *b, *c;
	/* The repairs of libharu's output are made where its object API is
	 * public, 2.3.0; elsewhere its own output stands. */
	int repaired = contains(pdf, "/Producer (Haru Free PDF Library 2.3.0)");

	if (!temp_path(path, sizeof path)) {
		CHECK(!"temporary file");
		return;
	}
	CHECK(write_file(path, pdf));
	/* For a look at the document: ER_HARU_KEEP=/some/file.pdf */
	if (getenv("ER_HARU_KEEP") != NULL)
		CHECK(write_file(getenv("ER_HARU_KEEP"), pdf));
	if (have("/usr/bin/qpdf")) {
		CHECK_INT(capture(&o, "/usr/bin/qpdf --check '%s' 2>&1", path), 0);
		CHECK(contains(&o, "No syntax or stream encoding errors"));
		/* Outline titles: the second below the first (qpdf writes "kids"
		 * before "title"), the third after them. */
		CHECK_INT(capture(&o, "/usr/bin/qpdf --json --json-key=outlines '%s'", path), 0);
		a = strstr(o.data ? o.data : "", "\"kids\"");
		b = strstr(o.data ? o.data : "", OUT2);
		c = strstr(o.data ? o.data : "", OUT1);
		CHECK(a != NULL && b != NULL && c != NULL && a < b && b < c);
		CHECK(c != NULL && strstr(c, OUT3) != NULL);
		/* Destinations keep the reader's zoom: [page /XYZ 0 top null]
		 * (zoom 1 where the repair is not made). */
		squeeze(&o, 0);
		CHECK(contains(&o, repaired ? "\"/XYZ\",0,280,null" : "\"/XYZ\",0,280,1"));
		CHECK(contains(&o, repaired ? "\"/XYZ\",0,150,null" : "\"/XYZ\",0,150,1"));
		CHECK(contains(&o, repaired ? "\"/XYZ\",0,175,null" : "\"/XYZ\",0,175,1"));
		CHECK(contains(&o, "\"open\":true"));
		CHECK(!contains(&o, "\"open\":false"));
		/* Links: percent-encoded URI, no border. */
		CHECK_INT(capture(&o, "/usr/bin/qpdf --json --json-key=qpdf '%s'", path), 0);
		squeeze(&o, 0);
		CHECK(contains(&o, "\"/URI\":\"u:https://arxiv.org/abs/2211.02001\""));
		CHECK(contains(&o, "\"/URI\":\"u:https://example.org/method%20d%C3%A9tails\""));
		CHECK(contains(&o, "\"/Border\":[0,0,0]"));
		CHECK(!contains(&o, "\"/Border\":[0,0,1]"));
	}
	if (have("/usr/bin/pdftotext")) {
		/* Without -q: poppler must find nothing to complain about (libharu
		 * 2.3.0's own ToUnicode map makes it warn on every font). */
		CHECK_INT(capture(&o, "/usr/bin/pdftotext -enc UTF-8 '%s' - 2>&1", path), 0);
		CHECK(!repaired || !contains(&o, "Syntax"));
		CHECK(contains(&o, CO2_HEAD));
		CHECK(contains(&o, CO2));
		CHECK(contains(&o, "Training emissions"));
		CHECK(contains(&o, "Energy times carbon intensity, summed."));
	}
	if (have("/usr/bin/pdffonts")) {
		CHECK_INT(capture(&o, "/usr/bin/pdffonts '%s'", path), 0);
		/* Liberation Sans regular and bold, DejaVu Sans. */
		CHECK_INT(fonts_embedded(&o), 3);
		CHECK(contains(&o, "HPDFAA+"));
		CHECK(contains(&o, "CID TrueType"));
	}
	if (have("/usr/bin/pdfinfo")) {
		CHECK_INT(capture(&o, "/usr/bin/pdfinfo -isodates '%s'", path), 0);
		squeeze(&o, 1);
		CHECK(contains(&o, "\nPages:2\n"));
		CHECK(contains(&o, "Title:Emissionsreport\xE2\x80\x93" "CO\xE2\x82\x82\n"));
		CHECK(contains(&o, "\nAuthor:ecoreporttests\n"));
		CHECK(contains(&o, "\nCreationDate:2025-03-01T00:00:00Z\n"));
		CHECK(contains(&o, "\nModDate:2025-03-01T00:00:00Z\n"));
		CHECK(contains(&o, "\nPagesize:400x300pts"));
	}
	er_buf_free(&o);
	unlink(path);
}

/* libharu draws each run with its own width table (1/1000 em, rounded);
 * the scenes' advances come from the text stage. Returns the worst
 * relative difference among runs in Liberation fonts, and prints it. */
static double check_widths(er_scene *const *pages, size_t npages, er_text *t)
{
	double worst = 0, worst_other = 0;
	const char *worst_text = "";
	size_t p, i;

	for (p = 0; p < npages; p++)
		for (i = 0; i < pages[p]->nitems; i++) {
			const er_item *it = &pages[p]->items[i];
			const er_scene_font *f;
			double w = 0, rel;
			if (it->kind != ER_ITEM_TEXT)
				continue;
			f = &pages[p]->fonts[it->font];
			CHECK_INT(er_haru_text_width(t, f->family, f->bold, f->italic, it->size,
			                             it->text, NULL, &w),
			          ER_OK);
			CHECK(it->advance > 0);
			rel = fabs(w - it->advance) / it->advance;
			if (strncmp(f->family, "Liberation", 10) == 0) {
				CHECK(rel <= 0.01);
				if (rel >= worst) {
					worst = rel;
					worst_text = it->text;
				}
			} else if (rel > worst_other) {
				worst_other = rel;
			}
		}
	printf("text width, libharu vs text stage: worst %.4f%% (\"%s\") in Liberation, %.4f%% in "
	       "DejaVu\n",
	       worst * 100, worst_text, worst_other * 100);
	return worst;
}

static void test_document(er_text *t, recorder *rec)
{
	er_scene *pages[2];
	er_buf a = ER_BUF_INIT, b = ER_BUF_INIT;
	er_diag_sink sink = {record, rec, 0, 0};

	pages[0] = page_one(t);
	pages[1] = page_two(t);
	CHECK(pages[0] != NULL && pages[1] != NULL);
	if (pages[0] == NULL || pages[1] == NULL)
		goto done;
	CHECK_INT(render_doc(pages, 2, t, &sink, &a), ER_OK);
	CHECK(a.len > 8 && memcmp(a.data, "%PDF-1.", 7) == 0);
	CHECK(contains(&a, "/CreationDate (D:20250301000000Z00'00')"));
	CHECK(contains(&a, "/PageMode /UseOutlines"));
	/* Same inputs, same bytes. */
	CHECK_INT(render_doc(pages, 2, t, &sink, &b), ER_OK);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	check_tools(&a);
	check_widths(pages, 2, t);

	/* Without an epoch no date is written at all. */
	er_buf_clear(&b);
	{
		er_pdf_meta m = META;
		m.epoch = -1;
		CHECK_INT(er_haru_render((const er_scene *const *)pages, 1, NULL, 0, &m, t, &sink,
		                         &b),
		          ER_OK);
		CHECK(!contains(&b, "CreationDate"));
		CHECK(!contains(&b, "/PageMode"));
	}
	/* No metadata at all. */
	er_buf_clear(&b);
	CHECK_INT(er_haru_render((const er_scene *const *)pages, 2, NULL, 0, NULL, t, &sink, &b),
	          ER_OK);
	CHECK(b.len > 8 && memcmp(b.data, "%PDF-", 5) == 0);
	CHECK_INT(rec->count, 0);
done:
	er_buf_free(&a);
	er_buf_free(&b);
	er_scene_free(pages[0]);
	er_scene_free(pages[1]);
}

/* ---- pixels: cairo against libharu + poppler ---------------------------- */

typedef struct image {
	unsigned char *rgb;
	int w, h;
} image;

/* Decodes a PNG (from memory, or from a file when b is NULL) to RGB. */
static int decode(const er_buf *b, const char *file, image *out)
{
	png_image img;
	int ok;

	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	out->rgb = NULL;
	ok = b != NULL ? png_image_begin_read_from_memory(&img, b->data, b->len)
	               : png_image_begin_read_from_file(&img, file);
	if (!ok)
		return 0;
	img.format = PNG_FORMAT_RGB;
	out->rgb = malloc(PNG_IMAGE_SIZE(img));
	if (out->rgb == NULL || !png_image_finish_read(&img, NULL, out->rgb, 0, NULL)) {
		png_image_free(&img);
		free(out->rgb);
		out->rgb = NULL;
		return 0;
	}
	out->w = (int)img.width;
	out->h = (int)img.height;
	return 1;
}

static void write_png(const char *dir, const char *name, const image *im)
{
	char path[512];
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = (png_uint_32)im->w;
	img.height = (png_uint_32)im->h;
	img.format = PNG_FORMAT_RGB;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	CHECK(png_image_write_to_file(&img, path, 0, im->rgb, 0, NULL));
}

/* The two images and their differences (red) over a faded cairo image. */
static void keep_pixels(const char *dir, const image *a, const image *b)
{
	image d = {malloc((size_t)a->w * (size_t)a->h * 3), a->w, a->h};
	long i;
	if (d.rgb == NULL)
		return;
	for (i = 0; i < (long)a->w * a->h; i++) {
		const unsigned char *p = a->rgb + i * 3, *q = b->rgb + i * 3;
		unsigned char *o = d.rgb + i * 3;
		if (abs(p[0] - q[0]) > 48 || abs(p[1] - q[1]) > 48 || abs(p[2] - q[2]) > 48) {
			o[0] = 255;
			o[1] = o[2] = 0;
		} else {
			o[0] = o[1] = o[2] = (unsigned char)(192 + (p[0] + p[1] + p[2]) / 12);
		}
	}
	write_png(dir, "cairo.png", a);
	write_png(dir, "haru.png", b);
	write_png(dir, "diff.png", &d);
	free(d.rgb);
}

/* A chart as layout draws one: title, grid, bars, a translucent band, axis,
 * labels (three faces), values. */
static er_scene *chart_scene(er_text *t)
{
	static const double values[] = {502, 284, 25, 19, 433};
	static const char *const names[] = {"GPT-3", "Gopher", "OPT", "BLOOM", "LLaMA"};
	er_scene *s = er_scene_new(480, 300);
	int regular, bold, dejavu;
	size_t i;
	char num[32];

	if (s == NULL)
		return NULL;
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 0, 0, &regular), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 1, 0, &bold), ER_OK);
	CHECK_INT(er_scene_add_font(s, "DejaVu Sans", 0, 0, &dejavu), ER_OK);
	add_text(s, t, "title", 24, 32, bold, 16, INK, "Training emissions (t CO\xE2\x82\x82" "e)");
	for (i = 0; i <= 5; i++) {
		double y = 250.5 - 40.0 * (double)i;
		CHECK_INT(er_scene_line(s, "grid", 60, y, 460, y, 1, GRID), ER_OK);
		snprintf(num, sizeof num, "%zu", i * 100);
		add_text(s, t, "tick-label", 30, y + 4, regular, 9, GREY, num);
	}
	CHECK_INT(er_scene_rect(s, "band", 60, 130, 400, 40, VEIL), ER_OK);
	for (i = 0; i < 5; i++) {
		double h = values[i] * 0.4, x = 80 + 76.0 * (double)i;
		CHECK_INT(er_scene_rect(s, "bar", x, 250 - h, 48, h, i == 3 ? BAR2 : BAR), ER_OK);
		snprintf(num, sizeof num, "%.0f", values[i]);
		add_text(s, t, "value-label", x + 8, 250 - h - 5, dejavu, 10, INK, num);
		add_text(s, t, "label", x + 4, 266, regular, 10, GREY, names[i]);
	}
	CHECK_INT(er_scene_line(s, "axis", 60, 250, 460, 250, 1.5, INK), ER_OK);
	add_text(s, t, "source", 24, 290, regular, 8, GREY,
	         "Source: Luccioni et al., 2022 \xC3\x97 1");
	return s;
}

/* The same chart in Chinese, as the fallback draws it: Liberation Sans
 * for Latin and digits, WenQuanYi Micro Hei for the ideographs, which the
 * PDF draws as outlines (libharu's subsetter loses CJK glyphs). */
static er_scene *chinese_scene(er_text *t)
{
	static const double values[] = {502, 284, 25, 19, 433};
	static const char *const names[] = {"GPT-3", "\u9ad8\u4f5b", "OPT", "BLOOM \u6a21\u578b",
	                                    "\u6587\u5fc3"};
	er_scene *s = er_scene_new(480, 300);
	int regular, bold;
	size_t i;
	char num[32];

	if (s == NULL)
		return NULL;
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 0, 0, &regular), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 1, 0, &bold), ER_OK);
	/* The string that showed two ideographs of nine through libharu alone. */
	add_text(s, t, "title", 24, 32, bold, 18, INK,
	         "\u4eba\u5de5\u667a\u80fd\u7684\u73af\u5883\u5f71\u54cd\uff08\u5428\uff09");
	for (i = 0; i < 5; i++) {
		double h = values[i] * 0.4, x = 80 + 76.0 * (double)i;
		CHECK_INT(er_scene_rect(s, "bar", x, 250 - h, 48, h, BAR), ER_OK);
		snprintf(num, sizeof num, "%.0f", values[i]);
		add_text(s, t, "value-label", x + 8, 250 - h - 5, regular, 10, INK, num);
		add_text(s, t, "label", x + 2, 266, regular, 10, GREY, names[i]);
	}
	add_text(s, t, "source", 24, 290, regular, 8, GREY,
	         "\u6765\u6e90\uff1aLuccioni \u7b49\uff0c2022");
	return s;
}

/* Whether the bytes (a PDF: NULs included) hold the text s. */
static int has_bytes(const er_buf *b, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; b->data != NULL && i + n <= b->len; i++)
		if (memcmp(b->data + i, s, n) == 0)
			return 1;
	return 0;
}

/* Dark pixels (any channel below 128) in rows y0..y1 of an image. */
static long ink(const image *im, int y0, int y1)
{
	long n = 0;
	int x, y;

	for (y = y0; y < y1 && y < im->h; y++)
		for (x = 0; x < im->w; x++) {
			const unsigned char *p = im->rgb + ((size_t)y * im->w + x) * 3;
			n += p[0] < 128 || p[1] < 128 || p[2] < 128;
		}
	return n;
}

/* A scene drawn by cairo (PNG) and by libharu (PDF, rasterised by
 * pdftoppm) must look the same: at most 2% of the pixels differ by more
 * than 48 in a channel, and the title rows hold as much ink (within 10%),
 * which a lost glyph would not. */
static void test_pixels(er_text *t, er_scene *s, const char *what)
{
	const er_scene *pages[1];
	er_render_opts opts = {ER_OUT_PNG, 1, -1, 0};
	er_buf png = ER_BUF_INIT, pdf = ER_BUF_INIT;
	image a = {NULL, 0, 0}, b = {NULL, 0, 0};
	char path[256], prefix[300], raster[320];
	long differ = 0, total, i;

	if (s == NULL || !have("/usr/bin/pdftoppm")) {
		if (s != NULL)
			printf("pixel comparison skipped: no pdftoppm\n");
		er_scene_free(s);
		return;
	}
	pages[0] = s;
	CHECK_INT(er_cairo_render(s, t, &opts, &png), ER_OK);
	CHECK_INT(er_haru_render(pages, 1, NULL, 0, NULL, t, NULL, &pdf), ER_OK);
	/* Ideographs go in as outlines, each glyph a form drawn where it occurs. */
	if (strcmp(what, "chinese") == 0)
		CHECK(has_bytes(&pdf, "/Subtype /Form"));
	else
		CHECK(!has_bytes(&pdf, "/Subtype /Form"));
	if (!temp_path(path, sizeof path))
		goto done;
	snprintf(prefix, sizeof prefix, "%s.ras", path);
	snprintf(raster, sizeof raster, "%s.png", prefix);
	CHECK(write_file(path, &pdf));
	{
		er_buf o = ER_BUF_INIT;
		CHECK_INT(capture(&o, "/usr/bin/pdftoppm -r 72 -png -singlefile '%s' '%s' 2>&1",
		                  path, prefix),
		          0);
		er_buf_free(&o);
	}
	CHECK(decode(&png, NULL, &a));
	CHECK(decode(NULL, raster, &b));
	unlink(raster);
	unlink(path);
	if (a.rgb == NULL || b.rgb == NULL)
		goto done;
	CHECK_INT(a.w, 480);
	CHECK_INT(a.h, 300);
	CHECK_INT(b.w, a.w);
	CHECK_INT(b.h, a.h);
	if (a.w != b.w || a.h != b.h)
		goto done;
	total = (long)a.w * a.h;
	for (i = 0; i < total; i++) {
		const unsigned char *p = a.rgb + i * 3, *q = b.rgb + i * 3;
		if (abs(p[0] - q[0]) > 48 || abs(p[1] - q[1]) > 48 || abs(p[2] - q[2]) > 48)
			differ++;
	}
	/* For a look: ER_HARU_KEEP_PIXELS=DIR writes cairo.png, haru.png, diff.png. */
	if (getenv("ER_HARU_KEEP_PIXELS") != NULL)
		keep_pixels(getenv("ER_HARU_KEEP_PIXELS"), &a, &b);
	printf("%s: pixels differing by more than 48 (cairo PNG vs libharu PDF via pdftoppm): "
	       "%ld of %ld (%.3f%%); title ink %ld vs %ld\n",
	       what, differ, total, 100.0 * (double)differ / (double)total, ink(&a, 10, 40),
	       ink(&b, 10, 40));
	CHECK((double)differ <= 0.02 * (double)total);
	CHECK(ink(&a, 10, 40) > 200);
	CHECK(labs(ink(&a, 10, 40) - ink(&b, 10, 40)) <= ink(&a, 10, 40) / 10);
	/* The translucent band over white is 40% red both ways: (255, 153, 153). */
	if (strcmp(what, "latin") == 0) {
		const unsigned char *p = a.rgb + ((size_t)150 * 480 + 70) * 3;
		const unsigned char *q = b.rgb + ((size_t)150 * 480 + 70) * 3;
		CHECK(p[0] == 255 && abs(p[1] - 153) <= 2 && abs(p[2] - 153) <= 2);
		CHECK(q[0] == 255 && abs(q[1] - 153) <= 2 && abs(q[2] - 153) <= 2);
	}
done:
	free(a.rgb);
	free(b.rgb);
	er_buf_free(&png);
	er_buf_free(&pdf);
	er_scene_free(s);
}

/* ---- errors and edges --------------------------------------------------- */

static er_scene *one_font_scene(const char *family, const char *text)
{
	er_scene *s = er_scene_new(200, 100);
	int f;
	if (s == NULL)
		return NULL;
	CHECK_INT(er_scene_add_font(s, family, 0, 0, &f), ER_OK);
	CHECK_INT(er_scene_text(s, "label", 10, 50, f, 12, INK, text, strlen(text), 50), ER_OK);
	return s;
}

static void test_errors(er_text *t, recorder *rec)
{
	er_diag_sink sink = {record, rec, 0, 0};
	er_buf out = ER_BUF_INIT;
	er_scene *s;
	const er_scene *pages[1];
	int id;

	/* What a failed render leaves: what was in the buffer before. */
	CHECK_INT(er_buf_puts(&out, "keep"), ER_OK);

	/* A font that is not installed: ER_ERR_DATA, through t's sink. */
	s = one_font_scene("No Such Family Sans", "x");
	pages[0] = s;
	rec->count = 0;
	CHECK_INT(er_haru_render(pages, 1, NULL, 0, NULL, t, &sink, &out), ER_ERR_DATA);
	CHECK(rec->count >= 1 && strstr(rec->last, "not installed") != NULL);
	CHECK_INT(out.len, 4);
	CHECK_STR(out.data, "keep");
	er_scene_free(s);

	/* A CFF-based OpenType font: libharu cannot embed it. */
	if (er_text_font(t, "Nimbus Sans", 0, 0, &id) == ER_OK) {
		s = one_font_scene("Nimbus Sans", "x");
		pages[0] = s;
		rec->count = 0;
		CHECK_INT(er_haru_render(pages, 1, NULL, 0, NULL, t, &sink, &out), ER_ERR_DATA);
		CHECK(strstr(rec->last, "no TrueType outlines") != NULL);
		CHECK(strstr(rec->last, "0x1060") != NULL);
		CHECK_INT(out.len, 4);
		er_scene_free(s);
	} else {
		printf("CFF font check skipped: Nimbus Sans not installed\n");
	}

	/* An error inside libharu: a string longer than PDF allows (65535). */
	s = er_scene_new(100, 100);
	CHECK(s != NULL);
	if (s != NULL) {
		char *uri = malloc(70001);
		CHECK(uri != NULL);
		if (uri != NULL) {
			memset(uri, 'a', 70000);
			uri[70000] = '\0';
			CHECK_INT(er_scene_link(s, 0, 0, 10, 10, uri), ER_OK);
			pages[0] = s;
			rec->count = 0;
			CHECK_INT(er_haru_render(pages, 1, NULL, 0, NULL, t, &sink, &out),
			          ER_ERR_INTERNAL);
			CHECK_INT(rec->count, 1);
			CHECK(strncmp(rec->last, "libharu error 0x", 16) == 0);
			CHECK(strstr(rec->last, "while adding link 1 of page 1") != NULL);
			CHECK_INT(out.len, 4);
			free(uri);
		}
		er_scene_free(s);
	}

	/* No pages; a page larger than PDF allows; an outline off the end. */
	rec->count = 0;
	CHECK_INT(er_haru_render(NULL, 0, NULL, 0, NULL, t, &sink, &out), ER_ERR_INTERNAL);
	s = er_scene_new(20000, 100);
	pages[0] = s;
	CHECK(s != NULL);
	if (s != NULL) {
		er_outline o = {"x", 0, 1, 0};
		CHECK_INT(er_haru_render(pages, 1, NULL, 0, NULL, t, &sink, &out), ER_ERR_LIMIT);
		CHECK(strstr(rec->last, "20000 x 100 pt") != NULL);
		s->width = 100;
		CHECK_INT(er_haru_render(pages, 1, &o, 1, NULL, t, &sink, &out), ER_ERR_INTERNAL);
		CHECK(strstr(rec->last, "outline entry 1") != NULL);
		CHECK_INT(er_scene_rect(s, "bar", 0, 0, NAN, 1, BAR), ER_OK);
		CHECK_INT(er_haru_render(pages, 1, NULL, 0, NULL, t, &sink, &out), ER_ERR_INTERNAL);
		CHECK(strstr(rec->last, "item 1 (bar)") != NULL);
	}
	er_scene_free(s);
	CHECK_INT(out.len, 4);
	er_buf_free(&out);
}

static void test_edges(er_text *t)
{
	er_scene *s = er_scene_new(1400, 900);
	const er_scene *pages[1];
	er_buf out = ER_BUF_INIT, o = ER_BUF_INIT;
	er_outline deep[] = {{"a", 0, 0, 0}, {"b", 3, 0, 10}, {"c", -1, 0, 2000}};
	int f, cjk = -1, id;
	char path[256];
	static const char bad[] = "ok \xFF\xFE end";
	static const char astral[] = "leaf \xF0\x9F\x8C\xBF";

	if (s == NULL)
		return;
	pages[0] = s;
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 0, 0, &f), ER_OK);
	/* Above libharu's 600 pt limit, drawn through the text matrix. */
	add_text(s, t, "huge", 10, 700, f, 700, INK, "Hg");
	/* Invalid UTF-8 and a code point above U+FFFF. */
	add_text(s, t, "label", 10, 780, f, 12, INK, bad);
	add_text(s, t, "label", 10, 800, f, 12, INK, astral);
	/* Wider than 100 pt, invisible, zero-width, empty. */
	CHECK_INT(er_scene_line(s, "wide", 600, 100, 900, 100, 150, BAR), ER_OK);
	CHECK_INT(er_scene_line(s, "none", 600, 300, 900, 300, 0, BAR), ER_OK);
	CHECK_INT(er_scene_rect(s, "clear", 0, 0, 10, 10, ((er_color){0, 0, 0, 0})), ER_OK);
	CHECK_INT(er_scene_text(s, "empty", 0, 0, f, 10, INK, "", 0, 0), ER_OK);
	CHECK_INT(er_scene_line(s, "half", 600, 400, 900, 400, 2, ((er_color){0, 0, 1, 0.5})),
	          ER_OK);
	/* A face from a TrueType collection (.ttc). */
	if (er_text_font(t, "WenQuanYi Micro Hei", 0, 0, &id) == ER_OK) {
		CHECK_INT(er_scene_add_font(s, "WenQuanYi Micro Hei", 0, 0, &cjk), ER_OK);
		add_text(s, t, "label", 10, 850, cjk, 14, INK, CJK);
	} else {
		printf(".ttc check skipped: WenQuanYi Micro Hei not installed\n");
	}
	CHECK_INT(er_haru_render(pages, 1, deep, 3, NULL, t, NULL, &out), ER_OK);
	if (out.len > 0 && temp_path(path, sizeof path)) {
		CHECK(write_file(path, &out));
		if (have("/usr/bin/qpdf"))
			CHECK_INT(capture(&o, "/usr/bin/qpdf --check '%s' 2>&1", path), 0);
		if (have("/usr/bin/pdftotext")) {
			CHECK_INT(capture(&o, "/usr/bin/pdftotext -q -enc UTF-8 '%s' -", path), 0);
			CHECK(contains(&o, "Hg"));
			CHECK(contains(&o, "ok \xEF\xBF\xBD\xEF\xBF\xBD end"));
			if (cjk >= 0)
				CHECK(contains(&o, CJK));
		}
		if (have("/usr/bin/pdffonts")) {
			CHECK_INT(capture(&o, "/usr/bin/pdffonts '%s'", path), 0);
			CHECK_INT(fonts_embedded(&o), cjk >= 0 ? 2 : 1);
		}
		unlink(path);
	}
	er_buf_free(&o);
	er_buf_free(&out);
	er_scene_free(s);
}

int main(void)
{
	recorder rec = {0, ""};
	er_diag_sink sink = {record, &rec, 0, 0};
	er_text *t = NULL;

	CHECK_INT(er_text_new(&sink, &t), ER_OK);
	if (t == NULL)
		return test_done("test_haru");
	test_document(t, &rec);
	test_pixels(t, chart_scene(t), "latin");
	if (er_text_font(t, "WenQuanYi Micro Hei", 0, 0, &(int){0}) == ER_OK)
		test_pixels(t, chinese_scene(t), "chinese");
	else
		printf("chinese pixel comparison skipped: WenQuanYi Micro Hei not installed\n");
	test_errors(t, &rec);
	test_edges(t);
	er_text_free(t);
	return test_done("test_haru");
}
