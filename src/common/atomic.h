/* atomic.h - writing output files so that they are either complete or
 * untouched: a temporary file in the target folder, flushed to disk, then
 * renamed over the target. A failed or killed run leaves the previous file
 * as it was; a temporary left by a killed run is named ".NAME.ecoreport-XXXXXX"
 * and cleaned up by er_atomic_sweep. */
#ifndef ER_ATOMIC_H
#define ER_ATOMIC_H

#include <stddef.h>

#include "diag.h"
#include "status.h"

/* Writes n bytes to path atomically. Errors are reported through diag:
 * ER_ERR_CANTCREAT (folder missing or not writable), ER_ERR_IO (disk full). */
er_status er_write_file_atomic(const char *path, const void *data, size_t n, er_diag_sink *diag);

#endif
