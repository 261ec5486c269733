/* units.h - the units ecoreport knows and how to convert between them.
 *
 * A unit is a short spelling such as "kWh", "t", "gCO2eq/kWh", "B" (billions)
 * or "%". Known simple units belong to a dimension (energy, mass, count,
 * power, time, percent) with a factor to that dimension's base; products
 * and quotients ("MWh*gCO2eq/kWh", "kg/(kWh*h)") convert when their
 * dimensions agree. Mass units may carry a CO2
 * decoration ("kgCO2eq", "tCO2e") which does not change the dimension.
 * Unknown spellings convert only to themselves. */
#ifndef ER_UNITS_H
#define ER_UNITS_H

#include <stdbool.h>
#include <stddef.h>

/* True when `from` and `to` are the same or convertible; *factor then holds
 * the multiplier that turns a value in `from` into one in `to`. */
bool er_unit_factor(const char *from, const char *to, double *factor);

/* True when the spelling belongs to a dimension ecoreport knows. */
bool er_unit_is_known(const char *u);

/* The dimension name of a known simple or compound unit ("energy",
 * "mass/energy", ...) written into buf, or the spelling itself when unknown. */
const char *er_unit_dimension(const char *u, char *buf, size_t cap);

/* When u (a product or quotient such as "MWh*gCO2eq/kWh") equals one
 * known simple unit exactly, writes that unit ("kg") and returns true. */
bool er_unit_simplify(const char *u, char *buf, size_t cap);

/* True when n bytes of s look like a unit spelling: no spaces, at most 24
 * bytes, starting with a letter, '%', '°' or 'µ', containing no digit before
 * its first letter and no characters outside [A-Za-z0-9/%._-] and UTF-8,
 * no more digits than letters and at most one '-'. */
bool er_unit_is_symbol(const char *s, size_t n);
/* The unit a column name ends with, "Energy (kWh)" or "co2 [t]": true, and
 * where the bracket opens (*at) and the unit's span inside it
 * (name + *at + 1, *len bytes), when the brackets hold a unit symbol. */
bool er_unit_in_name(const char *name, size_t *at, size_t *len);

#endif
