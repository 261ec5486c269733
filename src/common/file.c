/* file.c - reading a whole file. */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

er_status er_read_file(const char *path, size_t limit, er_diag_sink *diag, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 0, n = 0;
	char *data = NULL;
	er_status st = ER_OK;

	*out = NULL;
	*len = 0;
	if (fp == NULL) {
		er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
		return ER_ERR_NOINPUT;
	}
	for (;;) {
		size_t got;
		if (n + 4096 + 1 > cap) {
			char *nd = realloc(data, cap = cap ? cap * 2 : 65536);
			if (nd == NULL) {
				st = ER_ERR_NOMEM;
				break;
			}
			data = nd;
		}
		got = fread(data + n, 1, cap - n - 1, fp);
		n += got;
		if (n > limit) {
			er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "larger than the %zu KiB limit",
			             limit / 1024);
			st = ER_ERR_LIMIT;
			break;
		}
		if (got == 0)
			break;
	}
	if (st == ER_OK && ferror(fp)) {
		er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
		st = ER_ERR_IO;
	}
	fclose(fp);
	if (st != ER_OK) {
		free(data);
		return st;
	}
	data[n] = '\0';
	*out = data;
	*len = n;
	return ER_OK;
}
