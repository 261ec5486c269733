/* Unit tests: cell classification, numbers with units, missing values (ingest/cell). */
#include "ingest/cell.h"
#include "test.h"

static er_cell c;

static er_cell_kind kind(const char *s, char decimal)
{
	return er_cell_parse(s, strlen(s), decimal, &c);
}

static const char *unit(void)
{
	static char b[64];
	if (!c.unit)
		return NULL;
	memcpy(b, c.unit, c.unit_len);
	b[c.unit_len] = '\0';
	return b;
}

/* er_cell_is_number says yes exactly when er_cell_number parses. */
static void is_number_agrees(void)
{
	static const char *const texts[] = {
		"0", "-0", "12", " 12 ", "1.5", "-1.5e3", "1e22", "1e23", "12345678901234567890",
		"1e308", "1e309", "1e400", "-1e400", "1e-400", "0.1e-330", "1,234.5", "1 234,5",
		"1.234,5", "12,34", "abc", "", " ", "1e", "e5", "--1", "+3", "\xe2\x88\x92" "4",
		"1.2.3", "0x10", "inf", "nan", "12 kWh", ".5", "5.", "1234567890123456789012345e-10"};
	size_t i;
	int dec;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		for (dec = 0; dec < 2; dec++) {
			double v;
			char d = dec ? ',' : '.';
			bool want = er_cell_number(texts[i], strlen(texts[i]), d, &v);
			if (er_cell_is_number(texts[i], strlen(texts[i]), d) != want) {
				fprintf(stderr, "is_number(\"%s\", '%c') != %d\n", texts[i], d, want);
				CHECK(0);
			}
		}
	}
}

int main(void)
{
	is_number_agrees();
	static const char *const missing[] = {"", " ", "NA", "N/A", "n/a", "NaN", "nan", "null",
	                                      "NULL", "-", "None"};
	size_t i;

	for (i = 0; i < sizeof missing / sizeof missing[0]; i++)
		CHECK_INT(kind(missing[i], '.'), ER_CELL_MISSING);

	CHECK_INT(kind("1,287", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 1287);
	CHECK_INT(kind("1 287", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 1287);
	CHECK_INT(kind("1\xc2\xa0" "287", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 1287);
	CHECK_INT(kind("1,234,567.5", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 1234567.5);
	CHECK_INT(kind("502.5", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 502.5);
	CHECK_INT(kind("1.2e3", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 1200);
	CHECK_INT(kind("-3", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, -3);
	CHECK_INT(kind("\xe2\x88\x92" "3", '.'), ER_CELL_NUMBER); /* U+2212 */
	CHECK_NUM(c.num, -3);
	CHECK_INT(kind("12%", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 12);
	CHECK_STR(unit(), "%");
	CHECK_INT(kind("1,287 MWh", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 1287);
	CHECK_STR(unit(), "MWh");
	CHECK_INT(kind("429 gCO2eq/kWh", '.'), ER_CELL_NUMBER);
	CHECK_STR(unit(), "gCO2eq/kWh");
	CHECK_INT(kind("502 tonnes", '.'), ER_CELL_NUMBER);
	CHECK_STR(unit(), "tonnes");
	CHECK_INT(kind("175B", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 175);
	CHECK_STR(unit(), "B");
	CHECK_INT(kind(" 42 ", '.'), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 42);

	/* Decimal comma. */
	CHECK_INT(kind("1.287,5", ','), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 1287.5);
	CHECK_INT(kind("0,016", ','), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 0.016);
	CHECK_INT(kind("1 287,5 kWh", ','), ER_CELL_NUMBER);
	CHECK_NUM(c.num, 1287.5);
	CHECK_STR(unit(), "kWh");

	/* Not numbers. */
	CHECK_INT(kind("1,28", '.'), ER_CELL_TEXT);
	/* A CodeCarbon run_id that starts with digits is text, not 1234567 of a unit. */
	CHECK_INT(kind("1234567c-437b-a0d7-9e029f1132d7", '.'), ER_CELL_TEXT);
	CHECK_INT(kind("12,34,567", '.'), ER_CELL_TEXT);
	CHECK_INT(kind("1.287,5", '.'), ER_CELL_TEXT);
	CHECK_INT(kind("GPT-3", '.'), ER_CELL_TEXT);
	CHECK_INT(kind("3 Main Street", '.'), ER_CELL_TEXT);
	CHECK_INT(kind("1-2", '.'), ER_CELL_TEXT);
	CHECK_INT(kind("A100 PCIe 40/80GB", '.'), ER_CELL_TEXT);

	/* Date-times. */
	CHECK_INT(kind("2025-03-01", '.'), ER_CELL_DATETIME);
	CHECK_INT(kind("2025-03-01T10:11:12", '.'), ER_CELL_DATETIME);
	CHECK_INT(kind("2025-03-01 10:11:12.123+02:00", '.'), ER_CELL_DATETIME);
	CHECK(c.time.flags & ER_TIME_ZONED);
	CHECK_INT(kind("2025", '.'), ER_CELL_NUMBER);
	return test_done("test_cell");
}
