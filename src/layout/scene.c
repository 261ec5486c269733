/* scene.c - display-list storage and its text dump. */
#include "scene.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

er_scene *er_scene_new(double width, double height)
{
	er_scene *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->width = width;
	s->height = height;
	s->background = (er_color){1, 1, 1, 1};
	return s;
}

void er_scene_free(er_scene *s)
{
	size_t i;
	if (s == NULL)
		return;
	for (i = 0; i < s->nitems; i++)
		free(s->items[i].text);
	for (i = 0; i < s->nlinks; i++)
		free(s->links[i].uri);
	free(s->links);
	for (i = 0; i < s->nfonts; i++)
		free(s->fonts[i].family);
	free(s->items);
	free(s->fonts);
	free(s->title);
	free(s->subject);
	free(s->source);
	free(s->alt);
	free(s);
}

er_status er_scene_add_font(er_scene *s, const char *family, int bold, int italic, int *index)
{
	size_t i;
	er_scene_font *nf;
	for (i = 0; i < s->nfonts; i++)
		if (strcmp(s->fonts[i].family, family) == 0 && s->fonts[i].bold == bold &&
		    s->fonts[i].italic == italic) {
			*index = (int)i;
			return ER_OK;
		}
	nf = realloc(s->fonts, (s->nfonts + 1) * sizeof *nf);
	if (nf == NULL)
		return ER_ERR_NOMEM;
	s->fonts = nf;
	nf[s->nfonts].family = er_strdup(family);
	if (nf[s->nfonts].family == NULL)
		return ER_ERR_NOMEM;
	nf[s->nfonts].bold = bold;
	nf[s->nfonts].italic = italic;
	*index = (int)s->nfonts++;
	return ER_OK;
}

static er_item *new_item(er_scene *s, er_item_kind kind, const char *role)
{
	er_item *it;
	if (er_grow(&s->items, &s->cap, s->nitems, sizeof *s->items, 64) != ER_OK)
		return NULL;
	it = &s->items[s->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->role = role;
	return it;
}

er_status er_scene_rect(er_scene *s, const char *role, double x, double y, double w, double h,
                        er_color fill)
{
	er_item *it = new_item(s, ER_ITEM_RECT, role);
	if (it == NULL)
		return ER_ERR_NOMEM;
	it->x = x;
	it->y = y;
	it->w = w;
	it->h = h;
	it->color = fill;
	return ER_OK;
}

er_status er_scene_line(er_scene *s, const char *role, double x1, double y1, double x2, double y2,
                        double width, er_color color)
{
	er_item *it = new_item(s, ER_ITEM_LINE, role);
	if (it == NULL)
		return ER_ERR_NOMEM;
	it->x = x1;
	it->y = y1;
	it->x2 = x2;
	it->y2 = y2;
	it->width = width;
	it->color = color;
	return ER_OK;
}

er_status er_scene_text(er_scene *s, const char *role, double x, double baseline, int font,
                        double size, er_color color, const char *text, size_t n, double advance)
{
	char *copy = er_strndup(text, n);
	er_item *it;
	if (copy == NULL)
		return ER_ERR_NOMEM;
	it = new_item(s, ER_ITEM_TEXT, role);
	if (it == NULL) {
		free(copy);
		return ER_ERR_NOMEM;
	}
	it->x = x;
	it->y = baseline;
	it->font = font;
	it->size = size;
	it->color = color;
	it->text = copy;
	it->advance = advance;
	return ER_OK;
}

er_status er_scene_link(er_scene *s, double x, double y, double w, double h, const char *uri)
{
	er_link *nl;
	char *copy = er_strdup(uri);
	if (copy == NULL)
		return ER_ERR_NOMEM;
	nl = realloc(s->links, (s->nlinks + 1) * sizeof *nl);
	if (nl == NULL) {
		free(copy);
		return ER_ERR_NOMEM;
	}
	s->links = nl;
	nl[s->nlinks].x = x;
	nl[s->nlinks].y = y;
	nl[s->nlinks].w = w;
	nl[s->nlinks].h = h;
	nl[s->nlinks++].uri = copy;
	return ER_OK;
}

er_status er_scene_set_meta(er_scene *s, char **field, const char *value)
{
	char *copy = NULL;
	(void)s;
	if (value && (copy = er_strdup(value)) == NULL)
		return ER_ERR_NOMEM;
	free(*field);
	*field = copy;
	return ER_OK;
}

static int finite_item(const er_item *it)
{
	return isfinite(it->x) && isfinite(it->y) && isfinite(it->w) && isfinite(it->h) &&
	       isfinite(it->x2) && isfinite(it->y2) && isfinite(it->width) && isfinite(it->size) &&
	       isfinite(it->advance) && isfinite(it->color.r) && isfinite(it->color.g) &&
	       isfinite(it->color.b) && isfinite(it->color.a);
}

er_status er_scene_check(const er_scene *s)
{
	size_t i;
	if (!isfinite(s->width) || !isfinite(s->height) || s->width <= 0 || s->height <= 0)
		return ER_ERR_INTERNAL;
	for (i = 0; i < s->nitems; i++) {
		const er_item *it = &s->items[i];
		if (!finite_item(it))
			return ER_ERR_INTERNAL;
		if (it->kind == ER_ITEM_TEXT &&
		    (it->font < 0 || (size_t)it->font >= s->nfonts || it->text == NULL))
			return ER_ERR_INTERNAL;
	}
	return ER_OK;
}

/* Rounds to 0.01 and never prints "-0.00". */
static void num(FILE *f, double v)
{
	double r = round(v * 100) / 100;
	if (r == 0)
		r = 0;
	fprintf(f, "%.2f", r);
}

/* Prints n numbers as num() does, each after a space. */
static void nums(FILE *f, int n, const double *v)
{
	int i;
	for (i = 0; i < n; i++) {
		fputc(' ', f);
		num(f, v[i]);
	}
}

static void color(FILE *f, er_color c)
{
	int r = (int)lround(c.r * 255), g = (int)lround(c.g * 255), b = (int)lround(c.b * 255);
	fprintf(f, "#%02x%02x%02x", r, g, b);
	if (c.a < 1)
		fprintf(f, "@%.2f", c.a);
}

static void quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

er_status er_scene_dump(const er_scene *s, FILE *f)
{
	size_t i;
	fprintf(f, "scene ");
	num(f, s->width);
	fputc('x', f);
	num(f, s->height);
	fputs(" background ", f);
	color(f, s->background);
	fputc('\n', f);
	if (s->title) {
		fputs("title ", f);
		quoted(f, s->title);
		fputc('\n', f);
	}
	if (s->alt) {
		fputs("alt ", f);
		quoted(f, s->alt);
		fputc('\n', f);
	}
	for (i = 0; i < s->nfonts; i++) {
		fprintf(f, "font %zu ", i);
		quoted(f, s->fonts[i].family);
		fprintf(f, " %s%s\n", s->fonts[i].bold ? "bold" : "regular", s->fonts[i].italic ? " italic" : "");
	}
	for (i = 0; i < s->nitems; i++) {
		const er_item *it = &s->items[i];
		switch (it->kind) {
		case ER_ITEM_RECT:
			fprintf(f, "rect %s", it->role);
			nums(f, 4, (const double[]){it->x, it->y, it->w, it->h});
			break;
		case ER_ITEM_LINE:
			fprintf(f, "line %s", it->role);
			nums(f, 5, (const double[]){it->x, it->y, it->x2, it->y2, it->width});
			break;
		case ER_ITEM_TEXT:
			fprintf(f, "text %s", it->role);
			nums(f, 2, (const double[]){it->x, it->y});
			fprintf(f, " font=%d size=", it->font);
			num(f, it->size);
			fputs(" width=", f);
			num(f, it->advance);
			break;
		}
		fputc(' ', f);
		color(f, it->color);
		if (it->kind == ER_ITEM_TEXT) {
			fputc(' ', f);
			quoted(f, it->text);
		}
		fputc('\n', f);
	}
	for (i = 0; i < s->nlinks; i++) {
		const er_link *l = &s->links[i];
		fputs("link", f);
		nums(f, 4, (const double[]){l->x, l->y, l->w, l->h});
		fputc(' ', f);
		quoted(f, l->uri);
		fputc('\n', f);
	}
	return ferror(f) ? ER_ERR_IO : ER_OK;
}
