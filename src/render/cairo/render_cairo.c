/* render_cairo.c - placeholder until the cairo renderer lands. */
#include "render/render.h"

er_status er_cairo_render(const er_scene *s, er_text *t, const er_render_opts *opts, er_buf *out)
{
	(void)s;
	(void)t;
	(void)opts;
	(void)out;
	return ER_ERR_INTERNAL;
}
