/* datetime.h - ISO 8601 dates and date-times, without the C library's time zone state. */
#ifndef ER_DATETIME_H
#define ER_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	ER_TIME_ZONED = 1,    /* had Z or an offset: us is a UTC instant */
	ER_TIME_HAS_TIME = 2, /* had a time of day (else a plain date) */
};

typedef struct er_time {
	/* Microseconds since 1970-01-01T00:00:00. For a zoned value this is the
	 * UTC instant; for a value without zone it is the wall-clock reading
	 * counted as if it were UTC (its zone is decided later, by the caller). */
	int64_t us;
	int16_t offset_min; /* the offset written in the text (zoned values) */
	uint8_t flags;
} er_time;

/* Parses YYYY-MM-DD, optionally followed by 'T' or ' ' and HH:MM[:SS[.frac]],
 * optionally followed by Z, +HH:MM, +HHMM or +HH. Years 0000-9999. Rejects
 * impossible dates (2025-02-30) and times. */
bool er_time_parse(const char *s, size_t n, er_time *out);

/* Writes the value back in ISO form: "2025-03-01", "2025-03-01T10:11:12",
 * with ".123" when it has a fraction, and "Z" for zoned values (shown in UTC).
 * Returns the length; cap must be at least 40. */
size_t er_time_format(const er_time *t, char *buf, size_t cap);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t er_days_from_civil(int64_t y, int m, int d);
void er_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* Splits microseconds since the epoch into calendar fields. */
void er_time_fields(int64_t us, int64_t *y, int *mon, int *day, int *h, int *min, int *s, int *usec);

#endif
