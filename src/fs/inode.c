/* The inode table: inode numbers that carry the entry they name, and the
 * kernel's lookup counts.
 *
 * The daemon keeps no state per entry. An inode number is (slot, kind,
 * schema, key, leaf), fs.h says in which bits:
 *
 *   - a slot is a process identity (struct proc) the kernel holds inodes
 *     of. It is taken at the first lookup below the process and given up
 *     when the kernel holds none of its inodes and no handler uses it; its
 *     generation changes each time it is taken again, so (inode number,
 *     generation) never names two things, and a recycled pid (another
 *     identity) gets another slot;
 *   - a field of a file's record, or of its table's rows, is its index in
 *     the schema (the leaf);
 *   - what has no fixed index (a row's name, an unknown key, a list's
 *     element, a group) is interned in the slot as a key, with the
 *     kernel's references to inodes that name it; a key nobody holds may
 *     be given to another name, and there are at most KEYS_MAX per slot
 *     (-o keys=) and keys_max in all, so a hostile tree inventing names
 *     cannot exhaust memory (a lookup past the bound is ENOMEM).
 *
 * A request decodes its inode number into a struct node of its own; a
 * reply that hands the kernel an entry (lookup, each readdirplus entry)
 * adds one to the counts of its slot and key, and forget takes them back.
 *
 * What the kernel may hold of a value (its size, its page cache) is kept
 * in a table of fixed size, struct vstate, for ops.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"

#define SHIFT_SLOT   (64 - 1 - INO_SLOT_BITS) /* bit 63 stays clear: signed readers */
#define SHIFT_KIND   (SHIFT_SLOT - 4)
#define SHIFT_SCHEMA (SHIFT_KIND - 8)
#define SHIFT_KEY    (SHIFT_SCHEMA - INO_KEY_BITS)
static_assert(SHIFT_KEY == INO_LEAF_BITS, "the inode number's fields fill 63 bits");
#define LEAF_MAX   ((1u << INO_LEAF_BITS) - 1)
#define LEAF_GROUP 2048 /* leaf 2048 + f: the group field f is in */
static_assert(NPROCFS_MAX_FIELDS < LEAF_GROUP - 1, "a field's leaf is below the groups'");

/* A name interned in a slot: ids[id] of its slot. */
struct ikey {
        struct ikey *next; /* hash chain */
        uint64_t hash;
        uint32_t id, nlookup;
        uint8_t access;
        uint16_t len;
        char s[];
};

struct slot {
        struct proc *proc; /* referenced; NULL: free */
        uint32_t gen;      /* taken this many times */
        uint32_t up;       /* a thread's: its process's slot (referenced) */
        uint32_t next_free;
        uint64_t nlookup;  /* the kernel's references to its inodes */
        uint64_t below;    /* a process's: its own and its threads' */
        unsigned refs;     /* ours: nodes, threads' slots */
        int64_t used;      /* the tick of the last request on it (or a thread's) */
        struct ikey **ids; /* by id; NULL: free */
        uint32_t nids, cap, first_free;
        struct ikey **buckets;
        uint32_t nbuckets;
};

static uint64_t mix(uint64_t x) {
        x ^= x >> 30;
        x *= UINT64_C(0xbf58476d1ce4e5b9);
        x ^= x >> 27;
        x *= UINT64_C(0x94d049bb133111eb);
        return x ^ (x >> 31);
}

static uint64_t name_hash(const char *s, size_t len) {
        uint64_t h = UINT64_C(0xcbf29ce484222325);

        for (size_t i = 0; i < len; i++)
                h = (h ^ (unsigned char)s[i]) * UINT64_C(0x100000001b3);
        return mix(h);
}

static uint64_t ino_make(uint32_t slot, unsigned kind, unsigned schema, uint32_t key, unsigned leaf) {
        return (uint64_t)slot << SHIFT_SLOT | (uint64_t)kind << SHIFT_KIND | (uint64_t)schema << SHIFT_SCHEMA |
               (uint64_t)key << SHIFT_KEY | leaf;
}

struct decoded {
        uint32_t slot, key;
        unsigned kind, schema, leaf;
};

static struct decoded ino_split(uint64_t ino) {
        return (struct decoded){ .slot = (uint32_t)(ino >> SHIFT_SLOT) & SLOTS_MAX,
                                 .kind = (unsigned)(ino >> SHIFT_KIND) & 15,
                                 .schema = (unsigned)(ino >> SHIFT_SCHEMA) & 255,
                                 .key = (uint32_t)(ino >> SHIFT_KEY) & KEYS_MAX,
                                 .leaf = (unsigned)ino & LEAF_MAX };
}

static bool in_file_kind(unsigned kind) {
        return kind == K_DIR || kind == K_VALUE || kind == K_LINK;
}

/* ---- slots ------------------------------------------------------------ */

static struct slot *slot_at(struct nodes *t, uint32_t i) {
        return i > 0 && i < t->nslots && t->slots[i].proc ? &t->slots[i] : NULL;
}

static void keys_free(struct nodes *t, struct slot *s) {
        for (uint32_t i = 1; i < s->cap; i++)
                if (s->ids[i]) {
                        free(s->ids[i]);
                        t->keys--;
                }
        free(s->ids);
        free(s->buckets);
        s->ids = s->buckets = NULL;
        s->nids = s->cap = s->nbuckets = 0;
        s->first_free = 1;
}

/* Gives slot i up when nobody holds it, and its process's slot after it. */
static void slot_release(struct nodes *t, uint32_t i) {
        while (i) {
                struct slot *s = &t->slots[i];
                uint32_t up = s->up;

                if (!s->proc || s->nlookup > 0 || s->refs > 0)
                        return;
                s->proc->slot = 0;
                proc_unref(s->proc);
                s->proc = NULL;
                keys_free(t, s);
                s->up = 0;
                s->used = 0;
                s->below = 0;
                s->next_free = t->free_head;
                t->free_head = i;
                if (up)
                        t->slots[up].refs--;
                i = up;
        }
}

/* p's slot, taken if it has none (up: a thread's process's). 0: none
 * could be taken. */
static uint32_t slot_of(struct nodes *t, struct proc *p, uint32_t up) {
        struct slot *s;
        uint32_t i;

        if (p->slot)
                return p->slot;
        if (t->free_head) {
                i = t->free_head;
                t->free_head = t->slots[i].next_free;
        } else {
                if (t->nslots == t->cap) {
                        uint32_t nc = t->cap * 2;
                        struct slot *v;
                        if (t->cap >= SLOTS_MAX || !(v = realloc(t->slots, (size_t)nc * sizeof(*v))))
                                return 0;
                        memset(v + t->cap, 0, (size_t)(nc - t->cap) * sizeof(*v));
                        t->slots = v;
                        t->cap = nc;
                }
                i = t->nslots++;
                if (i > SLOTS_MAX) {
                        t->nslots--;
                        return 0;
                }
        }
        s = &t->slots[i];
        s->proc = p;
        proc_ref(p);
        p->slot = i;
        s->gen++;
        s->first_free = 1;
        s->used = t->tick;
        s->up = up;
        if (up)
                t->slots[up].refs++;
        return i;
}

/* The kernel's references to slot i move by d (and its process's count). */
static void slot_count(struct nodes *t, uint32_t i, int64_t d) {
        struct slot *s = &t->slots[i];
        uint32_t p = s->up ? s->up : i;

        s->nlookup = (uint64_t)((int64_t)s->nlookup + d);
        t->slots[p].below = (uint64_t)((int64_t)t->slots[p].below + d);
        t->nlookup = (uint64_t)((int64_t)t->nlookup + d);
}

static void slot_used(struct nodes *t, struct slot *s) {
        s->used = t->tick;
        if (s->up)
                t->slots[s->up].used = t->tick;
}

/* ---- keys --------------------------------------------------------------- */

static struct ikey *key_find(const struct slot *s, const char *name, size_t len, uint64_t h) {
        if (!s->nbuckets)
                return NULL;
        for (struct ikey *k = s->buckets[h & (s->nbuckets - 1)]; k; k = k->next)
                if (k->hash == h && k->len == len && memcmp(k->s, name, len) == 0)
                        return k;
        return NULL;
}

static void key_unlink(struct slot *s, struct ikey *k) {
        struct ikey **pp = &s->buckets[k->hash & (s->nbuckets - 1)];

        while (*pp != k)
                pp = &(*pp)->next;
        *pp = k->next;
}

/* Gives up the keys of s nobody holds; how many. */
static size_t keys_reclaim(struct nodes *t, struct slot *s) {
        size_t n = 0;

        for (uint32_t i = 1; i < s->cap; i++) {
                struct ikey *k = s->ids[i];
                if (!k || k->nlookup > 0)
                        continue;
                key_unlink(s, k);
                free(k);
                s->ids[i] = NULL;
                s->nids--;
                t->keys--;
                if (i < s->first_free)
                        s->first_free = i;
                n++;
        }
        return n;
}

static bool keys_room(struct nodes *t, struct slot *s) {
        if (s->nids >= t->slot_keys)
                keys_reclaim(t, s);
        if (t->keys >= t->keys_max) {
                /* this slot's first, then everyone's, once a tick */
                if (keys_reclaim(t, s) == 0 && t->keys_scanned != t->tick) {
                        t->keys_scanned = t->tick;
                        for (uint32_t i = 1; i < t->nslots; i++)
                                if (t->slots[i].proc)
                                        keys_reclaim(t, &t->slots[i]);
                }
        }
        return s->nids < t->slot_keys && t->keys < t->keys_max;
}

static bool buckets_grow(struct slot *s) {
        uint32_t nb = s->nbuckets ? s->nbuckets * 2 : 16;
        struct ikey **b = calloc(nb, sizeof(*b));

        if (!b)
                return false;
        for (uint32_t i = 0; i < s->nbuckets; i++)
                for (struct ikey *k = s->buckets[i], *next; k; k = next) {
                        next = k->next;
                        k->next = b[k->hash & (nb - 1)];
                        b[k->hash & (nb - 1)] = k;
                }
        free(s->buckets);
        s->buckets = b;
        s->nbuckets = nb;
        return true;
}

/* The id of name in s, interned if new. 0: the bound is reached. */
static uint32_t key_intern(struct nodes *t, struct slot *s, const char *name, size_t len, uint8_t access) {
        uint64_t h = name_hash(name, len);
        struct ikey *k = key_find(s, name, len, h);
        uint32_t id;

        if (k) {
                if (access > k->access)
                        k->access = access; /* the stricter of the entries it names */
                return k->id;
        }
        if (len > UINT16_MAX || !keys_room(t, s))
                return 0;
        if (s->nids + 1 > s->nbuckets && !buckets_grow(s))
                return 0;
        for (id = s->first_free; id < s->cap && s->ids[id]; id++)
                ;
        if (id >= s->cap) {
                uint32_t nc = s->cap ? s->cap * 2 : 16;
                struct ikey **v;
                if (nc > KEYS_MAX + 1)
                        nc = KEYS_MAX + 1;
                if (id >= nc || !(v = realloc(s->ids, (size_t)nc * sizeof(*v))))
                        return 0;
                memset(v + s->cap, 0, (size_t)(nc - s->cap) * sizeof(*v));
                s->ids = v;
                s->cap = nc;
        }
        k = malloc(sizeof(*k) + len + 1);
        if (!k)
                return 0;
        *k = (struct ikey){ .hash = h, .id = id, .access = access, .len = (uint16_t)len };
        memcpy(k->s, name, len);
        k->s[len] = 0;
        k->next = s->buckets[h & (s->nbuckets - 1)];
        s->buckets[h & (s->nbuckets - 1)] = k;
        s->ids[id] = k;
        s->nids++;
        s->first_free = id + 1;
        t->keys++;
        return id;
}

static struct ikey *key_at(const struct slot *s, uint32_t id) {
        return id > 0 && id < s->cap ? s->ids[id] : NULL;
}

/* ---- entries inside a file -------------------------------------------- */

/* Field f's name: is it path? */
static bool named(const struct nprocfs_field *f, const char *path, size_t len) {
        return f->name_len == len && memcmp(f->name, path, len) == 0;
}

/* The group directory path is, as the first field of it: its index, or -1. */
static int group_of(const struct nprocfs_schema *s, const char *path, size_t len) {
        for (unsigned f = 0; f < s->nfields; f++) {
                const char *slash = strrchr(s->fields[f].name, '/');
                if (slash && (size_t)(slash - s->fields[f].name) == len && memcmp(s->fields[f].name, path, len) == 0)
                        return (int)f;
        }
        return -1;
}

/* How entry path of schema s (field: its schema row, if a value) is
 * numbered: a leaf, and the name to intern as its key (or none). */
struct place {
        unsigned leaf;
        const char *name;
        size_t name_len;
};

static struct place place_of(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool dir, const char *path,
                             size_t len) {
        const char *slash = len ? memrchr(path, '/', len) : NULL;
        int g;

        if (len == 0)
                return (struct place){ 0 };
        if (f && f >= s->fields && f < s->fields + s->nfields && named(f, path, len))
                return (struct place){ .leaf = 1 + (unsigned)(f - s->fields) };
        if (f && s->row_fields && f >= s->row_fields && f < s->row_fields + s->nrow_fields && slash && slash > path &&
            named(f, slash + 1, (size_t)(path + len - slash - 1)))
                return (struct place){ .leaf = 1 + (unsigned)(f - s->row_fields),
                                       .name = path,
                                       .name_len = (size_t)(slash - path) };
        if (dir && !slash && (g = group_of(s, path, len)) >= 0)
                return (struct place){ .leaf = LEAF_GROUP + (unsigned)g };
        return (struct place){ .leaf = 0, .name = path, .name_len = len };
}

/* The first schema whose name goes through subdirectory prefix: the one a
 * K_SUBDIR's number names. */
static unsigned subdir_schema(const struct fs *fs, const char *prefix, size_t len) {
        for (unsigned si = 0; si < fs->nschemas; si++) {
                const char *n = nprocfs_schemas[si]->name;
                if (strncmp(n, prefix, len) == 0 && n[len] == '/')
                        return si;
        }
        return 0;
}

/* ---- the table ---------------------------------------------------------- */

int nodes_init(struct fs *fs) {
        struct nodes *t = &fs->nodes;

        pthread_mutex_init(&t->lock, NULL);
        t->cap = 256;
        t->nslots = 1; /* slot 0 is "none" */
        t->slots = calloc(t->cap, sizeof(*t->slots));
        t->values = calloc((size_t)VALUE_SETS * VALUE_WAYS, sizeof(*t->values));
        t->keys_max = fs->names_max * 2 > KEYS_ALL ? fs->names_max * 2 : KEYS_ALL;
        t->slot_keys = fs->keys_max ? fs->keys_max : KEYS_MAX;
        t->keys_scanned = -1;
        if (!t->slots || !t->values) {
                free(t->slots);
                free(t->values);
                return -ENOMEM;
        }
        t->root = calloc(1, sizeof(*t->root));
        if (!t->root) {
                free(t->slots);
                free(t->values);
                return -ENOMEM;
        }
        *t->root = (struct node){ .ino = FUSE_ROOT_ID, .kind = K_ROOT };
        return 0;
}

void nodes_free(struct fs *fs) {
        struct nodes *t = &fs->nodes;

        for (uint32_t i = 1; i < t->nslots; i++)
                if (t->slots[i].proc) {
                        keys_free(t, &t->slots[i]);
                        t->slots[i].proc->slot = 0;
                        proc_unref(t->slots[i].proc);
                }
        free(t->slots);
        free(t->values);
        free(t->root);
        pthread_mutex_destroy(&t->lock);
}

static struct node *node_new(size_t path_len) {
        struct node *n = calloc(1, sizeof(*n) + path_len + 1);

        if (n)
                n->path_len = (uint16_t)path_len;
        return n;
}

/* The entry path decoded from d in slot s into a new node; NULL if d names
 * nothing there. */
static struct node *decode_path(const struct fs *fs, const struct slot *s, const struct decoded *d) {
        const struct nprocfs_schema *sc = d->schema < fs->nschemas ? nprocfs_schemas[d->schema] : NULL;
        const struct ikey *k = NULL;
        const struct nprocfs_field *f = NULL;
        const char *a = "", *b = "";
        size_t alen = 0, blen = 0;
        uint8_t access = 0;
        struct node *n;

        if (!sc)
                return NULL;
        if (d->kind == K_SUBDIR) {
                a = sc->name;
                alen = d->leaf;
                if (alen == 0 || alen >= strlen(a) || a[alen] != '/')
                        return NULL;
        } else if (d->key) {
                if (!(k = key_at(s, d->key)))
                        return NULL;
                a = k->s;
                alen = k->len;
                access = k->access;
                if (d->leaf) {
                        if (d->leaf - 1 >= sc->nrow_fields)
                                return NULL;
                        f = &sc->row_fields[d->leaf - 1];
                        b = f->name;
                        blen = f->name_len;
                }
        } else if (d->leaf >= LEAF_GROUP) {
                const char *slash;
                if (d->leaf - LEAF_GROUP >= sc->nfields)
                        return NULL;
                a = sc->fields[d->leaf - LEAF_GROUP].name;
                if (!(slash = strrchr(a, '/')))
                        return NULL;
                alen = (size_t)(slash - a);
        } else if (d->leaf) {
                if (d->leaf - 1 >= sc->nfields)
                        return NULL;
                f = &sc->fields[d->leaf - 1];
                a = f->name;
                alen = f->name_len;
        }
        if (f)
                access = f->access;
        n = node_new(alen + (blen ? 1 + blen : 0));
        if (!n)
                return NULL;
        memcpy(n->path, a, alen);
        if (blen) {
                n->path[alen] = '/';
                memcpy(n->path + alen + 1, b, blen);
        }
        n->access = access;
        return n;
}

struct node *nodes_get(struct fs *fs, fuse_ino_t ino) {
        struct nodes *t = &fs->nodes;
        struct decoded d = ino_split(ino);
        struct node *n = NULL;
        struct slot *s;

        if (ino == FUSE_ROOT_ID)
                return t->root;
        if (d.slot == 0) {
                if ((d.kind != K_SELF && d.kind != K_THREAD_SELF && d.kind != K_NET) ||
                    ino != ino_make(0, d.kind, 0, 0, 0))
                        return NULL;
                n = node_new(0);
                if (n) {
                        n->ino = ino;
                        n->kind = (uint8_t)d.kind;
                }
                return n;
        }
        pthread_mutex_lock(&t->lock);
        s = slot_at(t, d.slot);
        if (s) {
                if (in_file_kind(d.kind) || d.kind == K_SUBDIR)
                        n = decode_path(fs, s, &d);
                else if ((d.kind == K_PROC || d.kind == K_TASKS || d.kind == K_THREAD) &&
                         ino == ino_make(d.slot, d.kind, 0, 0, 0))
                        n = node_new(0);
        }
        if (n) {
                n->ino = ino;
                n->gen = s->gen;
                n->slot = d.slot;
                n->kind = (uint8_t)d.kind;
                n->schema = (uint8_t)d.schema;
                n->proc = s->proc;
                proc_ref(n->proc);
                s->refs++;
                slot_used(t, s);
        }
        pthread_mutex_unlock(&t->lock);
        return n;
}

void node_put(struct fs *fs, struct node *n) {
        struct nodes *t = &fs->nodes;

        if (!n || n == t->root)
                return;
        if (n->slot) {
                pthread_mutex_lock(&t->lock);
                t->slots[n->slot].refs--;
                slot_release(t, n->slot);
                pthread_mutex_unlock(&t->lock);
        }
        proc_unref(n->proc);
        free(n);
}

/* The number k has in slot i (taken), interning its key when intern; the
 * key's id into *ret_key (0: none). false: the bound of keys is reached. */
static bool number_of(struct fs *fs, uint32_t i, const struct nkey *k, bool intern, uint64_t *ret, uint32_t *ret_key) {
        struct nodes *t = &fs->nodes;
        struct slot *s = &t->slots[i];
        unsigned schema = k->schema, leaf = 0;
        uint32_t key = 0;

        *ret_key = 0;
        if (k->kind == K_SUBDIR) {
                schema = subdir_schema(fs, k->path, k->path_len);
                leaf = (unsigned)k->path_len;
        } else if (in_file_kind(k->kind)) {
                struct place pl =
                        place_of(nprocfs_schemas[k->schema], k->field, k->kind == K_DIR, k->path, k->path_len);
                leaf = pl.leaf;
                if (pl.name) {
                        if (intern)
                                key = key_intern(t, s, pl.name, pl.name_len, pl.leaf ? 0 : k->access);
                        else {
                                struct ikey *x = key_find(s, pl.name, pl.name_len, name_hash(pl.name, pl.name_len));
                                key = x ? x->id : 0;
                        }
                        if (!key)
                                return false;
                }
        } else
                schema = 0;
        *ret = ino_make(i, k->kind, schema, key, leaf);
        *ret_key = key;
        return true;
}

struct node *nodes_enter(struct fs *fs, const struct nkey *k, const struct node *dir) {
        struct nodes *t = &fs->nodes;
        struct node *n;
        uint64_t ino;
        uint32_t i, key;

        n = node_new(k->path_len);
        if (!n)
                return NULL;
        memcpy(n->path, k->path, k->path_len);
        n->kind = k->kind;
        n->schema = k->kind == K_SUBDIR ? 0 : k->schema;
        n->access = k->access;
        if (!k->proc) { /* the root's links */
                n->ino = ino_make(0, k->kind, 0, 0, 0);
                return n;
        }
        pthread_mutex_lock(&t->lock);
        i = slot_of(t, k->proc, k->kind == K_THREAD && dir ? dir->slot : 0);
        if (!i || !number_of(fs, i, k, true, &ino, &key)) {
                if (i)
                        slot_release(t, i);
                pthread_mutex_unlock(&t->lock);
                free(n);
                return NULL;
        }
        if (key)
                t->slots[i].ids[key]->nlookup++;
        slot_count(t, i, 1);
        t->slots[i].refs++;
        slot_used(t, &t->slots[i]);
        n->ino = ino;
        n->gen = t->slots[i].gen;
        n->slot = i;
        pthread_mutex_unlock(&t->lock);
        n->proc = k->proc;
        proc_ref(n->proc);
        return n;
}

/* Takes back count references of the kernel to ino. Lock held. */
static void uncount(struct nodes *t, uint64_t ino, uint64_t count) {
        struct decoded d = ino_split(ino);
        struct slot *s = slot_at(t, d.slot);
        struct ikey *k;

        if (!s)
                return;
        if (count > s->nlookup)
                count = s->nlookup;
        if (d.key && (in_file_kind(d.kind)) && (k = key_at(s, d.key)))
                k->nlookup = count < k->nlookup ? k->nlookup - (uint32_t)count : 0;
        slot_count(t, d.slot, -(int64_t)count);
        slot_release(t, d.slot);
}

void nodes_unlookup(struct fs *fs, struct node *n) {
        if (!n->slot)
                return;
        pthread_mutex_lock(&fs->nodes.lock);
        uncount(&fs->nodes, n->ino, 1);
        pthread_mutex_unlock(&fs->nodes.lock);
}

void nodes_forget(struct fs *fs, fuse_ino_t ino, uint64_t count) {
        if (ino == FUSE_ROOT_ID)
                return;
        pthread_mutex_lock(&fs->nodes.lock);
        uncount(&fs->nodes, ino, count);
        pthread_mutex_unlock(&fs->nodes.lock);
}

fuse_ino_t nodes_ino_of(struct fs *fs, const struct nkey *k, const struct node *dir) {
        struct nodes *t = &fs->nodes;
        uint64_t ino = 0;
        uint32_t key;

        (void)dir;
        if (k->proc) {
                pthread_mutex_lock(&t->lock);
                if (!k->proc->slot || !number_of(fs, k->proc->slot, k, true, &ino, &key))
                        ino = 0;
                pthread_mutex_unlock(&t->lock);
        }
        if (ino)
                return ino;
        /* a process not looked up yet: a number of its own kind, which
         * the lookup's replaces (and a name past -o keys=, its kind's) */
        if (k->kind == K_PROC || k->kind == K_THREAD)
                return ino_make(0, k->kind, 0, 0, 0) | (uint32_t)(k->kind == K_PROC ? k->pid : k->tid);
        return ino_make(0, k->kind, 0, 0, 0);
}

/* The directory of a scope's files in slot i. Lock held. */
static uint64_t scope_dir(const struct nodes *t, uint32_t i) {
        const struct proc *p = t->slots[i].proc;

        if (!p || p->pid == 0)
                return FUSE_ROOT_ID;
        return ino_make(i, p->tid ? K_THREAD : K_PROC, 0, 0, 0);
}

fuse_ino_t nodes_parent_ino(struct fs *fs, const struct node *n) {
        struct nodes *t = &fs->nodes;
        const struct nprocfs_schema *sc = nprocfs_schemas[n->schema];
        fuse_ino_t ino = FUSE_ROOT_ID;
        struct decoded d = ino_split(n->ino);
        const char *slash;

        if (!n->slot)
                return FUSE_ROOT_ID;
        pthread_mutex_lock(&t->lock);
        switch (n->kind) {
        case K_TASKS:
                ino = ino_make(n->slot, K_PROC, 0, 0, 0);
                break;
        case K_THREAD:
                ino = t->slots[n->slot].up ? ino_make(t->slots[n->slot].up, K_TASKS, 0, 0, 0) : FUSE_ROOT_ID;
                break;
        case K_SUBDIR:
                ino = scope_dir(t, n->slot);
                break;
        case K_DIR:
        case K_VALUE:
        case K_LINK:
                if (n->path_len == 0) {
                        slash = strrchr(sc->name, '/');
                        ino = slash ? ino_make(n->slot, K_SUBDIR,
                                               subdir_schema(fs, sc->name, (size_t)(slash - sc->name)), 0,
                                               (unsigned)(slash - sc->name))
                                    : scope_dir(t, n->slot);
                } else if (d.key && d.leaf && d.leaf < LEAF_GROUP)
                        ino = ino_make(n->slot, K_DIR, n->schema, d.key, 0); /* a row's */
                else {
                        struct nkey k = { .kind = K_DIR, .schema = n->schema, .proc = n->proc, .path = n->path };
                        uint32_t key;
                        slash = memrchr(n->path, '/', n->path_len);
                        k.path_len = slash ? (size_t)(slash - n->path) : 0;
                        if (!number_of(fs, n->slot, &k, false, &ino, &key))
                                ino = ino_make(n->slot, K_DIR, n->schema, 0, 0);
                }
                break;
        default:
                break;
        }
        pthread_mutex_unlock(&t->lock);
        return ino;
}

/* The name of slot i's process directory: false if none. Lock held. */
static bool dentry_of(const struct nodes *t, uint32_t i, fuse_ino_t *ret_parent, pid_t *ret_name) {
        const struct slot *s = &t->slots[i];

        if (!s->proc || s->proc->pid == 0)
                return false;
        if (s->proc->tid) {
                if (!s->up)
                        return false;
                *ret_parent = ino_make(s->up, K_TASKS, 0, 0, 0);
                *ret_name = s->proc->tid;
        } else {
                *ret_parent = FUSE_ROOT_ID;
                *ret_name = s->proc->pid;
        }
        return true;
}

bool nodes_proc_dentry(struct fs *fs, const struct node *n, fuse_ino_t *ret_parent, pid_t *ret_name) {
        bool r = false;

        if (!n->slot)
                return false;
        pthread_mutex_lock(&fs->nodes.lock);
        r = dentry_of(&fs->nodes, n->slot, ret_parent, ret_name);
        pthread_mutex_unlock(&fs->nodes.lock);
        return r;
}

size_t nodes_count(struct fs *fs) {
        size_t n;

        pthread_mutex_lock(&fs->nodes.lock);
        n = (size_t)fs->nodes.nlookup;
        pthread_mutex_unlock(&fs->nodes.lock);
        return n;
}

int nodes_known_procs(struct fs *fs, struct known **ret, size_t *ret_n) {
        struct nodes *t = &fs->nodes;
        struct known *v = NULL;
        size_t n = 0, cap = 0;
        int r = 0;

        pthread_mutex_lock(&t->lock);
        for (uint32_t i = 1; i < t->nslots; i++) {
                struct slot *s = &t->slots[i];
                struct known k;
                if (!s->proc || s->nlookup == 0 || !dentry_of(t, i, &k.parent, &k.pid))
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
                proc_ref(s->proc);
                v[n++] =
                        (struct known){ .pid = s->proc->pid, .tid = s->proc->tid, .parent = k.parent, .proc = s->proc };
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

void nodes_inval_proc(struct fs *fs, struct proc *p) {
        struct nodes *t = &fs->nodes;
        fuse_ino_t parent = 0, dir = 0, tasks = 0;
        pid_t name = 0;
        bool known;

        pthread_mutex_lock(&t->lock);
        known = p->slot && t->slots[p->slot].nlookup > 0 && dentry_of(t, p->slot, &parent, &name);
        if (known) {
                dir = scope_dir(t, p->slot);
                tasks = p->tid ? 0 : ino_make(p->slot, K_TASKS, 0, 0, 0);
        }
        pthread_mutex_unlock(&t->lock);
        if (!known)
                return;
        /* the names below it are looked up again, with the new owners */
        bg_inval_entry(fs, parent, name);
        bg_inval_inode(fs, dir);
        if (tasks)
                bg_inval_inode(fs, tasks);
}

struct victim {
        int64_t used;
        uint64_t below;
        pid_t pid;
};

static int by_use(const void *a, const void *b) {
        const struct victim *x = a, *y = b;
        return (x->used > y->used) - (x->used < y->used);
}

int nodes_over_budget(struct fs *fs, pid_t **ret, size_t *ret_n) {
        struct nodes *t = &fs->nodes;
        struct victim *v = NULL;
        size_t n = 0, cap = 0;
        uint64_t excess;
        pid_t *pids;
        int r = 0;

        *ret = NULL;
        *ret_n = 0;
        pthread_mutex_lock(&t->lock);
        t->tick++;
        if (t->nlookup <= fs->names_max) {
                pthread_mutex_unlock(&t->lock);
                return 0;
        }
        excess = t->nlookup - fs->names_max * 3 / 4; /* forget down to 3/4: not every second */
        for (uint32_t i = 1; i < t->nslots; i++) {
                struct slot *s = &t->slots[i];
                if (!s->proc || s->proc->pid == 0 || s->proc->tid || s->below == 0 || t->tick - s->used <= NAMES_KEEP)
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
                v[n++] = (struct victim){ .used = s->used, .below = s->below, .pid = s->proc->pid };
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

/* ---- what the kernel may hold of a value ------------------------------- */

static size_t value_set(uint64_t ino) {
        return (size_t)(mix(ino) & (VALUE_SETS - 1));
}

static pthread_mutex_t *set_lock(struct fs *fs, size_t set) {
        return &fs->value_locks[set % (sizeof(fs->value_locks) / sizeof(fs->value_locks[0]))];
}

struct vstate *value_state(struct fs *fs, const struct node *n, bool create) {
        size_t set = value_set(n->ino);
        struct vstate *w = &fs->nodes.values[set * VALUE_WAYS], *pick = NULL;
        int64_t now = mono_ns(), expired = now - fs->ttl - 1000000000;

        pthread_mutex_lock(set_lock(fs, set));
        for (unsigned i = 0; i < VALUE_WAYS; i++)
                if (w[i].ino == n->ino && w[i].gen == n->gen)
                        return &w[i];
        if (create)
                /* an empty way, else the one told longest ago whose size
                 * the kernel no longer holds, that no open file reads */
                for (unsigned i = 0; i < VALUE_WAYS; i++) {
                        if (w[i].ino == 0) {
                                pick = &w[i];
                                break;
                        }
                        if (w[i].pins == 0 && w[i].told < expired && (!pick || w[i].told < pick->told))
                                pick = &w[i];
                }
        if (!pick) {
                pthread_mutex_unlock(set_lock(fs, set));
                return NULL;
        }
        *pick = (struct vstate){ .ino = n->ino, .gen = n->gen, .size_seen = SIZE_UNKNOWN };
        return pick;
}

void value_lock_state(struct fs *fs, const struct vstate *v) {
        pthread_mutex_lock(set_lock(fs, (size_t)(v - fs->nodes.values) / VALUE_WAYS));
}

void value_unlock(struct fs *fs, const struct vstate *v) {
        pthread_mutex_unlock(set_lock(fs, (size_t)(v - fs->nodes.values) / VALUE_WAYS));
}
