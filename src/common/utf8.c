/* utf8.c - UTF-8 validation and measuring. */
#include "utf8.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

bool er_utf8_valid(const char *s, size_t n, size_t *bad_at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t len, k;
		uint32_t cp;

		/* Fast path over ASCII: sixteen bytes at a time with SSE2 (every
		 * x86-64 has it), then eight at a time. */
		if (c < 0x80) {
#ifdef __SSE2__
			const __m128i zero = _mm_setzero_si128();
			while (i + 16 <= n) {
				__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
				/* high bits set, or a zero byte */
				if (_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero))))
					break;
				i += 16;
			}
#endif
			while (i + 8 <= n) {
				uint64_t w;
				memcpy(&w, p + i, 8);
				/* Stop on any high bit or any zero byte. */
				if ((w & 0x8080808080808080ULL) ||
				    ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
					break;
				i += 8;
			}
			if (i >= n)
				break;
			c = p[i];
			if (c < 0x80) {
				if (c == 0)
					goto bad;
				i++;
				continue;
			}
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			goto bad;
		}
		if (i + len > n)
			goto bad;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		i += len;
	}
	return true;
bad:
	if (bad_at)
		*bad_at = i;
	return false;
}

size_t er_utf8_count(const char *s, size_t n)
{
	size_t i, count = 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}

uint32_t er_utf8_decode(const char *s, size_t n, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t l, k;

	if (n == 0) {
		*len = 0;
		return 0;
	}
	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		l = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		l = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		l = 4;
		cp = p[0] & 0x07;
	} else {
		*len = 1;
		return 0xfffd;
	}
	if (l > n) {
		*len = 1;
		return 0xfffd;
	}
	for (k = 1; k < l; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			*len = 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	*len = l;
	return cp;
}

bool er_cp_spaceless(uint32_t cp)
{
	return (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x30ff) ||
	       (cp >= 0x3190 && cp <= 0x31ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xff61 && cp <= 0xff9f) || (cp >= 0x20000 && cp <= 0x3fffd);
}

uint32_t er_utf8_last(const char *s, size_t n)
{
	size_t i = n, len;

	if (n == 0)
		return 0;
	/* Back over continuation bytes, at most three. */
	while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i > 0)
		i--;
	return er_utf8_decode(s + i, n - i, &len);
}
