/* render_svg.c - placeholder until the SVG writer lands. */
#include "render/render.h"

er_status er_svg_render(const er_scene *s, er_buf *out)
{
	(void)s;
	(void)out;
	return ER_ERR_INTERNAL;
}
