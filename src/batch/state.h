/* state.h - what a batch run leaves in its output folder for the next one:
 * a record per job that succeeded, and the lock that keeps two runs apart.
 * Both live in OUTPUT/.ecoreport/.
 *
 * A job's record holds its identity (ecoreport's version and a hash of its
 * command line) and the size and modification time (in nanoseconds) of
 * every file it read and wrote. The job is up to date when the record is
 * intact and every one of those still matches: the same test make and
 * ninja apply, without reading the data. Records are written atomically,
 * one file per job, and end with a checksum, so a crash or a damaged disk
 * can only cost a rebuild, never a wrong skip. */
#ifndef ER_STATE_H
#define ER_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "common/diag.h"
#include "common/status.h"
#include "manifest.h"

/* OUTPUT/.ecoreport/jobs/ made if missing (ER_ERR_CANTCREAT otherwise). */
er_status er_state_prepare(const char *output, er_diag_sink *diag);

/* The identity of a job: its command line, hashed with ecoreport's version. */
uint64_t er_job_key(const er_job *j, const char *version);

/* Whether job j is up to date. When not, why (a short phrase: "never
 * built", "input changed: data.csv", "record damaged") goes to why. */
int er_job_fresh(const char *output, const er_job *j, uint64_t key, char *why, size_t cap);

/* Records a success: the files read (inputs) and written (outputs). No
 * record is written (the job simply runs again next time) when an input
 * cannot be stat()ed, or was modified at or after `started` (nanoseconds
 * since the epoch, when the job began): the outputs may hold its old bytes,
 * and a modification within the file system's time stamp granularity of
 * the start cannot be told from one before it. */
er_status er_job_record(const char *output, const er_job *j, uint64_t key,
                        const char *const *inputs, size_t nin, const char *const *outputs,
                        size_t nout, long long started, er_diag_sink *diag);
/* Forgets a job's record (before it runs, so that a failure is never taken
 * for the previous success). */
void er_job_forget(const char *output, const er_job *j);

/* The lock on an output folder. fd >= 0 while held. */
typedef struct er_lock {
	int fd;
	int exclusive;
} er_lock;

/* Takes OUTPUT/.ecoreport/NAME with flock(), so that the kernel releases
 * it when its holder dies however it dies: a lock left by a killed run is
 * simply free. A whole run takes "lock" exclusively; a share of a run
 * (--shard) takes "lock" shared, so that shares run side by side but never
 * beside a whole run, and its own "lock-shard-I-of-N" exclusively. With
 * wait, blocks until the lock is free; otherwise ER_ERR_LOCKED, with the
 * holder's PID in *holder (0 when unknown). An exclusive holder writes its
 * PID into the file. */
er_status er_lock_take(const char *output, const char *name, int shared, int wait,
                       er_lock *lock, long *holder, er_diag_sink *diag);
void er_lock_release(er_lock *lock);

#endif
