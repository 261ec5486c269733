/* distinct.c - exact-then-HyperLogLog distinct counting. */
#include "distinct.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_MAX 8192 /* values kept exactly (64 KiB of hashes per column at most) */
#define HLL_BITS 12
#define HLL_REGS (1u << HLL_BITS)

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
