/* theme.c - themes: the built-in default and YAML theme files. */
#include "theme.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/num.h"
#include "common/util.h"
#include "common/yaml.h"

static er_color hex(unsigned v)
{
	er_color c = {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1};
	return c;
}

er_status er_theme_default(er_theme **out)
{
	/* Modelled on the AI Index figures: dark navy bars, muted grey text,
	 * light grid; the palette is Okabe-Ito's, safe for colour blindness,
	 * led by a navy. */
	static const unsigned palette[ER_THEME_PALETTE] = {0x1f4e79, 0xe69f00, 0x56b4e9, 0x009e73,
	                                                   0xcc79a7, 0x0072b2, 0xd55e00, 0x999999};
	er_theme *t = calloc(1, sizeof *t);
	size_t i;
	if (t == NULL)
		return ER_ERR_NOMEM;
	t->name = er_strdup("ai-index");
	t->font = er_strdup("Liberation Sans");
	t->credit = er_strdup("Chart: ecoreport");
	if (t->name == NULL || t->font == NULL || t->credit == NULL) {
		er_theme_free(t);
		return ER_ERR_NOMEM;
	}
	t->size_figure = 9;
	t->size_title = 15;
	t->size_subtitle = 11;
	t->size_label = 10;
	t->size_value = 9;
	t->size_tick = 8.5;
	t->size_legend = 9;
	t->size_source = 8;
	t->background = hex(0xffffff);
	t->text = hex(0x1a1a1a);
	t->muted = hex(0x5f6368);
	t->grid = hex(0xe3e3e3);
	t->axis = hex(0x8c8c8c);
	t->inside = hex(0xffffff);
	for (i = 0; i < ER_THEME_PALETTE; i++)
		t->palette[i] = hex(palette[i]);
	t->npalette = ER_THEME_PALETTE;
	t->margin = 24;
	t->gap = 8;
	t->bar = 0.68;
	t->width = 720;
	t->height = 405;
	*out = t;
	return ER_OK;
}

void er_theme_free(er_theme *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->path);
	free(t->font);
	free(t->credit);
	free(t);
}

int er_color_parse(const char *s, er_color *out)
{
	size_t n = strlen(s), i;
	unsigned v = 0, a = 255;
	if (s[0] != '#' || (n != 7 && n != 9))
		return 0;
	for (i = 1; i < n; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		             : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 99;
		if (d > 15)
			return 0;
		if (i < 7)
			v = v * 16 + d;
		else
			a = (i == 7 ? 0 : a * 16) + d;
	}
	*out = hex(v);
	out->a = n == 9 ? a / 255.0 : 1;
	return 1;
}

typedef struct loader {
	const char *file;
	er_diag_sink *diag;
} loader;

static er_status bad(loader *l, const er_ynode *n, const char *fmt, const char *what)
{
	er_diag_emit(l->diag, ER_SEV_ERROR, l->file, n->line, n->column, fmt, what);
	return ER_ERR_DATA;
}

static er_status number(loader *l, const er_ynode *n, const char *key, double lo, double hi,
                        double *out)
{
	double v;
	if (n->type != ER_Y_SCALAR || !er_num_parse(n->text, strlen(n->text), &v)) {
		er_diag_emit(l->diag, ER_SEV_ERROR, l->file, n->line, n->column,
		             "%s: expected a number", key);
		return ER_ERR_DATA;
	}
	if (v < lo || v > hi) {
		er_diag_emit(l->diag, ER_SEV_ERROR, l->file, n->line, n->column,
		             "%s: %s is out of range (%g to %g)", key, n->text, lo, hi);
		return ER_ERR_DATA;
	}
	*out = v;
	return ER_OK;
}

static er_status color(loader *l, const er_ynode *n, const char *key, er_color *out)
{
	if (n->type != ER_Y_SCALAR || !er_color_parse(n->text, out)) {
		er_diag_emit(l->diag, ER_SEV_ERROR, l->file, n->line, n->column,
		             "%s: expected a colour like \"#1f4e79\"", key);
		return ER_ERR_DATA;
	}
	return ER_OK;
}

static er_status text(loader *l, const er_ynode *n, const char *key, char **out)
{
	char *copy;
	if (n->type != ER_Y_SCALAR)
		return bad(l, n, "%s: expected text", key);
	copy = er_strdup(n->text);
	if (copy == NULL)
		return ER_ERR_NOMEM;
	free(*out);
	*out = copy;
	return ER_OK;
}

static er_status apply(loader *l, const er_ynode *root, er_theme *t)
{
	static const struct {
		const char *key;
		size_t off;
	} sizes[] = {{"figure", offsetof(er_theme, size_figure)},
	             {"title", offsetof(er_theme, size_title)},
	             {"subtitle", offsetof(er_theme, size_subtitle)},
	             {"label", offsetof(er_theme, size_label)},
	             {"value", offsetof(er_theme, size_value)},
	             {"tick", offsetof(er_theme, size_tick)},
	             {"legend", offsetof(er_theme, size_legend)},
	             {"source", offsetof(er_theme, size_source)}},
	  colors[] = {{"background", offsetof(er_theme, background)},
	              {"text", offsetof(er_theme, text)},
	              {"muted", offsetof(er_theme, muted)},
	              {"grid", offsetof(er_theme, grid)},
	              {"axis", offsetof(er_theme, axis)},
	              {"inside", offsetof(er_theme, inside)}};
	size_t i, k;
	er_status st = ER_OK;

	if (root == NULL || root->type != ER_Y_MAP)
		return root ? bad(l, root, "%s", "a theme is a map of settings") : ER_OK;
	for (i = 0; i < root->n && st == ER_OK; i++) {
		const char *key = root->keys[i]->text;
		const er_ynode *v = root->items[i];
		if (strcmp(key, "name") == 0)
			st = text(l, v, key, &t->name);
		else if (strcmp(key, "font") == 0)
			st = text(l, v, key, &t->font);
		else if (strcmp(key, "credit") == 0)
			st = text(l, v, key, &t->credit);
		else if (strcmp(key, "margin") == 0)
			st = number(l, v, key, 0, 200, &t->margin);
		else if (strcmp(key, "gap") == 0)
			st = number(l, v, key, 0, 100, &t->gap);
		else if (strcmp(key, "bar") == 0)
			st = number(l, v, key, 0.2, 0.95, &t->bar);
		else if (strcmp(key, "size") == 0) {
			if (v->type != ER_Y_SEQ || v->n != 2)
				st = bad(l, v, "%s: expected [width, height] in points", key);
			else if ((st = number(l, v->items[0], "size", 50, 10000, &t->width)) == ER_OK)
				st = number(l, v->items[1], "size", 50, 10000, &t->height);
		} else if (strcmp(key, "sizes") == 0) {
			if (v->type != ER_Y_MAP)
				st = bad(l, v, "%s: expected a map of font sizes", key);
			for (k = 0; st == ER_OK && v->type == ER_Y_MAP && k < v->n; k++) {
				size_t j;
				for (j = 0; j < sizeof sizes / sizeof sizes[0]; j++)
					if (strcmp(v->keys[k]->text, sizes[j].key) == 0)
						break;
				if (j == sizeof sizes / sizeof sizes[0])
					st = bad(l, v->keys[k], "unknown font size \"%s\" (figure, title, subtitle, "
					                        "label, value, tick, legend, source)",
					         v->keys[k]->text);
				else
					st = number(l, v->items[k], v->keys[k]->text, 4, 72,
					            (double *)((char *)t + sizes[j].off));
			}
		} else if (strcmp(key, "colors") == 0) {
			if (v->type != ER_Y_MAP)
				st = bad(l, v, "%s: expected a map of colours", key);
			for (k = 0; st == ER_OK && v->type == ER_Y_MAP && k < v->n; k++) {
				size_t j;
				const char *ck = v->keys[k]->text;
				if (strcmp(ck, "palette") == 0) {
					const er_ynode *p = v->items[k];
					if (p->type != ER_Y_SEQ || p->n == 0 || p->n > ER_THEME_PALETTE) {
						st = bad(l, p, "%s: expected a list of 1 to 8 colours", ck);
						break;
					}
					for (j = 0; j < p->n && st == ER_OK; j++)
						st = color(l, p->items[j], "palette", &t->palette[j]);
					t->npalette = p->n;
					continue;
				}
				for (j = 0; j < sizeof colors / sizeof colors[0]; j++)
					if (strcmp(ck, colors[j].key) == 0)
						break;
				if (j == sizeof colors / sizeof colors[0])
					st = bad(l, v->keys[k], "unknown colour \"%s\" (background, text, muted, grid, "
					                        "axis, inside, palette)",
					         ck);
				else
					st = color(l, v->items[k], ck, (er_color *)((char *)t + colors[j].off));
			}
		} else {
			st = bad(l, root->keys[i],
			         "unknown theme key \"%s\" (name, font, sizes, colors, margin, gap, bar, credit, "
			         "size)",
			         key);
		}
	}
	return st;
}

er_status er_theme_load(const char *name, const char *dir, er_diag_sink *diag, er_theme **out)
{
	char path[4096];
	char *data = NULL;
	size_t len = 0;
	er_ynode *root = NULL;
	er_theme *t = NULL;
	er_status st;
	loader l;
	size_t nlen = strlen(name);

	*out = NULL;
	if (strchr(name, '/') || (nlen > 5 && strcmp(name + nlen - 5, ".yaml") == 0))
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "%s/%s.yaml", dir ? dir : ".", name);
	st = er_read_file(path, 1u << 20, diag, &data, &len);
	if (st != ER_OK)
		return st;
	l.file = path;
	l.diag = diag;
	st = er_yaml_parse(data ? data : "", len, path, 0, diag, &root);
	if (st == ER_OK)
		st = er_theme_default(&t);
	if (st == ER_OK)
		st = apply(&l, root, t);
	if (st == ER_OK && (t->path = er_strdup(path)) == NULL)
		st = ER_ERR_NOMEM;
	er_yaml_free(root);
	free(data);
	if (st != ER_OK) {
		er_theme_free(t);
		return st;
	}
	*out = t;
	return ER_OK;
}
