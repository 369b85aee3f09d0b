/* /proc/<pid>/exe, cwd and root: one link each, its text kept and its path
 * decoded. Expected values: fixtures/README.md ("ns, exe, cwd, root");
 * live: the kernel's readlink() and getcwd(). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

static void test_fixtures(void **state) {
        struct nprocfs_pid_exe exe = NPROCFS_REC_INIT(pid_exe);
        struct nprocfs_pid_cwd cwd = NPROCFS_REC_INIT(pid_cwd);
        struct nprocfs_pid_root root = NPROCFS_REC_INIT(pid_root);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &exe.rec, 10324, 0), 0);
        entries_collect(&exe.rec, &es);
        assert_entry(&es, "target", "/usr/bin/sleep");
        assert_entry(&es, "path", "/usr/bin/sleep");
        assert_entry(&es, "deleted", "0");
        entries_free(&es);
        assert_int_equal(nprocfs_rec_read(ctx, &cwd.rec, 10324, 0), 0);
        assert_str_equal(cwd.target, "/");
        assert_int_equal(nprocfs_rec_read(ctx, &root.rec, 10324, 0), 0);
        assert_str_equal(root.target, "/");
        assert_int_equal(nprocfs_rec_read(ctx, &exe.rec, 10330, 0), 0);
        assert_str_equal(exe.target, "/usr/bin/python3.11");
        assert_int_equal(nprocfs_rec_read(ctx, &exe.rec, 10322, 0), 0);
        assert_str_equal(exe.target, "/usr/bin/bash");
        assert_int_equal(nprocfs_rec_read(ctx, &cwd.rec, 10322, 0), 0);
        assert_str_equal(cwd.target, "/tmp/nprocfs");
        assert_int_equal(nprocfs_rec_read(ctx, &exe.rec, 1, 0), -ENOENT); /* not captured */
        nprocfs_close(ctx);

        ctx = open_tree("linux-2.6");
        assert_int_equal(nprocfs_rec_read(ctx, &exe.rec, 4242, 0), 0);
        assert_str_equal(exe.target, "/bin/sh");
        assert_int_equal(nprocfs_rec_read(ctx, &cwd.rec, 4242, 0), 0);
        assert_str_equal(cwd.target, "/");
        assert_int_equal(nprocfs_rec_read(ctx, &root.rec, 4242, 0), 0);
        assert_str_equal(root.target, "/");
        nprocfs_close(ctx);
        nprocfs_rec_release(&exe.rec);
        nprocfs_rec_release(&cwd.rec);
        nprocfs_rec_release(&root.rec);
}

static void test_deleted(void **state) {
        struct nprocfs_pid_exe exe = NPROCFS_REC_INIT(pid_exe);
        static const char text[] = "/usr/bin/bash (deleted)";
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&exe.rec, text, sizeof(text) - 1, &env), 0);
        entries_collect(&exe.rec, &es);
        assert_entry(&es, "target", "/usr/bin/bash (deleted)");
        assert_entry(&es, "path", "/usr/bin/bash");
        assert_entry(&es, "deleted", "1");
        entries_free(&es);
        /* no link is empty or holds a NUL */
        assert_int_equal(nprocfs_rec_parse(&exe.rec, "", 0, &env), -EIO);
        assert_int_equal(nprocfs_rec_parse(&exe.rec, "/a\0b", 4, &env), -EIO);
        nprocfs_rec_release(&exe.rec);
}

static void test_live(void **state) {
        struct nprocfs_pid_exe exe = NPROCFS_REC_INIT(pid_exe);
        struct nprocfs_pid_cwd cwd = NPROCFS_REC_INIT(pid_cwd);
        char want[PATH_MAX + 1];
        nprocfs_ctx *ctx;
        ssize_t n;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        n = readlink("/proc/self/exe", want, sizeof(want) - 1);
        assert_true(n > 0);
        assert_int_equal(nprocfs_rec_read(ctx, &exe.rec, getpid(), 0), 0);
        assert_int_equal(exe.target.len, n);
        assert_memory_equal(exe.target.ptr, want, (size_t)n);
        assert_non_null(getcwd(want, sizeof(want)));
        assert_int_equal(nprocfs_rec_read(ctx, &cwd.rec, getpid(), 0), 0);
        assert_int_equal(cwd.target.len, strlen(want));
        assert_memory_equal(cwd.target.ptr, want, strlen(want));
        /* a kernel thread has no exe: kthreadd is pid 2 where the pid
         * namespace is the machine's; elsewhere pid 2 may be anything */
        nprocfs_close(ctx);
        nprocfs_rec_release(&exe.rec);
        nprocfs_rec_release(&cwd.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fixtures),
                cmocka_unit_test(test_deleted),
                cmocka_unit_test(test_live),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
