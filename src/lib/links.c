/* Links: the shapes NPROCFS_SH_LINK (exe, cwd, root) and NPROCFS_SH_LINKS
 * (fd/, ns/), read and parsed.
 *
 * A link is read with readlinkat() on its directory, which gives the text
 * the kernel writes and follows nothing: the library never opens what a
 * link names (an fd's file, a snapshot's dangling "/usr/bin/sleep"), so no
 * link leads a read out of the root. A directory of links becomes one
 * source, so that a parse sees one consistent set of rows and the fuzz
 * harness feeds the very bytes a read makes: per entry, its name, its text
 * and the file of that name in entry_dir (fdinfo/<n>, maybe empty), each
 * ended by a NUL, in ascending order of names (numerically for fd numbers).
 * No part of that can hold a NUL: a name and a link's text cannot, and a
 * file of entry_dir that does is refused. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "internal.h"

/* ---- parsing ---------------------------------------------------------- */

/* Stores text into every field of base that decodes a link's text (pos 1),
 * marking present those whose part the text has. */
static int link_fields(void *base, uint64_t *present, const struct nprocfs_field *fields, size_t n, char *text,
                       size_t len, const struct nprocfs_env *env, bool rec_bits) {
        for (size_t j = 0; j < n; j++) {
                int r;

                if (fields[j].pos != 1)
                        continue;
                r = np_field_set(base, &fields[j], text, len, env);
                if (r == -ENODATA)
                        continue;
                if (r < 0)
                        return r;
                if (rec_bits)
                        present[j / 64] |= UINT64_C(1) << (j % 64);
                else
                        *present |= UINT64_C(1) << j;
        }
        return 0;
}

static int parse_link(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;

        /* a link's text is never empty and holds no NUL */
        if (rec->len == 0 || memchr(rec->buf, 0, rec->len))
                return -EIO;
        return link_fields(rec, rec->present, s->fields, s->nfields, rec->buf, rec->len, env, true);
}

/* Unknown keys an entry's file may have (an epoll file has a tfd line per
 * watched descriptor, a file with locks a lock line per lock): past it the
 * source is malformed, as no kernel writes that many. */
#define ENTRY_EXTRA_MAX 64

/* The "key: value" lines of an entry's file into its row: fields by key; a
 * key the row does not know (a newer kernel's, another file type's) is
 * kept as an unknown key of the row, the first of a name only (a key
 * repeated per watch or lock names one entry). */
static bool row_has_extra(const struct nprocfs_rec *rec, const struct nprocfs_row *row, const char *key, size_t klen) {
        for (size_t i = row->extra_first; row->nextra > 0 && i < (size_t)row->extra_first + row->nextra; i++)
                if (rec->extra[i].key.len == klen && memcmp(rec->extra[i].key.ptr, key, klen) == 0)
                        return true;
        return false;
}

static int entry_lines(struct nprocfs_rec *rec, struct nprocfs_row *row, char *p, char *end,
                       const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        size_t hint = 0;
        bool known;

        while (p < end) {
                char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *colon, *val;
                size_t klen, vlen;

                colon = memchr(p, ':', (size_t)(le - p));
                if (!colon || colon == p)
                        return -EIO;
                klen = (size_t)(colon - p);
                val = colon + 1;
                vlen = (size_t)(le - val);
                np_trim(&val, &vlen);
                known = false;
                for (size_t k = 0; k < s->nrow_fields; k++) {
                        size_t j = (hint + k) % s->nrow_fields;
                        const struct nprocfs_field *f = &s->row_fields[j];
                        int r;

                        if (f->pos != 0 || f->key_len != klen || memcmp(f->key, p, klen) != 0)
                                continue;
                        if (row->present & (UINT64_C(1) << j))
                                return -EIO; /* a key twice */
                        r = np_field_set(row, f, val, vlen, env);
                        if (r < 0)
                                return -EIO;
                        row->present |= UINT64_C(1) << j;
                        hint = j + 1;
                        known = true;
                        break;
                }
                if (!known && !row_has_extra(rec, row, p, klen)) {
                        int r;

                        if (row->nextra >= ENTRY_EXTRA_MAX)
                                return -EIO;
                        if (row->nextra == 0)
                                row->extra_first = (uint32_t)rec->nextra;
                        r = np_rec_add_extra(rec, p, klen, val, vlen);
                        if (r < 0)
                                return r;
                        row->nextra++;
                }
                p = nl ? nl + 1 : end;
        }
        return 0;
}

/* One part of an entry: up to the next NUL. */
static char *part(char **p, char *end, size_t *ret_len) {
        char *s = *p, *z = memchr(s, 0, (size_t)(end - s));

        if (!z)
                return NULL;
        *ret_len = (size_t)(z - s);
        *p = z + 1;
        return s;
}

static int parse_links(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        char *p = rec->buf, *end = rec->buf + rec->len;
        struct nprocfs_row *prev = NULL;

        while (p < end) {
                size_t nlen, tlen, flen;
                char *name = part(&p, end, &nlen), *text = name ? part(&p, end, &tlen) : NULL,
                     *file = text ? part(&p, end, &flen) : NULL;
                struct nprocfs_row *row;
                int r;

                if (!file || nlen == 0 || tlen == 0 || memchr(name, '/', nlen) || memchr(name, '\n', nlen))
                        return -EIO;
                if ((nlen == 1 && name[0] == '.') || (nlen == 2 && memcmp(name, "..", 2) == 0))
                        return -EIO;
                /* names are unique: the reader sorts them, so a repeated
                 * one is next to its twin */
                if (prev && prev->key.len == nlen && memcmp(prev->key.ptr, name, nlen) == 0)
                        return -EIO;
                row = np_rec_add_row(rec);
                if (!row)
                        return -ENOMEM;
                row->key = (struct nprocfs_str){ name, nlen };
                r = link_fields(row, &row->present, s->row_fields, s->nrow_fields, text, tlen, env, false);
                if (r == 0)
                        r = entry_lines(rec, row, file, file + flen, env);
                if (r < 0)
                        return r;
                prev = row;
        }
        return 0;
}

int np_parse_links(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        return rec->schema->grammar->shape == NPROCFS_SH_LINK ? parse_link(rec, env) : parse_links(rec, env);
}

/* ---- reading ---------------------------------------------------------- */

/* Appends n bytes to rec's buffer (and a NUL after them, not counted),
 * within max bytes in all. */
static int append(struct nprocfs_rec *rec, const void *data, size_t n, size_t max) {
        if (n > max || rec->len > max - n)
                return -EFBIG;
        if (rec->len + n + 1 > rec->cap) {
                size_t cap = rec->cap ? rec->cap : 4096;
                char *b;

                while (cap < rec->len + n + 1)
                        cap *= 2;
                b = realloc(rec->buf, cap);
                if (!b)
                        return -ENOMEM;
                rec->buf = b;
                rec->cap = cap;
        }
        memcpy(rec->buf + rec->len, data, n);
        rec->len += n;
        rec->buf[rec->len] = 0;
        return 0;
}

/* The text of link name in directory dfd, NUL-terminated, into buf. */
static ssize_t read_link(int dfd, const char *name, char *buf, size_t size) {
        ssize_t n = readlinkat(dfd, name, buf, size - 1);

        if (n < 0)
                return errno == ESRCH ? -ENOENT : errno == EINVAL ? -EIO : -errno;
        if ((size_t)n >= size - 1)
                return -EIO; /* longer than PATH_MAX: no link of /proc */
        buf[n] = 0;
        return n;
}

static int cmp_names(const void *a, const void *b) {
        const char *x = *(const char *const *)a, *y = *(const char *const *)b;
        size_t lx = strlen(x), ly = strlen(y);
        bool nx = lx > 0 && strspn(x, "0123456789") == lx, ny = ly > 0 && strspn(y, "0123456789") == ly;

        /* numbers first, by value (no leading zeros in /proc), then the rest */
        if (nx != ny)
                return nx ? -1 : 1;
        if (nx && lx != ly)
                return lx < ly ? -1 : 1;
        return strcmp(x, y);
}

static void free_names(char **names, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
}

/* The names of directory dfd (not its own), sorted. At most max of them. */
static int list_names(int dfd, size_t max, char ***ret, size_t *ret_n) {
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        int fd = dup(dfd), r = 0;
        DIR *d;

        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                close(fd);
                return r;
        }
        errno = 0;
        while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                if (n == max) {
                        r = -EFBIG;
                        break;
                }
                if (n == cap) {
                        size_t c = cap ? cap * 2 : 32;
                        char **x = realloc(names, c * sizeof(*x));
                        if (!x) {
                                r = -ENOMEM;
                                break;
                        }
                        names = x;
                        cap = c;
                }
                if (!(names[n] = strdup(de->d_name))) {
                        r = -ENOMEM;
                        break;
                }
                n++;
                errno = 0;
        }
        if (r == 0 && errno != 0)
                r = errno == ESRCH ? -ENOENT : -errno;
        closedir(d);
        if (r < 0) {
                free_names(names, n);
                return r;
        }
        if (n > 1)
                qsort(names, n, sizeof(*names), cmp_names);
        *ret = names;
        *ret_n = n;
        return 0;
}

/* The entries of directory path (fd/, ns/), with entry_dir's files, as the
 * source of parse_links. An entry gone between the listing and its read
 * (an fd closed meanwhile) is left out: it was there at the listing only. */
static ssize_t read_links(nprocfs_ctx *ctx, const char *path, const struct nprocfs_grammar *g, size_t max,
                          struct nprocfs_rec *rec) {
        char dir[256], target[4097], *fbuf = NULL;
        size_t fcap = 0, nnames = 0;
        char **names = NULL;
        int dfd, r;

        rec->len = 0;
        dfd = nprocfs_open_path(ctx, path, O_RDONLY | O_DIRECTORY);
        if (dfd < 0)
                return dfd == -ENOTDIR ? -EIO : dfd;
        /* a name costs at least 3 bytes of the source: the limit bounds
         * the listing too */
        r = list_names(dfd, max / 3, &names, &nnames);
        for (size_t i = 0; r == 0 && i < nnames; i++) {
                ssize_t tlen = read_link(dfd, names[i], target, sizeof(target)), flen = 0;

                if (tlen == -ENOENT)
                        continue;
                if (tlen < 0) {
                        r = (int)tlen;
                        break;
                }
                if (g->entry_dir) {
                        const char *slash = strrchr(path, '/');
                        size_t plen = slash ? (size_t)(slash - path) + 1 : 0;

                        if (plen + strlen(g->entry_dir) + 1 + strlen(names[i]) >= sizeof(dir)) {
                                r = -EIO;
                                break;
                        }
                        snprintf(dir, sizeof(dir), "%.*s%s/%s", (int)plen, path, g->entry_dir, names[i]);
                        flen = nprocfs_read_path(ctx, dir, &fbuf, &fcap);
                        if (flen == -ENOENT) /* closed meanwhile, or a kernel without fdinfo */
                                flen = 0;
                        else if (flen < 0) {
                                r = (int)flen;
                                break;
                        } else if (flen == 0 || memchr(fbuf, 0, (size_t)flen)) {
                                /* the kernel writes a line at least (fdinfo:
                                 * pos and flags); empty is no file of its */
                                r = -EIO;
                                break;
                        }
                }
                r = append(rec, names[i], strlen(names[i]) + 1, max);
                if (r == 0)
                        r = append(rec, target, (size_t)tlen + 1, max);
                if (r == 0)
                        r = append(rec, flen > 0 ? fbuf : "", (size_t)flen, max);
                if (r == 0)
                        r = append(rec, "", 1, max);
        }
        free(fbuf);
        free_names(names, nnames);
        close(dfd);
        return r < 0 ? r : (ssize_t)rec->len;
}

/* A single link (exe): its text. */
static ssize_t read_one_link(nprocfs_ctx *ctx, const char *path, struct nprocfs_rec *rec) {
        const char *slash = strrchr(path, '/');
        char dir[256], target[4097];
        ssize_t n;
        int dfd;

        rec->len = 0;
        if (!slash || (size_t)(slash - path) >= sizeof(dir))
                return -EIO;
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
        dfd = nprocfs_open_path(ctx, dir, O_PATH | O_DIRECTORY);
        if (dfd < 0)
                return dfd == -ENOTDIR ? -ENOENT : dfd;
        n = read_link(dfd, slash + 1, target, sizeof(target));
        close(dfd);
        if (n < 0)
                return n;
        return append(rec, target, (size_t)n, SIZE_MAX) < 0 ? -ENOMEM : n;
}

ssize_t np_ctx_read_links(nprocfs_ctx *ctx, const char *path, size_t max, struct nprocfs_rec *rec) {
        const struct nprocfs_grammar *g = rec->schema->grammar;
        ssize_t n = g->shape == NPROCFS_SH_LINK ? read_one_link(ctx, path, rec) : read_links(ctx, path, g, max, rec);

        if (n < 0) {
                rec->len = 0;
                if (rec->buf)
                        rec->buf[0] = 0;
        }
        return n;
}

int nprocfs_count_rows(nprocfs_ctx *ctx, const struct nprocfs_schema *s, pid_t pid, pid_t tid) {
        char path[128];
        struct dirent *de;
        int dfd, fd, n = 0;
        DIR *d;

        if (!s->grammar || s->grammar->shape != NPROCFS_SH_LINKS || s->scope != NPROCFS_SCOPE_PID || pid <= 0 ||
            tid < 0)
                return -EINVAL;
        if (tid > 0)
                snprintf(path, sizeof(path), "%d/task/%d/%s", (int)pid, (int)tid, s->path);
        else
                snprintf(path, sizeof(path), "%d/%s", (int)pid, s->path);
        dfd = nprocfs_open_path(ctx, path, O_RDONLY | O_DIRECTORY);
        if (dfd < 0)
                return dfd == -ENOTDIR ? -EIO : dfd;
        fd = dfd;
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return -ENOMEM;
        }
        errno = 0;
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 && n < INT32_MAX)
                        n++;
        if (errno != 0)
                n = errno == ESRCH ? -ENOENT : -errno;
        closedir(d);
        return n;
}
