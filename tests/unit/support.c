/* What the unit tests share; see support.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "support.h"

const char *fixture_path(const char *rel) {
        static char buf[4096];
        const char *dir = getenv("NPROCFS_FIXTURES");

        if (!dir || !*dir)
                fail_msg("NPROCFS_FIXTURES is not set");
        if (snprintf(buf, sizeof(buf), "%s/%s", dir, rel) >= (int)sizeof(buf))
                fail_msg("fixture path too long: %s", rel);
        return buf;
}

nprocfs_ctx *open_tree(const char *name) {
        nprocfs_ctx *ctx = NULL;
        int r = nprocfs_open(fixture_path(name), 0, &ctx);

        if (r < 0)
                fail_msg("nprocfs_open(%s): %s", name, strerror(-r));
        return ctx;
}

char *read_fixture(const char *rel, size_t *ret_len) {
        const char *path = fixture_path(rel);
        FILE *f = fopen(path, "rb");
        char *buf = NULL;
        size_t len = 0, cap = 0;

        if (!f)
                fail_msg("%s: %s", path, strerror(errno));
        for (;;) {
                size_t n;
                if (cap - len < 4097) {
                        cap = cap ? cap * 2 : 8192;
                        buf = realloc(buf, cap);
                        assert_non_null(buf);
                }
                n = fread(buf + len, 1, cap - len - 1, f);
                len += n;
                if (n == 0)
                        break;
        }
        assert_false(ferror(f));
        fclose(f);
        buf[len] = 0;
        *ret_len = len;
        return buf;
}

static char *copy(const char *s, size_t len) {
        char *c = malloc(len + 1);

        assert_non_null(c);
        memcpy(c, s, len);
        c[len] = 0;
        return c;
}

static int collect_one(const struct nprocfs_entry *e, void *userdata) {
        struct entries *es = userdata;

        if (es->n == es->cap) {
                es->cap = es->cap ? es->cap * 2 : 64;
                es->v = realloc(es->v, es->cap * sizeof(*es->v));
                assert_non_null(es->v);
        }
        es->v[es->n++] = (struct entry_copy){
                .path = copy(e->path, e->path_len),
                .value = copy(e->value, e->value_len),
                .value_len = e->value_len,
                .field = e->field,
        };
        return 0;
}

void entries_collect(const struct nprocfs_rec *rec, struct entries *ret) {
        *ret = (struct entries){ 0 };
        assert_int_equal(nprocfs_rec_foreach(rec, collect_one, ret), 0);
}

void entries_free(struct entries *es) {
        for (size_t i = 0; i < es->n; i++) {
                free(es->v[i].path);
                free(es->v[i].value);
        }
        free(es->v);
        *es = (struct entries){ 0 };
}

const struct entry_copy *entries_find(const struct entries *es, const char *path) {
        for (size_t i = 0; i < es->n; i++)
                if (strcmp(es->v[i].path, path) == 0)
                        return &es->v[i];
        return NULL;
}

void assert_no_fields(const struct nprocfs_rec *rec) {
        for (unsigned i = 0; i < rec->schema->nfields; i++)
                if (nprocfs_rec_has(rec, i))
                        fail_msg("field %s is present", rec->schema->fields[i].name);
        assert_int_equal(rec->nrows, 0);
        assert_int_equal(rec->nextra, 0);
}

int parse_text(struct nprocfs_rec *rec, const char *text) {
        static const struct nprocfs_env env = TEST_ENV;

        return nprocfs_rec_parse(rec, text, strlen(text), &env);
}

void assert_each_malformed(const struct nprocfs_schema *s, const char *const *texts, size_t n) {
        for (size_t i = 0; i < n; i++) {
                struct nprocfs_rec *rec;
                int r;

                assert_int_equal(nprocfs_rec_new(s, &rec), 0);
                r = parse_text(rec, texts[i]);
                nprocfs_rec_free(rec);
                if (r != -EIO)
                        fail_msg("%s: case %zu gave %d, not -EIO: %s", s->name, i, r, texts[i]);
        }
}
