/* The tree's layout: which name each schema gives in which directory. The
 * mount (src/fs/ops.c) and nprocfs-dump both walk the schemas through
 * here. */
#include <string.h>

#include "internal.h"

/* Whether s has a file in directory dir of a tree. */
static bool in_dir(const struct nprocfs_schema *s, enum nprocfs_dir dir, bool live) {
        switch (dir) {
        case NPROCFS_DIR_ROOT:
                /* a snapshot's own net/: a live root has net -> self/net */
                return s->scope == NPROCFS_SCOPE_SYSTEM || (!live && (s->flags & NPROCFS_S_NET));
        case NPROCFS_DIR_PROCESS:
                return s->scope == NPROCFS_SCOPE_PID;
        case NPROCFS_DIR_THREAD:
                return s->scope == NPROCFS_SCOPE_PID && (s->flags & NPROCFS_S_TASK);
        }
        return false;
}

bool nprocfs_tree_child(const struct nprocfs_schema *s, enum nprocfs_dir dir, bool live, const char *sub,
                        size_t sub_len, struct nprocfs_child *c) {
        const char *rel = s->name, *slash;

        if (!in_dir(s, dir, live))
                return false;
        if (sub_len > 0) {
                if (strncmp(s->name, sub, sub_len) != 0 || s->name[sub_len] != '/')
                        return false;
                rel = s->name + sub_len + 1;
        }
        slash = strchr(rel, '/');
        c->off = (unsigned short)(rel - s->name);
        c->end = (unsigned short)(slash ? (size_t)(slash - s->name) : (size_t)c->off + strlen(rel));
        c->kind = slash                                                ? NPROCFS_CHILD_SUBDIR
                  : s->grammar && s->grammar->shape == NPROCFS_SH_LINK ? NPROCFS_CHILD_LINK
                                                                       : NPROCFS_CHILD_FILE;
        return true;
}
