/* png_deflate.c - a zlib stream of an opaque chart's scanlines, fast.
 *
 * One deflate block with the fixed Huffman codes (RFC 1951, 3.2.6): no
 * code tables to send or build, and a chart's symbols are mostly long
 * matches, for which the dynamic codes would save little. Matches are
 * looked for in two places only: the same bytes one row up (distance: one
 * row), and the pixel before (distance 3: a run of one colour). A row
 * whose pixels equal the row above is written as matches without being
 * converted or read again; its Adler-32 contribution comes from the sums
 * kept for that row. */
#include "png_deflate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIST ER_PNG_DEFLATE_MAX_ROW
#define MAX_MATCH 258
#define MIN_MATCH 3
#define ADLER_MOD 65521u

int er_png_deflate_fits(const er_png_image *img)
{
	return !img->alpha && img->width > 0 && img->height > 0 &&
	       (size_t)img->width * 3 + 1 <= MAX_DIST;
}

/* ---- bits ---------------------------------------------------------------- */

/* Deflate's bits go least significant first; Huffman codes are defined
 * most significant first, so the tables hold them reversed. */
typedef struct bits {
	unsigned char *p; /* next byte to write; room checked by the caller */
	uint64_t acc;
	int n;
} bits;

static inline void put(bits *b, uint32_t v, int n)
{
	b->acc |= (uint64_t)v << b->n;
	b->n += n;
	if (b->n >= 32) {
		uint32_t w = (uint32_t)b->acc;
		b->p[0] = (unsigned char)w;
		b->p[1] = (unsigned char)(w >> 8);
		b->p[2] = (unsigned char)(w >> 16);
		b->p[3] = (unsigned char)(w >> 24);
		b->p += 4;
		b->acc >>= 32;
		b->n -= 32;
	}
}

static void flush(bits *b)
{
	while (b->n > 0) {
		*b->p++ = (unsigned char)b->acc;
		b->acc >>= 8;
		b->n -= 8;
	}
	b->n = 0;
	b->acc = 0;
}

static uint32_t reverse(uint32_t code, int len)
{
	uint32_t r = 0;
	int i;

	for (i = 0; i < len; i++)
		r |= ((code >> i) & 1u) << (len - 1 - i);
	return r;
}

/* A symbol, its extra bits included, ready to put: value and bit count. */
typedef struct code {
	uint32_t v;
	int n;
} code;

/* The fixed literal/length code of symbol s (0..287). */
static code fixed_lit(int s)
{
	code c;

	if (s < 144)
		c.v = reverse(0x30u + (uint32_t)s, 8), c.n = 8;
	else if (s < 256)
		c.v = reverse(0x190u + (uint32_t)(s - 144), 9), c.n = 9;
	else if (s < 280)
		c.v = reverse((uint32_t)(s - 256), 7), c.n = 7;
	else
		c.v = reverse(0xc0u + (uint32_t)(s - 280), 8), c.n = 8;
	return c;
}

/* Everything one image needs: literal codes, length codes with their extra
 * bits, and the two distances used. */
typedef struct tables {
	code lit[256];
	code len[MAX_MATCH + 1]; /* by match length, 3..258 */
	code dist_row, dist_pixel;
	code end;
} tables;

static code dist_code(unsigned d)
{
	static const unsigned base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
	                                  33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
	                                  1025, 1537, 2049, 3073, 4097, 6145,  8193,  12289, 16385,
	                                  24577};
	int k = 29, extra;
	code c;

	while (base[k] > d)
		k--;
	extra = k < 4 ? 0 : k / 2 - 1;
	c.v = reverse((uint32_t)k, 5) | (uint32_t)(d - base[k]) << 5;
	c.n = 5 + extra;
	return c;
}

static void make_tables(tables *t, unsigned row)
{
	static const unsigned base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
	                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
	static const int extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
	                              2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
	int i, k = 0;
	unsigned l;

	for (i = 0; i < 256; i++)
		t->lit[i] = fixed_lit(i);
	for (l = MIN_MATCH; l <= MAX_MATCH; l++) {
		code s;
		while (k < 28 && base[k + 1] <= l)
			k++;
		s = fixed_lit(257 + k);
		t->len[l].v = s.v | (uint32_t)(l - base[k]) << s.n;
		t->len[l].n = s.n + extra[k];
	}
	t->dist_row = dist_code(row);
	t->dist_pixel = dist_code(3);
	t->end = fixed_lit(256);
}

static inline void match(bits *b, const tables *t, size_t len, code dist)
{
	put(b, t->len[len].v, t->len[len].n);
	put(b, dist.v, dist.n);
}

/* ---- rows ---------------------------------------------------------------- */

/* How many bytes from a and b agree, at most max. a may run ahead of b in
 * the same buffer (a match at distance 3): what counts is only whether
 * a[k] == b[k] for each k, as the decoder copies byte by byte, so eight
 * bytes are compared at a time all the same. */
static inline size_t same(const unsigned char *a, const unsigned char *b, size_t max)
{
	size_t k = 0;

	while (k + 8 <= max) {
		uint64_t x, y;
		memcpy(&x, a + k, 8);
		memcpy(&y, b + k, 8);
		if (x != y) {
			x ^= y;
			/* The first differing byte: the lowest set bit on a
			 * little-endian machine, the highest on a big-endian one. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return k + (size_t)__builtin_ctzll(x) / 8;
#else
			while (a[k] == b[k])
				k++;
			return k;
#endif
		}
		k += 8;
	}
	while (k < max && a[k] == b[k])
		k++;
	return k;
}

/* A row of w cairo pixels (opaque: ARGB32 words, 0xffRRGGBB) as the PNG
 * scanline: filter byte 0, then R, G, B per pixel; row has a spare byte
 * after its 3w + 1. Returns the sums that Adler-32 needs: *s1 the bytes'
 * sum, *s2 the sum of (n - i) * byte[i].
 *
 * Without a multiplication a pixel: with sum_x = R + G + B of pixel x
 * (whose R is byte 1 + 3x), sum (i * byte[i]) is
 *   sum_x ((1 + 3x) sum_x + G_x + 2 B_x) = a + 3 (w a - b) + c
 * where a = sum_x sum_x, b = sum_x (w - x) sum_x (a running total of the
 * running total a) and c = sum_x (G_x + 2 B_x). */
static void convert(const unsigned char *line, size_t w, unsigned char *row, uint64_t *s1,
                    uint64_t *s2)
{
	const uint32_t *src = (const uint32_t *)(const void *)line;
	size_t x, n = 3 * w + 1;
	uint64_t a = 0, b = 0, c = 0;
	unsigned char *p = row + 1;

	row[0] = 0;
	for (x = 0; x < w; x++) {
		uint32_t v = src[x];
		uint32_t r = v >> 16 & 0xffu, g = v >> 8 & 0xffu, bl = v & 0xffu;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* R, G, B and a byte the next pixel (or the spare) overwrites. */
		uint32_t rgb = r | g << 8 | bl << 16;
		memcpy(p, &rgb, 4);
#else
		p[0] = (unsigned char)r;
		p[1] = (unsigned char)g;
		p[2] = (unsigned char)bl;
#endif
		p += 3;
		a += r + g + bl;
		b += a;
		c += g + 2 * bl;
	}
	*s1 = a;
	*s2 = n * a - (a + 3 * (w * a - b) + c);
}

/* The matches and literals of a row that differs from the one above. */
static void encode_row(bits *b, const tables *t, const unsigned char *cur,
                       const unsigned char *prev, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t max = n - i < MAX_MATCH ? n - i : MAX_MATCH, up = 0, left = 0;
		if (prev != NULL)
			up = same(cur + i, prev + i, max);
		if (i >= 4 && up < max)
			left = same(cur + i, cur + i - 3, max);
		if (up >= MIN_MATCH && up >= left) {
			match(b, t, up, t->dist_row);
			i += up;
		} else if (left >= MIN_MATCH) {
			match(b, t, left, t->dist_pixel);
			i += left;
		} else {
			put(b, t->lit[cur[i]].v, t->lit[cur[i]].n);
			i++;
		}
	}
}

/* A row equal to the one above: matches one row back, 258 bytes at most
 * each and never fewer than 3. */
static void repeat_row(bits *b, const tables *t, size_t n)
{
	while (n > MAX_MATCH) {
		size_t take = n - MAX_MATCH >= MIN_MATCH ? MAX_MATCH : n - MIN_MATCH;
		match(b, t, take, t->dist_row);
		n -= take;
	}
	match(b, t, n, t->dist_row);
}

/* ---- the stream ---------------------------------------------------------- */

struct er_png_deflater {
	size_t w, n, h, y;       /* pixels a row, bytes a scanline (3w + 1), rows in all, rows fed */
	unsigned char *cur, *prev; /* this scanline and the one before, each with a spare byte
	                              (convert), in the same allocation */
	unsigned char *above;    /* the last row fed, as cairo's pixels (4w bytes): the next
	                            call's first row is compared with it */
	uint64_t a, bsum;        /* Adler-32 so far */
	uint64_t s1, s2;         /* the sums of the last converted row (a repeat has the same) */
	er_buf *out;             /* borrowed; room for the worst case reserved at the start */
	tables t;
	bits b;
};

er_png_deflater *er_png_deflater_new(int width, int height, er_buf *out)
{
	size_t w = (size_t)width, n = 3 * w + 1, h = (size_t)height, worst;
	er_png_deflater *d;

	if (width <= 0 || height <= 0 || n > MAX_DIST)
		return NULL;
	/* At most 9 bits a byte (a literal; a match of 3 takes 25 bits at the
	 * farthest row distance), 10 to be safe; the header, the end code and
	 * the sum. */
	if (h > (SIZE_MAX - 64) / n / 2)
		return NULL;
	worst = n * h / 8 * 10 + n + 64;
	if (er_buf_reserve(out, worst) != ER_OK)
		return NULL;
	d = malloc(sizeof *d + 2 * (n + 1) + 4 * w);
	if (d == NULL)
		return NULL;
	d->w = w;
	d->n = n;
	d->h = h;
	d->y = 0;
	d->cur = (unsigned char *)(d + 1);
	d->prev = d->cur + n + 1;
	d->above = d->prev + n + 1;
	d->a = 1;
	d->bsum = 0;
	d->s1 = d->s2 = 0;
	d->out = out;
	make_tables(&d->t, (unsigned)n);
	d->b.p = (unsigned char *)out->data + out->len;
	d->b.acc = 0;
	d->b.n = 0;
	/* zlib header: deflate, 32 KiB window, no dictionary, "fastest". */
	*d->b.p++ = 0x78;
	*d->b.p++ = 0x01;
	put(&d->b, 1, 1); /* BFINAL */
	put(&d->b, 1, 2); /* BTYPE 01: fixed Huffman codes */
	return d;
}

void er_png_deflater_rows(er_png_deflater *d, const unsigned char *data, int stride, int nrows)
{
	size_t w = d->w, n = d->n, i;

	for (i = 0; i < (size_t)nrows && d->y < d->h; i++, d->y++) {
		const unsigned char *line = data + i * (size_t)stride;
		const unsigned char *up = i > 0 ? line - stride : d->above;
		if (d->y > 0 && memcmp(line, up, 4 * w) == 0) {
			repeat_row(&d->b, &d->t, n);
		} else {
			unsigned char *tmp;
			convert(line, w, d->cur, &d->s1, &d->s2);
			encode_row(&d->b, &d->t, d->cur, d->y > 0 ? d->prev : NULL, n);
			tmp = d->prev;
			d->prev = d->cur;
			d->cur = tmp;
		}
		/* Adler-32 of this row from its sums: the same for a repeat. */
		d->bsum = (d->bsum + n % ADLER_MOD * d->a + d->s2) % ADLER_MOD;
		d->a = (d->a + d->s1) % ADLER_MOD;
	}
	if (i > 0)
		memcpy(d->above, data + (i - 1) * (size_t)stride, 4 * w);
}

void er_png_deflater_end(er_png_deflater *d)
{
	bits *b = &d->b;
	er_buf *out = d->out;

	put(b, d->t.end.v, d->t.end.n);
	flush(b);
	b->p[0] = (unsigned char)(d->bsum >> 8);
	b->p[1] = (unsigned char)d->bsum;
	b->p[2] = (unsigned char)(d->a >> 8);
	b->p[3] = (unsigned char)d->a;
	b->p += 4;
	out->len = (size_t)(b->p - (unsigned char *)out->data);
	out->data[out->len] = '\0';
	free(d);
}

void er_png_deflater_free(er_png_deflater *d)
{
	free(d);
}

er_status er_png_deflate(const er_png_image *img, er_buf *out)
{
	er_png_deflater *d = er_png_deflater_new(img->width, img->height, out);

	if (d == NULL)
		return ER_ERR_NOMEM;
	er_png_deflater_rows(d, img->data, img->stride, img->height);
	er_png_deflater_end(d);
	return ER_OK;
}
