/* expr.h - the expression language of DESIGN.md section 4: parsing.
 *
 * Numbers, 'strings', column names (bare, "Quoted Name", dataset.column),
 * + - * /, comparisons, and/or/not, and function calls: the aggregates
 * sum mean min max count median first last, and year month quarter round
 * coalesce to abs quarter_add. Parsing knows no columns; names are resolved afterwards. */
#ifndef ER_EXPR_H
#define ER_EXPR_H

#include <stddef.h>

#include "common/status.h"

typedef enum er_ex_kind { EX_NUM, EX_STR, EX_COL, EX_NEG, EX_NOT, EX_BIN, EX_CALL } er_ex_kind;

typedef enum er_ex_op {
	OP_ADD = 1, OP_SUB, OP_MUL, OP_DIV, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_AND, OP_OR
} er_ex_op;

typedef enum er_func {
	FN_SUM, FN_MEAN, FN_MIN, FN_MAX, FN_COUNT, FN_MEDIAN, FN_FIRST, FN_LAST, /* aggregates */
	FN_YEAR, FN_MONTH, FN_QUARTER, FN_ROUND, FN_COALESCE, FN_TO, FN_ABS, FN_QUARTER_ADD
} er_func;

#define ER_FN_IS_AGG(f) ((f) <= FN_LAST)

typedef struct er_expr er_expr;
struct er_expr {
	er_ex_kind kind;
	er_ex_op op;        /* EX_BIN */
	double num;         /* EX_NUM */
	char *str;          /* EX_STR: the text; EX_COL: the column name (owned) */
	char *dataset;      /* EX_COL: "models" in models.co2_t, or NULL (owned) */
	long col;           /* EX_COL: resolved index, or -1 */
	er_func func;       /* EX_CALL */
	er_expr **args;     /* EX_CALL, EX_BIN (2), EX_NEG/EX_NOT (1); owned */
	size_t nargs;
	size_t pos, len;    /* byte offset and length in the source text */
	int slot;           /* aggregate calls: index of their accumulator */
};

/* A parse error: the byte offset where it was found and a message. */
typedef struct er_expr_error {
	size_t pos;
	char message[256];
} er_expr_error;

/* Parses n bytes of src. On failure returns NULL and fills *err. On
 * success the caller frees the tree with er_expr_free. ER_ERR_NOMEM shows as
 * NULL with err->message "out of memory". */
er_expr *er_expr_parse(const char *src, size_t n, er_expr_error *err);
void er_expr_free(er_expr *e);

/* The name of a function ("sum"), for messages. */
const char *er_func_name(er_func f);

/* Splits "name = expr" (a top-level single '='); returns 1 and the name's
 * span and the expression's offset, or 0 when there is no such '='. */
int er_expr_split_assign(const char *src, size_t n, size_t *name_start, size_t *name_len,
                         size_t *expr_start);

/* Splits a comma-separated list at top-level commas (outside parentheses
 * and quotes). Calls fn for each item (offset, length), the last one even
 * when a parenthesis or quote is left open; stops on non-zero. */
int er_expr_split_list(const char *src, size_t n,
                       int (*fn)(void *ctx, size_t off, size_t len), void *ctx);

/* The 1-based character column of byte offset pos in src (for messages). */
unsigned long er_expr_column(const char *src, size_t pos);

#endif
