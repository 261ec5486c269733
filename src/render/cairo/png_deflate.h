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

/* Whether img can go through er_png_deflate: opaque (RGB), and a row of at
 * most 32768 bytes, deflate's farthest match (10,922 pixels). */
int er_png_deflate_fits(const er_png_image *img);

/* Appends to out the zlib stream of img's scanlines as PNG wants them:
 * each row a filter byte 0 (None) and its pixels as R, G, B. ER_ERR_NOMEM
 * only; out is left as it was on error. */
er_status er_png_deflate(const er_png_image *img, er_buf *out);

#endif
