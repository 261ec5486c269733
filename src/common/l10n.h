/* l10n.h - a language's number format and the words ecoreport writes
 * itself ("Figure 1.2", "Source: ...", "Page 3 of 9"), read from
 * templates/locales/CODE.yaml.
 *
 * Words are patterns with named placeholders ("Seite {n} von {m}"), never
 * printf formats: a data file's text is not trusted as a format string.
 * Whole patterns, not bare words, because punctuation differs by language
 * ("Source : " in French, "来源：" in Chinese).
 *
 * Every function taking a `const er_locale *` accepts NULL for the built-in
 * English, which is what ecoreport wrote before it had languages: output
 * without a language stays byte-identical. Here in common/ so that layout
 * (charts) and report (documents) can both use it. */
#ifndef ER_L10N_H
#define ER_L10N_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "status.h"

/* The words, each a pattern; its placeholders in the comment. */
typedef enum er_word {
	ER_W_FIGURE,    /* "Figure {n}": n is "1.2" */
	ER_W_TABLE,     /* "Table {n}" */
	ER_W_CONTINUED, /* "{label} (continued)": label is "Table 1.1" */
	ER_W_SOURCE,    /* "Source: {text}" */
	ER_W_CHART,     /* "Chart: {text}": the credit, "Chart: ecoreport" */
	ER_W_NOTE,      /* "Note: {text}" */
	ER_W_PAGE_OF,   /* "Page {n} of {m}" */
	ER_W_CONTENTS,  /* "Contents" */
	ER_W_NOTES,     /* "Notes": the footnotes' heading */
	ER_W_DATE,      /* "{year}-{mm}-{dd}"; also {month} (name), {mon}, {day} */
	/* A chart's alt text, sentence by sentence (layout/chart.c). */
	ER_W_ALT_BAR,      /* "Bar chart" */
	ER_W_ALT_STACKED,  /* "Stacked bar chart" */
	ER_W_ALT_GROUPED,  /* "Grouped bar chart" */
	ER_W_ALT_HEAD,     /* "{kind}: {title}." */
	ER_W_ALT_UNTITLED, /* "{kind}." */
	ER_W_ALT_COMPARES, /* "It compares {series} across {n} {category}." */
	ER_W_ALT_COMPARES_MORE, /* the same with "(and further series in the legend)" */
	ER_W_ALT_EXTREMES, /* "Largest: {max_label}, {max}; smallest: {min_label}, {min}." */
	ER_W_ALT_SOURCE,   /* "Source: {text}." */
	ER_W_ALT_GAP,      /* between sentences: " " ("" in Chinese and Japanese) */
	ER_WORD_COUNT
} er_word;

typedef struct er_locale er_locale;

/* A placeholder's value for er_locale_expand: {name} becomes value. */
typedef struct er_subst {
	const char *name;
	const char *value;
} er_subst;

/* Whether `code` names a language in `dir`: a plain code ("de", "pt-BR":
 * letters, digits and '-', nothing that walks folders) with a DIR/CODE.yaml
 * file. "en" always exists (built in). */
int er_locale_exists(const char *dir, const char *code);

/* The codes available in `dir`, sorted and comma-separated, "en" among
 * them: "de, en, fr, ja, zh" (appended to out), for messages that list the
 * choices. */
er_status er_locale_names(const char *dir, er_buf *out);

/* Reads DIR/CODE.yaml; "en" without a file is the built-in English.
 * Callers check er_locale_exists first and report an unknown language
 * themselves (a command-line value is a usage error, a template's a data
 * error at its position); a missing file here is ER_ERR_NOINPUT through
 * diag. Every key is required (a half-translated report would slip English
 * words in silently); an unknown or missing key, an unknown placeholder or
 * a pattern without the ones it needs is ER_ERR_DATA with its position.
 * *out: a new locale, the caller frees it. */
er_status er_locale_load(const char *code, const char *dir, er_diag_sink *diag, er_locale **out);
/* The same from n bytes of YAML in memory; `file` names it in messages
 * and becomes er_locale_path (may be NULL). */
er_status er_locale_parse(const char *code, const char *src, size_t n, const char *file,
                          er_diag_sink *diag, er_locale **out);
void er_locale_free(er_locale *l);

/* "en" for NULL. */
const char *er_locale_code(const er_locale *l);
/* The file it was read from; NULL when built in (and for NULL). */
const char *er_locale_path(const er_locale *l);
/* The pattern of a word (owned by l, or static for NULL). */
const char *er_locale_word(const er_locale *l, er_word w);
/* The decimal mark ('.' in English, ',' in German). */
char er_locale_mark(const er_locale *l);
/* The thousands separator, UTF-8 ("," in English, "." in German, U+202F
 * in French); "" for none. Owned by l, or static. */
const char *er_locale_group(const er_locale *l);

/* v with exactly `decimals` decimals (0..17) in the locale's mark, digits
 * grouped by thousands when `grouped`: 1287.5 -> "1,287.5" (en), "1.287,5"
 * (de). Returns the length; cap >= 64. */
size_t er_locale_number(const er_locale *l, double v, int decimals, int grouped, char *buf,
                        size_t cap);

/* Expands pattern: each {name} given in subs becomes its value (written as
 * it stands, never expanded again); other text, and a {name} not in subs,
 * are copied. Writes at most cap - 1 bytes and a NUL (cut at a UTF-8
 * character boundary; buf may be NULL when cap is 0) and returns the
 * length the whole text needs, like snprintf. */
size_t er_locale_expand(const char *pattern, const er_subst *subs, size_t nsubs, char *buf,
                        size_t cap);
/* er_locale_expand of a word's pattern. */
size_t er_locale_say(const er_locale *l, er_word w, const er_subst *subs, size_t nsubs, char *buf,
                     size_t cap);

/* er_locale_say appended whole to out (no cut): ER_ERR_NOMEM only. */
er_status er_locale_say_buf(const er_locale *l, er_word w, const er_subst *subs, size_t nsubs,
                            er_buf *out);

/* A front matter's date for people: "2023-04-07" -> "7. April 2023" (de);
 * text that is not a valid YYYY-MM-DD date is copied unchanged. Returns the
 * length, as er_locale_expand. */
size_t er_locale_date(const er_locale *l, const char *text, char *buf, size_t cap);

#endif
