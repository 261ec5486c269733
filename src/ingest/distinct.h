/* distinct.h - counting distinct strings in bounded memory: exact up to a
 * few thousand values, then a HyperLogLog estimate (about 1.6% error). */
#ifndef ER_DISTINCT_H
#define ER_DISTINCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/hash.h"
#include "../common/status.h"

typedef struct er_distinct {
	uint64_t *set;   /* open addressing over 64-bit hashes; 0 marks a free slot */
	size_t cap, n;
	uint8_t *hll;    /* 4096 registers once the exact set is abandoned */
} er_distinct;

er_status er_distinct_add(er_distinct *d, uint64_t hash);
/* The count, and whether it is exact. */
double er_distinct_count(const er_distinct *d, bool *exact);
void er_distinct_free(er_distinct *d);

#endif
