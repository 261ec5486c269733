/* l10n.c - language files: reading and checking them, numbers, patterns
 * and dates in a language. */
#include "l10n.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "num.h"
#include "util.h"
#include "yaml.h"

#define MAX_CODE 32
#define MAX_GROUP 8 /* bytes: a separator is one character, maybe a few UTF-8 bytes */
#define MAX_PH 6

struct er_locale {
	char *code, *name, *path;
	char mark;
	char *group;
	char *words[ER_WORD_COUNT];
	char *months[12];
};

/* Each word: its key in the file, its English pattern (the built-in
 * locale), the placeholders it may use and how many of them are required
 * (the first `need`; the date's are checked on their own). */
static const struct word_spec {
	const char *key, *en;
	const char *ph[MAX_PH];
	int need;
} words[ER_WORD_COUNT] = {
	[ER_W_FIGURE] = {"figure", "Figure {n}", {"n"}, 1},
	[ER_W_TABLE] = {"table", "Table {n}", {"n"}, 1},
	[ER_W_CONTINUED] = {"continued", "{label} (continued)", {"label"}, 1},
	[ER_W_SOURCE] = {"source", "Source: {text}", {"text"}, 1},
	[ER_W_CHART] = {"chart", "Chart: {text}", {"text"}, 1},
	[ER_W_NOTE] = {"note", "Note: {text}", {"text"}, 1},
	[ER_W_PAGE_OF] = {"page_of", "Page {n} of {m}", {"n", "m"}, 2},
	[ER_W_CONTENTS] = {"contents", "Contents", {NULL}, 0},
	[ER_W_NOTES] = {"notes", "Notes", {NULL}, 0},
	[ER_W_DATE] = {"date", "{year}-{mm}-{dd}", {"year", "month", "mon", "mm", "day", "dd"}, 0},
	[ER_W_ALT_BAR] = {"alt_bar", "Bar chart", {NULL}, 0},
	[ER_W_ALT_STACKED] = {"alt_stacked", "Stacked bar chart", {NULL}, 0},
	[ER_W_ALT_GROUPED] = {"alt_grouped", "Grouped bar chart", {NULL}, 0},
	[ER_W_ALT_HEAD] = {"alt_head", "{kind}: {title}.", {"kind", "title"}, 2},
	[ER_W_ALT_UNTITLED] = {"alt_untitled", "{kind}.", {"kind"}, 1},
	[ER_W_ALT_COMPARES] = {"alt_compares", "It compares {series} across {n} {category}.",
	                       {"series", "n", "category"}, 3},
	[ER_W_ALT_COMPARES_MORE] = {"alt_compares_more",
	                            "It compares {series} across {n} {category} (and further series "
	                            "in the legend).",
	                            {"series", "n", "category"}, 3},
	[ER_W_ALT_EXTREMES] = {"alt_extremes", "Largest: {max_label}, {max}; smallest: {min_label}, {min}.",
	                       {"max_label", "max", "min_label", "min"}, 4},
	[ER_W_ALT_SOURCE] = {"alt_source", "Source: {text}.", {"text"}, 1},
	[ER_W_ALT_GAP] = {"alt_gap", " ", {NULL}, 0},
};

static const char *const en_months[12] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};

/* The keys a file may hold, words after the others (for suggestions). */
static const char *const other_keys[] = {"name", "decimal_mark", "group_separator", "months"};
#define NOTHER (sizeof other_keys / sizeof other_keys[0])

/* ---- codes and the folder ------------------------------------------------ */

/* Letters, digits and '-', starting with a letter: never a path. */
static int valid_code(const char *s, size_t n)
{
	size_t i;
	if (n == 0 || n > MAX_CODE || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

static void file_of(char *path, size_t cap, const char *dir, const char *code)
{
	snprintf(path, cap, "%s/%s.yaml", dir && *dir ? dir : ".", code);
}

int er_locale_exists(const char *dir, const char *code)
{
	char path[4096];
	struct stat sb;
	if (code == NULL || !valid_code(code, strlen(code)))
		return 0;
	if (strcmp(code, "en") == 0)
		return 1;
	file_of(path, sizeof path, dir, code);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

er_status er_locale_names(const char *dir, er_buf *out)
{
	DIR *d = opendir(dir && *dir ? dir : ".");
	char **codes = NULL;
	size_t n = 0, cap = 0, i;
	int have_en = 0;
	er_status st = ER_OK;
	struct dirent *e;

	while (st == ER_OK && d && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *code;
		if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0 ||
		    !valid_code(e->d_name, len - 5))
			continue;
		if ((st = er_grow(&codes, &cap, n, sizeof *codes, 8)) != ER_OK)
			break;
		if ((code = er_strndup(e->d_name, len - 5)) == NULL) {
			st = ER_ERR_NOMEM;
			break;
		}
		have_en |= strcmp(code, "en") == 0;
		codes[n++] = code;
	}
	if (d)
		closedir(d);
	/* English is built in, with a file or without. */
	if (st == ER_OK && !have_en) {
		if ((st = er_grow(&codes, &cap, n, sizeof *codes, 8)) == ER_OK &&
		    (codes[n] = er_strdup("en")) != NULL)
			n++;
		else if (st == ER_OK)
			st = ER_ERR_NOMEM;
	}
	if (st == ER_OK)
		qsort(codes, n, sizeof *codes, cmp_str);
	for (i = 0; i < n; i++) {
		if (st == ER_OK)
			st = er_buf_printf(out, "%s%s", i ? ", " : "", codes[i]);
		free(codes[i]);
	}
	free(codes);
	return st;
}

/* ---- reading a file -------------------------------------------------------- */

typedef struct loader {
	const char *file;
	er_diag_sink *diag;
} loader;

static er_status bad(const loader *L, const er_ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static er_status bad(const loader *L, const er_ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	er_diag_emitv(L->diag, ER_SEV_ERROR, L->file, at ? at->line : 1, at ? at->column : 1, fmt, ap);
	va_end(ap);
	return ER_ERR_DATA;
}

static const char *scalar_text(const loader *L, const er_ynode *v, const char *key, er_status *st)
{
	if (v->type != ER_Y_SCALAR || v->text == NULL) {
		*st = bad(L, v, "%s: expected text", key);
		return NULL;
	}
	return v->text;
}

static int allowed(const struct word_spec *w, const char *name, size_t n)
{
	int i;
	for (i = 0; i < MAX_PH && w->ph[i]; i++)
		if (strlen(w->ph[i]) == n && memcmp(w->ph[i], name, n) == 0)
			return i;
	return -1;
}

/* The placeholder at p ("{name}"): its name's length, or 0 when p does
 * not start one (then the brace is ordinary text). */
static size_t placeholder(const char *p)
{
	size_t n = 0;
	if (*p != '{')
		return 0;
	while ((p[1 + n] >= 'a' && p[1 + n] <= 'z') || p[1 + n] == '_')
		n++;
	return n && p[1 + n] == '}' ? n : 0;
}

/* Checks a word's pattern: only its placeholders, and those it needs.
 * *uses gets a bit per placeholder used. */
static er_status check_pattern(const loader *L, const er_ynode *v, er_word w, unsigned *uses)
{
	const struct word_spec *ws = &words[w];
	const char *p;
	int i;

	*uses = 0;
	for (p = v->text; *p; p++) {
		size_t n = placeholder(p);
		int k;
		if (n == 0)
			continue;
		k = allowed(ws, p + 1, n);
		if (k < 0) {
			char list[128] = "";
			size_t o = 0;
			for (i = 0; i < MAX_PH && ws->ph[i]; i++)
				o += (size_t)snprintf(list + o, sizeof list - o, "%s{%s}", i ? " " : "", ws->ph[i]);
			return bad(L, v, "%s: unknown placeholder {%.*s} (%s takes %s)", ws->key, (int)n, p + 1,
			           ws->key, o ? list : "none");
		}
		*uses |= 1u << k;
		p += n + 1;
	}
	for (i = 0; i < ws->need; i++)
		if (!(*uses & (1u << i)))
			return bad(L, v, "%s: the pattern needs {%s}", ws->key, ws->ph[i]);
	if (w == ER_W_DATE) {
		/* A date shows its year, its month (a name or a number) and its day. */
		if (!(*uses & 1u))
			return bad(L, v, "date: the pattern needs {year}");
		if (!(*uses & (2u | 4u | 8u)))
			return bad(L, v, "date: the pattern needs the month: {month}, {mon} or {mm}");
		if (!(*uses & (16u | 32u)))
			return bad(L, v, "date: the pattern needs the day: {day} or {dd}");
	}
	return ER_OK;
}

static er_status unknown_key(const loader *L, const er_ynode *key)
{
	const char *names[NOTHER + ER_WORD_COUNT];
	char list[400] = "";
	size_t i, o = 0;
	long s;
	for (i = 0; i < NOTHER; i++)
		names[i] = other_keys[i];
	for (i = 0; i < ER_WORD_COUNT; i++)
		names[NOTHER + i] = words[i].key;
	s = er_suggest(key->text, names, NOTHER + ER_WORD_COUNT);
	if (s >= 0)
		return bad(L, key, "unknown key \"%s\" (did you mean \"%s\"?)", key->text, names[s]);
	for (i = 0; i < NOTHER + ER_WORD_COUNT; i++)
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", names[i]);
	return bad(L, key, "unknown key \"%s\" (%s)", key->text, list);
}

static er_status set_text(char **slot, const char *s)
{
	char *copy = er_strdup(s);
	if (copy == NULL)
		return ER_ERR_NOMEM;
	free(*slot);
	*slot = copy;
	return ER_OK;
}

static er_status read_mark(const loader *L, const er_ynode *v, er_locale *l)
{
	er_status st = ER_OK;
	const char *s = scalar_text(L, v, "decimal_mark", &st);
	char ex[64];
	if (s == NULL)
		return st;
	/* One printable ASCII character that cannot be read as part of a number. */
	if (strlen(s) != 1 || s[0] <= ' ' || s[0] > '~' || (s[0] >= '0' && s[0] <= '9') || s[0] == '-')
		return bad(L, v, "decimal_mark: expected one character such as \".\" or \",\", not %s",
		           er_diag_excerpt(ex, s, strlen(s), 12));
	l->mark = s[0];
	return ER_OK;
}

static er_status read_group(const loader *L, const er_ynode *v, er_locale *l)
{
	er_status st = ER_OK;
	const char *s = scalar_text(L, v, "group_separator", &st);
	char ex[64];
	if (s == NULL)
		return st;
	if (strlen(s) > MAX_GROUP || strpbrk(s, "0123456789-") != NULL)
		return bad(L, v, "group_separator: expected one character (or \"\" for none), not %s",
		           er_diag_excerpt(ex, s, strlen(s), 12));
	return set_text(&l->group, s);
}

static er_status read_months(const loader *L, const er_ynode *v, er_locale *l)
{
	size_t i;
	er_status st = ER_OK;
	if (v->type != ER_Y_SEQ || v->n != 12)
		return bad(L, v, "months: expected a list of the 12 month names, January first");
	for (i = 0; i < 12 && st == ER_OK; i++) {
		const char *s = scalar_text(L, v->items[i], "months", &st);
		if (s)
			st = set_text(&l->months[i], s);
	}
	return st;
}

static er_status apply(const loader *L, const er_ynode *root, er_locale *l)
{
	const er_ynode *given[ER_WORD_COUNT] = {NULL}, *months = NULL, *date_node = NULL;
	int have_mark = 0, have_group = 0, have_name = 0;
	unsigned date_uses = 0;
	size_t i;
	er_status st = ER_OK;

	if (root == NULL || root->type != ER_Y_MAP)
		return bad(L, root, "a language file is a map of keys to text (see en.yaml)");
	for (i = 0; i < root->n && st == ER_OK; i++) {
		const char *key = root->keys[i]->text;
		const er_ynode *v = root->items[i];
		size_t w;
		for (w = 0; w < ER_WORD_COUNT; w++)
			if (strcmp(key, words[w].key) == 0)
				break;
		if (w < ER_WORD_COUNT) {
			unsigned uses;
			if (scalar_text(L, v, key, &st) == NULL)
				break;
			st = check_pattern(L, v, (er_word)w, &uses);
			if (st == ER_OK)
				st = set_text(&l->words[w], v->text);
			given[w] = v;
			if (w == ER_W_DATE) {
				date_uses = uses;
				date_node = v;
			}
		} else if (strcmp(key, "name") == 0) {
			if (scalar_text(L, v, key, &st) != NULL)
				st = set_text(&l->name, v->text);
			have_name = 1;
		} else if (strcmp(key, "decimal_mark") == 0) {
			st = read_mark(L, v, l);
			have_mark = 1;
		} else if (strcmp(key, "group_separator") == 0) {
			st = read_group(L, v, l);
			have_group = 1;
		} else if (strcmp(key, "months") == 0) {
			st = read_months(L, v, l);
			months = v;
		} else {
			st = unknown_key(L, root->keys[i]);
		}
	}
	if (st != ER_OK)
		return st;
	/* Every key: a language file says everything, or it is not finished. */
	if (!have_name)
		return bad(L, root, "missing key \"name\" (the language's own name, e.g. Deutsch)");
	if (!have_mark)
		return bad(L, root, "missing key \"decimal_mark\" (in English: \".\")");
	if (!have_group)
		return bad(L, root, "missing key \"group_separator\" (in English: \",\")");
	for (i = 0; i < ER_WORD_COUNT; i++)
		if (given[i] == NULL)
			return bad(L, root, "missing key \"%s\" (in English: \"%s\")", words[i].key, words[i].en);
	if ((date_uses & 2u) && months == NULL)
		return bad(L, date_node, "date: {month} needs months: (the 12 month names)");
	/* Formatting finds the mark by its byte: the separator must not hold it. */
	if (strchr(l->group, l->mark) != NULL)
		return bad(L, er_yaml_get(root, "group_separator"),
		           "group_separator: \"%s\" holds the decimal mark \"%c\"", l->group, l->mark);
	return ER_OK;
}

/* English without a file: the built-in words. */
static er_status builtin_english(er_locale *l)
{
	size_t i;
	er_status st = set_text(&l->name, "English");
	if (st == ER_OK)
		st = set_text(&l->group, ",");
	for (i = 0; i < ER_WORD_COUNT && st == ER_OK; i++)
		st = set_text(&l->words[i], words[i].en);
	for (i = 0; i < 12 && st == ER_OK; i++)
		st = set_text(&l->months[i], en_months[i]);
	return st;
}

er_status er_locale_parse(const char *code, const char *src, size_t n, const char *file,
                          er_diag_sink *diag, er_locale **out)
{
	er_ynode *root = NULL;
	er_locale *l = calloc(1, sizeof *l);
	er_status st;
	loader L = {file, diag};

	*out = NULL;
	if (l == NULL)
		return ER_ERR_NOMEM;
	l->mark = '.';
	st = er_yaml_parse(src, n, file, 0, diag, &root);
	if (st == ER_OK)
		st = apply(&L, root, l);
	if (st == ER_OK && file)
		st = set_text(&l->path, file);
	if (st == ER_OK)
		st = set_text(&l->code, code);
	er_yaml_free(root);
	if (st != ER_OK) {
		er_locale_free(l);
		return st;
	}
	*out = l;
	return ER_OK;
}

er_status er_locale_load(const char *code, const char *dir, er_diag_sink *diag, er_locale **out)
{
	char path[4096];
	char *data = NULL;
	size_t len = 0;
	struct stat sb;
	er_locale *l;
	er_status st;

	*out = NULL;
	if (!valid_code(code, strlen(code))) {
		er_diag_emit(diag, ER_SEV_ERROR, NULL, 0, 0, "\"%s\" is not a language code", code);
		return ER_ERR_DATA;
	}
	file_of(path, sizeof path, dir, code);
	if (strcmp(code, "en") != 0 || stat(path, &sb) == 0) {
		st = er_read_file(path, 64u << 10, diag, &data, &len);
		if (st == ER_OK)
			st = er_locale_parse(code, data ? data : "", len, path, diag, out);
		free(data);
		return st;
	}
	if ((l = calloc(1, sizeof *l)) == NULL)
		return ER_ERR_NOMEM;
	l->mark = '.';
	st = builtin_english(l);
	if (st == ER_OK)
		st = set_text(&l->code, code);
	if (st != ER_OK) {
		er_locale_free(l);
		return st;
	}
	*out = l;
	return ER_OK;
}

void er_locale_free(er_locale *l)
{
	size_t i;
	if (l == NULL)
		return;
	free(l->code);
	free(l->name);
	free(l->path);
	free(l->group);
	for (i = 0; i < ER_WORD_COUNT; i++)
		free(l->words[i]);
	for (i = 0; i < 12; i++)
		free(l->months[i]);
	free(l);
}

/* ---- using one ------------------------------------------------------------- */

const char *er_locale_code(const er_locale *l)
{
	return l ? l->code : "en";
}

const char *er_locale_path(const er_locale *l)
{
	return l ? l->path : NULL;
}

const char *er_locale_word(const er_locale *l, er_word w)
{
	if ((unsigned)w >= ER_WORD_COUNT)
		return "";
	return l ? l->words[w] : words[w].en;
}

char er_locale_mark(const er_locale *l)
{
	return l ? l->mark : '.';
}

const char *er_locale_group(const er_locale *l)
{
	return l ? l->group : ",";
}

size_t er_locale_number(const er_locale *l, double v, int decimals, int grouped, char *buf,
                        size_t cap)
{
	return er_num_format_fixed(v, decimals, er_locale_mark(l), grouped ? er_locale_group(l) : NULL,
	                           buf, cap);
}

/* Appends n bytes of s to buf (capacity cap) at *o, keeping room for the
 * NUL and never splitting a UTF-8 character; *need counts every byte. */
static void put(char *buf, size_t cap, size_t *o, size_t *need, const char *s, size_t n)
{
	size_t k = 0;
	*need += n;
	if (cap == 0 || *o + 1 >= cap)
		return;
	if (*o + n + 1 > cap) {
		/* Cut before the lead byte of the character that does not fit. */
		k = cap - 1 - *o;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		n = k;
	}
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = '\0';
}

size_t er_locale_expand(const char *pattern, const er_subst *subs, size_t nsubs, char *buf,
                        size_t cap)
{
	size_t o = 0, need = 0, i;
	const char *p = pattern, *run = pattern;

	if (cap)
		buf[0] = '\0';
	while (*p) {
		size_t n = placeholder(p);
		for (i = 0; n && i < nsubs; i++)
			if (strlen(subs[i].name) == n && memcmp(subs[i].name, p + 1, n) == 0)
				break;
		if (n == 0 || i == nsubs) {
			p++;
			continue;
		}
		put(buf, cap, &o, &need, run, (size_t)(p - run));
		/* Once the text is cut, later pieces only count. */
		if (need > o)
			cap = 0;
		put(buf, cap, &o, &need, subs[i].value, strlen(subs[i].value));
		if (need > o)
			cap = 0;
		p += n + 2;
		run = p;
	}
	put(buf, cap, &o, &need, run, (size_t)(p - run));
	return need;
}

size_t er_locale_say(const er_locale *l, er_word w, const er_subst *subs, size_t nsubs, char *buf,
                     size_t cap)
{
	return er_locale_expand(er_locale_word(l, w), subs, nsubs, buf, cap);
}

er_status er_locale_say_buf(const er_locale *l, er_word w, const er_subst *subs, size_t nsubs,
                            er_buf *out)
{
	size_t need = er_locale_say(l, w, subs, nsubs, NULL, 0);
	er_status st = er_buf_reserve(out, need);

	if (st != ER_OK)
		return st;
	er_locale_say(l, w, subs, nsubs, out->data + out->len, need + 1);
	out->len += need;
	return ER_OK;
}

size_t er_locale_date(const er_locale *l, const char *text, char *buf, size_t cap)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	char year[8], mon[4], mm[4], day[4], dd[4];
	int y = 0, m, d, i;
	er_subst subs[6];

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? text[i] != '-' : !(text[i] >= '0' && text[i] <= '9'))
			return er_locale_expand(text, NULL, 0, buf, cap);
	if (text[10] != '\0')
		return er_locale_expand(text, NULL, 0, buf, cap);
	for (i = 0; i < 4; i++)
		y = y * 10 + (text[i] - '0');
	m = (text[5] - '0') * 10 + (text[6] - '0');
	d = (text[8] - '0') * 10 + (text[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return er_locale_expand(text, NULL, 0, buf, cap);
	snprintf(year, sizeof year, "%04d", y);
	snprintf(mon, sizeof mon, "%d", m);
	snprintf(mm, sizeof mm, "%02d", m);
	snprintf(day, sizeof day, "%d", d);
	snprintf(dd, sizeof dd, "%02d", d);
	subs[0] = (er_subst){"year", year};
	subs[1] = (er_subst){"month", l && l->months[m - 1] ? l->months[m - 1] : en_months[m - 1]};
	subs[2] = (er_subst){"mon", mon};
	subs[3] = (er_subst){"mm", mm};
	subs[4] = (er_subst){"day", day};
	subs[5] = (er_subst){"dd", dd};
	return er_locale_say(l, ER_W_DATE, subs, 6, buf, cap);
}
