/* The JSON form of a walk. Entries arrive in walk order, but the paths
 * asked for may come back to a directory already left (1/status meminfo
 * 1/stat), and a JSON object must not repeat a key: so the document is a
 * tree built first and printed once, at the end.
 *
 * Types, from the entry's field: u64, i64 and decimal are numbers (u64
 * values are written whole, also past 2^53, where a reader that holds
 * numbers as doubles rounds them); bool is true/false; a u64 that may be
 * unlimited is a number or the string "max"; lists are arrays of strings;
 * masks, modes, enumerations, addresses and strings are strings. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "utf8.h"

struct node {
        char *name;
        size_t name_len;
        struct node *child, *last, *next;
        /* a value (leaf) when field is set */
        const struct nprocfs_field *field;
        char *value;
        size_t value_len;
};

struct json_doc {
        struct node root;
};

int json_doc_new(struct json_doc **ret) {
        struct json_doc *doc = calloc(1, sizeof(*doc));

        if (!doc)
                return -ENOMEM;
        *ret = doc;
        return 0;
}

static void node_free(struct node *n) {
        while (n) {
                struct node *next = n->next;
                node_free(n->child);
                free(n->name);
                free(n->value);
                free(n);
                n = next;
        }
}

void json_doc_free(struct json_doc *doc) {
        if (!doc)
                return;
        node_free(doc->root.child);
        free(doc);
}

/* The child of dir named name, made if there is none. Most entries go to
 * the last child, which is therefore looked at first. */
static int child(struct node *dir, const char *name, size_t len, struct node **ret) {
        struct node *n = dir->last;

        if (!(n && n->name_len == len && memcmp(n->name, name, len) == 0))
                for (n = dir->child; n; n = n->next)
                        if (n->name_len == len && memcmp(n->name, name, len) == 0)
                                break;
        if (!n) {
                n = calloc(1, sizeof(*n));
                if (!n)
                        return -ENOMEM;
                n->name = malloc(len + 1);
                if (!n->name) {
                        free(n);
                        return -ENOMEM;
                }
                memcpy(n->name, name, len);
                n->name[len] = 0;
                n->name_len = len;
                if (dir->last)
                        dir->last->next = n;
                else
                        dir->child = n;
                dir->last = n;
        }
        *ret = n;
        return 0;
}

/* Walks (making) the directories of path; the last component's node
 * into *ret. */
static int walk(struct node *dir, const char *path, size_t len, struct node **ret) {
        while (len > 0) {
                const char *slash = memchr(path, '/', len);
                size_t n = slash ? (size_t)(slash - path) : len;
                int r;

                if (n == 0) { /* a prefix's own final '/' */
                        path++, len--;
                        continue;
                }
                if (dir->field)
                        return -EEXIST; /* a value cannot hold entries */
                r = child(dir, path, n, &dir);
                if (r < 0)
                        return r;
                path += n, len -= n;
        }
        *ret = dir;
        return 0;
}

int json_doc_add(struct json_doc *doc, const char *prefix, const struct nprocfs_entry *e) {
        struct node *n;
        int r = walk(&doc->root, prefix, strlen(prefix), &n);

        if (r == 0)
                r = walk(n, e->path, e->path_len, &n);
        if (r < 0)
                return r;
        if (n->field)
                return 0; /* the same entry again */
        if (n->child || n == &doc->root)
                return -EEXIST;
        n->value = malloc(e->value_len + 1);
        if (!n->value)
                return -ENOMEM;
        memcpy(n->value, e->value, e->value_len);
        n->value[e->value_len] = 0;
        n->value_len = e->value_len;
        n->field = e->field;
        return 0;
}

/* RFC 8259: '"', '\\' and controls escaped; a byte that is not valid
 * UTF-8 is the Latin-1 character of its value (utf8.h). */
static void put_str(FILE *f, const char *s, size_t len) {
        const unsigned char *p = (const unsigned char *)s;

        putc('"', f);
        for (size_t i = 0; i < len;) {
                size_t n = utf8_len(p + i, len - i);
                if (n == 0) {
                        fprintf(f, "\\u%04x", p[i]);
                        i++;
                } else if (p[i] == '"' || p[i] == '\\') {
                        putc('\\', f);
                        putc(p[i++], f);
                } else if (p[i] < 0x20 || p[i] == 0x7f) {
                        fprintf(f, "\\u%04x", p[i++]);
                } else {
                        fwrite(p + i, 1, n, f);
                        i += n;
                }
        }
        putc('"', f);
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?: what the emitter writes for numbers; checked
 * so that the document stays JSON whatever a value holds. */
static bool is_number(const char *s, size_t len) {
        size_t i = 0, d;

        if (i < len && s[i] == '-')
                i++;
        for (d = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
                ;
        if (i == d || (s[d] == '0' && i - d > 1))
                return false;
        if (i < len && s[i] == '.') {
                for (d = ++i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
                        ;
                if (i == d)
                        return false;
        }
        return i == len;
}

/* A list's items, split as the tree splits them: NUL-separated for lists
 * the kernel writes that way (cmdline, environ), else one per line; a
 * final separator ends the last item and starts none. */
static void put_list(FILE *f, const struct node *n) {
        char sep = n->field->conv == NPROCFS_C_NUL ? 0 : '\n';
        const char *p = n->value, *end = n->value + n->value_len;

        putc('[', f);
        while (p < end) {
                const char *z = memchr(p, sep, (size_t)(end - p));
                const char *e = z ? z : end;
                if (p != n->value)
                        putc(',', f);
                put_str(f, p, (size_t)(e - p));
                p = z ? z + 1 : end;
        }
        putc(']', f);
}

static void put_value(FILE *f, const struct node *n) {
        switch (n->field->type) {
        case NPROCFS_T_U64:
        case NPROCFS_T_I64:
        case NPROCFS_T_DEC:
        case NPROCFS_T_MAXU64: /* "max" is no number: a string */
                if (is_number(n->value, n->value_len)) {
                        fwrite(n->value, 1, n->value_len, f);
                        return;
                }
                break;
        case NPROCFS_T_BOOL:
                if (n->value_len == 1 && (n->value[0] == '0' || n->value[0] == '1')) {
                        fputs(n->value[0] == '1' ? "true" : "false", f);
                        return;
                }
                break;
        case NPROCFS_T_LIST:
        case NPROCFS_T_CAPS:
        case NPROCFS_T_SIGS:
                put_list(f, n);
                return;
        case NPROCFS_T_INET: /* "127.0.0.1", "::1" */
        default:
                break;
        }
        put_str(f, n->value, n->value_len);
}

static void put_node(FILE *f, const struct node *dir) {
        putc('{', f);
        for (const struct node *n = dir->child; n; n = n->next) {
                if (n != dir->child)
                        putc(',', f);
                put_str(f, n->name, n->name_len);
                putc(':', f);
                if (n->field)
                        put_value(f, n);
                else
                        put_node(f, n);
        }
        putc('}', f);
}

void json_doc_print(FILE *f, const struct json_doc *doc) {
        put_node(f, &doc->root);
        putc('\n', f);
}
