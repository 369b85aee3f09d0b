/* The generic half of every parser: strict numbers, unit conversion applied
 * from the schema row, and the two shapes most /proc files come in ("Key:
 * value" lines, and positional fields). A schema's own parse function only
 * handles what is special about its file. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>

#include "internal.h"
#include "scan.h"

const char *const nprocfs_words_state[] = {
        "running", "sleeping", "disk_sleep", "zombie", "stopped", "tracing_stop",
        "dead",    "wakekill", "waking",     "parked", "idle",    NULL,
};

/* 1 + the index in nprocfs_words_state of each state letter the kernel
 * writes, 0 for any other byte; 'x' is the pre-3.x spelling of dead. */
const uint8_t np_state1[256] = {
        ['R'] = 1, ['S'] = 2, ['D'] = 3, ['Z'] = 4, ['T'] = 5,  ['t'] = 6,
        ['X'] = 7, ['x'] = 7, ['K'] = 8, ['W'] = 9, ['P'] = 10, ['I'] = 11,
};

/* nprocfs_parse_u64(), inlined by the parsers here: an exported function
 * is not, in a -fPIC build. */
static inline int parse_u64(const char *s, size_t len, uint64_t *ret) {
        uint64_t v = 0;

        if (len == 0)
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                unsigned d = (unsigned char)s[i] - '0';
                if (d > 9)
                        return -EINVAL;
                /* 19 digits cannot overflow: past them the check fails at
                 * the first digit that would */
                if (i < 19)
                        v = v * 10 + d;
                else if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v))
                        return -ERANGE;
        }
        *ret = v;
        return 0;
}

int nprocfs_parse_u64(const char *s, size_t len, uint64_t *ret) {
        return parse_u64(s, len, ret);
}

static inline int parse_i64(const char *s, size_t len, int64_t *ret) {
        uint64_t u;
        bool neg = len > 0 && s[0] == '-';
        int r = parse_u64(s + neg, len - neg, &u);

        if (r < 0)
                return r;
        if (neg ? u > (uint64_t)INT64_MAX + 1 : u > INT64_MAX)
                return -ERANGE;
        *ret = neg ? (int64_t)(0 - u) : (int64_t)u;
        return 0;
}

int nprocfs_parse_i64(const char *s, size_t len, int64_t *ret) {
        return parse_i64(s, len, ret);
}

/* 1 + the value of each hex digit, 0 for any other byte: the C locale's
 * isxdigit() without a call per byte (masks are most of a status file). */
const uint8_t np_hex1[256] = {
        ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
        ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
        ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline int hex_value(char c) {
        return np_hex1[(unsigned char)c] - 1;
}

static int parse_hex(const char *s, size_t len, uint64_t *ret) {
        uint64_t v = 0;

        if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                s += 2, len -= 2;
        if (len == 0)
                return -EINVAL;
        /* 16 digits cannot overflow: only longer input needs the check */
        if (len <= 16) {
                for (size_t i = 0; i < len; i++) {
                        int d = hex_value(s[i]);
                        if (d < 0)
                                return -EINVAL;
                        v = v << 4 | (unsigned)d;
                }
                *ret = v;
                return 0;
        }
        for (size_t i = 0; i < len; i++) {
                int d = hex_value(s[i]);
                if (d < 0)
                        return -EINVAL;
                if (v >> 60)
                        return -ERANGE;
                v = v << 4 | (unsigned)d;
        }
        *ret = v;
        return 0;
}

static int parse_oct(const char *s, size_t len, uint64_t *ret) {
        uint64_t v = 0;

        if (len == 0)
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                unsigned d = (unsigned char)s[i] - '0';
                if (d > 7)
                        return -EINVAL;
                if (v >> 61)
                        return -ERANGE;
                v = v << 3 | d;
        }
        *ret = v;
        return 0;
}

/* "123.456" -> mant 123456, scale 3. At most 18 digits in all. */
static int parse_dec(const char *s, size_t len, struct nprocfs_dec *ret) {
        const char *dot = memchr(s, '.', len);
        size_t ilen = dot ? (size_t)(dot - s) : len, flen = dot ? len - ilen - 1 : 0;
        bool neg = len > 0 && s[0] == '-';
        uint64_t ip, fp = 0;
        int r;

        if ((dot && flen == 0) || ilen - neg + flen > 18)
                return -EINVAL;
        r = nprocfs_parse_u64(s + neg, ilen - neg, &ip);
        if (r < 0)
                return r;
        if (flen > 0) {
                r = nprocfs_parse_u64(dot + 1, flen, &fp);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < flen; i++)
                ip *= 10;
        ret->mant = (int64_t)(ip + fp) * (neg ? -1 : 1);
        ret->scale = (uint32_t)flen;
        return 0;
}

/* Seconds with an optional fraction -> ns; digits past the ninth are
 * dropped. Seconds that do not fit u64 are an error; their conversion to ns
 * saturates. */
static int parse_sec_ns(const char *s, size_t len, uint64_t *ret) {
        const char *dot = memchr(s, '.', len);
        size_t ilen = dot ? (size_t)(dot - s) : len, flen = dot ? len - ilen - 1 : 0;
        uint64_t sec, frac = 0;
        int r;

        if (dot && flen == 0)
                return -EINVAL;
        r = nprocfs_parse_u64(s, ilen, &sec);
        if (r < 0)
                return r;
        for (size_t i = 0; i < flen; i++) {
                unsigned d = (unsigned char)dot[1 + i] - '0';
                if (d > 9)
                        return -EINVAL;
                if (i < 9)
                        frac = frac * 10 + d;
        }
        for (size_t i = flen; i < 9; i++)
                frac *= 10;
        sec = np_mul_sat(sec, 1000000000);
        *ret = sec > UINT64_MAX - frac ? UINT64_MAX : sec + frac;
        return 0;
}

uint64_t np_mul_sat(uint64_t a, uint64_t b) {
        uint64_t r;
        return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* Exact for any tick rate: whole seconds and the remainder are converted
 * apart, so nothing overflows before the result itself would. */
uint64_t np_ticks_to_ns(uint64_t ticks, uint64_t tps) {
        uint64_t sec, rem;

        if (tps == 0)
                return 0;
        sec = ticks / tps;
        rem = ticks % tps;
        sec = np_mul_sat(sec, 1000000000);
        /* rem < tps, so rem * 1e9 overflows only for tps > 1.8e10 */
        rem = (uint64_t)((unsigned __int128)rem * 1000000000 / tps);
        return sec > UINT64_MAX - rem ? UINT64_MAX : sec + rem;
}

static int64_t ticks_to_ns_signed(int64_t ticks, uint64_t tps) {
        uint64_t m = ticks < 0 ? 0 - (uint64_t)ticks : (uint64_t)ticks;
        uint64_t ns = np_ticks_to_ns(m, tps);

        if (ns > INT64_MAX)
                ns = INT64_MAX;
        return ticks < 0 ? -(int64_t)ns : (int64_t)ns;
}

/* Turns runs of blanks and commas into single '\n' in place; returns the new
 * length. */
size_t np_list_items(char *s, size_t len) {
        size_t o = 0;
        bool sep = false;

        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (c == ' ' || c == '\t' || c == ',' || c == '\n') {
                        sep = o > 0;
                        continue;
                }
                if (sep)
                        s[o++] = '\n';
                sep = false;
                s[o++] = c;
        }
        return o;
}

/* A hex mask wider than 64 bits ("00000000,00000003"): commas and leading
 * zeros are dropped in place. */
int np_wide_mask(char *s, size_t len, struct nprocfs_str *ret) {
        size_t i = 0, o = 0;

        if (len == 0 || len > 8192)
                return -EINVAL;
        /* the zeros and commas before the first set bit, most of a wide
         * mask: whole zero groups a word at a time */
        while (len - i > 18 && np_load8(s + i) == NP_BYTES('0') && np_load8(s + i + 9) == NP_BYTES('0') &&
               s[i + 8] == ',' && s[i + 17] == ',')
                i += 18;
        while (len - i > 9 && np_load8(s + i) == NP_BYTES('0') && s[i + 8] == ',')
                i += 9;
        while (i < len && (s[i] == '0' || s[i] == ','))
                i++;
        for (; i < len; i++) {
                int d;

                if (s[i] == ',')
                        continue;
                d = hex_value(s[i]);
                if (d < 0)
                        return -EINVAL;
                s[o++] = "0123456789abcdef"[d];
        }
        if (o == 0)
                s[o++] = '0';
        *ret = (struct nprocfs_str){ s, o };
        return 0;
}

static int conv_u64(const struct nprocfs_field *f, const char *s, size_t len, const struct nprocfs_env *env,
                    uint64_t *ret) {
        uint64_t v;
        int r;

        if (f->type == NPROCFS_T_MAXU64 && len == 9 && memcmp(s, "unlimited", 9) == 0) {
                *ret = UINT64_MAX;
                return 0;
        }
        switch (f->conv) {
        case NPROCFS_C_HEX:
                return parse_hex(s, len, ret);
        case NPROCFS_C_OCT:
                return parse_oct(s, len, ret);
        case NPROCFS_C_SEC:
                return parse_sec_ns(s, len, ret);
        default:
                break;
        }
        r = parse_u64(s, len, &v);
        if (r < 0)
                return r;
        switch (f->conv) {
        case NPROCFS_C_KB:
                v = np_mul_sat(v, 1024);
                break;
        case NPROCFS_C_PAGES:
                v = np_mul_sat(v, env->page_size);
                break;
        case NPROCFS_C_TICKS:
                v = np_ticks_to_ns(v, env->ticks_per_second);
                break;
        case NPROCFS_C_US:
                v = f->type == NPROCFS_T_MAXU64 && v == UINT64_MAX ? v : np_mul_sat(v, 1000);
                break;
        default:
                break;
        }
        *ret = v;
        return 0;
}

int np_parse_hex(const char *s, size_t len, uint64_t *ret) {
        return parse_hex(s, len, ret);
}

int np_field_set(void *base, const struct nprocfs_field *f, char *s, size_t len, const struct nprocfs_env *env) {
        void *dst = (char *)base + f->offset;
        int r = 0;

        if (f->conv < NPROCFS_C__COUNT && np_decoders[f->conv]) {
                r = np_decoders[f->conv](f, s, len, env, dst);
                return r == -ENODATA ? r : r < 0 ? -EIO : 0;
        }

        if (np_type_is_u64(f->type))
                return conv_u64(f, s, len, env, dst) < 0 ? -EIO : 0;
        switch (f->type) {
        case NPROCFS_T_BOOL: {
                if (len != 1 || (s[0] != '0' && s[0] != '1'))
                        return -EIO;
                *(uint64_t *)dst = s[0] == '1';
                return 0;
        }
        case NPROCFS_T_I64: {
                int64_t v;
                if (parse_i64(s, len, &v) < 0)
                        return -EIO;
                *(int64_t *)dst = f->conv == NPROCFS_C_TICKS ? ticks_to_ns_signed(v, env->ticks_per_second) : v;
                return 0;
        }
        case NPROCFS_T_DEC:
                return parse_dec(s, len, dst) < 0 ? -EIO : 0;
        case NPROCFS_T_ENUM: {
                int i = len >= 1 && f->conv == NPROCFS_C_STATE ? np_state1[(unsigned char)s[0]] - 1 : -1;
                if (i < 0)
                        return -EIO;
                *(uint32_t *)dst = (uint32_t)i;
                return 0;
        }
        case NPROCFS_T_STR:
                if (f->conv == NPROCFS_C_CODE) {
                        if (len < 1)
                                return -EIO;
                        len = 1;
                }
                *(struct nprocfs_str *)dst = (struct nprocfs_str){ s, len };
                return 0;
        case NPROCFS_T_MASKS:
                r = np_wide_mask(s, len, dst);
                return r < 0 ? -EIO : 0;
        case NPROCFS_T_LIST:
                if (f->conv == NPROCFS_C_ITEMS)
                        len = np_list_items(s, len);
                *(struct nprocfs_str *)dst = (struct nprocfs_str){ s, len };
                return 0;
        default:
                return -EIO;
        }
}

/* ---- the generic parsers -------------------------------------------------
 *
 * Built on the row readers of scan.h: the same code a schema's own parser
 * expands once per row (rows-gen.h), here run in a loop over any table. */

const uint8_t np_col_class[256] = { [' '] = NP_B_SEP, ['\t'] = NP_B_SEP, ['/'] = NP_B_SEP, ['\n'] = NP_B_EOL };
const uint8_t np_blank_nl_class[256] = { [' '] = NP_B_SEP, ['\n'] = NP_B_SEP };

void np_trim(char **s, size_t *len) {
        while (*len > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\n'))
                (*s)++, (*len)--;
        while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\n'))
                (*len)--;
}

int np_rec_add_extra(struct nprocfs_rec *rec, const char *key, size_t klen, const char *val, size_t vlen) {
        if (rec->nextra == rec->extra_cap) {
                size_t n = rec->extra_cap ? rec->extra_cap * 2 : 8;
                struct nprocfs_extra *e = realloc(rec->extra, n * sizeof(*e));
                if (!e)
                        return -ENOMEM;
                rec->extra = e;
                rec->extra_cap = n;
        }
        rec->extra[rec->nextra++] = (struct nprocfs_extra){ { key, klen }, { val, vlen } };
        return 0;
}

void *np_rec_add_row(struct nprocfs_rec *rec) {
        size_t sz = rec->schema->row_size;
        void *row;

        if (rec->nrows == rec->rows_cap) {
                size_t n = rec->rows_cap ? rec->rows_cap * 2 : 16;
                void *p = realloc(rec->rows, n * sz);
                if (!p)
                        return NULL;
                rec->rows = p;
                rec->rows_cap = n;
        }
        row = (char *)rec->rows + rec->nrows++ * sz;
        memset(row, 0, sz);
        return row;
}

/* Index of the schema row whose key is key[0..klen), trying hint first:
 * the kernel prints keys in the order the table lists them. */
static int find_key(const struct nprocfs_schema *s, const char *key, size_t klen, size_t hint) {
        const struct nprocfs_field *f = s->fields;

        if (hint < s->nfields && f[hint].key_len == klen && memcmp(f[hint].key, key, klen) == 0)
                return (int)hint;
        for (size_t i = 0; i < s->nfields; i++)
                if (f[i].key_len == klen && memcmp(f[i].key, key, klen) == 0)
                        return (int)i;
        return -1;
}

/* find_key(), searching from row i on first, then the rows before it. */
static int find_key_from(const struct nprocfs_schema *s, const char *key, size_t klen, size_t i) {
        const struct nprocfs_field *f = s->fields;

        for (size_t k = 0; k < s->nfields; k++) {
                size_t j = i + k < s->nfields ? i + k : i + k - s->nfields;

                if (f[j].key_len == klen && f[j].key[0] == key[0] && memcmp(f[j].key, key, klen) == 0)
                        return (int)j;
        }
        return -1;
}

/* The row after the rows of row i's key. */
static size_t key_end(const struct nprocfs_field *f, size_t nfields, size_t i) {
        size_t last = i + 1;

        while (last < nfields && np_same_key_rt(&f[last], &f[i]))
                last++;
        return last;
}

/* Assigns the line val[0..vlen) to the rows first..end (all with one key). */
static int set_line(struct nprocfs_rec *rec, size_t first, size_t end, char *val, size_t vlen,
                    const struct nprocfs_env *env) {
        const struct nprocfs_field *f = rec->schema->fields;
        int r = 0;

        /* a string keeps every byte after the one tab the kernel puts after
         * the colon (a comm may begin or end with blanks) */
        if (f[first].conv == NPROCFS_C_LINE) {
                if (vlen > 0 && val[0] == '\t')
                        val++, vlen--;
        } else
                np_trim(&val, &vlen);
        for (size_t j = first; j < end; j++) {
                if (np_field_set(rec, &f[j], val, vlen, env) < 0)
                        r = -EIO;
                else
                        rec_set(rec, (unsigned)j);
        }
        return r;
}

/* What separates the columns of a keyed value: blanks, and '/' ("SigQ:
 * 0/63551"). */
static const bool col_sep[256] = { [' '] = true, ['\t'] = true, ['/'] = true };

/* Assigns the columns of val[0..vlen) to the rows first..end (all with one
 * key), each row its column pos; a kB row wants "kB" in the column after
 * its own. Columns past the eighth are not read. */
static int set_columns(struct nprocfs_rec *rec, size_t first, size_t end, char *val, size_t vlen,
                       const struct nprocfs_env *env) {
        const struct nprocfs_field *f = rec->schema->fields;
        char *tok[8];
        size_t toklen[8], ntok = 0, i = 0;
        bool prev_ok = false;
        int r = 0;

        while (i < vlen && ntok < NELEMS(tok)) {
                while (i < vlen && col_sep[(unsigned char)val[i]])
                        i++;
                if (i == vlen)
                        break;
                tok[ntok] = val + i;
                while (i < vlen && !col_sep[(unsigned char)val[i]])
                        i++;
                toklen[ntok] = (size_t)(val + i - tok[ntok]);
                ntok++;
        }
        for (size_t j = first; j < end; j++) {
                unsigned c = f[j].pos;
                bool ok = prev_ok;

                prev_ok = false;
                if (c >= ntok) {
                        r = -EIO;
                        continue;
                }
                /* a kB value says so; anything else is another unit */
                if (f[j].conv == NPROCFS_C_KB &&
                    (c + 1 >= ntok || toklen[c + 1] != 2 || memcmp(tok[c + 1], "kB", 2) != 0)) {
                        r = -EIO;
                        continue;
                }
                if (ok && np_same_u64(&f[j - 1], &f[j]))
                        memcpy((char *)rec + f[j].offset, (char *)rec + f[j - 1].offset, sizeof(uint64_t));
                else if (np_field_set(rec, &f[j], tok[c], toklen[c], env) < 0) {
                        r = -EIO;
                        continue;
                }
                rec_set(rec, (unsigned)j);
                prev_ok = true;
        }
        return r;
}

/* Assigns the line at val (to its '\n', or e: *e is NUL or '\n') to the
 * rows first..end, all with one key, the generic way: the value split, then
 * each row's column converted by np_field_set(). What the row readers of
 * scan.h do in one pass must give what this gives. *ret_stop is the line's
 * end. */
static int assign_rows(struct nprocfs_rec *rec, size_t first, size_t end, char *val, const char *e,
                       const struct nprocfs_env *env, char **ret_stop) {
        char *nl = memchr(val, '\n', (size_t)(e - val)), *le = nl ? nl : (char *)e;

        *ret_stop = le;
        if (np_whole_line(&rec->schema->fields[first]))
                return set_line(rec, first, end, val, (size_t)(le - val), env);
        return set_columns(rec, first, end, val, (size_t)(le - val), env);
}

char *np_col_start(char *q, const char *e) {
        while (np_col_class[(unsigned char)*q] == NP_B_SEP)
                q++;
        return q == e || np_col_class[(unsigned char)*q] != NP_B_TOK ? NULL : q;
}

int np_keyed_assign(struct nprocfs_rec *rec, char *key, size_t klen, char *val, size_t vlen,
                    const struct nprocfs_env *env, size_t *hint) {
        int i = find_key(rec->schema, key, klen, *hint);
        char *stop;

        if (i < 0) {
                np_trim(&val, &vlen);
                return np_rec_add_extra(rec, key, klen, val, vlen);
        }
        assert(val[vlen] == 0 || val[vlen] == '\n');
        *hint = key_end(rec->schema->fields, rec->schema->nfields, (size_t)i);
        return assign_rows(rec, (size_t)i, *hint, val, val + vlen, env, &stop);
}

/* Kernel keys are printable words; anything else is not a keyed file. */
static bool is_key(const char *key, size_t klen) {
        for (size_t i = 0; i < klen; i++)
                if ((unsigned char)key[i] <= ' ' || (unsigned char)key[i] >= 0x7f)
                        return false;
        return true;
}

char *np_keyed_other(struct np_keyed *x, char *p, size_t i) {
        char *key = p, *nl = memchr(key, '\n', (size_t)(x->end - key)), *line_end = nl ? nl : x->end;
        char *next = nl ? nl + 1 : x->end, *colon;
        size_t hint = 0;
        int g, q;

        if (line_end == key)
                return next;
        if (x->seen == key && x->seen_row > i)
                return NULL;
        colon = memchr(key, x->sep, (size_t)(line_end - key));
        if (!colon || colon == key || !is_key(key, (size_t)(colon - key))) {
                x->r = -EIO;
                return next;
        }
        /* the line is mostly that of a row soon after i: a key names one run
         * of rows, so where the search starts does not change what it finds */
        g = find_key_from(x->rec->schema, key, (size_t)(colon - key), i);
        if (g > (int)i) {
                x->seen = key;
                x->seen_row = (size_t)g;
                return NULL;
        }
        q = np_keyed_assign(x->rec, key, (size_t)(colon - key), colon + 1, (size_t)(line_end - colon - 1), x->cv.env,
                            &hint);
        if (q == -ENOMEM) {
                /* nothing more is read */
                x->r = q;
                return x->end;
        }
        if (q < 0)
                x->r = -EIO;
        return next;
}

char *np_keyed_seek(struct np_keyed *x, const struct nprocfs_field *fields, size_t i, char *p) {
        char *q;

        while (p < x->end && !np_key_at(x, &fields[i], p) && (q = np_keyed_other(x, p, i)))
                p = q;
        return p;
}

char *np_keyed_run(struct np_keyed *x, const struct nprocfs_field *fields, size_t n, size_t first, char *val) {
        char *stop;

        if (assign_rows(x->rec, first, key_end(fields, n, first), val, x->end, x->cv.env, &stop) < 0 && x->r != -ENOMEM)
                x->r = -EIO;
        return np_line_after(stop, x->end);
}

int np_keyed_finish(struct np_keyed *x, char *p) {
        while (p < x->end)
                p = np_keyed_other(x, p, x->rec->schema->nfields);
        return x->r;
}

/* A line for np_parse_keyed() when other_line looks at each line first:
 * returns the next line, or NULL for -ENOMEM; an error makes *r -EIO. */
static char *keyed_line(struct nprocfs_rec *rec, char *p, char *end, char sep, const struct nprocfs_env *env,
                        int (*other_line)(struct nprocfs_rec *rec, char *key, size_t klen, char *val, size_t vlen,
                                          const struct nprocfs_env *env),
                        size_t *hint, int *r) {
        const struct nprocfs_schema *s = rec->schema;
        const struct nprocfs_field *h = *hint < s->nfields ? &s->fields[*hint] : NULL;
        char *key = p, *nl = memchr(p, '\n', (size_t)(end - p)), *line_end = nl ? nl : end, *val, *colon, *stop;
        size_t klen, vlen;
        bool known = false;
        int q;

        p = nl ? nl + 1 : end;
        if (line_end == key)
                return p;
        if (h && h->key_len > 0 && (size_t)(line_end - key) > h->key_len && key[h->key_len] == sep &&
            memcmp(key, h->key, h->key_len) == 0) {
                colon = key + h->key_len;
                known = true;
        } else {
                colon = memchr(key, sep, (size_t)(line_end - key));
                if (!colon || colon == key || !is_key(key, (size_t)(colon - key))) {
                        *r = -EIO;
                        return p;
                }
        }
        klen = (size_t)(colon - key);
        val = colon + 1;
        vlen = (size_t)(line_end - val);
        q = other_line(rec, key, klen, val, vlen, env);
        if (q == -ENOMEM)
                return NULL;
        if (q < 0)
                *r = -EIO;
        if (q != 0)
                return p;
        if (known) {
                size_t last = key_end(s->fields, s->nfields, *hint);

                q = assign_rows(rec, *hint, last, val, line_end, env, &stop);
                *hint = last;
        } else
                q = np_keyed_assign(rec, key, klen, val, vlen, env, hint);
        if (q == -ENOMEM)
                return NULL;
        if (q < 0)
                *r = -EIO;
        return p;
}

int np_parse_keyed(struct nprocfs_rec *rec, char sep, const struct nprocfs_env *env,
                   int (*other_line)(struct nprocfs_rec *rec, char *key, size_t klen, char *val, size_t vlen,
                                     const struct nprocfs_env *env)) {
        const struct nprocfs_field *fields = rec->schema->fields;
        size_t n = rec->schema->nfields, hint = 0;
        struct np_keyed kx;
        int r = 0;

        /* the kernel always writes at least one line */
        if (rec->len == 0)
                return -EIO;
        if (!other_line) {
                char *p = rec->buf;

                np_keyed_start(&kx, rec, sep, env);
                for (size_t i = 0; i < n; i++)
                        p = np_key_run(&kx, fields, n, i, p, false);
                return np_keyed_finish(&kx, p);
        }
        for (char *p = rec->buf, *end = rec->buf + rec->len; p < end;) {
                p = keyed_line(rec, p, end, sep, env, other_line, &hint, &r);
                if (!p)
                        return -ENOMEM;
        }
        return r;
}

int np_field_set_at(void *base, uint64_t *present, const struct nprocfs_field *fields, size_t i, char *tok, size_t len,
                    const struct nprocfs_env *env) {
        if (np_field_set(base, &fields[i], tok, len, env) < 0)
                return -EIO;
        present[i / 64] |= UINT64_C(1) << (i % 64);
        return 0;
}

int np_parse_positional(void *base, uint64_t *present, const struct nprocfs_field *fields, size_t nfields, char *s,
                        size_t len, const char *seps, unsigned first_pos, unsigned min_tokens,
                        const struct nprocfs_env *env) {
        uint8_t cls[256] = { NP_B_TOK }; /* NUL never separates */
        struct np_pos x = {
                .base = base, .present = present, .cls = cls, .e = s + len, .first = first_pos, .cv = { .env = env }
        };
        char *p = s;

        for (const char *c = seps; *c; c++)
                cls[(unsigned char)*c] = NP_B_SEP;
        /* the separator loop of np_pos_next() stops at s[len] without a
         * bound of its own */
        assert((s[len] == 0 || s[len] == '\n') && cls[(unsigned char)s[len]] != NP_B_SEP);
        for (size_t i = 0; i < nfields; i++)
                p = np_pos_run(&x, fields, nfields, i, p);
        return np_pos_finish(&x, fields, nfields, p, min_tokens);
}

/* ---- records --------------------------------------------------------- */

int nprocfs_rec_new(const struct nprocfs_schema *s, struct nprocfs_rec **ret) {
        struct nprocfs_rec *rec = calloc(1, s->rec_size);

        if (!rec)
                return -ENOMEM;
        rec->schema = s;
        *ret = rec;
        return 0;
}

void nprocfs_rec_release(struct nprocfs_rec *rec) {
        if (!rec)
                return;
        free(rec->buf);
        free(rec->extra);
        free(rec->rows);
        rec->buf = NULL;
        rec->extra = NULL;
        rec->rows = NULL;
        rec->len = rec->cap = rec->nextra = rec->extra_cap = rec->nrows = rec->rows_cap = 0;
        memset(rec->present, 0, sizeof(rec->present));
}

void nprocfs_rec_free(struct nprocfs_rec *rec) {
        nprocfs_rec_release(rec);
        free(rec);
}

/* Clears the typed members and presence; keeps the buffers for reuse. */
static void rec_reset(struct nprocfs_rec *rec) {
        memset((char *)rec + sizeof(*rec), 0, rec->schema->rec_size - sizeof(*rec));
        memset(rec->present, 0, sizeof(rec->present));
        rec->nextra = 0;
        rec->nrows = 0;
}

static int rec_run_parse(struct nprocfs_rec *rec, const struct nprocfs_env *env) {
        int r;

        rec_reset(rec);
        r = rec->schema->parse(rec, env);
        return r == -ENOMEM ? r : r < 0 ? -EIO : 0;
}

int nprocfs_rec_parse(struct nprocfs_rec *rec, const void *data, size_t len, const struct nprocfs_env *env) {
        if (len + 1 > rec->cap || !rec->buf) {
                char *b = realloc(rec->buf, len + 1);
                if (!b)
                        return -ENOMEM;
                rec->buf = b;
                rec->cap = len + 1;
        }
        if (len > 0)
                memcpy(rec->buf, data, len);
        rec->buf[len] = 0;
        rec->len = len;
        return rec_run_parse(rec, env);
}

/* The decimal digits of v at p; returns the end. */
static char *put_uint(char *p, unsigned v) {
        char tmp[10];
        size_t n = 0;

        do
                tmp[n++] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        while (n > 0)
                *p++ = tmp[--n];
        return p;
}

int nprocfs_rec_read(nprocfs_ctx *ctx, struct nprocfs_rec *rec, pid_t pid, pid_t tid) {
        const struct nprocfs_schema *s = rec->schema;
        char path[128];
        ssize_t n;

        if (s->scope == NPROCFS_SCOPE_PID && pid == 0 && tid == 0 && (s->flags & NPROCFS_S_NET)) {
                /* the root's own network namespace: ROOT/net/tcp */
                snprintf(path, sizeof(path), "%s", s->path);
        } else if (s->scope == NPROCFS_SCOPE_PID) {
                size_t plen = strlen(s->path);

                if (pid <= 0 || tid < 0)
                        return -ENOENT;
                /* "<pid>/<path>" or "<pid>/task/<tid>/<path>" by hand: snprintf
                 * costs more than the parse of a small file */
                if (plen < sizeof(path) - 2 * 10 - 8) {
                        char *p = put_uint(path, (unsigned)pid);
                        *p++ = '/';
                        if (tid > 0) {
                                memcpy(p, "task/", 5);
                                p = put_uint(p + 5, (unsigned)tid);
                                *p++ = '/';
                        }
                        memcpy(p, s->path, plen + 1);
                } else if (tid > 0)
                        snprintf(path, sizeof(path), "%d/task/%d/%s", (int)pid, (int)tid, s->path);
                else
                        snprintf(path, sizeof(path), "%d/%s", (int)pid, s->path);
        } else {
                snprintf(path, sizeof(path), "%s", s->path);
        }
        if (s->grammar && (s->grammar->shape == NPROCFS_SH_LINK || s->grammar->shape == NPROCFS_SH_LINKS))
                n = np_ctx_read_links(ctx, path, np_ctx_max_file(ctx), rec);
        else
                n = np_ctx_read_into(ctx, path, rec);
        if (n < 0) {
                /* the buffer was overwritten, maybe moved or freed: what
                 * the last parse pointed into it is gone */
                rec_reset(rec);
                /* what is not "gone" or "refused" is a root that is not a
                 * proc tree here: a link loop, a directory, a FIFO, a file
                 * too big, an escape attempt */
                if (n == -ENOENT || n == -EACCES || n == -EPERM || n == -ENOMEM)
                        return (int)n;
                return n == -ENOTDIR ? -ENOENT : -EIO;
        }
        return rec_run_parse(rec, nprocfs_ctx_env(ctx));
}
