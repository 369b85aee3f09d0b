/* What every harness defines: libFuzzer's entry point, called once per input
 * by libFuzzer or by replay.c. Data is not NUL-terminated. */
#ifndef NPROCFS_FUZZ_H
#define NPROCFS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
