/* axis.h - numbers for people: value labels and "nice" axis ticks. */
#ifndef ER_AXIS_H
#define ER_AXIS_H

#include <stddef.h>

#include "common/l10n.h"

/* Every formatter writes in language `loc`'s decimal mark and thousands
 * separator (borrowed; NULL: English, "1,287.5"). */

/* A value label: at most `decimals` decimals (trailing zeros dropped),
 * thousands grouped: 1287 -> "1,287", 0.99 -> "0.99", 552.123 -> "552.12",
 * 25 -> "25", never "502.00". Values below 0.01 keep two significant
 * digits (0.0042). Returns the length; cap >= 64. */
size_t er_fmt_label(const er_locale *loc, double v, int decimals, char *buf, size_t cap);

/* The compact form for tight spaces: 3200 -> "3.2k", 1.5e6 -> "1.5M",
 * 2.1e9 -> "2.1B"; below 1000 as er_fmt_label. */
size_t er_fmt_compact(const er_locale *loc, double v, char *buf, size_t cap);

/* Ticks for [lo, hi]: a step of 1, 2, 2.5 or 5 x 10^k giving about `target`
 * intervals, the domain widened to whole steps (and to include 0 when
 * `zero`). Writes at most max ticks; returns the count, with the decimals
 * the step needs in *decimals. */
size_t er_nice_ticks(double lo, double hi, int target, int zero, double *ticks, size_t max,
                     int *decimals);

/* Ticks for a log scale over [lo, hi] (both > 0): powers of ten covering
 * the range. Returns the count. */
size_t er_log_ticks(double lo, double hi, double *ticks, size_t max);

/* A tick label with exactly the given decimals (thousands grouped). */
size_t er_fmt_tick(const er_locale *loc, double v, int decimals, char *buf, size_t cap);

#endif
