/* libFuzzer target for the font cache file (text/font_cache.c): parse the
 * input without touching the file system; for what parses, look answers
 * up and check that writing it back gives a file that parses to the same
 * bytes again (what save writes, load reads). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "text/font_cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A path that cannot exist: the cache starts empty. */
	er_fcache *c = er_fcache_open("/nonexistent/ecoreport-fuzz/fonts.cache"), *d = NULL;
	er_buf a = ER_BUF_INIT, b = ER_BUF_INIT;
	const char *file, *family;
	int index;

	if (c == NULL)
		return 0;
	if (er_fcache_parse(c, (const char *)data, size) == ER_OK) {
		/* The file named by an answer is stat'ed, never opened. */
		(void)er_fcache_family(c, "Liberation Sans", 0, 0, &file, &index, &family);
		(void)er_fcache_cp(c, 0x4e00, &file, &index, &family);
		if (er_fcache_serialize(c, &a) == ER_OK && (d = er_fcache_open("/nonexistent/x")) &&
		    er_fcache_parse(d, a.data, a.len) != ER_ERR_NOMEM) {
			if (er_fcache_serialize(d, &b) != ER_OK || a.len != b.len ||
			    memcmp(a.data, b.data, a.len) != 0)
				abort();
		}
	}
	er_buf_free(&a);
	er_buf_free(&b);
	er_fcache_free(d);
	er_fcache_free(c);
	return 0;
}
