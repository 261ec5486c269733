/* json.h - writing JSON strings. */
#ifndef ER_JSON_H
#define ER_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Writes n bytes of UTF-8 as a quoted JSON string (control characters
 * escaped). */
void er_json_string(FILE *f, const char *s, size_t n);

#endif
