/* The callers: who is asking, as the FUSE request says (uid, gid and thread
 * id of the caller), and whether /proc would let them read a restricted
 * file.
 *
 * The kernel enforces modes and owners (default_permissions): a process's
 * entries carry its owner, restricted files are 0400. /proc adds a
 * ptrace-style check for those files (PTRACE_MODE_READ_FSCREDS), which this
 * mirrors, so that -o allow_other does not leak another user's data:
 *   - a caller with CAP_SYS_PTRACE in its effective set may read;
 *   - else its uid must be the target's real, effective and saved uid, its
 *     gid the target's three gids, the target must be dumpable (else the
 *     kernel gives the files of /proc/<pid> to root, so their owner must be
 *     the target's euid), and the target's permitted capabilities a subset
 *     of the caller's.
 * The caller's credentials come from the running system's /proc, whatever
 * root is served. */
#include <errno.h>
#include <string.h>

#include <nprocfs/records.h>

#include "fs.h"

#define CAP_SYS_PTRACE_BIT 19

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

static bool all_equal(const uint64_t v[3], uint64_t x) {
        return v[0] == x && v[1] == x && v[2] == x;
}

int perm_may_read(struct fs *fs, fuse_req_t req, struct proc *p) {
        const struct fuse_ctx *ctx = fuse_req_ctx(req);
        struct creds caller = { 0 }, target;
        struct owner owner;
        int r;

        if (ctx->pid > 0 && read_creds(fs, fs->live, ctx->pid, 0, &caller) < 0)
                memset(&caller, 0, sizeof(caller)); /* unknown: no capabilities */
        if (caller.has_caps && (caller.capeff >> CAP_SYS_PTRACE_BIT & 1))
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
        if (!all_equal(target.uid, ctx->uid) || !all_equal(target.gid, ctx->gid))
                return -EACCES;
        r = proc_owner_now(fs, p, &owner);
        if (r < 0)
                return r;
        if (owner.file_uid != target.uid[1])
                return -EACCES; /* not dumpable: /proc gave its files to root */
        if (target.has_caps && (target.capprm & ~caller.capprm) != 0)
                return -EACCES;
        return 0;
}
