/* libFuzzer harness for np_machine_parse(), the reader of a snapshot's
 * .nprocfs-machine. A snapshot is untrusted input; whatever it says, the
 * constants that come out must be ones every parser can use: page size and
 * tick rate non-zero and within the bounds np_machine_parse() promises, and
 * nothing else touched. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const struct nprocfs_env before = { .page_size = 4096, .ticks_per_second = 100, .boot_time_unix_ns = 42 };
        struct nprocfs_env env = before;

        np_machine_parse((const char *)data, size, &env);
        if (env.page_size == 0 || env.page_size > (UINT64_C(1) << 30) || env.ticks_per_second == 0 ||
            env.ticks_per_second > 1000000000 || env.boot_time_unix_ns != before.boot_time_unix_ns) {
                fprintf(stderr, "fuzz_machine: page_size %llu, ticks_per_second %llu, boot_time_unix_ns %llu\n",
                        (unsigned long long)env.page_size, (unsigned long long)env.ticks_per_second,
                        (unsigned long long)env.boot_time_unix_ns);
                abort();
        }
        return 0;
}
