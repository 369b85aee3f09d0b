/* /proc/stat: the cpu lines are rows named by their key, columns in ticks
 * (10 000 000 ns at 100 per second); btime becomes Unix ns; intr and softirq
 * keep their totals. */
#include <stdlib.h>

#include "support.h"

static const struct nprocfs_sys_stat_row *row(const struct nprocfs_sys_stat *st, size_t i) {
        return (const struct nprocfs_sys_stat_row *)nprocfs_rec_row(&st->rec, i);
}

/* linux-2.6/stat:
 * cpu  8000 100 2500 185000 3500 450 450 0
 * cpu0 5000 100 1500 90000 3000 200 200 0
 * cpu1 3000 0 1000 95000 500 250 250 0 */
static void test_cpu_lines_are_rows_in_ns(void **state) {
        struct nprocfs_sys_stat st = NPROCFS_REC_INIT(sys_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 0, 0), 0);
        assert_int_equal(st.rec.nrows, 3);
        assert_str_equal(row(&st, 0)->row.key, "cpu");
        assert_str_equal(row(&st, 1)->row.key, "cpu0");
        assert_str_equal(row(&st, 2)->row.key, "cpu1");
        assert_int_equal(row(&st, 0)->user_ns, 80000000000);   /* 8000 */
        assert_int_equal(row(&st, 0)->nice_ns, 1000000000);    /* 100 */
        assert_int_equal(row(&st, 0)->system_ns, 25000000000); /* 2500 */
        assert_int_equal(row(&st, 0)->idle_ns, 1850000000000); /* 185000 */
        assert_int_equal(row(&st, 0)->iowait_ns, 35000000000); /* 3500 */
        assert_int_equal(row(&st, 0)->irq_ns, 4500000000);     /* 450 */
        assert_int_equal(row(&st, 0)->softirq_ns, 4500000000); /* 450 */
        assert_int_equal(row(&st, 0)->steal_ns, 0);
        assert_int_equal(row(&st, 1)->user_ns, 50000000000);  /* 5000 */
        assert_int_equal(row(&st, 1)->idle_ns, 900000000000); /* 90000 */
        assert_int_equal(row(&st, 2)->nice_ns, 0);
        assert_int_equal(row(&st, 2)->idle_ns, 950000000000);  /* 95000 */
        assert_int_equal(row(&st, 2)->softirq_ns, 2500000000); /* 250 */
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* 8 columns: guest (2.6.24) and guest_nice (2.6.33) are not there */
static void test_old_cpu_rows_have_no_guest_columns(void **state) {
        struct nprocfs_sys_stat st = NPROCFS_REC_INIT(sys_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 0, 0), 0);
        for (size_t i = 0; i < st.rec.nrows; i++) {
                assert_true(NPROCFS_ROW_HAS(row(&st, i), sys_stat, steal_ns));
                assert_false(NPROCFS_ROW_HAS(row(&st, i), sys_stat, guest_ns));
                assert_false(NPROCFS_ROW_HAS(row(&st, i), sys_stat, guest_nice_ns));
        }
        entries_collect(&st.rec, &es);
        assert_entry(&es, "cpu/user_ns", "80000000000");
        assert_entry(&es, "cpu0/user_ns", "50000000000");
        assert_entry(&es, "cpu0/iowait_ns", "30000000000"); /* 3000 */
        assert_entry(&es, "cpu1/system_ns", "10000000000"); /* 1000 */
        assert_entry(&es, "cpu1/steal_ns", "0");
        assert_no_entry(&es, "cpu/guest_ns");
        assert_no_entry(&es, "cpu0/guest_nice_ns");
        assert_no_entry(&es, "cpu2/user_ns");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* intr 1000000 800000 150000 50000 0 0, ctxt 2000000, btime 1200000000,
 * processes 5000, procs_running 1, procs_blocked 0; no softirq line (2.6.31) */
static void test_scalar_lines_and_btime_in_unix_ns(void **state) {
        struct nprocfs_sys_stat st = NPROCFS_REC_INIT(sys_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 0, 0), 0);
        assert_int_equal(st.intr_total, 1000000);
        assert_int_equal(st.ctxt, 2000000);
        assert_int_equal(st.btime_unix_ns, 1200000000000000000);
        assert_int_equal(st.processes, 5000);
        assert_int_equal(st.procs_running, 1);
        assert_int_equal(st.procs_blocked, 0);
        assert_false(NPROCFS_HAS(&st, sys_stat, softirq_total));
        assert_int_equal(st.rec.nextra, 0);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "intr_total", "1000000");
        assert_entry(&es, "btime_unix_ns", "1200000000000000000");
        assert_no_entry(&es, "softirq_total");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        /* the context knows the boot time too */
        assert_int_equal(nprocfs_ctx_env(ctx)->boot_time_unix_ns, 1200000000000000000);
        nprocfs_close(ctx);
}

/* linux-6.18/stat:
 * cpu  2066 1 1387 65877 258 0 25 8 0 0
 * cpu0 780 1 641 33411 2 0 5 2 0 0
 * cpu1 1285 0 746 32465 255 0 20 5 0 0
 * intr 115600 0 0 ..., ctxt 263210, btime 1795303096, processes 11432,
 * procs_running 2, procs_blocked 0, softirq 84593 0 8347 ... */
static void test_new_stat_has_ten_columns_and_softirq(void **state) {
        struct nprocfs_sys_stat st = NPROCFS_REC_INIT(sys_stat);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 0, 0), 0);
        assert_int_equal(st.rec.nrows, 3);
        assert_int_equal(row(&st, 0)->user_ns, 20660000000);  /* 2066 */
        assert_int_equal(row(&st, 0)->idle_ns, 658770000000); /* 65877 */
        assert_int_equal(row(&st, 0)->steal_ns, 80000000);    /* 8 */
        assert_true(NPROCFS_ROW_HAS(row(&st, 0), sys_stat, guest_nice_ns));
        assert_int_equal(row(&st, 2)->iowait_ns, 2550000000); /* 255 */
        assert_int_equal(st.intr_total, 115600);
        assert_int_equal(st.ctxt, 263210);
        assert_int_equal(st.btime_unix_ns, 1795303096000000000);
        assert_int_equal(st.processes, 11432);
        assert_int_equal(st.procs_running, 2);
        assert_int_equal(st.softirq_total, 84593);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "cpu/system_ns", "13870000000"); /* 1387 */
        assert_entry(&es, "cpu/softirq_ns", "250000000");  /* 25 */
        assert_entry(&es, "cpu0/nice_ns", "10000000");     /* 1 */
        assert_entry(&es, "cpu0/guest_ns", "0");
        assert_entry(&es, "cpu1/user_ns", "12850000000"); /* 1285 */
        assert_entry(&es, "cpu1/guest_nice_ns", "0");
        assert_entry(&es, "softirq_total", "84593");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* malformed/sys_stat/valid-4-columns: "cpu  400 0 100 9500", "cpu0 400 0 100 9500",
 * "btime 1000000000" (2.4-style) */
static void test_four_columns_are_enough(void **state) {
        struct nprocfs_sys_stat st = NPROCFS_REC_INIT(sys_stat);
        struct nprocfs_env env = TEST_ENV;
        size_t len;
        char *data = read_fixture("malformed/sys_stat/valid-4-columns", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&st.rec, data, len, &env), 0);
        assert_int_equal(st.rec.nrows, 2);
        for (size_t i = 0; i < 2; i++) {
                assert_int_equal(row(&st, i)->user_ns, 4000000000);
                assert_int_equal(row(&st, i)->nice_ns, 0);
                assert_int_equal(row(&st, i)->system_ns, 1000000000);
                assert_int_equal(row(&st, i)->idle_ns, 95000000000);
                assert_false(NPROCFS_ROW_HAS(row(&st, i), sys_stat, iowait_ns));
        }
        assert_int_equal(st.btime_unix_ns, 1000000000000000000);
        nprocfs_rec_release(&st.rec);
        free(data);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_cpu_lines_are_rows_in_ns),
                cmocka_unit_test(test_old_cpu_rows_have_no_guest_columns),
                cmocka_unit_test(test_scalar_lines_and_btime_in_unix_ns),
                cmocka_unit_test(test_new_stat_has_ten_columns_and_softirq),
                cmocka_unit_test(test_four_columns_are_enough),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
