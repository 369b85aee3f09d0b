/* The live /proc, for this test process itself: the library's values must
 * agree with what a few lines of independent code here read from
 * /proc/self/stat and /proc/self/status, and with the system calls that
 * report the same numbers (getpid, getuid, sysinfo, uname). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "support.h"

/* /proc/self/stat read with sscanf: comm runs to the last ')'. */
struct raw_stat {
        int pid, ppid;
        char comm[64], state;
        long num_threads;
        unsigned long long starttime;
};

static void read_raw_stat(struct raw_stat *ret) {
        char buf[4096], *open, *close;
        size_t n;
        FILE *f = fopen("/proc/self/stat", "r");

        assert_non_null(f);
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = 0;
        open = strchr(buf, '(');
        close = strrchr(buf, ')');
        assert_non_null(open);
        assert_non_null(close);
        assert_true(close - open - 1 < (long)sizeof(ret->comm));
        memcpy(ret->comm, open + 1, (size_t)(close - open - 1));
        ret->comm[close - open - 1] = 0;
        ret->pid = atoi(buf);
        /* fields 3 (state), 4 (ppid), 20 (num_threads), 22 (starttime) */
        assert_int_equal(sscanf(close + 2,
                                "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld %*d %llu",
                                &ret->state, &ret->ppid, &ret->num_threads, &ret->starttime),
                         4);
}

/* A "Key:" line of /proc/self/status with sscanf. */
__attribute__((format(scanf, 2, 3))) static void status_line(const char *key, const char *fmt, ...);
static void status_line(const char *key, const char *fmt, ...) {
        char line[1024];
        size_t klen = strlen(key);
        bool found = false;
        FILE *f = fopen("/proc/self/status", "r");

        assert_non_null(f);
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
                        va_list ap;
                        va_start(ap, fmt);
                        assert_true(vsscanf(line + klen + 1, fmt, ap) > 0);
                        va_end(ap);
                        found = true;
                        break;
                }
        fclose(f);
        if (!found)
                fail_msg("no %s in /proc/self/status", key);
}

static int setup(void **state) {
        nprocfs_ctx *ctx;

        if (access("/proc/self/stat", R_OK) < 0)
                return -1;
        if (nprocfs_open(NULL, 0, &ctx) < 0)
                return -1;
        *state = ctx;
        return 0;
}

static int teardown(void **state) {
        nprocfs_close(*state);
        return 0;
}

static void test_the_live_root_is_live(void **state) {
        nprocfs_ctx *ctx = *state;

        assert_true(nprocfs_ctx_is_live(ctx));
        assert_int_equal(nprocfs_ctx_env(ctx)->ticks_per_second, sysconf(_SC_CLK_TCK));
        assert_int_equal(nprocfs_ctx_env(ctx)->page_size, sysconf(_SC_PAGESIZE));
}

static void test_stat_of_self_matches_a_direct_read(void **state) {
        nprocfs_ctx *ctx = *state;
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        struct raw_stat raw;
        long tps = sysconf(_SC_CLK_TCK);

        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, getpid(), 0), 0);
        read_raw_stat(&raw);
        assert_int_equal(st.pid, getpid());
        assert_int_equal(st.pid, raw.pid);
        assert_int_equal(st.ppid, raw.ppid);
        assert_int_equal(st.ppid, getppid());
        assert_int_equal(st.comm.len, strlen(raw.comm));
        assert_memory_equal(st.comm.ptr, raw.comm, st.comm.len);
        /* we are running while we read either */
        assert_int_equal(st.state_code.ptr[0], raw.state);
        assert_int_equal(st.state_code.ptr[0], 'R');
        assert_string_equal(nprocfs_words_state[st.state], "running");
        assert_int_equal(st.num_threads, raw.num_threads);
        assert_int_equal(st.starttime_ns, raw.starttime * 1000000000ull / (unsigned long long)tps);
        /* 6.x: all 52 fields */
        assert_true(NPROCFS_HAS(&st, pid_stat, exit_code));
        nprocfs_rec_release(&st.rec);
}

static void test_status_of_self_matches_a_direct_read(void **state) {
        nprocfs_ctx *ctx = *state;
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        unsigned long uid[4], gid[4], vmexe_kb, vmlib_kb;
        int tgid;
        char name[64];

        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, getpid(), 0), 0);
        status_line("Uid", "%lu %lu %lu %lu", &uid[0], &uid[1], &uid[2], &uid[3]);
        status_line("Gid", "%lu %lu %lu %lu", &gid[0], &gid[1], &gid[2], &gid[3]);
        status_line("Tgid", "%d", &tgid);
        status_line("VmExe", "%lu", &vmexe_kb);
        status_line("VmLib", "%lu", &vmlib_kb);
        status_line("Name", "%63s", name);
        assert_int_equal(st.uid_real, uid[0]);
        assert_int_equal(st.uid_effective, uid[1]);
        assert_int_equal(st.uid_saved, uid[2]);
        assert_int_equal(st.uid_fs, uid[3]);
        assert_int_equal(st.uid_real, getuid());
        assert_int_equal(st.uid_effective, geteuid());
        assert_int_equal(st.gid_real, gid[0]);
        assert_int_equal(st.gid_effective, gid[1]);
        assert_int_equal(st.gid_saved, gid[2]);
        assert_int_equal(st.gid_fs, gid[3]);
        assert_int_equal(st.gid_real, getgid());
        assert_int_equal(st.gid_effective, getegid());
        assert_int_equal(st.tgid, tgid);
        assert_int_equal(st.tgid, getpid());
        assert_int_equal(st.pid, getpid());
        assert_int_equal(st.ppid, getppid());
        /* text and libraries do not move while we run */
        assert_int_equal(st.vmexe_bytes, vmexe_kb * 1024);
        assert_int_equal(st.vmlib_bytes, vmlib_kb * 1024);
        assert_int_equal(st.name.len, strlen(name));
        assert_memory_equal(st.name.ptr, name, st.name.len);
        nprocfs_rec_release(&st.rec);
}

static void test_threads_of_self_include_the_main_thread(void **state) {
        nprocfs_ctx *ctx = *state;
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        pid_t *tids = NULL;
        size_t n = 0;

        assert_int_equal(nprocfs_tids(ctx, getpid(), &tids, &n), 0);
        assert_true(n >= 1);
        assert_int_equal(tids[0], getpid()); /* the main thread has the lowest id */
        free(tids);
        assert_int_equal(nprocfs_proc_exists(ctx, getpid(), gettid()), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, getpid(), gettid()), 0);
        assert_int_equal(st.pid, gettid());
        nprocfs_rec_release(&st.rec);
}

static void test_self_is_this_process(void **state) {
        nprocfs_ctx *ctx = *state;
        pid_t self = 0;

        assert_int_equal(nprocfs_self(ctx, &self), 0);
        assert_int_equal(self, getpid());
}

static void test_pids_include_this_process(void **state) {
        nprocfs_ctx *ctx = *state;
        pid_t *pids = NULL;
        size_t n = 0;
        bool found = false;

        assert_int_equal(nprocfs_pids(ctx, &pids, &n), 0);
        for (size_t i = 0; i < n; i++) {
                found |= pids[i] == getpid();
                if (i > 0)
                        assert_true(pids[i - 1] < pids[i]);
        }
        assert_true(found);
        free(pids);
}

static void test_memtotal_matches_sysinfo(void **state) {
        nprocfs_ctx *ctx = *state;
        struct nprocfs_sys_meminfo m = NPROCFS_REC_INIT(sys_meminfo);
        struct sysinfo si;

        assert_int_equal(sysinfo(&si), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 0, 0), 0);
        assert_int_equal(m.memtotal_bytes, (uint64_t)si.totalram * si.mem_unit);
        nprocfs_rec_release(&m.rec);
}

static void test_osrelease_matches_uname(void **state) {
        nprocfs_ctx *ctx = *state;
        struct nprocfs_sys_osrelease o = NPROCFS_REC_INIT(sys_osrelease);
        struct nprocfs_kver v;
        struct utsname u;
        unsigned major, minor;

        assert_int_equal(uname(&u), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &o.rec, 0, 0), 0);
        assert_int_equal(o.release.len, strlen(u.release));
        assert_memory_equal(o.release.ptr, u.release, o.release.len);
        assert_int_equal(sscanf(u.release, "%u.%u", &major, &minor), 2);
        assert_int_equal(nprocfs_kernel_version(ctx, &v), 0);
        assert_int_equal(v.major, major);
        assert_int_equal(v.minor, minor);
        nprocfs_rec_release(&o.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_the_live_root_is_live),
                cmocka_unit_test(test_stat_of_self_matches_a_direct_read),
                cmocka_unit_test(test_status_of_self_matches_a_direct_read),
                cmocka_unit_test(test_threads_of_self_include_the_main_thread),
                cmocka_unit_test(test_self_is_this_process),
                cmocka_unit_test(test_pids_include_this_process),
                cmocka_unit_test(test_memtotal_matches_sysinfo),
                cmocka_unit_test(test_osrelease_matches_uname),
        };
        /* no /proc here: nothing to compare against */
        if (access("/proc/self/stat", R_OK) < 0) {
                fprintf(stderr, "SKIP: /proc is not mounted\n");
                return 77;
        }
        return cmocka_run_group_tests(tests, setup, teardown);
}
