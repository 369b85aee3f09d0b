/* nprocfs-bench-fs: what reading through the nprocfs mount costs.
 *
 * The mounts are made by the caller (bench/fs/run.sh): nprocfs with its
 * default TTL, nprocfs with -o ttl=0, and nprocfs-bench-nullfs, a FUSE
 * filesystem of the same tree shape that does nothing but answer: the floor
 * of any FUSE read on this kernel. Each test runs its modes interleaved,
 * in an order rotated every round, so that drift and background load hit
 * them alike, and reports medians over rounds and the median of the
 * per-round ratio to nullfs in its plain configuration (and, when it is
 * mounted, to nullfs-cache: keep_cache, otherwise libfuse's defaults, the
 * base of the scan's target).
 *
 *   read   open + read() to EOF (until it returns 0, as cat does) + close of
 *          one entry, <pid>/stat/utime_ns, again and again; /proc/<pid>/stat
 *          read and its utime parsed is the direct floor. The pid is 1 unless
 *          told (--entry-pid): a process other than this one, whose values
 *          do not move with the benchmark's own CPU time
 *   stat   stat() of that entry: cached, and with nothing cached
 *   scan   readdir of the mount's root, then for every pid listed
 *          open + read + close of stat/{pid,comm,state,ppid,utime_ns,
 *          stime_ns,vsize_bytes,rss_bytes}; per process. /proc directly
 *          (readdir, then <pid>/stat read and the 8 values parsed) beside it
 *   walk   the memory test, on an nprocfs mount of its own: one 8-value scan,
 *          then every regular file of the tree read (a first whole pass, then
 *          passes again and again for a set time), the daemon's VmRSS
 *          sampled throughout (--daemon-pid), with its node count (its
 *          statfs f_files) and the kernel's fuse_inode slab; then the
 *          daemon's CPU use while idle, with the tree known to the kernel
 *
 * --trace DIR (a tracefs mount) counts, after the timed rounds, the FUSE
 * requests each mode sends per operation: the round trips behind the
 * figures. --spawn N forks N processes sleeping in pause() first. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nprocfs/nprocfs.h>

#include "../common/bench.h"

#define ROUNDS_MAX       100000
#define FUSE_SUPER_MAGIC 0x65735546
#define READ_SIZE        (128 * 1024) /* what cat asks for */
#define FUSE_OPCODES     64

enum test { T_READ, T_STAT, T_SCAN, T_WALK, T_SMAPS, T__COUNT };

static const char *const test_names[T__COUNT] = { "read", "stat", "scan", "walk", "smaps" };

/* Where a mode reads. */
enum where { W_PROC, W_NULL, W_NULL_CACHE, W_NULL_BEST, W_NULL_T0, W_NP, W_NP_COLD, W__COUNT };

static const struct {
        const char *opt; /* its command-line option */
        const char *what;
} wheres[W__COUNT] = {
        [W_PROC] = { NULL, "/proc" },
        [W_NULL] = { "nullfs", "nullfs, plain: libfuse defaults (1 s timeouts, no keep_cache, FLUSH)" },
        [W_NULL_CACHE] = { "nullfs-cache", "nullfs, keep_cache (page cache kept across opens), else defaults" },
        [W_NULL_BEST] = { "nullfs-best", "nullfs, entry_timeout=3600, attr_timeout=3600, keep_cache, noflush" },
        [W_NULL_T0] = { "nullfs-t0", "nullfs, entry_timeout=0, attr_timeout=0" },
        [W_NP] = { "nprocfs", "nprocfs, default ttl" },
        [W_NP_COLD] = { "nprocfs-cold", "nprocfs -o ttl=0" },
};

struct mode {
        const char *name;
        enum test test;
        enum where where;
        bool self; /* through the mount's self link */
        const char *what;
};

static const struct mode modes[] = {
        { "proc", T_READ, W_PROC, false, "/proc/<pid>/stat, utime parsed" },
        { "nullfs", T_READ, W_NULL, false, "the do-nothing fs, plain" },
        { "nullfs-cache", T_READ, W_NULL_CACHE, false, "the do-nothing fs, keep_cache" },
        { "nullfs-best", T_READ, W_NULL_BEST, false, "the do-nothing fs: long names, keep_cache, noflush" },
        { "nullfs-t0", T_READ, W_NULL_T0, false, "the do-nothing fs, timeouts 0" },
        { "nprocfs", T_READ, W_NP, false, "warm: default ttl, the same entry again" },
        { "nprocfs-self", T_READ, W_NP, true, "warm, self/stat/utime_ns: this process, via the link" },
        { "nprocfs-cold", T_READ, W_NP_COLD, false, "cold: ttl=0, parsed at every request" },
        { "proc", T_STAT, W_PROC, false, "stat(/proc/<pid>/stat)" },
        { "nullfs", T_STAT, W_NULL, false, "cached (1 s)" },
        { "nullfs-t0", T_STAT, W_NULL_T0, false, "nothing cached: timeouts 0" },
        { "nprocfs", T_STAT, W_NP, false, "default ttl" },
        { "nprocfs-cold", T_STAT, W_NP_COLD, false, "ttl=0" },
        { "proc", T_SCAN, W_PROC, false, "readdir /proc, <pid>/stat read, 8 values parsed" },
        { "nullfs", T_SCAN, W_NULL, false, "the do-nothing fs, plain" },
        { "nullfs-cache", T_SCAN, W_NULL_CACHE, false, "the do-nothing fs, keep_cache" },
        { "nullfs-best", T_SCAN, W_NULL_BEST, false, "the do-nothing fs: long names, keep_cache, noflush" },
        { "nprocfs", T_SCAN, W_NP, false, "default ttl" },
        { "nprocfs-cold", T_SCAN, W_NP_COLD, false, "ttl=0" },
};
#define NMODES (sizeof(modes) / sizeof(modes[0]))

/* The 8 values of a scan, as nprocfs names them. */
static const char *const scan_names[] = {
        "pid", "comm", "state", "ppid", "utime_ns", "stime_ns", "vsize_bytes", "rss_bytes",
};
#define NSCAN (sizeof(scan_names) / sizeof(scan_names[0]))

/* Why a read failed: a process that exited, a read refused, or anything
 * else (reported as an error). */
struct bench {
        int fd[W__COUNT]; /* O_PATH dirfds of the roots; -1: not given */
        const char *dir[W__COUNT];
        pid_t me;
        pid_t entry_pid;
        char entry[64], proc_entry[64]; /* the read and stat tests' paths */
        long ticks;
        pid_t *pids;
        size_t npids, cap;
        struct tally tally[NMODES];
        uint64_t sum; /* what was read, so that none of it is dead */
};

static char buf[READ_SIZE];
static volatile uint64_t sink;

/* ---- reading ---------------------------------------------------------- */

/* open, read() until it returns 0, close: the bytes read, or -errno. */
static ssize_t read_file(int dirfd, const char *path) {
        int fd = openat(dirfd, path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
        size_t len = 0;
        ssize_t r = 0;

        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
                if (n > 0) {
                        len += (size_t)n;
                        if (len < sizeof(buf) - 1)
                                continue;
                        len = 0; /* longer than we keep: count it, keep reading */
                        continue;
                }
                if (n < 0 && errno == EINTR)
                        continue;
                r = n < 0 ? -errno : (ssize_t)len;
                break;
        }
        close(fd);
        buf[r > 0 ? r : 0] = 0;
        return r;
}

/* The leading decimal of s; stops at the first other byte. */
static uint64_t leading_u64(const char *s) {
        uint64_t v = 0;

        while (*s >= '0' && *s <= '9')
                v = v * 10 + (uint64_t)(*s++ - '0');
        return v;
}

/* The fields of /proc/<pid>/stat the scan reads (1-based, proc(5)). The
 * comm is between the first '(' and the last ')': it may hold both. */
static int parse_stat(const char *s, size_t len, uint64_t *ret_sum, uint64_t *ret_utime) {
        const char *lp = memchr(s, '(', len), *rp = NULL, *p, *end = s + len;
        uint64_t sum = 0;
        unsigned field = 3;

        for (const char *q = end; q > s;)
                if (*--q == ')') {
                        rp = q;
                        break;
                }
        if (!lp || !rp || rp < lp || rp + 2 >= end)
                return -EIO;
        sum += leading_u64(s);          /* 1 pid */
        sum += (uint64_t)(rp - lp - 1); /* 2 comm */
        sum += (unsigned char)rp[2];    /* 3 state */
        for (p = rp + 2; p < end && field <= 24; field++) {
                if (field == 4 || field == 15 || field == 23 || field == 24)
                        sum += leading_u64(p); /* ppid, stime, vsize, rss */
                if (field == 14) {
                        uint64_t u = leading_u64(p);
                        sum += u;
                        if (ret_utime)
                                *ret_utime = u;
                }
                while (p < end && *p != ' ')
                        p++;
                p++;
        }
        if (field <= 24)
                return -EIO;
        *ret_sum = sum;
        return 0;
}

static int read_proc_entry(struct bench *b) {
        ssize_t n = read_file(b->fd[W_PROC], b->proc_entry);
        uint64_t sum, utime = 0;

        if (n < 0)
                return (int)n;
        if (parse_stat(buf, (size_t)n, &sum, &utime) < 0)
                return -EIO;
        b->sum += utime * (1000000000u / (uint64_t)b->ticks);
        return 0;
}

static int read_value(struct bench *b, int dirfd, const char *path) {
        ssize_t n = read_file(dirfd, path);

        if (n < 0)
                return (int)n;
        b->sum += leading_u64(buf) + (uint64_t)n;
        return 0;
}

/* The pids a root lists, by readdir, into b->pids. */
static int list_pids(struct bench *b, int rootfd) {
        int fd = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent *de;
        DIR *d;

        if (fd < 0)
                return -errno;
        if (!(d = fdopendir(fd))) {
                close(fd);
                return -errno;
        }
        b->npids = 0;
        while ((de = readdir(d))) {
                const char *s = de->d_name;
                unsigned long v = 0;
                if (*s < '1' || *s > '9')
                        continue;
                for (; *s >= '0' && *s <= '9' && v <= INT_MAX; s++)
                        v = v * 10 + (unsigned long)(*s - '0');
                if (*s || v > INT_MAX)
                        continue;
                if (b->npids == b->cap) {
                        size_t cap = b->cap ? b->cap * 2 : 1024;
                        pid_t *p = realloc(b->pids, cap * sizeof(*p));
                        if (!p) {
                                closedir(d);
                                return -ENOMEM;
                        }
                        b->pids = p;
                        b->cap = cap;
                }
                b->pids[b->npids++] = (pid_t)v;
        }
        closedir(d);
        return 0;
}

/* ---- the operations of each test ---------------------------------------- */

static long op_read(struct bench *b, const struct mode *m, struct tally *t) {
        int r = m->where == W_PROC ? read_proc_entry(b)
                                   : read_value(b, b->fd[m->where], m->self ? "self/stat/utime_ns" : b->entry);
        if (r < 0)
                count_error(t, r);
        return 1;
}

static long op_stat(struct bench *b, const struct mode *m, struct tally *t) {
        struct stat st;

        if (fstatat(b->fd[m->where], m->where == W_PROC ? b->proc_entry : b->entry, &st, 0) < 0)
                count_error(t, -errno);
        else
                b->sum += (uint64_t)st.st_size + st.st_ino;
        return 1;
}

/* One whole-tree scan; returns the processes listed. */
static long op_scan(struct bench *b, const struct mode *m, struct tally *t) {
        int rootfd = b->fd[m->where];
        char path[64];
        int r = list_pids(b, rootfd);

        if (r < 0) {
                count_error(t, r);
                return 0;
        }
        for (size_t i = 0; i < b->npids; i++) {
                if (m->where == W_PROC) {
                        ssize_t n;
                        uint64_t sum;
                        fmt_path(path, b->pids[i], "stat");
                        n = read_file(rootfd, path);
                        if (n < 0)
                                count_error(t, (int)n);
                        else if (parse_stat(buf, (size_t)n, &sum, NULL) < 0)
                                count_error(t, -EIO);
                        else
                                b->sum += sum;
                        continue;
                }
                for (size_t k = 0; k < NSCAN; k++) {
                        size_t o = fmt_path(path, b->pids[i], "stat/");
                        memcpy(path + o, scan_names[k], strlen(scan_names[k]) + 1);
                        r = read_value(b, rootfd, path);
                        if (r < 0)
                                count_error(t, r);
                }
        }
        return (long)b->npids;
}

static long run_op(struct bench *b, size_t mi) {
        const struct mode *m = &modes[mi];

        switch (m->test) {
        case T_READ:
                return op_read(b, m, &b->tally[mi]);
        case T_STAT:
                return op_stat(b, m, &b->tally[mi]);
        case T_SCAN:
                return op_scan(b, m, &b->tally[mi]);
        default:
                return 0;
        }
}

/* ---- counting FUSE requests (tracefs) ------------------------------------ */

static const char *const opcode_names[FUSE_OPCODES] = {
        [1] = "LOOKUP",     [2] = "FORGET",        [3] = "GETATTR",      [5] = "READLINK",    [14] = "OPEN",
        [15] = "READ",      [17] = "STATFS",       [18] = "RELEASE",     [22] = "GETXATTR",   [23] = "LISTXATTR",
        [25] = "FLUSH",     [27] = "OPENDIR",      [28] = "READDIR",     [29] = "RELEASEDIR", [34] = "ACCESS",
        [36] = "INTERRUPT", [42] = "BATCH_FORGET", [44] = "READDIRPLUS", [46] = "LSEEK",      [52] = "STATX",
};

struct trace {
        char *inst; /* our tracefs instance, or NULL */
};

static int write_str(const char *dir, const char *file, const char *s, int flags) {
        char path[PATH_MAX];
        int fd, r = 0;

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        fd = open(path, O_WRONLY | O_CLOEXEC | flags);
        if (fd < 0)
                return -errno;
        if (*s && write(fd, s, strlen(s)) < 0)
                r = -errno;
        close(fd);
        return r;
}

/* The instance a signal must remove: tracefs instances belong to the
 * kernel, not to a mount, and would outlive us. */
static char *volatile doomed_inst;

/* The smaps test's process, which a signal must end too. */
static volatile pid_t mapped_child;

static void trace_close(struct trace *tr) {
        if (!tr->inst)
                return;
        doomed_inst = NULL;
        write_str(tr->inst, "tracing_on", "0", 0);
        write_str(tr->inst, "events/fuse/fuse_request_send/enable", "0", 0);
        if (rmdir(tr->inst) < 0)
                fprintf(stderr, "trace: rmdir %s: %s\n", tr->inst, strerror(errno));
        free(tr->inst);
        tr->inst = NULL;
}

/* An instance of its own (its own buffer and switches), recording the FUSE
 * requests this process sends. */
static int trace_open(struct trace *tr, const char *tracefs, pid_t me) {
        char filter[64];
        int r;

        if (asprintf(&tr->inst, "%s/instances/nprocfs-bench-fs-%d", tracefs, (int)me) < 0) {
                tr->inst = NULL;
                return -ENOMEM;
        }
        if (mkdir(tr->inst, 0700) < 0) {
                r = -errno;
                fprintf(stderr, "trace: mkdir %s: %s\n", tr->inst, strerror(errno));
                free(tr->inst);
                tr->inst = NULL;
                return r;
        }
        snprintf(filter, sizeof(filter), "common_pid == %d", (int)me);
        doomed_inst = tr->inst;
        r = write_str(tr->inst, "tracing_on", "0", 0);
        if (r == 0)
                r = write_str(tr->inst, "buffer_size_kb", "16384", 0);
        if (r == 0)
                r = write_str(tr->inst, "events/fuse/fuse_request_send/filter", filter, 0);
        if (r == 0)
                r = write_str(tr->inst, "events/fuse/fuse_request_send/enable", "1", 0);
        if (r < 0) {
                fprintf(stderr, "trace: %s: %s\n", tr->inst, strerror(-r));
                trace_close(tr);
        }
        return r;
}

/* The requests recorded since the last call, by opcode; clears them.
 * Returns -EOVERFLOW when the buffer lost some. */
static int trace_take(struct trace *tr, uint64_t counts[FUSE_OPCODES]) {
        char path[PATH_MAX], line[512];
        unsigned long in = 0, written = 0;
        FILE *f;

        memset(counts, 0, FUSE_OPCODES * sizeof(counts[0]));
        snprintf(path, sizeof(path), "%s/trace", tr->inst);
        if (!(f = fopen(path, "re")))
                return -errno;
        while (fgets(line, sizeof(line), f)) {
                const char *p;
                unsigned op;
                if (line[0] == '#') {
                        sscanf(line, "# entries-in-buffer/entries-written: %lu/%lu", &in, &written);
                        continue;
                }
                if ((p = strstr(line, " opcode ")) && sscanf(p, " opcode %u", &op) == 1 && op < FUSE_OPCODES)
                        counts[op]++;
        }
        fclose(f);
        write_str(tr->inst, "trace", "", O_TRUNC);
        return in == written ? 0 : -EOVERFLOW;
}

/* Runs mode mi for at least ms (and one operation) with recording on and
 * prints the requests per operation. */
static void trace_mode(struct bench *b, struct trace *tr, size_t mi, unsigned ms) {
        uint64_t counts[FUSE_OPCODES], t0, items = 0;
        int r;

        run_op(b, mi); /* once before: the steady state, not the first touch */
        trace_take(tr, counts);
        write_str(tr->inst, "tracing_on", "1", 0);
        t0 = bench_now_ns();
        do
                items += (uint64_t)run_op(b, mi);
        while (bench_now_ns() - t0 < (uint64_t)ms * 1000000);
        write_str(tr->inst, "tracing_on", "0", 0);
        r = trace_take(tr, counts);
        printf("requests %-5s %-13s %8" PRIu64 " %s ", test_names[modes[mi].test], modes[mi].name, items,
               modes[mi].test == T_SCAN ? "processes:" : "ops:");
        for (unsigned op = 0; op < FUSE_OPCODES; op++)
                if (counts[op])
                        printf(" %s %.3g", opcode_names[op] ? opcode_names[op] : "?",
                               items ? (double)counts[op] / (double)items : 0.0);
        printf("%s\n", r == -EOVERFLOW ? "  (the trace buffer overflowed: undercounted)" : "");
}

/* ---- sleeping processes ---------------------------------------------- */

/* A signal ends the run without what must not outlive it: the tracefs
 * instance and the children (which would die with us anyway, a little
 * later). Async-signal-safe calls only. */
static void on_signal(int sig) {
        if (doomed_inst)
                rmdir(doomed_inst);
        bench_kill_spawned();
        if (mapped_child > 0)
                kill(mapped_child, SIGKILL);
        _exit(128 + sig);
}

/* ---- the memory test: walking the whole tree ----------------------------- */

/* A first whole pass, then passes again and again for a set time: the
 * daemon's VmRSS is sampled throughout, and the loop's samples (the end of
 * the first pass included) give its slope. */
struct walk {
        struct bench *b;
        pid_t daemon;
        int rootfd;
        uint64_t t0, deadline, next_sample, every;
        uint64_t files, dirs, errors, passes;
        bool stop;
        bool looping; /* the first pass is done: samples count for the slope */
        double *st, *sr;
        size_t ns, cap;
        long max_kib;
};

/* VmRSS and VmHWM of pid, KiB; -1 when unknown. */
static void daemon_rss(pid_t pid, long *ret_rss, long *ret_hwm) {
        char path[64], line[256];
        FILE *f;

        *ret_rss = *ret_hwm = -1;
        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        if (!(f = fopen(path, "re")))
                return;
        while (fgets(line, sizeof(line), f)) {
                sscanf(line, "VmRSS: %ld kB", ret_rss);
                sscanf(line, "VmHWM: %ld kB", ret_hwm);
        }
        fclose(f);
}

/* What the kernel spends on FUSE inodes, all mounts together (KiB), from
 * /proc/slabinfo (root only); -1 when unknown. */
static long fuse_inode_kib(void) {
        FILE *f = fopen("/proc/slabinfo", "re");
        char line[512];
        long kib = -1;

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f)) {
                unsigned long active, num, size;
                if (sscanf(line, "fuse_inode %lu %lu %lu", &active, &num, &size) == 3) {
                        kib = (long)(num * size / 1024);
                        break;
                }
        }
        fclose(f);
        return kib;
}

/* utime + stime of pid, in clock ticks; -1 when unknown. */
static long long cpu_ticks(pid_t pid) {
        char path[64], line[1024];
        unsigned long long ut, st;
        const char *p;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        if (!(f = fopen(path, "re")))
                return -1;
        p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
        fclose(f);
        if (!p || sscanf(p, ") %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
                return -1;
        return (long long)(ut + st);
}

static long walk_sample(struct walk *w, const char *when) {
        double t = (double)(bench_now_ns() - w->t0) / 1e9;
        struct statvfs sv;
        long rss, hwm;

        daemon_rss(w->daemon, &rss, &hwm);
        if (fstatvfs(w->rootfd, &sv) < 0)
                sv.f_files = 0;
        /* nodes: what nprocfs's statfs gives as f_files, its inode count;
         * kernel: the fuse_inode slab (dentries come on top) */
        printf("rss t=%.0f rss_kib=%ld hwm_kib=%ld nodes=%" PRIu64 " kernel_fuse_inode_kib=%ld passes=%" PRIu64
               " files=%" PRIu64 " %s\n",
               t, rss, hwm, (uint64_t)sv.f_files, fuse_inode_kib(), w->passes, w->files, when);
        fflush(stdout);
        if (!w->looping || rss < 0)
                return rss;
        if (rss > w->max_kib)
                w->max_kib = rss;
        if (w->ns == w->cap) {
                size_t cap = w->cap ? w->cap * 2 : 64;
                double *a = realloc(w->st, cap * sizeof(*a)), *c;
                if (a)
                        w->st = a;
                c = realloc(w->sr, cap * sizeof(*c));
                if (c)
                        w->sr = c;
                if (!a || !c)
                        return rss;
                w->cap = cap;
        }
        w->st[w->ns] = t;
        w->sr[w->ns++] = (double)rss;
        return rss;
}

static void walk_tick(struct walk *w) {
        uint64_t now = bench_now_ns();

        if (now >= w->deadline)
                w->stop = true;
        else if (now >= w->next_sample) {
                walk_sample(w, "");
                w->next_sample += w->every;
        }
}

/* Reads every regular file under fd (which it closes); symlinks are not
 * followed. */
static void walk_dir(struct walk *w, int fd) {
        struct dirent *de;
        DIR *d = fdopendir(fd);

        if (!d) {
                w->errors++;
                close(fd);
                return;
        }
        w->dirs++;
        while (!w->stop && (de = readdir(d))) {
                unsigned char type = de->d_type;
                if (de->d_name[0] == '.' && (de->d_name[1] == 0 || (de->d_name[1] == '.' && de->d_name[2] == 0)))
                        continue;
                if (type == DT_UNKNOWN) {
                        struct stat st;
                        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                                w->errors++;
                                continue;
                        }
                        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
                }
                if (type == DT_DIR) {
                        int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0)
                                w->errors++;
                        else
                                walk_dir(w, sub);
                } else if (type == DT_REG) {
                        ssize_t n = read_file(dirfd(d), de->d_name);
                        if (n < 0)
                                w->errors++;
                        else
                                w->b->sum += (uint64_t)n;
                        w->files++;
                        walk_tick(w);
                }
        }
        closedir(d);
}

/* One whole pass; false if the deadline cut it. */
static bool walk_pass(struct walk *w) {
        uint64_t files = w->files, errors = w->errors, dirs = w->dirs, t0 = bench_now_ns(), d;
        int fd = openat(w->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0) {
                perror("walk: the root");
                w->stop = true;
                return false;
        }
        walk_dir(w, fd);
        if (w->stop)
                return false;
        w->passes++;
        d = bench_now_ns() - t0;
        printf("pass %" PRIu64 ": %" PRIu64 " files, %" PRIu64 " directories, %" PRIu64
               " unreadable, %.1f s, %.1f us/file\n",
               w->passes, w->files - files, w->dirs - dirs, w->errors - errors, (double)d / 1e9,
               (double)d / 1e3 / (double)(w->files > files ? w->files - files : 1));
        return true;
}

/* Least-squares slope of v over t (seconds), per minute. */
static double slope_per_min(const double *t, const double *v, size_t n) {
        double mt = 0, mv = 0, num = 0, den = 0;

        if (n < 2)
                return 0;
        for (size_t i = 0; i < n; i++) {
                mt += t[i];
                mv += v[i];
        }
        mt /= (double)n;
        mv /= (double)n;
        for (size_t i = 0; i < n; i++) {
                num += (t[i] - mt) * (v[i] - mv);
                den += (t[i] - mt) * (t[i] - mt);
        }
        return den > 0 ? num / den * 60 : 0;
}

static int run_walk(struct bench *b, pid_t daemon, unsigned first_max, unsigned seconds, unsigned every,
                    unsigned idle) {
        struct walk w = {
                .b = b,
                .daemon = daemon,
                .rootfd = b->fd[W_NP],
                .max_kib = -1,
                .every = (uint64_t)every * 1000000000u,
        };
        long first_kib, end_kib, tasks = bench_tasks_now();
        double loop_s, idle_pct;
        uint64_t loop_t0;

        w.t0 = bench_now_ns();
        w.deadline = w.t0 + (uint64_t)first_max * 1000000000u;
        w.next_sample = w.t0 + w.every;
        printf("walk: every regular file of %s (symlinks not followed), a first pass, then again and again for %u "
               "s; %ld tasks; daemon pid %d\n",
               b->dir[W_NP], seconds, tasks, (int)daemon);
        walk_sample(&w, "mounted, before the walk");
        /* what the scan test reads first: the daemon with 8 values of
         * every process known */
        {
                size_t mi = 0;
                while (mi < NMODES && !(modes[mi].test == T_SCAN && modes[mi].where == W_NP))
                        mi++;
                run_op(b, mi);
                walk_sample(&w, "after one 8-value scan");
        }
        if (!walk_pass(&w)) {
                printf("walk summary: the first pass did not end within %u s (%" PRIu64 " files read)\n", first_max,
                       w.files);
                return 1;
        }
        w.looping = true;
        first_kib = walk_sample(&w, "after the first pass");
        loop_t0 = bench_now_ns();
        w.deadline = loop_t0 + (uint64_t)seconds * 1000000000u;
        w.next_sample = loop_t0 + w.every;
        while (!w.stop)
                walk_pass(&w);
        loop_s = (double)(bench_now_ns() - loop_t0) / 1e9;
        end_kib = walk_sample(&w, "end");
        /* what the daemon does on its own while the kernel knows the tree */
        {
                long long c0 = cpu_ticks(daemon), c1;
                uint64_t i0 = bench_now_ns();
                sleep(idle);
                c1 = cpu_ticks(daemon);
                idle_pct = c0 >= 0 && c1 >= 0
                                   ? (double)(c1 - c0) / (double)b->ticks / ((double)(bench_now_ns() - i0) / 1e9) * 100
                                   : -1;
        }
        printf("walk summary: tasks=%ld rss_first_pass_kib=%ld rss_end_kib=%ld rss_max_kib=%ld "
               "slope_kib_per_min=%.1f loop_s=%.0f passes=%" PRIu64 " samples=%zu idle_cpu_pct=%.1f\n",
               tasks, first_kib, end_kib, w.max_kib, slope_per_min(w.st, w.sr, w.ns), loop_s, w.passes, w.ns, idle_pct);
        free(w.st);
        free(w.sr);
        return 0;
}

/* ---- the smaps test: one value of a process with many mappings ----------- */

/* The smaps test's process: n one-page anonymous mappings, their
 * protections alternating so that no two neighbours merge into one area,
 * the writable ones touched (a non-zero rss), then pause(). */
static pid_t spawn_mapped(size_t n) {
        pid_t parent = getpid(), pid;
        int fds[2];
        char ok = 0;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0) {
                int r = -errno;
                close(fds[0]);
                close(fds[1]);
                return r;
        }
        if (pid == 0) {
                long page = sysconf(_SC_PAGESIZE);
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (getppid() != parent)
                        _exit(1);
                close(fds[0]);
                ok = 1;
                for (size_t i = 0; i < n && ok; i++) {
                        int prot = i % 2 ? PROT_READ | PROT_WRITE : PROT_READ;
                        char *p = mmap(NULL, (size_t)page, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                        if (p == MAP_FAILED)
                                ok = 0;
                        else if (prot & PROT_WRITE)
                                *p = 1;
                }
                if (write(fds[1], &ok, 1) != 1)
                        _exit(1);
                close(fds[1]);
                for (;;)
                        pause();
        }
        mapped_child = pid;
        close(fds[1]);
        if (read(fds[0], &ok, 1) != 1)
                ok = 0;
        close(fds[0]);
        if (!ok) {
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
                mapped_child = 0;
                return -ENOMEM;
        }
        return pid;
}

static void reap_mapped(void) {
        if (mapped_child > 0) {
                kill(mapped_child, SIGKILL);
                waitpid(mapped_child, NULL, 0);
                mapped_child = 0;
        }
}

/* open, read() of READ_SIZE until it returns 0, close: the bytes, or -errno;
 * ret_lines (if not NULL) counts the newlines. The floor of a whole file. */
static ssize_t read_whole(int dirfd, const char *path, size_t *ret_lines) {
        int fd = openat(dirfd, path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
        size_t total = 0, lines = 0;
        ssize_t n;

        if (fd < 0)
                return -errno;
        while ((n = read(fd, buf, sizeof(buf))) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        n = -errno;
                        close(fd);
                        return n;
                }
                total += (size_t)n;
                if (ret_lines)
                        for (ssize_t i = 0; i < n; i++)
                                lines += buf[i] == '\n';
        }
        close(fd);
        if (ret_lines)
                *ret_lines = lines;
        return (ssize_t)total;
}

/* The modes of the smaps test, and what each is a ratio to. */
enum { S_STAT_PID, S_WARM, S_COLD, S_READ, S_LIB, S__COUNT, S_NONE = -1 };

static const struct {
        const char *name, *what;
} smodes[S__COUNT] = {
        [S_STAT_PID] = { "stat-pid", "warm read of MNT/<pid>/stat/pid" },
        [S_WARM] = { "value-warm", "warm read of MNT/<pid>/smaps/<first range>/rss_bytes" },
        [S_COLD] = { "value-ttl0", "the same value through nprocfs -o ttl=0 (--nprocfs-cold)" },
        [S_READ] = { "proc-read", "/proc/<pid>/smaps read once, plain read() of 128 KiB" },
        [S_LIB] = { "lib-parse", "/proc/<pid>/smaps read and parsed by the library" },
};

struct smaps {
        struct bench *b;
        char stat_path[64], proc_path[64], value_path[PATH_MAX];
        nprocfs_ctx *ctx;
        struct nprocfs_rec *rec; /* NULL: the library has no smaps record */
        pid_t pid;
        bool on[S__COUNT];
        int floor; /* S_LIB when the library parses smaps, else S_READ */
        struct tally tally[S__COUNT + 1];
};

static void smaps_op(struct smaps *s, int m) {
        struct bench *b = s->b;
        ssize_t n;
        int r = 0;

        switch (m) {
        case S_STAT_PID:
                r = read_value(b, b->fd[W_NP], s->stat_path);
                break;
        case S_WARM:
                r = read_value(b, b->fd[W_NP], s->value_path);
                break;
        case S_COLD:
                r = read_value(b, b->fd[W_NP_COLD], s->value_path);
                break;
        case S_READ:
                n = read_whole(b->fd[W_PROC], s->proc_path, NULL);
                r = n < 0 ? (int)n : 0;
                b->sum += n > 0 ? (uint64_t)n : 0;
                break;
        case S_LIB:
                r = nprocfs_rec_read(s->ctx, s->rec, s->pid, 0);
                b->sum += s->rec->len;
                break;
        }
        if (r < 0)
                count_error(&s->tally[m], r);
}

static uint64_t smaps_timed(struct smaps *s, int m, unsigned long reps) {
        uint64_t t0 = bench_now_ns();

        for (unsigned long i = 0; i < reps; i++)
                smaps_op(s, m);
        return bench_now_ns() - t0;
}

/* One row: the median µs of v[0..n), and its per-round ratio to base. */
static void smaps_row(const char *name, const double *v, const double *base, const char *base_name, size_t n,
                      double *tmp, const char *what) {
        double med;

        memcpy(tmp, v, n * sizeof(double));
        med = bench_quantile(tmp, n, 0.5);
        if (!base) {
                printf("smaps %-11s %10.3f %8s  %-15s %-10s %s\n", name, med, "-", "-", "-", what);
                return;
        }
        for (size_t r = 0; r < n; r++)
                tmp[r] = base[r] > 0 ? v[r] / base[r] : 0;
        {
                double ratio = bench_quantile(tmp, n, 0.5), q1 = bench_quantile(tmp, n, 0.25),
                       q3 = bench_quantile(tmp, n, 0.75);
                char q[32];
                snprintf(q, sizeof(q), "%.3f..%.3f", q1, q3);
                printf("smaps %-11s %10.3f %8.3f  %-15s %-10s %s\n", name, med, ratio, q, base_name, what);
        }
}

/* The first entry of MNT/<pid>/smaps/ into s->value_path as
 * <pid>/smaps/<entry>/rss_bytes. -ENOENT: no smaps in the tree. */
static int smaps_find_value(struct smaps *s) {
        char dir[64];
        struct dirent *de;
        struct stat st;
        int fd, r = -ENODATA;
        DIR *d;

        snprintf(dir, sizeof(dir), "%d/smaps", (int)s->pid);
        fd = openat(s->b->fd[W_NP], dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (!(d = fdopendir(fd))) {
                close(fd);
                return -errno;
        }
        /* the first mapping's directory: the file's own entries (its sums,
         * uss_bytes ...) are values, listed first */
        while ((de = readdir(d)))
                if (de->d_type == DT_DIR && strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
                        int len = snprintf(s->value_path, sizeof(s->value_path), "%s/%s/rss_bytes", dir, de->d_name);
                        r = len > 0 && (size_t)len < sizeof(s->value_path) ? 0 : -ENAMETOOLONG;
                        break;
                }
        closedir(d);
        if (r == 0 && fstatat(s->b->fd[W_NP], s->value_path, &st, 0) < 0)
                r = -errno;
        return r;
}

/* The smaps test: a process with `mappings` mappings; warm reads of its
 * stat/pid and of one smaps value, the value after the TTL, and the floor
 * of that: /proc/<pid>/smaps read once (and parsed by the library, when it
 * has a smaps record). Without smaps in the tree, the value's modes are
 * skipped and the rest still runs. */
static int run_smaps(struct bench *b, size_t mappings, unsigned rounds, unsigned sample_ms, unsigned ttl_ms,
                     unsigned ttl_samples) {
        struct smaps s = { .b = b, .floor = S_READ };
        const struct nprocfs_schema *schema = nprocfs_schema_find(NPROCFS_SCOPE_PID, "smaps", 5);
        double *us[S__COUNT] = { 0 }, *tmp = NULL, *ttl = NULL, *ttl_floor = NULL;
        unsigned long reps[S__COUNT];
        size_t maps_lines = 0, n = rounds > ttl_samples ? rounds : ttl_samples;
        ssize_t smaps_bytes;
        int r, ret = -ENOMEM;
        bool in_tree;

        s.pid = spawn_mapped(mappings);
        if (s.pid < 0) {
                fprintf(stderr, "smaps: a process with %zu mappings: %s\n", mappings, strerror(-s.pid));
                return s.pid;
        }
        snprintf(s.stat_path, sizeof(s.stat_path), "%d/stat/pid", (int)s.pid);
        snprintf(s.proc_path, sizeof(s.proc_path), "%d/smaps", (int)s.pid);
        {
                char maps[64];
                snprintf(maps, sizeof(maps), "%d/maps", (int)s.pid);
                if (read_whole(b->fd[W_PROC], maps, &maps_lines) < 0)
                        maps_lines = 0;
        }
        smaps_bytes = read_whole(b->fd[W_PROC], s.proc_path, NULL);
        printf("smaps: pid %d, %zu one-page mappings made, %zu lines in /proc/%d/maps, /proc/%d/smaps %zd bytes\n",
               (int)s.pid, mappings, maps_lines, (int)s.pid, (int)s.pid, smaps_bytes);
        if (schema) {
                if ((r = nprocfs_open(NULL, 0, &s.ctx)) < 0 || (r = nprocfs_rec_new(schema, &s.rec)) < 0) {
                        fprintf(stderr, "smaps: the library: %s\n", strerror(-r));
                        ret = r;
                        goto out;
                }
                s.floor = S_LIB;
                printf("library smaps parse: nprocfs_rec_read() of schema %s\n", schema->name);
        } else
                printf("library smaps parse: n/a (the library has no smaps record): the floor is the plain read\n");
        r = smaps_find_value(&s);
        in_tree = r == 0;
        if (r == -ENOENT && faccessat(b->fd[W_NP], s.stat_path, R_OK, 0) == 0)
                printf("smaps: not in the tree yet (no %s/%d/smaps): value-warm and value-ttl skipped\n", b->dir[W_NP],
                       (int)s.pid);
        else if (r < 0) {
                fprintf(stderr, "smaps: %s/%d/smaps: %s\n", b->dir[W_NP], (int)s.pid, strerror(-r));
                ret = r;
                goto out;
        } else
                printf("smaps: value %s/%s\n", b->dir[W_NP], s.value_path);
        s.on[S_STAT_PID] = s.on[S_READ] = true;
        s.on[S_WARM] = in_tree;
        s.on[S_COLD] = in_tree && b->fd[W_NP_COLD] >= 0;
        s.on[S_LIB] = s.rec != NULL;

        for (int m = 0; m < S__COUNT; m++)
                if (s.on[m] && !(us[m] = calloc(n, sizeof(double))))
                        goto out;
        if (!(tmp = calloc(n, sizeof(double))) || !(ttl = calloc(n, sizeof(double))) ||
            !(ttl_floor = calloc(n, sizeof(double))))
                goto out;

        /* every mode once, then each sized to last sample_ms (best of three) */
        for (int m = 0; m < S__COUNT; m++)
                if (s.on[m])
                        smaps_op(&s, m);
        for (int m = 0; m < S__COUNT; m++) {
                uint64_t best = UINT64_MAX;
                if (!s.on[m])
                        continue;
                for (int i = 0; i < 3; i++) {
                        uint64_t d = smaps_timed(&s, m, 1);
                        if (d < best)
                                best = d;
                }
                reps[m] = (unsigned long)((uint64_t)sample_ms * 1000000 / (best ? best : 1)) + 1;
        }
        memset(s.tally, 0, sizeof(s.tally));
        for (unsigned rd = 0; rd < rounds; rd++)
                for (int j = 0; j < S__COUNT; j++) {
                        int m = (int)((unsigned)j + rd) % S__COUNT;
                        if (s.on[m])
                                us[m][rd] = (double)smaps_timed(&s, m, reps[m]) / 1e3 / (double)reps[m];
                }
        /* after the TTL on the default mount: sleep past it, read the value
         * once, then the floor once, and take their ratio */
        for (unsigned i = 0; in_tree && i < ttl_samples; i++) {
                struct timespec ts = { .tv_sec = (ttl_ms + 200) / 1000, .tv_nsec = (ttl_ms + 200) % 1000 * 1000000L };
                while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                        ;
                ttl[i] = (double)smaps_timed(&s, S_WARM, 1) / 1e3;
                ttl_floor[i] = (double)smaps_timed(&s, s.floor, 1) / 1e3;
        }

        printf("%-5s %-11s %10s %8s  %-15s %-10s %s\n", "test", "mode", "us/op", "ratio", "ratio q1..q3", "to", "what");
        smaps_row(smodes[S_STAT_PID].name, us[S_STAT_PID], NULL, NULL, rounds, tmp, smodes[S_STAT_PID].what);
        if (in_tree)
                smaps_row(smodes[S_WARM].name, us[S_WARM], us[S_STAT_PID], smodes[S_STAT_PID].name, rounds, tmp,
                          smodes[S_WARM].what);
        else
                printf("smaps %-11s %10s %8s  %-15s %-10s skipped: smaps not in the tree yet\n", smodes[S_WARM].name,
                       "-", "-", "-", "-");
        if (in_tree && ttl_samples > 0) {
                char what[128];
                snprintf(what, sizeof(what),
                         "the value after sleeping %u ms (TTL %u ms), %u samples, each paired "
                         "with a floor read",
                         ttl_ms + 200, ttl_ms, ttl_samples);
                smaps_row("value-ttl", ttl, ttl_floor, smodes[s.floor].name, ttl_samples, tmp, what);
        } else
                printf("smaps %-11s %10s %8s  %-15s %-10s skipped: %s\n", "value-ttl", "-", "-", "-", "-",
                       in_tree ? "--ttl-samples 0" : "smaps not in the tree yet");
        if (s.on[S_COLD])
                smaps_row(smodes[S_COLD].name, us[S_COLD], us[s.floor], smodes[s.floor].name, rounds, tmp,
                          smodes[S_COLD].what);
        else
                printf("smaps %-11s %10s %8s  %-15s %-10s skipped: %s\n", smodes[S_COLD].name, "-", "-", "-", "-",
                       in_tree ? "no --nprocfs-cold" : "smaps not in the tree yet");
        smaps_row(smodes[S_READ].name, us[S_READ], NULL, NULL, rounds, tmp, smodes[S_READ].what);
        if (s.on[S_LIB])
                smaps_row(smodes[S_LIB].name, us[S_LIB], us[S_READ], smodes[S_READ].name, rounds, tmp,
                          smodes[S_LIB].what);
        else
                printf("smaps %-11s %10s %8s  %-15s %-10s library smaps parse: n/a\n", smodes[S_LIB].name, "-", "-",
                       "-", "-");
        printf("smaps: %u rounds, interleaved; samples of at least %u ms; the floor of a read after the TTL is %s\n",
               rounds, sample_ms,
               s.floor == S_LIB ? "lib-parse" : "proc-read (plain read: the library has no smaps parse yet)");
        ret = 0;
        for (int m = 0; m < S__COUNT; m++) {
                const struct tally *ty = &s.tally[m];
                if (ty->gone || ty->refused || ty->bad) {
                        printf("smaps %s: %" PRIu64 " gone, %" PRIu64 " refused, %" PRIu64 " errors\n", smodes[m].name,
                               ty->gone, ty->refused, ty->bad);
                        ret = -EIO;
                }
        }
        printf("\n");
        fflush(stdout);
out:
        for (int m = 0; m < S__COUNT; m++)
                free(us[m]);
        free(tmp);
        free(ttl);
        free(ttl_floor);
        nprocfs_rec_free(s.rec);
        nprocfs_close(s.ctx);
        reap_mapped();
        return ret;
}

/* ---- one test: interleaved rounds -------------------------------------- */

static int run_test(struct bench *b, enum test t, unsigned rounds, unsigned sample_ms, struct trace *tr,
                    unsigned trace_ms) {
        size_t sel[NMODES], nsel = 0, base = SIZE_MAX, cache = SIZE_MAX;
        unsigned long reps[NMODES];
        double *us[NMODES] = { 0 }, *tmp = NULL, items_min = 1e300, items_max = 0;
        int ret = -ENOMEM;

        for (size_t i = 0; i < NMODES; i++)
                if (modes[i].test == t && b->fd[modes[i].where] >= 0) {
                        if (modes[i].where == W_NULL)
                                base = nsel;
                        if (modes[i].where == W_NULL_CACHE)
                                cache = nsel;
                        sel[nsel++] = i;
                }
        if (base == SIZE_MAX) {
                fprintf(stderr, "%s: needs --nullfs\n", test_names[t]);
                return -EINVAL;
        }
        for (size_t k = 0; k < nsel; k++)
                if (!(us[k] = calloc(rounds, sizeof(double))))
                        goto out;
        if (!(tmp = calloc(rounds, sizeof(double))))
                goto out;

        /* every mode once, then each sized to last sample_ms (the best of
         * three, so that one preemption does not count) */
        for (size_t k = 0; k < nsel; k++)
                run_op(b, sel[k]);
        for (size_t k = 0; k < nsel; k++) {
                uint64_t best = UINT64_MAX;
                for (int i = 0; i < 3; i++) {
                        uint64_t t0 = bench_now_ns(), d;
                        run_op(b, sel[k]);
                        d = bench_now_ns() - t0;
                        if (d < best)
                                best = d;
                }
                reps[k] = (unsigned long)((uint64_t)sample_ms * 1000000 / (best ? best : 1)) + 1;
        }
        memset(b->tally, 0, sizeof(b->tally));

        for (unsigned rd = 0; rd < rounds; rd++)
                for (size_t j = 0; j < nsel; j++) {
                        size_t k = (j + rd) % nsel;
                        uint64_t t0, d;
                        long items = 0;
                        /* a scan is timed in the steady state of a scan
                         * loop: right after another, whatever the modes
                         * before it left in the kernel's caches */
                        if (t == T_SCAN)
                                run_op(b, sel[k]);
                        t0 = bench_now_ns();
                        for (unsigned long i = 0; i < reps[k]; i++)
                                items += run_op(b, sel[k]);
                        d = bench_now_ns() - t0;
                        us[k][rd] = items > 0 ? (double)d / 1e3 / (double)items : 0;
                        if (t == T_SCAN && modes[sel[k]].where != W_PROC) {
                                double per = (double)items / (double)reps[k];
                                if (per < items_min)
                                        items_min = per;
                                if (per > items_max)
                                        items_max = per;
                        }
                }

        if (t == T_SCAN)
                printf("scan: %.0f..%.0f processes listed per scan through the mounts\n", items_min, items_max);
        printf("%-5s %-13s %10s %9s  %-15s %s\n", "test", "mode", t == T_SCAN ? "us/process" : "us/op", "x nullfs",
               "x nullfs q1..q3", "what");
        for (size_t k = 0; k < nsel; k++) {
                double med, q1, q3, ratio;
                memcpy(tmp, us[k], rounds * sizeof(double));
                med = bench_quantile(tmp, rounds, 0.5);
                for (unsigned r = 0; r < rounds; r++)
                        tmp[r] = us[base][r] > 0 ? us[k][r] / us[base][r] : 0;
                q1 = bench_quantile(tmp, rounds, 0.25);
                q3 = bench_quantile(tmp, rounds, 0.75);
                ratio = bench_quantile(tmp, rounds, 0.5);
                printf("%-5s %-13s %10.3f %9.3f  %6.3f..%-7.3f %s\n", test_names[t], modes[sel[k]].name, med, ratio, q1,
                       q3, modes[sel[k]].what);
        }
        /* the same against the page-cache configuration, the base of the
         * scan's target: "vs <test> <mode> nullfs-cache <ratio> <q1..q3>" */
        for (size_t k = 0; cache != SIZE_MAX && k < nsel; k++) {
                for (unsigned r = 0; r < rounds; r++)
                        tmp[r] = us[cache][r] > 0 ? us[k][r] / us[cache][r] : 0;
                printf("vs    %-5s %-13s nullfs-cache %6.3f  %.3f..%.3f\n", test_names[t], modes[sel[k]].name,
                       bench_quantile(tmp, rounds, 0.5), bench_quantile(tmp, rounds, 0.25),
                       bench_quantile(tmp, rounds, 0.75));
        }
        printf("%s: %u rounds, interleaved; samples of at least %u ms (", test_names[t], rounds, sample_ms);
        for (size_t k = 0; k < nsel; k++)
                printf("%s%s %lu", k ? ", " : "", modes[sel[k]].name, reps[k]);
        printf(" %s per sample%s)\n", t == T_SCAN ? "scans" : "ops",
               t == T_SCAN ? ", each sample right after one untimed scan" : "");
        for (size_t k = 0; k < nsel; k++) {
                const struct tally *ty = &b->tally[sel[k]];
                if (ty->gone || ty->refused || ty->bad)
                        printf("%s %s: %" PRIu64 " reads of exited processes, %" PRIu64 " refused, %" PRIu64
                               " errors\n",
                               test_names[t], modes[sel[k]].name, ty->gone, ty->refused, ty->bad);
        }
        ret = 0;
        for (size_t k = 0; k < nsel; k++)
                if (b->tally[sel[k]].bad > 0 || (t != T_SCAN && b->tally[sel[k]].gone > 0))
                        ret = -EIO;
        if (tr && tr->inst)
                for (size_t k = 0; k < nsel; k++)
                        if (modes[sel[k]].where != W_PROC)
                                trace_mode(b, tr, sel[k], trace_ms);
        printf("\n");
        fflush(stdout);
out:
        for (size_t k = 0; k < nsel; k++)
                free(us[k]);
        free(tmp);
        return ret;
}

/* ---- options and main ---------------------------------------------------- */

static void usage(const char *argv0) {
        printf("Usage: %s [options]\n"
               "Reads through FUSE mounts made beforehand (bench/fs/run.sh makes them) and prints\n"
               "microseconds per operation and the ratio to the do-nothing filesystem.\n\n"
               "  --nullfs DIR         nprocfs-bench-nullfs, plain (required but for --tests walk)\n"
               "  --nullfs-cache DIR   nullfs -o keep_cache (a second base: \"vs\" lines)\n"
               "  --nullfs-best DIR    nullfs -o entry_timeout=3600,attr_timeout=3600,keep_cache,noflush\n"
               "  --nullfs-t0 DIR      nullfs -o entry_timeout=0,attr_timeout=0\n"
               "  --nprocfs DIR        nprocfs, default ttl\n"
               "  --nprocfs-cold DIR   nprocfs -o ttl=0\n"
               "  --tests LIST         read,stat,scan (default), walk or smaps, comma-separated\n"
               "  --entry-pid PID      read and stat: whose stat/utime_ns (default 1)\n"
               "  --rounds N           read and stat: interleaved rounds (default 31)\n"
               "  --sample-ms N        read and stat: a mode's sample lasts at least N ms (default 20)\n"
               "  --scan-rounds N      scan: rounds (default 15)\n"
               "  --scan-ms N          scan: a sample lasts at least N ms and one scan (default 200)\n"
               "  --spawn N            fork N extra sleeping processes first (killed at the end)\n"
               "  --cpu N              pin this process to CPU N\n"
               "  --trace DIR          a tracefs mount: count the FUSE requests of each mode\n"
               "  --trace-ms N         how long each mode is recorded (default 2000)\n"
               "  --daemon-pid PID     walk: the nprocfs daemon whose VmRSS is sampled\n"
               "  --first-pass-max N   walk: the first whole pass may last N seconds (default 1800)\n"
               "  --walk-seconds N     walk: how long the loop after it runs (default 600)\n"
               "  --every N            walk: sample every N seconds (default 30)\n"
               "  --idle-seconds N     walk: then the daemon's CPU use, idle, over N s (default 10)\n"
               "  --mappings N         smaps: the mappings of the process it reads (default 2000)\n"
               "  --ttl-ms N           smaps: the --nprocfs daemon's ttl (default 1000)\n"
               "  --ttl-samples N      smaps: reads after sleeping past it (default 11)\n",
               argv0);
}

static int parse_tests(const char *arg, bool sel[T__COUNT]) {
        memset(sel, 0, T__COUNT * sizeof(bool));
        for (const char *p = arg; *p;) {
                size_t len = strcspn(p, ",");
                int t;
                for (t = 0; t < T__COUNT; t++)
                        if (strlen(test_names[t]) == len && memcmp(test_names[t], p, len) == 0)
                                break;
                if (t == T__COUNT) {
                        fprintf(stderr, "--tests: read, stat, scan, walk, smaps, comma-separated\n");
                        return -EINVAL;
                }
                sel[t] = true;
                p += len;
                if (*p == ',')
                        p++;
        }
        return 0;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *ret) {
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || *end || end == s || s[0] == '-' || v > max)
                return -EINVAL;
        *ret = v;
        return 0;
}

/* An O_PATH dirfd of a FUSE mount's root (or /proc). */
static int open_root(const char *dir, bool fuse) {
        struct statfs sf;
        int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0) {
                fprintf(stderr, "%s: %s\n", dir, strerror(errno));
                return -1;
        }
        if (fuse && (fstatfs(fd, &sf) < 0 || sf.f_type != FUSE_SUPER_MAGIC)) {
                fprintf(stderr, "%s: not a FUSE mount\n", dir);
                close(fd);
                return -1;
        }
        return fd;
}

int main(int argc, char **argv) {
        enum {
                OPT_ROUNDS = 256,
                OPT_SAMPLE,
                OPT_SCAN_ROUNDS,
                OPT_SCAN_MS,
                OPT_SPAWN,
                OPT_CPU,
                OPT_TRACE,
                OPT_TRACE_MS,
                OPT_DAEMON,
                OPT_WALK_S,
                OPT_EVERY,
                OPT_FIRST,
                OPT_ENTRY,
                OPT_IDLE,
                OPT_TESTS,
                OPT_MAPPINGS,
                OPT_TTL,
                OPT_TTL_SAMPLES,
                OPT_WHERE
        };
        static const struct option opts[] = {
                { "nullfs", required_argument, NULL, OPT_WHERE + W_NULL },
                { "nullfs-cache", required_argument, NULL, OPT_WHERE + W_NULL_CACHE },
                { "nullfs-best", required_argument, NULL, OPT_WHERE + W_NULL_BEST },
                { "nullfs-t0", required_argument, NULL, OPT_WHERE + W_NULL_T0 },
                { "nprocfs", required_argument, NULL, OPT_WHERE + W_NP },
                { "nprocfs-cold", required_argument, NULL, OPT_WHERE + W_NP_COLD },
                { "tests", required_argument, NULL, OPT_TESTS },
                { "rounds", required_argument, NULL, OPT_ROUNDS },
                { "sample-ms", required_argument, NULL, OPT_SAMPLE },
                { "scan-rounds", required_argument, NULL, OPT_SCAN_ROUNDS },
                { "scan-ms", required_argument, NULL, OPT_SCAN_MS },
                { "spawn", required_argument, NULL, OPT_SPAWN },
                { "cpu", required_argument, NULL, OPT_CPU },
                { "trace", required_argument, NULL, OPT_TRACE },
                { "trace-ms", required_argument, NULL, OPT_TRACE_MS },
                { "daemon-pid", required_argument, NULL, OPT_DAEMON },
                { "walk-seconds", required_argument, NULL, OPT_WALK_S },
                { "every", required_argument, NULL, OPT_EVERY },
                { "entry-pid", required_argument, NULL, OPT_ENTRY },
                { "idle-seconds", required_argument, NULL, OPT_IDLE },
                { "first-pass-max", required_argument, NULL, OPT_FIRST },
                { "mappings", required_argument, NULL, OPT_MAPPINGS },
                { "ttl-ms", required_argument, NULL, OPT_TTL },
                { "ttl-samples", required_argument, NULL, OPT_TTL_SAMPLES },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct bench b = { .me = getpid() };
        struct trace tr = { 0 };
        const char *tracefs = NULL;
        bool tests[T__COUNT];
        unsigned long rounds = 31, sample_ms = 20, scan_rounds = 15, scan_ms = 200, spawn = 0, cpu = ULONG_MAX,
                      trace_ms = 2000, daemon = 0, walk_s = 600, every = 30, first_max = 1800, entry_pid = 1,
                      idle_s = 10, mappings = 2000, ttl_ms = 1000, ttl_samples = 11;
        struct utsname un;
        int c, ret = 1;

        for (int w = 0; w < W__COUNT; w++)
                b.fd[w] = -1;
        parse_tests("read,stat,scan", tests);
        while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0) {
                unsigned long *num = NULL, max = ULONG_MAX;
                switch (c) {
                case 'h':
                        usage(argv[0]);
                        return 0;
                case OPT_TESTS:
                        if (parse_tests(optarg, tests) < 0)
                                return 2;
                        continue;
                case OPT_TRACE:
                        tracefs = optarg;
                        continue;
                case OPT_ROUNDS:
                        num = &rounds, max = ROUNDS_MAX;
                        break;
                case OPT_SCAN_ROUNDS:
                        num = &scan_rounds, max = ROUNDS_MAX;
                        break;
                case OPT_SAMPLE:
                        num = &sample_ms, max = 10000;
                        break;
                case OPT_SCAN_MS:
                        num = &scan_ms, max = 60000;
                        break;
                case OPT_SPAWN:
                        num = &spawn, max = SPAWN_MAX;
                        break;
                case OPT_CPU:
                        num = &cpu, max = CPU_SETSIZE - 1;
                        break;
                case OPT_TRACE_MS:
                        num = &trace_ms, max = 60000;
                        break;
                case OPT_DAEMON:
                        num = &daemon, max = INT_MAX;
                        break;
                case OPT_WALK_S:
                        num = &walk_s, max = 86400;
                        break;
                case OPT_EVERY:
                        num = &every, max = 86400;
                        break;
                case OPT_IDLE:
                        num = &idle_s, max = 3600;
                        break;
                case OPT_ENTRY:
                        num = &entry_pid, max = INT_MAX;
                        break;
                case OPT_FIRST:
                        num = &first_max, max = 86400;
                        break;
                case OPT_MAPPINGS:
                        num = &mappings, max = 1000000;
                        break;
                case OPT_TTL:
                        num = &ttl_ms, max = 3600000;
                        break;
                case OPT_TTL_SAMPLES:
                        num = &ttl_samples, max = ROUNDS_MAX;
                        break;
                default:
                        if (c >= OPT_WHERE && c < OPT_WHERE + W__COUNT) {
                                b.dir[c - OPT_WHERE] = optarg;
                                continue;
                        }
                        return 2;
                }
                if (parse_ulong(optarg, max, num) < 0) {
                        fprintf(stderr, "%s: not a number up to %lu: %s\n", argv[0], max, optarg);
                        return 2;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "%s: unexpected argument %s\n", argv[0], argv[optind]);
                return 2;
        }
        if (rounds == 0 || scan_rounds == 0 || every == 0 || entry_pid == 0) {
                fprintf(stderr, "%s: --rounds, --scan-rounds, --every and --entry-pid must be at least 1\n", argv[0]);
                return 2;
        }
        if (tests[T_WALK] && (!b.dir[W_NP] || daemon == 0)) {
                fprintf(stderr, "%s: --tests walk needs --nprocfs and --daemon-pid\n", argv[0]);
                return 2;
        }
        if (tests[T_SMAPS] && !b.dir[W_NP]) {
                fprintf(stderr, "%s: --tests smaps needs --nprocfs\n", argv[0]);
                return 2;
        }
        if ((tests[T_READ] || tests[T_STAT] || tests[T_SCAN]) && !b.dir[W_NULL]) {
                fprintf(stderr, "%s: read, stat and scan need --nullfs (the ratios' base)\n", argv[0]);
                return 2;
        }

        b.entry_pid = (pid_t)entry_pid;
        b.ticks = sysconf(_SC_CLK_TCK);
        if (b.ticks <= 0 || 1000000000 % b.ticks != 0)
                b.ticks = 100;
        snprintf(b.entry, sizeof(b.entry), "%d/stat/utime_ns", (int)b.entry_pid);
        snprintf(b.proc_entry, sizeof(b.proc_entry), "%d/stat", (int)b.entry_pid);
        b.dir[W_PROC] = "/proc";
        for (int w = 0; w < W__COUNT; w++)
                if (b.dir[w] && (b.fd[w] = open_root(b.dir[w], w != W_PROC)) < 0)
                        goto out;
        if (cpu != ULONG_MAX) {
                cpu_set_t set;
                CPU_ZERO(&set);
                CPU_SET((int)cpu, &set);
                if (sched_setaffinity(0, sizeof(set), &set) < 0) {
                        perror("--cpu");
                        goto out;
                }
        }
        {
                struct sigaction sa = { .sa_handler = on_signal };
                sigemptyset(&sa.sa_mask);
                sigaction(SIGINT, &sa, NULL);
                sigaction(SIGTERM, &sa, NULL);
                sigaction(SIGHUP, &sa, NULL);
        }
        if (tracefs && !tests[T_WALK] && trace_open(&tr, tracefs, b.me) < 0)
                fprintf(stderr, "--trace: going on without request counts\n");
        if (bench_spawn(spawn) < 0)
                goto out;

        uname(&un);
        {
                double load = -1;
                FILE *f = fopen("/proc/loadavg", "re");
                if (f) {
                        if (fscanf(f, "%lf", &load) != 1)
                                load = -1;
                        fclose(f);
                }
                printf("nprocfs-bench-fs: %ld tasks (%lu spawned), kernel %s, %ld CPUs, load %.2f, pid %d\n",
                       bench_tasks_now(), spawn, un.release, sysconf(_SC_NPROCESSORS_ONLN), load, (int)b.me);
        }
        if (tests[T_READ] || tests[T_STAT])
                printf("  read and stat: %s\n", b.entry);
        for (int w = 1; w < W__COUNT; w++)
                if (b.dir[w])
                        printf("  --%-13s %s: %s\n", wheres[w].opt, b.dir[w], wheres[w].what);
        printf("\n");
        fflush(stdout);

        ret = 0;
        if (tests[T_READ] && run_test(&b, T_READ, (unsigned)rounds, (unsigned)sample_ms, &tr, (unsigned)trace_ms) < 0)
                ret = 1;
        if (tests[T_STAT] && run_test(&b, T_STAT, (unsigned)rounds, (unsigned)sample_ms, &tr, (unsigned)trace_ms) < 0)
                ret = 1;
        if (tests[T_SCAN] &&
            run_test(&b, T_SCAN, (unsigned)scan_rounds, (unsigned)scan_ms, &tr, (unsigned)trace_ms) < 0)
                ret = 1;
        if (tests[T_SMAPS] && run_smaps(&b, (size_t)mappings, (unsigned)rounds, (unsigned)sample_ms, (unsigned)ttl_ms,
                                        (unsigned)ttl_samples) != 0)
                ret = 1;
        if (tests[T_WALK] &&
            run_walk(&b, (pid_t)daemon, (unsigned)first_max, (unsigned)walk_s, (unsigned)every, (unsigned)idle_s) != 0)
                ret = 1;
out:
        bench_reap();
        trace_close(&tr);
        for (int w = 0; w < W__COUNT; w++)
                if (b.fd[w] >= 0)
                        close(b.fd[w]);
        free(b.pids);
        sink = b.sum;
        return ret;
}
