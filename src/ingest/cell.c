/* cell.c - cell classification: missing values, numbers with units, date-times. */
#include "cell.h"

#include <math.h>
#include <string.h>

#include "../common/num.h"
#include "../common/units.h"
#include "../common/util.h"

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* Drops the blanks around a cell's text. */
static void trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)(*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

bool er_cell_is_missing(const char *s, size_t n)
{
	trim(&s, &n);
	if (n == 0)
		return true;
	if (n > 4)
		return false;
	return (n == 1 && s[0] == '-') || er_ascii_ieq(s, n, "na") || er_ascii_ieq(s, n, "n/a") ||
	       er_ascii_ieq(s, n, "nan") || er_ascii_ieq(s, n, "null") || er_ascii_ieq(s, n, "none");
}

/* Length of a thousands separator at s: ',' '.' or ' ' (ASCII), or the
 * no-break spaces U+00A0 and U+202F that spreadsheets write. 0 if none. */
static size_t group_sep(const char *s, size_t n, char decimal)
{
	unsigned char c = (unsigned char)s[0];
	if (c == ' ')
		return 1;
	if (decimal == '.' && c == ',')
		return 1;
	if (decimal == ',' && c == '.')
		return 1;
	if (n >= 2 && c == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	if (n >= 3 && c == 0xe2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xaf)
		return 3;
	return 0;
}

/* Scans the numeric prefix of s into a plain C-syntax copy in out
 * (separators removed, decimal mark as '.'). Returns the bytes consumed, or
 * 0 when s does not start with a number. */
static size_t scan_number(const char *s, size_t n, char decimal, char *out, size_t *out_len)
{
	size_t i = 0, o = 0, int_digits = 0, group_digits = 0, cap = 96;
	bool grouped = false, any = false;

	if (i < n && (s[i] == '-' || s[i] == '+' || (unsigned char)s[i] == 0xe2)) {
		if (s[i] == '-' || s[i] == '+') {
			out[o++] = s[i++];
		} else if (n >= 3 && (unsigned char)s[1] == 0x88 && (unsigned char)s[2] == 0x92) {
			out[o++] = '-'; /* U+2212 MINUS SIGN */
			i += 3;
		} else {
			return 0;
		}
	}
	while (i < n) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (o + 1 >= cap)
				return 0;
			out[o++] = c;
			int_digits++;
			group_digits++;
			any = true;
			i++;
			continue;
		}
		{
			size_t sl = int_digits ? group_sep(s + i, n - i, decimal) : 0;
			/* A separator must be followed by exactly three digits. */
			if (sl && i + sl + 3 <= n && s[i + sl] >= '0' && s[i + sl] <= '9' &&
			    s[i + sl + 1] >= '0' && s[i + sl + 1] <= '9' && s[i + sl + 2] >= '0' &&
			    s[i + sl + 2] <= '9' &&
			    (i + sl + 3 == n || !(s[i + sl + 3] >= '0' && s[i + sl + 3] <= '9'))) {
				if (grouped ? group_digits != 3 : group_digits > 3)
					return 0;
				grouped = true;
				group_digits = 0;
				i += sl;
				continue;
			}
		}
		break;
	}
	if (grouped && group_digits != 3)
		return 0;
	if (i < n && s[i] == decimal) {
		size_t frac = 0;
		out[o++] = '.';
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (o + 1 >= cap)
				return 0;
			out[o++] = s[i++];
			frac++;
		}
		any = any || frac > 0;
	}
	if (!any)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1, start;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		start = j;
		while (j < n && s[j] >= '0' && s[j] <= '9' && j - start < 6)
			j++;
		if (j > start && !(j < n && s[j] >= '0' && s[j] <= '9')) {
			if (o + (j - i) + 1 >= cap)
				return 0;
			memcpy(out + o, s + i, j - i);
			o += j - i;
			i = j;
		}
	}
	*out_len = o;
	return i;
}

/* Trims *s and scans it as a number, plain C syntax first, then the cell
 * forms scan_number rewrites into tmp (then *s and *n point there). */
static bool cell_scan(const char **s, size_t *n, char decimal, char tmp[100], er_num_dec *d)
{
	size_t len, used;

	trim(s, n);
	/* The common case, a plain C-syntax number, needs no copy. */
	if (decimal == '.' && er_num_scan(*s, *n, d))
		return true;
	used = scan_number(*s, *n, decimal, tmp, &len);
	if (used == 0 || used != *n || !er_num_scan(tmp, len, d))
		return false;
	*s = tmp;
	*n = len;
	return true;
}

bool er_cell_number(const char *s, size_t n, char decimal, double *out)
{
	char tmp[100];
	er_num_dec d;

	return cell_scan(&s, &n, decimal, tmp, &d) && er_num_exact(&d, s, n, out);
}

bool er_cell_is_number(const char *s, size_t n, char decimal)
{
	char tmp[100];
	er_num_dec d;

	return cell_scan(&s, &n, decimal, tmp, &d) && er_num_finite(&d, s, n);
}

static er_cell_kind parse_cell(const char *s, size_t n, char decimal, er_cell *out,
                               bool plain_failed);

er_cell_kind er_cell_scan(const char *s, size_t n, char decimal, er_cell *out)
{
	unsigned char c0 = n ? (unsigned char)s[0] : 0;
	out->approx = false;
	if (decimal == '.' && ((c0 >= '0' && c0 <= '9') || (c0 == '-' && n > 1))) {
		if (!er_num_scan(s, n, &out->dec))
			/* Not a plain number (a date, an identifier): the slower
			 * forms need not try that again. */
			return parse_cell(s, n, decimal, out, true);
		out->num = er_num_approx(&out->dec);
		if (!isnan(out->num)) {
			out->unit = NULL;
			out->unit_len = 0;
			out->approx = true;
			out->text = s;
			out->text_len = n;
			return out->kind = ER_CELL_NUMBER;
		}
	}
	return parse_cell(s, n, decimal, out, false);
}

double er_cell_exact(er_cell *c)
{
	if (c->approx) {
		er_num_exact(&c->dec, c->text, c->text_len, &c->num);
		c->approx = false;
	}
	return c->num;
}

er_cell_kind er_cell_parse(const char *s, size_t n, char decimal, er_cell *out)
{
	return parse_cell(s, n, decimal, out, false);
}

/* plain_failed: s[0, n) is known not to be a plain C-syntax number. */
static er_cell_kind parse_cell(const char *s, size_t n, char decimal, er_cell *out,
                               bool plain_failed)
{
	char tmp[100];
	size_t len, used, n0 = n;
	unsigned char c0;

	trim(&s, &n);
	out->unit = NULL;
	out->unit_len = 0;
	out->approx = false;
	if (n == 0)
		return out->kind = ER_CELL_MISSING;
	c0 = (unsigned char)s[0];
	plain_failed = plain_failed && n == n0; /* trimming may have made one */
	/* Plain numbers first: the bulk of real files. */
	if (decimal == '.' && !plain_failed &&
	    ((c0 >= '0' && c0 <= '9') || (c0 == '-' && n > 1)) && er_num_parse(s, n, &out->num))
		return out->kind = ER_CELL_NUMBER;
	if (er_cell_is_missing(s, n))
		return out->kind = ER_CELL_MISSING;
	if (!((c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '+' || c0 == '.' || c0 == ',' ||
	      c0 == 0xe2))
		return out->kind = ER_CELL_TEXT;
	if (decimal == '.' && !plain_failed && er_num_parse(s, n, &out->num))
		return out->kind = ER_CELL_NUMBER;
	/* Date-times start with four digits and a dash. */
	if (n >= 10 && s[4] == '-' && er_time_parse(s, n, &out->time))
		return out->kind = ER_CELL_DATETIME;
	used = scan_number(s, n, decimal, tmp, &len);
	if (used == 0 || !er_num_parse(tmp, len, &out->num))
		return out->kind = ER_CELL_TEXT;
	if (used < n) {
		/* A unit, after optional spaces: "1,287 MWh", "12%", "175B". */
		size_t u = used;
		while (u < n && is_space((unsigned char)s[u]))
			u++;
		if (u == used && s[u] != '%' && !((s[u] >= 'A' && s[u] <= 'Z') || (s[u] >= 'a' && s[u] <= 'z')))
			return out->kind = ER_CELL_TEXT;
		if (!er_unit_is_symbol(s + u, n - u))
			return out->kind = ER_CELL_TEXT;
		out->unit = s + u;
		out->unit_len = n - u;
	}
	return out->kind = ER_CELL_NUMBER;
}
