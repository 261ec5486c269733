/* measure.c - measurers (text stage and fake) and line wrapping. */
#include "measure.h"

#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "text/text.h"

static int font_id(er_text_measurer *tm, int font)
{
	return font == 1 ? tm->ids[1] : tm->ids[0];
}

static double text_width(void *ctx, int font, double size, const char *s, size_t n)
{
	er_text_measurer *tm = ctx;
	return er_text_width(tm->t, font_id(tm, font), size, s, n);
}

static void text_metrics(void *ctx, int font, double size, double *ascent, double *descent)
{
	er_text_measurer *tm = ctx;
	er_text_metrics(tm->t, font_id(tm, font), size, ascent, descent);
}

er_status er_text_measurer_init(er_text_measurer *tm, er_text *t, const char *family)
{
	er_status st;
	memset(tm, 0, sizeof *tm);
	tm->t = t;
	if ((st = er_text_font(t, family, 0, 0, &tm->ids[0])) != ER_OK ||
	    (st = er_text_font(t, family, 1, 0, &tm->ids[1])) != ER_OK)
		return st;
	tm->m.ctx = tm;
	tm->m.width = text_width;
	tm->m.metrics = text_metrics;
	return ER_OK;
}

static double fake_width(void *ctx, int font, double size, const char *s, size_t n)
{
	(void)ctx;
	(void)font;
	return (double)er_utf8_count(s, n) * size * 0.5;
}

static void fake_metrics(void *ctx, int font, double size, double *ascent, double *descent)
{
	(void)ctx;
	(void)font;
	*ascent = 0.8 * size;
	*descent = 0.2 * size;
}

void er_fake_measurer_init(er_measurer *m)
{
	m->ctx = NULL;
	m->width = fake_width;
	m->metrics = fake_metrics;
}

static const char ellipsis[] = "\xe2\x80\xa6";

size_t er_ellipsize(const er_measurer *m, int font, double size, const char *s, size_t n,
                    double max_width)
{
	double ew = m->width(m->ctx, font, size, ellipsis, 3);
	size_t end = n;
	if (ew > max_width)
		return 0;
	/* Drop characters from the end until the prefix and the ellipsis fit. */
	while (end > 0) {
		if (m->width(m->ctx, font, size, s, end) + ew <= max_width)
			break;
		do
			end--;
		while (end > 0 && ((unsigned char)s[end] & 0xc0) == 0x80);
	}
	while (end > 0 && s[end - 1] == ' ')
		end--;
	return end;
}

/* Trims spaces at both ends of a span. */
static void trim(const char *s, size_t *off, size_t *len)
{
	while (*len && (s[*off] == ' ' || s[*off] == '\n' || s[*off] == '\r' || s[*off] == '\t')) {
		(*off)++;
		(*len)--;
	}
	while (*len && (s[*off + *len - 1] == ' ' || s[*off + *len - 1] == '\n' ||
	                s[*off + *len - 1] == '\r' || s[*off + *len - 1] == '\t'))
		(*len)--;
}

/* Ends a line at byte `at`. On the last allowed line the rest of the text
 * goes into it instead, marked cut; returns 1 then (wrapping is over). */
static int end_line(const char *s, size_t n, er_span *lines, size_t *count, size_t max_lines,
                    size_t start, size_t at, int *cut)
{
	er_span *l = &lines[*count];
	int last = *count == max_lines - 1;
	l->off = start;
	l->len = (last ? n : at) - start;
	trim(s, &l->off, &l->len);
	(*count)++;
	if (last)
		*cut = 1;
	return last;
}

size_t er_wrap(const er_measurer *m, int font, double size, const char *s, size_t n,
               double max_width, er_span *lines, size_t max_lines, int *cut)
{
	char small[512], *brks = n <= sizeof small ? small : malloc(n);
	size_t count = 0, start = 0, i, last_break = (size_t)-1;

	*cut = 0;
	if (max_lines == 0)
		return 0;
	if (brks == NULL) {
		/* No memory for break opportunities: one cut line. */
		lines[0].off = 0;
		lines[0].len = n;
		*cut = m->width(m->ctx, font, size, s, n) > max_width;
		return 1;
	}
	er_text_breaks(s, n, brks);
	for (i = 0; i < n; i++) {
		size_t end = i + 1; /* the line would end after byte i */
		int must;
		if (brks[i] == ER_BREAK_INSIDE)
			continue;
		must = brks[i] == ER_BREAK_MUST && end < n;
		{
			size_t off = start, len = end - start;
			trim(s, &off, &len);
			if (m->width(m->ctx, font, size, s + off, len) > max_width && len > 0) {
				/* Too wide: break at the last opportunity, or inside the word. */
				size_t cut_at;
				if (last_break != (size_t)-1 && last_break > start)
					cut_at = last_break;
				else {
					/* Split the word: as many characters as fit (at least one). */
					size_t k = start, best = 0;
					while (k < end) {
						size_t next = k + 1;
						while (next < end && ((unsigned char)s[next] & 0xc0) == 0x80)
							next++;
						{
							size_t o2 = start, l2 = next - start;
							trim(s, &o2, &l2);
							if (m->width(m->ctx, font, size, s + o2, l2) > max_width && best)
								break;
						}
						best = next;
						k = next;
					}
					cut_at = best;
				}
				if (end_line(s, n, lines, &count, max_lines, start, cut_at, cut))
					goto out;
				start = cut_at;
				last_break = (size_t)-1;
				i = start - 1; /* re-examine from the new line's start */
				continue;
			}
		}
		if (must) {
			if (end_line(s, n, lines, &count, max_lines, start, end, cut))
				goto out;
			start = end;
			last_break = (size_t)-1;
			continue;
		}
		if (brks[i] == ER_BREAK_ALLOW)
			last_break = end;
	}
	if (start < n || count == 0) {
		lines[count].off = start;
		lines[count].len = n - start;
		trim(s, &lines[count].off, &lines[count].len);
		count++;
	}
out:
	if (brks != small)
		free(brks);
	return count;
}
