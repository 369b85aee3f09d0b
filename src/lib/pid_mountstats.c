/* /proc/<pid>/mountstats: a row per mount, by its place in the file
 * (pid_mountstats_row.def says what each line is).
 *
 * Parsed here, not by a grammar: a mount is a header line of prose whose
 * device may be missing ("no device mounted on ..."), whose statistics
 * version is glued to it as "statvers=1.1", and then, for NFS, a block of
 * tab-indented lines of four kinds: "key:\tvalue" lines (two of them a
 * line of numbers by place), a "RPC iostats version: ... p/v: ..." line of
 * two keys, one "xprt:" line per transport, and a "per-op statistics"
 * section whose lines are a table of their own. The row model has one
 * level, so those lines nest no further: the transports and the
 * operations are each one list of lines, in place in the buffer (the
 * text of consecutive lines moved together, one '\n' between them).
 *
 * Strict where the kernel is fixed (the header's words, numbers, a key
 * given twice, an indented line outside a mount's block), open where a
 * later kernel may add: an unknown key is kept as the row's, numbers past
 * the known ones on the events and bytes lines are left out, text after
 * the fstype that is not statvers= is kept as the row's unknown key
 * "stats". Bounds as in grammar.c: a line of at most LINE_MAX_ bytes, at
 * most ROW_EXTRA_MAX unknown keys a row and REC_EXTRA_MAX a record. */
#include "internal.h"

static const struct nprocfs_field row_fields[] = {
#define FIELDS_REC struct nprocfs_pid_mountstats_row
#define FIELDS_DEF <nprocfs/schema/pid_mountstats_row.def>
#include "fields-gen.h"
};

/* a mount point of PATH_MAX bytes, each escaped to 4 ("\040"), and the
 * rest of the header; an opts line is a few hundred bytes */
#define LINE_MAX_     65536
#define ROW_EXTRA_MAX 64
#define REC_EXTRA_MAX (1u << 18)

#define F_(name) NPROCFS_F_pid_mountstats_row_##name

/* The lines of numbers and how many numbers the oldest kernel printed:
 * statvers 1.0 had 25 events (1.1 added the two pNFS ones), both 8 bytes. */
static const struct {
        const char *key;
        unsigned min;
} number_lines[] = { { "events", 25 }, { "bytes", 8 } };

struct state {
        struct nprocfs_rec *rec;
        const struct nprocfs_env *env;
        struct nprocfs_pid_mountstats_row *row; /* NULL outside a mount's block */
        bool per_op;                            /* in the per-op section */
        int list;                               /* the list the line before added to, or -1 */
};

static bool blank(char c) {
        return c == ' ' || c == '\t';
}

static bool is_word(const char *s, size_t len, const char *word) {
        size_t n = strlen(word);
        return len == n && memcmp(s, word, n) == 0;
}

/* Consumes word at *p if the text from *p starts with it. */
static bool eat(const char **p, const char *end, const char *word) {
        size_t n = strlen(word);

        if ((size_t)(end - *p) < n || memcmp(*p, word, n) != 0)
                return false;
        *p += n;
        return true;
}

/* The run of non-blank bytes from *p (maybe empty); *p moves past it. */
static void token(const char **p, const char *end, char **ret_s, size_t *ret_len) {
        const char *s = *p;

        while (*p < end && !blank(**p))
                (*p)++;
        *ret_s = (char *)s;
        *ret_len = (size_t)(*p - s);
}

static int set(struct state *st, unsigned i, char *s, size_t len) {
        int r;

        if (nprocfs_row_has(&st->row->row, i))
                return -EIO; /* no kernel writes a line twice */
        r = np_field_set(st->row, &row_fields[i], s, len, st->env);
        if (r == -ENODATA)
                return 0;
        if (r < 0)
                return r;
        st->row->row.present |= UINT64_C(1) << i;
        return 0;
}

static int add_extra(struct state *st, const char *key, size_t klen, const char *val, size_t vlen) {
        int r;

        if (st->row->row.nextra >= ROW_EXTRA_MAX || st->rec->nextra >= REC_EXTRA_MAX)
                return -EIO;
        r = np_rec_add_extra(st->rec, key, klen, val, vlen);
        if (r < 0)
                return r;
        st->row->row.nextra++;
        return 0;
}

/* "device D mounted on M with fstype T[ statvers=V]", or "no device
 * mounted on ...": the words are the kernel's, each value one token (the
 * kernel escapes blanks in it), one blank between them. */
static int header(struct state *st, char *line, char *le) {
        const char *p = line;
        char *s;
        size_t len;
        int r;

        st->row = np_rec_add_row(st->rec);
        if (!st->row)
                return -ENOMEM;
        st->row->row.extra_first = (uint32_t)st->rec->nextra;
        if (eat(&p, le, "device ")) {
                token(&p, le, &s, &len);
                r = set(st, F_(device), s, len);
                if (r < 0)
                        return r;
        } else if (!eat(&p, le, "no device"))
                return -EIO;
        if (!eat(&p, le, " mounted on "))
                return -EIO;
        token(&p, le, &s, &len);
        if (len == 0 || set(st, F_(mount_point), s, len) < 0)
                return -EIO;
        if (!eat(&p, le, " with fstype "))
                return -EIO;
        token(&p, le, &s, &len);
        if (len == 0 || set(st, F_(fstype), s, len) < 0)
                return -EIO;
        if (p == le)
                return 0;
        /* a blank, then what the file system's show_stats wrote */
        s = (char *)++p;
        len = (size_t)(le - p);
        np_trim(&s, &len);
        if (len == 0)
                return 0;
        if (len > 9 && memcmp(s, "statvers=", 9) == 0 && !memchr(s, ' ', len) && !memchr(s, '\t', len))
                return set(st, F_(statvers), s + 9, len - 9);
        return add_extra(st, "stats", 5, s, len);
}

/* Adds item s[0..len) to list field i: the line before was its last item,
 * or it starts. Items move down over what was read already, so the list
 * is one run of the buffer. */
static int list_add(struct state *st, unsigned i, char *s, size_t len) {
        struct nprocfs_str *v = (struct nprocfs_str *)((char *)st->row + row_fields[i].offset);
        char *end;

        if (st->list != (int)i) {
                st->list = (int)i;
                return set(st, i, s, len);
        }
        end = (char *)v->ptr + v->len;
        if (v->len > 0)
                *end++ = '\n';
        memmove(end, s, len);
        v->len = (size_t)(end + len - v->ptr);
        return 0;
}

/* "NAME: n n n ...": an operation, its name (or its number) and at least
 * the 8 numbers of RPC iostats 1.0 (1.1 prints 9). */
static int op_line(struct state *st, char *s, size_t len) {
        const char *p = s, *end = s + len;
        unsigned n = 0;

        while (p < end && *p != ':' && !blank(*p))
                p++;
        if (p == s || p == end || *p != ':')
                return -EIO;
        p++;
        for (;;) {
                char *t;
                size_t tlen;
                uint64_t v;

                while (p < end && blank(*p))
                        p++;
                if (p == end)
                        break;
                token(&p, end, &t, &tlen);
                if (nprocfs_parse_u64(t, tlen, &v) < 0)
                        return -EIO;
                n++;
        }
        if (n < 8)
                return -EIO;
        return list_add(st, F_(per_op), s, len);
}

/* "1.1  p/v: 100003/4 (nfs)", the value of "RPC iostats version:" */
static int rpc_line(struct state *st, char *val, size_t vlen) {
        const char *p = val, *end = val + vlen;
        char *s, *slash;
        size_t len;

        token(&p, end, &s, &len);
        if (len == 0 || set(st, F_(rpc_iostats_version), s, len) < 0)
                return -EIO;
        while (p < end && blank(*p))
                p++;
        if (!eat(&p, end, "p/v:"))
                return -EIO;
        while (p < end && blank(*p))
                p++;
        token(&p, end, &s, &len);
        slash = memchr(s, '/', len);
        if (!slash || set(st, F_(rpc_program), s, (size_t)(slash - s)) < 0 ||
            set(st, F_(rpc_version), slash + 1, len - (size_t)(slash - s) - 1) < 0)
                return -EIO;
        while (p < end && blank(*p))
                p++;
        if (end - p < 3 || *p != '(' || end[-1] != ')')
                return -EIO;
        return set(st, F_(rpc_program_name), (char *)p + 1, (size_t)(end - p) - 2);
}

static bool has_key(unsigned i, const char *key, size_t klen) {
        return i < NELEMS(row_fields) && row_fields[i].key_len == klen && memcmp(row_fields[i].key, key, klen) == 0;
}

/* The first field with that key; -1 for none. */
static int find_key(const char *key, size_t klen) {
        for (unsigned i = 0; i < NELEMS(row_fields); i++)
                if (has_key(i, key, klen))
                        return (int)i;
        return -1;
}

/* The field of first's key whose pos is n: the fields of one key are
 * consecutive in the table. -1 for none. */
static int field_at(unsigned first, unsigned n) {
        const struct nprocfs_field *f = &row_fields[first];

        for (unsigned i = first; has_key(i, f->key, f->key_len); i++)
                if (row_fields[i].pos == n)
                        return (int)i;
        return -1;
}

/* The numbers of an events or bytes line: the n-th (from 0) to the field
 * of that key whose pos is n. */
static int number_line(struct state *st, unsigned first, unsigned min, char *val, size_t vlen) {
        const char *p = val, *end = val + vlen;
        unsigned n = 0;

        for (;; n++) {
                char *t;
                size_t tlen;
                uint64_t v;
                int i, r;

                while (p < end && blank(*p))
                        p++;
                if (p == end)
                        break;
                token(&p, end, &t, &tlen);
                i = field_at(first, n);
                if (i < 0) {
                        /* a later kernel's counter: left out, but a number */
                        if (nprocfs_parse_u64(t, tlen, &v) < 0)
                                return -EIO;
                        continue;
                }
                r = set(st, (unsigned)i, t, tlen);
                if (r < 0)
                        return r;
        }
        return n < min ? -EIO : 0;
}

/* An indented line of a mount's block, blanks around it trimmed. */
static int block_line(struct state *st, char *s, size_t len) {
        char *colon, *val;
        size_t klen, vlen;
        int i;

        if (st->per_op)
                return op_line(st, s, len);
        if (is_word(s, len, "per-op statistics")) {
                st->per_op = true;
                st->list = F_(per_op); /* its lines follow: an empty list until then */
                return set(st, F_(per_op), s + len, 0);
        }
        colon = memchr(s, ':', len);
        if (!colon || colon == s)
                return -EIO;
        klen = (size_t)(colon - s);
        for (size_t j = 0; j < klen; j++)
                if ((unsigned char)s[j] < ' ' || (unsigned char)s[j] >= 0x7f)
                        return -EIO;
        val = colon + 1;
        vlen = len - klen - 1;
        np_trim(&val, &vlen);
        if (is_word(s, klen, "xprt"))
                return vlen == 0 ? -EIO : list_add(st, F_(xprt), val, vlen);
        st->list = -1;
        if (is_word(s, klen, "RPC iostats version"))
                return rpc_line(st, val, vlen);
        for (size_t j = 0; j < NELEMS(number_lines); j++)
                if (is_word(s, klen, number_lines[j].key))
                        return number_line(st, (unsigned)find_key(s, klen), number_lines[j].min, val, vlen);
        /* the lines that are one field each: opts .. sec, in the table's
         * order; any other key is the row's unknown key */
        i = find_key(s, klen);
        if (i >= (int)F_(opts) && i <= (int)F_(sec))
                return set(st, (unsigned)i, val, vlen);
        return add_extra(st, s, klen, val, vlen);
}

static int parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        char *p = rec->buf, *end = rec->buf + rec->len;
        struct state st = { .rec = rec, .env = env, .list = -1 };

        /* a NUL is no part of any text file of /proc */
        if (memchr(p, 0, rec->len))
                return -EIO;
        while (p < end) {
                char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *line = p;
                size_t len = (size_t)(le - line);
                bool indented = blank(*line);
                int r;

                p = nl ? nl + 1 : end;
                if (len > LINE_MAX_)
                        return -EIO;
                np_trim(&line, &len);
                if (len == 0) {
                        /* the end of a mount's block: NFS ends its per-op
                         * lines with an empty one */
                        st.row = NULL;
                        st.per_op = false;
                        st.list = -1;
                        continue;
                }
                if (!indented) {
                        st.per_op = false;
                        st.list = -1;
                        r = header(&st, line, line + len);
                } else if (!st.row)
                        r = -EIO; /* a mount's line before any mount */
                else
                        r = block_line(&st, line, len);
                if (r < 0)
                        return r;
        }
        /* every process has a mount: its root */
        return rec->nrows == 0 ? -EIO : 0;
}

/* By hand, not by SCHEMA_DEFINE_TABLE: the file has no fields of its own
 * (an array cannot be empty) and no grammar. The file is 0400 in /proc
 * (fs/proc/base.c: REG("mountstats", S_IRUSR, ...)) and its open checks
 * no ptrace access (fs/proc_namespace.c: mountstats_open): its mode and
 * owner alone guard it, as the tree's files do, so it is not
 * NPROCFS_S_RESTRICTED. No thread directory has it (tid_base_stuff). */
static_assert(NELEMS(row_fields) <= 64, "too many row fields");
static_assert(F_(opts) < F_(sec), "the one-field lines are opts .. sec");
SCHEMA_ROWS_FIT(row_fields);
const struct nprocfs_schema nprocfs_schema_pid_mountstats = {
        SCHEMA_HEAD(pid_mountstats, "mountstats", "mountstats", PID, NPROCFS_S_PER_OBJECT, 0400,
                    "Mounts of the process's mount namespace with their statistics (NFS: options, event and byte "
                    "counters, RPC transports and operations): a row per mount, by its place in the file; readable "
                    "by the process's owner (mode 0400, no ptrace check)"),
        .row_name = "mount",
        .fields = row_fields, /* none of its own: not NULL, which + 0 is not */
        .nfields = 0,
        .parse = parse,
        SCHEMA_ROWS(pid_mountstats, row_fields),
};
