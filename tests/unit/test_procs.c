/* Processes and threads of a root: nprocfs_pids, nprocfs_tids, nprocfs_self,
 * nprocfs_proc_exists, nprocfs_proc_owner. */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "support.h"

static void assert_pids(const pid_t *got, size_t n, const pid_t *want, size_t wn) {
        assert_int_equal(n, wn);
        for (size_t i = 0; i < n; i++)
                assert_int_equal(got[i], want[i]);
}

/* linux-2.6 holds 1 and 4242, and files that are not processes (meminfo,
 * stat, sys, ...) */
static void test_pids_of_the_old_tree_ascend(void **state) {
        static const pid_t want[] = { 1, 4242 };
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        pid_t *pids = NULL;
        size_t n = 0;

        (void)state;
        assert_int_equal(nprocfs_pids(ctx, &pids, &n), 0);
        assert_pids(pids, n, want, 2);
        free(pids);
        nprocfs_close(ctx);
}

/* linux-6.18: 1, 10322, 10324, 10330 (self and thread-self are links, not pids) */
static void test_pids_of_the_capture_ascend(void **state) {
        static const pid_t want[] = { 1, 10322, 10324, 10330 };
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        pid_t *pids = NULL;
        size_t n = 0;

        (void)state;
        assert_int_equal(nprocfs_pids(ctx, &pids, &n), 0);
        assert_pids(pids, n, want, 4);
        free(pids);
        nprocfs_close(ctx);
}

/* linux-6.18/10330/task: 10330 10336 10337 10338; 1/task: 13 threads */
static void test_tids_ascend(void **state) {
        static const pid_t want[] = { 10330, 10336, 10337, 10338 };
        static const pid_t want1[] = { 1, 59, 60, 61, 62, 63, 64, 65, 68, 69, 75, 76, 78 };
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        pid_t *tids = NULL;
        size_t n = 0;

        (void)state;
        assert_int_equal(nprocfs_tids(ctx, 10330, &tids, &n), 0);
        assert_pids(tids, n, want, 4);
        free(tids);
        assert_int_equal(nprocfs_tids(ctx, 1, &tids, &n), 0);
        assert_pids(tids, n, want1, 13);
        free(tids);
        nprocfs_close(ctx);
}

static void test_tids_of_a_missing_process_are_enoent(void **state) {
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        pid_t *tids = NULL;
        size_t n = 7;

        (void)state;
        /* linux-2.6/1 has no task directory; 2 does not exist */
        assert_int_equal(nprocfs_tids(ctx, 1, &tids, &n), -ENOENT);
        assert_int_equal(nprocfs_tids(ctx, 2, &tids, &n), -ENOENT);
        assert_int_equal(nprocfs_tids(ctx, 0, &tids, &n), -ENOENT);
        assert_int_equal(nprocfs_tids(ctx, -1, &tids, &n), -ENOENT);
        assert_null(tids);
        assert_int_equal(n, 7);
        nprocfs_close(ctx);
}

/* linux-6.18/self -> 10324 */
static void test_self_follows_the_snapshots_link(void **state) {
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        pid_t self = 0;

        (void)state;
        assert_int_equal(nprocfs_self(ctx, &self), 0);
        assert_int_equal(self, 10324);
        nprocfs_close(ctx);
}

static void test_self_without_a_link_is_an_error(void **state) {
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        pid_t self = 42;

        (void)state;
        assert_int_equal(nprocfs_self(ctx, &self), -ENOENT);
        assert_int_equal(self, 42);
        nprocfs_close(ctx);
}

static void test_proc_exists_for_processes_and_threads(void **state) {
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_proc_exists(ctx, 4242, 0), 0);
        assert_int_equal(nprocfs_proc_exists(ctx, 4242, 4242), 0);
        assert_int_equal(nprocfs_proc_exists(ctx, 1, 0), 0);
        assert_int_equal(nprocfs_proc_exists(ctx, 1, 1), -ENOENT); /* no 1/task */
        assert_int_equal(nprocfs_proc_exists(ctx, 4242, 4243), -ENOENT);
        assert_int_equal(nprocfs_proc_exists(ctx, 2, 0), -ENOENT);
        assert_int_equal(nprocfs_proc_exists(ctx, 0, 0), -ENOENT);
        assert_int_equal(nprocfs_proc_exists(ctx, -4242, 0), -ENOENT);
        assert_int_equal(nprocfs_proc_exists(ctx, 4242, -1), -ENOENT);
        nprocfs_close(ctx);
        ctx = open_tree("linux-6.18");
        assert_int_equal(nprocfs_proc_exists(ctx, 10330, 10337), 0);
        assert_int_equal(nprocfs_proc_exists(ctx, 10330, 10324), -ENOENT); /* another process */
        nprocfs_close(ctx);
}

static void test_reading_pid_zero_or_negative_is_enoent(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 0, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, -1, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, -1), -ENOENT);
        assert_no_fields(&st.rec);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_owner_is_the_owner_of_the_directory(void **state) {
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct stat st;
        uid_t uid = 12345;
        gid_t gid = 12345;

        (void)state;
        assert_int_equal(stat(fixture_path("linux-2.6/4242"), &st), 0);
        assert_int_equal(nprocfs_proc_owner(ctx, 4242, &uid, &gid), 0);
        assert_int_equal(uid, st.st_uid);
        assert_int_equal(gid, st.st_gid);
        uid = 12345;
        assert_int_equal(nprocfs_proc_owner(ctx, 2, &uid, &gid), -ENOENT);
        assert_int_equal(uid, 12345);
        nprocfs_close(ctx);
}

static void test_open_fails_for_a_missing_or_non_directory_root(void **state) {
        nprocfs_ctx *ctx = NULL;

        (void)state;
        assert_int_equal(nprocfs_open(fixture_path("no-such-tree"), 0, &ctx), -ENOENT);
        assert_int_equal(nprocfs_open(fixture_path("linux-2.6/meminfo"), 0, &ctx), -ENOTDIR);
        assert_null(ctx);
        nprocfs_close(NULL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_pids_of_the_old_tree_ascend),
                cmocka_unit_test(test_pids_of_the_capture_ascend),
                cmocka_unit_test(test_tids_ascend),
                cmocka_unit_test(test_tids_of_a_missing_process_are_enoent),
                cmocka_unit_test(test_self_follows_the_snapshots_link),
                cmocka_unit_test(test_self_without_a_link_is_an_error),
                cmocka_unit_test(test_proc_exists_for_processes_and_threads),
                cmocka_unit_test(test_reading_pid_zero_or_negative_is_enoent),
                cmocka_unit_test(test_owner_is_the_owner_of_the_directory),
                cmocka_unit_test(test_open_fails_for_a_missing_or_non_directory_root),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
