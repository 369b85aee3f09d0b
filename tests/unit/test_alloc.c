/* No allocation in steady state: reading stat, status, statm and io of a
 * process again into the same record reuses the record's buffers, and so
 * does pagemap's reader. Linked
 * with --wrap for malloc, realloc and calloc (see meson.build), so every call
 * the library makes is counted here before it goes to the real allocator. */
#include <unistd.h>

#include "support.h"

static size_t allocations;

void *__real_malloc(size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_calloc(size_t n, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_calloc(size_t n, size_t size);

void *__wrap_malloc(size_t size) {
        allocations++;
        return __real_malloc(size);
}

void *__wrap_realloc(void *p, size_t size) {
        allocations++;
        return __real_realloc(p, size);
}

void *__wrap_calloc(size_t n, size_t size) {
        allocations++;
        return __real_calloc(n, size);
}

struct records {
        nprocfs_ctx *ctx;
        struct nprocfs_pid_stat stat;
        struct nprocfs_pid_status status;
        struct nprocfs_pid_statm statm;
        struct nprocfs_pid_io io;
};

static void read_all(struct records *r) {
        pid_t self = getpid();

        assert_int_equal(nprocfs_rec_read(r->ctx, &r->stat.rec, self, 0), 0);
        assert_int_equal(nprocfs_rec_read(r->ctx, &r->status.rec, self, 0), 0);
        assert_int_equal(nprocfs_rec_read(r->ctx, &r->statm.rec, self, 0), 0);
        assert_int_equal(nprocfs_rec_read(r->ctx, &r->io.rec, self, 0), 0);
}

static int setup(void **state) {
        static struct records r = {
                .stat = NPROCFS_REC_INIT(pid_stat),
                .status = NPROCFS_REC_INIT(pid_status),
                .statm = NPROCFS_REC_INIT(pid_statm),
                .io = NPROCFS_REC_INIT(pid_io),
        };

        if (nprocfs_open(NULL, 0, &r.ctx) < 0)
                return -1;
        *state = &r;
        return 0;
}

static int teardown(void **state) {
        struct records *r = *state;

        nprocfs_rec_release(&r->stat.rec);
        nprocfs_rec_release(&r->status.rec);
        nprocfs_rec_release(&r->statm.rec);
        nprocfs_rec_release(&r->io.rec);
        nprocfs_close(r->ctx);
        return 0;
}

static void test_the_first_read_allocates_the_buffers(void **state) {
        struct records *r = *state;
        size_t before = allocations;

        read_all(r);
        /* at least one buffer per record: the counting itself works */
        assert_true(allocations >= before + 4);
}

static void test_a_second_read_allocates_nothing(void **state) {
        struct records *r = *state;
        size_t before;

        read_all(r);
        before = allocations;
        read_all(r);
        assert_int_equal(allocations, before);
}

static void test_a_hundred_more_reads_allocate_nothing(void **state) {
        struct records *r = *state;
        size_t before;

        read_all(r);
        before = allocations;
        for (int i = 0; i < 100; i++)
                read_all(r);
        assert_int_equal(allocations, before);
}

static void test_parsing_again_allocates_nothing(void **state) {
        struct records *r = *state;
        struct nprocfs_env env = TEST_ENV;
        char copy[8192];
        size_t len, before;

        read_all(r);
        len = r->status.rec.len;
        assert_true(len < sizeof(copy));
        memcpy(copy, r->status.rec.buf, len);
        before = allocations;
        for (int i = 0; i < 100; i++)
                assert_int_equal(nprocfs_rec_parse(&r->status.rec, copy, len, &env), 0);
        assert_int_equal(allocations, before);
}

/* pagemap's reader makes its source in the record's buffer alone (maps,
 * each mapping's share of the cap, the runs): a page costs no allocation,
 * and a read again none at all. The snapshot's words do not change, as a
 * live process's may between two reads. */
static void test_pagemap_read_again_allocates_nothing(void **state) {
        struct nprocfs_pid_pagemap m = NPROCFS_REC_INIT(pid_pagemap);
        nprocfs_ctx *ctx = open_tree("pagemap-6.18");
        size_t before;

        (void)state;
        assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 300, 0), 0);
        before = allocations;
        for (int i = 0; i < 100; i++)
                assert_int_equal(nprocfs_rec_read(ctx, &m.rec, 300, 0), 0);
        assert_int_equal(allocations, before);
        assert_int_equal(m.present_pages, 18);
        nprocfs_rec_release(&m.rec);
        nprocfs_close(ctx);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_the_first_read_allocates_the_buffers),
                cmocka_unit_test(test_a_second_read_allocates_nothing),
                cmocka_unit_test(test_a_hundred_more_reads_allocate_nothing),
                cmocka_unit_test(test_parsing_again_allocates_nothing),
                cmocka_unit_test(test_pagemap_read_again_allocates_nothing),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
