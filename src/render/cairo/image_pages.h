/* image_pages.h - room for a big image's pixels in huge pages.
 *
 * Private to the cairo renderer. A PNG's image buffer of 2 MB or more is
 * our own mapping, 2 MB-aligned and madvise(MADV_HUGEPAGE)'d, instead of
 * cairo's malloc: a page fault per 2 MB instead of per 4 KB (see
 * image_pages.c for what it saved). One mapping is kept for the next
 * image, so a process drawing many charts maps once. */
#ifndef ER_IMAGE_PAGES_H
#define ER_IMAGE_PAGES_H

#include <stddef.h>

/* A mapping with room for an image of len bytes, zeroed as cairo's own
 * buffer is; NULL (let cairo allocate) under 2 MB or when mapping fails.
 * The image lies at er_image_pages_data(base), 64-byte aligned. */
unsigned char *er_image_pages(size_t len);
unsigned char *er_image_pages_data(unsigned char *base);
/* Gives the mapping back once nothing draws into it any more (a cairo
 * surface on it finished): kept for the next image, or unmapped. NULL is
 * a no-op. */
void er_image_pages_done(unsigned char *base);

#endif
