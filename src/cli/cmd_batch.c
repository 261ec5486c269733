/* cmd_batch.c - `ecoreport batch`: every job of a manifest, in worker
 * processes, incrementally, under a lock on the output folder.
 *
 * Each job runs in a child process forked for it, as the command a user
 * would type (render or chart), so that a crash, a runaway job or a leak in
 * one job cannot touch the others. The parent only schedules, collects each
 * child's messages through a pipe, enforces the time limit, and reports. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch/manifest.h"
#include "batch/state.h"
#include "cli.h"
#include "common/util.h"

static const char help[] =
	"Usage: ecoreport batch MANIFEST.yaml [--jobs N] [--shard I/N] [--force] [--dry-run]\n"
	"                       [--quiet|--verbose] [--log FILE] [--wait] [--timeout SEC]\n"
	"\n"
	"Renders every report and chart the manifest lists into its output folder.\n"
	"\n"
	"  --jobs N        worker processes (default: the number of cores)\n"
	"  --shard I/N     only the I-th of N shares of the jobs (1 <= I <= N), for\n"
	"                  spreading one manifest over machines or array jobs\n"
	"  --force         render even the jobs whose inputs did not change\n"
	"  --dry-run       say what would be rendered, write nothing\n"
	"  --quiet         print nothing but failures (the default off a terminal)\n"
	"  --verbose       a line per job\n"
	"  --log FILE      append a line per job (time, job, status, seconds)\n"
	"  --wait          wait for another run holding the lock instead of exiting 75\n"
	"  --timeout SEC   a job running longer is killed (default: the manifest's\n"
	"                  timeout, else 600)\n"
	"\n"
	"A job is skipped when its inputs (template, data, theme, fonts), its options\n"
	"and ecoreport's version are those of its last success; records live in\n"
	"OUTPUT/.ecoreport/. Exit status: 0 when every job succeeded, else the status\n"
	"of the first failed job (65 bad data, 70 crash or timeout, ...); 75 when\n"
	"another run holds the lock.\n";

/* A job's state during the run. */
typedef struct slot {
	size_t job;          /* index in the manifest */
	pid_t pid;
	int fd;              /* read end of the child's stderr */
	double start;
	er_buf err;          /* what the child printed (the first 64 KiB) */
} slot;

typedef struct outcome {
	int ran, rc;         /* rc: exit status, or 70 for a crash or timeout */
	double seconds;
	char *message;       /* owned: the child's stderr, or what happened to it */
} outcome;

typedef struct run {
	er_manifest *m;
	int jobs, force, dry, verbose, quiet, tty, wait;
	unsigned long shard_i, shard_n;
	double timeout;
	const char *log_path;
	FILE *log;
	outcome *out;
	size_t total, done, failed, skipped;
	double t0;
	/* What a worker must not keep open: the locks, the log, the other
	 * workers' pipes. */
	int lockfd[2];
	slot *slots;
	pid_t parent;
} run;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void log_line(run *R, const er_job *j, const char *status, double seconds)
{
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	if (R->log == NULL)
		return;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(R->log, "%s %s %s %.3fs\n", stamp, j->name, status, seconds);
	fflush(R->log);
}

/* The progress line on a terminal: done / failed / remaining and the time left. */
static void progress(run *R)
{
	double el = now() - R->t0;
	size_t left = R->total - R->done;
	if (!R->tty || R->quiet)
		return;
	fprintf(stderr, "\r\033[Kbatch: %zu done, %zu failed, %zu remaining", R->done, R->failed,
	        left);
	/* Wall time per finished job already reflects the workers in parallel. */
	if (R->done > R->skipped && left)
		fprintf(stderr, ", about %.0f s left", el / (double)(R->done - R->skipped) * (double)left);
	fflush(stderr);
}

/* In the child: run the job's command, record its success, exit. */
static void child(run *R, const er_job *j, uint64_t key, int errfd)
{
	int devnull = open("/dev/null", O_CLOEXEC | O_WRONLY);
	int rc;
	er_diag_sink diag;
	const char *const *in, *const *outp;
	size_t nin, nout;
	struct timespec ts;
	long long started;

	int i;

	/* A worker dies with the scheduler: an orphan would hold the output
	 * folder's lock (it inherited it) with no time limit over it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != R->parent)
		_exit(EX_SOFTWARE_);
	if (dup2(errfd, 2) < 0 || devnull < 0 || dup2(devnull, 1) < 0)
		_exit(EX_SOFTWARE_);
	close(errfd);
	close(devnull);
	for (i = 0; i < 2; i++)
		if (R->lockfd[i] >= 0)
			close(R->lockfd[i]);
	if (R->log)
		close(fileno(R->log));
	for (i = 0; R->slots && i < R->jobs; i++)
		if (R->slots[i].fd >= 0)
			close(R->slots[i].fd);
	signal(SIGPIPE, SIG_DFL);
	clock_gettime(CLOCK_REALTIME, &ts);
	started = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	cli_track_start();
	rc = cli_dispatch(j->argc, j->argv);
	if (rc == 0 && cli_tracked(&in, &nin, &outp, &nout)) {
		cli_diag_init(&diag);
		if (er_job_record(R->m->output, j, key, in, nin, outp, nout, started, &diag) != ER_OK)
			rc = EX_IOERR_;
	}
	/* What the child inherited is its own to free (leak checkers watch). */
	cli_text_unload();
	fflush(stderr);
	_exit(rc);
}

static int start(run *R, slot *s, size_t job, uint64_t key)
{
	int p[2];
	const er_job *j = &R->m->jobs[job];
	if (pipe(p) != 0)
		return -1;
	/* A failure must never be mistaken for the last success. */
	er_job_forget(R->m->output, j);
	fflush(NULL);
	s->pid = fork();
	if (s->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (s->pid == 0) {
		close(p[0]);
		child(R, j, key, p[1]);
	}
	close(p[1]);
	s->fd = p[0];
	s->job = job;
	s->start = now();
	er_buf_clear(&s->err);
	return 0;
}

static char *describe_status(int status, int timed_out, double timeout, int *rc)
{
	er_buf b = ER_BUF_INIT;
	char *s = NULL;
	if (timed_out) {
		*rc = EX_SOFTWARE_;
		er_buf_printf(&b, "killed after the %.0f s time limit", timeout);
	} else if (WIFSIGNALED(status)) {
		*rc = EX_SOFTWARE_;
		er_buf_printf(&b, "crashed (signal %d, %s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else {
		*rc = WIFEXITED(status) ? WEXITSTATUS(status) : EX_SOFTWARE_;
	}
	if (b.data && er_buf_take(&b, &s) != ER_OK)
		s = NULL;
	er_buf_free(&b);
	return s;
}

/* The temporaries of dead writers: outputs, and the job records' own
 * (left by a worker killed mid-record). */
static void sweep_debris(const char *output)
{
	er_buf p = ER_BUF_INIT;
	er_atomic_sweep(output);
	if (er_buf_printf(&p, "%s/.ecoreport/jobs", output) == ER_OK)
		er_atomic_sweep(p.data);
	er_buf_free(&p);
}

/* A child ended (its pipe closed, or it was killed): collect it. */
static void finish(run *R, slot *s, int timed_out)
{
	int status = 0;
	outcome *o = &R->out[s->job];
	const er_job *j = &R->m->jobs[s->job];
	char *what;

	close(s->fd);
	s->fd = -1;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	o->ran = 1;
	o->seconds = now() - s->start;
	what = describe_status(status, timed_out, R->timeout, &o->rc);
	if (what || s->err.len) {
		er_buf b = ER_BUF_INIT;
		er_buf_printf(&b, "%s%s%s", s->err.data ? s->err.data : "",
		              what && s->err.len && s->err.data[s->err.len - 1] != '\n' ? "\n" : "",
		              what ? what : "");
		if (er_buf_take(&b, &o->message) != ER_OK)
			o->message = NULL;
		er_buf_free(&b);
	}
	free(what);
	R->done++;
	if (o->rc != 0) {
		R->failed++;
		/* Whatever the child managed to record, the job did not succeed. */
		er_job_forget(R->m->output, j);
	}
	log_line(R, j, o->rc == 0 ? "ok" : "failed", o->seconds);
	if (R->verbose) {
		if (R->tty)
			fputs("\r\033[K", stderr);
		fprintf(stderr, "%s %s (%.2f s)\n", o->rc == 0 ? "done" : "FAILED", j->name, o->seconds);
	}
	/* A killed child may have left temporaries: it is dead, so sweep now. */
	if (o->rc != 0)
		sweep_debris(R->m->output);
	progress(R);
}

/* Reads what a child printed; at the end of its output, collects it. */
static void drain(run *R, slot *s)
{
	char buf[4096];
	ssize_t n = read(s->fd, buf, sizeof buf);
	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		finish(R, s, 0);
		return;
	}
	if (s->err.len < 65536)
		er_buf_append(&s->err, buf, (size_t)n);
}

/* A job that could not be started (no pipe, no fork, no poll): failed. */
static void not_run(run *R, size_t job, int err)
{
	outcome *o = &R->out[job];
	o->ran = 1;
	o->rc = EX_SOFTWARE_;
	o->message = er_strdup(strerror(err));
	R->done++;
	R->failed++;
}

/* Whether the child has ended (it is not reaped: finish() does that). */
static int exited(pid_t pid)
{
	siginfo_t info;
	memset(&info, 0, sizeof info);
	return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

static int schedule(run *R, const size_t *todo, const uint64_t *keys, size_t ntodo)
{
	slot *slots = calloc((size_t)R->jobs, sizeof *slots);
	struct pollfd *pfd = calloc((size_t)R->jobs, sizeof *pfd);
	size_t next = 0, running = 0;
	int i;

	if (slots == NULL || pfd == NULL) {
		free(slots);
		free(pfd);
		cli_error("batch: out of memory");
		return -1;
	}
	for (i = 0; i < R->jobs; i++)
		slots[i].fd = -1;
	R->slots = slots;
	while (next < ntodo || running > 0) {
		int n = 0, wait_ms = 1000;
		double t = now();
		for (i = 0; i < R->jobs && next < ntodo; i++) {
			if (slots[i].fd >= 0)
				continue;
			if (start(R, &slots[i], todo[next], keys[next]) != 0)
				not_run(R, todo[next], errno);
			else
				running++;
			next++;
		}
		for (i = 0; i < R->jobs; i++) {
			if (slots[i].fd < 0)
				continue;
			if (R->timeout > 0) {
				double left = slots[i].start + R->timeout - t;
				if (left <= 0 && !exited(slots[i].pid)) {
					kill(slots[i].pid, SIGKILL);
					finish(R, &slots[i], 1);
					running--;
					continue;
				}
				/* One that already ended is collected at its pipe's end. */
				if (left <= 0)
					left = 0.001;
				if (left * 1000 < wait_ms)
					wait_ms = (int)(left * 1000) + 1;
			}
			pfd[n].fd = slots[i].fd;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
		if (n == 0)
			continue;
		if (poll(pfd, (nfds_t)n, wait_ms) < 0 && errno != EINTR) {
			/* Cannot watch the workers any more: stop them, and count what
			 * did not run as failed. */
			int err = errno;
			for (i = 0; i < R->jobs; i++) {
				if (slots[i].fd >= 0) {
					kill(slots[i].pid, SIGKILL);
					finish(R, &slots[i], 1);
				}
			}
			for (; next < ntodo; next++)
				not_run(R, todo[next], err);
			running = 0;
			break;
		}
		for (i = 0; i < R->jobs; i++) {
			int k;
			if (slots[i].fd < 0)
				continue;
			for (k = 0; k < n; k++)
				if (pfd[k].fd == slots[i].fd && pfd[k].revents) {
					drain(R, &slots[i]);
					if (slots[i].fd < 0)
						running--;
					break;
				}
		}
		progress(R);
	}
	for (i = 0; i < R->jobs; i++)
		er_buf_free(&slots[i].err);
	R->slots = NULL;
	free(slots);
	free(pfd);
	return 0;
}

static int parse_shard(const char *s, unsigned long *i, unsigned long *n)
{
	char *end;
	errno = 0;
	*i = strtoul(s, &end, 10);
	if (end == s || *end != '/' || s[0] == '-')
		return 0;
	s = end + 1;
	*n = strtoul(s, &end, 10);
	return end != s && *end == '\0' && s[0] != '-' && errno == 0 && *n >= 1 && *n <= 100000 &&
	       *i >= 1 && *i <= *n;
}

static int report(run *R)
{
	size_t j;
	int rc = 0;
	if (R->tty && !R->quiet)
		fputs("\r\033[K", stderr);
	if (R->failed == 0) {
		if (!R->quiet && (R->tty || R->verbose))
			fprintf(stderr, "batch: %zu jobs: %zu rendered, %zu up to date\n", R->total,
			        R->total - R->skipped, R->skipped);
		return 0;
	}
	cli_error("batch: %zu of %zu jobs failed:", R->failed, R->total);
	for (j = 0; j < R->m->njobs; j++) {
		const outcome *o = &R->out[j];
		const er_job *job = &R->m->jobs[j];
		const char *msg = o->message, *p;
		if (!o->ran || o->rc == 0)
			continue;
		if (rc == 0)
			rc = o->rc;
		fprintf(stderr, "  %s (%s:%lu): exit %d\n", job->name, R->m->path, job->line, o->rc);
		/* The job's own messages, indented under it. */
		for (p = msg; p && *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			fprintf(stderr, "    %.*s\n", (int)n, p);
			p += n + (nl != NULL);
		}
	}
	return rc;
}

static int options(run *R, int argc, char **argv, const char **path)
{
	int a;
	long n;
	char *end;
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a];
		const char *v = a + 1 < argc ? argv[a + 1] : NULL;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(help, stdout);
			return 0;
		} else if (strcmp(arg, "--force") == 0) {
			R->force = 1;
		} else if (strcmp(arg, "--dry-run") == 0) {
			R->dry = 1;
		} else if (strcmp(arg, "--quiet") == 0) {
			R->quiet = 1;
		} else if (strcmp(arg, "--verbose") == 0) {
			R->verbose = 1;
		} else if (strcmp(arg, "--wait") == 0) {
			R->wait = 1;
		} else if (strcmp(arg, "--jobs") == 0 || strcmp(arg, "-j") == 0 ||
		           strcmp(arg, "--shard") == 0 || strcmp(arg, "--log") == 0 ||
		           strcmp(arg, "--timeout") == 0) {
			if (v == NULL)
				return cli_usage_error("batch", "option '%s' needs a value", arg);
			a++;
			if (arg[2] == 'j' || arg[1] == 'j') {
				n = strtol(v, &end, 10);
				if (end == v || *end || n < 1 || n > 256)
					return cli_usage_error("batch", "--jobs takes 1 to 256, not '%s'", v);
				R->jobs = (int)n;
			} else if (arg[2] == 's') {
				if (!parse_shard(v, &R->shard_i, &R->shard_n))
					return cli_usage_error("batch",
					                       "--shard takes I/N with 1 <= I <= N (e.g. 2/4), not '%s'",
					                       v);
			} else if (arg[2] == 'l') {
				R->log_path = v;
			} else {
				R->timeout = strtod(v, &end);
				if (end == v || *end || !(R->timeout > 0 && R->timeout <= 604800))
					return cli_usage_error(
						"batch", "--timeout takes seconds, more than 0 and at most 604800, not '%s'",
						v);
			}
		} else if (arg[0] == '-' && arg[1]) {
			return cli_usage_error("batch", "unknown option '%s'", arg);
		} else if (*path) {
			return cli_usage_error("batch", "one manifest at a time (got '%s' and '%s')", *path, arg);
		} else {
			*path = arg;
		}
	}
	if (*path == NULL)
		return cli_usage_error("batch", "missing MANIFEST.yaml");
	if (R->quiet > 0 && R->verbose)
		return cli_usage_error("batch", "--quiet and --verbose do not go together");
	return -1; /* go on */
}

/* The output folder: made when missing (its parent must exist). */
static er_status output_folder(const char *dir, er_diag_sink *diag)
{
	struct stat sb;
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return ER_OK;
	if (mkdir(dir, 0777) == 0)
		return ER_OK;
	er_diag_emit(diag, ER_SEV_ERROR, dir, 0, 0, "cannot create the output folder: %s",
	             errno == EEXIST ? "a file has that name" : strerror(errno));
	return ER_ERR_CANTCREAT;
}

int cmd_batch(int argc, char **argv)
{
	run R;
	const char *path = NULL;
	er_diag_sink diag;
	er_status st;
	er_lock lock = {-1, 0}, shard_lock = {-1, 0};
	size_t *todo = NULL, ntodo = 0, j, k;
	uint64_t *keys = NULL;
	int rc;
	long holder = 0;
	char lockname[64];

	memset(&R, 0, sizeof R);
	R.lockfd[0] = R.lockfd[1] = -1;
	R.parent = getpid();
	/* A closed stderr (batch ... 2>&1 | head) must not kill the scheduler
	 * and orphan its workers; they get the default back. */
	signal(SIGPIPE, SIG_IGN);
	R.tty = isatty(2);
	R.quiet = -1; /* not given */
	rc = options(&R, argc, argv, &path);
	if (rc >= 0)
		return rc;
	/* Off a terminal (cron), quiet unless asked otherwise: mail only failures. */
	if (R.quiet < 0)
		R.quiet = !R.tty && !R.verbose;
	if (R.jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		R.jobs = n < 1 ? 1 : n > 256 ? 256 : (int)n;
	}
	cli_diag_init(&diag);
	st = er_manifest_load(path, &diag, &R.m);
	if (st != ER_OK) {
		if (st == ER_ERR_NOMEM)
			cli_error("batch: out of memory");
		return cli_exit_code(st);
	}
	if (R.timeout == 0)
		R.timeout = R.m->timeout;
	R.out = calloc(R.m->njobs, sizeof *R.out);
	todo = calloc(R.m->njobs, sizeof *todo);
	keys = calloc(R.m->njobs, sizeof *keys);
	if (R.out == NULL || todo == NULL || keys == NULL) {
		cli_error("batch: out of memory");
		rc = EX_SOFTWARE_;
		goto out;
	}
	if (!R.dry) {
		st = output_folder(R.m->output, &diag);
		if (st == ER_OK)
			st = er_state_prepare(R.m->output, &diag);
		/* A whole run excludes everything; shares exclude only a whole run
		 * and the same share. */
		if (st == ER_OK)
			st = er_lock_take(R.m->output, "lock", R.shard_n > 0, R.wait, &lock, &holder, &diag);
		if (st == ER_OK && R.shard_n) {
			snprintf(lockname, sizeof lockname, "lock-shard-%lu-of-%lu", R.shard_i, R.shard_n);
			st = er_lock_take(R.m->output, lockname, 0, R.wait, &shard_lock, &holder, &diag);
		}
		R.lockfd[0] = lock.fd;
		R.lockfd[1] = shard_lock.fd;
		if (st == ER_ERR_LOCKED) {
			if (holder > 0)
				cli_error("batch: %s: another run (PID %ld) holds the lock; try later, or use --wait",
				          R.m->output, holder);
			else
				cli_error("batch: %s: another run holds the lock; try later, or use --wait",
				          R.m->output);
		}
		if (st != ER_OK) {
			rc = cli_exit_code(st);
			goto out;
		}
		/* Debris of runs killed before their renames. */
		sweep_debris(R.m->output);
	}
	R.t0 = now();
	for (j = 0; j < R.m->njobs; j++) {
		const er_job *job = &R.m->jobs[j];
		char why[300] = "forced";
		if (!er_job_in_shard(j, R.shard_i, R.shard_n))
			continue;
		R.total++;
		keys[ntodo] = er_job_key(job, ER_VERSION);
		if (!R.force && er_job_fresh(R.m->output, job, keys[ntodo], why, sizeof why)) {
			R.skipped++;
			R.done++;
			if (R.dry || R.verbose)
				fprintf(R.dry ? stdout : stderr, "up to date %s\n", job->name);
			continue;
		}
		if (R.dry)
			printf("would render %s (%s)\n", job->name, why);
		todo[ntodo++] = j;
	}
	if (R.dry) {
		rc = 0;
		goto out;
	}
	if (R.log_path) {
		R.log = fopen(R.log_path, "a");
		if (R.log == NULL) {
			er_diag_emit(&diag, ER_SEV_ERROR, R.log_path, 0, 0, "cannot open the log: %s",
			             strerror(errno));
			rc = EX_CANTCREAT_;
			goto out;
		}
		/* todo is in job order: one walk pairs it with the jobs. */
		k = 0;
		for (j = 0; j < R.m->njobs; j++) {
			if (!er_job_in_shard(j, R.shard_i, R.shard_n))
				continue;
			if (k < ntodo && todo[k] == j)
				k++;
			else
				log_line(&R, &R.m->jobs[j], "up-to-date", 0);
		}
	}
	if (ntodo) {
		/* Fontconfig's set-up is paid once, before the workers fork. */
		st = cli_text_preload(&diag);
		if (st != ER_OK) {
			rc = cli_exit_code(st);
			goto out;
		}
		if (R.jobs > (int)ntodo)
			R.jobs = (int)ntodo;
		progress(&R);
		if (schedule(&R, todo, keys, ntodo) != 0) {
			rc = EX_SOFTWARE_;
			goto out;
		}
	}
	rc = report(&R);
out:
	cli_text_unload();
	er_lock_release(&shard_lock);
	er_lock_release(&lock);
	if (R.log)
		fclose(R.log);
	for (j = 0; R.out && j < R.m->njobs; j++)
		free(R.out[j].message);
	free(R.out);
	free(todo);
	free(keys);
	er_manifest_free(R.m);
	return rc;
}
