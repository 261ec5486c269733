/* Unit tests: locale-independent number parsing and printing (common/num). */
#include <locale.h>
#include <stdlib.h>

#include "common/num.h"
#include "test.h"

static double parse(const char *s)
{
	double v = -999;
	if (!er_num_parse(s, strlen(s), &v))
		return NAN;
	return v;
}

static const char *fmt(double v)
{
	static char b[64];
	er_num_format_shortest(v, b, sizeof b);
	return b;
}

static const char *fixed(double v, int d, char mark, const char *group)
{
	static char b[64];
	er_num_format_fixed(v, d, mark, group, b, sizeof b);
	return b;
}

int main(void)
{
	CHECK_NUM(parse("1287"), 1287);
	CHECK_NUM(parse("-3"), -3);
	CHECK_NUM(parse("502.5"), 502.5);
	CHECK_NUM(parse("1.2e3"), 1200);
	CHECK_NUM(parse(".5"), 0.5);
	CHECK_NUM(parse("5."), 5);
	CHECK_NUM(parse("0.1"), 0.1);
	CHECK_NUM(parse("2.7241537571650343e-05"), 2.7241537571650343e-05);
	CHECK_NUM(parse("175000000000.0"), 175e9);
	CHECK_NUM(parse("3.3499999999999998e+25"), 3.3499999999999998e+25);
	CHECK_NUM(parse("0.0249999999999999"), 0.0249999999999999);
	CHECK_NUM(parse("123456789012345678901234567890"), 123456789012345678901234567890.0);
	CHECK(isnan(parse("")));
	CHECK(isnan(parse("-")));
	CHECK(isnan(parse("1e")));
	CHECK(isnan(parse("1,5")));
	CHECK(isnan(parse("nan")));
	CHECK(isnan(parse("inf")));
	CHECK(isnan(parse("1e400"))); /* overflow is not a number we can hold */
	CHECK(isnan(parse("0x10")));

	CHECK_STR(fmt(1287), "1287");
	CHECK_STR(fmt(40), "40");
	CHECK_STR(fmt(0.1), "0.1");
	CHECK_STR(fmt(-3), "-3");
	CHECK_STR(fmt(1120), "1120");
	CHECK_STR(fmt(2.7241537571650343e-05), "2.7241537571650343e-05");
	CHECK_STR(fmt(1e-5), "1e-05");
	CHECK_STR(fmt(0.0001), "0.0001");
	CHECK_STR(fmt(175e9), "175000000000");
	CHECK_STR(fmt(1e16), "1e+16");
	CHECK_STR(fmt(0.30000000000000004), "0.30000000000000004");
	CHECK_STR(fmt(0), "0");

	CHECK_STR(fixed(1287.5, 1, '.', ","), "1,287.5");
	CHECK_STR(fixed(1287.5, 1, ',', "."), "1.287,5");
	CHECK_STR(fixed(1234567, 0, '.', ","), "1,234,567");
	CHECK_STR(fixed(-1234567.891, 2, '.', ","), "-1,234,567.89");
	CHECK_STR(fixed(-0.001, 1, '.', ","), "0.0");
	CHECK_STR(fixed(999, 0, '.', ","), "999");

	/* The process locale must not matter (a decimal-comma locale if installed). */
	if (setlocale(LC_ALL, "de_DE.UTF-8") || setlocale(LC_ALL, "fr_FR.UTF-8")) {
		CHECK_NUM(parse("2.7241537571650343e-05"), 2.7241537571650343e-05);
		CHECK_STR(fmt(0.1), "0.1");
		CHECK_STR(fixed(1287.5, 1, '.', ","), "1,287.5");
	}
	setlocale(LC_ALL, "C"); /* the strtod reference below follows the locale */
	/* Against glibc's strtod on random decimal strings of 1-21 digits. */
	{
		unsigned long long x = 0x9E3779B97F4A7C15ULL;
		int i, bad = 0;
		for (i = 0; i < 300000; i++) {
			char b[64];
			int nd, k, o = 0, dot, e;
			double mine, ref;
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			nd = 1 + (int)(x % 21);
			dot = (int)((x >> 8) % (unsigned)(nd + 1));
			e = (int)((x >> 16) % 61) - 30;
			for (k = 0; k < nd; k++) {
				unsigned long long y = x * (unsigned long long)(k + 7) * 0x2545F4914F6CDD1DULL;
				if (k == dot)
					b[o++] = '.';
				b[o++] = (char)('0' + (y >> 59) % 10);
			}
			o += sprintf(b + o, "e%d", e);
			ref = strtod(b, NULL);
			if (!er_num_parse(b, (size_t)o, &mine) || mine != ref) {
				if (bad++ < 5)
					fprintf(stderr, "mismatch on %s: %.17g vs %.17g\n", b, mine, ref);
			}
		}
		CHECK_INT(bad, 0);
	}
	/* Round trip of many values. */
	{
		unsigned long long x = 88172645463325252ULL;
		int i, bad = 0;
		for (i = 0; i < 100000; i++) {
			double v, back;
			char b[64];
			size_t n;
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(&v, &x, sizeof v);
			if (!isfinite(v))
				continue;
			n = er_num_format_shortest(v, b, sizeof b);
			if (!er_num_parse(b, n, &back) || back != v)
				bad++;
		}
		CHECK_INT(bad, 0);
	}
	return test_done("test_num");
}
