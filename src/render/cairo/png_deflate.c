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

#define MAX_DIST 32768
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

/* How many bytes from a and b agree, at most max (a may run ahead of b in
 * the same buffer: byte by byte, as the decoder copies). */
static inline size_t same(const unsigned char *a, const unsigned char *b, size_t max)
{
	size_t k = 0;

	while (k < max && a[k] == b[k])
		k++;
	return k;
}

/* Row y of cairo's pixels (opaque: ARGB32 words, 0xffRRGGBB) as the PNG
 * scanline: filter byte 0, then R, G, B per pixel. Returns the sums that
 * Adler-32 needs: *s1 the bytes' sum, *s2 the sum of (n - i) * byte[i]. */
static void convert(const er_png_image *img, int y, unsigned char *row, uint64_t *s1,
                    uint64_t *s2)
{
	const uint32_t *src = (const uint32_t *)(const void *)(img->data + (size_t)y * (size_t)img->stride);
	size_t x, w = (size_t)img->width, n = 3 * w + 1;
	uint64_t a = 0, t = 0;
	unsigned char *p = row + 1;

	row[0] = 0;
	for (x = 0; x < w; x++) {
		uint32_t v = src[x];
		uint32_t r = v >> 16 & 0xffu, g = v >> 8 & 0xffu, bl = v & 0xffu;
		uint64_t i = 1 + 3 * x; /* r's index in the scanline */
		p[0] = (unsigned char)r;
		p[1] = (unsigned char)g;
		p[2] = (unsigned char)bl;
		p += 3;
		a += r + g + bl;
		t += i * r + (i + 1) * g + (i + 2) * bl;
	}
	*s1 = a;
	*s2 = n * a - t;
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

er_status er_png_deflate(const er_png_image *img, er_buf *out)
{
	size_t w = (size_t)img->width, n = 3 * w + 1, h = (size_t)img->height, y, worst;
	unsigned char *rows = NULL, *cur, *prev;
	uint64_t a = 1, bsum = 0, s1 = 0, s2 = 0;
	tables t;
	bits b;
	er_status st;

	/* At most 9 bits a byte (a literal; a match of 3 takes 25 bits at the
	 * farthest row distance), 10 to be safe; the header, the end code and
	 * the sum. */
	if (h > (SIZE_MAX - 64) / n / 2)
		return ER_ERR_NOMEM;
	worst = n * h / 8 * 10 + n + 64;
	st = er_buf_reserve(out, worst);
	if (st != ER_OK)
		return st;
	rows = malloc(2 * n);
	if (rows == NULL)
		return ER_ERR_NOMEM;
	cur = rows;
	prev = rows + n;
	make_tables(&t, (unsigned)n);
	b.p = (unsigned char *)out->data + out->len;
	b.acc = 0;
	b.n = 0;
	/* zlib header: deflate, 32 KiB window, no dictionary, "fastest". */
	*b.p++ = 0x78;
	*b.p++ = 0x01;
	put(&b, 1, 1); /* BFINAL */
	put(&b, 1, 2); /* BTYPE 01: fixed Huffman codes */
	for (y = 0; y < h; y++) {
		const unsigned char *line = img->data + y * (size_t)img->stride;
		if (y > 0 && memcmp(line, line - img->stride, 4 * w) == 0) {
			repeat_row(&b, &t, n);
		} else {
			unsigned char *tmp;
			convert(img, (int)y, cur, &s1, &s2);
			encode_row(&b, &t, cur, y > 0 ? prev : NULL, n);
			tmp = prev;
			prev = cur;
			cur = tmp;
		}
		/* Adler-32 of this row from its sums: the same for a repeat. */
		bsum = (bsum + n % ADLER_MOD * a + s2) % ADLER_MOD;
		a = (a + s1) % ADLER_MOD;
	}
	put(&b, t.end.v, t.end.n);
	flush(&b);
	b.p[0] = (unsigned char)(bsum >> 8);
	b.p[1] = (unsigned char)bsum;
	b.p[2] = (unsigned char)(a >> 8);
	b.p[3] = (unsigned char)a;
	b.p += 4;
	out->len = (size_t)(b.p - (unsigned char *)out->data);
	out->data[out->len] = '\0';
	free(rows);
	return ER_OK;
}
