/* atomic.h - writing output files so that they are either complete or
 * untouched: a temporary file in the target folder, flushed to disk, then
 * renamed over the target, and the folder flushed. A failed or killed run
 * leaves the previous file byte-identical.
 *
 * A temporary is named ".NAME.ecoreport-PID.HOST-XXXXXX" after the process
 * and the machine (8 hex digits of its host name's hash) writing it; one
 * left behind by a killed run on this machine (its PID no longer alive) is
 * removed by er_atomic_sweep, which every command runs on the folders it
 * writes to. Another machine's temporaries are left alone: its PIDs mean
 * nothing here. */
#ifndef ER_ATOMIC_H
#define ER_ATOMIC_H

#include <stddef.h>

#include "diag.h"
#include "status.h"

/* The files of one job (a report's PDF and its figure exports): all are
 * written to temporaries first, and only when every one is complete are
 * they renamed into place, so a failure halfway leaves all the previous
 * ones. */
typedef struct er_outfile {
	char *tmp; /* NULL once renamed */
	char *dst;
} er_outfile;

typedef struct er_outset {
	er_outfile *f;
	size_t n, cap;
} er_outset;

#define ER_OUTSET_INIT {NULL, 0, 0}

/* Writes n bytes to a temporary next to path and starts flushing it to
 * disk (the commit waits for it: the files of a set go to the disk
 * together, not one after another). Errors through diag: ER_ERR_CANTCREAT
 * (folder missing or not writable), ER_ERR_IO (disk full). */
er_status er_outset_add(er_outset *set, const char *path, const void *data, size_t n,
                        er_diag_sink *diag);
/* Waits until every temporary is on disk (ER_ERR_IO, through diag, if one
 * cannot be), renames them into place and flushes the folders. */
er_status er_outset_commit(er_outset *set, er_diag_sink *diag);
/* Removes the temporaries not yet renamed and frees the set (always call it,
 * after a commit too). */
void er_outset_free(er_outset *set);

/* One file: an output set of one. */
er_status er_write_file_atomic(const char *path, const void *data, size_t n, er_diag_sink *diag);

/* Removes, in folder dir, the temporaries of processes that are no longer
 * running. Returns how many were removed. Never fails: what cannot be
 * removed is left for next time. */
size_t er_atomic_sweep(const char *dir);
/* The same in the folder the file `path` is (to be) in. */
size_t er_atomic_sweep_beside(const char *path);

/* Test hook: when the environment variable ECOREPORT_TEST_STOP_BEFORE_RENAME
 * is set, the process stops itself (SIGSTOP) after writing its first set of
 * temporaries and before renaming them, so that tests can kill it then. */
#define ER_TEST_STOP_ENV "ECOREPORT_TEST_STOP_BEFORE_RENAME"

#endif
