/* /proc/<pid>/statm: seven page counts, in bytes at the tree's page size
 * (4096 in both trees). */
#include <errno.h>

#include "support.h"

/* linux-2.6/4242/statm: "2560 300 100 1 0 200 0" */
static void test_pages_become_bytes(void **state) {
        struct nprocfs_pid_statm st = NPROCFS_REC_INIT(pid_statm);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        assert_int_equal(st.size_bytes, 10485760);    /* 2560 pages */
        assert_int_equal(st.resident_bytes, 1228800); /* 300 */
        assert_int_equal(st.shared_bytes, 409600);    /* 100 */
        assert_int_equal(st.text_bytes, 4096);        /* 1 */
        assert_int_equal(st.lib_bytes, 0);
        assert_int_equal(st.data_bytes, 819200); /* 200 */
        assert_int_equal(st.dt_bytes, 0);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-2.6/1/statm: "512 100 80 8 0 60 0" */
static void test_init_statm_as_entries(void **state) {
        struct nprocfs_pid_statm st = NPROCFS_REC_INIT(pid_statm);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 1, 0), 0);
        entries_collect(&st.rec, &es);
        assert_int_equal(es.n, 7);
        assert_entry(&es, "size_bytes", "2097152");
        assert_entry(&es, "resident_bytes", "409600");
        assert_entry(&es, "shared_bytes", "327680");
        assert_entry(&es, "text_bytes", "32768");
        assert_entry(&es, "lib_bytes", "0");
        assert_entry(&es, "data_bytes", "245760");
        assert_entry(&es, "dt_bytes", "0");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/10324/statm: "625 391 367 5 0 89 0" */
static void test_new_statm_values(void **state) {
        struct nprocfs_pid_statm st = NPROCFS_REC_INIT(pid_statm);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 10324, 0), 0);
        assert_int_equal(st.size_bytes, 2560000);
        assert_int_equal(st.resident_bytes, 1601536);
        assert_int_equal(st.shared_bytes, 1503232);
        assert_int_equal(st.text_bytes, 20480);
        assert_int_equal(st.data_bytes, 364544);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "resident_bytes", "1601536");
        assert_entry(&es, "data_bytes", "364544");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/10330/task/10336/statm: "58849 2402 1456 691 0 7488 0" (a
 * thread shows its process's memory) */
static void test_thread_statm_reads_the_task_file(void **state) {
        struct nprocfs_pid_statm st = NPROCFS_REC_INIT(pid_statm);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 10330, 10336), 0);
        assert_int_equal(st.size_bytes, 241045504);   /* 58849 pages */
        assert_int_equal(st.resident_bytes, 9838592); /* 2402 */
        /* 10324 has one thread, 10324 */
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 10324, 10325), -ENOENT);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_pages_become_bytes),
                cmocka_unit_test(test_init_statm_as_entries),
                cmocka_unit_test(test_new_statm_values),
                cmocka_unit_test(test_thread_statm_reads_the_task_file),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
