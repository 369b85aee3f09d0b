/* The generic walker: every entry of any record, named and formatted from
 * its schema alone. The tree, the dump tool and the docs all read records
 * through here, so none of them knows a single field. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>

#include "internal.h"

/* Rows that describe entries the schema does not list by name. */
static const struct nprocfs_field unknown_str = {
        .name = "",
        .key = "",
        .kver = "",
        .type = NPROCFS_T_STR,
        .unit = NPROCFS_U_NONE,
        .doc = "A key this schema does not know yet, kept as the kernel wrote it",
};
static const struct nprocfs_field unknown_kb = {
        .name = "",
        .key = "",
        .kver = "",
        .type = NPROCFS_T_U64,
        .unit = NPROCFS_U_BYTES,
        .doc = "A key this schema does not know yet, converted from kB",
};
static const struct nprocfs_field element = {
        .name = "",
        .key = "",
        .kver = "",
        .type = NPROCFS_T_STR,
        .unit = NPROCFS_U_NONE,
        .doc = "One element of the NUL-separated list, by index",
};

#define NAME_MAX_LEN 255

/* NAMING.md: lower-case, every run of other characters one '_'. Returns the
 * length, 0 if nothing is left or the name is too long. */
static size_t normalize(const char *s, size_t len, char *out, size_t size) {
        size_t o = 0;
        bool sep = false;

        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (c >= 'A' && c <= 'Z')
                        c = (char)(c - 'A' + 'a');
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                        if (sep && o > 0)
                                out[o++] = '_';
                        sep = false;
                        if (o + 2 >= size)
                                return 0;
                        out[o++] = c;
                } else
                        sep = true;
        }
        out[o] = 0;
        return o;
}

static size_t fmt_u64(char *b, uint64_t v) {
        return (size_t)sprintf(b, "%" PRIu64, v);
}

/* Capability numbers as in linux/capability.h. */
static const char *const cap_names[] = {
        "cap_chown",
        "cap_dac_override",
        "cap_dac_read_search",
        "cap_fowner",
        "cap_fsetid",
        "cap_kill",
        "cap_setgid",
        "cap_setuid",
        "cap_setpcap",
        "cap_linux_immutable",
        "cap_net_bind_service",
        "cap_net_broadcast",
        "cap_net_admin",
        "cap_net_raw",
        "cap_ipc_lock",
        "cap_ipc_owner",
        "cap_sys_module",
        "cap_sys_rawio",
        "cap_sys_chroot",
        "cap_sys_ptrace",
        "cap_sys_pacct",
        "cap_sys_admin",
        "cap_sys_boot",
        "cap_sys_nice",
        "cap_sys_resource",
        "cap_sys_time",
        "cap_sys_tty_config",
        "cap_mknod",
        "cap_lease",
        "cap_audit_write",
        "cap_audit_control",
        "cap_setfcap",
        "cap_mac_override",
        "cap_mac_admin",
        "cap_syslog",
        "cap_wake_alarm",
        "cap_block_suspend",
        "cap_audit_read",
        "cap_perfmon",
        "cap_bpf",
        "cap_checkpoint_restore",
};

/* Bit n of a signal mask is signal n + 1 (x86, arm, most: the generic numbers). */
static const char *const sig_names[] = {
        "sighup",  "sigint",    "sigquit", "sigill",   "sigtrap", "sigabrt", "sigbus",  "sigfpe",
        "sigkill", "sigusr1",   "sigsegv", "sigusr2",  "sigpipe", "sigalrm", "sigterm", "sigstkflt",
        "sigchld", "sigcont",   "sigstop", "sigtstp",  "sigttin", "sigttou", "sigurg",  "sigxcpu",
        "sigxfsz", "sigvtalrm", "sigprof", "sigwinch", "sigio",   "sigpwr",  "sigsys",
};

/* The set bits of a mask as names, one per line. */
static size_t fmt_names(char *b, uint64_t mask, bool caps) {
        size_t n = 0;

        for (unsigned bit = 0; bit < 64; bit++) {
                if (!(mask >> bit & 1))
                        continue;
                if (n)
                        b[n++] = '\n';
                if (caps)
                        n += bit < NELEMS(cap_names) ? (size_t)sprintf(b + n, "%s", cap_names[bit])
                                                     : (size_t)sprintf(b + n, "cap_%u", bit);
                else
                        n += bit < NELEMS(sig_names) ? (size_t)sprintf(b + n, "%s", sig_names[bit])
                                                     : (size_t)sprintf(b + n, "sig%u", bit + 1);
        }
        return n;
}

/* Formats member f of base into tmp, or points *ret into the record. */
static void format_value(const struct nprocfs_field *f, const void *base, char *tmp, const char **ret,
                         size_t *ret_len) {
        const void *p = (const char *)base + f->offset;

        *ret = tmp;
        switch (f->type) {
        case NPROCFS_T_U64:
        case NPROCFS_T_BOOL:
                *ret_len = fmt_u64(tmp, *(const uint64_t *)p);
                return;
        case NPROCFS_T_MAXU64: {
                uint64_t v = *(const uint64_t *)p;
                if (v == UINT64_MAX) {
                        *ret = "max";
                        *ret_len = 3;
                } else
                        *ret_len = fmt_u64(tmp, v);
                return;
        }
        case NPROCFS_T_I64:
                *ret_len = (size_t)sprintf(tmp, "%" PRId64, *(const int64_t *)p);
                return;
        case NPROCFS_T_MASK:
                *ret_len = (size_t)sprintf(tmp, "0x%" PRIx64, *(const uint64_t *)p);
                return;
        case NPROCFS_T_MODE:
                /* the kernel's own format for Umask: 0022, 0000, 0777 */
                *ret_len = (size_t)sprintf(tmp, "%#04" PRIo64, *(const uint64_t *)p);
                return;
        case NPROCFS_T_DEV: {
                uint64_t d = *(const uint64_t *)p;
                *ret_len = (size_t)sprintf(tmp, "%" PRIu64 ":%" PRIu64, d >> 32, d & UINT32_MAX);
                return;
        }
        case NPROCFS_T_INET: {
                const struct nprocfs_inet *a = p;
                /* a family the kernel's table does not write is no address */
                if ((a->family != AF_INET && a->family != AF_INET6) ||
                    !inet_ntop(a->family, a->addr, tmp, INET6_ADDRSTRLEN))
                        tmp[0] = 0;
                *ret_len = strlen(tmp);
                return;
        }
        case NPROCFS_T_CAPS:
        case NPROCFS_T_SIGS:
                *ret_len = fmt_names(tmp, *(const uint64_t *)p, f->type == NPROCFS_T_CAPS);
                return;
        case NPROCFS_T_DEC: {
                const struct nprocfs_dec *d = p;
                uint64_t m = d->mant < 0 ? 0 - (uint64_t)d->mant : (uint64_t)d->mant, div = 1;
                size_t n = 0;
                for (uint32_t i = 0; i < d->scale && i < 19; i++)
                        div *= 10;
                if (d->mant < 0)
                        tmp[n++] = '-';
                n += fmt_u64(tmp + n, m / div);
                if (d->scale > 0)
                        n += (size_t)sprintf(tmp + n, ".%0*" PRIu64, (int)d->scale, m % div);
                *ret_len = n;
                return;
        }
        case NPROCFS_T_ENUM: {
                uint32_t i = *(const uint32_t *)p;
                *ret = f->words ? f->words[i] : "";
                *ret_len = strlen(*ret);
                return;
        }
        case NPROCFS_T_MASKS: {
                const struct nprocfs_str *s = p;
                memcpy(tmp, "0x", 2);
                memcpy(tmp + 2, s->ptr, s->len); /* at most 8192 digits: see wide_mask() */
                *ret_len = s->len + 2;
                return;
        }
        case NPROCFS_T_STR:
        case NPROCFS_T_LIST: {
                const struct nprocfs_str *s = p;
                *ret = s->ptr ? s->ptr : "";
                *ret_len = s->len;
                return;
        }
        default:
                *ret_len = 0;
                return;
        }
}

/* A kB value of an unknown key: "123 kB". */
static bool kb_value(const struct nprocfs_str *v, uint64_t *ret) {
        if (v->len < 4 || memcmp(v->ptr + v->len - 3, " kB", 3) != 0)
                return false;
        if (nprocfs_parse_u64(v->ptr, v->len - 3, ret) < 0)
                return false;
        *ret = np_mul_sat(*ret, 1024);
        return true;
}

/* Whether a field of fields[0..n) that is present (its bit in present)
 * has this name. */
static bool taken_name(const struct nprocfs_field *fields, size_t n, const uint64_t *present, const char *name,
                       size_t len) {
        for (size_t i = 0; i < n; i++)
                if (fields[i].name_len == len && memcmp(fields[i].name, name, len) == 0)
                        return (present[i / 64] >> (i % 64)) & 1;
        return false;
}

/* Unknown key x as an entry: its name (NAMING.md's name of the key, with a
 * kB value in bytes as <name>_bytes) into name, its value formatted into
 * tmp unless tmp is NULL. A key that leaves no name, or the name of a field
 * of fields[0..n) that is present, has no entry: 0. */
static int extra_entry(const struct nprocfs_extra *x, char *name, const struct nprocfs_field *fields, size_t nfields,
                       const uint64_t *present, char *tmp, struct nprocfs_entry *e) {
        size_t n = normalize(x->key.ptr, x->key.len, name, NAME_MAX_LEN - 6);
        uint64_t v;

        *e = (struct nprocfs_entry){
                .path = name, .key = x->key, .value = x->value.ptr, .value_len = x->value.len, .field = &unknown_str
        };
        if (n == 0)
                return 0; /* nothing nameable: it has no entry */
        if (kb_value(&x->value, &v)) {
                memcpy(name + n, "_bytes", 7);
                n += 6;
                e->value = tmp;
                e->value_len = tmp ? fmt_u64(tmp, v) : 0;
                e->field = &unknown_kb;
        }
        /* a stranger's key may normalize to a known entry's name: the
         * known entry keeps it, where there is one (arm64's cpuinfo writes
         * BogoMIPS, which x86's bogomips row does not match, and which
         * would be lost if the name were refused for good) */
        if (taken_name(fields, nfields, present, name, n))
                return 0;
        e->path_len = n;
        if (!tmp && e->field == &unknown_str)
                e->value = NULL, e->value_len = 0;
        return 1;
}

/* Whether extra i belongs to a row (rather than to the record). The rows'
 * ranges follow the row order, so *cursor passes each row once over the
 * ascending i of one walk. */
static bool row_extra(const struct nprocfs_rec *rec, size_t i, size_t *cursor) {
        for (; *cursor < rec->nrows; (*cursor)++) {
                const struct nprocfs_row *row = nprocfs_rec_row(rec, *cursor);
                if ((size_t)row->extra_first + row->nextra > i)
                        return row->extra_first <= i;
        }
        return false;
}

static int emit_nul_elements(const struct nprocfs_str *list, nprocfs_entry_fn fn, void *ud) {
        const char *p = list->ptr, *end = list->ptr + list->len;
        char name[24];
        uint64_t i = 0;

        while (p < end) {
                const char *z = memchr(p, 0, (size_t)(end - p));
                const char *e = z ? z : end;
                struct nprocfs_entry en = { .path = name, .value = p, .value_len = (size_t)(e - p), .field = &element };
                int r;

                en.path_len = fmt_u64(name, i++);
                r = fn(&en, ud);
                if (r)
                        return r;
                p = z ? z + 1 : end;
        }
        return 0;
}

/* A row key used as it is, where it is a safe path component (NAMING.md):
 * else the row is named by its index i, never dropped nor merged. */
static size_t verbatim(const char *key, size_t len, char *out, size_t i) {
        if (len > NAME_MAX_LEN || memchr(key, '/', len) || memchr(key, 0, len) || (len == 1 && key[0] == '.') ||
            (len == 2 && key[0] == '.' && key[1] == '.'))
                return fmt_u64(out, i);
        memcpy(out, key, len);
        out[len] = 0;
        return len;
}

size_t nprocfs_row_name(const struct nprocfs_rec *rec, size_t i, char *buf) {
        const struct nprocfs_schema *s = rec->schema;
        const struct nprocfs_row *row;

        if (i >= rec->nrows)
                return 0;
        row = nprocfs_rec_row(rec, i);
        if (row->key.len == 0)
                return fmt_u64(buf, i);
        if (s->flags & NPROCFS_S_KEYS_VERBATIM)
                return verbatim(row->key.ptr, row->key.len, buf, i);
        return normalize(row->key.ptr, row->key.len, buf, NAME_MAX_LEN);
}

size_t nprocfs_row_nentries(const struct nprocfs_rec *rec, size_t i) {
        return i < rec->nrows ? rec->schema->nrow_fields + (size_t)nprocfs_rec_row(rec, i)->nextra : 0;
}

int nprocfs_row_entry(const struct nprocfs_rec *rec, size_t i, size_t j, char *name, char *tmp,
                      struct nprocfs_entry *e) {
        const struct nprocfs_schema *s = rec->schema;
        const struct nprocfs_row *row;
        size_t x;

        if (i >= rec->nrows)
                return 0;
        row = nprocfs_rec_row(rec, i);
        if (j < s->nrow_fields) {
                const struct nprocfs_field *f = &s->row_fields[j];
                if (!nprocfs_row_has(row, (unsigned)j))
                        return 0;
                *e = (struct nprocfs_entry){ .path = f->name, .path_len = f->name_len, .field = f, .key = row->key };
                if (tmp)
                        format_value(f, row, tmp, &e->value, &e->value_len);
                return 1;
        }
        x = (size_t)row->extra_first + (j - s->nrow_fields);
        if (j - s->nrow_fields >= row->nextra || x >= rec->nextra)
                return 0;
        return extra_entry(&rec->extra[x], name, s->row_fields, s->nrow_fields, &row->present, tmp, e);
}

int nprocfs_rec_field_value(const struct nprocfs_rec *rec, unsigned i, char *tmp, const char **ret, size_t *ret_len) {
        if (i >= rec->schema->nfields || !nprocfs_rec_has(rec, i))
                return 0;
        format_value(&rec->schema->fields[i], rec, tmp, ret, ret_len);
        return 1;
}

int nprocfs_rec_foreach_fields(const struct nprocfs_rec *rec, nprocfs_entry_fn fn, void *ud) {
        const struct nprocfs_schema *s = rec->schema;
        char tmp[NPROCFS_VALUE_SIZE], name[NPROCFS_NAME_SIZE];
        int r;

        for (unsigned i = 0; i < s->nfields; i++) {
                const struct nprocfs_field *f = &s->fields[i];
                struct nprocfs_entry e = { .path = f->name, .path_len = f->name_len, .field = f };

                if (!nprocfs_rec_has(rec, i))
                        continue;
                format_value(f, rec, tmp, &e.value, &e.value_len);
                r = fn(&e, ud);
                if (r)
                        return r;
                if (f->conv == NPROCFS_C_NUL) {
                        r = emit_nul_elements((const struct nprocfs_str *)((const char *)rec + f->offset), fn, ud);
                        if (r)
                                return r;
                }
        }
        for (size_t i = 0, cursor = 0; i < rec->nextra; i++) {
                struct nprocfs_entry e;
                if (row_extra(rec, i, &cursor))
                        continue; /* walked with its row */
                if (!extra_entry(&rec->extra[i], name, s->fields, s->nfields, rec->present, tmp, &e))
                        continue;
                r = fn(&e, ud);
                if (r)
                        return r;
        }
        return 0;
}

int nprocfs_rec_foreach(const struct nprocfs_rec *rec, nprocfs_entry_fn fn, void *ud) {
        char tmp[NPROCFS_VALUE_SIZE], name[NPROCFS_NAME_SIZE], path[2 * NPROCFS_NAME_SIZE];
        int r = nprocfs_rec_foreach_fields(rec, fn, ud);

        for (size_t i = 0; r == 0 && i < rec->nrows; i++) {
                size_t n = nprocfs_row_name(rec, i, path), m = nprocfs_row_nentries(rec, i);

                if (n == 0)
                        continue;
                path[n++] = '/';
                for (size_t j = 0; j < m; j++) {
                        struct nprocfs_entry e;
                        if (!nprocfs_row_entry(rec, i, j, name, tmp, &e))
                                continue;
                        memcpy(path + n, e.path, e.path_len);
                        path[n + e.path_len] = 0;
                        e.path = path;
                        e.path_len += n;
                        r = fn(&e, ud);
                        if (r)
                                break;
                }
        }
        return r;
}

/* True when another row of the table shares f's key (a column of a line). */
static bool shared_key(const struct nprocfs_field *fields, size_t n, const struct nprocfs_field *f) {
        size_t i = (size_t)(f - fields);
        return (i > 0 && fields[i - 1].key_len == f->key_len && memcmp(fields[i - 1].key, f->key, f->key_len) == 0) ||
               (i + 1 < n && fields[i + 1].key_len == f->key_len && memcmp(fields[i + 1].key, f->key, f->key_len) == 0);
}

int nprocfs_entry_source(const struct nprocfs_schema *s, const struct nprocfs_entry *e, char *buf, size_t size) {
        const struct nprocfs_field *f = e->field;
        const char *dir = s->scope == NPROCFS_SCOPE_PID ? "/proc/<pid>/" : "/proc/";
        /* row_fields is NULL but for table files, and NULL + 0 is undefined */
        bool is_row = s->row_fields && f >= s->row_fields && f < s->row_fields + s->nrow_fields;

        if (f == &element)
                return snprintf(buf, size, "%s%s[%.*s]", dir, s->path, (int)e->path_len, e->path);
        if (f == &unknown_str || f == &unknown_kb)
                return snprintf(buf, size, "%s%s:%.*s", dir, s->path, (int)e->key.len, e->key.ptr);
        /* a row's keyed field: the key of its line in the row's block */
        if (is_row && f->key_len > 0)
                return snprintf(buf, size, "%s%s:%s", dir, s->path, f->key);
        /* a row's column; or, with none, a value of the row as a whole */
        if (is_row && f->pos)
                return snprintf(buf, size, "%s%s:%.*s[%u]", dir, s->path, (int)e->key.len, e->key.ptr, f->pos);
        if (is_row)
                return snprintf(buf, size, "%s%s:%.*s", dir, s->path, (int)e->key.len, e->key.ptr);
        if (f->key_len == 0)
                return f->pos ? snprintf(buf, size, "%s%s:%u", dir, s->path, f->pos)
                              : snprintf(buf, size, "%s%s", dir, s->path);
        /* columns count from 1, as in rows and as awk does */
        if (shared_key(s->fields, s->nfields, f))
                return snprintf(buf, size, "%s%s:%s[%u]", dir, s->path, f->key, f->pos + 1u);
        return snprintf(buf, size, "%s%s:%s", dir, s->path, f->key);
}
