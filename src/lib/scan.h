/* Reading a value in one pass over its bytes, converted as it is scanned,
 * and the row readers built on that: what the generic parsers (parse.c)
 * and the parsers expanded from a schema's table (rows-gen.h) share.
 *
 * Most rows of the files read most often (stat, status, meminfo, io) are
 * numbers: counts, kB sizes, clock ticks, hex masks. How a row converts is
 * one op, chosen from its type and conversion (np_op()); a row reader is
 * inlined once per row of a table, where the row is a constant, so that
 * its op, offset, key and neighbours are known when it is compiled. Any
 * other row, and any token that is not its op's plain form (a sign, a
 * prefix, more digits than fit unchecked, junk), goes to np_field_set() on
 * the whole token, and a line the fast path does not take goes to the
 * generic code of parse.c: the result is the same either way. */
#ifndef NPROCFS_SCAN_H
#define NPROCFS_SCAN_H

#include <stdint.h>

#include "internal.h"

/* The readers are inlined once per row where the compiler folds what it
 * knows of the row; without optimization, nothing folds, and they are
 * called like any function. */
#ifdef __OPTIMIZE__
#define NP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define NP_ALWAYS_INLINE inline
#endif

/* Whether a row reader given a constant row may write out the rows after
 * it as constants too: only where the compiler is known to fold them (gcc
 * folds the neighbours of a constant row, clang keeps the loads). */
#if defined(__OPTIMIZE__) && defined(__GNUC__) && !defined(__clang__)
#define NP_EXPAND 1
#else
#define NP_EXPAND 0
#endif

#define NP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NP_LIKELY(x)   __builtin_expect(!!(x), 1)

enum np_op {
        NP_OP_FIELD_SET, /* np_field_set() on the token */
        NP_OP_DEC,       /* decimal digits, as written */
        NP_OP_KB,        /* ... times 1024, saturating */
        NP_OP_PAGES,     /* ... times the page size, saturating */
        NP_OP_TICKS,     /* ... clock ticks to ns */
        NP_OP_HEX,       /* hex digits, maybe after 0x */
        NP_OP_OCT,       /* octal digits */
        NP_OP_I64,       /* decimal digits after an optional '-' */
        NP_OP_I64_TICKS, /* ... clock ticks to ns */
        NP_OP_BOOL,      /* 0 or 1 */
};

/* What np_field_set() does with these pairs, written as one op each: the
 * u64 types go through its conv_u64() (MAXU64's "unlimited" is no plain
 * token), I64 and BOOL through their own cases. No pair here has a
 * decoder. */
static NP_ALWAYS_INLINE unsigned np_op(unsigned type, unsigned conv) {
        if (np_type_is_u64(type))
                switch (conv) {
                case NPROCFS_C_RAW:
                        return NP_OP_DEC;
                case NPROCFS_C_KB:
                        return NP_OP_KB;
                case NPROCFS_C_PAGES:
                        return NP_OP_PAGES;
                case NPROCFS_C_TICKS:
                        return NP_OP_TICKS;
                case NPROCFS_C_HEX:
                        return NP_OP_HEX;
                case NPROCFS_C_OCT:
                        return NP_OP_OCT;
                default:
                        return NP_OP_FIELD_SET;
                }
        switch (type) {
        case NPROCFS_T_I64:
                return conv == NPROCFS_C_RAW ? NP_OP_I64 : conv == NPROCFS_C_TICKS ? NP_OP_I64_TICKS : NP_OP_FIELD_SET;
        case NPROCFS_T_BOOL:
                return conv == NPROCFS_C_RAW ? NP_OP_BOOL : NP_OP_FIELD_SET;
        default:
                return NP_OP_FIELD_SET;
        }
}

/* rec_set(), inlined whatever the size of the function */
static NP_ALWAYS_INLINE void np_set_present(uint64_t *present, size_t i) {
        present[i / 64] |= UINT64_C(1) << (i % 64);
}

/* np_mul_sat(), inlined */
static NP_ALWAYS_INLINE uint64_t np_sat_mul(uint64_t a, uint64_t b) {
        uint64_t r;

        return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

/* The machine constants of one parse, with what is derived from them once
 * per parse rather than once per value. */
struct np_conv {
        const struct nprocfs_env *env;
        uint64_t ns_per_tick; /* 10^9 / ticks_per_second when that divides exactly, else 0 */
        bool ns_per_tick_known;
};

/* np_ticks_to_ns(), by one multiplication where the tick rate divides 10^9
 * (100 Hz: 10^7 ns a tick), which gives the same value. */
static NP_ALWAYS_INLINE uint64_t np_conv_ticks(struct np_conv *cv, uint64_t ticks) {
        uint64_t tps = cv->env->ticks_per_second;

        if (!cv->ns_per_tick_known) {
                cv->ns_per_tick = tps > 0 && 1000000000 % tps == 0 ? 1000000000 / tps : 0;
                cv->ns_per_tick_known = true;
        }
        return cv->ns_per_tick ? np_sat_mul(ticks, cv->ns_per_tick) : np_ticks_to_ns(ticks, tps);
}

/* The value op stores for the plain token v (two's complement for I64). */
static NP_ALWAYS_INLINE uint64_t np_op_value(unsigned op, uint64_t v, struct np_conv *cv) {
        switch (op) {
        case NP_OP_KB:
                return np_sat_mul(v, 1024);
        case NP_OP_PAGES:
                return np_sat_mul(v, cv->env->page_size);
        case NP_OP_TICKS:
                return np_conv_ticks(cv, v);
        case NP_OP_I64_TICKS: {
                bool neg = (int64_t)v < 0;
                uint64_t ns = np_conv_ticks(cv, neg ? 0 - v : v);

                if (ns > INT64_MAX)
                        ns = INT64_MAX;
                return neg ? 0 - ns : ns;
        }
        default:
                return v;
        }
}

/* Byte classes of a value being read: part of a token, a separator
 * between tokens, or the end of the line. */
enum { NP_B_TOK, NP_B_SEP, NP_B_EOL };

/* keyed values: columns split on blanks and '/' ("SigQ: 0/63551"), the
 * line ends the value */
extern const uint8_t np_col_class[256];
/* positional lines split on blanks and newlines (stat) */
extern const uint8_t np_blank_nl_class[256];
/* 1 + the value of each hex digit, 0 for any other byte */
extern const uint8_t np_hex1[256];
/* 1 + the index in nprocfs_words_state of each state letter, else 0 */
extern const uint8_t np_state1[256];

/* What np_field_set() does to a list of items and to a wide mask, in place. */
size_t np_list_items(char *s, size_t len);
int np_wide_mask(char *s, size_t len, struct nprocfs_str *ret);

/* A mask's hex digits (16 in status), the padding of a size and the end of
 * a short line are read a word at a time where the buffer has the bytes,
 * those of a word in memory order (the first one lowest); elsewhere, and
 * on a big-endian machine, a byte at a time. Decimal numbers, mostly of one
 * to a few digits, are read a byte at a time. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NP_WORDS 1
#else
#define NP_WORDS 0
#endif

#define NP_BYTES(b) (UINT64_C(0x0101010101010101) * (b))

static NP_ALWAYS_INLINE uint64_t np_load8(const char *p) {
        uint64_t x;

        memcpy(&x, p, 8);
        return x;
}

/* The high bit of each byte of x that is no hex digit of either case. Every
 * byte is tested apart: its low 7 bits plus a constant below 0x81 never
 * carry into the next one. */
static NP_ALWAYS_INLINE uint64_t np_word_nonhex(uint64_t x) {
        uint64_t y = x & NP_BYTES(0x7f), l = y | NP_BYTES(0x20);
        uint64_t not_digit = (y + NP_BYTES(0x46)) | ~(y + NP_BYTES(0x50));
        uint64_t not_letter = (l + NP_BYTES(0x19)) | ~(l + NP_BYTES(0x1f));

        return ((not_digit & not_letter) | x) & NP_BYTES(0x80);
}

/* ... that is not 0 */
static NP_ALWAYS_INLINE uint64_t np_word_nonzero(uint64_t x) {
        return (((x & NP_BYTES(0x7f)) + NP_BYTES(0x7f)) | x) & NP_BYTES(0x80);
}

/* How many bytes lead the first one m flags (8 if none). */
static NP_ALWAYS_INLINE unsigned np_word_run(uint64_t m) {
        return m ? (unsigned)__builtin_ctzll(m) >> 3 : 8;
}

/* The value of the n (1..8) hex digits that lead x: a letter's low nibble
 * is its value less 9. */
static NP_ALWAYS_INLINE uint64_t np_word_hex(uint64_t x, unsigned n) {
        x = ((x & NP_BYTES(0x0f)) + 9 * ((x >> 6) & NP_BYTES(0x01))) << (64 - 8 * n);
        x = ((x << 4) | (x >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
        x = ((x << 8) | (x >> 16)) & UINT64_C(0x0000ffff0000ffff);
        return ((x << 16) | (x >> 32)) & UINT64_C(0xffffffff);
}

/* The end of the run of decimal digits at q, with its value in *ret
 * (wrapped past 19 digits, which the caller refuses). The buffer ends in a
 * byte that is no digit. */
static NP_ALWAYS_INLINE char *np_scan_decimal(char *q, uint64_t *ret) {
        uint64_t v = 0;
        unsigned d;

        while ((d = (unsigned)(unsigned char)*q - '0') <= 9)
                v = v * 10 + d, q++;
        *ret = v;
        return q;
}

/* ... of hex digits (wrapped past 16); e is the buffer's end */
static NP_ALWAYS_INLINE char *np_scan_hex(char *q, const char *e, uint64_t *ret) {
        uint64_t v = 0;
        unsigned d;

        /* a mask of status: 16 digits and no more */
        if (NP_WORDS && e - q >= 16) {
                uint64_t x = np_load8(q), y = np_load8(q + 8);

                if ((np_word_nonhex(x) | np_word_nonhex(y)) == 0 && np_hex1[(unsigned char)q[16]] == 0) {
                        *ret = np_word_hex(x, 8) << 32 | np_word_hex(y, 8);
                        return q + 16;
                }
        }
        while (NP_WORDS && e - q >= 7) {
                uint64_t x = np_load8(q);
                unsigned n = np_word_run(np_word_nonhex(x));

                if (n == 0)
                        break;
                v = v << (4 * n) | np_word_hex(x, n);
                q += n;
                if (n < 8) {
                        *ret = v;
                        return q;
                }
        }
        while ((d = np_hex1[(unsigned char)*q]) != 0)
                v = v << 4 | (d - 1), q++;
        *ret = v;
        return q;
}

/* The first byte from q on that is no blank; e is the buffer's end. The
 * blanks of a size in status and meminfo ("%8lu kB" after a tab) are
 * skipped a word at a time: a byte of x ^ "        " is 0 where x has a
 * blank. */
static NP_ALWAYS_INLINE char *np_skip_spaces(char *q, const char *e) {
        if (NP_WORDS && e - q >= 8) {
                uint64_t x = np_load8(q) ^ NP_BYTES(' ');

                q += x ? (unsigned)__builtin_ctzll(x) >> 3 : 8;
        }
        while (*q == ' ')
                q++;
        return q;
}

/* The first byte from q on that is no separator of a keyed value (a blank,
 * a tab, '/'), if it starts a token; else NULL. */
char *np_col_start(char *q, const char *e);

/* Reads the token at p (a byte of class NP_B_TOK, before e) as op, not
 * NP_OP_FIELD_SET, and returns its end, with the value in *ret; NULL when
 * it is not op's plain form (np_field_set() then decides). The token runs
 * to the first byte of another class in cls, or to e; *e is NUL or '\n'.
 * At most 19 decimal digits (18 signed), 16 hex and 21 octal ones, which
 * cannot overflow; and 20 decimal ones that are at most UINT64_MAX's. */
static NP_ALWAYS_INLINE char *np_scan_token(unsigned op, char *p, const char *e, const uint8_t *cls, uint64_t *ret) {
        char *q;
        uint64_t v = 0;
        size_t max = 19;
        bool neg = false;

        switch (op) {
        case NP_OP_HEX:
                q = np_scan_hex(p, e, &v);
                /* parse_hex() takes a 0x before the digits (untag_mask) */
                if (q == p + 1 && *p == '0' && (*q == 'x' || *q == 'X')) {
                        p = q + 1;
                        q = np_scan_hex(p, e, &v);
                }
                max = 16;
                break;
        case NP_OP_OCT:
                /* parse_oct() refuses 22 digits that overflow: 21 cannot */
                for (q = p; (unsigned)(unsigned char)*q - '0' <= 7; q++)
                        v = v << 3 | (unsigned)(*q - '0');
                max = 21;
                break;
        case NP_OP_BOOL:
                if (*p != '0' && *p != '1')
                        return NULL;
                v = *p == '1';
                q = p + 1;
                break;
        case NP_OP_I64:
        case NP_OP_I64_TICKS:
                neg = *p == '-';
                p += neg;
                max = 18;
                /* fall through */
        default:
                /* a number of one digit, most of stat: its end is p[1]'s
                 * class (*e is readable, and ends a token unless it is NUL) */
                if ((v = (unsigned)(unsigned char)*p - '0') <= 9 && cls[(unsigned char)p[1]] != NP_B_TOK) {
                        *ret = neg ? 0 - v : v;
                        return p + 1;
                }
                q = np_scan_decimal(p, &v);
                break;
        }
        /* *e is readable: the byte's class first, the end only where it
         * is a token's */
        if (NP_UNLIKELY(q == p || (cls[(unsigned char)*q] == NP_B_TOK && q != e)))
                return NULL;
        /* 20 digits fit where they are at most UINT64_MAX's (rsslim of a
         * process without a limit), and then v did not wrap */
        if (NP_UNLIKELY((size_t)(q - p) > max) &&
            (max != 19 || q - p != 20 || memcmp(p, "18446744073709551615", 20) > 0))
                return NULL;
        *ret = neg ? 0 - v : v;
        return q;
}

/* ---- what rows are to each other ---------------------------------------- */

/* Whether row a has the key of row b: what the compiler folds for
 * constant rows. */
static NP_ALWAYS_INLINE bool np_same_key(const struct nprocfs_field *a, const struct nprocfs_field *b) {
        return a->key_len == b->key_len && (a->key == b->key || memcmp(a->key, b->key, a->key_len) == 0);
}

/* ... for rows that are not constants: their first and last bytes tell
 * most neighbouring keys apart without a memcmp (rchar, wchar, syscr). */
static NP_ALWAYS_INLINE bool np_same_key_rt(const struct nprocfs_field *a, const struct nprocfs_field *b) {
        size_t n = a->key_len;

        return n == b->key_len &&
               (a->key == b->key ||
                (n > 0 && a->key[0] == b->key[0] && a->key[n - 1] == b->key[n - 1] && memcmp(a->key, b->key, n) == 0));
}

/* Rows that read one column into a u64 the same way (a mask and its list of
 * names) need one parse between them. MAXU64 is left out: its conversion
 * depends on the type too. */
static NP_ALWAYS_INLINE bool np_same_u64(const struct nprocfs_field *a, const struct nprocfs_field *b) {
        static const bool u64[NPROCFS_T__COUNT] = {
                [NPROCFS_T_U64] = true,  [NPROCFS_T_MASK] = true, [NPROCFS_T_CAPS] = true,
                [NPROCFS_T_SIGS] = true, [NPROCFS_T_MODE] = true,
        };
        return a->pos == b->pos && a->conv == b->conv && u64[a->type] && u64[b->type];
}

/* Rows of a key whose first row is f take the whole line, not a column. */
static NP_ALWAYS_INLINE bool np_whole_line(const struct nprocfs_field *f) {
        return f->conv == NPROCFS_C_LINE || f->conv == NPROCFS_C_ITEMS || f->type == NPROCFS_T_MASKS;
}

/* Whether np_field_set() leaves the bytes of f's token as they are: no
 * list or wide mask rewritten in place, no decoder (the registry's
 * conversions come after NPROCFS_C_RANGE_START, tests/unit/test_schema.c). */
static NP_ALWAYS_INLINE bool np_reads_only(const struct nprocfs_field *f) {
        return f->type != NPROCFS_T_MASKS && f->conv != NPROCFS_C_ITEMS && f->conv < NPROCFS_C_RANGE_START;
}

/* ---- positional files ---------------------------------------------------- */

/* A positional line being read (np_parse_positional()): its constants, and
 * what its rows keep between them besides where the next token is (that
 * one is passed from row to row). */
struct np_pos {
        void *base;        /* the record or row */
        uint64_t *present; /* its presence bits */
        const uint8_t *cls;
        const char *e;  /* the end: *e is NUL or '\n', and no separator */
        unsigned first; /* the position of the first token */
        unsigned ntok;  /* tokens read, once they ran out */
        int r;
        struct np_conv cv;
        char *tok; /* the last token, for the rows after the first of its position */
        size_t toklen;
};

/* np_field_set() of tok[0..len) into row i of fields, and its presence
 * bit in present: 0 or -EIO. */
int np_field_set_at(void *base, uint64_t *present, const struct nprocfs_field *fields, size_t i, char *tok, size_t len,
                    const struct nprocfs_env *env);

/* np_field_set_at() of a token (not empty), the state letter and its code
 * (stat, status) without the call: what np_field_set() stores for them.
 * Returns whether the row was assigned. */
static NP_ALWAYS_INLINE bool np_set_token(void *base, uint64_t *present, const struct nprocfs_field *fields, size_t i,
                                          char *tok, size_t len, const struct nprocfs_env *env) {
        const struct nprocfs_field *f = &fields[i];
        char *dst = (char *)base + f->offset;

        if (f->type == NPROCFS_T_ENUM && f->conv == NPROCFS_C_STATE) {
                unsigned k = np_state1[(unsigned char)tok[0]];

                if (k == 0)
                        return false;
                *(uint32_t *)dst = k - 1;
        } else if (f->type == NPROCFS_T_STR && f->conv == NPROCFS_C_CODE)
                *(struct nprocfs_str *)dst = (struct nprocfs_str){ tok, 1 };
        else
                return np_field_set_at(base, present, fields, i, tok, len, env) == 0;
        np_set_present(present, i);
        return true;
}

/* The end of the token at p. */
static NP_ALWAYS_INLINE char *np_pos_token_end(const struct np_pos *x, char *p) {
        while (x->cls[(unsigned char)*p] == NP_B_TOK && p != x->e)
                p++;
        return p;
}

/* Reads row i of fields, the rows before it having read the tokens up to
 * their positions. The first row of a position reads its token, as its op
 * in one pass where it can, else whole by np_field_set(); the rows after
 * it share that token. The table is sorted by position
 * (tests/unit/test_schema.c); rows of a position before first (stat's pid
 * and comm, read apart) are not for this line. Returns where the next token is looked for, or NULL once
 * the tokens ran out (p NULL: they had). */
static NP_ALWAYS_INLINE char *np_pos_run(struct np_pos *x, const struct nprocfs_field *fields, size_t n, size_t i,
                                         char *p) {
        const struct nprocfs_field *f = &fields[i];
        const unsigned op = np_op(f->type, f->conv), pos = f->pos, first = x->first;
        /* the position of the token read last: the row before's */
        const unsigned prev = i > 0 && fields[i - 1].pos >= first ? fields[i - 1].pos : first - 1;
        /* rows after this one share its token */
        const bool shared = i + 1 < n && fields[i + 1].pos == pos;
        char *q;
        uint64_t v = 0;

        if (NP_UNLIKELY(!p) || pos < first)
                return p;
        if (i > 0 && fields[i - 1].pos == pos) {
                if (!np_set_token(x->base, x->present, fields, i, x->tok, x->toklen, x->cv.env))
                        x->r = -EIO;
                return p;
        }
        for (unsigned k = prev + 1;; k++) {
                /* after a token comes a separator or the end: where the row
                 * before read one, the first byte needs no look */
                if (k > first && p != x->e)
                        p++;
                while (x->cls[(unsigned char)*p] == NP_B_SEP)
                        p++;
                if (NP_UNLIKELY(p == x->e)) {
                        x->ntok = k - first;
                        return NULL;
                }
                if (k == pos)
                        break;
                p = np_pos_token_end(x, p);
        }
        if (op != NP_OP_FIELD_SET && __builtin_expect((q = np_scan_token(op, p, x->e, x->cls, &v)) != NULL, 1)) {
                *(uint64_t *)((char *)x->base + f->offset) = np_op_value(op, v, &x->cv);
                np_set_present(x->present, i);
        } else {
                q = np_pos_token_end(x, p);
                if (!np_set_token(x->base, x->present, fields, i, p, (size_t)(q - p), x->cv.env))
                        x->r = -EIO;
        }
        if (shared)
                x->tok = p, x->toklen = (size_t)(q - p);
        return q;
}

/* 0, or -EIO if a row failed or the line had fewer than min tokens; p is
 * what the last np_pos_run() returned. */
static NP_ALWAYS_INLINE int np_pos_finish(const struct np_pos *x, const struct nprocfs_field *fields, size_t n,
                                          const char *p, unsigned min) {
        unsigned ntok = p ? (n > 0 && fields[n - 1].pos >= x->first ? fields[n - 1].pos - x->first + 1 : 0) : x->ntok;

        return ntok < min ? -EIO : x->r;
}

/* ---- keyed files ------------------------------------------------------ */

/* "Key<sep> value" lines read by their table's runs of rows of one key, in
 * the table's order (np_parse_keyed()). The kernel prints keys in that
 * order: a run mostly finds its line next, and reads it from the line's
 * start with its key known; np_keyed_other() takes every other line. A key
 * names one run of rows (tests/unit/test_schema.c), so which run meets a
 * line first does not change what it is assigned to. */

/* A keyed file being read: its constants, and what its runs keep between
 * them besides the line the next one looks at (that one is passed from run
 * to run). The runs write it on their rare paths only. */
struct np_keyed {
        struct nprocfs_rec *rec;
        char *end; /* the buffer's end; *end is NUL */
        char sep;
        int r;
        struct np_conv cv;
        /* what np_keyed_other() last found the line at seen to be: the line
         * of row seen_row, after the row that asked */
        const char *seen;
        size_t seen_row;
};

static NP_ALWAYS_INLINE void np_keyed_start(struct np_keyed *x, struct nprocfs_rec *rec, char sep,
                                            const struct nprocfs_env *env) {
        *x = (struct np_keyed){ .rec = rec, .end = rec->buf + rec->len, .sep = sep, .cv = { .env = env } };
}

/* The line at p, which does not start with row i's key (i: the row that
 * looks for its line; the number of rows when none does). Returns NULL if
 * it is the line of a later row; else takes it as a line out of the
 * table's order is taken (its key's rows assigned, a key the table does
 * not know kept, an empty line skipped, a malformed one an error) and
 * returns the line after it. */
char *np_keyed_other(struct np_keyed *x, char *p, size_t i);

/* Whether the line at p starts with row f's key and the separator. */
static NP_ALWAYS_INLINE bool np_key_at(const struct np_keyed *x, const struct nprocfs_field *f, const char *p) {
        return (size_t)(x->end - p) > f->key_len && p[f->key_len] == x->sep && memcmp(p, f->key, f->key_len) == 0;
}

/* The line of row i's key from p on, the lines before it taken by
 * np_keyed_other(); or, where there is none before the line of a later row
 * or the end, that line. */
__attribute__((cold)) char *np_keyed_seek(struct np_keyed *x, const struct nprocfs_field *fields, size_t i, char *p);

/* Assigns the run of rows of fields from first with assign_rows(), its
 * value at val; returns the line after it. */
__attribute__((cold)) char *np_keyed_run(struct np_keyed *x, const struct nprocfs_field *fields, size_t n, size_t first,
                                         char *val);

/* The line after the one t is in (t no further than its '\n'). */
static NP_ALWAYS_INLINE char *np_line_after(char *t, char *end) {
        if (__builtin_expect(*t == '\n', 1))
                return t + 1;
        if (t != end && (t = memchr(t, '\n', (size_t)(end - t))))
                return t + 1;
        return end;
}

/* The end of the line at val: its '\n', or end. A short line (most whole-
 * line values of status) in the word at val. */
static NP_ALWAYS_INLINE char *np_line_end(char *val, char *end) {
        char *le;

        if (NP_WORDS && end - val >= 8) {
                uint64_t nl = ~np_word_nonzero(np_load8(val) ^ NP_BYTES('\n')) & NP_BYTES(0x80);

                if (nl)
                        return val + ((unsigned)__builtin_ctzll(nl) >> 3);
        }
        le = memchr(val, '\n', (size_t)(end - val));
        return le ? le : end;
}

/* The run of one row i whose value is the whole line at val, as set_line()
 * (parse.c) assigns it. Returns the line after it. */
static NP_ALWAYS_INLINE char *np_key_line(struct np_keyed *x, const struct nprocfs_field *fields, size_t i, char *val) {
        const struct nprocfs_field *f = &fields[i];
        char *le = np_line_end(val, x->end), *next, *dst = (char *)x->rec + f->offset;
        size_t vlen;

        next = le == x->end ? le : le + 1;
        vlen = (size_t)(le - val);
        if (f->conv == NPROCFS_C_LINE) {
                /* every byte after the one tab the kernel puts after the
                 * colon (a comm may begin or end with blanks) */
                if (vlen > 0 && val[0] == '\t')
                        val++, vlen--;
        } else {
                /* np_trim() */
                while (vlen > 0 && (val[0] == ' ' || val[0] == '\t'))
                        val++, vlen--;
                while (vlen > 0 && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
                        vlen--;
        }
        /* what np_field_set() does with these, without its dispatch */
        if (f->type == NPROCFS_T_STR && f->conv == NPROCFS_C_LINE)
                *(struct nprocfs_str *)dst = (struct nprocfs_str){ val, vlen };
        else if (f->type == NPROCFS_T_LIST && f->conv == NPROCFS_C_ITEMS)
                *(struct nprocfs_str *)dst = (struct nprocfs_str){ val, np_list_items(val, vlen) };
        else if (f->type == NPROCFS_T_MASKS && f->conv < NPROCFS_C_RANGE_START) {
                if (np_wide_mask(val, vlen, (struct nprocfs_str *)dst) < 0) {
                        x->r = -EIO;
                        return next;
                }
        } else {
                if (np_field_set_at(x->rec, x->rec->present, fields, i, val, vlen, x->cv.env) < 0)
                        x->r = -EIO;
                return next;
        }
        np_set_present(x->rec->present, i);
        return next;
}

/* The end of the run of rows of row i's key, if it has at most 8 rows;
 * else 0. A chain of tests the compiler folds where i is a constant. */
static NP_ALWAYS_INLINE size_t np_run_end(const struct nprocfs_field *fields, size_t n, size_t i, bool expand) {
        for (size_t k = 1; k <= 8; k++)
                if (i + k >= n ||
                    !(expand ? np_same_key(&fields[i + k], &fields[i]) : np_same_key_rt(&fields[i + k], &fields[i])))
                        return i + k;
        return 0;
}

/* Where a run of rows of one key is in its line: the next column, and the
 * last column read, for a row of the same column. */
struct np_key_cols {
        char *cur;
        unsigned col;
        char *tok;
        size_t toklen;
        unsigned tokcol;
        bool prev_ok; /* the row before was assigned */
};

/* Row j of a run, as set_columns() (parse.c) assigns it: the next column,
 * read as the row's op in one pass, or by np_field_set() on the column;
 * or the column the row before read, copied (a mask's names) or taken by
 * np_field_set(). Returns false where the row is not that (a column
 * skipped, a value rewritten in place, a line not as the kernel writes
 * it), having assigned nothing. */
static NP_ALWAYS_INLINE bool np_key_col(struct np_keyed *x, const struct nprocfs_field *fields, size_t j, bool first,
                                        struct np_key_cols *c) {
        const struct nprocfs_field *g = &fields[j];
        const unsigned op = np_op(g->type, g->conv);
        char *const end = x->end, *t, *q;
        uint64_t v = 0;
        bool ok;

        /* a kB value's unit is the column after it: at most 8 are read */
        if (g->pos >= 7 || !np_reads_only(g))
                return false;
        if (g->pos == c->col) {
                /* the one separator the kernel writes before a column (a tab,
                 * ": ", "/"), the blanks that pad a size, or anything else
                 * the general way */
                t = c->cur;
                if (NP_LIKELY(*t == '\t' || *t == ' ' || *t == '/'))
                        t++;
                /* (a kB row's value is padded, as a rule; others are not) */
                if (g->conv == NPROCFS_C_KB ? NP_LIKELY(*t == ' ') : NP_UNLIKELY(*t == ' '))
                        t = np_skip_spaces(t, end);
                if (NP_UNLIKELY(np_col_class[(unsigned char)*t] != NP_B_TOK || t == end) &&
                    !(t = np_col_start(c->cur, end)))
                        return false;
                if (op != NP_OP_FIELD_SET) {
                        if (NP_UNLIKELY(!(q = np_scan_token(op, t, end, np_col_class, &v))))
                                return false;
                } else {
                        if (g->conv == NPROCFS_C_KB)
                                return false;
                        for (q = t; np_col_class[(unsigned char)*q] == NP_B_TOK && q != end; q++)
                                ;
                }
                c->tok = t, c->toklen = (size_t)(q - t), c->tokcol = g->pos;
                c->col = g->pos + 1u;
                if (g->conv == NPROCFS_C_KB) {
                        /* " kB" as the kernel writes it */
                        if (NP_UNLIKELY(q[0] != ' ' || q[1] != 'k' || q[2] != 'B' ||
                                        (np_col_class[(unsigned char)q[3]] == NP_B_TOK && q + 3 != end)))
                                return false;
                        q += 3;
                        c->col++;
                }
                c->cur = q;
                if (op != NP_OP_FIELD_SET) {
                        *(uint64_t *)((char *)x->rec + g->offset) = np_op_value(op, v, &x->cv);
                        ok = true;
                } else
                        ok = np_set_token(x->rec, x->rec->present, fields, j, t, c->toklen, x->cv.env);
        } else if (g->pos == c->tokcol && !first) {
                /* the column the row before read */
                if (c->prev_ok && np_same_u64(&fields[j - 1], g)) {
                        memcpy((char *)x->rec + g->offset, (char *)x->rec + fields[j - 1].offset, sizeof(uint64_t));
                        ok = true;
                } else if (g->conv == NPROCFS_C_KB)
                        return false;
                else
                        ok = np_set_token(x->rec, x->rec->present, fields, j, c->tok, c->toklen, x->cv.env);
        } else
                return false;
        if (ok)
                np_set_present(x->rec->present, j);
        else
                x->r = -EIO;
        c->prev_ok = ok;
        return true;
}

/* Reads the run of rows of one key that starts at row i (a row that does
 * not start one does nothing), from the line at p or, if that is not its
 * key's, a later one. Each row reads its column with np_key_col(); a run
 * it does not take, and a run of more than 8 rows, np_keyed_run() assigns
 * the generic way, every row of it again. Returns the line the next run
 * looks at. With expand (a constant), the rows after the first are
 * written out one by one rather than looped over. */
static NP_ALWAYS_INLINE char *np_key_run(struct np_keyed *x, const struct nprocfs_field *fields, size_t n, size_t i,
                                         char *p, bool expand) {
        const struct nprocfs_field *f = &fields[i];
        const size_t last = np_run_end(fields, n, i, expand);
        struct np_key_cols c;
        char *val;

        if ((i > 0 && (expand ? np_same_key(f, &fields[i - 1]) : np_same_key_rt(f, &fields[i - 1]))) || f->key_len == 0)
                return p;
        if (NP_UNLIKELY(!np_key_at(x, f, p))) {
                /* the line of a later row, as np_keyed_other() found: this
                 * kernel has no such key (a kernel thread has no VmRSS) */
                if (x->seen == p && x->seen_row > i)
                        return p;
                if (!np_key_at(x, f, p = np_keyed_seek(x, fields, i, p)))
                        return p;
        }
        val = p + f->key_len + 1;
        if (np_whole_line(f))
                return last == i + 1 ? np_key_line(x, fields, i, val) : np_keyed_run(x, fields, n, i, val);
        c = (struct np_key_cols){ .cur = val, .tokcol = UINT32_MAX };
        if (NP_UNLIKELY(last == 0 || !np_key_col(x, fields, i, true, &c)))
                return np_keyed_run(x, fields, n, i, val);
        if (expand) {
                /* the rows after the first, written out so that each is a
                 * constant */
#define NP_KEY_COL(k) (i + (k) >= last || np_key_col(x, fields, i + (k), false, &c))
                if (NP_UNLIKELY(!(NP_KEY_COL(1) && NP_KEY_COL(2) && NP_KEY_COL(3) && NP_KEY_COL(4) && NP_KEY_COL(5) &&
                                  NP_KEY_COL(6) && NP_KEY_COL(7))))
                        return np_keyed_run(x, fields, n, i, val);
#undef NP_KEY_COL
        } else
                for (size_t j = i + 1; j < last; j++)
                        if (!np_key_col(x, fields, j, false, &c))
                                return np_keyed_run(x, fields, n, i, val);
        return np_line_after(c.cur, x->end);
}

/* Takes the lines from p on that no run took; returns the parse's result. */
int np_keyed_finish(struct np_keyed *x, char *p);

#endif
