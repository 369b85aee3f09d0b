/* Fails when a schema of nprocfs_schemas[] has no harness. meson derives
 * the harnesses from its own reading of <nprocfs/schemas.def> as text, and
 * passes what it found as FUZZ_SCHEMAS (X(pid_stat) X(pid_status) ...);
 * this is the check that the reading matches the array the C preprocessor
 * made of the same list. */
#include <stdbool.h>
#include <stdio.h>

#include <nprocfs/records.h>

#ifndef FUZZ_SCHEMAS
#error "build with -DFUZZ_SCHEMAS='X(id) X(id) ...'"
#endif

#define X(id) &nprocfs_schema_##id,
static const struct nprocfs_schema *const fuzzed[] = { FUZZ_SCHEMAS };
#undef X

int main(void) {
        int missing = 0;

        for (const struct nprocfs_schema *const *s = nprocfs_schemas; *s; s++) {
                bool found = false;
                for (size_t i = 0; i < sizeof(fuzzed) / sizeof(fuzzed[0]); i++)
                        found |= fuzzed[i] == *s;
                if (!found) {
                        printf("the schema of %s%s has no fuzz harness: meson's reading of include/nprocfs/schemas.def "
                               "did not find it\n",
                               (*s)->scope == NPROCFS_SCOPE_PID ? "/proc/<pid>/" : "/proc/", (*s)->path);
                        missing++;
                }
        }
        return missing > 0;
}
