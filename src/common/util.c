/* util.c - small string helpers. */
#include "util.h"
#include "units.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *er_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p == NULL)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *er_strdup(const char *s)
{
	return s ? er_strndup(s, strlen(s)) : NULL;
}

int er_ascii_ieq(const char *s, size_t n, const char *word)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)word[i];
		if (b == '\0')
			return 0;
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b + 32);
		if (a != b)
			return 0;
	}
	return word[n] == '\0';
}

size_t er_edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[65];

	if (lb > 64 || la > 64)
		return cap;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0], best;
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = prev + cost;
			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			prev = cur;
			if (v < best)
				best = v;
		}
		if (best >= cap)
			return cap;
	}
	return row[lb] < cap ? row[lb] : cap;
}

long er_suggest(const char *name, const char *const *candidates, size_t n)
{
	size_t len = strlen(name), i, best = (size_t)-1, shortest = (size_t)-1;
	long at = -1, prefix = -1;
	/* Allow about one edit per three characters, at least one. */
	size_t limit = len / 3 + 1;

	if (len == 0)
		return -1; /* an empty name is no typo of anything */
	/* The name with its unit: "energy" for "energy (MWh)". */
	for (i = 0; i < n; i++) {
		size_t bracket, ul;
		if (er_unit_in_name(candidates[i], &bracket, &ul) && bracket == len + 1 &&
		    candidates[i][len] == ' ' && strncmp(candidates[i], name, len) == 0)
			return (long)i;
	}
	for (i = 0; i < n; i++) {
		size_t d = er_edit_distance(name, candidates[i], limit + 1), cl;
		if (d <= limit && d < best) {
			best = d;
			at = (long)i;
		}
		/* Else the shortest name it begins, up to a word's end:
		 * "energy" for "energy_consumed". */
		cl = strlen(candidates[i]);
		if (len >= 3 && cl > len && cl < shortest && strncmp(candidates[i], name, len) == 0 &&
		    (candidates[i][len] == '_' || candidates[i][len] == ' ' || candidates[i][len] == '-')) {
			shortest = cl;
			prefix = (long)i;
		}
	}
	return at >= 0 ? at : prefix;
}

er_status er_grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
	void *old, *p;
	size_t ncap;

	if (n < *cap)
		return ER_OK;
	ncap = *cap ? *cap * 2 : first;
	if (ncap < *cap || ncap > SIZE_MAX / size)
		return ER_ERR_NOMEM;
	memcpy(&old, items, sizeof old); /* items is a T **: no T ** to void ** cast */
	if ((p = realloc(old, ncap * size)) == NULL)
		return ER_ERR_NOMEM;
	memcpy(items, &p, sizeof p);
	*cap = ncap;
	return ER_OK;
}

const char *er_path_stem(const char *path, size_t *n)
{
	const char *slash = strrchr(path, '/'), *b = slash ? slash + 1 : path;
	const char *dot = strrchr(b, '.');
	*n = dot && dot > b ? (size_t)(dot - b) : strlen(b);
	return b;
}
