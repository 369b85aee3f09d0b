/* The tree's layout (nprocfs_tree_child) and the walk in parts
 * (nprocfs_rec_foreach_fields, nprocfs_row_name, nprocfs_row_entry), which
 * the mount reads a table's rows with. */
#include <stdio.h>
#include <stdlib.h>

#include "support.h"

static void assert_child(const struct nprocfs_schema *s, enum nprocfs_dir dir, bool live, const char *sub,
                         enum nprocfs_child_kind kind, const char *name) {
        struct nprocfs_child c;

        if (!nprocfs_tree_child(s, dir, live, sub, strlen(sub), &c))
                fail_msg("%s: nothing in dir %d below '%s'", s->name, dir, sub);
        assert_int_equal(c.kind, kind);
        assert_int_equal(c.end - c.off, strlen(name));
        assert_memory_equal(s->name + c.off, name, strlen(name));
}

static void assert_no_child(const struct nprocfs_schema *s, enum nprocfs_dir dir, bool live, const char *sub) {
        struct nprocfs_child c;

        if (nprocfs_tree_child(s, dir, live, sub, strlen(sub), &c))
                fail_msg("%s: a name in dir %d below '%s'", s->name, dir, sub);
}

static void test_layout(void **state) {
        (void)state;
        /* system files in the root only */
        assert_child(&nprocfs_schema_sys_meminfo, NPROCFS_DIR_ROOT, true, "", NPROCFS_CHILD_FILE, "meminfo");
        assert_no_child(&nprocfs_schema_sys_meminfo, NPROCFS_DIR_PROCESS, true, "");
        /* a process's files, in its threads' directories where /proc has them */
        assert_child(&nprocfs_schema_pid_status, NPROCFS_DIR_PROCESS, true, "", NPROCFS_CHILD_FILE, "status");
        assert_child(&nprocfs_schema_pid_status, NPROCFS_DIR_THREAD, true, "", NPROCFS_CHILD_FILE, "status");
        assert_no_child(&nprocfs_schema_pid_status, NPROCFS_DIR_ROOT, false, "");
        /* links */
        assert_child(&nprocfs_schema_pid_exe, NPROCFS_DIR_PROCESS, true, "", NPROCFS_CHILD_LINK, "exe");
        /* net/tcp: through net/ in a process, and in a snapshot's root; a
         * live root has net -> self/net instead */
        assert_child(&nprocfs_schema_net_tcp, NPROCFS_DIR_PROCESS, true, "", NPROCFS_CHILD_SUBDIR, "net");
        assert_child(&nprocfs_schema_net_tcp, NPROCFS_DIR_PROCESS, true, "net", NPROCFS_CHILD_FILE, "tcp");
        assert_child(&nprocfs_schema_net_tcp, NPROCFS_DIR_ROOT, false, "", NPROCFS_CHILD_SUBDIR, "net");
        assert_child(&nprocfs_schema_net_tcp6, NPROCFS_DIR_ROOT, false, "net", NPROCFS_CHILD_FILE, "tcp6");
        assert_no_child(&nprocfs_schema_net_tcp, NPROCFS_DIR_ROOT, true, "");
        /* a prefix is a whole component */
        assert_no_child(&nprocfs_schema_net_tcp, NPROCFS_DIR_PROCESS, true, "ne");
        assert_no_child(&nprocfs_schema_pid_status, NPROCFS_DIR_PROCESS, true, "net");
        /* every schema has a place in some directory of a snapshot */
        for (const struct nprocfs_schema *const *s = nprocfs_schemas; *s; s++) {
                struct nprocfs_child c;
                assert_true(nprocfs_tree_child(*s, NPROCFS_DIR_ROOT, false, "", 0, &c) ||
                            nprocfs_tree_child(*s, NPROCFS_DIR_PROCESS, false, "", 0, &c));
        }
}

static int count_entries(const struct nprocfs_entry *e, void *ud) {
        (void)e;
        (*(size_t *)ud)++;
        return 0;
}

/* The parts give what the whole walk gives, in its order: smaps' first
 * mapping of fixtures/linux-6.18/10322/smaps, as written there. */
static void test_parts(void **state) {
        struct nprocfs_rec *rec;
        char *text, name[NPROCFS_NAME_SIZE], tmp[NPROCFS_VALUE_SIZE];
        struct nprocfs_entry e;
        size_t len, fields = 0, all = 0, rows = 0;
        bool found = false;
        const struct nprocfs_env env = TEST_ENV;

        (void)state;
        text = read_fixture("linux-6.18/10322/smaps", &len);
        assert_int_equal(nprocfs_rec_new(&nprocfs_schema_pid_smaps, &rec), 0);
        assert_int_equal(nprocfs_rec_parse(rec, text, len, &env), 0);
        assert_int_equal(nprocfs_rec_foreach_fields(rec, count_entries, &fields), 0);
        assert_int_equal(nprocfs_rec_foreach(rec, count_entries, &all), 0);
        assert_true(rec->nrows > 1);
        /* line 1: "5653a7990000-5653a79bf000 r--p 00000000 fe:00 247101 ... /usr/bin/bash" */
        assert_int_equal(nprocfs_row_name(rec, 0, name), strlen("5653a7990000-5653a79bf000"));
        assert_string_equal(name, "5653a7990000-5653a79bf000");
        for (size_t i = 0; i < rec->nrows; i++) {
                size_t m = nprocfs_row_nentries(rec, i);
                assert_true(nprocfs_row_name(rec, i, name) > 0);
                for (size_t j = 0; j < m; j++)
                        rows += (size_t)nprocfs_row_entry(rec, i, j, name, NULL, &e);
                /* past the last: none */
                assert_int_equal(nprocfs_row_entry(rec, i, m, name, tmp, &e), 0);
        }
        assert_int_equal(fields + rows, all);
        /* one entry of the first row, formatted when asked, not before */
        for (size_t j = 0; j < nprocfs_row_nentries(rec, 0); j++) {
                if (!nprocfs_row_entry(rec, 0, j, name, NULL, &e) || strcmp(e.field->name, "rss_bytes") != 0)
                        continue;
                assert_null(e.value);
                assert_int_equal(nprocfs_row_entry(rec, 0, j, name, tmp, &e), 1);
                /* line 5: "Rss:                 188 kB" */
                assert_int_equal(e.value_len, strlen("192512"));
                assert_memory_equal(e.value, "192512", 6);
                found = true;
        }
        assert_true(found);
        assert_int_equal(nprocfs_row_entry(rec, rec->nrows, 0, name, tmp, &e), 0);
        nprocfs_rec_free(rec);
        free(text);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_layout),
                cmocka_unit_test(test_parts),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
