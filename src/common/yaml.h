/* yaml.h - YAML documents (libyaml) as a small tree with positions, for
 * themes, template front matter and blocks, and batch manifests. Aliases
 * and tags are refused: configuration files do not need them, and they are
 * how YAML documents grow without bound ("billion laughs"). */
#ifndef ER_YAML_H
#define ER_YAML_H

#include <stddef.h>

#include "diag.h"
#include "status.h"

typedef enum er_ytype { ER_Y_SCALAR, ER_Y_SEQ, ER_Y_MAP } er_ytype;

typedef struct er_ynode er_ynode;
struct er_ynode {
	er_ytype type;
	unsigned long line, column; /* 1-based, in the source */
	char *text;                 /* ER_Y_SCALAR: the value (owned) */
	int quoted;                 /* scalar was quoted: never a number or null */
	size_t n;                   /* children: SEQ items, or MAP key/value pairs */
	er_ynode **keys;            /* MAP: keys (scalars); NULL for SEQ */
	er_ynode **items;           /* SEQ items or MAP values */
};

/* Parses n bytes of YAML (one document). `file` names it in diagnostics;
 * line_offset is added to line numbers (front matter inside a file). */
er_status er_yaml_parse(const char *src, size_t n, const char *file, unsigned long line_offset,
                        er_diag_sink *diag, er_ynode **out);
void er_yaml_free(er_ynode *node);

/* The value of key in a map, or NULL. */
er_ynode *er_yaml_get(const er_ynode *map, const char *key);

#endif
