/* Unit tests: ISO 8601 parsing and civil-date arithmetic (common/datetime). */
#include "common/datetime.h"
#include "test.h"

static const char *roundtrip(const char *s)
{
	static char b[64];
	er_time t;
	if (!er_time_parse(s, strlen(s), &t))
		return "(invalid)";
	er_time_format(&t, b, sizeof b);
	return b;
}

int main(void)
{
	er_time t;

	CHECK_STR(roundtrip("2025-03-01"), "2025-03-01");
	CHECK_STR(roundtrip("2025-03-01T10:11:12"), "2025-03-01T10:11:12");
	CHECK_STR(roundtrip("2025-03-01 10:11:12.123+02:00"), "2025-03-01T08:11:12.123Z");
	CHECK_STR(roundtrip("2025-03-01T10:11"), "2025-03-01T10:11:00");
	CHECK_STR(roundtrip("2025-03-01T00:30:00-0130"), "2025-03-01T02:00:00Z");
	CHECK_STR(roundtrip("2025-01-01T00:00:00Z"), "2025-01-01T00:00:00Z");
	CHECK_STR(roundtrip("2024-02-29"), "2024-02-29");
	CHECK_STR(roundtrip("2025-02-29"), "(invalid)");
	CHECK_STR(roundtrip("2025-13-01"), "(invalid)");
	CHECK_STR(roundtrip("2025-03-01T24:00:00"), "(invalid)");
	CHECK_STR(roundtrip("2025-03-01T10:11:12X"), "(invalid)");
	CHECK_STR(roundtrip("2025-3-1"), "(invalid)");
	CHECK_STR(roundtrip("1900-01-01"), "1900-01-01");

	CHECK(er_time_parse("1970-01-01T00:00:01Z", 20, &t));
	CHECK_INT(t.us, 1000000);
	CHECK(t.flags & ER_TIME_ZONED);
	CHECK(er_time_parse("1969-12-31T23:59:59", 19, &t));
	CHECK_INT(t.us, -1000000);
	CHECK(!(t.flags & ER_TIME_ZONED));
	CHECK_INT(er_days_from_civil(2000, 3, 1), 11017);
	{
		int64_t y;
		int m, d;
		er_civil_from_days(-1, &y, &m, &d);
		CHECK_INT(y, 1969);
		CHECK_INT(m, 12);
		CHECK_INT(d, 31);
	}
	return test_done("test_datetime");
}
