/* Internal interfaces of libnprocfs: the generic parsers every schema file
 * builds on, and the macro that declares a schema. */
#ifndef NPROCFS_INTERNAL_H
#define NPROCFS_INTERNAL_H

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <nprocfs/nprocfs.h>
#include <nprocfs/records.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p) {
        free(*(void **)p);
}
#define _cleanup_free_ __attribute__((cleanup(freep)))

static inline void *take_ptr_(void **p) {
        void *t = *p;
        *p = NULL;
        return t;
}
#define TAKE_PTR(p) take_ptr_((void **)&(p))

/* What every schema definition says (its names, doc, record, scope,
 * flags and mode) and, for a table, its rows (struct nprocfs_<id>_row,
 * described by rows): the parts of a struct nprocfs_schema initializer
 * the macros below, and a hand-made definition, are made of. */
#define SCHEMA_HEAD(id, dir, src, sc, fl, md, dc)                                                                  \
        .name = dir, .name_len = sizeof(dir) - 1, .path = src, .doc = dc, .rec_size = sizeof(struct nprocfs_##id), \
        .scope = NPROCFS_SCOPE_##sc, .flags = fl, .mode = md
#define SCHEMA_ROWS(id, rows) \
        .row_fields = rows, .nrow_fields = NELEMS(rows), .row_size = sizeof(struct nprocfs_##id##_row)
#define SCHEMA_FIELDS_FIT(fa) static_assert(NELEMS(fa) <= NPROCFS_MAX_FIELDS, "too many fields")
#define SCHEMA_ROWS_FIT(rows) static_assert(NELEMS(rows) <= 64, "too many row fields")

/* Declares schema `id` (struct nprocfs_<id>) with its field table `fa`
 * and parse function. */
#define SCHEMA_DEFINE(id, fa, dir, src, sc, fl, md, parse_fn, dc) \
        SCHEMA_DEFINE_GROUPS(id, fa, dir, src, sc, fl, md, parse_fn, dc, NULL)

/* As SCHEMA_DEFINE, for a file whose fields come in groups (G rows) that
 * are each one `rn` ("limit"). */
#define SCHEMA_DEFINE_GROUPS(id, fa, dir, src, sc, fl, md, parse_fn, dc, rn) \
        SCHEMA_FIELDS_FIT(fa);                                               \
        const struct nprocfs_schema nprocfs_schema_##id = {                  \
                SCHEMA_HEAD(id, dir, src, sc, fl, md, dc),                   \
                .row_name = rn,                                              \
                .fields = fa,                                                \
                .nfields = NELEMS(fa),                                       \
                .parse = parse_fn,                                           \
        }

/* As SCHEMA_DEFINE, for a table file whose rows are struct nprocfs_<id>_row
 * described by row_fields, each one `rn` ("cpu"). */
#define SCHEMA_DEFINE_TABLE(id, dir, src, sc, fl, md, parse_fn, dc, rn) \
        SCHEMA_FIELDS_FIT(fields);                                      \
        SCHEMA_ROWS_FIT(row_fields);                                    \
        const struct nprocfs_schema nprocfs_schema_##id = {             \
                SCHEMA_HEAD(id, dir, src, sc, fl, md, dc),              \
                .row_name = rn,                                         \
                .fields = fields,                                       \
                .nfields = NELEMS(fields),                              \
                .parse = parse_fn,                                      \
                SCHEMA_ROWS(id, row_fields),                            \
        }

/* As SCHEMA_DEFINE_TABLE, for a table file the generic interpreter parses
 * by grammar g: no parse code of its own. */
#define SCHEMA_DEFINE_GRAMMAR(id, dir, src, sc, fl, md, g, dc, rn) \
        SCHEMA_DEFINE_GRAMMAR_ROWS(id, row_fields, dir, src, sc, fl, md, g, dc, rn)

/* As SCHEMA_DEFINE_GRAMMAR, with the row table named rows (a source that
 * holds two tables). A file with no fields of its own points .fields at
 * its rows: not NULL, which + 0 is not. */
#define SCHEMA_DEFINE_GRAMMAR_ROWS(id, rows, dir, src, sc, fl, md, g, dc, rn) \
        SCHEMA_ROWS_FIT(rows);                                                \
        const struct nprocfs_schema nprocfs_schema_##id = {                   \
                SCHEMA_HEAD(id, dir, src, sc, fl, md, dc),                    \
                .row_name = rn,                                               \
                .fields = rows,                                               \
                .nfields = 0,                                                 \
                .parse = np_parse_grammar,                                    \
                .grammar = &g,                                                \
                SCHEMA_ROWS(id, rows),                                        \
        }

/* As SCHEMA_DEFINE_GRAMMAR, for a file of record-level fields only (a
 * link: exe, cwd, root) that the generic interpreter parses by grammar g. */
#define SCHEMA_DEFINE_GRAMMAR_FIELDS(id, fa, dir, src, sc, fl, md, g, dc) \
        SCHEMA_FIELDS_FIT(fa);                                            \
        const struct nprocfs_schema nprocfs_schema_##id = {               \
                SCHEMA_HEAD(id, dir, src, sc, fl, md, dc),                \
                .fields = fa,                                             \
                .nfields = NELEMS(fa),                                    \
                .parse = np_parse_grammar,                                \
                .grammar = &g,                                            \
        }

/* The types stored as one u64 that np_field_set() converts with its
 * conv_u64() (a number, a mask, a mode, a number or "unlimited"); the fast
 * path of scan.h writes the same ones. */
static inline bool np_type_is_u64(unsigned type) {
        return type == NPROCFS_T_U64 || type == NPROCFS_T_MASK || type == NPROCFS_T_MAXU64 || type == NPROCFS_T_CAPS ||
               type == NPROCFS_T_SIGS || type == NPROCFS_T_MODE;
}

/* The decoder registry: for a conversion that has one, the function that
 * stores token s[0..len) into dst (the field's member) as f says; 0 or
 * -EIO. A new way of writing a value is one function and one entry here
 * (src/lib/decode.c), usable by any schema. */
typedef int (*np_decode_fn)(const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env,
                            void *dst);
extern const np_decode_fn np_decoders[NPROCFS_C__COUNT];

/* Whether a decoder takes the empty token of a missing last column (a
 * mapping with no pathname is anonymous): plain fields are then absent. */
bool np_decoder_takes_empty(enum nprocfs_conv c);

/* The generic interpreter: parses rec's buffer as rec->schema->grammar says. */
int np_parse_grammar(struct nprocfs_rec *rec, const struct nprocfs_env *env);

/* The link shapes (src/lib/links.c): their parse, and their reader, which
 * makes the source of path (a link, or a directory of them) in rec's
 * buffer, at most max bytes. */
int np_parse_links(struct nprocfs_rec *rec, const struct nprocfs_env *env);
ssize_t np_ctx_read_links(nprocfs_ctx *ctx, const char *path, size_t max, struct nprocfs_rec *rec);
size_t np_ctx_max_file(const nprocfs_ctx *ctx);

int np_parse_hex(const char *s, size_t len, uint64_t *ret);

static inline void rec_set(struct nprocfs_rec *rec, unsigned i) {
        rec->present[i / 64] |= UINT64_C(1) << (i % 64);
}

/* Stores the token s[0..len) into field f of base (a record or a row),
 * converting it as f says. s may be modified in place (lists, wide masks).
 * 0, -EIO for a token that is not what f expects, or -ENODATA when a
 * decoder finds the token lacks the part f names (a link that is no path
 * has no path): the field is then absent, the source not malformed. */
int np_field_set(void *base, const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env);

/* Parses "Key<sep> value" lines (status, meminfo, io, /proc/stat scalars)
 * into rec: whole-key match against the schema's keys, columns by pos,
 * unknown keys kept. other_line, when not NULL, sees each line first and
 * returns 1 if it handled it, 0 to let the table handle it, or an error.
 * A schema's own parse may instead expand this parser's row reader for
 * each of its rows (src/lib/rows-gen.h, as pid_status.c does): the same
 * result, fewer instructions. */
int np_parse_keyed(struct nprocfs_rec *rec, char sep, const struct nprocfs_env *env,
                   int (*other_line)(struct nprocfs_rec *rec, char *key, size_t klen, char *val, size_t vlen,
                                     const struct nprocfs_env *env));

/* Assigns the value of one "key value" line to the rows with that key, or
 * keeps it as an unknown key. hint is where the search for the key starts
 * (the row after the previous line's). val[vlen] is NUL or '\n' (the line
 * is one of a record's buffer). */
int np_keyed_assign(struct nprocfs_rec *rec, char *key, size_t klen, char *val, size_t vlen,
                    const struct nprocfs_env *env, size_t *hint);

/* Assigns the tokens of s[0..len), split on any byte of seps, to the fields
 * whose pos is first_pos, first_pos + 1, ... (fields sorted by pos; those
 * before first_pos are not for this line). Fields past the last token are
 * absent. -EIO if fewer than min_tokens tokens, or a token is bad. present
 * is the bitmap to mark (a record's or a row's). s[len] is NUL or '\n',
 * and not in seps (s is a record's buffer, or a line of it). */
int np_parse_positional(void *base, uint64_t *present, const struct nprocfs_field *fields, size_t nfields, char *s,
                        size_t len, const char *seps, unsigned first_pos, unsigned min_tokens,
                        const struct nprocfs_env *env);

/* Appends an unknown key to rec. -ENOMEM. */
int np_rec_add_extra(struct nprocfs_rec *rec, const char *key, size_t klen, const char *val, size_t vlen);

/* Appends a zeroed row to rec and returns it, or NULL (-ENOMEM). */
void *np_rec_add_row(struct nprocfs_rec *rec);

/* Trims blanks (space, tab, newline) on both ends. */
void np_trim(char **s, size_t *len);

/* Converts with saturation at UINT64_MAX. */
uint64_t np_mul_sat(uint64_t a, uint64_t b);
uint64_t np_ticks_to_ns(uint64_t ticks, uint64_t tps);

/* Resolves paths as on a kernel without openat2 (tests reach the fallback
 * through this). */
void np_ctx_disable_openat2(nprocfs_ctx *ctx);

/* Parses a snapshot's .nprocfs-machine into env (values it lacks stay). */
void np_machine_parse(const char *buf, size_t len, struct nprocfs_env *env);

/* Makes the source of rec's schema from path of ctx's root, in rec's
 * buffer: the schema's own reader where it has one (pagemap), else the
 * whole file, as np_ctx_read_whole(). */
ssize_t np_ctx_read_into(nprocfs_ctx *ctx, const char *path, struct nprocfs_rec *rec);

/* Reads the whole file path of ctx's root into rec's buffer. */
ssize_t np_ctx_read_whole(nprocfs_ctx *ctx, const char *path, struct nprocfs_rec *rec);

/* Opens path of ctx's root for reading as every source is opened (a
 * regular file only, never blocking on a FIFO, never opening a device),
 * for a reader that takes parts of it with pread: refused (-EFBIG) only
 * past max bytes, not past the context's size limit. *ret_size is its size
 * where it has one (a snapshot's file), else 0. A file descriptor the
 * caller closes, or a negative errno (-ENOENT for a process that is gone). */
int np_ctx_open_file(nprocfs_ctx *ctx, const char *path, uint64_t max, size_t *ret_size);

#endif
