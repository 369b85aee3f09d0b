/* /proc/<pid>/auxv, parsed by its grammar alone: binary (type, value) pairs
 * of machine words, an entry per AT_ type named by it, AT_NULL ending the
 * vector, unknown types kept by their number. Also the binary shape itself
 * on words of another size and byte order, with conversions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "support.h"
#include "../../src/lib/internal.h"

static const struct nprocfs_env env = TEST_ENV;

static int parse(struct nprocfs_pid_auxv *a, const uint64_t *words, size_t nwords) {
        return nprocfs_rec_parse(&a->rec, words, nwords * sizeof(uint64_t), &env);
}

/* linux-6.18/10324/auxv, 368 bytes, read with `od -A d -t u8`: 23 pairs,
 * pair i at byte 16 i, the last (0, 0) */
static void test_fixture_values(void **state) {
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &a.rec, 10324, 0), 0);
        assert_int_equal(a.rec.len, 368);
        entries_collect(&a.rec, &es);
        assert_int_equal(es.n, 22);                              /* every pair but AT_NULL */
        assert_entry(&es, "at_sysinfo_ehdr", "139848510705664"); /* byte 0: 33, 0x7f3104cd9000 */
        assert_entry(&es, "at_minsigstksz", "11952");            /* 16: 51 */
        assert_entry(&es, "at_hwcap", "0x1f8bfbff");             /* 32: 16, 529267711 */
        assert_entry(&es, "at_pagesz", "4096");                  /* 48: 6 */
        assert_entry(&es, "at_clktck", "100");                   /* 64: 17 */
        assert_entry(&es, "at_phdr", "94815587090496");          /* 80: 3, 0x563bf9634040 */
        assert_entry(&es, "at_phent", "56");                     /* 96: 4 */
        assert_entry(&es, "at_phnum", "13");                     /* 112: 5 */
        assert_entry(&es, "at_base", "139848510713856");         /* 128: 7, 0x7f3104cdb000 */
        assert_entry(&es, "at_flags", "0");                      /* 144: 8 */
        assert_entry(&es, "at_entry", "94815587100160");         /* 160: 9, 0x563bf9636600 */
        assert_entry(&es, "at_uid", "0");                        /* 176: 11 */
        assert_entry(&es, "at_euid", "0");                       /* 192: 12 */
        assert_entry(&es, "at_gid", "0");                        /* 208: 13 */
        assert_entry(&es, "at_egid", "0");                       /* 224: 14 */
        assert_entry(&es, "at_secure", "0");                     /* 240: 23 */
        assert_entry(&es, "at_random", "140723550865225");       /* 256: 25, 0x7ffcc142c749 */
        assert_entry(&es, "at_hwcap2", "0x2");                   /* 272: 26 */
        assert_entry(&es, "at_execfn", "140723550871529");       /* 288: 31, 0x7ffcc142dfe9 */
        assert_entry(&es, "at_platform", "140723550865241");     /* 304: 15, 0x7ffcc142c759 */
        assert_entry(&es, "at_rseq_feature_size", "28");         /* 320: 27 */
        assert_entry(&es, "at_rseq_align", "32");                /* 336: 28 */
        /* types this x86_64 kernel does not write */
        assert_no_entry(&es, "at_sysinfo");
        assert_no_entry(&es, "at_execfd");
        assert_no_entry(&es, "at_hwcap3");
        assert_no_entry(&es, "at_l1d_cachesize");
        entries_free(&es);
        /* the typed record says the same */
        assert_true(NPROCFS_HAS(&a, pid_auxv, at_pagesz));
        assert_int_equal(a.at_pagesz, 4096);
        assert_int_equal(a.at_sysinfo_ehdr, 0x7f3104cd9000);
        assert_int_equal(a.at_hwcap, 0x1f8bfbff);
        assert_false(NPROCFS_HAS(&a, pid_auxv, at_base_platform));
        nprocfs_rec_release(&a.rec);
        nprocfs_close(ctx);
}

/* the second capture took no auxv of pid 1 (unreadable even for root) */
static void test_an_uncaptured_auxv_is_enoent(void **state) {
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &a.rec, 1, 0), -ENOENT);
        nprocfs_rec_release(&a.rec);
        nprocfs_close(ctx);
}

static void test_pairs_after_at_null_are_ignored(void **state) {
        static const uint64_t w[] = { 6, 4096, 0, 0, 17, 100, 999, 1 };
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        struct entries es;

        (void)state;
        assert_int_equal(parse(&a, w, 8), 0);
        entries_collect(&a.rec, &es);
        assert_int_equal(es.n, 1);
        assert_entry(&es, "at_pagesz", "4096");
        entries_free(&es);
        nprocfs_rec_release(&a.rec);
}

/* the kernel always writes AT_NULL; a vector without one loses nothing */
static void test_a_vector_without_at_null_ends_at_its_last_pair(void **state) {
        static const uint64_t w[] = { 6, 4096, 17, 100 };
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        struct entries es;

        (void)state;
        assert_int_equal(parse(&a, w, 4), 0);
        entries_collect(&a.rec, &es);
        assert_int_equal(es.n, 2);
        assert_entry(&es, "at_pagesz", "4096");
        assert_entry(&es, "at_clktck", "100");
        entries_free(&es);
        nprocfs_rec_release(&a.rec);
}

/* a process without memory (a kernel thread) has an empty auxv */
static void test_an_empty_vector_has_no_entries(void **state) {
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&a.rec, "", 0, &env), 0);
        assert_no_fields(&a.rec);
        assert_int_equal(a.rec.nextra, 0);
        nprocfs_rec_release(&a.rec);
}

static void test_a_length_of_no_whole_pairs_is_eio(void **state) {
        static const uint64_t w[] = { 6, 4096, 0, 0 };
        static const size_t lens[] = { 1, 8, 15, 17, 24, 31 };

        (void)state;
        for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
                struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
                if (nprocfs_rec_parse(&a.rec, w, lens[i], &env) != -EIO)
                        fail_msg("%zu bytes accepted", lens[i]);
                nprocfs_rec_release(&a.rec);
        }
}

/* a type no row names is kept, named AT_<type> as one writes an AT_
 * constant without a name, with the value in decimal */
static void test_an_unknown_type_is_kept_by_its_number(void **state) {
        static const uint64_t w[] = { 6, 4096, 999, 7, 38, UINT64_MAX, UINT64_MAX, 5, 0, 0 };
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        const struct entry_copy *e;
        struct entries es;
        char src[64];

        (void)state;
        assert_int_equal(parse(&a, w, 10), 0);
        entries_collect(&a.rec, &es);
        assert_int_equal(es.n, 4);
        assert_entry(&es, "at_pagesz", "4096");
        assert_entry(&es, "at_999", "7");
        assert_entry(&es, "at_38", "18446744073709551615");
        assert_entry(&es, "at_18446744073709551615", "5");
        e = entries_find(&es, "at_999");
        assert_string_equal(nprocfs_type_name(e->field->type), "string");
        entries_free(&es);
        assert_int_equal(a.rec.nextra, 3);
        assert_str_equal(a.rec.extra[0].key, "AT_999");
        /* the source names the pair by its number, the known ones too */
        {
                struct nprocfs_entry en = { .field = &nprocfs_schema_pid_auxv.fields[NPROCFS_F_pid_auxv_at_pagesz] };
                nprocfs_entry_source(&nprocfs_schema_pid_auxv, &en, src, sizeof(src));
                assert_string_equal(src, "/proc/<pid>/auxv:6");
        }
        /* the record's buffer is still the source, NUL-terminated */
        assert_int_equal(a.rec.len, sizeof(w));
        assert_memory_equal(a.rec.buf, w, sizeof(w));
        assert_int_equal(a.rec.buf[a.rec.len], 0);
        nprocfs_rec_release(&a.rec);
}

/* the longest text an unknown pair takes, "AT_" and two 20-digit numbers,
 * in a record whose buffer the source alone filled */
static void test_an_unknown_pair_of_the_largest_words_fits(void **state) {
        static const uint64_t w[] = { UINT64_MAX, UINT64_MAX };
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        struct entries es;

        (void)state;
        assert_int_equal(parse(&a, w, 2), 0);
        entries_collect(&a.rec, &es);
        assert_int_equal(es.n, 1);
        assert_entry(&es, "at_18446744073709551615", "18446744073709551615");
        entries_free(&es);
        nprocfs_rec_release(&a.rec);
}

/* a source read again into the record reuses its buffer for the text of
 * unknown types, and a source with none keeps no extra */
static void test_a_record_parsed_again_is_as_new(void **state) {
        static const uint64_t with[] = { 999, 7, 6, 4096, 0, 0 };
        static const uint64_t without[] = { 6, 8192, 0, 0 };
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        struct entries es;

        (void)state;
        assert_int_equal(parse(&a, with, 6), 0);
        assert_int_equal(parse(&a, with, 6), 0);
        entries_collect(&a.rec, &es);
        assert_int_equal(es.n, 2);
        assert_entry(&es, "at_999", "7");
        entries_free(&es);
        assert_int_equal(parse(&a, without, 4), 0);
        entries_collect(&a.rec, &es);
        assert_int_equal(es.n, 1);
        assert_entry(&es, "at_pagesz", "8192");
        entries_free(&es);
        nprocfs_rec_release(&a.rec);
}

/* as getauxval() finds it: the first pair of a type */
static void test_the_first_pair_of_a_type_wins(void **state) {
        static const uint64_t w[] = { 6, 4096, 6, 65536, 1, 5, 1, 6, 0, 0 };
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        struct entries es;

        (void)state;
        assert_int_equal(parse(&a, w, 10), 0);
        entries_collect(&a.rec, &es);
        assert_int_equal(es.n, 2);
        assert_entry(&es, "at_pagesz", "4096");
        assert_entry(&es, "at_ignore", "5");
        entries_free(&es);
        nprocfs_rec_release(&a.rec);
}

/* AT_SECURE is a boolean: the kernel writes 0 or 1 */
static void test_a_boolean_other_than_0_or_1_is_eio(void **state) {
        static const uint64_t w[] = { 23, 2, 0, 0 };
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);

        (void)state;
        assert_int_equal(parse(&a, w, 4), -EIO);
        nprocfs_rec_release(&a.rec);
}

/* ---- fixtures/malformed/pid_auxv: the values malformed/README.md gives -- */

static void parse_case(const char *name, struct nprocfs_pid_auxv *a, struct entries *es) {
        char rel[128];
        size_t len;
        char *data;

        snprintf(rel, sizeof(rel), "malformed/pid_auxv/%s", name);
        data = read_fixture(rel, &len);
        assert_int_equal(nprocfs_rec_parse(&a->rec, data, len, &env), 0);
        free(data);
        entries_collect(&a->rec, es);
}

/* valid-empty: 0 bytes; valid-no-at-null: (6, 4096), (17, 100);
 * valid-unknown-type: (6, 4096), (999, 7), (0, 0); valid-data-after-at-null:
 * (6, 4096), (0, 0), (17, 100) */
static void test_malformed_valid_cases_have_their_values(void **state) {
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        struct entries es;

        (void)state;
        parse_case("valid-empty", &a, &es);
        assert_int_equal(es.n, 0);
        entries_free(&es);
        parse_case("valid-no-at-null", &a, &es);
        assert_int_equal(es.n, 2);
        assert_entry(&es, "at_pagesz", "4096");
        assert_entry(&es, "at_clktck", "100");
        entries_free(&es);
        parse_case("valid-unknown-type", &a, &es);
        assert_int_equal(es.n, 2);
        assert_entry(&es, "at_pagesz", "4096");
        assert_entry(&es, "at_999", "7");
        entries_free(&es);
        parse_case("valid-data-after-at-null", &a, &es);
        assert_int_equal(es.n, 1);
        assert_entry(&es, "at_pagesz", "4096");
        entries_free(&es);
        nprocfs_rec_release(&a.rec);
}

/* ---- the shape on its own: 4-byte big-endian words, rows converted ---- */

struct words {
        struct nprocfs_rec rec;
        uint64_t size_bytes, flag, mask, secs_ns;
        int64_t delta;
        struct nprocfs_str text;
};

#define ROW(nm, member, t, u, c, k)                                                                                   \
        {                                                                                                             \
                .name = nm, .name_len = sizeof(nm) - 1, .key = k, .key_len = sizeof(k) - 1, .kver = "1.0", .doc = nm, \
                .offset = offsetof(struct words, member), .type = NPROCFS_T_##t, .unit = NPROCFS_U_##u,               \
                .conv = NPROCFS_C_##c                                                                                 \
        }

static const struct nprocfs_field word_fields[] = {
        ROW("size_bytes", size_bytes, U64, BYTES, KB, "1"),
        ROW("flag", flag, BOOL, NONE, RAW, "2"),
        ROW("mask", mask, MASK, NONE, HEX, "3"),
        ROW("secs_ns", secs_ns, U64, NS, TICKS, "4"),
        ROW("delta", delta, I64, NONE, RAW, "5"),
};
static const struct nprocfs_field text_field[] = { ROW("text", text, STR, NONE, RAW, "1") };

static const struct nprocfs_grammar be32 = { .shape = NPROCFS_SH_PAIRS, .word_size = 4, .big_endian = 1 };

static const struct nprocfs_schema words_schema = {
        .name = "words",
        .path = "words",
        .doc = "test",
        .fields = word_fields,
        .nfields = NELEMS(word_fields),
        .grammar = &be32,
        .parse = np_parse_grammar,
        .rec_size = sizeof(struct words),
};
static const struct nprocfs_schema text_schema = {
        .name = "text",
        .path = "text",
        .doc = "test",
        .fields = text_field,
        .nfields = 1,
        .grammar = &be32,
        .parse = np_parse_grammar,
        .rec_size = sizeof(struct words),
};

static void test_words_of_another_size_and_order_are_converted_as_the_row_says(void **state) {
        static const unsigned char src[] = {
                0, 0, 0, 1, 0,    0,    0,    3,    /* 3 kB */
                0, 0, 0, 2, 0,    0,    0,    1,    /* true */
                0, 0, 0, 3, 0,    0,    0x12, 0x34, /* 0x1234 */
                0, 0, 0, 4, 0,    0,    0,    250,  /* 250 ticks at 100/s */
                0, 0, 0, 5, 0xff, 0xff, 0xff, 0xfe, /* -2 as a 32-bit word, read unsigned */
                0, 0, 0, 9, 0x01, 0x02, 0x03, 0x04, /* unknown */
                0, 0, 0, 0, 0,    0,    0,    0,
        };
        struct words r = { .rec = { .schema = &words_schema } };
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&r.rec, src, sizeof(src), &env), 0);
        entries_collect(&r.rec, &es);
        assert_entry(&es, "size_bytes", "3072");
        assert_entry(&es, "flag", "1");
        assert_entry(&es, "mask", "0x1234");
        assert_entry(&es, "secs_ns", "2500000000");
        assert_entry(&es, "delta", "4294967294");
        assert_entry(&es, "at_9", "16909060");
        entries_free(&es);
        /* 4-byte pairs: a length of one word is no whole pair */
        assert_int_equal(nprocfs_rec_parse(&r.rec, src, 4, &env), -EIO);
        assert_int_equal(nprocfs_rec_parse(&r.rec, src, 8, &env), 0);
        nprocfs_rec_release(&r.rec);
}

/* a row whose member would point into the text of a word cannot describe
 * one: such a schema parses nothing */
static void test_a_string_row_makes_the_schema_refused(void **state) {
        static const unsigned char src[] = { 0, 0, 0, 1, 0, 0, 0, 3 };
        struct words r = { .rec = { .schema = &text_schema } };

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&r.rec, src, sizeof(src), &env), -EIO);
        assert_int_equal(nprocfs_rec_parse(&r.rec, "", 0, &env), -EIO);
        nprocfs_rec_release(&r.rec);
}

/* ---- live ---------------------------------------------------------------- */

/* what the kernel gave this very process, against what libc and the
 * system say */
static void test_live_auxv_agrees_with_getauxval_and_sysconf(void **state) {
        struct nprocfs_pid_auxv a = NPROCFS_REC_INIT(pid_auxv);
        nprocfs_ctx *ctx;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &a.rec, getpid(), 0), 0);
        assert_true(NPROCFS_HAS(&a, pid_auxv, at_pagesz));
        assert_int_equal(a.at_pagesz, (uint64_t)sysconf(_SC_PAGESIZE));
        assert_true(NPROCFS_HAS(&a, pid_auxv, at_clktck));
        assert_int_equal(a.at_clktck, (uint64_t)sysconf(_SC_CLK_TCK));
        assert_true(NPROCFS_HAS(&a, pid_auxv, at_uid));
        assert_int_equal(a.at_uid, getuid());
        assert_true(NPROCFS_HAS(&a, pid_auxv, at_entry));
        assert_int_equal(a.at_entry, getauxval(AT_ENTRY));
        assert_true(NPROCFS_HAS(&a, pid_auxv, at_phdr));
        assert_int_equal(a.at_phdr, getauxval(AT_PHDR));
        assert_true(NPROCFS_HAS(&a, pid_auxv, at_random));
        assert_int_equal(a.at_random, getauxval(AT_RANDOM));
        nprocfs_rec_release(&a.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fixture_values),
                cmocka_unit_test(test_an_uncaptured_auxv_is_enoent),
                cmocka_unit_test(test_pairs_after_at_null_are_ignored),
                cmocka_unit_test(test_a_vector_without_at_null_ends_at_its_last_pair),
                cmocka_unit_test(test_an_empty_vector_has_no_entries),
                cmocka_unit_test(test_a_length_of_no_whole_pairs_is_eio),
                cmocka_unit_test(test_an_unknown_type_is_kept_by_its_number),
                cmocka_unit_test(test_an_unknown_pair_of_the_largest_words_fits),
                cmocka_unit_test(test_a_record_parsed_again_is_as_new),
                cmocka_unit_test(test_the_first_pair_of_a_type_wins),
                cmocka_unit_test(test_a_boolean_other_than_0_or_1_is_eio),
                cmocka_unit_test(test_malformed_valid_cases_have_their_values),
                cmocka_unit_test(test_words_of_another_size_and_order_are_converted_as_the_row_says),
                cmocka_unit_test(test_a_string_row_makes_the_schema_refused),
                cmocka_unit_test(test_live_auxv_agrees_with_getauxval_and_sysconf),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
