/* Without openat2 (kernels before 5.6, and valgrind), paths are resolved one
 * component at a time and every link is refused: the same tree still reads,
 * and nothing outside it does. */
#include <unistd.h>

#include "support.h"
#include "../../src/lib/internal.h"

static nprocfs_ctx *open_fallback(const char *name) {
        nprocfs_ctx *ctx = open_tree(name);

        np_ctx_disable_openat2(ctx);
        return ctx;
}

static void test_pids_list_the_root_itself(void **state) {
        nprocfs_ctx *ctx = open_fallback("linux-2.6");
        pid_t *pids;
        size_t n;

        (void)state;
        assert_int_equal(nprocfs_pids(ctx, &pids, &n), 0);
        /* linux-2.6 holds 1/ and 4242/ */
        assert_int_equal(n, 2);
        assert_int_equal(pids[0], 1);
        assert_int_equal(pids[1], 4242);
        free(pids);
        nprocfs_close(ctx);
}

static void test_files_below_pids_read(void **state) {
        nprocfs_ctx *ctx = open_fallback("linux-2.6");
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 4242), 0);
        assert_int_equal(st.pid, 4242);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_a_link_out_of_the_root_is_refused(void **state) {
        nprocfs_ctx *ctx = open_fallback("hostile");
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        /* hostile/100/status is a link to /etc/passwd */
        assert_true(nprocfs_rec_read(ctx, &st.rec, 100, 0) < 0);
        assert_true(st.rec.buf == NULL || strstr(st.rec.buf, "root:") == NULL);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_live_proc_reads_this_process(void **state) {
        nprocfs_ctx *ctx;
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        np_ctx_disable_openat2(ctx);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, getpid(), 0), 0);
        assert_int_equal(st.pid, (uint64_t)getpid());
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_pids_list_the_root_itself),
                cmocka_unit_test(test_files_below_pids_read),
                cmocka_unit_test(test_a_link_out_of_the_root_is_refused),
                cmocka_unit_test(test_live_proc_reads_this_process),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
