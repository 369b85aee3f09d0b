/* The generic interpreter: parses any file whose schema has a grammar
 * (struct nprocfs_grammar), with no code of the file's own.
 *
 * NPROCFS_SH_TABLE: after header_lines, each non-empty line is a row; its
 * columns are the runs of non-blank bytes, numbered from 1 as a row field's
 * pos; the field with the highest pos takes the rest of the line from that
 * column on (a mapping's pathname, which may hold blanks). Each field's
 * conversion is the one its .def row names, looked up once per field. A
 * line with fewer than min_cols columns is malformed; a column past the
 * last leaves its fields absent, but for decoders that read an absent
 * column as empty (a mapping with no pathname is anonymous). */
#include <inttypes.h>
#include <stdio.h>

#include "internal.h"

#define MAX_COLS 64

static bool blank(char c) {
        return c == ' ' || c == '\t';
}

static int table_row(struct nprocfs_rec *rec, const struct nprocfs_grammar *g, unsigned rest_col, char *line, char *le,
                     const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        char *start[MAX_COLS + 1], *stop[MAX_COLS + 1];
        struct nprocfs_row *row;
        unsigned n = 0;
        char *p = line;

        while (p < le && n < MAX_COLS) {
                while (p < le && blank(*p))
                        p++;
                if (p == le)
                        break;
                start[++n] = p;
                if (n == rest_col) {
                        char *e = le;
                        while (e > p && blank(e[-1]))
                                e--;
                        stop[n] = e;
                        break;
                }
                while (p < le && !blank(*p))
                        p++;
                stop[n] = p;
        }
        if (n == 0)
                return 0; /* an empty line */
        if (n < g->min_cols)
                return -EIO;
        row = np_rec_add_row(rec);
        if (!row)
                return -ENOMEM;
        if (g->key_col && g->key_col <= n)
                row->key = (struct nprocfs_str){ start[g->key_col], (size_t)(stop[g->key_col] - start[g->key_col]) };
        for (unsigned j = 0; j < s->nrow_fields; j++) {
                const struct nprocfs_field *f = &s->row_fields[j];
                char *tok;
                size_t len;
                int r;

                if (f->pos == 0 || f->pos > n) {
                        if (f->pos != rest_col || !np_decoder_takes_empty((enum nprocfs_conv)f->conv))
                                continue;
                        tok = le;
                        len = 0;
                } else {
                        tok = start[f->pos];
                        len = (size_t)(stop[f->pos] - tok);
                }
                r = np_field_set(row, f, tok, len, env);
                if (r < 0)
                        return r;
                row->present |= UINT64_C(1) << j;
        }
        return 0;
}

static int parse_table(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        const struct nprocfs_grammar *g = s->grammar;
        char *p = rec->buf, *end = rec->buf + rec->len;
        unsigned rest_col = 0, skip;

        if (!g || g->shape != NPROCFS_SH_TABLE)
                return -EINVAL;
        for (unsigned j = 0; j < s->nrow_fields; j++)
                if (s->row_fields[j].pos > rest_col)
                        rest_col = s->row_fields[j].pos;
        if (rest_col > MAX_COLS)
                return -EINVAL;
        /* a NUL is no part of any text file of /proc */
        if (memchr(p, 0, rec->len))
                return -EIO;
        for (skip = g->header_lines; p < end; skip = skip ? skip - 1 : 0) {
                char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *line = p;
                int r;

                p = nl ? nl + 1 : end;
                if (skip)
                        continue;
                r = table_row(rec, g, rest_col, line, le, env);
                if (r < 0)
                        return r;
        }
        return 0;
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

        switch (g ? g->shape : -1) {
        case NPROCFS_SH_TABLE:
                return parse_table(rec, env);
        case NPROCFS_SH_PAIRS:
                return parse_pairs(rec, env);
        case NPROCFS_SH_LINK:
        case NPROCFS_SH_LINKS:
                return np_parse_links(rec, env);
        default:
                return -EINVAL;
        }
}
