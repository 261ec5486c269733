/* test_diag.h - a diagnostic sink for unit tests that counts what the
 * library reports and keeps the last message, so a test can check both. */
#ifndef ER_TEST_DIAG_H
#define ER_TEST_DIAG_H

#include <stdio.h>

#include "common/diag.h"

typedef struct recorder {
	int count;
	char last[512];
} recorder;

/* The sink's callback: er_diag_sink sink = {record, &rec, 0, 0}. */
static inline void record(void *ctx, const er_diag *d)
{
	recorder *r = ctx;
	r->count++;
	snprintf(r->last, sizeof r->last, "%s", d->message);
}

#endif
