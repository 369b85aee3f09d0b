/* /proc/<pid>/limits: one group per resource (soft and hard), unlimited as
 * max, seconds and microseconds in ns. */
#include <errno.h>

#include "support.h"

/* linux-2.6/4242/limits (the 2.6.24 layout: 15 rows, no "Max realtime timeout") */
static void test_old_limits_values(void **state) {
        struct nprocfs_pid_limits l = NPROCFS_REC_INIT(pid_limits);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 4242, 0), 0);
        /* "Max cpu time              unlimited            unlimited            seconds" */
        assert_true(l.max_cpu_time_soft_ns == UINT64_MAX);
        assert_true(l.max_cpu_time_hard_ns == UINT64_MAX);
        /* "Max stack size            10485760             unlimited            bytes" */
        assert_int_equal(l.max_stack_size_soft_bytes, 10485760);
        assert_true(l.max_stack_size_hard_bytes == UINT64_MAX);
        assert_int_equal(l.max_core_file_size_soft_bytes, 0);
        assert_int_equal(l.max_resident_set_soft_bytes, 1073741824);
        assert_int_equal(l.max_processes_soft, 8192);
        assert_int_equal(l.max_processes_hard, 16384);
        assert_int_equal(l.max_open_files_soft, 1024);
        assert_int_equal(l.max_open_files_hard, 4096);
        assert_int_equal(l.max_locked_memory_soft_bytes, 32768);
        assert_int_equal(l.max_pending_signals_hard, 16384);
        assert_int_equal(l.max_msgqueue_size_soft_bytes, 819200);
        /* "Max nice priority         0                    0                    " (no unit) */
        assert_int_equal(l.max_nice_priority_soft, 0);
        assert_int_equal(l.max_realtime_priority_hard, 0);
        /* RLIMIT_RTTIME came in 2.6.25 */
        assert_false(NPROCFS_HAS(&l, pid_limits, max_realtime_timeout_soft_ns));
        assert_false(NPROCFS_HAS(&l, pid_limits, max_realtime_timeout_hard_ns));
        assert_true(NPROCFS_HAS(&l, pid_limits, max_realtime_priority_hard));
        assert_int_equal(l.rec.nextra, 0);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

static void test_old_limits_as_entries(void **state) {
        struct nprocfs_pid_limits l = NPROCFS_REC_INIT(pid_limits);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 4242, 0), 0);
        entries_collect(&l.rec, &es);
        assert_int_equal(es.n, 30); /* 15 rows, soft and hard */
        assert_entry(&es, "max_cpu_time/soft_ns", "max");
        assert_entry(&es, "max_cpu_time/hard_ns", "max");
        assert_entry(&es, "max_file_size/soft_bytes", "max");
        assert_entry(&es, "max_data_size/hard_bytes", "max");
        assert_entry(&es, "max_stack_size/soft_bytes", "10485760");
        assert_entry(&es, "max_stack_size/hard_bytes", "max");
        assert_entry(&es, "max_core_file_size/soft_bytes", "0");
        assert_entry(&es, "max_resident_set/soft_bytes", "1073741824");
        assert_entry(&es, "max_processes/soft", "8192");
        assert_entry(&es, "max_processes/hard", "16384");
        assert_entry(&es, "max_open_files/soft", "1024");
        assert_entry(&es, "max_open_files/hard", "4096");
        assert_entry(&es, "max_locked_memory/soft_bytes", "32768");
        assert_entry(&es, "max_address_space/soft_bytes", "max");
        assert_entry(&es, "max_file_locks/hard", "max");
        assert_entry(&es, "max_pending_signals/soft", "16384");
        assert_entry(&es, "max_msgqueue_size/hard_bytes", "819200");
        assert_entry(&es, "max_nice_priority/soft", "0");
        assert_entry(&es, "max_realtime_priority/hard", "0");
        assert_no_entry(&es, "max_realtime_timeout/soft_ns");
        assert_no_entry(&es, "max_realtime_timeout/hard_ns");
        entries_free(&es);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/10324/limits: 16 rows, "Max realtime timeout unlimited unlimited us" */
static void test_new_limits_have_the_realtime_timeout(void **state) {
        struct nprocfs_pid_limits l = NPROCFS_REC_INIT(pid_limits);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 10324, 0), 0);
        for (unsigned i = 0; i < nprocfs_schema_pid_limits.nfields; i++)
                assert_true(nprocfs_rec_has(&l.rec, i));
        assert_int_equal(l.max_stack_size_soft_bytes, 8388608);
        assert_int_equal(l.max_processes_soft, 96365);
        assert_int_equal(l.max_open_files_soft, 20000);
        assert_int_equal(l.max_open_files_hard, 20000);
        assert_int_equal(l.max_locked_memory_hard_bytes, 8388608);
        entries_collect(&l.rec, &es);
        assert_int_equal(es.n, 32);
        assert_entry(&es, "max_realtime_timeout/soft_ns", "max");
        assert_entry(&es, "max_realtime_timeout/hard_ns", "max");
        assert_entry(&es, "max_resident_set/soft_bytes", "max");
        entries_free(&es);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

/* Every capture has unlimited CPU time; finite limits, as setrlimit makes them. */
static const char finite[] = "Limit                     Soft Limit           Hard Limit           Units     \n"
                             "Max cpu time              60                   3600                 seconds   \n"
                             "Max open files            1024                 4096                 files     \n"
                             "Max realtime timeout      200000               1000000              us        \n";

static void test_seconds_and_microseconds_become_ns(void **state) {
        struct nprocfs_pid_limits l = NPROCFS_REC_INIT(pid_limits);
        struct nprocfs_env env = TEST_ENV;
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&l.rec, finite, sizeof(finite) - 1, &env), 0);
        assert_int_equal(l.max_cpu_time_soft_ns, 60000000000);        /* 60 s */
        assert_int_equal(l.max_cpu_time_hard_ns, 3600000000000);      /* 3600 s */
        assert_int_equal(l.max_realtime_timeout_soft_ns, 200000000);  /* 200000 us */
        assert_int_equal(l.max_realtime_timeout_hard_ns, 1000000000); /* 1000000 us */
        assert_false(NPROCFS_HAS(&l, pid_limits, max_file_size_soft_bytes));
        entries_collect(&l.rec, &es);
        assert_int_equal(es.n, 6);
        assert_entry(&es, "max_cpu_time/soft_ns", "60000000000");
        assert_entry(&es, "max_realtime_timeout/hard_ns", "1000000000");
        entries_free(&es);
        nprocfs_rec_release(&l.rec);
}

static void test_unknown_resource_rows_are_kept(void **state) {
        static const char data[] = "Limit                     Soft Limit           Hard Limit           Units     \n"
                                   "Max open files            1024                 4096                 files     \n"
                                   "Max future thing          7                    unlimited            things    \n";
        struct nprocfs_pid_limits l = NPROCFS_REC_INIT(pid_limits);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&l.rec, data, sizeof(data) - 1, &env), 0);
        assert_int_equal(l.max_open_files_hard, 4096);
        assert_int_equal(l.rec.nextra, 1);
        assert_str_equal(l.rec.extra[0].key, "Max future thing");
        nprocfs_rec_release(&l.rec);
}

/* linux-2.6 has no 1/limits */
static void test_missing_limits_is_enoent(void **state) {
        struct nprocfs_pid_limits l = NPROCFS_REC_INIT(pid_limits);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 1, 0), -ENOENT);
        assert_no_fields(&l.rec);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_old_limits_values),
                cmocka_unit_test(test_old_limits_as_entries),
                cmocka_unit_test(test_new_limits_have_the_realtime_timeout),
                cmocka_unit_test(test_seconds_and_microseconds_become_ns),
                cmocka_unit_test(test_unknown_resource_rows_are_kept),
                cmocka_unit_test(test_missing_limits_is_enoent),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
