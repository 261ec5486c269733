/* png_write.c - libpng behind one call: pixels in, PNG bytes out.
 *
 * libpng reports errors by longjmp to a setjmp the caller made. That model
 * is wrapped here and nowhere else: encode() is the only function that
 * calls setjmp, it modifies no local variable after it (so nothing needs
 * to be volatile), and every resource is owned by its caller, which frees
 * it on one path whichever way encode() returned. */
#include "png_write.h"

#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "png_deflate.h"

_Static_assert(ER_PNG_FILTERS == PNG_FILTER_NONE, "png_write.h names the filter by value");

/* What the libpng callbacks share with er_png_write. */
typedef struct png_ctx {
	er_buf *out;
	er_status st; /* the first failure a callback saw */
} png_ctx;

static void on_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	/* The library never prints; a warning changes nothing we write. */
	(void)png;
	(void)msg;
}

static png_voidp on_malloc(png_structp png, png_alloc_size_t size)
{
	void *p = malloc(size);
	if (p == NULL) {
		png_ctx *c = png_get_mem_ptr(png);
		c->st = ER_ERR_NOMEM;
	}
	return p;
}

static void on_free(png_structp png, png_voidp p)
{
	(void)png;
	free(p);
}

static void on_write(png_structp png, png_bytep data, size_t n)
{
	png_ctx *c = png_get_io_ptr(png);
	er_status st = er_buf_append(c->out, data, n);
	if (st != ER_OK) {
		c->st = st;
		png_error(png, "out of memory");
	}
}

static void on_flush(png_structp png)
{
	(void)png;
}

/* One row of cairo pixels as RGB or RGBA bytes. cairo stores each pixel
 * as a native-endian uint32 0xAARRGGBB with the colour premultiplied by
 * alpha; PNG wants straight colour. row holds width * 4 + 1 bytes. */
static void convert_row(const er_png_image *img, int y, unsigned char *row)
{
	const unsigned char *line = img->data + (size_t)y * (size_t)img->stride;
	const uint32_t *src = (const uint32_t *)(const void *)line;
	const uint32_t one = 1;
	size_t x, w = (size_t)img->width;

	if (!img->alpha) {
		/* The hot loop of an opaque chart. On a little-endian machine each
		 * pixel is stored as one 4-byte word R,G,B,0 whose last byte the
		 * next pixel overwrites (hence the spare byte at the row's end). */
		if (*(const unsigned char *)&one == 1) {
			for (x = 0; x < w; x++) {
				uint32_t p = src[x];
				uint32_t v = (p >> 16 & 0xffu) | (p & 0xff00u) | (p & 0xffu) << 16;
				memcpy(row + 3 * x, &v, 4);
			}
			return;
		}
		for (x = 0; x < w; x++) {
			uint32_t p = src[x];
			row[0] = (unsigned char)(p >> 16);
			row[1] = (unsigned char)(p >> 8);
			row[2] = (unsigned char)p;
			row += 3;
		}
		return;
	}
	for (x = 0; x < w; x++) {
		uint32_t p = src[x], a = p >> 24;
		if (a == 0) {
			row[0] = row[1] = row[2] = row[3] = 0;
		} else {
			row[0] = (unsigned char)((((p >> 16) & 255) * 255 + a / 2) / a);
			row[1] = (unsigned char)((((p >> 8) & 255) * 255 + a / 2) / a);
			row[2] = (unsigned char)(((p & 255) * 255 + a / 2) / a);
			row[3] = (unsigned char)a;
		}
		row += 4;
	}
}

/* Everything that can longjmp. Returns 0 when done, -1 after a libpng error.
 * With z (the image data already deflated, png_deflate.c) it goes into one
 * IDAT chunk, and IEND is written here: libpng's png_write_end insists on
 * rows of its own. */
static int encode(png_structp png, png_infop info, const er_png_image *img,
                  const er_png_meta *meta, png_textp texts, int ntexts, unsigned char *row,
                  const er_buf *z)
{
	int y;

	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_set_IHDR(png, info, (png_uint_32)img->width, (png_uint_32)img->height, 8,
	             img->alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* cairo composites colours as given, and scenes give them in sRGB. */
	png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
	if (meta->ppi > 0) {
		png_uint_32 ppm = (png_uint_32)lround(meta->ppi / 0.0254);
		png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
	}
	if (ntexts > 0)
		png_set_text(png, info, texts, ntexts);
	png_set_compression_level(png, meta->level >= 0 ? meta->level : ER_PNG_LEVEL);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, meta->filters >= 0 ? meta->filters : ER_PNG_FILTERS);
	png_set_compression_strategy(png, meta->strategy >= 0 ? meta->strategy : ER_PNG_STRATEGY);
	png_write_info(png, info);
	if (z != NULL) {
		png_write_chunk(png, (png_const_bytep) "IDAT", (png_const_bytep)z->data, z->len);
		png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
		return 0;
	}
	for (y = 0; y < img->height; y++) {
		convert_row(img, y, row);
		png_write_row(png, row);
	}
	png_write_end(png, info);
	return 0;
}

/* Copies s into b as chunk text: control characters but newline become
 * spaces and, when s is not ASCII, bytes that are not UTF-8 become U+FFFD.
 * Sets *ascii to whether the result is ASCII (tEXt) or not (iTXt, UTF-8). */
static er_status chunk_text(const char *s, er_buf *b, int *ascii)
{
	size_t n = strlen(s), i = 0, len;
	er_status st = ER_OK;

	*ascii = 1;
	er_buf_clear(b);
	while (i < n && st == ER_OK) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80) {
			if ((ch < 0x20 && ch != '\n') || ch == 0x7F)
				ch = ' ';
			st = er_buf_putc(b, (char)ch);
			i++;
			continue;
		}
		*ascii = 0;
		er_utf8_decode(s + i, n - i, &len);
		if (len == 1 || !er_utf8_valid(s + i, len, NULL))
			st = er_buf_puts(b, "\xEF\xBF\xBD");
		else
			st = er_buf_append(b, s + i, len);
		i += len;
	}
	/* An empty text still needs storage: libpng reads a string. */
	if (st == ER_OK && b->data == NULL)
		st = er_buf_reserve(b, 1);
	return st;
}

/* The PNG of img into out. With z, the image data is already deflated
 * (png_deflate.c) and img's pixels are not read; without, libpng deflates
 * them with zlib a row at a time. On error out is left as it was. */
static er_status write_png(const er_png_image *img, const er_png_meta *meta, const er_buf *z,
                           er_buf *out)
{
	enum { NTEXT = 4 };
	static const char *const keys[NTEXT] = {"Title", "Description", "Source", "Software"};
	const char *values[NTEXT] = {meta->title, meta->description, meta->source, "ecoreport"};
	er_buf texts[NTEXT] = {ER_BUF_INIT, ER_BUF_INIT, ER_BUF_INIT, ER_BUF_INIT};
	png_text chunks[NTEXT];
	png_ctx ctx = {out, ER_OK};
	png_structp png = NULL;
	png_infop info = NULL;
	unsigned char *row = NULL;
	size_t start = out->len;
	int i, n = 0;
	er_status st = ER_OK;

	memset(chunks, 0, sizeof chunks);
	for (i = 0; i < NTEXT; i++) {
		int ascii;
		if (values[i] == NULL)
			continue;
		st = chunk_text(values[i], &texts[i], &ascii);
		if (st != ER_OK)
			break;
		chunks[n].key = (png_charp)keys[i];
		chunks[n].text = texts[i].data;
		chunks[n].text_length = texts[i].len;
		/* tEXt is Latin-1; anything beyond ASCII goes as UTF-8 in iTXt. */
		chunks[n].compression = ascii ? PNG_TEXT_COMPRESSION_NONE : PNG_ITXT_COMPRESSION_NONE;
		chunks[n].lang = NULL;
		chunks[n].lang_key = NULL;
		n++;
	}
	if (st != ER_OK)
		goto done;
	if (z == NULL && (row = malloc((size_t)img->width * 4 + 1)) == NULL) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	png = png_create_write_struct_2(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning, &ctx,
	                                on_malloc, on_free);
	if (png == NULL) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	info = png_create_info_struct(png);
	if (info == NULL) {
		st = ER_ERR_NOMEM;
		goto done;
	}
	png_set_write_fn(png, &ctx, on_write, on_flush);
	if (encode(png, info, img, meta, chunks, n, row, z) != 0)
		st = ctx.st != ER_OK ? ctx.st : ER_ERR_INTERNAL;
done:
	if (png != NULL)
		png_destroy_write_struct(&png, info != NULL ? &info : NULL);
	free(row);
	for (i = 0; i < NTEXT; i++)
		er_buf_free(&texts[i]);
	if (st != ER_OK && out->data != NULL) {
		out->len = start;
		out->data[start] = '\0';
	}
	return st;
}

er_status er_png_write(const er_png_image *img, const er_png_meta *meta, er_buf *out)
{
	er_buf z = ER_BUF_INIT;
	er_status st;

	if (img->width <= 0 || img->height <= 0 || img->data == NULL ||
	    (long long)img->stride < (long long)img->width * 4)
		return ER_ERR_INTERNAL;
	/* The default is our own encoder where it applies (an opaque image);
	 * an explicit level goes through zlib, a row at a time. */
	if (meta->level < 0 && er_png_deflate_fits(img)) {
		st = er_png_deflate(img, &z);
		if (st == ER_OK)
			st = write_png(img, meta, &z, out);
		er_buf_free(&z);
		return st;
	}
	return write_png(img, meta, NULL, out);
}

er_status er_png_write_deflated(const er_png_image *img, const er_png_meta *meta, const er_buf *z,
                                er_buf *out)
{
	if (img->width <= 0 || img->height <= 0 || img->alpha || z == NULL || z->data == NULL)
		return ER_ERR_INTERNAL;
	return write_png(img, meta, z, out);
}
