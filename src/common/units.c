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

/* Splits u at its first '/', resolving both halves; den_n = 0 when simple. */
static bool resolve(const char *u, const struct unit_def **num, const struct unit_def **den,
                    size_t *num_n, size_t *den_n)
{
	const char *slash = strchr(u, '/');
	size_t len = strlen(u);

	*num_n = slash ? (size_t)(slash - u) : len;
	*den_n = slash ? len - *num_n - 1 : 0;
	*num = lookup(u, *num_n);
	*den = slash ? lookup(slash + 1, *den_n) : NULL;
	return *num != NULL && (slash == NULL || *den != NULL);
}

bool er_unit_factor(const char *from, const char *to, double *factor)
{
	const struct unit_def *fn, *fd, *tn, *td;
	size_t a, b, c, d;

	if (strcmp(from, to) == 0) {
		*factor = 1;
		return true;
	}
	if (!resolve(from, &fn, &fd, &a, &b) || !resolve(to, &tn, &td, &c, &d))
		return false;
	if (strcmp(fn->dim, tn->dim) != 0 || (fd == NULL) != (td == NULL))
		return false;
	if (fd && strcmp(fd->dim, td->dim) != 0)
		return false;
	*factor = fn->factor / tn->factor;
	if (fd)
		*factor *= td->factor / fd->factor;
	return true;
}

bool er_unit_is_known(const char *u)
{
	const struct unit_def *n, *d;
	size_t a, b;
	return resolve(u, &n, &d, &a, &b);
}

const char *er_unit_dimension(const char *u, char *buf, size_t cap)
{
	const struct unit_def *n, *d;
	size_t a, b;

	if (!resolve(u, &n, &d, &a, &b))
		snprintf(buf, cap, "%s", u);
	else if (d)
		snprintf(buf, cap, "%s/%s", n->dim, d->dim);
	else
		snprintf(buf, cap, "%s", n->dim);
	return buf;
}

bool er_unit_is_symbol(const char *s, size_t n)
{
	size_t i;
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
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '%' || c == '.' || c == '_' || c == '-' || c >= 0x80)
			continue;
		return false;
	}
	return true;
}
