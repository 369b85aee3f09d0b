/* /proc/<pid>/io: "key: value" lines, bytes and counts as printed. */
#include <errno.h>
#include <stdlib.h>

#include "support.h"

/* linux-2.6/4242/io: rchar: 1048576, wchar: 524288, syscr: 100, syscw: 50,
 * read_bytes: 4096, write_bytes: 8192, cancelled_write_bytes: 0 */
static void test_io_values(void **state) {
        struct nprocfs_pid_io io = NPROCFS_REC_INIT(pid_io);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &io.rec, 4242, 0), 0);
        assert_int_equal(io.rchar_bytes, 1048576);
        assert_int_equal(io.wchar_bytes, 524288);
        assert_int_equal(io.syscr, 100);
        assert_int_equal(io.syscw, 50);
        assert_int_equal(io.read_bytes, 4096);
        assert_int_equal(io.write_bytes, 8192);
        assert_int_equal(io.cancelled_write_bytes, 0);
        nprocfs_rec_release(&io.rec);
        nprocfs_close(ctx);
}

static void test_io_as_entries(void **state) {
        struct nprocfs_pid_io io = NPROCFS_REC_INIT(pid_io);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &io.rec, 4242, 0), 0);
        entries_collect(&io.rec, &es);
        assert_int_equal(es.n, 7);
        assert_entry(&es, "rchar_bytes", "1048576");
        assert_entry(&es, "wchar_bytes", "524288");
        assert_entry(&es, "syscr", "100");
        assert_entry(&es, "syscw", "50");
        assert_entry(&es, "read_bytes", "4096");
        assert_entry(&es, "write_bytes", "8192");
        assert_entry(&es, "cancelled_write_bytes", "0");
        entries_free(&es);
        nprocfs_rec_release(&io.rec);
        nprocfs_close(ctx);
}

/* linux-2.6 has no 1/io; linux-6.18 has none for 1 either (the capture
 * could not read it) */
static void test_missing_io_is_enoent(void **state) {
        struct nprocfs_pid_io io = NPROCFS_REC_INIT(pid_io);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &io.rec, 1, 0), -ENOENT);
        assert_no_fields(&io.rec);
        nprocfs_close(ctx);
        ctx = open_tree("linux-6.18");
        assert_int_equal(nprocfs_rec_read(ctx, &io.rec, 1, 0), -ENOENT);
        nprocfs_rec_release(&io.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/10324/io and task/10324/io: rchar: 10956, wchar: 0, syscr: 18,
 * syscw: 0, and 0 for the rest */
static void test_new_io_values_of_process_and_thread(void **state) {
        struct nprocfs_pid_io io = NPROCFS_REC_INIT(pid_io);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        for (pid_t tid = 0; tid <= 10324; tid += 10324) {
                assert_int_equal(nprocfs_rec_read(ctx, &io.rec, 10324, tid), 0);
                assert_int_equal(io.rchar_bytes, 10956);
                assert_int_equal(io.wchar_bytes, 0);
                assert_int_equal(io.syscr, 18);
                assert_int_equal(io.syscw, 0);
                assert_int_equal(io.read_bytes, 0);
                assert_true(NPROCFS_HAS(&io, pid_io, cancelled_write_bytes));
        }
        nprocfs_rec_release(&io.rec);
        nprocfs_close(ctx);
}

/* malformed/pid_io/valid-missing-keys: "rchar: 1000", "wchar: 2000" */
static void test_keys_not_in_the_file_are_absent(void **state) {
        struct nprocfs_pid_io io = NPROCFS_REC_INIT(pid_io);
        struct nprocfs_env env = TEST_ENV;
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/pid_io/valid-missing-keys", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&io.rec, data, len, &env), 0);
        assert_int_equal(io.rchar_bytes, 1000);
        assert_int_equal(io.wchar_bytes, 2000);
        assert_false(NPROCFS_HAS(&io, pid_io, syscr));
        assert_false(NPROCFS_HAS(&io, pid_io, cancelled_write_bytes));
        entries_collect(&io.rec, &es);
        assert_int_equal(es.n, 2);
        assert_no_entry(&es, "syscr");
        entries_free(&es);
        nprocfs_rec_release(&io.rec);
        free(data);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_io_values),
                cmocka_unit_test(test_io_as_entries),
                cmocka_unit_test(test_missing_io_is_enoent),
                cmocka_unit_test(test_new_io_values_of_process_and_thread),
                cmocka_unit_test(test_keys_not_in_the_file_are_absent),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
