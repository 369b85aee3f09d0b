/* /proc/<pid>/cmdline and environ: NUL-separated strings, kept as the kernel
 * wrote them and also split into one entry per element (0, 1, ...). */
#include <errno.h>
#include <stdlib.h>

#include "support.h"

/* linux-2.6/4242/cmdline: "/usr/bin/odd\0--flag\0arg with space\0" (35 bytes) */
static void test_cmdline_keeps_its_bytes(void **state) {
        struct nprocfs_pid_cmdline c = NPROCFS_REC_INIT(pid_cmdline);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 4242, 0), 0);
        assert_str_equal(c.argv, "/usr/bin/odd\0--flag\0arg with space\0");
        assert_int_equal(c.argc, 3);
        nprocfs_rec_release(&c.rec);
        nprocfs_close(ctx);
}

static void test_cmdline_elements_are_entries_by_index(void **state) {
        struct nprocfs_pid_cmdline c = NPROCFS_REC_INIT(pid_cmdline);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 4242, 0), 0);
        entries_collect(&c.rec, &es);
        assert_entry(&es, "argv", "/usr/bin/odd\0--flag\0arg with space\0");
        assert_entry(&es, "0", "/usr/bin/odd");
        assert_entry(&es, "1", "--flag");
        assert_entry(&es, "2", "arg with space");
        assert_no_entry(&es, "3");
        assert_entry(&es, "argc", "3");
        assert_int_equal(es.n, 5);
        /* the elements follow the list they split */
        assert_string_equal(es.v[0].path, "argv");
        assert_string_equal(es.v[1].path, "0");
        assert_string_equal(es.v[3].path, "2");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
        nprocfs_close(ctx);
}

/* linux-2.6/1/cmdline: "/sbin/init\0"; linux-6.18/10324/cmdline: "sleep\0001000\0" */
static void test_cmdline_of_other_processes(void **state) {
        struct nprocfs_pid_cmdline c = NPROCFS_REC_INIT(pid_cmdline);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 1, 0), 0);
        assert_int_equal(c.argc, 1);
        entries_collect(&c.rec, &es);
        assert_entry(&es, "0", "/sbin/init");
        assert_no_entry(&es, "1");
        entries_free(&es);
        nprocfs_close(ctx);

        ctx = open_tree("linux-6.18");
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 10324, 0), 0);
        assert_int_equal(c.argc, 2);
        entries_collect(&c.rec, &es);
        assert_entry(&es, "0", "sleep");
        assert_entry(&es, "1", "1000");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
        nprocfs_close(ctx);
}

/* malformed/pid_cmdline/valid-no-trailing-nul: "/usr/bin/prog\0--flag\0value" */
static void test_a_last_element_without_nul_counts(void **state) {
        struct nprocfs_pid_cmdline c = NPROCFS_REC_INIT(pid_cmdline);
        struct nprocfs_env env = TEST_ENV;
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/pid_cmdline/valid-no-trailing-nul", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&c.rec, data, len, &env), 0);
        assert_int_equal(c.argc, 3);
        entries_collect(&c.rec, &es);
        assert_entry(&es, "0", "/usr/bin/prog");
        assert_entry(&es, "1", "--flag");
        assert_entry(&es, "2", "value");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
        free(data);
}

static void test_an_empty_cmdline_has_no_elements(void **state) {
        struct nprocfs_pid_cmdline c = NPROCFS_REC_INIT(pid_cmdline);
        struct nprocfs_env env = TEST_ENV;
        struct entries es;

        (void)state;
        /* a zombie or a kernel thread: 0 bytes */
        assert_int_equal(nprocfs_rec_parse(&c.rec, "", 0, &env), 0);
        assert_int_equal(c.argc, 0);
        entries_collect(&c.rec, &es);
        assert_entry(&es, "argv", "");
        assert_entry(&es, "argc", "0");
        assert_no_entry(&es, "0");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
}

/* linux-6.18/10324/environ: "NPROCFS_FIXTURE=1\0PATH=/usr/bin:/bin\0" */
static void test_environ_elements_are_entries_by_index(void **state) {
        struct nprocfs_pid_environ e = NPROCFS_REC_INIT(pid_environ);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &e.rec, 10324, 0), 0);
        assert_int_equal(e.count, 2);
        assert_str_equal(e.vars, "NPROCFS_FIXTURE=1\0PATH=/usr/bin:/bin\0");
        entries_collect(&e.rec, &es);
        assert_entry(&es, "0", "NPROCFS_FIXTURE=1");
        assert_entry(&es, "1", "PATH=/usr/bin:/bin");
        assert_entry(&es, "count", "2");
        assert_no_entry(&es, "2");
        entries_free(&es);
        nprocfs_rec_release(&e.rec);
        nprocfs_close(ctx);
}

/* No environ in the fixtures but the sleep's (fixtures/README.md). */
static void test_environ_not_captured_is_enoent(void **state) {
        struct nprocfs_pid_environ e = NPROCFS_REC_INIT(pid_environ);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &e.rec, 10322, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &e.rec, 10330, 0), -ENOENT);
        nprocfs_close(ctx);
        ctx = open_tree("linux-2.6");
        assert_int_equal(nprocfs_rec_read(ctx, &e.rec, 4242, 0), -ENOENT);
        assert_no_fields(&e.rec);
        nprocfs_rec_release(&e.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_cmdline_keeps_its_bytes),
                cmocka_unit_test(test_cmdline_elements_are_entries_by_index),
                cmocka_unit_test(test_cmdline_of_other_processes),
                cmocka_unit_test(test_a_last_element_without_nul_counts),
                cmocka_unit_test(test_an_empty_cmdline_has_no_elements),
                cmocka_unit_test(test_environ_elements_are_entries_by_index),
                cmocka_unit_test(test_environ_not_captured_is_enoent),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
