/* tz.h - time zones: fixed offsets and IANA zones read from the system's
 * TZif files (/usr/share/zoneinfo, or $TZDIR), without touching TZ or the
 * C library's global time zone state. */
#ifndef ER_TZ_H
#define ER_TZ_H

#include <stdint.h>

#include "status.h"

typedef struct er_tz er_tz;

/* Loads "UTC", "Z", "+02:00", "-0530", "UTC+2" or an IANA name such as
 * "Europe/Berlin". Returns ER_ERR_USAGE for an unknown zone (the name is
 * not valid), ER_ERR_NOMEM. The caller frees *out with er_tz_free. */
er_status er_tz_load(const char *name, er_tz **out);
void er_tz_free(er_tz *tz);
const char *er_tz_name(const er_tz *tz);

/* The zone's offset from UTC, in seconds, at the UTC instant `utc` (seconds
 * since the epoch). tz may be NULL (UTC). */
int32_t er_tz_offset(const er_tz *tz, int64_t utc);

#endif
