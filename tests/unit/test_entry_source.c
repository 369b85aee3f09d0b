/* nprocfs_entry_source: where in /proc an entry comes from, as the tree's
 * user.nprocfs.source attribute shows it. */
#include <stdio.h>
#include <stdlib.h>

#include "support.h"

struct sources {
        const struct nprocfs_schema *schema;
        struct entries es; /* path -> source */
};

static int collect_source(const struct nprocfs_entry *e, void *userdata) {
        struct sources *s = userdata;
        struct entries *es = &s->es;
        char buf[512];
        int n = nprocfs_entry_source(s->schema, e, buf, sizeof(buf));

        assert_true(n > 0 && (size_t)n < sizeof(buf));
        assert_int_equal(strlen(buf), n);
        if (es->n == es->cap) {
                es->cap = es->cap ? es->cap * 2 : 64;
                es->v = realloc(es->v, es->cap * sizeof(*es->v));
                assert_non_null(es->v);
        }
        es->v[es->n].path = strndup(e->path, e->path_len);
        es->v[es->n].value = strdup(buf);
        es->v[es->n].value_len = (size_t)n;
        es->v[es->n].field = e->field;
        es->n++;
        return 0;
}

static void sources_of(const struct nprocfs_rec *rec, struct sources *ret) {
        *ret = (struct sources){ .schema = rec->schema };
        assert_int_equal(nprocfs_rec_foreach(rec, collect_source, ret), 0);
}

static void test_keyed_fields_name_their_key(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct sources s;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        sources_of(&st.rec, &s);
        assert_entry(&s.es, "vmrss_bytes", "/proc/<pid>/status:VmRSS");
        assert_entry(&s.es, "name", "/proc/<pid>/status:Name");
        assert_entry(&s.es, "groups", "/proc/<pid>/status:Groups");
        entries_free(&s.es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_columns_of_one_line_name_their_column(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct sources s;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        sources_of(&st.rec, &s);
        assert_entry(&s.es, "uid_real", "/proc/<pid>/status:Uid[1]");
        assert_entry(&s.es, "uid_effective", "/proc/<pid>/status:Uid[2]");
        assert_entry(&s.es, "uid_saved", "/proc/<pid>/status:Uid[3]");
        assert_entry(&s.es, "gid_fs", "/proc/<pid>/status:Gid[4]");
        assert_entry(&s.es, "sigq_limit", "/proc/<pid>/status:SigQ[2]");
        entries_free(&s.es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_positional_fields_name_their_number(void **state) {
        struct nprocfs_pid_stat st = NPROCFS_REC_INIT(pid_stat);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct sources s;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        sources_of(&st.rec, &s);
        assert_entry(&s.es, "pid", "/proc/<pid>/stat:1");
        assert_entry(&s.es, "utime_ns", "/proc/<pid>/stat:14");
        assert_entry(&s.es, "state", "/proc/<pid>/stat:3");
        assert_entry(&s.es, "state_code", "/proc/<pid>/stat:3");
        assert_entry(&s.es, "cguest_time_ns", "/proc/<pid>/stat:44");
        entries_free(&s.es);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

static void test_system_files_have_no_pid(void **state) {
        struct nprocfs_sys_meminfo m = NPROCFS_REC_INIT(sys_meminfo);
        struct nprocfs_sys_loadavg l = NPROCFS_REC_INIT(sys_loadavg);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct sources s;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 0, 0), 0);
        sources_of(&m.rec, &s);
        assert_entry(&s.es, "memtotal_bytes", "/proc/meminfo:MemTotal");
        assert_entry(&s.es, "hugepages_total", "/proc/meminfo:HugePages_Total");
        entries_free(&s.es);
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 0, 0), 0);
        sources_of(&l.rec, &s);
        assert_entry(&s.es, "load15", "/proc/loadavg:3");
        entries_free(&s.es);
        nprocfs_rec_release(&m.rec);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

static void test_limit_columns_name_the_resource(void **state) {
        struct nprocfs_pid_limits l = NPROCFS_REC_INIT(pid_limits);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct sources s;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &l.rec, 4242, 0), 0);
        sources_of(&l.rec, &s);
        assert_entry(&s.es, "max_open_files/soft", "/proc/<pid>/limits:Max open files[1]");
        assert_entry(&s.es, "max_open_files/hard", "/proc/<pid>/limits:Max open files[2]");
        entries_free(&s.es);
        nprocfs_rec_release(&l.rec);
        nprocfs_close(ctx);
}

static void test_list_elements_name_their_index(void **state) {
        struct nprocfs_pid_cmdline c = NPROCFS_REC_INIT(pid_cmdline);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct sources s;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &c.rec, 4242, 0), 0);
        sources_of(&c.rec, &s);
        assert_entry(&s.es, "0", "/proc/<pid>/cmdline[0]");
        assert_entry(&s.es, "2", "/proc/<pid>/cmdline[2]");
        assert_entry(&s.es, "argc", "/proc/<pid>/cmdline"); /* derived from the whole file */
        entries_free(&s.es);
        nprocfs_rec_release(&c.rec);
        nprocfs_close(ctx);
}

/* malformed/pid_status/valid-unknown-keys: "NewThing:\t42 kB", "Odd-Key.v2:\thello world" */
static void test_unknown_keys_name_the_key_as_written(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        struct nprocfs_env env = TEST_ENV;
        struct sources s;
        size_t len;
        char *data = read_fixture("malformed/pid_status/valid-unknown-keys", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&st.rec, data, len, &env), 0);
        sources_of(&st.rec, &s);
        assert_entry(&s.es, "newthing_bytes", "/proc/<pid>/status:NewThing");
        assert_entry(&s.es, "odd_key_v2", "/proc/<pid>/status:Odd-Key.v2");
        entries_free(&s.es);
        nprocfs_rec_release(&st.rec);
        free(data);
}

static int first_source(const struct nprocfs_entry *e, void *userdata) {
        const char **seen = userdata;
        char small[8];
        const struct nprocfs_schema *s = &nprocfs_schema_pid_status;
        int n = nprocfs_entry_source(s, e, small, sizeof(small));

        /* like snprintf: the length it needed, and a truncated, terminated copy */
        assert_int_equal(n, strlen("/proc/<pid>/status:Name"));
        assert_string_equal(small, "/proc/<");
        *seen = "seen";
        return 1;
}

static void test_source_is_truncated_like_snprintf(void **state) {
        struct nprocfs_pid_status st = NPROCFS_REC_INIT(pid_status);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        const char *seen = NULL;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &st.rec, 4242, 0), 0);
        /* the walk stops at the first non-zero return, and returns it */
        assert_int_equal(nprocfs_rec_foreach(&st.rec, first_source, &seen), 1);
        assert_non_null(seen);
        nprocfs_rec_release(&st.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_keyed_fields_name_their_key),
                cmocka_unit_test(test_columns_of_one_line_name_their_column),
                cmocka_unit_test(test_positional_fields_name_their_number),
                cmocka_unit_test(test_system_files_have_no_pid),
                cmocka_unit_test(test_limit_columns_name_the_resource),
                cmocka_unit_test(test_list_elements_name_their_index),
                cmocka_unit_test(test_unknown_keys_name_the_key_as_written),
                cmocka_unit_test(test_source_is_truncated_like_snprintf),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
