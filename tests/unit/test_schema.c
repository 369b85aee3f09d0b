/* Every schema table is consistent with itself and with NAMING.md: the tree,
 * the docs and the parsers all trust these tables, so a slip in one row
 * (a duplicate name, a missing unit suffix, an offset outside the record)
 * would show up everywhere at once. */
#include <ctype.h>
#include <stdio.h>

#include "support.h"

#include "../../src/lib/internal.h"

#define FOREACH_SCHEMA(s) for (const struct nprocfs_schema *const *s_p = nprocfs_schemas, *s; (s = *s_p); s_p++)

/* Calls check(schema, field, is_row) for every field and row field. */
static void foreach_field(void (*check)(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row)) {
        FOREACH_SCHEMA(s) {
                for (unsigned i = 0; i < s->nfields; i++)
                        check(s, &s->fields[i], false);
                for (unsigned i = 0; i < s->nrow_fields; i++)
                        check(s, &s->row_fields[i], true);
        }
}

static bool ends_with(const char *s, const char *suffix) {
        size_t n = strlen(s), m = strlen(suffix);
        return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* One path component: [a-z0-9_], not empty, no leading, trailing or
 * doubled '_'. */
static bool good_component(const char *s, size_t len) {
        if (len == 0 || s[0] == '_' || s[len - 1] == '_')
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                        return false;
                if (c == '_' && s[i + 1] == '_')
                        return false;
        }
        return true;
}

static bool good_name(const char *name) {
        const char *slash = strchr(name, '/');

        if (!slash)
                return good_component(name, strlen(name));
        if (strchr(slash + 1, '/'))
                return false;
        return good_component(name, (size_t)(slash - name)) && good_component(slash + 1, strlen(slash + 1));
}

/* nprocfs_schemas[] is <nprocfs/schemas.def>, in its order, then NULL. */
static void test_the_schema_array_is_the_list_of_schemas(void **state) {
        static const struct nprocfs_schema *const listed[] = {
#define NPROCFS_SCHEMA(id, source) &nprocfs_schema_##id,
#include <nprocfs/schemas.def>
        };
        size_t n = 0;

        (void)state;
        FOREACH_SCHEMA(s) {
                assert_true(n < sizeof(listed) / sizeof(listed[0]));
                assert_ptr_equal(s, listed[n]);
                n++;
        }
        assert_int_equal(n, sizeof(listed) / sizeof(listed[0]));
}

/* The tree's inode numbers and the docs follow the order of the list: a
 * new schema goes at its end, so the files known so far keep their places
 * (pid: stat status statm io comm cmdline environ limits; system: meminfo
 * loadavg uptime stat osrelease). */
static void test_the_first_13_schemas_keep_their_places(void **state) {
        static const struct nprocfs_schema *const first[] = {
                &nprocfs_schema_pid_stat,      &nprocfs_schema_pid_status, &nprocfs_schema_pid_statm,
                &nprocfs_schema_pid_io,        &nprocfs_schema_pid_comm,   &nprocfs_schema_pid_cmdline,
                &nprocfs_schema_pid_environ,   &nprocfs_schema_pid_limits, &nprocfs_schema_sys_meminfo,
                &nprocfs_schema_sys_loadavg,   &nprocfs_schema_sys_uptime, &nprocfs_schema_sys_stat,
                &nprocfs_schema_sys_osrelease,
        };

        (void)state;
        for (size_t i = 0; i < sizeof(first) / sizeof(first[0]); i++) {
                assert_non_null(nprocfs_schemas[i]);
                assert_ptr_equal(nprocfs_schemas[i], first[i]);
        }
}

static void test_field_names_are_unique_within_a_schema(void **state) {
        (void)state;
        FOREACH_SCHEMA(s) {
                for (unsigned i = 0; i < s->nfields; i++)
                        for (unsigned j = i + 1; j < s->nfields; j++)
                                if (strcmp(s->fields[i].name, s->fields[j].name) == 0)
                                        fail_msg("%s: field %s twice", s->name, s->fields[i].name);
                for (unsigned i = 0; i < s->nrow_fields; i++)
                        for (unsigned j = i + 1; j < s->nrow_fields; j++)
                                if (strcmp(s->row_fields[i].name, s->row_fields[j].name) == 0)
                                        fail_msg("%s: row field %s twice", s->name, s->row_fields[i].name);
        }
}

static void check_name(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row) {
        (void)row;
        if (!good_name(f->name))
                fail_msg("%s: field name \"%s\" breaks NAMING.md", s->name, f->name);
}

static void test_field_names_follow_naming(void **state) {
        (void)state;
        foreach_field(check_name);
}

static void check_unit_suffix(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row) {
        bool bytes = ends_with(f->name, "_bytes"), ns = ends_with(f->name, "_ns");

        (void)row;
        switch (f->unit) {
        case NPROCFS_U_BYTES:
                if (!bytes)
                        fail_msg("%s: %s is in bytes but not named _bytes", s->name, f->name);
                break;
        case NPROCFS_U_NS:
                if (!ns)
                        fail_msg("%s: %s is in ns but not named _ns", s->name, f->name);
                break;
        default:
                if (bytes || ns)
                        fail_msg("%s: %s has a unit suffix but unit %s", s->name, f->name, nprocfs_unit_name(f->unit));
        }
}

static void test_unit_suffix_agrees_with_unit(void **state) {
        (void)state;
        foreach_field(check_unit_suffix);
}

static void check_doc(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row) {
        size_t n;

        (void)row;
        if (!f->doc || !*f->doc)
                fail_msg("%s: %s has no doc", s->name, f->name);
        n = strlen(f->doc);
        if (f->doc[n - 1] == '\n' || strchr(f->doc, '\n'))
                fail_msg("%s: doc of %s is not one line", s->name, f->name);
        /* a doc is a metric's HELP: OpenMetrics must escape '"' there, and
         * the Prometheus text format (promtool) refuses the escape */
        if (strchr(f->doc, '"'))
                fail_msg("%s: doc of %s has a '\"' (quote with ')", s->name, f->name);
}

static void test_every_field_has_a_one_line_doc(void **state) {
        (void)state;
        foreach_field(check_doc);
        FOREACH_SCHEMA(s) {
                if (!s->doc || !*s->doc || strchr(s->doc, '\n') || strchr(s->doc, '"'))
                        fail_msg("schema %s has no one-line doc without a '\"'", s->name);
        }
}

static void check_kver(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row) {
        const char *v = f->kver;
        bool digit = false;

        (void)row;
        if (!v || !isdigit((unsigned char)v[0]))
                fail_msg("%s: %s has no kernel version", s->name, f->name);
        /* digits and single dots, starting and ending with a digit */
        for (const char *p = v; *p; p++) {
                if (*p == '.' && digit && isdigit((unsigned char)p[1]))
                        digit = false;
                else if (isdigit((unsigned char)*p))
                        digit = true;
                else
                        fail_msg("%s: %s has kernel version \"%s\"", s->name, f->name, v);
        }
        if (!strchr(v, '.'))
                fail_msg("%s: %s has kernel version \"%s\" (no dot)", s->name, f->name, v);
}

static void test_kver_looks_like_a_version(void **state) {
        (void)state;
        foreach_field(check_kver);
}

static void check_lengths(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row) {
        (void)row;
        if (f->name_len != strlen(f->name))
                fail_msg("%s: name_len of %s is %u", s->name, f->name, f->name_len);
        if (f->key_len != (f->key ? strlen(f->key) : 0))
                fail_msg("%s: key_len of %s is %u", s->name, f->name, f->key_len);
}

static void test_name_and_key_lengths_match(void **state) {
        (void)state;
        foreach_field(check_lengths);
        FOREACH_SCHEMA(s) {
                if (s->name_len != strlen(s->name))
                        fail_msg("schema %s: name_len %u", s->name, s->name_len);
        }
}

static size_t type_size(const struct nprocfs_field *f) {
        switch (f->type) {
        case NPROCFS_T_U64:
        case NPROCFS_T_I64:
        case NPROCFS_T_BOOL:
        case NPROCFS_T_MASK:
        case NPROCFS_T_MAXU64:
        case NPROCFS_T_CAPS:
        case NPROCFS_T_SIGS:
        case NPROCFS_T_MODE:
        case NPROCFS_T_DEV:
                return 8;
        case NPROCFS_T_ENUM:
                return 4;
        case NPROCFS_T_DEC:
                return sizeof(struct nprocfs_dec);
        case NPROCFS_T_STR:
        case NPROCFS_T_MASKS:
        case NPROCFS_T_LIST:
                return sizeof(struct nprocfs_str);
        case NPROCFS_T_INET:
                return sizeof(struct nprocfs_inet);
        default:
                fail_msg("field %s has type %u", f->name, f->type);
        }
        return 0;
}

/* Members lie after the head, inside the struct, and do not overlap. */
static void check_offsets(const char *what, const struct nprocfs_field *fields, size_t n, size_t head, size_t size) {
        for (size_t i = 0; i < n; i++) {
                size_t a = fields[i].offset, an = type_size(&fields[i]);
                if (a < head || a + an > size)
                        fail_msg("%s: %s at %zu+%zu is outside %zu..%zu", what, fields[i].name, a, an, head, size);
                for (size_t j = i + 1; j < n; j++) {
                        size_t b = fields[j].offset, bn = type_size(&fields[j]);
                        if (a < b + bn && b < a + an)
                                fail_msg("%s: %s and %s overlap", what, fields[i].name, fields[j].name);
                }
        }
}

static void test_offsets_are_distinct_and_inside_the_record(void **state) {
        (void)state;
        FOREACH_SCHEMA(s) {
                check_offsets(s->name, s->fields, s->nfields, sizeof(struct nprocfs_rec), s->rec_size);
                if (s->nrow_fields > 0)
                        check_offsets(s->name, s->row_fields, s->nrow_fields, sizeof(struct nprocfs_row), s->row_size);
                assert_true(s->nfields <= NPROCFS_MAX_FIELDS);
                assert_true(s->nrow_fields <= 64);
        }
}

/* Two fields may read one column only as two views of one value (state and
 * state_code, a mask and its names), which differ in type. */
/* one column, two entries: each decodes it its own way (state and
 * state_code; a range's start, end and size) */
static bool same_column_pair(const struct nprocfs_field *a, const struct nprocfs_field *b) {
        return a->pos == b->pos && (a->type != b->type || a->conv != b->conv);
}

static bool same_key(const struct nprocfs_field *a, const struct nprocfs_field *b) {
        return a->key_len == b->key_len && strcmp(a->key, b->key) == 0;
}

/* Rows with one key (the columns of one line) follow each other, their
 * columns counting 0, 1, 2 ... */
static void test_keyed_columns_are_consecutive_from_zero(void **state) {
        (void)state;
        FOREACH_SCHEMA(s) {
                const struct nprocfs_field *f = s->fields;
                for (unsigned i = 0, end; i < s->nfields; i = end) {
                        end = i + 1;
                        if (f[i].key_len == 0)
                                continue;
                        if (f[i].pos != 0)
                                fail_msg("%s: first row of key %s has column %u", s->name, f[i].key, f[i].pos);
                        for (; end < s->nfields && same_key(&f[end], &f[i]); end++) {
                                bool next = f[end].pos == f[end - 1].pos + 1;
                                bool pair = same_column_pair(&f[end - 1], &f[end]);
                                if (!next && !pair)
                                        fail_msg("%s: %s has column %u after %u", s->name, f[end].name, f[end].pos,
                                                 f[end - 1].pos);
                        }
                        for (unsigned j = end; j < s->nfields; j++)
                                if (same_key(&f[j], &f[i]))
                                        fail_msg("%s: rows of key %s are not consecutive", s->name, f[i].key);
                }
        }
}

/* Positional fields (no key) come in proc(5) order; pos 0 marks a value
 * derived from the whole file (cmdline argc), which has no position. */
static void check_positional_order(const char *what, const struct nprocfs_field *f, size_t n) {
        const struct nprocfs_field *prev = NULL;

        for (size_t i = 0; i < n; i++) {
                if (f[i].key_len != 0 || f[i].pos == 0)
                        continue;
                if (prev && !(f[i].pos > prev->pos || same_column_pair(prev, &f[i])))
                        fail_msg("%s: %s (pos %u) after %s (pos %u)", what, f[i].name, f[i].pos, prev->name, prev->pos);
                prev = &f[i];
        }
}

static void test_positional_fields_ascend_by_pos(void **state) {
        (void)state;
        FOREACH_SCHEMA(s) {
                check_positional_order(s->name, s->fields, s->nfields);
                check_positional_order(s->name, s->row_fields, s->nrow_fields);
        }
}

/* The parsers read a column in place and take a conversion without a
 * decoder to leave its bytes as they are (np_reads_only(), src/lib/scan.h):
 * the registry's conversions come after NPROCFS_C_RANGE_START. */
static void test_decoders_come_after_range_start(void **state) {
        (void)state;
        for (unsigned c = 0; c < NPROCFS_C_RANGE_START; c++)
                if (np_decoders[c])
                        fail_msg("conversion %u has a decoder but comes before NPROCFS_C_RANGE_START", c);
}

static void check_enum_words(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row) {
        (void)row;
        if ((f->type == NPROCFS_T_ENUM) != (f->words != NULL))
                fail_msg("%s: %s has words but is not an enum, or the reverse", s->name, f->name);
        for (const char *const *w = f->words; w && *w; w++)
                if (!good_component(*w, strlen(*w)))
                        fail_msg("%s: %s has the word \"%s\"", s->name, f->name, *w);
}

static void test_enum_words_are_lower_case_words(void **state) {
        (void)state;
        foreach_field(check_enum_words);
}

/* A total only grows, so it is an integer, and counts something: events
 * (count), time (ns) or bytes. A time point or a limit is no total. */
static void check_cumulative(const struct nprocfs_schema *s, const struct nprocfs_field *f, bool row) {
        (void)row;
        if (!(f->flags & NPROCFS_FF_CUMULATIVE))
                return;
        if (f->type != NPROCFS_T_U64 && f->type != NPROCFS_T_I64)
                fail_msg("%s: %s is cumulative but no integer", s->name, f->name);
        if (f->unit == NPROCFS_U_NONE)
                fail_msg("%s: %s is cumulative but has no unit", s->name, f->name);
        if (ends_with(f->name, "_unix_ns") || strstr(f->name, "start"))
                fail_msg("%s: %s is a time point, not a total", s->name, f->name);
}

static void test_cumulative_fields_are_integer_totals(void **state) {
        (void)state;
        foreach_field(check_cumulative);
}

static const struct nprocfs_field *field_named(const struct nprocfs_field *f, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (strcmp(f[i].name, name) == 0)
                        return &f[i];
        fail_msg("no field %s", name);
        return NULL;
}

/* proc(5): utime, minflt, rchar, the cpu lines of /proc/stat are totals;
 * rss, starttime, btime and a limit are not */
static void test_totals_are_cumulative_and_levels_are_not(void **state) {
        const struct nprocfs_schema *st = &nprocfs_schema_pid_stat, *ss = &nprocfs_schema_sys_stat;
        const struct nprocfs_schema *io = &nprocfs_schema_pid_io, *lim = &nprocfs_schema_pid_limits;
        (void)state;
        assert_true(field_named(st->fields, st->nfields, "utime_ns")->flags & NPROCFS_FF_CUMULATIVE);
        assert_true(field_named(st->fields, st->nfields, "minflt")->flags & NPROCFS_FF_CUMULATIVE);
        assert_true(field_named(io->fields, io->nfields, "rchar_bytes")->flags & NPROCFS_FF_CUMULATIVE);
        assert_true(field_named(ss->row_fields, ss->nrow_fields, "user_ns")->flags & NPROCFS_FF_CUMULATIVE);
        assert_true(field_named(ss->fields, ss->nfields, "ctxt")->flags & NPROCFS_FF_CUMULATIVE);
        assert_false(field_named(st->fields, st->nfields, "rss_bytes")->flags & NPROCFS_FF_CUMULATIVE);
        assert_false(field_named(st->fields, st->nfields, "starttime_ns")->flags & NPROCFS_FF_CUMULATIVE);
        assert_false(field_named(ss->fields, ss->nfields, "btime_unix_ns")->flags & NPROCFS_FF_CUMULATIVE);
        assert_false(field_named(ss->fields, ss->nfields, "procs_running")->flags & NPROCFS_FF_CUMULATIVE);
        assert_false(field_named(lim->fields, lim->nfields, "max_cpu_time/soft_ns")->flags & NPROCFS_FF_CUMULATIVE);
}

static void test_schema_names_are_unique_per_scope(void **state) {
        (void)state;
        for (const struct nprocfs_schema *const *a = nprocfs_schemas; *a; a++)
                for (const struct nprocfs_schema *const *b = a + 1; *b; b++)
                        if ((*a)->scope == (*b)->scope && strcmp((*a)->name, (*b)->name) == 0)
                                fail_msg("schema name %s twice in one scope", (*a)->name);
}

static void test_schema_find_finds_every_schema(void **state) {
        (void)state;
        FOREACH_SCHEMA(s) {
                assert_ptr_equal(nprocfs_schema_find(s->scope, s->name, strlen(s->name)), s);
        }
        /* /proc/stat and /proc/<pid>/stat share a name, not a schema */
        assert_ptr_equal(nprocfs_schema_find(NPROCFS_SCOPE_PID, "stat", 4), &nprocfs_schema_pid_stat);
        assert_ptr_equal(nprocfs_schema_find(NPROCFS_SCOPE_SYSTEM, "stat", 4), &nprocfs_schema_sys_stat);
        assert_null(nprocfs_schema_find(NPROCFS_SCOPE_PID, "meminfo", 7));
        assert_null(nprocfs_schema_find(NPROCFS_SCOPE_PID, "statu", 5));
        assert_null(nprocfs_schema_find(NPROCFS_SCOPE_PID, "status", 5 + 2));
}

static void test_every_schema_has_a_parser_and_a_path(void **state) {
        (void)state;
        FOREACH_SCHEMA(s) {
                assert_non_null(s->parse);
                assert_non_null(s->path);
                assert_true(s->path[0] != 0 && s->path[0] != '/');
                assert_true(s->nfields > 0 || s->nrow_fields > 0); /* maps: rows only */
                assert_true((s->row_fields != NULL) == (s->nrow_fields > 0));
                assert_true((s->row_size > 0) == (s->nrow_fields > 0));
        }
}

/* Rows and groups are labelled by what they are (metrics); a file with
 * neither has no such word. */
static void test_rows_and_groups_say_what_they_are(void **state) {
        (void)state;
        FOREACH_SCHEMA(s) {
                bool groups = false;
                for (unsigned i = 0; i < s->nfields; i++)
                        groups |= strchr(s->fields[i].name, '/') != NULL;
                if (s->nrow_fields > 0 || groups) {
                        assert_non_null(s->row_name);
                        assert_true(good_component(s->row_name, strlen(s->row_name)));
                } else
                        assert_null(s->row_name);
        }
        assert_string_equal(nprocfs_schema_sys_stat.row_name, "cpu");
        assert_string_equal(nprocfs_schema_pid_limits.row_name, "limit");
}

static void test_type_and_unit_names(void **state) {
        (void)state;
        assert_string_equal(nprocfs_type_name(NPROCFS_T_U64), "u64");
        assert_string_equal(nprocfs_type_name(NPROCFS_T_MAXU64), "u64");
        assert_string_equal(nprocfs_type_name(NPROCFS_T_MASKS), "mask");
        assert_string_equal(nprocfs_type_name(NPROCFS_T_MODE), "mask"); /* NAMING.md has no "mode" */
        assert_string_equal(nprocfs_type_name(NPROCFS_T_DEC), "decimal");
        assert_string_equal(nprocfs_unit_name(NPROCFS_U_BYTES), "bytes");
        assert_string_equal(nprocfs_unit_name(NPROCFS_U_NS), "ns");
        assert_string_equal(nprocfs_unit_name(NPROCFS_U_NONE), "");
        assert_string_equal(nprocfs_type_name(NPROCFS_T__COUNT), "?");
        assert_string_equal(nprocfs_unit_name(NPROCFS_U__COUNT), "?");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_the_schema_array_is_the_list_of_schemas),
                cmocka_unit_test(test_the_first_13_schemas_keep_their_places),
                cmocka_unit_test(test_field_names_are_unique_within_a_schema),
                cmocka_unit_test(test_field_names_follow_naming),
                cmocka_unit_test(test_unit_suffix_agrees_with_unit),
                cmocka_unit_test(test_every_field_has_a_one_line_doc),
                cmocka_unit_test(test_kver_looks_like_a_version),
                cmocka_unit_test(test_name_and_key_lengths_match),
                cmocka_unit_test(test_offsets_are_distinct_and_inside_the_record),
                cmocka_unit_test(test_keyed_columns_are_consecutive_from_zero),
                cmocka_unit_test(test_positional_fields_ascend_by_pos),
                cmocka_unit_test(test_decoders_come_after_range_start),
                cmocka_unit_test(test_enum_words_are_lower_case_words),
                cmocka_unit_test(test_cumulative_fields_are_integer_totals),
                cmocka_unit_test(test_totals_are_cumulative_and_levels_are_not),
                cmocka_unit_test(test_schema_names_are_unique_per_scope),
                cmocka_unit_test(test_schema_find_finds_every_schema),
                cmocka_unit_test(test_every_schema_has_a_parser_and_a_path),
                cmocka_unit_test(test_rows_and_groups_say_what_they_are),
                cmocka_unit_test(test_type_and_unit_names),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
