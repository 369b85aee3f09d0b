/* The inode table: FUSE inode numbers to nodes, and the kernel's lookup
 * counts.
 *
 * A node is what the kernel holds an inode for: a process's directory, a
 * file's directory, one value. Its inode number is a hash of what it is
 * (kind, schema, pid, tid, identity serial, entry path), so the same entry
 * keeps its number while it exists, a listing can give d_ino without
 * creating a node, and a recycled pid (another identity) gets other
 * numbers; the generation is the identity's serial too. A collision with a live node moves the
 * newcomer to the next free number.
 *
 * Every reply that hands the kernel an entry (lookup, each readdirplus
 * entry) adds one to nlookup; forget takes them back. A node lives while the
 * kernel references it or we do (a handler at work, an open file, a child
 * node), and is freed when both are gone. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"

static uint64_t mix(uint64_t x) {
        x ^= x >> 30;
        x *= UINT64_C(0xbf58476d1ce4e5b9);
        x ^= x >> 27;
        x *= UINT64_C(0x94d049bb133111eb);
        return x ^ (x >> 31);
}

static uint64_t key_hash(const struct nkey *k) {
        uint64_t h = mix(k->kind | (uint64_t)k->schema << 8 | (uint64_t)(uint32_t)k->pid << 16);

        h = mix(h ^ (uint32_t)k->tid);
        h = mix(h ^ k->ident);
        for (size_t i = 0; i < k->path_len; i++)
                h = (h ^ (unsigned char)k->path[i]) * UINT64_C(0x100000001b3);
        return mix(h);
}

/* Inode numbers stay below 2^63 (signed readers) and above the root's. */
static uint64_t ino_of_hash(uint64_t h) {
        uint64_t ino = h & (UINT64_MAX >> 1);
        return ino <= FUSE_ROOT_ID ? ino + 2 : ino;
}

static bool same(const struct node *n, const struct nkey *k) {
        pid_t pid = n->proc ? n->proc->pid : 0, tid = n->proc ? n->proc->tid : 0;
        uint64_t ident = n->proc ? n->proc->serial : 0;

        return n->kind == k->kind && n->schema == k->schema && pid == k->pid && tid == k->tid && ident == k->ident &&
               n->path_len == k->path_len && memcmp(n->path, k->path, k->path_len) == 0;
}

static struct node *find_ino(const struct nodes *t, uint64_t ino) {
        for (struct node *n = t->by_ino[ino & (t->nbuckets - 1)]; n; n = n->next_ino)
                if (n->ino == ino)
                        return n;
        return NULL;
}

static struct node *find_key(const struct nodes *t, const struct nkey *k, uint64_t h) {
        for (struct node *n = t->by_key[h & (t->nbuckets - 1)]; n; n = n->next_key)
                if (n->khash == h && same(n, k))
                        return n;
        return NULL;
}

static void link_node(struct nodes *t, struct node *n) {
        size_t i = n->ino & (t->nbuckets - 1), k = n->khash & (t->nbuckets - 1);

        n->next_ino = t->by_ino[i];
        t->by_ino[i] = n;
        n->next_key = t->by_key[k];
        t->by_key[k] = n;
}

static void unlink_node(struct nodes *t, struct node *n) {
        struct node **pp;

        for (pp = &t->by_ino[n->ino & (t->nbuckets - 1)]; *pp != n; pp = &(*pp)->next_ino)
                ;
        *pp = n->next_ino;
        for (pp = &t->by_key[n->khash & (t->nbuckets - 1)]; *pp != n; pp = &(*pp)->next_key)
                ;
        *pp = n->next_key;
}

static bool is_proc_kind(const struct node *n) {
        return n->kind == K_PROC || n->kind == K_THREAD;
}

/* The process directory n is in (or is), or NULL. */
static struct node *proc_node(struct node *n) {
        while (n && n->kind != K_PROC)
                n = n->parent;
        return n;
}

static void procs_add(struct nodes *t, struct node *n) {
        n->prev_proc = NULL;
        n->next_proc = t->procs;
        if (t->procs)
                t->procs->prev_proc = n;
        t->procs = n;
}

static void procs_del(struct nodes *t, struct node *n) {
        if (n->prev_proc)
                n->prev_proc->next_proc = n->next_proc;
        else
                t->procs = n->next_proc;
        if (n->next_proc)
                n->next_proc->prev_proc = n->prev_proc;
}

static void grow(struct nodes *t) {
        size_t nb = t->nbuckets * 2;
        struct node **bi = calloc(nb, sizeof(*bi)), **bk = calloc(nb, sizeof(*bk));
        struct node **oi = t->by_ino;
        size_t ob = t->nbuckets;

        if (!bi || !bk) {
                free(bi);
                free(bk);
                return; /* longer chains, still correct */
        }
        free(t->by_key);
        t->by_ino = bi;
        t->by_key = bk;
        t->nbuckets = nb;
        for (size_t i = 0; i < ob; i++)
                for (struct node *n = oi[i], *next; n; n = next) {
                        next = n->next_ino;
                        link_node(t, n);
                }
        free(oi);
}

int nodes_init(struct fs *fs) {
        struct nodes *t = &fs->nodes;

        pthread_mutex_init(&t->lock, NULL);
        t->nbuckets = 1024;
        t->by_ino = calloc(t->nbuckets, sizeof(*t->by_ino));
        t->by_key = calloc(t->nbuckets, sizeof(*t->by_key));
        t->root = calloc(1, sizeof(*t->root));
        if (!t->by_ino || !t->by_key || !t->root) {
                free(t->by_ino);
                free(t->by_key);
                free(t->root);
                return -ENOMEM;
        }
        t->root->ino = FUSE_ROOT_ID;
        t->root->kind = K_ROOT;
        t->root->nlookup = 1;
        return 0;
}

void nodes_free(struct fs *fs) {
        struct nodes *t = &fs->nodes;

        for (size_t i = 0; i < t->nbuckets; i++)
                for (struct node *n = t->by_ino[i], *next; n; n = next) {
                        next = n->next_ino;
                        proc_unref(n->proc);
                        free(n);
                }
        free(t->by_ino);
        free(t->by_key);
        free(t->root);
        pthread_mutex_destroy(&t->lock);
}

/* Frees n and, up the tree, the parents it alone kept. Lock held. */
static void release_locked(struct nodes *t, struct node *n) {
        while (n && n->kind != K_ROOT && n->refs == 0 && n->nlookup == 0) {
                struct node *parent = n->parent;
                unlink_node(t, n);
                if (is_proc_kind(n))
                        procs_del(t, n);
                if (n->kind != K_PROC && proc_node(parent))
                        proc_node(parent)->below--;
                t->count--;
                proc_unref(n->proc);
                free(n);
                n = parent;
                if (n)
                        n->refs--;
        }
}

struct node *nodes_get(struct fs *fs, fuse_ino_t ino) {
        struct nodes *t = &fs->nodes;
        struct node *n;

        pthread_mutex_lock(&t->lock);
        n = ino == FUSE_ROOT_ID ? t->root : find_ino(t, ino);
        if (n) {
                struct node *pn = proc_node(n);
                n->refs++;
                if (pn)
                        pn->used = t->tick;
        }
        pthread_mutex_unlock(&t->lock);
        return n;
}

void node_put(struct fs *fs, struct node *n) {
        struct nodes *t = &fs->nodes;

        if (!n)
                return;
        pthread_mutex_lock(&t->lock);
        n->refs--;
        release_locked(t, n);
        pthread_mutex_unlock(&t->lock);
}

struct node *nodes_enter(struct fs *fs, const struct nkey *k, struct node *parent) {
        struct nodes *t = &fs->nodes;
        uint64_t h = key_hash(k), ino;
        struct node *n;

        pthread_mutex_lock(&t->lock);
        n = find_key(t, k, h);
        if (n) {
                n->nlookup++;
                n->refs++;
                pthread_mutex_unlock(&t->lock);
                return n;
        }
        n = calloc(1, sizeof(*n) + k->path_len + 1);
        if (!n) {
                pthread_mutex_unlock(&t->lock);
                return NULL;
        }
        for (ino = ino_of_hash(h); find_ino(t, ino); ino = ino_of_hash(ino + 1))
                ;
        n->ino = ino;
        n->khash = h;
        n->gen = k->ident;
        n->kind = k->kind;
        n->schema = k->schema;
        n->path_len = (uint16_t)k->path_len;
        memcpy(n->path, k->path, k->path_len);
        n->proc = k->proc;
        if (n->proc)
                proc_ref(n->proc);
        n->parent = parent;
        if (parent)
                parent->refs++;
        n->nlookup = 1;
        n->refs = 1;
        if (is_proc_kind(n)) {
                procs_add(t, n);
                n->used = t->tick;
                n->below = 1;
        } else
                n->size_seen = SIZE_UNKNOWN;
        if (n->kind != K_PROC && proc_node(parent))
                proc_node(parent)->below++;
        link_node(t, n);
        if (++t->count > t->nbuckets)
                grow(t);
        pthread_mutex_unlock(&t->lock);
        return n;
}

void nodes_unlookup(struct fs *fs, struct node *n) {
        pthread_mutex_lock(&fs->nodes.lock);
        if (n->nlookup > 0)
                n->nlookup--;
        pthread_mutex_unlock(&fs->nodes.lock);
}

void nodes_forget(struct fs *fs, fuse_ino_t ino, uint64_t count) {
        struct nodes *t = &fs->nodes;
        struct node *n;

        if (ino == FUSE_ROOT_ID)
                return;
        pthread_mutex_lock(&t->lock);
        n = find_ino(t, ino);
        if (n) {
                n->nlookup = count < n->nlookup ? n->nlookup - count : 0;
                release_locked(t, n);
        }
        pthread_mutex_unlock(&t->lock);
}

fuse_ino_t nodes_ino_of(struct fs *fs, const struct nkey *k) {
        struct nodes *t = &fs->nodes;
        uint64_t h = key_hash(k);
        struct node *n;
        fuse_ino_t ino;

        pthread_mutex_lock(&t->lock);
        n = find_key(t, k, h);
        ino = n ? n->ino : ino_of_hash(h);
        pthread_mutex_unlock(&t->lock);
        return ino;
}

size_t nodes_count(struct fs *fs) {
        size_t n;

        pthread_mutex_lock(&fs->nodes.lock);
        n = fs->nodes.count;
        pthread_mutex_unlock(&fs->nodes.lock);
        return n;
}

int nodes_known_procs(struct fs *fs, struct known **ret, size_t *ret_n) {
        struct nodes *t = &fs->nodes;
        struct known *v = NULL;
        size_t n = 0, cap = 0;
        int r = 0;

        pthread_mutex_lock(&t->lock);
        for (struct node *x = t->procs; x; x = x->next_proc) {
                if (x->nlookup == 0)
                        continue;
                if (n == cap) {
                        size_t nc = cap ? cap * 2 : 64;
                        struct known *nv = realloc(v, nc * sizeof(*nv));
                        if (!nv) {
                                r = -ENOMEM;
                                break;
                        }
                        v = nv;
                        cap = nc;
                }
                proc_ref(x->proc);
                v[n++] = (struct known){ .pid = x->proc->pid,
                                         .tid = x->proc->tid,
                                         .parent = x->parent ? x->parent->ino : FUSE_ROOT_ID,
                                         .proc = x->proc };
        }
        pthread_mutex_unlock(&t->lock);
        if (r < 0) {
                for (size_t i = 0; i < n; i++)
                        proc_unref(v[i].proc);
                free(v);
                return r;
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

int nodes_of_proc(struct fs *fs, const struct proc *p, fuse_ino_t **ret, size_t *ret_n) {
        struct nodes *t = &fs->nodes;
        fuse_ino_t *v = NULL;
        size_t n = 0, cap = 0;
        int r = 0;

        pthread_mutex_lock(&t->lock);
        for (size_t i = 0; i < t->nbuckets && r == 0; i++)
                for (struct node *x = t->by_ino[i]; x; x = x->next_ino) {
                        if (x->proc != p || x->nlookup == 0)
                                continue;
                        if (n == cap) {
                                size_t nc = cap ? cap * 2 : 16;
                                fuse_ino_t *nv = realloc(v, nc * sizeof(*nv));
                                if (!nv) {
                                        r = -ENOMEM;
                                        break;
                                }
                                v = nv;
                                cap = nc;
                        }
                        v[n++] = x->ino;
                }
        pthread_mutex_unlock(&t->lock);
        if (r < 0) {
                free(v);
                return r;
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

struct victim {
        int64_t used;
        size_t below;
        pid_t pid;
};

static int by_use(const void *a, const void *b) {
        const struct victim *x = a, *y = b;
        return (x->used > y->used) - (x->used < y->used);
}

int nodes_over_budget(struct fs *fs, pid_t **ret, size_t *ret_n) {
        struct nodes *t = &fs->nodes;
        struct victim *v = NULL;
        size_t n = 0, cap = 0, excess;
        pid_t *pids;
        int r = 0;

        *ret = NULL;
        *ret_n = 0;
        pthread_mutex_lock(&t->lock);
        t->tick++;
        if (t->count <= fs->names_max) {
                pthread_mutex_unlock(&t->lock);
                return 0;
        }
        excess = t->count - fs->names_max * 3 / 4; /* forget down to 3/4: not every second */
        for (struct node *x = t->procs; x; x = x->next_proc) {
                if (x->kind != K_PROC || x->nlookup == 0 || t->tick - x->used <= NAMES_KEEP)
                        continue;
                if (n == cap) {
                        size_t nc = cap ? cap * 2 : 256;
                        struct victim *nv = realloc(v, nc * sizeof(*nv));
                        if (!nv) {
                                r = -ENOMEM;
                                break;
                        }
                        v = nv;
                        cap = nc;
                }
                v[n++] = (struct victim){ .used = x->used, .below = x->below, .pid = x->proc->pid };
        }
        pthread_mutex_unlock(&t->lock);
        if (r < 0 || n == 0) {
                free(v);
                return r;
        }
        qsort(v, n, sizeof(*v), by_use);
        pids = malloc(n * sizeof(*pids));
        if (!pids) {
                free(v);
                return -ENOMEM;
        }
        for (size_t i = 0, freed = 0; i < n && freed < excess; i++) {
                pids[(*ret_n)++] = v[i].pid;
                freed += v[i].below;
        }
        free(v);
        *ret = pids;
        return 0;
}
