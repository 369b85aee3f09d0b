/* /proc/net/tcp and /proc/<pid>/net/tcp, parsed by their grammar alone: a
 * row per socket named by sl, addresses and ports decoded from the
 * kernel's hex, the state as a word beside its code, queues and timer
 * split, and the columns only a full socket has. pid 0 reads the root's
 * own table. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

/* linux-6.18/net/tcp, line 2:
 * "   0: 0100007F:9D27 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1148996 1
 *  0000000066df19eb 100 0 0 10 0" (then blanks to 149 columns) */
static void test_listening_socket(void **state) {
        struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        const struct nprocfs_net_tcp_row *row;
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 0, 0), 0);
        assert_int_equal(t.rec.nrows, 4); /* the header and 4 lines */
        row = NPROCFS_ROW(&t, net_tcp, 0);
        assert_true(NPROCFS_ROW_HAS(row, net_tcp, local_address));
        assert_int_equal(row->local_address.family, AF_INET);
        assert_memory_equal(row->local_address.addr, "\x7f\0\0\x01", 4);
        assert_int_equal(row->local_port, 40231);
        entries_collect(&t.rec, &es);
        assert_entry(&es, "0/local_address", "127.0.0.1"); /* 0100007F */
        assert_entry(&es, "0/local_port", "40231");        /* 9D27 */
        assert_entry(&es, "0/remote_address", "0.0.0.0");
        assert_entry(&es, "0/remote_port", "0");
        assert_entry(&es, "0/state", "listen");
        assert_entry(&es, "0/state_code", "0A");
        assert_entry(&es, "0/tx_queue", "0");
        assert_entry(&es, "0/rx_queue", "0");
        assert_entry(&es, "0/timer_active", "0");
        assert_entry(&es, "0/timer_expires_ns", "0");
        assert_entry(&es, "0/retransmits", "0");
        assert_entry(&es, "0/uid", "0");
        assert_entry(&es, "0/timeouts", "0");
        assert_entry(&es, "0/inode", "1148996"); /* 10324/fd/5 -> socket:[1148996] */
        assert_entry(&es, "0/refcount", "1");
        assert_entry(&es, "0/sock_address", "0000000066df19eb");
        assert_entry(&es, "0/rto_ns", "1000000000"); /* 100 ticks */
        assert_entry(&es, "0/ato_ns", "0");
        assert_entry(&es, "0/quick_pingpong", "0");
        assert_entry(&es, "0/snd_cwnd", "10");
        assert_entry(&es, "0/snd_ssthresh", "0");
        entries_free(&es);
        nprocfs_rec_release(&t.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/net/tcp, lines 3-5 */
static void test_other_rows(void **state) {
        struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 0, 0), 0);
        entries_collect(&t.rec, &es);
        /* "   1: 0100007F:8367 00000000:0000 0A ... 1148825 1 0000000019ec81a6 100 0 0 10 0" */
        assert_entry(&es, "1/local_port", "33639");
        assert_entry(&es, "1/inode", "1148825");
        /* "   2: 0100007F:8367 0100007F:E5B8 01 ... 1148827 1 00000000a1390ca6 20 0 0 10 -1" */
        assert_entry(&es, "2/state", "established");
        assert_entry(&es, "2/state_code", "01");
        assert_entry(&es, "2/local_address", "127.0.0.1");
        assert_entry(&es, "2/local_port", "33639");
        assert_entry(&es, "2/remote_address", "127.0.0.1");
        assert_entry(&es, "2/remote_port", "58808");
        assert_entry(&es, "2/inode", "1148827");
        assert_entry(&es, "2/rto_ns", "200000000"); /* 20 ticks */
        assert_entry(&es, "2/snd_ssthresh", "-1");
        /* "   3: 0100007F:E5B8 0100007F:8367 01 ... 1148826 1 00000000ab9cb8c6 20 0 0 10 -1" */
        assert_entry(&es, "3/local_port", "58808");
        assert_entry(&es, "3/remote_port", "33639");
        assert_entry(&es, "3/inode", "1148826");
        assert_no_entry(&es, "4/inode");
        entries_free(&es);
        nprocfs_rec_release(&t.rec);
        nprocfs_close(ctx);
}

/* every process of the capture shares the one network namespace: the same
 * sockets in 1, 10322, 10324 and 10330/net/tcp (the refcount column moves) */
static void test_every_process_sees_the_same_sockets(void **state) {
        static const pid_t pids[] = { 1, 10322, 10324, 10330 };
        static const uint64_t inodes[] = { 1148996, 1148825, 1148827, 1148826 };
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
                struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);

                assert_int_equal(nprocfs_rec_read(ctx, &t.rec, pids[i], 0), 0);
                assert_int_equal(t.rec.nrows, 4);
                for (size_t j = 0; j < 4; j++)
                        assert_int_equal(NPROCFS_ROW(&t, net_tcp, j)->inode, inodes[j]);
                nprocfs_rec_release(&t.rec);
        }
        nprocfs_close(ctx);
}

/* no thread's net/ was captured; 2.6.18 had no /proc/<pid>/net (2.6.25) */
static void test_absent_tables_are_enoent(void **state) {
        struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 10324, 10324), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 4242, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 0, 1), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, -1, 0), -ENOENT);
        nprocfs_close(ctx);
        ctx = open_tree("linux-2.6");
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 4242, 0), -ENOENT);
        nprocfs_rec_release(&t.rec);
        nprocfs_close(ctx);
}

/* linux-2.6/net/tcp, lines 2-3 (2.6.18's format: %p of 16 digits):
 * "   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2001 1
 *  ffff81007f2a1000 3000 0 0 2 -1"
 * "   1: 0100007F:0016 0100007F:A000 01 00000010:00000020 00:00000000 00000000  1000        0 2002 2
 *  ffff81007f2a1700 201 40 1 3 -1" */
static void test_linux_2_6(void **state) {
        struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 0, 0), 0);
        assert_int_equal(t.rec.nrows, 2);
        entries_collect(&t.rec, &es);
        assert_entry(&es, "0/local_address", "127.0.0.1");
        assert_entry(&es, "0/local_port", "22");
        assert_entry(&es, "0/state", "listen");
        assert_entry(&es, "0/state_code", "0A");
        assert_entry(&es, "0/uid", "0");
        assert_entry(&es, "0/inode", "2001");
        assert_entry(&es, "0/sock_address", "ffff81007f2a1000");
        assert_entry(&es, "0/snd_ssthresh", "-1");
        assert_entry(&es, "1/remote_address", "127.0.0.1");
        assert_entry(&es, "1/remote_port", "40960");
        assert_entry(&es, "1/state", "established");
        assert_entry(&es, "1/state_code", "01");
        assert_entry(&es, "1/tx_queue", "16");
        assert_entry(&es, "1/rx_queue", "32");
        assert_entry(&es, "1/uid", "1000");
        assert_entry(&es, "1/inode", "2002");
        assert_entry(&es, "1/refcount", "2");
        assert_entry(&es, "1/snd_cwnd", "3");
        entries_free(&es);
        nprocfs_rec_release(&t.rec);
        nprocfs_close(ctx);
}

/* A time-wait socket and a request have 12 columns, up to the address
 * (get_timewait4_sock, get_openreq4): the 5 after it are absent. tw: timer
 * 3, 6000 ticks; request: syn_recv, timer 1 in 100 ticks, 1 retransmit. */
static void test_short_rows_of_time_wait_and_requests(void **state) {
        struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);
        struct entries es;

        (void)state;
        assert_int_equal(
                parse_text(
                        &t.rec,
                        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
                        "inode\n"
                        "   7: 0100007F:E5B8 0100007F:8367 06 00000000:00000000 03:00001770 00000000     0        0 0 "
                        "3 0000000000000000\n"
                        "  12: 0100007F:8367 0100007F:E5BA 03 00000000:00000000 01:00000064 00000001  1000        0 0 "
                        "0 0000000000000000\n"),
                0);
        entries_collect(&t.rec, &es);
        assert_entry(&es, "7/state", "time_wait");
        assert_entry(&es, "7/timer_active", "3");
        assert_entry(&es, "7/timer_expires_ns", "60000000000");
        assert_entry(&es, "7/inode", "0");
        assert_entry(&es, "7/refcount", "3");
        assert_entry(&es, "7/sock_address", "0000000000000000");
        assert_no_entry(&es, "7/rto_ns");
        assert_no_entry(&es, "7/snd_ssthresh");
        assert_entry(&es, "12/state", "syn_recv");
        assert_entry(&es, "12/timer_active", "1");
        assert_entry(&es, "12/timer_expires_ns", "1000000000");
        assert_entry(&es, "12/retransmits", "1");
        assert_entry(&es, "12/uid", "1000");
        assert_entry(&es, "12/remote_port", "58810");
        assert_no_entry(&es, "12/snd_cwnd");
        entries_free(&es);
        nprocfs_rec_release(&t.rec);
}

/* every state of tcp_states.h by its code, 01 .. 0C; columns a later
 * kernel may append are left out */
static void test_state_words(void **state) {
        static const char *const words[] = { "established", "syn_sent",  "syn_recv", "fin_wait1",
                                             "fin_wait2",   "time_wait", "close",    "close_wait",
                                             "last_ack",    "listen",    "closing",  "new_syn_recv" };
        (void)state;
        for (unsigned code = 1; code <= 12; code++) {
                struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);
                char line[256], want[4];
                struct entries es;

                snprintf(line, sizeof(line),
                         "0: 0100007F:0016 00000000:0000 %02X 00000000:00000000 00:00000000 00000000 0 0 1 1 0 "
                         "20 4 1 10 -1 99 new columns",
                         code);
                assert_int_equal(parse_text(&t.rec, line), 0);
                entries_collect(&t.rec, &es);
                assert_string_equal(entries_find(&es, "0/state")->value, words[code - 1]);
                snprintf(want, sizeof(want), "%02X", code);
                assert_string_equal(entries_find(&es, "0/state_code")->value, want);
                assert_entry(&es, "0/snd_ssthresh", "-1");
                entries_free(&es);
                nprocfs_rec_release(&t.rec);
        }
}

static void test_malformed_lines_are_eio(void **state) {
        static const char *const bad[] = {
                "0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n",    /* 11 cols */
                "0 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",   /* no ':' */
                ": 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",   /* no sl */
                "0: 0100007F:0016 00000000:0000 00 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",  /* state 0 */
                "0: 0100007F:0016 00000000:0000 0D 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",  /* 13 */
                "0: 0100007F:0016 00000000:0000 A 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",   /* 1 digit */
                "0: 0x00007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",  /* 0x */
                "0: 100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",   /* 7 digits */
                "0: 0100007F:016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",   /* 3 digits */
                "0: 0100007F-0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",  /* no ':' */
                "0: 0100007F:0016 00000000:0000 0A 0000000000000000 00:00000000 00000000 0 0 1 1 0\n",   /* queues */
                "0: 0100007F:0016 00000000:0000 0A 00000000: 00:00000000 00000000 0 0 1 1 0\n",          /* no rx */
                "0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:0x000000 00000000 0 0 1 1 0\n",  /* 0x */
                "0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 0000000G 0 0 1 1 0\n",  /* hex */
                "0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 -1 0 1 1 0\n", /* uid */
                "0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0 1x\n",
        };

        (void)state;
        assert_all_malformed(net_tcp, bad);
}

/* fixtures/malformed/net_tcp/valid-*: row 0 of linux-6.18/net/tcp without
 * its header; the header alone; nothing */
static void test_header_is_optional(void **state) {
        static const char *const empty[] = { "malformed/net_tcp/valid-header-only", "malformed/net_tcp/valid-empty" };
        struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/net_tcp/valid-no-header", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&t.rec, data, len, &env), 0);
        assert_int_equal(t.rec.nrows, 1);
        entries_collect(&t.rec, &es);
        assert_entry(&es, "0/local_address", "127.0.0.1");
        assert_entry(&es, "0/local_port", "40231");
        assert_entry(&es, "0/state", "listen");
        assert_entry(&es, "0/inode", "1148996");
        entries_free(&es);
        free(data);
        for (size_t i = 0; i < 2; i++) {
                data = read_fixture(empty[i], &len);
                assert_int_equal(nprocfs_rec_parse(&t.rec, data, len, &env), 0);
                assert_int_equal(t.rec.nrows, 0);
                free(data);
        }
        nprocfs_rec_release(&t.rec);
}

/* What the kernel gives this process: a row per line of the text after
 * the header (one read, parsed from that text: sockets come and go), and
 * among them a socket this test listens on, found by port and inode, in
 * /proc/<pid>/net/tcp and in /proc/net/tcp (pid 0). */
static void test_live_table_has_the_socket_this_test_listens_on(void **state) {
        struct nprocfs_net_tcp t = NPROCFS_REC_INIT(net_tcp);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t salen = sizeof(sa);
        static char buf[1 << 20];
        size_t len = 0, lines = 0;
        nprocfs_ctx *ctx;
        struct stat st;
        ssize_t n;
        int s, fd;

        (void)state;
        s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(s >= 0);
        assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
        assert_int_equal(listen(s, 1), 0);
        assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &salen), 0);
        assert_int_equal(fstat(s, &st), 0);

        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        for (pid_t pid = getpid();; pid = 0) {
                bool found = false;

                assert_int_equal(nprocfs_rec_read(ctx, &t.rec, pid, 0), 0);
                for (size_t i = 0; i < t.rec.nrows; i++) {
                        const struct nprocfs_net_tcp_row *row = NPROCFS_ROW(&t, net_tcp, i);
                        if (row->inode != (uint64_t)st.st_ino)
                                continue;
                        assert_int_equal(row->local_port, ntohs(sa.sin_port));
                        assert_int_equal(row->local_address.family, AF_INET);
                        assert_memory_equal(row->local_address.addr, "\x7f\0\0\x01", 4);
                        assert_string_equal(nprocfs_words_tcp_state[row->state], "listen");
                        found = true;
                }
                if (!found)
                        fail_msg("pid %d: no row for the socket of inode %lu", (int)pid, (unsigned long)st.st_ino);
                if (pid == 0)
                        break;
        }
        nprocfs_close(ctx);

        fd = open("/proc/self/net/tcp", O_RDONLY);
        assert_true(fd >= 0);
        while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
                len += (size_t)n;
        close(fd);
        assert_true(len < sizeof(buf));
        for (size_t i = 0; i < len; i++)
                lines += buf[i] == '\n';
        assert_true(lines >= 2); /* the header and our socket */
        assert_int_equal(nprocfs_rec_parse(&t.rec, buf, len, &env), 0);
        assert_int_equal(t.rec.nrows, lines - 1);
        nprocfs_rec_release(&t.rec);
        close(s);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_listening_socket),
                cmocka_unit_test(test_other_rows),
                cmocka_unit_test(test_every_process_sees_the_same_sockets),
                cmocka_unit_test(test_absent_tables_are_enoent),
                cmocka_unit_test(test_linux_2_6),
                cmocka_unit_test(test_short_rows_of_time_wait_and_requests),
                cmocka_unit_test(test_state_words),
                cmocka_unit_test(test_malformed_lines_are_eio),
                cmocka_unit_test(test_header_is_optional),
                cmocka_unit_test(test_live_table_has_the_socket_this_test_listens_on),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
