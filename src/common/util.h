/* util.h - small string helpers shared by every stage. */
#ifndef ER_UTIL_H
#define ER_UTIL_H

#include <stddef.h>

/* A NUL-terminated copy of n bytes of s, or NULL when out of memory. Caller frees. */
char *er_strndup(const char *s, size_t n);
/* A copy of s, or NULL when out of memory (or when s is NULL). Caller frees. */
char *er_strdup(const char *s);
/* Case-insensitive ASCII comparison of s (n bytes) with the NUL-terminated word. */
int er_ascii_ieq(const char *s, size_t n, const char *word);
/* Levenshtein distance between a and b, capped at `cap` (returns cap when larger). */
size_t er_edit_distance(const char *a, const char *b, size_t cap);
/* The index of the candidate closest to `name` that is plausibly a typo of it, or -1. */
long er_suggest(const char *name, const char *const *candidates, size_t n);

#endif
