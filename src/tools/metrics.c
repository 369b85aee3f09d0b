/* The metrics form of a walk, by Prometheus's conventions, all read from
 * the schema:
 *
 * - a family is nprocfs_<file>_<field>, in base units: a _bytes field stays
 *   bytes, a _ns field becomes _seconds (the value divided by 10^9, written
 *   as an exact decimal); counts have no suffix;
 * - a cumulative field (NPROCFS_FF_CUMULATIVE) is a counter, its sample
 *   ending in _total; every other number is a gauge; an unlimited value
 *   (max) is +Inf;
 * - an enumeration is a gauge <family>_info{<field>="<word>"} 1;
 * - strings, masks, modes, addresses and lists are no numbers and are
 *   left out;
 * - labels: pid (and tid for a thread) and comm for a process's files; a
 *   table's row or a field group is labelled by what it is (the schema's
 *   row_name: cpu="cpu0", limit="max_open_files"); the rows of a table of
 *   kernel objects (NPROCFS_S_PER_OBJECT: mappings, open files) are left
 *   out.
 *
 * A family's samples must be together and the walk goes process by
 * process, so samples are collected and sorted by family before printing.
 * A label value may hold any byte (comm): '\\', '"' and newline are escaped
 * and a byte that is not valid UTF-8 is taken as Latin-1 (utf8.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "utf8.h"

enum kind { GAUGE, COUNTER, INFO };

struct sample {
        char *family; /* the family's name; a sample adds _total or _info */
        char *labels; /* without braces; "" for none */
        char value[48];
        const struct nprocfs_field *field; /* HELP */
        const struct nprocfs_schema *schema;
        const char *unit; /* "bytes", "seconds" or "" */
        enum kind kind;
        size_t seq; /* walk order, within one family and label set */
};

struct metrics {
        bool openmetrics;
        struct sample *v;
        size_t n, cap;
};

int metrics_new(bool openmetrics, struct metrics **ret) {
        struct metrics *m = calloc(1, sizeof(*m));

        if (!m)
                return -ENOMEM;
        m->openmetrics = openmetrics;
        *ret = m;
        return 0;
}

void metrics_free(struct metrics *m) {
        if (!m)
                return;
        for (size_t i = 0; i < m->n; i++) {
                free(m->v[i].family);
                free(m->v[i].labels);
        }
        free(m->v);
        free(m);
}

static bool ends_with(const char *s, size_t len, const char *suffix) {
        size_t m = strlen(suffix);
        return len >= m && memcmp(s + len - m, suffix, m) == 0;
}

/* A metric name holds [a-zA-Z0-9_:]; schema and field names are [a-z0-9_]
 * already (a schema name of a subdirectory may hold '/'). */
static void put_name(FILE *f, const char *s, size_t len) {
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                putc((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_', f);
        }
}

static void put_label_value(FILE *f, const char *s, size_t len) {
        const unsigned char *p = (const unsigned char *)s;

        for (size_t i = 0; i < len;) {
                size_t n = utf8_len(p + i, len - i);
                if (n == 0) {
                        putc(0xc0 | p[i] >> 6, f);
                        putc(0x80 | (p[i] & 0x3f), f);
                        i++;
                } else if (p[i] == '\\' || p[i] == '"') {
                        putc('\\', f);
                        putc(p[i++], f);
                } else if (p[i] == '\n') {
                        fputs("\\n", f);
                        i++;
                } else {
                        fwrite(p + i, 1, n, f);
                        i += n;
                }
        }
}

static void put_label(FILE *f, bool *first, const char *name, const char *value, size_t len) {
        fprintf(f, "%s%s=\"", *first ? "" : ",", name);
        put_label_value(f, value, len);
        putc('"', f);
        *first = false;
}

/* ns as seconds, exactly: 2500000000 -> 2.5 */
static void put_seconds(char *b, size_t size, bool neg, uint64_t ns) {
        uint64_t s = ns / 1000000000, frac = ns % 1000000000;
        int n;

        if (frac == 0) {
                snprintf(b, size, "%s%" PRIu64, neg ? "-" : "", s);
                return;
        }
        n = snprintf(b, size, "%s%" PRIu64 ".%09" PRIu64, neg ? "-" : "", s, frac);
        while (n > 0 && b[n - 1] == '0')
                b[--n] = 0;
}

/* The sample's value from the entry's text; false when it is no number. */
static bool value_of(const struct nprocfs_entry *e, bool ns, char *b, size_t size) {
        const struct nprocfs_field *f = e->field;
        uint64_t u;
        int64_t i;

        switch (f->type) {
        case NPROCFS_T_MAXU64:
                if (e->value_len == 3 && memcmp(e->value, "max", 3) == 0) {
                        snprintf(b, size, "+Inf");
                        return true;
                }
                /* fall through */
        case NPROCFS_T_U64:
        case NPROCFS_T_BOOL:
                if (nprocfs_parse_u64(e->value, e->value_len, &u) < 0)
                        return false;
                if (ns)
                        put_seconds(b, size, false, u);
                else
                        snprintf(b, size, "%" PRIu64, u);
                return true;
        case NPROCFS_T_I64:
                if (nprocfs_parse_i64(e->value, e->value_len, &i) < 0)
                        return false;
                if (ns)
                        put_seconds(b, size, i < 0, i < 0 ? 0 - (uint64_t)i : (uint64_t)i);
                else
                        snprintf(b, size, "%" PRId64, i);
                return true;
        case NPROCFS_T_DEC:
                if (e->value_len == 0 || e->value_len >= size)
                        return false;
                for (size_t k = 0; k < e->value_len; k++)
                        if (!((e->value[k] >= '0' && e->value[k] <= '9') || e->value[k] == '.' ||
                              (k == 0 && e->value[k] == '-')))
                                return false;
                memcpy(b, e->value, e->value_len);
                b[e->value_len] = 0;
                return true;
        case NPROCFS_T_INET: /* an address: no sample */
        default:
                return false;
        }
}

static int push(struct metrics *m, struct sample *s) {
        if (m->n == m->cap) {
                size_t cap = m->cap ? 2 * m->cap : 256;
                struct sample *v = realloc(m->v, cap * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                m->v = v;
                m->cap = cap;
        }
        s->seq = m->n;
        m->v[m->n++] = *s;
        return 0;
}

int metrics_add(struct metrics *m, const struct nprocfs_schema *s, const struct metrics_proc *p,
                const struct nprocfs_entry *e) {
        const struct nprocfs_field *f = e->field;
        const char *slash = memrchr(e->path, '/', e->path_len);
        const char *name = slash ? slash + 1 : e->path;
        size_t name_len = e->path_len - (size_t)(name - e->path);
        struct sample smp = { .field = f, .schema = s, .unit = "", .kind = GAUGE };
        bool ns = f->unit == NPROCFS_U_NS, first = true;
        size_t len;
        FILE *fam, *lab;

        /* a row per kernel object (a mapping, an open file, a socket) would
         * be a label per object: series without bound, which no monitoring
         * stack keeps; the file's own fields (smaps' sums) stay */
        if (slash && (s->flags & NPROCFS_S_PER_OBJECT))
                return 0;
        if (f->type == NPROCFS_T_ENUM) {
                smp.kind = INFO;
                strcpy(smp.value, "1");
        } else if (!value_of(e, ns, smp.value, sizeof(smp.value)))
                return 0;
        else if ((f->flags & NPROCFS_FF_CUMULATIVE) && (f->type == NPROCFS_T_U64 || f->type == NPROCFS_T_I64))
                smp.kind = COUNTER;

        fam = open_memstream(&smp.family, &len);
        if (!fam)
                return -ENOMEM;
        fputs("nprocfs_", fam);
        put_name(fam, s->name, strlen(s->name));
        putc('_', fam);
        if (smp.kind == COUNTER && ends_with(name, name_len, "_total"))
                name_len -= 6; /* intr_total: the sample adds it back */
        if (ns) {
                if (ends_with(name, name_len, "_ns"))
                        name_len -= 3;
                put_name(fam, name, name_len);
                fputs("_seconds", fam);
                smp.unit = "seconds";
        } else {
                put_name(fam, name, name_len);
                if (f->unit == NPROCFS_U_BYTES) {
                        if (!ends_with(name, name_len, "_bytes"))
                                fputs("_bytes", fam);
                        smp.unit = "bytes";
                }
        }
        if (fclose(fam) != 0) {
                free(smp.family);
                return -ENOMEM;
        }

        lab = open_memstream(&smp.labels, &len);
        if (!lab) {
                free(smp.family);
                return -ENOMEM;
        }
        if (p->pid > 0) {
                fprintf(lab, "pid=\"%d\"", (int)p->pid);
                first = false;
                if (p->tid > 0)
                        fprintf(lab, ",tid=\"%d\"", (int)p->tid);
                if (p->comm)
                        put_label(lab, &first, "comm", p->comm, p->comm_len);
        }
        if (slash)
                put_label(lab, &first, s->row_name ? s->row_name : "row", e->path, (size_t)(slash - e->path));
        if (smp.kind == INFO) {
                fputs(first ? "" : ",", lab);
                put_name(lab, name, name_len);
                fputs("=\"", lab);
                put_label_value(lab, e->value, e->value_len);
                putc('"', lab);
        }
        if (fclose(lab) != 0 || push(m, &smp) < 0) {
                free(smp.family);
                free(smp.labels);
                return -ENOMEM;
        }
        return 0;
}

static int by_family(const void *a, const void *b) {
        const struct sample *x = a, *y = b;
        int c = strcmp(x->family, y->family);

        if (c == 0)
                c = strcmp(x->labels, y->labels);
        return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* HELP text: backslash and newline escaped in both formats, and '"' in
 * OpenMetrics (the Prometheus format has no escape for it). */
static void put_help(FILE *f, const char *s, bool openmetrics) {
        for (; *s; s++) {
                if (*s == '\\')
                        fputs("\\\\", f);
                else if (*s == '\n')
                        fputs("\\n", f);
                else if (*s == '"' && openmetrics)
                        fputs("\\\"", f);
                else
                        putc(*s, f);
        }
}

/* A field's doc, but for a group's field (limits: max_open_files/soft),
 * whose doc is one group's and whose family holds every group. */
static void help_of(const struct sample *s, char *b, size_t size) {
        const char *slash = strrchr(s->field->name, '/');

        if (slash)
                snprintf(b, size, "%s: %s, one per %s", s->schema->doc, slash + 1,
                         s->schema->row_name ? s->schema->row_name : "row");
        else
                snprintf(b, size, "%s", s->field->doc);
}

static const char *suffix(enum kind k) {
        return k == COUNTER ? "_total" : k == INFO ? "_info" : "";
}

void metrics_print(FILE *f, struct metrics *m) {
        /* an enumeration is a gauge of value 1 named _info in both forms,
         * as Prometheus's own exporters write one: OpenMetrics' info type
         * would be lost on promtool and on node_exporter's parser */
        static const char *const type[] = { [GAUGE] = "gauge", [COUNTER] = "counter", [INFO] = "gauge" };
        const struct sample *head = NULL;
        char help[512];

        if (m->n > 0)
                qsort(m->v, m->n, sizeof(*m->v), by_family);
        for (size_t i = 0; i < m->n; i++) {
                const struct sample *s = &m->v[i];
                if (head && strcmp(head->family, s->family) == 0) {
                        /* one series once: a path asked for twice */
                        if (strcmp(m->v[i - 1].labels, s->labels) == 0)
                                continue;
                } else {
                        /* the family's first sample says what it is */
                        head = s;
                        help_of(s, help, sizeof(help));
                        if (m->openmetrics) {
                                /* a counter's family is named without
                                 * _total, its sample with it */
                                const char *fs = s->kind == INFO ? "_info" : "";
                                fprintf(f, "# TYPE %s%s %s\n", s->family, fs, type[s->kind]);
                                if (*s->unit)
                                        fprintf(f, "# UNIT %s%s %s\n", s->family, fs, s->unit);
                                fprintf(f, "# HELP %s%s ", s->family, fs);
                        } else
                                fprintf(f, "# HELP %s%s ", s->family, suffix(s->kind));
                        put_help(f, help, m->openmetrics);
                        putc('\n', f);
                        if (!m->openmetrics)
                                fprintf(f, "# TYPE %s%s %s\n", s->family, suffix(s->kind), type[s->kind]);
                }
                fprintf(f, "%s%s", s->family, suffix(head->kind));
                if (*s->labels)
                        fprintf(f, "{%s}", s->labels);
                fprintf(f, " %s\n", s->value);
        }
        if (m->openmetrics)
                fputs("# EOF\n", f);
}
