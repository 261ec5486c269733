/* atomic.c - temporary file, fsync, rename. */
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

er_status er_write_file_atomic(const char *path, const void *data, size_t n, er_diag_sink *diag)
{
	char tmp[4096];
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	const char *base = slash ? slash + 1 : path;
	const char *p = data;
	int fd, err;

	if (dirlen + strlen(base) + 32 > sizeof tmp) {
		er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot create: path too long");
		return ER_ERR_CANTCREAT;
	}
	/* The temporary sits next to the target: rename() must not cross file systems. */
	snprintf(tmp, sizeof tmp, "%.*s.%s.ecoreport-XXXXXX", (int)dirlen, path, base);
	fd = mkstemp(tmp);
	if (fd < 0) {
		er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot create: %s", strerror(errno));
		return ER_ERR_CANTCREAT;
	}
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			err = w < 0 ? errno : ENOSPC;
			close(fd);
			unlink(tmp);
			er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(err));
			return ER_ERR_IO;
		}
		p += w;
		n -= (size_t)w;
	}
	/* Readable like any file the user would create (mkstemp makes it 0600). */
	{
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		err = errno;
		unlink(tmp);
		er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot write: %s", strerror(err));
		return ER_ERR_IO;
	}
	if (rename(tmp, path) != 0) {
		err = errno;
		unlink(tmp);
		er_diag_emit(diag, ER_SEV_ERROR, path, 0, 0, "cannot create: %s", strerror(err));
		return ER_ERR_CANTCREAT;
	}
	return ER_OK;
}
