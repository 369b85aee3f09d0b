/* /proc/cpuinfo, parsed by its grammar: a row per blank-line-ended block,
 * named by its index, each "key<blanks>: value" line by key (keys with
 * blanks, values typed), other architectures' keys kept in their row.
 * Expected values: fixtures/README.md, by hand from the fixture text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

static void read_cpuinfo(const char *tree, struct nprocfs_sys_cpuinfo *c, struct entries *es) {
        nprocfs_ctx *ctx = open_tree(tree);

        assert_int_equal(nprocfs_rec_read(ctx, &c->rec, 0, 0), 0);
        nprocfs_close(ctx);
        entries_collect(&c->rec, es);
}

/* the items of a list entry: one per line */
static size_t items(const struct entries *es, const char *path) {
        const struct entry_copy *e = entries_find(es, path);
        size_t n = 1;

        if (!e)
                fail_msg("no entry %s", path);
        if (e->value_len == 0)
                return 0;
        for (size_t i = 0; i < e->value_len; i++)
                n += e->value[i] == '\n';
        return n;
}

/* linux-6.18/cpuinfo lines 1-26 (processor 0), 28-53 (processor 1) */
static void test_6_18_processor_rows(void **state) {
        struct nprocfs_sys_cpuinfo c = NPROCFS_REC_INIT(sys_cpuinfo);
        const struct nprocfs_sys_cpuinfo_row *row;
        struct entries es;

        (void)state;
        read_cpuinfo("linux-6.18", &c, &es);
        assert_int_equal(c.rec.nrows, 2);
        assert_int_equal(c.rec.nextra, 0);
        row = NPROCFS_ROW(&c, sys_cpuinfo, 1);
        assert_int_equal(row->processor, 1); /* line 28 */
        assert_int_equal(row->row.key.len, 0);
        assert_entry(&es, "0/processor", "0");
        assert_entry(&es, "0/vendor_id", "GenuineIntel");
        assert_entry(&es, "0/cpu_family", "6");
        assert_entry(&es, "0/model", "207");
        assert_entry(&es, "0/model_name", "Intel(R) Xeon(R) Processor"); /* line 5 */
        assert_entry(&es, "0/stepping", "2");
        assert_entry(&es, "0/microcode", "1");                /* "0x1" */
        assert_entry(&es, "0/cpu_mhz", "2299.998");           /* line 8 */
        assert_entry(&es, "0/cache_size_bytes", "272629760"); /* line 9, "266240 KB" */
        assert_entry(&es, "0/physical_id", "0");
        assert_entry(&es, "0/siblings", "2");
        assert_entry(&es, "0/core_id", "0");
        assert_entry(&es, "0/cpu_cores", "2");
        assert_entry(&es, "0/apicid", "0");
        assert_entry(&es, "0/initial_apicid", "0");
        assert_entry(&es, "0/fpu", "1"); /* "yes" */
        assert_entry(&es, "0/fpu_exception", "1");
        assert_entry(&es, "0/cpuid_level", "28");
        assert_entry(&es, "0/wp", "1");
        assert_int_equal(items(&es, "0/flags"), 97); /* line 20 */
        assert_memory_equal(entries_find(&es, "0/flags")->value, "fpu\nvme\nde\n", 11);
        assert_int_equal(items(&es, "0/bugs"), 9); /* line 21 */
        assert_memory_equal(entries_find(&es, "0/bugs")->value, "spectre_v1\n", 11);
        assert_entry(&es, "0/bogomips", "4599.99");
        assert_entry(&es, "0/clflush_size_bytes", "64");
        assert_entry(&es, "0/cache_alignment_bytes", "64");
        assert_entry(&es, "0/address_sizes", "48 bits physical, 57 bits virtual");
        assert_entry(&es, "0/power_management", ""); /* line 26: "power management:" */
        assert_no_entry(&es, "0/vmx_flags");         /* a guest without VMX */
        assert_entry(&es, "1/apicid", "1");
        assert_entry(&es, "1/bogomips", "4599.99"); /* line 49 */
        assert_no_entry(&es, "2/processor");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
}

/* linux-2.6/cpuinfo: two blocks of 2.6.18's keys */
static void test_2_6_processor_rows(void **state) {
        struct nprocfs_sys_cpuinfo c = NPROCFS_REC_INIT(sys_cpuinfo);
        struct entries es;

        (void)state;
        read_cpuinfo("linux-2.6", &c, &es);
        assert_int_equal(c.rec.nrows, 2);
        assert_entry(&es, "0/vendor_id", "GenuineIntel");                                     /* line 2 */
        assert_entry(&es, "0/model_name", "Intel(R) Xeon(R) CPU            5130  @ 2.00GHz"); /* line 5 */
        assert_entry(&es, "0/cpu_mhz", "2000.000");                                           /* line 7 */
        assert_entry(&es, "0/cache_size_bytes", "4194304");                                   /* line 8, "4096 KB" */
        assert_int_equal(items(&es, "0/flags"), 40);                                          /* line 17 */
        assert_entry(&es, "1/core_id", "1");                                                  /* line 34 */
        assert_entry(&es, "1/bogomips", "3999.50");                                           /* line 41 */
        assert_entry(&es, "0/bogomips", "4000.00");                                           /* line 18 */
        /* keys 2.6.18 did not print */
        assert_no_entry(&es, "0/bugs");
        assert_no_entry(&es, "0/microcode");
        assert_no_entry(&es, "0/apicid");
        assert_no_entry(&es, "0/initial_apicid");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
}

/* malformed/sys_cpuinfo/valid-unknown-keys: "processor\t: 0", "new key\t:
 * some value", "model name\t: Test CPU", a blank line */
static void test_an_unknown_key_is_an_entry_of_its_row(void **state) {
        struct nprocfs_sys_cpuinfo c = NPROCFS_REC_INIT(sys_cpuinfo);
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/sys_cpuinfo/valid-unknown-keys", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&c.rec, data, len, &env), 0);
        entries_collect(&c.rec, &es);
        assert_int_equal(es.n, 3);
        assert_entry(&es, "0/processor", "0");
        assert_entry(&es, "0/new_key", "some value");
        assert_entry(&es, "0/model_name", "Test CPU");
        assert_no_entry(&es, "new_key");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
        free(data);
}

/* malformed/sys_cpuinfo/valid-no-final-blank-line: 2.6's processor 0,
 * ending after "power management:\n" */
static void test_the_last_block_needs_no_blank_line(void **state) {
        struct nprocfs_sys_cpuinfo c = NPROCFS_REC_INIT(sys_cpuinfo);
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/sys_cpuinfo/valid-no-final-blank-line", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&c.rec, data, len, &env), 0);
        assert_int_equal(c.rec.nrows, 1);
        entries_collect(&c.rec, &es);
        assert_entry(&es, "0/model_name", "Intel(R) Xeon(R) CPU            5130  @ 2.00GHz");
        assert_entry(&es, "0/power_management", "");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
        free(data);
}

/* an arm64 machine's cpuinfo: its keys are no x86 field, and keep their
 * rows; BogoMIPS takes the name bogomips, which x86's field leaves free
 * here */
static void test_arm64_keys_are_kept_per_row(void **state) {
        struct nprocfs_sys_cpuinfo c = NPROCFS_REC_INIT(sys_cpuinfo);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&c.rec, "processor\t: 0\n"
                                            "BogoMIPS\t: 50.00\n"
                                            "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\n"
                                            "CPU implementer\t: 0x41\n"
                                            "CPU part\t: 0xd0c\n"
                                            "\n"
                                            "processor\t: 1\n"
                                            "BogoMIPS\t: 50.00\n"
                                            "CPU part\t: 0xd0d\n"
                                            "\n"),
                         0);
        assert_int_equal(c.rec.nrows, 2);
        entries_collect(&c.rec, &es);
        assert_entry(&es, "0/processor", "0");
        assert_entry(&es, "0/bogomips", "50.00");
        assert_entry(&es, "0/features", "fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid");
        assert_entry(&es, "0/cpu_implementer", "0x41");
        assert_entry(&es, "0/cpu_part", "0xd0c");
        assert_entry(&es, "1/processor", "1");
        assert_entry(&es, "1/cpu_part", "0xd0d");
        assert_no_entry(&es, "1/features");
        assert_int_equal(es.n, 8);
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
}

/* powerpc, arm32: a last block of the machine's, with no processor line,
 * is a row too; blank lines in a row end nothing more */
static void test_a_block_without_processor_is_a_row(void **state) {
        struct nprocfs_sys_cpuinfo c = NPROCFS_REC_INIT(sys_cpuinfo);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&c.rec, "processor\t: 0\ncpu\t\t: POWER9\n\n\n"
                                            "timebase\t: 512000000\nplatform\t: pSeries\n"),
                         0);
        assert_int_equal(c.rec.nrows, 2);
        entries_collect(&c.rec, &es);
        assert_entry(&es, "0/cpu", "POWER9");
        assert_entry(&es, "1/timebase", "512000000");
        assert_entry(&es, "1/platform", "pSeries");
        assert_no_entry(&es, "1/processor");
        entries_free(&es);
        nprocfs_rec_release(&c.rec);
}

/* where an entry comes from: the key of its line */
static int source_of(const struct nprocfs_entry *e, void *userdata) {
        char buf[128];

        if (e->path_len == 12 && memcmp(e->path, "0/model_name", 12) == 0) {
                nprocfs_entry_source(&nprocfs_schema_sys_cpuinfo, e, buf, sizeof(buf));
                assert_string_equal(buf, "/proc/cpuinfo:model name");
                ++*(int *)userdata;
        }
        return 0;
}

static void test_source_is_the_key(void **state) {
        struct nprocfs_sys_cpuinfo c = NPROCFS_REC_INIT(sys_cpuinfo);
        int seen = 0;

        (void)state;
        assert_int_equal(parse_text(&c.rec, "processor\t: 0\nmodel name\t: X\n"), 0);
        assert_int_equal(nprocfs_rec_foreach(&c.rec, source_of, &seen), 0);
        assert_int_equal(seen, 1);
        nprocfs_rec_release(&c.rec);
}

static void test_malformed_cpuinfo_is_eio(void **state) {
        static const char *const bad[] = {
                "",                                        /* no processor at all */
                "\n\n",                                    /* the same */
                "processor\t: 0\nstepping 6\n",            /* no colon */
                "processor\t: 0\n\t: 6\n",                 /* no key */
                "processor\t: -1\n",                       /* unsigned */
                "processor\t: 0\nfpu\t\t: maybe\n",        /* neither yes nor no */
                "processor\t: 0\ncache size\t: 4096\n",    /* no unit */
                "processor\t: 0\ncache size\t: 4096 MB\n", /* another unit */
                "processor\t: 0\ncpu MHz\t\t: 2000.\n",    /* no fraction */
                "processor\t: 0\nmicrocode\t: 0xzz\n",     /* not hex */
                ("processor\t: 0\nmo\x02"
                 "del\t: 1\n"), /* a control byte */
        };

        (void)state;
        assert_all_malformed(sys_cpuinfo, bad);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_6_18_processor_rows),
                cmocka_unit_test(test_2_6_processor_rows),
                cmocka_unit_test(test_an_unknown_key_is_an_entry_of_its_row),
                cmocka_unit_test(test_the_last_block_needs_no_blank_line),
                cmocka_unit_test(test_arm64_keys_are_kept_per_row),
                cmocka_unit_test(test_a_block_without_processor_is_a_row),
                cmocka_unit_test(test_source_is_the_key),
                cmocka_unit_test(test_malformed_cpuinfo_is_eio),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
