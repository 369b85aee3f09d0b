/* /proc/<pid>/pagemap: one 64-bit word per virtual page, at offset (address
 * / page size) * 8, shown as page counts per mapping. /proc shows it only
 * to a reader that may ptrace-read the process's memory (pagemap_open ->
 * proc_mem_open -> mm_access, PTRACE_MODE_READ), mode 0400.
 *
 * The file cannot be read whole: the address space is 2^47 bytes and more,
 * 2^35 words. So the reader opens pagemap, reads the same process's maps,
 * and reads with pread only the words of each mapping's range, at most
 * PAGEMAP_MAX_PAGES in all (read_pagemap below says which). A snapshot's
 * pagemap is read the same way: a sparse file with the mapped ranges
 * filled (src/tools/nprocfs-capture writes it so).
 *
 * What it makes of them, the source the parse takes (and the fuzz harness
 * feeds), with u64 in the host's byte order, as pagemap writes its words:
 *
 *   source  := release '\n' mapping*
 *   release := the first line of ROOT/sys/kernel/osrelease, or nothing when
 *              the root has none; it says which bits the kernel has
 *   mapping := line '\n' nruns:u64 run:u64{nruns}
 *   line    := the mapping's line of maps, as the kernel wrote it
 *   run     := a word's flags (bits 55-63) with, in bits 0-54, how many
 *              pages in a row carry exactly them (1 or more)
 *
 * The runs of a mapping cover the pages read, from its start; bits 0-54 of
 * a word (the frame number of a page in RAM, or a swapped page's swap type
 * and offset) are never kept. That makes the source small (a mapping of a
 * million untouched pages is one run) and holds nothing physical, as the
 * kernel itself gives a reader without CAP_SYS_ADMIN. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "internal.h"

/* Words read per file at most: 8 MiB of pagemap, 4 GiB of address space
 * with 4 KiB pages. A hostile snapshot's maps may claim terabytes; a live
 * process may reserve them (a JIT's cage, a sanitizer's shadow). */
#define PAGEMAP_MAX_PAGES (UINT64_C(1) << 20)

/* The frame number, or a swapped page's type and offset */
#define PM_FRAME_MASK ((UINT64_C(1) << 55) - 1)

static const struct nprocfs_field fields[] = {
#define FIELDS_REC struct nprocfs_pid_pagemap
#define FIELDS_DEF <nprocfs/schema/pid_pagemap.def>
#include "fields-gen.h"
};

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_pid_pagemap_row
#define FIELDS_DEF <nprocfs/schema/pid_pagemap_row.def>
#include "fields-gen.h"
};

/* The counts, by the bit each counts: row field, total, bit. The first
 * kernel of each is its row's kver. */
static const struct {
        unsigned row, total, bit;
} counts[] = {
        { NPROCFS_F_pid_pagemap_row_present_pages, NPROCFS_F_pid_pagemap_present_pages, 63 },
        { NPROCFS_F_pid_pagemap_row_swapped_pages, NPROCFS_F_pid_pagemap_swapped_pages, 62 },
        { NPROCFS_F_pid_pagemap_row_file_pages, NPROCFS_F_pid_pagemap_file_pages, 61 },
        { NPROCFS_F_pid_pagemap_row_exclusive_pages, NPROCFS_F_pid_pagemap_exclusive_pages, 56 },
        { NPROCFS_F_pid_pagemap_row_soft_dirty_pages, NPROCFS_F_pid_pagemap_soft_dirty_pages, 55 },
        { NPROCFS_F_pid_pagemap_row_uffd_wp_pages, NPROCFS_F_pid_pagemap_uffd_wp_pages, 57 },
        { NPROCFS_F_pid_pagemap_row_guard_region_pages, NPROCFS_F_pid_pagemap_guard_region_pages, 58 },
};

static uint64_t get_u64(const char *p) {
        uint64_t v;

        memcpy(&v, p, sizeof(v));
        return v;
}

static uint64_t add_sat(uint64_t a, uint64_t b) {
        return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* ---- parsing ---------------------------------------------------------- */

/* "6.18.44-fc" -> 6, 18, 44; "6.8-rc1" -> 6, 8, 0. 0 when s starts so,
 * else -EIO. */
static int version(const char *s, size_t len, uint64_t ret[3]) {
        size_t i = 0;

        for (unsigned k = 0; k < 3; k++) {
                size_t d = i;

                while (i < len && isdigit((unsigned char)s[i]))
                        i++;
                if (i == d || nprocfs_parse_u64(s + d, i - d, &ret[k]) < 0) {
                        if (k < 2)
                                return -EIO;
                        ret[k] = 0;
                        return 0;
                }
                if (k < 2 && (i == len || s[i] != '.')) {
                        if (k == 0)
                                return -EIO;
                        ret[2] = 0;
                        return 0;
                }
                i++;
        }
        return 0;
}

/* Whether kernel (NULL: unknown, taken to be new) has the bit a field's
 * kver names. */
static bool kernel_has(const uint64_t *kernel, const struct nprocfs_field *f) {
        uint64_t v[3];

        if (!kernel || version(f->kver, strlen(f->kver), v) < 0)
                return true;
        for (unsigned k = 0; k < 3; k++)
                if (kernel[k] != v[k])
                        return kernel[k] > v[k];
        return true;
}

static bool blank(char c) {
        return c == ' ' || c == '\t';
}

/* One line of maps into row: its range names it; start, end, pages,
 * perms, pathname and kind. A range that is no whole number of pages, or
 * does not follow the previous one's, is malformed. */
static int maps_line(struct nprocfs_pid_pagemap_row *row, char *line, char *le, uint64_t prev_end,
                     const struct nprocfs_env *env) {
        const struct nprocfs_field *rf = row_fields;
        char *col[6], *stop[6], *p = line;
        unsigned n = 0;
        int r;

        while (n < 6) {
                while (p < le && blank(*p))
                        p++;
                if (p == le)
                        break;
                col[n] = p;
                if (n == 5) { /* the pathname: the rest of the line, blanks and all */
                        stop[n] = le;
                        while (stop[n] > col[n] && blank(stop[n][-1]))
                                stop[n]--;
                } else {
                        while (p < le && !blank(*p))
                                p++;
                        stop[n] = p;
                }
                n++;
        }
        if (n < 5)
                return -EIO;
        row->row.key = (struct nprocfs_str){ col[0], (size_t)(stop[0] - col[0]) };
        r = np_field_set(row, &rf[NPROCFS_F_pid_pagemap_row_start_address], col[0], (size_t)(stop[0] - col[0]), env);
        if (r == 0)
                r = np_field_set(row, &rf[NPROCFS_F_pid_pagemap_row_end_address], col[0], (size_t)(stop[0] - col[0]),
                                 env);
        if (r == 0)
                r = np_field_set(row, &rf[NPROCFS_F_pid_pagemap_row_perms], col[1], (size_t)(stop[1] - col[1]), env);
        if (r == 0 && n == 6)
                r = np_field_set(row, &rf[NPROCFS_F_pid_pagemap_row_pathname], col[5], (size_t)(stop[5] - col[5]), env);
        if (r == 0)
                r = n == 6 ? np_field_set(row, &rf[NPROCFS_F_pid_pagemap_row_kind], col[5], (size_t)(stop[5] - col[5]),
                                          env)
                           : np_field_set(row, &rf[NPROCFS_F_pid_pagemap_row_kind], le, 0, env);
        if (r < 0)
                return -EIO;
        if (row->end_address <= row->start_address || row->start_address < prev_end || env->page_size == 0 ||
            row->start_address % env->page_size || row->end_address % env->page_size)
                return -EIO;
        row->pages = (row->end_address - row->start_address) / env->page_size;
        row->row.present |=
                UINT64_C(1) << NPROCFS_F_pid_pagemap_row_start_address |
                UINT64_C(1) << NPROCFS_F_pid_pagemap_row_end_address | UINT64_C(1) << NPROCFS_F_pid_pagemap_row_pages |
                UINT64_C(1) << NPROCFS_F_pid_pagemap_row_perms | UINT64_C(1) << NPROCFS_F_pid_pagemap_row_kind;
        if (n == 6)
                row->row.present |= UINT64_C(1) << NPROCFS_F_pid_pagemap_row_pathname;
        return 0;
}

/* The runs of one mapping, from *p, into row's counts. *scanned is the
 * file's pages so far. */
static int runs(struct nprocfs_pid_pagemap_row *row, char **p, char *end, uint64_t *scanned) {
        uint64_t n, *count[NELEMS(counts)];

        if (end - *p < 8)
                return -EIO;
        n = get_u64(*p);
        *p += 8;
        if (n > (uint64_t)(end - *p) / 8)
                return -EIO;
        for (size_t k = 0; k < NELEMS(counts); k++)
                count[k] = (uint64_t *)((char *)row + row_fields[counts[k].row].offset);
        for (uint64_t i = 0; i < n; i++, *p += 8) {
                uint64_t w = get_u64(*p), c = w & PM_FRAME_MASK;

                /* a run is a page at least; the mapping has no more pages
                 * than its range, the file no more than the cap */
                if (c == 0 || c > row->pages - row->scanned_pages || c > PAGEMAP_MAX_PAGES - *scanned)
                        return -EIO;
                row->scanned_pages += c;
                *scanned += c;
                for (size_t k = 0; k < NELEMS(counts); k++)
                        if (w >> counts[k].bit & 1)
                                *count[k] += c;
        }
        return 0;
}

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        struct nprocfs_pid_pagemap *m = (struct nprocfs_pid_pagemap *)rec;
        char *p = rec->buf, *end = rec->buf + rec->len, *nl;
        uint64_t kernel[3], scanned = 0, prev_end = 0;
        uint64_t row_bits = UINT64_C(1) << NPROCFS_F_pid_pagemap_row_scanned_pages;
        bool known;

        /* the release: empty when the root had none */
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl || memchr(p, 0, (size_t)(nl - p)))
                return -EIO;
        known = nl > p;
        if (known && version(p, (size_t)(nl - p), kernel) < 0)
                return -EIO;
        p = nl + 1;
        for (size_t k = 0; k < NELEMS(counts); k++)
                if (kernel_has(known ? kernel : NULL, &row_fields[counts[k].row]))
                        row_bits |= UINT64_C(1) << counts[k].row;

        while (p < end) {
                struct nprocfs_pid_pagemap_row *row;
                char *line = p;
                int r;

                nl = memchr(p, '\n', (size_t)(end - p));
                if (!nl || memchr(line, 0, (size_t)(nl - line)))
                        return -EIO;
                p = nl + 1;
                row = np_rec_add_row(rec);
                if (!row)
                        return -ENOMEM;
                r = maps_line(row, line, nl, prev_end, env);
                if (r == 0)
                        r = runs(row, &p, end, &scanned);
                if (r < 0)
                        return r;
                prev_end = row->end_address;
                row->row.present |= row_bits;
        }

        /* the totals: of the bits this kernel has, over every row (none:
         * a kernel thread's, a zombie's, 0) */
        rec_set(rec, NPROCFS_F_pid_pagemap_pages);
        rec_set(rec, NPROCFS_F_pid_pagemap_scanned_pages);
        for (size_t k = 0; k < NELEMS(counts); k++)
                if (row_bits >> counts[k].row & 1)
                        rec_set(rec, counts[k].total);
        for (size_t i = 0; i < rec->nrows; i++) {
                const struct nprocfs_pid_pagemap_row *row = NPROCFS_ROW(m, pid_pagemap, i);

                m->pages = add_sat(m->pages, row->pages);
                m->scanned_pages += row->scanned_pages;
                for (size_t k = 0; k < NELEMS(counts); k++) {
                        uint64_t *t = (uint64_t *)((char *)m + fields[counts[k].total].offset);
                        *t += *(const uint64_t *)((const char *)row + row_fields[counts[k].row].offset);
                }
        }
        return 0;
}

/* ---- reading ---------------------------------------------------------- */

/* A buffer bigger than this is not kept after a failed read (ctx.c's rule) */
#define KEEP_AFTER_FAILURE (1u << 20)

/* Words read at a time, into the stack */
#define CHUNK 2048

struct out {
        struct nprocfs_rec *rec;
        size_t at;  /* where the source starts in rec's buffer */
        size_t max; /* the source's largest size */
};

/* Room for n more bytes at rec->len. */
static int reserve(struct out *o, size_t n) {
        struct nprocfs_rec *rec = o->rec;
        size_t cap;
        char *b;

        if (n > o->max || rec->len - o->at > o->max - n)
                return -EFBIG;
        if (rec->len + n + 1 <= rec->cap)
                return 0;
        for (cap = rec->cap ? rec->cap : 4096; cap < rec->len + n + 1;)
                cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        b = realloc(rec->buf, cap);
        if (!b)
                return -ENOMEM;
        rec->buf = b;
        rec->cap = cap;
        return 0;
}

static int put(struct out *o, const void *data, size_t n) {
        int r = reserve(o, n);

        if (r < 0)
                return r;
        memcpy(o->rec->buf + o->rec->len, data, n);
        o->rec->len += n;
        return 0;
}

static int put_u64(struct out *o, uint64_t v) {
        return put(o, &v, sizeof(v));
}

/* The first line of the root's osrelease, into buf (size bytes), or
 * nothing when the root has none that reads. */
static size_t release(nprocfs_ctx *ctx, char *buf, size_t size) {
        size_t len = 0, fsize;
        int fd = np_ctx_open_file(ctx, "sys/kernel/osrelease", size, &fsize);

        if (fd < 0)
                return 0;
        while (len < size) {
                ssize_t n = read(fd, buf + len, size - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                len += (size_t)n;
        }
        close(fd);
        if (len == size) /* no release of any kernel is that long: not one */
                return 0;
        for (size_t i = 0; i < len; i++)
                if (buf[i] == '\n' || buf[i] == 0)
                        return i;
        return len;
}

/* The range of a line of maps, and its pages. -EIO for what is none. */
static int line_range(const char *line, const char *le, uint64_t page_size, uint64_t *ret_start, uint64_t *ret_pages) {
        const char *dash = memchr(line, '-', (size_t)(le - line)), *e = dash;
        uint64_t a, b;

        while (e && e < le && !blank(*e))
                e++;
        if (!dash || np_parse_hex(line, (size_t)(dash - line), &a) < 0 ||
            np_parse_hex(dash + 1, (size_t)(e - dash - 1), &b) < 0 || b <= a || page_size == 0)
                return -EIO;
        *ret_start = a;
        *ret_pages = (b - a) / page_size;
        return 0;
}

/* Pages that share cap fairly: each gets its own pages, up to a level
 * that spends the cap, and the first ones above the level one more. */
static void share(char *pages, size_t n, uint64_t cap) {
        uint64_t total = 0, lo = 0, hi = cap, left;

        for (size_t i = 0; i < n; i++)
                total = add_sat(total, get_u64(pages + 8 * i));
        if (total <= cap)
                return;
        /* the highest level whose pages fit in the cap */
        while (lo < hi) {
                uint64_t mid = lo + (hi - lo + 1) / 2, sum = 0;

                for (size_t i = 0; i < n && sum <= cap; i++) {
                        uint64_t v = get_u64(pages + 8 * i);
                        sum += v < mid ? v : mid;
                }
                if (sum <= cap)
                        lo = mid;
                else
                        hi = mid - 1;
        }
        left = cap;
        for (size_t i = 0; i < n; i++) {
                uint64_t v = get_u64(pages + 8 * i);
                left -= v < lo ? v : lo;
        }
        for (size_t i = 0; i < n; i++) {
                uint64_t v = get_u64(pages + 8 * i), a = v < lo ? v : lo;

                if (v > lo && left > 0) {
                        a++;
                        left--;
                }
                memcpy(pages + 8 * i, &a, 8);
        }
}

/* The words of want pages from byte offset off of fd, as runs. A short
 * read ends them: the end of a snapshot's file, or of the process's
 * address space (the kernel has no words past it). *ret_nruns counts. */
static int words(struct out *o, int fd, uint64_t off, uint64_t want, uint64_t *ret_nruns) {
        uint64_t buf[CHUNK], run = 0, flags = 0, nruns = 0;
        int r;

        while (want > 0) {
                size_t ask = (size_t)(want < CHUNK ? want : CHUNK) * 8, have = 0;
                ssize_t n = 0;

                if (off > (uint64_t)INT64_MAX - ask)
                        break;
                while (have < ask) {
                        n = pread(fd, (char *)buf + have, ask - have, (off_t)(off + have));
                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n < 0)
                                return errno == ESRCH ? -ENOENT : -errno;
                        if (n == 0)
                                break;
                        have += (size_t)n;
                }
                if (have % 8)
                        return -EIO; /* a file ending inside a word: no pagemap's */
                for (size_t i = 0; i < have / 8; i++) {
                        uint64_t f = buf[i] & ~PM_FRAME_MASK;

                        if (run > 0 && f == flags) {
                                run++;
                                continue;
                        }
                        if (run > 0) {
                                r = put_u64(o, flags | run);
                                if (r < 0)
                                        return r;
                                nruns++;
                        }
                        flags = f;
                        run = 1;
                }
                if (have < ask)
                        break;
                want -= ask / 8;
                off += ask;
        }
        if (run > 0) {
                r = put_u64(o, flags | run);
                if (r < 0)
                        return r;
                nruns++;
        }
        *ret_nruns = nruns;
        return 0;
}

/* The next line of maps from *p (of buf..end), blank ones skipped: 0 at
 * the end. */
static bool next_line(const char *buf, size_t end, size_t *p, size_t *ret_line, size_t *ret_le) {
        while (*p < end) {
                const char *nl = memchr(buf + *p, '\n', end - *p);
                size_t line = *p, le = nl ? (size_t)(nl - buf) : end, i = line;

                *p = le + 1;
                while (i < le && blank(buf[i]))
                        i++;
                if (i < le) {
                        *ret_line = line;
                        *ret_le = le;
                        return true;
                }
        }
        return false;
}

/* The reader: pagemap opened first (its open is /proc's access check, as
 * a reader of the file meets it), then maps read whole into rec's buffer,
 * after it the pages each mapping may have of the cap, then the source
 * after those, moved to the start at the end: no buffer but the record's.
 * The maps and the words are not read at one instant: a mapping changed
 * in between counts what its range holds when its words are read. */
static ssize_t read_pagemap(nprocfs_ctx *ctx, const char *path, struct nprocfs_rec *rec) {
        const uint64_t page_size = nprocfs_ctx_env(ctx)->page_size;
        const char *slash = strrchr(path, '/');
        char maps[128], rel[80];
        size_t fsize, mlen, nmaps = 0, at, rlen, p, line, le;
        struct out o = { .rec = rec, .max = np_ctx_max_file(ctx) };
        uint64_t v[3];
        int fd, r;

        if (!slash || (size_t)(slash - path) + sizeof("/maps") > sizeof(maps))
                return -ENOENT;
        snprintf(maps, sizeof(maps), "%.*s/maps", (int)(slash - path), path);
        fd = np_ctx_open_file(ctx, path, UINT64_MAX, &fsize);
        if (fd < 0)
                return fd;
        rlen = release(ctx, rel, sizeof(rel));
        if (rlen > 0 && version(rel, rlen, v) < 0)
                rlen = 0; /* a release the parse cannot read says nothing */
        r = (int)np_ctx_read_whole(ctx, maps, rec);
        if (r < 0)
                goto fail;
        mlen = rec->len;
        for (p = 0; next_line(rec->buf, mlen, &p, &line, &le);)
                nmaps++;
        /* the pages of each mapping, at an 8-byte boundary after maps */
        at = (mlen + 8) & ~(size_t)7;
        o.at = rec->len = at;
        r = reserve(&o, 8 * nmaps);
        if (r < 0)
                goto fail;
        o.at = rec->len = at + 8 * nmaps;
        p = 0;
        for (size_t i = 0; next_line(rec->buf, mlen, &p, &line, &le); i++) {
                uint64_t start, pages;

                r = line_range(rec->buf + line, rec->buf + le, page_size, &start, &pages);
                if (r < 0)
                        goto fail;
                memcpy(rec->buf + at + 8 * i, &pages, 8);
        }
        share(rec->buf + at, nmaps, PAGEMAP_MAX_PAGES);

        r = put(&o, rel, rlen);
        if (r == 0)
                r = put(&o, "\n", 1);
        p = 0;
        for (size_t i = 0; r == 0 && next_line(rec->buf, mlen, &p, &line, &le); i++) {
                uint64_t start, pages, nruns = 0;
                size_t slot;

                line_range(rec->buf + line, rec->buf + le, page_size, &start, &pages); /* read above */
                r = reserve(&o, le - line + 1);
                if (r < 0)
                        break;
                /* from the maps part of the buffer, which reserve may have moved */
                memcpy(rec->buf + rec->len, rec->buf + line, le - line);
                rec->len += le - line;
                rec->buf[rec->len++] = '\n';
                slot = rec->len;
                r = put_u64(&o, 0);
                /* no word past the largest offset a file can have */
                if (r == 0 && start / page_size <= (uint64_t)INT64_MAX / 8)
                        r = words(&o, fd, start / page_size * 8, get_u64(rec->buf + at + 8 * i), &nruns);
                if (r == 0)
                        memcpy(rec->buf + slot, &nruns, 8);
        }
        if (r < 0)
                goto fail;
        close(fd);
        rec->len -= o.at;
        memmove(rec->buf, rec->buf + o.at, rec->len);
        rec->buf[rec->len] = 0;
        return (ssize_t)rec->len;
fail:
        close(fd);
        rec->len = 0;
        if (rec->cap > KEEP_AFTER_FAILURE) {
                free(rec->buf);
                rec->buf = NULL;
                rec->cap = 0;
        } else if (rec->buf)
                rec->buf[0] = 0;
        return r;
}

/* By hand, not by SCHEMA_DEFINE_TABLE: the schema has a reader. */
static_assert(NELEMS(fields) <= NPROCFS_MAX_FIELDS, "too many fields");
static_assert(NELEMS(row_fields) <= 64, "too many row fields");
SCHEMA_FIELDS_FIT(fields);
SCHEMA_ROWS_FIT(row_fields);
const struct nprocfs_schema nprocfs_schema_pid_pagemap = {
        SCHEMA_HEAD(pid_pagemap, "pagemap", "pagemap", PID,
                    NPROCFS_S_TASK | NPROCFS_S_RESTRICTED | NPROCFS_S_MM | NPROCFS_S_KEYS_VERBATIM |
                            NPROCFS_S_PER_OBJECT,
                    0400,
                    "Page counts of each mapping, from its pagemap words: a row per mapping of maps, named by its "
                    "range, and the totals; at most 1048576 words are read per file (8 MiB), shared out among the "
                    "mappings, and scanned_pages says how many of each"),
        .row_name = "mapping",
        .fields = fields,
        .nfields = NELEMS(fields),
        .parse = parse,
        .read = read_pagemap, /* pread at each mapping's place */
        SCHEMA_ROWS(pid_pagemap, row_fields),
};
