/* Unit tests: the cache of fontconfig's answers (text/font_cache.c).
 *
 * fontconfig reads a configuration of our own (FONTCONFIG_FILE, including
 * the system's), so that touching it is a change of configuration the
 * cache must notice. Every file lives in a temporary folder made here in
 * the working directory (the build tree under ctest), and HOME and XDG_*
 * point into it: nothing depends on, or lands in, the real home. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "text/font_cache.h"
#include "text/text_int.h"
#include "test.h"
#include "test_diag.h"

static char dir[64], cache[128], conf[128], fake[128];

/* FreeType's version as fonts.c gives it to the cache. */
#define FT_VERSION ((long)FREETYPE_MAJOR * 10000 + FREETYPE_MINOR * 100 + FREETYPE_PATCH)

static void write_file(const char *path, const char *s, size_t n)
{
	FILE *fp = fopen(path, "wb");
	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	CHECK_INT(fwrite(s, 1, n, fp), n);
	fclose(fp);
}

static char *read_all(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *s = NULL;
	long len;

	*n = 0;
	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (s = malloc((size_t)len + 1)) != NULL) {
		*n = fread(s, 1, (size_t)len, fp);
		s[*n] = '\0';
	}
	fclose(fp);
	return s;
}

/* Moves a file's modification time a second on (same size, same inode). */
static void touch_later(const char *path)
{
	struct stat st;
	struct timespec ts[2];

	CHECK_INT(stat(path, &st), 0);
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	ts[1].tv_sec += 1;
	CHECK_INT(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* Copies a file (a font into a test's font folder). */
static void copy_file(const char *from, const char *to)
{
	size_t n;
	char *s = read_all(from, &n);

	CHECK(s != NULL && n > 0);
	if (s != NULL)
		write_file(to, s, n);
	free(s);
}

/* rm -r: what fontconfig and the tests leave in the temporary folder. */
static void rm_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char sub[4096];

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			rm_tree(sub);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Waits until what was just written is old enough to be trusted as a
 * stamp: the cache is not saved while a stamp is less than 2 s older than
 * fontconfig's load (font_cache.c, RACY_S). */
static void settle(void)
{
	struct timespec ts = {2, 200000000};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* What a registry answers, to compare a cold run with a warm one. */
typedef struct answers {
	char file[3][512];
	int index[3];
	char family[3][128];
	int st_missing;
	char missing_msg[512];
	int quiet_id;
	int cp_found[3];
	char cp_file[3][512];
} answers;

static const uint32_t cps[3] = {0x4e00, 0x2603, 0x10fffd};

static void ask(er_text *t, recorder *rec, answers *a)
{
	static const struct {
		const char *family;
		int bold, italic;
	} q[3] = {{"Liberation Sans", 0, 0}, {"Liberation Sans", 1, 0}, {"DejaVu Sans", 0, 1}};
	int i, id;
	const char *f;

	memset(a, 0, sizeof *a);
	for (i = 0; i < 3; i++) {
		CHECK_INT(er_text_font(t, q[i].family, q[i].bold, q[i].italic, &id), ER_OK);
		f = er_text_font_file(t, id, &a->index[i]);
		snprintf(a->file[i], sizeof a->file[i], "%s", f ? f : "");
		f = er_text_font_family(t, id);
		snprintf(a->family[i], sizeof a->family[i], "%s", f ? f : "");
	}
	rec->last[0] = '\0';
	a->st_missing = er_text_font(t, "No Such Font", 1, 0, &id);
	snprintf(a->missing_msg, sizeof a->missing_msg, "%s", rec->last);
	CHECK_INT(er_text_font_quiet(t, "Also Not Installed", 0, 0, &a->quiet_id), ER_OK);
	for (i = 0; i < 3; i++) {
		CHECK_INT(er_text_search_cp(t, cps[i], &id), ER_OK);
		a->cp_found[i] = id >= 0;
		f = id >= 0 ? er_text_font_file(t, id, NULL) : "";
		snprintf(a->cp_file[i], sizeof a->cp_file[i], "%s", f);
	}
}

static void same_answers(const answers *a, const answers *b)
{
	int i;

	for (i = 0; i < 3; i++) {
		CHECK_STR(a->file[i], b->file[i]);
		CHECK_INT(a->index[i], b->index[i]);
		CHECK_STR(a->family[i], b->family[i]);
		CHECK_INT(a->cp_found[i], b->cp_found[i]);
		CHECK_STR(a->cp_file[i], b->cp_file[i]);
	}
	CHECK_INT(a->st_missing, b->st_missing);
	CHECK_STR(a->missing_msg, b->missing_msg);
	CHECK_INT(a->quiet_id, b->quiet_id);
}

/* A registry on the cache file: warm or not, and whether the questions of
 * ask() needed fontconfig. */
static void run(recorder *rec, er_diag_sink *sink, answers *a, int want_warm, int want_loaded)
{
	er_text *t = NULL;

	CHECK_INT(er_text_new_cached(sink, cache, &t), ER_OK);
	if (t == NULL)
		return;
	CHECK_INT(er_text_cache_warm(t), want_warm);
	CHECK_INT(er_text_fontconfig_loaded(t), 0); /* lazy, warm or not */
	ask(t, rec, a);
	CHECK_INT(er_text_fontconfig_loaded(t), want_loaded);
	er_text_save_cache(t);
	er_text_free(t);
}

static void test_cold_warm(recorder *rec, er_diag_sink *sink)
{
	answers plain, cold, warm;
	er_text *t = NULL;
	char *s;
	size_t n;

	/* Without a cache: the reference answers. */
	CHECK_INT(er_text_new(sink, &t), ER_OK);
	if (t == NULL)
		return;
	CHECK_INT(er_text_fontconfig_loaded(t), 1);
	ask(t, rec, &plain);
	er_text_free(t);
	CHECK_INT(plain.st_missing, ER_ERR_DATA);
	CHECK(strstr(plain.missing_msg, "font family \"No Such Font\" is not installed") != NULL);
	CHECK_INT(plain.quiet_id, -1);
	CHECK_INT(plain.cp_found[2], 0); /* a private-use code point: no font */

	run(rec, sink, &cold, 0, 1); /* no file yet: fontconfig answers */
	same_answers(&plain, &cold);
	run(rec, sink, &warm, 1, 0); /* every answer, negative ones too, from the file */
	same_answers(&plain, &warm);

	/* A changed configuration file discards the whole cache. While the
	 * change is younger than 2 s, fontconfig could have read the file
	 * either way: nothing is saved. A later run saves. */
	touch_later(conf);
	run(rec, sink, &cold, 0, 1);
	same_answers(&plain, &cold);
	run(rec, sink, &cold, 0, 1);
	settle();
	run(rec, sink, &cold, 0, 1);
	run(rec, sink, &warm, 1, 0);

	/* So does a variable fontconfig reads (the default language). */
	setenv("FC_LANG", "ja", 1);
	t = NULL;
	CHECK_INT(er_text_new_cached(sink, cache, &t), ER_OK);
	CHECK_INT(er_text_cache_warm(t), 0);
	er_text_free(t); /* learned nothing: the file stays as it is */
	unsetenv("FC_LANG");
	run(rec, sink, &warm, 1, 0);

	/* A torn file (its end line missing) and garbage are ignored. */
	s = read_all(cache, &n);
	CHECK(s != NULL && n > 100);
	if (s != NULL) {
		write_file(cache, s, n - 3);
		run(rec, sink, &cold, 0, 1);
		same_answers(&plain, &cold);
		s[n / 2] ^= 1; /* one bit: the hash sees it */
		write_file(cache, s, n);
		run(rec, sink, &cold, 0, 1);
		write_file(cache, "\x00\xff garbage\nend 0 0\n", 18);
		run(rec, sink, &cold, 0, 1);
		same_answers(&plain, &cold);
		run(rec, sink, &warm, 1, 0);
	}
	free(s);
}

/* fontconfig failing to load behind a cache: the status comes back from
 * every call that needs it, with the message er_text_new gives, once per
 * sink. (A real failure cannot be provoked: fontconfig falls back to a
 * built-in configuration; the registry is told it failed.) */
static void test_fc_failure(void)
{
	recorder r1 = {0, ""}, r2 = {0, ""};
	er_diag_sink s1 = {record, &r1, 0, 0}, s2 = {record, &r2, 0, 0};
	er_text *t = NULL;
	uint32_t cps_out[4];
	size_t count;
	int id, latin;

	unlink(cache);
	CHECK_INT(er_text_new_cached(&s1, cache, &t), ER_OK);
	if (t == NULL)
		return;
	CHECK_INT(er_text_cache_warm(t), 0);
	t->fc_failed = 1;
	CHECK_INT(er_text_search_cp(t, 0x4e00, &id), ER_ERR_INTERNAL);
	CHECK_INT(r1.count, 1);
	CHECK_STR(r1.last, "fontconfig could not load its configuration (see fc-cache -v)");
	CHECK_INT(er_text_font(t, "Liberation Sans", 0, 0, &latin), ER_ERR_INTERNAL);
	CHECK_INT(r1.count, 1); /* told once */
	er_text_set_diag(t, &s2);
	CHECK_INT(er_text_load_fontconfig(t), ER_ERR_INTERNAL);
	CHECK_INT(r2.count, 1);
	CHECK_STR(r2.last, r1.last);
	er_text_free(t);

	/* Behind the fallback chain: er_text_missing returns it. */
	t = NULL;
	r1.count = 0;
	CHECK_INT(er_text_new_cached(&s1, cache, &t), ER_OK);
	if (t == NULL)
		return;
	CHECK_INT(er_text_load_fontconfig(t), ER_OK);
	CHECK_INT(er_text_font(t, "Liberation Sans", 0, 0, &latin), ER_OK);
	FcConfigDestroy(t->fc); /* as if it had never loaded */
	t->fc = NULL;
	t->fc_failed = 1;
	t->fb_done[0] = 1; /* an empty chain: U+E000 goes to the search */
	t->fb[0][0] = t->fb[0][1] = t->fb[0][2] = -1;
	CHECK_INT(er_text_missing(t, latin, "\xee\x80\x80", 3, cps_out, 4, &count, NULL),
	          ER_ERR_INTERNAL);
	CHECK_INT(r1.count, 1);
	er_text_free(t);
	unlink(cache);
}

/* As batch does: one registry made before forking, workers asking and
 * saving at once. The file must come out whole, with right answers. */
static void test_workers(recorder *rec, er_diag_sink *sink)
{
	static const char *const fam[4] = {"Liberation Serif", "Liberation Mono", "DejaVu Serif",
	                                   "No Such Font Either"};
	answers plain, warm;
	er_text *t = NULL;
	pid_t pid[4];
	struct stat st0, st1;
	int k, status, id;

	unlink(cache);
	CHECK_INT(er_text_new(sink, &t), ER_OK);
	if (t == NULL)
		return;
	ask(t, rec, &plain);
	er_text_free(t);
	t = NULL;
	CHECK_INT(er_text_new_cached(sink, cache, &t), ER_OK);
	if (t == NULL)
		return;
	CHECK_INT(er_text_load_fontconfig(t), ER_OK); /* the cache is cold: preload */
	for (k = 0; k < 4; k++) {
		int before = test_failures;
		pid[k] = fork();
		if (pid[k] == 0) {
			/* A failed check here is counted in this process only: the
			 * exit status carries it to the parent. */
			ask(t, rec, &warm);
			same_answers(&plain, &warm);
			(void)er_text_font_quiet(t, fam[k], k & 1, 0, &id);
			CHECK_INT(id >= 0, k < 3);
			er_text_save_cache(t);
			er_text_free(t);
			_exit(test_failures - before > 100 ? 100 : test_failures - before);
		}
		CHECK(pid[k] > 0);
	}
	for (k = 0; k < 4; k++)
		if (pid[k] > 0) {
			CHECK(waitpid(pid[k], &status, 0) == pid[k] && WIFEXITED(status));
			CHECK_INT(WEXITSTATUS(status), 0); /* the child's failed checks */
		}
	/* The parent learned nothing: it must not write the file. */
	CHECK_INT(stat(cache, &st0), 0);
	er_text_save_cache(t);
	er_text_free(t);
	CHECK_INT(stat(cache, &st1), 0);
	CHECK(st0.st_ino == st1.st_ino && st0.st_mtim.tv_sec == st1.st_mtim.tv_sec &&
	      st0.st_mtim.tv_nsec == st1.st_mtim.tv_nsec);
	run(rec, sink, &warm, 1, 0);
	same_answers(&plain, &warm);
	/* Each worker's own question made it into the merged file: answered
	 * without fontconfig, as fontconfig answers it. */
	for (k = 0; k < 4; k++) {
		er_text *p = NULL, *w = NULL;
		int want = -2, got = -2;
		CHECK_INT(er_text_new(sink, &p), ER_OK);
		CHECK_INT(er_text_new_cached(sink, cache, &w), ER_OK);
		if (p == NULL || w == NULL) {
			er_text_free(p);
			er_text_free(w);
			continue;
		}
		CHECK_INT(er_text_font_quiet(p, fam[k], k & 1, 0, &want), ER_OK);
		CHECK_INT(er_text_font_quiet(w, fam[k], k & 1, 0, &got), ER_OK);
		CHECK_INT(er_text_fontconfig_loaded(w), 0);
		CHECK_INT(got >= 0, want >= 0);
		if (got >= 0 && want >= 0) {
			CHECK_STR(er_text_font_file(w, got, NULL), er_text_font_file(p, want, NULL));
			CHECK_STR(er_text_font_family(w, got), er_text_font_family(p, want));
		}
		er_text_free(p);
		er_text_free(w);
	}
}

/* A font added to a font folder fontconfig knows: the folder's stamp
 * changes, so a cached "not installed" for its family is not used. The
 * configuration knows one folder of our own (and one other font in it:
 * with no font at all fontconfig gives no definite answer to cache). */
static void test_new_font(const char *abs_dir)
{
	char fonts[4300], confpath[4300], cachedir[4300], font[4400], data[13400];
	char path2[4300], *saved_conf = NULL;
	const char *old = getenv("FONTCONFIG_FILE"), *file, *fam;
	er_text *t = NULL;
	int n, id = -2, index;

	if (old != NULL && (saved_conf = strdup(old)) == NULL)
		return;
	snprintf(fonts, sizeof fonts, "%s/fonts", abs_dir);
	snprintf(cachedir, sizeof cachedir, "%s/fc-cache", abs_dir);
	snprintf(confpath, sizeof confpath, "%s/own/fonts.conf", abs_dir);
	snprintf(path2, sizeof path2, "%s/new-font.cache", abs_dir);
	CHECK_INT(mkdir(fonts, 0700), 0);
	snprintf(font, sizeof font, "%s/own", abs_dir);
	CHECK_INT(mkdir(font, 0700), 0);
	snprintf(font, sizeof font, "%s/LiberationMono-Regular.ttf", fonts);
	copy_file("/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf", font);
	n = snprintf(data, sizeof data,
	             "<?xml version=\"1.0\"?>\n<fontconfig>\n<dir>%s</dir>\n"
	             "<cachedir>%s</cachedir>\n</fontconfig>\n",
	             fonts, cachedir);
	write_file(confpath, data, (size_t)n);
	setenv("FONTCONFIG_FILE", confpath, 1);
	settle();

	/* Cold: fontconfig says "not installed", and it is saved. */
	CHECK_INT(er_text_new_cached(NULL, path2, &t), ER_OK);
	CHECK_INT(er_text_font_quiet(t, "DejaVu Sans", 0, 0, &id), ER_OK);
	CHECK_INT(id, -1);
	CHECK_INT(er_text_fontconfig_loaded(t), 1);
	er_text_save_cache(t);
	er_text_free(t);
	/* Warm: the same from the file. */
	t = NULL;
	CHECK_INT(er_text_new_cached(NULL, path2, &t), ER_OK);
	CHECK_INT(er_text_cache_warm(t), 1);
	CHECK_INT(er_text_font_quiet(t, "DejaVu Sans", 0, 0, &id), ER_OK);
	CHECK_INT(id, -1);
	CHECK_INT(er_text_fontconfig_loaded(t), 0);
	er_text_free(t);

	/* Installed now: the cache is stale, fontconfig finds the new file. */
	snprintf(font, sizeof font, "%s/DejaVuSans.ttf", fonts);
	copy_file("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", font);
	t = NULL;
	CHECK_INT(er_text_new_cached(NULL, path2, &t), ER_OK);
	CHECK_INT(er_text_cache_warm(t), 0);
	CHECK_INT(er_text_font_quiet(t, "DejaVu Sans", 0, 0, &id), ER_OK);
	CHECK(id >= 0);
	if (id >= 0)
		CHECK_STR(er_text_font_file(t, id, NULL), font);
	/* The only font here with a snowman: found, and remembered. */
	CHECK_INT(er_text_search_cp(t, 0x2603, &id), ER_OK);
	CHECK(id >= 0);
	CHECK_INT(er_fcache_cp(t->cache, 0x2603, &file, &index, &fam), ER_FCACHE_FOUND);
	er_text_free(t);

	/* Rewritten in place so that FreeType cannot open it (as a chmod would
	 * do, for a user who is not root): fontconfig still lists it (its
	 * folder did not change), the search passes over it, and the "none"
	 * it ends with is not remembered: once the file opens again, what the
	 * cache compares of it need not change (a chmod back changes ctime
	 * only), and the answer would stay wrong. */
	{
		FILE *fp = fopen(font, "r+b");
		static const char zeros[4096];
		CHECK(fp != NULL);
		if (fp != NULL) {
			CHECK_INT(fwrite(zeros, 1, sizeof zeros, fp), sizeof zeros);
			fclose(fp);
		}
	}
	t = NULL;
	CHECK_INT(er_text_new_cached(NULL, path2, &t), ER_OK);
	CHECK_INT(er_text_search_cp(t, 0x2603, &id), ER_OK);
	CHECK_INT(id, -1);
	CHECK_INT(er_text_fontconfig_loaded(t), 1);
	CHECK_INT(er_fcache_cp(t->cache, 0x2603, &file, &index, &fam), ER_FCACHE_MISS);
	er_text_free(t);

	if (saved_conf != NULL)
		setenv("FONTCONFIG_FILE", saved_conf, 1);
	else
		unsetenv("FONTCONFIG_FILE");
	free(saved_conf);
}

/* An answer whose font file changed is not used; the others still are. */
static void test_answer_file(void)
{
	struct timespec started;
	FcConfig *fc;
	er_fcache *c;
	const char *file = NULL, *fam = NULL;
	int index = -1;
	char path2[160];

	CHECK_INT(clock_gettime(CLOCK_REALTIME, &started), 0);
	fc = FcInitLoadConfigAndFonts();
	CHECK(fc != NULL);
	if (fc == NULL)
		return;
	snprintf(path2, sizeof path2, "%s/answers.cache", dir);
	write_file(fake, "not really a font", 17);
	c = er_fcache_open(path2, FT_VERSION);
	CHECK(c != NULL && !er_fcache_warm(c));
	er_fcache_stamp(c, fc, &started);
	CHECK_INT(er_fcache_family(c, "Fake Sans", 0, 0, &file, &index, &fam), ER_FCACHE_MISS);
	CHECK_INT(er_fcache_add_family(c, "Fake Sans", 0, 0, fake, 2, "Fake Sans"), ER_OK);
	CHECK_INT(er_fcache_add_family(c, "Gone Sans", 1, 1, NULL, 0, NULL), ER_OK);
	CHECK_INT(er_fcache_add_cp(c, 0x1f600, NULL, 0, NULL), ER_OK);
	er_fcache_save(c);
	er_fcache_free(c);

	c = er_fcache_open(path2, FT_VERSION);
	CHECK(er_fcache_warm(c));
	CHECK_INT(er_fcache_family(c, "Fake Sans", 0, 0, &file, &index, &fam), ER_FCACHE_FOUND);
	CHECK_STR(file, fake);
	CHECK_INT(index, 2);
	CHECK_INT(er_fcache_family(c, "Fake Sans", 1, 0, &file, &index, &fam), ER_FCACHE_MISS);
	CHECK_INT(er_fcache_family(c, "Gone Sans", 1, 1, &file, &index, &fam), ER_FCACHE_NONE);
	CHECK_INT(er_fcache_cp(c, 0x1f600, &file, &index, &fam), ER_FCACHE_NONE);
	er_fcache_free(c);

	/* Answers of another FreeType are not used (a face it could not load
	 * or a glyph it did not find may differ in this one). */
	c = er_fcache_open(path2, FT_VERSION + 1);
	CHECK(c != NULL && !er_fcache_warm(c));
	er_fcache_free(c);

	/* A chmod changes nothing but the change time: it counts too (a font
	 * FreeType could not open may open now). */
	{
		/* Past the file system clock's tick (a jiffy): a new ctime. */
		struct timespec tick = {0, 20000000};
		nanosleep(&tick, NULL);
	}
	CHECK_INT(chmod(fake, 0600), 0);
	c = er_fcache_open(path2, FT_VERSION);
	CHECK(er_fcache_warm(c));
	CHECK_INT(er_fcache_family(c, "Fake Sans", 0, 0, &file, &index, &fam), ER_FCACHE_MISS);
	CHECK_INT(er_fcache_family(c, "Gone Sans", 1, 1, &file, &index, &fam), ER_FCACHE_NONE);
	er_fcache_free(c);

	write_file(fake, "not really a font!", 18); /* another size */
	c = er_fcache_open(path2, FT_VERSION);
	CHECK(er_fcache_warm(c));
	CHECK_INT(er_fcache_family(c, "Fake Sans", 0, 0, &file, &index, &fam), ER_FCACHE_MISS);
	CHECK_INT(er_fcache_family(c, "Gone Sans", 1, 1, &file, &index, &fam), ER_FCACHE_NONE);
	er_fcache_free(c);
	unlink(path2);
	FcConfigDestroy(fc);
}

/* The start of a hand-made cache file, every variable unset. */
static void header(er_buf *b)
{
	static const char *const names[] = {
		"FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "HOME", "XDG_CONFIG_HOME",
		"XDG_DATA_HOME",   "FC_LANG",         "LC_ALL",             "LC_CTYPE", "LANG",
	};
	size_t i;

	CHECK_INT(er_buf_puts(b, "ecoreport font cache 2\nquery 1\nfreetype 21302\nfontconfig 21401\n"), ER_OK);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		CHECK_INT(er_buf_printf(b, "env %s -\n", names[i]), ER_OK);
}

/* Appends the end line that makes b's bytes a valid file. */
static void seal(er_buf *b)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < b->len; i++) {
		h ^= (unsigned char)b->data[i];
		h *= 0x100000001b3ULL;
	}
	CHECK_INT(er_buf_printf(b, "end %zu %llu\n", b->len, (unsigned long long)h), ER_OK);
}

/* header + body + end line, parsed. */
static er_status parse_body(er_fcache *c, const char *body)
{
	er_buf b = ER_BUF_INIT;
	er_status st;

	header(&b);
	CHECK_INT(er_buf_puts(&b, body), ER_OK);
	seal(&b);
	st = er_fcache_parse(c, b.data, b.len);
	er_buf_free(&b);
	return st;
}

/* A file with more records than the parser takes (20,000 of a kind) is
 * ignored whole. (The parser stops at the cap rather than look for
 * duplicates record by record, 4e10 comparisons for 4 MB; the suite does
 * not time it: timed checks fail on a busy machine, not on a bug.) */
static void test_cap(er_fcache *c)
{
	er_buf b = ER_BUF_INIT;
	uint32_t cp;

	header(&b);
	for (cp = 0; cp < 20000; cp++)
		CHECK_INT(er_buf_printf(&b, "char %u 0\n", (unsigned)cp), ER_OK);
	seal(&b);
	CHECK_INT(er_fcache_parse(c, b.data, b.len), ER_OK); /* at the cap: taken */
	er_buf_free(&b);

	header(&b);
	for (cp = 0; cp < 280000; cp++)
		CHECK_INT(er_buf_printf(&b, "char %u 0\n", (unsigned)cp), ER_OK);
	seal(&b);
	CHECK_INT(er_fcache_parse(c, b.data, b.len), ER_ERR_DATA);
	er_buf_free(&b);

	/* Stamps too, with long shared prefixes (a strcmp each is slow). */
	header(&b);
	for (cp = 0; cp < 20001; cp++)
		CHECK_INT(er_buf_printf(&b, "stamp 110:/%0100u/x.conf 0\n", (unsigned)cp), ER_OK);
	seal(&b);
	CHECK_INT(er_fcache_parse(c, b.data, b.len), ER_ERR_DATA);
	er_buf_free(&b);
}

/* The parser on hand-made input: paths with spaces, tabs and newlines
 * round-trip through LEN:BYTES; anything malformed is refused whole. */
static void test_parse(void)
{
	er_fcache *c = er_fcache_open("/nonexistent/er-font-cache-test", FT_VERSION);
	static const char *const bad[] = {
		"",
		"ecoreport font cache 1\n",
		"ecoreport font cache 2\nfontconfig 1\n",
		"ecoreport font cache 1\nfontconfig 99999999999999999999999\n",
		/* another version of fonts.c's questions: a file of another
		 * ecoreport, ignored (sealed or not) */
		"ecoreport font cache 2\nquery 999\nfreetype 1\nfontconfig 1\nend 0 0\n",
	};
	size_t i;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK(!er_fcache_warm(c));
	er_buf b = ER_BUF_INIT, out = ER_BUF_INIT;
	const char *file, *fam;
	int index;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_INT(er_fcache_parse(c, bad[i], strlen(bad[i])), ER_ERR_DATA);

	/* A valid file with tabs, newlines and spaces in its strings comes
	 * back byte for byte, and its answers read as written. */
	header(&b);
	CHECK_INT(er_buf_puts(&b, "stamp 12:/a\tb\nc d/e f 0\n"
	                          "stamp 5:/x\ny\n 1 1700000000 5 1700000001 999999999 42 7\n"
	                          "family 1 0 9:Odd\tName\n 1 3 9:Odd\tName\n 12:/f\no\tn t.ttf "
	                          "1700000000 0 1700000000 0 100 9\n"
	                          "family 0 0 9:Odd\tName\n 0\n"
	                          "char 19968 1 0 3:A\nB 6:/g\th\ni 1 2 3 4 5 6\n"
	                          "char 9731 0\n"),
	          ER_OK);
	seal(&b);
	CHECK_INT(er_fcache_parse(c, b.data, b.len), ER_OK);
	CHECK_INT(er_fcache_serialize(c, &out), ER_OK);
	CHECK(out.len == b.len && memcmp(out.data, b.data, b.len) == 0);
	CHECK_INT(er_fcache_family(c, "Odd\tName\n", 0, 0, &file, &index, &fam), ER_FCACHE_NONE);
	CHECK_INT(er_fcache_cp(c, 0x2603, &file, &index, &fam), ER_FCACHE_NONE);
	er_buf_free(&b);
	er_buf_free(&out);

	{
		er_buf q = ER_BUF_INIT;
		CHECK_INT(er_buf_puts(&q, "ecoreport font cache 2\nquery 2\nfreetype 21302\n"
		                          "fontconfig 21401\n"), ER_OK);
		seal(&q);
		CHECK_INT(er_fcache_parse(c, q.data, q.len), ER_ERR_DATA);
		er_buf_free(&q);
	}
	/* A LEN past the end of the file, or past any number. */
	CHECK_INT(parse_body(c, "stamp 99999:/x 0\n"), ER_ERR_DATA);
	CHECK_INT(parse_body(c, "stamp 99999999999999999999999:/x 0\n"), ER_ERR_DATA);
	CHECK_INT(parse_body(c, "family 0 0 500:Sans 0\n"), ER_ERR_DATA);
	/* A nanosecond field of a second or more. */
	CHECK_INT(parse_body(c, "stamp 2:/x 1 1 1000000000 1 0 5 6\n"), ER_ERR_DATA);
	/* Duplicates are never written: a file with them is not ours. */
	CHECK_INT(parse_body(c, "stamp 2:/x 0\nstamp 2:/y 0\nstamp 2:/x 0\n"), ER_ERR_DATA);
	CHECK_INT(parse_body(c, "char 5 0\nchar 6 0\nchar 5 0\n"), ER_ERR_DATA);
	CHECK_INT(parse_body(c, "family 0 1 1:A 0\nfamily 0 1 1:A 0\n"), ER_ERR_DATA);
	/* The same family in another style is another question. */
	CHECK_INT(parse_body(c, "family 0 1 1:A 0\nfamily 1 1 1:A 0\nchar 65 0\n"), ER_OK);
	/* A record behind the end line, or no end line. */
	CHECK_INT(parse_body(c, ""), ER_OK);
	header(&b);
	seal(&b);
	CHECK_INT(er_buf_puts(&b, "char 5 0\n"), ER_OK);
	CHECK_INT(er_fcache_parse(c, b.data, b.len), ER_ERR_DATA);
	er_buf_free(&b);

	test_cap(c);
	er_fcache_free(c);
}

static void test_path(void)
{
	char *p = NULL;

	CHECK_INT(er_text_cache_path("off", "/x", "/h", &p), ER_OK);
	CHECK(p == NULL);
	CHECK_INT(er_text_cache_path("/a b/c", "/x", "/h", &p), ER_OK);
	CHECK_STR(p, "/a b/c");
	free(p);
	CHECK_INT(er_text_cache_path("", "/x", "/h", &p), ER_OK);
	CHECK_STR(p, "/x/ecoreport/fonts.cache");
	free(p);
	CHECK_INT(er_text_cache_path(NULL, "relative", "/h", &p), ER_OK);
	CHECK_STR(p, "/h/.cache/ecoreport/fonts.cache");
	free(p);
	CHECK_INT(er_text_cache_path(NULL, NULL, "", &p), ER_OK);
	CHECK(p == NULL);
	CHECK_INT(er_text_cache_path(NULL, NULL, NULL, &p), ER_OK);
	CHECK(p == NULL);
}

int main(void)
{
	recorder rec = {0, ""};
	er_diag_sink sink = {record, &rec, 0, 0};
	char confdata[256], cwd[4096], abs_dir[4200], path[4300];
	int n;

	snprintf(dir, sizeof dir, "fc-test-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	/* A cache in a folder that does not exist yet: saving makes it. */
	snprintf(cache, sizeof cache, "%s/sub folder/fonts.cache", dir);
	/* In a folder of its own: the cache stamps the folders of configuration
	 * files, and the cache's own files must not change those. */
	snprintf(conf, sizeof conf, "%s/conf", dir);
	mkdir(conf, 0700);
	snprintf(conf, sizeof conf, "%s/conf/fonts.conf", dir);
	snprintf(fake, sizeof fake, "%s/fake font.ttf", dir);
	n = snprintf(confdata, sizeof confdata,
	             "<?xml version=\"1.0\"?>\n<fontconfig>\n"
	             "<include ignore_missing=\"no\">/etc/fonts/fonts.conf</include>\n"
	             "</fontconfig>\n");
	write_file(conf, confdata, (size_t)n);
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	snprintf(abs_dir, sizeof abs_dir, "%s/%s", cwd, dir);
	snprintf(path, sizeof path, "%s/%s", cwd, conf);
	setenv("FONTCONFIG_FILE", path, 1);
	/* A home of the test's own: the user locations the cache stamps, and
	 * whatever fontconfig writes for the user, are in the folder. */
	snprintf(path, sizeof path, "%s/home", abs_dir);
	mkdir(path, 0700);
	setenv("HOME", path, 1);
	snprintf(path, sizeof path, "%s/home/.config", abs_dir);
	setenv("XDG_CONFIG_HOME", path, 1);
	snprintf(path, sizeof path, "%s/home/.local/share", abs_dir);
	setenv("XDG_DATA_HOME", path, 1);
	snprintf(path, sizeof path, "%s/home/.cache", abs_dir);
	setenv("XDG_CACHE_HOME", path, 1);
	settle(); /* the configuration just written is a stamp */
	test_path();
	test_parse();
	test_fc_failure();
	test_cold_warm(&rec, &sink);
	test_workers(&rec, &sink);
	test_answer_file();
	test_new_font(abs_dir);

	rm_tree(dir);
	return test_done("test_font_cache");
}
