/* nprocfs: mounts Linux /proc, parsed and normalized, as one value per file.
 *
 *   nprocfs [options] [SOURCE] MOUNTPOINT
 *
 * This file is the daemon's life: options, the session, the threads, the
 * signals and the logs. SIGINT, SIGTERM and SIGHUP are taken by one thread
 * (sigwait), which stops the background threads while the session still
 * answers requests (a notification may wait for one), then ends the session
 * and interrupts the loop's wait; the main thread then unmounts and frees
 * everything. Logs go to stderr in the foreground, to syslog once
 * daemonized. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nprocfs/records.h>

#include "fs.h"

/* Where log lines go: a process has one stderr and one syslog. */
static bool log_syslog;

void fs_log(int prio, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        if (log_syslog)
                vsyslog(prio, fmt, ap);
        else {
                char line[1024];
                vsnprintf(line, sizeof(line), fmt, ap);
                fprintf(stderr, "nprocfs: %s\n", line);
        }
        va_end(ap);
}

static void fuse_log_to_ours(enum fuse_log_level level, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

static void fuse_log_to_ours(enum fuse_log_level level, const char *fmt, va_list ap) {
        char line[1024];
        size_t n;

        vsnprintf(line, sizeof(line), fmt, ap);
        n = strlen(line);
        while (n > 0 && line[n - 1] == '\n')
                line[--n] = 0;
        fs_log((int)level, "%s", line);
}

/* A longer TTL would show an hour-old value as the current one. */
#define TTL_MAX_MS 3600000

struct cli {
        char *root;
        char *pos[2]; /* the positional arguments: [SOURCE] MOUNTPOINT */
        unsigned npos;
        unsigned ttl_ms;
        unsigned names;
        unsigned keys;
        bool bad_value; /* an option's value was refused, and said so */
};

enum { KEY_TTL, KEY_NAMES, KEY_KEYS };

/* Options mount(8), fstab and mount.fuse3 hand every filesystem, which mean
 * nothing here and which libfuse would refuse as unknown. (libfuse takes
 * rw, ro, [no]suid, [no]dev, [no]exec, [no]atime, [a]sync and dirsync
 * itself; mount.fuse3 drops [no]auto, [no]user, users, nofail and _netdev,
 * but the daemon may be started without it.) x-* and comment= are for
 * userspace (systemd, mount) and are dropped in cli_opt. */
#define IGNORED(o) FUSE_OPT_KEY(o, FUSE_OPT_KEY_DISCARD)

static const struct fuse_opt cli_spec[] = {
        { "--root=%s", offsetof(struct cli, root), 0 },
        { "--root %s", offsetof(struct cli, root), 0 },
        FUSE_OPT_KEY("ttl=", KEY_TTL),
        FUSE_OPT_KEY("names=", KEY_NAMES),
        FUSE_OPT_KEY("keys=", KEY_KEYS),
        IGNORED("defaults"),
        IGNORED("auto"),
        IGNORED("noauto"),
        IGNORED("user"),
        IGNORED("nouser"),
        IGNORED("users"),
        IGNORED("owner"),
        IGNORED("group"),
        IGNORED("_netdev"),
        IGNORED("nofail"),
        IGNORED("relatime"),
        IGNORED("norelatime"),
        IGNORED("strictatime"),
        IGNORED("nostrictatime"),
        IGNORED("lazytime"),
        IGNORED("nolazytime"),
        IGNORED("diratime"),
        IGNORED("nodiratime"),
        IGNORED("silent"),
        IGNORED("loud"),
        IGNORED("comment="),
        FUSE_OPT_END,
};

/* fuse_opt's "%u" is sscanf's: it takes -5 (as 2^32 - 5), 1.5 (as 1), 0x10
 * (as 0) and wraps what does not fit. The strict parser takes none of them. */
static int cli_ttl(struct cli *cli, const char *arg) {
        const char *v = arg + strlen("ttl=");
        uint64_t ms;

        if (nprocfs_parse_u64(v, strlen(v), &ms) < 0 || ms > TTL_MAX_MS) {
                fprintf(stderr, "nprocfs: -o %s: the TTL is a number of milliseconds, 0 to %u, in decimal digits\n",
                        arg, TTL_MAX_MS);
                cli->bad_value = true;
                return -1;
        }
        cli->ttl_ms = (unsigned)ms;
        return 0;
}

/* A number of names, from min to max: how many of the tree's names the
 * kernel may hold (names=, see NAMES_MAX), how many a process may have
 * interned (keys=, see KEYS_MAX). */
static int cli_count(struct cli *cli, const char *arg, unsigned min, unsigned max, unsigned *ret) {
        const char *v = strchr(arg, '=') + 1;
        uint64_t n;

        if (nprocfs_parse_u64(v, strlen(v), &n) < 0 || n < min || n > max) {
                fprintf(stderr, "nprocfs: -o %s: a number of names, %u to %u, in decimal digits\n", arg, min, max);
                cli->bad_value = true;
                return -1;
        }
        *ret = (unsigned)n;
        return 0;
}

/* The positional arguments are taken out and given back once all are seen:
 * with two, the first is the SOURCE (mount.fuse3 runs "nprocfs SOURCE
 * MOUNTPOINT -o OPTIONS"), which fuse_parse_cmdline would refuse. */
static int cli_opt(void *data, const char *arg, int key, struct fuse_args *outargs) {
        struct cli *cli = data;

        (void)outargs;
        switch (key) {
        case KEY_TTL:
                return cli_ttl(cli, arg);
        case KEY_NAMES:
                return cli_count(cli, arg, NAMES_MIN, NAMES_LIMIT, &cli->names);
        case KEY_KEYS:
                return cli_count(cli, arg, KEYS_MIN, KEYS_MAX, &cli->keys);
        case FUSE_OPT_KEY_OPT:
                return strncmp(arg, "x-", 2) == 0 ? 0 : 1; /* x-systemd.*, x-mount.*: not ours */
        case FUSE_OPT_KEY_NONOPT:
                if (cli->npos == 2) {
                        fprintf(stderr, "nprocfs: %s: one argument too many (at most SOURCE and MOUNTPOINT)\n", arg);
                        cli->bad_value = true;
                        return -1;
                }
                cli->pos[cli->npos] = strdup(arg);
                if (!cli->pos[cli->npos])
                        return -1;
                cli->npos++;
                return 0;
        default:
                return 1; /* libfuse's */
        }
}

/* Puts the mount point back for fuse_parse_cmdline, and makes the SOURCE the
 * root: "/proc" is the live one, as with no root at all. */
static int cli_positional(struct cli *cli, struct fuse_args *args) {
        char *source;

        if (cli->npos == 0)
                return 0;
        if (fuse_opt_add_arg(args, cli->pos[cli->npos - 1]) != 0)
                return -ENOMEM;
        if (cli->npos < 2)
                return 0;
        source = cli->pos[0];
        if (cli->root) {
                fprintf(stderr, "nprocfs: both --root %s and a SOURCE (%s): give one\n", cli->root, source);
                cli->bad_value = true;
                return -EINVAL;
        }
        if (strcmp(source, "/proc") != 0) {
                cli->root = source;
                cli->pos[0] = NULL;
        }
        return 0;
}

static void usage(FILE *f, const char *prog) {
        fprintf(f,
                "Usage: %s [options] [SOURCE] MOUNTPOINT\n\n"
                "Mounts Linux /proc, parsed and normalized, as one value per file:\n"
                "  cat MOUNTPOINT/self/status/vmrss_bytes\n\n"
                "SOURCE is the proc tree to serve (default /proc: the live one), as in\n"
                "  mount -t fuse.nprocfs /proc MOUNTPOINT -o allow_other\n\n"
                "Options:\n"
                "  --root DIR            serve the proc tree at DIR (a snapshot made by\n"
                "                        nprocfs-capture, a container's /proc) instead of /proc;\n"
                "                        the same as SOURCE\n"
                "  -o names=N            let the kernel hold at most about N of the tree's names\n"
                "                        (inodes; default 131072): past them, the processes\n"
                "                        read least recently are forgotten, and looked up again\n"
                "  -o keys=N             let one process have at most N names at once that\n"
                "                        are no field of a schema (rows, unknown keys, list\n"
                "                        elements; default and most %u): past them a lookup\n"
                "                        is ENOMEM until the kernel forgets some\n"
                "  -o ttl=MS             reuse a parsed source file for MS milliseconds\n"
                "                        (default 1000, at most %u: an hour; 0: parse at\n"
                "                        every request)\n"
                "  -o allow_other        let other users in (they still get only what /proc\n"
                "                        would give them)\n"
                "  -h, --help            this help, then libfuse's options\n"
                "  -V, --version         the version\n\n",
                prog, KEYS_MAX, TTL_MAX_MS);
}

/* ---- the mount point -------------------------------------------------- */

/* Whether mountinfo's field f (octal escapes: \040 for a space) is path. */
static bool mountinfo_path_is(const char *f, size_t len, const char *path) {
        size_t i = 0;

        for (; *path; path++) {
                if (i + 4 <= len && f[i] == '\\' && f[i + 1] >= '0' && f[i + 1] <= '3' && f[i + 2] >= '0' &&
                    f[i + 2] <= '7' && f[i + 3] >= '0' && f[i + 3] <= '7') {
                        if (*path != (char)((f[i + 1] - '0') * 64 + (f[i + 2] - '0') * 8 + (f[i + 3] - '0')))
                                return false;
                        i += 4;
                } else if (i < len && f[i] == *path)
                        i++;
                else
                        return false;
        }
        return i == len;
}

/* 1 if an nprocfs mount has mnt (an absolute path without links, as
 * fuse_parse_cmdline makes it) as its mount point, 0 if not. */
static int nprocfs_mounted_at(const char *mnt) {
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char *line = NULL;
        size_t cap = 0;
        int found = 0;

        if (!f)
                return -errno;
        while (!found && getline(&line, &cap, f) > 0) {
                /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE ... */
                char *p = line, *sep = strstr(line, " - ");
                for (int i = 0; i < 4 && p; i++)
                        p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
                found = p && sep && mountinfo_path_is(p, strcspn(p, " "), mnt) &&
                        strncmp(sep + 3, "fuse.nprocfs ", 13) == 0;
        }
        free(line);
        fclose(f);
        return found;
}

/* What the kernel would mount over badly: not a directory (every access
 * would then fail with EIO), a mount whose daemon died (the new mount would
 * hide it, and it would stay), or a live nprocfs (the new one would hide
 * it). The stale mount is not cleaned here: it may be another program's,
 * with readers still inside; the one who made it says when it goes. */
static int check_mountpoint(const char *mnt) {
        struct stat st;
        int r;

        if (stat(mnt, &st) < 0) {
                if (errno == ENOTCONN)
                        fprintf(stderr,
                                "nprocfs: %s: a FUSE mount whose daemon has gone is still there (%s); "
                                "unmount it first: fusermount3 -u %s\n",
                                mnt, strerror(errno), mnt);
                else
                        fprintf(stderr, "nprocfs: %s: %s\n", mnt, strerror(errno));
                return -errno;
        }
        if (!S_ISDIR(st.st_mode)) {
                fprintf(stderr, "nprocfs: %s: not a directory: the mount point must be one\n", mnt);
                return -ENOTDIR;
        }
        r = nprocfs_mounted_at(mnt);
        if (r > 0) {
                fprintf(stderr, "nprocfs: %s: nprocfs is already mounted there; unmount it first: fusermount3 -u %s\n",
                        mnt, mnt);
                return -EBUSY;
        }
        /* no mountinfo to read: nothing known against the mount */
        return 0;
}

/* ---- signals --------------------------------------------------------- */

struct life {
        struct fs *fs;
        sigset_t sigs;
        pthread_mutex_t lock;
        bool loop_done;
};

/* Interrupts a wait of the session loop (no SA_RESTART): the loop then sees
 * the session has ended. Only the loop's threads leave it unblocked. */
static void wake(int sig) {
        (void)sig;
}

static void *signal_thread(void *arg) {
        struct life *l = arg;
        bool done;
        int sig;

        for (;;) {
                if (sigwait(&l->sigs, &sig) != 0)
                        continue;
                pthread_mutex_lock(&l->lock);
                done = l->loop_done;
                pthread_mutex_unlock(&l->lock);
                if (done)
                        return NULL; /* the main thread is done with the session */
                if (sig != SIGUSR1)
                        break;
        }
        fs_log(LOG_INFO, "%s: unmounting", strsignal(sig));
        /* the background threads first: the session still answers what
         * they may be waiting for */
        bg_stop(l->fs);
        fuse_session_exit(l->fs->se);
        kill(getpid(), SIGUSR2);
        return NULL;
}

/* ---- the daemon ------------------------------------------------------ */

/* Whether a procfs is of our pid namespace, whichever mount of it: its
 * self names a reader by its pid there, which is getpid() only in ours (a
 * child namespace's has no self for us). Not the device: every procfs
 * mount is a superblock of its own. An ancestor namespace's procfs where
 * our pid happens to be the same number would pass (its self/status NSpid
 * would have more than one column: not read here). */
static bool procfs_is_ours(nprocfs_ctx *ctx) {
        char buf[32];
        uint64_t v;
        ssize_t n = readlinkat(nprocfs_ctx_root_fd(ctx), "self", buf, sizeof(buf));

        return n > 0 && nprocfs_parse_u64(buf, (size_t)n, &v) == 0 && v == (uint64_t)getpid();
}

/* Sets fs up; on failure, fs_teardown frees what was made. */
static int fs_setup(struct fs *fs, const struct cli *cli) {
        int r;

        memset(fs, 0, sizeof(*fs));
        clock_gettime(CLOCK_REALTIME, &fs->started);
        fs->ttl = (int64_t)cli->ttl_ms * 1000000;
        fs->names_max = cli->names ? cli->names : NAMES_MAX;
        fs->keys_max = cli->keys ? cli->keys : KEYS_MAX;
        fs->root_path = cli->root ? cli->root : "/proc";
        for (fs->nschemas = 0; nprocfs_schemas[fs->nschemas]; fs->nschemas++)
                if (nprocfs_schemas[fs->nschemas] == &nprocfs_schema_pid_stat)
                        fs->stat_si = fs->nschemas;
        if (fs->nschemas > MAX_SCHEMAS)
                return -E2BIG;
        for (unsigned i = 0; i < 64; i++)
                pthread_mutex_init(&fs->value_locks[i], NULL);
        pthread_mutex_init(&fs->handles_lock, NULL);
        r = bg_init(fs);
        if (r == 0)
                r = nodes_init(fs);
        if (r == 0)
                r = cache_init(fs);
        if (r == 0) {
                r = -pthread_key_create(&fs->scratch_key, scratch_destroy);
                fs->have_scratch_key = r == 0;
        }
        if (r < 0)
                return r;
        r = nprocfs_open(NULL, 0, &fs->live);
        if (r < 0) {
                fs_log(LOG_ERR, "/proc: %s", strerror(-r));
                return r;
        }
        if (cli->root) {
                r = nprocfs_open(cli->root, 0, &fs->ctx);
                if (r < 0) {
                        fs_log(LOG_ERR, "%s: %s", cli->root, strerror(-r));
                        return r;
                }
        } else
                fs->ctx = fs->live;
        fs->root_live = nprocfs_ctx_is_live(fs->ctx);
        fs->root_ours = fs->root_live && (fs->ctx == fs->live || procfs_is_ours(fs->ctx));
        return perm_init(fs);
}

static void fs_teardown(struct fs *fs) {
        handles_free(fs);
        pthread_mutex_destroy(&fs->handles_lock);
        for (unsigned i = 0; i < 64; i++)
                pthread_mutex_destroy(&fs->value_locks[i]);
        bg_free(fs);
        nodes_free(fs);
        cache_free(fs);
        if (fs->have_scratch_key) {
                scratch_release(fs);
                pthread_key_delete(fs->scratch_key);
        }
        if (fs->ctx != fs->live)
                nprocfs_close(fs->ctx);
        nprocfs_close(fs->live);
}

int main(int argc, char **argv) {
        struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
        struct fuse_cmdline_opts opts = { 0 };
        struct cli cli = { .ttl_ms = 1000 };
        struct fuse_loop_config *cfg = NULL;
        struct life life = { 0 };
        sigset_t wake_only;
        pthread_t sigthread;
        bool mounted = false, sigthread_up = false;
        struct fs fs;
        int r, status = 1;

        fuse_set_log_func(fuse_log_to_ours);
        if (fuse_opt_parse(&args, &cli, cli_spec, cli_opt) != 0 || cli_positional(&cli, &args) < 0 ||
            fuse_parse_cmdline(&args, &opts) != 0) {
                if (!cli.bad_value) /* that one said what is wrong */
                        usage(stderr, argv[0]);
                goto out_args;
        }
        if (opts.show_help) {
                usage(stdout, argv[0]);
                fuse_cmdline_help();
                fuse_lowlevel_help();
                status = 0;
                goto out_args;
        }
        if (opts.show_version) {
                printf("nprocfs %s (libnprocfs %s, libfuse %s)\n", NPROCFS_VERSION, NPROCFS_VERSION, fuse_pkgversion());
                status = 0;
                goto out_args;
        }
        if (!opts.mountpoint) {
                usage(stderr, argv[0]);
                fprintf(stderr, "nprocfs: no mount point\n");
                status = 2;
                goto out_args;
        }
        if (check_mountpoint(opts.mountpoint) < 0)
                goto out_args;
        /* The kernel checks modes and owners for us; nothing is writable
         * (an rw asked for is overridden: last one wins), nothing is a
         * device or a program. libfuse mounts nosuid,nodev unless told
         * otherwise, but mount.fuse3 adds dev,suid to every mount. */
        if (fuse_opt_add_arg(&args, "-odefault_permissions,ro,nosuid,nodev,noexec,fsname=nprocfs,subtype=nprocfs") != 0)
                goto out_args;

        r = fs_setup(&fs, &cli);
        if (r < 0)
                goto out_fs;
        fs.se = fuse_session_new(&args, fs_ops(), sizeof(*fs_ops()), &fs);
        if (!fs.se)
                goto out_fs;

        /* every thread made from here on leaves these to the signal thread */
        sigemptyset(&life.sigs);
        sigaddset(&life.sigs, SIGINT);
        sigaddset(&life.sigs, SIGTERM);
        sigaddset(&life.sigs, SIGHUP);
        sigaddset(&life.sigs, SIGUSR1);
        pthread_sigmask(SIG_BLOCK, &life.sigs, NULL);
        signal(SIGPIPE, SIG_IGN);
        sigaction(SIGUSR2, &(struct sigaction){ .sa_handler = wake }, NULL);
        sigemptyset(&wake_only);
        sigaddset(&wake_only, SIGUSR2);

        if (fuse_session_mount(fs.se, opts.mountpoint) != 0)
                goto out_session;
        mounted = true;
        if (fuse_daemonize(opts.foreground) != 0)
                goto out_session;
        if (!opts.foreground) {
                openlog("nprocfs", LOG_PID, LOG_DAEMON);
                log_syslog = true;
        }
        mallopt(M_ARENA_MAX, 2); /* a few threads, small parses: fewer arenas, less to keep */
        /* Past the size a thread keeps for its next parse (SCRATCH_KEEP), a
         * block is a mapping of its own, given back when it is freed. Left
         * to itself glibc raises this threshold to the biggest block freed
         * (up to 32 MiB, and the trim threshold to twice that), so that after
         * one huge parse the next ones are carved from the heap and stay
         * there, freed but kept, until a malloc_trim. */
        mallopt(M_MMAP_THRESHOLD, 1 << 20);

        life.fs = &fs;
        pthread_mutex_init(&life.lock, NULL);
        /* the threads that are not the session loop's do not take the wake-up */
        pthread_sigmask(SIG_BLOCK, &wake_only, NULL);
        r = bg_start(&fs);
        if (r == 0)
                r = -pthread_create(&sigthread, NULL, signal_thread, &life);
        pthread_sigmask(SIG_UNBLOCK, &wake_only, NULL);
        if (r < 0) {
                fs_log(LOG_ERR, "threads: %s", strerror(-r));
                goto out_threads;
        }
        sigthread_up = true;
        fs_log(LOG_INFO, "serving %s at %s (ttl %u ms)", fs.root_path, opts.mountpoint, cli.ttl_ms);

        if (opts.singlethread)
                r = fuse_session_loop(fs.se);
        else {
                cfg = fuse_loop_cfg_create();
                if (!cfg)
                        goto out_threads;
                fuse_loop_cfg_set_clone_fd(cfg, (unsigned)opts.clone_fd);
                fuse_loop_cfg_set_max_threads(cfg, opts.max_threads);
                if (opts.max_idle_threads != UINT_MAX) /* unset: libfuse's default */
                        fuse_loop_cfg_set_idle_threads(cfg, opts.max_idle_threads);
                r = fuse_session_loop_mt(fs.se, cfg);
        }
        status = r == 0 ? 0 : 1;

out_threads:
        pthread_mutex_lock(&life.lock);
        life.loop_done = true;
        pthread_mutex_unlock(&life.lock);
        bg_stop(&fs);
out_session:
        if (mounted)
                fuse_session_unmount(fs.se);
        if (sigthread_up) {
                pthread_kill(sigthread, SIGUSR1);
                pthread_join(sigthread, NULL);
        }
        if (life.fs)
                pthread_mutex_destroy(&life.lock);
        if (cfg)
                fuse_loop_cfg_destroy(cfg);
        fuse_session_destroy(fs.se);
out_fs:
        fs_teardown(&fs);
out_args:
        free(opts.mountpoint);
        free(cli.root);
        free(cli.pos[0]);
        free(cli.pos[1]);
        fuse_opt_free_args(&args);
        if (log_syslog)
                closelog();
        return status;
}
