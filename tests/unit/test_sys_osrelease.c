/* /proc/sys/kernel/osrelease and nprocfs_kernel_version. */
#include <errno.h>
#include <stdlib.h>

#include "support.h"

/* linux-2.6/sys/kernel/osrelease: "2.6.18-8.el5\n" */
static void test_old_release_and_its_numbers(void **state) {
        struct nprocfs_sys_osrelease o = NPROCFS_REC_INIT(sys_osrelease);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &o.rec, 0, 0), 0);
        assert_str_equal(o.release, "2.6.18-8.el5");
        assert_int_equal(o.major, 2);
        assert_int_equal(o.minor, 6);
        assert_int_equal(o.patch, 18);
        entries_collect(&o.rec, &es);
        assert_int_equal(es.n, 4);
        assert_entry(&es, "release", "2.6.18-8.el5");
        assert_entry(&es, "major", "2");
        assert_entry(&es, "minor", "6");
        assert_entry(&es, "patch", "18");
        entries_free(&es);
        nprocfs_rec_release(&o.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/sys/kernel/osrelease: "6.18.44-fc-v595\n" */
static void test_new_release_and_its_numbers(void **state) {
        struct nprocfs_sys_osrelease o = NPROCFS_REC_INIT(sys_osrelease);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &o.rec, 0, 0), 0);
        assert_str_equal(o.release, "6.18.44-fc-v595");
        assert_int_equal(o.major, 6);
        assert_int_equal(o.minor, 18);
        assert_int_equal(o.patch, 44);
        nprocfs_rec_release(&o.rec);
        nprocfs_close(ctx);
}

static void test_kernel_version_of_each_tree(void **state) {
        struct nprocfs_kver v = { 0 };
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_kernel_version(ctx, &v), 0);
        assert_int_equal(v.major, 2);
        assert_int_equal(v.minor, 6);
        assert_int_equal(v.patch, 18);
        nprocfs_close(ctx);
        ctx = open_tree("linux-6.18");
        assert_int_equal(nprocfs_kernel_version(ctx, &v), 0);
        assert_int_equal(v.major, 6);
        assert_int_equal(v.minor, 18);
        assert_int_equal(v.patch, 44);
        nprocfs_close(ctx);
        /* the hostile tree has no osrelease: v is left as it was */
        ctx = open_tree("hostile");
        assert_int_equal(nprocfs_kernel_version(ctx, &v), -ENOENT);
        assert_int_equal(v.minor, 18);
        nprocfs_close(ctx);
}

static void test_a_release_without_patch_number_has_patch_0(void **state) {
        struct nprocfs_sys_osrelease o = NPROCFS_REC_INIT(sys_osrelease);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&o.rec, "6.8-rc1\n", 8, &env), 0);
        assert_str_equal(o.release, "6.8-rc1");
        assert_int_equal(o.major, 6);
        assert_int_equal(o.minor, 8);
        assert_int_equal(o.patch, 0);
        assert_int_equal(nprocfs_rec_parse(&o.rec, "3.0\n", 4, &env), 0);
        assert_int_equal(o.major, 3);
        assert_int_equal(o.minor, 0);
        assert_int_equal(o.patch, 0);
        nprocfs_rec_release(&o.rec);
}

/* malformed/sys_osrelease/valid-no-newline: "6.18.44" */
static void test_a_release_without_newline_is_valid(void **state) {
        struct nprocfs_sys_osrelease o = NPROCFS_REC_INIT(sys_osrelease);
        struct nprocfs_env env = TEST_ENV;
        size_t len;
        char *data = read_fixture("malformed/sys_osrelease/valid-no-newline", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&o.rec, data, len, &env), 0);
        assert_str_equal(o.release, "6.18.44");
        assert_int_equal(o.patch, 44);
        nprocfs_rec_release(&o.rec);
        free(data);
}

static void test_a_release_without_minor_is_an_error(void **state) {
        struct nprocfs_sys_osrelease o = NPROCFS_REC_INIT(sys_osrelease);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&o.rec, "6\n", 2, &env), -EIO);
        assert_int_equal(nprocfs_rec_parse(&o.rec, "v6.1\n", 5, &env), -EIO);
        assert_int_equal(nprocfs_rec_parse(&o.rec, "6.1\n6.2\n", 8, &env), -EIO);
        nprocfs_rec_release(&o.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_old_release_and_its_numbers),
                cmocka_unit_test(test_new_release_and_its_numbers),
                cmocka_unit_test(test_kernel_version_of_each_tree),
                cmocka_unit_test(test_a_release_without_patch_number_has_patch_0),
                cmocka_unit_test(test_a_release_without_newline_is_valid),
                cmocka_unit_test(test_a_release_without_minor_is_an_error),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
