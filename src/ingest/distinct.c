/* distinct.c - exact-then-HyperLogLog distinct counting. */
#include "distinct.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_MAX 8192 /* values kept exactly (64 KiB of hashes per column at most) */
#define HLL_BITS 12
#define HLL_REGS (1u << HLL_BITS)

uint64_t er_hash_bytes(const char *s, size_t n)
{
	/* 64-bit FNV-1a over 8-byte words, finished with a murmur-style mix. */
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)n;
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		i += 8;
	}
	while (i < n)
		h = (h ^ (unsigned char)s[i++]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h ? h : 1;
}

uint64_t er_hash_bytes2(const char *s, size_t n)
{
	/* A different multiplier and seed, and a different finaliser. */
	uint64_t h = 0x9E3779B97F4A7C15ULL + (uint64_t)n * 0xD6E8FEB86659FD93ULL;
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xD6E8FEB86659FD93ULL;
		h ^= h >> 32;
		i += 8;
	}
	while (i < n)
		h = (h ^ (unsigned char)s[i++]) * 0xD6E8FEB86659FD93ULL;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static void hll_add(uint8_t *regs, uint64_t h)
{
	unsigned idx = (unsigned)(h >> (64 - HLL_BITS));
	uint64_t rest = (h << HLL_BITS) | ((uint64_t)1 << (HLL_BITS - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(rest) + 1);
	if (rank > regs[idx])
		regs[idx] = rank;
}

static er_status grow(er_distinct *d)
{
	size_t ncap = d->cap ? d->cap * 2 : 64, i;
	uint64_t *ns = calloc(ncap, sizeof *ns);
	if (ns == NULL)
		return ER_ERR_NOMEM;
	for (i = 0; i < d->cap; i++) {
		if (d->set[i]) {
			size_t j = (size_t)d->set[i] & (ncap - 1);
			while (ns[j])
				j = (j + 1) & (ncap - 1);
			ns[j] = d->set[i];
		}
	}
	free(d->set);
	d->set = ns;
	d->cap = ncap;
	return ER_OK;
}

er_status er_distinct_add(er_distinct *d, uint64_t h)
{
	size_t j;
	if (d->hll) {
		hll_add(d->hll, h);
		return ER_OK;
	}
	if (d->n * 2 >= d->cap) {
		if (d->n >= EXACT_MAX) {
			size_t i;
			d->hll = calloc(HLL_REGS, 1);
			if (d->hll == NULL)
				return ER_ERR_NOMEM;
			for (i = 0; i < d->cap; i++)
				if (d->set[i])
					hll_add(d->hll, d->set[i]);
			free(d->set);
			d->set = NULL;
			d->cap = 0;
			hll_add(d->hll, h);
			return ER_OK;
		}
		if (grow(d) != ER_OK)
			return ER_ERR_NOMEM;
	}
	j = (size_t)h & (d->cap - 1);
	while (d->set[j]) {
		if (d->set[j] == h)
			return ER_OK;
		j = (j + 1) & (d->cap - 1);
	}
	d->set[j] = h;
	d->n++;
	return ER_OK;
}

double er_distinct_count(const er_distinct *d, bool *exact)
{
	double sum = 0, m = HLL_REGS, est;
	unsigned i, zeros = 0;

	*exact = d->hll == NULL;
	if (d->hll == NULL)
		return (double)d->n;
	for (i = 0; i < HLL_REGS; i++) {
		sum += ldexp(1.0, -d->hll[i]);
		zeros += d->hll[i] == 0;
	}
	est = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (est <= 2.5 * m && zeros)
		est = m * log(m / zeros); /* linear counting for small ranges */
	return est;
}

void er_distinct_free(er_distinct *d)
{
	free(d->set);
	free(d->hll);
	memset(d, 0, sizeof *d);
}
