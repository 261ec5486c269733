/* Unit tests: fonts, measuring, glyph runs and line breaks (text). */
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "text/text.h"
#include "test.h"
#include "test_diag.h"

#define S(lit) lit, sizeof lit - 1

/* ---- an independent reading of a TrueType file ---------------------------
 * The advances the registry reports must be the font's own design units, so
 * the test reads them straight from the file's tables (head, hhea, hmtx,
 * cmap format 4) without FreeType. */

typedef struct ttf {
	unsigned char *data;
	size_t len;
	size_t head, hhea, hmtx, cmap; /* table offsets, 0 when absent */
} ttf;

static unsigned u16(const ttf *f, size_t at)
{
	return at + 2 <= f->len ? (unsigned)(f->data[at] << 8 | f->data[at + 1]) : 0;
}

static uint32_t u32(const ttf *f, size_t at)
{
	return (uint32_t)u16(f, at) << 16 | u16(f, at + 2);
}

static int ttf_load(ttf *f, const char *path, int index)
{
	FILE *fp = fopen(path, "rb");
	size_t dir, i, ntables;
	long len;

	memset(f, 0, sizeof *f);
	if (fp == NULL)
		return 0;
	if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) <= 0 || fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return 0;
	}
	f->data = malloc((size_t)len);
	f->len = f->data != NULL ? fread(f->data, 1, (size_t)len, fp) : 0;
	fclose(fp);
	if (f->len != (size_t)len)
		return 0;
	dir = 0;
	if (u32(f, 0) == 0x74746366u) /* 'ttcf': a collection */
		dir = u32(f, 12 + 4 * (size_t)index);
	ntables = u16(f, dir + 4);
	for (i = 0; i < ntables; i++) {
		size_t rec = dir + 12 + 16 * i;
		uint32_t tag = u32(f, rec), off = u32(f, rec + 8);
		if (tag == 0x68656164u)
			f->head = off;
		else if (tag == 0x68686561u)
			f->hhea = off;
		else if (tag == 0x686d7478u)
			f->hmtx = off;
		else if (tag == 0x636d6170u)
			f->cmap = off;
	}
	return f->head && f->hhea && f->hmtx && f->cmap;
}

static unsigned ttf_upem(const ttf *f)
{
	return u16(f, f->head + 18);
}

static unsigned ttf_advance(const ttf *f, unsigned gid)
{
	unsigned nh = u16(f, f->hhea + 34);
	if (gid >= nh)
		gid = nh - 1; /* monospaced tail: the last advance repeats */
	return u16(f, f->hmtx + 4 * (size_t)gid);
}

/* The glyph of a BMP code point through the (3,1) format 4 subtable. */
static unsigned ttf_glyph(const ttf *f, unsigned cp)
{
	size_t i, n = u16(f, f->cmap + 2), sub = 0, seg, ends, starts, deltas, ranges;
	unsigned segs;

	for (i = 0; i < n; i++) {
		size_t rec = f->cmap + 4 + 8 * i;
		if (u16(f, rec) == 3 && u16(f, rec + 2) == 1)
			sub = f->cmap + u32(f, rec + 4);
	}
	if (sub == 0 || u16(f, sub) != 4)
		return 0;
	segs = u16(f, sub + 6) / 2;
	ends = sub + 14;
	starts = ends + 2 * (size_t)segs + 2;
	deltas = starts + 2 * (size_t)segs;
	ranges = deltas + 2 * (size_t)segs;
	for (seg = 0; seg < segs; seg++) {
		unsigned end = u16(f, ends + 2 * seg), start = u16(f, starts + 2 * seg);
		unsigned delta = u16(f, deltas + 2 * seg), ro = u16(f, ranges + 2 * seg);
		unsigned g;
		if (cp > end)
			continue;
		if (cp < start)
			return 0;
		if (ro == 0)
			return (cp + delta) & 0xffff;
		g = u16(f, ranges + 2 * seg + ro + 2 * (size_t)(cp - start));
		return g ? (g + delta) & 0xffff : 0;
	}
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

static int ends_with(const char *s, const char *tail)
{
	size_t a = s ? strlen(s) : 0, b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

static void test_fonts(er_text *t, recorder *rec)
{
	int reg = -1, bold = -1, again = -1, idx = -1, bad = 7;
	const char *file_reg, *file_bold;

	CHECK_INT(er_text_font(t, "Liberation Sans", 0, 0, &reg), ER_OK);
	CHECK_INT(er_text_font(t, "Liberation Sans", 1, 0, &bold), ER_OK);
	CHECK_INT(reg, 0);
	CHECK_INT(bold, 1);
	file_reg = er_text_font_file(t, reg, &idx);
	CHECK_INT(idx, 0);
	file_bold = er_text_font_file(t, bold, NULL);
	CHECK(ends_with(file_reg, "/LiberationSans-Regular.ttf"));
	CHECK(ends_with(file_bold, "/LiberationSans-Bold.ttf"));
	CHECK_STR(er_text_font_family(t, reg), "Liberation Sans");
	CHECK(er_text_ft_face(t, reg) != NULL);
	CHECK(er_text_ft_face(t, reg) != er_text_ft_face(t, bold));
	/* The same request, and the same face asked for in other letter case. */
	CHECK_INT(er_text_font(t, "Liberation Sans", 0, 0, &again), ER_OK);
	CHECK_INT(again, reg);
	CHECK_INT(er_text_font(t, "Liberation Sans", 1, 0, &again), ER_OK);
	CHECK_INT(again, bold);
	CHECK_INT(er_text_font(t, "liberation sans", 0, 0, &again), ER_OK);
	CHECK_INT(again, reg);
	CHECK_INT(rec->count, 0);

	/* A family fontconfig does not have: no silent substitute. */
	CHECK_INT(er_text_font(t, "No Such Font", 0, 0, &bad), ER_ERR_DATA);
	CHECK_INT(bad, -1);
	CHECK_INT(rec->count, 1);
	CHECK_STR(rec->last, "font family \"No Such Font\" is not installed (on Debian: "
	                     "apt-get install a package that provides it; see fc-list)");
	CHECK_INT(er_text_font(t, "Liberation Slab", 1, 1, &bad), ER_ERR_DATA);
	CHECK_STR(rec->last, "font family \"Liberation Slab\" is not installed (on Debian: "
	                     "apt-get install fonts-liberation2)");
	CHECK_INT(er_text_font(t, "Noto Sans Klingon", 0, 0, &bad), ER_ERR_DATA);
	CHECK_STR(rec->last, "font family \"Noto Sans Klingon\" is not installed (on Debian: "
	                     "apt-get install fonts-noto-core)");
	/* fontconfig aliases Arial to Liberation Sans; that is a substitute too. */
	CHECK_INT(er_text_font(t, "Arial", 0, 0, &bad), ER_ERR_DATA);
	CHECK_INT(rec->count, 4);
	CHECK_INT(er_text_font(t, NULL, 0, 0, &bad), ER_ERR_USAGE);

	/* Ids out of range. */
	CHECK(er_text_font_file(t, 99, &idx) == NULL);
	CHECK(er_text_font_file(t, -1, NULL) == NULL);
	CHECK(er_text_font_family(t, 99) == NULL);
	CHECK(er_text_ft_face(t, 99) == NULL);
	CHECK_NUM(er_text_width(t, 99, 12, S("abc")), 0);
	CHECK(!er_text_covers(t, 99, S("abc")));
}

static void test_width(er_text *t)
{
	int f, b;
	ttf tt;
	unsigned upem, sum = 0;
	double w, asc, desc;
	size_t i;
	const char *hello = "Hello";

	CHECK_INT(er_text_font(t, "Liberation Sans", 0, 0, &f), ER_OK);
	CHECK_INT(er_text_font(t, "Liberation Sans", 1, 0, &b), ER_OK);
	CHECK_NUM(er_text_width(t, f, 12, S("")), 0);
	CHECK_NUM(er_text_width(t, f, 12, S("ab")),
	          er_text_width(t, f, 12, S("a")) + er_text_width(t, f, 12, S("b")));
	CHECK_NUM(er_text_width(t, f, 10, S("Emissions 2024")),
	          er_text_width(t, f, 10, S("Emissions ")) + er_text_width(t, f, 10, S("2024")));
	CHECK_NUM(er_text_width(t, f, 24, S("Hello")), 2 * er_text_width(t, f, 12, S("Hello")));
	CHECK_NUM(er_text_width(t, f, 10, S("Hello")), 10 * er_text_width(t, f, 1, S("Hello")));
	CHECK(er_text_width(t, b, 12, S("Hello")) > er_text_width(t, f, 12, S("Hello")));
	/* Only n bytes count, not the rest of the string. */
	CHECK_NUM(er_text_width(t, f, 12, "Hello", 1), er_text_width(t, f, 12, S("H")));

	/* Against the font file itself: at size = units_per_EM a width is the
	 * plain sum of the hmtx advances of the cmap's glyphs. */
	if (!ttf_load(&tt, er_text_font_file(t, f, NULL), 0)) {
		CHECK(!"cannot read the font file");
	} else {
		upem = ttf_upem(&tt);
		CHECK_INT(upem, 2048);
		for (i = 0; hello[i]; i++)
			sum += ttf_advance(&tt, ttf_glyph(&tt, (unsigned char)hello[i]));
		CHECK_INT(sum, 1479 + 1139 + 455 + 455 + 1139); /* as hmtx lists them */
		CHECK_NUM(er_text_width(t, f, upem, S("Hello")), sum);
		CHECK_NUM(er_text_width(t, f, 12, S("Hello")), sum * 12.0 / upem);
		/* A glyph no font has is drawn (and measured) as the font's .notdef
		 * (U+10FFFD: private use, in no font here). */
		CHECK_NUM(er_text_width(t, f, upem, S("\xf4\x8f\xbf\xbd")), ttf_advance(&tt, 0));
		/* Metrics from hhea: ascender 1854, descender -434. */
		er_text_metrics(t, f, upem, &asc, &desc);
		CHECK_NUM(asc, (int16_t)u16(&tt, tt.hhea + 4));
		CHECK_NUM(desc, -(int16_t)u16(&tt, tt.hhea + 6));
	}
	free(tt.data);
	er_text_metrics(t, f, 12, &asc, &desc);
	CHECK(asc > 0 && desc > 0 && asc > desc && asc + desc < 14);

	/* Invalid UTF-8 is U+FFFD, one per bad byte; truncated sequences,
	 * overlongs and surrogates included. */
	w = er_text_width(t, f, 12, S("\xef\xbf\xbd"));
	CHECK(w > 0);
	CHECK_NUM(er_text_width(t, f, 12, S("\xff")), w);
	CHECK_NUM(er_text_width(t, f, 12, S("a\xe2\x82")), er_text_width(t, f, 12, S("a")) + 2 * w);
	CHECK_NUM(er_text_width(t, f, 12, S("\xed\xa0\x80")), 3 * w);
	CHECK_NUM(er_text_width(t, f, 12, S("\xe0\x80\xaf")), 3 * w);
	CHECK_NUM(er_text_width(t, f, 12, S("\xf4\x90\x80\x80")), 4 * w);
	CHECK_NUM(er_text_width(t, f, 12, S("\xc0\xaf")), 2 * w);
}

static void test_glyphs(er_text *t)
{
	int f, dv;
	er_glyph *g = NULL;
	size_t n = 99, i, at;
	const char *s = "CO\xe2\x82\x82 \xe2\x80\x93 \xc3\x97 \xc3\xa9";
	double w;

	CHECK_INT(er_text_font(t, "Liberation Sans", 0, 0, &f), ER_OK);
	CHECK_INT(er_text_glyphs(t, f, 12, s, strlen(s), &g, &n), ER_OK);
	CHECK_INT(n, 9);
	if (g != NULL && n == 9) {
		/* Each x is the width of the text before the glyph, and the last
		 * x plus the last advance is the width of the whole. */
		at = 0;
		for (i = 0; i < n; i++) {
			CHECK_NUM(g[i].x, er_text_width(t, f, 12, s, at));
			CHECK(g[i].index != 0);
			at += (unsigned char)s[at] < 0x80 ? 1 : (unsigned char)s[at] < 0xe0 ? 2 : 3;
		}
		CHECK_INT(at, strlen(s));
		CHECK_NUM(g[0].x, 0);
		CHECK_INT(g[0].index, 38); /* 'C' in Liberation Sans 2 */
		w = g[8].x + er_text_width(t, f, 12, S("\xc3\xa9"));
		CHECK_NUM(w, er_text_width(t, f, 12, s, strlen(s)));
	}
	free(g);
	g = NULL;
	CHECK_INT(er_text_glyphs(t, f, 12, S(""), &g, &n), ER_OK);
	CHECK_INT(n, 0);
	free(g);
	g = NULL;
	CHECK_INT(er_text_glyphs(t, f, 12, S("a\xff" "b"), &g, &n), ER_OK);
	CHECK_INT(n, 3);
	free(g);
	g = NULL;
	CHECK_INT(er_text_glyphs(t, 99, 12, S("a"), &g, &n), ER_ERR_USAGE);
	CHECK(g == NULL);

	/* Above U+FFFF (the hashed part of the cache): many code points, then
	 * the same again, must give the same glyphs. DejaVu Sans has U+1F600. */
	CHECK_INT(er_text_font(t, "DejaVu Sans", 0, 0, &dv), ER_OK);
	{
		char buf[4 * 2000];
		er_glyph *g2 = NULL;
		size_t n2 = 0, len = 0;
		uint32_t cp;
		for (cp = 0x1f000; cp < 0x1f000 + 2000; cp++) {
			buf[len++] = (char)(0xf0 | cp >> 18);
			buf[len++] = (char)(0x80 | (cp >> 12 & 0x3f));
			buf[len++] = (char)(0x80 | (cp >> 6 & 0x3f));
			buf[len++] = (char)(0x80 | (cp & 0x3f));
		}
		CHECK_INT(er_text_glyphs(t, dv, 10, buf, len, &g, &n), ER_OK);
		CHECK_INT(er_text_glyphs(t, dv, 10, buf, len, &g2, &n2), ER_OK);
		CHECK_INT(n, 2000);
		CHECK_INT(n2, 2000);
		if (g != NULL && g2 != NULL && n == n2) {
			size_t same = 0, k;
			for (k = 0; k < n; k++)
				same += g[k].index == g2[k].index && g[k].x == g2[k].x;
			CHECK_INT(same, n);
		}
		CHECK(g != NULL && g[0x600].index != 0); /* U+1F600 */
		CHECK_NUM(er_text_width(t, dv, 10, buf, len),
		          er_text_width(t, dv, 10, buf, len / 2) +
		          er_text_width(t, dv, 10, buf + len / 2, len - len / 2));
		free(g);
		free(g2);
	}
}

static void test_covers(er_text *t)
{
	int lib, dv, wqy, wqyb;
	const char *sym = "CO\xe2\x82\x82 \xe2\x80\x93 \xc3\x97 \xc3\xa9"; /* CO₂ – × é */
	const char *han = "\xe4\xba\xba\xe5\xb7\xa5\xe6\x99\xba\xe8\x83\xbd"; /* 人工智能 */

	CHECK_INT(er_text_font(t, "Liberation Sans", 0, 0, &lib), ER_OK);
	CHECK_INT(er_text_font(t, "DejaVu Sans", 0, 0, &dv), ER_OK);
	CHECK_INT(er_text_font(t, "WenQuanYi Micro Hei", 0, 0, &wqy), ER_OK);
	CHECK(ends_with(er_text_font_file(t, wqy, NULL), "/wqy-microhei.ttc"));
	CHECK_STR(er_text_font_family(t, wqy), "WenQuanYi Micro Hei");
	/* No bold face: the bold request lands on the same face and id. */
	CHECK_INT(er_text_font(t, "WenQuanYi Micro Hei", 1, 0, &wqyb), ER_OK);
	CHECK_INT(wqyb, wqy);
	/* Liberation Sans 2 has the subscript two (U+2082), dash, times, é. */
	CHECK(er_text_covers(t, lib, sym, strlen(sym)));
	CHECK(er_text_covers(t, dv, sym, strlen(sym)));
	CHECK(er_text_covers(t, lib, S("")));
	CHECK(er_text_covers(t, lib, S("a\nb\tc"))); /* control characters are not drawn */
	CHECK(!er_text_covers(t, lib, han, strlen(han)));
	CHECK(!er_text_covers(t, dv, han, strlen(han)));
	CHECK(er_text_covers(t, wqy, han, strlen(han)));
	CHECK(!er_text_covers(t, lib, S("CO2 \xf0\x9f\x98\x80")));
	CHECK(er_text_covers(t, dv, S("CO2 \xf0\x9f\x98\x80")));
	/* Liberation has no U+FFFD, which invalid UTF-8 stands for. */
	CHECK(!er_text_covers(t, lib, S("a\xff")));
	CHECK(er_text_covers(t, dv, S("a\xff")));
}

/* Counts what an outline sends. */
typedef struct path_count {
	int moves, lines, cubics, closes, open;
	double lo, hi; /* the extremes of every coordinate */
} path_count;

static void pc_point(path_count *p, double x, double y)
{
	p->lo = fmin(p->lo, fmin(x, y));
	p->hi = fmax(p->hi, fmax(x, y));
}

static void pc_move(void *c, double x, double y)
{
	path_count *p = c;
	CHECK(!p->open); /* the previous contour was closed first */
	p->moves++;
	p->open = 1;
	pc_point(p, x, y);
}

static void pc_line(void *c, double x, double y)
{
	path_count *p = c;
	CHECK(p->open);
	p->lines++;
	pc_point(p, x, y);
}

static void pc_cubic(void *c, double x1, double y1, double x2, double y2, double x, double y)
{
	path_count *p = c;
	CHECK(p->open);
	p->cubics++;
	pc_point(p, x1, y1);
	pc_point(p, x2, y2);
	pc_point(p, x, y);
}

static void pc_close(void *c)
{
	path_count *p = c;
	CHECK(p->open);
	p->closes++;
	p->open = 0;
}

static void test_fallback(er_text *t)
{
	/* "GPT-3 人工智能 (t)": Latin, ideographs, Latin again. */
	const char *mixed = "GPT-3 \xe4\xba\xba\xe5\xb7\xa5\xe6\x99\xba\xe8\x83\xbd (t)";
	const char *han = "\xe4\xba\xba\xe5\xb7\xa5\xe6\x99\xba\xe8\x83\xbd";
	/* 人 U+200D 工: a joiner stays in the run around it. */
	const char *zwj = "\xe4\xba\xba\xe2\x80\x8d\xe5\xb7\xa5";
	/* a U+10FFFD b U+E000 U+10FFFD: two code points in no font, once each. */
	const char *none = "a\xf4\x8f\xbf\xbd b\xee\x80\x80\xf4\x8f\xbf\xbd";
	er_text_run *runs = NULL;
	size_t count = 0;
	uint32_t cps[4];
	size_t nmiss = 9;
	er_glyph *g = NULL;
	path_count pc = {0, 0, 0, 0, 0, 0, 0};
	er_path_sink sink = {&pc, pc_move, pc_line, pc_cubic, pc_close};
	int lib, libb, wqy, more = -1;

	CHECK_INT(er_text_font(t, "Liberation Sans", 0, 0, &lib), ER_OK);
	CHECK_INT(er_text_font(t, "Liberation Sans", 1, 0, &libb), ER_OK);
	CHECK_INT(er_text_font(t, "WenQuanYi Micro Hei", 0, 0, &wqy), ER_OK);

	/* Ideographs in Liberation measure as WenQuanYi draws them. */
	CHECK_NUM(er_text_width(t, lib, 12, han, strlen(han)), er_text_width(t, wqy, 12, han, strlen(han)));
	CHECK_NUM(er_text_width(t, libb, 12, han, strlen(han)), er_text_width(t, wqy, 12, han, strlen(han)));

	CHECK_INT(er_text_runs(t, lib, 12, mixed, strlen(mixed), &runs, &count), ER_OK);
	CHECK_INT(count, 3);
	if (count == 3) {
		CHECK_INT(runs[0].start, 0);
		CHECK_INT(runs[0].len, 6);
		CHECK_INT(runs[0].font_id, lib);
		CHECK_INT(runs[1].start, 6);
		CHECK_INT(runs[1].len, 12);
		CHECK_INT(runs[1].font_id, wqy);
		CHECK_INT(runs[2].start, 18);
		CHECK_INT(runs[2].len, 4);
		CHECK_INT(runs[2].font_id, lib);
		CHECK_NUM(runs[0].x, 0);
		CHECK_NUM(runs[0].width, er_text_width(t, lib, 12, S("GPT-3 ")));
		CHECK_NUM(runs[1].x, runs[0].width);
		CHECK_NUM(runs[1].width, er_text_width(t, wqy, 12, han, strlen(han)));
		CHECK_NUM(runs[2].x, runs[0].width + runs[1].width);
		CHECK_NUM(runs[2].x + runs[2].width, er_text_width(t, lib, 12, mixed, strlen(mixed)));
	}
	free(runs);
	/* The bold face falls back too (WenQuanYi has no bold: its regular). */
	CHECK_INT(er_text_runs(t, libb, 12, mixed, strlen(mixed), &runs, &count), ER_OK);
	CHECK(count == 3 && runs[1].font_id == wqy && runs[0].font_id == libb);
	free(runs);
	CHECK_INT(er_text_runs(t, lib, 12, zwj, strlen(zwj), &runs, &count), ER_OK);
	CHECK(count == 1 && runs[0].font_id == wqy && runs[0].len == strlen(zwj));
	free(runs);
	/* Text the font has all of: one run; no text: none. */
	CHECK_INT(er_text_runs(t, lib, 12, S("CO2"), &runs, &count), ER_OK);
	CHECK(count == 1 && runs[0].font_id == lib && runs[0].len == 3);
	free(runs);
	CHECK_INT(er_text_runs(t, lib, 12, "", 0, &runs, &count), ER_OK);
	CHECK(count == 0 && runs == NULL);
	CHECK_INT(er_text_runs(t, 999, 12, S("x"), &runs, &count), ER_ERR_USAGE);

	/* What no font has, listed once each, in order. */
	CHECK_INT(er_text_missing(t, lib, none, strlen(none), cps, 4, &nmiss, &more), ER_OK);
	CHECK_INT(nmiss, 2);
	CHECK(cps[0] == 0x10fffd && cps[1] == 0xe000 && more == 0);
	CHECK_INT(er_text_missing(t, lib, none, strlen(none), cps, 1, &nmiss, &more), ER_OK);
	CHECK_INT(nmiss, 1);
	CHECK(cps[0] == 0x10fffd && more == 1);
	CHECK_INT(er_text_missing(t, lib, mixed, strlen(mixed), cps, 4, &nmiss, NULL), ER_OK);
	CHECK_INT(nmiss, 0);
	CHECK_INT(er_text_missing(t, lib, S("a\xff\xe2\x80\x8d\n"), cps, 4, &nmiss, NULL), ER_OK);
	CHECK_INT(nmiss, 0);
	CHECK_INT(er_text_missing(t, 999, S("a"), cps, 4, &nmiss, NULL), ER_ERR_USAGE);
	/* Missing characters stay in the text's own font (its .notdef). */
	CHECK_INT(er_text_runs(t, lib, 12, none, strlen(none), &runs, &count), ER_OK);
	CHECK(count == 1 && runs[0].font_id == lib);
	free(runs);

	/* The outline of 人 at 12 pt: closed contours within the em box. */
	CHECK_INT(er_text_glyphs(t, wqy, 12, han, 3, &g, &count), ER_OK);
	if (count == 1) {
		pc.lo = 1e9;
		pc.hi = -1e9;
		CHECK_INT(er_text_outline(t, wqy, g[0].index, 12, &sink), ER_OK);
		CHECK(pc.moves >= 1 && pc.closes == pc.moves && !pc.open);
		CHECK(pc.lines + pc.cubics > 3);
		CHECK(pc.lo > -3 && pc.hi < 12 && pc.hi > 8);
	}
	free(g);
	/* Scripts that need shaping or right-to-left order are named, not drawn. */
	CHECK_INT(er_text_unshaped(S("CO2 \xe4\xba\xba \xce\xa9 \xd0\x96 caf\xc3\xa9")), 0);
	CHECK_INT(er_text_unshaped(S("a \xd8\xaa\xd8\xa3")), 0x062a);      /* Arabic */
	CHECK_INT(er_text_unshaped(S("\xd7\xa9\xd7\x9c")), 0x05e9);       /* Hebrew */
	CHECK_INT(er_text_unshaped(S("\xe0\xa4\xb9\xe0\xa4\xbf")), 0x0939); /* Devanagari */
	CHECK_INT(er_text_unshaped(S("\xef\xbb\xbfok")), 0);                /* a BOM is no letter */
	CHECK_INT(er_text_unshaped("", 0), 0);
	/* .notdef of a font without one drawn is fine, a bad id is not. */
	CHECK_INT(er_text_outline(t, 999, 1, 12, &sink), ER_ERR_USAGE);
}

/* Which characters join without a space across a template's line break. */
static void test_wide(void)
{
	CHECK(er_cp_spaceless(0x4eba));  /* 人 */
	CHECK(er_cp_spaceless(0x3002));  /* 。 */
	CHECK(er_cp_spaceless(0xff08));  /* （ */
	CHECK(er_cp_spaceless(0x3042));  /* あ */
	CHECK(!er_cp_spaceless(0xd55c)); /* 한: Korean puts spaces between words */
	CHECK(er_cp_spaceless(0x20000)); /* CJK Extension B */
	CHECK(!er_cp_spaceless('A'));
	CHECK(!er_cp_spaceless(0xe9));   /* é */
	CHECK(!er_cp_spaceless(' '));
	CHECK(!er_cp_spaceless(0x2014)); /* — */
	CHECK_INT(er_utf8_last(S("a\xe4\xba\xba")), 0x4eba);
	CHECK_INT(er_utf8_last(S("abc")), 'c');
	CHECK_INT(er_utf8_last(S("\xc3\xa9")), 0xe9);
	CHECK_INT(er_utf8_last("", 0), 0);
	/* A cut sequence reads as U+FFFD, never past the start. */
	CHECK_INT(er_utf8_last(S("\x80\x80\x80\x80")), 0xfffd);
}

static void test_breaks(void)
{
	char b[64];
	const char *han = "\xe4\xba\xba\xe5\xb7\xa5\xe6\x99\xba\xe8\x83\xbd"; /* 人工智能 */
	size_t i;

	er_text_breaks(S("hello world"), b);
	CHECK_INT(b[4], ER_BREAK_NO);
	CHECK_INT(b[5], ER_BREAK_ALLOW); /* after the space */
	CHECK_INT(b[6], ER_BREAK_NO);
	er_text_breaks(S("a\nb"), b);
	CHECK_INT(b[0], ER_BREAK_NO);
	CHECK_INT(b[1], ER_BREAK_MUST);
	er_text_breaks(han, strlen(han), b);
	for (i = 0; i < 12; i++) {
		if (i % 3 != 2)
			CHECK_INT(b[i], ER_BREAK_INSIDE);
		else if (i < 11)
			CHECK_INT(b[i], ER_BREAK_ALLOW); /* between ideographs */
	}
	/* 人，工 / 人。工: no break before the comma or the full stop. */
	er_text_breaks(S("\xe4\xba\xba\xef\xbc\x8c\xe5\xb7\xa5"), b);
	CHECK_INT(b[2], ER_BREAK_NO);
	CHECK_INT(b[5], ER_BREAK_ALLOW);
	er_text_breaks(S("\xe4\xba\xba\xe3\x80\x82\xe5\xb7\xa5"), b);
	CHECK_INT(b[2], ER_BREAK_NO);
	CHECK_INT(b[5], ER_BREAK_ALLOW);
	/* 人（工）: none after the opening bracket. */
	er_text_breaks(S("\xe4\xba\xba\xef\xbc\x88\xe5\xb7\xa5\xef\xbc\x89"), b);
	CHECK_INT(b[2], ER_BREAK_ALLOW);
	CHECK_INT(b[5], ER_BREAK_NO);
	CHECK_INT(b[8], ER_BREAK_NO);
	/* Continuation bytes of "é" and "₂". */
	er_text_breaks(S("\xc3\xa9\xe2\x82\x82"), b);
	CHECK_INT(b[0], ER_BREAK_INSIDE);
	CHECK_INT(b[2], ER_BREAK_INSIDE);
	CHECK_INT(b[3], ER_BREAK_INSIDE);
	/* Invalid UTF-8: no crash, and every entry one of ours. */
	memset(b, 0x55, sizeof b);
	er_text_breaks(S("\xff" "a \xe2\x82 \xc3\xed\xa0\x80z"), b);
	for (i = 0; i < sizeof "\xff" "a \xe2\x82 \xc3\xed\xa0\x80z" - 1; i++)
		CHECK(b[i] >= ER_BREAK_MUST && b[i] <= ER_BREAK_INSIDE);
	CHECK_INT(b[sizeof "\xff" "a \xe2\x82 \xc3\xed\xa0\x80z" - 1], 0x55);
	er_text_breaks("", 0, b); /* nothing to do, nothing written */
}

int main(void)
{
	recorder rec = {0, ""};
	er_diag_sink sink = {record, &rec, 0, 0};
	er_text *t = NULL, *quiet = NULL;
	int id = 0;

	CHECK_INT(er_text_new(&sink, &t), ER_OK);
	if (t == NULL)
		return test_done("test_text");
	test_fonts(t, &rec);
	CHECK_INT(sink.errors, 4);
	test_width(t);
	test_glyphs(t);
	test_covers(t);
	test_fallback(t);
	test_wide();
	test_breaks();
	er_text_free(t);

	/* Without a sink, errors are only returned. */
	CHECK_INT(er_text_new(NULL, &quiet), ER_OK);
	CHECK_INT(er_text_font(quiet, "No Such Font", 0, 0, &id), ER_ERR_DATA);
	CHECK_INT(er_text_font(quiet, "DejaVu Sans", 0, 1, &id), ER_OK);
	CHECK_INT(id, 0); /* ids start at 0 in each registry */
	er_text_free(quiet);
	er_text_free(NULL);
	return test_done("test_text");
}
