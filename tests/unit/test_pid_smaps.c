/* /proc/<pid>/smaps, parsed by its grammar: a row per mapping named by its
 * range, the header line's columns as in maps, every "Key: value" line of
 * the block by key (kB in bytes), unknown keys kept with their row, and
 * the totals over the rows (uss, pss, swap, rss) present only where some
 * row had what they sum. Expected values: fixtures/README.md. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

static void read_smaps(const char *tree, pid_t pid, struct nprocfs_pid_smaps *m, struct entries *es) {
        nprocfs_ctx *ctx = open_tree(tree);

        assert_int_equal(nprocfs_rec_read(ctx, &m->rec, pid, 0), 0);
        nprocfs_close(ctx);
        entries_collect(&m->rec, es);
}

/* linux-6.18/10324/smaps lines 1-25:
 * "563bf9634000-563bf9636000 r--p 00000000 fe:00 248056   /usr/bin/sleep",
 * Size 8 kB, KernelPageSize 4 kB, Rss 8 kB, Pss 4 kB, Shared_Clean 8 kB,
 * Private_Dirty 0 kB, THPeligible 0, "VmFlags: rd mr mw me " */
static void test_first_mapping_has_the_maps_columns_and_every_key(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        const struct nprocfs_pid_smaps_row *row;
        struct entries es;

        (void)state;
        read_smaps("linux-6.18", 10324, &m, &es);
        assert_int_equal(m.rec.nrows, 24); /* 24 header lines, 25 lines each */
        row = NPROCFS_ROW(&m, pid_smaps, 0);
        assert_str_equal(row->row.key, "563bf9634000-563bf9636000");
        assert_int_equal(row->start_address, 0x563bf9634000);
        assert_int_equal(row->rss_bytes, 8192);
        assert_false(NPROCFS_ROW_HAS(row, pid_smaps, protectionkey)); /* no ProtectionKey line */
        assert_entry(&es, "563bf9634000-563bf9636000/perms", "r--p");
        assert_entry(&es, "563bf9634000-563bf9636000/perm_read", "1");
        assert_entry(&es, "563bf9634000-563bf9636000/perm_write", "0");
        assert_entry(&es, "563bf9634000-563bf9636000/perm_exec", "0");
        assert_entry(&es, "563bf9634000-563bf9636000/perm_shared", "0");
        assert_entry(&es, "563bf9634000-563bf9636000/offset", "0");
        assert_entry(&es, "563bf9634000-563bf9636000/dev", "254:0");
        assert_entry(&es, "563bf9634000-563bf9636000/dev_major", "254");
        assert_entry(&es, "563bf9634000-563bf9636000/dev_minor", "0");
        assert_entry(&es, "563bf9634000-563bf9636000/inode", "248056");
        assert_entry(&es, "563bf9634000-563bf9636000/pathname", "/usr/bin/sleep");
        assert_entry(&es, "563bf9634000-563bf9636000/kind", "file");
        assert_entry(&es, "563bf9634000-563bf9636000/size_bytes", "8192");
        assert_entry(&es, "563bf9634000-563bf9636000/rss_bytes", "8192");
        assert_entry(&es, "563bf9634000-563bf9636000/pss_bytes", "4096");
        assert_entry(&es, "563bf9634000-563bf9636000/shared_clean_bytes", "8192");
        assert_entry(&es, "563bf9634000-563bf9636000/private_dirty_bytes", "0");
        assert_entry(&es, "563bf9634000-563bf9636000/kernelpagesize_bytes", "4096");
        assert_entry(&es, "563bf9634000-563bf9636000/thpeligible", "0");
        assert_entry(&es, "563bf9634000-563bf9636000/vmflags", "rd\nmr\nmw\nme");
        assert_no_entry(&es, "563bf9634000-563bf9636000/protectionkey");
        assert_no_entry(&es, "563bf9634000-563bf9636000/vmflags_bytes");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* lines 26 ("563bf9636000-563bf963b000 r-xp 00002000 ...") and 35
 * ("Private_Clean:         4 kB") */
static void test_second_mapping(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es;

        (void)state;
        read_smaps("linux-6.18", 10324, &m, &es);
        assert_entry(&es, "563bf9636000-563bf963b000/offset", "8192");
        assert_entry(&es, "563bf9636000-563bf963b000/perms", "r-xp");
        assert_entry(&es, "563bf9636000-563bf963b000/perm_exec", "1");
        assert_entry(&es, "563bf9636000-563bf963b000/private_clean_bytes", "4096");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

static void test_special_mappings(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es;

        (void)state;
        read_smaps("linux-6.18", 10324, &m, &es);
        /* lines 126-136: [heap], Size 132 kB, Rss 4 kB, Private_Dirty 4 kB */
        assert_entry(&es, "563c34375000-563c34396000/kind", "heap");
        assert_entry(&es, "563c34375000-563c34396000/size_bytes", "135168");
        assert_entry(&es, "563c34375000-563c34396000/rss_bytes", "4096");
        assert_entry(&es, "563c34375000-563c34396000/private_dirty_bytes", "4096");
        /* line 151 "7f3104ae1000-7f3104ae4000 rw-p 00000000 00:00 0 " (a
         * trailing space), line 155 Rss 8 kB */
        assert_entry(&es, "7f3104ae1000-7f3104ae4000/kind", "anonymous");
        assert_no_entry(&es, "7f3104ae1000-7f3104ae4000/pathname");
        assert_entry(&es, "7f3104ae1000-7f3104ae4000/inode", "0");
        assert_entry(&es, "7f3104ae1000-7f3104ae4000/dev", "0:0");
        assert_entry(&es, "7f3104ae1000-7f3104ae4000/rss_bytes", "8192");
        /* lines 201-206: libc's text, Size 1368 kB, Rss 856 kB, Pss 62 kB */
        assert_entry(&es, "7f3104b0a000-7f3104c60000/size_bytes", "1400832");
        assert_entry(&es, "7f3104b0a000-7f3104c60000/rss_bytes", "876544");
        assert_entry(&es, "7f3104b0a000-7f3104c60000/pss_bytes", "63488");
        /* lines 351, 375 "VmFlags: rd mr pf io de dd " */
        assert_entry(&es, "7f3104cd3000-7f3104cd7000/kind", "vvar");
        assert_entry(&es, "7f3104cd3000-7f3104cd7000/vmflags", "rd\nmr\npf\nio\nde\ndd");
        /* lines 401, 425 */
        assert_entry(&es, "7f3104cd9000-7f3104cdb000/kind", "vdso");
        assert_entry(&es, "7f3104cd9000-7f3104cdb000/vmflags", "rd\nex\nmr\nmw\nme\nde");
        /* lines 551, 555 Rss 16 kB, 575 "VmFlags: rd wr mr mw me gd ac " */
        assert_entry(&es, "7ffcc140d000-7ffcc142e000/kind", "stack");
        assert_entry(&es, "7ffcc140d000-7ffcc142e000/rss_bytes", "16384");
        assert_entry(&es, "7ffcc140d000-7ffcc142e000/vmflags", "rd\nwr\nmr\nmw\nme\ngd\nac");
        /* lines 576 "... --xp ... [vsyscall]", 600 "VmFlags: ex " */
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/perms", "--xp");
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/kind", "vsyscall");
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/vmflags", "ex");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* over the 24 mappings: Private_Clean 4 kB (line 35) + Private_Dirty
 * 4+4+4+8+16+8+20+4+8+8+16 = 100 kB (lines 86, 111, 136, 161, 261, 286,
 * 311, 336, 511, 536, 561); Pss 223 kB; Swap 0 everywhere; Rss 1536 kB */
static void test_totals_over_every_mapping(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es;

        (void)state;
        read_smaps("linux-6.18", 10324, &m, &es);
        assert_true(NPROCFS_HAS(&m, pid_smaps, uss_bytes));
        assert_int_equal(m.uss_bytes, 106496);
        assert_entry(&es, "uss_bytes", "106496");
        assert_entry(&es, "pss_bytes", "228352");
        assert_entry(&es, "swap_bytes", "0");
        assert_entry(&es, "rss_bytes", "1572864");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* linux-2.6/4242/smaps: 7 mappings of 7 lines, only Size, Rss,
 * Shared_Clean, Shared_Dirty, Private_Clean, Private_Dirty */
static void test_2_6_18_smaps_has_six_keys(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es;

        (void)state;
        read_smaps("linux-2.6", 4242, &m, &es);
        assert_int_equal(m.rec.nrows, 7);
        /* lines 15-21: [heap], Size 132 kB, Rss 40 kB, Private_Dirty 40 kB */
        assert_entry(&es, "00601000-00622000/size_bytes", "135168");
        assert_entry(&es, "00601000-00622000/rss_bytes", "40960");
        assert_entry(&es, "00601000-00622000/private_dirty_bytes", "40960");
        assert_entry(&es, "00601000-00622000/offset", "6295552");
        /* lines 22-28: Shared_Dirty 4 kB, Private_Dirty 4 kB */
        assert_entry(&es, "2aaaaaaab000-2aaaaaaad000/shared_dirty_bytes", "4096");
        assert_entry(&es, "2aaaaaaab000-2aaaaaaad000/private_dirty_bytes", "4096");
        assert_entry(&es, "2aaaaaaab000-2aaaaaaad000/kind", "anonymous");
        /* lines 29-35: the deleted file, Private_Clean 4 kB */
        assert_entry(&es, "2aaaaaaad000-2aaaaaaae000/private_clean_bytes", "4096");
        assert_entry(&es, "2aaaaaaad000-2aaaaaaae000/kind", "deleted");
        /* lines 43-49: Size 8192 kB, Rss 0 kB */
        assert_entry(&es, "ffffffffff600000-ffffffffffe00000/size_bytes", "8388608");
        assert_entry(&es, "ffffffffff600000-ffffffffffe00000/rss_bytes", "0");
        for (size_t i = 0; i < m.rec.nrows; i++) {
                const struct nprocfs_pid_smaps_row *row = NPROCFS_ROW(&m, pid_smaps, i);
                assert_false(NPROCFS_ROW_HAS(row, pid_smaps, pss_bytes));
                assert_false(NPROCFS_ROW_HAS(row, pid_smaps, swap_bytes));
                assert_false(NPROCFS_ROW_HAS(row, pid_smaps, vmflags));
                assert_false(NPROCFS_ROW_HAS(row, pid_smaps, referenced_bytes));
                assert_int_equal(row->row.nextra, 0);
        }
        assert_no_entry(&es, "00400000-00401000/pss_bytes");
        assert_no_entry(&es, "00400000-00401000/vmflags");
        /* (4 + 60) kB: Private_Clean 4 (the deleted file), Private_Dirty
         * 4+40+4+12; Rss 4+4+40+8+4+12+0 = 72 kB */
        assert_entry(&es, "uss_bytes", "65536");
        assert_entry(&es, "rss_bytes", "73728");
        /* no Pss, no Swap line anywhere: no total, never 0 */
        assert_false(NPROCFS_HAS(&m, pid_smaps, pss_bytes));
        assert_false(NPROCFS_HAS(&m, pid_smaps, swap_bytes));
        assert_no_entry(&es, "pss_bytes");
        assert_no_entry(&es, "swap_bytes");
        assert_int_equal(m.rec.nextra, 0);
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* pid 1's smaps could not be captured */
static void test_missing_smaps_is_enoent(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 1, 0), -ENOENT);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

static void parse_case(const char *name, struct nprocfs_pid_smaps *m, struct entries *es, char **ret_data) {
        char rel[256];
        size_t len;

        snprintf(rel, sizeof(rel), "malformed/pid_smaps/%s", name);
        *ret_data = read_fixture(rel, &len);
        assert_int_equal(nprocfs_rec_parse(&m->rec, *ret_data, len, &env), 0);
        entries_collect(&m->rec, es);
}

/* malformed/pid_smaps/valid-unknown-keys: a real mapping line, 10 keys,
 * then "NewThing:              7 kB" */
static void test_an_unknown_key_is_an_entry_of_its_row(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        const struct nprocfs_pid_smaps_row *row;
        struct entries es;
        char *data;

        (void)state;
        parse_case("valid-unknown-keys", &m, &es, &data);
        assert_int_equal(m.rec.nrows, 1);
        row = NPROCFS_ROW(&m, pid_smaps, 0);
        assert_int_equal(row->row.extra_first, 0);
        assert_int_equal(row->row.nextra, 1);
        assert_int_equal(m.rec.nextra, 1);
        assert_str_equal(m.rec.extra[0].key, "NewThing");
        assert_str_equal(m.rec.extra[0].value, "7 kB");
        assert_entry(&es, "563bf9634000-563bf9636000/newthing_bytes", "7168");
        assert_no_entry(&es, "newthing_bytes");
        assert_entry(&es, "563bf9634000-563bf9636000/rss_bytes", "8192");
        assert_entry(&es, "563bf9634000-563bf9636000/pss_bytes", "4096");
        assert_entry(&es, "563bf9634000-563bf9636000/thpeligible", "0");
        assert_entry(&es, "563bf9634000-563bf9636000/vmflags", "rd\nmr\nmw\nme");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* each row keeps its own unknown keys, in the file's order; a value
 * without kB stays text */
static void test_unknown_keys_stay_with_their_row(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es;

        (void)state;
        assert_int_equal(parse_text(&m.rec, "1000-2000 r--p 00000000 00:00 0\n"
                                            "Rss:        4 kB\n"
                                            "Future-Key:  9 kB\n"
                                            "Odd.Thing:   a b\n"
                                            "2000-3000 rw-p 00000000 00:00 0\n"
                                            "Rss:        8 kB\n"
                                            "3000-4000 rw-p 00000000 00:00 0\n"
                                            "Later:      1\n"
                                            "Rss:        12 kB\n"),
                         0);
        assert_int_equal(m.rec.nrows, 3);
        assert_int_equal(NPROCFS_ROW(&m, pid_smaps, 0)->row.nextra, 2);
        assert_int_equal(NPROCFS_ROW(&m, pid_smaps, 1)->row.nextra, 0);
        assert_int_equal(NPROCFS_ROW(&m, pid_smaps, 2)->row.extra_first, 2);
        assert_int_equal(NPROCFS_ROW(&m, pid_smaps, 2)->row.nextra, 1);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "1000-2000/future_key_bytes", "9216");
        assert_entry(&es, "1000-2000/odd_thing", "a b");
        assert_entry(&es, "3000-4000/later", "1");
        assert_entry(&es, "3000-4000/rss_bytes", "12288");
        assert_no_entry(&es, "2000-3000/later");
        assert_no_entry(&es, "later");
        assert_entry(&es, "rss_bytes", "24576"); /* 4 + 8 + 12 kB */
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* a stranger whose name is a known field's, which this row has: the known
 * entry keeps the name */
static void test_an_unknown_key_cannot_take_a_present_name(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es;
        size_t n = 0;

        (void)state;
        assert_int_equal(parse_text(&m.rec, "1000-2000 r--p 00000000 00:00 0\nRss: 4 kB\nRSS: 5 kB\n"), 0);
        entries_collect(&m.rec, &es);
        for (size_t i = 0; i < es.n; i++)
                n += strcmp(es.v[i].path, "1000-2000/rss_bytes") == 0;
        assert_int_equal(n, 1);
        assert_entry(&es, "1000-2000/rss_bytes", "4096");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* where a row's field comes from: its key line, its header column, or the
 * unknown key's own line */
static int source_of(const struct nprocfs_entry *e, void *userdata) {
        struct entries *es = userdata;
        char buf[256];

        nprocfs_entry_source(&nprocfs_schema_pid_smaps, e, buf, sizeof(buf));
        es->v = realloc(es->v, (es->n + 1) * sizeof(*es->v));
        assert_non_null(es->v);
        es->v[es->n++] = (struct entry_copy){ .path = strndup(e->path, e->path_len),
                                              .value = strdup(buf),
                                              .value_len = strlen(buf) };
        return 0;
}

static void test_sources_name_the_key_or_the_column(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es = { 0 };

        (void)state;
        assert_int_equal(parse_text(&m.rec, "1000-2000 r--p 00000000 00:00 0 /a\nRss: 4 kB\nNew: 1 kB\n"), 0);
        assert_int_equal(nprocfs_rec_foreach(&m.rec, source_of, &es), 0);
        assert_entry(&es, "1000-2000/rss_bytes", "/proc/<pid>/smaps:Rss");
        assert_entry(&es, "1000-2000/perms", "/proc/<pid>/smaps:1000-2000[2]");
        assert_entry(&es, "1000-2000/new_bytes", "/proc/<pid>/smaps:New");
        assert_entry(&es, "rss_bytes", "/proc/<pid>/smaps");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* malformed/pid_smaps/valid-unit-overflow-saturates: "Rss:
 * 18014398509481984 kB" (x 1024 = 2^64); the total saturates too */
static void test_kb_past_u64_saturates(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es;
        char *data;

        (void)state;
        parse_case("valid-unit-overflow-saturates", &m, &es, &data);
        assert_entry(&es, "563bf9634000-563bf9636000/rss_bytes", "18446744073709551615");
        assert_entry(&es, "rss_bytes", "18446744073709551615");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
        assert_int_equal(parse_text(&m.rec, "1000-2000 r--p 0 00:00 0\nRss: 18014398509481983 kB\n"
                                            "2000-3000 r--p 0 00:00 0\nRss: 18014398509481983 kB\n"),
                         0);
        assert_int_equal(m.rss_bytes, UINT64_MAX);
        nprocfs_rec_release(&m.rec);
}

/* malformed/pid_smaps/valid-2.6.18: one /bin/sh mapping, keys padded to 15
 * columns, values "%8lu kB" */
static void test_valid_2_6_18_case(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        struct entries es;
        char *data;

        (void)state;
        parse_case("valid-2.6.18", &m, &es, &data);
        assert_int_equal(m.rec.nrows, 1);
        assert_entry(&es, "00400000-00401000/size_bytes", "4096");
        assert_entry(&es, "00400000-00401000/rss_bytes", "4096");
        assert_entry(&es, "00400000-00401000/shared_clean_bytes", "4096");
        assert_entry(&es, "00400000-00401000/shared_dirty_bytes", "0");
        assert_entry(&es, "00400000-00401000/private_clean_bytes", "0");
        assert_entry(&es, "00400000-00401000/private_dirty_bytes", "0");
        assert_no_entry(&es, "00400000-00401000/pss_bytes");
        assert_no_entry(&es, "00400000-00401000/swap_bytes");
        assert_no_entry(&es, "00400000-00401000/vmflags");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

/* a kernel thread's smaps is empty: no rows, and no totals (nothing was
 * summed) */
static void test_empty_smaps_has_no_rows_and_no_totals(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);

        (void)state;
        assert_int_equal(parse_text(&m.rec, ""), 0);
        assert_no_fields(&m.rec);
        nprocfs_rec_release(&m.rec);
}

static void test_malformed_blocks_are_eio(void **state) {
        static const char *const bad[] = {
                "Rss: 4 kB\n1000-2000 r--p 0 00:00 0\n",                     /* a key before any header */
                "1000-2000 r--p 0 00:00 0\nRss: 4\n",                        /* no unit */
                "1000-2000 r--p 0 00:00 0\nRss: 4 MB\n",                     /* another unit */
                "1000-2000 r--p 0 00:00 0\nRss: 4kB\n",                      /* no blank before it */
                "1000-2000 r--p 0 00:00 0\nRss: -4 kB\n",                    /* signed */
                "1000-2000 r--p 0 00:00 0\nRss: 4 4 kB\n",                   /* two numbers */
                "1000-2000 r--p 0 00:00 0\nRss:4 kB\n",                      /* a word, not a key */
                "1000-2000 r--p 0 00:00 0\n: 4 kB\n",                        /* no key */
                "1000-2000 r--p 0 00:00 0\nOdd Key: 4 kB\n",                 /* smaps keys are one word */
                "1000-2000 r--p 0 00:00 0\nTHPeligible: 2\n",                /* not a bool */
                "1000-2000 r--p 0 00:00 0\nRs\x01s: 4 kB\n",                 /* a control byte */
                "2000-1000 r--p 0 00:00 0\nRss: 4 kB\n",                     /* start past end */
                "1000-2000 r--p 0 00:00\nRss: 4 kB\n",                       /* four columns */
                "1000-2000 r--p 0 00:00 0\nRss: 4 kB\nxyz\n",                /* a line of neither kind */
                "1000-2000 r--p 0 00:00 0\nProtectionKey: 1x\n",             /* junk */
                "1000-2000 r--p 0 00:00 0\nSize: 99999999999999999999 kB\n", /* past u64 */
        };

        (void)state;
        assert_all_malformed(pid_smaps, bad);
}

/* a hostile file inventing keys: 64 unknown keys in a block are kept, the
 * 65th makes the file malformed; a line past 64 KiB too */
static void test_unknown_keys_and_lines_are_bounded(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        char *text = malloc(80000);
        size_t len;

        (void)state;
        assert_non_null(text);
        len = (size_t)sprintf(text, "1000-2000 r--p 0 00:00 0\n");
        for (int i = 0; i < 64; i++)
                len += (size_t)sprintf(text + len, "K%d: 1 kB\n", i);
        assert_int_equal(nprocfs_rec_parse(&m.rec, text, len, &env), 0);
        assert_int_equal(m.rec.nextra, 64);
        len += (size_t)sprintf(text + len, "K64: 1 kB\n");
        assert_int_equal(nprocfs_rec_parse(&m.rec, text, len, &env), -EIO);
        /* the same 65 keys over two blocks are fine */
        len = (size_t)sprintf(text, "1000-2000 r--p 0 00:00 0\n");
        for (int i = 0; i < 65; i++)
                len += (size_t)sprintf(text + len, "%sK%d: 1 kB\n", i == 32 ? "2000-3000 r--p 0 00:00 0\n" : "", i);
        assert_int_equal(nprocfs_rec_parse(&m.rec, text, len, &env), 0);
        assert_int_equal(m.rec.nrows, 2);
        assert_int_equal(NPROCFS_ROW(&m, pid_smaps, 1)->row.extra_first, 32);
        assert_int_equal(NPROCFS_ROW(&m, pid_smaps, 1)->row.nextra, 33);
        /* a pathname of 65 536 bytes */
        len = (size_t)sprintf(text, "1000-2000 r--p 0 00:00 0 /");
        memset(text + len, 'a', 65536);
        len += 65536;
        text[len++] = '\n';
        assert_int_equal(nprocfs_rec_parse(&m.rec, text, len, &env), -EIO);
        nprocfs_rec_release(&m.rec);
        free(text);
}

/* This very process's smaps, read once and parsed from that text (its
 * mappings move between two reads): a row per header line and the Rss
 * total, both counted here from the text by other means. */
static void test_live_smaps_has_a_row_per_mapping(void **state) {
        struct nprocfs_pid_smaps m = NPROCFS_REC_INIT(pid_smaps);
        static char buf[8 << 20];
        size_t len = 0, headers = 0;
        uint64_t rss_kb = 0;
        ssize_t n;
        int fd;

        (void)state;
        fd = open("/proc/self/smaps", O_RDONLY);
        if (fd < 0) {
                print_message("no /proc/self/smaps here\n");
                skip();
        }
        while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
                len += (size_t)n;
        close(fd);
        assert_true(len < sizeof(buf));
        for (size_t i = 0; i < len;) {
                char *nl = memchr(buf + i, '\n', len - i);
                size_t e = nl ? (size_t)(nl - buf) : len;
                unsigned long long kb;

                /* a header begins "<hex>-<hex> " */
                size_t j = i;
                while (j < e && strchr("0123456789abcdef", buf[j]))
                        j++;
                if (j > i && j < e && buf[j] == '-')
                        headers++;
                if (e - i > 4 && memcmp(buf + i, "Rss:", 4) == 0 && sscanf(buf + i + 4, "%llu kB", &kb) == 1)
                        rss_kb += kb;
                i = e + 1;
        }
        assert_true(headers > 0);
        assert_int_equal(nprocfs_rec_parse(&m.rec, buf, len, &env), 0);
        assert_int_equal(m.rec.nrows, headers);
        assert_true(NPROCFS_HAS(&m, pid_smaps, rss_bytes));
        assert_int_equal(m.rss_bytes, rss_kb * 1024);
        nprocfs_rec_release(&m.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_first_mapping_has_the_maps_columns_and_every_key),
                cmocka_unit_test(test_second_mapping),
                cmocka_unit_test(test_special_mappings),
                cmocka_unit_test(test_totals_over_every_mapping),
                cmocka_unit_test(test_2_6_18_smaps_has_six_keys),
                cmocka_unit_test(test_missing_smaps_is_enoent),
                cmocka_unit_test(test_an_unknown_key_is_an_entry_of_its_row),
                cmocka_unit_test(test_unknown_keys_stay_with_their_row),
                cmocka_unit_test(test_an_unknown_key_cannot_take_a_present_name),
                cmocka_unit_test(test_sources_name_the_key_or_the_column),
                cmocka_unit_test(test_kb_past_u64_saturates),
                cmocka_unit_test(test_valid_2_6_18_case),
                cmocka_unit_test(test_empty_smaps_has_no_rows_and_no_totals),
                cmocka_unit_test(test_malformed_blocks_are_eio),
                cmocka_unit_test(test_unknown_keys_and_lines_are_bounded),
                cmocka_unit_test(test_live_smaps_has_a_row_per_mapping),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
