/* /proc/uptime: two decimal seconds, converted to ns exactly (no floating
 * point on the way). */
#include <errno.h>

#include "support.h"

/* linux-2.6/uptime: "1000.00 1850.00" */
static void test_whole_seconds_become_ns(void **state) {
        struct nprocfs_sys_uptime u = NPROCFS_REC_INIT(sys_uptime);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &u.rec, 0, 0), 0);
        assert_int_equal(u.uptime_ns, 1000000000000);
        assert_int_equal(u.idle_ns, 1850000000000);
        entries_collect(&u.rec, &es);
        assert_int_equal(es.n, 2);
        assert_entry(&es, "uptime_ns", "1000000000000");
        assert_entry(&es, "idle_ns", "1850000000000");
        entries_free(&es);
        nprocfs_rec_release(&u.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/uptime: "349.28 658.77" */
static void test_fractions_become_exact_ns(void **state) {
        struct nprocfs_sys_uptime u = NPROCFS_REC_INIT(sys_uptime);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &u.rec, 0, 0), 0);
        assert_int_equal(u.uptime_ns, 349280000000);
        assert_int_equal(u.idle_ns, 658770000000);
        nprocfs_rec_release(&u.rec);
        nprocfs_close(ctx);
}

static void test_fraction_digits_past_ns_are_dropped(void **state) {
        static const char data[] = "0.1234567891 5.000000001\n";
        struct nprocfs_sys_uptime u = NPROCFS_REC_INIT(sys_uptime);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&u.rec, data, sizeof(data) - 1, &env), 0);
        assert_int_equal(u.uptime_ns, 123456789);
        assert_int_equal(u.idle_ns, 5000000001);
        nprocfs_rec_release(&u.rec);
}

static void test_seconds_past_u64_ns_saturate(void **state) {
        /* 18446744074 s is more than 2^64 ns; the seconds themselves fit */
        static const char data[] = "18446744074.00 1.5\n";
        struct nprocfs_sys_uptime u = NPROCFS_REC_INIT(sys_uptime);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&u.rec, data, sizeof(data) - 1, &env), 0);
        assert_true(u.uptime_ns == UINT64_MAX);
        assert_int_equal(u.idle_ns, 1500000000);
        nprocfs_rec_release(&u.rec);
}

static void test_a_dot_without_digits_is_an_error(void **state) {
        static const char data[] = "349. 658.77\n";
        struct nprocfs_sys_uptime u = NPROCFS_REC_INIT(sys_uptime);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&u.rec, data, sizeof(data) - 1, &env), -EIO);
        nprocfs_rec_release(&u.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_whole_seconds_become_ns),
                cmocka_unit_test(test_fractions_become_exact_ns),
                cmocka_unit_test(test_fraction_digits_past_ns_are_dropped),
                cmocka_unit_test(test_seconds_past_u64_ns_saturate),
                cmocka_unit_test(test_a_dot_without_digits_is_an_error),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
