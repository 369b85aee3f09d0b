/* The generic interpreter: parses any file whose schema has a grammar
 * (struct nprocfs_grammar), with no code of the file's own.
 *
 * NPROCFS_SH_TABLE: after header_lines (and a header row, where the
 * grammar names one and the file has it), each non-empty line is a row;
 * its columns are the runs of non-blank bytes (or, one_blank, what single
 * blanks separate), numbered from 1 as a row field's pos. Where the
 * grammar has a variable run of columns (sep), the run is one token at
 * pos sep_col and the columns after its separator are numbered from
 * sep_base. The field with the highest pos takes the rest of the line from
 * that column on when it is a string (a mapping's pathname, which may hold
 * blanks); a number there takes its column only, so that columns a later
 * kernel appends are left out, not an error. Each field's conversion is
 * the one its .def row names. A line with fewer than min_cols columns is
 * malformed, and so is a file of fewer than min_rows rows; a column past
 * the last leaves its fields absent, but for decoders that read an absent
 * column as empty (a mapping with no pathname is anonymous).
 *
 * NPROCFS_SH_BLOCKS: a row per block of "Key<key_sep> value" lines. A block
 * starts at a header line (smaps: the mapping's line, its columns read as
 * a TABLE row's, key_col naming the row) or, with blank_ends, at the first
 * key line after a blank one (cpuinfo: rows by index). Each key line goes
 * to the field of the block with that key, whole-key match, converted as
 * the field says; a key no field has is kept as an unknown key of that
 * row (nprocfs_row's extra range). With record_keys the one block's keys
 * are the record's own fields (smaps_rollup). A key line before any block
 * is malformed.
 *
 * Bounds, so that no file makes the parse cost more than its size: a line
 * is at most BLOCK_LINE_MAX bytes; a block keeps at most BLOCK_EXTRA_MAX
 * unknown keys and a record at most REC_EXTRA_MAX (32 bytes each: 8 MiB at
 * most, and never more than 11 bytes per byte of the file, whose shortest
 * key line is 3 bytes). Past any of them the file is malformed: no kernel
 * writes such a file, and nothing of what it holds is silently dropped. */
#include <inttypes.h>
#include <stdio.h>

#include "internal.h"

#define MAX_COLS 64

/* The longest line of these files is a mapping's header: a path of at most
 * PATH_MAX bytes, each written as at most 4 ("\012"), and the columns
 * before it; cpuinfo's flags line is about 1.5 KiB. */
#define BLOCK_LINE_MAX  65536
#define BLOCK_EXTRA_MAX 64
#define REC_EXTRA_MAX   (1u << 18)

static bool blank(char c) {
        return c == ' ' || c == '\t';
}

/* np_trim() for a part of one line (no newline in it), inlined: smaps
 * pads every value to a column, and this runs once per line. */
static void trim_blanks(char **s, size_t *len) {
        char *p = *s, *e = *s + *len;

        while (p < e && blank(*p))
                p++;
        while (e > p && blank(e[-1]))
                e--;
        *s = p;
        *len = (size_t)(e - p);
}

/* The highest pos of a positional field of fields[0..n): that column runs
 * to the end of the line. */
static unsigned rest_column(const struct nprocfs_field *fields, size_t n) {
        unsigned c = 0;

        for (size_t j = 0; j < n; j++)
                if (fields[j].key_len == 0 && fields[j].pos > c)
                        c = fields[j].pos;
        return c;
}

/* Stores the columns into the positional fields of fields[0..nfields) of
 * base, marking their bits in present. */
static int assign_columns(void *base, uint64_t *present, const struct nprocfs_field *fields, size_t nfields,
                          unsigned rest_col, char *const *start, char *const *stop, unsigned n, char *le,
                          const struct nprocfs_env *env) {
        for (unsigned j = 0; j < nfields; j++) {
                const struct nprocfs_field *f = &fields[j];
                char *tok;
                size_t len;
                int r;

                if (f->key_len > 0 || f->pos == 0)
                        continue;
                if (f->pos > n) {
                        if (f->pos != rest_col || !np_decoder_takes_empty((enum nprocfs_conv)f->conv))
                                continue;
                        tok = le;
                        len = 0;
                } else {
                        tok = start[f->pos];
                        len = (size_t)(stop[f->pos] - tok);
                }
                r = np_field_set(base, f, tok, len, env);
                if (r < 0)
                        return r;
                present[j / 64] |= UINT64_C(1) << (j % 64);
        }
        return 0;
}

static bool is_word(const char *s, size_t len, const char *word) {
        size_t n = strlen(word);
        return len == n && memcmp(s, word, n) == 0;
}

/* The columns of line..le into start[1..], stop[1..]; returns how many.
 * At most MAX_COLS: the columns past them are not read. A column numbered
 * rest_col stops the split and runs to the end of the line. */
static unsigned split(const struct nprocfs_grammar *g, unsigned rest_col, char *line, char *le, char **start,
                      char **stop) {
        unsigned n = 0;
        char *p = line;

        if (g->one_blank && p == le)
                return 0;
        while (p <= le && n < MAX_COLS) {
                if (!g->one_blank) {
                        while (p < le && blank(*p))
                                p++;
                        if (p == le)
                                break;
                }
                start[++n] = p;
                if (n == rest_col) {
                        stop[n] = le;
                        break;
                }
                while (p < le && !blank(*p))
                        p++;
                stop[n] = p;
                if (p == le)
                        break;
                p++; /* one_blank: the one blank */
        }
        return n;
}

/* Numbers the columns start[1..n] as the fields' pos: the same but for a
 * variable run (g->sep). Returns the highest pos, or -EIO for a row
 * without its separator. Positions without a column have start NULL. */
static int number_columns(const struct nprocfs_grammar *g, char **start, char **stop, unsigned n, char **lstart,
                          char **lstop) {
        unsigned k, last, top;

        if (!g->sep) {
                for (unsigned i = 1; i <= n; i++)
                        lstart[i] = start[i], lstop[i] = stop[i];
                return (int)n;
        }
        last = g->sep_col + g->sep_max < n ? g->sep_col + g->sep_max : n;
        for (k = g->sep_col; k <= last; k++)
                if (is_word(start[k], (size_t)(stop[k] - start[k]), g->sep))
                        break;
        if (k > last)
                return -EIO;
        for (unsigned i = 1; i < g->sep_col; i++)
                lstart[i] = start[i], lstop[i] = stop[i];
        /* the run: its columns with what is between them, or nothing */
        lstart[g->sep_col] = k > g->sep_col ? start[g->sep_col] : start[k];
        lstop[g->sep_col] = k > g->sep_col ? stop[k - 1] : start[k];
        for (unsigned i = g->sep_col + 1; i < g->sep_base && i <= MAX_COLS; i++)
                lstart[i] = lstop[i] = NULL;
        top = g->sep_col;
        for (unsigned j = k + 1; j <= n && g->sep_base + (j - k - 1) <= MAX_COLS; j++) {
                top = g->sep_base + (j - k - 1);
                lstart[top] = start[j];
                lstop[top] = stop[j];
        }
        return (int)top;
}

static int table_row(struct nprocfs_rec *rec, const struct nprocfs_grammar *g, unsigned rest_col, char *line, char *le,
                     const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        char *start[MAX_COLS + 1], *stop[MAX_COLS + 1], *lstart[MAX_COLS + 1], *lstop[MAX_COLS + 1];
        struct nprocfs_row *row;
        unsigned n;
        int top;

        /* with a run, the columns are numbered only once it is found */
        n = split(g, g->sep ? 0 : rest_col, line, le, start, stop);
        if (n == 0)
                return 0; /* an empty line */
        top = number_columns(g, start, stop, n, lstart, lstop);
        if (top < 0 || (unsigned)top < g->min_cols)
                return -EIO;
        n = (unsigned)top;
        if (rest_col && rest_col <= n && lstart[rest_col]) {
                char *e = le;
                while (e > lstart[rest_col] && blank(e[-1]))
                        e--;
                lstop[rest_col] = e;
        }
        row = np_rec_add_row(rec);
        if (!row)
                return -ENOMEM;
        if (g->key_col && g->key_col <= n && lstart[g->key_col]) {
                size_t klen = (size_t)(lstop[g->key_col] - lstart[g->key_col]);

                if (g->key_suffix) {
                        if (klen < 2 || lstart[g->key_col][klen - 1] != g->key_suffix)
                                return -EIO;
                        klen--;
                }
                row->key = (struct nprocfs_str){ lstart[g->key_col], klen };
        }
        for (unsigned j = 0; j < s->nrow_fields; j++) {
                const struct nprocfs_field *f = &s->row_fields[j];
                char *tok;
                size_t len;
                int r;

                if (f->pos == 0 || f->pos > n || !lstart[f->pos]) {
                        if (f->pos != rest_col || !np_decoder_takes_empty((enum nprocfs_conv)f->conv))
                                continue;
                        tok = le;
                        len = 0;
                } else {
                        tok = lstart[f->pos];
                        len = (size_t)(lstop[f->pos] - tok);
                }
                r = np_field_set(row, f, tok, len, env);
                if (r < 0)
                        return r;
                row->present |= UINT64_C(1) << j;
        }
        return 0;
}

/* The first column of line..le is word. */
static bool starts_with_word(const char *line, const char *le, const char *word) {
        const char *e;

        while (line < le && blank(*line))
                line++;
        for (e = line; e < le && !blank(*e); e++)
                ;
        return is_word(line, (size_t)(e - line), word);
}

/* The column a string field takes to the end of the line, or 0. */
static unsigned table_rest_column(const struct nprocfs_schema *s) {
        unsigned top = 0;
        bool str = false;

        for (unsigned j = 0; j < s->nrow_fields; j++)
                if (s->row_fields[j].pos > top)
                        top = s->row_fields[j].pos;
        for (unsigned j = 0; j < s->nrow_fields; j++)
                str |= s->row_fields[j].pos == top &&
                       (s->row_fields[j].type == NPROCFS_T_STR || s->row_fields[j].type == NPROCFS_T_LIST);
        return str ? top : 0;
}

static int parse_table(struct nprocfs_rec *rec, const struct nprocfs_grammar *g, const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        char *p = rec->buf, *end = rec->buf + rec->len;
        unsigned rest_col, skip;
        bool first = true;

        for (unsigned j = 0; j < s->nrow_fields; j++)
                if (s->row_fields[j].pos > MAX_COLS)
                        return -EINVAL;
        if (g->sep && (g->sep_col == 0 || g->sep_base <= g->sep_col))
                return -EINVAL;
        rest_col = table_rest_column(s);
        /* a NUL is no part of any text file of /proc */
        if (memchr(p, 0, rec->len))
                return -EIO;
        for (skip = g->header_lines; p < end; skip = skip ? skip - 1 : 0) {
                char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *line = p;
                int r;

                p = nl ? nl + 1 : end;
                if (skip)
                        continue;
                if (first && g->header && starts_with_word(line, le, g->header)) {
                        first = false;
                        continue;
                }
                first = false;
                r = table_row(rec, g, rest_col, line, le, env);
                if (r < 0)
                        return r;
        }
        return rec->nrows < g->min_rows ? -EIO : 0;
}

/* ---- blocks ---------------------------------------------------------- */

/* What a block writes into: the record, or its row. */
struct block {
        const struct nprocfs_field *fields; /* the fields keys go to */
        size_t nfields;
        size_t first_key; /* the first of them with a key: where each block's keys start */
        unsigned rest_col;
        void *base;              /* the record or the row; NULL before the first block */
        uint64_t *present;       /* its presence bits */
        struct nprocfs_row *row; /* NULL with record_keys */
        size_t nextra;           /* unknown keys of this block */
        size_t hint;             /* the field after the previous line's */
        unsigned n;              /* blocks so far */
};

/* The field whose key is key[0..klen), trying hint first: the kernel
 * prints keys in the table's order. -1 for none. */
static int find_key(const struct block *b, const char *key, size_t klen) {
        const struct nprocfs_field *f = b->fields;

        if (b->hint < b->nfields && f[b->hint].key_len == klen && memcmp(f[b->hint].key, key, klen) == 0)
                return (int)b->hint;
        for (size_t i = b->first_key; i < b->nfields; i++)
                if (f[i].key_len == klen && memcmp(f[i].key, key, klen) == 0)
                        return (int)i;
        return -1;
}

static int open_block(struct nprocfs_rec *rec, const struct nprocfs_grammar *g, struct block *b) {
        if (g->record_keys) {
                if (b->n > 0)
                        return -EIO; /* one block only */
                b->base = rec;
                b->present = rec->present;
        } else {
                struct nprocfs_row *row = np_rec_add_row(rec);

                if (!row)
                        return -ENOMEM;
                row->extra_first = (uint32_t)rec->nextra;
                b->row = row;
                b->base = row;
                b->present = &row->present;
        }
        b->nextra = 0;
        b->hint = b->first_key;
        b->n++;
        return 0;
}

/* A header line: a new block, its columns read as a TABLE row's. */
static int block_header(struct nprocfs_rec *rec, const struct nprocfs_grammar *g, struct block *b, char *line, char *le,
                        const struct nprocfs_env *env) {
        char *start[MAX_COLS + 1], *stop[MAX_COLS + 1];
        unsigned n = split(g, b->rest_col, line, le, start, stop);
        int r;

        if (b->rest_col && n == b->rest_col) /* the rest of the line, without its blanks */
                while (stop[n] > start[n] && blank(stop[n][-1]))
                        stop[n]--;

        if (n < g->min_cols)
                return -EIO;
        r = open_block(rec, g, b);
        if (r < 0)
                return r;
        if (b->row && g->key_col && g->key_col <= n)
                b->row->key = (struct nprocfs_str){ start[g->key_col], (size_t)(stop[g->key_col] - start[g->key_col]) };
        return assign_columns(b->base, b->present, b->fields, b->nfields, b->rest_col, start, stop, n, le, env);
}

/* Stores the value of a key line (blanks around it trimmed) into f. A kB
 * field's value is a number and its unit: "4 kB" as smaps writes it, or
 * "4096 KB" as cpuinfo writes a cache size (1024 bytes both). */
static int set_keyed(void *base, const struct nprocfs_field *f, char *val, size_t vlen, const struct nprocfs_env *env) {
        if (f->conv == NPROCFS_C_KB) {
                if (vlen < 4 || val[vlen - 1] != 'B' || (val[vlen - 2] != 'k' && val[vlen - 2] != 'K') ||
                    !blank(val[vlen - 3]))
                        return -EIO;
                vlen -= 3;
                while (vlen > 0 && blank(val[vlen - 1]))
                        vlen--;
        }
        /* most lines of smaps: a count or a size, straight to the member,
         * as np_field_set() would store it */
        if (f->type == NPROCFS_T_U64 && (f->conv == NPROCFS_C_KB || f->conv == NPROCFS_C_RAW)) {
                uint64_t v;

                if (nprocfs_parse_u64(val, vlen, &v) < 0)
                        return -EIO;
                *(uint64_t *)((char *)base + f->offset) = f->conv == NPROCFS_C_KB ? np_mul_sat(v, 1024) : v;
                return 0;
        }
        return np_field_set(base, f, val, vlen, env);
}

/* Where the key of a key line ends and its value starts. With blank_ends
 * (cpuinfo) every line is one: the key runs to key_sep, blanks before it
 * are no part of it ("model name\t: ..."). Else (smaps) a line is one when
 * its first word ends with key_sep ("Rss:"), and a header line otherwise.
 * 1 for a key line, 0 for a header line, -EIO for neither. */
static int key_line(const struct nprocfs_grammar *g, const struct block *b, char *line, char *le, char **ret_kend,
                    char **ret_val, int *ret_field) {
        const struct nprocfs_field *h = b->hint < b->nfields ? &b->fields[b->hint] : NULL;
        size_t len = (size_t)(le - line);
        char sep = (char)g->key_sep, *kend, *p;

        *ret_field = -1;
        /* mostly the key the hint names: a known key is a printable word
         * without the separator, so a match is what the scan would find */
        if (h && h->key_len > 0 && len > h->key_len && memcmp(line, h->key, h->key_len) == 0) {
                p = line + h->key_len;
                if (g->blank_ends)
                        while (p < le && blank(*p))
                                p++;
                if (p < le && *p == sep && (g->blank_ends || p + 1 == le || blank(p[1]))) {
                        *ret_kend = line + h->key_len;
                        *ret_val = p + 1;
                        *ret_field = (int)b->hint;
                        return 1;
                }
        }
        if (g->blank_ends) {
                p = memchr(line, sep, len);
                if (!p)
                        return -EIO;
                kend = p;
                while (kend > line && blank(kend[-1]))
                        kend--;
        } else {
                for (p = line; p < le && !blank(*p);)
                        p++;
                if (p == line || p[-1] != sep)
                        return 0;
                kend = --p;
        }
        if (kend == line)
                return -EIO;
        /* kernel keys are printable; blanks inside only where a blank does
         * not end them (cpuinfo's "cpu MHz") */
        for (char *c = line; c < kend; c++)
                if ((unsigned char)*c >= 0x7f || ((unsigned char)*c < ' ' && *c != '\t'))
                        return -EIO;
        *ret_kend = kend;
        *ret_val = p + 1;
        return 1;
}

static int block_line(struct nprocfs_rec *rec, const struct nprocfs_grammar *g, struct block *b, char *line, char *le,
                      const struct nprocfs_env *env) {
        char *kend, *val;
        size_t vlen;
        int i, r = key_line(g, b, line, le, &kend, &val, &i);

        if (r < 0)
                return r;
        if (r == 0)
                return block_header(rec, g, b, line, le, env);
        if (!b->base) {
                if (!g->blank_ends)
                        return -EIO; /* a key before any header */
                r = open_block(rec, g, b);
                if (r < 0)
                        return r;
        }
        vlen = (size_t)(le - val);
        trim_blanks(&val, &vlen);
        if (i < 0)
                i = find_key(b, line, (size_t)(kend - line));
        if (i >= 0) {
                r = set_keyed(b->base, &b->fields[i], val, vlen, env);
                if (r < 0)
                        return r;
                b->present[i / 64] |= UINT64_C(1) << (i % 64);
                b->hint = (size_t)i + 1;
                return 0;
        }
        if (b->nextra >= BLOCK_EXTRA_MAX || rec->nextra >= REC_EXTRA_MAX)
                return -EIO;
        r = np_rec_add_extra(rec, line, (size_t)(kend - line), val, vlen);
        if (r < 0)
                return r;
        b->nextra++;
        if (b->row)
                b->row->nextra++;
        return 0;
}

static int parse_blocks(struct nprocfs_rec *rec, const struct nprocfs_grammar *g, const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        char *p = rec->buf, *end = rec->buf + rec->len;
        struct block b = {
                .fields = g->record_keys ? s->fields : s->row_fields,
                .nfields = g->record_keys ? s->nfields : s->nrow_fields,
        };

        if (!b.fields || g->key_sep == 0 || (!g->record_keys && b.nfields > 64))
                return -EINVAL;
        b.rest_col = rest_column(b.fields, b.nfields);
        if (b.rest_col > MAX_COLS)
                return -EINVAL;
        while (b.first_key < b.nfields && b.fields[b.first_key].key_len == 0)
                b.first_key++;
        if (memchr(p, 0, rec->len))
                return -EIO;
        while (p < end) {
                char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *line = p, *q;
                int r;

                p = nl ? nl + 1 : end;
                if (le - line > BLOCK_LINE_MAX)
                        return -EIO;
                for (q = line; q < le && blank(*q);)
                        q++;
                if (q == le) {
                        /* a blank line: the end of a block, where blocks end so */
                        if (g->blank_ends) {
                                b.base = NULL;
                                b.row = NULL;
                        }
                        continue;
                }
                r = block_line(rec, g, &b, line, le, env);
                if (r < 0)
                        return r;
        }
        return b.n < g->min_blocks ? -EIO : 0;
}

/* NPROCFS_SH_PAIRS: a binary file of (type, value) pairs of machine words,
 * g->word_size bytes each in g's byte order (/proc/<pid>/auxv). A field is
 * the pair whose type is its row's key, a decimal number. The value is
 * written as text (hex for a HEX row, octal for an OCT one, signed for an
 * I64 one) and converted by np_field_set() as the row says, so a unit
 * or a boolean's 0 / 1 is applied and checked as in any text file; rows
 * whose member would point into that text (strings, lists, wide masks)
 * cannot describe a word, and make the schema refused whole. A type-0
 * pair ends the vector: the pairs after it are ignored, and a file with
 * none ends at its last pair. A length that is not a whole number of pairs
 * is malformed; an empty file has no entries. The first pair of a type
 * gives the field (as getauxval() finds it). A type no row names is kept as
 * an unknown key "AT_<type>" whose value is the word's decimal digits: the
 * source holds no text to point into, so that text is written after the
 * source's terminating NUL, in the record's own buffer (grown to fit, and
 * kept for the next parse). */

/* "AT_", then a type and a value of at most 20 digits each */
#define PAIR_TEXT_MAX (3 + 20 + 20)

static uint64_t word_at(const unsigned char *p, unsigned size, bool big) {
        uint64_t v = 0;

        for (unsigned i = 0; i < size; i++)
                v |= (uint64_t)p[big ? size - 1 - i : i] << (8 * i);
        return v;
}

/* The index of the row whose key is type, or -1. */
static int pair_field(const uint64_t *keys, size_t n, uint64_t type) {
        for (size_t i = 0; i < n; i++)
                if (keys[i] == type)
                        return (int)i;
        return -1;
}

static int pair_set(struct nprocfs_rec *rec, const struct nprocfs_field *f, uint64_t v, const struct nprocfs_env *env) {
        char tok[32];
        int n = f->conv == NPROCFS_C_HEX   ? snprintf(tok, sizeof(tok), "%" PRIx64, v)
                : f->conv == NPROCFS_C_OCT ? snprintf(tok, sizeof(tok), "%" PRIo64, v)
                : f->type == NPROCFS_T_I64 ? snprintf(tok, sizeof(tok), "%" PRId64, (int64_t)v)
                                           : snprintf(tok, sizeof(tok), "%" PRIu64, v);

        return np_field_set(rec, f, tok, (size_t)n, env);
}

static int parse_pairs(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        const struct nprocfs_grammar *g = s->grammar;
        const unsigned w = g->word_size;
        const bool big = g->big_endian;
        uint64_t keys[NPROCFS_MAX_FIELDS];
        size_t npairs, unknown = 0, need;
        char *text;

        if ((w != 4 && w != 8) || s->nfields > NPROCFS_MAX_FIELDS)
                return -EINVAL;
        for (unsigned i = 0; i < s->nfields; i++) {
                const struct nprocfs_field *f = &s->fields[i];

                if (f->type == NPROCFS_T_STR || f->type == NPROCFS_T_LIST || f->type == NPROCFS_T_MASKS ||
                    nprocfs_parse_u64(f->key, f->key_len, &keys[i]) < 0 || keys[i] == 0)
                        return -EINVAL;
        }
        if (rec->len % (2 * w))
                return -EIO;
        for (npairs = 0; npairs < rec->len / (2 * w); npairs++) {
                const unsigned char *p = (const unsigned char *)rec->buf + npairs * 2 * w;
                uint64_t type = word_at(p, w, big);
                int i;

                if (type == 0)
                        break;
                i = pair_field(keys, s->nfields, type);
                if (i < 0) {
                        unknown++;
                        continue;
                }
                if (nprocfs_rec_has(rec, (unsigned)i))
                        continue;
                if (pair_set(rec, &s->fields[i], word_at(p + w, w, big), env) < 0)
                        return -EIO;
                rec_set(rec, (unsigned)i);
        }
        if (unknown == 0)
                return 0;
        /* at most one unknown per 2 w bytes of source: this cannot overflow */
        need = rec->len + 1 + unknown * PAIR_TEXT_MAX;
        if (need > rec->cap) {
                char *b = realloc(rec->buf, need);
                if (!b)
                        return -ENOMEM;
                rec->buf = b;
                rec->cap = need;
        }
        text = rec->buf + rec->len + 1;
        for (size_t j = 0; j < npairs; j++) {
                const unsigned char *p = (const unsigned char *)rec->buf + j * 2 * w;
                uint64_t type = word_at(p, w, big);
                char tmp[PAIR_TEXT_MAX + 1]; /* and snprintf's NUL, not kept */
                int kn, vn, r;

                if (pair_field(keys, s->nfields, type) >= 0)
                        continue;
                kn = snprintf(tmp, sizeof(tmp), "AT_%" PRIu64, type);
                vn = snprintf(tmp + kn, sizeof(tmp) - (size_t)kn, "%" PRIu64, word_at(p + w, w, big));
                memcpy(text, tmp, (size_t)(kn + vn));
                r = np_rec_add_extra(rec, text, (size_t)kn, text + kn, (size_t)vn);
                if (r < 0)
                        return r;
                text += kn + vn;
        }
        return 0;
}

int np_parse_grammar(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        const struct nprocfs_grammar *g = rec->schema->grammar;

        if (!g)
                return -EINVAL;
        switch (g->shape) {
        case NPROCFS_SH_TABLE:
                return parse_table(rec, g, env);
        case NPROCFS_SH_BLOCKS:
                return parse_blocks(rec, g, env);
        case NPROCFS_SH_PAIRS:
                return parse_pairs(rec, env);
        case NPROCFS_SH_LINK:
        case NPROCFS_SH_LINKS:
                return np_parse_links(rec, env);
        default:
                return -EINVAL;
        }
}
