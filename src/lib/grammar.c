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

int np_parse_grammar(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        const struct nprocfs_grammar *g = s->grammar;
        char *p = rec->buf, *end = rec->buf + rec->len;
        unsigned rest_col = 0, skip;

        if (g && (g->shape == NPROCFS_SH_LINK || g->shape == NPROCFS_SH_LINKS))
                return np_parse_links(rec, env);
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
