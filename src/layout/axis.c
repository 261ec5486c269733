/* axis.c - number formatting for labels and the choice of axis ticks. */
#include "axis.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/num.h"

size_t er_fmt_label(const er_locale *loc, double v, int decimals, char *buf, size_t cap)
{
	size_t n;
	double a = fabs(v);
	char mark = er_locale_mark(loc);

	if (!isfinite(v))
		return (size_t)snprintf(buf, cap, "%s", isnan(v) ? "n/a" : v < 0 ? "-inf" : "inf");
	if (a > 0 && a < 0.01) {
		/* Two significant digits for small values. */
		decimals = (int)(-floor(log10(a))) + 1;
		if (decimals > 12)
			decimals = 12;
	}
	n = er_locale_number(loc, v, decimals, 1, buf, cap);
	/* Drop trailing zeros after the mark, and a bare mark. The mark is the
	 * only such byte: a separator never holds an ASCII mark (see l10n.c). */
	if (decimals > 0 && memchr(buf, mark, n)) {
		while (n > 0 && buf[n - 1] == '0')
			n--;
		if (n > 0 && buf[n - 1] == mark)
			n--;
		buf[n] = '\0';
	}
	if (strcmp(buf, "-0") == 0) {
		buf[0] = '0';
		buf[1] = '\0';
		n = 1;
	}
	return n;
}

size_t er_fmt_compact(const er_locale *loc, double v, char *buf, size_t cap)
{
	static const struct {
		double scale;
		const char *suffix;
	} steps[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
	double a = fabs(v);
	size_t i, n;
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (a >= steps[i].scale * 0.9995) {
			n = er_fmt_label(loc, v / steps[i].scale, a / steps[i].scale >= 100 ? 0 : 1, buf, cap);
			if (n + 2 < cap) {
				strcpy(buf + n, steps[i].suffix);
				n += strlen(steps[i].suffix);
			}
			return n;
		}
	}
	return er_fmt_label(loc, v, 2, buf, cap);
}

size_t er_fmt_tick(const er_locale *loc, double v, int decimals, char *buf, size_t cap)
{
	char zero[3] = {'0', er_locale_mark(loc), '\0'};
	size_t n = er_locale_number(loc, v, decimals, 1, buf, cap);
	/* "-0" or "-0.00": a negative zero after rounding reads as zero. */
	if (buf[0] == '-' && strspn(buf + 1, zero) == strlen(buf + 1)) {
		memmove(buf, buf + 1, n);
		n--;
	}
	return n;
}

size_t er_nice_ticks(double lo, double hi, int target, int zero, double *ticks, size_t max,
                     int *decimals)
{
	static const double mult[] = {1, 2, 2.5, 5, 10};
	double span, raw, mag, step = 1, first, last;
	size_t i, n = 0;

	if (zero) {
		if (lo > 0)
			lo = 0;
		if (hi < 0)
			hi = 0;
	}
	if (!(hi > lo)) {
		/* A single value: a range around it. */
		if (hi == 0)
			hi = 1;
		else if (hi > 0)
			lo = zero ? 0 : hi / 2;
		else
			hi = zero ? 0 : lo / 2;
		if (!(hi > lo))
			hi = lo + 1;
	}
	if (target < 2)
		target = 2;
	span = hi - lo;
	raw = span / target;
	mag = pow(10, floor(log10(raw)));
	for (i = 0; i < sizeof mult / sizeof mult[0]; i++) {
		step = mult[i] * mag;
		if (span / step <= target + 0.5)
			break;
	}
	first = floor(lo / step + 1e-9) * step;
	last = ceil(hi / step - 1e-9) * step;
	for (i = 0; n < max; i++) {
		double t = first + (double)i * step;
		if (t > last + step * 1e-9)
			break;
		/* Snap to the step grid to avoid 0.30000000000000004. */
		t = round(t / step) * step;
		if (fabs(t) < step * 1e-9)
			t = 0;
		ticks[n++] = t;
	}
	/* Decimals: enough for the step (2.5 needs one more than 5). */
	{
		int d = 0;
		double s = step;
		while (d < 12 && fabs(s - round(s)) > 1e-9 * fmax(1, fabs(s))) {
			s *= 10;
			d++;
		}
		*decimals = d;
	}
	return n;
}

size_t er_log_ticks(double lo, double hi, double *ticks, size_t max)
{
	int e0 = (int)floor(log10(lo) + 1e-9), e1 = (int)ceil(log10(hi) - 1e-9), e;
	size_t n = 0;
	if (e1 <= e0)
		e1 = e0 + 1;
	for (e = e0; e <= e1 && n < max; e++)
		ticks[n++] = pow(10, e);
	return n;
}
