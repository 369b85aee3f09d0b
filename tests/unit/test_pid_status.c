/* /proc/<pid>/status: "Key:\tvalue" lines, against the hand-made 2.6 tree
 * and the 6.18 capture. kB is 1024 bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "support.h"

static void read_status(nprocfs_ctx *ctx, struct nprocfs_pid_status *st, pid_t pid, pid_t tid) {
        assert_int_equal(nprocfs_rec_read(ctx, &st->rec, pid, tid), 0);
}

/* linux-2.6/4242/status: "Uid:\t1000\t1001\t1002\t1003", "Gid:\t100\t101\t102\t103" */
static void test_uid_and_gid_columns_come_in_proc5_order(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        read_status(ctx, &st, 4242, 0);
        assert_int_equal(st.uid_real, 1000);
        assert_int_equal(st.uid_effective, 1001);
        assert_int_equal(st.uid_saved, 1002);
        assert_int_equal(st.uid_fs, 1003);
        assert_int_equal(st.gid_real, 100);
        assert_int_equal(st.gid_effective, 101);
        assert_int_equal(st.gid_saved, 102);
        assert_int_equal(st.gid_fs, 103);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "uid_real", "1000");
        assert_entry(&es, "uid_effective", "1001");
        assert_entry(&es, "uid_saved", "1002");
        assert_entry(&es, "uid_fs", "1003");
        assert_entry(&es, "gid_real", "100");
        assert_entry(&es, "gid_fs", "103");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-2.6/4242/status memory lines, "Key:\t%8lu kB" */
static void test_kb_values_become_bytes(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        read_status(ctx, &st, 4242, 0);
        assert_int_equal(st.vmpeak_bytes, 12582912); /* "VmPeak:\t   12288 kB" */
        assert_int_equal(st.vmsize_bytes, 10485760); /* 10240 kB */
        assert_int_equal(st.vmlck_bytes, 0);         /* 0 kB */
        assert_int_equal(st.vmhwm_bytes, 1638400);   /* 1600 kB */
        assert_int_equal(st.vmrss_bytes, 1228800);   /* 1200 kB */
        assert_int_equal(st.vmdata_bytes, 819200);   /* 800 kB */
        assert_int_equal(st.vmstk_bytes, 86016);     /* 84 kB */
        assert_int_equal(st.vmexe_bytes, 4096);      /* 4 kB */
        assert_int_equal(st.vmlib_bytes, 1536000);   /* 1500 kB */
        assert_int_equal(st.vmpte_bytes, 12288);     /* 12 kB */
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_old_status_values_as_entries(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        read_status(ctx, &st, 4242, 0);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "name", "my (odd) name");
        assert_entry(&es, "state", "running"); /* "R (running)" */
        assert_entry(&es, "state_code", "R");
        assert_entry(&es, "tgid", "4242");
        assert_entry(&es, "pid", "4242");
        assert_entry(&es, "ppid", "1");
        assert_entry(&es, "tracerpid", "0");
        assert_entry(&es, "fdsize", "64");
        assert_entry(&es, "vmrss_bytes", "1228800");
        assert_entry(&es, "vmpte_bytes", "12288");
        assert_entry(&es, "threads", "1");
        assert_entry(&es, "sigq_queued", "1"); /* "SigQ:\t1/16384" */
        assert_entry(&es, "sigq_limit", "16384");
        assert_entry(&es, "sigpnd", "0x0");
        assert_entry(&es, "sigign", "0x1000"); /* "SigIgn:\t0000000000001000" */
        assert_entry(&es, "sigcgt", "0x4000"); /* "SigCgt:\t0000000000004000" */
        assert_entry(&es, "capeff", "0x0");
        assert_entry(&es, "cpus_allowed", "0x3"); /* "Cpus_allowed:\t00000000,00000003" */
        assert_entry(&es, "mems_allowed", "0x1"); /* "Mems_allowed:\t00000000,00000001" */
        assert_int_equal(st.rec.nextra, 0);
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_groups_is_one_gid_per_line(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        read_status(ctx, &st, 4242, 0);
        assert_str_equal(st.groups, "100\n1000"); /* "Groups:\t100 1000 " */
        entries_collect(&st.rec, &es);
        assert_entry(&es, "groups", "100\n1000");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_no_groups_is_an_empty_list(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        read_status(ctx, &st, 1, 0); /* "Groups:\t" */
        assert_true(NPROCFS_HAS(&st, pid_status, groups));
        assert_int_equal(st.groups.len, 0);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "groups", "");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);

        ctx = open_tree("linux-6.18");
        read_status(ctx, &st, 10324, 0); /* "Groups:\t " (a tab, then one space) */
        assert_true(NPROCFS_HAS(&st, pid_status, groups));
        assert_int_equal(st.groups.len, 0);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-2.6/1/status: "CapPrm:\t00000000fffffeff" (every capability of 0-31
 * but 8, CAP_SETPCAP); "SigIgn:\t0000000000000000" */
static void test_masks_are_also_lists_of_names(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        read_status(ctx, &st, 1, 0);
        assert_int_equal(st.capprm, 0xfffffeff);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "capprm", "0xfffffeff");
        assert_entry(&es, "capprm_names",
                     "cap_chown\ncap_dac_override\ncap_dac_read_search\ncap_fowner\ncap_fsetid\ncap_kill\n"
                     "cap_setgid\ncap_setuid\ncap_linux_immutable\ncap_net_bind_service\ncap_net_broadcast\n"
                     "cap_net_admin\ncap_net_raw\ncap_ipc_lock\ncap_ipc_owner\ncap_sys_module\ncap_sys_rawio\n"
                     "cap_sys_chroot\ncap_sys_ptrace\ncap_sys_pacct\ncap_sys_admin\ncap_sys_boot\ncap_sys_nice\n"
                     "cap_sys_resource\ncap_sys_time\ncap_sys_tty_config\ncap_mknod\ncap_lease\ncap_audit_write\n"
                     "cap_audit_control\ncap_setfcap");
        assert_entry(&es, "capinh_names", "");
        assert_entry(&es, "sigign_names", "");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);

        /* 4242: SigIgn 0x1000 is bit 12, signal 13; SigCgt 0x4000, signal 15 */
        read_status(ctx, &st, 4242, 0);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "sigign_names", "sigpipe");
        assert_entry(&es, "sigcgt_names", "sigterm");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* Keys linux-2.6 does not print (fixtures/README.md lists them). */
static void test_keys_of_later_kernels_are_absent(void **state) {
        static const char *const later[] = {
                "umask",
                "ngid",
                "nstgid",
                "nspid",
                "nspgid",
                "nssid",
                "kthread",
                "vmpin_bytes",
                "rssanon_bytes",
                "rssfile_bytes",
                "rssshmem_bytes",
                "vmpmd_bytes",
                "vmswap_bytes",
                "hugetlbpages_bytes",
                "coredumping",
                "thp_enabled",
                "untag_mask",
                "capbnd",
                "capamb",
                "capbnd_names",
                "capamb_names",
                "nonewprivs",
                "seccomp",
                "seccomp_filters",
                "speculation_store_bypass",
                "speculationindirectbranch",
                "cpus_allowed_list",
                "mems_allowed_list",
                "voluntary_ctxt_switches",
                "nonvoluntary_ctxt_switches",
        };
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        read_status(ctx, &st, 4242, 0);
        assert_false(NPROCFS_HAS(&st, pid_status, umask));
        assert_false(NPROCFS_HAS(&st, pid_status, vmswap_bytes));
        assert_false(NPROCFS_HAS(&st, pid_status, rssanon_bytes));
        assert_false(NPROCFS_HAS(&st, pid_status, nonewprivs));
        assert_false(NPROCFS_HAS(&st, pid_status, voluntary_ctxt_switches));
        assert_true(NPROCFS_HAS(&st, pid_status, vmrss_bytes));
        entries_collect(&st.rec, &es);
        for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
                assert_no_entry(&es, later[i]);
                /* and the record agrees with the walker */
                for (unsigned f = 0; f < nprocfs_schema_pid_status.nfields; f++)
                        if (strcmp(nprocfs_schema_pid_status.fields[f].name, later[i]) == 0)
                                assert_false(nprocfs_rec_has(&st.rec, f));
        }
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/10324/status: every key the schema knows but VmPMD (4.0 to 4.14). */
static void test_new_status_has_every_key_but_vmpmd(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        read_status(ctx, &st, 10324, 0);
        for (unsigned i = 0; i < nprocfs_schema_pid_status.nfields; i++) {
                bool want = i != NPROCFS_F_pid_status_vmpmd_bytes;
                if (nprocfs_rec_has(&st.rec, i) != want)
                        fail_msg("%s is %s", nprocfs_schema_pid_status.fields[i].name, want ? "absent" : "present");
        }
        assert_int_equal(st.rec.nextra, 0);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_new_status_values(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        read_status(ctx, &st, 10324, 0);
        assert_str_equal(st.name, "sleep");
        assert_int_equal(st.umask, 022); /* "Umask:\t0022", octal */
        assert_int_equal(st.tgid, 10324);
        assert_int_equal(st.ppid, 10322);
        assert_int_equal(st.fdsize, 256);
        assert_int_equal(st.vmpeak_bytes, 2560000);  /* 2500 kB */
        assert_int_equal(st.vmhwm_bytes, 1601536);   /* 1564 kB */
        assert_int_equal(st.vmrss_bytes, 1601536);   /* 1564 kB */
        assert_int_equal(st.rssanon_bytes, 98304);   /* 96 kB */
        assert_int_equal(st.rssfile_bytes, 1503232); /* 1468 kB */
        assert_int_equal(st.rssshmem_bytes, 0);
        assert_int_equal(st.vmdata_bytes, 229376); /* 224 kB */
        assert_int_equal(st.vmstk_bytes, 135168);  /* 132 kB */
        assert_int_equal(st.vmexe_bytes, 20480);   /* 20 kB */
        assert_int_equal(st.vmlib_bytes, 1564672); /* 1528 kB */
        assert_int_equal(st.vmpte_bytes, 45056);   /* 44 kB */
        assert_int_equal(st.sigq_limit, 96365);    /* "SigQ:\t0/96365" */
        assert_true(st.untag_mask == UINT64_MAX);  /* "untag_mask:\t0xffffffffffffffff" */
        assert_int_equal(st.thp_enabled, 1);
        assert_int_equal(st.voluntary_ctxt_switches, 1);
        assert_int_equal(st.nonvoluntary_ctxt_switches, 2);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "umask", "0022"); /* as the kernel writes it: octal */
        assert_entry(&es, "state", "sleeping");
        assert_entry(&es, "nstgid", "10324");
        assert_entry(&es, "nspgid", "9059");
        assert_entry(&es, "nssid", "2088");
        assert_entry(&es, "kthread", "0");
        assert_entry(&es, "untag_mask", "0xffffffffffffffff");
        assert_entry(&es, "sigign", "0x6");
        assert_entry(&es, "sigign_names", "sigint\nsigquit");
        assert_entry(&es, "capprm", "0x1fffeffffff"); /* "CapPrm:\t000001fffeffffff" */
        assert_entry(&es, "speculation_store_bypass", "vulnerable");
        assert_entry(&es, "speculationindirectbranch", "always enabled");
        assert_entry(&es, "cpus_allowed", "0x3"); /* "Cpus_allowed:\t3" */
        assert_entry(&es, "cpus_allowed_list", "0-1");
        assert_entry(&es, "mems_allowed", "0x1"); /* 32 words, the last 00000001 */
        assert_entry(&es, "mems_allowed_list", "0");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/10330/task/10336/status: "Name:\tnprocfs-w0", "Tgid:\t10330", "Pid:\t10336" */
static void test_thread_status_reads_the_task_file(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        read_status(ctx, &st, 10330, 10336);
        assert_str_equal(st.name, "nprocfs-w0");
        assert_int_equal(st.tgid, 10330);
        assert_int_equal(st.pid, 10336);
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 10330, 99999), -ENOENT);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

/* malformed/pid_status/valid-unknown-keys: "Name:\tsleep", "Pid:\t7",
 * "NewThing:\t42 kB", "Odd-Key.v2:\thello world", "VmRSS:\t    1200 kB" */
static void test_unknown_keys_are_kept_and_named_by_the_rule(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        struct nprocfs_env env = TEST_ENV;
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/pid_status/valid-unknown-keys", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&st.rec, data, len, &env), 0);
        assert_int_equal(st.rec.nextra, 2);
        assert_str_equal(st.rec.extra[0].key, "NewThing");
        assert_str_equal(st.rec.extra[0].value, "42 kB");
        assert_str_equal(st.rec.extra[1].key, "Odd-Key.v2");
        assert_str_equal(st.rec.extra[1].value, "hello world");
        assert_int_equal(st.vmrss_bytes, 1228800);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "newthing_bytes", "43008"); /* 42 x 1024 */
        assert_entry(&es, "odd_key_v2", "hello world");
        assert_entry(&es, "vmrss_bytes", "1228800");
        assert_entry(&es, "name", "sleep");
        assert_entry(&es, "pid", "7");
        assert_int_equal(es.n, 5);
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
        free(data);
}

/* An unknown key that normalizes to a known entry's name must not give the
 * tree two entries of one name: the known one keeps it. */
static void test_an_unknown_key_cannot_take_a_known_name(void **state) {
        static const char data[] = "Name:\tx\nVmRSS_bytes:\t5\nVmRSS:\t    1 kB\n";
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        struct nprocfs_env env = TEST_ENV;
        struct entries es;
        size_t n = 0;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&st.rec, data, sizeof(data) - 1, &env), 0);
        entries_collect(&st.rec, &es);
        for (size_t i = 0; i < es.n; i++)
                n += strcmp(es.v[i].path, "vmrss_bytes") == 0;
        assert_int_equal(n, 1);
        assert_entry(&es, "vmrss_bytes", "1024");
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
}

/* Umask in octal, four digits, as the kernel prints it (NAMING.md: modes
 * and umask stay octal). The values are written here, not taken from a
 * capture: every process of the 6.18 one has 0022. */
static void umask_entry(const char *text, const char *want) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        struct nprocfs_env env = TEST_ENV;
        char buf[64];
        const struct entry_copy *e;
        struct entries es;
        size_t len = (size_t)snprintf(buf, sizeof(buf), "Name:\tx\nUmask:\t%s\n", text);

        assert_int_equal(nprocfs_rec_parse(&st.rec, buf, len, &env), 0);
        entries_collect(&st.rec, &es);
        e = entries_find(&es, "umask");
        assert_non_null(e);
        assert_string_equal(e->value, want);
        entries_free(&es);
        nprocfs_rec_release(&st.rec);
}

static void test_umask_is_four_octal_digits(void **state) {
        (void)state;
        umask_entry("0022", "0022");
        umask_entry("0000", "0000");
        umask_entry("0007", "0007");
        umask_entry("0777", "0777");
}

/* ---- lines as the parser meets them, written here ---------------------- */

#define HAS(st, field) NPROCFS_HAS(st, pid_status, field)

static void test_a_last_line_without_newline_is_read(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nVmRSS:\t    12 kB"), 0);
        assert_int_equal(st.vmrss_bytes, 12288);
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nThreads:\t3"), 0);
        assert_int_equal(st.threads, 3);
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nSigPnd:\t000000000000000a"), 0);
        assert_int_equal(st.sigpnd, 10);
        assert_int_equal(parse_text(&st.rec, "Name:\tlast"), 0);
        assert_str_equal(st.name, "last");
        nprocfs_rec_release(&st.rec);
}

/* A key met twice is assigned twice: the last value that parses stays, and
 * one that does not fails the parse without unsetting the one before. */
static void test_a_repeated_key_keeps_its_last_good_value(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nThreads:\t1\nThreads:\t2\n"), 0);
        assert_int_equal(st.threads, 2);
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nThreads:\t1\nThreads:\tmany\n"), -EIO);
        assert_true(HAS(&st, threads));
        assert_int_equal(st.threads, 1);
        assert_int_equal(parse_text(&st.rec, "Threads:\t7\nName:\tx\nThreads:\t8\nVmRSS:\t 1 kB\n"), 0);
        assert_int_equal(st.threads, 8);
        assert_int_equal(st.vmrss_bytes, 1024);
        nprocfs_rec_release(&st.rec);
}

static void test_keys_out_of_the_kernels_order_are_read(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "VmRSS:\t 4 kB\nName:\tx\nPid:\t9\nVmPeak:\t 8 kB\nTgid:\t9\n"), 0);
        assert_int_equal(st.vmrss_bytes, 4096);
        assert_int_equal(st.vmpeak_bytes, 8192);
        assert_int_equal(st.pid, 9);
        assert_int_equal(st.tgid, 9);
        assert_str_equal(st.name, "x");
        assert_false(HAS(&st, vmsize_bytes));
        nprocfs_rec_release(&st.rec);
}

/* A kernel thread has no Vm lines: the rows between Kthread and Threads are
 * absent, and a key no table knows, met among them, is kept. */
static void test_absent_rows_and_an_unknown_key_between_known_ones(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Name:\tk\nKthread:\t1\nFuture_Key:\t 9 kB\nThreads:\t1\nSigQ:\t0/63\n"),
                         0);
        assert_int_equal(st.kthread, 1);
        assert_int_equal(st.threads, 1);
        assert_int_equal(st.sigq_limit, 63);
        assert_false(HAS(&st, vmpeak_bytes));
        assert_false(HAS(&st, vmrss_bytes));
        assert_false(HAS(&st, untag_mask));
        assert_int_equal(st.rec.nextra, 1);
        assert_str_equal(st.rec.extra[0].key, "Future_Key");
        assert_str_equal(st.rec.extra[0].value, "9 kB");
        nprocfs_rec_release(&st.rec);
}

/* kB is the column after the number, whatever blanks are between */
static void test_a_kb_value_wants_its_unit(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nVmRSS:\t    4\n"), -EIO);
        assert_false(HAS(&st, vmrss_bytes));
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nVmRSS:\t4 MB\n"), -EIO);
        assert_false(HAS(&st, vmrss_bytes));
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nVmRSS:\t4\tkB\n"), 0);
        assert_int_equal(st.vmrss_bytes, 4096);
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nVmRSS:\t4 kB later words\n"), 0);
        assert_int_equal(st.vmrss_bytes, 4096);
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nVmRSS:\t4 kBx\n"), -EIO);
        assert_false(HAS(&st, vmrss_bytes));
        nprocfs_rec_release(&st.rec);
}

/* A count fits u64 as written, leading zeros and all; past it the value
 * is an error, not wrapped; a kB value's conversion saturates. */
static void test_numbers_at_and_past_u64(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nThreads:\t18446744073709551615\n"), 0);
        assert_true(st.threads == UINT64_MAX);
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nThreads:\t18446744073709551616\n"), -EIO);
        assert_false(HAS(&st, threads));
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nThreads:\t99999999999999999999\n"), -EIO);
        assert_false(HAS(&st, threads));
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nThreads:\t000000000000000000000042\n"), 0);
        assert_int_equal(st.threads, 42);
        /* 2^54 kB is 2^64 bytes */
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nVmRSS:\t18014398509481984 kB\n"), 0);
        assert_true(st.vmrss_bytes == UINT64_MAX);
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nVmRSS:\t18014398509481983 kB\n"), 0);
        assert_true(st.vmrss_bytes == UINT64_MAX - 1023);
        nprocfs_rec_release(&st.rec);
}

static void test_masks_take_either_case_and_untag_mask_its_0x(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nuntag_mask:\t0xFFffFFff00000000\nSigPnd:\t00000000000000AB\n"),
                         0);
        assert_true(st.untag_mask == UINT64_C(0xffffffff00000000));
        assert_int_equal(st.sigpnd, 0xab);
        assert_int_equal(st.sigpnd_names, 0xab);
        entries_collect(&st.rec, &es);
        assert_entry(&es, "sigpnd", "0xab");
        entries_free(&es);
        /* 17 digits do not fit */
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nSigPnd:\t10000000000000000\n"), -EIO);
        assert_false(HAS(&st, sigpnd));
        assert_false(HAS(&st, sigpnd_names));
        nprocfs_rec_release(&st.rec);
}

static void test_wide_masks_drop_leading_zero_groups(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Mems_allowed:\t00000000,00000000,00000003\n"), 0);
        assert_str_equal(st.mems_allowed, "3");
        assert_int_equal(parse_text(&st.rec, "Mems_allowed:\t0,00000000,000000F0\n"), 0);
        assert_str_equal(st.mems_allowed, "f0");
        assert_int_equal(parse_text(&st.rec, "Mems_allowed:\t00000000,00000010,00000000\n"), 0);
        assert_str_equal(st.mems_allowed, "1000000000");
        assert_int_equal(parse_text(&st.rec, "Mems_allowed:\t00000000,00000000\n"), 0);
        assert_str_equal(st.mems_allowed, "0");
        assert_int_equal(parse_text(&st.rec, "Mems_allowed:\t00000000,0000000g\n"), -EIO);
        assert_false(NPROCFS_HAS(&st, pid_status, mems_allowed));
        nprocfs_rec_release(&st.rec);
}

/* columns split on blanks and on the '/' of SigQ; a missing one is an
 * error for its row only */
static void test_columns_and_a_missing_one(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nSigQ:\t3 / 100\n"), 0);
        assert_int_equal(st.sigq_queued, 3);
        assert_int_equal(st.sigq_limit, 100);
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nUid:\t1\t2\n"), -EIO);
        assert_int_equal(st.uid_real, 1);
        assert_int_equal(st.uid_effective, 2);
        assert_false(HAS(&st, uid_saved));
        assert_false(HAS(&st, uid_fs));
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nUid:\t1\tx\t3\t4\n"), -EIO);
        assert_false(HAS(&st, uid_effective));
        assert_int_equal(st.uid_saved, 3);
        assert_int_equal(st.uid_fs, 4);
        nprocfs_rec_release(&st.rec);
}

/* the state's letter names it; a letter no kernel writes leaves the state
 * absent and its code as written */
static void test_state_letters(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);

        (void)state;
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nState:\tI (idle)\n"), 0);
        assert_string_equal(nprocfs_words_state[st.state], "idle");
        assert_str_equal(st.state_code, "I");
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nState:\tx (dead)\n"), 0);
        assert_string_equal(nprocfs_words_state[st.state], "dead");
        assert_int_equal(parse_text(&st.rec, "Name:\tx\nState:\tQ (?)\n"), -EIO);
        assert_false(HAS(&st, state));
        assert_str_equal(st.state_code, "Q");
        nprocfs_rec_release(&st.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_uid_and_gid_columns_come_in_proc5_order),
                cmocka_unit_test(test_kb_values_become_bytes),
                cmocka_unit_test(test_old_status_values_as_entries),
                cmocka_unit_test(test_groups_is_one_gid_per_line),
                cmocka_unit_test(test_no_groups_is_an_empty_list),
                cmocka_unit_test(test_masks_are_also_lists_of_names),
                cmocka_unit_test(test_keys_of_later_kernels_are_absent),
                cmocka_unit_test(test_new_status_has_every_key_but_vmpmd),
                cmocka_unit_test(test_new_status_values),
                cmocka_unit_test(test_umask_is_four_octal_digits),
                cmocka_unit_test(test_thread_status_reads_the_task_file),
                cmocka_unit_test(test_unknown_keys_are_kept_and_named_by_the_rule),
                cmocka_unit_test(test_an_unknown_key_cannot_take_a_known_name),
                cmocka_unit_test(test_a_last_line_without_newline_is_read),
                cmocka_unit_test(test_a_repeated_key_keeps_its_last_good_value),
                cmocka_unit_test(test_keys_out_of_the_kernels_order_are_read),
                cmocka_unit_test(test_absent_rows_and_an_unknown_key_between_known_ones),
                cmocka_unit_test(test_a_kb_value_wants_its_unit),
                cmocka_unit_test(test_numbers_at_and_past_u64),
                cmocka_unit_test(test_masks_take_either_case_and_untag_mask_its_0x),
                cmocka_unit_test(test_wide_masks_drop_leading_zero_groups),
                cmocka_unit_test(test_columns_and_a_missing_one),
                cmocka_unit_test(test_state_letters),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
