/* /proc/meminfo: "Key:   value kB" lines; kB is 1024 bytes, the HugePages_
 * counts have no unit. */
#include <stdlib.h>

#include "support.h"

/* linux-2.6/meminfo (2.6.18: 30 lines, no MemAvailable) */
static void test_old_meminfo_values(void **state) {
        struct nprocfs_sys_meminfo m = NPROCFS_REC_INIT(sys_meminfo);
        nprocfs_ctx *ctx = open_tree("linux-2.6");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 0, 0), 0);
        assert_int_equal(m.memtotal_bytes, 2097152000);         /* "MemTotal:      2048000 kB" */
        assert_int_equal(m.memfree_bytes, 1048576000);          /* 1024000 kB */
        assert_int_equal(m.buffers_bytes, 104857600);           /* 102400 kB */
        assert_int_equal(m.cached_bytes, 524288000);            /* 512000 kB */
        assert_int_equal(m.active_bytes, 629145600);            /* 614400 kB */
        assert_int_equal(m.inactive_bytes, 209715200);          /* 204800 kB */
        assert_int_equal(m.lowtotal_bytes, 2097152000);         /* 2048000 kB */
        assert_int_equal(m.swaptotal_bytes, 4194304000);        /* 4096000 kB */
        assert_int_equal(m.dirty_bytes, 102400);                /* 100 kB */
        assert_int_equal(m.anonpages_bytes, 204800000);         /* 200000 kB */
        assert_int_equal(m.commitlimit_bytes, 5242880000);      /* 5120000 kB */
        assert_int_equal(m.vmalloctotal_bytes, 35184372087808); /* 34359738367 kB */
        assert_int_equal(m.vmallocchunk_bytes, 35184369664000); /* 34359736000 kB */
        assert_int_equal(m.hugepages_total, 0);                 /* "HugePages_Total:     0" */
        assert_int_equal(m.hugepagesize_bytes, 2097152);        /* 2048 kB */
        assert_int_equal(m.rec.nextra, 0);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

static void test_old_meminfo_has_no_memavailable(void **state) {
        struct nprocfs_sys_meminfo m = NPROCFS_REC_INIT(sys_meminfo);
        nprocfs_ctx *ctx = open_tree("linux-2.6");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 0, 0), 0);
        assert_false(NPROCFS_HAS(&m, sys_meminfo, memavailable_bytes)); /* 3.14 */
        assert_false(NPROCFS_HAS(&m, sys_meminfo, shmem_bytes));        /* 2.6.32 */
        assert_false(NPROCFS_HAS(&m, sys_meminfo, active_anon_bytes));  /* 2.6.28 */
        assert_false(NPROCFS_HAS(&m, sys_meminfo, hugepages_surp));     /* 2.6.24 */
        entries_collect(&m.rec, &es);
        assert_int_equal(es.n, 30); /* one per line */
        assert_no_entry(&es, "memavailable_bytes");
        assert_entry(&es, "memtotal_bytes", "2097152000");
        assert_entry(&es, "highfree_bytes", "0");
        assert_entry(&es, "nfs_unstable_bytes", "0");
        assert_entry(&es, "committed_as_bytes", "307200000"); /* 300000 kB */
        assert_entry(&es, "vmallocused_bytes", "2048000");    /* 2000 kB */
        assert_entry(&es, "hugepages_rsvd", "0");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* linux-6.18/meminfo */
static void test_new_meminfo_values(void **state) {
        struct nprocfs_sys_meminfo m = NPROCFS_REC_INIT(sys_meminfo);
        nprocfs_ctx *ctx = open_tree("linux-6.18");
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 0, 0), 0);
        assert_int_equal(m.memtotal_bytes, 25276514304);               /* "MemTotal:       24684096 kB" */
        assert_int_equal(m.memavailable_bytes, 25004412928);           /* 24418372 kB */
        assert_int_equal(m.active_anon_bytes, 1556480);                /* "Active(anon):       1520 kB" */
        assert_int_equal(m.directmap1g_bytes, 25769803776);            /* 25165824 kB */
        assert_false(NPROCFS_HAS(&m, sys_meminfo, directmap4m_bytes)); /* 32-bit only */
        assert_int_equal(m.rec.nextra, 0);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "zswap_bytes", "0");
        assert_entry(&es, "percpu_bytes", "704512"); /* 688 kB */
        assert_entry(&es, "hugepages_surp", "0");
        assert_entry(&es, "directmap2m_bytes", "2120220672"); /* 2070528 kB */
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

/* malformed/sys_meminfo/valid-unknown-keys:
 * "MemTotal:        1000 kB", "FutureThing:        5 kB", "NewCount:           7" */
static void test_unknown_keys_are_kept_and_named_by_the_rule(void **state) {
        struct nprocfs_sys_meminfo m = NPROCFS_REC_INIT(sys_meminfo);
        struct nprocfs_env env = TEST_ENV;
        struct entries es;
        size_t len;
        char *data = read_fixture("malformed/sys_meminfo/valid-unknown-keys", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&m.rec, data, len, &env), 0);
        assert_int_equal(m.memtotal_bytes, 1024000);
        assert_int_equal(m.rec.nextra, 2);
        entries_collect(&m.rec, &es);
        assert_int_equal(es.n, 3);
        assert_entry(&es, "memtotal_bytes", "1024000");
        assert_entry(&es, "futurething_bytes", "5120"); /* kB converted */
        assert_entry(&es, "newcount", "7");             /* no unit: as written */
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        free(data);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_old_meminfo_values),
                cmocka_unit_test(test_old_meminfo_has_no_memavailable),
                cmocka_unit_test(test_new_meminfo_values),
                cmocka_unit_test(test_unknown_keys_are_kept_and_named_by_the_rule),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
