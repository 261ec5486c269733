/* detect.c - guessing the delimiter from the first lines of a file. */
#include "reader_int.h"

/* Candidates in order of preference when the evidence ties. */
static const char candidates[] = {',', ';', '\t', '|'};
#define NCAND 4
#define MAX_LINES 32

char er_detect_delimiter(const char *s, size_t n)
{
	size_t counts[NCAND][MAX_LINES] = {{0}};
	size_t lines = 0, i, k;
	int quoted = 0, best = 0;
	size_t best_score = 0, best_mode = 0;

	/* Count each candidate outside quotes, per record, in the first records. */
	for (i = 0; i < n && lines < MAX_LINES; i++) {
		char c = s[i];
		if (c == '"') {
			quoted = !quoted;
		} else if (!quoted && c == '\n') {
			lines++;
		} else if (!quoted) {
			for (k = 0; k < NCAND; k++)
				if (c == candidates[k])
					counts[k][lines]++;
		}
	}
	if (i == n && lines < MAX_LINES && i > 0 && s[n - 1] != '\n')
		lines++; /* a last line without newline */
	if (lines == 0)
		return ',';
	/* Score: how many records share the most common non-zero count. */
	for (k = 0; k < NCAND; k++) {
		size_t mode = 0, mode_n = 0, a, b;
		for (a = 0; a < lines; a++) {
			size_t same = 0;
			if (counts[k][a] == 0)
				continue;
			for (b = 0; b < lines; b++)
				same += counts[k][b] == counts[k][a];
			if (same > mode_n || (same == mode_n && counts[k][a] > mode)) {
				mode_n = same;
				mode = counts[k][a];
			}
		}
		if (mode_n > best_score || (mode_n == best_score && mode > best_mode && mode_n > 0)) {
			best_score = mode_n;
			best_mode = mode;
			best = (int)k;
		}
	}
	return best_score ? candidates[best] : ',';
}
