/* Unit tests: languages (common/l10n): numbers in each bundled language,
 * patterns, dates, and the errors a bad language file gets. */
#include <stdlib.h>
#include <unistd.h>

#include "common/l10n.h"
#include "test.h"

#define NNBSP "\xe2\x80\xaf" /* U+202F, the French digit group separator */
#define NBSP "\xc2\xa0"

/* Diagnostics with their position: "LINE:COL: MESSAGE". */
typedef struct seen {
	int count;
	char last[600];
} seen;

static void keep_diag(void *ctx, const er_diag *d)
{
	seen *s = ctx;
	s->count++;
	snprintf(s->last, sizeof s->last, "%lu:%lu: %s", d->line, d->column, d->message);
}

static const char *num(const er_locale *l, double v, int decimals, int grouped)
{
	static char b[128];
	er_locale_number(l, v, decimals, grouped, b, sizeof b);
	return b;
}

static const char *date(const er_locale *l, const char *text)
{
	static char b[128];
	er_locale_date(l, text, b, sizeof b);
	return b;
}

static const char *say2(const er_locale *l, er_word w, const char *n, const char *m)
{
	static char b[256];
	er_subst subs[2] = {{"n", n}, {"m", m}};
	er_locale_say(l, w, subs, 2, b, sizeof b);
	return b;
}

static er_locale *load(const char *code)
{
	er_locale *l = NULL;
	seen s = {0, ""};
	er_diag_sink sink = {keep_diag, &s, 0, 0};
	if (er_locale_load(code, ER_LOCALES_DIR, &sink, &l) != ER_OK)
		fprintf(stderr, "loading %s: %s\n", code, s.last);
	return l;
}

/* Writes a language file into dir as CODE.yaml and loads it: the status,
 * with the last diagnostic in *s. */
static er_status try_file(const char *dir, const char *code, const char *text, seen *s)
{
	char path[512];
	FILE *f;
	er_locale *l = NULL;
	er_diag_sink sink = {keep_diag, s, 0, 0};
	er_status st;
	snprintf(path, sizeof path, "%s/%s.yaml", dir, code);
	f = fopen(path, "wb");
	if (f == NULL)
		return ER_ERR_IO;
	fputs(text, f);
	fclose(f);
	s->count = 0;
	s->last[0] = '\0';
	st = er_locale_load(code, dir, &sink, &l);
	er_locale_free(l);
	remove(path);
	return st;
}

/* A complete file (German) with one line replaced: `drop` removed, `add`
 * appended. */
static const char *variant(const char *drop, const char *add)
{
	static const char *const lines[] = {
		"name: Deutsch\n", "decimal_mark: \",\"\n", "group_separator: \".\"\n",
		"date: \"{day}. {month} {year}\"\n",
		"months: [Januar, Februar, März, April, Mai, Juni, Juli, August, September, Oktober, "
		"November, Dezember]\n",
		"figure: \"Abbildung {n}\"\n", "table: \"Tabelle {n}\"\n",
		"continued: \"{label} (Fortsetzung)\"\n", "source: \"Quelle: {text}\"\n",
		"chart: \"Grafik: {text}\"\n", "note: \"Anmerkung: {text}\"\n",
		"page_of: \"Seite {n} von {m}\"\n", "contents: Inhalt\n", "notes: Anmerkungen\n",
		"alt_bar: Balkendiagramm\n", "alt_stacked: Gestapeltes Balkendiagramm\n",
		"alt_grouped: Gruppiertes Balkendiagramm\n", "alt_head: \"{kind}: {title}.\"\n",
		"alt_untitled: \"{kind}.\"\n",
		"alt_compares: \"Es vergleicht {series} über {n} Werte von {category}.\"\n",
		"alt_compares_more: \"Es vergleicht {series} über {n} Werte von {category} (mehr in der "
		"Legende).\"\n",
		"alt_extremes: \"Höchster Wert: {max_label}, {max}; niedrigster: {min_label}, {min}.\"\n",
		"alt_source: \"Quelle: {text}.\"\n", "alt_gap: \" \"\n"};
	static char out[2048];
	size_t i, o = 0;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
		if (drop == NULL || strncmp(lines[i], drop, strlen(drop)) != 0)
			o += (size_t)snprintf(out + o, sizeof out - o, "%s", lines[i]);
	if (add)
		snprintf(out + o, sizeof out - o, "%s", add);
	return out;
}

static void bundled(void)
{
	er_locale *en = load("en"), *de = load("de"), *fr = load("fr"), *zh = load("zh"),
	          *ja = load("ja");
	int w;
	er_buf names = ER_BUF_INIT;

	CHECK(en && de && fr && zh && ja);
	if (!(en && de && fr && zh && ja))
		goto out;
	/* The examples: 1,287.5 · 1.287,5 · 1 287,5 · 1,287.5. */
	CHECK_STR(num(NULL, 1287.5, 1, 1), "1,287.5");
	CHECK_STR(num(en, 1287.5, 1, 1), "1,287.5");
	CHECK_STR(num(de, 1287.5, 1, 1), "1.287,5");
	CHECK_STR(num(fr, 1287.5, 1, 1), "1" NNBSP "287,5");
	CHECK_STR(num(zh, 1287.5, 1, 1), "1,287.5");
	CHECK_STR(num(ja, 1287.5, 1, 1), "1,287.5");
	/* Negative numbers, zero decimals (rounded), no grouping, large numbers. */
	CHECK_STR(num(de, -1287.5, 1, 1), "-1.287,5");
	CHECK_STR(num(fr, -0.25, 2, 1), "-0,25");
	CHECK_STR(num(de, -0.04, 1, 1), "0,0");
	CHECK_STR(num(de, 1287.6, 0, 1), "1.288");
	CHECK_STR(num(de, 999, 0, 1), "999");
	CHECK_STR(num(de, 1287.5, 1, 0), "1287,5");
	CHECK_STR(num(de, 1234567890.25, 2, 1), "1.234.567.890,25");
	CHECK_STR(num(fr, 1234567890.25, 2, 1), "1" NNBSP "234" NNBSP "567" NNBSP "890,25");
	CHECK_STR(num(en, -1e15, 0, 1), "-1,000,000,000,000,000");
	CHECK_INT(er_locale_mark(de), ',');
	CHECK_STR(er_locale_group(fr), NNBSP);

	/* en.yaml says exactly what the built-in English says: output without
	 * a language does not depend on whether the file is found. */
	for (w = 0; w < ER_WORD_COUNT; w++)
		CHECK_STR(er_locale_word(en, (er_word)w), er_locale_word(NULL, (er_word)w));
	CHECK_INT(er_locale_mark(en), er_locale_mark(NULL));
	CHECK_STR(er_locale_group(en), er_locale_group(NULL));
	CHECK_STR(er_locale_code(de), "de");
	CHECK_STR(er_locale_code(NULL), "en");
	CHECK(er_locale_path(de) && strstr(er_locale_path(de), "de.yaml"));
	CHECK(er_locale_path(NULL) == NULL);

	/* The words, with their language's punctuation. */
	CHECK_STR(say2(NULL, ER_W_PAGE_OF, "3", "9"), "Page 3 of 9");
	CHECK_STR(say2(de, ER_W_PAGE_OF, "3", "9"), "Seite 3 von 9");
	CHECK_STR(say2(fr, ER_W_PAGE_OF, "3", "9"), "Page 3 sur 9");
	CHECK_STR(say2(zh, ER_W_PAGE_OF, "3", "9"), "第 3 页，共 9 页");
	CHECK_STR(say2(ja, ER_W_PAGE_OF, "3", "9"), "3 / 9 ページ");
	CHECK_STR(say2(de, ER_W_FIGURE, "1.1", NULL), "Abbildung 1.1");
	CHECK_STR(say2(ja, ER_W_FIGURE, "1.1", NULL), "図 1.1");
	CHECK_STR(say2(zh, ER_W_TABLE, "2.3", NULL), "表 2.3");
	{
		char b[128];
		er_subst t = {"text", "IEA"}, lab = {"label", "Tableau 1.1"};
		er_locale_say(fr, ER_W_SOURCE, &t, 1, b, sizeof b);
		CHECK_STR(b, "Source" NBSP ": IEA");
		er_locale_say(zh, ER_W_SOURCE, &t, 1, b, sizeof b);
		CHECK_STR(b, "来源：IEA");
		er_locale_say(ja, ER_W_SOURCE, &t, 1, b, sizeof b);
		CHECK_STR(b, "出典：IEA");
		er_locale_say(de, ER_W_CHART, &t, 1, b, sizeof b);
		CHECK_STR(b, "Grafik: IEA");
		er_locale_say(fr, ER_W_CONTINUED, &lab, 1, b, sizeof b);
		CHECK_STR(b, "Tableau 1.1 (suite)");
	}
	CHECK_STR(er_locale_word(de, ER_W_CONTENTS), "Inhalt");
	CHECK_STR(er_locale_word(fr, ER_W_CONTENTS), "Sommaire");
	CHECK_STR(er_locale_word(zh, ER_W_CONTENTS), "目录");
	CHECK_STR(er_locale_word(ja, ER_W_CONTENTS), "目次");

	/* Dates: YYYY-MM-DD in the language's way, anything else as written. */
	CHECK_STR(date(NULL, "2023-04-07"), "2023-04-07");
	CHECK_STR(date(en, "2023-04-07"), "2023-04-07");
	CHECK_STR(date(de, "2023-04-07"), "7. April 2023");
	CHECK_STR(date(fr, "2023-04-07"), "7 avril 2023");
	CHECK_STR(date(zh, "2023-04-07"), "2023年4月7日");
	CHECK_STR(date(ja, "2026-12-31"), "2026年12月31日");
	CHECK_STR(date(de, "2024-02-29"), "29. Februar 2024");
	CHECK_STR(date(de, "2023-02-29"), "2023-02-29");
	CHECK_STR(date(de, "2023-13-01"), "2023-13-01");
	CHECK_STR(date(de, "2023-04-07T10:00"), "2023-04-07T10:00");
	CHECK_STR(date(de, "Q3 2025"), "Q3 2025");
	CHECK_STR(date(de, ""), "");

	/* The languages there are. */
	CHECK(er_locale_names(ER_LOCALES_DIR, &names) == ER_OK);
	CHECK_STR(names.data, "de, en, fr, ja, zh");
	CHECK(er_locale_exists(ER_LOCALES_DIR, "de"));
	CHECK(!er_locale_exists(ER_LOCALES_DIR, "xx"));
	CHECK(!er_locale_exists(ER_LOCALES_DIR, "../locales/de"));
	CHECK(!er_locale_exists(ER_LOCALES_DIR, ""));
	CHECK(er_locale_exists("/nonexistent", "en"));
out:
	er_buf_free(&names);
	er_locale_free(en);
	er_locale_free(de);
	er_locale_free(fr);
	er_locale_free(zh);
	er_locale_free(ja);
}

static void patterns(void)
{
	char b[64];
	er_subst subs[2] = {{"n", "12"}, {"text", "{n} stays"}};
	size_t n;

	n = er_locale_expand("Seite {n} von {m}", subs, 1, b, sizeof b);
	CHECK_STR(b, "Seite 12 von {m}");
	CHECK_INT(n, strlen("Seite 12 von {m}"));
	/* A value is never expanded again; braces that are no placeholder stay. */
	er_locale_expand("{text}: {n}", subs, 2, b, sizeof b);
	CHECK_STR(b, "{n} stays: 12");
	er_locale_expand("{ n } {N} {} {n", subs, 1, b, sizeof b);
	CHECK_STR(b, "{ n } {N} {} {n");
	er_locale_expand("", subs, 1, b, sizeof b);
	CHECK_STR(b, "");
	/* A printf format in a pattern is just text. */
	er_locale_expand("%s%n {n}", subs, 1, b, sizeof b);
	CHECK_STR(b, "%s%n 12");
	/* Cut to the buffer, never inside a character; the length says what
	 * the whole needs. */
	{
		er_subst t = {"text", "IEA"};
		n = er_locale_expand("来源：{text}", &t, 1, b, 5);
		CHECK_STR(b, "来");
		CHECK_INT(n, strlen("来源：IEA"));
		n = er_locale_expand("来源：{text}", &t, 1, NULL, 0);
		CHECK_INT(n, strlen("来源：IEA"));
		n = er_locale_expand("ab{text}cd", &t, 1, b, 4);
		CHECK_STR(b, "abI");
		CHECK_INT(n, 7);
	}
}

static void bad_files(void)
{
	char dir[] = "/tmp/test_l10n.XXXXXX";
	seen s;
	er_locale *l = (er_locale *)1;
	er_diag_sink sink = {keep_diag, &s, 0, 0};

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	/* The complete variant loads. */
	CHECK_INT(try_file(dir, "de", variant(NULL, NULL), &s), ER_OK);
	CHECK_INT(s.count, 0);
	/* An unknown key, with the nearest known one. */
	CHECK_INT(try_file(dir, "de", variant(NULL, "figur: \"Abb. {n}\"\n"), &s), ER_ERR_DATA);
	CHECK_STR(s.last, "25:1: unknown key \"figur\" (did you mean \"figure\"?)");
	CHECK_INT(try_file(dir, "de", variant(NULL, "colour: red\n"), &s), ER_ERR_DATA);
	CHECK(strstr(s.last, "25:1: unknown key \"colour\" (name, decimal_mark,") == s.last);
	/* A missing key is an error, naming the English to translate. */
	CHECK_INT(try_file(dir, "de", variant("notes:", NULL), &s), ER_ERR_DATA);
	CHECK_STR(s.last, "1:1: missing key \"notes\" (in English: \"Notes\")");
	CHECK_INT(try_file(dir, "de", variant("decimal_mark:", NULL), &s), ER_ERR_DATA);
	CHECK_STR(s.last, "1:1: missing key \"decimal_mark\" (in English: \".\")");
	/* Placeholders: only the word's own, and those it needs. */
	CHECK_INT(try_file(dir, "de", variant("figure:", "figure: \"Abbildung {num}\"\n"), &s),
	          ER_ERR_DATA);
	CHECK_STR(s.last, "24:9: figure: unknown placeholder {num} (figure takes {n})");
	CHECK_INT(try_file(dir, "de", variant("page_of:", "page_of: \"Seite {n}\"\n"), &s),
	          ER_ERR_DATA);
	CHECK_STR(s.last, "24:10: page_of: the pattern needs {m}");
	CHECK_INT(try_file(dir, "de", variant("contents:", "contents: \"Inhalt {n}\"\n"), &s),
	          ER_ERR_DATA);
	CHECK_STR(s.last, "24:11: contents: unknown placeholder {n} (contents takes none)");
	CHECK_INT(try_file(dir, "de", variant("date:", "date: \"{day}. {month}\"\n"), &s),
	          ER_ERR_DATA);
	CHECK_STR(s.last, "24:7: date: the pattern needs {year}");
	CHECK_INT(try_file(dir, "de", variant("months:", NULL), &s), ER_ERR_DATA);
	CHECK_STR(s.last, "4:7: date: {month} needs months: (the 12 month names)");
	CHECK_INT(try_file(dir, "de", variant("months:", "months: [Januar]\n"), &s), ER_ERR_DATA);
	CHECK_STR(s.last, "24:9: months: expected a list of the 12 month names, January first");
	/* Marks: one character for the decimal mark; a separator without it. */
	CHECK_INT(try_file(dir, "de", variant("decimal_mark:", "decimal_mark: \"1\"\n"), &s),
	          ER_ERR_DATA);
	CHECK_STR(s.last, "24:15: decimal_mark: expected one character such as \".\" or \",\", not \"1\"");
	CHECK_INT(try_file(dir, "de", variant("group_separator:", "group_separator: \" ,\"\n"), &s),
	          ER_ERR_DATA);
	CHECK_STR(s.last, "24:18: group_separator: \" ,\" holds the decimal mark \",\"");
	CHECK_INT(try_file(dir, "de", variant("figure:", "figure: [Abbildung]\n"), &s), ER_ERR_DATA);
	CHECK_STR(s.last, "24:9: figure: expected text");
	/* Not a map; not YAML. */
	CHECK_INT(try_file(dir, "de", "- a\n- b\n", &s), ER_ERR_DATA);
	CHECK_STR(s.last, "1:1: a language file is a map of keys to text (see en.yaml)");
	CHECK_INT(try_file(dir, "de", "figure: [\n", &s), ER_ERR_DATA);
	CHECK(strstr(s.last, "YAML:") != NULL);
	/* A missing file: NOINPUT with the path, and no locale. */
	s.count = 0;
	CHECK_INT(er_locale_load("xx", dir, &sink, &l), ER_ERR_NOINPUT);
	CHECK(l == NULL);
	CHECK_INT(s.count, 1);
	CHECK(strstr(s.last, "xx.yaml") != NULL || strstr(s.last, "cannot open") != NULL);
	/* Not a code: never a path outside the folder. */
	CHECK_INT(er_locale_load("../de", dir, &sink, &l), ER_ERR_DATA);
	CHECK_STR(s.last, "0:0: \"../de\" is not a language code");
	/* English without a file is built in. */
	CHECK_INT(er_locale_load("en", dir, &sink, &l), ER_OK);
	CHECK_STR(num(l, 1287.5, 1, 1), "1,287.5");
	CHECK(er_locale_path(l) == NULL);
	er_locale_free(l);
	er_locale_free(NULL);
	rmdir(dir);
}

int main(void)
{
	bundled();
	patterns();
	bad_files();
	return test_done("test_l10n");
}
