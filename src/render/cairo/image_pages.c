/* image_pages.c - the memory of a big PNG's pixels: 2 MB pages of its own,
 * aligned and marked for transparent huge pages, kept for the next image
 * (see image_pages.h). */
/* madvise and MAP_ANONYMOUS are not in POSIX. */
#define _DEFAULT_SOURCE
#include "image_pages.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* A huge page on x86-64 and most others. */
#define HUGE_PAGE ((size_t)2 << 20)
/* The mapping's own header: its size. The image starts after it (cairo
 * wants its rows 4-byte aligned). */
#define PAGES_HEAD 64

/* The mapping of the last image rendered, kept for the next: a process
 * drawing many charts (chart_loop, batch jobs in one worker) maps once.
 * Taken and given back by atomic exchange, so two threads rendering at
 * once each get their own. */
static _Atomic(unsigned char *) spare_pages;

static size_t pages_size(const unsigned char *base)
{
	size_t n;
	memcpy(&n, base, sizeof n);
	return n;
}

/* Room for an image of len bytes in whole 2 MB pages of its own, marked
 * for transparent huge pages (THP is "madvise" on Debian's kernels): the
 * first touch costs a page fault per 2 MB instead of one per 4 KB page.
 * A 1200x675 chart is 3.2 MB: cairo's own buffer (malloc, so a fresh mmap)
 * took ~800 faults, each a page clear and a memory-cgroup charge; with
 * these, the whole chart process took 1315 -> 527 page faults and 9.5-10.2
 * -> 8.3-8.5 ms (hyperfine, three alternating pairs), chart_loop's first
 * chart 3.9 -> 2.8 ms (median of 12); the loop's rate is unchanged, as
 * the pages are kept for the next chart. Returns the mapping's
 * base (the image is at base + PAGES_HEAD, zeroed as cairo's own buffer
 * is), or NULL (cairo allocates instead) for images under 2 MB or when
 * mapping fails. */
unsigned char *er_image_pages(size_t len)
{
	size_t want, span;
	unsigned char *p, *a;

	if (len < HUGE_PAGE || len > SIZE_MAX / 2 - 2 * HUGE_PAGE)
		return NULL;
	want = (PAGES_HEAD + len + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	a = atomic_exchange(&spare_pages, NULL);
	if (a != NULL) {
		if (pages_size(a) == want) {
			memset(a + PAGES_HEAD, 0, len); /* as calloc'ed memory is */
			return a;
		}
		munmap(a, pages_size(a));
	}
	span = want + HUGE_PAGE;
	p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Aligned to 2 MB, the unaligned ends given back. */
	a = p + (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (p + span > a + want)
		munmap(a + want, (size_t)(p + span - (a + want)));
	/* Refused (no THP in this kernel): small pages, still correct. */
	(void)madvise(a, want, MADV_HUGEPAGE);
	memcpy(a, &want, sizeof want);
	return a;
}

unsigned char *er_image_pages_data(unsigned char *base)
{
	return base + PAGES_HEAD;
}

/* Keeps pages for the next image, or unmaps them when some are kept. */
void er_image_pages_done(unsigned char *base)
{
	if (base == NULL)
		return;
	base = atomic_exchange(&spare_pages, base);
	if (base != NULL)
		munmap(base, pages_size(base));
}
