/* The FUSE operations: the tree as the kernel sees it.
 *
 *   /                     the system-wide files' directories, self,
 *                         thread-self, and one directory per process
 *   <pid>/                one directory per file of the process, and task/
 *   <pid>/task/<tid>/     one directory per file of the thread
 *   <file>/...            the file's entries: values, groups, rows
 *
 * Each directory's names come from one function per kind (find_child for
 * lookup, fill for readdir), both driven by the schema table and by the
 * parsed snapshot, so what readdir lists is what lookup finds.
 *
 * Caching, as the kernel sees it:
 *   - names (entry timeout) and directory attributes live NAME_TIMEOUT: a
 *     process's directory is valid for its life, and bg.c invalidates it
 *     when the process goes;
 *   - a value's attributes live what is left of the TTL of the parse they
 *     came from, so st_size is exact and never older than the values;
 *   - an open file reads the parse current at open; it reads through the
 *     page cache, kept when the value is the one the cache holds
 *     (keep_cache) and dropped when it changed, unless the kernel may hold
 *     another size for it (value_pin) or the file is restricted: then
 *     around it (direct_io);
 *   - FLUSH is never asked for (noflush).
 *
 * Errors (NAMING.md): a process that is gone or a missing name is ENOENT, a
 * read /proc would refuse is EACCES, a malformed source EIO, and anything
 * that would change the tree EROFS. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "fs.h"

#define PATH_IN_MAX 4096       /* an entry path inside a file; a link's text */
#define NET_LINK    "self/net" /* as /proc's own net */

/* One name of a directory listing. */
struct child {
        uint8_t kind, schema;
        pid_t id;     /* K_PROC: the pid; K_THREAD: the tid */
        uint32_t ent; /* inside a file: the snapshot entry */
        /* a file, link or subdirectory of a scope: its name is the
         * schema's name from off to end ("net/tcp": "net", then "tcp") */
        uint16_t off, end;
};

/* Every open file and directory is on the daemon's list, so that what the
 * kernel never released (the session ended under it) is freed at exit. */
struct handle {
        struct handle *prev, *next;
        bool dir;
};

struct dirh {
        struct handle h;
        struct snap *snap; /* a file's directory: the parse it lists */
        uint32_t sdir;
        struct child *kids;
        size_t n, cap;
        bool filled;
};

struct fileh {
        struct handle h;
        atomic_uint refs;  /* release, and each read until its reply is out */
        struct node *node; /* referenced */
        struct snap *snap;
        const char *text; /* the value and its '\n': in snap, or in own */
        size_t size;
        struct vstate *pin; /* reads through the page cache (op_open): its value's */
        char own[];         /* a row's value, formatted at open */
};

static void handle_add(struct fs *fs, struct handle *h, bool dir) {
        h->dir = dir;
        pthread_mutex_lock(&fs->handles_lock);
        h->prev = NULL;
        h->next = fs->handles;
        if (h->next)
                h->next->prev = h;
        fs->handles = h;
        pthread_mutex_unlock(&fs->handles_lock);
}

static void handle_del(struct fs *fs, struct handle *h) {
        pthread_mutex_lock(&fs->handles_lock);
        if (h->prev)
                h->prev->next = h->next;
        else
                fs->handles = h->next;
        if (h->next)
                h->next->prev = h->prev;
        pthread_mutex_unlock(&fs->handles_lock);
}

static void dir_free(struct dirh *d) {
        snap_put(d->snap);
        free(d->kids);
        free(d);
}

static const char *const xattr_names[] = {
        "user.nprocfs.type",
        "user.nprocfs.unit",
        "user.nprocfs.source",
        "user.nprocfs.doc",
};

static struct fs *fs_of(fuse_req_t req) {
        return fuse_req_userdata(req);
}

static bool in_file(const struct node *n) {
        return n->kind == K_DIR || n->kind == K_VALUE || n->kind == K_LINK;
}

/* The size of value ent of s, its '\n' counted (a row's is formatted to
 * know it). */
static uint64_t value_size(const struct snap *s, uint32_t ent) {
        struct snap_text t;

        if (ent < s->n && !s->ents[ent].lazy)
                return s->ents[ent].size;
        snap_value(s, ent, &t);
        return t.len + 1;
}

/* /proc's ptrace check guards it: a restricted file, or one field of a
 * file that /proc shows others as a placeholder */
static bool restricted(const struct node *n) {
        return in_file(n) &&
               ((nprocfs_schemas[n->schema]->flags & NPROCFS_S_RESTRICTED) || n->access == NPROCFS_A_PTRACE);
}

/* /proc's check for a restricted node, for the caller of req: the file's
 * (whose memory check passes a process with none), or its field's. */
static int may_read(struct fs *fs, fuse_req_t req, const struct node *n) {
        if (n->access != NPROCFS_A_PTRACE && (nprocfs_schemas[n->schema]->flags & NPROCFS_S_MM))
                return perm_may_read_mm(fs, req, n->proc);
        return perm_may_read(fs, req, n->proc);
}

static struct nkey key_for(uint8_t kind, uint8_t schema, struct proc *p, const char *path, size_t len) {
        return (struct nkey){ .kind = kind,
                              .schema = schema,
                              .pid = p ? p->pid : 0,
                              .tid = p ? p->tid : 0,
                              .proc = p,
                              .path = path,
                              .path_len = len };
}

static mode_t file_perm(const struct nprocfs_schema *s) {
        return s->mode & 0444;
}

/* x wherever r: a restricted file's directory is as closed as the file */
static mode_t dir_perm(const struct nprocfs_schema *s) {
        return file_perm(s) | file_perm(s) >> 2;
}

/* A process's directories carry its start time, others the mount's. */
static struct timespec proc_time(const struct fs *fs, const struct proc *p) {
        const struct nprocfs_env *env = nprocfs_ctx_env(fs->ctx);

        if (p && p->pid && p->start && env->boot_time_unix_ns) {
                uint64_t t = env->boot_time_unix_ns + p->start;
                return (struct timespec){ .tv_sec = (time_t)(t / 1000000000), .tv_nsec = (long)(t % 1000000000) };
        }
        return fs->started;
}

static void fill_attr(struct stat *st, fuse_ino_t ino, mode_t mode, uid_t uid, gid_t gid, uint64_t size,
                      const struct timespec *t) {
        memset(st, 0, sizeof(*st));
        st->st_ino = ino;
        st->st_mode = mode;
        /* 1 for directories too: "not counted", which fts and find take as
         * a reason not to guess subdirectories from the link count */
        st->st_nlink = 1;
        st->st_uid = uid;
        st->st_gid = gid;
        st->st_size = (off_t)size;
        st->st_blksize = 4096;
        st->st_blocks = (blkcnt_t)((size + 511) / 512);
        st->st_atim = st->st_mtim = st->st_ctim = *t;
}

/* A process a reader just found gone: the kernel may drop its name now
 * rather than at the next sweep. */
static void gone(struct fs *fs, const struct node *n) {
        fuse_ino_t parent;
        pid_t name;

        if (fs->root_live && nodes_proc_dentry(fs, n, &parent, &name))
                bg_inval_entry(fs, parent, name);
}

/* The process of n: its identity, or NULL for the root and the links. */
static struct proc *proc_of(const struct node *n) {
        return n->proc && n->proc->pid ? n->proc : NULL;
}

/* An error r met on n: a process found gone is dropped from the kernel's
 * names, and when its pid names another process now, the caller is told to
 * look the path up again (ESTALE: the kernel walks it once more, asking for
 * every name), which then finds that process: a reader never gets the
 * data of a pid's previous process, nor ENOENT for a process alive. */
static int vanished(struct fs *fs, const struct node *n, int r) {
        struct proc *p = proc_of(n);

        if (r != -ENOENT || !p || proc_verify(fs, p) == 0)
                return r; /* a file its process does not have (a kernel thread's environ) */
        gone(fs, n);
        if (fs->root_live && nprocfs_proc_exists(fs->ctx, p->pid, p->tid) == 0)
                return -ESTALE;
        return -ENOENT;
}

/* What every request on n checks first: that its process is the one it
 * was looked up as, and (hidepid) that the caller may see it. min is the
 * hidepid level that hides n from a caller /proc would not show it to. */
static int node_check(struct fs *fs, fuse_req_t req, const struct node *n, int min) {
        struct proc *p = proc_of(n);
        int r;

        if (!p)
                return 0;
        r = proc_verify(fs, p);
        if (r < 0)
                return vanished(fs, n, r);
        return perm_may_see(fs, req, p, min);
}

/* Names of processes are looked up again at every path walk when some
 * callers may not see them (hidepid): the kernel's names are shared. */
static double name_timeout(const struct fs *fs, uint8_t kind) {
        return fs->hidepid && (kind == K_PROC || kind == K_THREAD) ? 0 : NAME_TIMEOUT;
}

static int parse_id(const char *name, size_t len, pid_t *ret) {
        uint64_t v;

        /* "01" is not a pid, as in /proc */
        if (len == 0 || name[0] == '0' || nprocfs_parse_u64(name, len, &v) < 0 || v > INT32_MAX)
                return -ENOENT;
        *ret = (pid_t)v;
        return 0;
}

/* ---- self, thread-self ------------------------------------------------- */

/* Whether a snapshot's <pid> (or <pid>/task/<tid>) is a directory: a name
 * that is a link loop, leads out of the root or to a file is no process,
 * neither listed nor found, so that a listing and a lookup agree. */
static bool snapshot_has(struct fs *fs, pid_t pid, pid_t tid) {
        return nprocfs_proc_exists(fs->ctx, pid, tid) == 0;
}

/* A snapshot's own links, checked: "<pid>" and "<pid>/task/<tid>", to a
 * process of the snapshot; a link that leads nowhere is not offered. */
static int snapshot_link(struct fs *fs, uint8_t kind, pid_t *ret_pid, pid_t *ret_tid) {
        char buf[64];
        const char *slash;
        pid_t pid, tid = 0;
        ssize_t n;

        if (kind == K_SELF) {
                if (nprocfs_self(fs->ctx, &pid) < 0)
                        return -ENOENT;
        } else {
                n = readlinkat(nprocfs_ctx_root_fd(fs->ctx), "thread-self", buf, sizeof(buf) - 1);
                if (n <= 0)
                        return -ENOENT;
                buf[n] = 0;
                slash = strchr(buf, '/');
                if (!slash || strncmp(slash, "/task/", 6) != 0 || parse_id(buf, (size_t)(slash - buf), &pid) < 0 ||
                    parse_id(slash + 6, strlen(slash + 6), &tid) < 0)
                        return -ENOENT;
        }
        if (!snapshot_has(fs, pid, tid))
                return -ENOENT;
        *ret_pid = pid;
        *ret_tid = tid;
        return 0;
}

static int link_target(struct fs *fs, fuse_req_t req, uint8_t kind, char *buf, size_t size) {
        pid_t pid = 0, tid = 0;
        int r = !fs->root_live  ? snapshot_link(fs, kind, &pid, &tid)
                : fs->root_ours ? caller_ids(fs, req, &pid, &tid)
                                : -ENOENT;

        if (r < 0)
                return r;
        if (kind == K_SELF)
                snprintf(buf, size, "%d", (int)pid);
        else
                snprintf(buf, size, "%d/task/%d", (int)pid, (int)tid);
        return 0;
}

/* Our /proc always has them (they name whoever asks); a snapshot has them
 * when its own links are sound. Another pid namespace's /proc has none: the
 * caller's pid, as FUSE gives it, is not a pid there. */
static bool has_link(struct fs *fs, uint8_t kind) {
        pid_t pid, tid;

        if (fs->root_live)
                return fs->root_ours;
        return snapshot_link(fs, kind, &pid, &tid) == 0;
}

/* ---- attributes -------------------------------------------------------- */

/* The attributes of n and how long the kernel may keep them. A value comes
 * from ds (entry ent) when given, else from the current parse. */
static int node_attr(struct fs *fs, fuse_req_t req, struct node *n, const struct snap *ds, uint32_t ent, int64_t since,
                     struct stat *st, double *timeout) {
        const struct nprocfs_schema *s = in_file(n) ? nprocfs_schemas[n->schema] : NULL;
        struct timespec t = proc_time(fs, n->proc);
        uid_t uid = 0;
        gid_t gid = 0;
        char target[64];
        int r;

        *timeout = NAME_TIMEOUT;
        if (n->proc && n->proc->pid) {
                struct owner o;
                r = proc_owner(fs, n->proc, &o);
                if (r < 0)
                        return r;
                uid = in_file(n) ? o.file_uid : o.dir_uid;
                gid = in_file(n) ? o.file_gid : o.dir_gid;
        }
        switch (n->kind) {
        case K_PROC:
        case K_THREAD:
                if (fs->hidepid) {
                        /* hidepid=noaccess: listed, but closed to this caller,
                         * which the kernel learns from the mode, asked again
                         * at each walk */
                        r = perm_may_see(fs, req, n->proc, HIDEPID_NO_ACCESS);
                        if (r < 0 && r != -EACCES)
                                return r;
                        fill_attr(st, n->ino, S_IFDIR | (r == 0 ? 0555 : 0), uid, gid, 0, &t);
                        *timeout = 0;
                        return 0;
                }
                fill_attr(st, n->ino, S_IFDIR | 0555, uid, gid, 0, &t);
                return 0;
        case K_ROOT:
        case K_TASKS:
        case K_SUBDIR:
                fill_attr(st, n->ino, S_IFDIR | 0555, uid, gid, 0, &t);
                return 0;
        case K_LINK:
                /* size 0 and asked for each time, as /proc's own links:
                 * its text is for readers that may see it (op_readlink) */
                fill_attr(st, n->ino, S_IFLNK | 0777, uid, gid, 0, &t);
                *timeout = 0;
                return 0;
        case K_NET:
                fill_attr(st, n->ino, S_IFLNK | 0777, 0, 0, strlen(NET_LINK), &fs->started);
                return 0;
        case K_DIR:
                if (n->path_len == 0 && s->grammar && s->grammar->shape == NPROCFS_SH_LINKS) {
                        /* a directory of links has its count of them as its
                         * size, as the kernel's own fd/ since 6.2, from its
                         * listing alone; for whoever may read it, each time */
                        int c = may_read(fs, req, n) == 0 ? nprocfs_count_rows(fs->ctx, s, n->proc->pid, n->proc->tid)
                                                          : 0;
                        fill_attr(st, n->ino, S_IFDIR | dir_perm(s), uid, gid, c > 0 ? (uint64_t)c : 0, &t);
                        *timeout = 0;
                        return 0;
                }
                fill_attr(st, n->ino, S_IFDIR | dir_perm(s), uid, gid, 0, &t);
                return 0;
        case K_VALUE: {
                struct snap *own = NULL;
                struct vstate *v;
                uint64_t size, prev;

                if (!ds) {
                        r = snap_get(fs, n->proc, n->schema, since, &own);
                        if (r < 0)
                                return vanished(fs, n, r);
                        ds = own;
                        ent = snap_walk(ds, n->path, n->path_len);
                }
                if (ent == NONE || snap_is_dir(ds, ent)) {
                        snap_put(own);
                        return -ENOENT;
                }
                if (restricted(n)) {
                        /* its size would be a piece of it, and the kernel
                         * would show one caller's attributes to the next:
                         * size 0, as /proc's own files (opens read it
                         * directly), and asked for each time (getattr
                         * checks who asks) */
                        fill_attr(st, n->ino, S_IFREG | file_perm(s), uid, gid, 0, &ds->mtime);
                        *timeout = 0;
                        snap_put(own);
                        return 0;
                }
                size = value_size(ds, ent);
                /* what the kernel is told (with no room to note it, the
                 * next open reads around the page cache: value_pin) */
                if ((v = value_state(fs, n, true))) {
                        int64_t now = mono_ns();
                        if (v->pins > 0)
                                size = v->pinned_size; /* open files read that much */
                        prev = v->size_seen;
                        v->size_seen = size;
                        v->told = now;
                        if (prev != size && prev != SIZE_UNKNOWN)
                                v->size_moved = now;
                        value_unlock(fs, v);
                }
                fill_attr(st, n->ino, S_IFREG | file_perm(s), uid, gid, size, &ds->mtime);
                *timeout = snap_ttl_left(fs, ds);
                snap_put(own);
                return 0;
        }
        case K_SELF:
        case K_THREAD_SELF:
                r = link_target(fs, req, n->kind, target, sizeof(target));
                if (r < 0)
                        return r;
                fill_attr(st, n->ino, S_IFLNK | 0777, 0, 0, strlen(target), &fs->started);
                *timeout = 0; /* it depends on who asks */
                return 0;
        }
        return -EIO;
}

/* ---- names: one function finds, one lists, both from the schema -------- */

/* The files of a directory of a scope (the system's, a process's, a
 * thread's), or of a subdirectory of it (net/): the schemas of that scope
 * whose names are below prefix. */
struct scope {
        struct proc *p;
        enum nprocfs_scope scope;
        bool thread;
        const char *prefix; /* "" or "net" */
        size_t prefix_len;
};

static struct scope scope_of(struct fs *fs, const struct node *n) {
        struct proc *p = n->kind == K_ROOT ? fs->cache.system : n->proc;
        struct scope sc = {
                .p = p, .scope = p->pid ? NPROCFS_SCOPE_PID : NPROCFS_SCOPE_SYSTEM, .thread = p->tid != 0, .prefix = ""
        };

        if (n->kind == K_SUBDIR) {
                sc.prefix = n->path;
                sc.prefix_len = n->path_len;
        }
        return sc;
}

/* The child of sc that schema si gives, if any: the file (or link) itself,
 * or the subdirectory its name goes through (the tree's layout, which
 * nprocfs-dump follows too). */
static bool scope_entry(struct fs *fs, const struct scope *sc, unsigned si, struct child *c) {
        enum nprocfs_dir dir = sc->scope == NPROCFS_SCOPE_SYSTEM ? NPROCFS_DIR_ROOT
                               : sc->thread                      ? NPROCFS_DIR_THREAD
                                                                 : NPROCFS_DIR_PROCESS;
        struct nprocfs_child tc;

        if (!nprocfs_tree_child(nprocfs_schemas[si], dir, fs->root_live, sc->prefix, sc->prefix_len, &tc))
                return false;
        *c = (struct child){ .kind = tc.kind == NPROCFS_CHILD_SUBDIR ? K_SUBDIR
                                     : tc.kind == NPROCFS_CHILD_LINK ? K_LINK
                                                                     : K_DIR,
                             .schema = (uint8_t)si,
                             .off = tc.off,
                             .end = tc.end };
        return true;
}

static int scope_child(struct fs *fs, const struct scope *sc, const char *name, size_t len, struct child *c) {
        for (unsigned si = 0; si < fs->nschemas; si++) {
                const char *sname = nprocfs_schemas[si]->name;
                int r;

                if (!scope_entry(fs, sc, si, c) || (size_t)(c->end - c->off) != len ||
                    memcmp(sname + c->off, name, len) != 0)
                        continue;
                r = proc_has(fs, sc->p, si);
                if (r < 0)
                        return r;
                if (r)
                        return 0; /* a subdirectory is there if a file of it is */
        }
        return -ENOENT;
}

/* The path inside the file of a child of directory dir (a K_DIR). */
static size_t child_path(const struct node *dir, const struct snap *ds, uint32_t ent, char *buf, size_t size) {
        struct snap_text t;
        size_t sep = dir->path_len > 0, len;

        snap_name(ds, ent, &t);
        len = dir->path_len + sep + t.len;
        if (len >= size)
                return SIZE_MAX;
        memcpy(buf, dir->path, dir->path_len);
        if (sep)
                buf[dir->path_len] = '/';
        memcpy(buf + dir->path_len + sep, t.ptr, t.len);
        buf[len] = 0;
        return len;
}

/* The child of dir called name. Inside a file, *ret_snap is the parse it
 * was found in (referenced). */
static int find_child(struct fs *fs, fuse_req_t req, struct node *dir, const char *name, size_t len, int64_t since,
                      struct snap **ret_snap, struct child *c) {
        struct scope sc;
        pid_t id;
        int r;

        *ret_snap = NULL;
        switch (dir->kind) {
        case K_ROOT:
                if (parse_id(name, len, &id) == 0) {
                        if (fs->root_live) {
                                /* /proc/<tid> of a thread opens but is not
                                 * listed: not ours either */
                                struct creds cr;
                                r = read_creds(fs, fs->ctx, id, 0, &cr);
                                if (r == -ENOENT || r == -ENOMEM)
                                        return r;
                                if (r == 0 && cr.has_tgid && cr.tgid != (uint64_t)id)
                                        return -ENOENT;
                        } else if (!snapshot_has(fs, id, 0))
                                return -ENOENT;
                        *c = (struct child){ .kind = K_PROC, .id = id };
                        return 0;
                }
                if (len == 4 && memcmp(name, "self", 4) == 0 && has_link(fs, K_SELF)) {
                        *c = (struct child){ .kind = K_SELF };
                        return 0;
                }
                if (len == 11 && memcmp(name, "thread-self", 11) == 0 && has_link(fs, K_THREAD_SELF)) {
                        *c = (struct child){ .kind = K_THREAD_SELF };
                        return 0;
                }
                if (fs->subset_pid)
                        return -ENOENT;
                if (len == 3 && memcmp(name, "net", 3) == 0 && fs->root_live) {
                        if (!has_link(fs, K_SELF))
                                return -ENOENT;
                        *c = (struct child){ .kind = K_NET };
                        return 0;
                }
                sc = scope_of(fs, dir);
                return scope_child(fs, &sc, name, len, c);
        case K_PROC:
                if (len == strlen(NPROCFS_TASK_DIR) && memcmp(name, NPROCFS_TASK_DIR, len) == 0) {
                        r = proc_has_tasks(fs, dir->proc);
                        if (r <= 0)
                                return r < 0 ? r : -ENOENT;
                        *c = (struct child){ .kind = K_TASKS };
                        return 0;
                }
                sc = scope_of(fs, dir);
                return scope_child(fs, &sc, name, len, c);
        case K_TASKS:
                if (parse_id(name, len, &id) < 0)
                        return -ENOENT;
                *c = (struct child){ .kind = K_THREAD, .id = id };
                return 0;
        case K_THREAD:
        case K_SUBDIR:
                sc = scope_of(fs, dir);
                return scope_child(fs, &sc, name, len, c);
        case K_DIR: {
                struct snap *s;
                uint32_t d, x;

                if (restricted(dir)) {
                        r = may_read(fs, req, dir);
                        if (r < 0)
                                return r;
                }
                r = snap_get(fs, dir->proc, dir->schema, since, &s);
                if (r < 0)
                        return vanished(fs, dir, r);
                d = snap_walk(s, dir->path, dir->path_len);
                x = d != NONE && snap_is_dir(s, d) ? snap_find(s, d, name, len) : NONE;
                if (x == NONE) {
                        snap_put(s);
                        return -ENOENT;
                }
                *c = (struct child){ .kind = snap_is_dir(s, x) ? K_DIR : K_VALUE, .schema = dir->schema, .ent = x };
                *ret_snap = s;
                return 0;
        }
        default:
                return -ENOTDIR;
        }
}

/* The node of child c of dir, with one more kernel reference, and its
 * attributes. ds is the parse c was found or listed in (inside a file). */
static int child_enter(struct fs *fs, fuse_req_t req, struct node *dir, const struct snap *ds, const struct child *c,
                       int64_t since, struct node **ret, struct stat *st, double *timeout) {
        struct proc *p = NULL;
        char path[PATH_IN_MAX];
        size_t plen = 0;
        struct nkey k;
        struct node *n;
        int r;

        switch (c->kind) {
        case K_PROC:
                r = proc_resolve(fs, c->id, 0, &p);
                if (r < 0)
                        return r;
                r = perm_may_see(fs, req, p, HIDEPID_INVISIBLE);
                if (r < 0) {
                        proc_unref(p);
                        return r;
                }
                break;
        case K_THREAD:
                r = proc_resolve(fs, dir->proc->pid, c->id, &p);
                if (r < 0)
                        return r;
                break;
        case K_TASKS:
                p = dir->proc;
                proc_ref(p);
                break;
        case K_DIR:
        case K_VALUE:
        case K_LINK:
        case K_SUBDIR:
                if (dir->kind == K_DIR) {
                        plen = child_path(dir, ds, c->ent, path, sizeof(path));
                        if (plen == SIZE_MAX)
                                return -ENAMETOOLONG;
                } else if (c->kind == K_SUBDIR) {
                        plen = c->end;
                        memcpy(path, nprocfs_schemas[c->schema]->name, plen);
                        path[plen] = 0;
                }
                p = dir->kind == K_ROOT ? fs->cache.system : dir->proc;
                proc_ref(p);
                break;
        default:
                break;
        }
        k = key_for(c->kind, c->kind == K_SUBDIR ? 0 : c->schema, p, path, plen);
        if (c->kind == K_VALUE && (k.field = snap_field(ds, c->ent, NULL)))
                k.access = k.field->access;
        n = nodes_enter(fs, &k, dir);
        proc_unref(p); /* the node holds its own */
        if (!n)
                return -ENOMEM;
        r = node_attr(fs, req, n, c->kind == K_VALUE ? ds : NULL, c->ent, since, st, timeout);
        if (r < 0) {
                nodes_unlookup(fs, n);
                node_put(fs, n);
                return r;
        }
        *ret = n;
        return 0;
}

/* The inode number a child has or will have, without creating it. */
static fuse_ino_t child_ino(struct fs *fs, const struct node *dir, const struct dirh *d, const struct child *c) {
        struct proc *p = dir->kind == K_ROOT ? fs->cache.system : dir->proc;
        char path[PATH_IN_MAX];
        size_t plen = 0;
        struct nkey k;

        fuse_ino_t ino;

        switch (c->kind) {
        case K_PROC:
        case K_THREAD:
                k = key_for(c->kind, 0, NULL, "", 0);
                k.pid = c->kind == K_PROC ? c->id : dir->proc->pid;
                k.tid = c->kind == K_PROC ? 0 : c->id;
                k.proc = proc_peek(fs, k.pid, k.tid);
                ino = nodes_ino_of(fs, &k, dir);
                proc_unref(k.proc);
                return ino;
        case K_SELF:
        case K_THREAD_SELF:
        case K_NET:
                k = key_for(c->kind, 0, NULL, "", 0);
                return nodes_ino_of(fs, &k, dir);
        default:
                if (dir->kind == K_DIR) {
                        plen = child_path(dir, d->snap, c->ent, path, sizeof(path));
                        if (plen == SIZE_MAX)
                                plen = 0;
                } else if (c->kind == K_SUBDIR) {
                        plen = c->end;
                        memcpy(path, nprocfs_schemas[c->schema]->name, plen);
                        path[plen] = 0;
                }
                k = key_for(c->kind, c->kind == K_SUBDIR ? 0 : c->schema, p, path, plen);
                if (c->kind == K_VALUE && d->snap)
                        k.field = snap_field(d->snap, c->ent, NULL);
                return nodes_ino_of(fs, &k, dir);
        }
}

static const char *child_name(const struct dirh *d, const struct child *c, char *buf, size_t size) {
        switch (c->kind) {
        case K_PROC:
        case K_THREAD:
                snprintf(buf, size, "%d", (int)c->id);
                return buf;
        case K_TASKS:
                return NPROCFS_TASK_DIR;
        case K_SELF:
                return "self";
        case K_THREAD_SELF:
                return "thread-self";
        case K_NET:
                return "net";
        default:
                if (d->snap) {
                        struct snap_text t;
                        snap_name(d->snap, c->ent, &t);
                        snprintf(buf, size, "%.*s", (int)t.len, t.ptr);
                        return buf;
                }
                snprintf(buf, size, "%.*s", (int)(c->end - c->off), nprocfs_schemas[c->schema]->name + c->off);
                return buf;
        }
}

static mode_t child_type(const struct child *c) {
        return c->kind == K_VALUE                                                                       ? S_IFREG
               : c->kind == K_SELF || c->kind == K_THREAD_SELF || c->kind == K_LINK || c->kind == K_NET ? S_IFLNK
                                                                                                        : S_IFDIR;
}

static int add_kid(struct dirh *d, struct child c) {
        if (d->n == d->cap) {
                size_t nc = d->cap ? d->cap * 2 : 32;
                struct child *v = realloc(d->kids, nc * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                d->kids = v;
                d->cap = nc;
        }
        d->kids[d->n++] = c;
        return 0;
}

/* The files, links and subdirectories of scope sc that are there. */
static int add_schemas(struct fs *fs, struct dirh *d, const struct scope *sc) {
        for (unsigned si = 0; si < fs->nschemas; si++) {
                const char *sname = nprocfs_schemas[si]->name;
                struct child c;
                bool dup = false;
                int r;

                if (!scope_entry(fs, sc, si, &c))
                        continue;
                if (c.kind == K_SUBDIR) /* listed once, for its first file there */
                        for (size_t i = 0; i < d->n && !dup; i++) {
                                const struct child *o = &d->kids[i];
                                dup = o->kind == K_SUBDIR && o->end - o->off == c.end - c.off &&
                                      memcmp(nprocfs_schemas[o->schema]->name + o->off, sname + c.off,
                                             (size_t)(c.end - c.off)) == 0;
                        }
                if (dup)
                        continue;
                r = proc_has(fs, sc->p, si);
                if (r < 0)
                        return r;
                if (r && add_kid(d, c) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int add_ids(struct dirh *d, uint8_t kind, const pid_t *ids, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (add_kid(d, (struct child){ .kind = kind, .id = ids[i] }) < 0)
                        return -ENOMEM;
        return 0;
}

/* Keeps of ids the processes the caller of req may see (hidepid). */
static int visible_ids(struct fs *fs, fuse_req_t req, pid_t *ids, size_t *n) {
        size_t kept = 0;

        for (size_t i = 0; i < *n; i++) {
                struct proc *p;
                int r = proc_resolve(fs, ids[i], 0, &p);

                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                r = perm_may_see(fs, req, p, HIDEPID_INVISIBLE);
                proc_unref(p);
                if (r == -ENOMEM)
                        return r;
                if (r == 0)
                        ids[kept++] = ids[i];
        }
        *n = kept;
        return 0;
}

/* A file's directory: pins the current parse and lists it. */
static int fill_file_dir(struct fs *fs, fuse_req_t req, struct node *n, struct dirh *d, int64_t since) {
        struct snap *s;
        uint32_t sdir;
        int r;

        if (restricted(n)) {
                r = may_read(fs, req, n);
                if (r < 0)
                        return r;
        }
        r = snap_get(fs, n->proc, n->schema, since, &s);
        if (r < 0)
                return vanished(fs, n, r);
        sdir = snap_walk(s, n->path, n->path_len);
        if (sdir == NONE || !snap_is_dir(s, sdir)) {
                snap_put(s);
                return sdir == NONE ? -ENOENT : -ENOTDIR;
        }
        snap_put(d->snap);
        d->snap = s;
        d->sdir = sdir;
        d->n = 0;
        for (uint32_t x = snap_first(s, sdir); x != NONE; x = snap_next(s, sdir, x))
                if (add_kid(d, (struct child){ .kind = snap_is_dir(s, x) ? K_DIR : K_VALUE,
                                               .schema = n->schema,
                                               .ent = x }) < 0)
                        return -ENOMEM;
        return 0;
}

/* The listing of directory n, read again at offset 0. */
static int fill(struct fs *fs, fuse_req_t req, struct node *n, struct dirh *d, int64_t since) {
        struct scope sc;
        pid_t *ids = NULL;
        size_t nids = 0;
        int r = 0;

        d->filled = false;
        d->n = 0;
        switch (n->kind) {
        case K_ROOT:
                sc = scope_of(fs, n);
                if (!fs->subset_pid)
                        r = add_schemas(fs, d, &sc);
                if (r == 0 && !fs->subset_pid && fs->root_live && has_link(fs, K_SELF))
                        r = add_kid(d, (struct child){ .kind = K_NET });
                if (r == 0 && has_link(fs, K_SELF))
                        r = add_kid(d, (struct child){ .kind = K_SELF });
                if (r == 0 && has_link(fs, K_THREAD_SELF))
                        r = add_kid(d, (struct child){ .kind = K_THREAD_SELF });
                if (r == 0)
                        r = nprocfs_pids(fs->ctx, &ids, &nids);
                if (r == 0 && !fs->root_live) { /* what find_child would not find */
                        size_t kept = 0;
                        for (size_t i = 0; i < nids; i++)
                                if (snapshot_has(fs, ids[i], 0))
                                        ids[kept++] = ids[i];
                        nids = kept;
                }
                if (r == 0 && fs->hidepid)
                        r = visible_ids(fs, req, ids, &nids);
                if (r == 0)
                        r = add_ids(d, K_PROC, ids, nids);
                break;
        case K_PROC:
                r = proc_verify(fs, n->proc); /* gone, or its pid is another's now */
                sc = scope_of(fs, n);
                if (r == 0)
                        r = add_schemas(fs, d, &sc);
                if (r == 0 && (r = proc_has_tasks(fs, n->proc)) > 0)
                        r = add_kid(d, (struct child){ .kind = K_TASKS });
                break;
        case K_TASKS:
                r = proc_verify(fs, n->proc);
                if (r == 0)
                        r = nprocfs_tids(fs->ctx, n->proc->pid, &ids, &nids);
                if (r == 0)
                        r = add_ids(d, K_THREAD, ids, nids);
                break;
        case K_THREAD:
        case K_SUBDIR:
                r = proc_verify(fs, n->proc);
                sc = scope_of(fs, n);
                if (r == 0)
                        r = add_schemas(fs, d, &sc);
                break;
        case K_DIR:
                r = fill_file_dir(fs, req, n, d, since);
                break;
        default:
                r = -ENOTDIR;
        }
        free(ids);
        if (r < 0)
                return r;
        d->filled = true;
        return 0;
}

/* ---- operations ---------------------------------------------------------
 * Each says which replies it may send. */

/* init: no reply. */
static void op_init(void *userdata, struct fuse_conn_info *conn) {
        (void)userdata;
        /* the page cache is kept or dropped at open by what the value is
         * (op_open), not because a parse moved st_mtime */
        conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
        if (conn->capable & FUSE_CAP_READDIRPLUS)
                conn->want |= FUSE_CAP_READDIRPLUS;
}

/* lookup: fuse_reply_entry, fuse_reply_err (ENOENT, ENOTDIR, EACCES, EIO,
 * ENOMEM, ENAMETOOLONG). */
static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name) {
        struct fs *fs = fs_of(req);
        int64_t since = mono_ns();
        struct node *dir = nodes_get(fs, parent), *n = NULL;
        struct fuse_entry_param e = { 0 };
        struct snap *ds = NULL;
        struct child c;
        int r = -ENOENT;

        if (dir)
                r = node_check(fs, req, dir, HIDEPID_NO_ACCESS);
        if (r == 0)
                r = find_child(fs, req, dir, name, strlen(name), since, &ds, &c);
        if (r == 0)
                r = child_enter(fs, req, dir, ds, &c, since, &n, &e.attr, &e.attr_timeout);
        if (r == 0) {
                e.ino = n->ino;
                e.generation = n->gen;
                e.entry_timeout = name_timeout(fs, n->kind);
                if (fuse_reply_entry(req, &e) != 0)
                        nodes_unlookup(fs, n); /* it never reached the kernel */
        } else
                fuse_reply_err(req, -r);
        snap_put(ds);
        node_put(fs, n);
        node_put(fs, dir);
}

/* forget, forget_multi: fuse_reply_none. */
static void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup) {
        nodes_forget(fs_of(req), ino, nlookup);
        fuse_reply_none(req);
}

static void op_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets) {
        struct fs *fs = fs_of(req);

        for (size_t i = 0; i < count; i++)
                nodes_forget(fs, forgets[i].ino, forgets[i].nlookup);
        fuse_reply_none(req);
}

/* getattr: fuse_reply_attr, fuse_reply_err (ENOENT, EACCES, EIO, ENOMEM). */
static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        struct fs *fs = fs_of(req);
        struct node *n = nodes_get(fs, ino);
        struct stat st;
        double timeout;
        int r = n ? 0 : -ENOENT;

        (void)fi;
        if (r == 0)
                r = node_check(fs, req, n,
                               n->kind == K_PROC || n->kind == K_THREAD ? HIDEPID_INVISIBLE : HIDEPID_NO_ACCESS);
        if (r == 0 && restricted(n) && n->kind == K_VALUE)
                r = may_read(fs, req, n); /* that it is there at all */
        if (r == 0)
                r = node_attr(fs, req, n, NULL, NONE, mono_ns(), &st, &timeout);
        if (r == 0)
                fuse_reply_attr(req, &st, timeout);
        else
                fuse_reply_err(req, -r);
        node_put(fs, n);
}

/* readlink: fuse_reply_readlink, fuse_reply_err (EINVAL, ENOENT). */
/* The text of link n (a K_LINK): the "target" entry of its parse, checked
 * as /proc checks its own links (the ptrace check). */
static int file_link(struct fs *fs, fuse_req_t req, struct node *n, char *buf, size_t size) {
        struct snap_text t;
        struct snap *s;
        uint32_t e;
        int r = node_check(fs, req, n, HIDEPID_NO_ACCESS);

        if (r == 0 && restricted(n))
                r = may_read(fs, req, n);
        if (r < 0)
                return r;
        r = snap_get(fs, n->proc, n->schema, mono_ns(), &s);
        if (r < 0)
                return vanished(fs, n, r);
        e = snap_find(s, 0, "target", 6);
        if (e != NONE && !snap_is_dir(s, e))
                snap_value(s, e, &t);
        if (e == NONE || snap_is_dir(s, e) || t.len >= size)
                r = -ENOENT;
        else {
                memcpy(buf, t.ptr, t.len);
                buf[t.len] = 0;
                /* a NUL in a snapshot's text would cut it: no link holds one */
                if (strlen(buf) != t.len)
                        r = -EIO;
        }
        snap_put(s);
        return r;
}

/* readlink: fuse_reply_readlink, fuse_reply_err (EINVAL, ENOENT, EACCES,
 * EIO, ENOMEM). */
static void op_readlink(fuse_req_t req, fuse_ino_t ino) {
        struct fs *fs = fs_of(req);
        struct node *n = nodes_get(fs, ino);
        char *target = malloc(PATH_IN_MAX + 1);
        int r = !n ? -ENOENT : !target ? -ENOMEM : 0;

        if (r == 0 && (n->kind == K_SELF || n->kind == K_THREAD_SELF))
                r = link_target(fs, req, n->kind, target, 64);
        else if (r == 0 && n->kind == K_NET)
                snprintf(target, 64, "%s", NET_LINK);
        else if (r == 0 && n->kind == K_LINK)
                r = file_link(fs, req, n, target, PATH_IN_MAX + 1);
        else if (r == 0)
                r = -EINVAL;
        if (r == 0)
                fuse_reply_readlink(req, target);
        else
                fuse_reply_err(req, -r);
        free(target);
        node_put(fs, n);
}

/* opendir: fuse_reply_open, fuse_reply_err (ENOTDIR, ENOENT, EACCES, EIO,
 * ENOMEM). A file's directory pins its parse here, so the listing and its
 * attributes are one snapshot. */
static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        struct fs *fs = fs_of(req);
        struct node *n = nodes_get(fs, ino);
        struct dirh *d = NULL;
        int r = !n ? -ENOENT
                : n->kind == K_VALUE || n->kind == K_SELF || n->kind == K_THREAD_SELF || n->kind == K_LINK ||
                                n->kind == K_NET
                        ? -ENOTDIR
                        : 0;

        if (r == 0)
                r = node_check(fs, req, n, HIDEPID_NO_ACCESS);
        if (r == 0 && !(d = calloc(1, sizeof(*d))))
                r = -ENOMEM;
        if (r == 0 && n->kind == K_DIR)
                r = fill(fs, req, n, d, mono_ns());
        if (r == 0) {
                fi->fh = (uintptr_t)d;
                handle_add(fs, &d->h, true);
                if (fuse_reply_open(req, fi) == 0)
                        d = NULL;
                else
                        handle_del(fs, &d->h);
        } else
                fuse_reply_err(req, -r);
        if (d)
                dir_free(d);
        node_put(fs, n);
}

/* readdir, readdirplus: fuse_reply_buf, fuse_reply_err (ENOENT, EACCES, EIO,
 * ENOMEM). readdirplus gives each entry a kernel reference; an entry that
 * did not fit in the buffer, or a reply that did not reach the kernel, has
 * it taken back. */
static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi, bool plus) {
        struct fs *fs = fs_of(req);
        struct dirh *d = (struct dirh *)(uintptr_t)fi->fh;
        struct node *n = nodes_get(fs, ino);
        struct node **added = NULL;
        int64_t since = mono_ns();
        size_t pos = 0, nadded = 0;
        char *buf = NULL;
        int r = n ? 0 : -ENOENT;

        if (r == 0 && (off == 0 || !d->filled))
                r = node_check(fs, req, n, HIDEPID_NO_ACCESS);
        if (r == 0 && (off == 0 || !d->filled))
                r = fill(fs, req, n, d, since);
        if (r == 0 && (!(buf = malloc(size)) || (plus && !(added = calloc(size / 64 + 1, sizeof(*added))))))
                r = -ENOMEM;
        for (size_t i = off < 0 ? 0 : (size_t)off; r == 0 && i < d->n + 2; i++) {
                struct fuse_entry_param e = { 0 };
                const struct child *c = i >= 2 ? &d->kids[i - 2] : NULL;
                struct node *child = NULL;
                char namebuf[NPROCFS_NAME_SIZE];
                const char *name = i == 0 ? "." : i == 1 ? ".." : child_name(d, c, namebuf, sizeof(namebuf));
                size_t need;

                if (!c) {
                        e.attr.st_ino = i == 0 ? n->ino : nodes_parent_ino(fs, n);
                        e.attr.st_mode = S_IFDIR;
                } else if (plus) {
                        int rc = child_enter(fs, req, n, d->snap, c, since, &child, &e.attr, &e.attr_timeout);
                        if (rc == -ENOMEM) {
                                /* no room for its name (-o keys=): listed
                                 * with no inode, its lookup says why */
                                e.attr.st_ino = child_ino(fs, n, d, c);
                                e.attr.st_mode = child_type(c);
                        } else if (rc < 0)
                                continue; /* gone since the listing was made */
                        else {
                                e.ino = child->ino;
                                e.generation = child->gen;
                                e.entry_timeout = name_timeout(fs, child->kind);
                        }
                } else {
                        e.attr.st_ino = child_ino(fs, n, d, c);
                        e.attr.st_mode = child_type(c);
                }
                if (plus)
                        need = fuse_add_direntry_plus(req, buf + pos, size - pos, name, &e, (off_t)i + 1);
                else
                        need = fuse_add_direntry(req, buf + pos, size - pos, name, &e.attr, (off_t)i + 1);
                if (need > size - pos) {
                        if (child) {
                                nodes_unlookup(fs, child);
                                node_put(fs, child);
                        }
                        break;
                }
                pos += need;
                if (child)
                        added[nadded++] = child;
        }
        if (r == 0) {
                if (fuse_reply_buf(req, buf, pos) != 0)
                        for (size_t i = 0; i < nadded; i++)
                                nodes_unlookup(fs, added[i]);
        } else
                fuse_reply_err(req, -r);
        for (size_t i = 0; i < nadded; i++)
                node_put(fs, added[i]);
        free(added);
        free(buf);
        node_put(fs, n);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
        do_readdir(req, ino, size, off, fi, false);
}

static void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
        do_readdir(req, ino, size, off, fi, true);
}

/* releasedir: fuse_reply_err (0). */
static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        struct dirh *d = (struct dirh *)(uintptr_t)fi->fh;

        (void)ino;
        handle_del(fs_of(req), &d->h);
        dir_free(d);
        fuse_reply_err(req, 0);
}

/* The reply to a read can reach the kernel, which then sends the release,
 * before the handler that sent it is done: the last of the two frees. */
static void file_unref(struct fs *fs, struct fileh *h) {
        if (atomic_fetch_sub(&h->refs, 1) != 1)
                return;
        handle_del(fs, &h->h);
        if (h->pin) {
                value_lock_state(fs, h->pin);
                h->pin->pins--;
                value_unlock(fs, h->pin);
        }
        snap_put(h->snap);
        node_put(fs, h->node);
        free(h);
}

static uint64_t content_hash(const char *p, size_t len) {
        uint64_t h = UINT64_C(0xcbf29ce484222325);

        for (size_t i = 0; i < len; i++)
                h = (h ^ (unsigned char)p[i]) * UINT64_C(0x100000001b3);
        return h | 1; /* 0 means "nothing in the page cache" */
}

/* How an open file of value n reads a value of size bytes with this hash:
 * through the page cache (true: the file is pinned), keeping what it holds
 * when it is this very value, or around it (false).
 *
 * The kernel cuts a cached read at its st_size, which is the size of the
 * attribute reply it applied last: the one we sent last, unless two
 * requests crossed (the kernel keeps the first applied). So the page cache
 * is used only when our last reply said this size and no two replies told
 * two sizes while the kernel may still hold either: their attribute timeout
 * is at most the TTL, and once it ran out an open asks for the attributes
 * first (default_permissions checks them). While pinned files are open,
 * replies give their size, so no reply moves it under them. */
static struct vstate *value_pin(struct fs *fs, struct node *n, uint64_t size, uint64_t hash, bool *ret_keep) {
        struct vstate *v = value_state(fs, n, true);
        int64_t now = mono_ns();
        bool pin = false;

        if (!v)
                return NULL; /* no room to note what the kernel holds: around it */
        if (v->pins > 0)
                pin = size == v->pinned_size;
        else if (v->size_seen != size) {
                v->size_moved = now;
                bg_inval_inode(fs, n->ino); /* have it ask for the size again */
        } else
                pin = now - v->size_moved > fs->ttl + 1000000000;
        if (pin) {
                v->pins++;
                v->pinned_size = size;
                *ret_keep = v->page_hash == hash;
                v->page_hash = hash;
        } else
                v->page_hash = 0; /* the next cached open drops what is there */
        value_unlock(fs, v);
        return pin ? v : NULL;
}

/* open: fuse_reply_open, fuse_reply_err (EROFS, EISDIR, ENOENT, EACCES, EIO,
 * ENOMEM). The open file reads the parse current now, whatever happens to
 * the cache while it is open. */
static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        struct fs *fs = fs_of(req);
        struct node *n = nodes_get(fs, ino);
        struct fileh *h = NULL;
        struct snap *s = NULL;
        struct snap_text t;
        uint32_t ent = NONE;
        bool built = false;
        int r = !n ? -ENOENT : n->kind != K_VALUE ? -EISDIR : 0;

        if (r == 0 && ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)))
                r = -EROFS;
        if (r == 0)
                r = node_check(fs, req, n, HIDEPID_NO_ACCESS);
        if (r == 0 && restricted(n))
                r = may_read(fs, req, n);
        if (r == 0) {
                r = snap_get(fs, n->proc, n->schema, mono_ns(), &s);
                r = vanished(fs, n, r);
        }
        if (r == 0) {
                ent = snap_walk(s, n->path, n->path_len);
                if (ent == NONE || snap_is_dir(s, ent))
                        r = -ENOENT;
        }
        if (r == 0) {
                snap_value(s, ent, &t);
                /* a built value is followed by its '\n' in the snapshot */
                built = t.newline;
                if (!(h = malloc(sizeof(*h) + (built ? 0 : t.len + 1))))
                        r = -ENOMEM;
        }
        if (r < 0) {
                fuse_reply_err(req, -r);
                snap_put(s);
                node_put(fs, n);
                return;
        }
        /* from here the open file holds n and s */
        *h = (struct fileh){ .node = n, .snap = s, .text = t.ptr, .size = t.len + 1 };
        if (!built) {
                memcpy(h->own, t.ptr, t.len);
                h->own[t.len] = '\n';
                h->text = h->own;
        }
        atomic_init(&h->refs, 1);
        handle_add(fs, &h->h, false);
        fi->fh = (uintptr_t)h;
        fi->noflush = 1;
        if (!restricted(n)) { /* no copy of a secret in the page cache */
                bool keep = false;
                h->pin = value_pin(fs, n, h->size, content_hash(h->text, h->size), &keep);
                fi->keep_cache = h->pin && keep;
        }
        fi->direct_io = !h->pin;
        if (fuse_reply_open(req, fi) != 0)
                file_unref(fs, h);
}

/* read: fuse_reply_buf. */
static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi) {
        struct fs *fs = fs_of(req); /* a reply frees req */
        struct fileh *h = (struct fileh *)(uintptr_t)fi->fh;

        (void)ino;
        atomic_fetch_add(&h->refs, 1);
        if (off < 0 || (uint64_t)off >= h->size)
                fuse_reply_buf(req, NULL, 0);
        else
                fuse_reply_buf(req, h->text + off, size < h->size - (uint64_t)off ? size : h->size - (size_t)off);
        file_unref(fs, h);
}

/* flush: fuse_reply_err (0). Not asked for: every open sets noflush. */
static void op_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        (void)ino;
        (void)fi;
        fuse_reply_err(req, 0);
}

/* release: fuse_reply_err (0). */
static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi) {
        (void)ino;
        file_unref(fs_of(req), (struct fileh *)(uintptr_t)fi->fh);
        fuse_reply_err(req, 0);
}

/* The extended attributes of n: type, unit, source and doc of a value;
 * source and doc of a file's directory; none elsewhere. */
struct xattrs {
        const char *value[4]; /* by xattr_names index; NULL: n has none */
        char source[PATH_IN_MAX + 128];
};

static int node_xattrs(struct fs *fs, fuse_req_t req, struct node *n, struct xattrs *x) {
        const struct nprocfs_schema *s;
        const struct nprocfs_field *f;
        struct nprocfs_entry e;
        struct nprocfs_str key;
        char path[PATH_IN_MAX];
        struct snap *snap;
        uint32_t ent;
        int r;

        memset(x->value, 0, sizeof(x->value));
        r = node_check(fs, req, n, HIDEPID_NO_ACCESS);
        if (r < 0)
                return r;
        if (!in_file(n) || n->kind == K_LINK) /* no user.* attributes on a symlink */
                return 0;
        s = nprocfs_schemas[n->schema];
        if (n->kind == K_DIR) {
                if (n->path_len > 0)
                        return 0;
                snprintf(x->source, sizeof(x->source), "%s%s",
                         s->scope == NPROCFS_SCOPE_PID ? "/proc/<pid>/" : "/proc/", s->path);
                x->value[2] = x->source;
                x->value[3] = s->doc ? s->doc : "";
                return 0;
        }
        if (restricted(n)) {
                r = may_read(fs, req, n);
                if (r < 0)
                        return r;
        }
        r = snap_get(fs, n->proc, n->schema, mono_ns(), &snap);
        if (r < 0)
                return vanished(fs, n, r);
        ent = snap_walk(snap, n->path, n->path_len);
        if (ent == NONE || snap_is_dir(snap, ent) || !(f = snap_field(snap, ent, &key))) {
                snap_put(snap);
                return -ENOENT;
        }
        e = (struct nprocfs_entry){
                .path = path, .path_len = snap_path(snap, ent, path, sizeof(path)), .value = "", .field = f, .key = key
        };
        nprocfs_entry_source(s, &e, x->source, sizeof(x->source));
        snap_put(snap);
        x->value[0] = nprocfs_type_name((enum nprocfs_type)f->type);
        x->value[1] = nprocfs_unit_name((enum nprocfs_unit)f->unit);
        x->value[2] = x->source;
        x->value[3] = f->doc ? f->doc : "";
        return 0;
}

/* getxattr: fuse_reply_buf, fuse_reply_xattr, fuse_reply_err (ENODATA,
 * ERANGE, ENOENT, EACCES, EIO). */
static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size) {
        struct fs *fs = fs_of(req);
        struct node *n = nodes_get(fs, ino);
        struct xattrs *x = NULL;
        int which = -1, r = n ? 0 : -ENOENT;

        for (int i = 0; i < 4; i++)
                if (strcmp(name, xattr_names[i]) == 0)
                        which = i;
        if (r == 0 && which < 0)
                r = -ENODATA; /* security.*, system.posix_acl_*: none, without a parse */
        if (r == 0 && !(x = malloc(sizeof(*x))))
                r = -ENOMEM;
        if (r == 0)
                r = node_xattrs(fs, req, n, x);
        if (r == 0 && !x->value[which])
                r = -ENODATA;
        if (r == 0) {
                size_t len = strlen(x->value[which]);
                if (size == 0)
                        fuse_reply_xattr(req, len);
                else if (size < len)
                        fuse_reply_err(req, ERANGE);
                else
                        fuse_reply_buf(req, x->value[which], len);
        } else
                fuse_reply_err(req, -r);
        free(x);
        node_put(fs, n);
}

/* listxattr: fuse_reply_buf, fuse_reply_xattr, fuse_reply_err (ERANGE,
 * ENOENT). The names depend on the kind of node only. */
static void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size) {
        struct fs *fs = fs_of(req);
        struct node *n = nodes_get(fs, ino);
        char list[128];
        size_t len = 0;

        if (!n) {
                fuse_reply_err(req, ENOENT);
                return;
        }
        for (int i = 0; i < 4 && in_file(n) && n->kind != K_LINK; i++) {
                if (n->kind == K_DIR && (n->path_len > 0 || i < 2))
                        continue;
                memcpy(list + len, xattr_names[i], strlen(xattr_names[i]) + 1);
                len += strlen(xattr_names[i]) + 1;
        }
        if (size == 0)
                fuse_reply_xattr(req, len);
        else if (size < len)
                fuse_reply_err(req, ERANGE);
        else
                fuse_reply_buf(req, list, len);
        node_put(fs, n);
}

/* statfs: fuse_reply_statfs. */
static void op_statfs(fuse_req_t req, fuse_ino_t ino) {
        struct statvfs sv = { .f_bsize = 4096, .f_frsize = 4096, .f_namemax = NAME_MAX_ };

        (void)ino;
        sv.f_files = nodes_count(fs_of(req));
        fuse_reply_statfs(req, &sv);
}

/* Everything that would change the tree: fuse_reply_err (EROFS). The mount
 * is read-only too, so the kernel refuses most of these itself. */
static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set, struct fuse_file_info *fi) {
        (void)ino, (void)attr, (void)to_set, (void)fi;
        fuse_reply_err(req, EROFS);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev) {
        (void)parent, (void)name, (void)mode, (void)rdev;
        fuse_reply_err(req, EROFS);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode) {
        (void)parent, (void)name, (void)mode;
        fuse_reply_err(req, EROFS);
}

static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name) {
        (void)parent, (void)name;
        fuse_reply_err(req, EROFS);
}

static void op_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name) {
        (void)link, (void)parent, (void)name;
        fuse_reply_err(req, EROFS);
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent, const char *newname,
                      unsigned int flags) {
        (void)parent, (void)name, (void)newparent, (void)newname, (void)flags;
        fuse_reply_err(req, EROFS);
}

static void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname) {
        (void)ino, (void)newparent, (void)newname;
        fuse_reply_err(req, EROFS);
}

static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
                     struct fuse_file_info *fi) {
        (void)ino, (void)buf, (void)size, (void)off, (void)fi;
        fuse_reply_err(req, EROFS);
}

static void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, struct fuse_file_info *fi) {
        (void)parent, (void)name, (void)mode, (void)fi;
        fuse_reply_err(req, EROFS);
}

static void op_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value, size_t size, int flags) {
        (void)ino, (void)name, (void)value, (void)size, (void)flags;
        fuse_reply_err(req, EROFS);
}

static void op_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name) {
        (void)ino, (void)name;
        fuse_reply_err(req, EROFS);
}

static void op_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t offset, off_t length,
                         struct fuse_file_info *fi) {
        (void)ino, (void)mode, (void)offset, (void)length, (void)fi;
        fuse_reply_err(req, EROFS);
}

static const struct fuse_lowlevel_ops ops = {
        .init = op_init,
        .lookup = op_lookup,
        .forget = op_forget,
        .forget_multi = op_forget_multi,
        .getattr = op_getattr,
        .readlink = op_readlink,
        .opendir = op_opendir,
        .readdir = op_readdir,
        .readdirplus = op_readdirplus,
        .releasedir = op_releasedir,
        .open = op_open,
        .read = op_read,
        .flush = op_flush,
        .release = op_release,
        .getxattr = op_getxattr,
        .listxattr = op_listxattr,
        .statfs = op_statfs,
        .setattr = op_setattr,
        .mknod = op_mknod,
        .mkdir = op_mkdir,
        .unlink = op_unlink,
        .rmdir = op_unlink,
        .symlink = op_symlink,
        .rename = op_rename,
        .link = op_link,
        .write = op_write,
        .create = op_create,
        .setxattr = op_setxattr,
        .removexattr = op_removexattr,
        .fallocate = op_fallocate,
};

const struct fuse_lowlevel_ops *fs_ops(void) {
        return &ops;
}

void handles_free(struct fs *fs) {
        while (fs->handles) {
                struct handle *h = fs->handles;
                fs->handles = h->next;
                if (h->dir)
                        dir_free((struct dirh *)h);
                else {
                        struct fileh *f = (struct fileh *)h;
                        snap_put(f->snap);
                        node_put(fs, f->node);
                        free(f);
                }
        }
}
