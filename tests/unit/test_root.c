/* The root override is untrusted: reads stay inside it, never hang, and a
 * bad entry fails alone. Runs against a copy of fixtures/hostile/ made under
 * /tmp (with a FIFO at 100/limits, which git cannot store), removed at the
 * end; and against processes that exit under the reader. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

struct tree {
        char dir[64];
        nprocfs_ctx *ctx;
};

static void write_bytes(const char *dir, const char *rel, char c, size_t n) {
        char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        f = fopen(path, "wb");
        assert_non_null(f);
        for (size_t i = 0; i < n; i++)
                fputc(i % 100 == 99 ? 0 : c, f);
        assert_int_equal(fclose(f), 0);
}

static int setup(void **state) {
        static struct tree t = { .dir = "/tmp/nprocfs-hostile-XXXXXX" };
        char cmd[512], path[128];

        if (!mkdtemp(t.dir))
                return -1;
        snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s'", fixture_path("hostile"), t.dir);
        if (system(cmd) != 0)
                return -1;
        snprintf(path, sizeof(path), "%s/100/limits", t.dir);
        if (mkfifo(path, 0644) < 0)
                return -1;
        /* processes of our own for the size limit: cmdlines of 4095 and
         * 10000 bytes */
        snprintf(path, sizeof(path), "%s/102", t.dir);
        if (mkdir(path, 0755) < 0)
                return -1;
        snprintf(path, sizeof(path), "%s/103", t.dir);
        if (mkdir(path, 0755) < 0)
                return -1;
        write_bytes(t.dir, "102/cmdline", 'a', 4095);
        write_bytes(t.dir, "103/cmdline", 'b', 10000);
        if (nprocfs_open(t.dir, 0, &t.ctx) < 0)
                return -1;
        *state = &t;
        return 0;
}

static int teardown(void **state) {
        struct tree *t = *state;
        char cmd[128];

        nprocfs_close(t->ctx);
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
        return system(cmd) == 0 ? 0 : -1;
}

/* Nothing of buf[0..len) is text from outside the root. */
static void assert_no_host_content(const char *buf, size_t len) {
        if (!buf)
                return;
        assert_null(memmem(buf, len, "root:", 5));              /* /etc/passwd */
        assert_null(memmem(buf, len, "NPROCFS_FIXTURES=", 17)); /* our own environ */
}

static void assert_path_refused(nprocfs_ctx *ctx, const char *path) {
        char *buf = NULL;
        size_t cap = 0;
        ssize_t n = nprocfs_read_path(ctx, path, &buf, &cap);

        if (n >= 0)
                fail_msg("%s read %zd bytes", path, n);
        assert_no_host_content(buf, cap);
        free(buf);
}

/* 100/status -> /etc/passwd */
static void test_a_link_to_a_host_file_is_refused(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        assert_true(nprocfs_rec_read(t->ctx, &st.rec, 100, 0) < 0);
        assert_no_host_content(st.rec.buf, st.rec.cap);
        assert_no_fields(&st.rec);
        nprocfs_rec_release(&st.rec);
        assert_path_refused(t->ctx, "100/status");
}

/* 100/statm -> ../../../../../../etc/hostname; thread-self -> ../../../../../../etc */
static void test_a_link_climbing_out_of_the_root_is_refused(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_statm st = NPROCFS_REC_INIT(pid_statm);

        assert_true(nprocfs_rec_read(t->ctx, &st.rec, 100, 0) < 0);
        assert_no_fields(&st.rec);
        nprocfs_rec_release(&st.rec);
        assert_path_refused(t->ctx, "100/statm");
        assert_path_refused(t->ctx, "thread-self/passwd");
        assert_path_refused(t->ctx, "../../../../../../etc/passwd");
        assert_path_refused(t->ctx, "/etc/passwd");
}

/* self -> / */
static void test_self_pointing_at_slash_stays_in_the_root(void **state) {
        struct tree *t = *state;
        pid_t self = 42;

        assert_int_equal(nprocfs_self(t->ctx, &self), -EIO);
        assert_int_equal(self, 42);
        assert_path_refused(t->ctx, "self/etc/passwd");
}

/* 100/cmdline -> cmdline */
static void test_a_link_to_itself_is_refused(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_cmdline c = NPROCFS_REC_INIT(pid_cmdline);

        assert_int_equal(nprocfs_rec_read(t->ctx, &c.rec, 100, 0), -EIO);
        assert_no_fields(&c.rec);
        nprocfs_rec_release(&c.rec);
}

/* 100/io is a directory */
static void test_a_directory_where_a_file_belongs_is_refused(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_io io = NPROCFS_REC_INIT(pid_io);

        assert_int_equal(nprocfs_rec_read(t->ctx, &io.rec, 100, 0), -EIO);
        assert_no_fields(&io.rec);
        nprocfs_rec_release(&io.rec);
}

/* 100/environ -> /proc/self/environ */
static void test_a_link_to_our_own_environ_is_refused(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_environ e = NPROCFS_REC_INIT(pid_environ);

        assert_non_null(getenv("NPROCFS_FIXTURES"));
        assert_true(nprocfs_rec_read(t->ctx, &e.rec, 100, 0) < 0);
        assert_no_host_content(e.rec.buf, e.rec.cap);
        assert_no_fields(&e.rec);
        nprocfs_rec_release(&e.rec);
}

/* 100/limits is a FIFO nobody writes to: opening it for reading would block */
static void test_a_fifo_is_refused_without_blocking(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_limits l = NPROCFS_REC_INIT(pid_limits);

        alarm(10); /* a hang kills the test */
        assert_int_equal(nprocfs_rec_read(t->ctx, &l.rec, 100, 0), -EIO);
        alarm(0);
        assert_no_fields(&l.rec);
        nprocfs_rec_release(&l.rec);
}

/* 101/status: 200 bytes of garbage; 101/stat: "101 (badstatus) S 1 ..." */
static void test_garbage_status_fails_alone(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        struct nprocfs_pid_stat s = NPROCFS_REC_INIT(pid_stat);
        struct nprocfs_pid_comm c = NPROCFS_REC_INIT(pid_comm);

        assert_int_equal(nprocfs_rec_read(t->ctx, &st.rec, 101, 0), -EIO);
        assert_int_equal(nprocfs_rec_read(t->ctx, &s.rec, 101, 0), 0);
        assert_int_equal(s.pid, 101);
        assert_str_equal(s.comm, "badstatus");
        assert_int_equal(nprocfs_rec_read(t->ctx, &c.rec, 101, 0), 0);
        assert_str_equal(c.name, "badstatus");
        nprocfs_rec_release(&st.rec);
        nprocfs_rec_release(&s.rec);
        nprocfs_rec_release(&c.rec);
}

/* 100/stat: "100 (hostile) S 1 100 100 0 -1 4194304 100 0 0 0 250 50 ..." */
static void test_good_entries_beside_bad_ones_read(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_stat s = NPROCFS_REC_INIT(pid_stat);
        struct nprocfs_pid_comm c = NPROCFS_REC_INIT(pid_comm);
        pid_t *pids = NULL;
        size_t n = 0;

        assert_int_equal(nprocfs_rec_read(t->ctx, &s.rec, 100, 0), 0);
        assert_str_equal(s.comm, "hostile");
        assert_int_equal(s.utime_ns, 2500000000); /* 250 ticks */
        assert_int_equal(nprocfs_rec_read(t->ctx, &c.rec, 100, 0), 0);
        assert_str_equal(c.name, "hostile");
        assert_int_equal(nprocfs_pids(t->ctx, &pids, &n), 0);
        assert_int_equal(n, 4); /* 100 101, and 102 103 made by setup */
        assert_int_equal(pids[0], 100);
        assert_int_equal(pids[1], 101);
        free(pids);
        nprocfs_rec_release(&s.rec);
        nprocfs_rec_release(&c.rec);
}

/* linux-2.6/4242/status is 638 bytes (wc -c) */
static void test_a_file_over_the_size_limit_is_refused(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        char *buf = NULL;
        size_t cap = 0;

        (void)state;
        nprocfs_ctx_set_max_file(ctx, 100);
        assert_int_equal(nprocfs_read_path(ctx, "4242/status", &buf, &cap), -EFBIG);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), -EIO);
        assert_no_fields(&st.rec);
        nprocfs_ctx_set_max_file(ctx, 637);
        assert_int_equal(nprocfs_read_path(ctx, "4242/status", &buf, &cap), -EFBIG);
        nprocfs_ctx_set_max_file(ctx, 638);
        assert_int_equal(nprocfs_read_path(ctx, "4242/status", &buf, &cap), 638);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        free(buf);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* 102/cmdline: 4095 bytes, one less than the first buffer the reader takes */
static void test_a_file_of_exactly_the_size_limit_reads(void **state) {
        struct tree *t = *state;
        char *buf = NULL;
        size_t cap = 0;

        nprocfs_ctx_set_max_file(t->ctx, 4095);
        assert_int_equal(nprocfs_read_path(t->ctx, "102/cmdline", &buf, &cap), 4095);
        nprocfs_ctx_set_max_file(t->ctx, 4094);
        assert_int_equal(nprocfs_read_path(t->ctx, "102/cmdline", &buf, &cap), -EFBIG);
        nprocfs_ctx_set_max_file(t->ctx, 10000);
        assert_int_equal(nprocfs_read_path(t->ctx, "103/cmdline", &buf, &cap), 10000);
        nprocfs_ctx_set_max_file(t->ctx, 64u << 20);
        free(buf);
}

/* A record whose read fails shows nothing, not what the previous read left. */
static void test_a_failed_read_leaves_no_stale_entries(void **state) {
        struct tree *t = *state;
        struct nprocfs_pid_cmdline c = NPROCFS_REC_INIT(pid_cmdline);
        struct entries es;

        nprocfs_ctx_set_max_file(t->ctx, 64u << 20);
        assert_int_equal(nprocfs_rec_read(t->ctx, &c.rec, 102, 0), 0);
        assert_int_equal(c.argc, 41); /* 4095 bytes, a NUL every 100th */
        /* 103/cmdline needs a bigger buffer, then fails */
        nprocfs_ctx_set_max_file(t->ctx, 5000);
        assert_int_equal(nprocfs_rec_read(t->ctx, &c.rec, 103, 0), -EIO);
        nprocfs_ctx_set_max_file(t->ctx, 64u << 20);
        assert_false(NPROCFS_HAS(&c, pid_cmdline, argv));
        assert_no_fields(&c.rec);
        entries_collect(&c.rec, &es);
        assert_int_equal(es.n, 0);
        entries_free(&es);
        /* and the record still reads */
        assert_int_equal(nprocfs_rec_read(t->ctx, &c.rec, 103, 0), 0);
        assert_int_equal(c.argc, 100);
        nprocfs_rec_release(&c.rec);
}

static pid_t exited_child(void) {
        int status;
        pid_t pid = fork();

        assert_true(pid >= 0);
        if (pid == 0)
                _exit(0);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        return pid;
}

static void test_a_process_that_exited_is_enoent(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        struct nprocfs_pid_status ss = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx;
        pid_t *tids = NULL, gone = exited_child();
        size_t n = 0;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, gone, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &ss.rec, gone, gone), -ENOENT);
        assert_int_equal(nprocfs_tids(ctx, gone, &tids, &n), -ENOENT);
        assert_null(tids);
        assert_int_equal(nprocfs_proc_exists(ctx, gone, 0), -ENOENT);
        assert_int_equal(nprocfs_proc_exists(ctx, gone, gone), -ENOENT);
        assert_no_fields(&st.rec);
        nprocfs_rec_release(&st.rec);
        nprocfs_rec_release(&ss.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_a_link_to_a_host_file_is_refused),
                cmocka_unit_test(test_a_link_climbing_out_of_the_root_is_refused),
                cmocka_unit_test(test_self_pointing_at_slash_stays_in_the_root),
                cmocka_unit_test(test_a_link_to_itself_is_refused),
                cmocka_unit_test(test_a_directory_where_a_file_belongs_is_refused),
                cmocka_unit_test(test_a_link_to_our_own_environ_is_refused),
                cmocka_unit_test(test_a_fifo_is_refused_without_blocking),
                cmocka_unit_test(test_garbage_status_fails_alone),
                cmocka_unit_test(test_good_entries_beside_bad_ones_read),
                cmocka_unit_test(test_a_file_over_the_size_limit_is_refused),
                cmocka_unit_test(test_a_file_of_exactly_the_size_limit_reads),
                cmocka_unit_test(test_a_failed_read_leaves_no_stale_entries),
                cmocka_unit_test(test_a_process_that_exited_is_enoent),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
