/* pngdiff.c - compares two PNGs with a tolerance, for golden tests:
 *   pngdiff EXPECTED GOT [DIFF.png] [MAX_CHANNEL_DIFF] [MAX_BAD_PERMILLE]
 * A pixel is "bad" when a channel differs by more than MAX_CHANNEL_DIFF
 * (default 40: antialiasing drift between cairo/FreeType versions stays
 * below it); the images match when bad pixels are at most MAX_BAD_PERMILLE
 * per thousand (default 2). On mismatch writes DIFF.png (bad pixels red over
 * a faded copy) and exits 1; different sizes exit 2; unreadable files 66. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load(const char *path, png_image *img, png_bytep *px)
{
	memset(img, 0, sizeof *img);
	img->version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(img, path))
		return 0;
	img->format = PNG_FORMAT_RGBA;
	*px = malloc(PNG_IMAGE_SIZE(*img));
	if (*px == NULL || !png_image_finish_read(img, NULL, *px, 0, NULL)) {
		free(*px);
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	png_image a, b;
	png_bytep pa = NULL, pb = NULL;
	long maxd = argc > 4 ? atol(argv[4]) : 40, permille = argc > 5 ? atol(argv[5]) : 2;
	size_t i, n, bad = 0;
	int worst = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: pngdiff EXPECTED GOT [DIFF.png] [MAX_CHANNEL_DIFF] [MAX_BAD_PERMILLE]\n");
		return 64;
	}
	if (!load(argv[1], &a, &pa) || !load(argv[2], &b, &pb)) {
		fprintf(stderr, "pngdiff: cannot read %s or %s\n", argv[1], argv[2]);
		return 66;
	}
	if (a.width != b.width || a.height != b.height) {
		printf("size differs: %ux%u expected, %ux%u got\n", a.width, a.height, b.width, b.height);
		return 2;
	}
	n = (size_t)a.width * a.height;
	for (i = 0; i < n; i++) {
		int k, d = 0;
		for (k = 0; k < 4; k++) {
			int x = abs((int)pa[i * 4 + k] - (int)pb[i * 4 + k]);
			if (x > d)
				d = x;
		}
		if (d > worst)
			worst = d;
		if (d > maxd) {
			bad++;
			pb[i * 4] = 255;
			pb[i * 4 + 1] = pb[i * 4 + 2] = 0;
			pb[i * 4 + 3] = 255;
		} else {
			pb[i * 4 + 3] = 60;
		}
	}
	printf("%zu of %zu pixels differ by more than %ld (largest difference %d)\n", bad, n, maxd, worst);
	if (bad * 1000 > (size_t)permille * n) {
		if (argc > 3)
			png_image_write_to_file(&b, argv[3], 0, pb, 0, NULL);
		free(pa);
		free(pb);
		return 1;
	}
	free(pa);
	free(pb);
	return 0;
}
