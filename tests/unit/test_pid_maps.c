/* /proc/<pid>/maps, parsed by its grammar alone: a row per mapping named by
 * its range, the range, permissions, device and offset decoded, the
 * pathname to the end of the line, and what the mapping is as a word. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

/* linux-6.18/10324/maps, line 2:
 * "55de53895000-55de5389a000 r-xp 00002000 fe:00 248056                     /usr/bin/sleep" */
static void test_file_mapping(void **state) {
        struct nprocfs_pid_maps m = NPROCFS_REC_INIT(pid_maps);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        const struct nprocfs_pid_maps_row *row;
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 10324, 0), 0);
        assert_int_equal(m.rec.nrows, 24); /* 24 lines */
        row = NPROCFS_ROW(&m, pid_maps, 1);
        assert_true(NPROCFS_ROW_HAS(row, pid_maps, offset));
        assert_int_equal(row->start_address, 0x55de53895000);
        assert_int_equal(row->size_bytes, 0x5000);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "55de53895000-55de5389a000/start_address", "94413372608512");
        assert_entry(&es, "55de53895000-55de5389a000/end_address", "94413372628992");
        assert_entry(&es, "55de53895000-55de5389a000/size_bytes", "20480");
        assert_entry(&es, "55de53895000-55de5389a000/perms", "r-xp");
        assert_entry(&es, "55de53895000-55de5389a000/perm_read", "1");
        assert_entry(&es, "55de53895000-55de5389a000/perm_write", "0");
        assert_entry(&es, "55de53895000-55de5389a000/perm_exec", "1");
        assert_entry(&es, "55de53895000-55de5389a000/perm_shared", "0");
        assert_entry(&es, "55de53895000-55de5389a000/offset", "8192");
        assert_entry(&es, "55de53895000-55de5389a000/dev", "254:0");
        assert_entry(&es, "55de53895000-55de5389a000/dev_major", "254");
        assert_entry(&es, "55de53895000-55de5389a000/dev_minor", "0");
        assert_entry(&es, "55de53895000-55de5389a000/inode", "248056");
        assert_entry(&es, "55de53895000-55de5389a000/pathname", "/usr/bin/sleep");
        assert_entry(&es, "55de53895000-55de5389a000/kind", "file");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* the same file's special mappings, by the text of their lines */
static void test_kinds_of_mapping(void **state) {
        struct nprocfs_pid_maps m = NPROCFS_REC_INIT(pid_maps);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 10324, 0), 0);
        entries_collect(&m.rec, &es);
        /* "55de709f2000-55de70a13000 rw-p 00000000 00:00 0   [heap]" */
        assert_entry(&es, "55de709f2000-55de70a13000/kind", "heap");
        assert_entry(&es, "55de709f2000-55de70a13000/pathname", "[heap]");
        assert_entry(&es, "55de709f2000-55de70a13000/size_bytes", "135168");
        assert_entry(&es, "55de709f2000-55de70a13000/dev", "0:0");
        /* "7f3785525000-7f3785528000 rw-p 00000000 00:00 0 " (a trailing blank) */
        assert_entry(&es, "7f3785525000-7f3785528000/kind", "anonymous");
        assert_no_entry(&es, "7f3785525000-7f3785528000/pathname");
        assert_entry(&es, "7f3785717000-7f378571b000/kind", "vvar");
        assert_entry(&es, "7f378571b000-7f378571d000/kind", "vvar"); /* [vvar_vclock] */
        assert_entry(&es, "7f378571d000-7f378571f000/kind", "vdso");
        assert_entry(&es, "7ffc507ae000-7ffc507cf000/kind", "stack");
        /* "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0   [vsyscall]" */
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/kind", "vsyscall");
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/start_address", "18446744073699065856");
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/perm_read", "0");
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/perm_exec", "1");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

static void test_pathname_runs_to_the_end_of_the_line(void **state) {
        struct nprocfs_pid_maps m = NPROCFS_REC_INIT(pid_maps);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&m.rec, "7f00-7f10 rw-s 00000010 08:1f 99   /tmp/a  b (deleted)\n"
                                            "7f10-7f20 rw-p 00000000 00:00 0 [stack:1234]\n"
                                            "7f20-7f30 r--p 00000000 00:00 0 [anon:jit cache]\n"
                                            "7f30-7f40 r--p 00000000 00:00 0 [uprobes]"),
                         0);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "7f00-7f10/pathname", "/tmp/a  b (deleted)");
        assert_entry(&es, "7f00-7f10/kind", "deleted");
        assert_entry(&es, "7f00-7f10/perm_shared", "1");
        assert_entry(&es, "7f00-7f10/offset", "16");
        assert_entry(&es, "7f00-7f10/dev", "8:31");
        assert_entry(&es, "7f10-7f20/kind", "stack");
        assert_entry(&es, "7f20-7f30/kind", "anonymous");
        assert_entry(&es, "7f20-7f30/pathname", "[anon:jit cache]");
        assert_entry(&es, "7f30-7f40/kind", "other");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* a kernel thread's maps is empty */
static void test_empty_maps_has_no_rows(void **state) {
        struct nprocfs_pid_maps m = NPROCFS_REC_INIT(pid_maps);

        (void)state;
        assert_int_equal(parse_text(&m.rec, ""), 0);
        assert_int_equal(m.rec.nrows, 0);
        nprocfs_rec_release(&m.rec);
}

static void test_malformed_lines_are_eio(void **state) {
        static const char *const bad[] = {
                "zz00-7f10 r-xp 00000000 08:01 1 /a\n",  /* not hex */
                "7f10-7f00 r-xp 00000000 08:01 1 /a\n",  /* start past end */
                "7f00 r-xp 00000000 08:01 1 /a\n",       /* no range */
                "7f00-7f10 rwx 00000000 08:01 1 /a\n",   /* three letters */
                "7f00-7f10 rwxq 00000000 08:01 1 /a\n",  /* neither s nor p */
                "7f00-7f10 r-xp 00000000 0801 1 /a\n",   /* no colon */
                "7f00-7f10 r-xp 00000000 08:01\n",       /* four columns */
                "7f00-7f10 r-xp 00000000 08:01 -1 /a\n", /* a signed inode */
                "7f00-7f10 r-xp 1ffffffffffffffff 08:01 1 /a\n",
                "7f00-7f10 r-xp 00000000 08:01 1 /a\0b\n",
        };
        static const size_t len9 = sizeof("7f00-7f10 r-xp 00000000 08:01 1 /a\0b\n") - 1;

        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct nprocfs_pid_maps m = NPROCFS_REC_INIT(pid_maps);
                size_t len = i == 9 ? len9 : strlen(bad[i]);
                if (nprocfs_rec_parse(&m.rec, bad[i], len, &env) != -EIO)
                        fail_msg("case %zu accepted: %s", i, bad[i]);
                nprocfs_rec_release(&m.rec);
        }
}

/* a range that is no safe path component names its row by index */
static void test_row_names(void **state) {
        struct nprocfs_pid_maps m = NPROCFS_REC_INIT(pid_maps);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&m.rec, "7f00-7f10 r--p 00000000 00:00 0\n7f10-7f20 r--p 00000000 00:00 0\n"), 0);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "7f10-7f20/start_address", "32528");
        assert_no_entry(&es, "1/start_address");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* what the kernel gives this very process: a row per line of the text it
 * gives (read once, parsed from that text, since the process's mappings
 * move between two reads, under a sanitizer a lot) */
static void test_live_maps_has_a_row_per_line(void **state) {
        struct nprocfs_pid_maps m = NPROCFS_REC_INIT(pid_maps);
        nprocfs_ctx *ctx;
        static char buf[1 << 20];
        size_t len = 0, lines = 0;
        ssize_t n;
        int fd;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, getpid(), 0), 0);
        assert_true(m.rec.nrows > 0);
        nprocfs_close(ctx);
        fd = open("/proc/self/maps", O_RDONLY);
        assert_true(fd >= 0);
        while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
                len += (size_t)n;
        close(fd);
        assert_true(len < sizeof(buf));
        for (size_t i = 0; i < len; i++)
                lines += buf[i] == '\n';
        assert_int_equal(nprocfs_rec_parse(&m.rec, buf, len, &env), 0);
        assert_int_equal(m.rec.nrows, lines);
        nprocfs_rec_release(&m.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_file_mapping),
                cmocka_unit_test(test_kinds_of_mapping),
                cmocka_unit_test(test_pathname_runs_to_the_end_of_the_line),
                cmocka_unit_test(test_empty_maps_has_no_rows),
                cmocka_unit_test(test_malformed_lines_are_eio),
                cmocka_unit_test(test_row_names),
                cmocka_unit_test(test_live_maps_has_a_row_per_line),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
