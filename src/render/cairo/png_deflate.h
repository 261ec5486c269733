/* png_deflate.h - the IDAT data of an opaque chart, made for speed.
 *
 * A chart is mostly rows equal to the row above (background, bars) and
 * runs of one colour. zlib finds that too, but hashes every byte to do so,
 * and checksums every byte: 73% of a PNG chart's time in a loop. This
 * encoder compares each row with the one above (a whole equal row is a
 * few matches at the distance of one row, its checksum updated from the
 * row's cached sums without reading it again) and otherwise matches the
 * row above or the pixel before, in one fixed-Huffman deflate block. The
 * output is an ordinary zlib stream (RFC 1950/1951) any PNG reader
 * decodes; only its size differs from zlib's. Private to the renderer. */
#ifndef ER_PNG_DEFLATE_H
#define ER_PNG_DEFLATE_H

#include "common/buf.h"
#include "png_write.h"

/* The longest scanline (3 bytes a pixel and the filter byte) the encoder
 * takes: deflate's farthest match (10,922 pixels). */
#define ER_PNG_DEFLATE_MAX_ROW 32768

/* Whether img can go through er_png_deflate: opaque (RGB), and a row of at
 * most ER_PNG_DEFLATE_MAX_ROW bytes. */
int er_png_deflate_fits(const er_png_image *img);

/* Appends to out the zlib stream of img's scanlines as PNG wants them:
 * each row a filter byte 0 (None) and its pixels as R, G, B. ER_ERR_NOMEM
 * only; out is left as it was on error. */
er_status er_png_deflate(const er_png_image *img, er_buf *out);

/* The same stream fed a band of rows at a time, so that the image never
 * needs to exist whole (render_cairo.c draws a PNG in bands that stay in
 * the cache). er_png_deflater_new reserves out's worst case and writes the
 * header; NULL when out of memory (or for an image er_png_deflate_fits
 * refuses). Rows are cairo's opaque ARGB32 pixels, nrows of them stride
 * bytes apart, and continue where the previous call stopped; rows beyond
 * the image's height are ignored. er_png_deflater_end completes the
 * stream in out and frees the deflater; er_png_deflater_free abandons it
 * (out's length unchanged, its bytes beyond the length undefined). Nothing
 * may append to out in between. */
typedef struct er_png_deflater er_png_deflater;
er_png_deflater *er_png_deflater_new(int width, int height, er_buf *out);
void er_png_deflater_rows(er_png_deflater *d, const unsigned char *data, int stride, int nrows);
void er_png_deflater_end(er_png_deflater *d);
void er_png_deflater_free(er_png_deflater *d);

#endif
