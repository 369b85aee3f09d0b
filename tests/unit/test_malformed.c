/* fixtures/malformed/<id>/<case>: raw files fed to the parser of <id>.
 * Cases named valid-* parse; every other case is -EIO, never a crash; and
 * walking the record afterwards is safe either way. The directories are
 * read at run time, so a new case is picked up without touching this file,
 * and the ids are those of the list of schemas (<nprocfs/schemas.def>).
 * Expected values are those of fixtures/malformed/README.md. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "support.h"

/* Every schema of the list, by its id. */
static const struct {
        const char *id;
        const struct nprocfs_schema *schema;
} ids[] = {
#define NPROCFS_SCHEMA(id, source) { #id, &nprocfs_schema_##id },
#include <nprocfs/schemas.def>
};

static const struct nprocfs_schema *schema_of(const char *id) {
        for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
                if (strcmp(ids[i].id, id) == 0)
                        return ids[i].schema;
        return NULL;
}

/* Reads every byte of every entry, so a sanitizer sees any bad pointer. */
static int touch_entry(const struct nprocfs_entry *e, void *userdata) {
        size_t *sum = userdata;

        for (size_t i = 0; i < e->path_len; i++)
                *sum += (unsigned char)e->path[i];
        for (size_t i = 0; i < e->value_len; i++)
                *sum += (unsigned char)e->value[i];
        assert_non_null(e->field);
        return 0;
}

/* Parses every case of fixtures/malformed/id; returns how many it saw. */
static size_t check_cases(const char *id) {
        const struct nprocfs_schema *s = schema_of(id);
        struct nprocfs_env env = TEST_ENV;
        char dir[4096];
        struct dirent *de;
        size_t seen = 0;
        DIR *d;

        if (!s)
                fail_msg("no schema for %s", id);
        snprintf(dir, sizeof(dir), "%s", fixture_path("malformed"));
        snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/%s", id);
        d = opendir(dir);
        if (!d && errno == ENOENT) {
                print_message("no malformed/%s: the parser of %s has no malformed cases\n", id, id);
                skip();
        }
        if (!d)
                fail_msg("%s: %s", dir, strerror(errno));
        while ((de = readdir(d))) {
                struct nprocfs_rec *rec = NULL;
                char rel[512];
                size_t len, sum = 0;
                char *data;
                bool valid = strncmp(de->d_name, "valid-", 6) == 0;
                int r;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(rel, sizeof(rel), "malformed/%s/%s", id, de->d_name);
                data = read_fixture(rel, &len);
                assert_int_equal(nprocfs_rec_new(s, &rec), 0);
                r = nprocfs_rec_parse(rec, data, len, &env);
                if (valid && r != 0)
                        fail_msg("%s: %d, expected 0", rel, r);
                if (!valid && r != -EIO)
                        fail_msg("%s: %d, expected -EIO", rel, r);
                assert_int_equal(nprocfs_rec_foreach(rec, touch_entry, &sum), 0);
                /* a second parse into the same record is as good as the first */
                assert_int_equal(nprocfs_rec_parse(rec, data, len, &env), r);
                assert_int_equal(nprocfs_rec_foreach(rec, touch_entry, &sum), 0);
                nprocfs_rec_free(rec);
                free(data);
                seen++;
        }
        closedir(d);
        return seen;
}

/* One test per schema of the list: skipped, loudly, when it has no
 * directory of cases. */
#define CASES_TEST(id)                                                       \
        static void test_##id##_cases_parse_or_fail_with_eio(void **state) { \
                (void)state;                                                 \
                assert_true(check_cases(#id) > 0);                           \
        }
#define NPROCFS_SCHEMA(id, source) CASES_TEST(id)
#include <nprocfs/schemas.def>

/* Every directory under malformed/ is the id of a schema of the list, or
 * one waiting for its parser (cases made ahead of it): once it has a
 * schema, its cases are checked by the tests above. */
static void test_every_id_directory_is_checked(void **state) {
        static const char *const pending[] = {
                "pid_fdinfo",
        };
        struct dirent *de;
        DIR *d = opendir(fixture_path("malformed"));

        (void)state;
        assert_non_null(d);
        while ((de = readdir(d))) {
                bool waiting = false;
                if (strchr(de->d_name, '.')) /* ., .., README.md */
                        continue;
                for (size_t i = 0; i < sizeof(pending) / sizeof(pending[0]); i++)
                        waiting |= strcmp(pending[i], de->d_name) == 0;
                if (!schema_of(de->d_name) && !waiting)
                        fail_msg("malformed/%s is no schema of include/nprocfs/schemas.def", de->d_name);
        }
        closedir(d);
}

/* ---- the values of the valid-* cases ------------------------------------ */

struct parsed {
        struct nprocfs_rec *rec;
        struct entries es;
        char *data;
};

static void parse_case(const char *id, const char *name, struct parsed *ret) {
        struct nprocfs_env env = TEST_ENV;
        char rel[512];
        size_t len;

        snprintf(rel, sizeof(rel), "malformed/%s/%s", id, name);
        ret->data = read_fixture(rel, &len);
        assert_int_equal(nprocfs_rec_new(schema_of(id), &ret->rec), 0);
        assert_int_equal(nprocfs_rec_parse(ret->rec, ret->data, len, &env), 0);
        entries_collect(ret->rec, &ret->es);
}

static void parsed_free(struct parsed *p) {
        entries_free(&p->es);
        nprocfs_rec_free(p->rec);
        free(p->data);
}

/* The fields after the comm, the same in the three valid-comm-* cases. */
static void assert_valid_stat_fields(const struct entries *es) {
        assert_entry(es, "pid", "1");
        assert_entry(es, "state", "sleeping");
        assert_entry(es, "state_code", "S");
        assert_entry(es, "ppid", "0");
        assert_entry(es, "tpgid", "-1");
        assert_entry(es, "flags", "0x400100"); /* 4194560 */
        assert_entry(es, "minflt", "100");
        assert_entry(es, "cmajflt", "4");
        assert_entry(es, "utime_ns", "2500000000");     /* 250 ticks */
        assert_entry(es, "stime_ns", "500000000");      /* 50 */
        assert_entry(es, "cutime_ns", "300000000");     /* 30 */
        assert_entry(es, "cstime_ns", "200000000");     /* 20 */
        assert_entry(es, "starttime_ns", "5000000000"); /* 500 */
        assert_entry(es, "vsize_bytes", "10485760");
        assert_entry(es, "rss_bytes", "1228800"); /* 300 pages */
        assert_entry(es, "rsslim_bytes", "max");
        assert_entry(es, "sigignore", "0x1000");
        assert_entry(es, "sigcatch", "0x4000");
        assert_entry(es, "exit_signal", "17");
        assert_entry(es, "processor", "1");
        assert_entry(es, "delayacct_blkio_ns", "300000000");
        assert_entry(es, "start_data", "4210688");
        assert_entry(es, "end_data", "4214784");
        assert_entry(es, "start_brk", "4218880");
        assert_entry(es, "arg_start", "140737488352000");
        assert_entry(es, "arg_end", "140737488352100");
        assert_entry(es, "env_start", "140737488352100");
        assert_entry(es, "env_end", "140737488352200");
        assert_entry(es, "exit_code", "0");
}

static void test_stat_comm_with_parens_runs_to_the_last_one(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_stat", "valid-comm-with-parens", &p);
        assert_entry(&p.es, "comm", "a) b) (c");
        assert_valid_stat_fields(&p.es);
        parsed_free(&p);
}

static void test_stat_comm_may_hold_a_newline(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_stat", "valid-comm-newline", &p);
        assert_entry(&p.es, "comm", "a\nb");
        assert_valid_stat_fields(&p.es);
        parsed_free(&p);
}

static void test_stat_comm_may_be_empty(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_stat", "valid-comm-empty", &p);
        assert_entry(&p.es, "comm", "");
        assert_valid_stat_fields(&p.es);
        parsed_free(&p);
}

/* utime 10000000000000 ticks x 10 000 000 ns > 2^64 */
static void test_stat_ticks_past_u64_ns_saturate(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_stat", "valid-unit-overflow-saturates", &p);
        assert_entry(&p.es, "utime_ns", "18446744073709551615");
        assert_entry(&p.es, "pid", "10324");
        assert_entry(&p.es, "comm", "sleep");
        assert_entry(&p.es, "rss_bytes", "1437696"); /* 351 pages */
        assert_entry(&p.es, "exit_code", "0");
        parsed_free(&p);
}

/* VmRSS 18014398509481984 kB x 1024 = 2^64 */
static void test_status_kb_past_u64_bytes_saturate(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_status", "valid-unit-overflow-saturates", &p);
        assert_entry(&p.es, "vmrss_bytes", "18446744073709551615");
        assert_entry(&p.es, "name", "sleep");
        assert_entry(&p.es, "pid", "7");
        parsed_free(&p);
}

/* size 4503599627370496 pages x 4096 = 2^64, then "391 367 5 0 89 0" */
static void test_statm_pages_past_u64_bytes_saturate(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_statm", "valid-unit-overflow-saturates", &p);
        assert_entry(&p.es, "size_bytes", "18446744073709551615");
        assert_entry(&p.es, "resident_bytes", "1601536");
        assert_entry(&p.es, "data_bytes", "364544");
        parsed_free(&p);
}

static void test_meminfo_kb_past_u64_bytes_saturate(void **state) {
        struct parsed p;

        (void)state;
        parse_case("sys_meminfo", "valid-unit-overflow-saturates", &p);
        assert_entry(&p.es, "memtotal_bytes", "18446744073709551615");
        assert_entry(&p.es, "memfree_bytes", "1024000");
        parsed_free(&p);
}

/* "Name:\tsleep", "State:\tS (sleeping)", "Pid:\t7" */
static void test_status_with_three_keys_has_three_fields(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_status", "valid-missing-keys", &p);
        assert_int_equal(p.es.n, 4);
        assert_entry(&p.es, "name", "sleep");
        assert_entry(&p.es, "state", "sleeping");
        assert_entry(&p.es, "state_code", "S");
        assert_entry(&p.es, "pid", "7");
        parsed_free(&p);
}

static void test_meminfo_with_one_key_has_one_field(void **state) {
        struct parsed p;

        (void)state;
        parse_case("sys_meminfo", "valid-missing-keys", &p);
        assert_int_equal(p.es.n, 1);
        assert_entry(&p.es, "memtotal_bytes", "2097152000"); /* 2048000 kB */
        parsed_free(&p);
}

static void test_cmdline_empty_has_no_elements(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_cmdline", "valid-empty", &p);
        assert_entry(&p.es, "argc", "0");
        assert_no_entry(&p.es, "0");
        parsed_free(&p);
}

/* 200 random bytes ending in a NUL: elements of 17, 40, 5, 0, 64, 68 bytes */
static void test_cmdline_binary_keeps_its_bytes(void **state) {
        static const size_t lens[] = { 17, 40, 5, 0, 64, 68 };
        struct parsed p;
        size_t off = 0;

        (void)state;
        parse_case("pid_cmdline", "valid-binary", &p);
        assert_entry(&p.es, "argc", "6");
        assert_int_equal(entries_find(&p.es, "argv")->value_len, 200);
        for (size_t i = 0; i < 6; i++) {
                char name[8];
                const struct entry_copy *e;
                snprintf(name, sizeof(name), "%zu", i);
                e = entries_find(&p.es, name);
                assert_non_null(e);
                assert_int_equal(e->value_len, lens[i]);
                assert_memory_equal(e->value, p.data + off, lens[i]);
                off += lens[i] + 1;
        }
        assert_no_entry(&p.es, "6");
        parsed_free(&p);
}

/* 4 arguments of 50 000 bytes (a..., b..., c..., d...) */
static void test_cmdline_long_arguments_are_whole(void **state) {
        struct parsed p;

        (void)state;
        parse_case("pid_cmdline", "valid-long", &p);
        assert_entry(&p.es, "argc", "4");
        for (size_t i = 0; i < 4; i++) {
                char name[8];
                const struct entry_copy *e;
                snprintf(name, sizeof(name), "%zu", i);
                e = entries_find(&p.es, name);
                assert_non_null(e);
                assert_int_equal(e->value_len, 50000);
                for (size_t j = 0; j < 50000; j++)
                        if (e->value[j] != (char)('a' + i))
                                fail_msg("element %zu byte %zu is %d", i, j, e->value[j]);
        }
        parsed_free(&p);
}

static void test_osrelease_without_newline(void **state) {
        struct parsed p;

        (void)state;
        parse_case("sys_osrelease", "valid-no-newline", &p);
        assert_entry(&p.es, "release", "6.18.44");
        assert_entry(&p.es, "major", "6");
        assert_entry(&p.es, "minor", "18");
        assert_entry(&p.es, "patch", "44");
        parsed_free(&p);
}

int main(void) {
        const struct CMUnitTest tests[] = {
#define NPROCFS_SCHEMA(id, source) cmocka_unit_test(test_##id##_cases_parse_or_fail_with_eio),
#include <nprocfs/schemas.def>
                cmocka_unit_test(test_every_id_directory_is_checked),
                cmocka_unit_test(test_stat_comm_with_parens_runs_to_the_last_one),
                cmocka_unit_test(test_stat_comm_may_hold_a_newline),
                cmocka_unit_test(test_stat_comm_may_be_empty),
                cmocka_unit_test(test_stat_ticks_past_u64_ns_saturate),
                cmocka_unit_test(test_status_kb_past_u64_bytes_saturate),
                cmocka_unit_test(test_statm_pages_past_u64_bytes_saturate),
                cmocka_unit_test(test_meminfo_kb_past_u64_bytes_saturate),
                cmocka_unit_test(test_status_with_three_keys_has_three_fields),
                cmocka_unit_test(test_meminfo_with_one_key_has_one_field),
                cmocka_unit_test(test_cmdline_empty_has_no_elements),
                cmocka_unit_test(test_cmdline_binary_keeps_its_bytes),
                cmocka_unit_test(test_cmdline_long_arguments_are_whole),
                cmocka_unit_test(test_osrelease_without_newline),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
