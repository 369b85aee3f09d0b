/* /proc/loadavg: load averages stay decimals printed exactly as the kernel
 * printed them. */
#include "support.h"

/* linux-2.6/loadavg: "0.50 0.25 0.10 2/150 4242" */
static void test_load_averages_keep_their_digits(void **state) {
        struct nprocfs_sys_loadavg l = NPROCFS_REC_INIT(sys_loadavg);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 0, 0), 0);
        assert_int_equal(l.load1.mant, 50);
        assert_int_equal(l.load1.scale, 2);
        assert_int_equal(l.load15.mant, 10);
        assert_int_equal(l.load15.scale, 2);
        entries_collect(&l.rec, &es);
        assert_entry(&es, "load1", "0.50");
        assert_entry(&es, "load5", "0.25");
        assert_entry(&es, "load15", "0.10");
        entries_free(&es);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

static void test_runnable_entities_and_last_pid(void **state) {
        struct nprocfs_sys_loadavg l = NPROCFS_REC_INIT(sys_loadavg);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 0, 0), 0);
        assert_int_equal(l.runnable, 2); /* "2/150" */
        assert_int_equal(l.entities, 150);
        assert_int_equal(l.last_pid, 4242);
        entries_collect(&l.rec, &es);
        assert_int_equal(es.n, 6);
        assert_entry(&es, "runnable", "2");
        assert_entry(&es, "entities", "150");
        assert_entry(&es, "last_pid", "4242");
        entries_free(&es);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/loadavg: "0.39 0.12 0.04 2/85 11421" */
static void test_new_loadavg_keeps_leading_zeros(void **state) {
        struct nprocfs_sys_loadavg l = NPROCFS_REC_INIT(sys_loadavg);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 0, 0), 0);
        assert_int_equal(l.load15.mant, 4);
        assert_int_equal(l.load15.scale, 2);
        entries_collect(&l.rec, &es);
        assert_entry(&es, "load1", "0.39");
        assert_entry(&es, "load5", "0.12");
        assert_entry(&es, "load15", "0.04");
        assert_entry(&es, "runnable", "2");
        assert_entry(&es, "entities", "85");
        assert_entry(&es, "last_pid", "11421");
        entries_free(&es);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

static void test_large_loads_keep_their_digits(void **state) {
        static const char data[] = "123.45 10.00 0.00 12/3456 7\n";
        struct nprocfs_sys_loadavg l = NPROCFS_REC_INIT(sys_loadavg);
        struct nprocfs_env env = TEST_ENV;
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&l.rec, data, sizeof(data) - 1, &env), 0);
        entries_collect(&l.rec, &es);
        assert_entry(&es, "load1", "123.45");
        assert_entry(&es, "load5", "10.00");
        assert_entry(&es, "load15", "0.00");
        entries_free(&es);
        nprocfs_rec_release(&l.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_load_averages_keep_their_digits),
                cmocka_unit_test(test_runnable_entities_and_last_pid),
                cmocka_unit_test(test_new_loadavg_keeps_leading_zeros),
                cmocka_unit_test(test_large_loads_keep_their_digits),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
