/* nprocfs-bench-scan: what libnprocfs costs on top of reading /proc.
 *
 * Every process of the live /proc is scanned, reading stat+status (or any
 * list of stat, status, statm, io), by several modes timed in the same run:
 *
 *   floor     openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) on a dirfd of
 *             /proc, read() until 0 into one reused buffer, close(): the
 *             syscalls the library makes for a file, and no parsing at all
 *   openat    the same with plain openat(), to show what confinement costs
 *   lib       nprocfs_rec_read() of each file into records reused across
 *             processes: every field of every file parsed
 *   list      nprocfs_pids() alone
 *   libproc2  procps-ng's pids_reap() with 8 items (built when libproc2 is
 *             found); it lists /proc itself
 *
 * The pid list is made once per round, before it and outside the timed part;
 * floor, openat and lib then read exactly those processes. libproc2 cannot be
 * handed a list without reading every status twice (its pid-list reader looks
 * up each Tgid), so it is timed with its own listing, and the list mode
 * measures ours so the two can be compared on the same terms.
 *
 * Modes run interleaved, in an order rotated every round, so that drift and
 * background load hit them alike; each sample repeats the scan until it lasts
 * a few milliseconds. Reported: the median over rounds of microseconds per
 * process, and the median of the per-round ratios to the floor.
 *
 * --callgrind runs one mode once (or --rounds times) inside scan_measured(),
 * after one scan outside it, so that
 *   valgrind --tool=callgrind --toggle-collect=scan_measured
 * counts the user-space instructions of the scan alone, buffers grown and
 * lazy symbols bound. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nprocfs/records.h>

#include "../common/bench.h"
#include "scan.h"

/* scan_measured() must keep its name in the binary: no inlining, no clones */
#if defined(__clang__)
#define MEASURED __attribute__((noinline))
#else
#define MEASURED __attribute__((noipa))
#endif

#define ROUNDS_MAX 100000

enum file { F_STAT, F_STATUS, F_STATM, F_IO, F__COUNT };

static const char *const file_names[F__COUNT] = { "stat", "status", "statm", "io" };

enum mode { M_FLOOR, M_OPENAT, M_LIB, M_LIST, M_LIBPROC2, M__COUNT };

static const struct {
        const char *name;
        const char *what;
} modes[M__COUNT] = {
        [M_FLOOR] = { "floor", "openat2(IN_ROOT|NO_MAGICLINKS) + read() to EOF + close, no parsing" },
        [M_OPENAT] = { "openat", "the same with plain openat()" },
        [M_LIB] = { "lib", "nprocfs_rec_read(), every field parsed" },
        [M_LIST] = { "list", "nprocfs_pids() alone (outside the other modes' timing)" },
        [M_LIBPROC2] = { "libproc2", "pids_reap(), 8 items, its own listing included" },
};

/* Why a read failed: a process that exited, one we may not read, or
 * anything else (which the benchmark reports as an error). */
struct bench {
        nprocfs_ctx *ctx;
        int proc_fd; /* the floor's root: O_PATH dirfd of /proc, as the library's */
        enum file files[F__COUNT];
        size_t nfiles;
        struct nprocfs_pid_stat stat;
        struct nprocfs_pid_status status;
        struct nprocfs_pid_statm statm;
        struct nprocfs_pid_io io;
        struct nprocfs_rec *recs[F__COUNT]; /* in the order of files */
        struct lp2 *lp2;
        struct tally tally[M__COUNT];
        uint64_t sum; /* what the scans read, so that none of it is dead */
};

static char floor_buf[65536];
static volatile uint64_t sink;

static int open_confined(int dirfd, const char *path) {
        struct open_how how = {
                .flags = O_RDONLY | O_NOCTTY | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* One file, as the library reads it: open, read() until it returns 0, close. */
static int floor_file(struct bench *b, const char *path, bool confined) {
        int fd = confined ? open_confined(b->proc_fd, path) : openat(b->proc_fd, path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
        int r = 0;

        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t n = read(fd, floor_buf, sizeof(floor_buf));
                if (n > 0) {
                        b->sum += (uint64_t)n;
                        continue;
                }
                if (n < 0 && errno == EINTR)
                        continue;
                r = n < 0 ? -errno : 0;
                break;
        }
        close(fd);
        return r;
}

static long scan_floor(struct bench *b, const pid_t *pids, size_t n, bool confined) {
        struct tally *t = &b->tally[confined ? M_FLOOR : M_OPENAT];
        char path[64];

        for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < b->nfiles; k++) {
                        int r;
                        fmt_path(path, pids[i], file_names[b->files[k]]);
                        r = floor_file(b, path, confined);
                        if (r < 0)
                                count_error(t, r);
                }
        return (long)n;
}

static long scan_lib(struct bench *b, const pid_t *pids, size_t n) {
        for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < b->nfiles; k++) {
                        int r = nprocfs_rec_read(b->ctx, b->recs[k], pids[i], 0);
                        if (r < 0)
                                count_error(&b->tally[M_LIB], r);
                }
        /* a few values of the last process, so the records are used */
        b->sum += b->stat.utime_ns + b->status.vmrss_bytes + b->statm.resident_bytes + b->io.rchar_bytes;
        return (long)n;
}

static long scan_list(struct bench *b) {
        pid_t *pids;
        size_t n;
        int r = nprocfs_pids(b->ctx, &pids, &n);

        if (r < 0) {
                count_error(&b->tally[M_LIST], r);
                return 0;
        }
        b->sum += n > 0 ? (uint64_t)pids[n - 1] : 0;
        free(pids);
        return (long)n;
}

static long scan_libproc2(struct bench *b) {
#ifdef HAVE_LIBPROC2
        long n = lp2_scan(b->lp2, &b->sum);
        if (n < 0) {
                count_error(&b->tally[M_LIBPROC2], (int)n);
                return 0;
        }
        return n;
#else
        (void)b;
        return 0;
#endif
}

/* One scan in mode m; returns the processes it covered. */
static long scan_once(struct bench *b, enum mode m, const pid_t *pids, size_t n) {
        switch (m) {
        case M_FLOOR:
                return scan_floor(b, pids, n, true);
        case M_OPENAT:
                return scan_floor(b, pids, n, false);
        case M_LIB:
                return scan_lib(b, pids, n);
        case M_LIST:
                return scan_list(b);
        case M_LIBPROC2:
                return scan_libproc2(b);
        default:
                return 0;
        }
}

/* What callgrind counts: everything from here down, and nothing else. */
MEASURED long scan_measured(struct bench *b, enum mode m, const pid_t *pids, size_t n, unsigned scans);
MEASURED long scan_measured(struct bench *b, enum mode m, const pid_t *pids, size_t n, unsigned scans) {
        long total = 0;

        for (unsigned i = 0; i < scans; i++)
                total += scan_once(b, m, pids, n);
        return total;
}

/* ---- sleeping processes ---------------------------------------------- */

/* ---- statistics and options ------------------------------------------ */

static double pow10u(uint32_t n) {
        double v = 1;
        while (n-- > 0)
                v *= 10;
        return v;
}

static int parse_files(struct bench *b, const char *arg) {
        b->nfiles = 0;
        for (const char *p = arg; *p;) {
                size_t len = strcspn(p, ",");
                size_t f;
                for (f = 0; f < F__COUNT; f++)
                        if (strlen(file_names[f]) == len && memcmp(file_names[f], p, len) == 0)
                                break;
                if (f == F__COUNT || b->nfiles == F__COUNT) {
                        fprintf(stderr, "--files: stat, status, statm or io, comma-separated, each once\n");
                        return -EINVAL;
                }
                for (size_t k = 0; k < b->nfiles; k++)
                        if (b->files[k] == f)
                                return fprintf(stderr, "--files: %.*s twice\n", (int)len, p), -EINVAL;
                b->files[b->nfiles++] = (enum file)f;
                p += len;
                if (*p == ',')
                        p++;
        }
        return b->nfiles > 0 ? 0 : -EINVAL;
}

static bool has_file(const struct bench *b, enum file f) {
        for (size_t k = 0; k < b->nfiles; k++)
                if (b->files[k] == f)
                        return true;
        return false;
}

/* "both" (and the default): every mode this build has. */
static int parse_modes(const char *arg, bool sel[M__COUNT]) {
        memset(sel, 0, M__COUNT * sizeof(bool));
        if (strcmp(arg, "both") == 0) {
                for (int m = 0; m < M__COUNT; m++)
                        sel[m] = true;
#ifndef HAVE_LIBPROC2
                sel[M_LIBPROC2] = false;
#endif
                return 0;
        }
        for (const char *p = arg; *p;) {
                size_t len = strcspn(p, ",");
                int m;
                for (m = 0; m < M__COUNT; m++)
                        if (strlen(modes[m].name) == len && memcmp(modes[m].name, p, len) == 0)
                                break;
                if (m == M__COUNT) {
                        fprintf(stderr, "--mode: floor, openat, lib, list, libproc2 (comma-separated), or both\n");
                        return -EINVAL;
                }
#ifndef HAVE_LIBPROC2
                if (m == M_LIBPROC2) {
                        fprintf(stderr, "--mode libproc2: built without libproc2 (libproc2-dev)\n");
                        return -EINVAL;
                }
#endif
                sel[m] = true;
                p += len;
                if (*p == ',')
                        p++;
        }
        return 0;
}

static void usage(const char *argv0) {
        printf("Usage: %s [options]\n"
               "Scans every process of /proc and prints microseconds per process for plain\n"
               "read() (the floor) and for libnprocfs parsing every field, and their ratio.\n\n"
               "  --files LIST     stat,status (default) or any of stat,status,statm,io\n"
               "  --mode LIST      floor, openat, lib, list, libproc2, comma-separated;\n"
               "                   both (default): every mode this build has\n"
               "  --rounds N       interleaved rounds, median reported (default 31)\n"
               "  --sample-ms N    each mode's sample in a round lasts at least N ms (default 10)\n"
               "  --spawn N        fork N extra sleeping processes first (killed at the end)\n"
               "  --cpu N          pin this process to CPU N\n"
               "  --callgrind      run the one mode given once, inside scan_measured(), for\n"
               "                   valgrind --tool=callgrind --toggle-collect=scan_measured\n",
               argv0);
}

/* ---- main ------------------------------------------------------------ */

/* The pids of /proc by readdir(), for when nprocfs_pids() cannot run:
 * under a valgrind that lacks openat2, the library's fallback refuses to
 * open the root itself. */
static int list_plain(pid_t **ret, size_t *ret_n) {
        DIR *d = opendir("/proc");
        pid_t *v = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;

        if (!d)
                return -errno;
        while ((de = readdir(d))) {
                char *end;
                unsigned long x = strtoul(de->d_name, &end, 10);
                if (*end || x == 0 || x > INT32_MAX || de->d_name[0] < '1' || de->d_name[0] > '9')
                        continue;
                if (n == cap) {
                        pid_t *p = realloc(v, (cap = cap ? cap * 2 : 256) * sizeof(*v));
                        if (!p) {
                                free(v);
                                closedir(d);
                                return -ENOMEM;
                        }
                        v = p;
                }
                v[n++] = (pid_t)x;
        }
        closedir(d);
        *ret = v;
        *ret_n = n;
        return 0;
}

static int run_callgrind(struct bench *b, enum mode m, unsigned scans) {
        pid_t *pids;
        size_t n;
        long procs;
        int r = nprocfs_pids(b->ctx, &pids, &n);

        if (r < 0 && m != M_LIST) {
                fprintf(stderr, "nprocfs_pids: %s; listing /proc with readdir()\n", strerror(-r));
                r = list_plain(&pids, &n);
        }
        if (r < 0)
                return fprintf(stderr, "listing /proc: %s\n", strerror(-r)), r;
        /* once outside the measured call: buffers grow, lazy symbols bind */
        scan_once(b, m, pids, n);
        procs = scan_measured(b, m, pids, n, scans);
        printf("callgrind mode=%s files=", modes[m].name);
        for (size_t k = 0; k < b->nfiles; k++)
                printf("%s%s", k ? "," : "", file_names[b->files[k]]);
        printf(" scans=%u processes=%ld\n", scans, procs);
        free(pids);
        return 0;
}

static void print_table(const bool sel[M__COUNT], enum mode base, double *us[M__COUNT], unsigned rounds) {
        double *tmp = calloc(rounds, sizeof(double));

        if (!tmp)
                return;
        printf("%-9s %11s %8s  %-15s %s\n", "mode", "us/process", "x floor", "x floor q1..q3", "what");
        for (int m = 0; m < M__COUNT; m++) {
                double med, q1, q3;
                if (!sel[m])
                        continue;
                memcpy(tmp, us[m], rounds * sizeof(double));
                med = bench_quantile(tmp, rounds, 0.5);
                for (unsigned r = 0; r < rounds; r++)
                        tmp[r] = us[m][r] / us[base][r];
                q1 = bench_quantile(tmp, rounds, 0.25);
                q3 = bench_quantile(tmp, rounds, 0.75);
                printf("%-9s %11.3f %8.3f  %6.3f..%-7.3f %s\n", modes[m].name, med, bench_quantile(tmp, rounds, 0.5),
                       q1, q3, modes[m].what);
        }
        /* libproc2 lists /proc inside pids_reap(): compare it with floor +
         * list, and lib + list, round by round */
        if (sel[M_LIBPROC2] && sel[M_LIST]) {
                double lp, lib = 0;
                for (unsigned r = 0; r < rounds; r++)
                        tmp[r] = us[M_LIBPROC2][r] / (us[base][r] + us[M_LIST][r]);
                lp = bench_quantile(tmp, rounds, 0.5);
                if (sel[M_LIB]) {
                        for (unsigned r = 0; r < rounds; r++)
                                tmp[r] = (us[M_LIB][r] + us[M_LIST][r]) / (us[base][r] + us[M_LIST][r]);
                        lib = bench_quantile(tmp, rounds, 0.5);
                }
                printf("listing included on both sides, x (%s + list): libproc2 %.3f", modes[base].name, lp);
                if (sel[M_LIB])
                        printf(", lib + list %.3f", lib);
                printf("\n");
        }
        free(tmp);
}

int main(int argc, char **argv) {
        static const struct option opts[] = {
                { "files", required_argument, NULL, 'f' },
                { "mode", required_argument, NULL, 'm' },
                { "rounds", required_argument, NULL, 'r' },
                { "sample-ms", required_argument, NULL, 's' },
                { "spawn", required_argument, NULL, 'n' },
                { "cpu", required_argument, NULL, 'c' },
                { "callgrind", no_argument, NULL, 'g' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct bench b = {
                .stat = NPROCFS_REC_INIT(pid_stat),
                .status = NPROCFS_REC_INIT(pid_status),
                .statm = NPROCFS_REC_INIT(pid_statm),
                .io = NPROCFS_REC_INIT(pid_io),
                .proc_fd = -1,
        };
        bool sel[M__COUNT], callgrind = false, have_openat2;
        unsigned long rounds = 0, sample_ms = 10, spawn = 0;
        long cpu = -1;
        double *us[M__COUNT] = { 0 };
        enum mode order[M__COUNT], base;
        size_t nsel = 0, nmin = SIZE_MAX, nmax = 0;
        unsigned reps;
        int r, c, ret = 1;

        parse_files(&b, "stat,status");
        parse_modes("both", sel);
        while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0) {
                char *end;
                switch (c) {
                case 'f':
                        if (parse_files(&b, optarg) < 0)
                                return 2;
                        break;
                case 'm':
                        if (parse_modes(optarg, sel) < 0)
                                return 2;
                        break;
                case 'r':
                case 's':
                case 'n':
                case 'c': {
                        unsigned long v;
                        errno = 0;
                        v = strtoul(optarg, &end, 10);
                        if (errno || *end || end == optarg || optarg[0] == '-') {
                                fprintf(stderr, "%s: not a number: %s\n", argv[0], optarg);
                                return 2;
                        }
                        if (c == 'r')
                                rounds = v;
                        else if (c == 's')
                                sample_ms = v;
                        else if (c == 'n')
                                spawn = v;
                        else
                                cpu = (long)v;
                        break;
                }
                case 'g':
                        callgrind = true;
                        break;
                case 'h':
                        usage(argv[0]);
                        return 0;
                default:
                        return 2;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "%s: unexpected argument %s\n", argv[0], argv[optind]);
                return 2;
        }
        if (rounds > ROUNDS_MAX || sample_ms > 10000) {
                fprintf(stderr, "%s: --rounds at most %d, --sample-ms at most 10000\n", argv[0], ROUNDS_MAX);
                return 2;
        }
        if (sel[M_LIBPROC2] && !(has_file(&b, F_STAT) && has_file(&b, F_STATUS))) {
                fprintf(stderr, "libproc2: its 8 items need stat and status; left out\n");
                sel[M_LIBPROC2] = false;
        }

        r = nprocfs_open(NULL, 0, &b.ctx);
        if (r < 0) {
                fprintf(stderr, "nprocfs_open: %s\n", strerror(-r));
                return 1;
        }
        if (!nprocfs_ctx_is_live(b.ctx)) {
                fprintf(stderr, "/proc is not a procfs mount\n");
                goto out;
        }
        b.proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (b.proc_fd < 0) {
                perror("/proc");
                goto out;
        }
        for (size_t k = 0; k < b.nfiles; k++) {
                static const size_t off[F__COUNT] = {
                        [F_STAT] = offsetof(struct bench, stat),
                        [F_STATUS] = offsetof(struct bench, status),
                        [F_STATM] = offsetof(struct bench, statm),
                        [F_IO] = offsetof(struct bench, io),
                };
                b.recs[k] = (struct nprocfs_rec *)((char *)&b + off[b.files[k]]);
        }
        /* openat2 is missing before 5.6, and valgrind may not know it */
        {
                int fd = open_confined(b.proc_fd, "self/stat");
                have_openat2 = fd >= 0;
                if (fd >= 0)
                        close(fd);
        }
        if (!have_openat2 && sel[M_FLOOR]) {
                if (callgrind) {
                        fprintf(stderr, "openat2: %s here; use --mode openat for the floor\n", strerror(errno));
                        goto out;
                }
                fprintf(stderr, "openat2: %s here; the floor is plain openat()\n", strerror(errno));
                sel[M_FLOOR] = false;
                sel[M_OPENAT] = true;
        }
#ifdef HAVE_LIBPROC2
        if (sel[M_LIBPROC2]) {
                r = lp2_open(has_file(&b, F_STATM), has_file(&b, F_IO), &b.lp2);
                if (r < 0) {
                        fprintf(stderr, "procps_pids_new: %s\n", strerror(-r));
                        goto out;
                }
        }
#endif
        if (spawn > 0 && bench_spawn(spawn) < 0)
                goto out;
        if (cpu >= 0) {
                cpu_set_t set;
                CPU_ZERO(&set);
                if (cpu >= CPU_SETSIZE) {
                        fprintf(stderr, "--cpu: at most %d\n", CPU_SETSIZE - 1);
                        goto out;
                }
                CPU_SET((int)cpu, &set);
                if (sched_setaffinity(0, sizeof(set), &set) < 0) {
                        perror("--cpu");
                        goto out;
                }
        }

        for (int m = 0; m < M__COUNT; m++)
                if (sel[m])
                        order[nsel++] = (enum mode)m;
        if (callgrind) {
                if (nsel != 1) {
                        fprintf(stderr, "--callgrind: give exactly one --mode\n");
                        goto out;
                }
                ret = run_callgrind(&b, order[0], rounds ? (unsigned)rounds : 1) < 0;
                goto out;
        }
        if (nsel == 0) {
                fprintf(stderr, "no mode to run\n");
                goto out;
        }
        base = sel[M_FLOOR] ? M_FLOOR : sel[M_OPENAT] ? M_OPENAT : order[0];
        if (rounds == 0)
                rounds = 31;
        for (size_t k = 0; k < nsel; k++) {
                us[order[k]] = calloc(rounds, sizeof(double));
                if (!us[order[k]]) {
                        fprintf(stderr, "out of memory\n");
                        goto out;
                }
        }

        /* warm up every mode once, and size the samples on the slowest (the
         * best of three scans each, so that one preemption does not count) */
        {
                pid_t *pids;
                size_t n;
                uint64_t slow = 1;
                r = nprocfs_pids(b.ctx, &pids, &n);
                if (r < 0) {
                        fprintf(stderr, "nprocfs_pids: %s\n", strerror(-r));
                        goto out;
                }
                for (size_t k = 0; k < nsel; k++)
                        scan_once(&b, order[k], pids, n);
                for (size_t k = 0; k < nsel; k++) {
                        uint64_t best = UINT64_MAX;
                        for (int i = 0; i < 3; i++) {
                                uint64_t t0 = bench_now_ns(), t;
                                scan_once(&b, order[k], pids, n);
                                t = bench_now_ns() - t0;
                                if (t < best)
                                        best = t;
                        }
                        if (best > slow)
                                slow = best;
                }
                free(pids);
                reps = (unsigned)(sample_ms * 1000000 / slow) + 1;
                memset(b.tally, 0, sizeof(b.tally));
        }

        for (unsigned long rd = 0; rd < rounds; rd++) {
                pid_t *pids;
                size_t n;
                r = nprocfs_pids(b.ctx, &pids, &n);
                if (r < 0) {
                        fprintf(stderr, "nprocfs_pids: %s\n", strerror(-r));
                        goto out;
                }
                if (n < nmin)
                        nmin = n;
                if (n > nmax)
                        nmax = n;
                for (size_t k = 0; k < nsel; k++) {
                        enum mode m = order[(k + rd) % nsel];
                        uint64_t t0 = bench_now_ns(), t;
                        long procs = 0;
                        for (unsigned i = 0; i < reps; i++)
                                procs += scan_once(&b, m, pids, n);
                        t = bench_now_ns() - t0;
                        us[m][rd] = procs > 0 ? (double)t / 1e3 / (double)procs : 0;
                }
                free(pids);
        }

        {
                struct nprocfs_kver kv = { 0 };
                struct nprocfs_sys_loadavg la = NPROCFS_REC_INIT(sys_loadavg);
                nprocfs_kernel_version(b.ctx, &kv);
                if (nprocfs_rec_read(b.ctx, &la.rec, 0, 0) < 0)
                        la.load1 = (struct nprocfs_dec){ -1, 0 };
                nprocfs_rec_release(&la.rec);
                printf("nprocfs-bench-scan: /proc/<pid>/{");
                for (size_t k = 0; k < b.nfiles; k++)
                        printf("%s%s", k ? "," : "", file_names[b.files[k]]);
                printf("}, %zu..%zu processes (%lu spawned), kernel %u.%u.%u, %ld CPUs, load %.2f\n", nmin, nmax, spawn,
                       kv.major, kv.minor, kv.patch, sysconf(_SC_NPROCESSORS_ONLN),
                       (double)la.load1.mant / pow10u(la.load1.scale));
                printf("%lu rounds x %u scans per mode, interleaved; medians over rounds; pid list made before "
                       "each round, not timed\n",
                       rounds, reps);
        }
        print_table(sel, base, us, (unsigned)rounds);
        for (size_t k = 0; k < nsel; k++) {
                const struct tally *t = &b.tally[order[k]];
                if (t->gone || t->refused || t->bad)
                        printf("%s: %" PRIu64 " reads of exited processes, %" PRIu64 " refused, %" PRIu64 " errors\n",
                               modes[order[k]].name, t->gone, t->refused, t->bad);
        }
        printf("instructions: valgrind --tool=callgrind --dump-instr=no --toggle-collect=scan_measured %s "
               "--callgrind --mode MODE --files ",
               argv[0]);
        for (size_t k = 0; k < b.nfiles; k++)
                printf("%s%s", k ? "," : "", file_names[b.files[k]]);
        printf("  (MODE openat for the floor; per process: Ir / processes)\n");
        ret = b.tally[M_LIB].bad > 0 || b.tally[M_FLOOR].bad > 0;
out:
        bench_reap();
        for (int m = 0; m < M__COUNT; m++)
                free(us[m]);
#ifdef HAVE_LIBPROC2
        lp2_close(b.lp2);
#endif
        for (size_t k = 0; k < b.nfiles; k++)
                nprocfs_rec_release(b.recs[k]);
        if (b.proc_fd >= 0)
                close(b.proc_fd);
        nprocfs_close(b.ctx);
        sink = b.sum;
        return ret;
}
