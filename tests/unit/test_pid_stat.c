/* /proc/<pid>/stat, against the hand-made 2.6 tree (44 fields, the 2.6.24
 * layout) and the 6.18 capture (52 fields). Both trees say page_size=4096
 * and ticks_per_second=100 (1 tick = 10 000 000 ns) in .nprocfs-machine. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

/* Schema rows for proc(5) fields 1..last. */
static size_t rows_up_to(unsigned last) {
        size_t n = 0;

        for (unsigned i = 0; i < nprocfs_schema_pid_stat.nfields; i++)
                n += nprocfs_schema_pid_stat.fields[i].pos <= last;
        return n;
}

/* linux-2.6/4242/stat:
 * 4242 (my (odd) name) R 1 4242 4242 34816 4242 4194304 1000 0 10 0 250 50 30 20 25 5 1 0 50000
 * 10485760 300 1073741824 4194304 4198400 140737488351232 0 0 0 0 4096 16384 0 0 0 17 1 0 0 30 0 0 */
static void test_old_stat_has_its_44_fields_and_not_the_later_ones(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        for (unsigned i = 0; i < nprocfs_schema_pid_stat.nfields; i++) {
                const struct nprocfs_field *f = &nprocfs_schema_pid_stat.fields[i];
                if (nprocfs_rec_has(&st.rec, i) != (f->pos <= 44))
                        fail_msg("%s (field %u) is %s", f->name, f->pos, f->pos <= 44 ? "absent" : "present");
        }
        /* fields 45-52 came in 3.3 and 3.5 */
        assert_false(NPROCFS_HAS(&st, pid_stat, start_data));
        assert_false(NPROCFS_HAS(&st, pid_stat, end_data));
        assert_false(NPROCFS_HAS(&st, pid_stat, start_brk));
        assert_false(NPROCFS_HAS(&st, pid_stat, arg_start));
        assert_false(NPROCFS_HAS(&st, pid_stat, arg_end));
        assert_false(NPROCFS_HAS(&st, pid_stat, env_start));
        assert_false(NPROCFS_HAS(&st, pid_stat, env_end));
        assert_false(NPROCFS_HAS(&st, pid_stat, exit_code));
        assert_true(NPROCFS_HAS(&st, pid_stat, cguest_time_ns));
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_old_stat_entries_stop_at_cguest_time(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        entries_collect(&st.rec, &es);
        /* one entry per schema row of fields 1-44 (field 3 has two: state
         * and state_code) */
        assert_int_equal(es.n, rows_up_to(44));
        assert_entry(&es, "cguest_time_ns", "0");
        assert_no_entry(&es, "start_data");
        assert_no_entry(&es, "exit_code");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_comm_runs_to_the_last_paren(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        assert_int_equal(st.pid, 4242);
        assert_str_equal(st.comm, "my (odd) name");                    /* "(my (odd) name)" */
        assert_string_equal(nprocfs_words_state[st.state], "running"); /* "R" */
        assert_str_equal(st.state_code, "R");
        assert_int_equal(st.ppid, 1);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_ticks_become_ns(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        assert_int_equal(st.utime_ns, 2500000000);          /* utime 250 ticks */
        assert_int_equal(st.stime_ns, 500000000);           /* stime 50 */
        assert_int_equal(st.cutime_ns, 300000000);          /* cutime 30 */
        assert_int_equal(st.cstime_ns, 200000000);          /* cstime 20 */
        assert_int_equal(st.starttime_ns, 500000000000);    /* starttime 50000 */
        assert_int_equal(st.delayacct_blkio_ns, 300000000); /* field 42: 30 */
        assert_int_equal(st.guest_time_ns, 0);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_rss_pages_become_bytes(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        assert_int_equal(st.rss_bytes, 1228800);    /* rss 300 pages */
        assert_int_equal(st.vsize_bytes, 10485760); /* vsize is in bytes already */
        assert_int_equal(st.rsslim_bytes, 1073741824);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_old_stat_values_as_entries(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "pid", "4242");
        assert_entry(&es, "comm", "my (odd) name");
        assert_entry(&es, "state", "running");
        assert_entry(&es, "state_code", "R");
        assert_entry(&es, "ppid", "1");
        assert_entry(&es, "pgrp", "4242");
        assert_entry(&es, "session", "4242");
        assert_entry(&es, "tty_nr", "34816");
        assert_entry(&es, "tpgid", "4242");
        assert_entry(&es, "flags", "0x400000"); /* 4194304 */
        assert_entry(&es, "minflt", "1000");
        assert_entry(&es, "cminflt", "0");
        assert_entry(&es, "majflt", "10");
        assert_entry(&es, "cmajflt", "0");
        assert_entry(&es, "utime_ns", "2500000000");
        assert_entry(&es, "stime_ns", "500000000");
        assert_entry(&es, "cutime_ns", "300000000");
        assert_entry(&es, "cstime_ns", "200000000");
        assert_entry(&es, "priority", "25");
        assert_entry(&es, "nice", "5");
        assert_entry(&es, "num_threads", "1");
        assert_entry(&es, "itrealvalue", "0");
        assert_entry(&es, "starttime_ns", "500000000000");
        assert_entry(&es, "vsize_bytes", "10485760");
        assert_entry(&es, "rss_bytes", "1228800");
        assert_entry(&es, "rsslim_bytes", "1073741824");
        assert_entry(&es, "startcode", "4194304");
        assert_entry(&es, "endcode", "4198400");
        assert_entry(&es, "startstack", "140737488351232");
        assert_entry(&es, "signal", "0x0");
        assert_entry(&es, "blocked", "0x0");
        assert_entry(&es, "sigignore", "0x1000"); /* 4096: SIGPIPE */
        assert_entry(&es, "sigcatch", "0x4000");  /* 16384: SIGTERM */
        assert_entry(&es, "exit_signal", "17");
        assert_entry(&es, "processor", "1");
        assert_entry(&es, "rt_priority", "0");
        assert_entry(&es, "policy", "0");
        assert_entry(&es, "delayacct_blkio_ns", "300000000");
        assert_entry(&es, "guest_time_ns", "0");
        assert_entry(&es, "cguest_time_ns", "0");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-2.6/1/stat: 1 (init) S 0 1 1 0 -1 4194560 500 100000 20 300 100 200 5000 6000 20 0 1 0 5
 * 2097152 100 18446744073709551615 ... */
static void test_init_stat_keeps_signs_and_unlimited_rsslim(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 1, 0), 0);
        assert_str_equal(st.comm, "init");
        assert_string_equal(nprocfs_words_state[st.state], "sleeping"); /* "S" */
        assert_int_equal(st.ppid, 0);
        assert_int_equal(st.tpgid, -1);
        assert_int_equal(st.cminflt, 100000);
        assert_int_equal(st.cutime_ns, 50000000000); /* 5000 ticks */
        assert_int_equal(st.cstime_ns, 60000000000); /* 6000 ticks */
        assert_int_equal(st.starttime_ns, 50000000); /* 5 ticks */
        assert_int_equal(st.rss_bytes, 409600);      /* 100 pages */
        assert_true(st.rsslim_bytes == UINT64_MAX);  /* 18446744073709551615 */
        entries_collect(&st.rec, &es);
        assert_entry(&es, "tpgid", "-1");
        assert_entry(&es, "flags", "0x400100"); /* 4194560 */
        assert_entry(&es, "rsslim_bytes", "max");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_thread_stat_reads_the_task_file(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        /* linux-2.6/4242/task/4242/stat: same bytes as 4242/stat */
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 4242), 0);
        assert_int_equal(st.pid, 4242);
        assert_str_equal(st.comm, "my (odd) name");
        assert_int_equal(st.utime_ns, 2500000000);
        /* 1 has no task directory in this tree */
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 1, 1), -ENOENT);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/10324/stat (the `sleep 1000`), 52 fields:
 * 10324 (sleep) S 10322 9059 2088 0 -1 4194304 195 0 0 0 0 0 0 0 20 0 1 0 34793 2560000 351
 * 18446744073709551615 94413372608512 94413372626441 140721658847024 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0
 * 94413372640528 94413372641792 94413860577280 140721658851257 140721658851268 140721658851268
 * 140721658851305 0 */
static void test_new_stat_has_all_52_fields(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 10324, 0), 0);
        for (unsigned i = 0; i < nprocfs_schema_pid_stat.nfields; i++)
                assert_true(nprocfs_rec_has(&st.rec, i));
        assert_int_equal(st.pid, 10324);
        assert_str_equal(st.comm, "sleep");
        assert_int_equal(st.ppid, 10322);
        assert_int_equal(st.pgrp, 9059);
        assert_int_equal(st.session, 2088);
        assert_int_equal(st.tpgid, -1);
        assert_int_equal(st.minflt, 195);
        assert_int_equal(st.starttime_ns, 347930000000); /* 34793 ticks */
        assert_int_equal(st.vsize_bytes, 2560000);
        assert_int_equal(st.rss_bytes, 1437696); /* 351 pages */
        assert_true(st.rsslim_bytes == UINT64_MAX);
        assert_int_equal(st.sigignore, 6); /* SIGINT, SIGQUIT */
        assert_int_equal(st.wchan, 1);
        assert_int_equal(st.exit_signal, 17);
        assert_int_equal(st.start_data, 94413372640528);
        assert_int_equal(st.end_data, 94413372641792);
        assert_int_equal(st.start_brk, 94413860577280);
        assert_int_equal(st.arg_start, 140721658851257);
        assert_int_equal(st.arg_end, 140721658851268);
        assert_int_equal(st.env_start, 140721658851268);
        assert_int_equal(st.env_end, 140721658851305);
        assert_int_equal(st.exit_code, 0);
        entries_collect(&st.rec, &es);
        assert_int_equal(es.n, rows_up_to(52));
        assert_entry(&es, "state", "sleeping");
        assert_entry(&es, "rss_bytes", "1437696");
        assert_entry(&es, "sigignore", "0x6");
        assert_entry(&es, "env_end", "140721658851305");
        assert_entry(&es, "exit_code", "0");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/10330/task/10336/stat: 10336 (nprocfs-w0) S 10322 ... 4 0 34796 ... 16781318 0 1 0 0 -1
 * (a thread: exit_signal -1) */
static void test_new_thread_stat_has_negative_exit_signal(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 10330, 10336), 0);
        assert_int_equal(st.pid, 10336);
        assert_str_equal(st.comm, "nprocfs-w0");
        assert_int_equal(st.num_threads, 4);
        assert_int_equal(st.starttime_ns, 347960000000); /* 34796 ticks */
        assert_int_equal(st.sigignore, 0x1001006);       /* 16781318 */
        assert_int_equal(st.exit_signal, -1);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void write_file(const char *dir, const char *name, const void *data, size_t len) {
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(data, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
}

/* The same 4242/stat in a tree that says 250 ticks per second and 16 KiB
 * pages: the tree's constants apply, not this machine's. */
static void test_units_follow_the_trees_machine_file(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        char dir[] = "/tmp/nprocfs-unit-XXXXXX", sub[sizeof(dir) + 8], cmd[sizeof(dir) + 16];
        static const char machine[] = "page_size=16384\nticks_per_second=250\n";
        const struct nprocfs_env *env;
        nprocfs_ctx *ctx;
        size_t len;
        char *stat = read_fixture("linux-2.6/4242/stat", &len);

        (void)state;
        assert_non_null(mkdtemp(dir));
        snprintf(sub, sizeof(sub), "%s/4242", dir);
        assert_int_equal(mkdir(sub, 0755), 0);
        write_file(dir, ".nprocfs-machine", machine, sizeof(machine) - 1);
        write_file(sub, "stat", stat, len);
        assert_int_equal(nprocfs_open(dir, 0, &ctx), 0);
        env = nprocfs_ctx_env(ctx);
        assert_int_equal(env->page_size, 16384);
        assert_int_equal(env->ticks_per_second, 250);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        assert_int_equal(st.utime_ns, 1000000000);       /* 250 ticks at 250/s */
        assert_int_equal(st.stime_ns, 200000000);        /* 50 ticks = 0.2 s */
        assert_int_equal(st.starttime_ns, 200000000000); /* 50000 ticks = 200 s */
        assert_int_equal(st.rss_bytes, 4915200);         /* 300 pages of 16384 */
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
        free(stat);
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        assert_int_equal(system(cmd), 0);
}

/* ---- lines as the parser meets them, written here ---------------------- */

/* A stat line of the 41 fields every 2.6+ kernel prints, with the values
 * given for utime (14), cutime (16) and rsslim (25), and then tail (field
 * 42 on). */
static int parse_line(struct nprocfs_pid_stat *st, const struct nprocfs_env *env, const char *utime, const char *cutime,
                      const char *rsslim, const char *tail) {
        char buf[512];
        int n = snprintf(
                buf, sizeof(buf),
                "7 (x) S 1 1 1 0 -1 0 0 0 0 0 %s 0 %s 0 20 0 1 0 5 4096 3 %s 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0%s", utime,
                cutime, rsslim, tail);

        assert_true(n > 0 && (size_t)n < sizeof(buf));
        return nprocfs_rec_parse(&st->rec, buf, (size_t)n, env);
}

#define HAS(st, field) NPROCFS_HAS(st, pid_stat, field)

static void test_rsslim_at_and_past_u64(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        assert_int_equal(parse_line(&st, &env, "1", "0", "18446744073709551615", "\n"), 0);
        assert_true(st.rsslim_bytes == UINT64_MAX);
        assert_int_equal(parse_line(&st, &env, "1", "0", "18446744073709551616", "\n"), -EIO);
        assert_false(HAS(&st, rsslim_bytes));
        assert_true(HAS(&st, rss_bytes));
        assert_int_equal(parse_line(&st, &env, "1", "0", "00000000000000000042", "\n"), 0);
        assert_int_equal(st.rsslim_bytes, 42);
        assert_int_equal(parse_line(&st, &env, "1", "0", "unlimited", "\n"), 0);
        assert_true(st.rsslim_bytes == UINT64_MAX);
        nprocfs_rec_release(&st.rec);
}

/* ticks to ns: exact for any rate (1 tick at 300/s is 3 333 333.3 ns,
 * 1024/s 976 562.5 ns, the fraction dropped), saturating past u64 */
static void test_ticks_at_rates_that_do_not_divide_a_second(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        env.ticks_per_second = 300;
        assert_int_equal(parse_line(&st, &env, "1", "-1", "0", "\n"), 0);
        assert_int_equal(st.utime_ns, 3333333);
        assert_int_equal(st.cutime_ns, -3333333);
        assert_int_equal(parse_line(&st, &env, "301", "0", "0", "\n"), 0);
        assert_int_equal(st.utime_ns, 1003333333);
        env.ticks_per_second = 1024;
        assert_int_equal(parse_line(&st, &env, "1", "1025", "0", "\n"), 0);
        assert_int_equal(st.utime_ns, 976562);
        assert_int_equal(st.cutime_ns, 1000976562);
        env.ticks_per_second = 100;
        assert_int_equal(parse_line(&st, &env, "1844674407370", "-922337203685", "0", "\n"), 0);
        assert_true(st.utime_ns == UINT64_C(18446744073700000000));
        assert_true(st.cutime_ns == INT64_C(-9223372036850000000));
        assert_int_equal(parse_line(&st, &env, "1844674407371", "-922337203686", "0", "\n"), 0);
        assert_true(st.utime_ns == UINT64_MAX);
        assert_true(st.cutime_ns == -INT64_MAX);
        nprocfs_rec_release(&st.rec);
}

/* the tokens are runs of anything but blanks and newlines; the last needs
 * no newline, and one that is not a number fails its field only */
static void test_tokens_blanks_and_the_last_one(void **state) {
        static const char short_line[] =
                "7 (x) S 1 1 1 0 -1 0 0 0 0 0 2 0 0 0 20 0 1 0 5 4096 3 0 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0";
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        struct nprocfs_env env = TEST_ENV;

        (void)state;
        assert_int_equal(parse_line(&st, &env, "2", "0", "0", " 7"), 0);
        assert_int_equal(st.delayacct_blkio_ns, 70000000);
        assert_false(HAS(&st, guest_time_ns));
        assert_int_equal(parse_line(&st, &env, "2", "0", "0", "  \n 7 \n 1\n"), 0);
        assert_int_equal(st.delayacct_blkio_ns, 70000000);
        assert_int_equal(st.guest_time_ns, 10000000);
        assert_false(HAS(&st, cguest_time_ns));
        /* 40 fields: one short of what any 2.6+ kernel prints */
        assert_int_equal(nprocfs_rec_parse(&st.rec, short_line, sizeof(short_line) - 1, &env), -EIO);
        assert_int_equal(parse_line(&st, &env, "2x", "-", "0", "\n"), -EIO);
        assert_false(HAS(&st, utime_ns));
        assert_false(HAS(&st, cutime_ns));
        assert_true(HAS(&st, stime_ns));
        assert_int_equal(parse_line(&st, &env, "-2", "--1", "0", "\n"), -EIO);
        assert_false(HAS(&st, utime_ns));
        assert_false(HAS(&st, cutime_ns));
        nprocfs_rec_release(&st.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_old_stat_has_its_44_fields_and_not_the_later_ones),
                cmocka_unit_test(test_old_stat_entries_stop_at_cguest_time),
                cmocka_unit_test(test_comm_runs_to_the_last_paren),
                cmocka_unit_test(test_ticks_become_ns),
                cmocka_unit_test(test_rss_pages_become_bytes),
                cmocka_unit_test(test_old_stat_values_as_entries),
                cmocka_unit_test(test_init_stat_keeps_signs_and_unlimited_rsslim),
                cmocka_unit_test(test_thread_stat_reads_the_task_file),
                cmocka_unit_test(test_new_stat_has_all_52_fields),
                cmocka_unit_test(test_new_thread_stat_has_negative_exit_signal),
                cmocka_unit_test(test_units_follow_the_trees_machine_file),
                cmocka_unit_test(test_rsslim_at_and_past_u64),
                cmocka_unit_test(test_ticks_at_rates_that_do_not_divide_a_second),
                cmocka_unit_test(test_tokens_blanks_and_the_last_one),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
