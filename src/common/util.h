/* util.h - small string helpers shared by every stage. */
#ifndef ER_UTIL_H
#define ER_UTIL_H

#include <stddef.h>

#include "status.h"

/* A NUL-terminated copy of n bytes of s, or NULL when out of memory. Caller frees. */
char *er_strndup(const char *s, size_t n);
/* A copy of s, or NULL when out of memory (or when s is NULL). Caller frees. */
char *er_strdup(const char *s);
/* The name of a file without its folder and extension, as a pointer into
 * path and a length: "templates/q3.md" -> "q3" (2). A report's default
 * output name, in render and in batch alike. */
const char *er_path_stem(const char *path, size_t *n);
/* Case-insensitive ASCII comparison of s (n bytes) with the NUL-terminated word. */
int er_ascii_ieq(const char *s, size_t n, const char *word);
/* Levenshtein distance between a and b, capped at `cap` (returns cap when larger). */
size_t er_edit_distance(const char *a, const char *b, size_t cap);
/* The index of the candidate `name` most plausibly meant, or -1: the name
 * with a unit ("energy (MWh)" for "energy"), else the closest within about
 * one edit per three characters, else the shortest that begins with the
 * name and a word break ("energy_consumed" for "energy"). */
long er_suggest(const char *name, const char *const *candidates, size_t n);
/* Makes room for one more element in a growing array: `items` is the
 * address of the array pointer (a T ** passed as void *), n the elements
 * in use, *cap the capacity, `size` an element's bytes. A full array
 * doubles, an empty one starts at `first`. On failure (ER_ERR_NOMEM) the
 * array and *cap are as they were. */
er_status er_grow(void *items, size_t *cap, size_t n, size_t size, size_t first);

#endif
