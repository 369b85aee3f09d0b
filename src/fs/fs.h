/* The nprocfs filesystem: internal interfaces of the daemon.
 *
 * struct fs is everything the FUSE handlers share; there is no other server
 * state. The driver knows no field of any /proc file: it walks the schema
 * (nprocfs_schemas) and the entries nprocfs_rec_foreach yields.
 *
 * Pieces, one file each:
 *   inode.c   the inode table: FUSE inode number -> node, lookup counts
 *   cache.c   parsed source files (snapshots), per process identity, with a TTL
 *   perm.c    the callers' credentials: self, and /proc's ptrace-style check
 *   bg.c      the background threads: kernel cache invalidation and the sweep
 *   ops.c     the fuse_lowlevel_ops
 *   main.c    options, mount, signals, daemon, logging
 *
 * Identity: on a live root a process (or thread) is its directory in the
 * proc tree, held open: the kernel ties that descriptor to the process, so
 * it is stale once the process is gone, however soon its pid is reused
 * (start times do not tell apart two processes started in one clock tick).
 * Each identity has a serial number; a recycled pid is another identity:
 * another cache entry, other inode numbers, another generation. */
#ifndef NPROCFS_FS_H
#define NPROCFS_FS_H

#define FUSE_USE_VERSION 312

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>

#include <fuse_lowlevel.h>
#include <nprocfs/nprocfs.h>

#define NONE      UINT32_MAX
#define NAME_MAX_ 255

/* The schemas the daemon serves: counted from the list the library is built
 * from (it links the library's static archive, so nprocfs_schemas[] has no
 * other; main.c checks it at start). A node names its schema in one byte. */
enum {
#define NPROCFS_SCHEMA(id, source) SCHEMA_INDEX_##id,
#include <nprocfs/schemas.def>
        MAX_SCHEMAS
};
static_assert(MAX_SCHEMAS <= 256, "more schemas than the one byte of struct node's and struct nkey's schema holds");

/* A set of schemas (by index in nprocfs_schemas[]), one bit each. */
struct schema_set {
        uint64_t w[(MAX_SCHEMAS + 63) / 64];
};

static inline bool set_has(const struct schema_set *s, unsigned i) {
        return (s->w[i / 64] >> (i % 64)) & 1;
}

static inline void set_add(struct schema_set *s, unsigned i) {
        s->w[i / 64] |= UINT64_C(1) << (i % 64);
}

static inline void set_del(struct schema_set *s, unsigned i) {
        s->w[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

static inline bool set_empty(const struct schema_set *s) {
        for (size_t i = 0; i < sizeof(s->w) / sizeof(s->w[0]); i++)
                if (s->w[i])
                        return false;
        return true;
}

/* How long the kernel may keep a name (and the attributes of a directory)
 * without asking again. A process's directory is valid for its whole life;
 * the sweep tells the kernel when one goes away. */
#define NAME_TIMEOUT 3600.0

/* ---- logging (main.c) ------------------------------------------------ */

void fs_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline int64_t mono_ns(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- snapshots: one parsed source file (cache.c) --------------------- */

/* One name inside a file's directory: a value, or a directory of values
 * (a group, a table row). Entry 0 is the file's directory itself. Strings
 * are offsets into the snapshot's arena. */
struct snap_ent {
        const struct nprocfs_field *field; /* values: the schema row */
        uint32_t name;                     /* NUL-terminated */
        uint32_t parent;                   /* the directory holding it */
        uint32_t next;                     /* the next name of that directory, or NONE */
        uint32_t first, last;              /* directories: their names, in schema order */
        uint32_t value;                    /* values: the bytes, then '\n' */
        uint32_t size;                     /* values: length with the '\n' */
        uint32_t key, key_len;             /* the source key (unknown keys, rows) */
        uint16_t name_len;
        uint8_t is_dir;
        uint8_t lazy; /* a field of the record: value is its index, formatted when asked */
};

/* A table's rows are not built into entries: the snapshot keeps the typed
 * record, and its entries are numbered past the built ones, named and
 * formatted when asked (a 2,000-mapping smaps has 80,000 entries, and a
 * read wants one). SNAP_ROW + i is row i's directory, SNAP_CELL + i *
 * stride + j its entry j (nprocfs_row_entry). */
#define SNAP_ROW  UINT32_C(0x40000000)
#define SNAP_CELL UINT32_C(0x80000000)

struct snap_rows {
        const struct nprocfs_rec *rec; /* the snapshot's */
        uint32_t n, stride, hmask;
        uint32_t *hash;     /* row name -> i + 1; 0 is empty */
        uint32_t *name;     /* row i's name: offset in names */
        uint16_t *name_len; /* 0: row i has no entry */
        char *names;
};

/* Immutable once built, shared by reference count: a reader that holds one
 * (an open file, an open directory) sees one consistent parse. */
struct snap {
        atomic_uint refs;
        int err;               /* 0, or the negative errno every reader gets */
        int64_t parsed;        /* CLOCK_MONOTONIC ns when the read began */
        struct timespec mtime; /* CLOCK_REALTIME of the same moment */
        uint32_t n, hmask;
        const struct snap_ent *ents;
        const uint32_t *hash; /* (parent, name) -> index + 1; 0 is empty */
        const char *arena;
        struct nprocfs_rec *rec; /* the typed record its values are formatted from; owned */
        struct snap_rows *rows;  /* NULL: the file has none */
};

/* An entry's text, made when asked: a value's, or a name's. */
struct snap_text {
        const char *ptr;
        size_t len;
        bool newline; /* ptr[len] is the value's '\n', in the snapshot */
        char name[NPROCFS_NAME_SIZE];
        char buf[NPROCFS_VALUE_SIZE];
};

/* ---- process identities and their cached files (cache.c) ------------ */

/* /proc gives a process's directory its effective ids, and its files the
 * same ids, or root's when the process is not dumpable. */
struct owner {
        uid_t dir_uid, file_uid;
        gid_t dir_gid, file_gid;
};

/* A ptrace read decision /proc's rules gave a caller on a process lately
 * (perm.c): a caller that reads many entries of one process in a row (a
 * grep -r over its smaps/) is checked once per GRANT_NS, not per request.
 * Keyed by what the request itself says of the caller (its thread and its
 * fsuid and fsgid), and used only while the process's owners in /proc are
 * the ones it was made with (a setuid exec, setuid(), a process made
 * undumpable change them): a decision outlives the facts it was made from
 * (capabilities, namespaces) by at most GRANT_NS, and never the process
 * identity or the owner it was made for. */
#define GRANTS   4
#define GRANT_NS (100 * 1000 * 1000)

struct grant {
        int64_t at; /* CLOCK_MONOTONIC ns when decided; 0: empty */
        pid_t caller;
        uid_t uid;
        gid_t gid;
        int8_t mm;          /* the memory check's decision, not the plain one */
        int8_t denied;      /* -EACCES, or 0 */
        struct owner owner; /* the process's owners when decided */
};

struct proc {
        struct proc *next;    /* hash chain, under the cache lock */
        pid_t pid, tid;       /* 0, 0: the system-wide files */
        uint64_t start;       /* start time (stat starttime_ns), 0 if unknown */
        uint64_t serial;      /* this identity's number, never reused */
        int dirfd;            /* live roots: ROOT/<pid>[/task/<tid>] (O_PATH), or -1 */
        atomic_bool dead;     /* found gone: a lookup makes a new identity */
        atomic_uint refs;     /* slots and readers; 0: the sweep may free it */
        uint32_t slot;        /* its inode table slot, 0: none (under the table lock) */
        int64_t checked;      /* when (pid, tid) was last seen to be this identity */
        pthread_mutex_t lock; /* the fields below */
        pthread_cond_t cond;
        struct schema_set busy;   /* schemas being parsed right now */
        struct schema_set logged; /* schemas whose malformed source was logged */
        struct schema_set present, present_known;
        int8_t has_tasks; /* -1: not asked yet */
        bool owner_known;
        struct owner owner;
        struct grant grants[GRANTS];
        unsigned grant_next;
        struct snap *snaps[MAX_SCHEMAS];
};

struct cache {
        pthread_mutex_t lock;
        struct proc **buckets;
        size_t nbuckets, count;
        struct proc *system;
        atomic_uint_fast64_t serials;
};

/* ---- the inode table (inode.c) -------------------------------------- */

enum kind {
        K_ROOT,
        K_PROC,        /* <pid>/ */
        K_TASKS,       /* <pid>/task/ */
        K_THREAD,      /* <pid>/task/<tid>/ */
        K_DIR,         /* a file's directory (path ""), or a group/row inside it */
        K_VALUE,       /* one value */
        K_SELF,        /* self -> <pid> */
        K_THREAD_SELF, /* thread-self -> <pid>/task/<tid> */
        K_SUBDIR,      /* a /proc subdirectory of files (net/): path is its name in the scope */
        K_LINK,        /* a file that is a link (exe): a symlink to its text */
        K_NET,         /* net -> self/net, as /proc has it */
        K_KINDS
};

/* An inode number carries what it names (inode.c):
 *
 *   bits 62-41  slot: the process identity (0: none, for the root's links)
 *   bits 40-37  kind
 *   bits 36-29  schema
 *   bits 28-12  key: an interned name of the slot (0: none)
 *   bits 11-0   leaf: 0, or 1 + a field's index in the schema's record
 *               (key 0) or in its table's rows (key: the row's name)
 *
 * so the daemon keeps no state per entry: a slot per process identity the
 * kernel holds inodes of, and per slot the names that have no fixed index
 * (rows, unknown keys, list elements, groups), interned while the kernel
 * holds one of their inodes. */
#define INO_SLOT_BITS 22
#define INO_KEY_BITS  17
#define INO_LEAF_BITS 12
#define SLOTS_MAX     ((UINT32_C(1) << INO_SLOT_BITS) - 1)
#define KEYS_MAX      ((UINT32_C(1) << INO_KEY_BITS) - 1) /* a slot's interned names; -o keys=N */
#define KEYS_MIN      64
#define KEYS_ALL      (UINT32_C(1) << 18) /* every slot's, at least */
static_assert(K_KINDS <= 16, "a kind has 4 bits of an inode number");

/* What a handler works on: decoded from an inode number (nodes_get) or
 * made for a reply (nodes_enter); its own, freed by node_put. */
struct node {
        uint64_t ino, gen;
        uint32_t slot; /* 0: the root and its links */
        uint8_t kind, schema;
        uint8_t access;    /* K_VALUE: its field's enum nprocfs_access */
        struct proc *proc; /* referenced; NULL for the root and its links */
        uint16_t path_len;
        char path[]; /* K_DIR/K_VALUE/K_LINK: the entry path inside the file;
                      * K_SUBDIR: its name in the scope */
};

#define SIZE_UNKNOWN UINT64_MAX

/* What the kernel may hold of a value in its caches: the size it was told
 * last, and what its page cache holds (ops.c's value_pin). Kept in a table
 * of fixed size (VALUES_MAX): an entry is given up only when no open file
 * reads through it and the last size told has expired in the kernel, and
 * a value with no entry is read around the page cache. */
struct vstate {
        uint64_t ino, gen;    /* 0: empty */
        uint64_t size_seen;   /* the size the kernel was last told */
        int64_t told;         /* when */
        int64_t size_moved;   /* when two replies last told two sizes */
        uint64_t page_hash;   /* hash of what the page cache holds */
        uint64_t pinned_size; /* the size of what open files cache */
        uint32_t pins;        /* open files reading through the page cache */
};

#define VALUE_WAYS 4
#define VALUE_SETS 16384 /* VALUES_MAX = 65,536 values, 4.5 MiB */

struct slot;

struct nodes {
        pthread_mutex_t lock;
        struct slot *slots; /* [0] unused */
        uint32_t nslots, cap, free_head;
        uint64_t nlookup;      /* the kernel's references, every slot's */
        size_t keys, keys_max; /* interned names, every slot's, and their bound
                                * (KEYS_ALL, or twice names=: what the kernel may hold) */
        int64_t keys_scanned;  /* the tick every slot's were last reclaimed at */
        uint32_t slot_keys;    /* a slot's bound: -o keys= */
        int64_t tick;          /* seconds, advanced by the sweep */
        struct node *root;     /* the one node not decoded: never freed by node_put */
        struct vstate *values; /* VALUE_SETS * VALUE_WAYS, by inode number */
};

/* How many names (inodes) the kernel may hold of processes: past it, the
 * sweep has the kernel forget the processes read least recently, so that a
 * whole-tree read pins a bounded number of the kernel's inodes (each costs
 * the kernel about 0.9 KiB). Counted as the kernel's references, which is
 * at least the inodes. */
#define NAMES_MAX   131072 /* the default; -o names=N */
#define NAMES_MIN   256
#define NAMES_LIMIT (1u << 24)
#define NAMES_KEEP  2 /* seconds: a process read this recently stays */

/* What a child is, for nodes_enter and nodes_ino_of. */
struct nkey {
        uint8_t kind, schema;
        uint8_t access;
        pid_t pid, tid;    /* K_PROC/K_THREAD with no proc: for a listing */
        struct proc *proc; /* its identity; a new node references it */
        const char *path;  /* as struct node's */
        size_t path_len;
        const struct nprocfs_field *field; /* a value's schema row, if any */
};

/* ---- background threads (bg.c) -------------------------------------- */

struct inval {
        fuse_ino_t ino; /* the directory (entry), or the inode */
        bool entry;
        char name[24]; /* entry: a pid or tid */
};

struct bg {
        pthread_mutex_t ctl;  /* start and stop */
        pthread_mutex_t lock; /* the rest */
        pthread_cond_t cond;  /* the notifier: something queued */
        pthread_cond_t tick;  /* the sweeper: once a second */
        struct inval *q;
        size_t n, cap;
        bool stop, running;
        pthread_t notifier, sweeper;
};

/* ---- the daemon ------------------------------------------------------ */

struct fs {
        nprocfs_ctx *ctx;      /* the served root */
        nprocfs_ctx *live;     /* the running system's /proc: callers' credentials */
        const char *root_path; /* for log lines */
        bool root_live;        /* the root is a procfs: processes come and go */
        bool root_ours;        /* ... and the one of our pid namespace (/proc) */
        uint8_t hidepid;       /* the served procfs's hidepid= (0, 1, 2, 4) */
        bool subset_pid;       /* ... and subset=pid: no system-wide files */
        gid_t hide_gid;        /* ... and gid=: a group hidepid spares */
        uint64_t top_userns;   /* the inode of the daemon's user namespace */
        unsigned nschemas, stat_si;
        int64_t ttl;       /* ns */
        size_t names_max;  /* NAMES_MAX, or -o names= */
        uint32_t keys_max; /* a slot's interned names: KEYS_MAX, or -o keys= */
        struct fuse_session *se;
        struct timespec started;
        pthread_key_t scratch_key; /* per-thread parse buffers */
        bool have_scratch_key;
        struct nodes nodes;
        pthread_mutex_t value_locks[64]; /* striped by inode number */
        pthread_mutex_t handles_lock;    /* open files and directories (ops.c) */
        struct handle *handles;
        struct cache cache;
        struct bg bg;
};

/* cache.c */
int cache_init(struct fs *fs);
void cache_free(struct fs *fs);
void proc_ref(struct proc *p);
void proc_unref(struct proc *p);
/* The current identity of pid (thread tid when non-zero), referenced:
 * cached for the TTL, else from a fresh read of its stat. -ENOENT. */
int proc_resolve(struct fs *fs, pid_t pid, pid_t tid, struct proc **ret);
/* (pid, tid)'s newest cached identity, referenced, or NULL; no I/O. */
struct proc *proc_peek(struct fs *fs, pid_t pid, pid_t tid);
/* 1 if the schema's source file exists for p, 0 if not. */
int proc_has(struct fs *fs, struct proc *p, unsigned si);
int proc_has_tasks(struct fs *fs, struct proc *p);
int proc_owner(struct fs *fs, struct proc *p, struct owner *ret);
/* The owners read now, not the cached ones. */
int proc_owner_now(struct fs *fs, struct proc *p, struct owner *ret);
/* 0 if p is still alive, else -ENOENT (and p is marked dead). */
int proc_verify(struct fs *fs, struct proc *p);
/* The parse of schema si for p, fresh for a request that began at since:
 * from the cache within the TTL, else read now (one read shared by the
 * requests that wait for it). Referenced; release with snap_put. */
int snap_get(struct fs *fs, struct proc *p, unsigned si, int64_t since, struct snap **ret);
void snap_put(struct snap *s);
uint32_t snap_find(const struct snap *s, uint32_t dir, const char *name, size_t len);
uint32_t snap_walk(const struct snap *s, const char *path, size_t len);
/* The entry path of e (relative to the file's directory) into buf. */
size_t snap_path(const struct snap *s, uint32_t e, char *buf, size_t size);
bool snap_is_dir(const struct snap *s, uint32_t e);
/* The names of directory dir, in order: first, then next until NONE. */
uint32_t snap_first(const struct snap *s, uint32_t dir);
uint32_t snap_next(const struct snap *s, uint32_t dir, uint32_t e);
/* Entry e's name, its value (without the final '\n'), into t (valid
 * while t and s are). */
void snap_name(const struct snap *s, uint32_t e, struct snap_text *t);
void snap_value(const struct snap *s, uint32_t e, struct snap_text *t);
/* Entry e's schema row (NULL: none), and its source key into *ret_key
 * unless NULL. */
const struct nprocfs_field *snap_field(const struct snap *s, uint32_t e, struct nprocfs_str *ret_key);
double snap_ttl_left(const struct fs *fs, const struct snap *s);
void cache_sweep(struct fs *fs);
/* This thread's reusable status record (credentials). */
struct nprocfs_rec *scratch_status(struct fs *fs);
void scratch_release(struct fs *fs);
void scratch_destroy(void *scratch);

/* inode.c */
int nodes_init(struct fs *fs);
void nodes_free(struct fs *fs);
/* The node inode number ino names, or NULL (no such inode). */
struct node *nodes_get(struct fs *fs, fuse_ino_t ino);
void node_put(struct fs *fs, struct node *n);
/* The node of k, with one more kernel reference (a lookup). NULL: -ENOMEM
 * (or the bound of interned names reached). dir is where it is. */
struct node *nodes_enter(struct fs *fs, const struct nkey *k, const struct node *dir);
/* Takes back one kernel reference that did not reach the kernel. */
void nodes_unlookup(struct fs *fs, struct node *n);
void nodes_forget(struct fs *fs, fuse_ino_t ino, uint64_t n);
/* The inode number k has or would have (a listing's d_ino). */
fuse_ino_t nodes_ino_of(struct fs *fs, const struct nkey *k, const struct node *dir);
/* The directory holding n, and the name n's process directory has there
 * (false: n is in none). */
fuse_ino_t nodes_parent_ino(struct fs *fs, const struct node *n);
bool nodes_proc_dentry(struct fs *fs, const struct node *n, fuse_ino_t *ret_parent, pid_t *ret_name);
/* The kernel's references, for statfs. */
size_t nodes_count(struct fs *fs);
/* Kernel-known directories of processes and threads, for the sweep. */
struct known {
        pid_t pid, tid;
        fuse_ino_t parent;
        struct proc *proc; /* referenced */
};
int nodes_known_procs(struct fs *fs, struct known **ret, size_t *ret_n);
/* p's owners changed: the kernel is told to look up its names again and
 * to forget the attributes of its directories. */
void nodes_inval_proc(struct fs *fs, struct proc *p);
/* Advances the tick; when the kernel holds over NAMES_MAX references, the
 * processes (pids) it should forget, least recently read first. */
int nodes_over_budget(struct fs *fs, pid_t **ret, size_t *ret_n);

/* The page-cache state of value n (struct vstate), locked, or NULL when
 * there is none and none may be made now (create) or it was not made
 * (!create). Unlock with value_unlock. */
struct vstate *value_state(struct fs *fs, const struct node *n, bool create);
void value_unlock(struct fs *fs, const struct vstate *v);
/* Locks and unlocks v (an open file's, which stays while pinned). */
void value_lock_state(struct fs *fs, const struct vstate *v);

/* perm.c */
#define MAX_GROUPS 64
struct creds {
        uint64_t uid[3], gid[3]; /* real, effective, saved */
        uint64_t capprm, capeff;
        uint64_t tgid;
        uint32_t groups[MAX_GROUPS]; /* supplementary groups */
        unsigned ngroups;
        bool has_ids, has_caps, has_tgid, groups_cut;
        bool has_mm; /* status shows a VmSize: the process has memory */
};
/* The served procfs's mount options (hidepid=, subset=, gid=) and the
 * daemon's user namespace. */
int perm_init(struct fs *fs);
int read_creds(struct fs *fs, nprocfs_ctx *ctx, pid_t pid, pid_t tid, struct creds *ret);
/* /proc's check for restricted files (PTRACE_MODE_READ_FSCREDS) of the
 * caller of req on p: 0, -EACCES, or -ENOENT when p is gone. */
int perm_may_read(struct fs *fs, fuse_req_t req, struct proc *p);
/* As perm_may_read for a file whose check guards the process's memory
 * (NPROCFS_S_MM): a process without memory is open to all. */
int perm_may_read_mm(struct fs *fs, fuse_req_t req, struct proc *p);
/* Drops the decisions kept for p (its owner changed); under p->lock. */
void perm_forget(struct proc *p);
/* hidepid: may the caller of req see process p? min is the hidepid level
 * that hides it (HIDEPID_NO_ACCESS for what is inside the process's
 * directory, HIDEPID_INVISIBLE for the directory itself): 0, -ENOENT
 * (invisible), -EACCES (visible, closed). */
#define HIDEPID_NO_ACCESS  1
#define HIDEPID_INVISIBLE  2
#define HIDEPID_PTRACEABLE 4
int perm_may_see(struct fs *fs, fuse_req_t req, struct proc *p, int min);
/* The caller's thread group and thread, in the root's numbering. */
int caller_ids(struct fs *fs, fuse_req_t req, pid_t *ret_pid, pid_t *ret_tid);

/* bg.c */
int bg_init(struct fs *fs);
void bg_free(struct fs *fs);
int bg_start(struct fs *fs);
/* Stops both threads; may be called twice, from two threads. */
void bg_stop(struct fs *fs);
void bg_inval_entry(struct fs *fs, fuse_ino_t parent, pid_t name);
void bg_inval_inode(struct fs *fs, fuse_ino_t ino);

/* ops.c: the operations table */
const struct fuse_lowlevel_ops *fs_ops(void);
/* Frees the open files and directories the kernel never released (the
 * session ended under them). */
void handles_free(struct fs *fs);

#endif
