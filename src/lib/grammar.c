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
 * column as empty (a mapping with no pathname is anonymous). */
#include "internal.h"

#define MAX_COLS 64

static bool blank(char c) {
        return c == ' ' || c == '\t';
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
static unsigned rest_column(const struct nprocfs_schema *s) {
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

int np_parse_grammar(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        const struct nprocfs_schema *s = rec->schema;
        const struct nprocfs_grammar *g = s->grammar;
        char *p = rec->buf, *end = rec->buf + rec->len;
        unsigned rest_col, skip;
        bool first = true;

        if (!g || g->shape != NPROCFS_SH_TABLE)
                return -EINVAL;
        for (unsigned j = 0; j < s->nrow_fields; j++)
                if (s->row_fields[j].pos > MAX_COLS)
                        return -EINVAL;
        if (g->sep && (g->sep_col == 0 || g->sep_base <= g->sep_col))
                return -EINVAL;
        rest_col = rest_column(s);
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
