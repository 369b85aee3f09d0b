/* /proc/<pid>/ns: a row per namespace link, its type and inode decoded.
 * Expected values: fixtures/README.md ("ns, exe, cwd, root"); live: stat()
 * of the kernel's own links. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static void test_linux_6_18(void **state) {
        struct nprocfs_pid_ns ns = NPROCFS_REC_INIT(pid_ns);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &ns.rec, 10324, 0), 0);
        assert_int_equal(ns.rec.nrows, 10); /* 10324/ns holds 10 links */
        entries_collect(&ns.rec, &es);
        assert_entry(&es, "net/target", "net:[4026531833]");
        assert_entry(&es, "net/type", "net");
        assert_entry(&es, "net/inode", "4026531833");
        assert_entry(&es, "pid_for_children/target", "pid:[4026531836]");
        assert_entry(&es, "pid_for_children/type", "pid");
        assert_entry(&es, "cgroup/inode", "4026531835");
        assert_entry(&es, "time_for_children/inode", "4026531834");
        entries_free(&es);
        assert_int_equal(nprocfs_rec_read(ctx, &ns.rec, 1, 0), -ENOENT); /* not captured */
        nprocfs_rec_release(&ns.rec);
        nprocfs_close(ctx);

        /* 2.6 had no ns/ */
        ctx = open_tree("linux-2.6");
        assert_int_equal(nprocfs_rec_read(ctx, &ns.rec, 4242, 0), -ENOENT);
        nprocfs_rec_release(&ns.rec);
        nprocfs_close(ctx);
}

static void test_live(void **state) {
        static const char *const types[] = { "net", "pid", "mnt", "user", "uts", "ipc" };
        struct nprocfs_pid_ns ns = NPROCFS_REC_INIT(pid_ns);
        struct entries es;
        nprocfs_ctx *ctx;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &ns.rec, getpid(), 0), 0);
        entries_collect(&ns.rec, &es);
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
                char path[64], want[32];
                const struct entry_copy *e;
                struct stat st;

                snprintf(path, sizeof(path), "/proc/self/ns/%s", types[i]);
                assert_int_equal(stat(path, &st), 0);
                snprintf(want, sizeof(want), "%llu", (unsigned long long)st.st_ino);
                snprintf(path, sizeof(path), "%s/inode", types[i]);
                e = entries_find(&es, path);
                if (!e)
                        fail_msg("no %s", path);
                assert_string_equal(e->value, want);
                snprintf(path, sizeof(path), "%s/type", types[i]);
                assert_string_equal(entries_find(&es, path)->value, types[i]);
        }
        entries_free(&es);
        nprocfs_rec_release(&ns.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_linux_6_18),
                cmocka_unit_test(test_live),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
