/* What the benchmarks share: a monotonic clock, quantiles, and a crowd of
 * sleeping processes to measure at a larger process count. */
#ifndef NPROCFS_BENCH_H
#define NPROCFS_BENCH_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SPAWN_MAX 20000

/* Reads that failed, by kind: gone and refused are normal in a scan. */
struct tally {
        uint64_t gone, refused, bad;
};

static inline void count_error(struct tally *t, int r) {
        if (r == -ENOENT || r == -ESRCH)
                t->gone++;
        else if (r == -EACCES || r == -EPERM)
                t->refused++;
        else
                t->bad++;
}

/* "<pid>/<rest>" into dst (at least 16 + strlen(rest) + 1), as cheaply as
 * the floors can build a path; inline, since it is in their timed loop. */
static inline size_t fmt_path(char *dst, pid_t pid, const char *rest) {
        char tmp[16];
        size_t n = 0, o = 0;
        unsigned v = (unsigned)pid;

        do
                tmp[n++] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        while (n > 0)
                dst[o++] = tmp[--n];
        dst[o++] = '/';
        while (*rest)
                dst[o++] = *rest++;
        dst[o] = 0;
        return o;
}

uint64_t bench_now_ns(void);

/* The tasks (threads) that exist now, from /proc/loadavg; -1 if unknown. */
long bench_tasks_now(void);

/* The q-quantile of v[0..n) (sorts v), by linear interpolation. */
double bench_quantile(double *v, size_t n, double q);

/* Forks n children that sleep in pause() until bench_reap() kills them;
 * they also die with this process (PR_SET_PDEATHSIG) if it is killed first.
 * Checks pid_max and threads-max, and raises RLIMIT_NPROC's soft limit to
 * the hard one when that is needed. 0 or a negative errno (said on stderr). */
int bench_spawn(size_t n);

/* Kills and reaps every child bench_spawn() started. */
void bench_reap(void);

/* Kills them without reaping: async-signal-safe, for a signal handler. */
void bench_kill_spawned(void);

#endif
