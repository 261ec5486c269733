/* yaml.c - libyaml's event stream folded into a tree. */
#include "yaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util.h"

#define MAX_DEPTH 64
#define MAX_NODES 100000

static er_ynode *node_new(er_ytype type, const yaml_mark_t *m, unsigned long line_offset)
{
	er_ynode *n = calloc(1, sizeof *n);
	if (n == NULL)
		return NULL;
	n->type = type;
	n->line = (unsigned long)m->line + 1 + line_offset;
	n->column = (unsigned long)m->column + 1;
	return n;
}

void er_yaml_free(er_ynode *n)
{
	size_t i;
	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			er_yaml_free(n->keys[i]);
		er_yaml_free(n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n->text);
	free(n);
}

static int add_child(er_ynode *parent, er_ynode *key, er_ynode *value)
{
	er_ynode **ni = realloc(parent->items, (parent->n + 1) * sizeof *ni);
	if (ni == NULL)
		return 0;
	parent->items = ni;
	if (parent->type == ER_Y_MAP) {
		er_ynode **nk = realloc(parent->keys, (parent->n + 1) * sizeof *nk);
		if (nk == NULL)
			return 0;
		parent->keys = nk;
		nk[parent->n] = key;
	}
	ni[parent->n++] = value;
	return 1;
}

er_status er_yaml_parse(const char *src, size_t n, const char *file, unsigned long line_offset,
                        er_diag_sink *diag, er_ynode **out)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	er_ynode *stack[MAX_DEPTH], *pending_key[MAX_DEPTH], *root = NULL;
	int depth = 0, done = 0;
	size_t nodes = 0;
	er_status st = ER_OK;

	*out = NULL;
	if (!yaml_parser_initialize(&parser))
		return ER_ERR_NOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)src, n);
	while (!done) {
		er_ynode *node = NULL;
		if (!yaml_parser_parse(&parser, &ev)) {
			er_diag_emit(diag, ER_SEV_ERROR, file,
			             (unsigned long)parser.problem_mark.line + 1 + line_offset,
			             (unsigned long)parser.problem_mark.column + 1, "YAML: %s%s%s",
			             parser.problem ? parser.problem : "syntax error",
			             parser.context ? " " : "", parser.context ? parser.context : "");
			st = ER_ERR_DATA;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_END_EVENT:
			done = 1;
			break;
		case YAML_ALIAS_EVENT:
			er_diag_emit(diag, ER_SEV_ERROR, file, (unsigned long)ev.start_mark.line + 1 + line_offset,
			             (unsigned long)ev.start_mark.column + 1, "YAML aliases (*name) are not supported");
			st = ER_ERR_DATA;
			break;
		case YAML_SCALAR_EVENT:
			node = node_new(ER_Y_SCALAR, &ev.start_mark, line_offset);
			if (node) {
				node->text = er_strndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
				node->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
				if (node->text == NULL) {
					er_yaml_free(node);
					node = NULL;
				}
			}
			if (node == NULL)
				st = ER_ERR_NOMEM;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			node = node_new(ev.type == YAML_SEQUENCE_START_EVENT ? ER_Y_SEQ : ER_Y_MAP, &ev.start_mark,
			                line_offset);
			if (node == NULL)
				st = ER_ERR_NOMEM;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			node = stack[--depth];
			if (node->type == ER_Y_MAP && pending_key[depth]) {
				er_yaml_free(pending_key[depth]);
				pending_key[depth] = NULL;
			}
			break;
		default:
			break;
		}
		if (st == ER_OK && ++nodes > MAX_NODES) {
			er_diag_emit(diag, ER_SEV_ERROR, file, (unsigned long)ev.start_mark.line + 1 + line_offset,
			             (unsigned long)ev.start_mark.column + 1, "YAML document too large");
			st = ER_ERR_LIMIT;
		}
		if (st == ER_OK && node &&
		    (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)) {
			if (depth == MAX_DEPTH) {
				er_diag_emit(diag, ER_SEV_ERROR, file, node->line, node->column,
				             "YAML nested too deeply");
				er_yaml_free(node);
				st = ER_ERR_LIMIT;
			} else {
				/* Attach when it ends; keep it on the stack until then. */
				pending_key[depth] = NULL;
				stack[depth++] = node;
				node = NULL;
			}
		}
		if (st == ER_OK && node) {
			/* A complete node: attach it to its parent (or make it the root). */
			if (depth == 0) {
				er_yaml_free(root);
				root = node;
			} else {
				er_ynode *parent = stack[depth - 1];
				if (parent->type == ER_Y_MAP && pending_key[depth - 1] == NULL) {
					if (node->type != ER_Y_SCALAR) {
						er_diag_emit(diag, ER_SEV_ERROR, file, node->line, node->column,
						             "a key must be plain text");
						er_yaml_free(node);
						st = ER_ERR_DATA;
					} else {
						size_t i;
						for (i = 0; i < parent->n; i++)
							if (strcmp(parent->keys[i]->text, node->text) == 0)
								break;
						if (i < parent->n) {
							er_diag_emit(diag, ER_SEV_ERROR, file, node->line, node->column,
							             "duplicate key \"%s\" (first at line %lu)", node->text,
							             parent->keys[i]->line);
							er_yaml_free(node);
							st = ER_ERR_DATA;
						} else {
							pending_key[depth - 1] = node;
						}
					}
				} else if (parent->type == ER_Y_MAP) {
					if (!add_child(parent, pending_key[depth - 1], node)) {
						er_yaml_free(node);
						st = ER_ERR_NOMEM;
					} else {
						pending_key[depth - 1] = NULL;
					}
				} else if (!add_child(parent, NULL, node)) {
					er_yaml_free(node);
					st = ER_ERR_NOMEM;
				}
			}
		}
		yaml_event_delete(&ev);
		if (st != ER_OK)
			break;
	}
	/* Unwind whatever is still open after an error. */
	while (depth > 0) {
		depth--;
		er_yaml_free(pending_key[depth]);
		er_yaml_free(stack[depth]);
	}
	yaml_parser_delete(&parser);
	if (st != ER_OK) {
		er_yaml_free(root);
		return st;
	}
	*out = root;
	return ER_OK;
}

er_ynode *er_yaml_get(const er_ynode *map, const char *key)
{
	size_t i;
	if (map == NULL || map->type != ER_Y_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->text, key) == 0)
			return map->items[i];
	return NULL;
}
