/* state.c - job records and the output folder's lock. */
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/hash.h"

#define RECORD_MAGIC "ecoreport-record 1\n"
#define RECORD_MAX (1u << 20)

static er_status mkdir_one(const char *path, er_diag_sink *diag)
{
	struct stat sb;
	if (mkdir(path, 0777) == 0 || (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
		return ER_OK;
	er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot create folder: %s",
	             errno == EEXIST ? "a file has that name" : strerror(errno));
	return ER_ERR_CANTCREAT;
}

er_status er_state_prepare(const char *output, er_diag_sink *diag)
{
	er_buf p = ER_BUF_INIT;
	er_status st = er_buf_printf(&p, "%s/.ecoreport", output);
	if (st == ER_OK)
		st = mkdir_one(p.data, diag);
	if (st == ER_OK)
		st = er_buf_printf(&p, "/jobs");
	if (st == ER_OK)
		st = mkdir_one(p.data, diag);
	er_buf_free(&p);
	return st;
}

uint64_t er_job_key(const er_job *j, const char *version)
{
	er_buf b = ER_BUF_INIT;
	uint64_t h;
	int i;
	/* Arguments end with a NUL each: ("ab","c") and ("a","bc") differ. */
	int ok = er_buf_printf(&b, "%s", version) == ER_OK && er_buf_append(&b, "", 1) == ER_OK;
	for (i = 0; ok && i < j->argc; i++)
		ok = er_buf_printf(&b, "%s", j->argv[i]) == ER_OK && er_buf_append(&b, "", 1) == ER_OK;
	h = ok ? er_hash_bytes(b.data, b.len) : 0; /* 0: never matches a record */
	er_buf_free(&b);
	return h;
}

static int record_path(er_buf *p, const char *output, const er_job *j)
{
	return er_buf_printf(p, "%s/.ecoreport/jobs/%s.rec", output, j->name) == ER_OK;
}

static long long mtime_ns(const struct stat *sb)
{
	return (long long)sb->st_mtim.tv_sec * 1000000000LL + sb->st_mtim.tv_nsec;
}

static void say(char *why, size_t cap, const char *what, const char *path)
{
	if (why && cap) {
		const char *slash = path ? strrchr(path, '/') : NULL;
		snprintf(why, cap, "%s%s%s", what, path ? ": " : "", path ? (slash ? slash + 1 : path) : "");
	}
}

/* Checks one "in|out SIZE MTIME PATH" line. */
static int line_fresh(char *line, char *why, size_t cap)
{
	long long size, mt;
	int used = 0;
	struct stat sb;
	const char *kind = line[0] == 'i' ? "input changed" : "output changed";
	char *path;
	if ((strncmp(line, "in ", 3) != 0 && strncmp(line, "out ", 4) != 0) ||
	    sscanf(strchr(line, ' ') + 1, "%lld %lld %n", &size, &mt, &used) != 2 || used == 0) {
		say(why, cap, "record damaged", NULL);
		return 0;
	}
	path = strchr(line, ' ') + 1 + used;
	if (stat(path, &sb) != 0) {
		say(why, cap, line[0] == 'i' ? "input missing" : "output missing", path);
		return 0;
	}
	if ((long long)sb.st_size != size || mtime_ns(&sb) != mt) {
		say(why, cap, kind, path);
		return 0;
	}
	return 1;
}

int er_job_fresh(const char *output, const er_job *j, uint64_t key, char *why, size_t cap)
{
	er_buf p = ER_BUF_INIT;
	char *data = NULL, *line, *end, *sum;
	size_t len = 0;
	int fresh = 0;
	char expect[64];
	uint64_t h;
	er_diag_sink quiet = {0}; /* a missing or unreadable record only means "run it" */
	er_status st;

	if (!record_path(&p, output, j)) {
		say(why, cap, "out of memory", NULL);
		goto out;
	}
	st = er_read_file(p.data, RECORD_MAX, &quiet, &data, &len);
	if (st != ER_OK) {
		say(why, cap, st == ER_ERR_NOINPUT ? "never built" : "record damaged", NULL);
		goto out;
	}
	/* The checksum covers everything before the last line. */
	sum = len ? strstr(data, "\nsum ") : NULL;
	if (sum == NULL || strncmp(data, RECORD_MAGIC, strlen(RECORD_MAGIC)) != 0 ||
	    memchr(data, '\0', len) != NULL) {
		say(why, cap, "record damaged", NULL);
		goto out;
	}
	h = er_hash_bytes(data, (size_t)(sum - data) + 1);
	snprintf(expect, sizeof expect, "\nsum %016" PRIx64 "\n", h);
	if (strcmp(sum, expect) != 0) {
		say(why, cap, "record damaged", NULL);
		goto out;
	}
	sum[1] = '\0';
	snprintf(expect, sizeof expect, "key %016" PRIx64 "\n", key);
	line = data + strlen(RECORD_MAGIC);
	if (strncmp(line, expect, strlen(expect)) != 0) {
		say(why, cap, "options or version changed", NULL);
		goto out;
	}
	fresh = 1;
	for (line += strlen(expect); *line && fresh; line = end + 1) {
		end = strchr(line, '\n');
		if (end == NULL) {
			say(why, cap, "record damaged", NULL);
			fresh = 0;
			break;
		}
		*end = '\0';
		fresh = line_fresh(line, why, cap);
	}
out:
	free(data);
	er_buf_free(&p);
	return fresh;
}

static er_status add_lines(er_buf *b, const char *kind, const char *const *paths, size_t n,
                           long long started)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct stat sb;
		if (strchr(paths[i], '\n') || stat(paths[i], &sb) != 0)
			return ER_ERR_IO; /* cannot be checked next time: no record */
		if (started > 0 && mtime_ns(&sb) >= started)
			return ER_ERR_IO; /* changed while the job ran: no record */
		if (er_buf_printf(b, "%s %lld %lld %s\n", kind, (long long)sb.st_size, mtime_ns(&sb),
		                  paths[i]) != ER_OK)
			return ER_ERR_NOMEM;
	}
	return ER_OK;
}

er_status er_job_record(const char *output, const er_job *j, uint64_t key,
                        const char *const *inputs, size_t nin, const char *const *outputs,
                        size_t nout, long long started, er_diag_sink *diag)
{
	er_buf b = ER_BUF_INIT, p = ER_BUF_INIT;
	er_status st = er_buf_printf(&b, RECORD_MAGIC "key %016" PRIx64 "\n", key);
	if (st == ER_OK)
		st = add_lines(&b, "in", inputs, nin, started);
	if (st == ER_OK)
		st = add_lines(&b, "out", outputs, nout, 0);
	if (st == ER_OK)
		st = er_buf_printf(&b, "sum %016" PRIx64 "\n", er_hash_bytes(b.data, b.len));
	if (st == ER_OK && !record_path(&p, output, j))
		st = ER_ERR_NOMEM;
	if (st == ER_OK)
		st = er_write_file_atomic(p.data, b.data, b.len, diag);
	else if (st == ER_ERR_IO)
		st = ER_OK; /* an input vanished or changed meanwhile: the job will run again */
	er_buf_free(&b);
	er_buf_free(&p);
	return st;
}

void er_job_forget(const char *output, const er_job *j)
{
	er_buf p = ER_BUF_INIT;
	if (record_path(&p, output, j))
		unlink(p.data);
	er_buf_free(&p);
}

er_status er_lock_take(const char *output, const char *name, int shared, int wait,
                       er_lock *lock, long *holder, er_diag_sink *diag)
{
	er_buf p = ER_BUF_INIT;
	er_status st;
	char pid[32];
	int fd = -1, n;

	lock->fd = -1;
	*holder = 0;
	st = er_buf_printf(&p, "%s/.ecoreport/%s", output, name);
	if (st != ER_OK)
		goto out;
	fd = open(p.data, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		er_diag_emit(diag, ER_SEV_ERROR, p.data, 0, 0, "cannot create the lock: %s",
		             strerror(errno));
		st = ER_ERR_CANTCREAT;
		goto out;
	}
	while (flock(fd, (shared ? LOCK_SH : LOCK_EX) | (wait ? 0 : LOCK_NB)) != 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK) {
			char buf[32] = {0};
			if (pread(fd, buf, sizeof buf - 1, 0) > 0)
				*holder = strtol(buf, NULL, 10);
			st = ER_ERR_LOCKED;
		} else {
			er_diag_emit(diag, ER_SEV_ERROR, p.data, 0, 0, "cannot lock: %s", strerror(errno));
			st = ER_ERR_IO;
		}
		goto out;
	}
	/* Ours now, whatever the file says: a dead holder's PID is overwritten.
	 * Shared holders are several: they leave the file as it is. */
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (!shared && (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n)) {
		er_diag_emit(diag, ER_SEV_ERROR, p.data, 0, 0, "cannot write the lock: %s",
		             strerror(errno));
		st = ER_ERR_IO;
		goto out;
	}
	lock->fd = fd;
	lock->exclusive = !shared;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	er_buf_free(&p);
	return st;
}

void er_lock_release(er_lock *lock)
{
	if (lock->fd >= 0 && lock->exclusive) {
		/* Empty the PID first: a reader never sees a stale holder. */
		if (ftruncate(lock->fd, 0) != 0) {
			/* nothing to do: closing releases the lock all the same */
		}
	}
	if (lock->fd >= 0)
		close(lock->fd);
	lock->fd = -1;
}
