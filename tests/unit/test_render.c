/* Unit tests: the renderers (cairo PNG and PDF, hand-written SVG) on small
 * hand-made scenes: file structure, metadata, pixels, determinism.
 *
 * With ER_RENDER_BENCH=1 in the environment it also times a chart-sized
 * scene (8 bars, labels, title) as a 1200x675 PNG. */
#include <cairo/cairo.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "render/cairo/png_deflate.h"
#include "render/cairo/png_write.h"
#include "render/render.h"
#include "test.h"
#include "test_scene.h"

static const er_color BAR = {31 / 255.0, 78 / 255.0, 121 / 255.0, 1}; /* #1f4e79 */
static const er_color GRID = {217 / 255.0, 217 / 255.0, 217 / 255.0, 1};
static const er_color INK = {0, 0, 0, 1};

/* "CO₂ – × é 1,287": subscript, en dash, multiplication sign, accent. */
static const char CO2[] = "CO\xE2\x82\x82 \xE2\x80\x93 \xC3\x97 \xC3\xA9 1,287";

/* ---- helpers ------------------------------------------------------------ */

static er_text *text_registry(er_diag_sink *sink)
{
	er_text *t = NULL;
	if (er_text_new(sink, &t) != ER_OK)
		return NULL;
	return t;
}

/* A 200 x 100 pt scene: a bar, a grid line, text in three faces. */
static er_scene *small_scene(er_text *t)
{
	er_scene *s = er_scene_new(200, 100);
	int regular, bold, dejavu;
	if (s == NULL)
		return NULL;
	CHECK_INT(er_scene_set_meta(s, &s->title, "Test chart"), ER_OK);
	CHECK_INT(er_scene_set_meta(s, &s->alt, "A bar of 1,287 tonnes & a line"), ER_OK);
	CHECK_INT(er_scene_set_meta(s, &s->source, "Luccioni et al., 2022"), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 0, 0, &regular), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 1, 0, &bold), ER_OK);
	CHECK_INT(er_scene_add_font(s, "DejaVu Sans", 0, 0, &dejavu), ER_OK);
	CHECK_INT(er_scene_rect(s, "bar", 20, 20, 60, 40, BAR), ER_OK);
	CHECK_INT(er_scene_line(s, "grid", 10, 90.5, 190, 90.5, 1, GRID), ER_OK);
	add_text(s, t, "title", 90, 16, bold, 12, INK, "Hello chart");
	add_text(s, t, "label", 90, 40, regular, 10, INK, "a < b & \"c\"");
	add_text(s, t, "value-label", 90, 70, dejavu, 11, INK, CO2);
	return s;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The data of the first chunk of `type` (and its length), or NULL. */
static const unsigned char *png_chunk(const er_buf *b, const char *type, uint32_t *len)
{
	const unsigned char *p = (const unsigned char *)b->data;
	size_t off = 8;
	while (off + 12 <= b->len) {
		uint32_t n = be32(p + off);
		if (off + 12 + n > b->len)
			return NULL;
		if (memcmp(p + off + 4, type, 4) == 0) {
			*len = n;
			return p + off + 8;
		}
		off += 12 + n;
	}
	return NULL;
}

/* Whether a tEXt (or iTXt) chunk has keyword key and its text starts with want. */
static int png_has_text(const er_buf *b, const char *chunk, const char *key, const char *want)
{
	const unsigned char *p = (const unsigned char *)b->data;
	size_t off = 8, klen = strlen(key), wlen = strlen(want);
	while (off + 12 <= b->len) {
		uint32_t n = be32(p + off);
		const unsigned char *d = p + off + 8;
		if (off + 12 + n > b->len)
			return 0;
		if (memcmp(p + off + 4, chunk, 4) == 0 && n > klen && memcmp(d, key, klen) == 0 &&
		    d[klen] == 0) {
			/* tEXt: key NUL text; iTXt: key NUL flag method lang NUL tkey NUL text. */
			size_t t = klen + 1;
			if (chunk[0] == 'i') {
				t += 2;
				while (t < n && d[t] != 0)
					t++;
				t++;
				while (t < n && d[t] != 0)
					t++;
				t++;
			}
			if (t + wlen <= n && memcmp(d + t, want, wlen) == 0)
				return 1;
		}
		off += 12 + n;
	}
	return 0;
}

typedef struct decoded {
	unsigned char *rgb;
	int w, h;
} decoded;

/* Decodes a PNG back to 8-bit RGB with libpng's simplified API; pixels
 * with alpha are composited onto white (the buffer's initial contents). */
static int png_decode(const er_buf *b, decoded *out)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	out->rgb = NULL;
	if (!png_image_begin_read_from_memory(&img, b->data, b->len))
		return 0;
	img.format = PNG_FORMAT_RGB;
	out->rgb = malloc(PNG_IMAGE_SIZE(img));
	if (out->rgb != NULL)
		memset(out->rgb, 0xff, PNG_IMAGE_SIZE(img));
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

static uint32_t pixel(const decoded *d, int x, int y)
{
	const unsigned char *p = d->rgb + ((size_t)y * (size_t)d->w + (size_t)x) * 3;
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* Pixels in the box (points, at `scale`) that differ from the background. */
static int inked(const decoded *d, double scale, double x0, double y0, double x1, double y1,
                 uint32_t bg)
{
	int x, y, n = 0;
	for (y = (int)(y0 * scale); y < (int)(y1 * scale) && y < d->h; y++)
		for (x = (int)(x0 * scale); x < (int)(x1 * scale) && x < d->w; x++)
			if (pixel(d, x, y) != bg)
				n++;
	return n;
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

static int contains(const er_buf *b, const char *s)
{
	size_t n = strlen(s), i;
	for (i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, s, n) == 0)
			return 1;
	return 0;
}

static er_status render(const er_scene *s, er_text *t, er_format_out fmt, double scale,
                        long long epoch, er_buf *out)
{
	er_render_opts o = {ER_OUT_PNG, 1, -1, 0};
	o.format = fmt;
	o.scale = scale;
	o.epoch = epoch;
	er_buf_clear(out);
	return er_cairo_render(s, t, &o, out);
}

/* ---- PNG ---------------------------------------------------------------- */

/* A PNG drawn band by band is the PNG drawn whole, byte for byte: text
 * (a CJK fallback among it) whose ink crosses band edges from above and
 * below, baselines on half pixels, a diagonal line, rectangles with
 * fractional edges, at scales that put them anywhere on the pixel grid. */
static void test_png_bands(er_text *t)
{
	static const int bands[] = {1, 2, 5, 17, 0};
	static const double scales[] = {1, 1.37, 2};
	er_scene *s = er_scene_new(160, 90);
	er_buf whole = ER_BUF_INIT, part = ER_BUF_INIT;
	int regular, bold;
	size_t i, k;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 0, 0, &regular), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 1, 0, &bold), ER_OK);
	CHECK_INT(er_scene_rect(s, "bar", 10.3, 7.25, 70.6, 33.4, BAR), ER_OK);
	CHECK_INT(er_scene_line(s, "grid", 5, 88.5, 150, 3.2, 1.3, GRID), ER_OK);
	add_text(s, t, "title", 4, 10.5, bold, 14, INK, "Hg\u00c9 jy \u00e9t\u00e9 \u4e8c\u6c27\u5316\u78b3");
	add_text(s, t, "label", 30.25, 47.5, regular, 23, INK, "Qjg|\u00c5 1,287");
	add_text(s, t, "label", 2, 89, regular, 9, INK, "bottom edge g");
	add_text(s, t, "label", 60, 66.3, bold, 31.7, INK, "\u00c2y");
	for (k = 0; k < sizeof scales / sizeof scales[0]; k++) {
		er_render_opts o = {ER_OUT_PNG, 1, -1, 0};
		o.scale = scales[k];
		o.band_rows = 100000; /* one band: the whole image */
		er_buf_clear(&whole);
		CHECK_INT(er_cairo_render(s, t, &o, &whole), ER_OK);
		for (i = 0; i < sizeof bands / sizeof bands[0]; i++) {
			o.band_rows = bands[i];
			er_buf_clear(&part);
			CHECK_INT(er_cairo_render(s, t, &o, &part), ER_OK);
			CHECK(part.len == whole.len && memcmp(part.data, whole.data, whole.len) == 0);
		}
	}
	er_buf_free(&whole);
	er_buf_free(&part);
	er_scene_free(s);
}

static void test_png(er_text *t)
{
	er_scene *s = small_scene(t);
	er_buf a = ER_BUF_INIT, b = ER_BUF_INIT;
	const unsigned char *ch;
	uint32_t len = 0;
	decoded d;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(render(s, t, ER_OUT_PNG, 1, -1, &a), ER_OK);
	CHECK(a.len > 8 && memcmp(a.data, "\x89PNG\r\n\x1a\n", 8) == 0);
	ch = png_chunk(&a, "IHDR", &len);
	CHECK(ch != NULL && len == 13);
	if (ch != NULL) {
		CHECK_INT(be32(ch), 200);
		CHECK_INT(be32(ch + 4), 100);
		CHECK_INT(ch[8], 8); /* bit depth */
		CHECK_INT(ch[9], 2); /* RGB: the background is opaque */
	}
	ch = png_chunk(&a, "pHYs", &len);
	CHECK(ch != NULL && len == 9);
	if (ch != NULL) {
		CHECK_INT(be32(ch), 2835); /* 72 dpi */
		CHECK_INT(be32(ch + 4), 2835);
		CHECK_INT(ch[8], 1); /* unit: metre */
	}
	CHECK(png_has_text(&a, "tEXt", "Title", "Test chart"));
	CHECK(png_has_text(&a, "tEXt", "Source", "Luccioni et al., 2022"));
	CHECK(png_has_text(&a, "tEXt", "Description", "A bar of 1,287 tonnes & a line"));
	CHECK(png_has_text(&a, "tEXt", "Software", "ecoreport"));
	CHECK(png_chunk(&a, "tIME", &len) == NULL);
	CHECK(png_chunk(&a, "IEND", &len) != NULL);

	/* Pixels: the bar's centre is exactly its colour, text left ink. */
	CHECK(png_decode(&a, &d));
	if (d.rgb != NULL) {
		CHECK_INT(d.w, 200);
		CHECK_INT(pixel(&d, 50, 40), 0x1f4e79);
		CHECK_INT(pixel(&d, 5, 5), 0xffffff);
		CHECK_INT(pixel(&d, 100, 90), 0xd9d9d9); /* the 1 pt grid line at y 90..91 */
		CHECK(inked(&d, 1, 90, 6, 150, 17, 0xffffff) > 20);  /* "Hello chart" */
		CHECK(inked(&d, 1, 90, 60, 170, 71, 0xffffff) > 20); /* CO₂ ... */
		free(d.rgb);
	}

	/* Determinism. */
	CHECK_INT(render(s, t, ER_OUT_PNG, 1, -1, &b), ER_OK);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);

	/* @2x: twice the pixels, twice the density, same picture. */
	CHECK_INT(render(s, t, ER_OUT_PNG, 2, -1, &a), ER_OK);
	ch = png_chunk(&a, "IHDR", &len);
	CHECK(ch != NULL);
	if (ch != NULL) {
		CHECK_INT(be32(ch), 400);
		CHECK_INT(be32(ch + 4), 200);
	}
	ch = png_chunk(&a, "pHYs", &len);
	CHECK(ch != NULL);
	if (ch != NULL)
		CHECK_INT(be32(ch), 5669); /* 144 dpi */
	CHECK(png_decode(&a, &d));
	if (d.rgb != NULL) {
		CHECK_INT(pixel(&d, 100, 80), 0x1f4e79);
		CHECK(inked(&d, 2, 90, 6, 150, 17, 0xffffff) > 80);
		free(d.rgb);
	}
	CHECK_INT(render(s, t, ER_OUT_PNG, 2, -1, &b), ER_OK);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);

	/* A fractional size rounds up to whole pixels. */
	s->width = 100.25;
	CHECK_INT(render(s, t, ER_OUT_PNG, 1, -1, &a), ER_OK);
	ch = png_chunk(&a, "IHDR", &len);
	CHECK(ch != NULL && be32(ch) == 101);

	/* A non-ASCII title goes to iTXt (tEXt is Latin-1 only). */
	CHECK_INT(er_scene_set_meta(s, &s->title, CO2), ER_OK);
	CHECK_INT(render(s, t, ER_OUT_PNG, 1, -1, &a), ER_OK);
	CHECK(png_has_text(&a, "iTXt", "Title", CO2));
	CHECK(!png_has_text(&a, "tEXt", "Title", ""));

	/* A translucent background keeps its alpha: RGBA. */
	s->background.a = 0;
	CHECK_INT(render(s, t, ER_OUT_PNG, 1, -1, &a), ER_OK);
	ch = png_chunk(&a, "IHDR", &len);
	CHECK(ch != NULL && ch[9] == 6);
	CHECK(png_decode(&a, &d));
	if (d.rgb != NULL) {
		CHECK_INT(pixel(&d, 50, 40), 0x1f4e79); /* opaque bar, colour exact */
		free(d.rgb);
	}

	/* Bad options. */
	CHECK_INT(render(s, t, ER_OUT_PNG, -1, -1, &a), ER_ERR_USAGE);
	CHECK_INT(render(s, t, ER_OUT_PNG, 1000, -1, &a), ER_ERR_LIMIT);
	CHECK_INT(a.len, 0);
	CHECK_INT(render(s, t, ER_OUT_SVG, 1, -1, &a), ER_ERR_USAGE);

	er_buf_free(&a);
	er_buf_free(&b);
	er_scene_free(s);
}

/* The encoder alone, on pixels whose PNG is known. */
static void test_png_encoder(void)
{
	uint32_t px[2 * 2] = {0xff102030u, 0x80402010u, 0x00000000u, 0xffffffffu};
	er_png_image img = {(const unsigned char *)px, 2, 2, 8, 1};
	er_png_meta meta;
	er_buf b = ER_BUF_INIT;
	decoded d;
	png_image pi;
	unsigned char rgba[16];

	memset(&meta, 0, sizeof meta);
	meta.level = -1;
	meta.filters = -1;
	meta.strategy = -1;
	meta.title = "ctl\x01" "chars\nkept";
	CHECK_INT(er_png_write(&img, &meta, &b), ER_OK);
	CHECK(png_chunk(&b, "pHYs", &(uint32_t){0}) == NULL); /* ppi 0: none */
	CHECK(png_has_text(&b, "tEXt", "Title", "ctl chars\nkept"));
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	CHECK(png_image_begin_read_from_memory(&pi, b.data, b.len));
	pi.format = PNG_FORMAT_RGBA;
	CHECK(png_image_finish_read(&pi, NULL, rgba, 0, NULL));
	/* Un-premultiplied: 0x40/0x80 -> 0x80, 0x20/0x80 -> 0x40, 0x10/0x80 -> 0x20. */
	CHECK(memcmp(rgba, "\x10\x20\x30\xff" "\x80\x40\x20\x80" "\x00\x00\x00\x00" "\xff\xff\xff\xff",
	             16) == 0);

	/* Opaque pixels as RGB. */
	img.alpha = 0;
	er_buf_clear(&b);
	CHECK_INT(er_png_write(&img, &meta, &b), ER_OK);
	CHECK(png_decode(&b, &d));
	if (d.rgb != NULL) {
		CHECK_INT(pixel(&d, 0, 0), 0x102030);
		free(d.rgb);
	}

	/* Nonsense dimensions are refused, the buffer left alone. */
	img.stride = 4;
	er_buf_clear(&b);
	CHECK_INT(er_png_write(&img, &meta, &b), ER_ERR_INTERNAL);
	CHECK_INT(b.len, 0);
	er_buf_free(&b);
}

/* The stream fed band by band (as render_cairo.c draws a PNG) is the
 * stream of the whole image, byte for byte. Each band is copied to a
 * buffer of its own, so that a row compared with "the row above" across a
 * band's top edge must come from the deflater's copy, not from memory that
 * happens to precede it; the last band is fed whole, its rows beyond the
 * image filled with noise that must be ignored. */
static void bands_same(const er_png_image *img)
{
	static const int heights[] = {1, 2, 7, 64};
	er_buf whole = ER_BUF_INIT, part = ER_BUF_INIT;
	size_t k, row = (size_t)img->width * 4;

	if (!er_png_deflate_fits(img))
		return;
	CHECK_INT(er_png_deflate(img, &whole), ER_OK);
	for (k = 0; k < sizeof heights / sizeof heights[0]; k++) {
		int bh = heights[k], y, i;
		unsigned char *band = malloc((size_t)bh * row);
		er_png_deflater *d;
		er_buf_clear(&part);
		d = er_png_deflater_new(img->width, img->height, &part);
		CHECK(band != NULL && d != NULL);
		if (band == NULL || d == NULL) {
			free(band);
			er_png_deflater_free(d);
			continue;
		}
		for (y = 0; y < img->height; y += bh) {
			for (i = 0; i < bh; i++) {
				unsigned char *dst = band + (size_t)i * row;
				if (y + i < img->height)
					memcpy(dst, img->data + (size_t)(y + i) * (size_t)img->stride, row);
				else
					memset(dst, 0x5a ^ i, row);
			}
			er_png_deflater_rows(d, band, (int)row, bh);
		}
		er_png_deflater_end(d);
		CHECK(part.len == whole.len && memcmp(part.data, whole.data, whole.len) == 0);
		free(band);
	}
	er_buf_free(&whole);
	er_buf_free(&part);
}

/* The default encoder (png_deflate.c) round-trips every pixel: images it
 * meets (flat areas, repeated rows, runs of one colour) and ones it does
 * not (noise: literals), at the edges of its reach (one pixel; a row of
 * 32,767 bytes, deflate's farthest match) and just beyond (32,770 bytes:
 * zlib through libpng instead). Decoding goes through libpng and zlib,
 * which check the Adler-32 sum. */
static void round_trip(int w, int h, int kind)
{
	uint32_t *px = malloc((size_t)w * (size_t)h * 4), seed = 12345;
	er_png_image img = {(const unsigned char *)px, w, h, w * 4, 0};
	er_png_meta meta;
	er_buf b = ER_BUF_INIT;
	decoded d = {NULL, 0, 0};
	int x, y, bad = 0;

	if (px == NULL) {
		CHECK(!"out of memory");
		return;
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint32_t v = 0xffffff; /* white */
			seed = seed * 1103515245u + 12345u;
			if (kind == 1)
				v = seed >> 8; /* noise */
			else if (kind == 2 && x > w / 4 && x < w / 2 && y > h / 3)
				v = 0x1f4e79; /* a bar: equal rows */
			else if (kind == 2 && y % 7 == 3)
				v = (uint32_t)(x * 2654435761u) >> 8; /* a row of text-like noise */
			else if (kind == 3)
				v = (uint32_t)((x / 5) * 0x010203u) & 0xffffffu; /* runs, then equal rows */
			px[(size_t)y * (size_t)w + (size_t)x] = 0xff000000u | v;
		}
	memset(&meta, 0, sizeof meta);
	meta.level = meta.filters = meta.strategy = -1;
	CHECK_INT(er_png_write(&img, &meta, &b), ER_OK);
	CHECK(png_decode(&b, &d));
	if (d.rgb != NULL) {
		CHECK(d.w == w && d.h == h);
		for (y = 0; y < h && !bad; y++)
			for (x = 0; x < w && !bad; x++)
				bad = pixel(&d, x, y) != (px[(size_t)y * (size_t)w + (size_t)x] & 0xffffffu);
		CHECK(!bad);
		free(d.rgb);
	}
	er_buf_free(&b);
	bands_same(&img);
	free(px);
}

static void test_png_fast(void)
{
	round_trip(1, 1, 0);
	round_trip(1, 5, 2);
	round_trip(97, 13, 1);
	round_trip(300, 200, 2);
	round_trip(1200, 675, 2);
	round_trip(640, 40, 3);
	round_trip(10922, 3, 3);  /* rows of 32,767 bytes */
	round_trip(10923, 3, 3);  /* 32,770: through zlib */
	round_trip(513, 9, 1);
}

/* ---- PDF ---------------------------------------------------------------- */

static void test_pdf(er_text *t)
{
	er_scene *s = small_scene(t);
	er_buf a = ER_BUF_INIT, b = ER_BUF_INIT;
	char path[] = "/tmp/er_test_render_XXXXXX";
	int fd;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(render(s, t, ER_OUT_PDF, 1, 1680825600, &a), ER_OK); /* 2023-04-07 */
	CHECK(a.len > 5 && memcmp(a.data, "%PDF-", 5) == 0);
	CHECK(contains(&a, "(Test chart)"));
	CHECK(contains(&a, "(ecoreport)"));
	CHECK(contains(&a, "20230407000000"));
	CHECK_INT(render(s, t, ER_OUT_PDF, 1, 1680825600, &b), ER_OK);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);

	/* No epoch: the epoch itself, never the clock. */
	CHECK_INT(render(s, t, ER_OUT_PDF, 1, -1, &b), ER_OK);
	CHECK(contains(&b, "19700101000000"));

	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0) {
		close(fd);
		CHECK(write_file(path, &a));
		if (access("/usr/bin/pdftotext", X_OK) == 0) {
			char cmd[256], line[512];
			er_buf txt = ER_BUF_INIT;
			FILE *p;
			snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext -q -enc UTF-8 '%s' -", path);
			p = popen(cmd, "r");
			CHECK(p != NULL);
			if (p != NULL) {
				while (fgets(line, sizeof line, p) != NULL)
					CHECK_INT(er_buf_puts(&txt, line), ER_OK);
				CHECK_INT(pclose(p), 0);
			}
			CHECK(contains(&txt, "Hello chart"));
			CHECK(contains(&txt, "a < b & \"c\""));
			CHECK(contains(&txt, CO2));
			er_buf_free(&txt);
		}
		if (access("/usr/bin/pdfinfo", X_OK) == 0) {
			char cmd[256];
			snprintf(cmd, sizeof cmd,
			         "/usr/bin/pdfinfo -isodates '%s' | "
			         "grep -q '^CreationDate: *2023-04-07T00:00:00'",
			         path);
			CHECK_INT(system(cmd), 0);
		}
		unlink(path);
	}
	er_buf_free(&a);
	er_buf_free(&b);
	er_scene_free(s);
}

/* ---- SVG ---------------------------------------------------------------- */

static void check_xml(const er_buf *b)
{
	char path[] = "/tmp/er_test_render_XXXXXX";
	char cmd[256];
	int fd;

	if (system("command -v python3 >/dev/null 2>&1") != 0)
		return;
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	CHECK(write_file(path, b));
	snprintf(cmd, sizeof cmd,
	         "python3 -c 'import xml.etree.ElementTree as E,sys; E.parse(sys.argv[1])' '%s'", path);
	CHECK_INT(system(cmd), 0);
	unlink(path);
}

static void test_svg(er_text *t)
{
	er_scene *s = small_scene(t);
	er_buf a = ER_BUF_INIT, b = ER_BUF_INIT;
	int f;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(er_svg_render(s, NULL, &a), ER_OK);
	CHECK(strncmp(a.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
	CHECK(contains(&a, " width=\"200pt\" height=\"100pt\" viewBox=\"0 0 200 100\">\n"
	                   "<title>Test chart</title>\n"
	                   "<desc>A bar of 1,287 tonnes &amp; a line</desc>\n"
	                   "<rect class=\"background\" x=\"0\" y=\"0\" width=\"200\" height=\"100\" "
	                   "fill=\"#ffffff\"/>\n"));
	CHECK(contains(&a, "<rect class=\"bar\" x=\"20\" y=\"20\" width=\"60\" height=\"40\" "
	                   "fill=\"#1f4e79\"/>\n"));
	CHECK(contains(&a, "<line class=\"grid\" x1=\"10\" y1=\"90.5\" x2=\"190\" y2=\"90.5\" "
	                   "stroke=\"#d9d9d9\" stroke-width=\"1\" stroke-linecap=\"butt\"/>\n"));
	CHECK(contains(&a, "<text class=\"title\" x=\"90\" y=\"16\" font-family=\"Liberation Sans\" "
	                   "font-size=\"12\" font-weight=\"bold\" fill=\"#000000\" textLength=\""));
	CHECK(contains(&a, "font-weight=\"normal\""));
	CHECK(contains(&a, "lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\">"
	                   "a &lt; b &amp; &quot;c&quot;</text>\n"));
	CHECK(contains(&a, CO2));
	CHECK(a.len > 7 && strcmp(a.data + a.len - 7, "</svg>\n") == 0);
	check_xml(&a);
	CHECK_INT(er_svg_render(s, NULL, &b), ER_OK);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);

	/* Numbers: two decimals at most, trimmed, never "-0"; translucency;
	 * negative sizes normalised; bytes XML forbids replaced. */
	er_buf_clear(&a);
	CHECK_INT(er_scene_rect(s, "r", 1.0 / 3, -0.001, -10.5, 2.25, (er_color){1, 0, 0, 0.5}), ER_OK);
	CHECK_INT(er_scene_add_font(s, "Liberation Sans", 0, 1, &f), ER_OK);
	CHECK_INT(er_scene_text(s, "odd", 0, 0, f, 9, INK, "x\x01y\xff]]>\xC0\xBC", 9, 0), ER_OK);
	CHECK_INT(er_svg_render(s, NULL, &a), ER_OK);
	CHECK(contains(&a, "<rect class=\"r\" x=\"-10.17\" y=\"0\" width=\"10.5\" height=\"2.25\" "
	                   "fill=\"#ff0000\" fill-opacity=\"0.5\"/>"));
	CHECK(contains(&a, " font-style=\"italic\" fill=\"#000000\" xml:space=\"preserve\">"
	                   "x\xEF\xBF\xBDy\xEF\xBF\xBD]]&gt;\xEF\xBF\xBD\xEF\xBF\xBD</text>"));
	check_xml(&a);

	/* A scene with NaN is a layout bug; the buffer is left as it was. */
	CHECK_INT(er_buf_puts(&b, ""), ER_OK);
	er_buf_clear(&b);
	CHECK_INT(er_buf_puts(&b, "keep"), ER_OK);
	s->items[0].x = NAN;
	CHECK_INT(er_svg_render(s, NULL, &b), ER_ERR_INTERNAL);
	CHECK_STR(b.data, "keep");

	er_buf_free(&a);
	er_buf_free(&b);
	er_scene_free(s);
}

/* ---- fonts -------------------------------------------------------------- */

static void count_diag(void *ctx, const er_diag *d)
{
	(void)d;
	(*(int *)ctx)++;
}

static void test_missing_font(void)
{
	int seen = 0, f;
	er_diag_sink sink = {count_diag, &seen, 0, 0};
	er_text *t = text_registry(&sink);
	er_scene *s = er_scene_new(100, 50);
	er_buf b = ER_BUF_INIT;

	CHECK(t != NULL && s != NULL);
	if (t != NULL && s != NULL) {
		CHECK_INT(er_scene_add_font(s, "No Such Family Ecoreport", 0, 0, &f), ER_OK);
		CHECK_INT(er_scene_text(s, "title", 5, 20, f, 10, INK, "x", 1, 5), ER_OK);
		CHECK_INT(render(s, t, ER_OUT_PNG, 1, -1, &b), ER_ERR_DATA);
		CHECK_INT(b.len, 0);
		CHECK_INT(render(s, t, ER_OUT_PDF, 1, -1, &b), ER_ERR_DATA);
		CHECK_INT(b.len, 0);
		CHECK(seen >= 1);
		/* SVG names fonts without loading them. */
		CHECK_INT(er_svg_render(s, NULL, &b), ER_OK);
	}
	er_buf_free(&b);
	er_scene_free(s);
	er_text_free(t);
}

/* Registries come and go; each render must use its own fonts, whatever
 * cairo still caches from a freed one. */
static void test_registry_lifetimes(void)
{
	er_buf first = ER_BUF_INIT, again = ER_BUF_INIT, other = ER_BUF_INIT;
	int round;
	for (round = 0; round < 3; round++) {
		er_text *t = text_registry(NULL);
		er_scene *s = er_scene_new(120, 30);
		int f;
		CHECK(t != NULL && s != NULL);
		if (t == NULL || s == NULL) {
			er_scene_free(s);
			er_text_free(t);
			break;
		}
		CHECK_INT(er_scene_add_font(s, round == 1 ? "DejaVu Sans" : "Liberation Sans", 0, 0, &f),
		          ER_OK);
		add_text(s, t, "title", 4, 20, f, 14, INK, "Wiggly glyphs");
		CHECK_INT(render(s, t, ER_OUT_PNG, 1, -1,
		                 round == 0 ? &first : round == 1 ? &other : &again),
		          ER_OK);
		er_scene_free(s);
		er_text_free(t);
	}
	CHECK(first.len == again.len && memcmp(first.data, again.data, first.len) == 0);
	CHECK(first.len != other.len || memcmp(first.data, other.data, first.len) != 0);
	er_buf_free(&first);
	er_buf_free(&again);
	er_buf_free(&other);
}

/* ---- timing ------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void bench(er_text *t)
{
	static const char *const names[8] = {"GPT-3", "Gopher", "OPT", "BLOOM", "LLaMA 65B",
	                                     "PaLM", "Chinchilla", "Galactica"};
	static const double values[8] = {502, 352, 70, 25, 14, 271, 120, 50};
	/* zlib level, libpng filter mask: the default, then the alternatives. */
	static const struct {
		int level, filters, strategy;
	} modes[] = {{-1, -1, -1}, {1, 0x08, 0}, {6, 0x08, 0}, {6, 0x10, 0}, {6, 0xf8, 0}};
	er_scene *s = er_scene_new(600, 337.5);
	er_buf b = ER_BUF_INIT;
	int regular, bold, i, n = 200;
	size_t m;
	double t0;

	if (s == NULL)
		return;
	er_scene_add_font(s, "Liberation Sans", 0, 0, &regular);
	er_scene_add_font(s, "Liberation Sans", 1, 0, &bold);
	er_scene_set_meta(s, &s->title,
	                  "CO2 Equivalent Emissions (Tonnes) by Select Large Language Models");
	add_text(s, t, "title", 20, 28, bold, 15, INK,
	         "CO2 Equivalent Emissions (Tonnes) by Select Large Language Models, 2022");
	add_text(s, t, "subtitle", 20, 46, regular, 10, INK,
	         "Source: Luccioni et al., 2022 | Chart: ecoreport");
	for (i = 0; i <= 5; i++) {
		char v[32];
		snprintf(v, sizeof v, "%d", i * 100);
		er_scene_line(s, "grid", 110 + i * 90, 60, 110 + i * 90, 310, 0.5, GRID);
		add_text(s, t, "tick-label", 106 + i * 90, 322, regular, 8, INK, v);
	}
	er_scene_line(s, "axis", 110, 60, 110, 310, 1, INK);
	for (i = 0; i < 8; i++) {
		char v[32];
		double y = 64 + i * 30;
		snprintf(v, sizeof v, "%.0f", values[i]);
		add_text(s, t, "category", 20, y + 15, regular, 10, INK, names[i]);
		er_scene_rect(s, "bar", 110, y, values[i] * 0.85, 22, BAR);
		add_text(s, t, "value-label", 114 + values[i] * 0.85, y + 15, regular, 10, INK, v);
	}
	add_text(s, t, "source", 20, 334, regular, 7, INK, "Source: Luccioni et al., 2022");
	fprintf(stderr, "bench scene: %zu items, 1200x675 px (scale 2)\n", s->nitems);

	/* Drawing and encoding together, the shipped settings. */
	render(s, t, ER_OUT_PNG, 2, -1, &b);
	t0 = now_ms();
	for (i = 0; i < n; i++)
		render(s, t, ER_OUT_PNG, 2, -1, &b);
	fprintf(stderr, "render PNG: %.3f ms/chart, %zu bytes\n", (now_ms() - t0) / n, b.len);
	t0 = now_ms();
	for (i = 0; i < n; i++)
		render(s, t, ER_OUT_PDF, 1, 0, &b);
	fprintf(stderr, "render PDF: %.3f ms/chart, %zu bytes\n", (now_ms() - t0) / n, b.len);
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		er_buf_clear(&b);
		er_svg_render(s, NULL, &b);
	}
	fprintf(stderr, "render SVG: %.3f ms/chart, %zu bytes\n", (now_ms() - t0) / n, b.len);

	/* The encoder alone, over the same pixels, per zlib level and filter. */
	{
		cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1200, 675);
		decoded d;
		int x, y;
		er_buf_clear(&b);
		render(s, t, ER_OUT_PNG, 2, -1, &b);
		if (png_decode(&b, &d)) {
			unsigned char *px = cairo_image_surface_get_data(surf);
			int stride = cairo_image_surface_get_stride(surf);
			for (y = 0; y < 675; y++)
				for (x = 0; x < 1200; x++)
					((uint32_t *)(void *)(px + y * stride))[x] = 0xff000000u | pixel(&d, x, y);
			free(d.rgb);
			for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
				er_png_image img = {px, 1200, 675, stride, 0};
				er_png_meta meta;
				memset(&meta, 0, sizeof meta);
				meta.ppi = 144;
				meta.level = modes[m].level;
				meta.filters = modes[m].filters;
				meta.strategy = modes[m].strategy;
				t0 = now_ms();
				for (i = 0; i < n; i++) {
					er_buf_clear(&b);
					er_png_write(&img, &meta, &b);
				}
				fprintf(stderr, "encode only, level %d filters 0x%02x: %.3f ms, %zu bytes\n",
				        modes[m].level < 0 ? ER_PNG_LEVEL : modes[m].level,
				        modes[m].filters < 0 ? ER_PNG_FILTERS : modes[m].filters,
				        (now_ms() - t0) / n, b.len);
			}
		}
		cairo_surface_destroy(surf);
	}
	er_buf_free(&b);
	er_scene_free(s);
}

int main(void)
{
	er_text *t = text_registry(NULL);

	CHECK(t != NULL);
	if (t != NULL) {
		test_png(t);
		test_png_bands(t);
		test_pdf(t);
		test_svg(t);
		if (getenv("ER_RENDER_BENCH") != NULL)
			bench(t);
	}
	er_text_free(t);
	test_png_encoder();
	test_png_fast();
	test_missing_font();
	test_registry_lifetimes();
	/* Releases cairo's caches, so valgrind sees only our own leaks. */
	cairo_debug_reset_static_data();
	return test_done("test_render");
}
