/* nprocfs-bench-nullfs: the floor for any FUSE read on this kernel.
 *
 * A low-level libfuse3 filesystem that does nothing but answer, in the
 * shape of the nprocfs tree the fs benchmark reads:
 *
 *   /                   one directory per pid of the live /proc, listed by
 *                       a readdir of /proc at every listing from offset 0
 *   <pid>/stat/         the 8 names of the benchmark's scan
 *   <pid>/stat/<name>   the constant "12345\n"
 *
 * Lookup finds any decimal pid, live or not: only a listing reads /proc.
 * There is no inode table: an inode number is pid << 4 | slot, so every
 * request is a decode and a reply.
 *
 * Its plain configuration is libfuse's defaults: names and attributes kept
 * 1 s, the page cache dropped at every open, FLUSH asked at every close
 * (flush is implemented and answers 0; a filesystem without it answers
 * ENOSYS once and is never asked again), st_size exact. The -o options
 * below change one of these each, to show what each costs. */
#define FUSE_USE_VERSION 312

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fuse_lowlevel.h>

#define VALUE "12345\n"

static const char *const value_names[] = {
        "pid", "comm", "state", "ppid", "utime_ns", "stime_ns", "vsize_bytes", "rss_bytes",
};
#define NVALUES (sizeof(value_names) / sizeof(value_names[0]))

/* The slot of an inode inside its pid: 0 is unused (pid 0, slot 1 would be
 * FUSE_ROOT_ID), values follow the stat directory. */
enum { SLOT_PID = 1, SLOT_STAT = 2, SLOT_VALUE = 3, SLOT_END = SLOT_VALUE + NVALUES };
_Static_assert(SLOT_END <= 16, "slots fit in 4 bits");

struct conf {
        double entry_timeout, attr_timeout;
        int keep_cache, noflush, direct_io;
        struct timespec started;
};

static const struct fuse_opt conf_spec[] = {
        { "entry_timeout=%lf", offsetof(struct conf, entry_timeout), 0 },
        { "attr_timeout=%lf", offsetof(struct conf, attr_timeout), 0 },
        { "keep_cache", offsetof(struct conf, keep_cache), 1 },
        { "noflush", offsetof(struct conf, noflush), 1 },
        { "direct_io", offsetof(struct conf, direct_io), 1 },
        FUSE_OPT_END,
};

/* A listing: the fuse_add_direntry records, made at offset 0. */
struct dirbuf {
        char *p;
        size_t size, cap;
};

static struct conf *conf_of(fuse_req_t req) {
        return fuse_req_userdata(req);
}

static fuse_ino_t ino_of(unsigned long pid, unsigned slot) {
        return (fuse_ino_t)pid << 4 | slot;
}

/* 0 and the attributes of ino, or -ENOENT. */
static int attr_of(const struct conf *c, fuse_ino_t ino, struct stat *st) {
        unsigned slot = (unsigned)(ino & 15);

        memset(st, 0, sizeof(*st));
        st->st_ino = ino;
        st->st_atim = st->st_mtim = st->st_ctim = c->started;
        st->st_blksize = 4096;
        if (ino == FUSE_ROOT_ID || slot == SLOT_PID || slot == SLOT_STAT) {
                st->st_mode = S_IFDIR | 0555;
                st->st_nlink = 2;
                return 0;
        }
        if (ino >> 4 == 0 || slot < SLOT_VALUE || slot >= SLOT_END)
                return -ENOENT;
        st->st_mode = S_IFREG | 0444;
        st->st_nlink = 1;
        st->st_size = sizeof(VALUE) - 1;
        st->st_blocks = 1;
        return 0;
}

/* A pid as /proc names it: decimal, no leading zero, at most INT_MAX. */
static unsigned long parse_pid(const char *s) {
        unsigned long v = 0;

        if (*s < '1' || *s > '9')
                return 0;
        for (; *s; s++) {
                if (*s < '0' || *s > '9' || v > (unsigned long)INT_MAX / 10)
                        return 0;
                v = v * 10 + (unsigned long)(*s - '0');
        }
        return v <= INT_MAX ? v : 0;
}

/* lookup: fuse_reply_entry, fuse_reply_err (ENOENT). */
static void nl_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
        const struct conf *c = conf_of(req);
        struct fuse_entry_param e = { .entry_timeout = c->entry_timeout, .attr_timeout = c->attr_timeout };
        unsigned slot = (unsigned)(parent & 15);

        if (parent == FUSE_ROOT_ID) {
                unsigned long pid = parse_pid(name);
                if (pid)
                        e.ino = ino_of(pid, SLOT_PID);
        } else if (slot == SLOT_PID && strcmp(name, "stat") == 0)
                e.ino = ino_of(parent >> 4, SLOT_STAT);
        else if (slot == SLOT_STAT)
                for (unsigned i = 0; i < NVALUES; i++)
                        if (strcmp(name, value_names[i]) == 0)
                                e.ino = ino_of(parent >> 4, SLOT_VALUE + i);
        if (e.ino == 0 || attr_of(c, e.ino, &e.attr) < 0) {
                fuse_reply_err(req, ENOENT);
                return;
        }
        fuse_reply_entry(req, &e);
}

/* getattr: fuse_reply_attr, fuse_reply_err (ENOENT). */
static void nl_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        const struct conf *c = conf_of(req);
        struct stat st;

        (void)fi;
        if (attr_of(c, ino, &st) < 0)
                fuse_reply_err(req, ENOENT);
        else
                fuse_reply_attr(req, &st, c->attr_timeout);
}

static int dirbuf_add(fuse_req_t req, struct dirbuf *b, const char *name, fuse_ino_t ino, mode_t mode) {
        struct stat st = { .st_ino = ino, .st_mode = mode };
        size_t need = fuse_add_direntry(req, NULL, 0, name, NULL, 0);

        if (b->size + need > b->cap) {
                size_t cap = b->cap ? b->cap * 2 : 4096;
                char *p;
                while (cap < b->size + need)
                        cap *= 2;
                if (!(p = realloc(b->p, cap)))
                        return -ENOMEM;
                b->p = p;
                b->cap = cap;
        }
        fuse_add_direntry(req, b->p + b->size, need, name, &st, (off_t)(b->size + need));
        b->size += need;
        return 0;
}

static int list_root(fuse_req_t req, struct dirbuf *b) {
        DIR *d = opendir("/proc");
        struct dirent *de;
        int r = 0;

        if (!d)
                return -errno;
        while (r == 0 && (de = readdir(d))) {
                unsigned long pid = parse_pid(de->d_name);
                if (pid)
                        r = dirbuf_add(req, b, de->d_name, ino_of(pid, SLOT_PID), S_IFDIR);
        }
        closedir(d);
        return r;
}

/* The listing of ino, made again. */
static int list(fuse_req_t req, fuse_ino_t ino, struct dirbuf *b) {
        unsigned slot = (unsigned)(ino & 15);
        int r;

        b->size = 0;
        r = dirbuf_add(req, b, ".", ino, S_IFDIR);
        if (r == 0)
                r = dirbuf_add(req, b, "..", FUSE_ROOT_ID, S_IFDIR);
        if (r < 0)
                return r;
        if (ino == FUSE_ROOT_ID)
                return list_root(req, b);
        if (slot == SLOT_PID)
                return dirbuf_add(req, b, "stat", ino_of(ino >> 4, SLOT_STAT), S_IFDIR);
        if (slot == SLOT_STAT) {
                for (unsigned i = 0; i < NVALUES && r == 0; i++)
                        r = dirbuf_add(req, b, value_names[i], ino_of(ino >> 4, SLOT_VALUE + i), S_IFREG);
                return r;
        }
        return -ENOTDIR;
}

/* opendir: fuse_reply_open, fuse_reply_err (ENOTDIR, ENOMEM). */
static void nl_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        struct dirbuf *b;
        unsigned slot = (unsigned)(ino & 15);

        if (ino != FUSE_ROOT_ID && slot != SLOT_PID && slot != SLOT_STAT) {
                fuse_reply_err(req, ENOTDIR);
                return;
        }
        if (!(b = calloc(1, sizeof(*b)))) {
                fuse_reply_err(req, ENOMEM);
                return;
        }
        fi->fh = (uintptr_t)b;
        if (fuse_reply_open(req, fi) != 0)
                free(b);
}

/* readdir: fuse_reply_buf, fuse_reply_err (ENOMEM, what opendir of /proc
 * says). */
static void nl_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
        struct dirbuf *b = (struct dirbuf *)(uintptr_t)fi->fh;

        if (off == 0) {
                int r = list(req, ino, b);
                if (r < 0) {
                        fuse_reply_err(req, -r);
                        return;
                }
        }
        if (off < 0 || (size_t)off >= b->size)
                fuse_reply_buf(req, NULL, 0);
        else
                fuse_reply_buf(req, b->p + off, b->size - (size_t)off < size ? b->size - (size_t)off : size);
}

/* releasedir: fuse_reply_err (0). */
static void nl_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        struct dirbuf *b = (struct dirbuf *)(uintptr_t)fi->fh;

        (void)ino;
        free(b->p);
        free(b);
        fuse_reply_err(req, 0);
}

/* open: fuse_reply_open, fuse_reply_err (EISDIR, EACCES). */
static void nl_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        const struct conf *c = conf_of(req);
        unsigned slot = (unsigned)(ino & 15);

        if (ino == FUSE_ROOT_ID || slot < SLOT_VALUE)
                fuse_reply_err(req, EISDIR);
        else if ((fi->flags & O_ACCMODE) != O_RDONLY)
                fuse_reply_err(req, EACCES);
        else {
                fi->keep_cache = c->keep_cache;
                fi->noflush = c->noflush;
                fi->direct_io = c->direct_io;
                fuse_reply_open(req, fi);
        }
}

/* read: fuse_reply_buf. */
static void nl_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
        static const char value[] = VALUE;
        size_t len = sizeof(value) - 1;

        (void)ino;
        (void)fi;
        if (off < 0 || (size_t)off >= len)
                fuse_reply_buf(req, NULL, 0);
        else
                fuse_reply_buf(req, value + off, len - (size_t)off < size ? len - (size_t)off : size);
}

/* flush, release: fuse_reply_err (0). */
static void nl_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        (void)ino;
        (void)fi;
        fuse_reply_err(req, 0);
}

static void nl_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        (void)ino;
        (void)fi;
        fuse_reply_err(req, 0);
}

static const struct fuse_lowlevel_ops nl_ops = {
        .lookup = nl_lookup,
        .getattr = nl_getattr,
        .opendir = nl_opendir,
        .readdir = nl_readdir,
        .releasedir = nl_releasedir,
        .open = nl_open,
        .read = nl_read,
        .flush = nl_flush,
        .release = nl_release,
};

static void usage(const char *prog) {
        printf("Usage: %s [options] MOUNTPOINT\n\n"
               "The do-nothing FUSE filesystem of the fs benchmark: MOUNTPOINT/<pid>/stat/<8 names>,\n"
               "each the constant \"12345\\n\", pids listed from /proc. Defaults are libfuse's.\n\n"
               "  -o entry_timeout=S    how long names are kept (default 1)\n"
               "  -o attr_timeout=S     how long attributes are kept (default 1)\n"
               "  -o keep_cache         keep the page cache across opens\n"
               "  -o noflush            no FLUSH at close\n"
               "  -o direct_io          bypass the page cache\n\n",
               prog);
}

int main(int argc, char **argv) {
        struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
        struct conf conf = { .entry_timeout = 1.0, .attr_timeout = 1.0 };
        struct fuse_cmdline_opts opts = { 0 };
        struct fuse_loop_config *cfg = NULL;
        struct fuse_session *se = NULL;
        int ret = 1;

        clock_gettime(CLOCK_REALTIME, &conf.started);
        if (fuse_opt_parse(&args, &conf, conf_spec, NULL) != 0 || fuse_parse_cmdline(&args, &opts) != 0) {
                ret = 2;
                goto out;
        }
        if (opts.show_help) {
                usage(argv[0]);
                fuse_cmdline_help();
                fuse_lowlevel_help();
                ret = 0;
                goto out;
        }
        if (opts.show_version) {
                printf("nprocfs-bench-nullfs (libfuse %s)\n", fuse_pkgversion());
                ret = 0;
                goto out;
        }
        if (!opts.mountpoint) {
                fprintf(stderr, "%s: no mount point (--help)\n", argv[0]);
                ret = 2;
                goto out;
        }
        if (fuse_opt_add_arg(&args, "-ofsname=nprocfs-bench-nullfs,subtype=nullfs") != 0)
                goto out;
        se = fuse_session_new(&args, &nl_ops, sizeof(nl_ops), &conf);
        if (!se)
                goto out;
        if (fuse_set_signal_handlers(se) != 0)
                goto out_session;
        if (fuse_session_mount(se, opts.mountpoint) != 0)
                goto out_signals;
        fuse_daemonize(opts.foreground);
        /* the loop as nprocfs runs it: libfuse's defaults unless told */
        /* a loop ended by a signal returns the signal: that is success */
        if (opts.singlethread)
                ret = fuse_session_loop(se) < 0;
        else if ((cfg = fuse_loop_cfg_create())) {
                fuse_loop_cfg_set_clone_fd(cfg, (unsigned)opts.clone_fd);
                fuse_loop_cfg_set_max_threads(cfg, opts.max_threads);
                if (opts.max_idle_threads != UINT_MAX)
                        fuse_loop_cfg_set_idle_threads(cfg, opts.max_idle_threads);
                ret = fuse_session_loop_mt(se, cfg) < 0;
                fuse_loop_cfg_destroy(cfg);
        }
        fuse_session_unmount(se);
out_signals:
        fuse_remove_signal_handlers(se);
out_session:
        fuse_session_destroy(se);
out:
        free(opts.mountpoint);
        fuse_opt_free_args(&args);
        return ret;
}
