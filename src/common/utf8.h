/* utf8.h - UTF-8 validation and measuring. */
#ifndef ER_UTF8_H
#define ER_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Checks that n bytes of s are valid UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF) and contain no NUL byte. On failure stores the byte
 * offset of the first bad byte in *bad_at and returns false. */
bool er_utf8_valid(const char *s, size_t n, size_t *bad_at);

/* The number of code points in n bytes of valid UTF-8. */
size_t er_utf8_count(const char *s, size_t n);

/* Decodes one code point at s (n bytes left); stores its length in *len.
 * Returns 0xFFFD (and *len = 1) on a malformed sequence. */
uint32_t er_utf8_decode(const char *s, size_t n, size_t *len);

/* True for the characters of scripts written without spaces between words
 * (Han ideographs, kana, CJK and fullwidth punctuation): a line break
 * between two of them is no space (CSS Text 3, segment break
 * transformation). Not Hangul: Korean separates words with spaces. */
bool er_cp_spaceless(uint32_t cp);

/* The last code point of n bytes of UTF-8 (0 when there is none). */
uint32_t er_utf8_last(const char *s, size_t n);

#endif
