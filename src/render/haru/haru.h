/* haru.h - stage 5, PDF documents through libharu: pages drawn from scenes,
 * plus what a document has and a chart has not: several pages, an outline
 * (bookmarks), links, metadata. The only place that includes hpdf.h is
 * src/render/haru/. libharu's error handler only records; nothing jumps. */
#ifndef ER_HARU_H
#define ER_HARU_H

#include <stddef.h>

#include "common/buf.h"
#include "layout/scene.h"
#include "text/text.h"

typedef struct er_pdf_meta {
	const char *title, *author, *subject, *keywords, *creator; /* NULL: left out */
	long long epoch; /* creation date, seconds since 1970; < 0: none written */
} er_pdf_meta;

/* An outline (bookmark) entry: level 0 for sections, 1 below them, ... It
 * points at page `page` (0-based) at distance y (points) from the page top. */
typedef struct er_outline {
	const char *title;
	int level;
	size_t page;
	double y;
} er_outline;

/* Renders pages[0..npages) as the pages of one PDF (each page the size of
 * its scene), with the outline (opened by default), link annotations from
 * the scenes' LINK items, metadata, every font embedded (TrueType, Unicode
 * text so that it can be searched and copied), streams compressed. Fonts
 * are loaded from the files the text stage found (t borrowed). Identical
 * inputs give identical bytes. Errors: ER_ERR_DATA for a missing font
 * (through t's sink), ER_ERR_INTERNAL for a libharu error (its code in the
 * message through diag), ER_ERR_NOMEM. */
er_status er_haru_render(const er_scene *const *pages, size_t npages, const er_outline *outline,
                         size_t noutline, const er_pdf_meta *meta, er_text *t, er_diag_sink *diag,
                         er_buf *out);

#endif
