/* /proc/<pid>/smaps_rollup, parsed by its grammar: one header line ending
 * in [rollup], then the smaps keys at the record's level, kB in bytes.
 * Expected values: the fixture text, by hand. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

/* linux-6.18/10324/smaps_rollup (first capture), lines 2-23 */
static void test_every_key_in_bytes(void **state) {
        struct nprocfs_pid_smaps_rollup r = NPROCFS_REC_INIT(pid_smaps_rollup);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &r.rec, 10324, 0), 0);
        assert_int_equal(r.rec.nrows, 0);
        assert_int_equal(r.rec.nextra, 0);
        assert_true(NPROCFS_HAS(&r, pid_smaps_rollup, rss_bytes));
        assert_int_equal(r.rss_bytes, 1601536); /* "Rss:                1564 kB" */
        entries_collect(&r.rec, &es);
        assert_int_equal(es.n, 22); /* 22 key lines */
        assert_entry(&es, "rss_bytes", "1601536");
        assert_entry(&es, "pss_bytes", "389120");           /* 380 kB */
        assert_entry(&es, "pss_dirty_bytes", "98304");      /* 96 kB */
        assert_entry(&es, "pss_anon_bytes", "98304");       /* 96 kB */
        assert_entry(&es, "pss_file_bytes", "290816");      /* 284 kB */
        assert_entry(&es, "pss_shmem_bytes", "0");          /* 0 kB */
        assert_entry(&es, "shared_clean_bytes", "1466368"); /* 1432 kB */
        assert_entry(&es, "shared_dirty_bytes", "0");
        assert_entry(&es, "private_clean_bytes", "36864"); /* 36 kB */
        assert_entry(&es, "private_dirty_bytes", "98304"); /* 96 kB */
        assert_entry(&es, "referenced_bytes", "1601536");  /* 1564 kB */
        assert_entry(&es, "anonymous_bytes", "98304");     /* 96 kB */
        assert_entry(&es, "ksm_bytes", "0");
        assert_entry(&es, "lazyfree_bytes", "0");
        assert_entry(&es, "filepmdmapped_bytes", "0");
        assert_entry(&es, "swap_bytes", "0");
        assert_entry(&es, "swappss_bytes", "0");
        assert_entry(&es, "locked_bytes", "0");
        entries_free(&es);
        /* 10322's: "Rss:                3428 kB", "Pss_File:            656 kB" */
        assert_int_equal(nprocfs_rec_read(ctx, &r.rec, 10322, 0), 0);
        assert_int_equal(r.rss_bytes, 3510272);
        assert_int_equal(r.pss_file_bytes, 671744);
        nprocfs_rec_release(&r.rec);
        nprocfs_close(ctx);
}

/* not there: pid 1's was unreadable, and 2.6 had no smaps_rollup (4.14) */
static void test_missing_rollup_is_enoent(void **state) {
        struct nprocfs_pid_smaps_rollup r = NPROCFS_REC_INIT(pid_smaps_rollup);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &r.rec, 1, 0), -ENOENT);
        nprocfs_close(ctx);
        ctx = open_tree("linux-2.6");
        assert_int_equal(nprocfs_rec_read(ctx, &r.rec, 4242, 0), -ENOENT);
        nprocfs_close(ctx);
        nprocfs_rec_release(&r.rec);
}

/* a 4.14 rollup: no Pss_Dirty (6.0), no Pss_Anon/File/Shmem (5.9), no
 * KSM (6.6), no FilePmdMapped (5.4): those are ENOENT, never 0 */
static void test_older_rollup_lacks_newer_keys(void **state) {
        struct nprocfs_pid_smaps_rollup r = NPROCFS_REC_INIT(pid_smaps_rollup);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&r.rec, "00400000-7fff5fc15000 ---p 00000000 00:00 0   [rollup]\n"
                                            "Rss:                 100 kB\n"
                                            "Pss:                  50 kB\n"
                                            "Shared_Clean:         60 kB\n"
                                            "Shared_Dirty:          0 kB\n"
                                            "Private_Clean:        10 kB\n"
                                            "Private_Dirty:        30 kB\n"
                                            "Referenced:          100 kB\n"
                                            "Anonymous:            30 kB\n"
                                            "LazyFree:              0 kB\n"
                                            "AnonHugePages:         0 kB\n"
                                            "ShmemPmdMapped:        0 kB\n"
                                            "Shared_Hugetlb:        0 kB\n"
                                            "Private_Hugetlb:       0 kB\n"
                                            "Swap:                  0 kB\n"
                                            "SwapPss:               0 kB\n"
                                            "Locked:                0 kB\n"),
                         0);
        entries_collect(&r.rec, &es);
        assert_int_equal(es.n, 16);
        assert_entry(&es, "pss_bytes", "51200");
        assert_entry(&es, "private_dirty_bytes", "30720");
        assert_no_entry(&es, "pss_dirty_bytes");
        assert_no_entry(&es, "pss_anon_bytes");
        assert_no_entry(&es, "pss_file_bytes");
        assert_no_entry(&es, "pss_shmem_bytes");
        assert_no_entry(&es, "ksm_bytes");
        assert_no_entry(&es, "filepmdmapped_bytes");
        entries_free(&es);
        nprocfs_rec_release(&r.rec);
}

/* a newer kernel's key is an entry of the record */
static void test_an_unknown_key_is_a_record_entry(void **state) {
        struct nprocfs_pid_smaps_rollup r = NPROCFS_REC_INIT(pid_smaps_rollup);
        struct entries es;

        (void)state;
        assert_int_equal(
                parse_text(&r.rec, "1000-2000 ---p 00000000 00:00 0 [rollup]\nRss: 4 kB\nFuture_Thing: 3 kB\n"), 0);
        entries_collect(&r.rec, &es);
        assert_int_equal(es.n, 2);
        assert_entry(&es, "rss_bytes", "4096");
        assert_entry(&es, "future_thing_bytes", "3072");
        entries_free(&es);
        nprocfs_rec_release(&r.rec);
}

/* malformed/pid_smaps_rollup/valid-unit-overflow-saturates: "Rss:
 * 18014398509481984 kB" (x 1024 = 2^64), the rest as 10324's */
static void test_kb_past_u64_saturates(void **state) {
        struct nprocfs_pid_smaps_rollup r = NPROCFS_REC_INIT(pid_smaps_rollup);
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/pid_smaps_rollup/valid-unit-overflow-saturates", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&r.rec, data, len, &env), 0);
        entries_collect(&r.rec, &es);
        assert_entry(&es, "rss_bytes", "18446744073709551615");
        assert_entry(&es, "pss_bytes", "389120");
        entries_free(&es);
        nprocfs_rec_release(&r.rec);
        free(data);
}

static void test_malformed_rollups_are_eio(void **state) {
        static const char *const bad[] = {
                "",            /* no header */
                "Rss: 4 kB\n", /* no header */
                ("1000-2000 ---p 0 00:00 0 [rollup]\nRss: 4 kB\n"
                 "1000-2000 ---p 0 00:00 0 [rollup]\nRss: 4 kB\n"),         /* two headers */
                "1000-2000 ---p 0 00:00\nRss: 4 kB\n",                      /* a short header */
                "1000-2000 ---p 0 00:00 0 [rollup]\nRss: 4 kB\nPss: 4 B\n", /* bytes? */
        };

        (void)state;
        assert_all_malformed(pid_smaps_rollup, bad);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_every_key_in_bytes),
                cmocka_unit_test(test_missing_rollup_is_enoent),
                cmocka_unit_test(test_older_rollup_lacks_newer_keys),
                cmocka_unit_test(test_an_unknown_key_is_a_record_entry),
                cmocka_unit_test(test_kb_past_u64_saturates),
                cmocka_unit_test(test_malformed_rollups_are_eio),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
