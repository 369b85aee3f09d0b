/* The callers: who is asking, as the FUSE request says (fsuid, fsgid and
 * thread id of the caller), and what /proc would show them.
 *
 * The kernel enforces modes and owners (default_permissions): a process's
 * entries carry its owner, restricted files are 0400. /proc adds two checks
 * of its own, mirrored here so that -o allow_other shows no caller more than
 * /proc would:
 *
 *   ptrace read access (PTRACE_MODE_READ_FSCREDS, kernel/ptrace.c
 *   __ptrace_may_access and security/commoncap.c cap_ptrace_access_check),
 *   which guards restricted files (environ, io) and single fields (stat's
 *   addresses): the caller may read when it is in the target's thread group,
 *   or when
 *     - its fsuid is the target's real, effective and saved uid and its fsgid
 *       the three gids, or it has CAP_SYS_PTRACE in the target's user
 *       namespace;
 *     - the target is dumpable, or the caller has CAP_SYS_PTRACE over the
 *       namespace the target's memory belongs to;
 *     - the caller is in the target's user namespace and the target's
 *       permitted capabilities are within the caller's effective ones, or it
 *       has CAP_SYS_PTRACE in the target's user namespace.
 *   A capability counts only in the namespace it was granted in and those it
 *   owns: the namespaces are compared by inode, and walked up with
 *   NS_GET_PARENT. Where a fact cannot be had exactly, the answer is no: a
 *   capability in any namespace but the daemon's own counts only when the
 *   namespaces can be walked (the root is our /proc); a target whose
 *   dumpability is unknown (owned by root either way) counts as not
 *   dumpable; the memory's namespace is taken to be the daemon's own, an
 *   ancestor of any.
 *
 *   hidepid= and subset=pid of the served procfs (fs/proc/base.c
 *   has_pid_permissions, fs/proc/root.c), read from its mount options.
 *
 * The caller's credentials come from the running system's /proc, whatever
 * root is served.
 *
 * Reading them costs more than the read it guards (two status files, two
 * namespace links): a decision is kept on the process identity for a
 * moment (struct grant, fs.h), for the caller thread and ids the request
 * names, so that a caller reading a process's entries one after another
 * (smaps/ has thousands) is checked once per GRANT_NS. */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <nprocfs/records.h>

#include "fs.h"

#define CAP_SYS_PTRACE_BIT 19
#define NS_DEPTH_MAX       33 /* the kernel nests user namespaces 32 deep */

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

static void parse_groups(struct creds *c, const struct nprocfs_pid_status *st) {
        const char *p = st->groups.ptr, *end = p + st->groups.len;

        c->ngroups = 0;
        while (p < end) {
                const char *e = p;
                uint64_t v;

                while (e < end && *e != '\n')
                        e++;
                if (e > p && nprocfs_parse_u64(p, (size_t)(e - p), &v) == 0 && v <= UINT32_MAX) {
                        if (c->ngroups == MAX_GROUPS) {
                                c->groups_cut = true;
                                return;
                        }
                        c->groups[c->ngroups++] = (uint32_t)v;
                }
                p = e + 1;
        }
}

int read_creds(struct fs *fs, nprocfs_ctx *ctx, pid_t pid, pid_t tid, struct creds *ret) {
        struct nprocfs_rec *rec = scratch_status(fs);
        const struct nprocfs_pid_status *st = (const struct nprocfs_pid_status *)rec;
        struct creds c = { 0 };
        int r;

        if (!rec)
                return -ENOMEM;
        r = nprocfs_rec_read(ctx, rec, pid, tid);
        if (r < 0)
                return r;
        c.has_ids = NPROCFS_HAS(st, pid_status, uid_real) && NPROCFS_HAS(st, pid_status, uid_effective) &&
                    NPROCFS_HAS(st, pid_status, uid_saved) && NPROCFS_HAS(st, pid_status, gid_real) &&
                    NPROCFS_HAS(st, pid_status, gid_effective) && NPROCFS_HAS(st, pid_status, gid_saved);
        if (c.has_ids) {
                c.uid[0] = st->uid_real;
                c.uid[1] = st->uid_effective;
                c.uid[2] = st->uid_saved;
                c.gid[0] = st->gid_real;
                c.gid[1] = st->gid_effective;
                c.gid[2] = st->gid_saved;
        }
        c.has_caps = NPROCFS_HAS(st, pid_status, capprm) && NPROCFS_HAS(st, pid_status, capeff);
        if (c.has_caps) {
                c.capprm = st->capprm;
                c.capeff = st->capeff;
        }
        c.has_tgid = NPROCFS_HAS(st, pid_status, tgid);
        c.tgid = c.has_tgid ? st->tgid : 0;
        if (NPROCFS_HAS(st, pid_status, groups))
                parse_groups(&c, st);
        c.has_mm = NPROCFS_HAS(st, pid_status, vmsize_bytes);
        *ret = c;
        return 0;
}

int caller_ids(struct fs *fs, fuse_req_t req, pid_t *ret_pid, pid_t *ret_tid) {
        const struct fuse_ctx *ctx = fuse_req_ctx(req);
        struct creds c;
        int r;

        /* 0: the caller is in a pid namespace this mount cannot see */
        if (ctx->pid <= 0)
                return -ENOENT;
        r = read_creds(fs, fs->live, ctx->pid, 0, &c);
        if (r < 0)
                return r == -ENOMEM ? r : -ENOENT;
        if (!c.has_tgid || c.tgid == 0 || c.tgid > INT32_MAX)
                return -ENOENT;
        *ret_pid = (pid_t)c.tgid;
        *ret_tid = ctx->pid; /* FUSE names the calling thread */
        return 0;
}

/* ---- user namespaces --------------------------------------------------- */

/* The inode of the user namespace of ROOT/<pid>[/task/<tid>] of ctx, from
 * the text of its ns/user link ("user:[4026531837]"). The link itself is
 * opened, not followed, and must be procfs's own: a root that put a file of
 * its choosing there gets no answer. */
static int userns_of(nprocfs_ctx *ctx, pid_t pid, pid_t tid, uint64_t *ret) {
        char path[64], text[64];
        struct statfs sfs;
        uint64_t v;
        ssize_t n;
        int fd;

        if (tid)
                snprintf(path, sizeof(path), "%d/task/%d/ns/user", (int)pid, (int)tid);
        else
                snprintf(path, sizeof(path), "%d/ns/user", (int)pid);
        fd = nprocfs_open_path(ctx, path, O_PATH | O_NOFOLLOW);
        if (fd < 0)
                return fd;
        if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
                close(fd);
                return -EACCES;
        }
        n = readlinkat(fd, "", text, sizeof(text) - 1);
        close(fd);
        if (n < 0)
                return errno == ESRCH ? -ENOENT : -errno;
        if (n < 8 || memcmp(text, "user:[", 6) != 0 || text[n - 1] != ']' ||
            nprocfs_parse_u64(text + 6, (size_t)n - 7, &v) < 0)
                return -EACCES;
        *ret = v;
        return 0;
}

/* Whether a caller whose user namespace is caller_ns, with effective uid
 * euid and CAP_SYS_PTRACE effective or not (cap), has that capability in
 * the user namespace of process target of our own /proc (the kernel's
 * cap_capable): in its own namespace if cap; in a namespace below its own
 * if cap or if it owns the one just below its own on the way up. */
static bool cap_over_ns_of(struct fs *fs, uint64_t caller_ns, uint64_t euid, bool cap, pid_t pid, pid_t tid) {
        char path[64];
        int fd;
        bool ok = false;

        if (tid)
                snprintf(path, sizeof(path), "%d/task/%d/ns/user", (int)pid, (int)tid);
        else
                snprintf(path, sizeof(path), "%d/ns/user", (int)pid);
        /* our own /proc, trusted: the link may be followed */
        fd = openat(nprocfs_ctx_root_fd(fs->live), path, O_RDONLY | O_CLOEXEC);
        for (int depth = 0; fd >= 0 && depth < NS_DEPTH_MAX; depth++) {
                struct stat st, pst;
                uid_t owner;
                int parent;

                if (fstat(fd, &st) < 0)
                        break;
                if ((uint64_t)st.st_ino == caller_ns) {
                        ok = cap;
                        break;
                }
                parent = ioctl(fd, NS_GET_PARENT);
                if (parent < 0)
                        break; /* the top, or above the daemon's own */
                if (fstat(parent, &pst) == 0 && (uint64_t)pst.st_ino == caller_ns) {
                        ok = cap || (ioctl(fd, NS_GET_OWNER_UID, &owner) == 0 && owner == euid);
                        close(parent);
                        break;
                }
                close(fd);
                fd = parent;
        }
        if (fd >= 0)
                close(fd);
        return ok;
}

/* ---- ptrace read access ------------------------------------------------ */

struct caller {
        uid_t fsuid;
        gid_t fsgid;
        struct creds c;  /* all zero if unknown: no capabilities */
        uint64_t userns; /* 0 if unknown */
};

static void caller_get(struct fs *fs, fuse_req_t req, struct caller *ret) {
        const struct fuse_ctx *ctx = fuse_req_ctx(req);

        *ret = (struct caller){ .fsuid = ctx->uid, .fsgid = ctx->gid };
        if (ctx->pid <= 0 || read_creds(fs, fs->live, ctx->pid, 0, &ret->c) < 0 ||
            userns_of(fs->live, ctx->pid, 0, &ret->userns) < 0) {
                memset(&ret->c, 0, sizeof(ret->c));
                ret->userns = 0;
        }
}

static bool has_ptrace_cap(const struct caller *who) {
        return who->c.has_caps && (who->c.capeff >> CAP_SYS_PTRACE_BIT & 1);
}

/* CAP_SYS_PTRACE of the caller in the user namespace target_ns of p (0:
 * unknown, which only a capability in the daemon's own namespace, the
 * ancestor of all it can see, outweighs). */
static bool cap_in(struct fs *fs, const struct caller *who, uint64_t target_ns, const struct proc *p) {
        bool cap = has_ptrace_cap(who);

        if (who->userns == 0)
                return false;
        if (who->userns == fs->top_userns)
                return cap;
        if (target_ns == 0)
                return false;
        if (target_ns == who->userns)
                return cap;
        if (!fs->root_ours || !who->c.has_ids)
                return false;
        return cap_over_ns_of(fs, who->userns, who->c.uid[1], cap, p->pid, p->tid);
}

static bool all_equal(const uint64_t v[3], uint64_t x) {
        return v[0] == x && v[1] == x && v[2] == x;
}

static int ptrace_read(struct fs *fs, const struct caller *who, struct proc *p) {
        struct creds target;
        struct owner owner;
        uint64_t target_ns = 0;
        bool ids, dumpable;
        int r;

        /* the caller's own thread group */
        if (fs->root_ours && who->c.has_tgid && who->c.tgid == (uint64_t)p->pid)
                return 0;
        /* a link the daemon may not read is a process of a namespace above
         * its own (or gone): unknown */
        if (!fs->root_live)
                target_ns = fs->top_userns; /* a snapshot knows no namespaces */
        else if (userns_of(fs->ctx, p->pid, p->tid, &target_ns) < 0)
                target_ns = 0;
        /* a capability in the daemon's own namespace is over every one below
         * it, the memory's too */
        if (target_ns != 0 && who->userns == fs->top_userns && has_ptrace_cap(who))
                return 0;
        r = read_creds(fs, fs->ctx, p->pid, p->tid, &target);
        if (r == -ENOENT || r == -ENOMEM)
                return r;
        if (r < 0 || !target.has_ids)
                return -EACCES;
        /* the status just read must be the identity's, not a recycled pid's */
        r = proc_verify(fs, p);
        if (r < 0)
                return r;

        ids = all_equal(target.uid, who->fsuid) && all_equal(target.gid, who->fsgid);
        if (!ids && !cap_in(fs, who, target_ns, p))
                return -EACCES;

        r = proc_owner_now(fs, p, &owner);
        if (r < 0)
                return r;
        /* /proc gives a process that is not dumpable to root (of its memory's
         * namespace): an owner other than its euid says so; root's own
         * processes cannot tell, and count as not dumpable */
        dumpable = owner.file_uid == target.uid[1] && target.uid[1] != 0;
        if (!dumpable && !(who->userns == fs->top_userns && has_ptrace_cap(who)))
                return -EACCES;

        /* commoncap: the target's permitted set within the caller's
         * effective one, compared only inside one user namespace */
        if (target_ns != 0 && target_ns == who->userns && target.has_caps &&
            (target.capprm & ~(who->c.has_caps ? who->c.capeff : 0)) == 0)
                return 0;
        return cap_in(fs, who, target_ns, p) ? 0 : -EACCES;
}

/* ---- decisions kept for a moment (struct grant) ------------------------ */

/* How long a decision lives: GRANT_NS, never longer than the values' TTL
 * (with ttl=0 every request is checked anew, as every read parses anew). */
static int64_t grant_life(const struct fs *fs) {
        return fs->ttl < GRANT_NS ? fs->ttl : GRANT_NS;
}

/* The decision kept for the caller of req on p: 0 or -EACCES, or 1 when
 * there is none. */
/* The owners of p now, as a decision is checked against them: on a live
 * root, from /proc (two fstat()s); a snapshot's do not change. */
static int owner_now(struct fs *fs, struct proc *p, struct owner *ret) {
        if (!fs->root_live) {
                *ret = (struct owner){ 0 };
                return 0;
        }
        return proc_owner_now(fs, p, ret);
}

static int grant_find(struct fs *fs, fuse_req_t req, struct proc *p, bool mm) {
        const struct fuse_ctx *ctx = fuse_req_ctx(req);
        int64_t now = mono_ns(), life = grant_life(fs);
        struct grant g = { 0 };
        struct owner o;

        if (life <= 0 || ctx->pid <= 0)
                return 1;
        pthread_mutex_lock(&p->lock);
        for (unsigned i = 0; i < GRANTS; i++) {
                const struct grant *x = &p->grants[i];
                if (x->at != 0 && now - x->at < life && x->caller == ctx->pid && x->uid == ctx->uid &&
                    x->gid == ctx->gid && x->mm == mm) {
                        g = *x;
                        break;
                }
        }
        pthread_mutex_unlock(&p->lock);
        if (g.at == 0 || owner_now(fs, p, &o) < 0 || memcmp(&o, &g.owner, sizeof(o)) != 0)
                return 1;
        return g.denied;
}

/* Keeps decision r for the caller of req, made from facts read after
 * time at, when p's owners were o (read before the facts: an owner that
 * changed while the decision was made fails to match the next time); only
 * a yes or a no: a process gone or memory short is asked again. */
static int grant_keep(struct fs *fs, fuse_req_t req, struct proc *p, bool mm, int64_t at, const struct owner *o,
                      int r) {
        const struct fuse_ctx *ctx = fuse_req_ctx(req);

        if ((r != 0 && r != -EACCES) || !o || grant_life(fs) <= 0 || ctx->pid <= 0)
                return r;
        pthread_mutex_lock(&p->lock);
        p->grants[p->grant_next++ % GRANTS] = (struct grant){ .at = at,
                                                              .caller = ctx->pid,
                                                              .uid = ctx->uid,
                                                              .gid = ctx->gid,
                                                              .mm = mm,
                                                              .denied = (int8_t)r,
                                                              .owner = *o };
        pthread_mutex_unlock(&p->lock);
        return r;
}

void perm_forget(struct proc *p) {
        /* under p->lock */
        memset(p->grants, 0, sizeof(p->grants));
}

static int may_read_now(struct fs *fs, fuse_req_t req, struct proc *p) {
        struct caller who;

        caller_get(fs, req, &who);
        return ptrace_read(fs, &who, p);
}

int perm_may_read(struct fs *fs, fuse_req_t req, struct proc *p) {
        int64_t at = mono_ns(); /* before the facts are read */
        struct owner o;
        int r = grant_find(fs, req, p, false);
        bool known;

        if (r <= 0)
                return r;
        known = owner_now(fs, p, &o) == 0;
        return grant_keep(fs, req, p, false, at, known ? &o : NULL, may_read_now(fs, req, p));
}

int perm_may_read_mm(struct fs *fs, fuse_req_t req, struct proc *p) {
        int64_t at = mono_ns();
        struct creds target;
        struct owner o;
        int r = grant_find(fs, req, p, true);
        bool known;

        if (r <= 0)
                return r;
        known = owner_now(fs, p, &o) == 0;
        r = read_creds(fs, fs->ctx, p->pid, p->tid, &target);
        if (r == -ENOENT || r == -ENOMEM)
                return r;
        /* mm_access: no memory, nothing to guard; checked alive after */
        if (r == 0 && !target.has_mm && proc_verify(fs, p) == 0)
                return grant_keep(fs, req, p, true, at, known ? &o : NULL, 0);
        return grant_keep(fs, req, p, true, at, known ? &o : NULL, may_read_now(fs, req, p));
}

/* ---- hidepid ------------------------------------------------------------ */

static bool in_group(const struct caller *who, gid_t g) {
        if (who->fsgid == g)
                return true;
        for (unsigned i = 0; i < who->c.ngroups; i++)
                if (who->c.groups[i] == g)
                        return true;
        return false;
}

int perm_may_see(struct fs *fs, fuse_req_t req, struct proc *p, int min) {
        struct caller who;
        int r;

        if (fs->hidepid == 0 || !p || p->pid == 0)
                return 0;
        if (fs->hidepid != HIDEPID_PTRACEABLE && fs->hidepid < min)
                return 0;
        caller_get(fs, req, &who);
        if (fs->hidepid != HIDEPID_PTRACEABLE && in_group(&who, fs->hide_gid))
                return 0;
        r = ptrace_read(fs, &who, p);
        if (r == -EACCES)
                return fs->hidepid == HIDEPID_NO_ACCESS ? -EACCES : -ENOENT;
        return r;
}

/* The super options of the mount that holds fd, from /proc/self/mountinfo
 * ("... - proc proc rw,hidepid=invisible,subset=pid"). */
static int super_options(int fd, char *buf, size_t size) {
        struct statx stx;
        char *line = NULL;
        size_t cap = 0;
        FILE *f;
        int r = -ENOENT;

        if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
                return -errno;
        if (!(stx.stx_mask & STATX_MNT_ID))
                return -EOPNOTSUPP;
        f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return -errno;
        while (getline(&line, &cap, f) > 0) {
                char *sep, *opts, *end;
                unsigned long long id;

                if (sscanf(line, "%llu", &id) != 1 || id != stx.stx_mnt_id)
                        continue;
                sep = strstr(line, " - ");
                /* " - TYPE SOURCE OPTIONS" */
                opts = sep ? strchr(sep + 3, ' ') : NULL;
                opts = opts ? strchr(opts + 1, ' ') : NULL;
                if (!opts)
                        break;
                opts++;
                end = opts + strcspn(opts, " \n");
                *end = 0;
                snprintf(buf, size, "%s", opts);
                r = 0;
                break;
        }
        free(line);
        fclose(f);
        return r;
}

static void parse_procfs_options(struct fs *fs, char *opts) {
        for (char *save = NULL, *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
                uint64_t v;

                if (strncmp(o, "hidepid=", 8) == 0) {
                        const char *w = o + 8;
                        if (strcmp(w, "off") == 0 || strcmp(w, "0") == 0)
                                fs->hidepid = 0;
                        else if (strcmp(w, "noaccess") == 0 || strcmp(w, "1") == 0)
                                fs->hidepid = HIDEPID_NO_ACCESS;
                        else if (strcmp(w, "invisible") == 0 || strcmp(w, "2") == 0)
                                fs->hidepid = HIDEPID_INVISIBLE;
                        else /* ptraceable, 4, or a level this does not know: the strictest */
                                fs->hidepid = HIDEPID_PTRACEABLE;
                } else if (strcmp(o, "subset=pid") == 0)
                        fs->subset_pid = true;
                else if (strncmp(o, "subset=", 7) == 0)
                        fs->subset_pid = true; /* unknown subsets show no more than pid */
                else if (strncmp(o, "gid=", 4) == 0 && nprocfs_parse_u64(o + 4, strlen(o + 4), &v) == 0 &&
                         v < UINT32_MAX)
                        fs->hide_gid = (gid_t)v;
        }
}

int perm_init(struct fs *fs) {
        char opts[1024];
        struct stat st;
        int r;

        fs->hidepid = 0;
        fs->subset_pid = false;
        fs->hide_gid = 0; /* the kernel's default: root's group is spared */
        if (stat("/proc/self/ns/user", &st) == 0)
                fs->top_userns = (uint64_t)st.st_ino;
        if (!fs->root_live)
                return 0;
        r = super_options(nprocfs_ctx_root_fd(fs->ctx), opts, sizeof(opts));
        if (r < 0) {
                /* a procfs whose options cannot be read may hide anything */
                fs_log(LOG_WARNING,
                       "%s: mount options unreadable (%s): processes are shown only to who may ptrace them",
                       fs->root_path, strerror(-r));
                fs->hidepid = HIDEPID_PTRACEABLE;
                return 0;
        }
        parse_procfs_options(fs, opts);
        if (fs->hidepid)
                fs_log(LOG_INFO, "%s: hidepid=%u%s: processes are shown per caller", fs->root_path, fs->hidepid,
                       fs->subset_pid ? ", subset=pid" : "");
        return 0;
}
