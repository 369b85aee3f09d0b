/* netstat: every TCP socket (IPv4 and IPv6) of the caller's network
 * namespace, with its local and remote address, state and inode, and the
 * process that has it open (PID/comm, found through the socket inodes of
 * every process's fd/); the procfs crate's netstat example, over the
 * library, in its layout. Owners are the processes whose fd/ this user may
 * read (all of them as root); a socket none of them holds shows -.
 *
 *   netstat [ROOT]      ROOT: a proc tree (default /proc)
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <nprocfs/records.h>

struct owner {
        uint64_t inode;
        pid_t pid;
        char comm[64];
};

static int by_inode(const void *a, const void *b) {
        const struct owner *x = a, *y = b;
        return (x->inode > y->inode) - (x->inode < y->inode);
}

/* Every socket inode of every process this user may read, with its pid
 * and comm, sorted by inode. */
static int owners(nprocfs_ctx *ctx, struct owner **ret, size_t *ret_n) {
        struct nprocfs_pid_fd fd = NPROCFS_REC_INIT(pid_fd);
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        struct owner *v = NULL;
        size_t n = 0, cap = 0, npids;
        pid_t *pids;
        int r = nprocfs_pids(ctx, &pids, &npids);

        if (r < 0)
                return r;
        for (size_t i = 0; i < npids; i++) {
                const char *comm = "?";
                size_t comm_len = 1;

                if (nprocfs_rec_read(ctx, &fd.rec, pids[i], 0) < 0)
                        continue; /* gone, or not ours to read */
                if (nprocfs_rec_read(ctx, &st.rec, pids[i], 0) == 0 && NPROCFS_HAS(&st, pid_stat, comm)) {
                        comm = st.comm.ptr;
                        comm_len = st.comm.len;
                }
                for (size_t j = 0; j < fd.rec.nrows; j++) {
                        const struct nprocfs_pid_fd_row *row = NPROCFS_ROW(&fd, pid_fd, j);

                        if (!NPROCFS_ROW_HAS(row, pid_fd, inode) || !NPROCFS_ROW_HAS(row, pid_fd, type) ||
                            strcmp(nprocfs_words_fdkind[row->type], "socket") != 0)
                                continue;
                        if (n == cap) {
                                size_t c = cap ? 2 * cap : 64;
                                struct owner *x = realloc(v, c * sizeof(*x));
                                if (!x) {
                                        r = -ENOMEM;
                                        goto out;
                                }
                                v = x;
                                cap = c;
                        }
                        v[n].inode = row->inode;
                        v[n].pid = pids[i];
                        snprintf(v[n].comm, sizeof(v[n].comm), "%.*s", (int)comm_len, comm);
                        n++;
                }
        }
        qsort(v, n, sizeof(*v), by_inode);
out:
        nprocfs_rec_release(&fd.rec);
        nprocfs_rec_release(&st.rec);
        free(pids);
        if (r < 0) {
                free(v);
                return r;
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

/* listen -> Listen, time_wait -> TimeWait: the crate's names of the states */
static void camel(const char *word, char *buf, size_t size) {
        size_t o = 0;
        bool up = true;

        for (; *word && o + 1 < size; word++) {
                if (*word == '_') {
                        up = true;
                        continue;
                }
                buf[o++] = up ? (char)toupper((unsigned char)*word) : *word;
                up = false;
        }
        buf[o] = 0;
}

/* "127.0.0.1:22", "[::1]:22" */
static void endpoint(const struct nprocfs_inet *a, uint64_t port, char *buf, size_t size) {
        char ip[INET6_ADDRSTRLEN];

        if (!inet_ntop(a->family, a->addr, ip, sizeof(ip)))
                snprintf(ip, sizeof(ip), "?");
        if (a->family == AF_INET6)
                snprintf(buf, size, "[%s]:%" PRIu64, ip, port);
        else
                snprintf(buf, size, "%s:%" PRIu64, ip, port);
}

static void print_row(const struct owner *own, size_t nown, const struct nprocfs_inet *la, uint64_t lp,
                      const struct nprocfs_inet *ra, uint64_t rp, const char *state, uint64_t inode) {
        char local[64], remote[64], st[32];
        struct owner key = { .inode = inode };
        const struct owner *o = inode ? bsearch(&key, own, nown, sizeof(*own), by_inode) : NULL;

        endpoint(la, lp, local, sizeof(local));
        endpoint(ra, rp, remote, sizeof(remote));
        camel(state, st, sizeof(st));
        if (o)
                printf("%-26s %-26s %-15s %-8" PRIu64 " %d/%s\n", local, remote, st, inode, (int)o->pid, o->comm);
        else
                printf("%-26s %-26s %-15s %-8" PRIu64 " -\n", local, remote, st, inode);
}

int main(int argc, char **argv) {
        struct nprocfs_net_tcp tcp = NPROCFS_REC_INIT(net_tcp);
        struct nprocfs_net_tcp6 tcp6 = NPROCFS_REC_INIT(net_tcp6);
        struct owner *own = NULL;
        size_t nown = 0;
        nprocfs_ctx *ctx;
        pid_t self;
        int r;

        if (argc > 2) {
                fprintf(stderr, "usage: %s [ROOT]\n", argv[0]);
                return 2;
        }
        r = nprocfs_open(argc == 2 ? argv[1] : NULL, 0, &ctx);
        if (r < 0) {
                fprintf(stderr, "netstat: %s: %s\n", argc == 2 ? argv[1] : "/proc", strerror(-r));
                return 1;
        }
        /* the caller's own network namespace, as /proc/net is self/net (a
         * snapshot without a self: its own net/) */
        if (nprocfs_self(ctx, &self) < 0)
                self = 0;
        r = owners(ctx, &own, &nown);
        if (r == 0)
                r = nprocfs_rec_read(ctx, &tcp.rec, self, 0);
        if (r < 0) {
                fprintf(stderr, "netstat: %s\n", strerror(-r));
                nprocfs_close(ctx);
                return 1;
        }
        printf("%-26s %-26s %-15s %-8s %s\n", "Local address", "Remote address", "State", "Inode", "PID/Program name");
        for (size_t i = 0; i < tcp.rec.nrows; i++) {
                const struct nprocfs_net_tcp_row *row = NPROCFS_ROW(&tcp, net_tcp, i);
                print_row(own, nown, &row->local_address, row->local_port, &row->remote_address, row->remote_port,
                          nprocfs_words_tcp_state[row->state], row->inode);
        }
        /* a kernel without IPv6 has no tcp6 */
        if (nprocfs_rec_read(ctx, &tcp6.rec, self, 0) == 0)
                for (size_t i = 0; i < tcp6.rec.nrows; i++) {
                        const struct nprocfs_net_tcp6_row *row = NPROCFS_ROW(&tcp6, net_tcp6, i);
                        print_row(own, nown, &row->local_address, row->local_port, &row->remote_address,
                                  row->remote_port, nprocfs_words_tcp_state[row->state], row->inode);
                }
        nprocfs_rec_release(&tcp.rec);
        nprocfs_rec_release(&tcp6.rec);
        free(own);
        nprocfs_close(ctx);
        return 0;
}
