/* What a source file may be: only a regular file is read, whatever the root,
 * nothing blocks, and nothing costs more memory than the size limit.
 *
 * A snapshot root: a copy of fixtures/linux-6.18 made under /tmp, with a
 * FIFO at meminfo and at 10322/status, a socket at 10322/stat, a device at
 * 10322/statm (where mknod is allowed) and a sparse 2 GiB file at 10324/status.
 * A live root: a procfs of our own, in a mount namespace of our own (so root
 * only; skipped otherwise), with a FIFO bound over meminfo and over our
 * status, a directory over sys/kernel whose osrelease is a directory, and
 * /dev/null over uptime, the way a container can cover the files of its
 * /proc. Every read runs under alarm(): a read that blocks kills the test
 * instead of hanging it. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
/* glibc declares an open_tree() of its own, which support.h's would clash with */
#define open_tree glibc_open_tree
#include <sys/mount.h>
#undef open_tree
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "support.h"

struct trees {
        char snap[64], live[64];
        nprocfs_ctx *snap_ctx, *live_ctx; /* live_ctx: NULL where it cannot be made */
        bool have_device, proc_mounted;
};

static int make_socket(const char *path) {
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, SOCK_STREAM, 0), r;

        if (fd < 0 || strlen(path) >= sizeof(a.sun_path))
                return -1;
        strcpy(a.sun_path, path);
        r = bind(fd, (struct sockaddr *)&a, sizeof(a));
        close(fd);
        return r;
}

static int make_snapshot(struct trees *t) {
        char cmd[512], path[128];
        int fd;

        if (!mkdtemp(t->snap))
                return -1;
        snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s'", fixture_path("linux-6.18"), t->snap);
        if (system(cmd) != 0)
                return -1;
        snprintf(path, sizeof(path), "%s/meminfo", t->snap);
        if (unlink(path) < 0 || mkfifo(path, 0644) < 0)
                return -1;
        snprintf(path, sizeof(path), "%s/10322/status", t->snap);
        if (unlink(path) < 0 || mkfifo(path, 0644) < 0)
                return -1;
        snprintf(path, sizeof(path), "%s/10322/stat", t->snap);
        if (unlink(path) < 0 || make_socket(path) < 0)
                return -1;
        snprintf(path, sizeof(path), "%s/10322/statm", t->snap);
        if (unlink(path) < 0)
                return -1;
        t->have_device = mknod(path, S_IFCHR | 0644, makedev(1, 3)) == 0; /* /dev/null's numbers */
        snprintf(path, sizeof(path), "%s/10324/status", t->snap);
        fd = open(path, O_WRONLY | O_TRUNC);
        if (fd < 0 || ftruncate(fd, INT64_C(2) << 30) < 0)
                return -1;
        close(fd);
        return nprocfs_open(t->snap, 0, &t->snap_ctx) < 0 ? -1 : 0;
}

static int bind_over(const char *src, const char *dir, const char *rel) {
        char path[128];

        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        return mount(src, path, NULL, MS_BIND, NULL);
}

/* In a mount namespace of this process alone, private, so that nothing
 * mounted here shows outside; it goes away with the process. */
static void make_live(struct trees *t) {
        char cmd[128];
        char fifo[80], kernel[96], proc[80], self[32];

        if (geteuid() != 0 || !mkdtemp(t->live))
                return;
        snprintf(fifo, sizeof(fifo), "%s/fifo", t->live);
        snprintf(kernel, sizeof(kernel), "%s/kernel/osrelease", t->live);
        snprintf(proc, sizeof(proc), "%s/proc", t->live);
        snprintf(self, sizeof(self), "%d/status", (int)getpid());
        if (mkfifo(fifo, 0644) < 0 || mkdir(proc, 0755) < 0)
                return;
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", kernel);
        if (system(cmd) != 0)
                return;
        *strrchr(kernel, '/') = 0;
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return;
        if (mount("proc", proc, "proc", 0, NULL) < 0)
                return;
        t->proc_mounted = true;
        /* a mount needs a file over a file and a directory over a directory:
         * the directory where a file belongs comes with a directory over its
         * parent */
        if (bind_over(fifo, proc, "meminfo") < 0 || bind_over(fifo, proc, self) < 0 ||
            bind_over(kernel, proc, "sys/kernel") < 0 || bind_over("/dev/null", proc, "uptime") < 0)
                return;
        if (nprocfs_open(proc, 0, &t->live_ctx) < 0)
                t->live_ctx = NULL;
}

static int setup(void **state) {
        static struct trees t = { .snap = "/tmp/nprocfs-source-XXXXXX", .live = "/tmp/nprocfs-live-XXXXXX" };

        if (make_snapshot(&t) < 0)
                return -1;
        make_live(&t);
        *state = &t;
        return 0;
}

static int teardown(void **state) {
        struct trees *t = *state;
        char cmd[160];

        nprocfs_close(t->snap_ctx);
        nprocfs_close(t->live_ctx);
        if (t->proc_mounted) {
                char proc[80];
                snprintf(proc, sizeof(proc), "%s/proc", t->live);
                if (umount2(proc, MNT_DETACH) < 0) /* the proc mount and the binds on it */
                        return -1;                 /* and rm -rf must not walk a procfs */
        }
        snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", t->snap, t->live);
        return system(cmd) == 0 ? 0 : -1;
}

static nprocfs_ctx *live_or_skip(struct trees *t) {
        if (!t->live_ctx) {
                print_message("needs root and a mount namespace of its own\n");
                skip();
        }
        return t->live_ctx;
}

/* nprocfs_read_path's errno for path, read under alarm() */
static ssize_t read_errno(nprocfs_ctx *ctx, const char *path) {
        char *buf = NULL;
        size_t cap = 0;
        ssize_t n;

        alarm(10);
        n = nprocfs_read_path(ctx, path, &buf, &cap);
        alarm(0);
        free(buf);
        return n;
}

static void test_a_fifo_at_meminfo_is_refused_without_blocking(void **state) {
        struct trees *t = *state;
        struct nprocfs_sys_meminfo m = NPROCFS_REC_INIT(sys_meminfo);

        alarm(10);
        assert_int_equal(nprocfs_rec_read(t->snap_ctx, &m.rec, 0, 0), -EIO);
        alarm(0);
        assert_no_fields(&m.rec);
        assert_int_equal(read_errno(t->snap_ctx, "meminfo"), -EINVAL);
        nprocfs_rec_release(&m.rec);
}

static void test_a_fifo_at_a_status_is_refused_without_blocking(void **state) {
        struct trees *t = *state;
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        alarm(10);
        assert_int_equal(nprocfs_rec_read(t->snap_ctx, &st.rec, 10322, 0), -EIO);
        alarm(0);
        assert_no_fields(&st.rec);
        nprocfs_rec_release(&st.rec);
}

static void test_a_socket_is_refused(void **state) {
        struct trees *t = *state;

        assert_int_equal(read_errno(t->snap_ctx, "10322/stat"), -EINVAL);
}

static void test_a_device_is_refused(void **state) {
        struct trees *t = *state;

        if (!t->have_device)
                skip();
        assert_int_equal(read_errno(t->snap_ctx, "10322/statm"), -EINVAL);
}

/* 10324/status: 2 GiB of holes */
static void test_a_file_over_the_limit_is_refused_by_its_size_alone(void **state) {
        struct trees *t = *state;
        char *buf = NULL;
        size_t cap = 0;

        alarm(10);
        assert_int_equal(nprocfs_read_path(t->snap_ctx, "10324/status", &buf, &cap), -EFBIG);
        alarm(0);
        /* no buffer was even made */
        assert_null(buf);
        assert_int_equal(cap, 0);
}

/* fixtures/linux-6.18/10324/stat: "10324 (sleep) S 10322 ..." */
static void test_the_snapshot_beside_them_reads(void **state) {
        struct trees *t = *state;
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);

        assert_int_equal(nprocfs_rec_read(t->snap_ctx, &st.rec, 10324, 0), 0);
        assert_int_equal(st.ppid, 10322);
        nprocfs_rec_release(&st.rec);
}

static void test_a_fifo_over_a_live_meminfo_is_refused_without_blocking(void **state) {
        nprocfs_ctx *ctx = live_or_skip(*state);
        struct nprocfs_sys_meminfo m = NPROCFS_REC_INIT(sys_meminfo);

        alarm(10);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 0, 0), -EIO);
        alarm(0);
        assert_no_fields(&m.rec);
        assert_int_equal(read_errno(ctx, "meminfo"), -EINVAL);
        nprocfs_rec_release(&m.rec);
}

static void test_a_fifo_over_a_live_status_is_refused_without_blocking(void **state) {
        nprocfs_ctx *ctx = live_or_skip(*state);
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        alarm(10);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, getpid(), 0), -EIO);
        alarm(0);
        assert_no_fields(&st.rec);
        nprocfs_rec_release(&st.rec);
}

static void test_a_directory_over_a_live_file_is_refused(void **state) {
        nprocfs_ctx *ctx = live_or_skip(*state);

        struct nprocfs_sys_osrelease o = NPROCFS_REC_INIT(sys_osrelease);

        assert_int_equal(read_errno(ctx, "sys/kernel/osrelease"), -EISDIR);
        assert_int_equal(nprocfs_rec_read(ctx, &o.rec, 0, 0), -EIO);
        nprocfs_rec_release(&o.rec);
}

static void test_a_device_over_a_live_file_is_refused(void **state) {
        nprocfs_ctx *ctx = live_or_skip(*state);

        assert_int_equal(read_errno(ctx, "uptime"), -EINVAL);
}

/* what nothing covers still reads: our own stat, our own pid in it */
static void test_the_live_files_beside_them_read(void **state) {
        nprocfs_ctx *ctx = live_or_skip(*state);
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        struct nprocfs_sys_loadavg l = NPROCFS_REC_INIT(sys_loadavg);

        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, getpid(), 0), 0);
        assert_int_equal(st.pid, getpid());
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 0, 0), 0);
        nprocfs_rec_release(&st.rec);
        nprocfs_rec_release(&l.rec);
}

/* /proc/kallsyms says it is 0 bytes long and is megabytes: only the read
 * finds out. The buffer stops at the limit, and one grown past 1 MiB is
 * not kept after the failure. */
static void test_a_live_file_over_the_limit_keeps_no_big_buffer(void **state) {
        nprocfs_ctx *ctx;
        char *buf = NULL;
        size_t cap = 0;
        ssize_t n;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        n = nprocfs_read_path(ctx, "kallsyms", &buf, &cap);
        if (n < 3 << 20) {
                free(buf);
                nprocfs_close(ctx);
                print_message("needs a /proc/kallsyms of 3 MiB or more\n");
                skip();
        }
        free(buf);
        buf = NULL;
        cap = 0;
        nprocfs_ctx_set_max_file(ctx, 64 << 10);
        assert_int_equal(nprocfs_read_path(ctx, "kallsyms", &buf, &cap), -EFBIG);
        assert_non_null(buf);                  /* small: kept for the next read */
        assert_int_equal(cap, (64 << 10) + 1); /* the limit and its NUL, no more */
        free(buf);
        buf = NULL;
        cap = 0;
        nprocfs_ctx_set_max_file(ctx, 2 << 20);
        assert_int_equal(nprocfs_read_path(ctx, "kallsyms", &buf, &cap), -EFBIG);
        assert_null(buf);
        assert_int_equal(cap, 0);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_a_fifo_at_meminfo_is_refused_without_blocking),
                cmocka_unit_test(test_a_fifo_at_a_status_is_refused_without_blocking),
                cmocka_unit_test(test_a_socket_is_refused),
                cmocka_unit_test(test_a_device_is_refused),
                cmocka_unit_test(test_a_file_over_the_limit_is_refused_by_its_size_alone),
                cmocka_unit_test(test_the_snapshot_beside_them_reads),
                cmocka_unit_test(test_a_fifo_over_a_live_meminfo_is_refused_without_blocking),
                cmocka_unit_test(test_a_fifo_over_a_live_status_is_refused_without_blocking),
                cmocka_unit_test(test_a_directory_over_a_live_file_is_refused),
                cmocka_unit_test(test_a_device_over_a_live_file_is_refused),
                cmocka_unit_test(test_the_live_files_beside_them_read),
                cmocka_unit_test(test_a_live_file_over_the_limit_keeps_no_big_buffer),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
