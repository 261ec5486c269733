/* units.c - unit table and conversion. */
#include "units.h"

#include <stdio.h>
#include <string.h>

struct unit_def {
	const char *spelling;
	const char *dim;
	double factor; /* to the dimension's base unit */
};

/* Bases: Wh, g, 1 (count), W, s, %. "tons" is deliberately absent: it means
 * US short tons in much of the AI-footprint literature (Strubell et al. via
 * the AI Index), so it must not silently convert to metric tonnes. */
static const struct unit_def units[] = {
	{"Wh", "energy", 1},         {"kWh", "energy", 1e3},     {"MWh", "energy", 1e6},
	{"GWh", "energy", 1e9},      {"TWh", "energy", 1e12},    {"J", "energy", 1.0 / 3600},
	{"kJ", "energy", 1e3 / 3600}, {"MJ", "energy", 1e6 / 3600}, {"GJ", "energy", 1e9 / 3600},
	{"mg", "mass", 1e-3},        {"g", "mass", 1},           {"kg", "mass", 1e3},
	{"t", "mass", 1e6},          {"tonne", "mass", 1e6},     {"tonnes", "mass", 1e6},
	{"kt", "mass", 1e9},         {"Mt", "mass", 1e12},       {"Gt", "mass", 1e15},
	{"lb", "mass", 453.59237},   {"lbs", "mass", 453.59237},
	{"K", "count", 1e3},         {"k", "count", 1e3},        {"M", "count", 1e6},
	{"B", "count", 1e9},         {"bn", "count", 1e9},
	{"W", "power", 1},           {"kW", "power", 1e3},       {"MW", "power", 1e6},
	{"GW", "power", 1e9},
	{"s", "time", 1},            {"min", "time", 60},        {"h", "time", 3600},
	{"d", "time", 86400},
	{"%", "percent", 1},
};

static const char *const co2_suffixes[] = {"CO2eq", "CO2-eq", "CO2e", "CO2", "CO\xe2\x82\x82" "eq",
                                           "CO\xe2\x82\x82" "e", "CO\xe2\x82\x82"};

static const struct unit_def *lookup(const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strlen(units[i].spelling) == n && memcmp(units[i].spelling, s, n) == 0)
			return &units[i];
	/* "kgCO2eq" is "kg" of CO2-equivalent: strip the decoration, keep the mass. */
	for (k = 0; k < sizeof co2_suffixes / sizeof co2_suffixes[0]; k++) {
		size_t sl = strlen(co2_suffixes[k]);
		if (n > sl && memcmp(s + n - sl, co2_suffixes[k], sl) == 0) {
			const struct unit_def *d = lookup(s, n - sl);
			if (d && strcmp(d->dim, "mass") == 0)
				return d;
			return NULL;
		}
	}
	return NULL;
}

/* A unit as a scale and exponents over the dimensions: "MWh*gCO2eq/kWh"
 * is mass with scale 1000 (g). Unknown simple units get a dimension of
 * their own (up to four per expression). */
enum { D_ENERGY, D_MASS, D_COUNT, D_POWER, D_TIME, D_PERCENT, D_KNOWN };
#define MAX_OTHER 4

typedef struct dimvec {
	double num, den; /* scale = num / den, kept apart so that exact factors stay exact */
	int exp[D_KNOWN];
	const char *other[MAX_OTHER]; /* unknown spellings (pointers into the text) */
	size_t other_len[MAX_OTHER];
	int other_exp[MAX_OTHER];
	int nother;
} dimvec;

static int dim_index(const char *dim)
{
	static const char *const names[D_KNOWN] = {"energy", "mass", "count", "power", "time", "percent"};
	int i;
	for (i = 0; i < D_KNOWN; i++)
		if (strcmp(names[i], dim) == 0)
			return i;
	return -1;
}

static int add_other(dimvec *v, const char *s, size_t n, int sign)
{
	int i;
	for (i = 0; i < v->nother; i++)
		if (v->other_len[i] == n && memcmp(v->other[i], s, n) == 0) {
			v->other_exp[i] += sign;
			return 1;
		}
	if (v->nother == MAX_OTHER)
		return 0;
	v->other[v->nother] = s;
	v->other_len[v->nother] = n;
	v->other_exp[v->nother++] = sign;
	return 1;
}

/* unit := term (('*' | '/') term)* ; term := simple | '(' unit ')' */
static int parse_unit(const char **p, const char *end, dimvec *v, int sign, int depth);

static int parse_term(const char **p, const char *end, dimvec *v, int sign, int depth)
{
	const char *s = *p;
	const struct unit_def *d;
	size_t n = 0;

	if (s < end && *s == '(') {
		(*p)++;
		if (depth > 8 || !parse_unit(p, end, v, sign, depth + 1) || *p >= end || **p != ')')
			return 0;
		(*p)++;
		return 1;
	}
	while (s + n < end && s[n] != '*' && s[n] != '/' && s[n] != '(' && s[n] != ')')
		n++;
	if (n == 0)
		return 0;
	*p = s + n;
	if (n == 1 && s[0] == '1')
		return 1; /* "1/h" */
	d = lookup(s, n);
	if (d) {
		int k = dim_index(d->dim);
		double f = d->factor;
		if (k == D_POWER) {
			/* Power is energy per time, so W*h is Wh: 1 W = 1/3600 Wh per s. */
			v->exp[D_ENERGY] += sign;
			v->exp[D_TIME] -= sign;
			f /= 3600;
		} else {
			v->exp[k] += sign;
		}
		if (sign > 0)
			v->num *= f;
		else
			v->den *= f;
		return 1;
	}
	return add_other(v, s, n, sign);
}

static int parse_unit(const char **p, const char *end, dimvec *v, int sign, int depth)
{
	if (!parse_term(p, end, v, sign, depth))
		return 0;
	while (*p < end && (**p == '*' || **p == '/')) {
		int s2 = **p == '/' ? -sign : sign;
		(*p)++;
		if (!parse_term(p, end, v, s2, depth))
			return 0;
	}
	return 1;
}

static int to_dimvec(const char *u, dimvec *v)
{
	const char *p = u, *end = u + strlen(u);
	memset(v, 0, sizeof *v);
	v->num = v->den = 1;
	return parse_unit(&p, end, v, 1, 0) && p == end;
}

/* Same dimensions (known and unknown alike)? */
static int same_dims(const dimvec *a, const dimvec *b)
{
	int i, j;
	for (i = 0; i < D_KNOWN; i++)
		if (a->exp[i] != b->exp[i])
			return 0;
	for (i = 0; i < a->nother; i++) {
		int e = 0;
		for (j = 0; j < b->nother; j++)
			if (b->other_len[j] == a->other_len[i] &&
			    memcmp(b->other[j], a->other[i], a->other_len[i]) == 0)
				e = b->other_exp[j];
		if (e != a->other_exp[i])
			return 0;
	}
	for (j = 0; j < b->nother; j++) {
		int e = 0;
		for (i = 0; i < a->nother; i++)
			if (b->other_len[j] == a->other_len[i] &&
			    memcmp(b->other[j], a->other[i], a->other_len[i]) == 0)
				e = 1;
		if (!e && b->other_exp[j] != 0)
			return 0;
	}
	return 1;
}

bool er_unit_factor(const char *from, const char *to, double *factor)
{
	dimvec a, b;

	if (strcmp(from, to) == 0) {
		*factor = 1;
		return true;
	}
	if (!to_dimvec(from, &a) || !to_dimvec(to, &b) || !same_dims(&a, &b))
		return false;
	/* Anything unknown must match exactly; known parts convert. */
	*factor = (a.num * b.den) / (a.den * b.num);
	return true;
}

bool er_unit_is_known(const char *u)
{
	dimvec v;
	return to_dimvec(u, &v) && v.nother == 0;
}

const char *er_unit_dimension(const char *u, char *buf, size_t cap)
{
	static const char *const names[D_KNOWN] = {"energy", "mass", "count", "power", "time", "percent"};
	dimvec v;
	size_t o = 0;
	int i, first = 1;

	if (!to_dimvec(u, &v) || v.nother) {
		snprintf(buf, cap, "%s", u);
		return buf;
	}
	buf[0] = '\0';
	for (i = 0; i < D_KNOWN; i++)
		if (v.exp[i] > 0) {
			int k;
			for (k = 0; k < v.exp[i]; k++) {
				o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "%s%s", first ? "" : "*", names[i]);
				first = 0;
			}
		}
	if (first)
		o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "1");
	for (i = 0; i < D_KNOWN; i++)
		if (v.exp[i] < 0) {
			int k;
			for (k = 0; k < -v.exp[i]; k++)
				o += (size_t)snprintf(buf + o, o < cap ? cap - o : 0, "/%s", names[i]);
		}
	return buf;
}

bool er_unit_simplify(const char *u, char *buf, size_t cap)
{
	dimvec v, w;
	size_t i;

	if (!to_dimvec(u, &v) || v.nother)
		return false;
	/* A product that reduces to one known unit: "MWh*gCO2eq/kWh" is "kg". */
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		double f;
		if (!to_dimvec(units[i].spelling, &w) || !same_dims(&v, &w))
			continue;
		f = (v.num * w.den) / (v.den * w.num);
		if (f > 0.999999999999 && f < 1.000000000001) {
			snprintf(buf, cap, "%s", units[i].spelling);
			return true;
		}
	}
	return false;
}

bool er_unit_is_symbol(const char *s, size_t n)
{
	size_t i, dashes = 0, digits = 0, letters = 0;
	unsigned char c;

	if (n == 0 || n > 24)
		return false;
	c = (unsigned char)s[0];
	if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '%' || c >= 0x80))
		return false;
	if (c == '%' && n > 1)
		return false;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		dashes += c == '-';
		digits += c >= '0' && c <= '9';
		letters += (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '%' || c == '.' || c == '_' || c == '-' || c >= 0x80)
			continue;
		return false;
	}
	/* Units are mostly letters ("gCO2eq/kWh", "m2", "kW-h"); the rest of
	 * an identifier after its leading digits is not ("1234567c-437b-a0d7-
	 * 9e02..." of a CodeCarbon run_id is not 1234567 of a unit). */
	return dashes <= 1 && digits <= letters;
}

bool er_unit_in_name(const char *name, size_t *at, size_t *len)
{
	size_t n = strlen(name), i;
	char close;

	if (n < 3)
		return false;
	close = name[n - 1];
	if (close != ')' && close != ']')
		return false;
	for (i = n - 1; i-- > 0;)
		if (name[i] == (close == ')' ? '(' : '['))
			break;
	if (i == (size_t)-1 || i + 2 >= n || !er_unit_is_symbol(name + i + 1, n - i - 2))
		return false;
	*at = i;
	*len = n - i - 2;
	return true;
}
