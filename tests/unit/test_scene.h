/* test_scene.h - building hand-made scenes in the renderer tests. */
#ifndef ER_TEST_SCENE_H
#define ER_TEST_SCENE_H

#include <string.h>

#include "layout/scene.h"
#include "test.h"
#include "text/text.h"

/* Adds a text item whose advance is what the text stage measures, as the
 * layout stage would; a font the registry cannot find gets advance 0. */
static inline void add_text(er_scene *s, er_text *t, const char *role, double x, double y,
                            int font, double size, er_color c, const char *str)
{
	int id = -1;
	double adv = 0;
	const er_scene_font *f = &s->fonts[font];
	if (er_text_font(t, f->family, f->bold, f->italic, &id) == ER_OK)
		adv = er_text_width(t, id, size, str, strlen(str));
	CHECK_INT(er_scene_text(s, role, x, y, font, size, c, str, strlen(str), adv), ER_OK);
}

#endif
