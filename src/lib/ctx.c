/* The context: one proc root, opened once as a directory fd, through which
 * every read is resolved. The root is untrusted (it may be a stranger's
 * snapshot, or a container's /proc with its own mounts on it), so reads use
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): a link can never lead
 * out of it. Only regular files are read, none blocks the open (O_NONBLOCK),
 * and none costs more memory than the size limit allows (read_all). */
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "internal.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

struct nprocfs_ctx {
        int root_fd;
        bool live; /* the root is a procfs mount */
        bool no_openat2;
        size_t max_file;
        struct nprocfs_env env;
};

static int sys_openat2(int dirfd, const char *path, int flags, uint64_t resolve) {
        struct open_how how = { .flags = (uint64_t)flags, .resolve = resolve };
        return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* Fallback for kernels before 5.6: component by component, refusing every
 * link and "..", which is stricter than RESOLVE_IN_ROOT but never escapes. */
static int open_beneath_slow(int root, const char *path, int flags) {
        char comp[256];
        int dir = root, fd;

        /* the root itself */
        if (strcmp(path, ".") == 0 || path[strspn(path, "/")] == 0) {
                fd = openat(root, ".", flags);
                return fd < 0 ? -errno : fd;
        }
        for (;;) {
                const char *slash;
                size_t n;

                while (*path == '/')
                        path++;
                slash = strchr(path, '/');
                n = slash ? (size_t)(slash - path) : strlen(path);
                if (n == 0 || n >= sizeof(comp))
                        fd = -EINVAL;
                else {
                        memcpy(comp, path, n);
                        comp[n] = 0;
                        if (strcmp(comp, "..") == 0 || strcmp(comp, ".") == 0)
                                fd = -EPERM;
                        else {
                                fd = openat(dir, comp,
                                            slash ? O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC : flags | O_NOFOLLOW);
                                if (fd < 0)
                                        fd = -errno;
                        }
                }
                if (dir != root)
                        close(dir);
                if (fd < 0 || !slash)
                        return fd;
                dir = fd;
                path = slash + 1;
        }
}

static int open_in_root(nprocfs_ctx *ctx, const char *path, int flags) {
        int fd;

        if (!ctx->no_openat2) {
                fd = sys_openat2(ctx->root_fd, path, flags | O_CLOEXEC, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
                if (fd >= 0)
                        return fd;
                if (errno != ENOSYS)
                        return errno == ESRCH ? -ENOENT : -errno;
                ctx->no_openat2 = true;
        }
        return open_beneath_slow(ctx->root_fd, path, flags | O_CLOEXEC);
}

int nprocfs_open_path(nprocfs_ctx *ctx, const char *path, int flags) {
        return open_in_root(ctx, path, flags);
}

/* A buffer bigger than this is not kept after a failed read: a refused
 * source (a stream that never ends, a file over the limit) must not leave
 * max_file bytes behind in every record that met it. Smaller ones stay, so
 * that a scan meeting exited processes does not allocate again. */
#define KEEP_AFTER_FAILURE (1u << 20)

static ssize_t read_some(int fd, void *p, size_t n) {
        for (;;) {
                ssize_t r = read(fd, p, n);
                if (r >= 0)
                        return r;
                if (errno != EINTR)
                        return errno == ESRCH ? -ENOENT : -errno;
        }
}

/* Reads fd to its end into *buf, NUL-terminated. size is the file's own
 * size where it has one (a snapshot's file), else 0 (procfs says 0): the
 * buffer is made that big at once. The buffer never grows past max + 1, so
 * that a source that does not end costs no more than the largest one
 * allowed; a file of exactly max bytes fills it and sees its end by one more
 * read, into a byte of the stack. A vanished process (ESRCH) is -ENOENT. */
static ssize_t read_all(int fd, size_t max, size_t size, char **buf, size_t *cap) {
        size_t limit = max < SIZE_MAX ? max + 1 : max, want = size < 4095 ? 4096 : size + 1, len = 0;
        ssize_t n;

        if (want > limit)
                want = limit;
        if (*cap < want || !*buf) {
                char *b = realloc(*buf, want);
                if (!b)
                        return -ENOMEM;
                *buf = b;
                *cap = want;
        }
        for (;;) {
                if (len + 1 >= *cap) {
                        size_t ncap = *cap > limit / 2 ? limit : *cap * 2;
                        char *b, c;

                        if (*cap >= limit) {
                                /* full at max bytes: the end, or one too many */
                                n = read_some(fd, &c, 1);
                                if (n < 0)
                                        return n;
                                if (n > 0)
                                        return -EFBIG;
                                break;
                        }
                        b = realloc(*buf, ncap);
                        if (!b)
                                return -ENOMEM;
                        *buf = b;
                        *cap = ncap;
                }
                n = read_some(fd, *buf + len, *cap - len - 1);
                if (n < 0)
                        return n;
                if (n == 0)
                        break;
                len += (size_t)n;
                if (len > max)
                        return -EFBIG; /* a buffer from before a lower limit */
        }
        (*buf)[len] = 0;
        return (ssize_t)len;
}

/* Opens a source file for reading; *ret_size is its size where it has one.
 *
 * The careful way, for every root: the file is first opened as a path only
 * (O_PATH opens no FIFO and no device) and checked. Opening a FIFO for
 * reading blocks until a writer comes, and reading it blocks until it
 * writes; opening a device can act on its own (a watchdog, a tape, a
 * modem line) and the daemon, as root, may open devices the container that
 * put one there may not; a directory reads as nothing. So only a regular
 * file is opened for reading, through its O_PATH descriptor (the very file
 * checked, not its name again), and one whose size is over the limit is
 * refused before a byte is allocated.
 *
 * The quick way, on a live root: a procfs mount holds no FIFO, socket or
 * device, and opening its files does nothing but open them, so a file on
 * the root's own mount is opened directly, in the one syscall the read
 * needs anyway (the careful way costs three more: fstat, the reopen through
 * /proc/self/fd, close). Whatever else a live root shows got there by a
 * mount: a container's bind mount over its /proc/meminfo, lxcfs, Docker's
 * read-only /proc/sys. RESOLVE_NO_XDEV refuses to cross one (EXDEV), and
 * those take the careful way. O_NONBLOCK still keeps /proc/kmsg's kind
 * from waiting. */
/* The kernel's refusal to open a regular file of the root, as a reader sees
 * it: ESRCH is a process that is gone, and so is EINVAL, which is how the
 * kernel refuses a file the process no longer has what for: mountinfo (and
 * mounts, mountstats) of a zombie, whose mount namespace is gone. */
static int open_errno(int e) {
        return e == ESRCH || e == EINVAL ? -ENOENT : -e;
}

/* "/proc/self/fd/<fd>" into buf (32 bytes): by hand, as snprintf() costs
 * more than the rest of the open. */
static void fd_path(char *buf, int fd) {
        char digits[12];
        size_t n = 0;
        unsigned v = (unsigned)fd;

        memcpy(buf, "/proc/self/fd/", 14);
        do
                digits[n++] = (char)('0' + v % 10);
        while ((v /= 10) > 0);
        for (size_t i = 0; i < n; i++)
                buf[14 + i] = digits[n - 1 - i];
        buf[14 + n] = 0;
}

static int open_source(nprocfs_ctx *ctx, const char *path, uint64_t max, size_t *ret_size) {
        char self[32];
        struct stat st;
        int pfd, fd;

        if (ctx->live && !ctx->no_openat2) {
                fd = sys_openat2(ctx->root_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                                 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
                if (fd >= 0) {
                        *ret_size = 0;
                        return fd;
                }
                /* ENOSYS: the careful way falls back to the old kernels' walk */
                if (errno != EXDEV && errno != ENOSYS)
                        return open_errno(errno);
        }
        pfd = open_in_root(ctx, path, O_PATH);
        if (pfd < 0)
                return pfd;
        if (fstat(pfd, &st) < 0)
                fd = errno == ESRCH ? -ENOENT : -errno;
        else if (!S_ISREG(st.st_mode))
                fd = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
        else if ((uint64_t)st.st_size > max)
                fd = -EFBIG;
        else {
                fd_path(self, pfd);
                fd = open(self, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                if (fd < 0)
                        fd = open_errno(errno);
                else
                        *ret_size = (size_t)st.st_size;
        }
        close(pfd);
        return fd;
}

static ssize_t read_path(nprocfs_ctx *ctx, const char *path, char **buf, size_t *cap) {
        size_t size = 0;
        ssize_t n;
        int fd = open_source(ctx, path, ctx->max_file, &size);

        if (fd < 0)
                return fd;
        n = read_all(fd, ctx->max_file, size, buf, cap);
        close(fd);
        if (n < 0 && *cap > KEEP_AFTER_FAILURE) {
                free(*buf);
                *buf = NULL;
                *cap = 0;
        }
        return n;
}

ssize_t nprocfs_read_path(nprocfs_ctx *ctx, const char *path, char **buf, size_t *cap) {
        return read_path(ctx, path, buf, cap);
}

ssize_t np_ctx_read_whole(nprocfs_ctx *ctx, const char *path, struct nprocfs_rec *rec) {
        ssize_t n = read_path(ctx, path, &rec->buf, &rec->cap);

        rec->len = n < 0 ? 0 : (size_t)n;
        if (rec->buf)
                rec->buf[rec->len] = 0;
        return n;
}

ssize_t np_ctx_read_into(nprocfs_ctx *ctx, const char *path, struct nprocfs_rec *rec) {
        return rec->schema->read ? rec->schema->read(ctx, path, rec) : np_ctx_read_whole(ctx, path, rec);
}

int np_ctx_open_file(nprocfs_ctx *ctx, const char *path, uint64_t max, size_t *ret_size) {
        size_t size = 0;
        int fd = open_source(ctx, path, max, &size);

        if (fd >= 0)
                *ret_size = size;
        return fd;
}

/* ---- machine constants ---------------------------------------------- */

/* ROOT/.nprocfs-machine: "key=value" lines a snapshot carries. Unknown keys
 * and values out of range are ignored: the running system's stay. */
void np_machine_parse(const char *buf, size_t len, struct nprocfs_env *env) {
        for (const char *p = buf, *end = buf + len; p < end;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *le = nl ? nl : end, *eq = memchr(p, '=', (size_t)(le - p));
                uint64_t v;

                if (eq && nprocfs_parse_u64(eq + 1, (size_t)(le - eq - 1), &v) == 0 && v > 0) {
                        size_t kl = (size_t)(eq - p);
                        if (kl == 9 && memcmp(p, "page_size", 9) == 0 && v <= (UINT64_C(1) << 30))
                                env->page_size = v;
                        else if (kl == 16 && memcmp(p, "ticks_per_second", 16) == 0 && v <= 1000000000)
                                env->ticks_per_second = v;
                }
                p = nl ? nl + 1 : end;
        }
}

static void load_machine_file(nprocfs_ctx *ctx) {
        _cleanup_free_ char *buf = NULL;
        size_t cap = 0;
        ssize_t n = read_path(ctx, ".nprocfs-machine", &buf, &cap);

        if (n > 0)
                np_machine_parse(buf, (size_t)n, &ctx->env);
}

static void load_boot_time(nprocfs_ctx *ctx) {
        struct nprocfs_sys_stat st = NPROCFS_REC_INIT(sys_stat);

        if (nprocfs_rec_read(ctx, &st.rec, 0, 0) >= 0 && NPROCFS_HAS(&st, sys_stat, btime_unix_ns))
                ctx->env.boot_time_unix_ns = st.btime_unix_ns;
        nprocfs_rec_release(&st.rec);
}

int nprocfs_open(const char *root, unsigned flags, nprocfs_ctx **ret) {
        nprocfs_ctx *ctx;
        struct statfs sfs;
        long v;

        ctx = calloc(1, sizeof(*ctx));
        if (!ctx)
                return -ENOMEM;
        ctx->root_fd = open(root ? root : "/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (ctx->root_fd < 0) {
                int r = -errno;
                free(ctx);
                return r;
        }
        ctx->live = fstatfs(ctx->root_fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
        ctx->max_file = 64u << 20;
        v = sysconf(_SC_PAGESIZE);
        ctx->env.page_size = v > 0 ? (uint64_t)v : 4096;
        v = sysconf(_SC_CLK_TCK);
        ctx->env.ticks_per_second = v > 0 ? (uint64_t)v : 100;
        if (!ctx->live && !(flags & NPROCFS_OPEN_LIVE))
                load_machine_file(ctx);
        load_boot_time(ctx);
        *ret = ctx;
        return 0;
}

void nprocfs_close(nprocfs_ctx *ctx) {
        if (!ctx)
                return;
        close(ctx->root_fd);
        free(ctx);
}

const struct nprocfs_env *nprocfs_ctx_env(const nprocfs_ctx *ctx) {
        return &ctx->env;
}

int nprocfs_ctx_root_fd(const nprocfs_ctx *ctx) {
        return ctx->root_fd;
}

bool nprocfs_ctx_is_live(const nprocfs_ctx *ctx) {
        return ctx->live;
}

void np_ctx_disable_openat2(nprocfs_ctx *ctx) {
        ctx->no_openat2 = true;
}

size_t np_ctx_max_file(const nprocfs_ctx *ctx) {
        return ctx->max_file;
}

void nprocfs_ctx_set_max_file(nprocfs_ctx *ctx, size_t max) {
        ctx->max_file = max;
}

/* ---- processes ------------------------------------------------------- */

static int cmp_pid(const void *a, const void *b) {
        pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
        return (x > y) - (x < y);
}

/* Numeric entries of a directory inside the root. */
static int list_numeric(nprocfs_ctx *ctx, const char *path, pid_t **ret, size_t *ret_n) {
        _cleanup_free_ pid_t *v = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        DIR *d;
        int fd;

        fd = open_in_root(ctx, path, O_RDONLY | O_DIRECTORY);
        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d) {
                int r = -errno;
                close(fd);
                return r;
        }
        while ((errno = 0, de = readdir(d))) {
                uint64_t x;
                if (nprocfs_parse_u64(de->d_name, strlen(de->d_name), &x) < 0 || x == 0 || x > INT32_MAX)
                        continue;
                if (n == cap) {
                        size_t nc = cap ? cap * 2 : 256;
                        pid_t *p = realloc(v, nc * sizeof(*p));
                        if (!p) {
                                closedir(d);
                                return -ENOMEM;
                        }
                        v = p;
                        cap = nc;
                }
                v[n++] = (pid_t)x;
        }
        if (errno) {
                int r = errno == ESRCH ? -ENOENT : -errno;
                closedir(d);
                return r;
        }
        closedir(d);
        if (n > 0)
                qsort(v, n, sizeof(*v), cmp_pid);
        *ret = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

int nprocfs_pids(nprocfs_ctx *ctx, pid_t **ret, size_t *ret_n) {
        return list_numeric(ctx, ".", ret, ret_n);
}

int nprocfs_tids(nprocfs_ctx *ctx, pid_t pid, pid_t **ret, size_t *ret_n) {
        char path[32];

        if (pid <= 0)
                return -ENOENT;
        snprintf(path, sizeof(path), "%d/task", (int)pid);
        return list_numeric(ctx, path, ret, ret_n);
}

int nprocfs_self(nprocfs_ctx *ctx, pid_t *ret) {
        char buf[32];
        uint64_t v;
        ssize_t n;

        if (ctx->live) {
                /* the root's pid namespace may not be ours: ask it */
                n = readlinkat(ctx->root_fd, "self", buf, sizeof(buf) - 1);
                if (n > 0 && nprocfs_parse_u64(buf, (size_t)n, &v) == 0 && v > 0 && v <= INT32_MAX) {
                        *ret = (pid_t)v;
                        return 0;
                }
                *ret = getpid();
                return 0;
        }
        n = readlinkat(ctx->root_fd, "self", buf, sizeof(buf) - 1);
        if (n < 0)
                return errno == EINVAL ? -EIO : -errno;
        if (nprocfs_parse_u64(buf, (size_t)n, &v) < 0 || v == 0 || v > INT32_MAX)
                return -EIO;
        *ret = (pid_t)v;
        return 0;
}

int nprocfs_proc_exists(nprocfs_ctx *ctx, pid_t pid, pid_t tid) {
        char path[48];
        int fd;

        if (pid <= 0 || tid < 0)
                return -ENOENT;
        if (tid > 0)
                snprintf(path, sizeof(path), "%d/task/%d", (int)pid, (int)tid);
        else
                snprintf(path, sizeof(path), "%d", (int)pid);
        fd = open_in_root(ctx, path, O_PATH | O_DIRECTORY);
        if (fd < 0)
                return fd == -ENOTDIR ? -ENOENT : fd;
        close(fd);
        return 0;
}

int nprocfs_proc_owner(nprocfs_ctx *ctx, pid_t pid, uid_t *ret_uid, gid_t *ret_gid) {
        char path[16];
        struct stat st;
        int fd;

        if (pid <= 0)
                return -ENOENT;
        snprintf(path, sizeof(path), "%d", (int)pid);
        fd = open_in_root(ctx, path, O_PATH | O_DIRECTORY);
        if (fd < 0)
                return fd == -ENOTDIR ? -ENOENT : fd;
        if (fstat(fd, &st) < 0) {
                int r = errno == ESRCH ? -ENOENT : -errno;
                close(fd);
                return r;
        }
        close(fd);
        *ret_uid = st.st_uid;
        *ret_gid = st.st_gid;
        return 0;
}

int nprocfs_kernel_version(nprocfs_ctx *ctx, struct nprocfs_kver *ret) {
        struct nprocfs_sys_osrelease o = NPROCFS_REC_INIT(sys_osrelease);
        int r = nprocfs_rec_read(ctx, &o.rec, 0, 0);

        if (r >= 0) {
                if (o.major > UINT32_MAX || o.minor > UINT32_MAX || o.patch > UINT32_MAX)
                        r = -EIO;
                else
                        *ret = (struct nprocfs_kver){ (unsigned)o.major, (unsigned)o.minor, (unsigned)o.patch };
        }
        nprocfs_rec_release(&o.rec);
        return r;
}
