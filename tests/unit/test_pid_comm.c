/* /proc/<pid>/comm: the name and the one newline the kernel adds. */
#include <errno.h>

#include "support.h"

/* linux-6.18/10324/comm: "sleep\n" */
static void test_comm_drops_only_the_final_newline(void **state) {
        struct nprocfs_pid_comm c = NPROCFS_REC_INIT(pid_comm);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 10324, 0), 0);
        assert_str_equal(c.name, "sleep");
        entries_collect(&c.rec, &es);
        assert_int_equal(es.n, 1);
        assert_entry(&es, "name", "sleep");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/1/comm: "process_api\n"; 10330/task/1033[678]/comm:
 * "nprocfs-w0\n" .. "nprocfs-w2\n", 10330/task/10330/comm "python3\n" */
static void test_each_thread_has_its_own_comm(void **state) {
        struct nprocfs_pid_comm c = NPROCFS_REC_INIT(pid_comm);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 1, 0), 0);
        assert_str_equal(c.name, "process_api");
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 10330, 10330), 0);
        assert_str_equal(c.name, "python3");
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 10330, 10336), 0);
        assert_str_equal(c.name, "nprocfs-w0");
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 10330, 10338), 0);
        assert_str_equal(c.name, "nprocfs-w2");
        nprocfs_rec_release(&c.rec);
        nprocfs_close(ctx);
}

/* comm came in 2.6.33: linux-2.6 has none */
static void test_old_tree_has_no_comm(void **state) {
        struct nprocfs_pid_comm c = NPROCFS_REC_INIT(pid_comm);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 4242, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 1, 0), -ENOENT);
        assert_no_fields(&c.rec);
        nprocfs_rec_release(&c.rec);
        nprocfs_close(ctx);
}

static void test_comm_keeps_inner_newlines_and_blanks(void **state) {
        struct nprocfs_pid_comm c = NPROCFS_REC_INIT(pid_comm);
        struct nprocfs_env env = TEST_ENV;
        static const char data[] = " a\nb \n";

        (void)state;
        /* a comm may hold any byte but NUL (prctl PR_SET_NAME) */
        assert_int_equal(nprocfs_rec_parse(&c.rec, data, sizeof(data) - 1, &env), 0);
        assert_str_equal(c.name, " a\nb ");
        /* without the kernel's newline it is not a comm file */
        assert_int_equal(nprocfs_rec_parse(&c.rec, "sleep", 5, &env), -EIO);
        assert_int_equal(nprocfs_rec_parse(&c.rec, "", 0, &env), -EIO);
        nprocfs_rec_release(&c.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_comm_drops_only_the_final_newline),
                cmocka_unit_test(test_each_thread_has_its_own_comm),
                cmocka_unit_test(test_old_tree_has_no_comm),
                cmocka_unit_test(test_comm_keeps_inner_newlines_and_blanks),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
