/* ps: the processes on the caller's terminal, as `ps` prints them by
 * default (PID, TTY, TIME, CMD), read through libnprocfs. The procfs
 * crate's ps example, with TTY and TIME written as procps writes them.
 *
 *   build/examples/ps [ROOT]      ROOT: a proc tree (default /proc)
 *
 * "The caller's terminal" is the tty_nr of this very process (the root's
 * self): processes whose stat shows the same one are listed, this one
 * included. Processes that exit while we look are left out. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nprocfs/records.h>

#define NS_PER_SEC UINT64_C(1000000000)

/* The name procps gives a terminal device number (stat's tty_nr: major
 * in bits 15-8, minor in bits 31-20 and 7-0). Terminals it would find
 * only through /proc/tty/drivers are shown as major:minor. */
static void tty_name(int64_t tty_nr, char *buf, size_t size) {
        uint64_t dev = (uint64_t)tty_nr;
        unsigned major = (unsigned)((dev >> 8) & 0xfff);
        unsigned minor = (unsigned)((dev & 0xff) | ((dev >> 12) & 0xfff00));

        if (dev == 0)
                snprintf(buf, size, "?");
        else if (major >= 136 && major <= 143) /* UNIX98_PTY_SLAVE_MAJOR and the 7 after it */
                snprintf(buf, size, "pts/%u", minor + (major - 136) * 256);
        else if (major == 4 && minor < 64)
                snprintf(buf, size, "tty%u", minor);
        else if (major == 4)
                snprintf(buf, size, "ttyS%u", minor - 64);
        else
                snprintf(buf, size, "%u:%u", major, minor);
}

/* CPU time as ps's TIME column: whole seconds as [DD-]HH:MM:SS. */
static void cpu_time(uint64_t ns, char *buf, size_t size) {
        uint64_t s = ns / NS_PER_SEC;
        uint64_t days = s / 86400;

        if (days > 0)
                snprintf(buf, size, "%" PRIu64 "-%02u:%02u:%02u", days, (unsigned)(s / 3600 % 24),
                         (unsigned)(s / 60 % 60), (unsigned)(s % 60));
        else
                snprintf(buf, size, "%02u:%02u:%02u", (unsigned)(s / 3600), (unsigned)(s / 60 % 60),
                         (unsigned)(s % 60));
}

/* comm may hold any byte but NUL; like ps, show unprintable ones as '?'. */
static void put_comm(struct nprocfs_str comm) {
        for (size_t i = 0; i < comm.len; i++) {
                unsigned char c = (unsigned char)comm.ptr[i];
                putchar(c < 0x20 || c == 0x7f ? '?' : c);
        }
}

static bool has_ps_fields(const struct nprocfs_pid_stat *st) {
        return NPROCFS_HAS(st, pid_stat, pid) && NPROCFS_HAS(st, pid_stat, tty_nr) &&
               NPROCFS_HAS(st, pid_stat, utime_ns) && NPROCFS_HAS(st, pid_stat, stime_ns) &&
               NPROCFS_HAS(st, pid_stat, comm);
}

static int list(nprocfs_ctx *ctx) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        pid_t self, *pids = NULL;
        size_t n = 0;
        int64_t tty_nr;
        char tty[32], time[32];
        int r;

        r = nprocfs_self(ctx, &self);
        if (r < 0) {
                fprintf(stderr, "ps: self: %s\n", strerror(-r));
                return r;
        }
        r = nprocfs_rec_read(ctx, &st.rec, self, 0);
        if (r == 0 && !NPROCFS_HAS(&st, pid_stat, tty_nr))
                r = -EIO;
        if (r < 0) {
                fprintf(stderr, "ps: %d/stat: %s\n", (int)self, strerror(-r));
                goto out;
        }
        tty_nr = st.tty_nr;
        tty_name(tty_nr, tty, sizeof tty);

        r = nprocfs_pids(ctx, &pids, &n);
        if (r < 0) {
                fprintf(stderr, "ps: pids: %s\n", strerror(-r));
                goto out;
        }

        printf("%10s %-8s %8s %s\n", "PID", "TTY", "TIME", "CMD");
        for (size_t i = 0; i < n; i++) {
                int q = nprocfs_rec_read(ctx, &st.rec, pids[i], 0);

                if (q == -ENOENT) /* exited since the listing */
                        continue;
                if (q == 0 && !has_ps_fields(&st))
                        q = -EIO;
                if (q < 0) {
                        fprintf(stderr, "ps: %d/stat: %s\n", (int)pids[i], strerror(-q));
                        r = q;
                        continue;
                }
                if (st.tty_nr != tty_nr)
                        continue;
                cpu_time(st.utime_ns + st.stime_ns, time, sizeof time);
                printf("%10" PRIu64 " %-8s %8s ", st.pid, tty, time);
                put_comm(st.comm);
                putchar('\n');
        }
out:
        free(pids);
        nprocfs_rec_release(&st.rec);
        return r;
}

int main(int argc, char **argv) {
        nprocfs_ctx *ctx;
        int r;

        if (argc > 2) {
                fprintf(stderr, "usage: %s [ROOT]\n", argv[0]);
                return 2;
        }
        r = nprocfs_open(argc == 2 ? argv[1] : NULL, 0, &ctx);
        if (r < 0) {
                fprintf(stderr, "ps: %s: %s\n", argc == 2 ? argv[1] : "/proc", strerror(-r));
                return 1;
        }
        r = list(ctx);
        nprocfs_close(ctx);
        if (fflush(stdout) != 0 || ferror(stdout))
                return 1;
        return r < 0 ? 1 : 0;
}
