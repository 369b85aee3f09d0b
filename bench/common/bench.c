/* The benchmarks' shared helpers: see bench.h. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t bench_now_ns(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

double bench_quantile(double *v, size_t n, double q) {
        double pos, frac;
        size_t i;

        if (n == 0)
                return 0;
        qsort(v, n, sizeof(*v), cmp_double);
        pos = q * (double)(n - 1);
        i = (size_t)pos;
        frac = pos - (double)i;
        return i + 1 < n ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
}

static pid_t *kids;
static size_t nkids;

void bench_reap(void) {
        for (size_t i = 0; i < nkids; i++)
                kill(kids[i], SIGKILL);
        for (size_t i = 0; i < nkids; i++)
                while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
                        ;
        free(kids);
        kids = NULL;
        nkids = 0;
}

void bench_kill_spawned(void) {
        for (size_t i = 0; i < nkids; i++)
                kill(kids[i], SIGKILL);
}

static long read_long(const char *path) {
        FILE *f = fopen(path, "re");
        long v = -1;

        if (f) {
                if (fscanf(f, "%ld", &v) != 1)
                        v = -1;
                fclose(f);
        }
        return v;
}

/* The 4th field of /proc/loadavg: an upper bound of what RLIMIT_NPROC counts
 * against this user. */
long bench_tasks_now(void) {
        FILE *f = fopen("/proc/loadavg", "re");
        long n = -1;

        if (f) {
                if (fscanf(f, "%*s %*s %*s %*d/%ld", &n) != 1)
                        n = -1;
                fclose(f);
        }
        return n;
}

int bench_spawn(size_t n) {
        long tasks = bench_tasks_now(), pid_max = read_long("/proc/sys/kernel/pid_max"),
             threads_max = read_long("/proc/sys/kernel/threads-max");
        pid_t parent = getpid();
        struct rlimit rl;

        if (n == 0)
                return 0;
        if (n > SPAWN_MAX) {
                fprintf(stderr, "--spawn: at most %d\n", SPAWN_MAX);
                return -EINVAL;
        }
        if (tasks < 0) {
                fprintf(stderr, "--spawn: cannot count the tasks (/proc/loadavg)\n");
                return -EIO;
        }
        if ((pid_max > 0 && (uint64_t)tasks + n + 256 > (uint64_t)pid_max) ||
            (threads_max > 0 && (uint64_t)tasks + n + 256 > (uint64_t)threads_max)) {
                fprintf(stderr, "--spawn %zu: %ld tasks exist, pid_max is %ld, threads-max %ld\n", n, tasks, pid_max,
                        threads_max);
                return -EAGAIN;
        }
        if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
            (uint64_t)tasks + n + 64 > rl.rlim_cur) {
                if (rl.rlim_max == RLIM_INFINITY || (uint64_t)tasks + n + 64 <= rl.rlim_max) {
                        rl.rlim_cur = rl.rlim_max;
                        if (setrlimit(RLIMIT_NPROC, &rl) < 0)
                                fprintf(stderr, "--spawn: raising RLIMIT_NPROC: %s\n", strerror(errno));
                }
                if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
                    (uint64_t)tasks + n + 64 > rl.rlim_cur) {
                        fprintf(stderr, "--spawn %zu: RLIMIT_NPROC is %" PRIu64 " and %ld tasks exist\n", n,
                                (uint64_t)rl.rlim_cur, tasks);
                        return -EAGAIN;
                }
        }
        kids = calloc(n, sizeof(*kids));
        if (!kids)
                return -ENOMEM;
        fflush(NULL);
        for (size_t i = 0; i < n; i++) {
                pid_t p = fork();
                if (p < 0) {
                        int r = -errno;
                        fprintf(stderr, "--spawn: fork %zu: %s\n", i + 1, strerror(errno));
                        bench_reap();
                        return r;
                }
                if (p == 0) {
                        prctl(PR_SET_PDEATHSIG, SIGKILL);
                        if (getppid() != parent)
                                _exit(0);
                        for (;;)
                                pause();
                }
                kids[nkids++] = p;
        }
        return 0;
}
