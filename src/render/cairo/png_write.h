/* png_write.h - cairo's pixels as a PNG, with density and text chunks.
 *
 * Private to the cairo renderer (and its tests). cairo's own PNG writer
 * cannot say how many pixels make an inch (no pHYs chunk) nor carry a
 * title, so we encode with libpng. */
#ifndef ER_PNG_WRITE_H
#define ER_PNG_WRITE_H

#include "common/buf.h"

typedef struct er_png_image {
	const unsigned char *data; /* cairo ARGB32: premultiplied, native-endian 32-bit pixels */
	int width, height;         /* pixels */
	int stride;                /* bytes from one row to the next */
	int alpha;                 /* 0: every pixel is opaque, write RGB; 1: write RGBA */
} er_png_image;

typedef struct er_png_meta {
	double ppi;              /* pixels per inch, written as pHYs; <= 0: no pHYs */
	const char *title;       /* tEXt (iTXt when not ASCII) "Title"; NULL: none */
	const char *description; /* "Description"; NULL: none */
	const char *source;      /* "Source"; NULL: none */
	int level;               /* zlib level 0..9; -1: the default (see below) */
	int filters;             /* libpng PNG_FILTER_* mask; -1: ER_PNG_FILTERS */
	int strategy;            /* zlib Z_* strategy; -1: ER_PNG_STRATEGY */
} er_png_meta;

/* The default (level -1) for an opaque image is our own encoder
 * (png_deflate.c): a 1200x675 chart in well under a millisecond, about a
 * third larger than zlib's. An explicit level, and images with alpha, go
 * through zlib with these settings: on a 1200x675 bar chart, zlib level 3
 * with no row filter encodes in about 4.5 ms to 53 KB; level 6 takes twice
 * as long for 42 KB, adaptive filters four times as long for 38 KB, and
 * PNG_FILTER_SUB only makes flat chart areas compress worse. Levels 1-3
 * share zlib's fast matcher (level 1: 56 KB in the same time). */
#define ER_PNG_LEVEL 3
#define ER_PNG_FILTERS 0x08 /* PNG_FILTER_NONE */
#define ER_PNG_STRATEGY 0   /* Z_DEFAULT_STRATEGY */

/* Appends the PNG of img to out. The chunks are IHDR, pHYs, the text
 * chunks in the order Title, Description, Source, Software ("ecoreport"),
 * IDAT, IEND: no time stamp, so equal pixels give equal bytes. Errors:
 * ER_ERR_NOMEM, ER_ERR_INTERNAL (libpng refused). On error out is left as
 * it was. */
er_status er_png_write(const er_png_image *img, const er_png_meta *meta, er_buf *out);

/* The same PNG around IDAT data already made (z: an er_png_deflater's
 * stream of an opaque image): img gives the size only (its data is not
 * read and may be NULL), meta the chunks (its level, filters and strategy
 * are not used). */
er_status er_png_write_deflated(const er_png_image *img, const er_png_meta *meta, const er_buf *z,
                                er_buf *out);

#endif
