/* /proc/<pid>/pagemap as page counts per mapping: the reader takes maps and,
 * per mapping, its words (pread at (address / page size) * 8), at most
 * 2^20 of them per file, shared out among the mappings; the parse counts
 * the flags of each mapping's words and sums them. Expected values are
 * worked out by hand from fixtures/pagemap-6.18/300 (its words listed in
 * fixtures/README.md, `od -A d -t x8 300/pagemap`) and from snapshots the
 * test writes itself; the live tests compare with pages the test mapped
 * and touched. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static const struct nprocfs_env env = TEST_ENV;

#define PRESENT (UINT64_C(1) << 63)
#define SWAP    (UINT64_C(1) << 62)
#define FILEPG  (UINT64_C(1) << 61)
#define GUARD   (UINT64_C(1) << 58)
#define UFFD_WP (UINT64_C(1) << 57)
#define EXCL    (UINT64_C(1) << 56)
#define SDIRTY  (UINT64_C(1) << 55)

static void read_tree(const char *tree, pid_t pid, pid_t tid, struct nprocfs_pid_pagemap *m, struct entries *es) {
        nprocfs_ctx *ctx = open_tree(tree);

        assert_int_equal(nprocfs_rec_read(ctx, &m->rec, pid, tid), 0);
        nprocfs_close(ctx);
        entries_collect(&m->rec, es);
}

/* pagemap-6.18/300/maps line 1, "00010000-00014000 r-xp ... /opt/tiny/bin/tiny":
 * pages 0x10-0x13, words at bytes 128-159: a10000000001a2b3 (present, file,
 * exclusive), a00000000001a2b4, a00000000002c000 (present, file), 0 */
static void test_a_file_mapping_counts_its_words(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        const struct nprocfs_pid_pagemap_row *row;
        struct entries es;

        (void)state;
        read_tree("pagemap-6.18", 300, 0, &m, &es);
        assert_int_equal(m.rec.nrows, 8); /* the 8 lines of maps */
        row = NPROCFS_ROW(&m, pid_pagemap, 0);
        assert_str_equal(row->row.key, "00010000-00014000");
        assert_int_equal(row->start_address, 0x10000);
        assert_int_equal(row->end_address, 0x14000);
        assert_int_equal(row->pages, 4);
        assert_int_equal(row->present_pages, 3);
        assert_entry(&es, "00010000-00014000/start_address", "65536");
        assert_entry(&es, "00010000-00014000/end_address", "81920");
        assert_entry(&es, "00010000-00014000/pages", "4");
        assert_entry(&es, "00010000-00014000/perms", "r-xp");
        assert_entry(&es, "00010000-00014000/pathname", "/opt/tiny/bin/tiny");
        assert_entry(&es, "00010000-00014000/kind", "file");
        assert_entry(&es, "00010000-00014000/scanned_pages", "4");
        assert_entry(&es, "00010000-00014000/present_pages", "3");
        assert_entry(&es, "00010000-00014000/swapped_pages", "0");
        assert_entry(&es, "00010000-00014000/file_pages", "3");
        assert_entry(&es, "00010000-00014000/exclusive_pages", "1");
        assert_entry(&es, "00010000-00014000/soft_dirty_pages", "0");
        assert_entry(&es, "00010000-00014000/uffd_wp_pages", "0");
        assert_entry(&es, "00010000-00014000/guard_region_pages", "0");
        /* no frame number, no word: counts only */
        assert_no_entry(&es, "00010000-00014000/pfn");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* Every bit the kernel writes occurs in 300's words (fixtures/README.md). */
static void test_every_bit_is_counted(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        struct entries es;

        (void)state;
        read_tree("pagemap-6.18", 300, 0, &m, &es);
        /* line 2, the data page, byte 160: 818000000003f001 */
        assert_entry(&es, "00014000-00015000/present_pages", "1");
        assert_entry(&es, "00014000-00015000/exclusive_pages", "1");
        assert_entry(&es, "00014000-00015000/soft_dirty_pages", "1");
        assert_entry(&es, "00014000-00015000/file_pages", "0");
        /* line 3, [heap], bytes 256-319: 4 x 818000000004000x, 2 x
         * 408000000002468x / 40800000000246a1 (swapped, soft-dirty, a swap
         * offset in bits 5-54), 8300000000040010 (present, uffd-wp,
         * exclusive), 0080000000000000 (soft-dirty, no page) */
        assert_entry(&es, "00020000-00028000/kind", "heap");
        assert_entry(&es, "00020000-00028000/pages", "8");
        assert_entry(&es, "00020000-00028000/present_pages", "5");
        assert_entry(&es, "00020000-00028000/swapped_pages", "2");
        assert_entry(&es, "00020000-00028000/exclusive_pages", "5");
        assert_entry(&es, "00020000-00028000/soft_dirty_pages", "7");
        assert_entry(&es, "00020000-00028000/uffd_wp_pages", "1");
        assert_entry(&es, "00020000-00028000/file_pages", "0");
        /* line 4, shared anonymous memory, bytes 384-447: a100000000050000,
         * then 7 x a00000000005000x */
        assert_entry(&es, "00030000-00038000/perms", "rw-s");
        assert_entry(&es, "00030000-00038000/kind", "deleted");
        assert_entry(&es, "00030000-00038000/pathname", "/dev/zero (deleted)");
        assert_entry(&es, "00030000-00038000/present_pages", "8");
        assert_entry(&es, "00030000-00038000/file_pages", "8");
        assert_entry(&es, "00030000-00038000/exclusive_pages", "1");
        /* line 5, anonymous (a trailing blank, no pathname), bytes 512-639:
         * 2 x 4400000000000000 (guard markers: swap and guard), 14 x 0 */
        assert_entry(&es, "00040000-00050000/kind", "anonymous");
        assert_no_entry(&es, "00040000-00050000/pathname");
        assert_entry(&es, "00040000-00050000/pages", "16");
        assert_entry(&es, "00040000-00050000/guard_region_pages", "2");
        assert_entry(&es, "00040000-00050000/swapped_pages", "2");
        assert_entry(&es, "00040000-00050000/present_pages", "0");
        /* line 6, ---p, bytes 768-799: 4 x 0 */
        assert_entry(&es, "00060000-00064000/perms", "---p");
        assert_entry(&es, "00060000-00064000/scanned_pages", "4");
        assert_entry(&es, "00060000-00064000/present_pages", "0");
        /* line 7, [stack], byte 1016: 918000000007ffff (present, bit 60,
         * which no kernel has yet and no count takes, exclusive,
         * soft-dirty) */
        assert_entry(&es, "0007f000-00080000/kind", "stack");
        assert_entry(&es, "0007f000-00080000/present_pages", "1");
        assert_entry(&es, "0007f000-00080000/exclusive_pages", "1");
        assert_entry(&es, "0007f000-00080000/soft_dirty_pages", "1");
        assert_entry(&es, "0007f000-00080000/uffd_wp_pages", "0");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* Between the mappings the file holds ff bytes, which would count as every
 * bit: the reader reads no word outside a mapping's range. Line 8,
 * [vsyscall] at ffffffffff600000, is past the file's 1024 bytes (as it is
 * past the task's address space live): no word, none scanned. */
static void test_only_the_ranges_are_read(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        struct entries es;

        (void)state;
        read_tree("pagemap-6.18", 300, 0, &m, &es);
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/kind", "vsyscall");
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/pages", "1");
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/scanned_pages", "0");
        assert_entry(&es, "ffffffffff600000-ffffffffff601000/present_pages", "0");
        /* the totals: pages 4+1+8+8+16+4+1+1, scanned all but vsyscall's;
         * present 3+1+5+8+1, swapped 2+2, file 3+8, exclusive 1+1+5+1+1,
         * soft-dirty 1+7+1 */
        assert_entry(&es, "pages", "43");
        assert_entry(&es, "scanned_pages", "42");
        assert_entry(&es, "present_pages", "18");
        assert_entry(&es, "swapped_pages", "4");
        assert_entry(&es, "file_pages", "11");
        assert_entry(&es, "exclusive_pages", "9");
        assert_entry(&es, "soft_dirty_pages", "9");
        assert_entry(&es, "uffd_wp_pages", "1");
        assert_entry(&es, "guard_region_pages", "2");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* The source the reader makes is the one fixtures/malformed/pid_pagemap/
 * valid-pagemap-6.18-300 spells out (written from the format, not by the
 * reader): the release, then per mapping its line and its runs, no frame
 * number kept. */
static void test_the_source_is_maps_lines_and_runs(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        nprocfs_ctx *ctx = open_tree("pagemap-6.18");
        size_t len;
        char *want = read_fixture("malformed/pid_pagemap/valid-pagemap-6.18-300", &len);

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 300, 0), 0);
        assert_int_equal(m.rec.len, len);
        assert_memory_equal(m.rec.buf, want, len);
        assert_memory_equal(m.rec.buf, "6.18.44-fc-v1045\n00010000-00014000 r-xp", 39);
        free(want);
        nprocfs_close(ctx);
        nprocfs_rec_release(&m.rec);
}

/* A count's source names its bit (the kernel's PM_ name), a column its
 * line's; scanned_pages is the row's own. */
static const char *const source_want[][2] = {
        { "00010000-00014000/present_pages", "/proc/<pid>/pagemap:PM_PRESENT" },
        { "00010000-00014000/guard_region_pages", "/proc/<pid>/pagemap:PM_GUARD_REGION" },
        { "00010000-00014000/pages", "/proc/<pid>/pagemap:00010000-00014000[1]" },
        { "00010000-00014000/pathname", "/proc/<pid>/pagemap:00010000-00014000[6]" },
        { "00010000-00014000/scanned_pages", "/proc/<pid>/pagemap:00010000-00014000" },
        { "present_pages", "/proc/<pid>/pagemap" },
};

static int check_source(const struct nprocfs_entry *e, void *userdata) {
        size_t *seen = userdata;
        char buf[128];

        for (size_t i = 0; i < sizeof(source_want) / sizeof(source_want[0]); i++) {
                if (e->path_len != strlen(source_want[i][0]) || memcmp(e->path, source_want[i][0], e->path_len) != 0)
                        continue;
                nprocfs_entry_source(&nprocfs_schema_pid_pagemap, e, buf, sizeof(buf));
                assert_string_equal(buf, source_want[i][1]);
                (*seen)++;
        }
        return 0;
}

static void test_sources_name_the_bit_or_the_column(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        nprocfs_ctx *ctx = open_tree("pagemap-6.18");
        size_t seen = 0;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 300, 0), 0);
        assert_int_equal(nprocfs_rec_foreach(&m.rec, check_source, &seen), 0);
        assert_int_equal(seen, sizeof(source_want) / sizeof(source_want[0]));
        nprocfs_close(ctx);
        nprocfs_rec_release(&m.rec);
}

/* A thread's pagemap is read with the thread's maps. */
static void test_a_thread_reads_its_own_maps(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        struct entries es;

        (void)state;
        read_tree("pagemap-6.18", 300, 300, &m, &es);
        assert_int_equal(m.rec.nrows, 8);
        assert_entry(&es, "present_pages", "18");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* linux-6.18 has no pagemap (fixtures/README.md), linux-2.6 neither (2.6.18
 * predates it): ENOENT, not an empty record. */
static void test_no_pagemap_is_enoent(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        nprocfs_ctx *ctx = open_tree("linux-6.18");

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 10324, 0), -ENOENT);
        assert_no_fields(&m.rec);
        nprocfs_close(ctx);
        ctx = open_tree("linux-2.6");
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 4242, 0), -ENOENT);
        nprocfs_close(ctx);
        nprocfs_rec_release(&m.rec);
}

/* ---- snapshots the test writes ------------------------------------------ */

struct snap {
        char *root;
};

static void put_file(const char *root, const char *rel, const void *data, size_t len) {
        char path[512];
        int fd;

        snprintf(path, sizeof(path), "%s/%s", root, rel);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, len), (ssize_t)len);
        close(fd);
}

/* ROOT/7/maps and an empty ROOT/7/pagemap of size bytes (sparse), with
 * page_size 4096; release NULL leaves osrelease out. */
static void snap_make(struct snap *s, const char *release, const char *maps, uint64_t size) {
        char tmpl[] = "/tmp/nprocfs-pagemap-XXXXXX", path[512];
        const char *machine = "page_size=4096\nticks_per_second=100\n";
        int fd;

        assert_non_null(mkdtemp(tmpl));
        s->root = strdup(tmpl);
        snprintf(path, sizeof(path), "%s/7", s->root);
        assert_int_equal(mkdir(path, 0755), 0);
        put_file(s->root, ".nprocfs-machine", machine, strlen(machine));
        put_file(s->root, "7/maps", maps, strlen(maps));
        if (release) {
                snprintf(path, sizeof(path), "%s/sys", s->root);
                assert_int_equal(mkdir(path, 0755), 0);
                snprintf(path, sizeof(path), "%s/sys/kernel", s->root);
                assert_int_equal(mkdir(path, 0755), 0);
                put_file(s->root, "sys/kernel/osrelease", release, strlen(release));
        }
        snprintf(path, sizeof(path), "%s/7/pagemap", s->root);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, (off_t)size), 0);
        close(fd);
}

/* The word of the page at address addr. */
static void snap_word(struct snap *s, uint64_t addr, uint64_t word) {
        char path[512];
        int fd;

        snprintf(path, sizeof(path), "%s/7/pagemap", s->root);
        fd = open(path, O_WRONLY);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, &word, 8, (off_t)(addr / 4096 * 8)), 8);
        close(fd);
}

static int snap_read(struct snap *s, struct nprocfs_pid_pagemap *m, struct entries *es) {
        nprocfs_ctx *ctx;
        int r;

        assert_int_equal(nprocfs_open(s->root, 0, &ctx), 0);
        r = nprocfs_rec_read(ctx, &m->rec, 7, 0);
        nprocfs_close(ctx);
        if (r == 0 && es)
                entries_collect(&m->rec, es);
        return r;
}

static void snap_remove(struct snap *s) {
        char cmd[600];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->root);
        assert_int_equal(system(cmd), 0);
        free(s->root);
}

/* A mapping of 2^21 pages (8 GiB) and two small ones: the small ones are
 * read whole (3 + 5 pages), the big one gets the rest of the 2^20 words;
 * the sparse file costs no disk for its 16 GiB of holes. */
static void test_the_cap_is_shared_and_said(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        struct snap s;
        struct entries es;

        (void)state;
        snap_make(&s, "6.18.44\n",
                  "00001000-00004000 r--p 00000000 00:00 0 \n"
                  "100000000-300000000 rw-p 00000000 00:00 0 \n"
                  "400000000-400005000 rw-p 00000000 00:00 0 \n",
                  UINT64_C(0x400005000) / 4096 * 8);
        snap_word(&s, 0x1000, PRESENT);
        snap_word(&s, 0x100000000, PRESENT | EXCL);
        snap_word(&s, 0x100000000 + 4096 * (UINT64_C(1048576) - 9), PRESENT); /* the last page it reads */
        snap_word(&s, 0x100000000 + 4096 * (UINT64_C(1048576) - 8), PRESENT); /* the first it does not */
        snap_word(&s, 0x400004000, PRESENT);
        assert_int_equal(snap_read(&s, &m, &es), 0);
        assert_entry(&es, "00001000-00004000/scanned_pages", "3");
        assert_entry(&es, "00001000-00004000/present_pages", "1");
        assert_entry(&es, "100000000-300000000/pages", "2097152");
        assert_entry(&es, "100000000-300000000/scanned_pages", "1048568"); /* 2^20 - 3 - 5 */
        assert_entry(&es, "100000000-300000000/present_pages", "2");
        assert_entry(&es, "100000000-300000000/exclusive_pages", "1");
        assert_entry(&es, "400000000-400005000/scanned_pages", "5");
        assert_entry(&es, "400000000-400005000/present_pages", "1");
        assert_entry(&es, "pages", "2097160");
        assert_entry(&es, "scanned_pages", "1048576");
        assert_entry(&es, "present_pages", "4");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        snap_remove(&s);
}

/* Two mappings over the cap share it equally: 2^19 words each. */
static void test_big_mappings_get_equal_shares(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        struct snap s;
        struct entries es;

        (void)state;
        snap_make(&s, "6.18.44\n",
                  "100000000-200000000 rw-p 00000000 00:00 0 \n"
                  "200000000-400000000 rw-p 00000000 00:00 0 \n",
                  4096); /* a short file: the words past it are none */
        assert_int_equal(snap_read(&s, &m, &es), 0);
        assert_entry(&es, "100000000-200000000/pages", "1048576");
        assert_entry(&es, "100000000-200000000/scanned_pages", "0");
        assert_entry(&es, "scanned_pages", "0");
        entries_free(&es);
        snap_remove(&s);

        snap_make(&s, "6.18.44\n",
                  "100000000-200000000 rw-p 00000000 00:00 0 \n"
                  "200000000-400000000 rw-p 00000000 00:00 0 \n",
                  UINT64_C(0x400000000) / 4096 * 8);
        snap_word(&s, 0x100000000 + 4096 * (UINT64_C(524288) - 1), PRESENT); /* the last read of each */
        snap_word(&s, 0x200000000 + 4096 * (UINT64_C(524288) - 1), PRESENT);
        snap_word(&s, 0x200000000 + 4096 * UINT64_C(524288), PRESENT); /* not read */
        assert_int_equal(snap_read(&s, &m, &es), 0);
        assert_entry(&es, "100000000-200000000/scanned_pages", "524288");
        assert_entry(&es, "200000000-400000000/scanned_pages", "524288");
        assert_entry(&es, "100000000-200000000/present_pages", "1");
        assert_entry(&es, "200000000-400000000/present_pages", "1");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        snap_remove(&s);
}

/* The release says which bits the kernel has: 3.10 (RHEL 7) writes the
 * page shift in bits 55-60 (12: bits 57 and 58 of every word), so soft
 * dirty, exclusive, uffd-wp and guard counts are absent, row and total,
 * while present, swap and file (3.5) are counted. Without a release every
 * count is there. */
static void test_counts_of_bits_the_kernel_lacks_are_absent(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        const char *maps = "00010000-00012000 rw-p 00000000 00:00 0 \n";
        struct snap s;
        struct entries es;

        (void)state;
        snap_make(&s, "3.10.0-1160.el7.x86_64\n", maps, 0x12 * 8);
        snap_word(&s, 0x10000, PRESENT | UFFD_WP | GUARD); /* page shift 12 */
        snap_word(&s, 0x11000, UFFD_WP | GUARD);
        assert_int_equal(snap_read(&s, &m, &es), 0);
        assert_memory_equal(m.rec.buf, "3.10.0-1160.el7.x86_64\n", 23);
        assert_entry(&es, "00010000-00012000/present_pages", "1");
        assert_entry(&es, "00010000-00012000/swapped_pages", "0");
        assert_entry(&es, "00010000-00012000/file_pages", "0");
        assert_no_entry(&es, "00010000-00012000/soft_dirty_pages");
        assert_no_entry(&es, "00010000-00012000/exclusive_pages");
        assert_no_entry(&es, "00010000-00012000/uffd_wp_pages");
        assert_no_entry(&es, "00010000-00012000/guard_region_pages");
        assert_entry(&es, "present_pages", "1");
        assert_entry(&es, "file_pages", "0");
        assert_no_entry(&es, "uffd_wp_pages");
        assert_no_entry(&es, "guard_region_pages");
        assert_no_entry(&es, "soft_dirty_pages");
        assert_false(NPROCFS_HAS(&m, pid_pagemap, exclusive_pages));
        entries_free(&es);
        snap_remove(&s);

        snap_make(&s, NULL, maps, 0x12 * 8);
        snap_word(&s, 0x10000, PRESENT | UFFD_WP | GUARD);
        assert_int_equal(snap_read(&s, &m, &es), 0);
        assert_int_equal(m.rec.buf[0], '\n'); /* no release */
        assert_entry(&es, "00010000-00012000/uffd_wp_pages", "1");
        assert_entry(&es, "00010000-00012000/guard_region_pages", "1");
        assert_entry(&es, "00010000-00012000/soft_dirty_pages", "0");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
        snap_remove(&s);
}

/* A snapshot's pagemap that ends inside a word, maps that do not parse, a
 * source past the size limit: EIO, never a count of what was there. */
static void test_bad_snapshots_are_eio(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        struct snap s;
        nprocfs_ctx *ctx;

        (void)state;
        snap_make(&s, "6.18.44\n", "00010000-00012000 rw-p 00000000 00:00 0 \n", 0x11 * 8 + 3);
        assert_int_equal(snap_read(&s, &m, NULL), -EIO);
        assert_no_fields(&m.rec);
        snap_remove(&s);

        snap_make(&s, "6.18.44\n", "00010000-0001g000 rw-p 00000000 00:00 0 \n", 4096);
        assert_int_equal(snap_read(&s, &m, NULL), -EIO);
        snap_remove(&s);

        snap_make(&s, "6.18.44\n", "00010000-00012000 rw-p\n", 4096); /* 2 of 5 columns */
        assert_int_equal(snap_read(&s, &m, NULL), -EIO);
        snap_remove(&s);

        /* a pagemap that is no regular file: refused, and a FIFO without
         * waiting for a writer */
        snap_make(&s, "6.18.44\n", "00010000-00012000 rw-p 00000000 00:00 0 \n", 4096);
        {
                char path[512];

                snprintf(path, sizeof(path), "%s/7/pagemap", s.root);
                assert_int_equal(unlink(path), 0);
                assert_int_equal(mkfifo(path, 0644), 0);
                assert_int_equal(snap_read(&s, &m, NULL), -EIO);
                assert_int_equal(unlink(path), 0);
                assert_int_equal(mkdir(path, 0755), 0);
                assert_int_equal(snap_read(&s, &m, NULL), -EIO);
        }
        snap_remove(&s);

        /* 3 runs of 8 bytes and a line: more than 64 bytes */
        snap_make(&s, "6.18.44\n", "00010000-00013000 rw-p 00000000 00:00 0 \n", 0x13 * 8);
        snap_word(&s, 0x10000, PRESENT);
        snap_word(&s, 0x12000, PRESENT);
        assert_int_equal(nprocfs_open(s.root, 0, &ctx), 0);
        nprocfs_ctx_set_max_file(ctx, 64);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 7, 0), -EIO);
        nprocfs_ctx_set_max_file(ctx, 1 << 20);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 7, 0), 0);
        assert_int_equal(m.present_pages, 2);
        nprocfs_close(ctx);
        nprocfs_rec_release(&m.rec);
        snap_remove(&s);
}

/* ---- parsing a source ---------------------------------------------------- */

static void put_u64(char **p, uint64_t v) {
        memcpy(*p, &v, 8);
        *p += 8;
}

/* The kernel's page shift era, 2.6.32: present and swap only. */
static void test_a_2_6_32_source_has_present_and_swap_only(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        char src[256], *p = src;
        const char *head = "2.6.32-754.el6.x86_64\n00400000-00402000 r-xp 00000000 08:01 1234   /bin/sh\n";
        struct entries es;

        (void)state;
        memcpy(p, head, strlen(head));
        p += strlen(head);
        put_u64(&p, 2);                             /* 2 runs */
        put_u64(&p, PRESENT | UFFD_WP | GUARD | 1); /* 1 page: present, page shift 12 */
        put_u64(&p, SWAP | UFFD_WP | GUARD | 1);    /* 1 page: swapped */
        assert_int_equal(nprocfs_rec_parse(&m.rec, src, (size_t)(p - src), &env), 0);
        entries_collect(&m.rec, &es);
        assert_entry(&es, "00400000-00402000/present_pages", "1");
        assert_entry(&es, "00400000-00402000/swapped_pages", "1");
        assert_entry(&es, "00400000-00402000/scanned_pages", "2");
        assert_entry(&es, "00400000-00402000/pathname", "/bin/sh");
        assert_no_entry(&es, "00400000-00402000/file_pages"); /* 3.5 */
        assert_no_entry(&es, "00400000-00402000/uffd_wp_pages");
        assert_no_entry(&es, "file_pages");
        assert_entry(&es, "swapped_pages", "1");
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* A kernel thread's pagemap: no mapping, totals 0 (there are no pages). */
static void test_no_mapping_has_zero_totals(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        struct entries es;

        (void)state;
        assert_int_equal(nprocfs_rec_parse(&m.rec, "6.18.44\n", 8, &env), 0);
        entries_collect(&m.rec, &es);
        assert_int_equal(m.rec.nrows, 0);
        assert_entry(&es, "pages", "0");
        assert_entry(&es, "present_pages", "0");
        assert_entry(&es, "guard_region_pages", "0");
        assert_int_equal(es.n, 9);
        entries_free(&es);
        nprocfs_rec_release(&m.rec);
}

/* Runs are bounded by their mapping, the file by the cap; a word is whole. */
static void test_malformed_runs_are_eio(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        const char *head = "\n00010000-00012000 rw-p 00000000 00:00 0 \n"; /* 2 pages */
        const struct {
                uint64_t nruns, run[2];
                size_t cut; /* bytes cut off the end */
                int want;
        } cases[] = {
                { 1, { PRESENT | 2 }, 0, 0 },                 /* both pages */
                { 2, { PRESENT | 1, 1 }, 0, 0 },              /* one each */
                { 1, { PRESENT | 3 }, 0, -EIO },              /* a page more than the range */
                { 2, { PRESENT | 1, PRESENT | 2 }, 0, -EIO }, /* together too */
                { 1, { PRESENT }, 0, -EIO },                  /* a run of no page */
                { 2, { PRESENT | 1 }, 8, -EIO },              /* a run missing */
                { 1, { PRESENT | 1 }, 3, -EIO },              /* a word cut short */
                { 0, { 0 }, 0, 0 },                           /* no word: nothing scanned */
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char src[128], *p = src;

                memcpy(p, head, strlen(head));
                p += strlen(head);
                put_u64(&p, cases[i].nruns);
                for (uint64_t k = 0; k < cases[i].nruns && k < 2; k++)
                        put_u64(&p, cases[i].run[k]);
                if (cases[i].cut == 8)
                        p -= 8;
                p -= cases[i].cut == 3 ? 3 : 0;
                if (nprocfs_rec_parse(&m.rec, src, (size_t)(p - src), &env) != cases[i].want)
                        fail_msg("case %zu: not %d", i, cases[i].want);
        }
        nprocfs_rec_release(&m.rec);
}

/* ---- live --------------------------------------------------------------- */

static const struct nprocfs_pid_pagemap_row *row_at(const struct nprocfs_pid_pagemap *m, const void *addr) {
        for (size_t i = 0; i < m->rec.nrows; i++) {
                const struct nprocfs_pid_pagemap_row *row = NPROCFS_ROW(m, pid_pagemap, i);
                if (row->start_address == (uintptr_t)addr)
                        return row;
        }
        fail_msg("no mapping at %p", addr);
        return NULL;
}

/* n pages of our own, read and write, between two PROT_NONE pages that
 * keep the kernel from merging them with a neighbour. */
static char *own_pages(size_t n, int flags) {
        size_t ps = (size_t)sysconf(_SC_PAGESIZE);
        char *p = mmap(NULL, (n + 2) * ps, PROT_NONE, flags | MAP_ANONYMOUS, -1, 0);

        assert_true(p != MAP_FAILED);
        assert_int_equal(mprotect(p + ps, n * ps, PROT_READ | PROT_WRITE), 0);
        return p + ps;
}

/* 16 private pages, 4 of them written: 4 present, exclusive, not file
 * pages; 4 shared anonymous pages, 2 written: 2 present file pages; 8
 * pages with 3 guard pages installed (where the kernel has them). */
static void test_live_pages_the_test_touched(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        const struct nprocfs_pid_pagemap_row *row;
        size_t ps = (size_t)sysconf(_SC_PAGESIZE);
        char *priv = own_pages(16, MAP_PRIVATE), *guard = own_pages(8, MAP_PRIVATE);
        char *shared = mmap(NULL, 4 * ps, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        uint64_t present = 0, scanned = 0;
        bool guarded;
        nprocfs_ctx *ctx;

        (void)state;
        assert_true(shared != MAP_FAILED);
        for (size_t i = 0; i < 4; i++)
                priv[i * ps] = 1;
        shared[0] = shared[ps] = 1;
        guarded = madvise(guard + 2 * ps, 3 * ps, 102 /* MADV_GUARD_INSTALL, 6.13 */) == 0;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, getpid(), 0), 0);
        row = row_at(&m, priv);
        assert_int_equal(row->pages, 16);
        assert_int_equal(row->scanned_pages, 16);
        assert_int_equal(row->present_pages, 4);
        assert_int_equal(row->exclusive_pages, 4);
        assert_int_equal(row->file_pages, 0);
        assert_int_equal(row->guard_region_pages, 0);
        row = row_at(&m, shared);
        assert_int_equal(row->pages, 4);
        assert_int_equal(row->present_pages, 2);
        assert_int_equal(row->file_pages, 2);
        row = row_at(&m, guard);
        assert_int_equal(row->pages, 8);
        if (guarded) {
                assert_int_equal(row->guard_region_pages, 3);
                assert_int_equal(row->swapped_pages, 3); /* a marker is a swap entry to pagemap */
                assert_int_equal(row->present_pages, 0);
        } else
                print_message("no MADV_GUARD_INSTALL here: guard pages not checked\n");
        /* the totals are the rows' sums */
        for (size_t i = 0; i < m.rec.nrows; i++) {
                present += NPROCFS_ROW(&m, pid_pagemap, i)->present_pages;
                scanned += NPROCFS_ROW(&m, pid_pagemap, i)->scanned_pages;
        }
        assert_int_equal(m.present_pages, present);
        assert_int_equal(m.scanned_pages, scanned);
        nprocfs_close(ctx);
        nprocfs_rec_release(&m.rec);
        munmap(priv - ps, 18 * ps);
        munmap(guard - ps, 10 * ps);
        munmap(shared, 4 * ps);
}

/* /proc/self/maps, read raw into buf (no allocation: no mapping made). */
static size_t raw_maps(char *buf, size_t size) {
        int fd = open("/proc/self/maps", O_RDONLY);
        size_t len = 0;
        ssize_t n;

        assert_true(fd >= 0);
        while ((n = read(fd, buf + len, size - len)) > 0)
                len += (size_t)n;
        close(fd);
        assert_true(len < size);
        return len;
}

/* Rows are maps' lines, in its order, named by its ranges: compared with
 * maps as read before and after the library's read (again when they
 * differ: an allocator mapped something in between). */
static void test_live_rows_are_the_lines_of_maps(void **state) {
        static char before[1 << 20], after[1 << 20];
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        size_t lb = 0, la = 1, i = 0;
        nprocfs_ctx *ctx;

        (void)state;
        assert_int_equal(nprocfs_open(NULL, 0, &ctx), 0);
        for (int tries = 0; tries < 10 && (lb != la || memcmp(before, after, lb) != 0); tries++) {
                lb = raw_maps(before, sizeof(before));
                assert_int_equal(nprocfs_rec_read(ctx, &m.rec, getpid(), 0), 0);
                la = raw_maps(after, sizeof(after));
        }
        assert_int_equal(lb, la);
        for (char *p = before, *end = before + lb; p < end; i++) {
                char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = strcspn(p, " ");
                const struct nprocfs_row *row;

                assert_non_null(nl);
                assert_true(i < m.rec.nrows);
                row = nprocfs_rec_row(&m.rec, i);
                assert_int_equal(row->key.len, n);
                assert_memory_equal(row->key.ptr, p, n);
                p = nl + 1;
        }
        assert_int_equal(i, m.rec.nrows);
        assert_true(i > 5);
        nprocfs_close(ctx);
        nprocfs_rec_release(&m.rec);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_a_file_mapping_counts_its_words),
                cmocka_unit_test(test_every_bit_is_counted),
                cmocka_unit_test(test_only_the_ranges_are_read),
                cmocka_unit_test(test_the_source_is_maps_lines_and_runs),
                cmocka_unit_test(test_sources_name_the_bit_or_the_column),
                cmocka_unit_test(test_a_thread_reads_its_own_maps),
                cmocka_unit_test(test_no_pagemap_is_enoent),
                cmocka_unit_test(test_the_cap_is_shared_and_said),
                cmocka_unit_test(test_big_mappings_get_equal_shares),
                cmocka_unit_test(test_counts_of_bits_the_kernel_lacks_are_absent),
                cmocka_unit_test(test_bad_snapshots_are_eio),
                cmocka_unit_test(test_a_2_6_32_source_has_present_and_swap_only),
                cmocka_unit_test(test_no_mapping_has_zero_totals),
                cmocka_unit_test(test_malformed_runs_are_eio),
                cmocka_unit_test(test_live_pages_the_test_touched),
                cmocka_unit_test(test_live_rows_are_the_lines_of_maps),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
