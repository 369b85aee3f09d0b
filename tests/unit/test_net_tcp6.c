/* /proc/net/tcp6 and /proc/<pid>/net/tcp6: the columns of net/tcp with
 * addresses of 4 little-endian 32-bit words, written as inet_ntop writes
 * them (::1, ::ffff:127.0.0.1 for a v4-mapped peer). */
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

/* linux-6.18/10324/net/tcp6, line 2 (second capture: the sleep's listener):
 * "   0: 00000000000000000000000001000000:CDE7 00000000000000000000000000000000:0000 0A 00000000:00000000
 *  00:00000000 00000000     0        0 1148997 1 000000007c2cac35 100 0 0 10 0" */
static void test_listening_socket_on_loopback(void **state) {
        struct nprocfs_net_tcp6 t = NPROCFS_REC_INIT(net_tcp6);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        const struct nprocfs_net_tcp6_row *row;
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 10324, 0), 0);
        assert_int_equal(t.rec.nrows, 1);
        row = NPROCFS_ROW(&t, net_tcp6, 0);
        assert_int_equal(row->local_address.family, AF_INET6);
        assert_memory_equal(row->local_address.addr, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
        entries_collect(&t.rec, &es);
        assert_entry(&es, "0/local_address", "::1");
        assert_entry(&es, "0/local_port", "52711"); /* CDE7 */
        assert_entry(&es, "0/remote_address", "::");
        assert_entry(&es, "0/remote_port", "0");
        assert_entry(&es, "0/state", "listen");
        assert_entry(&es, "0/state_code", "0A");
        assert_entry(&es, "0/tx_queue", "0");
        assert_entry(&es, "0/rx_queue", "0");
        assert_entry(&es, "0/uid", "0");
        assert_entry(&es, "0/inode", "1148997"); /* 10324/fd/6 */
        assert_entry(&es, "0/refcount", "1");
        assert_entry(&es, "0/sock_address", "000000007c2cac35");
        assert_entry(&es, "0/rto_ns", "1000000000");
        assert_entry(&es, "0/snd_cwnd", "10");
        assert_entry(&es, "0/snd_ssthresh", "0");
        assert_no_entry(&es, "1/inode");
        entries_free(&es);
        nprocfs_rec_release(&t.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/net/tcp6 is the first capture's: its header alone */
static void test_root_table_of_the_first_capture_is_empty(void **state) {
        struct nprocfs_net_tcp6 t = NPROCFS_REC_INIT(net_tcp6);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 0, 0), 0);
        assert_int_equal(t.rec.nrows, 0);
        nprocfs_rec_release(&t.rec);
        nprocfs_close(ctx);
}

/* linux-2.6 has no net/tcp6 (nor /proc/<pid>/net); no thread's was captured */
static void test_absent_tables_are_enoent(void **state) {
        struct nprocfs_net_tcp6 t = NPROCFS_REC_INIT(net_tcp6);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 0, 0), -ENOENT);
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 4242, 0), -ENOENT);
        nprocfs_close(ctx);
        ctx = open_tree("linux-6.18");
        assert_int_equal(nprocfs_rec_read(ctx, &t.rec, 10324, 10324), -ENOENT);
        nprocfs_rec_release(&t.rec);
        nprocfs_close(ctx);
}

/* malformed/net_tcp6/valid-v4-mapped: "0000000000000000FFFF00000100007F:0016";
 * valid-no-header: 10324's row without the header */
static void test_v4_mapped_address_stays_ipv6(void **state) {
        struct nprocfs_net_tcp6 t = NPROCFS_REC_INIT(net_tcp6);
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/net_tcp6/valid-v4-mapped", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&t.rec, data, len, &env), 0);
        entries_collect(&t.rec, &es);
        assert_entry(&es, "0/local_address", "::ffff:127.0.0.1");
        assert_entry(&es, "0/local_port", "22");
        entries_free(&es);
        free(data);
        data = read_fixture("malformed/net_tcp6/valid-no-header", &len);
        assert_int_equal(nprocfs_rec_parse(&t.rec, data, len, &env), 0);
        entries_collect(&t.rec, &es);
        assert_entry(&es, "0/local_address", "::1");
        assert_entry(&es, "0/local_port", "52711");
        assert_entry(&es, "0/state", "listen");
        assert_entry(&es, "0/inode", "1148997");
        entries_free(&es);
        free(data);
        nprocfs_rec_release(&t.rec);
}

/* each word is little-endian: 2001:db8::8:800:200c:417a is
 * B80D0120 00000000 00080800 7A410C20 (the bytes of each word reversed) */
static void test_words_are_little_endian(void **state) {
        struct nprocfs_net_tcp6 t = NPROCFS_REC_INIT(net_tcp6);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&t.rec, "   3: B80D01200000000000080800"
                                            "7A410C20:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 "
                                            "00:00000000 00000000  1000        0 77 1 0000000000000000 100 0 0 10 0\n"),
                         0);
        entries_collect(&t.rec, &es);
        assert_entry(&es, "3/local_address", "2001:db8::8:800:200c:417a");
        assert_entry(&es, "3/local_port", "443");
        assert_entry(&es, "3/uid", "1000");
        entries_free(&es);
        nprocfs_rec_release(&t.rec);
}

static void test_malformed_addresses_are_eio(void **state) {
        static const char *const bad[] = {
                /* 31 digits, 33 digits, an IPv4 address in tcp6 */
                "0: 0000000000000000000000000100000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 "
                "00:00000000 00000000 0 0 1 1 0\n",
                "0: 000000000000000000000000010000000:0016 00000000000000000000000000000000:0000 0A "
                "00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",
                "0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",
                /* a blank inside the address */
                "0: 00000000000000000000000001000000:00 16 00000000000000000000000000000000:0000 0A "
                "00000000:00000000 00:00000000 00000000 0 0 1 1 0\n",
        };

        (void)state;
        assert_all_malformed(net_tcp6, bad);
}

/* net_tcp6_row.def is net_tcp_row.def with other address decoders: the
 * same fields, columns, types and units, in the same order; the same
 * conversions and docs but for the addresses and ports */
static void test_same_columns_as_net_tcp(void **state) {
        const struct nprocfs_schema *a = &nprocfs_schema_net_tcp, *b = &nprocfs_schema_net_tcp6;

        (void)state;
        assert_int_equal(a->nrow_fields, b->nrow_fields);
        for (unsigned i = 0; i < a->nrow_fields; i++) {
                const struct nprocfs_field *x = &a->row_fields[i], *y = &b->row_fields[i];
                assert_string_equal(x->name, y->name);
                assert_int_equal(x->pos, y->pos);
                assert_int_equal(x->type, y->type);
                assert_int_equal(x->unit, y->unit);
                assert_int_equal(x->offset, y->offset);
                if (x->conv != NPROCFS_C_IP4_ADDR && x->conv != NPROCFS_C_IP4_PORT) {
                        assert_int_equal(x->conv, y->conv);
                        assert_string_equal(x->doc, y->doc);
                }
        }
}

/* A socket this test listens on at ::1, found by port and inode in
 * /proc/<pid>/net/tcp6 and /proc/net/tcp6; a row per line of the text.
 * Without IPv6 on this machine, it says so and skips. */
static void test_live_table_has_the_socket_this_test_listens_on(void **state) {
        struct nprocfs_net_tcp6 t = NPROCFS_REC_INIT(net_tcp6);
        struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
        socklen_t salen = sizeof(sa);
        static char buf[1 << 20];
        size_t len = 0, lines = 0;
        nprocfs_ctx *ctx;
        struct stat st;
        ssize_t n;
        int s, fd;

        (void)state;
        s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                print_message("!!! SKIPPED: no IPv6 loopback on this machine (%s): the live net/tcp6 check did "
                              "not run\n",
                              strerror(errno));
                if (s >= 0)
                        close(s);
                skip();
        }
        assert_int_equal(listen(s, 1), 0);
        assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &salen), 0);
        assert_int_equal(fstat(s, &st), 0);

        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        for (pid_t pid = getpid();; pid = 0) {
                bool found = false;

                assert_int_equal(nprocfs_rec_read(ctx, &t.rec, pid, 0), 0);
                for (size_t i = 0; i < t.rec.nrows; i++) {
                        const struct nprocfs_net_tcp6_row *row = NPROCFS_ROW(&t, net_tcp6, i);
                        if (row->inode != (uint64_t)st.st_ino)
                                continue;
                        assert_int_equal(row->local_port, ntohs(sa.sin6_port));
                        assert_int_equal(row->local_address.family, AF_INET6);
                        assert_memory_equal(row->local_address.addr, &in6addr_loopback, 16);
                        assert_string_equal(nprocfs_words_tcp_state[row->state], "listen");
                        found = true;
                }
                if (!found)
                        fail_msg("pid %d: no row for the socket of inode %lu", (int)pid, (unsigned long)st.st_ino);
                if (pid == 0)
                        break;
        }
        nprocfs_close(ctx);

        fd = open("/proc/self/net/tcp6", O_RDONLY);
        assert_true(fd >= 0);
        while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
                len += (size_t)n;
        close(fd);
        assert_true(len < sizeof(buf));
        for (size_t i = 0; i < len; i++)
                lines += buf[i] == '\n';
        assert_true(lines >= 2);
        assert_int_equal(nprocfs_rec_parse(&t.rec, buf, len, &env), 0);
        assert_int_equal(t.rec.nrows, lines - 1);
        nprocfs_rec_release(&t.rec);
        close(s);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_listening_socket_on_loopback),
                cmocka_unit_test(test_root_table_of_the_first_capture_is_empty),
                cmocka_unit_test(test_absent_tables_are_enoent),
                cmocka_unit_test(test_v4_mapped_address_stays_ipv6),
                cmocka_unit_test(test_words_are_little_endian),
                cmocka_unit_test(test_malformed_addresses_are_eio),
                cmocka_unit_test(test_same_columns_as_net_tcp),
                cmocka_unit_test(test_live_table_has_the_socket_this_test_listens_on),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
