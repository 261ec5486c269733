/* header.c - header clean-up: trimmed and unique names, units from the
 * names ("Energy (kWh)") or from a units row above or below the names. */
#include "reader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/units.h"
#include "../common/util.h"
#include "cell.h"

static void trim(const char **s, size_t *n)
{
	while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* The unit in a units-row cell: "kWh", "(kWh)", "[kWh]", "in kWh". */
static int unit_cell(const char *s, size_t n, const char **u, size_t *un)
{
	char tmp[32];
	trim(&s, &n);
	if (n > 3 && memcmp(s, "in ", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (n >= 2 && ((s[0] == '(' && s[n - 1] == ')') || (s[0] == '[' && s[n - 1] == ']'))) {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof tmp || !er_unit_is_symbol(s, n))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (!er_unit_is_known(tmp))
		return 0;
	*u = s;
	*un = n;
	return 1;
}

/* The unit at the end of a column name: "Energy (kWh)", "co2 [t]"; NULL when
 * there is none (or no memory for it: the column is then merely unitless). */
static char *unit_from_name(const char *name)
{
	size_t at, len;
	return er_unit_in_name(name, &at, &len) ? er_strndup(name + at + 1, len) : NULL;
}

int er_header_is_units_above(const er_pending *a, const er_pending *b)
{
	size_t i, empty = 0, units = 0;
	const char *u;
	size_t un;

	if (a->nfields != b->nfields || a->nfields < 2)
		return 0;
	for (i = 0; i < b->nfields; i++) {
		const char *s = b->f[i].s;
		size_t n = b->f[i].n;
		er_cell c;
		trim(&s, &n);
		if (n == 0 || er_cell_parse(s, n, '.', &c) != ER_CELL_TEXT)
			return 0;
	}
	for (i = 0; i < a->nfields; i++) {
		if (a->f[i].n == 0)
			empty++;
		else if (unit_cell(a->f[i].s, a->f[i].n, &u, &un))
			units++;
	}
	/* Mostly blank notes with at least one unit: "index,,,,in gCO2e/kWh,,". */
	return units > 0 && empty * 2 >= a->nfields;
}

int er_header_is_units_below(const er_pending *row, const er_pending *next)
{
	size_t i, units = 0, strong = 0;
	const char *u;
	size_t un;
	char tmp[32], dim[64];

	for (i = 0; i < row->nfields; i++) {
		const char *s = row->f[i].s;
		size_t n = row->f[i].n;
		trim(&s, &n);
		if (n == 0)
			continue;
		if (!unit_cell(s, n, &u, &un))
			return 0;
		units++;
		memcpy(tmp, u, un);
		tmp[un] = '\0';
		if (strcmp(er_unit_dimension(tmp, dim, sizeof dim), "count") != 0)
			strong++;
	}
	if (units == 0 || (units < 2 && strong == 0))
		return 0;
	/* The next row must look like data, not like more units. */
	if (next && er_header_is_units_below(next, NULL))
		return 0;
	return 1;
}

er_status er_header_build(er_reader *r, const er_pending *names, const er_pending *units_above,
                          const er_pending *units_below)
{
	size_t i, j, n = names->nfields;
	const er_pending *urow = units_above ? units_above : units_below;

	r->names = calloc(n, sizeof *r->names);
	r->units = calloc(n, sizeof *r->units);
	if (r->names == NULL || r->units == NULL)
		return ER_ERR_NOMEM;
	r->ncols = n;
	for (i = 0; i < n; i++) {
		const char *s = names->f[i].s;
		size_t len = names->f[i].n;
		trim(&s, &len);
		if (len == 0) {
			char tmp[32];
			snprintf(tmp, sizeof tmp, "column_%zu", i + 1);
			r->names[i] = er_strdup(tmp);
			if (r->names[i])
				er_diag_emit(r->diag, ER_SEV_WARNING, r->display, names->line, 0,
				             "column %zu has no name; calling it \"%s\"", i + 1, tmp);
		} else {
			r->names[i] = er_strndup(s, len);
		}
		if (r->names[i] == NULL)
			return ER_ERR_NOMEM;
	}
	/* Duplicates get a numeric suffix that is itself unique. */
	for (i = 1; i < n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(r->names[i], r->names[j]) == 0)
				break;
		if (j < i) {
			size_t len = strlen(r->names[i]) + 24, k, suffix;
			char *nn = malloc(len);
			if (nn == NULL)
				return ER_ERR_NOMEM;
			for (suffix = 2;; suffix++) {
				snprintf(nn, len, "%s_%zu", r->names[i], suffix);
				for (k = 0; k < n; k++)
					if (k != i && strcmp(nn, r->names[k]) == 0)
						break;
				if (k == n)
					break;
			}
			er_diag_emit(r->diag, ER_SEV_WARNING, r->display, names->line, 0,
			             "duplicate column name \"%s\" (column %zu) renamed to \"%s\"",
			             r->names[i], i + 1, nn);
			free(r->names[i]);
			r->names[i] = nn;
		}
	}
	for (i = 0; i < n; i++) {
		const char *u;
		size_t un;
		if (urow && i < urow->nfields && unit_cell(urow->f[i].s, urow->f[i].n, &u, &un))
			r->units[i] = er_strndup(u, un);
		else
			r->units[i] = unit_from_name(r->names[i]);
	}
	return ER_OK;
}
