/* What the unit tests share: where the fixtures are, opening a tree of them,
 * and the entries of a record as a table of "path -> value" strings, so a
 * test can state what the tree shows the way NAMING.md writes it. */
#ifndef NPROCFS_TEST_SUPPORT_H
#define NPROCFS_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <nprocfs/nprocfs.h>
#include <nprocfs/records.h>

/* The machine constants every malformed case assumes (malformed/README.md). */
#define TEST_ENV \
        { .page_size = 4096, .ticks_per_second = 100 }

/* $NPROCFS_FIXTURES/rel, in a static buffer (valid until the next call). */
const char *fixture_path(const char *rel);

/* Opens the fixture tree `name` ("linux-2.6"); fails the test if it cannot. */
nprocfs_ctx *open_tree(const char *name);

/* Reads the fixture file rel whole into a malloc'ed buffer (NUL-terminated
 * past its length); fails the test if it cannot. */
char *read_fixture(const char *rel, size_t *ret_len);

struct entry_copy {
        char *path;
        char *value; /* NUL-terminated copy; value_len counts embedded NULs */
        size_t value_len;
        const struct nprocfs_field *field;
};

struct entries {
        struct entry_copy *v;
        size_t n, cap;
};

/* Copies every entry nprocfs_rec_foreach gives for rec. Free with
 * entries_free(). */
void entries_collect(const struct nprocfs_rec *rec, struct entries *ret);
void entries_free(struct entries *es);

/* The entry at path, or NULL. */
const struct entry_copy *entries_find(const struct entries *es, const char *path);

/* The entry at path has exactly this value (a string literal). */
#define assert_entry(es, p, val)                                        \
        do {                                                            \
                const struct entry_copy *e_ = entries_find((es), (p));  \
                if (!e_)                                                \
                        fail_msg("no entry %s", (p));                   \
                assert_string_equal(e_->value, (val));                  \
                assert_int_equal(e_->value_len, sizeof(val) - 1);       \
                assert_memory_equal(e_->value, (val), sizeof(val) - 1); \
        } while (0)

/* There is no entry at path. */
#define assert_no_entry(es, p)                                \
        do {                                                  \
                if (entries_find((es), (p)))                  \
                        fail_msg("unexpected entry %s", (p)); \
        } while (0)

/* A struct nprocfs_str holds exactly the bytes of a string literal (which
 * may contain NULs). */
#define assert_str_equal(s, lit)                                     \
        do {                                                         \
                struct nprocfs_str s_ = (s);                         \
                assert_int_equal(s_.len, sizeof(lit) - 1);           \
                assert_memory_equal(s_.ptr, (lit), sizeof(lit) - 1); \
        } while (0)

/* No field and no row field of rec is present (rec names none). */
void assert_no_fields(const struct nprocfs_rec *rec);

/* Parses text (NUL-terminated) into rec with TEST_ENV. */
int parse_text(struct nprocfs_rec *rec, const char *text);

/* Each of the n texts, parsed as a file of schema s, is -EIO. */
void assert_each_malformed(const struct nprocfs_schema *s, const char *const *texts, size_t n);
#define assert_all_malformed(id, texts) \
        assert_each_malformed(&nprocfs_schema_##id, (texts), sizeof(texts) / sizeof((texts)[0]))

#endif
