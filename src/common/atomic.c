/* atomic.c - temporary files, fsync, rename, and the sweep of debris. */
#define _GNU_SOURCE /* sync_file_range */
#include "atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "util.h"

#define TMP_TAG ".ecoreport-"

/* This machine, as 8 hex digits (a hash of its host name): the PID in a
 * temporary's name means something only on the machine that wrote it, and
 * output folders may be shared (NFS, a Kubernetes volume). */
static void host_tag(char out[9])
{
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0)
		host[0] = '\0';
	snprintf(out, 9, "%08x", (unsigned)(er_hash_bytes(host, strlen(host)) & 0xffffffffu));
}

/* Writes all of data to fd; 0 or an errno. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : ENOSPC;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The folder a file path is in ("." for a bare name); NULL when out of memory. */
static char *parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? er_strndup(path, slash == path ? 1 : (size_t)(slash - path)) : er_strdup(".");
}

/* Flushes the entries (the renames) of the folder path is in to disk. Best
 * effort: some file systems refuse fsync on folders, and the data itself is
 * already safe. */
static void sync_dir(const char *path)
{
	char *dir = parent_dir(path);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		if (fsync(fd) != 0) {
			/* see above */
		}
		close(fd);
	}
	free(dir);
}

static int same_dir(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	size_t na = sa ? (size_t)(sa - a) : 0, nb = sb ? (size_t)(sb - b) : 0;
	return na == nb && strncmp(a, b, na) == 0;
}

er_status er_outset_add(er_outset *set, const char *path, const void *data, size_t n,
                        er_diag_sink *diag)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	char *tmp = NULL, *dst = NULL;
	size_t cap;
	int fd = -1, err;
	mode_t mask;
	char host[9];

	if (er_grow(&set->f, &set->cap, set->n, sizeof *set->f, 4) != ER_OK)
		return ER_ERR_NOMEM;
	/* The temporary sits next to the target: rename() must not cross file
	 * systems. Its name carries our PID, for the sweep. */
	cap = dirlen + strlen(base) + 64;
	tmp = malloc(cap);
	dst = er_strdup(path);
	if (tmp == NULL || dst == NULL) {
		free(tmp);
		free(dst);
		return ER_ERR_NOMEM;
	}
	host_tag(host);
	snprintf(tmp, cap, "%.*s.%s" TMP_TAG "%ld.%s-XXXXXX", (int)dirlen, path, base, (long)getpid(),
	         host);
	fd = mkstemp(tmp);
	if (fd < 0) {
		er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot create: %s", strerror(errno));
		free(tmp);
		free(dst);
		return ER_ERR_CANTCREAT;
	}
	/* Readable like any file the user would create (mkstemp makes it 0600). */
	mask = umask(0);
	umask(mask);
	err = write_all(fd, data, n);
	if (err == 0 && fchmod(fd, 0666 & ~mask) != 0)
		err = errno;
#ifdef SYNC_FILE_RANGE_WRITE
	/* Start the data on its way to the disk now; the commit's fsync waits
	 * for it. A chart and its alt text then cost one round of disk writes,
	 * not two (and on a journalled file system, usually one commit). A
	 * hint: where it fails, fsync does all the work. The file is closed
	 * meanwhile (a report's set can hold hundreds of figures: one open
	 * file each would run into the process's limit). */
	if (err == 0)
		(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
	if (close(fd) != 0 && err == 0)
		err = errno;
	if (err != 0) {
		unlink(tmp);
		free(tmp);
		free(dst);
		er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(err));
		return ER_ERR_IO;
	}
	set->f[set->n].tmp = tmp;
	set->f[set->n++].dst = dst;
	return ER_OK;
}

/* Waits until a temporary is on disk (fsync through a descriptor opened
 * again: it flushes the file, whichever descriptor wrote it); 0 or an
 * errno. */
static int finish_file(const er_outfile *f)
{
	int fd, err = 0;

	fd = open(f->tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && err == 0)
		err = errno;
	return err;
}

er_status er_outset_commit(er_outset *set, er_diag_sink *diag)
{
	static int test_stopped; /* the hook stops a process once */
	size_t i;
	if (set->n && !test_stopped && getenv(ER_TEST_STOP_ENV) != NULL) {
		test_stopped = 1;
		raise(SIGSTOP);
	}
	/* Every file complete on disk before any is renamed. */
	for (i = 0; i < set->n; i++) {
		int err = finish_file(&set->f[i]);
		if (err != 0) {
			er_diag_emit(diag, ER_SEV_ERROR, set->f[i].dst, 0, 0, "cannot write: %s",
			             strerror(err));
			return ER_ERR_IO;
		}
	}
	for (i = 0; i < set->n; i++) {
		if (rename(set->f[i].tmp, set->f[i].dst) != 0) {
			er_diag_emit(diag, ER_SEV_ERROR, set->f[i].dst, 0, 0, "cannot create: %s",
			             strerror(errno));
			return ER_ERR_CANTCREAT;
		}
		free(set->f[i].tmp);
		set->f[i].tmp = NULL; /* renamed: nothing left to remove */
	}
	/* One flush per folder; a job's files share one. */
	for (i = 0; i < set->n; i++)
		if (i == 0 || !same_dir(set->f[i].dst, set->f[i - 1].dst))
			sync_dir(set->f[i].dst);
	return ER_OK;
}

void er_outset_free(er_outset *set)
{
	size_t i;
	for (i = 0; i < set->n; i++) {
		if (set->f[i].tmp) {
			unlink(set->f[i].tmp);
			free(set->f[i].tmp);
		}
		free(set->f[i].dst);
	}
	free(set->f);
	set->f = NULL;
	set->n = set->cap = 0;
}

er_status er_write_file_atomic(const char *path, const void *data, size_t n, er_diag_sink *diag)
{
	er_outset set = ER_OUTSET_INIT;
	er_status st = er_outset_add(&set, path, data, n, diag);
	if (st == ER_OK)
		st = er_outset_commit(&set, diag);
	er_outset_free(&set);
	return st;
}

/* The PID in ".NAME.ecoreport-PID.HOST-XXXXXX", or 0 when name is not a
 * temporary written on this machine (host: ours, from host_tag). */
static long temp_pid(const char *name, const char *host)
{
	const char *tag, *p;
	char *end;
	long pid;
	size_t n = strlen(name);
	if (name[0] != '.' || n < 8)
		return 0;
	/* The last tag: a target's own name may contain it too. */
	for (tag = NULL, p = name; (p = strstr(p, TMP_TAG)) != NULL; p++)
		tag = p;
	if (tag == NULL)
		return 0;
	pid = strtol(tag + strlen(TMP_TAG), &end, 10);
	if (pid <= 0 || *end != '.' || strncmp(end + 1, host, 8) != 0 || end[9] != '-' ||
	    strlen(end + 10) != 6)
		return 0;
	return pid;
}

size_t er_atomic_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t removed = 0;
	char host[9];

	if (d == NULL)
		return 0;
	host_tag(host);
	while ((e = readdir(d)) != NULL) {
		long pid = temp_pid(e->d_name, host);
		char *path;
		size_t cap;
		/* kill(pid, 0) fails with ESRCH only when no such process exists;
		 * EPERM means alive (another user's). */
		if (pid == 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		cap = strlen(dir) + strlen(e->d_name) + 2;
		path = malloc(cap);
		if (path == NULL)
			break;
		snprintf(path, cap, "%s/%s", dir, e->d_name);
		if (unlink(path) == 0)
			removed++;
		free(path);
	}
	closedir(d);
	return removed;
}

size_t er_atomic_sweep_beside(const char *path)
{
	char *dir = parent_dir(path);
	size_t n = dir ? er_atomic_sweep(dir) : 0;
	free(dir);
	return n;
}
