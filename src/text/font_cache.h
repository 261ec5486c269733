/* font_cache.h - a file that remembers fontconfig's answers between runs.
 *
 * Loading fontconfig's configuration (some 90 XML files and 20 font-folder
 * caches here) costs more than drawing a chart. The answers ecoreport needs
 * from it are few and stable: which file a (family, bold, italic) request
 * lands on, or that the family is not installed; which file draws a code
 * point the fallback chain lacks, or none. This cache keeps them, with
 * what they depend on, so a run whose fonts are known never loads
 * fontconfig (matplotlib keeps its font list in ~/.cache for the same
 * reason).
 *
 * What the answers depend on is recorded as stamps (modification and
 * change times, size and inode, or "absent") of every configuration file and folder
 * fontconfig read, every font folder it knows, and the user locations it
 * would read if they appeared; plus the environment variables fontconfig
 * reads for its configuration and for the default language; and the
 * versions of what produced the answers: fontconfig, FreeType (which
 * decides whether a face loads and has a glyph) and ER_FCACHE_QUERY.
 * Any difference when loading discards the whole file. A cached
 * answer whose font file changed is not used.
 *
 * The file is a parser's untrusted input: any failure to read, parse or
 * write it is silent and only costs loading fontconfig. Nothing here
 * changes what fonts are found, so output bytes do not depend on it.
 *
 * The format (version 2) is text, one record a line; strings are written
 * as LENGTH:BYTES, so paths may hold any byte but NUL:
 *   ecoreport font cache 2
 *   query ER_FCACHE_QUERY    (another: the file is malformed)
 *   freetype VERSION         (MAJOR * 10000 + MINOR * 100 + PATCH)
 *   fontconfig VERSION       (FcGetVersion)
 *   env NAME -               (unset)  |  env NAME LEN:VALUE
 *   stamp LEN:PATH 0         (absent) |  stamp LEN:PATH 1 STAT
 *   family BOLD ITALIC LEN:REQUESTED 0                  (not installed)
 *   family BOLD ITALIC LEN:REQUESTED 1 INDEX LEN:FOUND LEN:FILE STAT
 *   char CP 0                                           (no font has it)
 *   char CP 1 INDEX LEN:FAMILY LEN:FILE STAT
 *   end BYTES FNV1A64        (how many bytes came before it and their
 *                             64-bit FNV-1a hash, in decimal: a torn or
 *                             edited file is ignored)
 * where STAT is MTIME_S MTIME_NS CTIME_S CTIME_NS SIZE INODE. env lines
 * come in a fixed order, all of them. */
#ifndef ER_FONT_CACHE_H
#define ER_FONT_CACHE_H

#include <fontconfig/fontconfig.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/buf.h"
#include "common/status.h"

typedef struct er_fcache er_fcache;

/* The version of the way fonts.c asks fontconfig and checks its answers
 * (the patterns, the family comparison, which fonts a code point search
 * accepts and in what order). Change it with them: answers saved by the
 * old logic are then ignored instead of outliving the upgrade. */
#define ER_FCACHE_QUERY 1

/* The answer of a lookup. */
enum { ER_FCACHE_MISS = -1, ER_FCACHE_NONE = 0, ER_FCACHE_FOUND = 1 };

/* The cache kept in the file at path (copied), for answers loaded with
 * FreeType version ft_version (as in the file). An absent, unreadable,
 * malformed or stale file gives an empty cache. NULL only when out of
 * memory. */
er_fcache *er_fcache_open(const char *path, long ft_version);
/* NULL is a no-op. Does not save. */
void er_fcache_free(er_fcache *c);
/* Whether the file held valid answers (possibly none). */
int er_fcache_warm(const er_fcache *c);

/* Parses a cache file's bytes without checking any stamp (the fuzz
 * target's entry). ER_ERR_DATA for anything malformed. Replaces what c
 * held. */
er_status er_fcache_parse(er_fcache *c, const char *s, size_t n);

/* Appends the file's bytes for c's stamps and answers (answers whose font
 * file was seen changed are left out), end line included. ER_ERR_NOMEM
 * only. */
er_status er_fcache_serialize(const er_fcache *c, er_buf *b);

/* Records the stamps of a freshly loaded configuration (borrowed). Answers
 * loaded from the file are dropped when they differ from the file's.
 * started: the time (CLOCK_REALTIME) taken before fontconfig began to load:
 * the stamps are taken after it, so a path that changed while fontconfig
 * read it could be stamped in its new state under answers from the old.
 * As git does for its index ("racy" entries), nothing is saved when a
 * stamp's time is not clearly before that moment (NULL: not known, so
 * nothing is saved). */
void er_fcache_stamp(er_fcache *c, FcConfig *fc, const struct timespec *started);

/* A (family, bold, italic) request: FOUND with *file, *index and *found
 * (owned by c, valid until the next add), NONE for "not installed", or
 * MISS. An answer whose font file changed is a MISS. */
int er_fcache_family(er_fcache *c, const char *family, int bold, int italic, const char **file,
                     int *index, const char **found);
/* A code point's font, as er_fcache_family. */
int er_fcache_cp(er_fcache *c, uint32_t cp, const char **file, int *index, const char **family);

/* Remembers an answer (file NULL: none); replaces an older one for the
 * same question. A positive answer whose file cannot be stat'ed is not
 * kept. Strings are copied. ER_ERR_NOMEM only (the caller may ignore it:
 * the answer is then asked again next time). */
er_status er_fcache_add_family(er_fcache *c, const char *family, int bold, int italic,
                               const char *file, int index, const char *found);
er_status er_fcache_add_cp(er_fcache *c, uint32_t cp, const char *file, int index,
                           const char *family);

/* Writes the file when something was learned since it was loaded, merged
 * with what other processes (batch workers) saved meanwhile: to a
 * temporary file in the same folder (created 0700 if missing), renamed
 * into place, under an fcntl lock on PATH.lock (left there) so that
 * concurrent saves do not lose each other's answers. Silent. */
void er_fcache_save(er_fcache *c);

/* A file in a user folder by the XDG rule: base/rel when base (an XDG_*
 * variable) is absolute, else home/fallback_rel rel (fallback_rel ends in
 * '/'), else none: *out NULL. *out is allocated (caller frees). The font
 * cache's own path and the user folders it stamps both follow it. */
er_status er_fcache_user_path(const char *base, const char *home, const char *fallback_rel,
                              const char *rel, char **out);

#endif
