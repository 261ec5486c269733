/* libFuzzer target for language files: parse the input, and for what
 * parses check what the formatters rely on - every word is there and
 * expands within any buffer (cut on a character boundary, NUL-terminated,
 * the length it reports the whole text's), numbers and dates fit their
 * buffers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/l10n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expand_everywhere(const er_locale *l, er_word w)
{
	static const er_subst subs[] = {{"n", "1.2"}, {"m", "34"}, {"text", "Quelle {n}"},
	                                {"label", "Tabelle 1.1"}};
	char full[4096], cut[16];
	size_t n = er_locale_say(l, w, subs, 4, full, sizeof full), k, len;
	if (n < sizeof full && strlen(full) != n)
		abort();
	for (k = 1; k <= sizeof cut; k++) {
		memset(cut, 'x', sizeof cut);
		if (er_locale_say(l, w, subs, 4, cut, k) != n)
			abort();
		len = strlen(cut);
		if (len >= k || memcmp(cut, full, len) != 0)
			abort();
		/* Never half a character: what follows the cut starts one. */
		if (len < n && ((unsigned char)full[len] & 0xc0) == 0x80)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	er_locale *l = NULL;
	er_diag_sink quiet = {0};
	char buf[128];
	int w;

	if (er_locale_parse("xx", (const char *)data, size, "fuzz/xx.yaml", &quiet, &l) != ER_OK) {
		if (l != NULL)
			abort();
		return 0;
	}
	for (w = 0; w < ER_WORD_COUNT; w++) {
		if (er_locale_word(l, (er_word)w) == NULL)
			abort();
		expand_everywhere(l, (er_word)w);
	}
	if (er_locale_number(l, -1234567.891, 2, 1, buf, sizeof buf) >= sizeof buf)
		abort();
	if (strchr(er_locale_group(l), er_locale_mark(l)) != NULL)
		abort();
	if (er_locale_date(l, "2024-02-29", buf, sizeof buf) == 0 || strlen(buf) >= sizeof buf)
		abort();
	er_locale_free(l);
	return 0;
}
