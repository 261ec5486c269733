/* font_cache.c - load, validate, look up, add and save fontconfig's answers
 * (see font_cache.h for what is kept and the file's format).
 *
 * Everything that fails here fails silently: a cache that cannot be read is
 * empty, one that cannot be written is not written. The worst outcome of
 * any problem is that fontconfig gets loaded as it was before the cache. */
#include "font_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/util.h"

#define MAGIC "ecoreport font cache 2\n"
/* How far before fontconfig started loading a stamp's time must lie for
 * the stamp to be trusted: file system times are taken from a coarse
 * clock and may be rounded (to seconds on some file systems, 2 s on FAT),
 * so a change during the load can carry a time just before it. */
#define RACY_S 2
/* A real cache is a few KB; anything near this is not ours. */
#define MAX_FILE (4u << 20)
/* Stamps and answers a file may hold: a system with every Debian font
 * package has some thousand font folders, and a run asks a few dozen
 * questions. A file with more is ignored whole, which bounds what a
 * hostile one costs; a registry that learns more saves nothing. */
#define MAX_STAMPS 20000
#define MAX_ANSWERS 20000

/* The environment fontconfig reads: where its configuration is
 * (FONTCONFIG_*), the user's folders its configuration names (HOME, XDG_*)
 * and the default language FcDefaultSubstitute adds to every pattern,
 * which ranks CJK fonts (FC_LANG, else the locale variables). Read here,
 * not passed by the caller, because they are fontconfig's inputs, not
 * ecoreport's settings: the cache must see what fontconfig would see. */
static const char *const env_names[] = {
	"FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "HOME", "XDG_CONFIG_HOME",
	"XDG_DATA_HOME",   "FC_LANG",         "LC_ALL",             "LC_CTYPE", "LANG",
};
/* Their places in env_names (and er_fcache.env). */
enum { ENV_HOME = 3, ENV_XDG_CONFIG = 4, ENV_XDG_DATA = 5 };
#define NENV (sizeof env_names / sizeof env_names[0])
_Static_assert(NENV == 10, "env_names and the ENV_ indices go together");

/* A file time, seconds and nanoseconds apart (their product in one
 * int64_t overflows for dates after 2262). */
typedef struct ftime {
	int64_t s;
	int64_t ns; /* 0 to 999999999 */
} ftime;

/* What a path looked like: present or not, and if so its identity. The
 * change time is there for what leaves the others alone: a chmod (a font
 * FreeType could not open becomes readable), a rewrite in place that kept
 * size and restored the modification time. */
typedef struct fstat_ {
	int present;
	ftime mtime, ctime;
	int64_t size;
	uint64_t ino;
} fstat_;

typedef struct stamp {
	char *path; /* owned */
	fstat_ f;
} stamp;

/* One question and its answer. */
typedef struct answer {
	int is_cp;
	char *req; /* owned; the requested family (family questions) */
	int bold, italic;
	uint32_t cp;
	int found;    /* 0: not installed / no font has it */
	int index;    /* found: the face index */
	char *family; /* owned when found: the family as fontconfig spells it */
	char *file;   /* owned when found */
	fstat_ f;     /* found: the file when the answer was learned */
	int checked;  /* 0: file not compared yet, 1: unchanged, -1: changed */
} answer;

struct er_fcache {
	char *path;  /* owned; the cache file */
	int warm;    /* the file was valid when opened */
	int stamped; /* stamps/env/fcver describe a loaded fontconfig */
	int dirty;   /* answers learned since opening */
	int fcver;
	long ftver;     /* FreeType's version in the file, or of the stamps */
	long ftver_now; /* FreeType's version in this process */
	ftime racy_from; /* a stamp at or after it is racy */
	char *env[NENV]; /* owned; NULL: unset */
	stamp *stamps;
	size_t nstamps, capstamps;
	answer *ans;
	size_t nans, capans;
};

/* ---- small pieces -------------------------------------------------------- */

static void look(const char *path, fstat_ *f)
{
	struct stat st;

	memset(f, 0, sizeof *f);
	if (stat(path, &st) != 0)
		return; /* absent, or unreadable: either way "not there" for fontconfig too */
	f->present = 1;
	f->mtime.s = (int64_t)st.st_mtim.tv_sec;
	f->mtime.ns = (int64_t)st.st_mtim.tv_nsec;
	f->ctime.s = (int64_t)st.st_ctim.tv_sec;
	f->ctime.ns = (int64_t)st.st_ctim.tv_nsec;
	f->size = (int64_t)st.st_size;
	f->ino = (uint64_t)st.st_ino;
}

/* <0, 0, >0 as a is before, at, after b. */
static int tcmp(const ftime *a, const ftime *b)
{
	if (a->s != b->s)
		return a->s < b->s ? -1 : 1;
	return a->ns < b->ns ? -1 : a->ns > b->ns;
}

static int same_f(const fstat_ *a, const fstat_ *b)
{
	return a->present == b->present &&
	       (!a->present || (tcmp(&a->mtime, &b->mtime) == 0 &&
	                        tcmp(&a->ctime, &b->ctime) == 0 && a->size == b->size &&
	                        a->ino == b->ino));
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void answer_clear(answer *a)
{
	free(a->req);
	free(a->family);
	free(a->file);
}

static void drop_answers(er_fcache *c)
{
	size_t i;

	for (i = 0; i < c->nans; i++)
		answer_clear(&c->ans[i]);
	c->nans = 0;
}

static void drop_stamps(er_fcache *c)
{
	size_t i;

	for (i = 0; i < c->nstamps; i++)
		free(c->stamps[i].path);
	c->nstamps = 0;
	for (i = 0; i < NENV; i++) {
		free(c->env[i]);
		c->env[i] = NULL;
	}
	c->fcver = 0;
	c->ftver = 0;
}

/* Forgets what the file said: its answers and what they rested on. */
static void drop_all(er_fcache *c)
{
	drop_answers(c);
	drop_stamps(c);
}

static answer *find(er_fcache *c, int is_cp, const char *req, int bold, int italic, uint32_t cp)
{
	size_t i;

	for (i = 0; i < c->nans; i++) {
		answer *a = &c->ans[i];
		if (a->is_cp != is_cp)
			continue;
		if (is_cp ? a->cp == cp
		          : a->bold == bold && a->italic == italic && strcmp(a->req, req) == 0)
			return a;
	}
	return NULL;
}

/* Stores *a (its strings now owned by c), replacing an answer to the same
 * question. On failure *a's strings are freed. */
static er_status put(er_fcache *c, answer *a)
{
	answer *old = find(c, a->is_cp, a->req, a->bold, a->italic, a->cp);
	er_status st;

	if (old != NULL) {
		answer_clear(old);
		*old = *a;
		return ER_OK;
	}
	if (c->nans == MAX_ANSWERS) {
		answer_clear(a); /* a file with more would be ignored: asked again */
		return ER_OK;
	}
	st = er_grow(&c->ans, &c->capans, c->nans, sizeof *c->ans, 16);
	if (st != ER_OK) {
		answer_clear(a);
		return st;
	}
	c->ans[c->nans++] = *a;
	return ER_OK;
}

static er_status add_stamp(er_fcache *c, const char *path, const fstat_ *f)
{
	size_t i;
	char *copy;

	for (i = 0; i < c->nstamps; i++)
		if (strcmp(c->stamps[i].path, path) == 0)
			return ER_OK;
	if (er_grow(&c->stamps, &c->capstamps, c->nstamps, sizeof *c->stamps, 64) != ER_OK ||
	    (copy = er_strdup(path)) == NULL)
		return ER_ERR_NOMEM;
	c->stamps[c->nstamps].path = copy;
	c->stamps[c->nstamps].f = *f;
	c->nstamps++;
	return ER_OK;
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct cur {
	const char *p, *e;
} cur;

static int lit(cur *k, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(k->e - k->p) < n || memcmp(k->p, w, n) != 0)
		return 0;
	k->p += n;
	return 1;
}

static int u64(cur *k, uint64_t *v)
{
	uint64_t x = 0;
	int digits = 0;

	while (k->p < k->e && *k->p >= '0' && *k->p <= '9') {
		unsigned d = (unsigned)(*k->p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return 0;
		x = x * 10 + d;
		k->p++;
		digits++;
	}
	*v = x;
	return digits > 0;
}

static int i64(cur *k, int64_t *v)
{
	int neg = lit(k, "-");
	uint64_t x;

	if (!u64(k, &x) || x > (uint64_t)INT64_MAX)
		return 0;
	*v = neg ? -(int64_t)x : (int64_t)x;
	return 1;
}

/* A number in [0, max]. */
static int num(cur *k, uint64_t max, uint64_t *v)
{
	return u64(k, v) && *v <= max;
}

/* LEN:BYTES, copied (NUL-terminated) into *out; no NUL inside. */
static int str(cur *k, char **out)
{
	uint64_t n;

	*out = NULL;
	if (!u64(k, &n) || !lit(k, ":") || n > (uint64_t)(k->e - k->p) ||
	    memchr(k->p, '\0', (size_t)n) != NULL)
		return 0;
	*out = er_strndup(k->p, (size_t)n);
	if (*out == NULL)
		return 0;
	k->p += n;
	return 1;
}

/* " SECONDS NANOSECONDS" */
static int ftime_p(cur *k, ftime *t)
{
	uint64_t ns;

	if (!lit(k, " ") || !i64(k, &t->s) || !lit(k, " ") || !num(k, 999999999, &ns))
		return 0;
	t->ns = (int64_t)ns;
	return 1;
}

static int fstat_p(cur *k, fstat_ *f)
{
	uint64_t ino;

	memset(f, 0, sizeof *f);
	f->present = 1;
	return ftime_p(k, &f->mtime) && ftime_p(k, &f->ctime) && lit(k, " ") && i64(k, &f->size) &&
	       lit(k, " ") && u64(k, &ino) && ((f->ino = ino), 1);
}

/* A found answer's tail after "1 ": INDEX LEN:FAMILY LEN:FILE STAT. The
 * family line writes FOUND before FILE too, so both share it. */
static int found_p(cur *k, answer *a)
{
	uint64_t idx;

	if (!num(k, INT_MAX, &idx) || !lit(k, " ") || !str(k, &a->family) || !lit(k, " ") ||
	    !str(k, &a->file) || !fstat_p(k, &a->f))
		return 0;
	a->index = (int)idx;
	a->found = 1;
	return 1;
}

/* One "family ..." or "char ..." record, after its keyword. */
static int answer_p(cur *k, int is_cp, answer *a)
{
	uint64_t v, b, i, found;

	memset(a, 0, sizeof *a);
	a->is_cp = is_cp;
	if (is_cp) {
		if (!num(k, 0x10ffff, &v))
			return 0;
		a->cp = (uint32_t)v;
	} else {
		if (!num(k, 1, &b) || !lit(k, " ") || !num(k, 1, &i) || !lit(k, " ") ||
		    !str(k, &a->req))
			return 0;
		a->bold = (int)b;
		a->italic = (int)i;
	}
	if (!lit(k, " ") || !num(k, 1, &found))
		return 0;
	if (found && (!lit(k, " ") || !found_p(k, a)))
		return 0;
	return lit(k, "\n");
}

/* Whether the last line is "end BYTES HASH" and matches what precedes it
 * (a torn write or an edit is seen as one); *body_len receives BYTES.
 * Checked before any record is parsed: a file that is not ours costs one
 * pass of hashing, not the parse. */
static int end_ok(const char *s, size_t n, size_t *body_len)
{
	size_t at;
	uint64_t want_len, want_hash;
	cur k;

	if (n == 0 || s[n - 1] != '\n')
		return 0;
	for (at = n - 1; at > 0 && s[at - 1] != '\n'; at--)
		;
	k.p = s + at;
	k.e = s + n;
	if (!lit(&k, "end ") || !u64(&k, &want_len) || !lit(&k, " ") || !u64(&k, &want_hash) ||
	    !lit(&k, "\n") || k.p != k.e || want_len != (uint64_t)at || want_hash != fnv1a(s, at))
		return 0;
	*body_len = at;
	return 1;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_answer(const void *pa, const void *pb)
{
	const answer *a = *(const answer *const *)pa, *b = *(const answer *const *)pb;

	if (a->is_cp != b->is_cp)
		return a->is_cp - b->is_cp;
	if (a->is_cp)
		return a->cp < b->cp ? -1 : a->cp > b->cp;
	if (a->bold != b->bold)
		return a->bold - b->bold;
	if (a->italic != b->italic)
		return a->italic - b->italic;
	return strcmp(a->req, b->req);
}

/* Whether c holds a path or a question twice: we never write that, so
 * such a file is not ours. Sorted copies of pointers (a linear search
 * per record would cost a hostile file n^2 comparisons); 1 also when out
 * of memory, which ignores the file too. */
static int has_duplicates(const er_fcache *c)
{
	size_t n = c->nstamps > c->nans ? c->nstamps : c->nans, i;
	const void **v;
	int dup = 0;

	if (n < 2)
		return 0;
	v = malloc(n * sizeof *v);
	if (v == NULL)
		return 1;
	for (i = 0; i < c->nstamps; i++)
		v[i] = c->stamps[i].path;
	qsort(v, c->nstamps, sizeof *v, cmp_path);
	for (i = 1; !dup && i < c->nstamps; i++)
		dup = strcmp(v[i - 1], v[i]) == 0;
	for (i = 0; i < c->nans; i++)
		v[i] = &c->ans[i];
	qsort(v, c->nans, sizeof *v, cmp_answer);
	for (i = 1; !dup && i < c->nans; i++)
		dup = cmp_answer(&v[i - 1], &v[i]) == 0;
	free(v);
	return dup;
}

er_status er_fcache_parse(er_fcache *c, const char *s, size_t n)
{
	cur k = {s, s};
	uint64_t v;
	size_t i, body_len;
	int is_cp;
	answer a;
	char *path = NULL;
	fstat_ f;

	drop_all(c);
	if (!end_ok(s, n, &body_len))
		goto bad;
	k.e = s + body_len;
	if (!lit(&k, MAGIC))
		goto bad;
	if (!lit(&k, "query ") || !num(&k, INT_MAX, &v) || v != ER_FCACHE_QUERY || !lit(&k, "\n"))
		goto bad;
	if (!lit(&k, "freetype ") || !num(&k, LONG_MAX, &v) || !lit(&k, "\n"))
		goto bad;
	c->ftver = (long)v;
	if (!lit(&k, "fontconfig ") || !num(&k, INT_MAX, &v) || !lit(&k, "\n"))
		goto bad;
	c->fcver = (int)v;
	for (i = 0; i < NENV; i++) {
		if (!lit(&k, "env ") || !lit(&k, env_names[i]) || !lit(&k, " "))
			goto bad;
		if (!lit(&k, "-") && !str(&k, &c->env[i]))
			goto bad;
		if (!lit(&k, "\n"))
			goto bad;
	}
	while (k.p < k.e) {
		if (lit(&k, "stamp ")) {
			if (c->nstamps == MAX_STAMPS || !str(&k, &path) || !lit(&k, " ") ||
			    !num(&k, 1, &v))
				goto bad;
			memset(&f, 0, sizeof f);
			if (v == 1 && !fstat_p(&k, &f))
				goto bad;
			if (!lit(&k, "\n") || er_grow(&c->stamps, &c->capstamps, c->nstamps,
			                              sizeof *c->stamps, 64) != ER_OK)
				goto bad;
			c->stamps[c->nstamps].path = path; /* owned by c now */
			c->stamps[c->nstamps].f = f;
			c->nstamps++;
			path = NULL;
		} else if ((is_cp = lit(&k, "char ")) || lit(&k, "family ")) {
			if (c->nans == MAX_ANSWERS)
				goto bad;
			if (!answer_p(&k, is_cp, &a) ||
			    er_grow(&c->ans, &c->capans, c->nans, sizeof *c->ans, 16) != ER_OK) {
				answer_clear(&a);
				goto bad;
			}
			c->ans[c->nans++] = a;
		} else {
			goto bad;
		}
	}
	if (has_duplicates(c))
		goto bad;
	return ER_OK;
bad:
	free(path);
	drop_all(c);
	return ER_ERR_DATA;
}

/* ---- validity ------------------------------------------------------------ */

static int env_matches(const er_fcache *c)
{
	size_t i;

	for (i = 0; i < NENV; i++)
		if (!same_str(c->env[i], getenv(env_names[i])))
			return 0;
	return 1;
}

static int stamps_hold(const er_fcache *c)
{
	size_t i;
	fstat_ now;

	for (i = 0; i < c->nstamps; i++) {
		look(c->stamps[i].path, &now);
		if (!same_f(&now, &c->stamps[i].f))
			return 0;
	}
	return 1;
}

/* Parses and checks the file at path into c: 1 when its answers hold now. */
/* Reads and parses the file at path into c (nothing more: no stamp is
 * checked); 0, with c emptied, when it is missing or malformed. */
static int read_parsed(er_fcache *c, const char *path)
{
	char *data = NULL;
	size_t n = 0;
	int ok;

	if (er_read_file(path, MAX_FILE, NULL, &data, &n) != ER_OK)
		return 0;
	ok = er_fcache_parse(c, data, n) == ER_OK && c->nstamps > 0;
	free(data);
	if (!ok)
		drop_all(c);
	return ok;
}

static int load(er_fcache *c, const char *path)
{
	int ok = read_parsed(c, path) && c->fcver == FcGetVersion() && c->ftver == c->ftver_now &&
	         env_matches(c) && stamps_hold(c);
	if (!ok)
		drop_all(c);
	return ok;
}

er_fcache *er_fcache_open(const char *path, long ft_version)
{
	er_fcache *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->ftver_now = ft_version;
	c->path = er_strdup(path);
	if (c->path == NULL) {
		free(c);
		return NULL;
	}
	c->warm = load(c, path);
	return c;
}

void er_fcache_free(er_fcache *c)
{
	if (c == NULL)
		return;
	drop_all(c);
	free(c->ans);
	free(c->stamps);
	free(c->path);
	free(c);
}

int er_fcache_warm(const er_fcache *c)
{
	return c != NULL && c->warm;
}

/* ---- stamps of a loaded configuration ------------------------------------ */

static er_status stamp_path(er_fcache *c, const char *path)
{
	fstat_ f;

	look(path, &f);
	return add_stamp(c, path, &f);
}

/* path and the folder that holds it (a new file in conf.d changes the
 * folder, not any file fontconfig read). */
static er_status stamp_with_folder(er_fcache *c, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	er_status st = stamp_path(c, path);

	if (st != ER_OK || slash == NULL || slash == path)
		return st;
	dir = er_strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return ER_ERR_NOMEM;
	st = stamp_path(c, dir);
	free(dir);
	return st;
}

static er_status stamp_list(er_fcache *c, FcStrList *l, int with_folder)
{
	FcChar8 *s;
	er_status st = ER_OK;

	if (l == NULL)
		return ER_ERR_NOMEM;
	while (st == ER_OK && (s = FcStrListNext(l)) != NULL)
		st = with_folder ? stamp_with_folder(c, (const char *)s) : stamp_path(c, (const char *)s);
	FcStrListDone(l);
	return st;
}

/* A user location fontconfig's stock configuration reads when it exists:
 * recorded even when absent, since creating it changes the answers. From
 * the environment saved with the stamps, so that the two agree. */
er_status er_fcache_user_path(const char *base, const char *home, const char *fallback_rel,
                              const char *rel, char **out)
{
	er_buf b = ER_BUF_INIT;
	er_status st;

	*out = NULL;
	/* XDG: a relative XDG_* value is invalid and ignored. */
	if (base != NULL && base[0] == '/')
		st = er_buf_printf(&b, "%s/%s", base, rel);
	else if (home != NULL && home[0] != '\0')
		st = er_buf_printf(&b, "%s/%s%s", home, fallback_rel, rel);
	else
		return ER_OK;
	if (st == ER_OK)
		st = er_buf_take(&b, out);
	er_buf_free(&b);
	return st;
}

static er_status stamp_user(er_fcache *c, const char *base, const char *fallback_rel,
                            const char *rel)
{
	char *path = NULL;
	er_status st = er_fcache_user_path(base, c->env[ENV_HOME], fallback_rel, rel, &path);

	if (st == ER_OK && path != NULL)
		st = stamp_path(c, path);
	free(path);
	return st;
}

/* The user locations stamp_user records: under $XDG_CONFIG_HOME ('c'),
 * $XDG_DATA_HOME ('d') or neither, else under HOME + fallback. */
static const struct user_location {
	char xdg;
	const char *fallback, *rel;
} user_locations[] = {
	{'c', ".config/", "fontconfig"},          {'c', ".config/", "fontconfig/fonts.conf"},
	{'c', ".config/", "fontconfig/conf.d"},   {0, "", ".fonts.conf"},
	{0, "", ".fonts.conf.d"},                 {0, "", ".fonts"},
	{'d', ".local/share/", "fonts"},
};

static er_status collect(er_fcache *c, FcConfig *fc)
{
	const char *cfg, *data;
	er_status st;
	size_t i;

	c->fcver = FcGetVersion();
	c->ftver = c->ftver_now;
	for (i = 0; i < NENV; i++) {
		const char *v = getenv(env_names[i]);
		if (v != NULL && (c->env[i] = er_strdup(v)) == NULL)
			return ER_ERR_NOMEM;
	}
	cfg = c->env[ENV_XDG_CONFIG];
	data = c->env[ENV_XDG_DATA];
	st = stamp_list(c, FcConfigGetConfigFiles(fc), 1);
	if (st == ER_OK)
		st = stamp_list(c, FcConfigGetConfigDirs(fc), 0);
	if (st == ER_OK)
		st = stamp_list(c, FcConfigGetFontDirs(fc), 0);
	for (i = 0; st == ER_OK && i < sizeof user_locations / sizeof user_locations[0]; i++) {
		const struct user_location *u = &user_locations[i];
		st = stamp_user(c, u->xdg == 'c' ? cfg : u->xdg == 'd' ? data : NULL, u->fallback,
		                u->rel);
	}
	return st;
}

/* Whether two caches rest on the same stamps: the same libraries, the same
 * environment, the same files as they were. */
static int same_basis(const er_fcache *a, const er_fcache *b)
{
	size_t i;
	int same = a->fcver == b->fcver && a->ftver == b->ftver && a->nstamps == b->nstamps;

	for (i = 0; same && i < NENV; i++)
		same = same_str(a->env[i], b->env[i]);
	for (i = 0; same && i < b->nstamps; i++)
		same = strcmp(a->stamps[i].path, b->stamps[i].path) == 0 &&
		       same_f(&a->stamps[i].f, &b->stamps[i].f);
	return same;
}

void er_fcache_stamp(er_fcache *c, FcConfig *fc, const struct timespec *started)
{
	er_fcache old;
	size_t i;
	int same;

	if (c == NULL || fc == NULL)
		return;
	if (started != NULL) {
		c->racy_from.s = (int64_t)started->tv_sec - RACY_S;
		c->racy_from.ns = (int64_t)started->tv_nsec;
	} else {
		c->racy_from.s = INT64_MIN; /* every stamp is racy */
		c->racy_from.ns = 0;
	}
	old = *c;
	/* Collected afresh; the file's stamps are kept aside to compare. */
	c->stamps = NULL;
	c->nstamps = c->capstamps = 0;
	memset(c->env, 0, sizeof c->env);
	if (collect(c, fc) != ER_OK || c->nstamps > MAX_STAMPS) {
		/* Out of memory, or more than a file may hold: nothing learned
		 * from now on is saved. */
		drop_stamps(c);
		c->stamped = 0;
	} else {
		c->stamped = 1;
	}
	same = c->stamped && same_basis(&old, c);
	/* The file's answers were checked against its own stamps; fontconfig
	 * read something else (or the files moved since): they may be stale. */
	if (!same)
		drop_answers(c);
	for (i = 0; i < old.nstamps; i++)
		free(old.stamps[i].path);
	free(old.stamps);
	for (i = 0; i < NENV; i++)
		free(old.env[i]);
}

/* ---- questions and answers ----------------------------------------------- */

/* Whether an answer can be used: a found file must be as it was. */
static int usable(answer *a)
{
	fstat_ now;

	if (!a->found)
		return 1;
	if (a->checked == 0) {
		look(a->file, &now);
		a->checked = same_f(&now, &a->f) ? 1 : -1;
	}
	return a->checked > 0;
}

/* What er_fcache_family and er_fcache_cp say of the answer they found. */
static int reply(answer *a, const char **file, int *index, const char **family)
{
	if (a == NULL || !usable(a))
		return ER_FCACHE_MISS;
	if (!a->found)
		return ER_FCACHE_NONE;
	*file = a->file;
	*index = a->index;
	*family = a->family;
	return ER_FCACHE_FOUND;
}

int er_fcache_family(er_fcache *c, const char *family, int bold, int italic, const char **file,
                     int *index, const char **found)
{
	return reply(c != NULL ? find(c, 0, family, bold != 0, italic != 0, 0) : NULL, file, index,
	             found);
}

int er_fcache_cp(er_fcache *c, uint32_t cp, const char **file, int *index, const char **family)
{
	return reply(c != NULL ? find(c, 1, NULL, 0, 0, cp) : NULL, file, index, family);
}

static er_status add(er_fcache *c, answer *a, const char *file, int index, const char *family)
{
	er_status st;

	if (file != NULL) {
		look(file, &a->f);
		if (!a->f.present) {
			free(a->req);
			return ER_OK; /* cannot be checked later: not kept */
		}
		a->found = 1;
		a->index = index;
		a->checked = 1;
		a->file = er_strdup(file);
		a->family = er_strdup(family);
		if (a->file == NULL || a->family == NULL) {
			answer_clear(a);
			return ER_ERR_NOMEM;
		}
	}
	st = put(c, a);
	if (st == ER_OK)
		c->dirty = 1;
	return st;
}

er_status er_fcache_add_family(er_fcache *c, const char *family, int bold, int italic,
                               const char *file, int index, const char *found)
{
	answer a;

	if (c == NULL || !c->stamped)
		return ER_OK; /* no stamps to save it with */
	memset(&a, 0, sizeof a);
	a.bold = bold != 0;
	a.italic = italic != 0;
	a.req = er_strdup(family);
	if (a.req == NULL)
		return ER_ERR_NOMEM;
	return add(c, &a, file, index, found);
}

er_status er_fcache_add_cp(er_fcache *c, uint32_t cp, const char *file, int index,
                           const char *family)
{
	answer a;

	if (c == NULL || !c->stamped)
		return ER_OK;
	memset(&a, 0, sizeof a);
	a.is_cp = 1;
	a.cp = cp;
	return add(c, &a, file, index, family);
}

/* ---- saving -------------------------------------------------------------- */

static er_status put_str(er_buf *b, const char *s)
{
	return er_buf_printf(b, "%zu:%s", strlen(s), s);
}

static er_status put_f(er_buf *b, const fstat_ *f)
{
	return er_buf_printf(b, " %lld %lld %lld %lld %lld %llu", (long long)f->mtime.s,
	                     (long long)f->mtime.ns, (long long)f->ctime.s, (long long)f->ctime.ns,
	                     (long long)f->size, (unsigned long long)f->ino);
}

er_status er_fcache_serialize(const er_fcache *c, er_buf *b)
{
	size_t i, start = b->len;
	er_status st = er_buf_printf(b, MAGIC "query %d\nfreetype %ld\nfontconfig %d\n",
	                             ER_FCACHE_QUERY, c->ftver, c->fcver);

	for (i = 0; st == ER_OK && i < NENV; i++) {
		st = er_buf_printf(b, "env %s ", env_names[i]);
		if (st == ER_OK)
			st = c->env[i] != NULL ? put_str(b, c->env[i]) : er_buf_puts(b, "-");
		if (st == ER_OK)
			st = er_buf_putc(b, '\n');
	}
	for (i = 0; st == ER_OK && i < c->nstamps; i++) {
		const stamp *s = &c->stamps[i];
		st = er_buf_puts(b, "stamp ");
		if (st == ER_OK)
			st = put_str(b, s->path);
		if (st == ER_OK)
			st = er_buf_puts(b, s->f.present ? " 1" : " 0");
		if (st == ER_OK && s->f.present)
			st = put_f(b, &s->f);
		if (st == ER_OK)
			st = er_buf_putc(b, '\n');
	}
	for (i = 0; st == ER_OK && i < c->nans; i++) {
		const answer *a = &c->ans[i];
		if (a->found && a->checked < 0)
			continue; /* its file changed: learned again or dropped */
		if (a->is_cp) {
			st = er_buf_printf(b, "char %lu ", (unsigned long)a->cp);
		} else {
			st = er_buf_printf(b, "family %d %d ", a->bold, a->italic);
			if (st == ER_OK)
				st = put_str(b, a->req);
			if (st == ER_OK)
				st = er_buf_putc(b, ' ');
		}
		if (st == ER_OK)
			st = er_buf_printf(b, "%d", a->found);
		if (st == ER_OK && a->found) {
			st = er_buf_printf(b, " %d ", a->index);
			if (st == ER_OK)
				st = put_str(b, a->family);
			if (st == ER_OK)
				st = er_buf_putc(b, ' ');
			if (st == ER_OK)
				st = put_str(b, a->file);
			if (st == ER_OK)
				st = put_f(b, &a->f);
		}
		if (st == ER_OK)
			st = er_buf_putc(b, '\n');
	}
	if (st == ER_OK)
		st = er_buf_printf(b, "end %zu %llu\n", b->len - start,
		                   (unsigned long long)fnv1a(b->data + start, b->len - start));
	return st;
}

/* Creates the folders above path that are missing (0700: a cache is the
 * user's own, as XDG asks for its base folders). */
static void make_folders(const char *path)
{
	char *p = er_strdup(path), *s;

	if (p == NULL)
		return;
	for (s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			break;
		}
		*s = '/';
	}
	free(p);
}

/* Whether a stamp may describe a change fontconfig did not see. */
static int racy(const er_fcache *c)
{
	size_t i;

	for (i = 0; i < c->nstamps; i++)
		if (c->stamps[i].f.present && (tcmp(&c->stamps[i].f.mtime, &c->racy_from) >= 0 ||
		                               tcmp(&c->stamps[i].f.ctime, &c->racy_from) >= 0))
			return 1;
	return 0;
}

/* Adds the answers a process saved since c was opened (a batch worker
 * next to this one), when they rest on the same stamps. */
static void merge_saved(er_fcache *c)
{
	er_fcache *disk = calloc(1, sizeof *disk);
	size_t k;
	int same;

	if (disk == NULL)
		return;
	disk->ftver_now = c->ftver_now;
	/* Its stamps need no stat of their own: the same as c's, just
	 * checked by the save, is the condition for merging at all. */
	if (read_parsed(disk, c->path)) {
		same = same_basis(disk, c);
		for (k = 0; same && k < disk->nans; k++) {
			answer *a = &disk->ans[k];
			if (find(c, a->is_cp, a->req, a->bold, a->italic, a->cp) != NULL)
				continue;
			if (c->nans == MAX_ANSWERS ||
			    er_grow(&c->ans, &c->capans, c->nans, sizeof *c->ans, 16) != ER_OK)
				break;
			c->ans[c->nans++] = *a;
			memset(a, 0, sizeof *a); /* moved: its strings are c's now */
		}
	}
	er_fcache_free(disk);
}

/* Takes the lock beside the cache file (path.lock, an fcntl lock: held by
 * this process, released when the returned descriptor is closed or the
 * process ends). Without it, two workers saving at once each merge what
 * was on disk before either wrote, and the later rename loses the
 * other's answers. -1 when it cannot be had: saved unlocked, as before. */
static int lock_beside(const char *path)
{
	er_buf name = ER_BUF_INIT;
	struct flock fl;
	int fd = -1;

	if (er_buf_printf(&name, "%s.lock", path) == ER_OK)
		fd = open(name.data, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	er_buf_free(&name);
	if (fd < 0)
		return -1;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET; /* l_start 0, l_len 0: the whole file */
	while (fcntl(fd, F_SETLKW, &fl) != 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void er_fcache_save(er_fcache *c)
{
	er_buf b = ER_BUF_INIT, tmp = ER_BUF_INIT;
	FILE *fp = NULL;
	int fd = -1, lock = -1, ok;

	if (c == NULL || !c->dirty || !c->stamped)
		return;
	/* Something fontconfig depends on changed during this run: what it
	 * answered may already be stale, so it is not kept. */
	if (!stamps_hold(c) || !env_matches(c))
		return;
	/* Something changed just before or while fontconfig loaded: its answers
	 * may predate the state the stamps describe. Saved by a later run. */
	if (racy(c))
		return;
	make_folders(c->path);
	/* From reading what others saved to renaming ours into place. */
	lock = lock_beside(c->path);
	merge_saved(c);
	if (er_fcache_serialize(c, &b) != ER_OK || er_buf_printf(&tmp, "%s.XXXXXX", c->path) != ER_OK)
		goto done;
	fd = mkstemp(tmp.data);
	if (fd < 0)
		goto done;
	fp = fdopen(fd, "wb");
	if (fp == NULL) {
		close(fd);
		unlink(tmp.data);
		goto done;
	}
	ok = fwrite(b.data, 1, b.len, fp) == b.len;
	ok = fclose(fp) == 0 && ok;
	/* No fsync: a torn file fails its end line and is rebuilt. */
	if (!ok || rename(tmp.data, c->path) != 0)
		unlink(tmp.data);
	else
		c->dirty = 0;
done:
	if (lock >= 0)
		close(lock); /* releases the lock */
	er_buf_free(&b);
	er_buf_free(&tmp);
}
