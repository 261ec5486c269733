/* value.h - one typed value as the core computes with it. */
#ifndef ER_VALUE_H
#define ER_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/datetime.h"

typedef enum er_vtype { ER_V_NULL, ER_V_NUM, ER_V_TEXT, ER_V_TIME, ER_V_BOOL } er_vtype;

typedef struct er_value {
	er_vtype type;
	double num;       /* ER_V_NUM; ER_V_BOOL as 0 or 1 */
	const char *unit; /* ER_V_NUM: an interned unit spelling, or NULL */
	const char *s;    /* ER_V_TEXT: not NUL-terminated, not owned */
	size_t n;
	er_time t;        /* ER_V_TIME */
} er_value;

static inline er_value er_value_null(void)
{
	er_value v = {ER_V_NULL, 0, NULL, NULL, 0, {0, 0, 0}};
	return v;
}

static inline er_value er_value_num(double x, const char *unit)
{
	er_value v = {ER_V_NUM, x, unit, NULL, 0, {0, 0, 0}};
	return v;
}

static inline er_value er_value_text(const char *s, size_t n)
{
	er_value v = {ER_V_TEXT, 0, NULL, s, n, {0, 0, 0}};
	return v;
}

const char *er_vtype_name(er_vtype t);

#endif
