/* num.h - locale-independent number parsing and printing.
 *
 * Nothing here reads LC_NUMERIC: a program that calls setlocale() gets the
 * same digits as one that does not. */
#ifndef ER_NUM_H
#define ER_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses exactly n bytes of s as a C-syntax decimal number
 * ([+-]digits[.digits][(e|E)[+-]digits], or [+-].digits) with '.' as the
 * decimal mark. The result is correctly rounded. Returns false, leaving
 * *out untouched, when the bytes are not such a number or overflow. */
bool er_num_parse(const char *s, size_t n, double *out);

/* A decimal number taken apart: mant x 10^exp10 (mant holds the first 19
 * significant digits; sig counts all of them). */
typedef struct er_num_dec {
	uint64_t mant;
	int exp10;
	int sig;
	bool neg;
} er_num_dec;

/* The syntax check of er_num_parse, without computing the double. */
bool er_num_scan(const char *s, size_t n, er_num_dec *d);
/* A value within a few units in the last place of the exact one, or NaN
 * when that is not cheap (more than 19 digits, large exponents). */
double er_num_approx(const er_num_dec *d);
/* The correctly rounded value of a scanned number (s, n: the same text). */
bool er_num_exact(const er_num_dec *d, const char *s, size_t n, double *out);
/* Whether er_num_exact succeeds (the value is finite), converting only when
 * the digits could overflow: up to 19 of them times 10^+-22 cannot. */
bool er_num_finite(const er_num_dec *d, const char *s, size_t n);

/* Writes the shortest decimal text that reads back as exactly v
 * (e.g. "0.1", "1287", "2.7241537571650343e-05"); "nan"/"inf"/"-inf" for
 * non-finite values. Returns the length. cap must be at least 32. */
size_t er_num_format_shortest(double v, char *buf, size_t cap);

/* Writes v with exactly `decimals` digits after the mark (0..17), using
 * `mark` as the decimal mark and `group` (0 for none) as thousands separator.
 * Returns the length. cap must be at least 64. */
size_t er_num_format_fixed(double v, int decimals, char mark, const char *group,
                           char *buf, size_t cap);

#endif
