/* expr_parse.c - tokenizer and recursive-descent parser of expressions. */
#include "expr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/num.h"
#include "common/utf8.h"
#include "common/util.h"

static const struct {
	const char *name;
	er_func func;
	int min_args, max_args;
} functions[] = {
	{"sum", FN_SUM, 1, 1},       {"mean", FN_MEAN, 1, 1},       {"avg", FN_MEAN, 1, 1},
	{"min", FN_MIN, 1, 1},       {"max", FN_MAX, 1, 1},         {"count", FN_COUNT, 0, 1},
	{"median", FN_MEDIAN, 1, 1}, {"first", FN_FIRST, 1, 1},     {"last", FN_LAST, 1, 1},
	{"year", FN_YEAR, 1, 1},     {"month", FN_MONTH, 1, 1},     {"quarter", FN_QUARTER, 1, 1},
	{"round", FN_ROUND, 1, 2},   {"coalesce", FN_COALESCE, 2, 8}, {"to", FN_TO, 2, 2},
	{"abs", FN_ABS, 1, 1},       {"quarter_add", FN_QUARTER_ADD, 2, 2},
};

const char *er_func_name(er_func f)
{
	size_t i;
	for (i = 0; i < sizeof functions / sizeof functions[0]; i++)
		if (functions[i].func == f)
			return functions[i].name;
	return "?";
}

typedef enum {
	T_END, T_NUM, T_STR, T_QNAME, T_IDENT, T_LP, T_RP, T_COMMA, T_DOT,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
	T_AND, T_OR, T_NOT, T_ERR
} tok_kind;

typedef struct parser {
	const char *src;
	size_t n, pos;
	tok_kind tok;
	size_t tok_pos, tok_len;
	char *text;   /* T_STR/T_QNAME/T_IDENT content (owned, unescaped) */
	double num;
	er_expr_error *err;
	int failed;
	int depth;
} parser;

static void fail(parser *p, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;
	if (p->failed)
		return;
	p->failed = 1;
	p->err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
	va_end(ap);
}

static int ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int ident_char(unsigned char c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

/* Reads a quoted token ('...' or "..."), a doubled quote standing for one. */
static int read_quoted(parser *p, char q)
{
	size_t i = p->pos + 1, o = 0;
	char *out = malloc(p->n - p->pos + 1);
	if (out == NULL) {
		fail(p, p->pos, "out of memory");
		return 0;
	}
	for (;;) {
		if (i >= p->n) {
			free(out);
			fail(p, p->pos, "%s is not closed", q == '\'' ? "string" : "quoted name");
			return 0;
		}
		if (p->src[i] == q) {
			if (i + 1 < p->n && p->src[i + 1] == q) {
				out[o++] = q;
				i += 2;
				continue;
			}
			i++;
			break;
		}
		out[o++] = p->src[i++];
	}
	out[o] = '\0';
	p->text = out;
	p->tok_len = i - p->pos;
	p->pos = i;
	return 1;
}

static void next(parser *p)
{
	const char *s = p->src;
	unsigned char c;

	free(p->text);
	p->text = NULL;
	while (p->pos < p->n && (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' ||
	                         s[p->pos] == '\r'))
		p->pos++;
	p->tok_pos = p->pos;
	p->tok_len = 1;
	if (p->pos >= p->n) {
		p->tok = T_END;
		p->tok_len = 0;
		return;
	}
	c = (unsigned char)s[p->pos];
	if ((c >= '0' && c <= '9') || (c == '.' && p->pos + 1 < p->n && s[p->pos + 1] >= '0' &&
	                               s[p->pos + 1] <= '9')) {
		size_t i = p->pos;
		while (i < p->n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
			i++;
		if (i < p->n && (s[i] == 'e' || s[i] == 'E')) {
			size_t j = i + 1;
			if (j < p->n && (s[j] == '+' || s[j] == '-'))
				j++;
			if (j < p->n && s[j] >= '0' && s[j] <= '9') {
				while (j < p->n && s[j] >= '0' && s[j] <= '9')
					j++;
				i = j;
			}
		}
		if (!er_num_parse(s + p->pos, i - p->pos, &p->num)) {
			p->tok_len = i - p->pos;
			fail(p, p->pos, "malformed number '%.*s'", (int)(i - p->pos), s + p->pos);
			p->tok = T_ERR;
			return;
		}
		p->tok = T_NUM;
		p->tok_len = i - p->pos;
		p->pos = i;
		return;
	}
	if (c == '\'' || c == '"') {
		p->tok = T_ERR;
		if (read_quoted(p, (char)c))
			p->tok = c == '\'' ? T_STR : T_QNAME;
		return;
	}
	if (ident_start(c)) {
		size_t i = p->pos;
		while (i < p->n && ident_char((unsigned char)s[i]))
			i++;
		p->tok_len = i - p->pos;
		p->pos = i;
		if (er_ascii_ieq(s + p->tok_pos, p->tok_len, "and"))
			p->tok = T_AND;
		else if (er_ascii_ieq(s + p->tok_pos, p->tok_len, "or"))
			p->tok = T_OR;
		else if (er_ascii_ieq(s + p->tok_pos, p->tok_len, "not"))
			p->tok = T_NOT;
		else {
			p->tok = T_IDENT;
			p->text = er_strndup(s + p->tok_pos, p->tok_len);
			if (p->text == NULL) {
				fail(p, p->tok_pos, "out of memory");
				p->tok = T_ERR;
			}
		}
		return;
	}
	p->pos++;
	switch (c) {
	case '(': p->tok = T_LP; return;
	case ')': p->tok = T_RP; return;
	case ',': p->tok = T_COMMA; return;
	case '.': p->tok = T_DOT; return;
	case '+': p->tok = T_PLUS; return;
	case '-': p->tok = T_MINUS; return;
	case '*': p->tok = T_STAR; return;
	case '/': p->tok = T_SLASH; return;
	case '=':
		if (p->pos < p->n && s[p->pos] == '=')
			p->pos++;
		p->tok = T_EQ;
		break;
	case '!':
		if (p->pos < p->n && s[p->pos] == '=') {
			p->pos++;
			p->tok = T_NE;
			break;
		}
		p->tok = T_ERR;
		fail(p, p->tok_pos, "unexpected '!' (use 'not' or '!=')");
		return;
	case '<':
		if (p->pos < p->n && s[p->pos] == '=') {
			p->pos++;
			p->tok = T_LE;
		} else if (p->pos < p->n && s[p->pos] == '>') {
			p->pos++;
			p->tok = T_NE;
		} else {
			p->tok = T_LT;
		}
		break;
	case '>':
		if (p->pos < p->n && s[p->pos] == '=') {
			p->pos++;
			p->tok = T_GE;
		} else {
			p->tok = T_GT;
		}
		break;
	default: {
		size_t len;
		er_utf8_decode(s + p->tok_pos, p->n - p->tok_pos, &len);
		p->tok = T_ERR;
		fail(p, p->tok_pos, "unexpected character '%.*s'", (int)len, s + p->tok_pos);
		return;
	}
	}
	p->tok_len = p->pos - p->tok_pos;
}

static er_expr *node(parser *p, er_ex_kind kind, size_t pos)
{
	er_expr *e = calloc(1, sizeof *e);
	if (e == NULL) {
		fail(p, pos, "out of memory");
		return NULL;
	}
	e->kind = kind;
	e->pos = pos;
	e->col = -1;
	e->slot = -1;
	return e;
}

static int add_arg(parser *p, er_expr *e, er_expr *arg)
{
	er_expr **na = realloc(e->args, (e->nargs + 1) * sizeof *na);
	if (na == NULL) {
		fail(p, e->pos, "out of memory");
		er_expr_free(arg);
		return 0;
	}
	e->args = na;
	e->args[e->nargs++] = arg;
	return 1;
}

static er_expr *parse_or(parser *p);

static const char *tok_desc(const parser *p)
{
	static char buf[64];
	if (p->tok == T_END)
		return "the end";
	snprintf(buf, sizeof buf, "'%.*s'", (int)(p->tok_len > 40 ? 40 : p->tok_len),
	         p->src + p->tok_pos);
	return buf;
}

static er_expr *parse_call(parser *p, char *name, size_t pos)
{
	size_t i;
	er_expr *e;

	for (i = 0; i < sizeof functions / sizeof functions[0]; i++)
		if (strcmp(functions[i].name, name) == 0)
			break;
	if (i == sizeof functions / sizeof functions[0]) {
		fail(p, pos, "unknown function '%s'", name);
		free(name);
		return NULL;
	}
	free(name);
	e = node(p, EX_CALL, pos);
	if (e == NULL)
		return NULL;
	e->func = functions[i].func;
	next(p); /* '(' */
	if (p->tok != T_RP) {
		for (;;) {
			er_expr *a = parse_or(p);
			if (a == NULL || !add_arg(p, e, a)) {
				er_expr_free(e);
				return NULL;
			}
			if (p->tok == T_COMMA) {
				next(p);
				continue;
			}
			break;
		}
	}
	if (p->tok != T_RP) {
		if (p->tok == T_END)
			fail(p, p->tok_pos, "expected ')'");
		else
			fail(p, p->tok_pos, "expected ')' or ',' but found %s", tok_desc(p));
		er_expr_free(e);
		return NULL;
	}
	if ((int)e->nargs < functions[i].min_args || (int)e->nargs > functions[i].max_args) {
		if (functions[i].min_args == functions[i].max_args)
			fail(p, pos, "%s() takes %d argument%s, not %zu", functions[i].name,
			     functions[i].min_args, functions[i].min_args == 1 ? "" : "s", e->nargs);
		else
			fail(p, pos, "%s() takes %d to %d arguments, not %zu", functions[i].name,
			     functions[i].min_args, functions[i].max_args, e->nargs);
		er_expr_free(e);
		return NULL;
	}
	e->len = p->tok_pos + 1 - pos;
	next(p);
	return e;
}

static er_expr *parse_primary(parser *p)
{
	size_t pos = p->tok_pos;
	er_expr *e;

	if (p->failed)
		return NULL;
	if (++p->depth > 200) {
		fail(p, pos, "expression nested too deeply");
		return NULL;
	}
	switch (p->tok) {
	case T_NUM:
		e = node(p, EX_NUM, pos);
		if (e) {
			e->num = p->num;
			e->len = p->tok_len;
			next(p);
		}
		break;
	case T_STR:
		e = node(p, EX_STR, pos);
		if (e) {
			e->str = p->text;
			p->text = NULL;
			e->len = p->tok_len;
			next(p);
		}
		break;
	case T_IDENT:
	case T_QNAME: {
		char *name = p->text;
		int quoted = p->tok == T_QNAME;
		p->text = NULL;
		next(p);
		if (!quoted && p->tok == T_LP)
			return parse_call(p, name, pos);
		e = node(p, EX_COL, pos);
		if (e == NULL) {
			free(name);
			break;
		}
		e->str = name;
		if (p->tok == T_DOT) {
			next(p);
			if (p->tok != T_IDENT && p->tok != T_QNAME) {
				fail(p, p->tok_pos, "expected a column name after '.' but found %s",
				     tok_desc(p));
				er_expr_free(e);
				return NULL;
			}
			e->dataset = e->str;
			e->str = p->text;
			p->text = NULL;
			next(p);
		}
		e->len = p->tok_pos - pos;
		break;
	}
	case T_LP:
		next(p);
		e = parse_or(p);
		if (e == NULL)
			break;
		if (p->tok != T_RP) {
			if (p->tok == T_END)
				fail(p, p->tok_pos, "expected ')'");
			else
				fail(p, p->tok_pos, "expected ')' but found %s", tok_desc(p));
			er_expr_free(e);
			return NULL;
		}
		next(p);
		break;
	case T_ERR:
		return NULL;
	case T_END:
		fail(p, pos, "expected a value but the expression ends");
		return NULL;
	default:
		fail(p, pos, "expected a value but found %s", tok_desc(p));
		return NULL;
	}
	p->depth--;
	return e;
}

static er_expr *unary(parser *p, er_ex_kind kind, size_t pos, er_expr *(*sub)(parser *))
{
	er_expr *a, *e;
	if (++p->depth > 200) {
		fail(p, pos, "expression nested too deeply");
		return NULL;
	}
	next(p);
	a = sub(p);
	p->depth--;
	if (a == NULL)
		return NULL;
	e = node(p, kind, pos);
	if (e == NULL || !add_arg(p, e, a)) {
		er_expr_free(e ? e : a);
		return NULL;
	}
	e->len = a->pos + a->len - pos;
	return e;
}

static er_expr *parse_unary(parser *p)
{
	if (p->tok == T_MINUS)
		return unary(p, EX_NEG, p->tok_pos, parse_unary);
	if (p->tok == T_PLUS) {
		next(p);
		return parse_unary(p);
	}
	return parse_primary(p);
}

static er_expr *binary(parser *p, er_expr *l, er_ex_op op, er_expr *(*sub)(parser *))
{
	er_expr *r, *e;
	next(p);
	r = sub(p);
	if (r == NULL) {
		er_expr_free(l);
		return NULL;
	}
	e = node(p, EX_BIN, l->pos);
	if (e == NULL) {
		er_expr_free(l);
		er_expr_free(r);
		return NULL;
	}
	e->op = op;
	if (!add_arg(p, e, l)) {
		er_expr_free(r);
		er_expr_free(e);
		return NULL;
	}
	if (!add_arg(p, e, r)) {
		er_expr_free(e);
		return NULL;
	}
	e->len = r->pos + r->len - l->pos;
	return e;
}

static er_expr *parse_mul(parser *p)
{
	er_expr *e = parse_unary(p);
	while (e && (p->tok == T_STAR || p->tok == T_SLASH))
		e = binary(p, e, p->tok == T_STAR ? OP_MUL : OP_DIV, parse_unary);
	return e;
}

static er_expr *parse_add(parser *p)
{
	er_expr *e = parse_mul(p);
	while (e && (p->tok == T_PLUS || p->tok == T_MINUS))
		e = binary(p, e, p->tok == T_PLUS ? OP_ADD : OP_SUB, parse_mul);
	return e;
}

static er_expr *parse_cmp(parser *p)
{
	er_expr *e = parse_add(p);
	er_ex_op op;
	if (e == NULL)
		return NULL;
	switch (p->tok) {
	case T_EQ: op = OP_EQ; break;
	case T_NE: op = OP_NE; break;
	case T_LT: op = OP_LT; break;
	case T_LE: op = OP_LE; break;
	case T_GT: op = OP_GT; break;
	case T_GE: op = OP_GE; break;
	default: return e;
	}
	return binary(p, e, op, parse_add);
}

static er_expr *parse_not(parser *p)
{
	if (p->tok == T_NOT)
		return unary(p, EX_NOT, p->tok_pos, parse_not);
	return parse_cmp(p);
}

static er_expr *parse_and(parser *p)
{
	er_expr *e = parse_not(p);
	while (e && p->tok == T_AND)
		e = binary(p, e, OP_AND, parse_not);
	return e;
}

static er_expr *parse_or(parser *p)
{
	er_expr *e = parse_and(p);
	while (e && p->tok == T_OR)
		e = binary(p, e, OP_OR, parse_and);
	return e;
}

er_expr *er_expr_parse(const char *src, size_t n, er_expr_error *err)
{
	parser p;
	er_expr *e;

	memset(&p, 0, sizeof p);
	p.src = src;
	p.n = n;
	p.err = err;
	err->pos = 0;
	err->message[0] = '\0';
	next(&p);
	e = parse_or(&p);
	if (e && p.tok != T_END) {
		if (p.tok == T_RP)
			fail(&p, p.tok_pos, "unmatched ')'");
		else
			fail(&p, p.tok_pos, "unexpected %s after a complete expression", tok_desc(&p));
	}
	free(p.text);
	if (p.failed) {
		er_expr_free(e);
		return NULL;
	}
	return e;
}

void er_expr_free(er_expr *e)
{
	size_t i;
	if (e == NULL)
		return;
	for (i = 0; i < e->nargs; i++)
		er_expr_free(e->args[i]);
	free(e->args);
	free(e->str);
	free(e->dataset);
	free(e);
}

int er_expr_split_assign(const char *src, size_t n, size_t *name_start, size_t *name_len,
                         size_t *expr_start)
{
	size_t i = 0, s, e;
	while (i < n && (src[i] == ' ' || src[i] == '\t'))
		i++;
	s = i;
	if (i < n && src[i] == '"') {
		/* A quoted name: "Energy (kWh)" = sum(...) */
		for (i++; i < n && src[i] != '"'; i++)
			;
		if (i >= n)
			return 0;
		i++;
	} else {
		while (i < n && ident_char((unsigned char)src[i]))
			i++;
	}
	e = i;
	while (i < n && (src[i] == ' ' || src[i] == '\t'))
		i++;
	if (e == s || i >= n || src[i] != '=' || (i + 1 < n && src[i + 1] == '='))
		return 0;
	if (src[s] == '"') {
		s++;
		e--;
	}
	*name_start = s;
	*name_len = e - s;
	*expr_start = i + 1;
	return 1;
}

int er_expr_split_list(const char *src, size_t n,
                       int (*fn)(void *ctx, size_t off, size_t len), void *ctx)
{
	size_t i, start = 0;
	int depth = 0, rc;
	char quote = 0;

	for (i = 0; i < n; i++) {
		char c = src[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '\'' || c == '"')
			quote = c;
		else if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		else if (c == ',' && depth <= 0) {
			rc = fn(ctx, start, i - start);
			if (rc)
				return rc;
			start = i + 1;
		}
	}
	/* The last item always, an unclosed one too: its parse says what is
	 * missing, where. */
	return fn(ctx, start, n - start);
}

unsigned long er_expr_column(const char *src, size_t pos)
{
	return (unsigned long)er_utf8_count(src, pos) + 1;
}
