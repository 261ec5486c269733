/* libFuzzer target for the plain-line splitter: every line of the input is
 * read by libcsv and by er_plain_line_split, which must give the same
 * fields and records (or rightly decline the line). The first byte chooses
 * the delimiter and the line terminator. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../unit/plain_line_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char delims[] = {',', ';', '\t', ' ', '|', '"', 'a', 0};
	const char *s = (const char *)data, *end;
	unsigned char delim;
	int term, crlf;

	if (size < 1)
		return 0;
	delim = delims[data[0] & 7];
	term = (data[0] & 8) ? '\r' : '\n';
	crlf = (data[0] & 16) != 0;
	s++;
	end = (const char *)data + size;
	/* Lines as the reader cuts them: at each CR or LF. */
	while (s <= end) {
		const char *e = s;
		while (e < end && *e != '\r' && *e != '\n')
			e++;
		if (!pld_same(s, (size_t)(e - s), delim, term, crlf))
			abort();
		s = e + 1;
	}
	return 0;
}
