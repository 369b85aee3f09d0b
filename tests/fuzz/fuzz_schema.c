/* libFuzzer harness for one schema's parser, built once per schema with
 * FUZZ_SCHEMA naming it (-DFUZZ_SCHEMA=pid_status).
 *
 * Each input is parsed three times into one record: with the fixtures'
 * machine constants (page size 4096, 100 ticks/s), with constants taken from
 * its first bytes (so every unit conversion meets odd page sizes and tick
 * rates), and with the fixtures' constants again. The third parse goes
 * through the reuse path and must give exactly what the first gave: a record
 * may not carry state from one parse into the next. After every parse each
 * entry is walked byte by byte (path, value, key and its source string), so
 * that ASan sees an entry pointing outside the record, and checked to be a
 * name the mounted tree can show. Only the first parse runs on a buffer of
 * the input's exact size; later ones reuse a buffer at least that big. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nprocfs/records.h>

#include "fuzz.h"

#ifndef FUZZ_SCHEMA
#error "build with -DFUZZ_SCHEMA=<schema id>, e.g. pid_status"
#endif

#define CAT_(a, b) a##b
#define CAT(a, b)  CAT_(a, b)
#define STR_(a)    #a
#define STR(a)     STR_(a)
#define SCHEMA     CAT(nprocfs_schema_, FUZZ_SCHEMA)
#define NELEMS(a)  (sizeof(a) / sizeof((a)[0]))

struct walk {
        uint64_t digest; /* FNV-1a over every byte of every entry */
        size_t entries;
};

static uint64_t fnv(uint64_t h, const void *p, size_t len) {
        const unsigned char *b = p;

        for (size_t i = 0; i < len; i++)
                h = (h ^ b[i]) * UINT64_C(0x100000001b3);
        return h;
}

static void fail(const char *what, const struct nprocfs_entry *e) {
        fprintf(stderr, "fuzz_%s: %s", STR(FUZZ_SCHEMA), what);
        if (e)
                fprintf(stderr, " (entry \"%.*s\")", (int)e->path_len, e->path);
        fputc('\n', stderr);
        abort();
}

/* Tree names: components of [a-z0-9_], none empty, one '/' between two;
 * where a schema names rows by their keys as the kernel writes them, the
 * first component is any name a directory can have (no '/', no NUL, not
 * "." nor "..", at most 255 bytes). */
static bool tree_path(const char *p, size_t len, bool verbatim_first) {
        size_t comp = 0, first = 0;

        for (size_t i = 0; i < len; i++) {
                char c = p[i];
                if (c == '/') {
                        if (comp == 0 || (first == 0 && verbatim_first && comp > 255))
                                return false;
                        if (first == 0 && verbatim_first &&
                            ((comp == 1 && p[0] == '.') || (comp == 2 && p[0] == '.' && p[1] == '.')))
                                return false;
                        first++;
                        comp = 0;
                } else if ((first == 0 && verbatim_first && c != 0) || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '_')
                        comp++;
                else
                        return false;
        }
        return comp > 0;
}

static int visit(const struct nprocfs_entry *e, void *userdata) {
        struct walk *w = userdata;
        char src[48]; /* small on purpose: most sources do not fit */
        int n;

        if (!e->field || !e->path)
                fail("entry without a field or path", e);
        if (!tree_path(e->path, e->path_len, (SCHEMA.flags & NPROCFS_S_KEYS_VERBATIM) && SCHEMA.nrow_fields > 0))
                fail("entry name the tree cannot show", e);
        if (e->value_len > 0 && !e->value)
                fail("entry value NULL with a length", e);
        if (e->key.len > 0 && !e->key.ptr)
                fail("entry key NULL with a length", e);
        w->digest = fnv(w->digest, e->path, e->path_len);
        w->digest = fnv(w->digest, "", 1);
        if (e->value_len > 0)
                w->digest = fnv(w->digest, e->value, e->value_len);
        w->digest = fnv(w->digest, "", 1);
        if (e->key.len > 0)
                w->digest = fnv(w->digest, e->key.ptr, e->key.len);
        n = nprocfs_entry_source(&SCHEMA, e, src, sizeof(src));
        if (n < 0 || strlen(src) != ((size_t)n < sizeof(src) ? (size_t)n : sizeof(src) - 1))
                fail("entry source not a string of the length returned", e);
        w->digest = fnv(w->digest, src, strlen(src));
        w->digest = fnv(w->digest, nprocfs_type_name(e->field->type), strlen(nprocfs_type_name(e->field->type)));
        w->digest = fnv(w->digest, nprocfs_unit_name(e->field->unit), strlen(nprocfs_unit_name(e->field->unit)));
        w->entries++;
        return 0;
}

/* Parses and walks; *ret_digest covers the result and every entry. Returns
 * what nprocfs_rec_parse() returned. */
static int parse_walk(struct nprocfs_rec *rec, const uint8_t *data, size_t size, const struct nprocfs_env *env,
                      uint64_t *ret_digest) {
        struct walk w = { .digest = UINT64_C(0xcbf29ce484222325) };
        int r = nprocfs_rec_parse(rec, data, size, env);

        if (r == -ENOMEM)
                return r; /* nothing to compare; libFuzzer's -rss_limit_mb reports real leaks */
        if (r != 0 && r != -EIO)
                fail("nprocfs_rec_parse returned neither 0 nor -EIO", NULL);
        if (rec->len != size || rec->buf[size] != 0)
                fail("record buffer not the input's length, NUL-terminated", NULL);
        if (nprocfs_rec_foreach(rec, visit, &w) != 0)
                fail("nprocfs_rec_foreach did not walk to the end", NULL);
        *ret_digest = fnv(fnv(w.digest, &r, sizeof(r)), &w.entries, sizeof(w.entries));
        return r;
}

/* Machine constants from the input's first bytes: a tick rate from a list of
 * ones worth trying (1 s ticks, odd rates, 1 ns ticks and beyond), any page
 * size from 1 to 65536. The bytes stay part of the input: seeds keep
 * parsing as they are, and the fuzzer steers both at once. */
static struct nprocfs_env odd_env(const uint8_t *data, size_t size) {
        static const uint64_t ticks[] = {
                1, 3, 7, 60, 64, 100, 250, 300, 1000, 1024, 999999937, 1000000000, UINT32_MAX, UINT64_MAX,
        };
        uint8_t b[4] = { 0 };

        memcpy(b, data, size < sizeof(b) ? size : sizeof(b));
        return (struct nprocfs_env){
                .ticks_per_second = ticks[b[0] % NELEMS(ticks)],
                .page_size = 1 + ((uint64_t)b[1] | (uint64_t)b[2] << 8),
                .boot_time_unix_ns = (uint64_t)b[3] << 56,
        };
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const struct nprocfs_env fixtures = { .page_size = 4096, .ticks_per_second = 100 };
        const struct nprocfs_env odd = odd_env(data, size);
        struct nprocfs_rec *rec;
        uint64_t first = 0, other = 0, again = 0;
        int r1, r3;

        if (nprocfs_rec_new(&SCHEMA, &rec) < 0)
                return 0;
        r1 = parse_walk(rec, data, size, &fixtures, &first);
        parse_walk(rec, data, size, &odd, &other); /* its walk is the check */
        r3 = parse_walk(rec, data, size, &fixtures, &again);
        if (r1 != -ENOMEM && r3 != -ENOMEM && (r1 != r3 || first != again))
                fail("a reused record parsed differently from a new one", NULL);
        nprocfs_rec_free(rec);
        return 0;
}
