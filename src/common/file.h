/* file.h - reading a whole (small) file: templates, themes, manifests. */
#ifndef ER_FILE_H
#define ER_FILE_H

#include <stddef.h>

#include "diag.h"
#include "status.h"

/* Reads path into *out (NUL-terminated, caller frees), its length in *len.
 * Files over `limit` bytes are refused (ER_ERR_LIMIT). Errors are reported
 * through diag with the path: ER_ERR_NOINPUT (cannot open), ER_ERR_IO. */
er_status er_read_file(const char *path, size_t limit, er_diag_sink *diag, char **out, size_t *len);

#endif
