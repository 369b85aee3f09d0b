/* What the benchmarks share: a monotonic clock, quantiles, and a crowd of
 * sleeping processes to measure at a larger process count. */
#ifndef NPROCFS_BENCH_H
#define NPROCFS_BENCH_H

#include <stddef.h>
#include <stdint.h>

#define SPAWN_MAX 20000

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
