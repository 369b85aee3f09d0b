/* The strict number parsers: base 10, digits only, the whole input, and
 * overflow reported rather than wrapped. */
#include <errno.h>

#include "support.h"

#define U64(s, ret) nprocfs_parse_u64((s), sizeof(s) - 1, (ret))
#define I64(s, ret) nprocfs_parse_i64((s), sizeof(s) - 1, (ret))

static void test_u64_accepts_plain_digits(void **state) {
        uint64_t v = 1;

        (void)state;
        assert_int_equal(U64("0", &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(U64("1234567890", &v), 0);
        assert_int_equal(v, 1234567890);
        assert_int_equal(U64("007", &v), 0);
        assert_int_equal(v, 7);
}

static void test_u64_accepts_the_largest_value(void **state) {
        uint64_t v = 0;

        (void)state;
        assert_int_equal(U64("18446744073709551615", &v), 0);
        assert_true(v == UINT64_MAX);
}

static void test_u64_overflow_is_erange(void **state) {
        uint64_t v = 42;

        (void)state;
        assert_int_equal(U64("18446744073709551616", &v), -ERANGE);
        assert_int_equal(U64("18446744073709551620", &v), -ERANGE);
        assert_int_equal(U64("99999999999999999999", &v), -ERANGE);
        assert_int_equal(U64("123456789012345678901234567890", &v), -ERANGE);
        assert_int_equal(v, 42); /* untouched on failure */
}

static void test_u64_rejects_empty(void **state) {
        uint64_t v = 42;

        (void)state;
        assert_int_equal(U64("", &v), -EINVAL);
        assert_int_equal(v, 42);
}

static void test_u64_rejects_a_sign(void **state) {
        uint64_t v = 42;

        (void)state;
        assert_int_equal(U64("-1", &v), -EINVAL);
        assert_int_equal(U64("+1", &v), -EINVAL);
        assert_int_equal(U64("-0", &v), -EINVAL);
        assert_int_equal(v, 42);
}

static void test_u64_rejects_junk(void **state) {
        uint64_t v = 42;

        (void)state;
        assert_int_equal(U64("12abc", &v), -EINVAL);
        assert_int_equal(U64("abc", &v), -EINVAL);
        assert_int_equal(U64(" 12", &v), -EINVAL);
        assert_int_equal(U64("12 ", &v), -EINVAL);
        assert_int_equal(U64("12\n", &v), -EINVAL);
        assert_int_equal(U64("0x10", &v), -EINVAL);
        assert_int_equal(U64("1.5", &v), -EINVAL);
        assert_int_equal(U64("1\0002", &v), -EINVAL);
        assert_int_equal(v, 42);
}

static void test_u64_reads_only_len_bytes(void **state) {
        uint64_t v = 0;

        (void)state;
        /* "123" of "1234": the length bounds the input, not a NUL */
        assert_int_equal(nprocfs_parse_u64("1234", 3, &v), 0);
        assert_int_equal(v, 123);
}

static void test_i64_accepts_both_signs(void **state) {
        int64_t v = 0;

        (void)state;
        assert_int_equal(I64("-1", &v), 0);
        assert_int_equal(v, -1);
        assert_int_equal(I64("0", &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(I64("-0", &v), 0);
        assert_int_equal(v, 0);
        assert_int_equal(I64("42", &v), 0);
        assert_int_equal(v, 42);
}

static void test_i64_accepts_its_edge_values(void **state) {
        int64_t v = 0;

        (void)state;
        assert_int_equal(I64("9223372036854775807", &v), 0);
        assert_true(v == INT64_MAX);
        assert_int_equal(I64("-9223372036854775808", &v), 0);
        assert_true(v == INT64_MIN);
}

static void test_i64_overflow_is_erange(void **state) {
        int64_t v = 42;

        (void)state;
        assert_int_equal(I64("9223372036854775808", &v), -ERANGE);
        assert_int_equal(I64("-9223372036854775809", &v), -ERANGE);
        assert_int_equal(I64("18446744073709551615", &v), -ERANGE);
        assert_int_equal(I64("18446744073709551616", &v), -ERANGE);
        assert_int_equal(v, 42);
}

static void test_i64_rejects_empty_plus_and_junk(void **state) {
        int64_t v = 42;

        (void)state;
        assert_int_equal(I64("", &v), -EINVAL);
        assert_int_equal(I64("-", &v), -EINVAL);
        assert_int_equal(I64("+1", &v), -EINVAL);
        assert_int_equal(I64("--1", &v), -EINVAL);
        assert_int_equal(I64("-1x", &v), -EINVAL);
        assert_int_equal(I64(" -1", &v), -EINVAL);
        assert_int_equal(v, 42);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_u64_accepts_plain_digits),
                cmocka_unit_test(test_u64_accepts_the_largest_value),
                cmocka_unit_test(test_u64_overflow_is_erange),
                cmocka_unit_test(test_u64_rejects_empty),
                cmocka_unit_test(test_u64_rejects_a_sign),
                cmocka_unit_test(test_u64_rejects_junk),
                cmocka_unit_test(test_u64_reads_only_len_bytes),
                cmocka_unit_test(test_i64_accepts_both_signs),
                cmocka_unit_test(test_i64_accepts_its_edge_values),
                cmocka_unit_test(test_i64_overflow_is_erange),
                cmocka_unit_test(test_i64_rejects_empty_plus_and_junk),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
