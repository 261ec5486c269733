/* test_plain_line.c - er_plain_line_split gives libcsv's records: known
 * fields for lines a reader meets (blanks, empty fields, trimming, other
 * delimiters, NUL and non-ASCII bytes, long fields), lines it must decline,
 * and then many random lines compared with libcsv itself. */
#include <stdint.h>
#include <stdlib.h>

#include "plain_line_diff.h"
#include "test.h"

/* The splitter's reading of s (a C string) with delimiter d and LF, as text. */
static const char *split_text(const char *s, unsigned char d)
{
	static char out[512];
	er_buf b = ER_BUF_INIT;
	if (!pld_split(s, strlen(s), d, '\n', 0, &b))
		er_buf_puts(&b, "declined");
	snprintf(out, sizeof out, "%.*s", (int)b.len, b.data ? b.data : "");
	er_buf_free(&b);
	return out;
}

static void test_known_fields(void)
{
	static const struct {
		const char *line;
		unsigned char delim;
		const char *want;
	} cases[] = {
		{"", ',', ""},
		{" \t ", ',', ""},
		{"a", ',', "1:a|R10;"},
		{"  a b \t", ',', "3:a b|R10;"},
		{"a,b", ',', "1:a|1:b|R10;"},
		{",", ',', "0:|0:|R10;"},
		{" , ", ',', "0:|0:|R10;"},
		{"a,", ',', "1:a|0:|R10;"},
		{"2024-10-01T00:00:50,x , 1.5e-06", ',', "19:2024-10-01T00:00:50|1:x|7:1.5e-06|R10;"},
		/* Spaces and tabs are blanks unless they are the delimiter. */
		{"a\t b\t", '\t', "1:a|1:b|0:|R10;"},
		{" a  b", ' ', "0:|1:a|0:|1:b|R10;"},
		{"\t", '\t', "0:|0:|R10;"},
		{"a;b,c", ';', "1:a|3:b,c|R10;"},
		/* A quote anywhere sends the line to libcsv; so does a quote delimiter. */
		{"a,\"b\"", ',', "declined"},
		{"a\"b", ',', "declined"},
		{"a,b", '"', "declined"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = split_text(cases[i].line, cases[i].delim);
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "line \"%s\", delimiter %d:\n", cases[i].line, cases[i].delim);
		CHECK_STR(got, cases[i].want);
	}
}

static void test_same_as_libcsv(void)
{
	static const char *lines[] = {"", " ", "a", " a ", "a,b", ",,", "\t,\t", "x ,\ty\t,z"};
	static const unsigned char delims[] = {',', ';', '\t', ' ', '|'};
	size_t i, j;
	char big[70000 + 3];

	for (i = 0; i < sizeof lines / sizeof *lines; i++)
		for (j = 0; j < sizeof delims; j++) {
			CHECK(pld_same(lines[i], strlen(lines[i]), delims[j], '\n', 0));
			CHECK(pld_same(lines[i], strlen(lines[i]), delims[j], '\n', 1));
			CHECK(pld_same(lines[i], strlen(lines[i]), delims[j], '\r', 0));
		}
	/* Bytes libcsv passes through: NUL, invalid UTF-8, a quote. */
	CHECK(pld_same("a\0b,\xff\xfe", 7, ',', '\n', 0));
	CHECK(pld_same("\0", 1, ',', '\n', 0));
	CHECK(pld_same("\"q\",r", 5, ',', '\n', 0));
	/* A field longer than libcsv's buffer block and than a short copy. */
	memset(big, 'x', sizeof big);
	big[0] = ' ';
	big[35000] = ',';
	big[sizeof big - 1] = '\t';
	CHECK(pld_same(big, sizeof big, ',', '\n', 0));
	CHECK(pld_same(big, 40, ',', '\n', 0));
}

/* Random lines over an alphabet of every byte class the splitter treats
 * apart; a fixed seed, so a failure repeats. */
static void test_random_lines(void)
{
	static const char alphabet[] = {'a', 'b', ' ', '\t', ',', ';', '|', '\0', '\xe9', '"'};
	static const unsigned char delims[] = {',', ';', '\t', ' ', '|'};
	uint32_t x = 12345;
	size_t k, i, bad = 0;
	char line[48];

	for (k = 0; k < 200000; k++) {
		size_t n;
		for (i = 0; i < sizeof line; i++) {
			x = x * 1103515245u + 12345u;
			/* Few quotes: most lines must reach the splitter. */
			line[i] = alphabet[(x >> 16) % (sizeof alphabet - ((x >> 8) & 7 ? 1 : 0))];
		}
		x = x * 1103515245u + 12345u;
		n = (x >> 16) % (sizeof line + 1);
		if (!pld_same(line, n, delims[k % sizeof delims], k % 3 == 2 ? '\r' : '\n', k % 3 == 1))
			bad++;
	}
	CHECK_INT(bad, 0);
}

int main(void)
{
	test_known_fields();
	test_same_as_libcsv();
	test_random_lines();
	return test_done("test_plain_line");
}
