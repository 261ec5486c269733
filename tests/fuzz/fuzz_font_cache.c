/* libFuzzer target for the font cache file (text/font_cache.c): parse the
 * input without touching the file system; for what parses, look answers
 * up and check that writing it back gives a file that parses and writes
 * back to the same bytes (what save writes, load reads). Each input is
 * tried as it is and sealed with a correct end line, so that mutations
 * reach everything behind the hash check too. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "text/font_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A path that cannot exist: each cache starts empty. */
#define NOWHERE "/nonexistent/ecoreport-fuzz/fonts.cache"

static void one(const char *s, size_t n)
{
	er_fcache *c = er_fcache_open(NOWHERE, 0), *d = NULL;
	er_buf a = ER_BUF_INIT, b = ER_BUF_INIT;
	const char *file, *family;
	int index;

	if (c == NULL)
		return;
	if (er_fcache_parse(c, s, n) == ER_OK) {
		/* The file named by an answer is stat'ed, never opened. */
		(void)er_fcache_family(c, "Liberation Sans", 0, 0, &file, &index, &family);
		(void)er_fcache_cp(c, 0x4e00, &file, &index, &family);
		if (er_fcache_serialize(c, &a) == ER_OK && (d = er_fcache_open(NOWHERE, 0)) != NULL) {
			er_status st = er_fcache_parse(d, a.data, a.len);
			if (st == ER_ERR_DATA)
				abort(); /* we wrote what we cannot read */
			if (st == ER_OK && (er_fcache_serialize(d, &b) != ER_OK || a.len != b.len ||
			                    memcmp(a.data, b.data, a.len) != 0))
				abort();
		}
	}
	er_buf_free(&a);
	er_buf_free(&b);
	er_fcache_free(d);
	er_fcache_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char end[64];
	char *sealed;
	size_t i;
	int n;

	one((const char *)data, size);
	for (i = 0; i < size; i++) {
		h ^= data[i];
		h *= 0x100000001b3ULL;
	}
	n = snprintf(end, sizeof end, "end %zu %llu\n", size, (unsigned long long)h);
	sealed = malloc(size + (size_t)n);
	if (sealed == NULL)
		return 0;
	if (size > 0)
		memcpy(sealed, data, size);
	memcpy(sealed + size, end, (size_t)n);
	one(sealed, size + (size_t)n);
	free(sealed);
	return 0;
}
