/* The cache of parsed source files.
 *
 * A snapshot is one parse of one source file (a process's status, the
 * system's meminfo), flattened into one allocation: every entry the walker
 * yields, as a small directory tree (entry paths split at '/'), with each
 * value followed by its '\n' so a read is one copy. Every entry of a
 * directory read within the TTL comes from one snapshot, so they agree.
 *
 * Snapshots hang off a struct proc, the identity they were read for. On a
 * live root an identity holds its process's directory open (O_PATH): once
 * the process is gone, a lookup below that descriptor fails, whatever
 * process has the pid now. So a recycled pid is another identity and is
 * never served the old process's data: a cached parse is served only after
 * the identity is seen alive, and a parse counts only if the identity is
 * still alive after the read (a file read while its process lives is that
 * process's).
 *
 * Memory: the sweep (bg.c) frees snapshots past their TTL and identities no
 * node refers to; a reader holding a snapshot keeps it alive until it is
 * done. Parsing uses per-thread records and build buffers, so a parse
 * allocates once: the snapshot itself. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nprocfs/records.h>

#include "fs.h"

/* ---- per-thread scratch ----------------------------------------------- */

/* the longest directory path the builder remembers (deeper ones are found
 * name by name) */
#define PATH_DIR_MAX 512

struct builder {
        struct snap_ent *ents;
        size_t n, cap;
        char *arena;
        size_t alen, acap;
        uint32_t *hash;
        size_t hcap, halloc;
        /* the directory of the entry before: a file's rows come one after
         * the other, so most entries name the directory the last one did */
        uint32_t last_dir;
        size_t last_len; /* of its path, the final '/' included; 0: none */
        char last_path[PATH_DIR_MAX];
        const struct nprocfs_schema *schema; /* of the record being built */
};

/* How big the last snapshot of each schema was, so that the next one is
 * made in buffers of that size instead of doubling its way there (each
 * doubling copies the buffers and rehashes every name). Racy by design:
 * a hint, read and written by any thread. */
static _Atomic uint32_t size_hint_n[MAX_SCHEMAS], size_hint_arena[MAX_SCHEMAS];

struct scratch {
        struct nprocfs_rec *recs[MAX_SCHEMAS];
        struct nprocfs_rec *verify; /* stat, for identity checks */
        struct nprocfs_rec *status; /* status, for credentials */
        struct builder b;
};

void scratch_destroy(void *p) {
        struct scratch *sc = p;

        if (!sc)
                return;
        for (unsigned i = 0; i < MAX_SCHEMAS; i++)
                nprocfs_rec_free(sc->recs[i]);
        nprocfs_rec_free(sc->verify);
        nprocfs_rec_free(sc->status);
        free(sc->b.ents);
        free(sc->b.arena);
        free(sc->b.hash);
        free(sc);
}

static struct scratch *scratch_get(struct fs *fs) {
        struct scratch *sc = pthread_getspecific(fs->scratch_key);

        if (sc)
                return sc;
        sc = calloc(1, sizeof(*sc));
        if (!sc)
                return NULL;
        if (pthread_setspecific(fs->scratch_key, sc) != 0) {
                free(sc);
                return NULL;
        }
        return sc;
}

void scratch_release(struct fs *fs) {
        scratch_destroy(pthread_getspecific(fs->scratch_key));
        pthread_setspecific(fs->scratch_key, NULL);
}

/* Buffers kept per thread for the next parse, up to this size: a stranger's
 * 64 MiB command line must not stay pinned in every thread. */
#define SCRATCH_KEEP (1u << 20)

/* A slot's record, for a read into it. What the last read left there is
 * dead by now (a parse keeps only its snapshot, a credential check its
 * copy), so a buffer past SCRATCH_KEEP goes before the read: the records
 * not trimmed after their parse (the identity check's stat, the
 * credentials' status) hold a stranger's huge file only until the thread
 * reads one of their kind again. (A failed read frees its own buffer: the
 * library does.) */
static struct nprocfs_rec *scratch_rec(struct nprocfs_rec **slot, const struct nprocfs_schema *s) {
        if (!*slot && nprocfs_rec_new(s, slot) < 0)
                return NULL;
        if ((*slot)->cap > SCRATCH_KEEP)
                nprocfs_rec_release(*slot);
        return *slot;
}

struct nprocfs_rec *scratch_status(struct fs *fs) {
        struct scratch *sc = scratch_get(fs);
        return sc ? scratch_rec(&sc->status, &nprocfs_schema_pid_status) : NULL;
}

/* ---- building a snapshot ---------------------------------------------- */

static uint32_t name_hash(uint32_t parent, const char *s, size_t len) {
        uint64_t h = UINT64_C(0xcbf29ce484222325) ^ (parent * UINT64_C(0x9e3779b97f4a7c15));

        for (size_t i = 0; i < len; i++) {
                h ^= (unsigned char)s[i];
                h *= UINT64_C(0x100000001b3);
        }
        /* FNV's multiply carries low bits up, never down: mix before the
         * low bits pick a slot, or a table's rows (the same names under
         * directories numbered a few apart) pile into runs */
        h ^= h >> 33;
        h *= UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 33;
        return (uint32_t)h;
}

/* Room for len more arena bytes; their offset, or -EFBIG/-ENOMEM. */
static int64_t b_arena(struct builder *b, size_t len) {
        size_t off = b->alen;

        if (len > UINT32_MAX - b->alen)
                return -EFBIG; /* offsets are 32 bits; the library's file limit is far below */
        if (b->alen + len > b->acap) {
                size_t cap = b->acap ? b->acap : 4096;
                char *a;
                while (cap < b->alen + len)
                        cap *= 2;
                a = realloc(b->arena, cap);
                if (!a)
                        return -ENOMEM;
                b->arena = a;
                b->acap = cap;
        }
        b->alen += len;
        return (int64_t)off;
}

static void b_hash_insert(struct builder *b, uint32_t idx) {
        const struct snap_ent *e = &b->ents[idx];
        size_t mask = b->hcap - 1;

        for (size_t i = name_hash(e->parent, b->arena + e->name, e->name_len) & mask;; i = (i + 1) & mask)
                if (!b->hash[i]) {
                        b->hash[i] = idx + 1;
                        return;
                }
}

static int b_rehash(struct builder *b, size_t cap) {
        if (cap > b->halloc) {
                uint32_t *h = realloc(b->hash, cap * sizeof(*h));
                if (!h)
                        return -ENOMEM;
                b->hash = h;
                b->halloc = cap;
        }
        b->hcap = cap;
        memset(b->hash, 0, cap * sizeof(*b->hash));
        for (uint32_t i = 1; i < b->n; i++)
                b_hash_insert(b, i);
        return 0;
}

/* Empty, with room for n entries and arena bytes (the schema's last size). */
static int b_reset(struct builder *b, size_t n, size_t arena) {
        size_t cap = n < 64 ? 64 : n, hcap = 64;
        int64_t off;

        b->n = 0;
        b->alen = 0;
        b->last_len = 0;
        if (b->cap < cap) {
                struct snap_ent *v = realloc(b->ents, cap * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                b->ents = v;
                b->cap = cap;
        }
        if (arena > b->acap) {
                char *a = realloc(b->arena, arena);
                if (!a)
                        return -ENOMEM;
                b->arena = a;
                b->acap = arena;
        }
        while (hcap < 2 * cap)
                hcap *= 2;
        off = b_arena(b, 1);
        if (off < 0)
                return (int)off;
        b->arena[off] = 0;
        b->ents[0] = (struct snap_ent){ .parent = NONE, .next = NONE, .first = NONE, .last = NONE, .is_dir = 1 };
        b->n = 1;
        return b_rehash(b, hcap);
}

static uint32_t b_find(const struct builder *b, uint32_t parent, const char *name, size_t len) {
        size_t mask = b->hcap - 1;

        for (size_t i = name_hash(parent, name, len) & mask;; i = (i + 1) & mask) {
                uint32_t x = b->hash[i];
                const struct snap_ent *e;

                if (!x)
                        return NONE;
                e = &b->ents[x - 1];
                if (e->parent == parent && e->name_len == len && memcmp(b->arena + e->name, name, len) == 0)
                        return x - 1;
        }
}

/* Appends a name to directory parent; its index or a negative errno. */
static int64_t b_add(struct builder *b, uint32_t parent, const char *name, size_t len, bool is_dir) {
        struct snap_ent *e;
        int64_t off;
        uint32_t idx;

        if (b->n >= UINT32_MAX / 2)
                return -EFBIG;
        if (b->n == b->cap) {
                struct snap_ent *v = realloc(b->ents, b->cap * 2 * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                b->ents = v;
                b->cap *= 2;
        }
        if ((b->n + 1) * 2 > b->hcap) {
                int r = b_rehash(b, b->hcap * 2);
                if (r < 0)
                        return r;
        }
        off = b_arena(b, len + 1);
        if (off < 0)
                return off;
        memcpy(b->arena + off, name, len);
        b->arena[off + (int64_t)len] = 0;
        idx = (uint32_t)b->n++;
        e = &b->ents[idx];
        *e = (struct snap_ent){ .name = (uint32_t)off,
                                .name_len = (uint16_t)len,
                                .parent = parent,
                                .next = NONE,
                                .first = NONE,
                                .last = NONE,
                                .is_dir = is_dir };
        if (b->ents[parent].first == NONE)
                b->ents[parent].first = idx;
        else
                b->ents[b->ents[parent].last].next = idx;
        b->ents[parent].last = idx;
        b_hash_insert(b, idx);
        return idx;
}

static bool valid_name(const char *p, size_t len) {
        return len > 0 && len <= NAME_MAX_ && !(len == 1 && p[0] == '.') && !(len == 2 && p[0] == '.' && p[1] == '.') &&
               !memchr(p, 0, len);
}

/* The walker's callback: one entry into the tree. A source the kernel (or a
 * stranger's snapshot) wrote strangely may give two entries one name, or a
 * name no directory can hold: the first wins, the other is left out. */
static int b_entry(const struct nprocfs_entry *e, void *ud) {
        struct builder *b = ud;
        const char *p = e->path, *end = e->path + e->path_len;
        uint32_t dir = 0;

        if (b->last_len > 0 && b->last_len < e->path_len && memcmp(p, b->last_path, b->last_len) == 0 &&
            !memchr(p + b->last_len, '/', e->path_len - b->last_len)) {
                dir = b->last_dir; /* the directory the entry before named */
                p += b->last_len;
        }
        for (;;) {
                const char *slash = memchr(p, '/', (size_t)(end - p));
                size_t len = (size_t)((slash ? slash : end) - p);
                uint32_t x;
                int64_t r;

                if (!valid_name(p, len))
                        return 0;
                x = b_find(b, dir, p, len);
                if (!slash) {
                        int64_t v, k = 0;
                        size_t dlen = (size_t)(p - e->path);
                        if (dlen > 0 && dlen <= sizeof(b->last_path)) {
                                if (dlen != b->last_len || dir != b->last_dir)
                                        memcpy(b->last_path, e->path, dlen);
                                b->last_len = dlen;
                                b->last_dir = dir;
                        }
                        if (x != NONE)
                                return 0;
                        if (e->value_len >= UINT32_MAX)
                                return -EFBIG;
                        r = b_add(b, dir, p, len, false);
                        if (r < 0)
                                return (int)r;
                        if (e->field >= b->schema->fields && e->field < b->schema->fields + b->schema->nfields) {
                                /* a field of the record: formatted when asked */
                                b->ents[r].field = e->field;
                                b->ents[r].value = (uint32_t)(e->field - b->schema->fields);
                                b->ents[r].lazy = 1;
                                return 0;
                        }
                        v = b_arena(b, e->value_len + 1);
                        if (v >= 0 && e->key.len > 0)
                                k = b_arena(b, e->key.len);
                        if (v < 0 || k < 0)
                                return (int)(v < 0 ? v : k);
                        if (e->value_len > 0)
                                memcpy(b->arena + v, e->value, e->value_len);
                        b->arena[v + (int64_t)e->value_len] = '\n';
                        if (e->key.len > 0)
                                memcpy(b->arena + k, e->key.ptr, e->key.len);
                        b->ents[r].field = e->field;
                        b->ents[r].value = (uint32_t)v;
                        b->ents[r].size = (uint32_t)(e->value_len + 1);
                        b->ents[r].key = (uint32_t)k;
                        b->ents[r].key_len = (uint32_t)e->key.len;
                        return 0;
                }
                if (x == NONE) {
                        r = b_add(b, dir, p, len, true);
                        if (r < 0)
                                return (int)r;
                        x = (uint32_t)r;
                } else if (!b->ents[x].is_dir)
                        return 0; /* a value holds this name already */
                dir = x;
                p = slash + 1;
        }
}

static struct snap *snap_error(int err, int64_t parsed, const struct timespec *mtime) {
        struct snap *s = calloc(1, sizeof(*s));

        if (!s)
                return NULL;
        atomic_init(&s->refs, 1);
        s->err = err;
        s->parsed = parsed;
        s->mtime = *mtime;
        return s;
}

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

static void scratch_trim(struct builder *b, struct nprocfs_rec *rec) {
        if (b->acap > SCRATCH_KEEP) {
                free(b->arena);
                b->arena = NULL;
                b->alen = b->acap = 0;
        }
        if (b->cap * sizeof(*b->ents) > SCRATCH_KEEP) {
                free(b->ents);
                b->ents = NULL;
                b->n = b->cap = 0;
        }
        if (b->halloc * sizeof(*b->hash) > SCRATCH_KEEP) {
                free(b->hash);
                b->hash = NULL;
                b->hcap = b->halloc = 0;
        }
        if (rec && rec->cap > SCRATCH_KEEP)
                nprocfs_rec_release(rec);
}

/* The snapshot of a parsed record; NULL only when out of memory. */
/* The rows of rec as s keeps them (struct snap_rows): each row's name,
 * found by a hash; a row whose name is no name, or one the file's own
 * entries or an earlier row hold, has none (the walker's first wins).
 * 0, -ENOMEM, or -EFBIG when the rows cannot be numbered. */
static int rows_build(struct snap *s, struct nprocfs_rec *rec) {
        size_t n = rec->nrows, stride = 0, hcap = 16, nlen = 0, ncap = 4096;
        struct snap_rows *rw;
        char name[NPROCFS_NAME_SIZE];

        for (size_t i = 0; i < n; i++) {
                size_t m = nprocfs_row_nentries(rec, i);
                if (m > stride)
                        stride = m;
        }
        if (stride == 0)
                stride = 1;
        if (n >= SNAP_ROW || n * stride >= NONE - SNAP_CELL)
                return -EFBIG;
        while (hcap < 2 * n)
                hcap *= 2;
        rw = calloc(1, sizeof(*rw));
        if (!rw)
                return -ENOMEM;
        rw->hash = calloc(hcap, sizeof(*rw->hash));
        rw->name = malloc((n ? n : 1) * sizeof(*rw->name));
        rw->name_len = malloc((n ? n : 1) * sizeof(*rw->name_len));
        rw->names = malloc(ncap);
        if (!rw->hash || !rw->name || !rw->name_len || !rw->names)
                goto nomem;
        rw->rec = rec;
        rw->n = (uint32_t)n;
        rw->stride = (uint32_t)stride;
        rw->hmask = (uint32_t)(hcap - 1);
        s->rows = rw;
        for (size_t i = 0; i < n; i++) {
                size_t len = nprocfs_row_name(rec, i, name), h;

                rw->name_len[i] = 0;
                rw->name[i] = (uint32_t)nlen;
                if (!valid_name(name, len) || snap_find(s, 0, name, len) != NONE)
                        continue;
                if (nlen + len + 1 > ncap) {
                        char *v;
                        while (nlen + len + 1 > ncap)
                                ncap *= 2;
                        v = realloc(rw->names, ncap);
                        if (!v)
                                goto nomem;
                        rw->names = v;
                }
                memcpy(rw->names + nlen, name, len + 1);
                rw->name_len[i] = (uint16_t)len;
                nlen += len + 1;
                h = name_hash(0, name, len) & rw->hmask;
                while (rw->hash[h])
                        h = (h + 1) & rw->hmask;
                rw->hash[h] = (uint32_t)i + 1;
        }
        return 0;
nomem:
        s->rows = NULL;
        rw->rec = NULL;
        free(rw->hash);
        free(rw->name);
        free(rw->name_len);
        free(rw->names);
        free(rw);
        return -ENOMEM;
}

static struct snap *snap_build(struct builder *b, unsigned si, struct nprocfs_rec *rec, int64_t parsed,
                               const struct timespec *mtime) {
        size_t head = ALIGN8(sizeof(struct snap)), ents, hash;
        struct snap *s;
        char *base;
        int r = b_reset(b, atomic_load_explicit(&size_hint_n[si], memory_order_relaxed),
                        atomic_load_explicit(&size_hint_arena[si], memory_order_relaxed));

        b->schema = rec->schema;
        if (r == 0)
                r = nprocfs_rec_foreach_fields(rec, b_entry, b);
        if (r == -ENOMEM)
                return NULL;
        if (r < 0)
                return snap_error(-EIO, parsed, mtime);
        atomic_store_explicit(&size_hint_n[si], (uint32_t)b->n, memory_order_relaxed);
        atomic_store_explicit(&size_hint_arena[si], (uint32_t)b->alen, memory_order_relaxed);
        ents = b->n * sizeof(struct snap_ent);
        hash = b->hcap * sizeof(uint32_t);
        base = malloc(head + ents + hash + b->alen);
        if (!base)
                return NULL;
        s = (struct snap *)base;
        memset(s, 0, sizeof(*s));
        atomic_init(&s->refs, 1);
        s->parsed = parsed;
        s->mtime = *mtime;
        s->n = (uint32_t)b->n;
        s->hmask = (uint32_t)(b->hcap - 1);
        memcpy(base + head, b->ents, ents);
        memcpy(base + head + ents, b->hash, hash);
        memcpy(base + head + ents + hash, b->arena, b->alen);
        s->ents = (const struct snap_ent *)(base + head);
        s->hash = (const uint32_t *)(base + head + ents);
        s->arena = base + head + ents + hash;
        s->rec = rec;
        if (rec->nrows > 0) {
                r = rows_build(s, rec);
                if (r < 0) {
                        free(s);
                        return r == -ENOMEM ? NULL : snap_error(-EIO, parsed, mtime);
                }
        }
        return s;
}

/* snap_build, then the scratch cut back to size (rec is read again later). */
static struct snap *snap_build_trim(struct builder *b, unsigned si, struct nprocfs_rec **slot, int64_t parsed,
                                    const struct timespec *mtime) {
        struct snap *s = snap_build(b, si, *slot, parsed, mtime);

        if (s && s->rec) {
                *slot = NULL; /* the snapshot's now: the next read makes another */
                scratch_trim(b, NULL);
        } else
                scratch_trim(b, *slot);
        return s;
}

void snap_put(struct snap *s) {
        if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
                nprocfs_rec_free(s->rec);
                if (s->rows) {
                        free(s->rows->hash);
                        free(s->rows->name);
                        free(s->rows->name_len);
                        free(s->rows->names);
                        free(s->rows);
                }
                free(s);
        }
}

/* ---- reading a snapshot ------------------------------------------------ */

static bool is_row(const struct snap *s, uint32_t e) {
        return s->rows && e >= SNAP_ROW && e < SNAP_ROW + s->rows->n;
}

static bool is_cell(const struct snap *s, uint32_t e) {
        return s->rows && e >= SNAP_CELL && e != NONE && (e - SNAP_CELL) / s->rows->stride < s->rows->n;
}

/* Entry j of row i into e (t holds its name and, when value, its value). */
static int cell(const struct snap *s, uint32_t i, uint32_t j, bool value, struct snap_text *t,
                struct nprocfs_entry *e) {
        return nprocfs_row_entry(s->rows->rec, i, j, t->name, value ? t->buf : NULL, e);
}

/* Whether entry j of row i exists and no entry before it in the row has
 * its name (two unknown keys may name one entry: the first wins). */
static bool cell_named(const struct snap *s, uint32_t i, uint32_t j, struct nprocfs_entry *e, char *name) {
        const struct nprocfs_rec *rec = s->rows->rec;
        char other[NPROCFS_NAME_SIZE];
        struct nprocfs_entry o;

        if (!nprocfs_row_entry(rec, i, j, name, NULL, e) || !valid_name(e->path, e->path_len))
                return false;
        if (j < rec->schema->nrow_fields)
                return true; /* a field's name is its own (taken_name) */
        for (uint32_t k = rec->schema->nrow_fields; k < j; k++)
                if (nprocfs_row_entry(rec, i, k, other, NULL, &o) && o.path_len == e->path_len &&
                    memcmp(o.path, e->path, e->path_len) == 0)
                        return false;
        return true;
}

uint32_t snap_find(const struct snap *s, uint32_t dir, const char *name, size_t len) {
        if (s->n == 0)
                return NONE;
        if (is_row(s, dir)) {
                uint32_t i = dir - SNAP_ROW, m = (uint32_t)nprocfs_row_nentries(s->rows->rec, i);
                char buf[NPROCFS_NAME_SIZE];
                struct nprocfs_entry e;
                for (uint32_t j = 0; j < m; j++)
                        if (nprocfs_row_entry(s->rows->rec, i, j, buf, NULL, &e) && e.path_len == len &&
                            memcmp(e.path, name, len) == 0)
                                return cell_named(s, i, j, &e, buf) ? SNAP_CELL + i * s->rows->stride + j : NONE;
                return NONE;
        }
        if (dir >= s->n)
                return NONE;
        for (size_t i = name_hash(dir, name, len) & s->hmask;; i = (i + 1) & s->hmask) {
                uint32_t x = s->hash[i];
                const struct snap_ent *e;

                if (!x)
                        break;
                e = &s->ents[x - 1];
                if (e->parent == dir && e->name_len == len && memcmp(s->arena + e->name, name, len) == 0)
                        return x - 1;
        }
        if (dir == 0 && s->rows) {
                const struct snap_rows *rw = s->rows;
                for (size_t h = name_hash(0, name, len) & rw->hmask; rw->hash[h]; h = (h + 1) & rw->hmask) {
                        uint32_t i = rw->hash[h] - 1;
                        if (rw->name_len[i] == len && memcmp(rw->names + rw->name[i], name, len) == 0)
                                return SNAP_ROW + i;
                }
        }
        return NONE;
}

bool snap_is_dir(const struct snap *s, uint32_t e) {
        if (e < s->n)
                return s->ents[e].is_dir;
        return is_row(s, e);
}

uint32_t snap_walk(const struct snap *s, const char *path, size_t len) {
        const char *p = path, *end = path + len;
        uint32_t x = 0;

        if (s->n == 0)
                return NONE;
        while (p < end) {
                const char *slash = memchr(p, '/', (size_t)(end - p));
                const char *ce = slash ? slash : end;

                if (!snap_is_dir(s, x))
                        return NONE;
                x = snap_find(s, x, p, (size_t)(ce - p));
                if (x == NONE)
                        return NONE;
                p = slash ? slash + 1 : end;
        }
        return x;
}

/* The first named row from row i on, or NONE. */
static uint32_t row_from(const struct snap *s, uint32_t i) {
        for (; s->rows && i < s->rows->n; i++)
                if (s->rows->name_len[i] > 0)
                        return SNAP_ROW + i;
        return NONE;
}

/* The first entry of row i from j on, or NONE. */
static uint32_t cell_from(const struct snap *s, uint32_t i, uint32_t j) {
        uint32_t m = (uint32_t)nprocfs_row_nentries(s->rows->rec, i);
        char buf[NPROCFS_NAME_SIZE];
        struct nprocfs_entry e;

        for (; j < m; j++)
                if (cell_named(s, i, j, &e, buf))
                        return SNAP_CELL + i * s->rows->stride + j;
        return NONE;
}

uint32_t snap_first(const struct snap *s, uint32_t dir) {
        if (is_row(s, dir))
                return cell_from(s, dir - SNAP_ROW, 0);
        if (dir >= s->n || !s->ents[dir].is_dir)
                return NONE;
        if (s->ents[dir].first != NONE)
                return s->ents[dir].first;
        return dir == 0 ? row_from(s, 0) : NONE;
}

uint32_t snap_next(const struct snap *s, uint32_t dir, uint32_t e) {
        if (is_cell(s, e)) {
                uint32_t v = e - SNAP_CELL;
                return cell_from(s, v / s->rows->stride, v % s->rows->stride + 1);
        }
        if (is_row(s, e))
                return row_from(s, e - SNAP_ROW + 1);
        if (e >= s->n)
                return NONE;
        if (s->ents[e].next != NONE)
                return s->ents[e].next;
        return dir == 0 ? row_from(s, 0) : NONE;
}

static uint32_t snap_parent(const struct snap *s, uint32_t e) {
        if (is_cell(s, e))
                return SNAP_ROW + (e - SNAP_CELL) / s->rows->stride;
        if (is_row(s, e))
                return 0;
        return e < s->n ? s->ents[e].parent : NONE;
}

void snap_name(const struct snap *s, uint32_t e, struct snap_text *t) {
        struct nprocfs_entry en;

        t->ptr = "";
        t->len = 0;
        if (is_cell(s, e)) {
                uint32_t v = e - SNAP_CELL;
                if (cell(s, v / s->rows->stride, v % s->rows->stride, false, t, &en)) {
                        t->ptr = en.path;
                        t->len = en.path_len;
                }
        } else if (is_row(s, e)) {
                t->ptr = s->rows->names + s->rows->name[e - SNAP_ROW];
                t->len = s->rows->name_len[e - SNAP_ROW];
        } else if (e < s->n) {
                t->ptr = s->arena + s->ents[e].name;
                t->len = s->ents[e].name_len;
        }
}

void snap_value(const struct snap *s, uint32_t e, struct snap_text *t) {
        struct nprocfs_entry en;

        t->ptr = "";
        t->len = 0;
        t->newline = false;
        if (e < s->n && s->ents[e].lazy) {
                if (!nprocfs_rec_field_value(s->rec, s->ents[e].value, t->buf, &t->ptr, &t->len)) {
                        t->ptr = "";
                        t->len = 0;
                }
        } else if (is_cell(s, e)) {
                uint32_t v = e - SNAP_CELL;
                if (cell(s, v / s->rows->stride, v % s->rows->stride, true, t, &en) && en.value) {
                        t->ptr = en.value;
                        t->len = en.value_len;
                }
        } else if (e < s->n && !s->ents[e].is_dir) {
                t->ptr = s->arena + s->ents[e].value;
                t->len = s->ents[e].size - 1;
                t->newline = true;
        }
}

const struct nprocfs_field *snap_field(const struct snap *s, uint32_t e, struct nprocfs_str *ret_key) {
        struct nprocfs_str key = { "", 0 };
        const struct nprocfs_field *f = NULL;

        if (is_cell(s, e)) {
                struct nprocfs_entry en;
                char buf[NPROCFS_NAME_SIZE];
                uint32_t v = e - SNAP_CELL;
                if (nprocfs_row_entry(s->rows->rec, v / s->rows->stride, v % s->rows->stride, buf, NULL, &en)) {
                        f = en.field;
                        key = en.key;
                }
        } else if (e < s->n) {
                f = s->ents[e].field;
                key = (struct nprocfs_str){ s->arena + s->ents[e].key, s->ents[e].key_len };
        }
        if (ret_key)
                *ret_key = key;
        return f;
}

size_t snap_path(const struct snap *s, uint32_t e, char *buf, size_t size) {
        size_t len = 0, pos;
        struct snap_text text, *t = &text;

        for (uint32_t x = e; x != 0 && x != NONE; x = snap_parent(s, x)) {
                snap_name(s, x, t);
                len += t->len + (len > 0);
        }
        if (len >= size)
                return 0;
        buf[len] = 0;
        pos = len;
        for (uint32_t x = e; x != 0 && x != NONE; x = snap_parent(s, x)) {
                snap_name(s, x, t);
                if (pos < len)
                        buf[--pos] = '/';
                pos -= t->len;
                memcpy(buf + pos, t->ptr, t->len);
        }
        return len;
}

double snap_ttl_left(const struct fs *fs, const struct snap *s) {
        /* a little less than what is left, so the kernel's copy of a size
         * never outlives the snapshot it came from */
        int64_t left = s->parsed + fs->ttl - mono_ns() - 1000000;

        return left > 0 ? (double)left / 1e9 : 0.0;
}

/* ---- identities ------------------------------------------------------- */

void proc_ref(struct proc *p) {
        atomic_fetch_add(&p->refs, 1);
}

void proc_unref(struct proc *p) {
        if (p)
                atomic_fetch_sub(&p->refs, 1); /* freed by the sweep, under the cache lock */
}

static struct proc *proc_new(struct cache *c, pid_t pid, pid_t tid, uint64_t start, int dirfd) {
        struct proc *p = calloc(1, sizeof(*p));

        if (!p)
                return NULL;
        p->pid = pid;
        p->tid = tid;
        p->start = start;
        p->serial = atomic_fetch_add(&c->serials, 1) + 1;
        p->dirfd = dirfd;
        atomic_init(&p->dead, false);
        p->has_tasks = -1;
        atomic_init(&p->refs, 0);
        pthread_mutex_init(&p->lock, NULL);
        pthread_cond_init(&p->cond, NULL);
        return p;
}

static void proc_destroy(struct proc *p) {
        if (p->dirfd >= 0)
                close(p->dirfd);
        for (unsigned i = 0; i < MAX_SCHEMAS; i++)
                snap_put(p->snaps[i]);
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->cond);
        free(p);
}

static size_t proc_bucket(size_t nbuckets, pid_t pid, pid_t tid) {
        uint64_t h = ((uint64_t)(uint32_t)pid << 32 | (uint32_t)tid) * UINT64_C(0x9e3779b97f4a7c15);
        return (size_t)(h >> 32) & (nbuckets - 1);
}

static void cache_grow(struct cache *c) {
        size_t n = c->nbuckets * 2;
        struct proc **b = calloc(n, sizeof(*b));

        if (!b)
                return; /* longer chains, still correct */
        for (size_t i = 0; i < c->nbuckets; i++)
                for (struct proc *p = c->buckets[i], *next; p; p = next) {
                        size_t k = proc_bucket(n, p->pid, p->tid);
                        next = p->next;
                        p->next = b[k];
                        b[k] = p;
                }
        free(c->buckets);
        c->buckets = b;
        c->nbuckets = n;
}

/* The identity of (pid, tid) checked most recently. Cache lock held. */
static struct proc *newest(struct cache *c, pid_t pid, pid_t tid) {
        struct proc *best = NULL;

        for (struct proc *p = c->buckets[proc_bucket(c->nbuckets, pid, tid)]; p; p = p->next)
                if (p->pid == pid && p->tid == tid && (!best || p->checked > best->checked))
                        best = p;
        return best;
}

struct proc *proc_peek(struct fs *fs, pid_t pid, pid_t tid) {
        struct proc *p;

        pthread_mutex_lock(&fs->cache.lock);
        p = newest(&fs->cache, pid, tid);
        if (p)
                proc_ref(p);
        pthread_mutex_unlock(&fs->cache.lock);
        return p;
}

static void rel_path(const struct proc *p, const char *file, char *buf, size_t size) {
        if (p->pid == 0)
                snprintf(buf, size, "%s", file);
        else if (p->tid)
                snprintf(buf, size, "%d/task/%d%s%s", (int)p->pid, (int)p->tid, *file ? "/" : "", file);
        else
                snprintf(buf, size, "%d%s%s", (int)p->pid, *file ? "/" : "", file);
}

/* Makes s the snapshot of (p, si) unless a newer one is there already, and
 * logs a malformed source once per identity. Takes over the caller's
 * reference only when it returns true. */
static bool install(struct fs *fs, struct proc *p, unsigned si, struct snap *s) {
        struct snap *old = NULL;
        bool log = false, taken = false;

        pthread_mutex_lock(&p->lock);
        if (!p->snaps[si] || p->snaps[si]->parsed <= s->parsed) {
                old = p->snaps[si];
                p->snaps[si] = s;
                taken = true;
        }
        if (s->err == -EIO && !set_has(&p->logged, si)) {
                set_add(&p->logged, si);
                log = true;
        }
        pthread_mutex_unlock(&p->lock);
        snap_put(old);
        if (log) {
                char rel[128];
                rel_path(p, nprocfs_schemas[si]->path, rel, sizeof(rel));
                fs_log(LOG_WARNING, "%s/%s: unreadable or malformed; its entries read as EIO", fs->root_path, rel);
        }
        return taken;
}

static uint64_t rec_start(const struct nprocfs_rec *rec) {
        const struct nprocfs_pid_stat *st = (const struct nprocfs_pid_stat *)rec;
        return NPROCFS_HAS(st, pid_stat, starttime_ns) ? st->starttime_ns : 0;
}

/* A parse's errors as readers see them (NAMING.md). */
static int reader_errno(int r) {
        if (r == -EPERM)
                return -EACCES;
        if (r == -ENOENT || r == -EACCES || r == -ENOMEM)
                return r;
        return -EIO;
}

/* ROOT/<pid>[/task/<tid>] of a live root, held open as the identity of
 * the process it is now; -1 where no descriptor could be had (the identity
 * is then checked by its start time, as close as that can be). */
static int open_proc_dir(struct fs *fs, pid_t pid, pid_t tid, int *ret_fd) {
        char path[48];
        int fd;

        *ret_fd = -1;
        if (!fs->root_live)
                return 0;
        if (tid)
                snprintf(path, sizeof(path), "%d/task/%d", (int)pid, (int)tid);
        else
                snprintf(path, sizeof(path), "%d", (int)pid);
        fd = nprocfs_open_path(fs->ctx, path, O_PATH | O_DIRECTORY);
        if (fd == -ENOENT || fd == -ENOTDIR || fd == -ESRCH)
                return -ENOENT;
        if (fd == -ENOMEM)
                return fd;
        if (fd >= 0)
                *ret_fd = fd;
        else if (fd == -EMFILE || fd == -ENFILE)
                fs_log(LOG_WARNING, "out of file descriptors: processes are told apart by start time only");
        return 0;
}

/* Whether p's process is still there (its pid may have another process). */
static int alive(struct fs *fs, struct proc *p) {
        struct scratch *sc;
        struct nprocfs_rec *v;
        struct stat st;
        int r;

        if (p->pid == 0)
                return 0;
        if (atomic_load(&p->dead))
                return -ENOENT;
        if (!fs->root_live)
                return nprocfs_proc_exists(fs->ctx, p->pid, p->tid);
        if (p->dirfd >= 0) {
                if (fstatat(p->dirfd, "stat", &st, AT_SYMLINK_NOFOLLOW) == 0)
                        return 0;
                return errno == ENOENT || errno == ESRCH ? -ENOENT : -errno;
        }
        sc = scratch_get(fs);
        if (!sc || !(v = scratch_rec(&sc->verify, &nprocfs_schema_pid_stat)))
                return -ENOMEM;
        r = nprocfs_rec_read(fs->ctx, v, p->pid, p->tid);
        if (r == -ENOMEM)
                return r;
        return r == 0 && rec_start(v) == p->start ? 0 : -ENOENT;
}

int proc_verify(struct fs *fs, struct proc *p) {
        int r = alive(fs, p);

        if (r == -ENOENT)
                atomic_store(&p->dead, true);
        return r;
}

int proc_resolve(struct fs *fs, pid_t pid, pid_t tid, struct proc **ret) {
        struct cache *c = &fs->cache;
        struct scratch *sc = scratch_get(fs);
        struct nprocfs_rec *rec;
        struct snap *s = NULL;
        struct timespec mt;
        struct proc *p;
        uint64_t start = 0;
        int64_t now = mono_ns();
        int r, dirfd;

        if (pid <= 0 || tid < 0)
                return -ENOENT;
        pthread_mutex_lock(&c->lock);
        p = newest(c, pid, tid);
        if (p)
                proc_ref(p);
        pthread_mutex_unlock(&c->lock);
        if (p) {
                r = proc_verify(fs, p);
                if (r == 0) {
                        *ret = p;
                        return 0;
                }
                proc_unref(p);
                if (r != -ENOENT)
                        return r;
        }

        if (!sc || !(rec = scratch_rec(&sc->recs[fs->stat_si], &nprocfs_schema_pid_stat)))
                return -ENOMEM;
        r = open_proc_dir(fs, pid, tid, &dirfd);
        if (r < 0)
                return r;
        clock_gettime(CLOCK_REALTIME, &mt);
        r = nprocfs_rec_read(fs->ctx, rec, pid, tid);
        if (r == -ENOMEM)
                goto fail;
        if (r == 0)
                start = rec_start(rec);
        else if (nprocfs_proc_exists(fs->ctx, pid, tid) < 0) {
                r = -ENOENT;
                goto fail;
        }
        p = proc_new(c, pid, tid, start, dirfd);
        if (!p) {
                r = -ENOMEM;
                goto fail;
        }
        dirfd = -1; /* p's now */
        /* the stat just read is the first file a reader wants: keep it, if
         * it was this identity's (its process still there after the read) */
        if (alive(fs, p) < 0) {
                proc_destroy(p);
                return -ENOENT;
        }
        s = r == 0 ? snap_build_trim(&sc->b, fs->stat_si, &sc->recs[fs->stat_si], now, &mt)
                   : snap_error(reader_errno(r), now, &mt);
        if (!s) {
                proc_destroy(p);
                return -ENOMEM;
        }
        pthread_mutex_lock(&c->lock);
        p->checked = now;
        if (c->count >= c->nbuckets)
                cache_grow(c);
        p->next = c->buckets[proc_bucket(c->nbuckets, pid, tid)];
        c->buckets[proc_bucket(c->nbuckets, pid, tid)] = p;
        c->count++;
        proc_ref(p);
        pthread_mutex_unlock(&c->lock);
        if (!install(fs, p, fs->stat_si, s))
                snap_put(s);
        *ret = p;
        return 0;
fail:
        if (dirfd >= 0)
                close(dirfd);
        return r;
}

/* ---- what a process has ----------------------------------------------- */

static int exists(struct fs *fs, const char *path, int flags) {
        int fd = nprocfs_open_path(fs->ctx, path, O_PATH | flags);

        if (fd >= 0) {
                close(fd);
                return 1;
        }
        if (fd == -ENOMEM)
                return fd;
        /* a link loop, a refused file: it is there, its reads will say why */
        return fd == -ENOENT || fd == -ENOTDIR ? 0 : 1;
}

int proc_has(struct fs *fs, struct proc *p, unsigned si) {
        const struct nprocfs_grammar *g;
        char path[128];
        int r;

        pthread_mutex_lock(&p->lock);
        if (set_has(&p->present_known, si)) {
                r = set_has(&p->present, si);
                pthread_mutex_unlock(&p->lock);
                return r;
        }
        pthread_mutex_unlock(&p->lock);
        rel_path(p, nprocfs_schemas[si]->path, path, sizeof(path));
        /* a link is there as a link: what it names may not be (a
         * snapshot's exe names the machine it was taken on) */
        g = nprocfs_schemas[si]->grammar;
        r = exists(fs, path, g && g->shape == NPROCFS_SH_LINK ? O_NOFOLLOW : 0);
        if (r < 0)
                return r;
        pthread_mutex_lock(&p->lock);
        set_add(&p->present_known, si);
        if (r)
                set_add(&p->present, si);
        pthread_mutex_unlock(&p->lock);
        return r;
}

int proc_has_tasks(struct fs *fs, struct proc *p) {
        char path[48];
        int r;

        if (p->pid == 0 || p->tid != 0)
                return 0;
        pthread_mutex_lock(&p->lock);
        r = p->has_tasks;
        pthread_mutex_unlock(&p->lock);
        if (r >= 0)
                return r;
        snprintf(path, sizeof(path), "%d/task", (int)p->pid);
        r = exists(fs, path, O_DIRECTORY);
        if (r < 0)
                return r;
        pthread_mutex_lock(&p->lock);
        p->has_tasks = (int8_t)r;
        pthread_mutex_unlock(&p->lock);
        return r;
}

static int fstat_in_root(struct fs *fs, const char *path, int flags, struct stat *st) {
        int fd = nprocfs_open_path(fs->ctx, path, O_PATH | flags), r = 0;

        if (fd < 0)
                return fd == -ENOTDIR ? -ENOENT : fd;
        if (fstat(fd, st) < 0)
                r = errno == ESRCH ? -ENOENT : -errno;
        close(fd);
        return r;
}

/* On a live root, the owners /proc shows (struct owner). A snapshot's files
 * belong to whoever made it, so there both are the effective ids from its
 * status. */
static int fetch_owner(struct fs *fs, struct proc *p, struct owner *ret) {
        char path[64];
        struct stat st;
        int r;

        if (p->pid == 0) {
                *ret = (struct owner){ 0 };
                return 0;
        }
        if (!fs->root_live) {
                struct creds c;
                if (read_creds(fs, fs->ctx, p->pid, p->tid, &c) == 0 && c.has_ids && c.uid[1] < UINT32_MAX &&
                    c.gid[1] < UINT32_MAX) {
                        ret->dir_uid = ret->file_uid = (uid_t)c.uid[1];
                        ret->dir_gid = ret->file_gid = (gid_t)c.gid[1];
                        return 0;
                }
        }
        rel_path(p, "", path, sizeof(path));
        r = fstat_in_root(fs, path, O_DIRECTORY, &st);
        if (r < 0)
                return r;
        ret->dir_uid = ret->file_uid = st.st_uid;
        ret->dir_gid = ret->file_gid = st.st_gid;
        rel_path(p, "stat", path, sizeof(path));
        if (fstat_in_root(fs, path, 0, &st) == 0) {
                ret->file_uid = st.st_uid;
                ret->file_gid = st.st_gid;
        }
        return 0;
}

int proc_owner(struct fs *fs, struct proc *p, struct owner *ret) {
        struct owner o;
        int r;

        pthread_mutex_lock(&p->lock);
        if (p->owner_known) {
                *ret = p->owner;
                pthread_mutex_unlock(&p->lock);
                return 0;
        }
        pthread_mutex_unlock(&p->lock);
        r = fetch_owner(fs, p, &o);
        if (r < 0)
                return r;
        pthread_mutex_lock(&p->lock);
        p->owner = o;
        p->owner_known = true;
        pthread_mutex_unlock(&p->lock);
        *ret = o;
        return 0;
}

int proc_owner_now(struct fs *fs, struct proc *p, struct owner *ret) {
        return fetch_owner(fs, p, ret);
}

/* Owners change (setuid, a process made undumpable) while the kernel keeps
 * directory attributes for long: each parse looks again, and when an owner
 * moved, the kernel is told to forget the attributes it has. */
static void owner_refresh(struct fs *fs, struct proc *p) {
        struct owner o;
        bool changed;

        if (fetch_owner(fs, p, &o) < 0)
                return;
        pthread_mutex_lock(&p->lock);
        changed = p->owner_known && memcmp(&p->owner, &o, sizeof(o)) != 0;
        if (changed)
                perm_forget(p);
        p->owner = o;
        p->owner_known = true;
        pthread_mutex_unlock(&p->lock);
        if (changed)
                nodes_inval_proc(fs, p);
}

/* ---- parsing ---------------------------------------------------------- */

static struct snap *parse_source(struct fs *fs, struct proc *p, unsigned si) {
        const struct nprocfs_schema *s = nprocfs_schemas[si];
        struct scratch *sc = scratch_get(fs);
        struct nprocfs_rec *rec;
        struct timespec mt;
        int64_t t0;
        int r;

        if (!sc || !(rec = scratch_rec(&sc->recs[si], s)))
                return NULL;
        t0 = mono_ns();
        clock_gettime(CLOCK_REALTIME, &mt);
        r = nprocfs_rec_read(fs->ctx, rec, p->pid, p->tid);
        /* a pid can be reused between the lookup and this read: the file
         * counts only if the identity outlived the read */
        if (r == 0 && s->scope == NPROCFS_SCOPE_PID && fs->root_live)
                r = proc_verify(fs, p);
        if (r == -ENOMEM)
                return NULL;
        if (r < 0) {
                scratch_trim(&sc->b, rec);
                return snap_error(reader_errno(r), t0, &mt);
        }
        return snap_build_trim(&sc->b, si, &sc->recs[si], t0, &mt);
}

static bool fresh(const struct fs *fs, const struct snap *s, int64_t since, int64_t now) {
        /* within the TTL, or read after the request began (ttl=0) */
        return now - s->parsed < fs->ttl || s->parsed >= since;
}

int snap_get(struct fs *fs, struct proc *p, unsigned si, int64_t since, struct snap **ret) {
        struct snap *s;
        int r;

        pthread_mutex_lock(&p->lock);
        for (;;) {
                s = p->snaps[si];
                if (s && fresh(fs, s, since, mono_ns())) {
                        atomic_fetch_add(&s->refs, 1);
                        pthread_mutex_unlock(&p->lock);
                        goto found;
                }
                if (!set_has(&p->busy, si))
                        break;
                /* someone is reading it: one read serves both */
                pthread_cond_wait(&p->cond, &p->lock);
        }
        set_add(&p->busy, si);
        pthread_mutex_unlock(&p->lock);

        s = parse_source(fs, p, si);
        if (s && s->err == 0 && p->pid != 0 && fs->root_live)
                owner_refresh(fs, p);

        pthread_mutex_lock(&p->lock);
        set_del(&p->busy, si);
        pthread_cond_broadcast(&p->cond);
        pthread_mutex_unlock(&p->lock);
        if (!s)
                return -ENOMEM;
        atomic_fetch_add(&s->refs, 1); /* one for the cache, one for the caller */
        if (!install(fs, p, si, s))
                snap_put(s);
found:
        if (s->err) {
                r = s->err;
                snap_put(s);
                return r;
        }
        *ret = s;
        return 0;
}

/* ---- lifetime --------------------------------------------------------- */

int cache_init(struct fs *fs) {
        struct cache *c = &fs->cache;
        struct rlimit rl;

        /* an identity holds one descriptor while the kernel holds its
         * process's names: as many as the system lets us */
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
                rl.rlim_cur = rl.rlim_max;
                setrlimit(RLIMIT_NOFILE, &rl);
        }

        pthread_mutex_init(&c->lock, NULL);
        c->nbuckets = 256;
        c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
        c->system = proc_new(c, 0, 0, 0, -1);
        if (!c->buckets || !c->system) {
                free(c->buckets);
                free(c->system);
                return -ENOMEM;
        }
        proc_ref(c->system); /* never freed before cache_free */
        return 0;
}

void cache_free(struct fs *fs) {
        struct cache *c = &fs->cache;

        for (size_t i = 0; i < c->nbuckets; i++)
                for (struct proc *p = c->buckets[i], *next; p; p = next) {
                        next = p->next;
                        proc_destroy(p);
                }
        free(c->buckets);
        if (c->system)
                proc_destroy(c->system);
        pthread_mutex_destroy(&c->lock);
}

/* Drops what expired: snapshots past their TTL (readers holding one keep
 * it), and identities that nothing refers to and nothing is cached for. */
static size_t drop_expired(struct fs *fs, struct proc *p, int64_t now, struct snap **out) {
        size_t n = 0;

        pthread_mutex_lock(&p->lock);
        for (unsigned i = 0; i < fs->nschemas; i++) {
                struct snap *s = p->snaps[i];
                if (s && now - s->parsed >= fs->ttl) {
                        out[n++] = s;
                        p->snaps[i] = NULL;
                }
        }
        pthread_mutex_unlock(&p->lock);
        return n;
}

static bool idle(struct fs *fs, struct proc *p) {
        bool empty = true;

        pthread_mutex_lock(&p->lock);
        for (unsigned i = 0; i < fs->nschemas && empty; i++)
                empty = !p->snaps[i];
        empty = empty && set_empty(&p->busy);
        pthread_mutex_unlock(&p->lock);
        return empty;
}

void cache_sweep(struct fs *fs) {
        struct cache *c = &fs->cache;
        struct snap *drop[MAX_SCHEMAS];
        int64_t now = mono_ns();
        size_t n;

        n = drop_expired(fs, c->system, now, drop);
        for (size_t i = 0; i < n; i++)
                snap_put(drop[i]);
        pthread_mutex_lock(&c->lock);
        for (size_t b = 0; b < c->nbuckets; b++) {
                struct proc **pp = &c->buckets[b];
                while (*pp) {
                        struct proc *p = *pp;
                        n = drop_expired(fs, p, now, drop);
                        for (size_t i = 0; i < n; i++)
                                snap_put(drop[i]);
                        /* refs only rise from 0 under the cache lock, held here */
                        if (atomic_load(&p->refs) == 0 && idle(fs, p)) {
                                *pp = p->next;
                                c->count--;
                                proc_destroy(p);
                        } else
                                pp = &p->next;
                }
        }
        pthread_mutex_unlock(&c->lock);
}
