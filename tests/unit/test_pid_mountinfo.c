/* /proc/<pid>/mountinfo, parsed by its grammar alone: a row per mount named
 * by its mount ID, the device decoded, the optional fields up to "-" as a
 * list, the columns after it by their place after the "-", and the
 * kernel's octal escapes of paths decoded. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

/* linux-6.18/10324/mountinfo, line 6:
 * "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534" */
static void test_root_mount(void **state) {
        struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        const struct nprocfs_pid_mountinfo_row *row;
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 10324, 0), 0);
        assert_int_equal(m.rec.nrows, 19); /* 19 lines: 20 mounts less the one removed */
        row = NPROCFS_ROW(&m, pid_mountinfo, 5);
        assert_int_equal(row->mount_id, 27);
        assert_int_equal(row->dev, UINT64_C(254) << 32);
        assert_str_equal(row->source, "/dev/vda");
        entries_collect(&m.rec, &es);
        assert_entry(&es, "27/mount_id", "27");
        assert_entry(&es, "27/parent_id", "1");
        assert_entry(&es, "27/dev", "254:0");
        assert_entry(&es, "27/dev_major", "254");
        assert_entry(&es, "27/dev_minor", "0");
        assert_entry(&es, "27/root", "/");
        assert_entry(&es, "27/mount_point", "/");
        assert_entry(&es, "27/mount_options", "rw,relatime");
        assert_entry(&es, "27/optional_fields", ""); /* none before the "-" */
        assert_entry(&es, "27/fs_type", "ext4");
        assert_entry(&es, "27/source", "/dev/vda");
        assert_entry(&es, "27/super_options", "rw,discard,resv_strict,resuid=65534,resgid=65534");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* lines 1 and 3 of the same file; mount 28 was removed from it */
static void test_other_mounts(void **state) {
        struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 10324, 0), 0);
        entries_collect(&m.rec, &es);
        /* "22 27 0:21 / /proc rw,relatime - proc proc rw" */
        assert_entry(&es, "22/mount_point", "/proc");
        assert_entry(&es, "22/fs_type", "proc");
        assert_entry(&es, "22/dev", "0:21");
        assert_entry(&es, "22/parent_id", "27");
        assert_entry(&es, "22/super_options", "rw");
        /* "24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334524k,nr_inodes=3083631,mode=755" */
        assert_entry(&es, "24/super_options", "rw,size=12334524k,nr_inodes=3083631,mode=755");
        assert_entry(&es, "24/dev_minor", "6");
        /* "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw" (the last line) */
        assert_entry(&es, "41/mount_point", "/sys/fs/cgroup/unified");
        assert_entry(&es, "41/fs_type", "cgroup2");
        assert_no_entry(&es, "28/mount_id");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* the same mounts in every process of the capture */
static void test_every_process_has_it(void **state) {
        static const pid_t pids[] = { 1, 10322, 10324, 10330 };
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
                struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
                assert_int_equal(nprocfs_rec_read(ctx, &m.rec, pids[i], 0), 0);
                assert_int_equal(m.rec.nrows, 19);
                assert_int_equal(NPROCFS_ROW(&m, pid_mountinfo, 0)->mount_id, 22);
                assert_int_equal(NPROCFS_ROW(&m, pid_mountinfo, 18)->mount_id, 41);
                nprocfs_rec_release(&m.rec);
        }
        nprocfs_close(ctx);
}

/* mountinfo came in 2.6.26: linux-2.6 (2.6.18) has none; no thread's was
 * captured; there is no system-wide one */
static void test_absent_files_are_enoent(void **state) {
        struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 4242, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 1, 0), -ENOENT);
        nprocfs_close(ctx);
        ctx = open_tree("linux-6.18");
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 10330, 10336), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 0, 0), -ENOENT);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* malformed/pid_mountinfo/valid-escaped:
 * "50 27 8:1 / /mnt/my\040disk\011tab\012nl\134bs rw,relatime shared:1 master:2 - ext4 /dev/sda1 rw" */
static void test_escapes_are_decoded(void **state) {
        struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/pid_mountinfo/valid-escaped", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&m.rec, data, len, &env), 0);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "50/mount_point", "/mnt/my disk\ttab\nnl\\bs");
        assert_entry(&es, "50/optional_fields", "shared:1\nmaster:2");
        assert_entry(&es, "50/dev", "8:1");
        assert_entry(&es, "50/fs_type", "ext4");
        assert_entry(&es, "50/source", "/dev/sda1");
        assert_entry(&es, "50/super_options", "rw");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* malformed/pid_mountinfo/valid-optional-fields: the four tags there are
 * "51 27 8:2 /sub /mnt/b rw shared:7 master:3 propagate_from:3 unbindable - xfs /dev/sdb1 rw,attr2" */
static void test_optional_fields_are_a_list(void **state) {
        struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/pid_mountinfo/valid-optional-fields", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&m.rec, data, len, &env), 0);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "51/root", "/sub");
        assert_entry(&es, "51/mount_point", "/mnt/b");
        assert_entry(&es, "51/mount_options", "rw");
        assert_entry(&es, "51/optional_fields", "shared:7\nmaster:3\npropagate_from:3\nunbindable");
        assert_entry(&es, "51/fs_type", "xfs");
        assert_entry(&es, "51/source", "/dev/sdb1");
        assert_entry(&es, "51/super_options", "rw,attr2");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* A source may be the empty string (mount -t tmpfs "" /mnt/t): one blank
 * separates columns, so it is an empty column, and the options stay the
 * options. Eight optional fields are room enough. */
static void test_empty_source_and_many_tags(void **state) {
        struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&m.rec, "60 27 0:50 / /mnt/t rw - tmpfs  rw,size=4k\n"
                                            "61 27 0:51 / /mnt/u rw a b c d e f g h - fuse.my\\040fs x\\134y rw\n"),
                         0);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "60/fs_type", "tmpfs");
        assert_entry(&es, "60/source", "");
        assert_entry(&es, "60/super_options", "rw,size=4k");
        assert_entry(&es, "61/optional_fields", "a\nb\nc\nd\ne\nf\ng\nh");
        assert_entry(&es, "61/fs_type", "fuse.my fs");
        assert_entry(&es, "61/source", "x\\y");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

static void test_malformed_lines_are_eio(void **state) {
        static const char *const bad[] = {
                "",                                                     /* every process has a mount */
                "\n",                                                   /* ... even a blank line is none */
                "22 27 0:21 / /proc rw - proc proc\n",                  /* no super options */
                "22 27 0:21 / /proc rw proc proc rw\n",                 /* no "-" */
                "22 27 0:21 / /proc rw a b c d e f g h i - p p rw\n",   /* 9 optional fields */
                "22  27 0:21 / /proc rw - proc proc rw\n",              /* an empty parent ID */
                "22 27 0:21 / /pr\\0oc rw - proc proc rw\n",            /* 1 octal digit */
                "22 27 0:21 / /pr\\000oc rw - proc proc rw\n",          /* a NUL */
                "22 27 0:21 / /pr\\400oc rw - proc proc rw\n",          /* past 0377 */
                "22 27 0:21 / /pr\\08xoc rw - proc proc rw\n",          /* not octal */
                "22 27 0:21 / /proc\\ rw - proc proc rw\n",             /* a final backslash */
                "22 27 0:21 / /proc rw - proc pr\\1 rw\n",              /* in the source */
                "22 27 021 / /proc rw - proc proc rw\n",                /* no ':' */
                "22 27 0:4294967296 / /proc rw - proc proc rw\n",       /* past 32 bits */
                "22 27 0x0:21 / /proc rw - proc proc rw\n",             /* not decimal */
                "-22 27 0:21 / /proc rw - proc proc rw\n",              /* signed */
                "22 27 0:21 / /proc rw - proc proc rw\n23 27 0:22 /\n", /* a line cut short */
        };

        (void)state;
        assert_all_malformed(pid_mountinfo, bad);
}

/* What the kernel gives this process: a row per line of the text (read
 * once, parsed from that text), and a mount of "/" whose device is that of
 * stat("/"). */
static void test_live_mountinfo_has_a_row_per_line(void **state) {
        struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
        static char buf[1 << 20];
        size_t len = 0, lines = 0;
        bool root = false;
        nprocfs_ctx *ctx;
        struct stat st;
        ssize_t n;
        int fd;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, getpid(), 0), 0);
        assert_true(m.rec.nrows > 0);
        nprocfs_close(ctx);
        fd = open("/proc/self/mountinfo", O_RDONLY);
        assert_true(fd >= 0);
        while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
                len += (size_t)n;
        close(fd);
        assert_true(len < sizeof(buf));
        for (size_t i = 0; i < len; i++)
                lines += buf[i] == '\n';
        assert_int_equal(nprocfs_rec_parse(&m.rec, buf, len, &env), 0);
        assert_int_equal(m.rec.nrows, lines);
        assert_int_equal(stat("/", &st), 0);
        for (size_t i = 0; i < m.rec.nrows; i++) {
                const struct nprocfs_pid_mountinfo_row *row = NPROCFS_ROW(&m, pid_mountinfo, i);
                if (row->mount_point.len == 1 && row->mount_point.ptr[0] == '/')
                        root |= row->dev_major == major(st.st_dev) && row->dev_minor == minor(st.st_dev);
        }
        if (!root)
                fail_msg("no mount of / has the device %u:%u of stat(\"/\")", major(st.st_dev), minor(st.st_dev));
        nprocfs_rec_release(&m.rec);
}

/* A zombie has no mount namespace left, and the kernel refuses its
 * mountinfo (EINVAL): the process exited, so ENOENT, not a malformed file. */
static void test_zombie_has_none(void **state) {
        struct nprocfs_pid_mountinfo m = NPROCFS_REC_INIT(pid_mountinfo);
        nprocfs_ctx *ctx;
        siginfo_t si;
        pid_t pid;

        (void)state;
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(0);
        /* until it has exited, left a zombie (WNOWAIT) */
        assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, pid, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, getpid(), 0), 0);
        nprocfs_close(ctx);
        nprocfs_rec_release(&m.rec);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_root_mount),
                cmocka_unit_test(test_other_mounts),
                cmocka_unit_test(test_every_process_has_it),
                cmocka_unit_test(test_absent_files_are_enoent),
                cmocka_unit_test(test_escapes_are_decoded),
                cmocka_unit_test(test_optional_fields_are_a_list),
                cmocka_unit_test(test_empty_source_and_many_tags),
                cmocka_unit_test(test_malformed_lines_are_eio),
                cmocka_unit_test(test_live_mountinfo_has_a_row_per_line),
                cmocka_unit_test(test_zombie_has_none),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
