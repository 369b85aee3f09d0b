/* nprocfs-dump: prints the entries below a tree path as "path value" lines,
 * the same paths the mounted tree has (self/status/vmrss_bytes, meminfo,
 * 1/task/1/stat, ...), as one JSON document (--json), as metrics
 * (--openmetrics, --prometheus), or the schema as a reference (--schema). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nprocfs/nprocfs.h>
#include <nprocfs/records.h>

#include "json.h"
#include "metrics.h"

enum format { TEXT, JSON, OPENMETRICS, PROMETHEUS };

/* One run: the root, and whether anything asked for could not be read
 * (the exit status). JSON and metrics are collected during the walk and
 * printed at its end. */
struct dump {
        nprocfs_ctx *ctx;
        unsigned errors;
        enum format format;
        struct json_doc *json;
        struct metrics *metrics;
        /* the comm label of the last process metrics were taken of: its
         * comm file, or stat's comm before 2.6.33 */
        struct nprocfs_pid_comm comm;
        struct nprocfs_pid_stat stat;
        struct nprocfs_str comm_name;
        pid_t comm_pid, comm_tid;
        bool comm_ok;
};

struct walk {
        struct dump *d;
        const struct nprocfs_schema *s;
        struct metrics_proc proc;
        const char *prefix; /* what to print before the entry path */
        const char *sub;    /* the part of the path inside the file, or "" */
        size_t sub_len;
        size_t matched;
};

/* Values may hold any byte: print them so one entry stays one line. */
static void put_escaped(FILE *f, const char *s, size_t len) {
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == '\\')
                        fputs("\\\\", f);
                else if (c == '\n')
                        fputs("\\n", f);
                else if (c < 0x20 || c == 0x7f)
                        fprintf(f, "\\%03o", c);
                else
                        putc(c, f);
        }
}

/* "nprocfs-dump: PATH: error", PATH escaped as a value is: it may be
 * what the user typed, or a key of the source. */
static void report(const char *path, int err) {
        fputs("nprocfs-dump: ", stderr);
        put_escaped(stderr, path, strlen(path));
        fprintf(stderr, ": %s\n", strerror(err));
}

/* A pid or tid as the tree and /proc take it: decimal, no sign, no leading
 * zero ("01" is not 1), within pid_t. */
static int parse_id(const char *s, size_t len, pid_t *ret) {
        uint64_t v;

        if (len == 0 || s[0] == '0' || nprocfs_parse_u64(s, len, &v) < 0 || v > INT32_MAX)
                return -ENOENT;
        *ret = (pid_t)v;
        return 0;
}

static int print_entry(const struct nprocfs_entry *e, void *ud) {
        struct walk *w = ud;

        if (w->sub_len > 0) {
                /* the entry itself, or an entry inside that directory */
                if (e->path_len < w->sub_len || memcmp(e->path, w->sub, w->sub_len) != 0)
                        return 0;
                if (e->path_len > w->sub_len && e->path[w->sub_len] != '/')
                        return 0;
        }
        w->matched++;
        if (w->d->format != TEXT) {
                int r = w->d->json ? json_doc_add(w->d->json, w->prefix, e)
                                   : metrics_add(w->d->metrics, w->s, &w->proc, e);
                if (r < 0) {
                        char path[512];
                        snprintf(path, sizeof(path), "%s%.*s", w->prefix, (int)e->path_len, e->path);
                        report(path, -r);
                        w->d->errors++;
                }
                return 0;
        }
        if (w->s->grammar && w->s->grammar->shape == NPROCFS_SH_LINK) {
                /* a link is one line, as the tree shows it: a symlink to its
                 * text ("1/exe /usr/bin/bash") */
                if (e->path_len != 6 || memcmp(e->path, "target", 6) != 0)
                        return 0;
                fwrite(w->prefix, 1, strlen(w->prefix) - 1, stdout);
        } else {
                fputs(w->prefix, stdout);
                put_escaped(stdout, e->path, e->path_len);
        }
        putchar(' ');
        put_escaped(stdout, e->value, e->value_len);
        putchar('\n');
        return 0;
}

/* The comm label of pid/tid, read once per process. */
static void proc_labels(struct dump *d, pid_t pid, pid_t tid, struct metrics_proc *ret) {
        *ret = (struct metrics_proc){ .pid = pid, .tid = tid };
        if (pid == 0)
                return;
        if (d->comm_pid != pid || d->comm_tid != tid) {
                d->comm_pid = pid;
                d->comm_tid = tid;
                d->comm_ok = true;
                if (nprocfs_rec_read(d->ctx, &d->comm.rec, pid, tid) == 0 && NPROCFS_HAS(&d->comm, pid_comm, name))
                        d->comm_name = d->comm.name;
                else if (nprocfs_rec_read(d->ctx, &d->stat.rec, pid, tid) == 0 && NPROCFS_HAS(&d->stat, pid_stat, comm))
                        d->comm_name = d->stat.comm;
                else
                        d->comm_ok = false;
        }
        if (d->comm_ok) {
                ret->comm = d->comm_name.ptr;
                ret->comm_len = d->comm_name.len;
        }
}

/* Dumps one file of pid/tid (or a system file); sub selects inside it. In
 * a walk (walking), a file that is absent is skipped, as the tree does not
 * list it, and so is one /proc refuses to this user (a walk as a user is
 * no error); any other error is reported and counted. */
static int dump_file(struct dump *d, const struct nprocfs_schema *s, pid_t pid, pid_t tid, const char *prefix,
                     const char *sub, bool walking) {
        struct nprocfs_rec *rec;
        struct walk w = { .d = d, .s = s, .prefix = prefix, .sub = sub, .sub_len = strlen(sub) };
        int r = nprocfs_rec_new(s, &rec);

        if (r < 0)
                return r;
        if (d->metrics)
                proc_labels(d, pid, tid, &w.proc);
        r = nprocfs_rec_read(d->ctx, rec, pid, tid);
        if (r < 0) {
                if (walking && r != -ENOENT && r != -EACCES) {
                        report(prefix, -r);
                        d->errors++;
                }
        } else {
                nprocfs_rec_foreach(rec, print_entry, &w);
                if (w.sub_len > 0 && w.matched == 0)
                        r = -ENOENT;
        }
        nprocfs_rec_free(rec);
        return r;
}

static int dump_proc(struct dump *d, pid_t pid, pid_t tid, const char *prefix, const char *rest);

/* In a walk: a process or thread that is gone (or, in a snapshot, no
 * directory) is skipped; any other error is reported and counted. */
static void walk_proc(struct dump *d, pid_t pid, pid_t tid, const char *prefix) {
        int r = dump_proc(d, pid, tid, prefix, "");

        if (r < 0 && r != -ENOENT) {
                report(prefix, -r);
                d->errors++;
        }
}

static int dump_tasks(struct dump *d, pid_t pid, const char *prefix, const char *rest) {
        const char *slash = strchr(rest, '/');
        char pre[256];
        pid_t *tids, tid;
        size_t n;
        int r = 0;

        if (*rest) {
                if (parse_id(rest, slash ? (size_t)(slash - rest) : strlen(rest), &tid) < 0)
                        return -ENOENT;
                if (snprintf(pre, sizeof(pre), "%s%d/", prefix, (int)tid) >= (int)sizeof(pre))
                        return -ENAMETOOLONG;
                return dump_proc(d, pid, tid, pre, slash ? slash + 1 : "");
        }
        r = nprocfs_tids(d->ctx, pid, &tids, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                if (snprintf(pre, sizeof(pre), "%s%d/", prefix, (int)tids[i]) >= (int)sizeof(pre))
                        continue;
                walk_proc(d, pid, tids[i], pre);
        }
        free(tids);
        return 0;
}

/* Whether s gives a name below sub (sub_len 0: in) the directory of
 * pid/tid (pid 0: the root's), as the tree has it (nprocfs_tree_child). */
static bool in_dir_below(const struct dump *d, const struct nprocfs_schema *s, pid_t pid, pid_t tid, const char *sub,
                         size_t sub_len) {
        enum nprocfs_dir dir = pid == 0 ? NPROCFS_DIR_ROOT : tid == 0 ? NPROCFS_DIR_PROCESS : NPROCFS_DIR_THREAD;
        struct nprocfs_child c;

        return nprocfs_tree_child(s, dir, nprocfs_ctx_is_live(d->ctx), sub, sub_len, &c);
}

static bool in_dir(const struct dump *d, const struct nprocfs_schema *s, pid_t pid, pid_t tid) {
        return in_dir_below(d, s, pid, tid, "", 0);
}

/* The path rest inside the directory of pid/tid: a file (whose name may
 * hold a '/': net/tcp) and what is below it, or a subdirectory of files
 * (net), all of them. */
static int dump_named(struct dump *d, pid_t pid, pid_t tid, const char *prefix, const char *rest) {
        size_t rlen = strlen(rest), matched = 0;
        char pre[256];

        while (rlen > 0 && rest[rlen - 1] == '/')
                rlen--;
        for (const struct nprocfs_schema *const *s = nprocfs_schemas; *s; s++) {
                size_t nl = strlen((*s)->name);

                if (!in_dir(d, *s, pid, tid) || rlen < nl || memcmp(rest, (*s)->name, nl) != 0 ||
                    (rlen > nl && rest[nl] != '/'))
                        continue;
                if (snprintf(pre, sizeof(pre), "%s%s/", prefix, (*s)->name) >= (int)sizeof(pre))
                        return -ENAMETOOLONG;
                return dump_file(d, *s, pid, tid, pre, rlen > nl ? rest + nl + 1 : "", false);
        }
        for (const struct nprocfs_schema *const *s = nprocfs_schemas; *s; s++) {
                if (rlen == 0 || !in_dir_below(d, *s, pid, tid, rest, rlen))
                        continue;
                if (snprintf(pre, sizeof(pre), "%s%s/", prefix, (*s)->name) >= (int)sizeof(pre))
                        continue;
                dump_file(d, *s, pid, tid, pre, "", true);
                matched++;
        }
        return matched ? 0 : -ENOENT;
}

static int dump_proc(struct dump *d, pid_t pid, pid_t tid, const char *prefix, const char *rest) {
        const char *slash = strchr(rest, '/');
        size_t len = slash ? (size_t)(slash - rest) : strlen(rest);
        char pre[256];
        int r;

        /* a link loop, a file or a name leading out of a snapshot is no
         * process: not found, as in the tree */
        r = nprocfs_proc_exists(d->ctx, pid, tid);
        if (r < 0)
                return r == -ENOMEM ? r : -ENOENT;
        if (len == strlen(NPROCFS_TASK_DIR) && memcmp(rest, NPROCFS_TASK_DIR, len) == 0 && tid == 0) {
                if (snprintf(pre, sizeof(pre), "%s" NPROCFS_TASK_DIR "/", prefix) >= (int)sizeof(pre))
                        return -ENAMETOOLONG;
                return dump_tasks(d, pid, pre, slash ? slash + 1 : "");
        }
        if (len > 0)
                return dump_named(d, pid, tid, prefix, rest);
        for (const struct nprocfs_schema *const *s = nprocfs_schemas; *s; s++) {
                if (!in_dir(d, *s, pid, tid))
                        continue;
                if (snprintf(pre, sizeof(pre), "%s%s/", prefix, (*s)->name) >= (int)sizeof(pre))
                        continue;
                dump_file(d, *s, pid, tid, pre, "", true);
        }
        return 0;
}

/* The target of the root's self ("<pid>") or thread-self
 * ("<pid>/task/<tid>") link, as the kernel (or the snapshot) has it, when
 * it leads to a process directory of the root; the tree offers them on the
 * same terms. */
static int root_link(struct dump *d, bool thread, pid_t *ret_pid, pid_t *ret_tid) {
        const char *name = thread ? "thread-self" : "self", *slash;
        char buf[64];
        pid_t pid, tid = 0;
        ssize_t n = readlinkat(nprocfs_ctx_root_fd(d->ctx), name, buf, sizeof(buf) - 1);

        if (n <= 0)
                return -ENOENT;
        buf[n] = 0;
        slash = strchr(buf, '/');
        if (!thread) {
                if (parse_id(buf, (size_t)n, &pid) < 0)
                        return -ENOENT;
        } else if (!slash || strncmp(slash, "/task/", 6) != 0 || parse_id(buf, (size_t)(slash - buf), &pid) < 0 ||
                   parse_id(slash + 6, strlen(slash + 6), &tid) < 0)
                return -ENOENT;
        if (nprocfs_proc_exists(d->ctx, pid, tid) < 0)
                return -ENOENT;
        *ret_pid = pid;
        *ret_tid = tid;
        return 0;
}

static int dump_path(struct dump *d, const char *path) {
        const char *slash;
        size_t len;
        char pre[256];
        pid_t pid, tid;

        while (*path == '/')
                path++;
        slash = strchr(path, '/');
        len = slash ? (size_t)(slash - path) : strlen(path);
        if (len == 0) {
                pid_t *pids;
                size_t n;
                int r;
                for (const struct nprocfs_schema *const *s = nprocfs_schemas; *s; s++) {
                        if (!in_dir(d, *s, 0, 0))
                                continue;
                        if (snprintf(pre, sizeof(pre), "%s/", (*s)->name) >= (int)sizeof(pre))
                                continue;
                        dump_file(d, *s, 0, 0, pre, "", true);
                }
                r = nprocfs_pids(d->ctx, &pids, &n);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n; i++) {
                        if (snprintf(pre, sizeof(pre), "%d/", (int)pids[i]) >= (int)sizeof(pre))
                                continue;
                        walk_proc(d, pids[i], 0, pre);
                }
                free(pids);
                return 0;
        }
        if ((len == 4 && memcmp(path, "self", 4) == 0) || (len == 11 && memcmp(path, "thread-self", 11) == 0)) {
                int r = root_link(d, len == 11, &pid, &tid);
                if (r < 0)
                        return r;
                if (snprintf(pre, sizeof(pre), "%.*s/", (int)len, path) >= (int)sizeof(pre))
                        return -ENAMETOOLONG;
                return dump_proc(d, pid, tid, pre, slash ? slash + 1 : "");
        }
        if (parse_id(path, len, &pid) == 0) {
                if (snprintf(pre, sizeof(pre), "%d/", (int)pid) >= (int)sizeof(pre))
                        return -ENAMETOOLONG;
                return dump_proc(d, pid, 0, pre, slash ? slash + 1 : "");
        }
        /* net: the caller's own, as /proc/net is self/net; a snapshot's
         * own net/ where it has one */
        if (len == 3 && memcmp(path, "net", 3) == 0 && nprocfs_ctx_is_live(d->ctx)) {
                if (root_link(d, false, &pid, &tid) < 0)
                        return -ENOENT;
                return dump_named(d, pid, 0, "", path);
        }
        return dump_named(d, 0, 0, "", path);
}

/* The schema as a reference: Markdown (docs/schema.md) or a man page
 * (docs/nprocfs-tree.5), both made from the tables and nothing else. */
static void print_source(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row) {
        if (row && f->key_len)
                printf("key %s of a row", f->key);
        else if (row && f->pos)
                printf("column %u of a row", f->pos);
        else if (row)
                printf("derived, per row");
        else if (f->key_len)
                printf("key %s%s", f->key, "");
        else if (f->pos)
                printf("field %u", f->pos);
        else
                printf("derived");
        (void)s;
}

/* Text for roff: a backslash would start an escape. */
static void put_roff(const char *t) {
        for (; *t; t++)
                fputs(*t == '\\' ? "\\e" : (char[]){ *t, 0 }, stdout);
}

/* /proc shows these fields to others as a placeholder; the tree refuses them */
static const char ptrace_note[] = " Only with ptrace read access on the process (else EACCES).";

static void print_fields(const struct nprocfs_schema *s, const struct nprocfs_field *f, size_t n, bool row, bool man) {
        for (size_t i = 0; i < n; i++) {
                const char *unit = nprocfs_unit_name(f[i].unit);
                if (man) {
                        printf(".TP\n.B %s%s\n%s", row ? "<row>/" : "", f[i].name, nprocfs_type_name(f[i].type));
                        if (*unit)
                                printf(", %s", unit);
                        printf("; ");
                        print_source(s, &f[i], row);
                        printf("; since %s.\n", f[i].kver);
                        put_roff(f[i].doc);
                        printf(".%s\n", f[i].access == NPROCFS_A_PTRACE ? ptrace_note : "");
                        continue;
                }
                printf("| `%s%s` | %s | %s | ", row ? "<row>/" : "", f[i].name, nprocfs_type_name(f[i].type),
                       *unit ? unit : "-");
                print_source(s, &f[i], row);
                printf(" | %s | %s%s |\n", f[i].kver, f[i].doc, f[i].access == NPROCFS_A_PTRACE ? ptrace_note : "");
        }
}

static void print_schema(bool man) {
        if (man)
                printf(".\\\" Generated from the schema by nprocfs-dump --man; do not edit.\n"
                       ".TH NPROCFS-TREE 5 \"\" \"nprocfs %s\" \"File Formats\"\n"
                       ".SH NAME\nnprocfs-tree \\- the entries of the nprocfs tree\n"
                       ".SH DESCRIPTION\nOne value per file, ended by a newline. Sizes are bytes, times nanoseconds,\n"
                       "unlimited is max. Per-process files are <pid>/<file>/<entry> (and\n"
                       "<pid>/task/<tid>/<file>/<entry> where noted); system-wide files are <file>/<entry>.\n"
                       "Keys a schema does not know yet appear too, named by the same rule.\n"
                       "Each entry's type, unit, source and doc are also its extended attributes\n"
                       "user.nprocfs.type, user.nprocfs.unit, user.nprocfs.source and user.nprocfs.doc.\n",
                       NPROCFS_VERSION);
        else
                printf("# The nprocfs tree: every entry\n\n"
                       "Generated from the schema by `nprocfs-dump --schema`; do not edit.\n"
                       "Paths are as [naming.md](naming.md) describes: `<pid>/<file>/<field>` for per-process files\n"
                       "(also `<pid>/task/<tid>/<file>/<field>` where marked), `<file>/<field>` for system-wide ones.\n"
                       "Keys a schema does not know yet appear too, named by the same rule.\n");
        for (const struct nprocfs_schema *const *s = nprocfs_schemas; *s; s++) {
                bool pid = (*s)->scope == NPROCFS_SCOPE_PID;
                const char *task = (*s)->flags & NPROCFS_S_TASK ? "; also per thread" : "";
                const char *restricted = (*s)->flags & NPROCFS_S_RESTRICTED
                                                 ? "; readable only with ptrace read access, as in /proc"
                                                 : "";
                if (man)
                        printf(".SS %s%s\n%s. Source: /proc/%s%s%s%s.\n", pid ? "<pid>/" : "", (*s)->name, (*s)->doc,
                               pid ? "<pid>/" : "", (*s)->path, task, restricted);
                else
                        printf("\n## %s%s\n\n%s. Source: `/proc/%s%s`%s%s.\n\n"
                               "| entry | type | unit | source | since | meaning |\n|---|---|---|---|---|---|\n",
                               pid ? "<pid>/" : "", (*s)->name, (*s)->doc, pid ? "<pid>/" : "", (*s)->path, task,
                               restricted);
                print_fields(*s, (*s)->fields, (*s)->nfields, false, man);
                if ((*s)->nrow_fields)
                        print_fields(*s, (*s)->row_fields, (*s)->nrow_fields, true, man);
        }
        if (man)
                printf(".SH SEE ALSO\n.BR nprocfs (1),\n.BR nprocfs-dump (1),\n.BR proc (5)\n");
}

static void usage(FILE *f) {
        fprintf(f, "Usage: nprocfs-dump [--root DIR] [--json | --openmetrics | --prometheus] [PATH...]\n"
                   "       nprocfs-dump --schema | --man\n\n"
                   "Prints every entry below PATH of the nprocfs tree as \"path value\" lines, read\n"
                   "from /proc or from the proc tree at DIR (a snapshot, a container's /proc).\n"
                   "Bytes that are not printable, in values, paths and error messages, are escaped\n"
                   "(\\n, \\\\, \\ooo).\n\n"
                   "  PATH         self/status, 1/stat/utime_ns, 1/task, meminfo, stat/cpu0 ...\n"
                   "               (empty: the whole tree)\n"
                   "  --root DIR   read this proc tree instead of /proc\n"
                   "  --json       one JSON document, nested as the tree: .[\"1\"].status.vmrss_bytes.\n"
                   "               u64, i64 and decimals are numbers (u64 written whole: past 2^53\n"
                   "               a reader using doubles rounds them), bool true/false, lists\n"
                   "               arrays of strings, unlimited \"max\", masks, modes, enums and\n"
                   "               strings are strings; a byte that is not UTF-8 is \\u00XX, its\n"
                   "               Latin-1 character\n"
                   "  --openmetrics  the numbers as OpenMetrics: nprocfs_<file>_<field>, seconds and\n"
                   "               bytes, counters (_total) for cumulative fields, enums as _info,\n"
                   "               labels pid, tid, comm and the row (cpu, limit); strings, masks\n"
                   "               and lists left out; unlimited is +Inf\n"
                   "  --prometheus   the same in the Prometheus text format (node_exporter's\n"
                   "               textfile collector reads it; it does not read OpenMetrics)\n"
                   "  --schema     print every entry's type, unit, source and doc as Markdown\n"
                   "  --man        the same as a man page (nprocfs-tree(5))\n"
                   "  --version    print the version\n\n"
                   "Exit status: 0 when every PATH was printed whole; 1 when anything could not\n"
                   "be read (no such PATH, a malformed or unreadable file), after printing all\n"
                   "the rest; 2 for a bad option. Below a PATH, files this kernel or snapshot\n"
                   "does not have are skipped, and so are files /proc refuses to this user\n"
                   "(the environ and io of others' processes): they are no error there.\n");
}

int main(int argc, char **argv) {
        static const struct option opts[] = {
                { "root", required_argument, NULL, 'r' },
                { "schema", no_argument, NULL, 's' },
                { "man", no_argument, NULL, 'm' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { "json", no_argument, NULL, 'j' },
                { "openmetrics", no_argument, NULL, 'o' },
                { "prometheus", no_argument, NULL, 'p' },
                { NULL, 0, NULL, 0 },
        };
        const char *root = NULL;
        struct dump d = { 0 };
        int c, r, status;

        while ((c = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
                switch (c) {
                case 'r':
                        root = optarg;
                        break;
                case 'j':
                case 'o':
                case 'p':
                        if (d.format != TEXT) {
                                fprintf(stderr, "nprocfs-dump: one of --json, --openmetrics, --prometheus\n");
                                return 2;
                        }
                        d.format = c == 'j' ? JSON : c == 'o' ? OPENMETRICS : PROMETHEUS;
                        break;
                case 's':
                        print_schema(false);
                        return 0;
                case 'm':
                        print_schema(true);
                        return 0;
                case 'h':
                        usage(stdout);
                        return 0;
                case 'V':
                        printf("nprocfs-dump %s\n", NPROCFS_VERSION);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        r = nprocfs_open(root, 0, &d.ctx);
        if (r < 0) {
                report(root ? root : "/proc", -r);
                return 1;
        }
        d.comm = (struct nprocfs_pid_comm)NPROCFS_REC_INIT(pid_comm);
        d.stat = (struct nprocfs_pid_stat)NPROCFS_REC_INIT(pid_stat);
        if (d.format == JSON)
                r = json_doc_new(&d.json);
        else if (d.format != TEXT)
                r = metrics_new(d.format == OPENMETRICS, &d.metrics);
        if (r < 0) {
                report("standard output", -r);
                nprocfs_close(d.ctx);
                return 1;
        }
        if (optind == argc) {
                r = dump_path(&d, "");
                if (r < 0) {
                        report("/", -r);
                        d.errors++;
                }
        }
        for (int i = optind; i < argc; i++) {
                r = dump_path(&d, argv[i]);
                if (r < 0) {
                        report(argv[i], -r);
                        d.errors++;
                }
        }
        if (d.json)
                json_doc_print(stdout, d.json);
        if (d.metrics)
                metrics_print(stdout, d.metrics);
        status = d.errors > 0;
        if (fflush(stdout) != 0) {
                report("standard output", errno);
                status = 1;
        }
        json_doc_free(d.json);
        metrics_free(d.metrics);
        nprocfs_rec_release(&d.comm.rec);
        nprocfs_rec_release(&d.stat.rec);
        nprocfs_close(d.ctx);
        return status;
}
